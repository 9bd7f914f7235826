"""Prose characters map back to the exact line:column of the file the user edits.

Expected positions are computed independently of the loaders: by searching the raw file
text for the word as it is written there (encoded form included) and counting newlines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apologylint.loaders import load_bytes, load_path
from apologylint.loaders.eml import load_eml_bytes
from apologylint.loaders.html import element_span, load_html_text
from apologylint.loaders.plaintext import load_plain_text
from apologylint.model import TEMPLATE_MARK, Draft, Prose

FIXTURES = Path(__file__).parent / "fixtures" / "loaders"
from conftest import SAMPLES  # noqa: E402

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not present")


def expected(raw_text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of ``needle`` in the file text."""
    idx = -1
    for _ in range(nth + 1):
        idx = raw_text.find(needle, idx + 1)
        assert idx != -1, f"{needle!r} not in fixture"
    line = raw_text.count("\n", 0, idx) + 1
    col = idx - (raw_text.rfind("\n", 0, idx) + 1) + 1
    return line, col


def where(draft: Draft, word: str, prose: Prose | None = None, nth: int = 0) -> tuple[int, int]:
    """(line, column) in the source of the nth occurrence of ``word`` in the prose."""
    p = prose if prose is not None else draft.prose
    i = -1
    for _ in range(nth + 1):
        i = p.text.find(word, i + 1)
        assert i != -1, f"{word!r} not in prose {p.text!r}"
    span = p.source_span(i, i + len(word))
    assert span is not None
    pos = draft.source.position(span.start, span.end)
    return pos.line, pos.column


