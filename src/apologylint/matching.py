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

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

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


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
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

# A word: letters/digits, with inner apostrophes or hyphens ("don't", "no-reply").
# Each repetition must start with a separator, so the pattern cannot backtrack.
_WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_BREAK_CHARS = frozenset(".!?;:\n")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the folded text; ``brk`` says a sentence ends before it."""

    text: str
    start: int
    end: int
    brk: bool


def tokenize(folded: str) -> list[Token]:
    """Words of already-folded text, each flagged if a sentence break precedes it."""
    tokens: list[Token] = []
    prev_end = 0
    for m in _WORD_RE.finditer(folded):
        start = m.start()
        gap = folded[prev_end:start]
        brk = not tokens or any(c in _BREAK_CHARS for c in gap)
        tokens.append(Token(m.group(), start, m.end(), brk))
        prev_end = m.end()
    return tokens


# -- phrases ---------------------------------------------------------------------------

_MAX_EXPANSIONS = 20000


class PhraseError(ValueError):
    """A phrase in a pack that cannot be compiled (names the phrase)."""


class _PhraseParser:
    """Recursive descent over ``seq := (char | "(" seq ("|" seq)* ")")*``.

    Expansion is on characters, so groups may nest and may sit inside a word:
    ``(we|i) apologi(s|z)e``, ``(sent (you|us)|emailed)``. Each form is then split into
    words. The number of forms is capped so that a pack cannot explode.
    """

    def __init__(self, phrase: str, folded: str) -> None:
        self.phrase = phrase
        self.text = folded
        self.pos = 0

    def parse(self) -> list[str]:
        forms = self._sequence(top=True)
        if self.pos != len(self.text):
            raise PhraseError(f"unbalanced ')' in phrase {self.phrase!r}")
        return forms

    def _sequence(self, top: bool) -> list[str]:
        results = [""]
        chunk: list[str] = []
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in "|)":
                if top:
                    raise PhraseError(f"unbalanced '{ch}' in phrase {self.phrase!r}")
                break
            if ch == "(":
                results = self._product(results, ["".join(chunk)])
                chunk = []
                self.pos += 1
                results = self._product(results, self._alternatives())
                continue
            chunk.append(ch)
            self.pos += 1
        return self._product(results, ["".join(chunk)])

    def _alternatives(self) -> list[str]:
        options: list[str] = []
        while True:
            options.extend(self._sequence(top=False))
            if self.pos >= len(self.text):
                raise PhraseError(f"unbalanced '(' in phrase {self.phrase!r}")
            ch = self.text[self.pos]
            self.pos += 1
            if ch == ")":
                return options

    def _product(self, left: list[str], right: list[str]) -> list[str]:
        if len(left) * len(right) > _MAX_EXPANSIONS:
            raise PhraseError(
                f"phrase {self.phrase!r} expands to over {_MAX_EXPANSIONS} forms"
            )
        return [a + b for a in left for b in right]


def expand_phrase(phrase: str) -> list[tuple[str, ...]]:
    """All word sequences a phrase stands for, with ``(a|b)`` groups expanded."""
    folded = fold(" ".join(phrase.split()))
    forms = _PhraseParser(phrase, folded).parse()
    cleaned = list(dict.fromkeys(w for w in (tuple(_words(f)) for f in forms) if w))
    if not cleaned:
        raise PhraseError(f"phrase {phrase!r} matches nothing")
    return cleaned


def _words(text: str) -> list[str]:
    """Pattern words of a plain chunk: word tokens, keeping ``*`` suffixes and ``_``."""
    words: list[str] = []
    for raw in text.split():
        if raw == "_":
            words.append("_")
            continue
        star = raw.endswith("*")
        core = raw[:-1] if star else raw
        found = _WORD_RE.findall(core)
        if not found:
            if star or core:
                raise PhraseError(f"pattern word {raw!r} has no letters")
            continue
        for i, w in enumerate(found):
            words.append(w + "*" if star and i == len(found) - 1 else w)
    return words


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase means when it matches: which vocabulary, the phrase, a suggestion."""

    vocabulary: str
    phrase: str
    suggestion: str | None = None


@dataclass(slots=True)
class _Node:
    exact: dict[str, _Node] = field(default_factory=dict)
    # prefix length -> {prefix: node}: one dict lookup per distinct length
    prefix: dict[int, dict[str, _Node]] = field(default_factory=dict)
    any: _Node | None = None
    entries: list[Entry] = field(default_factory=list)

    def child(self, word: str) -> _Node:
        if word == "_":
            if self.any is None:
                self.any = _Node()
            return self.any
        if word.endswith("*"):
            stem = word[:-1]
            bucket = self.prefix.setdefault(len(stem), {})
            node = bucket.get(stem)
            if node is None:
                node = bucket[stem] = _Node()
            return node
        node = self.exact.get(word)
        if node is None:
            node = self.exact[word] = _Node()
        return node

    def step(self, word: str) -> Iterator[_Node]:
        node = self.exact.get(word)
        if node is not None:
            yield node
        for length, bucket in self.prefix.items():
            if len(word) >= length:
                node = bucket.get(word[:length])
                if node is not None:
                    yield node
        if self.any is not None:
            yield self.any


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in a text: offsets into that text, token indices, what it means."""

    entry: Entry
    start: int
    end: int
    first_token: int
    last_token: int

    @property
    def vocabulary(self) -> str:
        return self.entry.vocabulary


class PhraseMatcher:
    """Every phrase of every vocabulary in one trie, matched in one pass over the words."""

    def __init__(self) -> None:
        self._root = _Node()
        self.max_len = 0
        self.vocabularies: set[str] = set()

    def add(self, phrase: str, entry: Entry) -> None:
        for words in expand_phrase(phrase):
            node = self._root
            for word in words:
                node = node.child(word)
            node.entries.append(entry)
            self.max_len = max(self.max_len, len(words))
        self.vocabularies.add(entry.vocabulary)

    def add_all(self, phrases: Iterable[tuple[str, Entry]]) -> None:
        for phrase, entry in phrases:
            self.add(phrase, entry)

    def find(self, tokens: list[Token]) -> list[Match]:
        """All matches, in text order; overlapping matches of different phrases are kept."""
        matches: list[Match] = []
        root = self._root
        n = len(tokens)
        max_len = self.max_len
        for i in range(n):
            first = tokens[i]
            active = list(root.step(first.text))
            j = i
            while active:
                for node in active:
                    for entry in node.entries:
                        matches.append(Match(entry, first.start, tokens[j].end, i, j))
                j += 1
                if j >= n or j - i >= max_len or tokens[j].brk:
                    break
                word = tokens[j].text
                active = [nxt for node in active for nxt in node.step(word)]
        return matches


@lru_cache(maxsize=4096)
def phrase_words(phrase: str) -> tuple[tuple[str, ...], ...]:
    """Expanded forms of a phrase (cached), for rules that compare words directly."""
    return tuple(expand_phrase(phrase))


def word_set(words: Iterable[str]) -> frozenset[str]:
    """Folded single words, for quick membership tests (detection lists, stop words)."""
    return frozenset(fold(w).strip() for w in words if w.strip())
