"""Pour a template into its layout, as the engine does before the mail is sent.

Two ways exist across engines, and both are handled here on :class:`~.composed.Composed`
text, so that every character keeps its file and place:

* **a slot**: the layout marks one place for the child's whole content — ERB ``<%= yield
  %>``, Handlebars ``{{{ body }}}``, Postmark ``{{{ @content }}}``, Jekyll ``{{ content }}``,
  Blade ``{{ $slot }}``, Maizzle ``<yield />`` / ``<slot />`` / ``<content />``;
* **named blocks**: the layout defines blocks and the child overrides some of them —
  Django/Jinja/Twig/Nunjucks ``{% block content %}…{% endblock %}``, Blade
  ``@section('content')…@endsection`` filling ``@yield('content')``.

The tags come from :func:`~apologylint.loaders.templating.find_template_tags` and what
they mean from :func:`~apologylint.loaders.templating.template_reference`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import NamedTuple

from ..loaders.templating import FoundTag, TemplateRef, template_reference
from .composed import Composed, splice

__all__ = [
    "Block",
    "blade_view",
    "child_blocks",
    "extends_candidates",
    "fill",
    "has_slot",
    "layout_candidates",
    "partial_candidates",
    "references",
]

#: HTML-like slots of component frameworks (Maizzle, Vue-style layouts).
_ELEMENT_SLOT = re.compile(
    r"<(?:yield|slot|content)\s{0,20}/?>(?:\s{0,20}</(?:yield|slot|content)>)?"
    r"|<block\s{1,20}name=[\"']?(?:template|content|body|main)[\"']?\s{0,20}>"
    r"\s{0,20}</block>",
    re.IGNORECASE,
)


#: In a file that a template names as its layout, a tag that prints only ``body``,
#: ``content`` or ``@content`` (maybe through a filter) is where the template goes
#: (assemble's and handlebars-layouts' ``{{ body }}``, Jekyll's ``{{ content }}``,
#: Eleventy's ``{{ content | safe }}``), whatever the engine.
_SLOT_WORD = re.compile(
    r"\{\{\{?-?\s{0,10}@?(?:body|content)\s{0,10}(?:\|[^{}\n]{0,60})?-?\}?\}\}")


#: Go layouts pull the page in with ``{{template "content" .}}``: a slot by convention.
_GO_SLOTS = frozenset({"content", "body", "main"})


class Ref(NamedTuple):
    """A tag that refers to other templates, where it stands in the text."""

    tag: FoundTag
    ref: TemplateRef


class Block(NamedTuple):
    """A named block: its opening tag ``[open_start, open_end)``, its content up to the
    closing tag ``[close_start, close_end)``."""

    name: str
    open_start: int
    open_end: int
    close_start: int
    close_end: int


def references(text: str, tags: Sequence[FoundTag], engine: str | None) -> list[Ref]:
    """Every tag of ``text`` that refers to a layout, partial, slot or block."""
    found: list[Ref] = []
    for tag in tags:
        if tag.is_comment:
            continue
        ref = template_reference(text[tag.start : tag.end], engine)
        if ref is not None:
            found.append(Ref(tag, ref))
    return found


def _blocks(refs: Sequence[Ref]) -> list[tuple[Block, int]]:
    """Named blocks with their nesting depth (0: top level), paired by a stack; an
    unclosed block runs to nowhere and is dropped."""
    stack: list[tuple[str, FoundTag]] = []
    out: list[tuple[Block, int]] = []
    for r in refs:
        if r.ref.kind == "block":
            stack.append((r.ref.name, r.tag))
        elif r.ref.kind == "endblock" and stack:
            name, opener = stack.pop()
            out.append((Block(name, opener.start, opener.end, r.tag.start, r.tag.end),
                        len(stack)))
    out.sort(key=lambda item: item[0].open_start)
    return out


def child_blocks(child: Composed, refs: Sequence[Ref]) -> dict[str, Composed]:
    """The content of each named block a child template defines (the first of a name)."""
    found: dict[str, Composed] = {}
    for block, _depth in _blocks(refs):
        if block.name and block.name not in found:
            found[block.name] = child.piece(block.open_end, block.close_start)
    return found


def has_slot(text: str, refs: Sequence[Ref]) -> bool:
    """Whether a template is a layout: it has a slot for a child (and extends nothing),
    or an empty block that a child fills."""
    extends = any(r.ref.kind == "extends" for r in refs)
    slots = [r for r in refs if r.ref.kind == "slot" or (
        r.ref.kind == "include" and r.tag.syntax == "go" and r.ref.name in _GO_SLOTS)]
    if not extends and (slots or _ELEMENT_SLOT.search(text)):
        return True
    return any(  # an empty block is a place left for a child (in a layout between two)
        not text[block.open_end : block.close_start].strip() for block, _depth in _blocks(refs)
    )


def fill(layout: Composed, refs: Sequence[Ref], child: Composed,
         blocks: dict[str, Composed]) -> Composed | None:
    """The layout with the child poured in: named blocks replaced by the child's blocks of
    the same name (the outermost one the child defines wins), named ``@yield`` slots by the
    child's sections, and the unnamed slot by the child's whole content. None when the
    layout has no place for the child at all."""
    edits: list[tuple[int, int, Composed]] = []
    covered_until = -1
    for block, _depth in _blocks(refs):
        if block.open_start < covered_until or block.name not in blocks:
            continue
        edits.append((block.open_start, block.close_end, blocks[block.name]))
        covered_until = block.close_end
    slotted = False
    for r in refs:
        if r.ref.kind != "slot" or r.tag.start < covered_until:
            continue
        if r.ref.name and r.ref.name in blocks:
            edits.append((r.tag.start, r.tag.end, blocks[r.ref.name]))
            slotted = True
        elif not r.ref.name:
            edits.append((r.tag.start, r.tag.end, child))
            slotted = True
    if not slotted:  # a file the child names as its layout: its plain slot word will do
        m = _ELEMENT_SLOT.search(layout.text) or _SLOT_WORD.search(layout.text)
        if m is not None:
            edits.append((m.start(), m.end(), child))
            slotted = True
    if not edits:
        return None
    edits.sort(key=lambda e: e[0])
    return splice(layout, edits)


# -- where a reference points --------------------------------------------------------------


def blade_view(name: str) -> str:
    """``layouts.mail`` or ``emails/user/layouts/system`` as a Blade file's path."""
    if "::" in name:
        name = name.split("::", 1)[1]
    path = name if "/" in name else name.replace(".", "/")
    return f"{path}.blade.php"


