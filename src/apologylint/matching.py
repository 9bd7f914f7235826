"""One-pass phrase matching over words, for every vocabulary of a language pack at once.

Why words and not regular expressions: pack authors write phrases, not patterns, and a
token trie cannot backtrack, so matching stays linear in the text however hostile it is.
Text is *folded* before matching (lower case, diacritics removed, typographic apostrophes
made plain) in a way that keeps its length, so a match's offsets are offsets in the
original prose.

Phrase syntax (documented in ``docs/writing-a-language-pack.md``):

* words separated by spaces, matched whole, case- and diacritics-insensitively;
* ``stem*`` matches any word that starts with ``stem`` (Polish inflection: ``przeprasz*``);
* ``(a|b|c)`` one of several words; an empty alternative makes the word optional
  (``(any|)``); alternatives may hold several words (``(third party|vendor)``);
* ``_`` matches any one word;
* a phrase never matches across a sentence end (``. ! ? ; :``) or a paragraph break.
"""

from __future__ import annotations

import marshal
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from itertools import accumulate, compress, repeat
from operator import attrgetter, eq, itemgetter, ne, not_
from typing import Any, NamedTuple, TypeAlias, overload

# -- folding ---------------------------------------------------------------------------

_EXTRA_FOLDS = {
    "ł": "l",
    "đ": "d",
    "ø": "o",
    "ħ": "h",
    "ı": "i",
    "ŀ": "l",
    "ŧ": "t",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "‐": "-",
    "‑": "-",
    "\u00a0": " ",
}


#: Characters the fold table also maps to themselves. ``str.translate`` on a text that is
#: not all ASCII looks every character up in the table, and a character missing from it
#: costs a ``LookupError`` raised and cleared: with the common ones present, folding such
#: a text (Polish, or English with one typographic apostrophe) takes half the time.
_FOLD_IDENTITY = (range(0x0000, 0x0300), range(0x2000, 0x2070))


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(code) for block in _FOLD_IDENTITY for code in block}
    for code in range(0x00C0, 0x0250):
        ch = chr(code)
        decomposed = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[code] = base.lower()
    for src, dst in _EXTRA_FOLDS.items():
        table[ord(src)] = dst
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Lower-case, strip diacritics and plain the apostrophes, keeping the length."""
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lower-cases to two characters
        lowered = "".join(c.lower()[0] for c in text)
    return lowered.translate(_FOLD_TABLE)


# -- tokens ----------------------------------------------------------------------------

# A word: letters/digits, with inner apostrophes or hyphens ("don't", "no-reply"). A
# hashtag or a mention keeps its mark ("#fail", "@acme"), so that a pack's "#fail" means
# the hashtag and never the plain verb "fail"; an "@" inside an address ("help@acme") is
# not a mark. Each repetition must start with a separator, so the pattern cannot
# backtrack; the possessive quantifiers say so to the engine, which then keeps no
# backtracking points (measured: the split of a draft's words 7 % faster).
_WORD_RE = re.compile(r"(?:(?<![^\W_])[#@])?+[^\W_]++(?:['\-][^\W_]++)*+")
_BREAK_CHARS = frozenset(".!?;:\n")


#: The same pattern with a group, for ``split``: words and the gaps between them.
_WORD_SPLIT = re.compile(f"({_WORD_RE.pattern})")


class Token(NamedTuple):
    """A word of the folded text; ``brk`` says a sentence ends before it.

    A named tuple, not a dataclass: a long draft has tens of thousands of tokens and
    a tuple is built at C speed (measured: tokenizing takes half the time)."""

    text: str
    start: int
    end: int
    brk: bool


#: Texts of more words than this are tokenized into :class:`Tokens` (see there); about
#: 300 KB of prose, more than any email of the benchmark corpus (2-120 KB).
COMPACT_WORDS = 50_000


class Tokens(Sequence[Token]):
    """The words of a long text, as :func:`tokenize` gives them: a sequence of
    :class:`Token`, kept as parallel lists and made into a Token at each read.

    Why: a list of Token tuples costs about 200 bytes a word (the tuple, its string, its
    two offsets as Python ints, the list's slot), and a 12 MB draft has 2 M words (issue
    14). Here a word costs about 32 bytes: a slot in the list of texts (one string per
    distinct word), its two offsets in arrays, a slot in the list of flags. A read costs
    more (a Token is built each time), so short texts, nearly every email, keep the
    plain list: :data:`COMPACT_WORDS` decides.

    ``texts`` and ``brks`` are what ``language.words`` and ``language.sentence_breaks``
    serve for such a text: do not modify them.
    """

    __slots__ = ("brks", "ends", "starts", "texts")

    def __init__(self, texts: list[str], starts: array[int], ends: array[int],
                 brks: list[bool]) -> None:
        self.texts = texts
        self.starts = starts
        self.ends = ends
        self.brks = brks

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            fields = zip(self.texts[index], self.starts[index], self.ends[index],
                         self.brks[index], strict=True)
            return list(map(tuple.__new__, repeat(Token), fields))
        return tuple.__new__(Token, (self.texts[index], self.starts[index],
                                     self.ends[index], self.brks[index]))

    def __iter__(self) -> Iterator[Token]:
        fields = zip(self.texts, self.starts, self.ends, self.brks, strict=True)
        return map(tuple.__new__, repeat(Token), fields)

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same tokens (a list of them too)."""
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(map(eq, self, other))

    __hash__ = None  # type: ignore[assignment]  # compared by value, as a list is


