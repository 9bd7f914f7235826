"""Loaders: MIME layouts, charsets, headers, HTML/text prose, templates, files and errors."""

from __future__ import annotations

import base64
import email.message
import os
import time
from array import array
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apologylint.loaders import (
    SUPPORTED_EXTENSIONS,
    LoadError,
    iter_files,
    load_bytes,
    load_path,
    sniff_extension,
)
from apologylint.loaders.decoding import (
    choose_codec,
    decode_bytes_to_text,
    decode_transfer,
    decode_with_map,
    normalize_charset,
    parse_addresses,
)
from apologylint.loaders.eml import load_eml_bytes, load_eml_message
from apologylint.loaders.html import extract_html, load_html_text
from apologylint.loaders.plaintext import load_plain_text
from apologylint.loaders.templating import find_template_tags
from apologylint.model import TEMPLATE_MARK, Draft
from apologylint.prose import ProseBuilder

FIXTURES = Path(__file__).parent / "fixtures" / "loaders"
from conftest import SAMPLES  # noqa: E402

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not present")


def eml(headers: str, body: bytes, *, crlf: bool = False) -> bytes:
    nl = "\r\n" if crlf else "\n"
    head = nl.join(headers.strip("\n").split("\n")) + nl + nl
    return head.encode("ascii") + body


# -- ProseBuilder -----------------------------------------------------------------------------


def test_prose_builder_collapses_whitespace_and_breaks() -> None:
    b = ProseBuilder()
    b.paragraph_break()  # never leading
    b.add_run("  Hello \t\n  world ", 10)
    b.paragraph_break()
    b.paragraph_break()  # never doubled
    b.add_run("Next", 100)
    b.line_break()
    b.add_run(" line", 200)
    b.paragraph_break()  # never trailing
    p = b.build()
    assert p.text == "Hello world\n\nNext\nline"
    assert len(p.origins) == len(p.text)
    assert p.origins[0] == 12  # "H"
    assert p.origins[5] == 17  # the collapsed space: first whitespace char
    assert p.origins[6] == 22  # "w"
    assert p.origins[11] == -1 and p.origins[12] == -1  # synthetic separator
    assert p.origins[17] == -1
    assert p.origins[18] == 201


def test_prose_builder_masks_and_double_line_break() -> None:
    text = "Hi {{ name }}, {# note #}thanks"
    tags = find_template_tags(text)
    b = ProseBuilder([(t.start, t.end, not t.is_comment) for t in tags])
    b.add_run(text, 0)
    b.line_break()
    b.line_break()  # <br><br> is a paragraph
    b.add_constant("\u2019", 500)
    p = b.build()
    assert p.text == f"Hi {TEMPLATE_MARK}, thanks\n\n\u2019"
    assert p.origins[3] == 3
    assert p.origins[-1] == 500


def test_prose_builder_drops_invisible_characters() -> None:
    b = ProseBuilder()
    b.add_run("sor\u00adry\u200b now", 0)
    p = b.build()
    assert p.text == "sorry now"
    assert list(p.origins[:5]) == [0, 1, 2, 4, 5]


def test_prose_builder_composes_outer_origins() -> None:
    b = ProseBuilder()
    b.add_run("ab", 0)
    b.paragraph_break()
    b.add_run("c", 2)
    p = b.build(array("l", [10, 20, 30]))
    assert p.text == "ab\n\nc"
    assert list(p.origins) == [10, 20, -1, -1, 30]


# -- decoding -----------------------------------------------------------------------------------


def test_normalize_charset_aliases() -> None:
    assert normalize_charset("windows-1250") == "cp1250"
    assert normalize_charset('"ISO-8859-2"') == "iso8859-2"
    assert normalize_charset("utf8") == "utf-8"
    assert normalize_charset("latin2") == "iso8859-2"
    assert normalize_charset("x-unknown") is None
    assert normalize_charset(None) is None


