"""``--format html`` and ``--report FILE.html``: one self-contained page per run.

For each draft the page shows a header panel (subject, sender, reply-to, recipients) and
the body rendered as the recipient would see it, with every finding highlighted at its
place, beside the list of findings (click one to scroll to and flash its highlight),
filters by severity and rule, and a summary of the run.

Safety, because the drafts are untrusted input:

- The body is shown in ``<iframe sandbox="allow-same-origin" srcdoc=...>`` **without**
  ``allow-scripts``: no script of the draft runs (nor ``on*`` handlers, forms, popups).
  ``allow-same-origin`` only lets the page's own script reach into the frame to find
  and scroll to the highlights.
- Nothing remote is fetched: ``<script>``, ``<link>``, ``<base>`` and ``<meta
  http-equiv>`` are removed from the copy; images become inline placeholders; other
  ``src``/``srcset``/``background``/``poster`` attributes, CSS ``url(...)``,
  ``image-set()`` and ``@import`` are neutralised; links keep their target only as a
  tooltip (``safe_copy``, token by token, so that marks keep their offsets). The result
  is parsed again as a browser parses it and reduced to an allow-list (``_sanitiser``),
  so markup that fools the scanner cannot smuggle a fetch through. A
  Content-Security-Policy (``default-src 'none'``, inline styles, ``data:`` images) in
  the page and again inside the frame is a further fence.
- The page's own script is inline and allowed by its hash only; the page loads no font,
  style sheet or image from anywhere.

Where a finding goes: a finding whose source span lies on a header (Subject, From,
Reply-To, To, Cc) is marked in the header panel; one on the body is mapped from source
offsets to offsets in the body's HTML (``Draft.extra["html_origins"]`` for an .eml part,
identity for an .html file) and each run of text it covers is wrapped in
``<mark data-al-findings="N ...">``; a span that covers no text but starts at an element
(an image, a link) marks that element; the rest are findings about the whole draft.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html as htmllib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import __version__
from ..model import Diagnostic, Draft, Report, Severity, Span
from . import OutputOptions, sorted_diagnostics, sorted_errors
from ._markup import TAG_NAME, Token, scan
from ._sanitiser import allow_listed, css_neutralised

if TYPE_CHECKING:
    from array import array

__all__ = ["CSP_FRAME", "CSP_PAGE_BASE", "frame_markup", "render", "render_page", "safe_copy"]

#: the policy inside each frame (the page's own policy applies there too)
CSP_FRAME = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#: the page's policy, before its script hash is added
CSP_PAGE_BASE = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
SANDBOX = "allow-same-origin"

_SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_HEADER_FIELDS = ("Subject", "From", "Reply-To", "To", "Cc")
_DROP_ELEMENTS = frozenset({"link", "base"})
_DOCUMENT_ELEMENTS = frozenset({"html", "body"})
_URL_ATTRIBUTES = frozenset(
    {"src", "srcset", "background", "poster", "data", "lowsrc", "dynsrc", "codebase",
     "archive", "action", "formaction", "manifest", "ping", "srcdoc", "imagesrcset"}
)
_LINK_ELEMENTS = frozenset({"a", "area"})
_ENTITY = re.compile(
    r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)"
)

# -- placeholders and the frame's own style ------------------------------------------


def _placeholder(label: str) -> str:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48">'
        '<rect width="160" height="48" fill="#f1f3f5" stroke="#adb5bd" stroke-dasharray="4 3"/>'
        '<text x="80" y="29" font-family="sans-serif" font-size="12" fill="#495057" '
        f'text-anchor="middle">{htmllib.escape(label)}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


_IMAGE_BLOCKED = _placeholder("remote image blocked")
_IMAGE_INLINE = _placeholder("inline image")

_FRAME_STYLE = """
mark[data-al-findings]{color:inherit!important;border-radius:2px;padding:0!important;
 background:#fff3bf!important;box-shadow:inset 0 -2px 0 #f08c00}
mark.al-error{background:#ffe3e3!important;box-shadow:inset 0 -2px 0 #e03131}
mark.al-warning{background:#fff3bf!important;box-shadow:inset 0 -2px 0 #f08c00}
mark.al-info{background:#e7f5ff!important;box-shadow:inset 0 -2px 0 #1c7ed6}
mark.al-pin::before{content:"\\25BC";color:#e03131;font:bold 11px sans-serif}
[data-al-findings]:not(mark){outline:3px dashed #e03131!important;outline-offset:2px}
[data-al-off]{background:transparent!important;box-shadow:none!important;outline:none!important}
mark.al-pin[data-al-off]::before{content:""}
[data-al-flash]{animation:al-flash 1.6s ease-out 1}
@keyframes al-flash{0%,60%{outline:4px solid #1c7ed6;outline-offset:3px}
 100%{outline:4px solid transparent;outline-offset:3px}}
""".strip()


def _frame_head() -> str:
    return (
        f'<meta http-equiv="Content-Security-Policy" content="{CSP_FRAME}">'
        f'<meta name="referrer" content="no-referrer"><style>{_FRAME_STYLE}</style>'
    )


# -- offsets ---------------------------------------------------------------------------


def _offset(draft: Draft, line: int, column: int, path: str | None = None) -> int:
    """The source offset of a line:column of ``path`` (one of the draft's files; a
    message assembled from several files has one source that joins them)."""
    start = draft.source.offset_of_line(line, path)
    return min(start + max(column, 1) - 1, len(draft.source.text))


def _span_of(draft: Draft, d: Diagnostic) -> Span:
    start = _offset(draft, d.line, d.column, d.path)
    end = _offset(draft, d.end_line, d.end_column, d.path)
    return Span(start, max(start, end))


class _Map:
    """Offsets in a rendered body (HTML or text) <-> offsets in the source file."""

    def __init__(self, length: int, origins: Sequence[int] | None, base: int = 0) -> None:
        self.length = length
        self.origins = origins
        self.base = base
        self.monotonic = origins is None or all(
            origins[i] <= origins[i + 1] for i in range(len(origins) - 1)
        )

    def to_body(self, span: Span) -> tuple[int, int] | None:
        """The body range whose characters come from ``span`` (None: none does)."""
        origins = self.origins
        if origins is None:
            a, b = span.start - self.base, span.end - self.base
            if (a < 0 and b <= 0) or a > self.length:
                return None
            return max(a, 0), min(b, self.length)
        if not origins:
            return None
        if self.monotonic:
            a = bisect.bisect_left(origins, span.start)
            b = bisect.bisect_left(origins, span.end)
            if a >= len(origins) or (a == b and origins[a] != span.start):
                return None
            return a, b
        hits = [i for i, o in enumerate(origins) if span.start <= o < span.end]
        if hits:
            return hits[0], hits[-1] + 1
        exact = [i for i, o in enumerate(origins) if o == span.start]
        return (exact[0], exact[0]) if exact else None


# -- coverage: which findings cover which characters -----------------------------------


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    ids: tuple[int, ...]


def _coverage(intervals: Iterable[tuple[int, int, int]]) -> list[_Piece]:
    """Disjoint pieces, each with the finding ids covering all of it (a sweep)."""
    events: list[tuple[int, int, int]] = []  # (offset, +1/-1, id)
    for a, b, fid in intervals:
        if b > a:
            events.append((a, 1, fid))
            events.append((b, -1, fid))
    if not events:
        return []
    events.sort(key=lambda e: (e[0], e[1]))
    active: dict[int, int] = {}
    pieces: list[_Piece] = []
    prev = events[0][0]
    i = 0
    while i < len(events):
        at = events[i][0]
        if active and at > prev:
            pieces.append(_Piece(prev, at, tuple(sorted(active))))
        while i < len(events) and events[i][0] == at:
            _, delta, fid = events[i]
            active[fid] = active.get(fid, 0) + delta
            if active[fid] <= 0:
                del active[fid]
            i += 1
        prev = at
    return pieces


@dataclass
class _Finding:
    """One diagnostic on the page."""

    fid: int
    diagnostic: Diagnostic
    where: str = "draft"  # "body", a header name, or "draft"
    frame: str = ""  # for "body": which frame shows it ("html" or "text")
    note: str = ""  # why a finding on the body has no highlight


def _mark_open(ids: Sequence[int], findings: dict[int, _Finding], pin: bool = False) -> str:
    worst = max((findings[i].diagnostic.severity for i in ids), default=Severity.INFO)
    classes = f"al-{worst.label}" + (" al-pin" if pin else "")
    return f'<mark class="{classes}" data-al-findings="{" ".join(map(str, ids))}">'


def _mark_text(text: str, pieces: Sequence[_Piece], findings: dict[int, _Finding],
               pins: dict[int, list[int]] | None = None) -> str:
    """``text`` escaped, with marks over the pieces (and pins at zero-width points)."""
    out: list[str] = []
    pos = 0
    points = sorted(pins) if pins else []
    cuts = sorted({p.start for p in pieces} | {p.end for p in pieces} | set(points)
                  | {0, len(text)})
    by_start = {p.start: p for p in pieces}
    for a, b in itertools.pairwise(cuts):
        if pins and a in pins:
            out.append(_mark_open(pins[a], findings, pin=True) + "</mark>")
        piece = _piece_at(by_start, pieces, a)
        chunk = htmllib.escape(text[a:b], quote=False)
        if piece is not None and chunk:
            out.append(_mark_open(piece.ids, findings) + chunk + "</mark>")
        else:
            out.append(chunk)
        pos = b
    if pins and len(text) in pins and pos == len(text):
        out.append(_mark_open(pins[len(text)], findings, pin=True) + "</mark>")
    return "".join(out)


def _piece_at(by_start: dict[int, _Piece], pieces: Sequence[_Piece], at: int) -> _Piece | None:
    piece = by_start.get(at)
    if piece is not None:
        return piece
    starts = [p.start for p in pieces]
    i = bisect.bisect_right(starts, at) - 1
    if i >= 0 and pieces[i].start <= at < pieces[i].end:
        return pieces[i]
    return None


# -- the HTML of a draft: the first fence, token by token --------------------------


_ATTR = re.compile(
    r"""([^\s"'>/=\x00][^\s"'>/=\x00]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?"""
)


def _attributes(tag_text: str, name_end: int) -> tuple[list[tuple[str, str | None]], bool]:
    """Attributes of a start tag (values unescaped) and whether it ends with ``/>``."""
    body = tag_text[name_end:]
    if body.endswith(">"):
        body = body[:-1]
    self_closing = body.rstrip().endswith("/")
    attrs: list[tuple[str, str | None]] = []
    for m in _ATTR.finditer(body):
        value = next((g for g in m.groups()[1:] if g is not None), None)
        attrs.append((m.group(1).lower(), None if value is None else htmllib.unescape(value)))
    return attrs, self_closing


def _safe_url(value: str) -> bool:
    """Only ``data:`` URLs and fragments load nothing from anywhere."""
    v = value.strip().lower()
    return v.startswith("data:") or v.startswith("#")


def _rewrite_start_tag(tag_text: str, name: str, extra: str = "") -> str | None:
    """The tag, made harmless; None to drop it. ``extra`` is added as attributes."""
    if name in _DROP_ELEMENTS:
        return None
    m = TAG_NAME.match(tag_text, 1)
    name_end = m.end() if m else len(name) + 1
    attrs, self_closing = _attributes(tag_text, name_end)
    if name == "meta" and any(k == "http-equiv" for k, _v in attrs):
        return None
    changed = False
    kept: list[tuple[str, str | None]] = []
    for key, value in attrs:
        if key.startswith("on"):
            changed = True
            continue
        if key == "style" and value is not None:
            safe = css_neutralised(value)
            changed = changed or safe != value
            kept.append((key, safe))
        elif name in _LINK_ELEMENTS and key == "href" and value is not None:
            if not _safe_url(value):
                kept.append(("href", "#al-blocked-link"))
                kept.append(("data-al-href", value))
                if not any(k == "title" for k, _v in attrs):
                    kept.append(("title", value))
                changed = True
            else:
                kept.append((key, value))
        elif (key in ("href", "xlink:href") and name not in _LINK_ELEMENTS
              and value is not None and not value.strip().startswith("#")):
            kept.append((f"data-al-blocked-{key.replace(':', '-')}", value))
            changed = True
        elif key in _URL_ATTRIBUTES and value is not None and not _safe_url(value):
            changed = True
            if key == "src" and name in ("img", "input"):
                inline = value.strip().lower().startswith("cid:")
                kept.append(("src", _IMAGE_INLINE if inline else _IMAGE_BLOCKED))
                kept.append(("data-al-blocked-src", value))
            elif key not in ("srcset", "imagesrcset", "srcdoc", "ping"):
                kept.append((f"data-al-blocked-{key}", value))
        else:
            kept.append((key, value))
    if not changed:
        if not extra:
            return tag_text
        return tag_text[:name_end] + extra + tag_text[name_end:]
    parts = [f"<{name}"]
    for key, value in kept:
        parts.append(f" {key}" if value is None else f' {key}="{htmllib.escape(value)}"')
    return "".join(parts) + extra + (" />" if self_closing else ">")


def _entity_bounds(html: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for m in _ENTITY.finditer(html):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _snap(x: int, starts: list[int], ends: list[int], forward: bool) -> int:
    i = bisect.bisect_right(starts, x) - 1
    if i >= 0 and starts[i] < x < ends[i]:
        return ends[i] if forward else starts[i]
    return x


def safe_copy(
    html: str,
    intervals: Sequence[tuple[int, int, int]] = (),
    findings: dict[int, _Finding] | None = None,
) -> tuple[str, set[int]]:
    """The draft's HTML, neutralised, with highlights; and the ids that got one.

    ``intervals`` are ``(start, end, finding id)`` in offsets of ``html``.
    """
    findings = findings or {}
    tokens = scan(html)
    starts, ends = _entity_bounds(html)
    text_ranges = [(t.start, t.end) for t in tokens if t.kind == "text"]
    text_starts = [a for a, _b in text_ranges]
    snapped: list[tuple[int, int, int]] = []
    pins: dict[int, list[int]] = {}
    element_marks: dict[int, list[int]] = {}
    tag_starts = {t.start for t in tokens if t.kind == "start"}
    for a, b, fid in intervals:
        a, b = _snap(a, starts, ends, False), _snap(b, starts, ends, True)
        if _covers_text(html, text_ranges, text_starts, a, b):
            snapped.append((a, b, fid))
        elif a in tag_starts or (a < len(html) and _next_start_tag(tokens, a, b) is not None):
            at = a if a in tag_starts else _next_start_tag(tokens, a, b)
            assert at is not None
            element_marks.setdefault(at, []).append(fid)
        elif a == b and _in_text(text_ranges, text_starts, a):
            pins.setdefault(a, []).append(fid)
    pieces = _coverage(snapped)
    located: set[int] = {fid for p in pieces for fid in p.ids}
    out: list[str] = []
    doctype = _doctype(html, tokens)
    skip_until_end: str | None = None
    piece_starts = [p.start for p in pieces]
    for t in tokens:
        raw = html[t.start:t.end]
        if skip_until_end is not None:
            if t.kind == "end" and t.name == skip_until_end:
                skip_until_end = None
            continue
        if t.kind == "text":
            lo = bisect.bisect_left(piece_starts, t.start)
            while lo > 0 and pieces[lo - 1].end > t.start:
                lo -= 1
            local: list[_Piece] = []
            for p in pieces[lo:]:
                if p.start >= t.end:
                    break
                s, e = max(p.start, t.start), min(p.end, t.end)
                if e > s:
                    local.append(_Piece(s - t.start, e - t.start, p.ids))
            local_pins = {k - t.start: v for k, v in pins.items() if t.start <= k <= t.end}
            for k in local_pins.values():
                located.update(k)
            out.append(_mark_raw(raw, local, findings, local_pins))
        elif t.kind == "start":
            if t.name == "script":
                skip_until_end = "script"
                continue
            ids = element_marks.get(t.start)
            extra = f' data-al-findings="{" ".join(map(str, ids))}"' if ids else ""
            if ids:
                located.update(ids)
            rewritten = _rewrite_start_tag(raw, t.name, extra)
            if rewritten is not None and t.name in _DOCUMENT_ELEMENTS:
                # the sanitiser keeps a fragment: <html> and <body> become <div>s, so
                # that their attributes (and any mark on them) stay
                rewritten = f"<div data-al-{t.name}" + rewritten[1 + len(t.name):]
            out.append(rewritten or "")
        elif t.kind == "raw":
            out.append(css_neutralised(raw) if t.name == "style" else raw)
        elif t.kind == "end" and t.name in _DROP_ELEMENTS:
            continue
        elif t.kind == "end" and t.name in _DOCUMENT_ELEMENTS:
            out.append("</div>")
        else:
            out.append(raw)
    # the second fence; then the frame's own head, after the draft's doctype so that
    # the draft keeps its standards or quirks mode
    return doctype + _frame_head() + allow_listed("".join(out)), located


_SAFE_DOCTYPE = re.compile(r"<!doctype[^<>]*>", re.IGNORECASE)


def _doctype(html: str, tokens: Sequence[Token]) -> str:
    """The draft's leading ``<!DOCTYPE ...>`` ("" if none), kept as written: it decides
    the standards or quirks mode the draft is laid out in."""
    for t in tokens:
        raw = html[t.start:t.end]
        if t.kind == "other" and _SAFE_DOCTYPE.fullmatch(raw):
            return raw
        if (t.kind == "text" and not raw.strip()) or (t.kind == "other"
                                                       and raw.startswith("<!--")):
            continue
        return ""
    return ""


def _mark_raw(raw: str, pieces: Sequence[_Piece], findings: dict[int, _Finding],
              pins: dict[int, list[int]]) -> str:
    """Raw HTML text (entities kept as written) with marks inserted at the pieces."""
    if not pieces and not pins:
        return raw
    cuts = sorted({p.start for p in pieces} | {p.end for p in pieces} | set(pins)
                  | {0, len(raw)})
    by_start = {p.start: p for p in pieces}
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        if a in pins:
            out.append(_mark_open(pins[a], findings, pin=True) + "</mark>")
        piece = _piece_at(by_start, pieces, a)
        chunk = raw[a:b]
        out.append(_mark_open(piece.ids, findings) + chunk + "</mark>" if piece else chunk)
    if len(raw) in pins and len(cuts) > 1:
        out.append(_mark_open(pins[len(raw)], findings, pin=True) + "</mark>")
    return "".join(out)


def _covers_text(html: str, ranges: list[tuple[int, int]], starts: list[int], a: int,
                 b: int) -> bool:
    """Whether ``[a, b)`` covers visible characters of a text run (not only spaces)."""
    if b <= a:
        return False
    i = max(bisect.bisect_right(starts, a) - 1, 0)
    while i < len(ranges) and ranges[i][0] < b:
        s, e = ranges[i]
        lo, hi = max(s, a), min(e, b)
        if hi > lo and html[lo:hi].strip():
            return True
        i += 1
    return False


def _in_text(ranges: list[tuple[int, int]], starts: list[int], x: int) -> bool:
    i = bisect.bisect_right(starts, x) - 1
    return i >= 0 and ranges[i][0] <= x <= ranges[i][1]


def _next_start_tag(tokens: Sequence[Token], a: int, b: int) -> int | None:
    for t in tokens:
        if t.start >= max(b, a + 1):
            return None
        if t.kind == "start" and t.start >= a:
            return t.start
    return None


_PLAIN_STYLE = (
    "body{margin:16px;font:15px/1.5 system-ui,sans-serif;color:#212529}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;margin:0}"
)


def _plain_document(text: str, intervals: Sequence[tuple[int, int, int]],
                    findings: dict[int, _Finding]) -> tuple[str, set[int]]:
    pieces = _coverage(intervals)
    pins: dict[int, list[int]] = {}
    for a, b, fid in intervals:
        if a == b and 0 <= a <= len(text):
            pins.setdefault(a, []).append(fid)
    located = {fid for p in pieces for fid in p.ids} | {f for v in pins.values() for f in v}
    body = _mark_text(text, pieces, findings, pins)
    doc = (
        f"<!DOCTYPE html><html><head>{_frame_head()}<style>{_PLAIN_STYLE}</style></head>"
        f"<body><pre>{body}</pre></body></html>"
    )
    return doc, located


def frame_markup(srcdoc: str, draft_id: int | str, title: str) -> str:
    """The sandboxed frame that shows a draft (no allow-scripts, ever)."""
    return (
        f'<iframe class="al-body" id="al-frame-{draft_id}" sandbox="{SANDBOX}" '
        f'referrerpolicy="no-referrer" title="{htmllib.escape(title)}" '
        f'srcdoc="{htmllib.escape(srcdoc, quote=True)}"></iframe>'
    )


# -- one draft -------------------------------------------------------------------------


@dataclass
class _DraftView:
    index: int
    path: str
    draft: Draft | None
    findings: list[_Finding] = field(default_factory=list)


def _header_spans(draft: Draft) -> list[tuple[str, Span, str]]:
    """(field name, span, shown value) of each header the panel shows."""
    result: list[tuple[str, Span, str]] = []
    for name in _HEADER_FIELDS:
        header = draft.header(name)
        span = header.span if header is not None else None
        if name == "Subject" and draft.subject_span is not None:
            span = draft.subject_span
        elif name == "From" and draft.sender_span is not None:
            span = draft.sender_span
        elif name == "Reply-To" and draft.reply_to_span is not None:
            span = draft.reply_to_span
        if span is not None:
            result.append((name, span, _header_value(draft, name)))
    return result


def _header_value(draft: Draft, name: str) -> str:
    if name == "Subject":
        return draft.subject or ""
    header = draft.header(name)
    if header is not None:
        return " ".join(header.value.split())
    if name == "From" and draft.sender is not None:
        s = draft.sender
        return f"{s.display_name} <{s.address}>" if s.display_name else s.address
    return ""


def _family(slug: str) -> str:
    from ..rules import find_rule

    rule = find_rule(slug)
    return rule.family if rule is not None else ""


@dataclass
class _Frame:
    """One rendered body of a draft: its HTML part, or its text (plain text drafts, and
    the text/plain part of a message that also has HTML)."""

    key: str  # "html" or "text"
    text: str
    map: _Map
    is_html: bool
    intervals: list[tuple[int, int, int]] = field(default_factory=list)
    document: str = ""


def _place(view: _DraftView) -> tuple[list[_Frame], dict[str, str], set[int]]:
    """The frames to show, the header panel rows and the ids that got a highlight."""
    draft = view.draft
    assert draft is not None
    findings = {f.fid: f for f in view.findings}
    headers = _header_spans(draft)
    header_hits: dict[str, list[tuple[int, int, int]]] = {name: [] for name in _HEADER_FIELDS}
    located: set[int] = set()
    frames = _frames(draft)
    for f in view.findings:
        span = _span_of(draft, f.diagnostic)
        placed = False
        top = span == Span(0, 0)  # "the top of the file": about the draft as a whole
        for name, hspan, value in [] if top else headers:
            if hspan.start <= span.start < max(hspan.end, hspan.start + 1):
                f.where = name
                header_hits[name].append(_within_header(draft, hspan, value, span, f.fid))
                placed = True
                break
        if placed:
            continue
        for frame in [] if top else frames:
            rng = frame.map.to_body(span)
            if rng is None:
                continue
            if rng[1] - rng[0] > 4 * (span.end - span.start) + 64:
                # many characters from one place: a base64 part, whose characters all
                # stand at the part's start; the exact words cannot be shown
                f.note = f"in the encoded {frame.key} part; its exact place cannot be shown"
                break
            f.where, f.frame = "body", frame.key
            frame.intervals.append((rng[0], rng[1], f.fid))
            placed = True
            break
        if placed:
            continue
        family = _family(f.diagnostic.rule)
        if family in ("subject", "sender"):
            name = "Subject" if family == "subject" else "From"
            f.where = name
            value = _header_value(draft, name)
            header_hits[name].append((0, len(value), f.fid))
    rows: dict[str, str] = {}
    for name in _HEADER_FIELDS:
        value = _header_value(draft, name)
        if not value and not header_hits[name] and name not in ("Subject", "From"):
            continue
        hits = header_hits[name]
        pins = {a: [fid] for a, b, fid in hits if a == b}
        pieces = _coverage(hits)
        if value:
            rows[name] = _mark_text(value, pieces, findings, pins)
        else:
            ids = [fid for _a, _b, fid in hits]
            empty = '<span class="al-none">none</span>'
            rows[name] = (_mark_open(ids, findings) + empty + "</mark>") if ids else empty
        located.update(fid for _a, _b, fid in hits)
    shown: list[_Frame] = []
    for index, frame in enumerate(frames):
        if index > 0 and not frame.intervals:
            continue  # the text/plain alternative is shown only when it has findings
        if frame.is_html:
            frame.document, in_frame = safe_copy(frame.text, frame.intervals, findings)
        else:
            frame.document, in_frame = _plain_document(frame.text, frame.intervals, findings)
        located |= in_frame
        for f in view.findings:
            if f.frame == frame.key and f.fid not in in_frame:
                f.where, f.frame = "draft", ""  # on markup that shows nothing (the head)
        shown.append(frame)
    return shown, rows, located


def _within_header(draft: Draft, hspan: Span, value: str, span: Span,
                   fid: int) -> tuple[int, int, int]:
    """The part of the shown value a finding covers (the whole value if unsure)."""
    written = draft.source.text[hspan.start:hspan.end]
    at = written.find(value) if value else -1
    whole = (0, len(value), fid)
    if at < 0 or (span.start <= hspan.start + at and span.end >= hspan.start + at + len(value)):
        return whole
    a = span.start - hspan.start - at
    b = span.end - hspan.start - at
    a, b = max(a, 0), min(b, len(value))
    return (a, b, fid) if b > a else whole


def _frames(draft: Draft) -> list[_Frame]:
    """The bodies as the recipient gets them, each with its map to the source: the HTML
    (if any) first, then the text."""
    frames: list[_Frame] = []
    if draft.html is not None:
        origins: array[int] | None = draft.extra.get("html_origins")
        frames.append(_Frame("html", draft.html, _Map(len(draft.html), origins), True))
    text = draft.extra.get("text")
    if isinstance(text, str):
        text_origins: array[int] | None = draft.extra.get("text_origins")
        base = 0 if text_origins is not None else len(draft.source.text) - len(text)
        frames.append(_Frame("text", text, _Map(len(text), text_origins, base), False))
    return frames


# -- the page --------------------------------------------------------------------------

_PAGE_STYLE = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 color:#212529;background:#f1f3f5}
header.al-top{background:#212529;color:#f8f9fa;padding:14px 24px}
header.al-top h1{font-size:18px;margin:0 0 4px}
header.al-top p{margin:0;color:#ced4da}
main{padding:16px 24px 48px;max-width:1500px;margin:0 auto}
.al-card{background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:14px 18px;
 margin:0 0 16px}
.al-summary{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.al-counts span{display:inline-block;margin-right:14px;font-weight:600}
.al-filters label{margin-right:14px;white-space:nowrap}
.al-filters select{font:inherit;padding:2px 4px}
table.al-rules{border-collapse:collapse;font-size:13px}
table.al-rules td,table.al-rules th{padding:2px 10px 2px 0;text-align:left}
table.al-rules button{font:inherit;background:none;border:0;color:#1864ab;cursor:pointer;
 padding:0;text-decoration:underline}
.al-draft h2{font-size:16px;margin:0 0 2px;word-break:break-all}
.al-meta{color:#495057;margin:0 0 10px;font-size:13px}
.al-layout{display:grid;grid-template-columns:minmax(0,1fr) 400px;gap:16px;align-items:start}
@media (max-width:1000px){.al-layout{grid-template-columns:1fr}}
.al-envelope{border:1px solid #dee2e6;border-bottom:0;border-radius:6px 6px 0 0;
 background:#f8f9fa;padding:8px 12px}
.al-envelope table{border-collapse:collapse;width:100%}
.al-envelope th{width:80px;text-align:right;padding:2px 10px 2px 0;color:#495057;
 font-weight:600;vertical-align:top}
.al-envelope td{padding:2px 0;word-break:break-word}
.al-envelope tr.al-subject td{font-weight:600;font-size:15px}
.al-none{color:#868e96;font-style:italic}
iframe.al-body{display:block;width:100%;height:420px;border:1px solid #dee2e6;
 border-radius:0 0 6px 6px;background:#fff}
.al-nobody{border:1px solid #dee2e6;border-radius:0 0 6px 6px;padding:16px;color:#868e96}
details.al-part{margin-top:10px}
details.al-part summary{cursor:pointer;color:#495057;font-weight:600;margin-bottom:4px}
details.al-part iframe.al-body{border-radius:6px}
mark[data-al-findings]{color:inherit;border-radius:2px;padding:0 1px}
mark.al-error{background:#ffe3e3;box-shadow:inset 0 -2px 0 #e03131}
mark.al-warning{background:#fff3bf;box-shadow:inset 0 -2px 0 #f08c00}
mark.al-info{background:#e7f5ff;box-shadow:inset 0 -2px 0 #1c7ed6}
mark.al-pin::before{content:"\\25BC";color:#e03131;font-size:11px}
mark[data-al-off]{background:transparent;box-shadow:none}
[data-al-flash]{animation:al-flash 1.6s ease-out 1}
@keyframes al-flash{0%,60%{outline:4px solid #1c7ed6;outline-offset:2px}
 100%{outline:4px solid transparent;outline-offset:2px}}
.al-list{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto}
.al-list ol{list-style:none;margin:0;padding:0}
.al-list li{margin:0 0 8px}
button.al-finding{display:block;width:100%;text-align:left;font:inherit;color:inherit;
 background:#fff;border:1px solid #dee2e6;border-left:5px solid #adb5bd;border-radius:6px;
 padding:8px 10px;cursor:pointer}
button.al-finding:hover,button.al-finding:focus{border-color:#74c0fc;outline:none}
button.al-finding[aria-current="true"]{box-shadow:0 0 0 2px #74c0fc}
button.al-finding.al-error{border-left-color:#e03131}
button.al-finding.al-warning{border-left-color:#f08c00}
button.al-finding.al-info{border-left-color:#1c7ed6}
.al-badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;
 border-radius:3px;padding:0 5px;margin-right:4px;color:#fff;background:#868e96}
.al-badge.al-error{background:#e03131}.al-badge.al-warning{background:#e8590c}
.al-badge.al-info{background:#1c7ed6}
.al-where{float:right;color:#868e96;font-size:12px}
.al-msg{display:block;margin-top:4px}
.al-sugg{display:block;margin-top:4px;color:#2b8a3e}
.al-sugg::before{content:"Fix: ";font-weight:600}
.al-missing{display:block;margin-top:4px;color:#868e96;font-size:12px}
.al-ok{color:#2b8a3e;font-weight:600}
.al-notchecked{margin-top:10px;color:#495057;font-size:13px}
.al-notchecked ul{margin:4px 0;padding-left:18px}
.al-errors li{color:#c92a2a}
[hidden]{display:none!important}
""".strip()

_SCRIPT = r"""
(function () {
  "use strict";
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe.al-body"));
  var items = Array.prototype.slice.call(document.querySelectorAll("button.al-finding"));
  var hiddenIds = {};

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function frameOf(item) {
    var id = item.getAttribute("data-frame");
    return id ? document.getElementById(id) : null;
  }
  function marksIn(root, id) {
    return root ? root.querySelectorAll('[data-al-findings~="' + id + '"]') : [];
  }
  function frameDoc(frame) {
    try {
      var doc = frame && frame.contentDocument;
      return doc && doc.body ? doc : null;
    } catch (e) { return null; }
  }
  function fit(frame) {
    var doc = frameDoc(frame);
    if (!doc) { return; }
    frame.style.height = "40px";  // so that the content, not the frame, sets the height
    var height = Math.max(doc.documentElement.scrollHeight, doc.body.scrollHeight, 80);
    frame.style.height = Math.min(height + 4, 30000) + "px";
  }
  function setup(frame) {
    var doc = frameDoc(frame);
    if (!doc || frame.getAttribute("data-ready") === "true") { return; }
    fit(frame);
    var mine = 'button.al-finding[data-frame="' + frame.id + '"]';
    each(document.querySelectorAll(mine), function (item) {
      var marks = marksIn(doc, item.getAttribute("data-finding"));
      var visible = Array.prototype.some.call(marks, function (m) {
        return m.getClientRects().length > 0;
      });
      var state = marks.length ? (visible ? "visible" : "hidden") : "missing";
      item.setAttribute("data-located", state);
      if (marks.length && !visible) {
        var note = item.querySelector(".al-missing");
        if (note) { note.hidden = false; }
      }
    });
    doc.addEventListener("click", function (ev) {
      var mark = ev.target && ev.target.closest ? ev.target.closest("[data-al-findings]") : null;
      if (mark) {
        var id = mark.getAttribute("data-al-findings").split(" ")[0];
        var item = document.getElementById("al-finding-" + id);
        if (item) { select(item); item.scrollIntoView({block: "nearest"}); }
      }
      var link = ev.target && ev.target.closest ? ev.target.closest("a[href]") : null;
      if (link) { ev.preventDefault(); }
    });
    applyFilters();
    frame.setAttribute("data-ready", "true");
  }
  function flash(el) {
    el.removeAttribute("data-al-flash");
    void el.offsetWidth;
    el.setAttribute("data-al-flash", "");
    setTimeout(function () { el.removeAttribute("data-al-flash"); }, 1700);
  }
  function select(item) {
    each(document.querySelectorAll('button.al-finding[aria-current="true"]'), function (b) {
      b.removeAttribute("aria-current");
    });
    item.setAttribute("aria-current", "true");
  }
  function show(item) {
    select(item);
    var id = item.getAttribute("data-finding");
    var where = item.getAttribute("data-where");
    var target = null;
    if (where === "body") {
      var frame = frameOf(item);
      var doc = frameDoc(frame);
      var marks = marksIn(doc, id);
      if (marks.length) {
        target = marks[0];
        var rect = target.getBoundingClientRect();
        var box = frame.getBoundingClientRect();
        var top = window.pageYOffset + box.top + rect.top - window.innerHeight / 3;
        window.scrollTo({top: top, behavior: "smooth"});
      }
    } else {
      var draft = item.closest(".al-draft");
      var found = marksIn(draft.querySelector(".al-envelope"), id);
      if (found.length) {
        target = found[0];
        target.scrollIntoView({block: "center", behavior: "smooth"});
      }
    }
    each(where === "body" ? marksIn(frameDoc(frameOf(item)), id) : (target ? [target] : []), flash);
  }
  function applyFilters() {
    var sev = {};
    each(document.querySelectorAll("input.al-sev"), function (box) {
      sev[box.value] = box.checked;
    });
    var ruleBox = document.getElementById("al-rule");
    var rule = ruleBox ? ruleBox.value : "";
    var shown = 0;
    hiddenIds = {};
    items.forEach(function (item) {
      var ok = sev[item.getAttribute("data-severity")] !== false &&
        (!rule || item.getAttribute("data-rule") === rule);
      item.parentNode.hidden = !ok;
      if (ok) { shown += 1; } else { hiddenIds[item.getAttribute("data-finding")] = true; }
    });
    var roots = [document].concat(frames.map(frameDoc).filter(Boolean));
    roots.forEach(function (root) {
      each(root.querySelectorAll("[data-al-findings]"), function (el) {
        var ids = el.getAttribute("data-al-findings").split(" ");
        var off = ids.every(function (i) { return hiddenIds[i]; });
        if (off) { el.setAttribute("data-al-off", ""); } else { el.removeAttribute("data-al-off"); }
      });
    });
    var counter = document.getElementById("al-shown");
    if (counter) { counter.textContent = shown + " of " + items.length + " findings shown"; }
  }

  items.forEach(function (item) {
    item.addEventListener("click", function () { show(item); });
  });
  each(document.querySelectorAll(".al-filters input, .al-filters select"), function (el) {
    el.addEventListener("change", applyFilters);
  });
  each(document.querySelectorAll("button.al-rule-filter"), function (b) {
    b.addEventListener("click", function () {
      var box = document.getElementById("al-rule");
      if (box) { box.value = b.getAttribute("data-rule"); applyFilters(); }
    });
  });
  frames.forEach(function (frame) {
    frame.addEventListener("load", function () { setup(frame); });
    var doc = frameDoc(frame);
    if (doc && doc.readyState === "complete" && doc.URL === "about:srcdoc") { setup(frame); }
  });
  window.addEventListener("resize", function () { frames.forEach(fit); });
  each(document.querySelectorAll("details.al-part"), function (part) {
    part.addEventListener("toggle", function () {
      each(part.querySelectorAll("iframe.al-body"), fit);
    });
  });
  applyFilters();
  document.documentElement.setAttribute("data-al-script", "ran");
})();
""".strip()


def _esc(text: str) -> str:
    return htmllib.escape(text, quote=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _finding_item(f: _Finding, located: bool, draft_index: int) -> str:
    d = f.diagnostic
    sev = d.severity.label
    where = {"body": "body", "draft": "whole draft"}.get(f.where, f.where)
    if f.frame == "text" and f.where == "body":
        where = "text/plain part"
    elif f.note:
        where = "encoded part"
    parts = [
        f'<li><button type="button" class="al-finding al-{sev}" id="al-finding-{f.fid}" '
        f'data-finding="{f.fid}" data-severity="{sev}" data-rule="{_esc(d.rule)}" '
        f'data-where="{_esc(f.where if f.where in ("body", "draft") else "header")}" '
        f'data-frame="{f"al-frame-{draft_index}-{f.frame}" if f.frame else ""}" '
        f'data-placed="{"true" if located else "false"}">',
        f'<span class="al-badge al-{sev}">{sev}</span><code>{_esc(d.code)}</code> '
        f"{_esc(d.rule)}",
        f'<span class="al-where">{_esc(where)} · {d.line}:{d.column}</span>',
        f'<span class="al-msg">{_esc(d.message)}</span>',
    ]
    if d.suggestion:
        parts.append(f'<span class="al-sugg">{_esc(d.suggestion)}</span>')
    if f.where == "body":
        parts.append('<span class="al-missing" hidden>highlighted in text the recipient '
                     "does not see (hidden or collapsed)</span>")
    elif f.where == "draft":
        note = f.note or "about the draft as a whole"
        parts.append(f'<span class="al-missing">{_esc(note)}</span>')
    parts.append("</button></li>")
    return "".join(parts)


def _message_number(view: _DraftView) -> str:
    draft = view.draft
    if draft is None or draft.origin.kind != "mbox":
        return ""
    return f" · message {draft.origin.index}"


def _unchecked(report: Report) -> dict[str, list[tuple[str, str]]]:
    """The rules not checked, per path, each (rule, reason) once: the messages of an mbox
    share a path, and listing the whole file's list in every message's section made the
    report grow with the square of the messages (1,600 messages: 1.5 GB)."""
    out: dict[str, set[tuple[str, str]]] = {}
    for path, slug, reason in report.not_checked:
        out.setdefault(path, set()).add((slug, reason))
    return {path: sorted(pairs) for path, pairs in out.items()}


def _draft_section(
    view: _DraftView, report: Report, unchecked: dict[str, list[tuple[str, str]]]
) -> str:
    findings = view.findings
    located: set[int] = set()
    rows: dict[str, str] = {}
    frames: list[_Frame] = []
    if view.draft is not None:
        frames, rows, located = _place(view)
    counts = {s: sum(1 for f in findings if f.diagnostic.severity is s) for s in Severity}
    meta = []
    lang = report.languages.get(view.path)
    if lang:
        meta.append(f"language {lang}")
    incident = report.incidents.get(view.path)
    if incident:
        meta.append(f"incident {incident}")
    if findings:
        meta.append(", ".join(_plural(counts[s], s.label) for s in _SEVERITY_ORDER))
    else:
        meta.append('<span class="al-ok">no findings</span>')
    out = [
        f'<section class="al-card al-draft" id="al-draft-{view.index}" '
        f'data-path="{_esc(view.path)}">',
        f"<h2>{_esc(view.path)}{_message_number(view)}</h2>",
        f'<p class="al-meta">{" · ".join(meta)}</p>',
        '<div class="al-layout"><div class="al-preview">',
    ]
    if view.draft is not None:
        out.append('<div class="al-envelope"><table>')
        for name, value in rows.items():
            cls = ' class="al-subject"' if name == "Subject" else ""
            out.append(f"<tr{cls}><th>{_esc(name)}</th><td>{value}</td></tr>")
        out.append("</table></div>")
        if not frames:
            out.append('<div class="al-nobody">This draft has no body to show.</div>')
        for number, frame in enumerate(frames):
            markup = frame_markup(frame.document, f"{view.index}-{frame.key}",
                                  f"{view.path}: the {frame.key} body as rendered")
            if number == 0:
                out.append(markup)
            else:
                count = sum(1 for f in findings if f.frame == frame.key)
                out.append(f'<details class="al-part" open><summary>the text/plain part '
                           f"({_plural(count, 'finding')})</summary>{markup}</details>")
    else:
        out.append('<div class="al-nobody">Not a draft (an address list, say), or not '
                   "kept for this report: its findings are listed here.</div>")
    out.append('</div><aside class="al-list">')
    if findings:
        out.append("<ol>")
        out.extend(_finding_item(f, f.fid in located, view.index) for f in findings)
        out.append("</ol>")
    else:
        out.append('<p class="al-ok">All checks passed.</p>')
    skipped = unchecked.get(view.path, [])
    if skipped:
        out.append(f'<details class="al-notchecked"><summary>{_plural(len(skipped), "rule")} '
                   "not checked</summary><ul>")
        out.extend(f"<li><code>{_esc(s)}</code>: {_esc(r)}</li>" for s, r in skipped)
        out.append("</ul></details>")
    out.append("</aside></div></section>")
    return "".join(out)


def _draft_start(draft: Draft) -> int:
    """Where a draft begins in its file (several messages of an mbox share one file)."""
    starts = [h.span.start for h in draft.headers if h.span is not None]
    for key in ("html_origins", "text_origins"):
        origins = draft.extra.get(key)
        if origins is not None:
            first = min((o for o in origins if o >= 0), default=None)
            if first is not None:
                starts.append(first)
    return min(starts, default=0)


def _views(report: Report, drafts: Sequence[Draft]) -> list[_DraftView]:
    """One view per draft (in run order), findings numbered in page order. A finding
    goes to the draft of its file whose text holds it (an mbox has several)."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in sorted_diagnostics(report):
        by_path.setdefault(d.path, []).append(d)
    views: list[_DraftView] = []
    of_path: dict[str, list[_DraftView]] = {}
    #: the other files of assembled messages (a subject's meta.json, a layout, a locale
    #: file): their findings go to the first draft made from them
    part_of: dict[str, _DraftView] = {}
    for draft in drafts:
        view = _DraftView(len(views) + 1, draft.path, draft)
        views.append(view)
        of_path.setdefault(draft.path, []).append(view)
        for path in draft.origin.files[1:]:
            part_of.setdefault(path, view)
    for path in sorted(by_path):
        if path not in of_path:
            view = part_of.get(path) or _DraftView(len(views) + 1, path, None)
            if view.draft is None:
                views.append(view)
            of_path[path] = [view]
    for path, diagnostics in by_path.items():
        group = of_path[path]
        if len(group) == 1:
            group[0].findings.extend(_Finding(0, d) for d in diagnostics)
            continue
        ordered = sorted(group, key=lambda v: _draft_start(v.draft) if v.draft else 0)
        starts = [_draft_start(v.draft) if v.draft else 0 for v in ordered]
        for d in diagnostics:
            first = ordered[0].draft
            offset = _offset(first, d.line, d.column, d.path) if first is not None else 0
            index = max(bisect.bisect_right(starts, offset) - 1, 0)
            ordered[index].findings.append(_Finding(0, d))
    fid = 0
    for view in views:
        for finding in view.findings:
            fid += 1
            finding.fid = fid
    return views


def render_page(report: Report, drafts: Sequence[Draft] = ()) -> str:
    """The whole report page."""
    views = _views(report, drafts)
    diagnostics = report.diagnostics
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    rules: dict[tuple[str, str], int] = {}
    for d in diagnostics:
        rules[(d.code, d.rule)] = rules.get((d.code, d.rule), 0) + 1
    unchecked = _unchecked(report)
    sections = [_draft_section(view, report, unchecked) for view in views]
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
    csp = f"{CSP_PAGE_BASE}; script-src 'sha256-{script_hash}'"
    checked = report.files_checked or len(views)
    if diagnostics:
        headline = (f"{_plural(len(diagnostics), 'problem')} in "
                    f"{_plural(len({d.path for d in diagnostics}), 'draft')} "
                    f"of {checked} checked")
    elif not report.errors:
        headline = f"All checks passed ({_plural(checked, 'draft')} checked)."
    else:
        headline = f"No findings in {_plural(checked, 'draft')} checked."
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>apologylint report: {_esc(headline)}</title>",
        f"<style>{_PAGE_STYLE}</style></head><body>",
        '<header class="al-top"><h1>apologylint report</h1>',
        f"<p>{_esc(headline)} · apologylint {__version__}</p></header><main>",
        '<section class="al-card al-summary" id="al-summary">',
        '<div><div class="al-counts">',
    ]
    out += [f'<span class="al-{s.label}">{_plural(counts[s], s.label)}</span>'
            for s in _SEVERITY_ORDER]
    out.append('</div><p id="al-shown"></p><div class="al-filters">')
    out += [
        f'<label><input type="checkbox" class="al-sev" value="{s.label}" checked> '
        f"{s.label}s ({counts[s]})</label>"
        for s in _SEVERITY_ORDER
    ]
    out.append('<label>rule <select id="al-rule"><option value="">all rules</option>')
    out += [f'<option value="{_esc(slug)}">{_esc(code)} {_esc(slug)} ({n})</option>'
            for (code, slug), n in sorted(rules.items())]
    out.append("</select></label></div></div>")
    if rules:
        out.append('<table class="al-rules"><thead><tr><th>findings</th><th>rule</th></tr>'
                   "</thead><tbody>")
        for (code, slug), n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f'<tr><td>{n}</td><td><button type="button" class="al-rule-filter" '
                       f'data-rule="{_esc(slug)}">{_esc(code)} {_esc(slug)}</button></td></tr>')
        out.append("</tbody></table>")
    errors = sorted_errors(report)
    if errors:
        out.append(f'<div class="al-errors"><strong>{_plural(len(errors), "input")} could '
                   "not be checked</strong><ul>")
        out += [f"<li>{_esc(e.path)}: {_esc(e.message)}</li>" for e in errors]
        out.append("</ul></div>")
    out.append("</section>")
    out += sections
    out.append(f"</main><script>{_SCRIPT}</script></body></html>")
    return "\n".join(out) + "\n"


def render(report: Report, options: OutputOptions) -> str:
    page = render_page(report, options.drafts)
    if options.ascii_only:
        page = page.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return page
