"""The loaders' fast paths against the plain code they stand in for.

Each fast path (origin arrays built with bytes operations, quoted-printable through
``binascii``, transfer and charset decoding in one step, header values the stdlib parser
would give back unchanged, a reordered template pattern, origin composition) must give
exactly what the plain code gives: positions of findings depend on every origin.
"""

from __future__ import annotations

import email.policy
import re
from array import array
from itertools import compress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apologylint.loaders import decoding
from apologylint.loaders.decoding import (
    _decode_qp,
    _decode_qp_slow,
    _reads_as_written,
    choose_codec,
    decode_body,
    decode_header_value,
    decode_transfer,
    decode_with_map,
    kept_offsets,
    offsets,
    sniff_html_charset,
)
from apologylint.loaders.html import _hidden_style
from apologylint.loaders.templating import _SENDGRID
from apologylint.prose import _IRREGULAR, compose_origins, single_spaced

FAST = settings(max_examples=400, deadline=None)


# -- origin arrays -------------------------------------------------------------------

_STARTS = st.sampled_from([0, 1, 200, 255, 256, 65_535, 65_536, 16_777_215, 1 << 33]) | (
    st.integers(0, 1 << 40)
)


@FAST
@given(st.lists(st.integers(0, 1), max_size=700), _STARTS)
def test_kept_offsets_equals_compress_over_a_range(bits: list[int], start: int) -> None:
    mask = bytes(bits)
    expected = array("l", compress(range(start, start + len(mask)), mask))
    assert kept_offsets(mask, start) == expected


def test_kept_offsets_across_many_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    mask = bytes((i * 7919) % 5 != 0 for i in range(300_000))
    for block in (1 << 20, 1000, 65_536):
        monkeypatch.setattr(decoding, "_OFFSETS_BLOCK", block)
        for start in (0, 123, 65_500, 16_777_000):
            expected = array("l", compress(range(start, start + len(mask)), mask))
            assert kept_offsets(mask, start) == expected
    assert offsets(70_000, 200_000) == array("l", range(70_000, 270_000))
    assert offsets(5, 0) == array("l")


# -- quoted-printable ----------------------------------------------------------------


_QP_TEXT = st.text(alphabet=st.sampled_from(list("=3DaF0g \t\r\nx8Bbc9")), max_size=80)


@FAST
@given(_QP_TEXT, st.integers(0, 1000))
def test_quoted_printable_through_binascii_equals_the_loop(encoded: str, start: int) -> None:
    data, origins = _decode_qp(encoded, start)
    expected_data, expected_origins = _decode_qp_slow(encoded, start)
    assert data == expected_data
    assert origins == array("l", expected_origins)


@FAST
@given(_QP_TEXT, st.integers(0, 9))
def test_quoted_printable_masks_do_not_depend_on_the_pieces(encoded: str, chunk: int) -> None:
    if not decoding._qp_regular(encoded):
        return
    raw = encoded.encode("ascii")
    whole = decoding._qp_mask(raw, True), decoding._qp_mask(raw, False)
    saved = decoding._QP_MASK_CHUNK
    decoding._QP_MASK_CHUNK = chunk  # a piece ends at each line after `chunk` bytes
    try:
        assert (decoding._qp_mask(raw, True), decoding._qp_mask(raw, False)) == whole
    finally:
        decoding._QP_MASK_CHUNK = saved


# -- transfer and charset decoding in one step ----------------------------------------

_PIECES = [
    "a", "Z", " ", "\n", "\r\n", "=", "=3D", "=C5=82", "=c5=82", "=E2=80=93", "=\n", "=\r\n",
    "= \n", "=8", "==", "=ZZ", "=FF", "=A0", "ł", "ż", "😀", "\udcc5", "\udc82", "\udcff",
    "SGVsbG8=", "QUJD", "<meta charset=\"iso-8859-2\">", "\x00", "\t", "€",
]
_CTES = ["quoted-printable", "Quoted-Printable", "base64", "8bit", "7bit", "binary", "", None,
         "x-uuencode"]