def tokenize(folded: str, original: str | None = None) -> list[Token] | Tokens:
    """Words of already-folded text, each flagged if a sentence break precedes it: a list
    of :class:`Token`, or for a text of over :data:`COMPACT_WORDS` words the same words
    as :class:`Tokens`.

    With the ``original`` (unfolded) text, a bare line break before a word that starts in
    lower case is a hard wrap, not a break: plain-text mail is wrapped at 72 columns ("a
    recent technical error in our\nsystem"), and a sentence cut at every line end loses
    its subject, its "if" and its agent."""
    # one C-level split gives [gap, word, gap, word, ..., gap]; offsets are running sums
    parts = _WORD_SPLIT.split(folded)
    words = parts[1::2]
    if not words:
        return []
    offsets = list(accumulate(map(len, parts), initial=0))
    starts = offsets[1:-1:2]
    # map() over C callables, no bytecode per word: the gaps' break test, then the
    # tuples built by tuple.__new__ (a named tuple's own constructor is Python code)
    # a gap breaks a sentence if it has a break character, unless it is only dots,
    # colons and slashes inside a word run: "acme.example", "3.5", "10:30", "https://"
    gaps = parts[0:-2:2]
    brks = list(map(not_, map(_BREAK_CHARS.isdisjoint, gaps)))
    # only the gaps with a break character (about one word in ten) are looked at again
    cased = original if original is not None and len(original) == len(folded) else None
    for i in compress(range(len(brks)), brks):
        gap = gaps[i]
        if not gap.strip(".:/"):  # only dots, colons, slashes: "acme.example", "10:30"
            brks[i] = False
        elif cased is not None and gap.strip(" \t\r") == "\n" and cased[starts[i]].islower():
            brks[i] = False  # a bare line break, then a lower-case word: a hard wrap
    brks[0] = True
    ends = offsets[2::2]
    if len(words) > COMPACT_WORDS:
        del parts, gaps, offsets  # the split and its sums: freed before the arrays are made
        # one string object per distinct word, shared by all its tokens: a long draft
        # says "we" and "your" thousands of times
        distinct: dict[str, str] = {}
        words = list(map(distinct.setdefault, words, words))
        return Tokens(words, array("l", starts), array("l", ends), brks)
    fields = zip(words, starts, ends, brks, strict=True)
    return list(map(tuple.__new__, repeat(Token), fields))


# -- phrases ---------------------------------------------------------------------------

_MAX_EXPANSIONS = 20000
#: Distinct words whose first trie step is remembered per matcher (then it starts over).
_MAX_FIRST_STEPS = 200_000


class PhraseError(ValueError):
    """A phrase in a pack that cannot be compiled (names the phrase)."""


# A phrase parsed at the character level: a sequence of literal chunks and groups, each
# group a list of alternative sequences. Groups may nest and may sit inside a word.
_Seq: TypeAlias = list["str | list[_Seq]"]


