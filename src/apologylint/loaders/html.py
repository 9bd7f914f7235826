"""Load HTML (templates and .eml HTML parts): one parse gives both the soup and the prose.

The HTML is parsed once by Beautiful Soup's ``html.parser`` tree builder, with a parser
subclass that also feeds a :class:`~apologylint.prose.ProseBuilder`. ``html.parser`` runs
with ``convert_charrefs=False``, so every text event is an exact slice of the input whose
start comes from ``getpos()`` (line, column) through a line-start table; character and
entity references are separate events and map to the ``&`` that starts them.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup
from bs4.builder._htmlparser import BeautifulSoupHTMLParser, HTMLParserTreeBuilder
from bs4.dammit import EntitySubstitution
from bs4.element import Tag
from bs4.exceptions import ParserRejectedMarkup

from ..model import Address, Draft, Header, Origin, Prose, Source, Span, TemplateTag
from ..prose import ProseBuilder
from . import LoadError
from .decoding import parse_addresses
from .templating import find_template_tags, map_span, mask_intervals, to_template_tags

__all__ = [
    "HtmlMeta",
    "TitleInfo",
    "element_span",
    "extract_html",
    "html_offset_to_source",
    "load_html_text",
]

#: Elements whose content is never read as body prose.
SKIP_TAGS = frozenset({"head", "style", "script", "title", "noscript", "template", "xml"})
#: Elements that separate paragraphs (layout tables included: mail is built from them).
_BLOCK_TAG_LIST = (
    "p div h1 h2 h3 h4 h5 h6 li tr table blockquote section article header footer ul "
    "ol center td th hr dl dt dd pre address figure figcaption form fieldset main "
    "nav aside caption details summary tbody thead tfoot body"
)
BLOCK_TAGS = frozenset(_BLOCK_TAG_LIST.split())
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix")
_QUOTE_IDS = ("divrplyfwdmsg",)
_HIDDEN_CLASSES = ("preheader", "preview-text", "previewtext")
_FOOTER_MARKERS = ("footer", "signature")
_STYLE_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class TitleInfo:
    """The ``<title>`` text (whitespace collapsed) and where it stands in the source."""

    text: str
    span: Span | None


@dataclass(slots=True)
class HtmlMeta:
    """Facts found while parsing, with spans already mapped to source offsets."""

    subject: str | None = None
    subject_span: Span | None = None
    sender: str | None = None
    sender_span: Span | None = None
    lang: str | None = None
    footer_start: int | None = None
    template_tags: list[TemplateTag] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _attr(attrs: Sequence[tuple[str, str | None]], name: str) -> str | None:
    for key, value in attrs:
        if key == name:
            return value if value is not None else ""
    return None


def _is_hidden(attrs: Sequence[tuple[str, str | None]]) -> bool:
    """Inline-hidden (a preheader, usually): ``display:none``, ``hidden``, preheader class."""
    for key, value in attrs:
        if key == "hidden":
            return True
        if key == "style" and value:
            style = _STYLE_SPACE.sub("", value.lower())
            if "display:none" in style or "visibility:hidden" in style:
                return True
        elif key == "class" and value:
            lowered = value.lower()
            if any(c in lowered for c in _HIDDEN_CLASSES):
                return True
    return False


def _is_quote(tag: str, attrs: Sequence[tuple[str, str | None]]) -> bool:
    """Quoted earlier messages (replies, forwards) are not the draft's voice."""
    if tag == "blockquote" and (_attr(attrs, "type") or "").lower() == "cite":
        return True
    cls = (_attr(attrs, "class") or "").lower()
    if cls and any(c in cls for c in _QUOTE_CLASSES):
        return True
    ident = (_attr(attrs, "id") or "").lower()
    return bool(ident) and ident in _QUOTE_IDS


def _is_footer(tag: str, attrs: Sequence[tuple[str, str | None]]) -> bool:
    if tag == "footer":
        return True
    for key in ("class", "id"):
        value = (_attr(attrs, key) or "").lower()
        if value and any(m in value for m in _FOOTER_MARKERS):
            return True
    return False


