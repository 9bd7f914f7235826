"""Humour detection shared by AL203 jokey-subject and AL401 jokey-tone.

Three kinds of marker, all found in one linear pass each:

* **words** from the pack (``jokey-tone.humour``, ``.flippant``, ``.standalone``,
  ``.exclaimed``; AL203 adds ``jokey-subject.*``). Elongated interjections ("ooops",
  "upsss", "looool") are folded: a word with a run of three or more equal letters is
  compared, runs squeezed, with the squeezed single-word forms of the vocabulary. A word
  listed in ``.acronyms`` written in capitals and not shouted ("UPS", the courier) is a
  name, not a joke;
* **emoji**, found with the maintained ``emoji`` library (``emoji.emoji_list``). Only
  emoji that render as pictures count: a sequence the library marks *fully* or
  *minimally qualified* (``©`` ``®`` ``™`` ``↔`` ``❤`` without the emoji variation
  selector are "unqualified": text symbols, never flagged; arrows and bullets such as
  ``→`` ``•`` are not emoji at all). In a **subject** every such emoji is flagged (the
  catalog: an apology's subject is no place for emoji). In a **body** only humour emoji
  are: laughing, grinning, winking, tongue, face-palm, shrug, grimacing, see-no-evil,
  party and similar faces, chosen by their CLDR names (:data:`HUMOUR_EMOJI`), so 🙏 or ❤️
  in a sincere closing are left alone;
* **text emoticons**: ``:)`` ``:-)`` ``;)`` ``:D`` ``:P`` ``:))`` ``=)`` ``^^`` ``^_^``
  ``☺`` (``xD`` is a word of the packs). The mouth must not run into a letter or digit
  ("Re:Doc", "mailto:Peter") and the eyes must not follow a digit ("10:30", "3:)");
* **exclaimed asides**: one to four words in brackets ending in "!" ("(great!)", "(not so
  great!)"): a wink at the reader in any language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from ..context import TextView
from ..language import word_set
from ..language import words as view_words
from ..matching import Match, Token, phrase_words
from ..packs import Pack

#: Tables every humour vocabulary file may have (``<rule>.<table>``).
TABLES = ("humour", "flippant", "standalone", "exclaimed")

#: CLDR names (as the emoji library spells them, without skin tone and without a
#: "man_"/"woman_"/"person_" prefix) of emoji that laugh, wink, tease, cringe or celebrate.
HUMOUR_EMOJI = frozenset(
    {
        # laughing and grinning
        "face_with_tears_of_joy", "rolling_on_the_floor_laughing", "cat_with_tears_of_joy",
        "grinning_face", "grinning_face_with_big_eyes", "grinning_face_with_smiling_eyes",
        "beaming_face_with_smiling_eyes", "grinning_squinting_face", "grinning_face_with_sweat",
        "grinning_cat", "grinning_cat_with_smiling_eyes", "slightly_smiling_face",
        "smiling_face_with_smiling_eyes", "smiling_face", "smiling_face_with_sunglasses",
        "smiling_face_with_halo", "smiling_face_with_horns", "upside-down_face",
        # winking and teasing
        "winking_face", "winking_face_with_tongue", "face_with_tongue",
        "squinting_face_with_tongue", "zany_face", "smirking_face", "face_with_rolling_eyes",
        "nerd_face", "cowboy_hat_face", "clown_face", "woozy_face", "pile_of_poo", "skull",
        # embarrassment played for laughs
        "facepalming", "shrugging", "grimacing_face", "flushed_face", "melting_face",
        "face_with_hand_over_mouth", "face_with_open_eyes_and_hand_over_mouth",
        "face_with_peeking_eye", "see-no-evil_monkey", "hear-no-evil_monkey",
        "speak-no-evil_monkey", "monkey", "monkey_face", "hamster", "robot", "ghost",
        # celebration
        "party_popper", "partying_face", "confetti_ball", "bottle_with_popping_cork",
        "balloon", "clinking_glasses", "clinking_beer_mugs",
    }
)
_GENDER_PREFIXES = ("man_", "woman_", "person_")
# emoji library status codes: 2 fully qualified, 3 minimally qualified (render as pictures)
_PICTURE_STATUSES = frozenset({2, 3})

_EYES = ":;="
_MOUTHS = ")DPp]"
_SMILEY_CHARS = frozenset("☺☻")
_KEYCAP = "\u20e3"
#: A short aside in brackets that exclaims: "(great!)", "(not so great!)", "(oops!)". In an
#: apology it is a wink at the reader, whatever the language. Bounded and possessive, so
#: it cannot backtrack.
_EXCLAIMED_ASIDE = re.compile(r"\((?:[^\W\d_]++[ '’-]?+){1,4}+!++\)")
#: Where an emoticon can start (one character class: the scan is a C loop).
_EMOTICON_START = re.compile("[☺☻^:;=]")


class HumourHit(NamedTuple):
    """One humour marker: offsets into the text it was found in, its kind and text."""

    start: int
    end: int
    kind: str  # "words", "flippant", "emoji", "emoticon", "aside"
    text: str
    detail: str = ""  # the emoji's name, for the message

    def describe(self) -> str:
        """The marker as the reader sees it, for a message."""
        if self.kind == "emoji":
            name = self.detail.replace("_", " ")
            return f"the emoji {self.text} ({name})" if name else f"the emoji {self.text}"
        if self.kind == "emoticon":
            return f"the emoticon {self.text!r}"
        if self.kind == "aside":
            return f"the exclaimed aside {self.text!r}"
        return f"{self.text!r}"


# -- words -------------------------------------------------------------------------------


def _squeeze(word: str) -> str:
    """Runs of equal letters made single: "ooops" -> "ops", "upsss" -> "ups"."""
    out: list[str] = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


#: Three equal word characters in a row (fixed width: no backtracking).
_LONG_RUN = re.compile(r"([^\W_])\1\1")


@lru_cache(maxsize=64)
def _squeezed_forms(phrases: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Squeezed single-word forms of a vocabulary: (exact words, stems)."""
    exact: set[str] = set()
    stems: set[str] = set()
    for phrase in phrases:
        for words in phrase_words(phrase):
            if len(words) != 1 or words[0] == "_":
                continue
            word = words[0]
            if word.endswith("*"):
                stems.add(_squeeze(word[:-1]))
            else:
                exact.add(_squeeze(word))
    return frozenset(exact), tuple(sorted(stems))


