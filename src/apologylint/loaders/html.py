"""Load HTML (templates and .eml HTML parts): one parse gives the element index and the prose.

The stdlib :class:`html.parser.HTMLParser` runs with ``convert_charrefs=False``, so every
text event is an exact slice of the input whose start is the parser's position (kept as
an offset, see ``_Parser.updatepos``); character and entity references are separate
events and map to the ``&`` that starts them. The same pass feeds a
:class:`~apologylint.prose.ProseBuilder` and records an :class:`HtmlDoc`: the elements in
document order with their attributes, start offsets and text, built with the tree rules of
Beautiful Soup's ``html.parser`` builder (which the rules used to read), so that no rule
result changed. Measured on the 200 HTML parts of the bench corpus (2.85 MB, html.parser
alone 0.09 s): ``extract_html`` 0.56 s -> 0.29 s without origins, 0.74 s -> 0.25 s with
them (the .eml case); ``import bs4`` (60 ms of start-up) is off the lint path.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.entities import html5
from html.parser import HTMLParser
from typing import NamedTuple, cast

from ..model import Address, Draft, Header, Origin, Prose, Source, Span, TemplateTag
from ..prose import ProseBuilder, is_identity
from . import LoadError
from .decoding import parse_addresses
from .templating import find_template_tags, map_span, mask_intervals, to_template_tags

__all__ = [
    "HtmlDoc",
    "HtmlElement",
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

#: Void elements: closed as soon as they open, so they never hold text (bs4's
#: ``HTMLTreeBuilder.empty_element_tags``).
_VOID_TAG_LIST = (
    "area base basefont bgsound br col command embed frame hr image img input isindex "
    "keygen link menuitem meta nextid param source spacer track wbr"
)
VOID_TAGS = frozenset(_VOID_TAG_LIST.split())
#: Elements whose own strings are a kind apart (bs4's ``string_containers``): their text is
#: not their ancestors' text, and their ``text_of`` reads only that kind.
STRING_CONTAINERS = frozenset({"rt", "rp", "style", "script", "template"})
#: Elements inside which a whitespace-only string is kept as written (bs4 collapses it to
#: one space or newline elsewhere).
_PRESERVE_WHITESPACE = frozenset({"pre", "textarea"})
_ASCII_SPACES = " \n\t\x0c\r"
_DECIMAL_REFERENCE = re.compile("^([0-9]+)(.*)")
_HEX_REFERENCE = re.compile("^([0-9a-f]+)(.*)")


class TitleInfo(NamedTuple):
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


class HtmlElement(NamedTuple):
    """One element of the HTML, as the parser opened it.

    ``attrs`` holds each attribute once (the last value wins, a bare attribute is ``""``);
    ``class`` stays the string as written (:attr:`classes` splits it). ``start`` is the
    offset of its ``<`` in :attr:`Draft.html` (:func:`element_span` maps it to the source).
    A NamedTuple: ~0.2 µs to create against ~0.6 µs for a frozen dataclass, per element.
    """

    name: str
    attrs: dict[str, str]
    start: int
    order: int  # its index in HtmlDoc.elements (document order)
    text_start: int  # first of its strings in the document's string list

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def classes(self) -> list[str]:
        """The ``class`` attribute split on whitespace (what bs4 gave as a list)."""
        return self.attrs.get("class", "").split()


#: ``HtmlElement(...)`` without the named tuple's own constructor (Python code): the
#: parser makes one per tag, 15,000 for the bench corpus's 200 HTML parts.
_new_element = tuple.__new__

#: How much of an element's text :meth:`HtmlDoc.text_of` reads: about this many
#: characters, from at most this many strings. The rules read the text of links,
#: headings and style sheets, which are short; an element left open runs to the end of
#: the page, so on a page of 20,000 unclosed ``<a>`` reading each one's whole text took
#: time in the square of the page (50 s for 1 MB). The limit makes it linear.
TEXT_LIMIT = 500


class HtmlDoc:
    """The elements of an HTML body in document order, with their text.

    Text is kept as the strings between tags (adjacent text and references joined, a
    whitespace-only string collapsed to one space or newline outside ``<pre>``), each with
    the string container it stands in (see :data:`STRING_CONTAINERS`); an element's text
    is the run of strings recorded while it was open.
    """

    __slots__ = ("_ends", "_kinds", "_strings", "elements")

    def __init__(
        self,
        elements: list[HtmlElement],
        ends: list[int],
        strings: list[str],
        kinds: list[str],
    ) -> None:
        self.elements = elements
        self._ends = ends
        self._strings = strings
        self._kinds = kinds

    def __iter__(self) -> Iterator[HtmlElement]:
        return iter(self.elements)

    def __len__(self) -> int:
        return len(self.elements)

    def find_all(self, *names: str, has: str | None = None) -> list[HtmlElement]:
        """Elements named ``names`` (all elements without names), in document order;
        with ``has``, only those that carry that attribute (even empty)."""
        found: list[HtmlElement] = self.elements
        if names:
            wanted = frozenset(names)
            found = [el for el in found if el.name in wanted]
        if has is not None:
            found = [el for el in found if has in el.attrs]
        return found

    def find(self, name: str) -> HtmlElement | None:
        """The first element named ``name``."""
        for el in self.elements:
            if el.name == name:
                return el
        return None

    def strings(self, element: HtmlElement, limit: int = TEXT_LIMIT) -> list[str]:
        """The element's strings: text outside containers for most elements, only its own
        kind for a container (a ``<style>``'s CSS, a ``<script>``'s code); about ``limit``
        characters of them at most, from at most ``limit`` strings (:data:`TEXT_LIMIT`)."""
        want = element.name if element.name in STRING_CONTAINERS else ""
        kinds, strings = self._kinds, self._strings
        found: list[str] = []
        size = 0
        start = element.text_start
        for i in range(start, min(self._ends[element.order], start + limit)):
            if kinds[i] == want:
                found.append(strings[i])
                size += len(strings[i])
                if size >= limit:
                    break
        return found

    def text_of(self, element: HtmlElement, sep: str = "", *, strip: bool = False,
                limit: int = TEXT_LIMIT) -> str:
        """What bs4's ``element.get_text(sep, strip=strip)`` gave, up to about ``limit``
        characters."""
        parts = self.strings(element, limit)
        if strip:
            parts = [p for p in (s.strip() for s in parts) if p]
        return sep.join(parts)


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
            if _hidden_style(value):
                return True
        elif key == "class" and value:
            lowered = value.lower()
            if any(c in lowered for c in _HIDDEN_CLASSES):
                return True
    return False


def _hidden_style(style: str) -> bool:
    # whitespace squeezed out ("display : none"); split() is re's \s, 6x faster than sub
    squeezed = "".join(style.lower().split())
    return "display:none" in squeezed or "visibility:hidden" in squeezed


def _is_quote(tag: str, attrs: Sequence[tuple[str, str | None]]) -> bool:
    """Quoted earlier messages (replies, forwards) are not the draft's voice."""
    if tag == "blockquote" and (_attr(attrs, "type") or "").lower() == "cite":
        return True
    cls = (_attr(attrs, "class") or "").lower()
    if cls and any(c in cls for c in _QUOTE_CLASSES):
        return True
    ident = (_attr(attrs, "id") or "").lower()
    return bool(ident) and ident in _QUOTE_IDS


