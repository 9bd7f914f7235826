"""Which language pack a draft is read with.

Order of evidence (``--lang auto``): the Content-Language header, ``<html lang>``, then
the text itself (the share of each pack's common words, in subject and prose). A
``--lang`` other than ``auto`` always wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain, compress, repeat
from operator import attrgetter, sub
from typing import TYPE_CHECKING

from .matching import Token, Tokens
from .model import Draft
from .packs import Pack

if TYPE_CHECKING:
    from .context import TextView

_token_text = attrgetter("text")
_token_brk = attrgetter("brk")

DEFAULT_LANGUAGE = "en"


def _primary_tag(value: str | None) -> str | None:
    if not value:
        return None
    first = value.split(",")[0].strip().lower()
    tag = first.replace("_", "-").split("-")[0]
    return tag or None


def detect_language(
    draft: Draft,
    tokens: Sequence[Token],
    packs: Mapping[str, Pack],
    requested: str = "auto",
) -> str:
    """The code of the pack to use for this draft."""
    if requested and requested != "auto":
        return requested.lower()
    declared = _primary_tag(draft.declared_language)
    if declared and declared in packs:
        return declared
    if declared and declared.isalpha() and len(declared) in (2, 3):
        return declared  # a language with no pack: its wording rules are not checked
    scores: dict[str, int] = {}
    texts: list[str] | None = None
    for lang, pack in packs.items():
        if not pack.detect_words:
            continue
        if texts is None:
            texts = list(map(_token_text, tokens))
        # membership tests mapped at C level, not a generator per token (measured on the
        # bench corpus without declared languages: 0.017 s -> 0.015 s)
        scores[lang] = sum(map(pack.detect_words.__contains__, texts))
    if scores:
        best = max(scores.items(), key=lambda item: (item[1], item[0] == DEFAULT_LANGUAGE))
        if best[1] >= _SURE:
            return best[0]
        if texts is not None and _foreign_script(texts):
            return UNDETERMINED
        if best[1] > 0:
            return best[0]
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in packs else next(iter(packs), "en")


#: Common words of a pack that make its language certain whatever the script.
_SURE = 3
#: The language of a text in a script no pack reads (Japanese, Arabic ...): its wording
#: rules are then not checked, rather than read with the English pack.
UNDETERMINED = "und"


def _foreign_script(texts: list[str]) -> bool:
    """Whether most letters of the words are outside the Latin script (which every pack
    so far is written in): a Japanese template must not be judged by English words."""
    letters = "".join(texts)
    if len(letters) < 40:
        return False
    latin = sum(1 for c in letters if c < "\u0250" or "\u1e00" <= c <= "\u1eff")
    return latin * 2 < len(letters)


# -- words and pack data shared by the rules ---------------------------------------------


def words(view: TextView) -> list[str]:
    """The (folded) words of a text, in order: ``view.tokens``' texts, listed once per
    text so that rules can test them all with C-level ``map``/``set`` operations."""
    tokens = view.tokens
    if isinstance(tokens, Tokens):  # a long text: its words are listed already
        return tokens.texts
    return view.cached("language.words", lambda: list(map(_token_text, tokens)))


def word_set(view: TextView) -> frozenset[str]:
    """The distinct (folded) words of a text: a rule whose trigger words are all absent
    costs one ``isdisjoint``."""
    return view.cached("language.word_set", lambda: frozenset(words(view)))


def sentence_breaks(view: TextView) -> list[bool]:
    """Whether each word of a text opens a sentence (its ``brk``), listed once per text.
    Shared: do not modify the list."""
    tokens = view.tokens
    if isinstance(tokens, Tokens):  # a long text: its flags are listed already
        return tokens.brks
    return view.cached("language.breaks", lambda: list(map(_token_brk, tokens)))


def sentence_numbers(view: TextView) -> list[int]:
    """The sentence number of each word of a text: how many words up to it open a
    sentence (``brk``), minus one. Computed once per text (the negation cues and the
    apology analysis both number the sentences). Shared: do not modify the list."""
    return view.cached("language.sentence_numbers",
                       lambda: running_numbers(sentence_breaks(view)))


def running_numbers(opens: list[bool]) -> list[int]:
    """For each item, how many items up to it are true, minus one.

    Each number is repeated, not summed item by item: the words of a sentence share one
    int object (a running sum made a new one per word, 32 bytes each: 64 MB for a 12 MB
    draft, issue 14). C-level ``repeat`` and ``chain`` per sentence."""
    n = len(opens)
    starts = list(compress(range(n), opens))
    if not starts:
        return [-1] * n
    numbers = [-1] * starts[0]  # words before the first opener
    lengths = map(sub, [*starts[1:], n], starts)
    numbers.extend(chain.from_iterable(map(repeat, range(len(starts)), lengths)))
    return numbers




#: Characters that, between two words, open a clause: the word after them stands where an
#: English imperative stands ("Reply to ...", "..., call us", "- Change your password").
CLAUSE_OPENERS = frozenset(",;:\n-–—•*·▪●◦‣(>")
#: Quotation marks open a clause only right before the word ('"Reply to ...'); right
#: after the previous word they close one ('the "All Alders" email list').
OPENING_QUOTES = frozenset('"“„«')


def opens_clause(view: TextView, index: int) -> bool:
    """Whether word ``index`` opens its sentence or a clause (after a comma, dash, bullet,
    bracket or quote). English imperatives look like other verb forms: where they stand
    tells an order ("Enter your code") from a noun or someone else's act ("your
    associated email address", "allows our systems to validate")."""
    tokens = view.tokens
    if index == 0 or tokens[index].brk:
        return True
    gap = view.text[tokens[index - 1].end : tokens[index].start]
    if not CLAUSE_OPENERS.isdisjoint(gap):
        return True
    return gap[-1:] in OPENING_QUOTES
