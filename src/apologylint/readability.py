"""Offline readability and the extent of the prose a reader actually reads.

Two jobs, both shared by the brevity and tone rules:

* :func:`body_end` — where the footer starts (signature separator, unsubscribe block,
  postal address), so that word counts and readability measure the apology, not the
  boilerplate under it;
* :func:`score` — a readability score per language, computed with textstat's own
  counting functions **without ever touching NLTK**.

Why not simply ``textstat.flesch_kincaid_grade``: for English, textstat counts syllables
with the CMU dictionary from NLTK and, when the corpus is missing, *fetches it from the
internet at run time*. apologylint must never touch the network, so for
English we take textstat's words-per-sentence and list of words and count syllables with
Pyphen's bundled ``en_US`` hyphenation dictionary — exactly textstat's own fallback path
for words the CMU dictionary does not know — and apply the Flesch–Kincaid grade formula.
Polish has no CMU dictionary in textstat, so ``count_syllables(..., "pl")`` is already
offline (Pyphen ``pl_PL``). For Polish we use the Gunning fog index with textstat's Polish
setting (a hard word has 4 or more syllables, as in Pisarek's FOG-PL used by Jasnopis);
see ``docs/readability.md`` for the calibration. textstat is imported lazily: it imports
NLTK (the package, not a corpus), which costs a noticeable fraction of a second.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from operator import mul
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import TEMPLATE_MARK

if TYPE_CHECKING:
    from .context import Context

#: Texts shorter than this are not scored: a formula over two sentences is noise.
MIN_WORDS = 40

#: The measure used per language (pack code -> human name).
MEASURES: dict[str, str] = {
    "en": "Flesch-Kincaid grade",
    "pl": "FOG-PL (Gunning fog, hard words of 4+ syllables)",
}

#: Pyphen dictionary per language, as textstat names them.
_PYPHEN_LANG = {"en": "en_US", "pl": "pl_PL"}

# -- footer -----------------------------------------------------------------------------

FOOTER_VOCABULARY = "too-long.footer"
#: A trailing paragraph longer than this is prose, whatever it mentions.
_MAX_FOOTER_WORDS = 70
_MAX_ADDRESS_WORDS = 40

# Postal codes: Polish 00-000, US "CA 95816" / "95816-1234", UK "LS6 2QF", generic 4-5 digits
# after a comma. Bounded, non-nested patterns: no catastrophic backtracking.
_POSTCODE_RE = re.compile(
    r"(?<![\w-])\d{2}-\d{3}(?![\w-])"
    r"|\b[A-Z]{2} \d{5}(?:-\d{4})?\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"
)
#: A line that is a separator once stripped: "--" (its trailing space collapsed), "—", "–"
#: (the group: kind 2), or a rule of 5+ dashes/underscores/... (kind 1). Possessive runs
#: and disjoint classes: each line is tried once, so the scan is linear.
_SEPARATOR = r"[^\S\n]*+(--|—|–|[-_—–=*~]{5,}+)[^\S\n]*+(?=\n|\Z)"
_FIRST_SEPARATOR = re.compile(_SEPARATOR)
#: The other lines: the line break is a literal the engine searches for in C (``(?m)^``
#: is tried at every character: measured 15x slower).
_NEXT_SEPARATOR = re.compile("\n" + _SEPARATOR)


def _separator_lines(text: str) -> Iterator[tuple[int, int, bool]]:
    """(line start, line end, is the signature separator) of each separator line."""
    first = _FIRST_SEPARATOR.match(text)
    if first is not None:
        yield 0, first.end(), first.group(1) in ("--", "—", "–")
    for sep in _NEXT_SEPARATOR.finditer(text):
        yield sep.start() + 1, sep.end(), sep.group(1) in ("--", "—", "–")


def body_end(ctx: Context) -> int:
    """Prose offset where the footer starts (``len(prose)`` when there is none); computed
    once per draft and shared by every rule that measures the body."""
    return ctx.cached("readability.body_end", lambda: _find_body_end(ctx))


def _find_body_end(ctx: Context) -> int:
    """Where the footer starts.

    Evidence, in order: the loader's ``footer_start`` (an HTML ``<footer>`` or footer
    class), the last signature separator line (``--``) with prose before it, then
    trailing paragraphs that look like boilerplate: an unsubscribe/preferences/legal
    line from the pack's ``too-long.footer`` list, a copyright sign or a postal code.
    Only *trailing* paragraphs are dropped, so an apology that mentions "email
    preferences" in its middle keeps every word.
    """
    text = ctx.draft.prose.text
    end = len(text)
    marked = ctx.draft.extra.get("footer_start")
    if isinstance(marked, int) and 0 <= marked < end and text[:marked].strip():
        end = marked
    # signature separator: the first "--" line with some prose before it. The separator
    # lines are found by a regex scan and the words before one counted only up to the
    # threshold, not by a Python loop over every line (measured on the bench corpus with
    # the shared paragraphs below: body_end 0.031 s -> 0.009 s).
    words_before = 0
    counted_to = 0
    for pos, line_end, signature in _separator_lines(text):
        if pos >= end:
            break
        if words_before < 10:
            words_before += len(text[counted_to:pos].split())
            counted_to = pos
        if words_before < 10:
            continue
        if signature or (
            end - line_end <= 1500 and len(text[line_end:end].split()) <= _MAX_FOOTER_WORDS
        ):
            end = pos
            break
    # trailing boilerplate paragraphs
    footer_matches = ctx.body.matches(FOOTER_VOCABULARY) if ctx.pack is not None else []
    match_starts = sorted(m.start for m in footer_matches)
    trailing = [(s, e) for s, e in ctx.draft.prose.paragraphs() if s < end]
    while len(trailing) > 1:
        start, stop = trailing[-1]
        stop = min(stop, end)
        chunk = text[start:stop]
        words = len(chunk.split())
        first = bisect.bisect_left(match_starts, start)
        has_phrase = first < len(match_starts) and match_starts[first] < stop
        looks_legal = "©" in chunk or has_phrase
        looks_address = words <= _MAX_ADDRESS_WORDS and _POSTCODE_RE.search(chunk) is not None
        if (looks_legal and words <= _MAX_FOOTER_WORDS) or looks_address:
            end = start
            trailing.pop()
            continue
        break
    # do not end on the separator paragraph's own whitespace
    while end > 0 and text[end - 1] in " \n":
        end -= 1
    return end


#: A quoted line after the first: the line break is a literal the engine searches for in
#: C (``(?m)^>`` would be tried at every character).
_QUOTED_LINE = re.compile(r"\n>[^\n]*")


def quoted_line_starts(text: str) -> list[tuple[int, int]]:
    """(start, end) of lines that quote an earlier message (``> ...``): not the draft's voice.

    Found by a regex scan, not a Python loop over every line (measured: most drafts have
    no ``>`` at all, and the others are scanned in C)."""
    if ">" not in text:
        return []
    ranges: list[tuple[int, int]] = []
    if text.startswith(">"):
        first_end = text.find("\n")
        ranges.append((0, len(text) if first_end == -1 else first_end))
    ranges.extend((m.start() + 1, m.end()) for m in _QUOTED_LINE.finditer(text))
    return ranges


def quote_test(text: str) -> Callable[[int], bool]:
    """A fast ``is_quoted(offset)`` for the quoted lines of ``text`` (bisect, not a scan)."""
    return _in_ranges(quoted_line_starts(text))


def _in_ranges(ranges: list[tuple[int, int]]) -> Callable[[int], bool]:
    """``offset in any of ranges`` for sorted, disjoint (start, end) ranges, by bisection."""
    if not ranges:
        return lambda offset: False
    starts = [s for s, _ in ranges]

    def inside(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < ranges[i][1]

    return inside


#: Opening quotation mark -> the marks that may close it.
_QUOTE_PAIRS = {"“": "”\"", "„": "”“\"", "«": "»", "»": "«", '"': '"”', "‘": "’", "‚": "’‘"}
#: Longer than this, a "quotation" is more likely an unbalanced mark than a mention.
_MAX_QUOTATION = 200
_QUOTE_OPENER = re.compile("[" + re.escape("".join(_QUOTE_PAIRS)) + "]")
#: For each opening mark: where its quotation ends (a closing mark, or the line).
_QUOTE_END = {
    mark: re.compile("[" + re.escape(closers) + "\n]") for mark, closers in _QUOTE_PAIRS.items()
}


def quotation_test(text: str) -> Callable[[int], bool]:
    """A fast ``in_quotation(offset)``: inside a short quotation on one line.

    A draft that quotes the wrong email ("we sent you the subject line “Oops, you forgot
    something!”") mentions those words; it does not say them. One linear scan pairs each
    opening mark with the next closing mark on the same line.
    """
    ranges: list[tuple[int, int]] = []
    n = len(text)
    resume = 0  # a quotation's closing mark opens nothing
    for opener in _QUOTE_OPENER.finditer(text):  # the scans in C, not per character
        i = opener.start()
        ch = text[i]
        if i < resume or (ch == "‘" and i > 0 and text[i - 1].isalnum()):
            continue
        end = _QUOTE_END[ch].search(text, i + 1, min(n, i + 1 + _MAX_QUOTATION))
        if end is not None and text[end.start()] != "\n":
            ranges.append((i, end.start() + 1))
            resume = end.start() + 1
    return _in_ranges(ranges)


# -- scores -----------------------------------------------------------------------------


class Score(NamedTuple):
    """A readability figure for one text."""

    measure: str
    value: float
    words: int


_BULLETS = frozenset("-•*–—·▪●◦")


def prepare(text: str) -> str:
    """Prose as a readability formula expects it.

    Every line becomes a sentence (headings, bullets and button labels have no full stop,
    and textstat would glue them to the next sentence into one endless one); template
    marks, URLs and addresses are dropped (they are not words a reader reads as words).
    """
    sentences: list[str] = []
    for raw_line in text.replace(TEMPLATE_MARK, " ").split("\n"):
        if "@" in raw_line or "://" in raw_line or "www." in raw_line:
            words = _without_addresses(raw_line)
        else:
            words = raw_line.split()  # the common case: no word-by-word loop
        while words and _BULLETS.issuperset(words[0]):  # a word of bullets only
            words.pop(0)
        if not words:
            continue
        line = " ".join(words).rstrip(",;:–—-")
        if not line:
            continue
        if line[-1] not in ".!?…":
            line += "."
        sentences.append(line)
    return " ".join(sentences)


def _without_addresses(raw_line: str) -> list[str]:
    """The words of a line without URLs and e-mail addresses."""
    words: list[str] = []
    for word in raw_line.split():
        if "@" in word or "://" in word or "www." in word:  # not any(...): no generator
            # drop the address but keep a full stop that ended the sentence
            if word[-1] in ".!?" and words:
                words[-1] += word[-1]
            continue
        words.append(word)
    return words


def _textstat() -> Any:
    """textstat's backend, imported on first use with NLTK fenced off.

    textstat imports NLTK (the package) only to reach the CMU dictionary, which it would
    download at run time; we never take that path. Importing it behind a stub module
    saves ~0.15 s of start-up and makes the download path fail loudly instead of reaching
    the network. The stub is removed from ``sys.modules`` right after, so an application
    that imports the real NLTK later gets the real one.
    """
    import sys
    import types

    loaded = sys.modules.get("textstat")
    if loaded is not None:
        return loaded.backend
    stub: types.ModuleType | None = None
    if "nltk" not in sys.modules:
        stub = types.ModuleType("nltk")
        stub.__getattr__ = _refuse_nltk  # type: ignore[method-assign]
        sys.modules["nltk"] = stub
    try:
        from textstat import backend
    finally:
        if stub is not None and sys.modules.get("nltk") is stub:
            del sys.modules["nltk"]
    return backend


def _refuse_nltk(name: str) -> Any:
    raise RuntimeError(
        f"apologylint does not use NLTK (asked for nltk.{name}): "
        "readability is computed offline with Pyphen"
    )


def hyphenator(lang: str) -> Any:
    """textstat's Pyphen object for ``lang`` (textstat's name for it: "en_US", "pl").

    Pyphen parses its hyphenation dictionary in every process that asks for it (the
    English one: 11,000 patterns, ~30 ms, a sixth of a one-file lint). The parsed
    patterns are kept in the pack cache (:mod:`apologylint.packcache`) and put where
    Pyphen keeps its own parsed dictionaries, so textstat's objects use them.
    """
    backend = _textstat()
    with contextlib.suppress(Exception):  # any surprise: Pyphen parses as it always did
        _load_hyphenation(lang)
    return backend.utils.get_pyphen(lang)


def _load_hyphenation(lang: str) -> None:
    """Fill ``pyphen.hdcache`` (path -> ``HyphDict``, Pyphen's per-process cache) for
    ``lang`` from the pack cache, or parse and store it there.

    This reads Pyphen's internals (``hdcache``; a ``HyphDict`` is ``patterns``,
    ``cache`` and ``maxlen``), so it stores only a dictionary with exactly those parts
    and plain values, and the entry is named by Pyphen's version and the dictionary's
    bytes; tests compare every position with a freshly parsed dictionary.
    """
    import pyphen

    from . import packcache

    path = pyphen.LANGUAGES.get(pyphen.language_fallback(lang) or "")
    if path is None or path in pyphen.hdcache:
        return
    key = packcache.fingerprint([path], "pyphen", str(getattr(pyphen, "__version__", "")))
    stored = packcache.read(key, kind="pyphen")
    if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], dict):
        parsed = object.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.maxlen, parsed.cache = stored[0], stored[1], {}
        pyphen.hdcache[path] = parsed
        return
    parsed = pyphen.HyphDict(path)
    pyphen.hdcache[path] = parsed
    if _plain_hyphenation(parsed):
        packcache.write(key, (parsed.patterns, parsed.maxlen), kind="pyphen")


def _plain_hyphenation(parsed: Any) -> bool:
    """The parsed dictionary is what :func:`_load_hyphenation` knows how to rebuild:
    patterns of plain ints (no nonstandard hyphenation) and no other state."""
    return (
        set(vars(parsed)) == {"patterns", "cache", "maxlen"}
        and type(parsed.maxlen) is int
        and all(
            type(offset) is int and all(type(v) is int for v in values)
            for offset, values in parsed.patterns.values()
        )
    )


#: Pyphen never breaks a word inside its first or last two letters (``left``/``right``),
#: so a word shorter than this has no hyphenation point: one syllable, no lookup.
_MIN_HYPHENATED = 4


class _Counts(NamedTuple):
    """textstat's counts of one prepared text, each computed once.

    textstat's ``count_words``, ``words_per_sentence`` and ``list_words(lowercase=True)``
    each strip the punctuation of the whole text again (two regex passes over it) unless
    the result is still in its small global cache (128 entries, which the per-sentence
    and per-word calls evict). Here the words are split once and each *distinct* word is
    stripped once (measured on the bench corpus: AL504 0.17 s -> 0.09 s, with the single
    ``prepare``)."""

    words: int  # == textstat count_words(text)
    per_sentence: float  # == textstat words_per_sentence(text)
    distinct: Counter[str]  # == Counter(list_words(text, lowercase=True))
    pieces: int  # == len(text.split()): the word count of prose (a long text is split once)


#: Punctuation that often ends a word ("sorry.", "you,"): not a word character, a space
#: or an apostrophe, so textstat's ``remove_punctuation`` always deletes it.
_TRAILING_PUNCTUATION = ".,;:!?…)]»”\""


#: Characters of text split into words at a time by :func:`_pieces`.
_SPLIT_CHUNK = 1 << 20


def _pieces(text: str) -> Counter[str]:
    """``Counter(text.split())``, split a megabyte at a time: the list of every word of a
    long draft (a string and a list slot per word, 130 MB for 12 MB) never exists at
    once (issue 14). Each chunk ends at a space, and splitting at whitespace gives the
    same words as splitting the whole."""
    if len(text) <= _SPLIT_CHUNK:
        return Counter(text.split())
    counted: Counter[str] = Counter()
    start = 0
    while start < len(text):
        cut = text.find(" ", start + _SPLIT_CHUNK)
        if cut == -1:
            cut = len(text)
        counted.update(text[start:cut].split())
        start = cut
    return counted


def _counts(text: str) -> _Counts:
    """textstat's ``list_words`` is ``remove_punctuation(text).split()``; the stripping is
    per character except that an apostrophe stays only before a contraction ending, and a
    space is never one, so stripping each whitespace-separated word gives the same words
    (an all-punctuation word vanishes); ``lower()`` neither makes nor removes spaces."""
    backend = _textstat()
    remove_punctuation = backend.transformations.remove_punctuation
    # the undecorated function: its global cache would only be churned by one-word calls
    strip = getattr(remove_punctuation, "__wrapped__", remove_punctuation)
    words = 0
    distinct: Counter[str] = Counter()
    split = _pieces(text)
    for raw, count in split.items():
        if raw.isalnum():  # letters and digits only: nothing to strip (the common case)
            word = raw
        else:
            word = raw.rstrip(_TRAILING_PUNCTUATION)
            if not word.isalnum():
                word = strip(raw, rm_apostrophe=False)
        if word:
            words += count
            distinct[word.lower()] += count
    sentences = backend.counts.count_sentences(text) if words else 0
    per_sentence = words / sentences if sentences else 0.0
    return _Counts(words, per_sentence, distinct, sum(split.values()))


def _points(word: str, pyphen: Any) -> int:
    """Pyphen's hyphenation points of a word (a short word has none: no lookup)."""
    return len(pyphen.positions(word)) if len(word) >= _MIN_HYPHENATED else 0