_CHARSETS = [None, "utf-8", "UTF-8", "us-ascii", "iso-8859-1", "iso-8859-2", "windows-1250",
             "utf-16", "shift_jis", "x-bogus", "utf-8-sig", "koi8-r"]


def _reference(encoded: str, start: int, cte: str | None, header_offset: int,
               charset: str | None, sniff_html: bool, located: bool
               ) -> tuple[str, array[int], int, list[str]]:
    """The two steps as the .eml loader ran them before :func:`decode_body`."""
    warnings: list[str] = []
    data, byte_origins, warn = decode_transfer(encoded, start, cte, header_offset)
    if warn:
        warnings.append(warn)
    if not located:
        byte_origins = array("l", [header_offset]) * len(data)
    if sniff_html and charset is None:
        charset = sniff_html_charset(data)
    codec, warn = choose_codec(data, charset)
    if warn:
        warnings.append(warn)
    text, origins = decode_with_map(data, byte_origins, codec)
    return text, array("l", origins), len(data), warnings


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
       st.integers(0, 70_000), st.sampled_from(_CTES), st.sampled_from(_CHARSETS),
       st.booleans(), st.booleans())
def test_decode_body_equals_transfer_then_charset_decoding(
    encoded: str, start: int, cte: str | None, charset: str | None, sniff_html: bool,
    located: bool,
) -> None:
    got = decode_body(encoded, start, cte, 7, charset, sniff_html=sniff_html, located=located)
    expected = _reference(encoded, start, cte, 7, charset, sniff_html, located)
    assert (got.text, got.origins, got.size, got.warnings) == expected


# -- header values -------------------------------------------------------------------

_HEADER_PIECES = {
    "address": ["a", "b.c", "x_y", "+", "-", ".", "@", " ", "  ", ", ", ",", "<", ">", "ó",
                "Ł", "×", "ſ", "1", "Zespół", '"', "'", "(", ")", "\t", "example.com",
                "@d.pl", "..", "A B ", "=?", ";", ":"],
    "mime": ["text", "/", "plain", "multipart", "alternative", "; ", ";", "  ", " ", "charset",
             "=", '"', "utf-8", "UTF-8", "a b", "a  b", "boundary", "==", "*", "'", "\\", "?",
             "-", ".", "x", '""', "format", "flowed", "ó", "(c)", "attachment", "filename"],
    "token": ["1", ".", "0", " ", "base64", "quoted-printable", "(", ")", "x", "-", "7bit",
              "\t", "2", "<a@b>", "Mon, 1 Jan 2024"],
}
_HEADER_NAMES = {
    "address": ["From", "To", "Cc", "Reply-To", "Sender", "Bcc", "Resent-From"],
    "mime": ["Content-Type", "Content-Disposition"],
    "token": ["MIME-Version", "Content-Transfer-Encoding", "Date", "Message-ID"],
}


@st.composite
def _header(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(sorted(_HEADER_PIECES)))
    name = draw(st.sampled_from([*_HEADER_NAMES[kind], "Subject", "X-Mailer"]))
    value = "".join(draw(st.lists(st.sampled_from(_HEADER_PIECES[kind]), min_size=1,
                                  max_size=14)))
    return name, value


@settings(max_examples=1500, deadline=None)
@given(_header())
def test_header_values_read_as_written_only_when_the_parser_agrees(
    header: tuple[str, str]
) -> None:
    name, value = header
    if _reads_as_written(name, value):
        assert str(email.policy.default.header_factory(name, value)) == value


