"""Load RFC 5322 messages (.eml): headers with spans, MIME bodies with exact positions.

The source text is the raw bytes decoded as UTF-8 with ``surrogateescape``: every byte
keeps a place and columns count characters as an editor shows them. Top-level headers are
scanned from that text directly (so each has a span). The MIME tree comes from the stdlib
feed parser run over the same text with the ``compat32`` policy, whose payloads are exact
slices of the input; each leaf body is found in the text from a cursor that only moves
forward, then transfer- and charset-decoded with origin arrays (see :mod:`.decoding`).
Header values are decoded with ``email.policy.default`` and legacy fallbacks.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Draft, Origin, Source, Span, TemplateTag
from . import MIME_DEPTH_LIMIT, LoadError
from .decoding import DecodedBody, decode_body
from .html import extract_html
from .plaintext import RawHeader, apply_headers, scan_headers, text_prose
from .templating import find_template_tags, mask_intervals, to_template_tags

__all__ = ["load_eml_bytes", "load_eml_message"]



def _too_deep(limit: int) -> LoadError:
    return LoadError(
        f"MIME parts nested more than {limit} levels deep (the limit, max-mime-depth, "
        f"is {limit}); the message was not read"
    )


@dataclass(slots=True)
class _Leaf:
    """A located, decoded-on-demand leaf part."""

    part: email.message.Message
    start: int  # source offset of the encoded body
    header_offset: int  # source offset of the part's Content-Type line (or first header)
    in_attached_message: bool
    #: False when the body is not written verbatim in the file (the parser normalised
    #: stray CRs): its characters then all point at the part's header line
    located: bool = True


def _safe_str(value: object) -> str:
    try:
        return str(value) if value is not None else ""
    except Exception:  # a Header object that cannot be rendered
        return ""


def _raw_payload(part: email.message.Message) -> object:
    """The payload exactly as parsed (``get_payload()`` would re-decode 8-bit text)."""
    raw = getattr(part, "_payload", None)
    if raw is None:
        try:
            raw = part.get_payload()
        except Exception:
            raw = ""
    return raw


def _content_type(part: email.message.Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def _disposition(part: email.message.Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return _safe_str(part.get("Content-Disposition")).split(";", 1)[0].strip().lower()


def _charset(part: email.message.Message) -> str | None:
    try:
        value = part.get_param("charset")
    except Exception:
        return None
    if isinstance(value, tuple):  # RFC 2231 (charset, language, value)
        value = value[2]
    text = _safe_str(value).strip()
    return text or None


class _Locator:
    """Finds each part's headers and body in the source text, in file order."""

    def __init__(self, text: str, cursor: int, root_header_offset: int) -> None:
        self.text = text
        self.cursor = cursor
        self.root_header_offset = root_header_offset

    def headers(self, part: email.message.Message, is_root: bool) -> int:
        """Offset of the part's Content-Type line; moves the cursor past its header block."""
        if is_root:
            return self.root_header_offset
        text = self.text
        keys = part.keys()
        if not keys:
            return self.cursor
        pattern = re.compile(rf"(?im)^{re.escape(_safe_str(keys[0]))}[ \t]*:")
        found = pattern.search(text, self.cursor)
        if found is None:
            return self.cursor
        first = found.start()
        fields, body_start = scan_headers(text, first, eml=True)
        self.cursor = body_start
        for field in fields:
            if field.name.lower() == "content-type":
                return field.start
        return first

    def body(self, payload: str, header_offset: int) -> int:
        if not payload:
            return self.cursor
        at = self.text.find(payload, self.cursor)
        if at == -1:
            return -1
        self.cursor = at + len(payload)
        return at


def _walk(
    part: email.message.Message,
    loc: _Locator,
    *,
    is_root: bool,
    attached: bool,
    depth: int,
    warnings: list[str],
    max_depth: int,
) -> Iterator[_Leaf]:
    """Leaves in file order, each located; parts inside message/* are flagged."""
    if depth > max_depth:
        raise _too_deep(max_depth)
    header_offset = loc.headers(part, is_root)
    payload = _raw_payload(part)
    ctype = _content_type(part)
    if isinstance(payload, list):
        inner_attached = attached or ctype.startswith("message/")
        for sub in payload:
            if isinstance(sub, email.message.Message):
                yield from _walk(
                    sub,
                    loc,
                    is_root=False,
                    attached=inner_attached,
                    depth=depth + 1,
                    warnings=warnings,
                    max_depth=max_depth,
                )
        return
    body = payload if isinstance(payload, str) else _safe_str(payload)
    start = loc.body(body, header_offset)
    if start < 0:
        yield _Leaf(part, header_offset, header_offset, attached, located=False)
    else:
        yield _Leaf(part, start, header_offset, attached)


def _blank(leaf: _Leaf) -> bool:
    payload = _raw_payload(leaf.part)
    return not isinstance(payload, str) or not payload.strip()


def _decode_leaf(leaf: _Leaf, html: bool, label: str, warnings: list[str]) -> DecodedBody:
    part = leaf.part
    payload = _raw_payload(part)
    decoded = decode_body(
        payload if isinstance(payload, str) else "",
        leaf.start,
        _safe_str(part.get("Content-Transfer-Encoding")),
        leaf.header_offset,
        _charset(part),
        sniff_html=html,
        located=leaf.located,
    )
    warnings.extend(f"{label}: {w}" for w in decoded.warnings)
    return decoded