#: Syllables (hyphenation points + 1) of words already counted, per Pyphen object: a word's
#: count never changes, and drafts repeat their words. Pyphen caches a word's points but
#: filters them again at every call (measured: 0.8 % of a lint). Cleared when large.
_SYLLABLE_MEMO: dict[Any, dict[str, int]] = {}
_MAX_MEMO_WORDS = 200_000


def _syllable_counts(words: Iterable[str], pyphen: Any) -> dict[str, int]:
    """A memo of :func:`_points` + 1 that holds every word of ``words``."""
    memo = _SYLLABLE_MEMO.get(pyphen)
    if memo is None or len(memo) > _MAX_MEMO_WORDS:
        memo = _SYLLABLE_MEMO[pyphen] = {}
    for word in [w for w in words if w not in memo]:
        memo[word] = _points(word, pyphen) + 1
    return memo


def _syllables(distinct: Counter[str], pyphen: Any) -> int:
    """Syllables of counted words: hyphenation points + 1, each distinct word once."""
    memo = _syllable_counts(distinct, pyphen)
    return sum(map(mul, map(memo.__getitem__, distinct), distinct.values()))


def syllables(text: str, lang: str) -> int:
    """Syllables of a text, never through NLTK: Pyphen's dictionary for the language.

    This is textstat's own rule for a word missing from the CMU dictionary (hyphenation
    points + 1), applied to every word; textstat's word list is used so words are split
    the way its formulas count them.
    """
    pyphen = hyphenator(_PYPHEN_LANG.get(lang, lang))
    return _syllables(_counts(text).distinct, pyphen)