def _next_char(text: str, end: int) -> str:
    """The first non-space character after ``end`` ("" at the end of the text)."""
    i = end
    n = len(text)
    while i < n and text[i] in " \t\u00a0":
        i += 1
    return text[i] if i < n else ""


def _is_acronym(text: str, match: Match, acronyms: frozenset[str], folded: str) -> bool:
    """"UPS" (the courier) in capitals and not shouted is a name, not "ups"."""
    if match.first_token != match.last_token:
        return False
    word = folded[match.start : match.end]
    original = text[match.start : match.end]
    return word in acronyms and original.isupper() and _next_char(text, match.end) != "!"


def word_hits(view: TextView, pack: Pack, rules: Sequence[str]) -> list[HumourHit]:
    """Humour words and phrases of the given rules' vocabularies found in ``view``."""
    text = view.text
    hits: list[HumourHit] = []
    acronyms: set[str] = set()
    for rule in rules:
        acronyms.update(pack.folded_words(f"{rule}.acronyms"))
    frozen_acronyms = frozenset(acronyms)
    covered: list[tuple[int, int]] = []
    for rule in rules:
        for table in TABLES:
            for match in view.matches(f"{rule}.{table}"):
                if _is_acronym(text, match, frozen_acronyms, view.folded):
                    continue
                after = _next_char(text, match.end)
                if table == "standalone" and after.isalnum():
                    continue
                if table == "exclaimed" and after != "!":
                    continue
                kind = "flippant" if table == "flippant" else "words"
                hits.append(HumourHit(match.start, match.end, kind, text[match.start : match.end]))
                covered.append((match.start, match.end))
    hits.extend(_elongated_hits(view, pack, rules, covered, frozen_acronyms))
    return hits


def _elongated_hits(
    view: TextView,
    pack: Pack,
    rules: Sequence[str],
    covered: list[tuple[int, int]],
    acronyms: frozenset[str],
) -> Iterable[HumourHit]:
    phrases: list[str] = []
    for rule in rules:
        phrases.extend(pack.words(f"{rule}.humour"))
    if not phrases:
        return
    elongated = _tokens_with_long_run(view)
    if not elongated:
        return  # no word anywhere has a run of three
    exact, stems = _squeezed_forms(tuple(phrases))
    starts = {start for start, _ in covered}
    for token in elongated:
        if token.start in starts:
            continue
        squeezed = _squeeze(token.text)
        if squeezed in acronyms and view.text[token.start : token.end].isupper():
            continue
        if squeezed in exact or any(squeezed.startswith(s) for s in stems):
            yield HumourHit(token.start, token.end, "words", view.text[token.start : token.end])


def _tokens_with_long_run(view: TextView) -> list[Token]:
    """The tokens (in text order) with a run of three equal letters or digits.

    Each distinct word is tested once (a draft repeats its words), and the tokens that
    are one of those words are picked out by a C-level map over the words: no regex
    with a back-reference over the whole text, no Python loop over every token
    (measured: AL401 0.11 s -> 0.05 s on the bench corpus, where "www" and "000" are
    common)."""
    search = _LONG_RUN.search
    elongated = {word for word in word_set(view) if search(word)}
    if not elongated:
        return []
    tokens = view.tokens
    found = compress(range(len(tokens)), map(elongated.__contains__, view_words(view)))
    return [tokens[i] for i in found]


# -- emoji and emoticons -----------------------------------------------------------------


def _base_name(name: str) -> str:
    """"man_facepalming_medium-dark_skin_tone" -> "man_facepalming"."""
    base = name.strip(":")
    cut = base.find("_skin_tone")
    if cut != -1:
        base = base[: base.rfind("_", 0, cut)]
    return base