def raw(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


# -- fixtures of our own ------------------------------------------------------------------


def test_qp_html_and_text_parts_map_to_their_lines() -> None:
    path = FIXTURES / "qp-alternative.eml"
    [draft] = load_path(path)
    text = raw(path)
    # "sorry" appears first in the text part, then in the HTML part
    assert where(draft, "sorry", draft.text_prose) == expected(text, "sorry", 0)
    assert where(draft, "sorry") == expected(text, "sorry", 1)
    # "café" is caf=C3=A9: the é maps to the "=" of its escape
    # (the first "caf=C3=A9" is in the Subject, the second in the text part)
    assert where(draft, "café") == expected(text, "caf=C3=A9", 2)
    i = draft.prose.text.index("café") + 3
    span = draft.prose.source_span(i, i + 1)
    assert span is not None
    assert text[span.start : span.start + 6] == "=C3=A9"
    # "late" crosses a soft line break: its first character is "la=" on the line before
    assert where(draft, "late") == expected(text, "la=\nte", 1)
    i = draft.prose.text.index("late")
    span = draft.prose.source_span(i + 2, i + 3)  # the "t" after the soft break
    assert span is not None and text[span.start] == "t"
    assert draft.source.line_col(span.start)[1] == 1


def test_entities_map_to_the_reference_start() -> None:
    path = FIXTURES / "qp-alternative.eml"
    [draft] = load_path(path)
    text = raw(path)
    assert where(draft, "\u2014") == expected(text, "&mdash;")
    assert where(draft, "fee") == expected(text, "fee.</p>")


def test_crlf_base64_part_maps_to_its_content_type_line() -> None:
    path = FIXTURES / "mixed-nested-crlf.eml"
    [draft] = load_path(path)
    text = raw(path)
    line, col = where(draft, "apologise")
    assert (line, col) == expected(text, "Content-Type: text/html")
    # the text/plain part of the same message has exact positions, CRLF or not
    assert where(draft, "affected", draft.text_prose) == expected(text, "affected")


def test_8bit_iso_8859_2_positions_count_characters() -> None:
    path = FIXTURES / "pl-8bit-iso-8859-2.eml"
    [draft] = load_path(path)
    text = raw(path)
    written = "błąd".encode("iso-8859-2").decode("utf-8", "surrogateescape")
    assert where(draft, "błąd") == expected(text, written)
    written = "Żółta".encode("iso-8859-2").decode("utf-8", "surrogateescape")
    assert where(draft, "Żółta") == expected(text, written)
    assert where(draft, "Zespół") == expected(text, "Zesp")


def test_headers_point_at_their_lines() -> None:
    path = FIXTURES / "qp-alternative.eml"
    [draft] = load_path(path)
    text = raw(path)
    assert draft.subject_span is not None
    assert draft.source.line_col(draft.subject_span.start) == expected(text, "Subject:")
    # a folded header's span covers its continuation line
    to = draft.header("To")
    assert to is not None and to.span is not None
    assert draft.source.line_col(to.span.start) == expected(text, "To: Ann")
    assert draft.source.line_col(to.span.end)[0] == expected(text, " Bob Example")[0]
    assert draft.sender_span is not None
    assert draft.source.line_col(draft.sender_span.start) == (1, 1)


def test_html_template_positions() -> None:
    path = FIXTURES / "template.html"
    [draft] = load_path(path)
    text = path.read_text("utf-8")
    assert where(draft, "sorry") == expected(text, "sorry: your parcel")
    assert where(draft, "\u2019") == expected(text, "&#8217;")
    assert where(draft, "mistake") == expected(text, "mistake")
    # the template mark stands where the tag starts
    i = draft.prose.text.index("\ufffc")
    assert draft.source.line_col(draft.prose.origins[i]) == expected(text, "{{ customer")
    assert draft.subject_span is not None
    assert draft.source.line_col(draft.subject_span.start) == expected(text, "We&rsquo;re")
    assert draft.sender_span is not None
    assert draft.source.line_col(draft.sender_span.start) == expected(text, '<meta name="from"')


def test_element_span_for_html_in_eml() -> None:
    path = FIXTURES / "qp-alternative.eml"
    [draft] = load_path(path)
    assert draft.html_doc is not None
    span_tag = draft.html_doc.find("span")
    assert span_tag is not None
    span = element_span(draft, span_tag)
    assert span is not None
    assert draft.source.line_col(span.start) == expected(raw(path), "<span style")


def test_markdown_and_text_positions() -> None:
    path = FIXTURES / "draft.md"
    [draft] = load_path(path)
    text = path.read_text("utf-8")
    assert where(draft, "charged you twice") == expected(text, "charged you")
    assert where(draft, "April") == expected(text, "April")
    assert where(draft, "your account") == expected(text, "your account")
    assert where(draft, "second") == expected(text, "second")
    assert where(draft, "What happened") == expected(text, "What happened")


def test_plain_text_header_block_and_wrapped_lines() -> None:
    text = "Subject: Sorry\nFrom: a@b.example\n\nWe are\nsorry for\nthe delay.\n"
    draft = load_plain_text(text, "x.txt")
    assert draft.prose.text == "We are sorry for the delay."
    assert where(draft, "sorry") == expected(text, "sorry for")
    assert where(draft, "the delay") == expected(text, "the delay")
    assert draft.subject == "Sorry"
    assert draft.subject_span is not None and draft.subject_span.start == 0


def test_utf8_html_inside_qp_eml_with_multibyte_chars() -> None:
    html = "<p>Zażółć gęślą jaźń — przepraszamy.</p>"
    # every non-ASCII byte written as an =XX escape
    body = "".join(
        f"={b:02X}" if b >= 0x80 or chr(b) == "=" else chr(b) for b in html.encode("utf-8")
    )
    data = (
        "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
        "Content-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + body
        + "\n"
    ).encode("ascii")
    draft = load_eml_bytes(data, "x.eml")
    text = data.decode("ascii")
    assert "Zażółć gęślą jaźń — przepraszamy." in draft.prose.text
    assert where(draft, "przepraszamy") == expected(text, "przepraszamy")
    assert where(draft, "gęślą") == expected(text, "g=C4=99")


def test_html_loaded_from_bytes_keeps_columns_in_characters() -> None:
    data = "<p>Żółw</p>\n<p>Przepraszamy bardzo.</p>".encode()
    [draft] = load_bytes(data, "t.html")
    assert where(draft, "Przepraszamy") == (2, 4)
    assert where(draft, "Żółw") == (1, 4)
    draft2 = load_html_text("<p>a</p>\n  <p>b &amp; c</p>", "inline.html")
    assert where(draft2, "&") == (2, 8)


# -- shared samples -------------------------------------------------------------------------


@needs_samples
def test_sample_wrong_segment_sorry_in_html_part() -> None:
    path = SAMPLES / "en-good-wrong-segment-members-sale.eml"
    [draft] = load_path(path)
    text = raw(path)
    # the HTML part says "We're sorry." after the text part does
    assert where(draft, "sorry") == expected(text, "sorry", 1)
    assert where(draft, "sorry", draft.text_prose) == expected(text, "sorry", 0)
    assert where(draft, "sorry") == (59, 37)


@needs_samples
def test_sample_polish_windows_1250_qp_crlf() -> None:
    path = SAMPLES / "pl-brak-przeprosin-awaria.eml"
    [draft] = load_path(path)
    text = raw(path)
    assert "Użytkownicy" in draft.prose.text
    assert "rozpocząć postoju" in draft.prose.text
    assert where(draft, "Użytkownicy") == expected(text, "U=BFytkownicy")
    assert not draft.warnings


@needs_samples
def test_sample_base64_html_maps_to_part_header_line() -> None:
    path = SAMPLES / "en-good-breach-us-ca-bookshop.eml"
    [draft] = load_path(path)
    text = raw(path)
    assert where(draft, "sorry") == expected(text, "Content-Type: text/html")
    assert where(draft, "sorry", draft.text_prose) == expected(text, "sorry")


@needs_samples
def test_sample_liquid_template_positions() -> None:
    path = SAMPLES / "en-good-outage-liquid-template.html"
    [draft] = load_path(path)
    text = path.read_text("utf-8")
    assert where(draft, "We're sorry") == expected(text, "We're sorry")
    assert draft.subject_span is not None
    assert draft.source.line_col(draft.subject_span.start) == expected(text, "Sorry: parcel")


# -- properties: every prose character is where its origin says ---------------------------

_HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<br>",
        "<div hidden>",
        "</div>",
        "<b>",
        "</b>",
        "&amp;",
        "&nbsp;",
        "&#8217;",
        "&bogus;",
        "<!-- c -->",
        "<style>x{}</style>",
        "{{ name }}",
        "*|FNAME|*",
        "{% comment %}c{% endcomment %}",
        "żółw ",
        "sorry ",
        " \n ",
        "\t",
        "a<b",
        "<td>",
        "<title>T</title>",
        "<script>s</script>",
        "word",
        "\u00ad",
        "=",
    ]
)