def flesch_kincaid_grade(text: str) -> float:
    """Flesch–Kincaid grade of English text with Pyphen syllables (offline)."""
    return _flesch_kincaid_grade(_counts(text))


def _flesch_kincaid_grade(counts: _Counts) -> float:
    if counts.words == 0:
        return 0.0
    pyphen = hyphenator(_PYPHEN_LANG["en"])
    per_word = _syllables(counts.distinct, pyphen) / counts.words
    return float(0.39 * counts.per_sentence + 11.8 * per_word - 15.59)


def fog_pl(text: str) -> float:
    """Gunning fog with textstat's Polish hard-word threshold (FOG-PL), offline.

    textstat's ``gunning_fog(text, "pl")`` would also skip words on an *English* easy-word
    list (it has none for Polish and warns); a Polish text gains nothing from that, so the
    hard words here are simply those of ``syllable_threshold`` (4) or more syllables, as
    FOG-PL defines them, counted as textstat's ``count_syllables(word, "pl")`` counts them.
    """
    return _fog_pl(_counts(text))


def _fog_pl(counts: _Counts) -> float:
    if counts.words == 0:
        return 0.0
    backend = _textstat()
    threshold = int(backend.utils.get_lang_cfg("pl", "syllable_threshold"))
    count = backend.counts.count_syllables
    pyphen = hyphenator("pl")

    memo = _syllable_counts([w for w in counts.distinct if w.isalnum()], pyphen)

    def syllables_pl(word: str) -> int:
        # == count_syllables(word, "pl"): no CMU dictionary for Polish, and a word of
        # letters and digits cleans, lower-cases and splits to itself, so it is Pyphen's
        # points + 1, asked directly (textstat's per-word cache re-strips every word);
        # other words ("i̇" from "İ" loses its combining dot) go through textstat
        return memo[word] if word.isalnum() else int(count(word, "pl"))

    hard = sum(n for word, n in counts.distinct.items() if syllables_pl(word) >= threshold)
    return float(0.4 * (counts.per_sentence + 100.0 * hard / counts.words))


def score(text: str, lang: str) -> Score | None:
    """Readability of prose ``text`` in ``lang``; None if the language has no measure.

    English: Flesch–Kincaid grade (a US school grade). Polish: FOG-PL (roughly the years
    of schooling needed). Higher is harder for both.
    """
    return score_prepared(prepare(text), lang)


def score_prepared(prepared: str, lang: str) -> Score | None:
    """:func:`score` of a text already passed through :func:`prepare` (a caller that
    needs the word count too prepares it once)."""
    if lang not in MEASURES:
        return None
    counts = _counts(prepared)
    value = _flesch_kincaid_grade(counts) if lang == "en" else _fog_pl(counts)
    return Score(MEASURES[lang], round(value, 1), counts.pieces)


def word_count(text: str) -> int:
    """Words of prose for the short-text cut-off (template marks and URLs excluded)."""
    return len(prepare(text).split())
