"""Find template tags (Liquid, Jinja, Handlebars, Mailchimp, AMPscript, ...) in text.

Template files contain tags that are syntax, not prose; rendered mail may contain
left-over tags. Both cases need the same scanner. It runs in linear time: every pattern
has bounded quantifiers, and tags whose closer may be far away (``{{``, ``{%``, ``%%[``)
are closed with :meth:`str.find` whose result is cached, so no part of the text is
searched twice for the same closer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import NamedTuple

from ..model import Span, TemplateTag

__all__ = [
    "FoundTag",
    "find_template_tags",
    "map_span",
    "mask_intervals",
    "to_template_tags",
]


class FoundTag(NamedTuple):
    """One tag: half-open ``[start, end)`` offsets into the scanned text."""

    start: int
    end: int
    syntax: str
    name: str
    has_fallback: bool
    is_control: bool

    @property
    def is_comment(self) -> bool:
        """A template comment (and its content) is neither prose nor a field."""
        return self.is_control and self.name == "comment"


#: Longest content accepted between ``{{``/``}}``, ``{%``/``%}`` and ``{#``/``#}``.
_MAX_CURLY = 2000
#: Longest AMPscript ``%%[ ... ]%%`` block.
_MAX_AMP_BLOCK = 20000

#: Field names that make a bare ``[name]`` or ``<name>`` a placeholder (lower case,
#: separators removed).
_FIELD_WORD_LIST = (
    "name firstname lastname fullname fname lname surname givenname familyname email "
    "emailaddress company companyname city salutation username customername "
    "recipientname contactname imie imię nazwisko firma miasto nombre prenom vorname"
)
_FIELD_WORDS = frozenset(_FIELD_WORD_LIST.split())

_LIQUID_CONTROL_LIST = (
    "if elsif elif else endif unless endunless for endfor case when endcase comment "
    "endcomment raw endraw capture endcapture assign set endset block endblock "
    "include render with endwith macro endmacro call endcall tablerow endtablerow "
    "cycle increment decrement break continue liquid extends import from filter "
    "endfilter trans endtrans autoescape endautoescape do layout section schema "
    "endschema connected_content abort_message"
)
_LIQUID_CONTROL = frozenset(_LIQUID_CONTROL_LIST.split())

_IDENT = re.compile(r"[A-Za-z_][\w.\-]{0,80}(?:\[[^\]\n]{0,40}\])?")
_FALLBACK = re.compile(
    r"\|\s{0,5}(?:default|d)\s{0,5}[:(]\s{0,5}(?P<v1>[^\s)|}]{0,3})"
    r"|(?:default|fallback)\s{0,5}=\s{0,5}(?P<v2>[\"'][^\"']{0,1}|[^\s\"'}\]|]{0,1})"
    r"|defaultIfEmpty|\?\?|\s(?:or|\|\|)\s{1,5}\S",
    re.IGNORECASE,
)
_EMPTY_FALLBACKS = frozenset({"", '""', "''", '"', "'", ")", '")', "')"})

_MAILCHIMP = re.compile(r"\*\|([^|*\n]{1,80})\|\*")
_AMP_INLINE = re.compile(r"%%=(?s:.{1,500}?)=%%")
_AMP_VAR = re.compile(r"@([A-Za-z_]\w{0,60})")
_AMP_ATTR = re.compile(r"\(\s{0,5}\"?([A-Za-z_][\w ]{0,60})")
_AMP_PERSONAL = re.compile(r"%%([A-Za-z_][A-Za-z0-9_ .\-]{0,60})%%")
_BRACKET = re.compile(
    r"\[([A-Za-z][A-Za-z0-9_]{0,40}(?: [A-Za-z][A-Za-z0-9_]{0,20}){0,2})"
    r"(?:,\s{0,3}fallback=([^\]\n]{0,100}))?\](?![(\[])"
)
_MAUTIC = re.compile(r"\{(contactfield|leadfield)=([A-Za-z0-9_]{1,60})(\|[^}\n]{0,100})?\}")
_DOLLAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]{0,60})\}")
_SMARTY = re.compile(r"\{\$([A-Za-z_][A-Za-z0-9_.]{0,60})\}")
_ANGLE = re.compile(r"<([A-Za-z_][A-Za-z0-9_]{1,40})>")
_SENDGRID = re.compile(r"(?<![\w\-])-([a-z][a-z0-9]{0,30}(?:_[a-z0-9]{1,30}){1,4})-(?![\w\-])")
_ENDCOMMENT = re.compile(r"\{%-?\s{0,10}endcomment\s{0,10}-?%\}")
_CURLY_OPEN = re.compile(r"\{[{%#]")

_MARKETO_PREFIXES = ("lead.", "company.", "my.", "system.", "program.", "trigger.", "member.")


def _looks_like_field(name: str) -> bool:
    """True for names that are clearly merge fields rather than words in brackets."""
    if "_" in name:
        return True
    compact = name.replace(" ", "")
    if compact.lower() in _FIELD_WORDS:
        return True
    if " " in name:
        return compact.lower().endswith("name") and compact[:1].isupper()
    # an upper-case letter after a lower-case one: FirstName, firstName
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(name))


def _has_fallback(content: str) -> bool:
    """A default/fallback with a non-empty value (``default: ""`` is no fallback)."""
    m = _FALLBACK.search(content)
    while m is not None:
        value = m.group("v1")
        if value is None:
            value = m.group("v2")
        if value is None or value.strip() not in _EMPTY_FALLBACKS:
            return True
        m = _FALLBACK.search(content, m.end())
    return False


def _strip_ws_control(content: str) -> str:
    content = content.strip()
    if content[:1] in ("-", "~"):
        content = content[1:]
    if content[-1:] in ("-", "~"):
        content = content[:-1]
    return content.strip()


def _describe_double_curly(content: str, triple: bool) -> tuple[str, str, bool, bool]:
    """(syntax, name, has_fallback, is_control) of a ``{{ ... }}`` tag's content."""
    body = _strip_ws_control(content)
    if triple:
        syntax = "handlebars"
    elif ":default=" in body or body.startswith(_MARKETO_PREFIXES):
        syntax = "marketo"
    elif "|" in body:
        syntax = "liquid"
    else:
        syntax = "mustache"
    if body.startswith("!"):
        return "handlebars", "comment", False, True
    if body[:1] in ("#", "/", "^", ">", "*") or body == "else" or body.startswith("else "):
        rest = body.lstrip("#/^>* ")
        parts = rest.split(None, 1)
        arg = parts[1] if len(parts) > 1 else ""
        m = _IDENT.match(arg.strip())
        return "handlebars", m.group(0) if m else "", False, True
    fallback = _has_fallback(body)
    if syntax == "marketo":
        name = body.split(":default=", 1)[0].strip()
        return syntax, name, fallback, False
    if body.startswith("${") and "}" in body:  # Braze: {{${first_name}}}
        name = body[2 : body.index("}")].strip()
        return "liquid", name, fallback, False
    if body.startswith("insert "):  # SendGrid: {{insert name "default=Customer"}}
        parts = body.split(None, 2)
        name = parts[1] if len(parts) > 1 else ""
        return "handlebars", name, fallback, False
    m = _IDENT.match(body)
    return syntax, m.group(0) if m else "", fallback, False