class _PhraseParser:
    """Recursive descent over ``seq := (char | "(" seq ("|" seq)* ")")*``."""

    def __init__(self, phrase: str, folded: str) -> None:
        self.phrase = phrase
        self.text = folded
        self.pos = 0

    def parse(self) -> _Seq:
        seq = self._sequence(top=True)
        if self.pos != len(self.text):
            raise PhraseError(f"unbalanced ')' in phrase {self.phrase!r}")
        return seq

    def _sequence(self, top: bool) -> _Seq:
        seq: _Seq = []
        chunk: list[str] = []
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in "|)":
                if top:
                    raise PhraseError(f"unbalanced '{ch}' in phrase {self.phrase!r}")
                break
            if ch == "(":
                if chunk:
                    seq.append("".join(chunk))
                    chunk = []
                self.pos += 1
                seq.append(self._alternatives())
                continue
            chunk.append(ch)
            self.pos += 1
        if chunk:
            seq.append("".join(chunk))
        return seq

    def _alternatives(self) -> list[_Seq]:
        options: list[_Seq] = []
        while True:
            options.append(self._sequence(top=False))
            if self.pos >= len(self.text):
                raise PhraseError(f"unbalanced '(' in phrase {self.phrase!r}")
            ch = self.text[self.pos]
            self.pos += 1
            if ch == ")":
                return options


def _parse(phrase: str) -> _Seq:
    return _PhraseParser(phrase, fold(" ".join(phrase.split()))).parse()


def _expand_chars(seq: _Seq, phrase: str) -> list[str]:
    """Every string a parsed sequence stands for (capped: a pack cannot explode)."""
    results = [""]
    for element in seq:
        if isinstance(element, str):
            options = [element]
        else:
            options = [form for branch in element for form in _expand_chars(branch, phrase)]
        if len(results) * len(options) > _MAX_EXPANSIONS:
            raise PhraseError(f"phrase {phrase!r} expands to over {_MAX_EXPANSIONS} forms")
        results = [a + b for a in results for b in options]
    return results


_GROUP_CHARS = frozenset("()|")


def expand_phrase(phrase: str) -> list[tuple[str, ...]]:
    """All word sequences a phrase stands for, with ``(a|b)`` groups expanded.

    The trie is built from these forms; rules that compare words directly use them too.
    """
    if not _GROUP_CHARS.intersection(phrase):  # most phrases: one form, nothing to parse
        words = tuple(_words(fold(phrase)))
        if words:
            return [words]
        raise PhraseError(f"phrase {phrase!r} matches nothing")
    forms = _expand_chars(_parse(phrase), phrase)
    cleaned = list(dict.fromkeys(w for w in (tuple(_words(f)) for f in forms) if w))
    if not cleaned:
        raise PhraseError(f"phrase {phrase!r} matches nothing")
    return cleaned


def _words(text: str) -> list[str]:
    """Pattern words of a plain chunk: word tokens, keeping ``*`` suffixes and ``_``."""
    words: list[str] = []
    for raw in text.split():
        words.extend(_pattern_word(raw))
    return words


@cache
def _pattern_word(raw: str) -> tuple[str, ...]:
    """One space-free chunk of a phrase as pattern words (cached: packs repeat them)."""
    if raw == "_":
        return ("_",)
    star = raw.endswith("*")
    core = raw[:-1] if star else raw
    found = _WORD_RE.findall(core)
    if not found:
        raise PhraseError(f"pattern word {raw!r} has no letters")
    if star:
        found[-1] += "*"
    return tuple(found)


class Entry(NamedTuple):
    """What a phrase means when it matches: which vocabulary, the phrase, a suggestion.

    A named tuple: a compiled pack read from the cache rebuilds ~7,500 of them at C
    speed (a frozen dataclass took 11 ms of a one-file lint)."""

    vocabulary: str
    phrase: str
    suggestion: str | None = None


#: A trie node is a plain dict, so that a compiled pack can be stored with :mod:`marshal`
#: and read back in milliseconds (see :mod:`apologylint.packcache`). Its keys: a folded
#: word -> the child it leads to; and these keys, which no token can be (tokens are
#: non-empty runs of letters and digits):
_ENTRIES = ""  # -> tuple of indices into the matcher's entry table (phrases ending here)
_STEMS = "*"  # -> {stem length: {stem: child}} for ``stem*`` words
_ANY = "_"  # -> the child for ``_`` (any one word)
_SPECIAL = "+"  # present (True) when the node has stems or an any-word child
Node: TypeAlias = dict[str, Any]


