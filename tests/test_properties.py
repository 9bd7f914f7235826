"""Property-based tests (hypothesis) over the loaders and the engine.

Random MIME trees, random bytes, random HTML and random templates go through the loaders
and the whole rule set: nothing may raise, no rule may crash (a crash would be recorded
as an "internal error" entry), every prose character maps inside the file, template tags
never reach the prose, and every finding has a position in the file. The fast paths
written for speed are checked against the plain implementations they replaced.

``APOLOGYLINT_HYPOTHESIS_EXAMPLES`` raises the number of examples for a long run.
"""

from __future__ import annotations

import email.message
import email.policy
import os
import re
from array import array
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import apologylint
from apologylint.context import _not_overlapping
from apologylint.engine import lint_draft
from apologylint.loaders import LoadError, load_bytes
from apologylint.loaders.decoding import _decode_qp, _decode_qp_slow
from apologylint.loaders.eml import load_eml_bytes
from apologylint.loaders.html import load_html_text
from apologylint.loaders.templating import find_template_tags
from apologylint.matching import Entry, Match, Token, fold, tokenize
from apologylint.model import TEMPLATE_MARK, Draft, Report
from apologylint.packs import load_packs
from apologylint.rules.tone import _SMILEY_CHARS, _caret_face, _colon_face, emoticon_hits
from apologylint.settings import INCIDENT_KINDS, JURISDICTIONS, Settings

EXAMPLES = int(os.environ.get("APOLOGYLINT_HYPOTHESIS_EXAMPLES", "40"))
SLOW = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FAST = settings(max_examples=EXAMPLES * 5, deadline=None)


def _words_of_the_packs() -> list[str]:
    """Single words of every vocabulary of both packs: random drafts that say things
    the rules listen for (apologies, blame, jokes, next steps), in both languages."""
    words: set[str] = set()
    for pack in load_packs(()).values():
        for vocab in pack.vocabularies.values():
            for phrase, _ in vocab.phrases():
                words.update(w for w in re.split(r"[\s()|*_]+", phrase) if w.isalpha())
    return sorted(words)


WORDS = _words_of_the_packs()
word = st.sampled_from(WORDS) | st.text(alphabet="abcząłśXYZ'-", min_size=1, max_size=8)
punctuation = st.sampled_from([" ", " ", " ", ", ", ". ", "! ", "? ", ": ", "\n", "\n\n",
                               " — ", " (", ") ", "!!! ", " :) ", " 😂 ", " \u00a0", "\t"])
prose = st.lists(st.tuples(word, punctuation), max_size=60).map(
    lambda items: "".join(w + p for w, p in items))

TEMPLATE_TAGS = ["{{ first_name }}", "{{ name | default: 'there' }}", "{% if vip %}",
                 "{% endif %}", "{# note #}", "*|FNAME|*", "%%FirstName%%",
                 "${user.name}", "{$order}", "[FirstName]", "<FirstName>",
                 "{{#if x}}", "{{/if}}", "{{", "}}", "{%", "%%=v(@x)=%%", "-first_name-",
                 "{contactfield=firstname}", "[[unclosed", "*|", "|*"]
with_tags = st.lists(prose | st.sampled_from(TEMPLATE_TAGS), max_size=12).map("".join)


def _assert_sound(report: Report) -> None:
    """No rule crashed, and every finding sits at a real line and column."""
    crashes = [e.message for e in report.errors if "internal error" in e.message]
    assert not crashes, crashes
    for d in report.diagnostics:
        assert d.line >= 1 and d.column >= 1, d
        assert (d.end_line, d.end_column) >= (d.line, d.column), d


def _assert_draft_sound(draft: Draft) -> None:
    text = draft.prose.text
    assert len(draft.prose.origins) == len(text)
    size = len(draft.source.text)
    assert all(-1 <= o <= size for o in draft.prose.origins)


# -- random bytes ----------------------------------------------------------------------


@SLOW
@given(st.binary(max_size=3000), st.sampled_from(["-", "x.eml", "x.html", "x.txt", "x.md",
                                                   "x.mbox", "x.mjml"]))
