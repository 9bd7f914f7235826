"""The readability shortcuts equal what they replace.

``readability`` counts words, distinct words and syllables itself (each distinct word
stripped once, Pyphen asked directly) instead of calling textstat's functions, and finds
separator and quoted lines with regex scans instead of line loops. These properties pin
each shortcut to its reference: textstat's own functions, and the plain line loops.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apologylint import readability
from apologylint.readability import _textstat

# words people write, punctuation around them, contractions, odd case mappings, bullets
_PIECES = [
    "we", "are", "sorry", "Przepraszamy", "zamówienie", "niedogodności", "don't", "it's",
    "we've", "rock'n'roll", "e-mail", "DON'T", "İstanbul", "ΟΔΟΣ", "1990", "x", "ąę",
    "sorry.", "you,", "(refund)", "\"quoted\"", "end!", "why?", "…", "--", "-", "•", "*",
    "—", "–", "_", "=====", "~~~~~", "> quoted", ">", "@", "a@b.pl", "https://x.pl/a",
    "www.shop.pl", " ", "  ", "\t", "\n", "\n\n", "\u00a0", "\r", ".", ",", ";", ":",
    "students'", "'quoted'", "it's.", "-----", "______", "==-==", "*****",
]
_piece_lists = st.lists(st.sampled_from(_PIECES), max_size=60)
#: a line is a few pieces, so that whole-line forms (separators, quotes) come up often
_lines = st.lists(st.lists(st.sampled_from(_PIECES), max_size=3).map(" ".join), max_size=20)
texts = _piece_lists.map(" ".join) | _piece_lists.map("".join) | _lines.map("\n".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_counts_equal_textstats_own(text: str) -> None:
    prepared = readability.prepare(text)
    backend = _textstat()
    counts = readability._counts(prepared)
    assert counts.words == backend.counts.count_words(prepared)
    assert counts.pieces == len(prepared.split())  # the word count the rules report
    assert counts.distinct == Counter(backend.selections.list_words(prepared, lowercase=True))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_polish_syllables_equal_textstats_own(text: str) -> None:
    backend = _textstat()
    pyphen = backend.utils.get_pyphen("pl")
    for word in readability._counts(readability.prepare(text)).distinct:
        if word.isalnum():
            assert readability._points(word, pyphen) + 1 == backend.counts.count_syllables(
                word, "pl"), word


def _quoted_reference(text: str) -> list[tuple[int, int]]:
    """The line loop the regex scan replaced."""
    ranges = []
    pos = 0
    for line in text.split("\n"):
        if line.startswith(">"):
            ranges.append((pos, pos + len(line)))
        pos += len(line) + 1
    return ranges


@settings(max_examples=400, deadline=None)
@given(texts)
def test_quoted_lines_equal_the_line_loop(text: str) -> None:
    assert readability.quoted_line_starts(text) == _quoted_reference(text)


def _separators_reference(text: str) -> list[tuple[int, int, bool]]:
    """The line loop the regex scan replaced: a line that is ``--``/``—``/``–`` once
    stripped (the signature separator), or 5+ of ``-_—–=*~``."""
    found = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip(" \t\f\v\r\u00a0\u2028\u2029\x1c\x1d\x1e\x1f\x85")
        signature = stripped in ("--", "—", "–")
        if signature or (len(stripped) >= 5 and set(stripped) <= set("-_—–=*~")):
            found.append((pos, pos + len(line), signature))
        pos += len(line) + 1
    return found


@settings(max_examples=400, deadline=None)
@given(texts)
def test_separator_lines_equal_the_line_loop(text: str) -> None:
    assert list(readability._separator_lines(text)) == _separators_reference(text)


# -- the parsed hyphenation dictionaries, kept in the pack cache ----------------------

_HYPHENATION_WORDS = [
    "unbelievable", "apologise", "inconvenience", "notification", "responsibility",
    "przepraszamy", "niedogodności", "zamówienie", "bezpieczeństwa", "odpowiedzialność",
    "hyphenation", "extraordinary", "a", "ab", "abc", "abcd", "zzzzzzzz", "ąęłńóśźż",
]


@pytest.mark.parametrize("lang", ["en_US", "pl"])
def test_cached_hyphenation_equals_a_fresh_parse(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyphen

    monkeypatch.setenv("APOLOGYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    fresh = pyphen.HyphDict(path)
    readability._load_hyphenation(lang)  # parsed, and stored
    assert list(tmp_path.glob("pyphen-*.marshal"))
    monkeypatch.setattr(pyphen, "hdcache", {})

    def no_parsing(self: object, path: object) -> None:
        raise AssertionError("the dictionary was parsed again")

    monkeypatch.setattr(pyphen.HyphDict, "__init__", no_parsing)
    readability._load_hyphenation(lang)  # read back from the cache
    cached = pyphen.hdcache[path]
    assert cached.patterns == fresh.patterns
    assert cached.maxlen == fresh.maxlen
    words = _HYPHENATION_WORDS + sorted({key.strip(".") for key in fresh.patterns})[:3000]
    for word in words:
        assert cached.positions(word) == fresh.positions(word), word
    assert pyphen.Pyphen(lang=lang).hd is cached  # what textstat's objects use


def test_a_damaged_hyphenation_entry_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyphen

    monkeypatch.setenv("APOLOGYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    readability._load_hyphenation("en_US")
    (entry,) = tmp_path.glob("pyphen-*.marshal")
    entry.write_bytes(b"\x00not marshal")
    monkeypatch.setattr(pyphen, "hdcache", {})
    readability._load_hyphenation("en_US")
    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    assert pyphen.hdcache[path].positions("unbelievable") == [2, 4, 8]
    assert entry.read_bytes() != b"\x00not marshal"  # rewritten


def test_only_plain_dictionaries_are_stored() -> None:
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    parsed = pyphen.HyphDict(path)
    assert readability._plain_hyphenation(parsed)
    parsed.patterns["xyz"] = (0, (pyphen.DataInt(1, data=("ff=f", 1, 1)),))
    assert not readability._plain_hyphenation(parsed)  # nonstandard hyphenation
    del parsed.patterns["xyz"]
    parsed.extra = True
    assert not readability._plain_hyphenation(parsed)  # state this module cannot rebuild