def _child(node: Node, word: str) -> Node | None:
    """The child a pattern word (plain, ``stem*`` or ``_``) leads to, if any."""
    if word == "_":
        found: Node | None = node.get(_ANY)
        return found
    if word[-1] == "*":
        stems = node.get(_STEMS)
        return None if stems is None else stems.get(len(word) - 1, {}).get(word[:-1])
    found = node.get(word)
    return found


def _put(node: Node, word: str, child: Node) -> None:
    if word == "_":
        node[_ANY] = child
        node[_SPECIAL] = True
    elif word[-1] == "*":
        node.setdefault(_STEMS, {}).setdefault(len(word) - 1, {})[word[:-1]] = child
        node[_SPECIAL] = True
    else:
        node[word] = child


def _stored(node: Node | bytes) -> bytes:
    """A subtree as marshal bytes (one already stored stays as it is)."""
    return node if type(node) is bytes else marshal.dumps(node)


def _step(node: Node, word: str) -> list[Node]:
    """Every child a text word leads to: the exact word, each stem it starts with, any."""
    found: list[Node] = []
    child = node.get(word)
    if child is not None:
        found.append(child)
    stems = node.get(_STEMS)
    if stems is not None:
        for length, bucket in stems.items():
            if len(word) >= length:
                child = bucket.get(word[:length])
                if child is not None:
                    found.append(child)
    child = node.get(_ANY)
    if child is not None:
        found.append(child)
    return found


class Match(NamedTuple):
    """A phrase found in a text: offsets into that text, token indices, what it means.

    A named tuple for speed (a draft yields thousands); never sort bare matches."""

    entry: Entry
    start: int
    end: int
    first_token: int
    last_token: int

    @property
    def vocabulary(self) -> str:
        return self.entry.vocabulary


#: Where a vocabulary's phrases match in a text, flat: ``[entry, first_token,
#: last_token, entry, first_token, last_token, ...]`` (entry: an index into the
#: matcher's entry table). See :meth:`PhraseMatcher.find_hits`.
Hits: TypeAlias = list[int]
_token_start = attrgetter("start")
_token_end = attrgetter("end")