def test_random_bytes_never_raise(data: bytes, name: str) -> None:
    try:
        drafts = load_bytes(data, path=name)
    except LoadError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    for draft in drafts:
        _assert_draft_sound(draft)
        _assert_sound(lint_draft(draft, Settings()))


@SLOW
@given(st.binary(max_size=2000))
def test_random_bytes_after_a_message_header_never_raise(data: bytes) -> None:
    head = (b"From: Shop <help@shop.example>\nSubject: Sorry\nMIME-Version: 1.0\n"
            b'Content-Type: multipart/alternative; boundary="b"\n\n--b\n')
    report = apologylint.lint(head + data)
    _assert_sound(report)
    assert all("\n" not in e.message for e in report.errors)


# -- random MIME trees -----------------------------------------------------------------

MARKER = "zebracode"
CHARSETS = ["utf-8", "iso-8859-2", "windows-1250", "us-ascii", "x-bogus", "utf-16"]
ENCODINGS = ["7bit", "8bit", "quoted-printable", "base64", "x-strange"]


def _leaf(kind: str, charset: str, cte: str, text: str, attachment: bool) -> email.message.Message:
    body = text if kind == "plain" else f"<html><body><p>{text}</p></body></html>"
    part = email.message.Message()
    part["Content-Type"] = f'text/{kind}; charset="{charset}"'
    if attachment:
        part["Content-Disposition"] = 'attachment; filename="a.txt"'
    codec = {"x-bogus": "utf-8", "us-ascii": "ascii"}.get(charset, charset)
    raw = body.encode(codec, "replace")
    if cte == "base64":
        import base64

        payload = base64.encodebytes(raw).decode("ascii")
    elif cte == "quoted-printable":
        import quopri

        payload = quopri.encodestring(raw).decode("ascii")
    else:
        payload = raw.decode("latin-1") if cte != "7bit" else raw.decode("ascii", "replace")
    part["Content-Transfer-Encoding"] = cte
    part.set_payload(payload)
    return part


leaves = st.builds(
    _leaf,
    st.sampled_from(["plain", "html"]),
    st.sampled_from(CHARSETS),
    st.sampled_from(ENCODINGS),
    prose.map(lambda p: f"{p} {MARKER} {p}"),
    st.booleans(),
)


def _container(subtype: str, parts: list[email.message.Message]) -> email.message.Message:
    msg = email.message.Message()
    if subtype == "rfc822":
        msg["Content-Type"] = "message/rfc822"
        inner = email.message.Message()
        inner["Subject"] = "Forwarded"
        inner.set_payload(parts[:1] or "")
        if parts:
            inner["Content-Type"] = 'multipart/mixed; boundary="inner"'
            inner.set_boundary("inner-" + str(id(inner)))
        msg.set_payload([inner])
        return msg
    msg["Content-Type"] = f"multipart/{subtype}"
    msg.set_payload(parts)
    msg.set_boundary(f"b{id(msg)}")
    return msg


trees = st.recursive(
    leaves,
    lambda children: st.builds(
        _container, st.sampled_from(["mixed", "alternative", "related", "rfc822"]),
        st.lists(children, min_size=0, max_size=4),
    ),
    max_leaves=8,
)


