"""Template engines and file kinds: what a file is, judged by its name (and, for the plain
extensions every engine shares, by a glance at its text).

A template repository mixes engines: Rails views are ``welcome.html.erb``, Laravel's
``welcome.blade.php``, a Go forge's ``activate.tmpl``, Django's plain ``welcome.html``. The
*engine* decides how tags are read (``{{ x }}`` is Liquid in one file and Go in another),
how a field's default is written in a suggestion, what a comment is, and how a template
names its layout. The *markup* decides which loader reads the body: HTML, plain text,
Markdown or MJML. ``file_kind`` answers both from the name; ``sniff_engine`` and
``sniff_markup`` look at the text where the name says nothing.

Users map more file endings with the config key ``formats`` (as Vale's ``[formats]``):
``formats = { ".tpl" = "go", ".email" = "django", ".htm.j2" = "html" }``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import NamedTuple

__all__ = [
    "ENGINES",
    "MARKUPS",
    "Engine",
    "FileKind",
    "file_kind",
    "is_documentation",
    "known_endings",
    "sniff_engine",
    "sniff_markup",
]


class Engine(NamedTuple):
    """One template engine: its name (as in config and JSON), how people call it, and the
    file endings that say a file is written in it."""

    name: str
    label: str
    suffixes: tuple[str, ...]
    #: a comment the reader never sees, around ``{}`` (for inline suppression)
    comment: str


ENGINES: Mapping[str, Engine] = {
    e.name: e
    for e in (
        Engine("handlebars", "Handlebars", (".hbs", ".handlebars"), "{{!-- {} --}}"),
        Engine("mustache", "Mustache", (".mustache",), "{{! {} }}"),
        Engine("liquid", "Liquid", (".liquid",), "{% comment %}{}{% endcomment %}"),
        Engine("jinja", "Jinja", (".j2", ".jinja", ".jinja2"), "{# {} #}"),
        Engine("nunjucks", "Nunjucks", (".njk", ".nunjucks"), "{# {} #}"),
        Engine("django", "Django templates", (), "{# {} #}"),
        Engine("twig", "Twig", (".twig",), "{# {} #}"),
        Engine("erb", "ERB", (".erb",), "<%# {} %>"),
        Engine("blade", "Blade", (".blade.php",), "{{-- {} --}}"),
        Engine("go", "Go templates", (".tmpl", ".gohtml", ".gotmpl"), "{{/* {} */}}"),
    )
}

#: Markups a body can be read as (the loaders behind them).
MARKUPS = ("html", "text", "markdown", "mjml")
#: Inputs that are no template: rendered mail, and JSON that may hold a template (SendGrid
#: exports, Postmark's meta.json), which the repository conventions read.
_INPUTS = {".eml": "eml", ".mbox": "mbox", ".json": "json"}
#: Endings that say "a template" without saying of which engine (Go apps, Smarty ...).
_GENERIC = (".tpl", ".template")
_MARKUP_SUFFIXES = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".mjml": "mjml",
}


class FileKind(NamedTuple):
    """What a file holds: ``markup`` ("html", "text", "markdown", "mjml", "eml", "mbox",
    "json", or "" = look at the text) and its template ``engine`` (None: none or not
    known from the name)."""

    markup: str
    engine: str | None


def _split_formats(formats: Mapping[str, str]) -> list[tuple[str, FileKind]]:
    """Config ``formats`` as (ending, kind), longest ending first."""
    out: list[tuple[str, FileKind]] = []
    for ending, value in formats.items():
        ending = ending.lower() if ending.startswith(".") else "." + ending.lower()
        value = value.lower()
        kind = FileKind("", value) if value in ENGINES else FileKind(value, None)
        out.append((ending, kind))
    out.sort(key=lambda item: -len(item[0]))
    return out


def file_kind(name: str, formats: Mapping[str, str] | None = None) -> FileKind | None:
    """The kind of a file by its name, or None when it is no draft input at all.

    ``welcome.html.erb`` is ERB over HTML, ``welcome.text.erb`` ERB over text,
    ``mail.blade.php`` Blade with its markup to be sniffed, ``welcome.html`` HTML whose
    engine (if any) the text tells, ``notes.py`` nothing.
    """
    lowered = name.lower()
    if formats:
        for ending, kind in _split_formats(formats):
            if lowered.endswith(ending):
                inner = _inner_markup(lowered[: -len(ending)])
                return FileKind(kind.markup or inner, kind.engine)
    for engine in ENGINES.values():
        for suffix in engine.suffixes:
            if lowered.endswith(suffix):
                return FileKind(_inner_markup(lowered[: -len(suffix)]), engine.name)
    dot = lowered.rfind(".")
    suffix = lowered[dot:] if dot > 0 else ""
    if suffix in _GENERIC:  # a template of some engine: its text tells which
        return FileKind(_inner_markup(lowered[:dot]), None)
    if suffix in _INPUTS:
        return FileKind(_INPUTS[suffix], None)
    if suffix in _MARKUP_SUFFIXES:
        return FileKind(_MARKUP_SUFFIXES[suffix], None)
    return None


def known_endings(formats: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Every file ending that names a kind (configured ones too), longest first."""
    return _known_endings(tuple(sorted(formats.items())) if formats else ())