def _describe_percent_curly(content: str) -> tuple[str, bool, bool]:
    """(name, has_fallback, is_control) of a ``{% ... %}`` tag's content."""
    body = _strip_ws_control(content)
    parts = body.split(None, 1)
    keyword = parts[0].lower() if parts else ""
    rest = parts[1] if len(parts) > 1 else ""
    if keyword == "echo":
        m = _IDENT.match(rest)
        return (m.group(0) if m else ""), _has_fallback(rest), False
    if keyword in ("comment", "endcomment"):
        return "comment", False, True
    m = _IDENT.match(rest.lstrip("( "))
    name = m.group(0) if m and keyword in ("if", "elsif", "elif", "unless", "when") else ""
    if keyword not in _LIQUID_CONTROL and not name:
        name = keyword
    return name, _has_fallback(rest), True


class _CachedFind:
    """``text.find(needle, pos)`` whose answers are reused while still valid (linear)."""

    __slots__ = ("_at", "_needle", "_text")

    def __init__(self, text: str, needle: str) -> None:
        self._text = text
        self._needle = needle
        self._at = -2  # -2: not searched yet; -1: not found after the last search point

    def find(self, pos: int) -> int:
        at = self._at
        if at == -1:
            return -1
        if at < pos:
            at = self._text.find(self._needle, pos)
            self._at = at
        return at


