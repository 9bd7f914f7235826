"""Markdown poured into an HTML layout, as the site generator renders it (Jekyll, Eleventy).

A Markdown email (``_emails/sorry.md``) is HTML once its layout wraps it: the rules must
read it as the HTML the reader gets — paragraphs, headings, links the link rules can see,
images the alt-text rule can see — with the layout's logo and footer around it. This is
the small part of Markdown that emails use (blocks, headings, lists, links, images,
emphasis), enough to judge the words and the links; every character keeps its place in
the Markdown file (generated markup has no place: origin -1).
"""

from __future__ import annotations

import re

from .composed import Composed, splice

__all__ = ["to_html"]

_HEADING = re.compile(r"(#{1,6})[ \t]{1,8}")
_ITEM = re.compile(r"[ \t]{0,8}(?:[-*+]|\d{1,3}[.)])[ \t]{1,8}")
_INLINE = re.compile(
    r"!\[(?P<alt>[^\]\n]{0,200})\]\((?P<src>[^)\s]{1,500})\)"
    r"|\[(?P<text>[^\]\n]{1,200})\]\((?P<url>[^)\s]{1,500})\)"
    r"|\*\*|__"
)


def _markup(text: str) -> Composed:
    return Composed.constant(text, -1)


def _inline(line: Composed) -> Composed:
    """Links and images as HTML elements; bold markers dropped."""
    edits: list[tuple[int, int, Composed]] = []
    for m in _INLINE.finditer(line.text):
        if m.group("src") is not None:
            tag = f'<img src="{m.group("src")}" alt="{m.group("alt")}">'
            edits.append((m.start(), m.end(), _markup(tag)))
        elif m.group("url") is not None:
            words = line.piece(m.start("text"), m.end("text"))
            edits.append((m.start(), m.end(), Composed.join(
                (_markup(f'<a href="{m.group("url")}">'), words, _markup("</a>")))))
        else:
            edits.append((m.start(), m.end(), _markup("")))
    return splice(line, edits)


def to_html(body: Composed) -> Composed:
    """The Markdown text as HTML: a paragraph per block, headings, lists, links,
    images; lines that are HTML already pass through."""
    out: list[Composed] = []
    block: list[Composed] = []
    kind = ""

    def close() -> None:
        nonlocal kind
        if block:
            opening, closing = {"p": ("<p>", "</p>"), "ul": ("<ul>", "</ul>"),
                                "html": ("", "")}[kind]
            out.append(_markup(opening))
            for k, piece in enumerate(block):
                out.extend((_markup("\n"), piece) if k else (piece,))
            out.append(_markup(closing + "\n"))
        block.clear()
        kind = ""

    pos = 0
    for raw in body.text.split("\n"):
        line = body.piece(pos, pos + len(raw))
        pos += len(raw) + 1
        stripped = raw.strip()
        heading = _HEADING.match(raw)
        item = _ITEM.match(raw)
        if not stripped:
            close()
        elif heading is not None:
            close()
            level = len(heading.group(1))
            out.extend((_markup(f"<h{level}>"), _inline(line.piece(heading.end(), len(raw))),
                        _markup(f"</h{level}>\n")))
        elif stripped.startswith("<"):
            if kind != "html":
                close()
                kind = "html"
            block.append(line)
        elif item is not None:
            if kind != "ul":
                close()
                kind = "ul"
            block.append(Composed.join((_markup("<li>"), _inline(line.piece(item.end(),
                                        len(raw))), _markup("</li>"))))
        else:
            if kind not in ("p", "ul"):
                close()
                kind = "p"
            block.append(_inline(line))
    close()
    return Composed.join(out)