def _hides(tag: str, attrs: Sequence[tuple[str, str | None]], values: dict[str, str]) -> bool:
    """:func:`_is_hidden` or :func:`_is_quote`; ``values`` (the attributes as a dict, or
    empty when one is repeated) answers without scanning the list once per question."""
    if not values:
        return _is_hidden(attrs) or _is_quote(tag, attrs)
    if "hidden" in values:
        return True
    style = values.get("style")
    if style and _hidden_style(style):
        return True
    cls = values.get("class")
    if cls:
        lowered = cls.lower()
        if any(c in lowered for c in _HIDDEN_CLASSES) or any(c in lowered for c in _QUOTE_CLASSES):
            return True
    if tag == "blockquote" and values.get("type", "").lower() == "cite":
        return True
    ident = values.get("id")
    return ident is not None and ident.lower() in _QUOTE_IDS


def _is_footer(
    tag: str, attrs: Sequence[tuple[str, str | None]], values: dict[str, str] | None = None
) -> bool:
    if tag == "footer":
        return True
    for key in ("class", "id"):
        value = (values.get(key) if values else _attr(attrs, key)) or ""
        if value and any(m in value.lower() for m in _FOOTER_MARKERS):
            return True
    return False


def _entity(name: str) -> str | None:
    """The text of ``&name;`` (bs4's table: an HTML5 name with or without ``;``)."""
    if name.endswith(";"):
        return None
    char = html5.get(name)
    return char if char is not None else html5.get(name + ";")