def _scan_curly(text: str, out: list[FoundTag]) -> None:
    """``{{ }}``, ``{{{ }}}``, ``{% %}`` (with comment blocks) and ``{# #}``."""
    close2 = _CachedFind(text, "}}")
    close3 = _CachedFind(text, "}}}")
    close_pct = _CachedFind(text, "%}")
    close_hash = _CachedFind(text, "#}")
    close_hb_comment = _CachedFind(text, "--}}")
    endcomment_at = -2
    endcomment_end = -1
    n = len(text)
    pos = 0
    while True:
        m = _CURLY_OPEN.search(text, pos)
        if m is None:
            return
        i = m.start()
        kind = text[i + 1]
        if kind == "{":
            triple = text.startswith("{{{", i)
            if text.startswith("{{!--", i):
                j = close_hb_comment.find(i + 5)
                end = j + 4 if j != -1 else -1
            elif triple:
                j = close3.find(i + 3)
                end = j + 3 if j != -1 else -1
            else:
                j = close2.find(i + 2)
                end = j + 2 if j != -1 else -1
                if end != -1 and j - i <= _MAX_CURLY and "{" in text[i + 2 : j]:
                    end = _balanced_end(text, i + 2, min(n, i + 2 + _MAX_CURLY))
            if end == -1 or end - i > _MAX_CURLY + 6:
                pos = i + 2
                continue
            inner = text[i + (3 if triple else 2) : end - (3 if triple else 2)]
            syntax, name, fallback, control = _describe_double_curly(inner, triple)
            out.append(FoundTag(i, end, syntax, name, fallback, control))
            pos = end
        elif kind == "%":
            j = close_pct.find(i + 2)
            if j == -1 or j - i > _MAX_CURLY:
                pos = i + 2
                continue
            end = j + 2
            name, fallback, control = _describe_percent_curly(text[i + 2 : j])
            if name == "comment" and _strip_ws_control(text[i + 2 : j]).lower() == "comment":
                if endcomment_at == -2 or (endcomment_at != -1 and endcomment_at < end):
                    em = _ENDCOMMENT.search(text, end)
                    endcomment_at, endcomment_end = (em.start(), em.end()) if em else (-1, -1)
                if endcomment_at != -1:
                    end = endcomment_end
            out.append(FoundTag(i, end, "liquid", name, fallback, control))
            pos = end
        else:  # "{#"
            j = close_hash.find(i + 2)
            if j == -1 or j - i > _MAX_CURLY:
                pos = i + 2
                continue
            out.append(FoundTag(i, j + 2, "jinja", "comment", False, True))
            pos = j + 2


def _balanced_end(text: str, start: int, limit: int) -> int:
    """End of ``{{ ... }}`` whose content holds single braces (``{{${name}}}``)."""
    depth = 0
    i = start
    while i < limit:
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i + 2 if text.startswith("}}", i) else -1
            depth -= 1
        i += 1
    return -1


def _scan_ampscript(text: str, out: list[FoundTag]) -> None:
    close = _CachedFind(text, "]%%")
    pos = 0
    while True:
        i = text.find("%%[", pos)
        if i == -1:
            break
        j = close.find(i + 3)
        if j == -1 or j - i > _MAX_AMP_BLOCK:
            pos = i + 3
            continue
        out.append(FoundTag(i, j + 3, "ampscript", "", False, True))
        pos = j + 3
    for m in _AMP_INLINE.finditer(text):
        inner = m.group(0)[3:-3]
        lowered = inner.lower()
        fallback = "iif(" in lowered or "empty(" in lowered or "isnull(" in lowered
        im = _AMP_VAR.search(inner) or _AMP_ATTR.search(inner)
        name = im.group(1) if im else ""
        out.append(FoundTag(m.start(), m.end(), "ampscript", name.strip(), fallback, False))
    for m in _AMP_PERSONAL.finditer(text):
        out.append(FoundTag(m.start(), m.end(), "ampscript", m.group(1).strip(), False, False))


def _scan_mailchimp(text: str, out: list[FoundTag]) -> None:
    for m in _MAILCHIMP.finditer(text):
        inner = m.group(1).strip()
        upper = inner.upper()
        control = False
        name = inner
        for prefix in ("IF:", "ELSEIF:", "IFNOT:", "INTERESTED:", "END:", "ELSE:"):
            if upper.startswith(prefix):
                control = True
                name = inner[len(prefix) :].split("=", 1)[0].strip()
                if prefix in ("END:", "ELSE:"):
                    name = ""
                break
        out.append(FoundTag(m.start(), m.end(), "mailchimp", name, False, control))