def test_the_usual_headers_skip_the_parser() -> None:
    usual = [
        ("Subject", "Sorry: the discount code in Wednesday's email was wrong"),
        ("From", "Anna ze Sklepu <pomoc@przyklad-sklep.pl>"),
        ("To", "customer1@example.com, Jan Kowalski <jan.k@example.pl>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/alternative; boundary="===============671==="'),
        ("Content-Type", 'text/html; charset="utf-8"'),
        ("Content-Transfer-Encoding", "quoted-printable"),
    ]
    for name, value in usual:
        assert _reads_as_written(name, value), name
        assert decode_header_value(name, value) == value
    for name, value in [("Subject", "=?utf-8?q?b=C5=82=C4=85d?="), ("To", "<a@b.example>"),
                        ("Content-Type", "text/plain; charset=utf-8"),
                        ("Date", "Mon, 1 Jan 2024 10:00:00 +0000")]:
        assert not _reads_as_written(name, value), name


# -- templates and prose -------------------------------------------------------------

_SENDGRID_LOOKBEHIND_FIRST = re.compile(
    r"(?<![\w\-])-([a-z][a-z0-9]{0,30}(?:_[a-z0-9]{1,30}){1,4})-(?![\w\-])"
)


@FAST
@given(st.text(alphabet=st.sampled_from(list("-_ab1 \nxZą")), max_size=60))
def test_sendgrid_pattern_finds_what_the_lookbehind_first_form_finds(text: str) -> None:
    def found(pattern: re.Pattern[str]) -> list[tuple[tuple[int, int], str]]:
        return [(m.span(), m.group(1)) for m in pattern.finditer(text)]

    assert found(_SENDGRID) == found(_SENDGRID_LOOKBEHIND_FIRST)


@FAST
@given(st.lists(st.integers(-1, 29), max_size=50), st.lists(st.integers(0, 10_000),
                                                            min_size=30, max_size=30))
def test_compose_origins_equals_mapping_each_index(local: list[int], outer: list[int]) -> None:
    expected = array("l", [-1 if i == -1 else outer[i] for i in local])
    assert compose_origins(array("l", local), array("l", outer)) == expected
    assert compose_origins(array("l", local), None) == array("l", local)


_SEPARATOR_ALPHABET = list("ab.  \n\t\r\x0c\x0b\u00a0\u00ad\u034f\u200b\u200c\u200d\u2060\ufeff"
                           "\u2028\u3000\x1c\x85")


@FAST
@given(st.text(alphabet=st.sampled_from(_SEPARATOR_ALPHABET), max_size=40))
def test_single_spaced_text_has_no_irregular_separator(text: str) -> None:
    # the shortcut may only skip the regex where the regex finds nothing
    if single_spaced(text):
        assert _IRREGULAR.search(text) is None
    if _IRREGULAR.search(text) is None and text.isprintable():
        assert single_spaced(text)


def test_single_spaced_is_false_wherever_the_regex_finds_a_separator() -> None:
    for code in range(0x10000):
        for text in ("a" + chr(code) + "b", "a " + chr(code) + "b"):
            if _IRREGULAR.search(text):
                assert not single_spaced(text), hex(code)
    assert single_spaced("We are sorry. It was our fault.")
    assert not single_spaced("two  spaces")
    assert not single_spaced("a\u034fb")


def _hidden_style_plain(style: str) -> bool:
    squeezed = re.sub(r"\s+", "", style.lower())
    return "display:none" in squeezed or "visibility:hidden" in squeezed


_STYLE_PIECES = ["display", ":", "none", "visibility", "hidden", " ", "\t", "\n", ";",
                 "DISPLAY", "NoNe", "Hidden", "color:red", "dis play", "no ne", "hid\nden"]


@FAST
@given(st.lists(st.sampled_from(_STYLE_PIECES), max_size=12).map("".join))
def test_hidden_style_equals_squeezing_with_the_regex(style: str) -> None:
    assert _hidden_style(style) == _hidden_style_plain(style)


def test_str_split_drops_exactly_the_regex_whitespace() -> None:
    # _hidden_style squeezes with split(): the same characters as re's \s
    for code in range(0x110000):
        char = chr(code)
        assert (char.split() == []) == bool(re.fullmatch(r"\s", char)), hex(code)