def _charref(name: str) -> str:
    """The text of ``&#name;`` as the HTML spec (and bs4) resolve it: NUL, surrogates and
    numbers past U+10FFFF become U+FFFD, 0x80-0x9F are read as windows-1252."""
    base, reg = 10, _DECIMAL_REFERENCE
    if name.startswith(("x", "X")):
        name, base, reg = name[1:], 16, _HEX_REFERENCE
    extra = ""
    try:
        number = int(name, base)
    except ValueError:
        match = reg.search(name)
        if match is None:
            return name
        number, extra = int(match.group(1), base), match.group(2)
    if number == 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return "\ufffd" + extra
    if 0x80 <= number <= 0x9F:
        try:
            return bytes((number,)).decode("cp1252") + extra
        except UnicodeDecodeError:
            pass
    return chr(number) + extra


class _Parser(HTMLParser):
    """html.parser events -> prose (with positions) and the element index.

    The element stack follows bs4's ``html.parser`` tree builder: a void element closes at
    once (and a later ``</br>`` for it is swallowed), an end tag closes the nearest open
    element of its name and everything opened inside it, an end tag with no open element
    of its name is ignored, and what is open at the end closes there.
    """

    def __init__(
        self, html: str, masks: list[tuple[int, int, bool]], origins: Sequence[int] | None
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.builder = ProseBuilder(masks, origins)
        self.mark_starts = {start for start, _end, emit in masks if emit}
        # prose state
        self.skip: HtmlElement | None = None  # the element whose content is not prose
        self.skip_depth = -1  # its index in the stack
        self.title: HtmlElement | None = None
        self.title_depth = -1
        self.title_done = False
        self.title_parts: list[str] = []
        self.title_start = -1
        self.title_end = -1
        self.meta_subject: tuple[str, int, int] | None = None
        self.meta_from: tuple[str, int, int] | None = None
        self.lang: str | None = None
        self.footer_start: int | None = None
        # element index state
        self.elements: list[HtmlElement] = []
        self.ends: list[int] = []
        self.strings: list[str] = []
        self.kinds: list[str] = []
        self.stack: list[HtmlElement] = []
        self.open_count: dict[str, int] = {}
        self.containers: list[HtmlElement] = []
        self.preserve = 0  # open <pre>/<textarea>
        self.data: list[str] = []
        self.closed_voids: dict[str, int] = {}  # void elements a later end tag may repeat

    # -- positions: html.parser's bookkeeping kept as one offset -------------------------

    def reset(self) -> None:
        super().reset()
        self._base = 0  # offset in the input of ``rawdata[0]``
        self._at = 0  # offset in ``rawdata`` where the event being handled starts

    def updatepos(self, i: int, j: int) -> int:
        """Where html.parser has got to. Its own version counts the lines of every piece
        for ``getpos()`` (line, column), which this parser only turned back into an
        offset; the offset itself is what is kept (measured: a tenth of the parse)."""
        if i < j:
            self._at = j
        return j

    def goahead(self, end: bool) -> None:
        before = len(self.rawdata)
        super().goahead(end)
        # html.parser keeps only the unparsed rest of its input: count what it dropped
        self._base += before - len(self.rawdata)
        self._at = 0

    def here(self) -> int:
        """Offset in ``html`` of the event being handled."""
        return self._base + self._at

    def doc(self) -> HtmlDoc:
        self.end_string()
        total = len(self.strings)
        ends = self.ends
        for el in self.stack:
            ends[el.order] = total
        return HtmlDoc(self.elements, ends, self.strings, self.kinds)

    # -- element index --------------------------------------------------------------------

    def end_string(self, kind: str | None = None) -> None:
        """Close the string being collected (bs4's ``endData``)."""
        data = self.data
        if not data:
            return
        text = data[0] if len(data) == 1 else "".join(data)
        data.clear()
        if not self.preserve and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        if kind is None:
            kind = self.containers[-1].name if self.containers else ""
        self.strings.append(text)
        self.kinds.append(kind)

    def pop_to(self, tag: str) -> None:
        if self.data:
            self.end_string()
        if not self.open_count.get(tag):
            return
        stack, ends, total = self.stack, self.ends, len(self.strings)
        while stack:
            el = stack.pop()
            ends[el.order] = total
            self.open_count[el.name] -= 1
            if self.containers and self.containers[-1] is el:
                self.containers.pop()
            elif el.name in _PRESERVE_WHITESPACE:
                self.preserve -= 1
            if el.name == tag:
                return

    # -- tags ---------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, False)
        self._end(tag, False)

    def handle_endtag(self, tag: str) -> None:
        self._end(tag, True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], close_void: bool) -> None:
        pos = self._base + self._at
        if tag == "body" and self.skip is not None and self.skip.name == "head":
            self.skip, self.skip_depth = None, -1  # <head> left unclosed
        # the element (bs4's handle_starttag)
        if self.data:
            self.end_string()
        raw = dict(attrs)  # the last value wins, as in bs4
        if None in raw.values():
            raw = {k: "" if v is None else v for k, v in raw.items()}
        values = cast(dict[str, str], raw)
        element = _new_element(HtmlElement, (tag, values, pos, len(self.elements),
                                             len(self.strings)))
        self.elements.append(element)
        self.ends.append(-1)
        self.stack.append(element)
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        if tag in STRING_CONTAINERS:
            self.containers.append(element)
        elif tag in _PRESERVE_WHITESPACE:
            self.preserve += 1
        pushed: HtmlElement | None = element
        if close_void and tag in VOID_TAGS:
            self._end(tag, False)
            self.closed_voids[tag] = self.closed_voids.get(tag, 0) + 1
            pushed = None
        # the prose
        if tag == "html" and self.lang is None:
            self.lang = (_attr(attrs, "lang") or _attr(attrs, "xml:lang") or "").strip() or None
        elif tag == "meta":
            self._meta(attrs, pos)
        elif tag == "title" and pushed is not None and not self.title_done and self.title is None:
            self.title, self.title_depth = pushed, len(self.stack) - 1
        if self.skip is not None:
            return
        b = self.builder
        if tag in BLOCK_TAGS:
            b.paragraph_break()
        elif tag == "br":
            b.line_break()
        elif pos in self.mark_starts:
            b.add_mark(pos)  # an angle placeholder such as <FirstName>
        # a repeated attribute: the checks read the list (first value, every value)
        lookup = values if len(values) == len(attrs) else {}
        if pushed is not None and (
            tag in SKIP_TAGS or (attrs and _hides(tag, attrs, lookup))
        ):
            self.skip, self.skip_depth = pushed, len(self.stack) - 1
            return
        if self.footer_start is None and (
            tag == "footer" or (attrs and _is_footer(tag, attrs, lookup))
        ):
            self.footer_start = b.next_offset()

    def _meta(self, attrs: list[tuple[str, str | None]], pos: int) -> None:
        name = (_attr(attrs, "name") or "").strip().lower()
        if name not in ("subject", "from"):
            return
        content = _attr(attrs, "content")
        if content is None:
            return
        raw = self.get_starttag_text() or ""
        entry = (content.strip(), pos, pos + max(len(raw), 1))
        if name == "subject" and self.meta_subject is None:
            self.meta_subject = entry
        elif name == "from" and self.meta_from is None:
            self.meta_from = entry

    def _still_open(self, depth: int, element: HtmlElement) -> bool:
        stack = self.stack
        return depth < len(stack) and stack[depth] is element

    def _end(self, tag: str, check_void: bool) -> None:
        closed = self.closed_voids
        if check_void and closed.get(tag):
            closed[tag] -= 1  # </br> after <br>: already closed
        else:
            self.pop_to(tag)
        if self.title is not None and not self._still_open(self.title_depth, self.title):
            self.title, self.title_depth, self.title_done = None, -1, True
        if self.skip is not None:
            if self._still_open(self.skip_depth, self.skip):
                return
            ended = self.skip.name
            self.skip, self.skip_depth = None, -1
            if ended in BLOCK_TAGS:
                self.builder.paragraph_break()
            return
        if tag in BLOCK_TAGS:
            self.builder.paragraph_break()

    # -- text ---------------------------------------------------------------------------

    def _text(self, text: str, pos: int, raw_len: int, constant: bool) -> None:
        if self.title is not None:
            if self.title_start < 0:
                self.title_start = pos
            self.title_end = pos + raw_len
            self.title_parts.append(text)
        if self.skip is None:
            if constant:
                self.builder.add_constant(text, pos)
            else:
                self.builder.add_run(text, pos)

    def handle_data(self, data: str) -> None:
        if _DEFUSED in data:  # see _defuse: a "<" that could never open anything
            data = data.replace(_DEFUSED, "<")
        self.data.append(data)
        if self.skip is None or self.title is not None:
            self._text(data, self.here(), len(data), False)

    def _ref_len(self, pos: int, name: str, prefix: int) -> int:
        end = pos + prefix + len(name)
        return end - pos + (1 if self.html[end : end + 1] == ";" else 0)

    def handle_entityref(self, name: str) -> None:
        char = _entity(name)
        self.data.append(char if char is not None else "&" + name)
        if self.skip is None or self.title is not None:
            pos = self.here()
            raw_len = self._ref_len(pos, name, 1)
            text = char if char is not None else self.html[pos : pos + raw_len]
            self._text(text, pos, raw_len, True)

    def handle_charref(self, name: str) -> None:
        text = _charref(name)
        self.data.append(text)
        if self.skip is None or self.title is not None:
            pos = self.here()
            self._text(text, pos, self._ref_len(pos, name, 2), True)

    # -- other markup: ends a string; CDATA sections are text of the elements (as in bs4)

    def handle_comment(self, data: str) -> None:
        self.end_string()

    def handle_decl(self, decl: str) -> None:
        self.end_string()

    def handle_pi(self, data: str) -> None:
        self.end_string()

    def unknown_decl(self, data: str) -> None:
        self.end_string()
        if data.upper().startswith("CDATA["):
            self.data.append(data[len("CDATA[") :])
            self.end_string("")


