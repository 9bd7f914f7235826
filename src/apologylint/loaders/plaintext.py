"""Load plain-text and Markdown drafts, and build prose for any text body (.eml parts too).

Plain-text mail is hard-wrapped: single newlines inside a paragraph are joined by a space,
blank lines separate paragraphs. A line that is only ``--`` starts the signature (kept in
the prose, its offset noted). Quoted earlier messages (``>`` lines) are not the draft's
voice and are left out, except in Markdown, where ``>`` is a blockquote marker.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Sequence
from typing import NamedTuple

from ..model import Address, Draft, Header, Origin, Prose, Source
from ..prose import ProseBuilder, is_identity
from . import LoadError
from .decoding import decode_header_value, parse_addresses
from .templating import find_template_tags, map_span, mask_intervals, to_template_tags

__all__ = [
    "RawHeader",
    "TextBody",
    "apply_headers",
    "load_plain_text",
    "scan_headers",
    "text_prose",
]


class RawHeader(NamedTuple):
    """A header field as written: name, unfolded raw value, span (name to value end)."""

    name: str
    value: str
    start: int
    end: int


class TextBody(NamedTuple):
    """Prose of a text body and the prose offset where its signature starts, if any."""

    prose: Prose
    footer_start: int | None


#: As the stdlib feed parser reads a field line (no blank before the colon), so that the
#: body starts where its MIME payloads start.
_EML_HEADER = re.compile(r"([\x21-\x39\x3b-\x7e]{0,998}):")
_TEXT_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9\-]{0,40})[ \t]{0,10}:")
_TEXT_FIRST = re.compile(r"(?i:subject|from|reply-to|to|cc)[ \t]{0,10}:")


def _line_end(text: str, pos: int) -> tuple[int, int]:
    """(end of content without CR/LF, start of the next line)."""
    nl = text.find("\n", pos)
    if nl == -1:
        end = len(text)
        nxt = end
    else:
        end, nxt = nl, nl + 1
    if end > pos and text[end - 1] == "\r":
        end -= 1
    return end, nxt


def scan_headers(text: str, pos: int = 0, *, eml: bool = True) -> tuple[list[RawHeader], int]:
    """Header fields from ``pos`` up to the blank line; returns them and the body start.

    Mirrors the stdlib feed parser: a line that is neither a field nor a continuation ends
    the block and belongs to the body. With ``eml`` a leading mbox ``From `` line is
    skipped; without it, field names are stricter (plain-text header blocks).
    """
    headers: list[RawHeader] = []
    n = len(text)
    line_re = _EML_HEADER if eml else _TEXT_HEADER
    if eml and text.startswith("From ", pos):
        pos = _line_end(text, pos)[1]
    name = ""
    value_parts: list[str] = []
    start = end = -1

    def finish() -> None:
        if start >= 0:
            headers.append(RawHeader(name, "".join(value_parts).lstrip(" \t"), start, end))

    while pos < n:
        content_end, nxt = _line_end(text, pos)
        if content_end == pos:  # blank line: end of the block
            finish()
            return headers, nxt
        c = text[pos]
        if c in " \t" and start >= 0:
            value_parts.append(text[pos:content_end])
            end = content_end
            pos = nxt
            continue
        if eml and text.startswith("From ", pos):  # a misplaced envelope line: ignored
            pos = nxt
            continue
        m = line_re.match(text, pos, content_end)
        if m is None:
            finish()
            return headers, pos
        finish()
        name = m.group(1)
        value_parts = [text[m.end() : content_end]]
        start, end = pos, content_end
        pos = nxt
    finish()
    return headers, n


def apply_headers(draft: Draft, headers: Sequence[RawHeader], decode: bool,
                  origins: Sequence[int] | None = None) -> None:
    """Fill subject, sender and recipients of ``draft`` from header fields (``origins``
    maps the scanned text's offsets to the source, when it is not the source itself)."""
    for h in headers:
        span = map_span(h.start, h.end, origins)
        value = decode_header_value(h.name, h.value) if decode else h.value.strip()
        draft.headers.append(Header(h.name, value, span))
        key = h.name.lower()
        if key == "subject" and draft.subject is None:
            draft.subject, draft.subject_span = value, span
        elif key == "from" and draft.sender is None:
            found = parse_addresses(h.value, span)
            draft.sender = found[0] if found else Address("", "", span)
            draft.sender_span = span
            if len(found) > 1:
                draft.warnings.append("the From header holds more than one address")
        elif key == "reply-to" and not draft.reply_to:
            draft.reply_to = parse_addresses(h.value, span)
            draft.reply_to_span = span
        elif key == "to":
            draft.to.extend(parse_addresses(h.value, span))
        elif key == "cc":
            draft.cc.extend(parse_addresses(h.value, span))


# -- body prose --------------------------------------------------------------------------

_BULLET = re.compile(r"[ \t]{0,8}(?:[-*+\u2022\u2013]|\d{1,3}[.)])[ \t]{1,8}(?=\S)")
_MD_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]{1,8}|$)")
_MD_QUOTE = re.compile(r"[ \t]{0,3}(?:>[ \t]?){1,10}")
_MD_RULE = re.compile(r"[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_MD_FENCE = re.compile(r"[ \t]{0,3}(?:```|~~~)")
_MD_INLINE = re.compile(
    r"!\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)"  # image: dropped
    r"|\[(?=[^\]\n]{0,200}\]\()"  # link text opener
    r"|\]\([^)\n]{0,500}\)"  # link target
    r"|\*\*|__|~~|`+|\*|_"
)
_ATTRIBUTION = re.compile(
    r"(?i:wrote|napisał|napisała|napisał\(a\)|schrieb|a écrit|escribió|scrisse)\s?:\s*$"
)


def _md_deletions(
    line: str, base: int, masks: Sequence[tuple[int, int, bool]], mask_starts: list[int]
) -> list[int]:
    """Boundaries ``[d0s, d0e, d1s, d1e, ...]`` (line-local) of Markdown markup to drop."""
    out: list[int] = []
    for m in _MD_INLINE.finditer(line):
        s, e = m.span()
        tok = m.group()
        if tok in ("*", "_"):
            before = line[s - 1] if s > 0 else " "
            after = line[e] if e < len(line) else " "
            if before.isalnum() and after.isalnum():
                continue  # snake_case, 2*3
            if not before.isalnum() and not after.isalnum() and tok == "*":
                continue  # a lone asterisk
        if masks and _in_mask(masks, mask_starts, base + s):
            continue  # inside a template tag (e.g. *|FNAME|*)
        out.extend((s, e))
    return out


def _peek_quote(text: str, pos: int) -> bool:
    """Whether the next non-blank line from ``pos`` is a quoted (``>``) line."""
    n = len(text)
    while pos < n:
        end, nxt = _line_end(text, pos)
        stripped = text[pos:end].strip()
        if stripped:
            return stripped.startswith(">")
        pos = nxt
    return False


def text_prose(
    text: str,
    start: int = 0,
    origins: Sequence[int] | None = None,
    *,
    markdown: bool = False,
    drop_quotes: bool = True,
    masks: Sequence[tuple[int, int, bool]] = (),
) -> TextBody:
    """Prose of ``text[start:]`` (``origins`` maps ``text`` to the source; None: identity).

    The builder maps each run's origins as it records them (a slice of ``origins``), not
    the whole prose at the end, which held a Python int per character (issue 14)."""
    b = ProseBuilder(masks, origins)
    mask_starts = [m[0] for m in masks]
    footer_start: int | None = None
    in_footer = False
    in_fence = False
    n = len(text)
    pos = start
    while pos < n:
        end, nxt = _line_end(text, pos)
        line = text[pos:end]
        stripped = line.strip()
        if not stripped:
            b.paragraph_break()
            pos = nxt
            continue
        if line in ("--", "-- ") and not in_fence:
            b.paragraph_break()
            if footer_start is None:
                footer_start = b.next_offset()
            in_footer = True
            pos = nxt
            continue
        if markdown and _MD_FENCE.match(line):
            in_fence = not in_fence
            b.paragraph_break()
            pos = nxt
            continue
        if drop_quotes and not markdown:
            if stripped.startswith(">"):
                pos = nxt
                continue
            if _ATTRIBUTION.search(stripped) and _peek_quote(text, nxt):
                pos = nxt
                continue
        lead = 0
        heading = False
        if markdown and not in_fence:
            if _MD_RULE.match(line):
                b.paragraph_break()
                pos = nxt
                continue
            m = _MD_HEADING.match(line)
            if m:
                heading = True
                lead = m.end()
            else:
                m = _MD_QUOTE.match(line)
                if m:
                    lead = m.end()
        bm = _BULLET.match(line, lead)
        if heading:
            b.paragraph_break()
        elif bm is not None or in_footer or in_fence:
            b.line_break()
        if bm is not None and not (masks and _in_mask(masks, mask_starts, pos + lead)):
            lead = bm.end()
        content = line[lead:]
        if markdown and not in_fence:
            cuts = _md_deletions(content, pos + lead, masks, mask_starts)
            k = 0
            for i in range(0, len(cuts), 2):
                if cuts[i] > k:
                    b.add_run(content[k : cuts[i]], pos + lead + k)
                k = cuts[i + 1]
            if k < len(content):
                b.add_run(content[k:], pos + lead + k)
        else:
            b.add_run(content, pos + lead)
        if heading:
            b.paragraph_break()
        else:
            b.space(end)  # hard-wrapped lines join with a space
        pos = nxt
    prose = b.build()
    if footer_start is not None:
        footer_start = min(footer_start, len(prose))
    return TextBody(prose, footer_start)


def _in_mask(masks: Sequence[tuple[int, int, bool]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < masks[i][1]


def _origins_from(origins: Sequence[int], start: int) -> array[int]:
    """``origins[start:]`` as an ``array("l")``: the slice itself when ``origins`` is one
    already (copying it again made a second copy of 8 bytes per character)."""
    if isinstance(origins, array) and origins.typecode == "l":
        return origins[start:]
    return array("l", origins[start:])


def load_plain_text(
    text: str,
    path: str,
    subject: str | None = None,
    sender: str | None = None,
    *,
    markdown: bool | None = None,
    source: Source | None = None,
    origins: Sequence[int] | None = None,
    engine: str | None = None,
) -> Draft:
    """A draft from a .txt/.md file; a leading ``Subject:``/``From:`` block gives headers.

    The header block counts only if the first line is Subject, From, Reply-To, To or Cc.
    ``subject``/``sender`` arguments (``--subject``/``--from``) win over it. A caller that
    put the text together from several files (a template's text part, see
    :mod:`apologylint.project`) passes their joined ``source`` and each character's
    ``origins`` in it. ``engine`` is the template engine the text is written in, when
    known. Raises only :class:`~apologylint.loaders.LoadError`.
    """
    try:
        return _load_plain_text(text, path, subject, sender, markdown, source, origins, engine)
    except LoadError:
        raise
    except Exception as e:
        raise LoadError(f"could not read the text: {type(e).__name__}: {e}", path) from e


def _load_plain_text(
    text: str, path: str, subject: str | None, sender: str | None, markdown: bool | None,
    source: Source | None, origins: Sequence[int] | None, engine: str | None,
) -> Draft:
    if markdown is None:
        markdown = path.lower().endswith((".md", ".markdown"))
    draft = Draft(
        origin=Origin(path=path, kind="text", is_template=True, engine=engine),
        source=source if source is not None else Source(path, text),
    )
    if origins is not None and len(draft.source.text) == len(text) and is_identity(origins):
        # the text is its one file as written (a template with nothing poured into it):
        # read as that file given alone, without a map that says nothing (it was kept
        # whole in ``extra["text_origins"]``: 8 bytes a character, issue 14)
        origins = None
    body_start = 0
    if _TEXT_FIRST.match(text):
        headers, body_start = scan_headers(text, 0, eml=False)
        apply_headers(draft, headers, decode=False, origins=origins)
    if subject is not None:
        draft.subject, draft.subject_span = subject, None
    if sender is not None:
        found = parse_addresses(sender)
        draft.sender, draft.sender_span = (found[0] if found else None), None
    tags = find_template_tags(text, engine=engine)
    body = text_prose(
        text, body_start, origins, markdown=markdown, drop_quotes=True,
        masks=mask_intervals(tags),
    )
    draft.prose = body.prose
    draft.text_prose = body.prose
    draft.has_text_part = True
    draft.template_tags = to_template_tags(text, tags, origins)
    if body.footer_start is not None:
        draft.extra["footer_start"] = body.footer_start
    draft.extra["text"] = text[body_start:]
    if origins is not None:
        draft.extra["text_origins"] = _origins_from(origins, body_start)
    return draft
