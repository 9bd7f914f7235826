"""Every syntax's scan over one text, made into one list of tags.

The scans append what they find; overlaps are resolved (the earliest, longest tag
wins); with no engine named, a file whose unambiguous tags are Go's or Blade's has its
plain ``{{ x }}`` read as theirs; then Go names are scoped and the if-guard pass runs.
"""

from __future__ import annotations

from .blade import _describe_blade_echo, _scan_blade
from .curly import _scan_curly
from .erb import _scan_erb
from .esp import _scan_ampscript, _scan_mailchimp, _scan_merge_fields
from .gotemplate import _describe_go, _scope_go
from .guards import _apply_guards
from .tags import TEMPLATE_ENGINES, FoundTag


def find_template_tags(
    text: str, *, angle: bool = True, html: bool = False, engine: str | None = None
) -> list[FoundTag]:
    """All template tags in ``text``, sorted, non-overlapping (the earliest, longest wins).

    ``engine`` (one of :data:`TEMPLATE_ENGINES`) names the file's template engine: its
    ``{{ }}`` and ``{% %}`` are read as that engine's and carry its name as ``syntax``;
    ERB's ``<% %>`` are read only for "erb" or None, Blade's ``@directives`` only for
    "blade". ESP merge tags (``*|FNAME|*``, ``%%x%%`` ...) are found whatever the engine.
    None reads every syntax by its look (an unknown name raises :class:`ValueError`).

    ``angle`` enables ``<FirstName>``-style placeholders; with ``html=True`` real HTML
    element names are never taken for one. A ``{% comment %}...{% endcomment %}`` block is
    one tag (``name == "comment"``) covering its content. Tags inside an if-guard on their
    own field get ``has_fallback=True`` (see guards.py).
    """
    if engine is not None and engine not in TEMPLATE_ENGINES:
        known = ", ".join(sorted(TEMPLATE_ENGINES))
        raise ValueError(f"unknown template engine {engine!r} (known: {known})")
    found: list[FoundTag] = []  # in this order: ties of the stable sort keep it
    if "{" in text:
        _scan_curly(text, found, engine)
    if "%%" in text:
        _scan_ampscript(text, found)
    if "*|" in text:
        _scan_mailchimp(text, found)
    if engine in (None, "erb") and "<%" in text:
        _scan_erb(text, found)
    if engine == "blade" and "@" in text:
        _scan_blade(text, found)
    _scan_merge_fields(text, found, angle=angle, html=html)
    if not found:
        return found
    found.sort(key=lambda t: (t.start, -t.end))
    result: list[FoundTag] = []
    last_end = -1
    for tag in found:
        if tag.start >= last_end:
            result.append(tag)
            last_end = tag.end
    if engine is None:
        result = _auto_engine(text, result)
    if any(t.syntax == "go" for t in result):
        result = _scope_go(text, result)
    return _apply_guards(result)


#: Tag openings that belong to Handlebars or the Jinja/Liquid family, not to Go or Blade.
_OTHER_CURLY = ("{%", "{#", "{{#", "{{^", "{{>", "{{{", "{{!")


def _auto_engine(text: str, tags: list[FoundTag]) -> list[FoundTag]:
    """With no engine named: a file whose unambiguous tags are Go's (``{{ .X }}``) or
    Blade's (``{{ $x }}``), and none another engine's, has its plain ``{{ x }}`` read as
    that engine's too; a file with Liquid tags is a Liquid template (its ``{{ x }}`` are)."""
    kinds = {t.syntax for t in tags}
    target = ""
    if "go" in kinds:  # {{ $v }} is a Go variable too; {!! !!} and {{-- --}} are Blade only
        blade_only = any(t.syntax == "blade" and text.startswith(("{!!", "{{--"), t.start)
                         for t in tags)
        target = "" if blade_only else "go"
    elif "blade" in kinds:
        target = "blade"
    if target and not any(
        text.startswith(_OTHER_CURLY, t.start)
        or (text.startswith("{{/", t.start) and t.syntax != "go")
        for t in tags
    ):
        return [_reread(text, t, target) for t in tags]
    if "liquid" in kinds:
        # a file with Liquid tags is a Liquid template: its plain {{ x }} are Liquid too
        return [t._replace(syntax="liquid") if t.syntax == "mustache" else t for t in tags]
    return tags


def _reread(text: str, tag: FoundTag, engine: str) -> FoundTag:
    """A plain ``{{ x }}`` tag read again as Go or Blade (other tags unchanged)."""
    rereadable = ("mustache", "handlebars", "liquid", "blade" if engine == "go" else "")
    if tag.syntax not in rereadable or not text.startswith("{{", tag.start):
        return tag
    inner = text[tag.start + 2 : tag.end - 2]
    if "${" in inner:  # Braze
        return tag
    info = _describe_go(inner) if engine == "go" else _describe_blade_echo(inner)
    return info.at(tag.start, tag.end)