def test_choose_codec_fallbacks() -> None:
    polish = "Zażółć gęślą jaźń".encode("cp1250")
    assert choose_codec(polish, "windows-1250") == ("cp1250", None)
    codec, warning = choose_codec(polish, "utf-8")
    assert warning is not None and "utf-8" in warning
    assert codec != "utf-8"
    assert choose_codec("żółw".encode(), "x-unknown")[0] == "utf-8"
    assert "unknown charset" in (choose_codec("żółw".encode(), "x-unknown")[1] or "")
    assert choose_codec(b"\xef\xbb\xbfabc", "latin-1")[0] == "utf-8-sig"
    assert choose_codec("x".encode("utf-16"), None)[0] == "utf-16"
    # iso-8859-1 labels are read as windows-1252, like mail clients do
    assert decode_bytes_to_text(b"\x93quoted\x94", "iso-8859-1")[0] == "\u201cquoted\u201d"
    assert decode_bytes_to_text(b"plain", None) == ("plain", None)


def test_decode_transfer_quoted_printable_is_tolerant() -> None:
    data, origins, warning = decode_transfer("a=3Db =ZZ=\r\nc=\nd=", 100, "quoted-printable", 0)
    assert warning is None
    assert data == b"a=b =ZZcd"
    assert len(origins) == len(data)
    assert origins[1] == 101  # "=3D" maps to its "="
    assert origins[4] == 106  # the malformed "=" is kept, at its place
    assert origins[7] == 112  # "c" after the CRLF soft break


def test_decode_transfer_base64_tolerates_garbage() -> None:
    good = base64.b64encode(b"We are sorry.").decode()
    data, origins, _ = decode_transfer(good[:-2] + "!!\n@@", 0, "base64", 42)
    assert data.startswith(b"We are sorr")
    assert set(origins) == {42}
    data, _, _ = decode_transfer("not base64 at all ===", 0, "BASE64", 7)
    assert isinstance(data, bytes)
    data, _, warning = decode_transfer("abc", 0, "x-uuencode", 0)
    assert data == b"abc" and warning is not None


def test_decode_with_map_paths() -> None:
    # UTF-8: each character maps to its lead byte
    data = "aż€😀".encode()
    text, origins = decode_with_map(data, array("l", range(100, 100 + len(data))), "utf-8")
    assert text == "aż€😀"
    assert list(origins) == [100, 101, 103, 106]
    # invalid UTF-8: one replacement per bad byte, never an exception
    text, origins = decode_with_map(b"a\xffb\xc3", array("l", range(4)), "utf-8")
    assert text == "a\ufffdb\ufffd" and list(origins) == [0, 1, 2, 3]
    # single-byte: 1:1
    text, origins = decode_with_map("łódź".encode("iso-8859-2"), range(4), "iso-8859-2")
    assert text == "łódź" and list(origins) == [0, 1, 2, 3]
    # multi-byte: incremental decoder
    data = "日本語".encode("shift_jis")
    text, origins = decode_with_map(data, range(len(data)), "shift_jis")
    assert text == "日本語" and list(origins) == [0, 2, 4]
    # unknown label falls back without raising
    text, origins = decode_with_map("ż".encode(), range(2), "x-nonsense")
    assert text == "ż" and list(origins) == [0]


def test_parse_addresses_keeps_what_was_written() -> None:
    [a] = parse_addresses("noreply@")
    assert a.address == "noreply@"
    pair = parse_addresses("=?utf-8?Q?Doe=2C_John?= <j@x.example>, b@y.example")
    assert [(x.display_name, x.address) for x in pair] == [
        ("Doe, John", "j@x.example"),
        ("", "b@y.example"),
    ]


# -- .eml -------------------------------------------------------------------------------------


def test_multipart_alternative_qp_fixture() -> None:
    [d] = load_path(FIXTURES / "qp-alternative.eml")
    assert d.origin.kind == "eml" and not d.origin.is_template
    assert d.subject == "We're sorry: your order was late \u2013 café edition"
    assert d.sender is not None
    assert (d.sender.display_name, d.sender.address) == ("Support, Acme", "support@acme.example")
    assert [a.address for a in d.reply_to] == ["help@acme.example"]
    assert [a.address for a in d.to] == ["ann@example.com", "bob@example.com"]
    assert d.declared_language == "en-GB"
    assert d.has_html_part and d.has_text_part
    assert d.html is not None and d.html_size == len(d.html.encode())
    assert "Preheader" not in d.prose.text and "Ignored title" not in d.prose.text
    assert "color: red" not in d.prose.text
    assert d.prose.text.startswith("Hi Ann,\n\nWe are truly sorry.")
    assert "two days late, and" in d.prose.text
    assert "Nothing for you to do \u2014 we refunded the delivery fee." in d.prose.text
    assert d.text_prose is not None
    assert "where is my order" not in d.text_prose.text  # quoted reply
    assert "wrote" not in d.text_prose.text
    footer = d.extra["text_footer_start"]
    assert d.text_prose.text[footer:] == "Acme Support"
    assert d.html_doc is not None and d.html_doc.find("title") is not None
    assert d.warnings == []


