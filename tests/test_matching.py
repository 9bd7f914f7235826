"""The phrase matcher and the pack loader: folding, syntax, one-pass matching, errors."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apologylint.matching import (
    Entry,
    PhraseError,
    PhraseMatcher,
    expand_phrase,
    fold,
    tokenize,
)
from apologylint.packs import PackError, load_packs


def _find(phrases: list[str], text: str) -> list[str]:
    matcher = PhraseMatcher()
    for p in phrases:
        matcher.add(p, Entry("v", p))
    return [text[m.start : m.end] for m in matcher.find(tokenize(fold(text)))]


def test_fold_keeps_length_and_strips_diacritics() -> None:
    text = "Przepraszamy za ewentualne NIEDOGODNOŚCI — Łódź, İstanbul, we’re"
    folded = fold(text)
    assert len(folded) == len(text)
    assert "niedogodnosci" in folded
    assert "lodz" in folded
    assert "we're" in folded


def _folded_by_hand(char: str) -> str:
    """What folding means for one character: its lower case without diacritics, the
    listed letters and apostrophes made plain, anything else unchanged."""
    plain = {"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t",
             "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-",
             "\u00a0": " "}
    lower = char.lower()[0]
    if lower in plain:
        return plain[lower]
    if 0xC0 <= ord(lower) < 0x250:
        base = "".join(c for c in unicodedata.normalize("NFKD", lower)
                       if not unicodedata.combining(c))
        if len(base) == 1:
            return base.lower()
    return lower


def test_fold_of_every_latin_and_punctuation_character() -> None:
    # the fold table also maps most characters to themselves (speed): none of those
    # entries may hide a fold
    for block in (range(0x0000, 0x0300), range(0x2000, 0x2070), range(0x0300, 0x0400)):
        for code in block:
            char = chr(code)
            assert fold(char) == _folded_by_hand(char), hex(code)
    mixed = "Zażółć GĘŚLĄ jaźń, we’re ‘fine’ — x\u00a0y `z´"
    assert fold(mixed) == "".join(map(_folded_by_hand, mixed))


def test_words_match_whole_and_case_insensitively() -> None:
    assert _find(["sorry"], "We are SORRY. Sorryish.") == ["SORRY"]


def test_diacritics_insensitive_both_ways() -> None:
    assert _find(["niedogodności"], "za niedogodnosci") == ["niedogodnosci"]
    assert _find(["niedogodnosci"], "za niedogodności") == ["niedogodności"]


def test_stem_matches_inflections() -> None:
    text = "Przepraszamy. Przepraszam. Przeprosiny."
    assert _find(["przeprasz*"], text) == ["Przepraszamy", "Przepraszam"]


def test_alternatives_and_optional_words() -> None:
    phrases = ["sorry for (any|the|) inconvenience"]
    text = "Sorry for any inconvenience. Sorry for inconvenience. Sorry for some inconvenience."
    assert _find(phrases, text) == ["Sorry for any inconvenience", "Sorry for inconvenience"]


def test_multiword_alternatives_and_wildcard() -> None:
    assert _find(["due to (a third party|our vendor)"], "due to a third party") == [
        "due to a third party"
    ]
    assert _find(["_ was sent in error"], "The email was sent in error.") == [
        "email was sent in error"
    ]


def test_no_match_across_sentence_end() -> None:
    assert _find(["sorry if"], "We're sorry. If you tried the code, reply.") == []
    assert _find(["sorry if"], "We're sorry if this confused you.") == ["sorry if"]


def test_match_offsets_point_into_the_original_text() -> None:
    text = "Hi Ana,\n\nPrzepraszamy za ewentualne niedogodności."
    matcher = PhraseMatcher()
    matcher.add("przeprasz* za ewentualn* niedogodno*", Entry("v", "x"))
    (match,) = matcher.find(tokenize(fold(text)))
    assert text[match.start : match.end] == "Przepraszamy za ewentualne niedogodności"


def test_bad_phrases_are_errors_naming_the_phrase() -> None:
    with pytest.raises(PhraseError, match="unbalanced"):
        expand_phrase("sorry (for")
    with pytest.raises(PhraseError, match="over"):
        expand_phrase(" ".join(["(a|b|c)"] * 10))


def test_expansion_lists_every_form() -> None:
    assert expand_phrase("we (apologise|apologize)") == [
        ("we", "apologise"),
        ("we", "apologize"),
    ]


def test_hostile_text_is_matched_without_blowup() -> None:
    # Near-miss prefixes repeated: the trie walk is bounded by the longest phrase.
    text = "sorry for any " * 20000
    assert _find(["sorry for any inconvenience"], text) == []


def test_builtin_packs_load_for_both_languages() -> None:
    packs = load_packs()
    assert {"en", "pl"} <= set(packs)
    assert packs["pl"].detect_words
    assert "noreply" in packs["en"].words("no-reply-sender.local_parts")


def test_user_pack_folder_extends_builtin(tmp_path: Path) -> None:
    folder = tmp_path / "words" / "en"
    folder.mkdir(parents=True)
    (folder / "no-reply-sender.toml").write_text(
        '[local_parts]\nextends = "list"\ntokens = ["robot-mailer"]\n', encoding="utf-8"
    )
    packs = load_packs((str(tmp_path / "words"),))
    words = packs["en"].words("no-reply-sender.local_parts")
    assert "robot-mailer" in words and "noreply" in words
    # the built-in packs of another configuration are not changed
    assert "robot-mailer" not in load_packs()["en"].words("no-reply-sender.local_parts")


def test_pack_file_with_unknown_key_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "bad" / "en"
    folder.mkdir(parents=True)
    (folder / "x.toml").write_text('[v]\nextends = "existence"\ntoken = ["a"]\n', "utf-8")
    with pytest.raises(PackError, match=r"x\.toml.*unknown key.*token"):
        load_packs((str(tmp_path / "bad"),))


def test_nested_groups() -> None:
    assert expand_phrase("we (sent (you|them)|emailed) it") == [
        ("we", "sent", "you", "it"),
        ("we", "sent", "them", "it"),
        ("we", "emailed", "it"),
    ]


def test_groups_inside_a_word() -> None:
    assert expand_phrase("(we|i) apologi(s|z)e") == [
        ("we", "apologise"),
        ("we", "apologize"),
        ("i", "apologise"),
        ("i", "apologize"),
    ]


# -- the compiled graph means exactly what the expansion says ------------------------------


_VOCAB = ["a", "b", "c", "ab", "abc", "_", "a*", "b*"]


def _word(word: str, pattern: str) -> bool:
    if pattern == "_":
        return True
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


def _reference(phrases: list[str], text: str) -> set[tuple[str, int, int]]:
    """Brute force over every expanded form: what the matcher must find."""
    tokens = tokenize(fold(text))
    found = set()
    for phrase in phrases:
        for form in expand_phrase(phrase):
            for i in range(len(tokens) - len(form) + 1):
                window = tokens[i : i + len(form)]
                if any(t.brk for t in window[1:]):
                    continue
                if all(_word(t.text, p) for t, p in zip(window, form, strict=True)):
                    found.add((phrase, window[0].start, window[-1].end))
    return found


_atoms = st.sampled_from(_VOCAB)
_groups = st.recursive(
    _atoms,
    lambda inner: st.lists(
        st.lists(inner, min_size=0, max_size=2).map(" ".join), min_size=2, max_size=3
    ).map(lambda alts: "(" + "|".join(alts) + ")"),
    max_leaves=6,
)
_phrases = st.lists(_groups, min_size=1, max_size=4).map(" ".join).filter(
    lambda p: any(len(f) > 0 for f in _safe_expand(p))
)


def _safe_expand(phrase: str) -> list[tuple[str, ...]]:
    try:
        return expand_phrase(phrase)
    except PhraseError:
        return []


@settings(max_examples=int(os.environ.get("APOLOGYLINT_HYPOTHESIS_EXAMPLES", "300")), deadline=None)
@given(
    st.lists(_phrases, min_size=1, max_size=6, unique=True),
    st.lists(st.sampled_from(["a", "b", "c", "ab", "abc", "bca", ".", ","]), max_size=14),
)
def test_graph_matches_exactly_the_expanded_phrases(phrases: list[str], words: list[str]) -> None:
    text = " ".join(words)
    matcher = PhraseMatcher()
    for p in phrases:
        matcher.add(p, Entry("v", p))
    matches = matcher.find(tokenize(fold(text)))
    got = [(m.entry.phrase, m.start, m.end) for m in matches]
    assert len(got) == len(set(got)), "a phrase must match a span once"
    assert set(got) == _reference(phrases, text)


# -- marks and breaks (issue 13: real mail) -----------------------------------------------


def _words_and_breaks(text: str) -> list[tuple[str, bool]]:
    return [(t.text, t.brk) for t in tokenize(fold(text), text)]


def test_hashtags_and_mentions_keep_their_mark() -> None:
    """A pack's "#fail" means the hashtag, never the plain verb "fail"; an "@" inside an
    address is no mark."""
    assert [w for w, _ in _words_and_breaks("a total #fail, @acme")] == [
        "a", "total", "#fail", "@acme",
    ]
    assert [w for w, _ in _words_and_breaks("write to help@acme.example")] == [
        "write", "to", "help", "acme", "example",
    ]
    assert [w for w, _ in _words_and_breaks("made your payment fail")][-1] == "fail"


def test_dots_colons_and_slashes_inside_a_run_do_not_end_a_sentence() -> None:
    breaks = dict(_words_and_breaks("Sign in at acme.example at 10:30 via https://x.y now"))
    assert not any(breaks[w] for w in ("example", "30", "x", "y", "now"))
    assert _words_and_breaks("It was 3.5 million. Then")[-1] == ("then", True)


def test_a_hard_wrap_before_a_lower_case_word_is_no_break() -> None:
    """Plain-text mail wrapped at 72 columns: the "if" stays in the apology's sentence."""
    wrapped = "If you did not see it we would like to\napologize. Next\nLine"
    got = _words_and_breaks(wrapped)
    assert ("apologize", False) in got
    assert ("line", True) in got  # a capital after a line end still starts anew
    # without the original text (case unknown), every line end is a break
    assert ("apologize", True) in [(t.text, t.brk) for t in tokenize(fold(wrapped))]