def _parse(
    html: str, masks: list[tuple[int, int, bool]], origins: Sequence[int] | None
) -> _Parser:
    markup = html
    if len(markup) <= 256 and "<" not in markup and "\n" not in markup:
        # the newline bs4 needed (against its "looks like a file name" warning) changes
        # how html.parser ends a trailing "&amp": kept, so such prose stays as it was
        markup += "\n"
    parser = _Parser(html, masks, origins)
    parser.feed(_defuse(markup))
    parser.close()
    return parser


#: Stands in for a "<" that can never open anything (same length: offsets stay exact);
#: handed back as "<" in the text (a noncharacter: no real text holds it).
_DEFUSED = "\ufdd0"
_MARKED_SECTION_CLOSE = re.compile(r"\]\s*>")


def _defuse(markup: str) -> str:
    """The markup with every opener that can never be closed turned into text.

    html.parser looks for the end of a construct from each "<" to the end of its input,
    and reads the "<" as text when there is none: a flood of "</", "<?" or "<a" with no
    ">" after it, or of "<!--" with no "-->", or of "<![" with no "]>", took time square in
    its length (1 MB of "</": 171 s). A "<" after the last ">" (and a "<!--" after the
    last "-->", a "<![" after the last "]>") can only ever be text, so it is made text
    here, in one pass, and html.parser never searches from it."""
    last_close = markup.rfind(">")
    if markup.find("<", last_close + 1) != -1:
        markup = markup[: last_close + 1] + markup[last_close + 1 :].replace("<", _DEFUSED)
    if "<!" in markup:
        comment_close = markup.rfind("-->")
        tail = markup[comment_close + 3 :] if comment_close != -1 else markup
        if "<!--" in tail:
            head = markup[: len(markup) - len(tail)]
            markup = head + tail.replace("<!--", _DEFUSED + "!--")
        cut = max((m.end() for m in _MARKED_SECTION_CLOSE.finditer(markup)), default=0)
        if "<![" in markup[cut:]:
            markup = markup[:cut] + markup[cut:].replace("<![", _DEFUSED + "![")
    return markup