def test_mixed_related_alternative_attachments_and_attached_message() -> None:
    [d] = load_path(FIXTURES / "mixed-nested-crlf.eml")
    assert d.prose.text == "We apologise for the outage.\n\nCafé customers were affected."
    assert d.text_prose is not None
    assert d.text_prose.text == "We apologise for the outage.\n\nCafe customers were affected."
    assert "oops" not in d.prose.text and "Forwarded" not in d.prose.text
    assert d.html is not None and "Forwarded" not in d.html


def test_base64_html_only() -> None:
    html = "<html><body><p>We are sorry.</p></body></html>"
    body = base64.encodebytes(html.encode()).replace(b"\n", b"\n")
    data = eml(
        "From: a@b.example\nSubject: x\nMIME-Version: 1.0\n"
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64",
        body,
    )
    d = load_eml_bytes(data, "b64.eml")
    assert d.prose.text == "We are sorry."
    assert d.has_html_part and not d.has_text_part
    assert d.html_size == len(html.encode())
    ct = data.decode().index("Content-Type")
    assert set(d.prose.origins) == {ct}


def test_8bit_iso_8859_2_fixture() -> None:
    [d] = load_path(FIXTURES / "pl-8bit-iso-8859-2.eml")
    assert d.subject == "Przepraszamy za błąd"
    assert d.sender is not None and d.sender.display_name == "Sklep Łódź"
    assert "przepraszamy za błąd w wiadomości o zwrocie." in d.prose.text
    assert "Żółta ramka zawierała złą kwotę." in d.prose.text
    assert d.warnings == []


def test_wrong_charset_label_utf8_on_cp1250() -> None:
    body = "Użytkownicy, przepraszamy za błąd.\n".encode("cp1250")
    data = eml(
        "From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit",
        body,
    )
    d = load_eml_bytes(data, "wrong.eml")
    assert any("utf-8" in w for w in d.warnings)
    assert "\ufffd" not in d.prose.text
    assert "Użytkownicy" in d.prose.text  # ż is 0xBF in both cp1250 and iso-8859-2


def test_unknown_charset_label() -> None:
    data = eml(
        "From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=x-unknown\n"
        "Content-Transfer-Encoding: quoted-printable",
        b"Przepraszamy za b=C5=82=C4=85d.\n",
    )
    d = load_eml_bytes(data, "unknown.eml")
    assert d.prose.text == "Przepraszamy za błąd."
    assert any("x-unknown" in w for w in d.warnings)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?iso-8859-2?B?UHJ6ZXByYXN6YW15IHphIGKzsWQ=?=", "Przepraszamy za błąd"),
        ("=?ISO-8859-2?Q?Przepraszamy_za_b=B3=B1d?=", "Przepraszamy za błąd"),
        ("=?utf-8?B?UHJ6ZXByYXN6YW15IHphIGLFgsSFZA==?=", "Przepraszamy za błąd"),
        ("=?utf-8?q?Przepraszamy_za_b=C5=82=C4=85d?=", "Przepraszamy za błąd"),
        ("Sorry =?utf-8?q?=E2=80=93?=\n =?utf-8?q?_again?=", "Sorry \u2013 again"),
        ("=?bogus-charset?Q?abc?=", "=?bogus-charset?Q?abc?="),
        ("=?utf-8?B?broken", "=?utf-8?B?broken"),
    ],
)
def test_rfc2047_subjects(header: str, expected: str) -> None:
    data = eml(f"From: a@b.example\nSubject: {header}", b"Body.\n")
    d = load_eml_bytes(data, "s.eml")
    assert d.subject is not None
    if expected.startswith("=?bogus"):
        assert "abc" in d.subject  # undecodable: kept readable, no exception
    else:
        assert d.subject == expected