def is_humour_emoji_name(name: str) -> bool:
    """Whether an emoji's CLDR name (``:face_with_tears_of_joy:``) is a humour emoji."""
    base = _base_name(name)
    if base in HUMOUR_EMOJI:
        return True
    return any(base.startswith(p) and base[len(p) :] in HUMOUR_EMOJI for p in _GENDER_PREFIXES)


@lru_cache(maxsize=1)
def _emoji_starts() -> frozenset[str]:
    """Non-ASCII characters an emoji can start with. A text with none of them (and no
    keycap mark, which the ASCII-led keycap emoji such as 1️⃣ all carry) has no emoji,
    and a C-level set test is far cheaper than the library's scan (measured: most of
    AL401's time on long Polish drafts, which are never ASCII)."""
    import emoji

    return frozenset(key[0] for key in emoji.EMOJI_DATA if key and not key[0].isascii())


def emoji_hits(text: str, *, humour_only: bool) -> list[HumourHit]:
    """Emoji that render as pictures; with ``humour_only`` just the humour ones."""
    if not text or text.isascii() or (_emoji_starts().isdisjoint(text) and _KEYCAP not in text):
        return []
    import emoji

    hits: list[HumourHit] = []
    for found in emoji.emoji_list(text):
        char = found["emoji"]
        data = emoji.EMOJI_DATA.get(char)
        if data is None or data.get("status") not in _PICTURE_STATUSES:
            continue
        name = str(data.get("en", ""))
        if humour_only and not is_humour_emoji_name(name):
            continue
        hits.append(
            HumourHit(found["match_start"], found["match_end"], "emoji", char,
                      _base_name(name))
        )
    return hits


def emoticon_hits(text: str) -> list[HumourHit]:
    """Text emoticons, in one pass over the characters."""
    hits: list[HumourHit] = []
    resume = 0  # a face's characters are not the start of another
    for found in _EMOTICON_START.finditer(text):
        i = found.start()
        if i < resume:
            continue
        ch = text[i]
        if ch in _SMILEY_CHARS:
            hits.append(HumourHit(i, i + 1, "emoticon", ch))
            resume = i + 1
            continue
        end = _caret_face(text, i) if ch == "^" else _colon_face(text, i)
        if end:
            hits.append(HumourHit(i, end, "emoticon", text[i:end]))
            resume = end
    return hits


def _caret_face(text: str, i: int) -> int:
    """End of "^^", "^_^" or "^.^" starting at ``i`` (0 if none)."""
    for face in ("^^", "^_^", "^.^", "^-^"):
        if text.startswith(face, i):
            end = i + len(face)
            if end < len(text) and text[end].isalnum():
                return 0
            return end
    return 0


def _colon_face(text: str, i: int) -> int:
    """End of an emoticon whose eyes are ``text[i]`` (":", ";" or "="), or 0."""
    n = len(text)
    prev = text[i - 1] if i > 0 else " "
    if prev.isdigit() or prev in _EYES:
        return 0
    if text[i] == "=" and not prev.isspace():
        return 0  # "a=b)" is code or maths, not a smile
    j = i + 1
    if j < n and text[j] in "-'^o" and j + 1 < n and text[j + 1] in _MOUTHS:
        j += 1
    if j >= n or text[j] not in _MOUTHS:
        return 0
    mouth = text[j]
    if mouth in "DPp" and prev.isalnum():
        return 0  # "Grade:D", "Typ:P" are labels; a smile has a space before it
    j += 1
    while j < n and text[j] == mouth:
        j += 1
    if j < n and (text[j].isalnum() or text[j] == "_"):
        return 0  # ":Do", "mailto:Peter"
    if mouth == "]" and text[i] == ":":
        return 0 if prev.isalnum() else j  # "[note:]" style labels stay quiet
    return j


# -- all together ------------------------------------------------------------------------


def find_humour(
    view: TextView,
    pack: Pack,
    rules: Sequence[str],
    *,
    any_emoji: bool,
    limit: int | None = None,
) -> list[HumourHit]:
    """Every humour marker in ``view`` (text order, overlaps merged, longest kept).

    ``any_emoji``: flag every picture emoji (subjects) rather than only humour emoji
    (bodies). ``limit``: ignore markers starting at or after this offset (the footer).
    """
    text = view.text if limit is None else view.text[:limit]
    hits = word_hits(view, pack, rules)
    hits.extend(emoji_hits(text, humour_only=not any_emoji))
    hits.extend(emoticon_hits(text))
    asides = _EXCLAIMED_ASIDE.finditer(text)
    hits.extend(HumourHit(m.start(), m.end(), "aside", m.group()) for m in asides)
    if limit is not None:
        hits = [h for h in hits if h.start < limit]
    hits.sort(key=lambda h: (h.start, -h.end))
    merged: list[HumourHit] = []
    for hit in hits:
        if merged and hit.start < merged[-1].end:
            continue
        merged.append(hit)
    return merged
