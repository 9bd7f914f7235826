"""The .mjml and .mbox loaders: what they read, and positions in the file as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apologylint import lint
from apologylint.config import settings_from_mapping
from apologylint.loaders import SUPPORTED_EXTENSIONS, LoadError, iter_files, load_bytes, load_path
from apologylint.loaders.mbox import split_mbox
from apologylint.loaders.mjml import mjml_to_html
from apologylint.model import Draft
from conftest import CliRunner

DELIVERY = Path(__file__).parent / "fixtures" / "templates" / "delivery"
MJML = DELIVERY / "pl-odwolany-koncert.mjml"
MBOX = DELIVERY / "outbox.mbox"


def _at(draft: Draft, needle: str) -> tuple[int, int]:
    """Line:column in the source of the prose word ``needle``."""
    at = draft.prose.text.index(needle)
    span = draft.prose.source_span(at, at + len(needle))
    assert span is not None
    assert draft.source.text[span.start : span.end] == needle
    return draft.source.line_col(span.start)


def _expected(path: Path, needle: str, start: str = "") -> tuple[int, int]:
    text = path.read_text("utf-8")
    at = text.index(needle, text.index(start) if start else 0)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_both_are_walked() -> None:
    assert {".mjml", ".mbox"} <= SUPPORTED_EXTENSIONS
    assert sorted(p.name for p in iter_files([DELIVERY])) == [
        "outbox.mbox", "pl-odwolany-koncert.mjml",
    ]


# -- MJML ------------------------------------------------------------------------------------


def test_mjml_is_renamed_in_place() -> None:
    text = MJML.read_text("utf-8")
    html = mjml_to_html(text)
    assert len(html) == len(text)
    assert "<title   >" in html and "<div hidden>" in html and "<img      src=" in html
    assert "mj-" not in html.replace("mj-all", "")  # mj-all sits inside <template>


def test_mjml_subject_sender_and_body() -> None:
    [draft] = load_path(MJML)
    assert draft.origin.kind == "mjml" and draft.origin.is_template
    assert draft.subject == "Przepraszamy: koncert 14 czerwca został przeniesiony"
    assert draft.subject_span is not None
    line, col = draft.source.line_col(draft.subject_span.start)
    assert (line, col) == _expected(MJML, "Przepraszamy: koncert")
    assert draft.sender is not None
    assert draft.sender.address == "bilety@filharmonia-nadmorska.pl"
    assert draft.declared_language == "pl"
    prose = draft.prose.text
    assert "Twoje bilety są ważne na nowy termin\n" not in prose  # mj-preview is hidden
    assert prose.startswith("Dzień dobry \ufffc,\n\nprzepraszamy: koncert")
    assert "Poproś o zwrot" in prose
    assert [t.text for t in draft.template_tags] == [
        '{{ klient.imie | default: "Szanowni Państwo" }}'
    ]


@pytest.mark.parametrize(
    "needle", ["przepraszamy: koncert", "Poproś o zwrot", "ul. Długa 5", "Dzień dobry"]
)
def test_mjml_positions_are_in_the_mjml_file(needle: str) -> None:
    [draft] = load_path(MJML)
    assert _at(draft, needle) == _expected(MJML, needle)


def test_mjml_button_is_a_link_and_images_keep_alt() -> None:
    [draft] = load_path(MJML)
    assert draft.html_doc is not None
    [anchor] = draft.html_doc.find_all("a")
    assert anchor.attrs["href"] == "https://filharmonia-nadmorska.pl/bilety/zwrot"
    alts = [img.get("alt") for img in draft.html_doc.find_all("img")]
    assert alts == ["Filharmonia Nadmorska", None]


def test_mjml_rules_point_into_the_mjml() -> None:
    report = lint(MJML, config=settings_from_mapping({"language": "pl"}, origin="t"))
    found = {(d.rule, d.line, d.column) for d in report.diagnostics}
    line, col = _expected(MJML, '<mj-image src="https://filharmonia-nadmorska.pl/mail/sala')
    assert ("image-without-alt", line, col) in found
    assert not any(d.rule in ("unbranded-template", "placeholder-without-fallback",
                              "suspicious-link", "missing-text-part")
                   for d in report.diagnostics)


# -- mbox ------------------------------------------------------------------------------------


def test_mbox_one_draft_per_message() -> None:
    drafts = load_path(MBOX)
    assert [(d.origin.kind, d.origin.index, d.origin.is_template) for d in drafts] == [
        ("mbox", 1, False), ("mbox", 2, False), ("mbox", 3, False),
    ]
    assert [d.subject for d in drafts] == [
        "Kitebox was unavailable on Saturday evening",
        "Awaria aplikacji Parkomat 7 maja",
        "Sorry: your order left two days late",
    ]
    assert all(d.path == str(MBOX) for d in drafts)
    assert all(d.source is drafts[0].source for d in drafts)


def test_mbox_header_and_body_positions_are_mbox_lines() -> None:
    first, second, third = load_path(MBOX)
    for draft, subject in ((second, "Subject: Awaria"), (third, "Subject: Sorry")):
        assert draft.subject_span is not None
        assert draft.source.line_col(draft.subject_span.start) == _expected(MBOX, subject)
    assert _at(first, "Kitebox was unavailable") == _expected(MBOX, "Kitebox was unavailable",
                                                              "<p>Hi")
    assert _at(second, "postoju") == _expected(MBOX, "postoju")
    assert _at(third, "left our warehouse") == _expected(MBOX, "left our warehouse", "<p>Hi Sam")
    assert third.text_prose is not None
    at = third.text_prose.text.index("Sam")
    span = third.text_prose.source_span(at, at + 3)
    assert span is not None
    assert third.source.line_col(span.start) == _expected(MBOX, "Sam", "text/plain")


def test_mbox_escaped_from_lines_and_body_from_lines() -> None:
    _first, second, _third = load_path(MBOX)
    prose = second.prose.text
    assert "From 9 maja testujemy" in prose  # ">From " un-escaped, not dropped as a quote
    assert "From: tak podpisujemy" in prose  # not a message boundary
    assert _at(second, "From 9 maja") == _expected(MBOX, "From 9 maja")


def test_mbox_findings_per_message() -> None:
    report = lint(MBOX, config=settings_from_mapping({"language": "auto"}, origin="t"))
    got = {(d.rule, d.line) for d in report.diagnostics}
    assert ("missing-text-part", _expected(MBOX, "Content-Type: text/html")[0]) in got
    assert ("unrendered-placeholder", _expected(MBOX, "*|FNAME|*")[0]) in got
    assert ("unrendered-placeholder", _expected(MBOX, "<Imię>")[0]) in got
    # a finding about a whole message stands at its envelope line, not the file's top
    assert ("unbranded-template", _expected(MBOX, "From pomoc@parkomat.pl")[0]) in got
    # the suppression comment in message 3 silences the spacer image of message 3 only
    assert not any(d.rule in ("image-without-alt", "unused-suppression")
                   for d in report.diagnostics)


def test_split_mbox() -> None:
    text = "From a@b Mon\nSubject: one\n\nFrom here on, body.\n\nFrom a@b Tue\nSubject: two\n\nx\n"
    assert [text[s:e].splitlines()[1] for s, e in split_mbox(text)] == [
        "Subject: one", "Subject: two",
    ]
    assert split_mbox("Subject: no envelope\n\nbody\n") == [(0, 27)]
    assert split_mbox("  \n") == []


def test_empty_mbox_is_an_input_error() -> None:
    with pytest.raises(LoadError, match="no messages"):
        load_bytes(b"\n\n", "empty.mbox")


def test_cli_reports_mbox_lines(run_cli: CliRunner) -> None:
    result = run_cli("--format", "json", "--select", "unrendered-placeholder", str(MBOX))
    assert result.code == 1
    lines = sorted(d["line"] for d in json.loads(result.out))
    assert lines == [_expected(MBOX, "*|FNAME|*")[0], _expected(MBOX, "<Imię>")[0]]


# -- hostile input -----------------------------------------------------------------------------

_BITS = st.sampled_from(
    ["From a@b Mon\n", "From: x@y\n", "Subject: s\n", "\n", ">From x\n", "<mj-text>", "</mj-text>",
     "<mjml>", "<mj-image src='x'/>", "<mj-title>t</mj-title>", "body ", "ł", "\r\n", "{{ a }}"]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BITS, max_size=40).map("".join))
def test_mbox_and_mjml_never_raise_and_stay_in_bounds(text: str) -> None:
    data = text.encode("utf-8")
    for name in ("x.mbox", "x.mjml"):
        try:
            drafts = load_bytes(data, name)
        except LoadError:
            continue
        for draft in drafts:
            n = len(draft.source.text)
            assert all(-1 <= o <= n for o in draft.prose.origins)
            assert len(draft.prose.origins) == len(draft.prose.text)
            for tag in draft.template_tags:
                assert 0 <= tag.span.start <= tag.span.end <= n