def test_crlf_folded_to_and_header_spans() -> None:
    data = eml(
        "From: Team <team@x.example>\nTo: one@x.example,\n\ttwo@x.example,\n three@x.example\n"
        "Subject: Hello",
        b"We are sorry.\r\n",
        crlf=True,
    )
    d = load_eml_bytes(data, "f.eml")
    assert [a.address for a in d.to] == ["one@x.example", "two@x.example", "three@x.example"]
    h = d.header("To")
    assert h is not None and h.span is not None
    text = data.decode()
    assert h.span.start == text.index("To:")
    assert text[h.span.end - len("three@x.example") : h.span.end] == "three@x.example"
    assert d.prose.text == "We are sorry."


def test_missing_from_and_broken_headers_do_not_raise() -> None:
    data = eml(
        "To: <<<>>>@@\nSubject: =?utf-8?Q?unterminated\nContent-Type: text/plain; charset=\n"
        'Date: not a date\nReply-To: "unclosed <x@y',
        b"Body text.\n",
    )
    d = load_eml_bytes(data, "m.eml")
    assert d.sender is None and d.sender_span is None
    assert d.prose.text == "Body text."
    assert d.reply_to  # kept as written


def test_header_only_message_and_no_body_part() -> None:
    d = load_eml_bytes(b"From: a@b.example\nSubject: x\nContent-Type: application/pdf\n\n%PDF", "p")
    assert d.prose.text == ""
    assert any("no text/html or text/plain" in w for w in d.warnings)


def test_leftover_template_tags_in_rendered_eml() -> None:
    data = eml("From: a@b.example\nSubject: Sorry, {{first_name}}", b"Hi *|FNAME|*, sorry.\n")
    d = load_eml_bytes(data, "t.eml")
    assert d.prose.text == f"Hi {TEMPLATE_MARK}, sorry."
    names = [(t.syntax, t.name) for t in d.template_tags]
    assert ("mustache", "first_name") in names and ("mailchimp", "FNAME") in names
    subject_tag = next(t for t in d.template_tags if t.name == "first_name")
    assert data.decode()[subject_tag.span.start : subject_tag.span.end] == "{{first_name}}"


def test_load_eml_message_object() -> None:
    msg = email.message.EmailMessage()
    msg["From"] = "Zespół <zespol@example.pl>"
    msg["Subject"] = "Przepraszamy"
    msg.set_content("Przepraszamy za błąd.")
    msg.add_alternative("<p>Przepraszamy za <b>błąd</b>.</p>", subtype="html")
    d = load_eml_message(msg)
    assert d.subject == "Przepraszamy"
    assert d.sender is not None and d.sender.display_name == "Zespół"
    assert d.prose.text == "Przepraszamy za błąd."
    assert d.text_prose is not None and d.text_prose.text == "Przepraszamy za błąd."


def test_draft_constructors_use_the_loaders() -> None:
    d = Draft.from_html("<title>T</title><p>Hi</p>", sender="x@y.example")
    assert d.subject == "T" and d.sender is not None and d.sender.address == "x@y.example"
    d = Draft.from_eml(b"Subject: s\n\nbody\n")
    assert d.subject == "s" and d.prose.text == "body"
    d = Draft.from_text("Subject: s\n\nbody\n")
    assert d.subject == "s" and d.prose.text == "body"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_eml_loader_never_raises_on_garbage(data: bytes) -> None:
    prefix = b"From: a@b.example\nContent-Type: multipart/mixed; boundary=x\n\n--x\n"
    for blob in (data, prefix + data):
        d = load_eml_bytes(blob, "g.eml")
        assert len(d.prose.origins) == len(d.prose.text)
        assert all(-1 <= o <= len(d.source.text) for o in d.prose.origins)


# -- HTML -------------------------------------------------------------------------------------


def test_html_template_fixture() -> None:
    [d] = load_path(FIXTURES / "template.html")
    assert d.origin.kind == "html" and d.origin.is_template
    assert d.subject == "We\u2019re sorry about yesterday"
    assert d.sender is not None and d.sender.address == "care@shop.example"
    assert d.declared_language == "en-US"
    assert d.prose.text == (
        f"Hello {TEMPLATE_MARK},\n\nWe\u2019re sorry: your parcel was late.\nIt was our mistake."
        "\n\nReply to this email if you need help.\n\nShop Ltd \u00b7 1 High St"
    )
    assert d.prose.text[d.extra["footer_start"] :] == "Shop Ltd \u00b7 1 High St"
    [comment, name] = d.template_tags
    assert comment.is_control and comment.name == "comment"
    assert name.name == "customer.first_name" and name.has_fallback


