"""A small HTML scanner for the report: tokens that keep every offset of the draft.

The report marks findings at offsets of the draft's own HTML, so it cannot parse the
markup into a tree and print it again; it walks it with this scanner instead and copies
each token, rewritten where needed. The scanner follows the HTML standard's tokenizer
where a disagreement with a browser would matter (what a browser reads as markup, this
reads as markup): comments end at ``-->`` or ``--!>`` and ``<!-->`` / ``<!--->`` are
empty comments; ``</`` without a letter opens a bogus comment; ``<style>``, ``<title>``
and the like hold raw text, except inside ``<svg>`` and ``<math>``, where they are
ordinary elements (and where ``<![CDATA[`` runs to ``]]>``). Linear time: every search
moves forward. Whatever still slips through is caught by the second fence
(``_sanitiser``), which parses the copy as a browser does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..matching import fold

__all__ = ["RAW_ELEMENTS", "TAG_NAME", "Token", "scan"]

#: elements whose content is not text the reader sees (and is never marked)
RAW_ELEMENTS = frozenset(
    {"script", "style", "title", "textarea", "xmp", "noembed", "noframes", "iframe",
     "plaintext"}
)
#: elements that hold markup of another language, where the raw elements are not raw
_FOREIGN = frozenset({"svg", "math"})
#: HTML start tags that end foreign content (the standard's "breakout" list)
_BREAKOUT = frozenset(
    {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
     "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li",
     "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
     "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"}
)
TAG_NAME = re.compile(r"[A-Za-z][^\s/>\x00]*")
_COMMENT_END = re.compile(r"--!?>")
_RAW_END: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"</{name}[\s/>]") for name in RAW_ELEMENTS
}


@dataclass
class Token:
    kind: str  # "text", "start", "end", "raw", "other"
    start: int
    end: int
    name: str = ""


def _tag_end(html: str, i: int) -> int:
    """Offset just past the ``>`` of the tag starting at ``i`` (quotes respected)."""
    n = len(html)
    j = i + 1
    after_equals = False
    while j < n:
        c = html[j]
        if c == ">":
            return j + 1
        if c == "=":
            after_equals = True
        elif c in "\"'" and after_equals:
            close = html.find(c, j + 1)
            if close == -1:
                return n
            j = close
            after_equals = False
        elif not c.isspace():
            after_equals = False
        j += 1
    return n


def _comment_end(html: str, i: int) -> int:
    """End of the comment opened by ``<!--`` at ``i``, as a browser ends it."""
    if html.startswith(">", i + 4):
        return i + 5  # <!-->
    if html.startswith("->", i + 4):
        return i + 6  # <!--->
    m = _COMMENT_END.search(html, i + 4)
    return len(html) if m is None else m.end()


def _until(html: str, i: int, closer: str) -> int:
    close = html.find(closer, i)
    return len(html) if close == -1 else close + len(closer)


def scan(html: str) -> list[Token]:
    """Tokens of ``html`` in order; linear time, nothing lost (the tokens tile the text)."""
    tokens: list[Token] = []
    n = len(html)
    i = 0
    lower = fold(html)  # not lower(): "İ" lower-cases to two characters, offsets drift
    foreign = 0  # how many <svg>/<math> are open
    while i < n:
        lt = html.find("<", i)
        if lt == -1:
            tokens.append(Token("text", i, n))
            break
        if lt > i:
            tokens.append(Token("text", i, lt))
        i = lt
        if html.startswith("<!--", i):
            end = _comment_end(html, i)
        elif foreign and html.startswith("<![CDATA[", i):
            end = _until(html, i, "]]>")
        elif html.startswith(("<!", "<?"), i) or (
            html.startswith("</", i) and not html[i + 2:i + 3].isalpha() and i + 2 < n
        ):
            end = _until(html, i, ">")  # a bogus comment
        else:
            end = -1
        if end != -1:
            tokens.append(Token("other", i, end))
            i = end
            continue
        is_end = html.startswith("</", i)
        m = TAG_NAME.match(html, i + (2 if is_end else 1))
        if m is None:  # a lone "<" is text
            tokens.append(Token("text", i, i + 1))
            i += 1
            continue
        name = m.group(0).lower()
        end = _tag_end(html, m.end() - 1)
        tokens.append(Token("end" if is_end else "start", i, end, name))
        i = end
        if name in _FOREIGN:
            if is_end:
                foreign = max(0, foreign - 1)
            elif not html.startswith("/>", end - 2):
                foreign += 1
            continue
        if foreign and not is_end and name in _BREAKOUT:
            foreign = 0
        if not is_end and not foreign and name in RAW_ELEMENTS:
            close = _RAW_END[name].search(lower, i)
            stop = n if close is None else close.start()
            if stop > i:
                tokens.append(Token("raw", i, stop, name))
            i = stop
    return _merge_text(tokens)


def _merge_text(tokens: list[Token]) -> list[Token]:
    merged: list[Token] = []
    for t in tokens:
        if t.kind == "text" and merged and merged[-1].kind == "text" and merged[-1].end == t.start:
            merged[-1] = Token("text", merged[-1].start, t.end)
        else:
            merged.append(t)
    return merged