def _scan_misc(text: str, out: list[FoundTag], *, angle: bool, html: bool) -> None:
    for m in _BRACKET.finditer(text):
        name = m.group(1)
        fallback_value = m.group(2)
        if fallback_value is None and not _looks_like_field(name):
            continue
        has_fallback = bool(fallback_value and fallback_value.strip())
        out.append(FoundTag(m.start(), m.end(), "campaignmonitor", name, has_fallback, False))
    for m in _MAUTIC.finditer(text):
        default = m.group(3)
        has_fallback = bool(default and default[1:].strip())
        out.append(FoundTag(m.start(), m.end(), "mautic", m.group(2), has_fallback, False))
    for m in _DOLLAR.finditer(text):
        out.append(FoundTag(m.start(), m.end(), "dollar", m.group(1), False, False))
    for m in _SMARTY.finditer(text):
        out.append(FoundTag(m.start(), m.end(), "smarty", m.group(1), False, False))
    if "-" in text:
        for m in _SENDGRID.finditer(text):
            out.append(FoundTag(m.start(), m.end(), "sendgrid", m.group(1), False, False))
    if angle:
        for m in _ANGLE.finditer(text):
            name = m.group(1)
            if html and name.lower() in _HTML_ELEMENTS:
                continue
            if not _looks_like_field(name):
                continue
            out.append(FoundTag(m.start(), m.end(), "angle", name, False, False))


_HTML_ELEMENT_NAMES = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button "
    "canvas caption center cite code col colgroup data datalist dd del details dfn dialog "
    "div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head "
    "header hgroup hr html i iframe img input ins kbd label legend li link main map mark "
    "meta meter nav noscript object ol optgroup option output p param picture pre progress "
    "q rp rt ruby s samp script section select small source span strike strong style sub "
    "summary sup table tbody td template textarea tfoot th thead time title tr track tt u "
    "ul var video wbr o:p v:rect v:fill v:textbox xml"
)
_HTML_ELEMENTS = frozenset(_HTML_ELEMENT_NAMES.split())


def find_template_tags(text: str, *, angle: bool = True, html: bool = False) -> list[FoundTag]:
    """All template tags in ``text``, sorted, non-overlapping (the earliest, longest wins).

    ``angle`` enables ``<FirstName>``-style placeholders; with ``html=True`` real HTML
    element names are never taken for one. A ``{% comment %}...{% endcomment %}`` block is
    one tag (``name == "comment"``) covering its content.
    """
    found: list[FoundTag] = []
    if "{" in text:
        _scan_curly(text, found)
    if "%%" in text:
        _scan_ampscript(text, found)
    if "*|" in text:
        _scan_mailchimp(text, found)
    _scan_misc(text, found, angle=angle, html=html)
    if not found:
        return found
    found.sort(key=lambda t: (t.start, -t.end))
    result: list[FoundTag] = []
    last_end = -1
    for tag in found:
        if tag.start >= last_end:
            result.append(tag)
            last_end = tag.end
    if any(t.syntax == "liquid" for t in result):
        # a file with Liquid tags is a Liquid template: its plain {{ x }} are Liquid too
        result = [t._replace(syntax="liquid") if t.syntax == "mustache" else t for t in result]
    return result


def mask_intervals(tags: list[FoundTag]) -> list[tuple[int, int, bool]]:
    """``(start, end, emit_mark)`` for :class:`~apologylint.prose.ProseBuilder` masks.

    Comments vanish from prose; every other tag becomes one ``TEMPLATE_MARK``.
    """
    return [(t.start, t.end, not t.is_comment) for t in tags]


def map_span(start: int, end: int, origins: Sequence[int] | None) -> Span:
    """Span in the decoded string → span in the source."""
    if origins is None:
        return Span(start, max(end, start))
    n = len(origins)
    if n == 0:
        return Span(0, 0)
    s = origins[min(max(start, 0), n - 1)]
    e = origins[min(max(end - 1, 0), n - 1)] + 1
    return Span(s, max(e, s))


def to_template_tags(
    text: str, tags: list[FoundTag], origins: Sequence[int] | None
) -> list[TemplateTag]:
    """FoundTags in a decoded string → model TemplateTags with source spans."""
    return [
        TemplateTag(
            syntax=t.syntax,
            text=text[t.start : t.end],
            span=map_span(t.start, t.end, origins),
            name=t.name,
            has_fallback=t.has_fallback,
            is_control=t.is_control,
        )
        for t in tags
    ]