def test_html_subject_sources_and_overrides() -> None:
    html = '<html><head><title>Title</title><meta name="subject" content="Meta"></head></html>'
    assert load_html_text(html, "a.html").subject == "Meta"
    assert load_html_text("<title>Only</title>", "a.html").subject == "Only"
    d = load_html_text(html, "a.html", subject="Given", sender="Me <me@x.example>")
    assert d.subject == "Given" and d.subject_span is None
    assert d.sender is not None and d.sender.address == "me@x.example"


def test_extract_html_structure() -> None:
    html = (
        "<div>One<br>two<br><br>three</div><ul><li>a</li><li>b</li></ul>"
        "<table><tr><td>c1</td><td>c2</td></tr></table>x&amp;y &unknown; &#x41;"
        "<p hidden>hidden</p><div class='yahoo_quoted'>quoted</div><noscript>n</noscript>"
        "<head><body>late body</body>"
    )
    doc, prose, title, meta = extract_html(html)
    assert prose.text == "One\ntwo\n\nthree\n\na\n\nb\n\nc1\n\nc2\n\nx&y &unknown; A\n\nlate body"
    assert title is None and meta.lang is None
    assert doc.find("li") is not None


def test_extract_html_never_raises_on_broken_markup() -> None:
    broken = ("<!DOCTYPE", "<![CDATA[x", "<a href='", "</p></div>text<", "<!x y>z", "&#99999999;")
    for html in broken:
        doc, prose, _t, _m = extract_html(html)
        assert len(prose.origins) == len(prose.text)
        assert doc is not None


def test_html_loaded_from_bytes_with_meta_charset() -> None:
    data = '<meta charset="windows-1250"><p>Przepraszamy za błąd</p>'.encode("cp1250")
    [d] = load_bytes(data, "x.html")
    assert d.prose.text == "Przepraszamy za błąd"


# -- text and markdown ---------------------------------------------------------------------


def test_plain_text_header_block_signature_and_quotes() -> None:
    text = (
        "subject: Sorry about the outage\nFROM: Ops <ops@x.example>\nCc: a@x.example\n\n"
        "Hello,\n\nWe are sorry. The site\nwas down.\n\nOn Monday, Ann wrote:\n> why?\n\n"
        "- Reset your password\n- Turn on 2FA\n\n-- \nOps team\nops@x.example\n"
    )
    d = load_plain_text(text, "a.txt")
    assert d.subject == "Sorry about the outage"
    assert d.sender is not None and d.sender.address == "ops@x.example"
    assert [a.address for a in d.cc] == ["a@x.example"]
    assert d.prose.text == (
        "Hello,\n\nWe are sorry. The site was down.\n\nReset your password\nTurn on 2FA"
        "\n\nOps team\nops@x.example"
    )
    assert d.prose.text[d.extra["footer_start"] :] == "Ops team\nops@x.example"
    assert d.origin.kind == "text" and d.origin.is_template


def test_plain_text_without_header_block() -> None:
    d = load_plain_text("Note: we are sorry.\nSubject: not a header here\n", "a.txt")
    assert d.subject is None
    assert d.prose.text == "Note: we are sorry. Subject: not a header here"


def test_markdown_fixture() -> None:
    [d] = load_path(FIXTURES / "draft.md")
    assert d.subject == "Sorry for the double charge"
    assert d.prose.text == (
        "What happened\n\nWe charged you twice for your April box. See your account for "
        "details. The snake_case_name stays.\n\nWe refunded the second charge.\n"
        "You don't need to do anything.\n\nQuoted in markdown is kept.\n\nBilling team"
    )


def test_text_template_tags_are_masked() -> None:
    d = load_plain_text("Hi [FirstName],\n\n{% if x %}sorry{% endif %} %%=v(@x)=%%\n", "t.txt")
    assert d.prose.text == f"Hi {TEMPLATE_MARK},\n\n{TEMPLATE_MARK}sorry{TEMPLATE_MARK} " + (
        TEMPLATE_MARK
    )
    assert [t.syntax for t in d.template_tags] == [
        "campaignmonitor",
        "liquid",
        "liquid",
        "ampscript",
    ]