def extends_candidates(name: str, engine: str | None) -> list[str]:
    """Where the layout of ``{% extends "name" %}`` / ``@extends('name')`` lives."""
    if engine == "blade":
        return [blade_view(name)]
    if "/" not in name and name.count(".") > 1:  # Laravel's Twig: 'emails.layout'
        return [name, *(name.replace(".", "/") + e for e in _PARTIAL_ENDINGS)]
    return [name]


def layout_candidates(name: str) -> list[str]:
    """Where a front matter ``layout:`` lives: Jekyll's ``_layouts/``, Eleventy's
    ``_includes/``, MailMason's and Maizzle's ``layouts/``."""
    has_ext = "." in PurePosixPath(name).name
    names = [name] if has_ext else [name + e for e in (".html", ".njk", ".liquid", ".hbs",
                                                        ".md", ".mjml", ".htm")]
    out: list[str] = []
    for n in names:
        out += [f"_layouts/{n}", f"layouts/{n}", f"_includes/{n}", f"_includes/layouts/{n}"]
    return out + names


def partial_candidates(name: str, engine: str | None, markup: str, folder: str) -> list[str]:
    """Where an included partial lives, by the engine's naming (``folder``: the name of
    the including template's folder, where a bare Rails partial name is looked up)."""
    name = name.strip().strip("'\"")
    if engine == "blade":
        return [blade_view(name)]
    if engine == "erb":
        parent, _, base = name.rpartition("/")
        kind = "text" if markup == "text" else "html"
        stem = f"{parent}/_{base}" if parent else f"{folder}/_{base}"
        return [f"{stem}.{kind}.erb", f"{stem}.erb"]
    out = []
    if "." in PurePosixPath(name).name:
        out += [name, f"_includes/{name}", f"partials/{name}", f"snippets/{name}"]
        if "/" not in name:  # Laravel's Twig and Blade write folders with dots
            name = name.replace(".", "/")
        else:
            return out
    for place in ("partials/", "_includes/", "snippets/", "includes/", ""):
        out += [f"{place}{name}{e}" for e in _PARTIAL_ENDINGS]
    return out


_PARTIAL_ENDINGS = (".hbs", ".handlebars", ".mustache", ".liquid", ".html", ".njk", ".tmpl",
                    ".twig", ".html.twig", ".j2", ".txt")