def _subject_tags(draft: Draft, headers: list[RawHeader]) -> list[TemplateTag]:
    """Left-over template tags in the subject, with exact spans when written plainly."""
    if not draft.subject:
        return []
    raw = next((h for h in headers if h.name.lower() == "subject"), None)
    if raw is None:
        return []
    text = draft.source.text
    result: list[TemplateTag] = []
    for t in find_template_tags(draft.subject):
        tag_text = draft.subject[t.start : t.end]
        at = text.find(tag_text, raw.start, raw.end)
        span = Span(at, at + len(tag_text)) if at != -1 else Span(raw.start, raw.end)
        result.append(TemplateTag(t.syntax, tag_text, span, t.name, t.has_fallback, t.is_control))
    return result


def _load(data: bytes, path: str, max_depth: int) -> Draft:
    text = data.decode("utf-8", "surrogateescape")
    source = Source(path, text)
    draft = Draft(origin=Origin(path=path, kind="eml", is_template=False), source=source)
    if not text.strip():
        draft.warnings.append("the file is empty")
        return draft
    headers, body_start = scan_headers(text, 0, eml=True)
    if not headers:
        draft.warnings.append("no header block found; the whole file was read as the body")
    apply_headers(draft, headers, decode=True)
    lang = draft.header("Content-Language")
    if lang is not None and lang.value.strip():
        draft.declared_language = lang.value.split(",", 1)[0].strip() or None

    try:
        msg = email.message_from_string(text, policy=email.policy.compat32)
    except RecursionError:  # the feed parser recurses once per nesting level
        raise LoadError(
            "MIME parts nested too deeply to read (hundreds of levels; "
            f"max-mime-depth is {max_depth})"
        ) from None
    except Exception as e:  # the feed parser should not raise, but be sure
        draft.warnings.append(f"the MIME structure could not be parsed ({type(e).__name__})")
        return draft
    for defect in getattr(msg, "defects", [])[:3]:
        draft.warnings.append(f"MIME defect: {type(defect).__name__}")

    root_ct = next((h for h in headers if h.name.lower() == "content-type"), None)
    loc = _Locator(text, body_start, root_ct.start if root_ct else 0)
    html_leaf: _Leaf | None = None
    text_leaf: _Leaf | None = None
    leaves = _walk(msg, loc, is_root=True, attached=False, depth=0, warnings=draft.warnings,
                   max_depth=max_depth)
    for leaf in leaves:
        if leaf.in_attached_message or _disposition(leaf.part) == "attachment":
            continue
        ctype = _content_type(leaf.part)
        # the first of each kind, but an empty part does not hide a later full one
        if ctype == "text/html" and (html_leaf is None or _blank(html_leaf) > _blank(leaf)):
            html_leaf = leaf
        elif ctype == "text/plain" and (text_leaf is None or _blank(text_leaf) > _blank(leaf)):
            text_leaf = leaf
    if _content_type(msg).startswith("multipart/") and not msg.is_multipart():
        draft.warnings.append("multipart message without a usable boundary")

    tags: list[TemplateTag] = _subject_tags(draft, headers)
    if text_leaf is not None:
        decoded = _decode_leaf(text_leaf, False, "text/plain part", draft.warnings)
        found = find_template_tags(decoded.text)
        body = text_prose(
            decoded.text, 0, decoded.origins, drop_quotes=True, masks=mask_intervals(found)
        )
        draft.text_prose = body.prose
        draft.has_text_part = True
        draft.extra["text"] = decoded.text
        draft.extra["text_origins"] = decoded.origins
        if body.footer_start is not None:
            draft.extra["text_footer_start"] = body.footer_start
        tags.extend(to_template_tags(decoded.text, found, decoded.origins))
        if html_leaf is None:
            draft.prose = body.prose
            if body.footer_start is not None:
                draft.extra["footer_start"] = body.footer_start
    if html_leaf is not None:
        decoded = _decode_leaf(html_leaf, True, "text/html part", draft.warnings)
        doc, prose, _title, meta = extract_html(decoded.text, decoded.origins)
        draft.html = decoded.text
        draft.html_doc = doc
        draft.prose = prose
        draft.has_html_part = True
        draft.html_size = decoded.size
        draft.extra["html_origins"] = decoded.origins
        draft.warnings.extend(f"text/html part: {w}" for w in meta.warnings)
        if meta.footer_start is not None:
            draft.extra["footer_start"] = meta.footer_start
        if draft.declared_language is None and meta.lang:
            draft.declared_language = meta.lang
        tags.extend(meta.template_tags)
    if html_leaf is None and text_leaf is None:
        draft.warnings.append("no text/html or text/plain body found")
    draft.template_tags = tags
    return draft


def load_eml_bytes(data: bytes, path: str, *, max_depth: int | None = None) -> Draft:
    """A draft from the raw bytes of a message; broken input gives warnings, not errors.

    Raises :class:`~apologylint.loaders.LoadError` only if the bytes cannot be read at all,
    or if MIME parts nest deeper than ``max_depth`` (default: the ``max-mime-depth`` of
    the load in progress, :data:`~apologylint.loaders.MIME_DEPTH_LIMIT`).
    """
    try:
        return _load(data, path, MIME_DEPTH_LIMIT.get() if max_depth is None else max_depth)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError("the message is nested too deeply to read") from None
    except Exception as e:  # one bad file must never be a traceback
        raise LoadError(f"could not read the message: {type(e).__name__}: {e}") from e


def load_eml_message(msg: email.message.Message, path: str = "<message>") -> Draft:
    """A draft from a message object (serialised, then loaded like a file)."""
    try:
        data = msg.as_bytes()
    except Exception:  # headers the policy cannot fold: fall back to compat32
        try:
            data = msg.as_bytes(policy=email.policy.compat32)
        except Exception as e:
            raise LoadError(f"could not serialise the message: {type(e).__name__}") from e
    return load_eml_bytes(data, path)