def extract_html(
    html: str, origins: Sequence[int] | None = None, engine: str | None = None
) -> tuple[HtmlDoc, Prose, TitleInfo | None, HtmlMeta]:
    """Parse ``html`` once; return the element index, the prose, the title, other facts.

    ``origins[i]`` is the source offset of ``html[i]`` (None: ``html`` is the source).
    Prose origins and all spans are source offsets. ``engine`` is the template engine the
    HTML is written in, when known (see :mod:`apologylint.engines`).
    """
    tags = find_template_tags(html, html=True, engine=engine)
    masks = mask_intervals(tags)
    meta = HtmlMeta()
    try:
        parser = _parse(html, masks, origins)
    except AssertionError:
        # html.parser gave up on a broken declaration: blank "<!" (same length) and retry
        meta.warnings.append("the HTML has a malformed declaration; it was ignored")
        parser = _parse(re.sub(r"<!(?!--)", " !", html), masks, origins)
    doc = parser.doc()
    prose = parser.builder.build()
    title: TitleInfo | None = None
    if parser.title_start >= 0 or parser.title_done:
        text = " ".join("".join(parser.title_parts).split())
        span = (
            map_span(parser.title_start, parser.title_end, origins)
            if parser.title_start >= 0
            else None
        )
        title = TitleInfo(text, span)
    if parser.meta_subject is not None:
        value, s, e = parser.meta_subject
        meta.subject, meta.subject_span = value, map_span(s, e, origins)
    if parser.meta_from is not None:
        value, s, e = parser.meta_from
        meta.sender, meta.sender_span = value, map_span(s, e, origins)
    meta.lang = parser.lang
    if parser.footer_start is not None:
        meta.footer_start = min(parser.footer_start, len(prose))
    meta.template_tags = to_template_tags(html, tags, origins)
    return doc, prose, title, meta