class _Collector:
    """Prose state shared by the parser events of one parse."""

    def __init__(self, html: str, masks: list[tuple[int, int, bool]]) -> None:
        self.html = html
        self.line_starts = _line_starts(html)
        self.builder = ProseBuilder(masks)
        self.mark_starts = {start for start, _end, emit in masks if emit}
        self.skip_index = -1  # index in soup.tagStack of the element being skipped
        self.skip_tag: Any = None
        self.title_index = -1
        self.title_tag: Any = None
        self.title_done = False
        self.title_parts: list[str] = []
        self.title_start = -1
        self.title_end = -1
        self.meta_subject: tuple[str, int, int] | None = None
        self.meta_from: tuple[str, int, int] | None = None
        self.lang: str | None = None
        self.footer_start: int | None = None

    def offset(self, pos: tuple[int, int]) -> int:
        line, col = pos
        starts = self.line_starts
        return starts[min(line - 1, len(starts) - 1)] + col


class _ProseParser(BeautifulSoupHTMLParser):
    """bs4's html.parser bridge that also records prose with positions."""

    def __init__(self, soup: BeautifulSoup, collector: _Collector, *args: Any, **kwargs: Any):
        super().__init__(soup, *args, **kwargs)
        self._c = collector
        self._in_ref = False

    @classmethod
    def _warn(cls, stacklevel: int = 5) -> None:
        """No XML-parsed-as-HTML warning: XHTML mail templates are normal."""

    def _pos(self) -> int:
        return self._c.offset(self.getpos())

    def _still_open(self, index: int, tag: Any) -> bool:
        stack = self.soup.tagStack
        return index < len(stack) and stack[index] is tag

    # -- tags ---------------------------------------------------------------------------

    def handle_starttag(
        self,
        tag: str,
        attrs: list[tuple[str, str | None]],
        handle_empty_element: bool = True,
    ) -> None:
        c = self._c
        pos = self._pos()
        if tag == "body" and c.skip_tag is not None and c.skip_tag.name == "head":
            c.skip_tag, c.skip_index = None, -1  # <head> left unclosed
        depth = len(self.soup.tagStack)
        super().handle_starttag(tag, attrs, handle_empty_element)
        stack = self.soup.tagStack
        pushed = stack[-1] if len(stack) > depth else None
        if tag == "html" and c.lang is None:
            c.lang = (_attr(attrs, "lang") or _attr(attrs, "xml:lang") or "").strip() or None
        elif tag == "meta":
            self._meta(attrs, pos)
        elif tag == "title" and pushed is not None and not c.title_done and c.title_tag is None:
            c.title_tag, c.title_index = pushed, len(stack) - 1
        if c.skip_tag is not None:
            return
        b = c.builder
        if tag in BLOCK_TAGS:
            b.paragraph_break()
        elif tag == "br":
            b.line_break()
        elif pos in c.mark_starts:
            b.add_mark(pos)  # an angle placeholder such as <FirstName>
        if pushed is not None and (tag in SKIP_TAGS or _is_hidden(attrs) or _is_quote(tag, attrs)):
            c.skip_tag, c.skip_index = pushed, len(stack) - 1
            return
        if c.footer_start is None and _is_footer(tag, attrs):
            c.footer_start = b.next_offset()

    def _meta(self, attrs: list[tuple[str, str | None]], pos: int) -> None:
        c = self._c
        name = (_attr(attrs, "name") or "").strip().lower()
        if name not in ("subject", "from"):
            return
        content = _attr(attrs, "content")
        if content is None:
            return
        raw = self.get_starttag_text() or ""
        entry = (content.strip(), pos, pos + max(len(raw), 1))
        if name == "subject" and c.meta_subject is None:
            c.meta_subject = entry
        elif name == "from" and c.meta_from is None:
            c.meta_from = entry

    def handle_endtag(self, tag: str, check_already_closed: bool = True) -> None:
        super().handle_endtag(tag, check_already_closed)
        c = self._c
        if c.title_tag is not None and not self._still_open(c.title_index, c.title_tag):
            c.title_tag, c.title_index, c.title_done = None, -1, True
        if c.skip_tag is not None:
            if self._still_open(c.skip_index, c.skip_tag):
                return
            ended = c.skip_tag.name
            c.skip_tag, c.skip_index = None, -1
            if ended in BLOCK_TAGS:
                c.builder.paragraph_break()
            return
        if tag in BLOCK_TAGS:
            c.builder.paragraph_break()

    # -- text ---------------------------------------------------------------------------

    def _text(self, text: str, pos: int, raw_len: int, constant: bool) -> None:
        c = self._c
        if c.title_tag is not None:
            if c.title_start < 0:
                c.title_start = pos
            c.title_end = pos + raw_len
            c.title_parts.append(text)
        if c.skip_tag is None:
            if constant:
                c.builder.add_constant(text, pos)
            else:
                c.builder.add_run(text, pos)

    def handle_data(self, data: str) -> None:
        if not self._in_ref:
            self._text(data, self._pos(), len(data), False)
        super().handle_data(data)

    def _ref_len(self, pos: int, name: str, prefix: int) -> int:
        end = pos + prefix + len(name)
        html = self._c.html
        return end - pos + (1 if html[end : end + 1] == ";" else 0)

    def handle_entityref(self, name: str) -> None:
        pos = self._pos()
        raw_len = self._ref_len(pos, name, 1)
        char = EntitySubstitution.HTML_ENTITY_TO_CHARACTER.get(name)
        text = char if char is not None else self._c.html[pos : pos + raw_len]
        self._text(text, pos, raw_len, True)
        self._in_ref = True
        try:
            super().handle_entityref(name)
        finally:
            self._in_ref = False

    def handle_charref(self, name: str) -> None:
        pos = self._pos()
        raw_len = self._ref_len(pos, name, 2)
        deref, _replaced, extra = self._dereference_numeric_character_reference(name)
        self._text((deref or "") + (extra or ""), pos, raw_len, True)
        self._in_ref = True
        try:
            super().handle_charref(name)
        finally:
            self._in_ref = False