# -- template tags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "syntax", "name", "fallback", "control"),
    [
        ("{{ first_name }}", "mustache", "first_name", False, False),
        (
            '{{ customer.first_name | default: "there" }}',
            "liquid",
            "customer.first_name",
            True,
            False,
        ),
        ('{{ customer.first_name | default: "" }}', "liquid", "customer.first_name", False, False),
        ("{{ name|default('friend') }}", "liquid", "name", True, False),
        ('{{ name or "friend" }}', "mustache", "name", True, False),
        ("{{{ body }}}", "handlebars", "body", False, False),
        ("{{#if firstName}}", "handlebars", "firstName", False, True),
        ("{{/if}}", "handlebars", "", False, True),
        ('{{insert name "default=Customer"}}', "handlebars", "name", True, False),
        ("{{${first_name}}}", "liquid", "first_name", False, False),
        ("{{lead.First Name:default=there}}", "marketo", "lead.First Name", True, False),
        ("{{lead.First Name:default=}}", "marketo", "lead.First Name", False, False),
        ("{% if user.name %}", "liquid", "user.name", False, True),
        ("{%- endif -%}", "liquid", "", False, True),
        ("{# a comment #}", "jinja", "comment", False, True),
        ("{% comment %}x {{ y }} z{% endcomment %}", "liquid", "comment", False, True),
        ("*|FNAME|*", "mailchimp", "FNAME", False, False),
        ("*|IF:FNAME|*", "mailchimp", "FNAME", False, True),
        ("*|END:IF|*", "mailchimp", "", False, True),
        ("%%FirstName%%", "ampscript", "FirstName", False, False),
        ("%%=v(@fname)=%%", "ampscript", "fname", False, False),
        ('%%=IIF(Empty(@fn),"there",@fn)=%%', "ampscript", "fn", True, False),
        ("%%[ SET @x = 1 ]%%", "ampscript", "", False, True),
        ("[firstname,fallback=there]", "campaignmonitor", "firstname", True, False),
        ("[firstname,fallback=]", "campaignmonitor", "firstname", False, False),
        ("[FirstName]", "campaignmonitor", "FirstName", False, False),
        ("{contactfield=firstname|Friend}", "mautic", "firstname", True, False),
        ("${name}", "dollar", "name", False, False),
        ("{$name}", "smarty", "name", False, False),
        ("<FirstName>", "angle", "FirstName", False, False),
        ("-first_name-", "sendgrid", "first_name", False, False),
    ],
)
def test_template_tag_syntaxes(
    text: str, syntax: str, name: str, fallback: bool, control: bool
) -> None:
    [tag] = find_template_tags(f"Hello {text}, there")
    assert (tag.syntax, tag.name, tag.has_fallback, tag.is_control) == (
        syntax,
        name,
        fallback,
        control,
    )
    assert tag.start == 6 and tag.end == 6 + len(text)


@pytest.mark.parametrize(
    "text",
    [
        "[sic] and [1] and [Update] and [read more](https://x)",
        "<p>plain html</p> <Table> <br>",
        "50% off, 100%% sure, a - b - c, {not a tag}, {{ unclosed",
        "<!--[if mso]><table><![endif]-->",
        "a*b and *emphasis* and 2*3",
    ],
)
def test_no_false_template_tags(text: str) -> None:
    assert find_template_tags(text, html=True) == []


def test_template_scan_is_linear() -> None:
    nasty = "{{ " * 40_000 + "{% " * 40_000 + "%%[ " * 20_000 + "*|" * 40_000 + "[a " * 40_000
    start = time.perf_counter()
    find_template_tags(nasty)
    assert time.perf_counter() - start < 2.0


# -- files, sniffing and errors ----------------------------------------------------------------


