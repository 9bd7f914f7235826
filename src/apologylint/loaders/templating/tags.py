"""What every scan reports (:class:`FoundTag`), and what the scans share.

A syntax reader turns a tag's content into an :class:`_Info` (what the tag says) and
places it with :meth:`_Info.at` (where it is). Shared here: the length limits that keep
a stray opener from swallowing a file, the fallback test of filter-style defaults
(``| default: "x"``), :class:`_CachedFind` (closers found in linear total time),
:func:`field_key`, and the conversion of found tags to the model's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from ...model import Span, TemplateTag


class FoundTag(NamedTuple):
    """One tag: half-open ``[start, end)`` offsets into the scanned text."""

    start: int
    end: int
    syntax: str
    name: str
    has_fallback: bool
    is_control: bool
    #: For control tags: "if", "elif", "else", "end", "open" (a block that is no
    #: condition: for/with/capture ...), "loop" (Handlebars ``{{#each}}``, whose bare
    #: ``{{name}}`` means the item's), "assign", or "" (anything else).
    keyword: str = ""
    #: Field names a condition tests (``if``/``elif``).
    cond: tuple[str, ...] = ()
    #: The condition is true when the field is *empty* (unless, ``{{^x}}``, IFNOT, ``==
    #: blank``, ``Empty(@x)``).
    negated: bool = False
    #: Variables set by the tag: (variable, field it copies or "", set with a default).
    assigns: tuple[tuple[str, str, bool], ...] = ()

    @property
    def is_comment(self) -> bool:
        """A template comment (and its content) is neither prose nor a field."""
        return self.is_control and self.name == "comment"


#: Longest content accepted between ``{{``/``}}``, ``{%``/``%}`` and ``{#``/``#}``.
_MAX_CURLY = 2000
#: Longest block tag: AMPscript ``%%[ ... ]%%``, Blade ``{{-- --}}`` and ``@php ... @endphp``,
#: Go ``{{/* */}}``.
_MAX_BLOCK = 20000
#: Field names one condition may list (``{% if a and b %}``); more are ignored.
_MAX_COND_NAMES = 8

#: Filter- and option-style defaults: ``| default: "x"``, ``default=x``, ``?? x``, ``or x``.
_FALLBACK = re.compile(
    r"\|\s{0,5}(?:default_if_none|default|d)\s{0,5}[:(]\s{0,5}(?P<v1>[^\s)|}]{0,3})"
    r"|(?:default|fallback)\s{0,5}=\s{0,5}(?P<v2>[\"'][^\"']{0,1}|[^\s\"'}\]|]{0,1})"
    r"|defaultIfEmpty|\?\?|\s(?:or|\|\|)\s{1,5}\S",
    re.IGNORECASE,
)
_EMPTY_FALLBACKS = frozenset({"", '""', "''", '"', "'", ")", '")', "')"})
#: A quoted string on one line (left out of conditions).
_STRING = re.compile(r"\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'")

#: Template engines a caller may name (``engine=``); None: every syntax, told by its look.
TEMPLATE_ENGINES = frozenset(
    {"handlebars", "mustache", "liquid", "jinja", "nunjucks", "django", "twig", "erb", "blade",
     "go"}
)


class _Info(NamedTuple):
    """What a tag's content says, before its position is known (fields as in
    :class:`FoundTag`)."""

    syntax: str
    name: str
    has_fallback: bool
    is_control: bool
    keyword: str = ""
    cond: tuple[str, ...] = ()
    negated: bool = False
    assigns: tuple[tuple[str, str, bool], ...] = ()

    def at(self, start: int, end: int) -> FoundTag:
        return FoundTag(start, end, *self)


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
    # Jinja/HubL inline conditional: {{ first_name if first_name else "there" }}
    return " if " in content and " else " in content


def _strip_ws_control(content: str) -> str:
    """A tag's content without Jinja/Liquid/Handlebars whitespace control (``{{- x ~}}``)."""
    content = content.strip()
    if content[:1] in ("-", "~"):
        content = content[1:]
    if content[-1:] in ("-", "~"):
        content = content[:-1]
    return content.strip()


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


def field_key(name: str) -> str:
    """A field name compared across syntaxes: ``${First_Name}``, ``@first-name`` and
    ``first name`` all give ``firstname`` (dotted paths are kept: ``contact.firstname``)."""
    n = name.strip()
    if n.startswith("${") and n.endswith("}"):
        n = n[2:-1]
    n = n.lstrip("@").lower()
    return n.translate(_KEY_DROP)


_KEY_DROP = str.maketrans("", "", " _-\"'")


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