class _ProseTreeBuilder(HTMLParserTreeBuilder):
    """Tree builder that parses with :class:`_ProseParser` (same soup as "html.parser")."""

    def __init__(self, collector: _Collector) -> None:
        super().__init__()
        self._collector = collector

    def feed(self, markup: Any, _parser_class: Any = None) -> None:
        args, kwargs = self.parser_args
        if not isinstance(markup, str) or self.soup is None:
            raise ParserRejectedMarkup("the prose parser takes decoded text only")
        parser = _ProseParser(self.soup, self._collector, *args, **kwargs)
        try:
            parser.feed(markup)
            parser.close()
        except AssertionError as e:
            raise ParserRejectedMarkup(e) from e
        parser.already_closed_empty_element = []


def _parse(html: str, collector: _Collector) -> BeautifulSoup:
    markup = html
    if len(markup) <= 256 and "<" not in markup and "\n" not in markup:
        markup += "\n"  # keeps bs4 from warning that the markup looks like a file name
    return BeautifulSoup(markup, builder=_ProseTreeBuilder(collector))


def extract_html(
    html: str, origins: Sequence[int] | None = None
) -> tuple[BeautifulSoup, Prose, TitleInfo | None, HtmlMeta]:
    """Parse ``html`` once; return the soup, the prose, the title and other facts.

    ``origins[i]`` is the source offset of ``html[i]`` (None: ``html`` is the source).
    Prose origins and all spans are source offsets.
    """
    tags = find_template_tags(html, html=True)
    masks = mask_intervals(tags)
    meta = HtmlMeta()
    collector = _Collector(html, masks)
    try:
        soup = _parse(html, collector)
    except (ParserRejectedMarkup, AssertionError):
        # html.parser gave up on a broken declaration: blank "<!" (same length) and retry
        meta.warnings.append("the HTML has a malformed declaration; it was ignored")
        cleaned = re.sub(r"<!(?!--)", " !", html)
        collector = _Collector(cleaned, masks)
        soup = _parse(cleaned, collector)
    prose = collector.builder.build(origins)
    title: TitleInfo | None = None
    if collector.title_start >= 0 or collector.title_done:
        text = " ".join("".join(collector.title_parts).split())
        span = (
            map_span(collector.title_start, collector.title_end, origins)
            if collector.title_start >= 0
            else None
        )
        title = TitleInfo(text, span)
    if collector.meta_subject is not None:
        value, s, e = collector.meta_subject
        meta.subject, meta.subject_span = value, map_span(s, e, origins)
    if collector.meta_from is not None:
        value, s, e = collector.meta_from
        meta.sender, meta.sender_span = value, map_span(s, e, origins)
    meta.lang = collector.lang
    if collector.footer_start is not None:
        meta.footer_start = min(collector.footer_start, len(prose))
    meta.template_tags = to_template_tags(html, tags, origins)
    return soup, prose, title, meta


