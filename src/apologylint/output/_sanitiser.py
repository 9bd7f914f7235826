"""The report's second fence: each draft's copy parsed again as a browser parses it, and
only an allow-list of tags and attributes kept.

The first fence (``html.safe_copy``) rewrites the draft token by token so that findings
stay at their offsets; it reads markup with a small scanner (``_markup``), and a scanner
can disagree with a browser on hostile markup (the mutation-XSS family: odd comment ends,
``<style>`` inside ``<svg>``). So its output goes through ammonia (the ``nh3`` binding,
an html5ever parser): what survives is what a browser would build, reduced to the tags
and attributes below, with every URL attribute either a ``data:image/`` URL or a
``#fragment``. ammonia does not read CSS, so both fences run ``css_neutralised`` on
style attributes and ``<style>`` elements. The frame's Content-Security-Policy and
sandbox are two more fences; none of them relies on the others (the tests load the
sanitised copy with no policy at all and watch the network).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import nh3

from ..matching import fold
from ._markup import scan

__all__ = ["allow_listed", "css_neutralised"]

#: what an email draft is made of; anything else loses its tag and keeps its text
_TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "style", "font", "center", "big", "tfoot", "section", "main", "address", "mark",
}
#: elements dropped with everything in them: scripts, the document's title, markup of
#: other languages, and containers whose content a browser parses differently from
#: html5ever's scripting-enabled parse (``<noscript>``)
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "title", "svg", "math", "noscript", "template", "object", "embed", "iframe",
     "noembed", "noframes", "head"}
)
_GENERIC_ATTRIBUTES = frozenset({
    "style", "class", "id", "title", "lang", "dir", "align", "valign", "width", "height",
    "bgcolor", "color", "border", "role", "nowrap", "cellpadding", "cellspacing", "colspan",
    "rowspan", "face", "size", "alt", "span", "start", "type", "headers", "scope",
    "summary", "abbr", "datetime", "hidden",
})
_ATTRIBUTES = {
    "*": set(_GENERIC_ATTRIBUTES),
    "a": {"href"},
    "area": {"href", "shape", "coords"},
    "img": {"src"},
}
#: the report's own marks and the blocked URLs it keeps as inert data
_ATTRIBUTE_PREFIXES = {"data-al-", "aria-"}

_FUNCTION = re.compile(r"(?<![a-z0-9_-])([a-z0-9_-]+)\s*\(")
#: functions that fetch what they name (``-webkit-image-set`` ends like ``image-set``)
_LOADING_FUNCTIONS = ("url", "image", "image-set", "cross-fade", "element", "src",
                      "expression")
_LOADING_WORDS = re.compile(r"@import|\bbehavior\s*:|-moz-binding")
_BLOCKED_WORD = {"@import": "@al-blocked-import", "-moz-binding": "-al-blocked-binding"}
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|(.))",
                         re.DOTALL)
ESCAPED_AWAY = "/* apologylint: CSS removed: escapes hide what it would load */"


def _call_end(css: str, i: int) -> int:
    """Offset just past the ``)`` that closes the call whose ``(`` ends before ``i``
    (strings, comments and nested calls skipped; the end of ``css`` if unclosed)."""
    depth = 1
    n = len(css)
    while i < n:
        c = css[i]
        if c in "\"'":
            j = i + 1
            while j < n and css[j] != c:
                j += 2 if css[j] == "\\" else 1
            i = j + 1
            continue
        if css.startswith("/*", i):
            close = css.find("*/", i + 2)
            i = n if close == -1 else close + 2
            continue
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _loading_calls(lower: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each call in ``lower`` that would fetch something. Linear:
    only calls named like a fetching function are measured, and whatever lies inside
    one is not looked at again."""
    after = 0
    for m in _FUNCTION.finditer(lower):
        if m.start() < after or not m.group(1).endswith(_LOADING_FUNCTIONS):
            continue
        end = _call_end(lower, m.end())
        after = end
        argument = lower[m.end():end - 1 if lower.endswith(")", 0, end) else end]
        inner = argument.strip().strip("\"'").strip()
        # only images may be data: URLs (the policy refuses data: fonts, and says so)
        if not (m.group(1) == "url" and inner.startswith("data:image/")):
            yield m.start(), end


def _decoded(css: str) -> str:
    """``css`` with comments removed and escapes decoded: what a browser's tokenizer
    reads, to see what ``u\\72l(`` or ``@\\69mport`` would really load."""
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if m.group(2) else m.group(3)
    return _CSS_ESCAPE.sub(one, _CSS_COMMENT.sub("", css))


def css_neutralised(css: str) -> str:
    """``css`` that loads nothing from anywhere: each fetching call (``url()`` but for
    ``data:image/``, ``image-set()``, ``cross-fade()``…) becomes ``none``, ``@import``
    is disabled, and a sheet whose escapes spell a fetch is removed whole. Linear."""
    lower = fold(css)  # length-preserving, so offsets hold in ``css``
    blocked = [(start, end, "none") for start, end in _loading_calls(lower)]
    for m in _LOADING_WORDS.finditer(lower):
        word = m.group(0)
        blocked.append((m.start(), m.end(), _BLOCKED_WORD.get(word, "al-blocked-" + word)))
    out: list[str] = []
    i = 0
    for start, end, replacement in sorted(blocked):
        if start < i:
            continue  # a word inside a call already blocked
        out.append(css[i:start])
        out.append(replacement)
        i = end
    out.append(css[i:])
    safe = "".join(out)
    if "\\" in safe:
        hidden = fold(_decoded(safe))
        if any(True for _ in _loading_calls(hidden)) or _LOADING_WORDS.search(hidden):
            return ESCAPED_AWAY
    return safe


def _attribute(tag: str, name: str, value: str) -> str | None:
    """The URL policy and the CSS of every attribute ammonia lets through."""
    if name == "style":
        return css_neutralised(value)
    if name == "href":
        return value if value.strip().startswith("#") else None
    if name == "src":
        return value if value.strip().lower().startswith("data:image/") else None
    return value


def allow_listed(markup: str) -> str:
    """``markup`` as a browser would build it, keeping only allowed tags and attributes
    (the report's marks among them) and no comment; ``<style>`` elements neutralised."""
    clean = nh3.clean(
        markup,
        tags=set(_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in _ATTRIBUTES.items()},
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes=set(_ATTRIBUTE_PREFIXES),
        url_schemes={"data"},
    )
    if "<style" not in clean:
        return clean
    # html5ever prints canonical markup (quoted attributes, escaped text), which the
    # scanner reads as a browser does: its raw style tokens are the style sheets
    out: list[str] = []
    for token in scan(clean):
        piece = clean[token.start:token.end]
        out.append(css_neutralised(piece) if token.kind == "raw" else piece)
    return "".join(out)