def _has_words(title: str) -> bool:
    """Whether a ``<title>`` says something: not empty, not only template tags."""
    from .templating import find_template_tags

    if not title.strip():
        return False
    rest = title
    for tag in reversed(find_template_tags(title)):
        rest = rest[: tag.start] + rest[tag.end :]
    return bool(rest.strip())


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
    engine: str | None = None,
) -> Draft:
    """A draft from an HTML template (``--subject``/``--from`` win over the document's).

    Subject: ``subject`` argument, else ``<meta name="subject">``, else ``<title>`` when it
    holds words (an empty ``<title>``, or one that is only a template tag, leaves the
    subject unknown: it is set elsewhere).
    Sender: ``sender`` argument, else ``<meta name="from">``. ``source``/``origins`` let a
    caller that derived the HTML from another file (e.g. MJML) keep positions in that file.
    Raises only :class:`~apologylint.loaders.LoadError`.
    """
    try:
        return _load_html_text(html, path, subject, sender, source, origins, kind, engine)
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
    engine: str | None,
) -> Draft:
    src = source if source is not None else Source(path, html)
    if origins is not None and len(src.text) == len(html) and is_identity(origins):
        # the HTML is its one file as written (a template with nothing poured into it):
        # read as that file given alone, without a map that says nothing (it was kept
        # whole in ``extra["html_origins"]``: 8 bytes a character, issue 14)
        origins = None
    doc, prose, title, meta = extract_html(html, origins, engine)
    draft = Draft(
        origin=Origin(path=path, kind=kind, is_template=True, engine=engine),
        source=src,
        html=html,
        html_doc=doc,
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
    elif title is not None and _has_words(title.text):
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


def element_span(draft: Draft, element: HtmlElement) -> Span | None:
    """Source span of an element's start tag: its ``<`` to the first ``>`` after it.

    Computed on demand through ``draft.extra["html_origins"]`` (an mbox re-bases those
    after loading, so spans cannot be fixed at parse time).
    """
    html = draft.html
    if html is None:
        return None
    start = element.start
    close = html.find(">", start, start + 4000)
    end = close + 1 if close != -1 else start + 1
    s = html_offset_to_source(draft, start)
    e = html_offset_to_source(draft, end - 1) + 1
    return Span(s, max(e, s))