def sender_addresses(value: str, span: Span | None) -> Address | None:
    """The first mailbox of a sender given as text (``--from``, ``<meta name=from>``)."""
    found = parse_addresses(value, span)
    return found[0] if found else None


def load_html_text(
    html: str,
    path: str,
    subject: str | None = None,
    sender: str | None = None,
    source: Source | None = None,
    origins: Sequence[int] | None = None,
    *,
    kind: str = "html",
) -> Draft:
    """A draft from an HTML template (``--subject``/``--from`` win over the document's).

    Subject: ``subject`` argument, else ``<meta name="subject">``, else ``<title>``.
    Sender: ``sender`` argument, else ``<meta name="from">``. ``source``/``origins`` let a
    caller that derived the HTML from another file (e.g. MJML) keep positions in that file.
    Raises only :class:`~apologylint.loaders.LoadError`.
    """
    try:
        return _load_html_text(html, path, subject, sender, source, origins, kind)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError("the HTML is nested too deeply to read", path) from None
    except Exception as e:
        raise LoadError(f"could not read the HTML: {type(e).__name__}: {e}", path) from e


def _load_html_text(
    html: str,
    path: str,
    subject: str | None,
    sender: str | None,
    source: Source | None,
    origins: Sequence[int] | None,
    kind: str,
) -> Draft:
    src = source if source is not None else Source(path, html)
    soup, prose, title, meta = extract_html(html, origins)
    draft = Draft(
        origin=Origin(path=path, kind=kind, is_template=True),
        source=src,
        html=html,
        soup=soup,
        prose=prose,
        has_html_part=True,
        html_size=len(html.encode("utf-8", "surrogatepass")),
        template_tags=meta.template_tags,
        declared_language=meta.lang,
        warnings=list(meta.warnings),
    )
    if subject is not None:
        draft.subject = subject
    elif meta.subject is not None:
        draft.subject, draft.subject_span = meta.subject, meta.subject_span
        draft.headers.append(Header("Subject", meta.subject, meta.subject_span))
    elif title is not None:
        draft.subject, draft.subject_span = title.text, title.span
        draft.headers.append(Header("Subject", title.text, title.span))
    if sender is not None:
        draft.sender = sender_addresses(sender, None)
    elif meta.sender is not None:
        draft.sender = sender_addresses(meta.sender, meta.sender_span)
        draft.sender_span = meta.sender_span
        draft.headers.append(Header("From", meta.sender, meta.sender_span))
    if meta.footer_start is not None:
        draft.extra["footer_start"] = meta.footer_start
    draft.extra["html_origins"] = None if origins is None else array("l", origins)
    return draft


def html_offset_to_source(draft: Draft, offset: int) -> int:
    """Source offset of a character of ``draft.html`` (identity for .html files)."""
    origins = draft.extra.get("html_origins")
    if origins is None:
        return offset
    if not origins:
        return 0
    return int(origins[min(max(offset, 0), len(origins) - 1)])


def element_span(draft: Draft, element: Tag) -> Span | None:
    """Source span of an element's start tag (from bs4's ``sourceline``/``sourcepos``)."""
    html = draft.html
    line, col = getattr(element, "sourceline", None), getattr(element, "sourcepos", None)
    if html is None or line is None or col is None:
        return None
    starts = draft.extra.get("_html_line_starts")
    if starts is None:
        starts = _line_starts(html)
        draft.extra["_html_line_starts"] = starts
    index = min(max(line - 1, 0), len(starts) - 1)
    start = starts[index] + col
    close = html.find(">", start, start + 4000)
    end = close + 1 if close != -1 else start + 1
    s = html_offset_to_source(draft, start)
    e = html_offset_to_source(draft, end - 1) + 1
    return Span(s, max(e, s))