@lru_cache(maxsize=64)
def _known_endings(formats: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    # (kept: a folder of templates asks once per file name)
    endings = {e for engine in ENGINES.values() for e in engine.suffixes}
    endings.update(_MARKUP_SUFFIXES, _INPUTS, _GENERIC)
    endings.update(ending for ending, _kind in _split_formats(dict(formats)))
    return tuple(sorted(endings, key=lambda e: (-len(e), e)))


def _inner_markup(stem: str) -> str:
    """The markup a name's inner extension gives (``welcome.html`` of
    ``welcome.html.erb``), or "" when it has none."""
    dot = stem.rfind(".")
    if dot <= 0:
        return ""
    return _MARKUP_SUFFIXES.get(stem[dot:], "")


#: File names (any case, with no extension or a text document's) that are a project's
#: documents, never a draft: README.md, LICENSE, LICENSE-MIT, CHANGELOG.rst ... (a variant
#: after "-" or "_" only for READMEs and licences; ``security.html`` or
#: ``license-renewal.html`` is an email).
_DOCUMENTS = (
    r"(?:(?:readme|licen[cs]e|copying|unlicense)(?:[-_][A-Za-z0-9]{1,12})?"
    r"|changelog|changes|contributing|contributors|code_of_conduct|security|authors"
    r"|notice|codeowners|funding|maintainers|governance)"
    r"(?:\.(?:md|markdown|txt|rst|adoc|asciidoc|org))?\Z"
)


def is_documentation(name: str) -> bool:
    """Whether a file is one of a repository's own documents (README, LICENSE,
    CHANGELOG ...): never an email, whatever its extension."""
    return _pattern(_DOCUMENTS).match(name) is not None


# -- looking at the text ---------------------------------------------------------------------

_HTML_START = (
    r"\s{0,200}(?:<!doctype|<html|<head|<body|<table|<div|<p[\s>]|<mj|<x-|<h[1-6]|<center"
    r"|<style|<meta|<!--|<extends|<component)"
)
_HTML_TAG = r"</?(?:p|div|table|td|tr|br|a|span|strong|b|h[1-6]|img|ul|li)[\s>/]"
_MARKDOWN_MAIL = r"@component\(\s{0,5}['\"]mail::|<x-mail::"


@cache
def _pattern(source: str) -> re.Pattern[str]:
    """A pattern of this module, compiled on first use (start-up stays light)."""
    return re.compile(source, re.IGNORECASE)


def sniff_markup(text: str, engine: str | None = None) -> str:
    """The markup of a body whose name does not tell: "html", "markdown" or "text".

    Laravel's Markdown mail components (``@component('mail::message')``,
    ``<x-mail::message>``) are Markdown; a text that starts like HTML, or has a few HTML
    tags in its first 4,000 characters, is HTML; anything else is plain text.
    """
    head = text[:4000]
    if engine == "blade" and _pattern(_MARKDOWN_MAIL).search(head):
        return "markdown"
    if _pattern(_HTML_START).match(head):
        return "html"
    if len(_pattern(_HTML_TAG).findall(head)) >= 2:
        return "html"
    return "text"


_STMT = r"\{%-?\s{0,5}"  # the opening of a {% statement %}
#: Tags that only one engine writes, most telling first (alternatives of one pattern).
_MARKER_TABLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("erb", (r"<%[=#-]?\s",)),
    ("blade", (r"(?<![\w@])@(?:extends|section|yield|component|lang|include|if)\s{0,3}\(",
               r"\{\{--", r"\{!!")),
    ("go", (r"\{\{-?\s{0,3}(?:\.[A-Z]|define\s|template\s\"|/\*)",)),
    ("django", (_STMT + r"(?:load|blocktrans|blocktranslate|translate|url|csrf_token|firstof)\b",
                r"\|default:\"", r"\|date:\"")),
    ("liquid", (_STMT + r"(?:assign|capture|unless|case|render|liquid|endunless|endcapture)\b",
                r"\|\s{0,3}default:\s", r"\{\{\s{0,3}content\s{0,3}\}\}")),
    ("twig", (_STMT + r"(?:embed|endembed|apply|verbatim)\b",
              r"\|\s{0,3}(?:trans|raw|e\(|format_)")),
    ("nunjucks", (_STMT + r"(?:asyncEach|asyncAll|ifAsync)\b",)),
    ("jinja", (_STMT + r"(?:set|macro|call|trans|filter)\b", r"\|\s{0,3}default\(",
               r"\{\{-?\s{0,3}_\(")),
    ("handlebars", (r"\{\{[#/^>]", r"\{\{\{")),
)


@cache
def _engine_markers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The markers compiled, on first use (only templates with plain names need them:
    start-up of a run over .eml files does not pay for them)."""
    return tuple((name, re.compile("|".join(alts))) for name, alts in _MARKER_TABLE)


def sniff_engine(text: str) -> str | None:
    """The engine of a template whose name does not tell (a plain ``.html``/``.txt``),
    from tags only that engine writes; None when the text has no such tag."""
    head = text[:20000]
    if "{" not in head and "<%" not in head and "@" not in head:
        return None
    for name, marker in _engine_markers():
        if marker.search(head):
            return name
    return None