def _check_origins(source: str, prose: Prose) -> None:
    assert len(prose.origins) == len(prose.text)
    for ch, o in zip(prose.text, prose.origins, strict=True):
        if o < 0:
            assert ch == "\n"
            continue
        assert 0 <= o < len(source)
        if ch in (" ", TEMPLATE_MARK) or source[o] == "&":
            continue
        assert source[o] == ch


@settings(max_examples=150, deadline=None)
@given(st.lists(_HTML_BITS, max_size=40))
def test_html_prose_characters_come_from_their_origin(bits: list[str]) -> None:
    html = "".join(bits)
    draft = load_html_text(html, "p.html")
    _check_origins(html, draft.prose)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ż\n\t>-#*_[]()!{}%|=")), max_size=200))
def test_text_prose_characters_come_from_their_origin(text: str) -> None:
    for path in ("p.txt", "p.md"):
        draft = load_plain_text(text, path)
        _check_origins(text, draft.prose)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc żé\n=<>")), max_size=120))
def test_qp_html_part_characters_come_from_their_origin(body: str) -> None:
    encoded = "".join(
        f"={b:02X}" if b >= 0x80 or b == 0x3D else chr(b) for b in body.encode("utf-8")
    )
    data = (
        "Subject: x\nContent-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n" + encoded
    ).encode("ascii")
    draft = load_eml_bytes(data, "q.eml")
    source = draft.source.text
    assert len(draft.prose.origins) == len(draft.prose.text)
    for ch, o in zip(draft.prose.text, draft.prose.origins, strict=True):
        if o < 0 or ch in (" ", TEMPLATE_MARK):
            continue
        if source[o] == "=":  # an escape: its bytes decode to this character
            continue
        assert source[o] == ch