class PhraseMatcher:
    """Every phrase of every vocabulary in one trie, matched in one pass over the words."""

    def __init__(self) -> None:
        self._root: Node = {}
        self._entries: list[Entry] = []  # entry index -> entry
        self._index: dict[Entry, int] = {}  # entry -> its index (equal entries share one)
        self._vocabulary_of: list[str] = []  # entry index -> its vocabulary
        self.max_len = 0
        self.vocabularies: set[str] = set()
        # word -> the root's children it enters: a memo of the (immutable once built)
        # trie, so that the first step of every word costs one dict lookup
        self._first: dict[str, tuple[Node, ...]] = {}
        self._stored = False  # some subtrees are marshal bytes, read from the cache

    def add(self, phrase: str, entry: Entry) -> None:
        """Add every form of a phrase to the trie.

        Forms are expanded (the trie is a tree, so no phrase can match a sequence it does
        not stand for); shared prefixes share nodes. A graph that re-joined alternatives
        would be smaller, but must copy shared nodes on write to stay exact; compiled
        packs are cached on disk instead (:mod:`apologylint.packcache`).
        """
        self._first.clear()
        if self._stored:
            self._decode_all()
        if len(self._index) != len(self._entries):  # read from the cache: index it now
            self._index = {e: i for i, e in enumerate(self._entries)}
        index = self._index.get(entry)
        if index is None:
            index = self._index[entry] = len(self._entries)
            self._entries.append(entry)
        for words in expand_phrase(phrase):
            node = self._root
            for word in words:
                child = _child(node, word)
                if child is None:
                    child = {}
                    _put(node, word, child)
                node = child
            ending: tuple[int, ...] = node.get(_ENTRIES, ())
            if index not in ending:
                node[_ENTRIES] = (*ending, index)
            self.max_len = max(self.max_len, len(words))
        self.vocabularies.add(entry.vocabulary)

    def add_all(self, phrases: Iterable[tuple[str, Entry]]) -> None:
        for phrase, entry in phrases:
            self.add(phrase, entry)

    # -- storage ------------------------------------------------------------------------

    def to_data(self) -> tuple[Any, ...]:
        """The compiled trie as builtins only (dicts, tuples, strings, ints, bytes): what
        :mod:`marshal` can store. :meth:`from_data` is the inverse.

        Each word that can start a phrase keeps its subtree as marshal bytes, decoded when
        a text first has that word: a draft meets a few hundred of the 2,400 English
        first words, and decoding the whole trie was 8.5 ms of a one-file lint.
        """
        entries = tuple((e.vocabulary, e.phrase, e.suggestion) for e in self._entries)
        root: Node = {}
        for key, child in self._root.items():
            if key == _STEMS:
                root[key] = {length: {stem: _stored(node) for stem, node in bucket.items()}
                             for length, bucket in child.items()}
            elif key in (_ANY, _ENTRIES, _SPECIAL):
                root[key] = child
            else:
                root[key] = _stored(child)
        return (root, entries, self.max_len, tuple(sorted(self.vocabularies)))

    @classmethod
    def from_data(cls, data: tuple[Any, ...]) -> PhraseMatcher:
        root, entries, max_len, vocabularies = data
        matcher = cls()
        matcher._root = root
        matcher._stored = True  # subtrees still stored as bytes (see to_data)
        matcher._entries = list(map(tuple.__new__, repeat(Entry), entries))
        matcher.max_len = max_len
        matcher.vocabularies = set(vocabularies)
        return matcher

    def _root_step(self, word: str) -> list[Node]:
        """:func:`_step` from the root, decoding the subtrees it enters (see
        :meth:`to_data`)."""
        root = self._root
        child = root.get(word)
        if type(child) is bytes:
            root[word] = marshal.loads(child)
        stems = root.get(_STEMS)
        if stems is not None:
            for length, bucket in stems.items():
                stem = word[:length]
                if len(word) >= length and type(bucket.get(stem)) is bytes:
                    bucket[stem] = marshal.loads(bucket[stem])
        return _step(root, word)

    def _decode_all(self) -> None:
        """Decode every stored subtree (before the trie is changed)."""
        self._stored = False
        root = self._root
        for key, child in list(root.items()):
            if type(child) is bytes:
                root[key] = marshal.loads(child)
        for bucket in root.get(_STEMS, {}).values():
            for stem, child in list(bucket.items()):
                if type(child) is bytes:
                    bucket[stem] = marshal.loads(child)

    # -- matching -----------------------------------------------------------------------

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """All matches in text order (by first, then last word); overlapping matches of
        different phrases are kept, and a phrase matches a span once however many of its
        forms fit it."""
        found = [m for matches in self.find_by_vocabulary(tokens).values() for m in matches]
        found.sort(key=itemgetter(3, 4))  # stable: phrases of one span keep their order
        return found

    def find_by_vocabulary(self, tokens: Sequence[Token]) -> dict[str, list[Match]]:
        """All matches, grouped by vocabulary, each group in text order."""
        return {vocabulary: self.matches_of(hits, tokens)
                for vocabulary, hits in self.find_hits(tokens).items()}

    def matches_of(self, hits: Hits, tokens: Sequence[Token]) -> list[Match]:
        """The matches that :meth:`find_hits` found for one vocabulary, in its order.

        Built at C level: the entry, the first token's start and the last token's end
        looked up by ``map``, the tuples made by ``tuple.__new__``."""
        firsts = hits[1::3]
        lasts = hits[2::3]
        starts: Iterable[int]
        ends: Iterable[int]
        if isinstance(tokens, Tokens):  # the offsets straight from its arrays
            starts = map(tokens.starts.__getitem__, firsts)
            ends = map(tokens.ends.__getitem__, lasts)
        else:
            starts = map(_token_start, map(tokens.__getitem__, firsts))
            ends = map(_token_end, map(tokens.__getitem__, lasts))
        fields = zip(map(self._entries.__getitem__, hits[0::3]), starts, ends, firsts, lasts,
                     strict=True)
        return list(map(tuple.__new__, repeat(Match), fields))

    def find_hits(self, tokens: Sequence[Token]) -> dict[str, Hits]:
        """Where each vocabulary's phrases match, as :data:`Hits` (turned into matches by
        :meth:`matches_of`): what :class:`~apologylint.context.TextView` keeps, grouped by
        vocabulary as they are found, each group in text order.

        Hits, not matches: a rule set reads about a third of the vocabularies of a
        draft, and three list items per hit instead of a :class:`Match` (a tuple of five,
        ~100 bytes) keep the rest small; a 12 MB draft has 3 M hits (issue 14). It is
        faster too: the walk only appends three ints per hit.

        Linear in the number of words: from each word at most ``max_len`` steps are taken,
        and the set of live nodes is de-duplicated at every step, so it never exceeds the
        number of nodes at that depth.
        """
        groups: dict[str, Hits] = {}
        table = self._entries
        vocabulary_of = self._vocabulary_of
        if len(vocabulary_of) != len(table):  # entries were added: name them again
            vocabulary_of = self._vocabulary_of = [entry.vocabulary for entry in table]
        root = self._root
        n = len(tokens)
        max_len = self.max_len
        first_step = self._first
        if len(first_step) > _MAX_FIRST_STEPS:
            first_step.clear()
        # A phrase that starts with "_" ("_ days ago") would make every word start a
        # match: the root's any-word child is left out of the memoised first steps and
        # joined only when the next word can follow it (measured: it doubled the time).
        lead_any: Node | None = root.get(_ANY)
        # the first step of every word, looked up at C level: a third of the words
        # start no phrase and are never visited in Python
        texts = tokens.texts if isinstance(tokens, Tokens) else list(map(itemgetter(0), tokens))
        for word in set(texts).difference(first_step):
            found = self._root_step(word)
            if lead_any is not None:
                found = [node for node in found if node is not lead_any]
            first_step[word] = tuple(found)
        starting: list[Sequence[Node]] = list(map(first_step.__getitem__, texts))
        if lead_any is not None:
            if _ENTRIES in lead_any or _SPECIAL in lead_any:
                leads: Iterable[int] = range(n)
            else:
                leads = compress(range(n - 1), map(lead_any.__contains__, texts[1:]))
            for i in leads:
                starting[i] = (*starting[i], lead_any)
        for i in compress(range(n), starting):
            active: Sequence[Node] = starting[i]
            j = i
            while active:
                if len(active) == 1:  # one node (most steps): no de-duplication
                    node = active[0]
                    ending = node.get(_ENTRIES)
                    if ending is not None:
                        for k in ending:
                            try:
                                groups[vocabulary_of[k]].extend((k, i, j))
                            except KeyError:
                                groups[vocabulary_of[k]] = [k, i, j]
                        if len(node) == 1:  # a leaf: nothing can follow
                            break
                else:
                    seen: set[int] = set()
                    for node in active:
                        for k in node.get(_ENTRIES, ()):
                            if k not in seen:
                                seen.add(k)
                                try:
                                    groups[vocabulary_of[k]].extend((k, i, j))
                                except KeyError:
                                    groups[vocabulary_of[k]] = [k, i, j]
                j += 1
                if j >= n or j - i >= max_len:
                    break
                token = tokens[j]
                if token.brk:
                    break
                word = token.text
                if len(active) == 1 and _SPECIAL not in active[0]:  # one plain step
                    child = active[0].get(word)
                    if child is None:
                        break
                    active = (child,)
                    continue
                following: list[Node] = []
                for node in active:
                    if _SPECIAL in node:
                        following.extend(_step(node, word))
                    else:
                        child = node.get(word)
                        if child is not None:
                            following.append(child)
                active = _unique(following) if len(following) > 1 else following
        return groups


def covered_tokens(matches: Iterable[Match]) -> set[int]:
    """Token indices covered by some of ``matches``.

    Most matches are one word: their tokens are collected at C level, and only
    multi-word matches are visited in Python (the negation, clause-stop and first-person
    vocabularies match thousands of times in a long draft)."""
    listed = matches if isinstance(matches, list) else list(matches)
    firsts = list(map(attrgetter("first_token"), listed))
    lasts = list(map(attrgetter("last_token"), listed))
    covered = set(firsts)
    for first, last in compress(zip(firsts, lasts, strict=True), map(ne, firsts, lasts)):
        covered.update(range(first + 1, last + 1))
    return covered


def _unique(nodes: Iterable[Node]) -> list[Node]:
    return list({id(node): node for node in nodes}.values())


@lru_cache(maxsize=4096)
def phrase_words(phrase: str) -> tuple[tuple[str, ...], ...]:
    """Expanded forms of a phrase (cached), for rules that compare words directly."""
    return tuple(expand_phrase(phrase))


def word_set(words: Iterable[str]) -> frozenset[str]:
    """Folded single words, for quick membership tests (detection lists, stop words)."""
    return frozenset(fold(w).strip() for w in words if w.strip())