def test_iter_files_walks_sorted_and_excludes(tmp_path: Path) -> None:
    for rel in (
        "b.eml",
        "a.html",
        "sub/c.txt",
        "sub/skip.md",
        "sub/deep/d.htm",
        "notes.pdf",
        ".git/x.eml",
        ".venv/y.html",
        "node_modules/z.html",
        "build/out.html",
        ".hidden.txt",
    ):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    walked = iter_files([tmp_path], ["build", "skip.*"])
    found = [p.relative_to(tmp_path).as_posix() for p in walked]
    assert found == ["a.html", "b.eml", "sub/c.txt", "sub/deep/d.htm"]
    names = [p.name for p in iter_files([tmp_path], ["sub/*"])]
    assert names == ["a.html", "b.eml", "out.html"]
    # explicit files are kept; missing and empty folders are yielded to be reported
    (tmp_path / "empty").mkdir()
    explicit = list(
        iter_files([tmp_path / "notes.pdf", tmp_path / "missing.eml", tmp_path / "empty"])
    )
    assert [p.name for p in explicit] == ["notes.pdf", "missing.eml", "empty"]
    assert {".eml", ".mbox", ".html", ".htm", ".mjml", ".txt", ".md"} <= SUPPORTED_EXTENSIONS
    # every engine's own endings (issue #12), and JSON (SendGrid exports, Postmark meta)
    engines = {".erb", ".blade.php", ".liquid", ".tmpl", ".gohtml", ".hbs", ".handlebars",
               ".mustache", ".twig", ".j2", ".jinja", ".jinja2", ".njk", ".json", ".tpl"}
    assert engines <= SUPPORTED_EXTENSIONS


def test_load_path_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="file not found"):
        load_path(tmp_path / "nope.eml")
    with pytest.raises(LoadError, match="directory"):
        load_path(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(LoadError, match="too large"):
        load_path(big, max_bytes=1000)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100 + b"sorry")
    with pytest.raises(LoadError, match="binary"):
        load_path(binary)
    png = tmp_path / "logo.eml"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(LoadError, match="binary"):
        load_path(png)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_load_path_refuses_a_pipe_without_blocking(tmp_path: Path) -> None:
    # no writer ever opens it: a blocking open would hang here forever
    fifo = tmp_path / "draft.txt"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="named pipe"):
        load_path(fifo, max_bytes=1000)


def test_load_path_refuses_a_device() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(LoadError, match="device"):
        load_path("/dev/zero", max_bytes=1000)


def test_load_path_reads_exactly_the_limit(tmp_path: Path) -> None:
    at_limit = tmp_path / "limit.txt"
    at_limit.write_bytes(b"Subject: Sorry\n\n" + b"b" * 984)
    (draft,) = load_path(at_limit, max_bytes=1000)
    assert len(draft.source.text) == 1000


def test_empty_files_load_with_a_warning(tmp_path: Path) -> None:
    for name in ("e.eml", "e.html", "e.txt"):
        p = tmp_path / name
        p.write_bytes(b"")
        [d] = load_path(p)
        assert d.prose.text == "" and d.subject is None
    [d] = load_path(tmp_path / "e.eml")
    assert d.warnings == ["the file is empty"]


def test_sniffing_for_stdin_and_unknown_extensions(tmp_path: Path) -> None:
    assert sniff_extension(b"Received: from x\nSubject: y\n\nz") == ".eml"
    assert sniff_extension(b"From someone@x Mon Jan 1\n") == ".eml"
    assert sniff_extension(b"\xef\xbb\xbf  <!doctype html>") == ".html"
    assert sniff_extension(b"Hello,\nwe are sorry") == ".txt"
    assert sniff_extension(b"Note: this is text") == ".txt"
    [d] = load_bytes(b"Subject: Hi\nFrom: a@b.example\n\nWe are sorry.\n")
    assert d.origin.kind == "eml" and d.subject == "Hi"
    [d] = load_bytes(b"<p>We are sorry.</p>", subject="S", sender="x@y.example")
    assert d.origin.kind == "html" and d.subject == "S"
    p = tmp_path / "draft.letter"
    p.write_bytes(b"We are sorry.\n")
    [d] = load_path(p)
    assert d.origin.kind == "text" and d.prose.text == "We are sorry."
    # a message's own headers stay: the options only fill what it lacks
    [d] = load_path(FIXTURES / "qp-alternative.eml", subject="Override", sender="o@x.example")
    assert d.subject != "Override" and d.sender is not None
    assert d.sender.address != "o@x.example"