def _eligible(part: email.message.Message, inside_message: bool = False) -> bool:
    """Whether the tree has a text part the loader reads (not an attachment, not inside
    an attached message, in a charset and encoding it can decode)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        inner = inside_message or part.get_content_type().startswith("message/")
        return any(_eligible(p, inner) for p in payload)
    return (not inside_message and part.get_content_disposition() != "attachment"
            and part.get_content_type() in ("text/plain", "text/html")
            and part["Content-Transfer-Encoding"] != "x-strange"
            and part.get_param("charset") != "utf-16")


@SLOW
@given(trees, prose, st.booleans())
def test_random_mime_trees_load_and_lint(tree: email.message.Message, subject: str,
                                         crlf: bool) -> None:
    root = tree if tree.is_multipart() else _container("mixed", [tree])
    root["From"] = "Maya <maya@shop.example>"
    root["Subject"] = subject.replace("\n", " ")[:200] or "Sorry"
    root["MIME-Version"] = "1.0"
    try:
        text = root.as_string(policy=email.policy.compat32)
    except Exception:
        assume(False)
        return
    # 8-bit bodies are held as latin-1 characters (one per byte); headers are UTF-8
    data = b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("utf-8", "replace")
                    for c in text)
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    draft = load_eml_bytes(data, "tree.eml")
    _assert_draft_sound(draft)
    if _eligible(root):
        assert MARKER in draft.prose.text.lower() or (
            draft.text_prose is not None and MARKER in draft.text_prose.text.lower())
    _assert_sound(apologylint.lint(draft))


# -- random HTML -----------------------------------------------------------------------

TAGS = ["p", "div", "span", "table", "tr", "td", "a", "b", "br", "img", "style", "script",
        "title", "head", "body", "html", "footer", "blockquote", "ul", "li", "h1", "meta"]
ATTRS = ['', ' style="display:none"', ' class="preheader"', ' href="https://x.example"',
         ' lang="pl"', ' name="subject" content="Sorry"', ' class="gmail_quote"', " hidden",
         ' alt="Logo" src="logo.png"', ' style="color:#123456"', ' a=b c', ' "=\'']
BROKEN = ["<", ">", "</", "<!", "<!--", "-->", "<![CDATA[", "]]>", "&", "&amp", "&#", "&#x",
          "&#99999999;", "&nbsp;", "&bogus;", "<?xml?>", "<!DOCTYPE html>", "\x00", "\r",
          "\ufeff", "</p></p>", "<p <p>"]


@st.composite
def html_docs(draw: Callable[..., Any]) -> str:
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            pieces.append(f"<{draw(st.sampled_from(TAGS))}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            pieces.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif kind == 2:
            pieces.append(draw(st.sampled_from(BROKEN)))
        elif kind == 3:
            pieces.append(draw(st.sampled_from(TEMPLATE_TAGS)))
        else:
            pieces.append(draw(prose))
    return "".join(pieces)


@SLOW
@given(html_docs())
def test_random_html_loads_and_lints(html: str) -> None:
    draft = load_html_text(html, "random.html")
    _assert_draft_sound(draft)
    _assert_sound(apologylint.lint(draft))


@SLOW
@given(html_docs(), st.sampled_from(["utf-8", "utf-16", "cp1250", "iso-8859-2"]))
def test_random_html_bytes_in_any_charset(html: str, codec: str) -> None:
    data = html.encode(codec, "replace")
    try:
        drafts = load_bytes(data, path="random.html")
    except LoadError as exc:  # e.g. UTF-16 without a BOM looks binary
        assert "\n" not in str(exc)
        return
    for draft in drafts:
        _assert_draft_sound(draft)


# -- random templates ------------------------------------------------------------------


@SLOW
@given(with_tags, st.sampled_from(["txt", "html"]), st.sampled_from(["en", "pl", "auto"]))
def test_random_templates_keep_tags_out_of_the_prose(text: str, kind: str, lang: str) -> None:
    if kind == "html":
        draft = load_html_text(f"<p>{text}</p>", "t.html", subject="Sorry", sender="a@b.example")
    else:
        draft = Draft.from_text(text, subject="Sorry", sender="a@b.example")
    _assert_draft_sound(draft)
    source = draft.source.text
    for tag in draft.template_tags:
        assert 0 <= tag.span.start <= tag.span.end <= len(source)
        if not tag.is_control and len(tag.text) > 4 and tag.text not in text.replace(
                tag.text, "", 1):
            # the tag's own characters never reach the words the rules read
            assert tag.text not in draft.prose.text
    assert draft.prose.text.count(TEMPLATE_MARK) <= len(draft.template_tags)
    report = apologylint.lint(draft, config={"language": lang})
    _assert_sound(report)


@FAST
@given(with_tags)
def test_template_tags_are_ordered_and_in_bounds(text: str) -> None:
    tags = find_template_tags(text)
    previous_end = 0
    for tag in tags:
        assert previous_end <= tag.start < tag.end <= len(text)
        previous_end = tag.end


# -- the engine over random drafts and settings ----------------------------------------


@SLOW
@given(
    prose, prose,
    st.sampled_from(["auto", "en", "pl", "de"]),
    st.sampled_from(INCIDENT_KINDS),
    st.lists(st.sampled_from(JURISDICTIONS), max_size=2, unique=True),
    st.sampled_from(["Maya <maya@shop.example>", "noreply@x.example", "not an address",
                     "", "=?utf-8?q?Zesp=C3=B3=C5=82?= <z@sklep.example>"]),
)
def test_the_engine_on_random_drafts_and_settings(
    subject: str, body: str, lang: str, incident: str, jurisdiction: list[str], sender: str
) -> None:
    text = f"Subject: {subject.splitlines()[0] if subject.strip() else ''}\n"
    text += f"From: {sender}\n\n{body}"
    draft = Draft.from_text(text)
    config = {"language": lang, "incident": incident, "jurisdiction": jurisdiction}
    _assert_sound(apologylint.lint(draft, config=config))


# -- fast paths against the plain implementations --------------------------------------

# a word, and a hashtag's or mention's mark when it starts the run ("#fail", "@acme")
_WORD_RE = re.compile(r"(?:(?<![^\W_])[#@])?[^\W_]+(?:['\-][^\W_]+)*")


def _tokenize_reference(folded: str, original: str | None = None) -> list[Token]:
    """The plain loop :func:`tokenize` must equal: a gap with a break character ends a
    sentence unless it is only dots, colons and slashes inside a run ("acme.example",
    "10:30"); with the original text, a bare line break before a lower-case word is a hard
    wrap, not a break."""
    tokens: list[Token] = []
    prev_end = 0
    for m in _WORD_RE.finditer(folded):
        gap = folded[prev_end:m.start()]
        brk = any(c in ".!?;:\n" for c in gap) and gap.strip(".:/") != ""
        if original is not None and gap.strip(" \t\r") == "\n":
            brk = brk and not original[m.start()].islower()
        tokens.append(Token(m.group(), m.start(), m.end(), brk or not tokens))
        prev_end = m.end()
    return tokens


@FAST
@given(st.text(alphabet=st.sampled_from(list("ab AąŁ'-_.!?;:/#@\n\t,1😂İ\u00a0")), max_size=80)
       | prose)
def test_tokenize_equals_the_plain_loop(text: str) -> None:
    folded = fold(text)
    assert tokenize(folded) == _tokenize_reference(folded)
    assert tokenize(folded, text) == _tokenize_reference(folded, text)


@FAST
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), max_size=12),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), max_size=12))
def test_exception_sweep_equals_comparing_every_pair(
    spans: list[tuple[int, int]], blocks: list[tuple[int, int]]
) -> None:
    entry = Entry("v", "p")
    matches = sorted((Match(entry, s, s + n, 0, 0) for s, n in spans), key=lambda m: m.start)
    blockers = [Match(entry, s, s + n, 0, 0) for s, n in blocks]
    expected = [m for m in matches
                if not any(b.start < m.end and m.start < b.end for b in blockers)]
    assert _not_overlapping(matches, blockers) == expected


@FAST
@given(st.text(alphabet=st.sampled_from(list("=3DaF0g \t\r\nx")), max_size=60),
       st.integers(0, 1000))
def test_quoted_printable_fast_path_equals_the_loop(encoded: str, start: int) -> None:
    data, origins = _decode_qp(encoded, start)
    expected_data, expected_origins = _decode_qp_slow(encoded, start)
    assert data == expected_data
    assert array("l", origins) == array("l", expected_origins)


def _emoticons_reference(text: str) -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _SMILEY_CHARS:
            hits.append((i, i + 1))
            i += 1
            continue
        end = _caret_face(text, i) if ch == "^" else _colon_face(text, i) if ch in ":;=" else 0
        if end:
            hits.append((i, end))
            i = end
            continue
        i += 1
    return hits


@FAST
@given(st.text(alphabet=st.sampled_from(list(":;=^_-.()DPp]o'☺ aZ0\n")), max_size=40))
def test_emoticon_scan_equals_the_character_loop(text: str) -> None:
    assert [(h.start, h.end) for h in emoticon_hits(text)] == _emoticons_reference(text)