def test_undecodable_text_file_is_guessed_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "pl.txt"
    p.write_bytes("Przepraszamy za błąd, zażółć gęślą jaźń.\n".encode("cp1250") * 5)
    [d] = load_path(p)
    assert d.warnings and "decoded as" in d.warnings[0]
    assert "\ufffd" not in d.prose.text


def test_input_files_are_never_modified(tmp_path: Path) -> None:
    p = tmp_path / "a.eml"
    data = (FIXTURES / "qp-alternative.eml").read_bytes()
    p.write_bytes(data)
    p.chmod(0o444)
    before = p.stat().st_mtime_ns
    load_path(p)
    assert p.read_bytes() == data and p.stat().st_mtime_ns == before


# -- shared samples ------------------------------------------------------------------------------


@needs_samples
def test_all_samples_load_cleanly() -> None:
    paths = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in SUPPORTED_EXTENSIONS]
    assert len(paths) >= 20
    for p in paths:
        [d] = load_path(p)
        assert d.prose.text.strip(), p.name
        assert len(d.prose.origins) == len(d.prose.text)
        assert d.warnings == [], (p.name, d.warnings)


@needs_samples
def test_sample_polish_subject_iso_8859_2_q() -> None:
    [d] = load_path(SAMPLES / "pl-good-naruszenie-danych.eml")
    assert d.subject == "Naruszenie ochrony Twoich danych osobowych: co się stało"
    assert d.sender is not None
    assert d.sender.display_name == "Zielony Koszyk \u2013 Obsługa Klienta"
    assert d.declared_language == "pl"
    assert d.text_prose is not None and "Dzień dobry" in d.text_prose.text


@needs_samples
def test_sample_windows_1250_text() -> None:
    [d] = load_path(SAMPLES / "pl-brak-przeprosin-awaria.eml")
    assert d.prose.text.startswith("Szanowni Użytkownicy,\n\n7 maja w godzinach 8:00\u201311:30")
    assert "wdrożyliśmy tego ranka" in d.prose.text
    assert not d.has_html_part and d.has_text_part


def test_mbox_envelope_line_and_html_meta_charset_in_eml() -> None:
    html = '<meta charset="iso-8859-2"><p>Przepraszamy za błąd</p>'.encode("iso-8859-2")
    data = (
        b"From sender@example.com Mon Jan  1 00:00:00 2025\n"
        b"From: a@b.example\nSubject: x\nContent-Type: text/html\n\n" + html + b"\n"
    )
    d = load_eml_bytes(data, "m.eml")
    assert d.sender is not None and d.sender.address == "a@b.example"
    assert d.prose.text == "Przepraszamy za błąd"


def test_quoted_reply_in_html_and_text_is_not_prose() -> None:
    data = eml(
        "From: a@b.example\nSubject: Re: order\nContent-Type: text/html; charset=utf-8",
        b'<div>We are sorry.</div><div class="gmail_quote"><div>On Mon, X wrote:</div>'
        b'<blockquote class="gmail_quote">old message</blockquote></div>',
    )
    assert load_eml_bytes(data, "r.eml").prose.text == "We are sorry."


_TAG_BITS = st.sampled_from(
    [
        *"{}%#*|[]<>-_$=@ aZ\n(),:\"'",
        *("{{", "}}", "{%", "%}", "*|", "|*", "%%", "default:", "fallback=", "comment"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TAG_BITS, max_size=60).map("".join))
def test_template_tags_are_sorted_disjoint_and_in_bounds(text: str) -> None:
    tags = find_template_tags(text, html=True)
    last = 0
    for t in tags:
        assert last <= t.start < t.end <= len(text)
        last = t.end


def test_from_and_subject_options_only_fill_missing_eml_headers() -> None:
    from apologylint.loaders import load_bytes

    message = b"From: noreply@acme.example\r\nSubject: Sorry\r\n\r\nWe are sorry.\r\n"
    (draft,) = load_bytes(message, "m.eml", subject="Other", sender="help@acme.example")
    assert draft.subject == "Sorry"
    assert draft.sender is not None and draft.sender.address == "noreply@acme.example"
    bare = b"To: a@example.com\r\n\r\nWe are sorry.\r\n"
    (draft,) = load_bytes(bare, "m.eml", subject="Other", sender="help@acme.example")
    assert draft.subject == "Other"
    assert draft.sender is not None and draft.sender.address == "help@acme.example"
