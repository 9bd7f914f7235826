"""Locale catalogs: the words a template's translation keys stand for, and where they are.

A template repository keeps an email's words out of the template: a Rails view says
``t('.greeting')`` and ``config/locales/en.yml`` holds the greeting; a Laravel view says
``__('mail.sorry')`` and ``lang/en/mail.php`` holds it. To lint what the reader gets, a key
must be resolved to the text of the project's default locale, and every finding on that
text must point at the line:column of the word *in the catalog file*, which is the file the
user edits. So each value read here comes as an :class:`Entry`: its text, the catalog's
:class:`~apologylint.model.Source` and the source offset of every character.

Formats, one reader each (every reader returns ``dict[str, Entry]`` of flattened dotted
keys and raises :class:`CatalogError` on a file it cannot read):

* YAML (Rails, Hugo, i18next) :func:`read_yaml`: PyYAML's event stream, which carries the
  marks of every scalar; composed here, so that an alias bomb is never expanded;
* JSON (Laravel, i18next, Forgejo) :func:`read_json`: validated by :func:`json.loads`,
  positions from a scanner of its own;
* TOML (Hugo) :func:`read_toml`: validated by :mod:`tomllib`, positions from a scanner;
* PHP arrays (Laravel) :func:`read_php`: a tokenizer for ``return [...]``; nothing is
  executed;
* INI (Gitea, Gogs, Forgejo) :func:`read_ini`;
* gettext .po (Django, Jinja/Babel, Flask) :func:`read_po`;
* XLIFF (Symfony's ``translations/<domain>.<locale>.xlf``) :func:`read_xliff`: read with
  patterns, never an XML parser, so no entity is expanded.

Nothing here raises on a hostile file: it is skipped and one line is added to
:attr:`Catalogs.warnings`. Files are listed only in the conventional folders, each read at
most once, lazily, on the first lookup of a style that needs it.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import yaml

from ..files import NotARegularFile, TooLarge, read_limited
from ..model import Source

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILES",
    "MAX_NODES",
    "STYLES",
    "CatalogError",
    "Catalogs",
    "Entry",
    "default_locale",
    "find_catalogs",
    "find_placeholders",
    "locale_chain",
    "read_ini",
    "read_json",
    "read_php",
    "read_po",
    "read_toml",
    "read_yaml",
]

#: The lookup styles :meth:`Catalogs.lookup` knows.
STYLES = ("rails", "laravel", "gettext", "go", "i18next", "symfony")
#: Values one file may hold (YAML: twice as many nodes, keys included).
MAX_NODES = 300_000
#: Values one YAML file may add through aliases: a real catalog reuses a few blocks
#: (``<<: *defaults``); an alias bomb reaches this at once and the file is skipped.
MAX_ALIAS_NODES = 10_000
#: Nesting deeper than this is not read (a key 64 levels deep is no real catalog).
MAX_DEPTH = 64
#: The longest path of keys a value may sit under (``en.user_mailer.welcome``): every
#: value's key repeats it, so one long parent key over many values would take memory
#: quadratic in the file. (A leaf key may be longer: gettext-style keys are sentences.)
MAX_PREFIX = 256
#: Catalog files listed at most, and directory entries looked at at most.
MAX_FILES = 3000
MAX_ENTRIES_SEEN = 10_000
#: How deep the walk goes below a conventional folder.
_WALK_DEPTH = 8
#: Folders never entered (hidden folders neither).
_SKIP_DIRS = frozenset({"node_modules", "vendor", "__pycache__", "site-packages", "venv"})


class Entry(NamedTuple):
    """One translated value as the reader gets it, and where each character is written."""

    text: str
    #: The catalog file (path and its decoded text).
    source: Source
    #: Per character of ``text``: its offset in ``source.text`` (-1 where it has none; an
    #: escape's expansion maps to the escape's start).
    origins: array[int]
    #: ``[start, end)`` in ``text`` of interpolation placeholders (filled in by
    #: :meth:`Catalogs.lookup`, which knows the framework reading the value).
    placeholders: tuple[tuple[int, int], ...] = ()


class CatalogError(Exception):
    """A file that cannot be read as its format: it is skipped, with this as the reason."""


# --------------------------------------------------------------------------- text building


class _Chars:
    """Text being decoded, with the source offset of every character it gets."""

    __slots__ = ("origins", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.origins: array[int] = array("l")

    def verbatim(self, text: str, start: int, end: int) -> None:
        """Characters copied as written: each maps to itself."""
        self.parts.append(text[start:end])
        self.origins.extend(range(start, end))

    def char(self, ch: str, origin: int) -> None:
        """A character that stands for something else (an escape): mapped to its start."""
        self.parts.append(ch)
        self.origins.extend([origin] * len(ch))

    def text(self) -> str:
        return "".join(self.parts)


def _span_origins(start: int, end: int) -> array[int]:
    return array("l", range(start, end))


_BLANK = " \t\r\n"


def _align(value: str, text: str, start: int, end: int, fallback: int = -1) -> array[int]:
    """Origins of a value that the source writes with other whitespace (folded lines,
    indentation) in ``text[start:end]``: each non-blank character maps to where it stands
    on its source line; one that cannot be found there maps to ``fallback`` (the value's
    start; ``start`` when not given).

    Only whitespace is skipped in the source, so the mapping never drifts onto other
    words; linear in the value and the source range."""
    origins: array[int] = array("l")
    fallback = start if fallback < 0 else fallback
    j = start
    for ch in value:
        if ch in _BLANK:
            if j < end and text[j] in _BLANK:
                origins.append(j)
                j += 2 if text.startswith("\r\n", j) else 1
            else:
                origins.append(fallback)
            continue
        k = j
        while k < end and text[k] in _BLANK:
            k += 1
        if k < end and text[k] == ch:
            origins.append(k)
            j = k + 1
        else:  # (the blanks are passed either way: a run is never walked twice)
            origins.append(fallback)
            j = k
    return origins


# --------------------------------------------------------------------------- placeholders

_PLACEHOLDER = re.compile(
    r"%%"  # a literal percent sign (dropped below)
    r"|%\{[A-Za-z_][\w.-]{0,63}\}"  # Rails %{name}
    r"|%[<(][A-Za-z_]\w{0,63}[>)][-+0#]{0,4}\d{0,3}(?:\.\d{1,3})?[a-zA-Z]"  # %<n>s %(n)s
    r"|%(?:\[\d{1,2}\])?[-+0#]{0,4}\d{0,3}(?:\.\d{1,3})?[sdifvqxXtgeEcrbuoT]"  # %s %[1]d
    r"|\{\{[^{}]{1,100}\}\}"  # i18next / Handlebars / Hugo {{name}} {{ .Count }}
    r"|\{[A-Za-z_][\w.]{0,63}(?:, ?[A-Za-z]{1,20})?\}"  # ICU / Python {name} {n, number}
    r"|\{\d{1,2}(?::[^{}]{0,30})?\}"  # .NET / Python {0} {0:N2}
)
#: Laravel ``:name``: a colon not after a word character ("http:", "10:30") nor before a
#: space ("Note: this") or a slash ("https://").
_LARAVEL_PLACEHOLDER = re.compile(r"(?<![\w:]):[A-Za-z_]\w{0,63}")
_SYMFONY_PLACEHOLDER = re.compile(
    r"%[A-Za-z_][\w.-]{0,63}%|\{[A-Za-z_][\w.]{0,63}(?:, ?[A-Za-z]{1,20})?\}")


def find_placeholders(text: str, style: str) -> tuple[tuple[int, int], ...]:
    """``[start, end)`` of the interpolation placeholders of a value read by ``style``:
    ``%{name}`` ``%<name>s`` ``%(name)s`` ``%s`` ``%[1]d`` ``{{name}}`` ``{name}`` ``{0}``
    for every style, Laravel's ``:name`` for "laravel" only (elsewhere a colon before a
    word is prose more often than not); Symfony's ``%name%`` and ``{name}`` for
    "symfony"."""
    if style == "symfony":  # %name% (Symfony's own) and ICU {name}
        return tuple(m.span() for m in _SYMFONY_PLACEHOLDER.finditer(text))
    found = [m.span() for m in _PLACEHOLDER.finditer(text) if m.group() != "%%"]
    if style == "laravel":
        found.extend(m.span() for m in _LARAVEL_PLACEHOLDER.finditer(text))
        found.sort()
    return tuple(found)


# --------------------------------------------------------------------------- XLIFF

_XLIFF_UNIT = re.compile(r"<(trans-unit|unit)\b([^<>]{0,2000})>")
_XLIFF_ATTR = re.compile(r"\b(resname|name|id)\s{0,5}=\s{0,5}[\"']([^\"'<>]{1,500})[\"']")
_XLIFF_PART = re.compile(r"<(source|target)\b[^<>]{0,500}>")
_XML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_XML_STOP = re.compile(r"[<&]")
_XML_REF = re.compile(r"&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));")


def _xml_text(text: str, start: int, end: int) -> tuple[str, array[int]]:
    """The text of an XML element's content with its references resolved, each
    character at its place (a reference maps to its "&"). Markup inside (``<g>``) is
    dropped; a CDATA section is read as written."""
    out = _Chars()
    i = start
    while i < end:
        stop = _XML_STOP.search(text, i, end)
        nxt = stop.start() if stop is not None else end
        out.verbatim(text, i, nxt)
        if nxt == end:
            break
        if text[nxt] == "<":
            lt = nxt
            if text.startswith("<![CDATA[", lt):
                close = text.find("]]>", lt, end)
                close = end if close < 0 else close
                out.verbatim(text, lt + 9, close)
                i = close + 3
            else:
                close = text.find(">", lt, end)
                i = end if close < 0 else close + 1
            continue
        amp = nxt
        m = _XML_REF.match(text, amp, end)
        if m is None:
            out.char("&", amp)
            i = amp + 1
            continue
        if m.group(3):
            out.char(_XML_ENTITIES[m.group(3)], amp)
        else:
            code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
            out.char(chr(code) if 0 < code <= 0x10FFFF else "\ufffd", amp)
        i = m.end()
    return out.text(), out.origins


def read_xliff(source: Source) -> dict[str, Entry]:
    """Symfony's XLIFF catalogs (1.2 ``<trans-unit resname="key">`` and 2.0 ``<unit
    name="key">``): each unit's ``<target>`` (else its ``<source>``) under its key
    (``resname`` or ``name``, else its source text, else ``id``). Read with patterns,
    never an XML parser: no entity of the file is ever expanded. Each unit and each
    part is searched once (linear in the file)."""
    text = source.text
    out: dict[str, Entry] = {}
    pos = 0
    while (m := _XLIFF_UNIT.search(text, pos)) is not None:
        close = text.find(f"</{m.group(1)}>", m.end())
        if close < 0:
            break
        pos = close
        attrs = {a.group(1): a.group(2) for a in _XLIFF_ATTR.finditer(m.group(2))}
        parts: dict[str, tuple[str, array[int]]] = {}
        tried: set[str] = set()  # the first <source> and the first <target> only
        for part in _XLIFF_PART.finditer(text, m.end(), close):
            kind = part.group(1)
            if kind in tried:
                continue
            tried.add(kind)
            end = text.find(f"</{kind}>", part.end(), close)
            if end >= 0:
                parts[kind] = _xml_text(text, part.end(), end)
        value = parts.get("target") or parts.get("source")
        if value is None or not value[0].strip():
            continue
        key = attrs.get("resname") or attrs.get("name") \
            or (parts["source"][0] if "source" in parts else "") or attrs.get("id", "")
        if key:
            out.setdefault(key.strip(), Entry(value[0], source, value[1]))
        if len(out) > MAX_NODES:
            raise CatalogError(f"more than {MAX_NODES} values")
    return out


# --------------------------------------------------------------------------- reading files


def read_source(path: Path, max_bytes: int) -> tuple[Source, str | None]:
    """The decoded file and a note when it was not UTF-8.

    Regular files only (a FIFO, a device or a symlink loop is refused instead of
    hanging: see :mod:`apologylint.files`); at most ``max_bytes`` are read."""
    try:
        data = read_limited(path, max_bytes)
    except TooLarge:
        raise CatalogError(f"larger than {max_bytes} bytes") from None
    except NotARegularFile:
        raise CatalogError("not a regular file") from None
    except OSError as exc:  # a symlink loop, no permission ...
        raise CatalogError(f"cannot open: {exc.strerror or exc}") from None
    text, note = decode_catalog(data)
    return Source(str(path), text), note


def decode_catalog(data: bytes) -> tuple[str, str | None]:
    """UTF-8 (a BOM dropped), UTF-16 with a BOM, else cp1252 with a note; NUL bytes in a
    file without a UTF-16 BOM mean a binary file, which is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise CatalogError("binary file (NUL bytes)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        note = f"not UTF-8 (byte {exc.start}): read as cp1252"
        return data.decode("cp1252", errors="replace"), note


def _join(prefix: str, key: str) -> str:
    if len(prefix) > MAX_PREFIX:
        raise CatalogError(f"a key path longer than {MAX_PREFIX} characters")
    return f"{prefix}.{key}" if prefix else key


# --------------------------------------------------------------------------- YAML


class _YScalar(NamedTuple):
    value: str
    style: str  # "" plain, "'", '"', "|", ">"
    start: int
    end: int
    kind: str  # "str", "null", "bool", "merge", "other" (numbers, dates)


class _YMap(list[tuple["_YNode", "_YNode"]]):
    """A mapping's (key, value) pairs in document order."""


class _YSeq(list["_YNode"]):
    """A sequence's items."""


_YNode = _YScalar | _YMap | _YSeq


def _yaml_kind(event: yaml.ScalarEvent, resolver: Any) -> str:
    """What the reader gets from a scalar: only strings (and numbers, dates written as
    text) are words; ``~``/``null``/``true``/``no`` are not. (``resolver`` is Any: the
    stub leaves ``resolve`` untyped.)"""
    import yaml  # loaded already by _compose_yaml, the only caller

    tag = event.tag
    if tag is None or tag == "!":
        if event.style or not event.implicit[0]:
            return "str"
        tag = resolver.resolve(yaml.ScalarNode, event.value, (True, False))
    if tag.endswith(":str") or not tag.startswith("tag:yaml.org,2002:"):
        return "str"
    return {"null": "null", "bool": "bool", "merge": "merge"}.get(tag.rsplit(":", 1)[1], "other")


#: A node's anchor and tag, which the parser counts as the start of its scalar.
_YAML_PROPERTIES = re.compile(r"(?:[&!]\S{0,200}\s{1,200}){1,2}")


def _compose_yaml(text: str) -> _YNode | None:
    """The first document as light nodes; an alias is the anchored node itself (shared,
    never copied), so composing is linear in the file whatever its aliases."""
    import yaml  # here: a run without YAML catalogs never loads it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = yaml.resolver.Resolver()
    anchors: dict[str, _YNode] = {}
    # open collections, each with the key waiting for its value (a mapping's)
    stack: list[tuple[_YMap | _YSeq, list[_YNode]]] = []
    root: _YNode | None = None
    count = 0

    def attach(node: _YNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, pending = stack[-1]
        if isinstance(parent, _YSeq):
            parent.append(node)
        elif pending:
            parent.append((pending.pop(), node))
        else:
            pending.append(node)

    try:
        for event in yaml.parse(text, Loader=loader):
            count += 1
            if count > 2 * MAX_NODES:
                raise CatalogError(f"more than {MAX_NODES} YAML nodes")
            if isinstance(event, yaml.ScalarEvent):
                start, end = event.start_mark, event.end_mark  # always set by the parser
                at = start.index if start else 0
                properties = _YAML_PROPERTIES.match(text, at)  # `&anchor !tag value`
                node: _YNode = _YScalar(
                    event.value, event.style or "", properties.end() if properties else at,
                    end.index if end else 0, _yaml_kind(event, resolver),
                )
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise CatalogError(f"undefined alias *{event.anchor}")
                attach(anchors[event.anchor])
                continue
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                node = _YMap() if isinstance(event, yaml.MappingStartEvent) else _YSeq()
                if event.anchor:
                    anchors[event.anchor] = node
                attach(node)
                stack.append((node, []))
                continue
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
                continue
            elif isinstance(event, yaml.DocumentEndEvent):
                break  # Rails (Psych) reads the first document of a file
            else:
                continue
            if event.anchor:
                anchors[event.anchor] = node
            attach(node)
    except yaml.YAMLError as exc:
        raise CatalogError(f"invalid YAML: {' '.join(str(exc).split())}") from None
    return root


_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_YAML_HEX = {"x": 2, "u": 4, "U": 8}


def _fold_break(text: str, i: int, stop: int, out: _Chars) -> int:
    """Line folding inside a quoted scalar at the break at ``i``: one break is a space,
    n breaks are n-1 newlines; the next line's indentation goes."""
    breaks: list[int] = []
    while i < stop and text[i] in _BLANK:
        if text[i] == "\n" or (text[i] == "\r" and not text.startswith("\r\n", i)):
            breaks.append(i)
        i += 1
    if len(breaks) <= 1:
        out.char(" ", breaks[0] if breaks else i)
    else:
        for where in breaks[1:]:
            out.char("\n", where)
    return i


def _yaml_quoted(text: str, start: int, end: int) -> tuple[str, array[int]]:
    """Decode a single- or double-quoted scalar written at ``text[start:end]`` (quotes
    included), mapping each character to its source offset (an escape to its backslash)."""
    double = text[start] == '"'
    out = _Chars()
    i, stop = start + 1, end - 1
    special = '\\ \t\r\n"' if double else "' \t\r\n"
    while i < stop:
        c = text[i]
        if double and c == "\\":
            n = text[i + 1] if i + 1 < stop else ""
            if n in _YAML_ESCAPES and n:
                out.char(_YAML_ESCAPES[n], i)
                i += 2
            elif n in _YAML_HEX:
                digits = text[i + 2 : i + 2 + _YAML_HEX[n]]
                out.char(chr(int(digits, 16)), i)
                i += 2 + len(digits)
            elif n in "\r\n" and n:  # escaped line break: nothing, nor the indentation;
                i += 3 if text.startswith("\r\n", i + 1) else 2  # an empty line after
                while i < stop and text[i] in _BLANK:  # it is still a newline
                    if text[i] == "\n" or (text[i] == "\r" and not text.startswith("\r\n", i)):
                        out.char("\n", i)
                    i += 1
            else:
                raise CatalogError("unknown escape")  # the parser accepted it: cannot happen
        elif not double and c == "'":
            out.char("'", i)  # '' stands for one quote
            i += 2
        elif c in " \t":
            k = i
            while k < stop and text[k] in " \t":
                k += 1
            if k < stop and text[k] in "\r\n":
                i = k  # blanks before a line break are dropped
            else:
                out.verbatim(text, i, k)
                i = k
        elif c in "\r\n":
            i = _fold_break(text, i, stop, out)
        else:
            k = i + 1
            while k < stop and text[k] not in special:
                k += 1
            out.verbatim(text, i, k)
            i = k
    return out.text(), out.origins


def _yaml_origins(node: _YScalar, text: str) -> array[int]:
    """Each character's offset: exact for single-line plain and quoted scalars (escapes
    map to their backslash), aligned on the source lines for folded and block scalars."""
    value, start, end = node.value, node.start, node.end
    if not node.style and text[start:end] == value:
        return _span_origins(start, end)
    if node.style in ("'", '"'):
        if text[start + 1 : end - 1] == value:  # no escape, no folded line: as written
            return _span_origins(start + 1, end - 1)
        try:
            decoded, origins = _yaml_quoted(text, start, end)
        except (CatalogError, ValueError, IndexError):
            decoded, origins = "", array("l")
        if decoded == value:
            return origins
        return _align(value, text, start + 1, end, start)
    if node.style in ("|", ">"):
        body = text.find("\n", start, end)  # the content starts below the header line
        return _align(value, text, body + 1 if body >= 0 else start, end, start)
    return _align(value, text, start, end)


def read_yaml(source: Source) -> dict[str, Entry]:
    """Every text value of a YAML file under its dotted key (``en.user_mailer.welcome.
    greeting``); lists are indexed (``date.day_names.0``), merge keys (``<<: *base``) are
    applied. A collection met a second time is an alias: at most :data:`MAX_ALIAS_NODES`
    nodes are visited through aliases, so an alias bomb is refused, never expanded."""
    root = _compose_yaml(source.text)
    out: dict[str, Entry] = {}
    if root is None:
        return out
    text = source.text
    walked: set[int] = set()  # ids of the nodes already walked once
    origins: dict[int, array[int]] = {}  # a scalar's, computed once however often aliased
    alias_visits = 0

    def walk(node: _YNode, prefix: str, depth: int, aliased: bool = False) -> None:
        nonlocal alias_visits
        aliased = aliased or id(node) in walked
        walked.add(id(node))
        if aliased:
            alias_visits += 1
            if alias_visits > MAX_ALIAS_NODES:
                raise CatalogError(f"more than {MAX_ALIAS_NODES} values through aliases "
                                   "(an alias bomb?)")
        if depth > MAX_DEPTH or len(prefix) > MAX_PREFIX:  # (a recursive alias, too)
            return
        if isinstance(node, _YScalar):
            if prefix and node.kind in ("str", "other"):
                if id(node) not in origins:
                    origins[id(node)] = _yaml_origins(node, text)
                out[prefix] = Entry(node.value, source, origins[id(node)])
            return
        if isinstance(node, _YSeq):
            for index, item in enumerate(node):
                walk(item, _join(prefix, str(index)), depth + 1, aliased)
            return
        merged = [value for key, value in node if isinstance(key, _YScalar) and key.kind == "merge"]
        for base in merged:  # explicit keys below win over merged ones
            for part in reversed(base) if isinstance(base, _YSeq) else (base,):
                if isinstance(part, _YMap):
                    walk(part, prefix, depth + 1, aliased)
        for key, value in node:
            if isinstance(key, _YScalar) and key.kind != "merge":
                walk(value, _join(prefix, key.value), depth + 1, aliased)

    walk(root, "", 0)
    return out


# --------------------------------------------------------------------------- JSON

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_JSON_SPACE = re.compile(r"[ \t\r\n]*")
_JSON_LITERAL = re.compile(r"[^,:\]}\s]+")
_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n",
                 "r": "\r", "t": "\t"}


def _json_string(text: str, start: int, end: int) -> tuple[str, array[int]]:
    """Decode the JSON string ``text[start:end]`` (quotes included) with its origins;
    ``\\uD83D\\uDE00`` is one character mapped to the first backslash."""
    i, stop = start + 1, end - 1
    if text.find("\\", i, stop) < 0:
        return text[i:stop], _span_origins(i, stop)
    out = _Chars()
    while i < stop:
        k = text.find("\\", i, stop)
        if k < 0:
            out.verbatim(text, i, stop)
            break
        out.verbatim(text, i, k)
        n = text[k + 1]
        if n == "u":
            code = int(text[k + 2 : k + 6], 16)
            i = k + 6
            if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i):
                low = int(text[i + 2 : i + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
            out.char(chr(code), k)
        else:
            out.char(_JSON_ESCAPES[n], k)
            i = k + 2
    return out.text(), out.origins


def read_json(source: Source) -> dict[str, Entry]:
    """Every string value of a JSON file under its dotted key (arrays indexed).

    :func:`json.loads` decides validity; the scan that follows trusts the syntax and
    only keeps positions. Keys are joined as written, so Laravel's ``"Hello. World"``
    stays one top-level key."""
    text = source.text
    try:
        json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CatalogError(f"invalid JSON: {exc}") from None
    out: dict[str, Entry] = {}
    # open containers: [is object, path, next index, key of the next value, expects key]
    stack: list[list[Any]] = []
    i, n = 0, len(text)

    def value_path() -> str | None:
        """The path of the value starting now (None: deeper than MAX_DEPTH)."""
        if not stack:
            return ""
        frame = stack[-1]
        if frame[1] is None:
            return None
        if frame[0]:
            return _join(frame[1], frame[3])
        frame[2] += 1
        return _join(frame[1], str(frame[2] - 1))

    while True:
        match = _JSON_SPACE.match(text, i)
        i = match.end() if match else i
        if i >= n:
            break
        c = text[i]
        if c in "{[":
            path = value_path()
            stack.append([c == "{", path if len(stack) < MAX_DEPTH else None, 0, "", c == "{"])
            i += 1
        elif c in "]}":
            stack.pop()
            i += 1
        elif c == ",":
            if stack and stack[-1][0]:
                stack[-1][4] = True
            i += 1
        elif c == ":":
            stack[-1][4] = False
            i += 1
        elif c == '"':
            m = _JSON_STRING.match(text, i)
            if m is None:
                raise CatalogError("unterminated string")  # json.loads accepted it
            value, origins = _json_string(text, i, m.end())
            if stack and stack[-1][0] and stack[-1][4]:
                stack[-1][3] = value
            else:
                path = value_path()
                if path:
                    out[path] = Entry(value, source, origins)
            i = m.end()
        else:
            value_path()  # a number, true, false or null: takes an index, has no words
            m = _JSON_LITERAL.match(text, i)
            i = m.end() if m else i + 1
        if len(out) > MAX_NODES:
            raise CatalogError(f"more than {MAX_NODES} values")
    return out


# --------------------------------------------------------------------------- TOML

_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOML_LITERAL = re.compile(r"[^,\]}#\r\n]+")
_TOML_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"',
                 "\\": "\\", "e": "\x1b"}


class _TomlScanner:
    """Where each string of a TOML file is written, under the same dotted paths as the
    data :mod:`tomllib` returns. Runs only on a file tomllib accepted, so it trusts the
    syntax; a value it places wrongly is caught by comparing texts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, tuple[str, array[int], int, int]] = {}

    def skip(self, i: int, newlines: bool) -> int:
        text, n = self.text, len(self.text)
        while i < n:
            c = text[i]
            if c in " \t" or (newlines and c in "\r\n"):
                i += 1
            elif c == "#":
                end = text.find("\n", i)
                i = n if end < 0 else end
            else:
                break
        return i

    def scan(self) -> dict[str, tuple[str, array[int], int, int]]:
        text, n = self.text, len(self.text)
        prefix: list[str] = []
        tables: dict[tuple[str, ...], int] = {}
        i = self.skip(0, True)
        while i < n:
            if text.startswith("[[", i):
                i, keys = self.keys(i + 2)
                index = tables.get(tuple(keys), -1) + 1
                tables[tuple(keys)] = index
                prefix = [*keys, str(index)]
                i += 2
            elif text[i] == "[":
                i, prefix = self.keys(i + 1)
                i += 1
            else:
                i, keys = self.keys(i)
                i = self.skip(i, False) + 1  # past "="
                i = self.value(self.skip(i, False), [*prefix, *keys], 0)
            i = self.skip(i, True)
        return self.found

    def keys(self, i: int) -> tuple[int, list[str]]:
        keys: list[str] = []
        while True:
            i = self.skip(i, False)
            if self.text[i] in "\"'":
                end, key, _ = self.string(i)
            else:
                m = _TOML_BARE.match(self.text, i)
                end = m.end() if m else i + 1
                key = self.text[i:end]
            keys.append(key)
            i = self.skip(end, False)
            if i < len(self.text) and self.text[i] == ".":
                i += 1
                continue
            return i, keys

    def value(self, i: int, path: list[str], depth: int) -> int:
        text = self.text
        c = text[i]
        if c in "\"'":
            end, value, origins = self.string(i)
            self.found[".".join(path)] = (value, origins, i, end)
            return end
        if c in "[{":
            closer, index = ("]" if c == "[" else "}"), 0
            i += 1
            while True:
                i = self.skip(i, True)
                if text[i] == closer:
                    return i + 1
                if text[i] == ",":
                    i += 1
                    continue
                if c == "[":
                    i = self.value(i, [*path, str(index)], depth + 1)
                    index += 1
                else:
                    i, keys = self.keys(i)
                    i = self.skip(i, False) + 1
                    i = self.value(self.skip(i, False), [*path, *keys], depth + 1)
        m = _TOML_LITERAL.match(text, i)
        return m.end() if m else i + 1

    def string(self, i: int) -> tuple[int, str, array[int]]:
        """Decode the string starting at ``i``: (end, text, origins)."""
        text = self.text
        quote = text[i]
        multi = text.startswith(quote * 3, i)
        i += 3 if multi else 1
        if multi and text.startswith("\r\n", i):
            i += 2  # a newline right after the opening quotes is not part of the value
        elif multi and text.startswith("\n", i):
            i += 1
        out = _Chars()
        special = (quote, "\\", "\r")
        while True:
            c = text[i]
            if c == quote:
                if not multi:
                    return i + 1, out.text(), out.origins
                run = 0
                while text.startswith(quote, i + run):
                    run += 1
                if run >= 3:
                    out.verbatim(text, i, i + run - 3)  # up to two quotes end the value
                    return i + run, out.text(), out.origins
                out.verbatim(text, i, i + run)
                i += run
            elif c == "\r" and text.startswith("\r\n", i):
                out.verbatim(text, i + 1, i + 2)  # CRLF in a multi-line string is "\n"
                i += 2
            elif c == "\\" and quote == '"':
                nxt = text[i + 1]
                if nxt in _TOML_ESCAPES:
                    out.char(_TOML_ESCAPES[nxt], i)
                    i += 2
                elif nxt in "uUx":
                    width = {"u": 4, "U": 8, "x": 2}[nxt]
                    out.char(chr(int(text[i + 2 : i + 2 + width], 16)), i)
                    i += 2 + width
                else:  # a line-ending backslash: the break and the indentation go
                    i += 1
                    while text[i] in _BLANK:
                        i += 1
            else:
                k = i + 1
                while text[k] not in special:
                    k += 1
                out.verbatim(text, i, k)
                i = k


def _flatten(data: Any, prefix: str, out: dict[str, str], depth: int = 0) -> None:
    """Strings of parsed data under dotted paths (lists indexed), as the scanners key
    them."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, str):
        if prefix:
            out[prefix] = data
    elif isinstance(data, dict):
        for key, value in data.items():
            _flatten(value, _join(prefix, str(key)), out, depth + 1)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _flatten(value, _join(prefix, str(index)), out, depth + 1)


def read_toml(source: Source) -> dict[str, Entry]:
    """Every string of a TOML file (Hugo's ``i18n/en.toml``) under its dotted key:
    :mod:`tomllib` gives the values, the scanner their places."""
    text = source.text
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise CatalogError(f"invalid TOML: {exc}") from None
    values: dict[str, str] = {}
    _flatten(data, "", values)
    try:
        placed = _TomlScanner(text).scan()
    except (IndexError, ValueError, RecursionError):
        placed = {}
    out: dict[str, Entry] = {}
    for key, value in values.items():
        hit = placed.get(key)
        if hit is not None and hit[0] == value:
            origins = hit[1]
        elif hit is not None:
            origins = _align(value, text, hit[2], hit[3])
        else:
            origins = array("l", [-1]) * len(value)
        out[key] = Entry(value, source, origins)
    return out


# --------------------------------------------------------------------------- PHP arrays


class _Tok(NamedTuple):
    kind: str  # "str", "word", "=>", one of "[](),.;", "other"
    text: str
    start: int
    origins: array[int] | None = None
    dynamic: bool = False  # a string with $variables: its value is known only at run time


#: Whitespace, line comments (``#[`` is an attribute), ``=>``, punctuation and words.
_PHP_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<comment>//[^\n]*|#(?!\[)[^\n]*)|(?P<arrow>=>)"
    r"|(?P<punct>[\[\](),.;])|(?P<word>[\w\\]+)"
)
_PHP_SINGLE_STOP = re.compile(r"['\\]")
_PHP_DOUBLE_STOP = re.compile(r'["\\${]')
_PHP_HEREDOC = re.compile(r"<<<[ \t]*(['\"]?)([A-Za-z_]\w*)\1")
_PHP_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "e": "\x1b", "f": "\f",
                "\\": "\\", "$": "$", '"': '"'}
_PHP_OCTAL = re.compile(r"[0-7]{1,3}")
_PHP_HEX = re.compile(r"x([0-9A-Fa-f]{1,2})")
_PHP_UNICODE = re.compile(r"u\{([0-9A-Fa-f]{1,6})\}")


def _php_single(text: str, i: int) -> tuple[_Tok, int]:
    """A single-quoted string at ``i``: only ``\\'`` and ``\\\\`` are escapes."""
    end = text.find("'", i + 1)
    if end >= 0 and text.find("\\", i + 1, end) < 0:  # the common case: nothing escaped
        return _Tok("str", text[i + 1 : end], i, _span_origins(i + 1, end)), end + 1
    out = _Chars()
    j = i + 1
    while True:
        m = _PHP_SINGLE_STOP.search(text, j)
        if m is None:
            raise CatalogError(f"unterminated string at offset {i}")
        k = m.start()
        out.verbatim(text, j, k)
        if text[k] == "'":
            return _Tok("str", out.text(), i, out.origins), k + 1
        if text[k + 1 : k + 2] in ("'", "\\"):
            out.char(text[k + 1], k)
            j = k + 2
        else:
            out.verbatim(text, k, k + 1)
            j = k + 1


def _php_double(text: str, i: int) -> tuple[_Tok, int]:
    """A double-quoted string at ``i``: escapes decoded; ``$name``/``{$x}`` make it
    dynamic (its value exists only when PHP runs)."""
    end = text.find('"', i + 1)
    if end >= 0 and _PHP_DOUBLE_STOP.search(text, i + 1, end) is None:
        return _Tok("str", text[i + 1 : end], i, _span_origins(i + 1, end)), end + 1
    out = _Chars()
    dynamic = False
    j = i + 1
    while True:
        m = _PHP_DOUBLE_STOP.search(text, j)
        if m is None:
            raise CatalogError(f"unterminated string at offset {i}")
        k = m.start()
        out.verbatim(text, j, k)
        c = text[k]
        nxt = text[k + 1 : k + 2]
        if c == '"':
            return _Tok("str", out.text(), i, out.origins, dynamic), k + 1
        if c == "$" or c == "{":
            if (c == "$" and (nxt.isalpha() or nxt in "_{")) or (c == "{" and nxt == "$"):
                dynamic = True
            out.verbatim(text, k, k + 1)
            j = k + 1
        elif nxt in _PHP_ESCAPES:
            out.char(_PHP_ESCAPES[nxt], k)
            j = k + 2
        elif (octal := _PHP_OCTAL.match(text, k + 1)) is not None:
            out.char(chr(int(octal.group(), 8) & 0xFF), k)
            j = octal.end()
        elif (hexa := _PHP_HEX.match(text, k + 1)) is not None:
            out.char(chr(int(hexa.group(1), 16)), k)
            j = hexa.end()
        elif (uni := _PHP_UNICODE.match(text, k + 1)) and int(uni.group(1), 16) <= 0x10FFFF:
            out.char(chr(int(uni.group(1), 16)), k)
            j = uni.end()
        else:  # an unknown escape stays as written, backslash included
            out.verbatim(text, k, k + 1)
            j = k + 1


def _php_tokens(text: str) -> list[_Tok]:
    """Tokens of a PHP file from its ``<?php`` on: strings, words, punctuation; comments
    and whitespace dropped. Heredocs become one dynamic string (their value is not read).
    A token costs ~140 bytes: past :data:`MAX_NODES` of them (a lang file of 30,000 lines
    has ~100,000) the file is refused rather than read into gigabytes."""
    tokens: list[_Tok] = []
    opening = text.find("<?php")
    i, n = (opening + 5 if opening >= 0 else 0), len(text)
    while i < n:
        if len(tokens) > MAX_NODES:
            raise CatalogError(f"more than {MAX_NODES} PHP tokens")
        m = _PHP_TOKEN.match(text, i)
        if m is not None:
            group = m.lastgroup
            if group == "word":
                tokens.append(_Tok("word", m.group(), i))
            elif group == "punct":
                tokens.append(_Tok(m.group(), m.group(), i))
            elif group == "arrow":
                tokens.append(_Tok("=>", "=>", i))
            i = m.end()
            continue
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise CatalogError("unterminated comment")
            i = end + 2
        elif c == "'":
            tok, i = _php_single(text, i)
            tokens.append(tok)
        elif c == '"':
            tok, i = _php_double(text, i)
            tokens.append(tok)
        elif text.startswith("<<<", i):
            m = _PHP_HEREDOC.match(text, i)
            closing = re.compile(r"^[ \t]*" + re.escape(m.group(2)) + r"\b", re.M) if m else None
            found = closing.search(text, m.end()) if closing and m else None
            if found is None:
                raise CatalogError(f"unterminated heredoc at offset {i}")
            tokens.append(_Tok("str", "", i, None, True))
            i = found.end()
        else:
            tokens.append(_Tok("other", c, i))
            i += 1
    return tokens


class _PhpArrays:
    """The literal array a PHP file returns, flattened. Any value that is not a string
    literal or a concatenation of them (a call, a constant, a variable) is left out."""

    def __init__(self, source: Source, tokens: list[_Tok]) -> None:
        self.source = source
        self.tokens = tokens
        self.kinds = [tok.kind for tok in tokens] + ["eof"]
        self.out: dict[str, Entry] = {}

    def kind(self, i: int) -> str:
        return self.kinds[min(i, len(self.tokens))]

    def array_at(self, i: int) -> int | None:
        """Index of the opening ``[``/``(`` when an array literal starts at ``i``."""
        if self.kind(i) == "[":
            return i
        tok = self.tokens[i] if i < len(self.tokens) else None
        if tok and tok.kind == "word" and tok.text.lower() == "array" and self.kind(i + 1) == "(":
            return i + 1
        return None

    def skip_group(self, i: int) -> int:
        """Past the bracket group opening at ``i`` (iteratively: nesting can be deep)."""
        depth = 0
        while i < len(self.tokens):
            kind = self.tokens[i].kind
            if kind in "[(" and len(kind) == 1:
                depth += 1
            elif kind in "])" and len(kind) == 1:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise CatalogError("unclosed array")

    def expression(self, i: int) -> tuple[int, _Tok | None]:
        """An element's key or value up to ``,``/``=>``/the closer: its static string
        (concatenations joined, each part keeping its offsets) or None."""
        parts: list[_Tok] = []
        static = True
        start = i
        while True:
            kind = self.kind(i)
            if kind in (",", "=>", "]", ")", ";", "eof"):
                break
            if kind in ("[", "("):
                i = self.skip_group(i)
                static = False
                continue
            tok = self.tokens[i]
            expect_string = (i - start) % 2 == 0  # 'a' . 'b' . 'c'
            if expect_string and tok.kind in ("str", "word") and not tok.dynamic:
                parts.append(tok)
            elif expect_string or kind != ".":
                static = False
            i += 1
        if not static or not parts or (len(parts) > 1 and any(p.kind != "str" for p in parts)):
            return i, None
        if len(parts) == 1:
            return i, parts[0]
        origins: array[int] = array("l")
        for part in parts:
            origins.extend(part.origins or array("l"))
        return i, _Tok("str", "".join(p.text for p in parts), parts[0].start, origins)

    def array(self, opener: int, prefix: str, depth: int) -> int:
        """Read the array opening at ``opener``; returns the index past its closer."""
        closer = "]" if self.kind(opener) == "[" else ")"
        i, next_index = opener + 1, 0
        while True:
            kind = self.kind(i)
            if kind == closer:
                return i + 1
            if kind in ("eof", ";", "]", ")"):
                raise CatalogError(f"unclosed array at offset {self.tokens[opener].start}")
            key: str | None
            if (start := self.array_at(i)) is not None:
                key, next_index = str(next_index), next_index + 1
                i = self.value_array(start, prefix, key, depth)
            else:
                i, first = self.expression(i)
                if self.kind(i) == "=>":
                    key = self.key_of(first)
                    if key is not None and key.lstrip("-").isdigit():
                        next_index = max(next_index, int(key) + 1)
                    i += 1
                    if (start := self.array_at(i)) is not None:
                        i = self.value_array(start, prefix, key, depth)
                    else:
                        i, value = self.expression(i)
                        self.record(prefix, key, value)
                else:
                    key, next_index = str(next_index), next_index + 1
                    self.record(prefix, key, first)
            if self.kind(i) == ",":
                i += 1
            elif self.kind(i) != closer:
                tok = self.tokens[i] if i < len(self.tokens) else None
                where = f" at offset {tok.start}" if tok else ""
                raise CatalogError(f"unexpected {tok.text if tok else 'end'!r} in array{where}")

    def value_array(self, opener: int, prefix: str, key: str | None, depth: int) -> int:
        if key is None or depth >= MAX_DEPTH:
            return self.skip_group(opener)
        return self.array(opener, _join(prefix, key), depth + 1)

    @staticmethod
    def key_of(tok: _Tok | None) -> str | None:
        if tok is None:
            return None
        if tok.kind == "str":
            return tok.text
        return tok.text if tok.text.isdigit() else None  # a constant as a key: unknown

    def record(self, prefix: str, key: str | None, value: _Tok | None) -> None:
        if key is None or value is None or value.kind != "str" or value.origins is None:
            return
        if len(self.out) >= MAX_NODES:
            raise CatalogError(f"more than {MAX_NODES} values")
        self.out[_join(prefix, key)] = Entry(value.text, self.source, value.origins)


def read_php(source: Source) -> dict[str, Entry]:
    """The array a Laravel ``lang/en/mail.php`` returns (``return [...]`` or ``return
    array(...)``), flattened to ``nested.key``. Tokenized, never executed."""
    tokens = _php_tokens(source.text)
    for index, tok in enumerate(tokens):
        if tok.kind == "word" and tok.text.lower() == "return":
            reader = _PhpArrays(source, tokens)
            opener = reader.array_at(index + 1)
            if opener is None:
                raise CatalogError("returns no literal array")
            reader.array(opener, "", 1)
            return reader.out
    raise CatalogError("no `return [...]` in the file")


# --------------------------------------------------------------------------- INI


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line number, offset, line without its break) for every line."""
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        yield number, offset, line.removesuffix("\r")
        offset += len(line) + 1


def _ini_value(text: str, start: int, end: int) -> tuple[str, array[int]]:
    """A value as go-ini reads it for Gitea: quotes (``"`` or a backtick) around it are
    dropped, ``\\"`` inside double quotes and ``\\;`` ``\\#`` anywhere are unescaped."""
    quoted = end - start >= 2 and text[start] == text[end - 1] and text[start] in '"`'
    double = quoted and text[start] == '"'
    if quoted:
        start, end = start + 1, end - 1
    out = _Chars()
    i = start
    while i < end:
        k = text.find("\\", i, end)
        if k < 0 or k + 1 >= end:
            out.verbatim(text, i, end)
            break
        out.verbatim(text, i, k)
        if text[k + 1] in ";#" or (double and text[k + 1] == '"'):
            out.char(text[k + 1], k)
        else:
            out.verbatim(text, k, k + 2)
        i = k + 2
    return out.text(), out.origins


def read_ini(source: Source) -> dict[str, Entry]:
    """Every ``key = value`` of an INI locale file (Gitea, Gogs, Forgejo) as
    ``section.key``; keys before the first section have no section part. Inline ``;`` is
    part of the value, as Gitea reads its locales."""
    text = source.text
    out: dict[str, Entry] = {}
    section = ""
    for number, offset, line in _lines(text):
        stripped = line.strip()
        if not stripped or stripped[0] in ";#":
            continue
        lead = offset + len(line) - len(line.lstrip())
        if stripped[0] == "[":
            if not stripped.endswith("]"):
                raise CatalogError(f"line {number}: unclosed section header")
            section = stripped[1:-1].strip()
            continue
        cut = min((p for p in (line.find("="), line.find(":")) if p >= 0), default=-1)
        if cut < 0:
            raise CatalogError(f"line {number}: neither a section nor key = value")
        key = line[:cut].strip().strip('"`')
        start = offset + cut + 1
        end = offset + len(line)
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
        if not key or start < lead:
            raise CatalogError(f"line {number}: empty key")
        value, origins = _ini_value(text, start, end)
        if len(out) >= MAX_NODES:
            raise CatalogError(f"more than {MAX_NODES} values")
        out[_join(section, key)] = Entry(value, source, origins)
    return out


# --------------------------------------------------------------------------- gettext .po

_PO_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d{1,3})\])?)[ \t]*(?=\")")
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a",
               "b": "\b", "f": "\f", "v": "\v", "?": "?", "'": "'"}


def _po_string(text: str, start: int, end: int, number: int, out: _Chars) -> None:
    """Append the C string written at ``text[start:end]`` (quotes included)."""
    if end - start < 2 or text[start] != '"' or text[end - 1] != '"':
        raise CatalogError(f"line {number}: expected a quoted string")
    i, stop = start + 1, end - 1
    while i < stop:
        k = text.find("\\", i, stop)
        if k < 0:
            out.verbatim(text, i, stop)
            return
        out.verbatim(text, i, k)
        nxt = text[k + 1] if k + 1 < stop else ""
        if nxt in _PO_ESCAPES and nxt:
            out.char(_PO_ESCAPES[nxt], k)
            i = k + 2
        elif (octal := _PHP_OCTAL.match(text, k + 1, stop)) is not None:
            out.char(chr(int(octal.group(), 8)), k)
            i = octal.end()
        else:
            raise CatalogError(f"line {number}: bad escape \\{nxt}")


def read_po(source: Source) -> dict[str, Entry]:
    """Every translated message of a gettext catalog under its msgid (``context\\x04
    msgid`` with a msgctxt; the msgid_plural names the plural ``msgstr[1]``). Fuzzy,
    obsolete (``#~``) and untranslated entries are left out: the reader gets the msgid."""
    text = source.text
    out: dict[str, Entry] = {}
    fields: dict[str, _Chars] = {}  # the entry being read: keyword -> its string
    fuzzy = False
    current: _Chars | None = None  # the string that a continuation line extends

    def finish() -> None:
        nonlocal fields, fuzzy
        if not fuzzy and "msgid" in fields:
            context = fields["msgctxt"].text() + "\x04" if "msgctxt" in fields else ""
            pairs = [(fields["msgid"], fields.get("msgstr") or fields.get("msgstr[0]"))]
            if "msgid_plural" in fields:
                pairs.append((fields["msgid_plural"], fields.get("msgstr[1]")))
            for msgid, msgstr in pairs:
                key = msgid.text()
                value = msgstr.text() if msgstr is not None else ""
                if key and value and msgstr is not None:
                    out.setdefault(context + key, Entry(value, source, msgstr.origins))
        fields, fuzzy = {}, False

    def translated() -> bool:
        return any(keyword.startswith("msgstr") for keyword in fields)

    for number, offset, line in _lines(text):
        stripped = line.strip()
        lead = offset + len(line) - len(line.lstrip())
        current = current if stripped.startswith('"') else None
        if not stripped:
            continue
        if stripped.startswith("#"):
            if translated():
                finish()
            flags = stripped[2:].split(",") if stripped.startswith("#,") else []
            fuzzy = fuzzy or "fuzzy" in (flag.strip() for flag in flags)
        elif stripped.startswith('"'):
            if current is None:
                raise CatalogError(f"line {number}: a string outside an entry")
            _po_string(text, lead, lead + len(stripped), number, current)
        else:
            m = _PO_KEYWORD.match(stripped)
            if m is None:
                raise CatalogError(f"line {number}: not a .po line")
            keyword = m.group(1)
            if keyword in ("msgctxt", "msgid") and (translated() or keyword in fields):
                finish()
            if len(out) >= MAX_NODES:
                raise CatalogError(f"more than {MAX_NODES} values")
            current = fields[keyword] = _Chars()
            _po_string(text, lead + m.end(), lead + len(stripped), number, current)
    finish()
    return out


# --------------------------------------------------------------------------- locales

_LOCALE_NAME = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}")


def _is_locale(name: str) -> bool:
    return _LOCALE_NAME.fullmatch(name) is not None


def _norm(locale: str) -> str:
    """``en_US``, ``en-us`` and ``en-US`` are one locale."""
    return locale.replace("_", "-").lower()


def locale_chain(asked: str, available: Iterable[str]) -> list[str]:
    """The normalized locales to read for ``asked``, in order: itself, then its language
    ("en-US" falls back to "en"); a bare language with no catalog of its own takes one of
    its regional variants ("en" reads "en-US", else the first in order)."""
    have = set(available)
    wanted = _norm(asked)
    base = wanted.split("-", 1)[0]
    chain = [loc for loc in dict.fromkeys((wanted, base)) if loc in have]
    if not chain:
        variants = sorted(
            (loc for loc in have if loc.split("-", 1)[0] == base),
            key=lambda loc: (loc not in (f"{base}-{base}", "en-us"), loc),
        )
        chain = variants[:1]
    return chain


# --------------------------------------------------------------------------- finding files


class _File(NamedTuple):
    """A catalog file found by its place: which reader, which lookup style, for which
    locale (None: the file's first level names it) and which group (PHP file name,
    i18next namespace)."""

    path: Path
    reader: str  # "yaml", "json", "toml", "php", "ini", "po", "xliff"
    style: str
    locale: str | None
    group: str = ""


_READERS: dict[str, Callable[[Source], dict[str, Entry]]] = {
    "yaml": read_yaml, "json": read_json, "toml": read_toml, "php": read_php,
    "ini": read_ini, "po": read_po, "xliff": read_xliff,
}
_EXTENSIONS = {".yml": "yaml", ".yaml": "yaml", ".json": "json", ".toml": "toml",
               ".php": "php", ".ini": "ini", ".po": "po", ".xlf": "xliff", ".xliff": "xliff"}
#: Folders of JSON/YAML/TOML catalogs read by key (i18next, Hugo, vue-i18n ...).
_KEYED_DIRS = ("locales", "public/locales", "src/locales", "src/i18n", "i18n",
               "static/locales", "assets/locales", "app/i18n")
_KEYED_READERS = ("json", "yaml", "toml")
#: Folders whose subfolders hold ``<locale>/LC_MESSAGES/*.po``.
_PO_DIRS = ("locale", "locales", "translations", "conf/locale")


class _Walker:
    """A bounded walk: at most :data:`MAX_ENTRIES_SEEN` directory entries looked at,
    hidden, ``node_modules`` and ``vendor`` folders skipped, a folder listed once however
    often it is asked for, and never entered again below itself (a symlink loop)."""

    def __init__(self, warnings: list[str]) -> None:
        self.seen = 0
        self.listed: dict[tuple[int, int], list[os.DirEntry[str]]] = {}
        self.warnings = warnings
        self.stopped = False

    @staticmethod
    def identity(folder: Path) -> tuple[int, int] | None:
        try:
            info = folder.stat()
        except OSError:
            return None
        return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None

    def entries(self, folder: Path) -> list[os.DirEntry[str]]:
        """The folder's entries in name order ([] for no folder)."""
        ident = self.identity(folder)
        if ident is None:
            return []
        if ident in self.listed:
            return self.listed[ident]
        found: list[os.DirEntry[str]] = []
        if not self.stopped:
            try:
                with os.scandir(folder) as scan:
                    for entry in scan:
                        self.seen += 1
                        if self.seen > MAX_ENTRIES_SEEN:
                            self.stopped = True
                            self.warnings.append(f"stopped looking for catalogs after "
                                                 f"{MAX_ENTRIES_SEEN} directory entries")
                            break
                        found.append(entry)
            except OSError:
                pass
        found.sort(key=lambda e: e.name)
        self.listed[ident] = found
        return found

    @staticmethod
    def is_dir(entry: os.DirEntry[str]) -> bool:
        try:
            return entry.is_dir()
        except OSError:
            return False

    def subdirs(self, folder: Path) -> list[Path]:
        return [
            Path(e.path) for e in self.entries(folder)
            if self.is_dir(e) and not e.name.startswith(".") and e.name not in _SKIP_DIRS
        ]

    def files(self, folder: Path, depth: int = _WALK_DEPTH,
              above: frozenset[tuple[int, int]] = frozenset()) -> Iterator[Path]:
        """Catalog-named files (anything not a folder: a FIFO too, refused when read)
        below ``folder``, depth first in name order."""
        ident = self.identity(folder)
        if ident is None or ident in above:
            return
        for entry in self.entries(folder):
            if entry.name.startswith("."):
                continue
            if self.is_dir(entry):
                if depth > 0 and entry.name not in _SKIP_DIRS:
                    yield from self.files(Path(entry.path), depth - 1, above | {ident})
            elif _reader_of(Path(entry.name)) is not None:
                yield Path(entry.path)


def _reader_of(path: Path) -> str | None:
    return _EXTENSIONS.get(path.suffix.lower())


def _list_files(root: Path, warnings: list[str]) -> list[_File]:
    """Every catalog in the conventional places, in priority order within a style. The
    direct places come first and the search of app folders for .po files last, so that a
    large repository that uses up the walk's budget loses the least likely catalogs."""
    walk = _Walker(warnings)
    found = [
        *_rails_files(walk, root), *_laravel_files(walk, root), *_forge_files(walk, root),
        *_symfony_files(walk, root), *_keyed_files(walk, root), *_po_files(walk, root),
    ]
    if len(found) > MAX_FILES:
        warnings.append(f"more than {MAX_FILES} catalog files: the first {MAX_FILES} are read")
        del found[MAX_FILES:]
    return found


def _app_folders(walk: _Walker, root: Path) -> list[Path]:
    """The root, then the folders one and two levels down where a monorepo keeps its
    apps and engines (Django's ``shop/``, Spree's ``spree/core/``)."""
    parents = [root]
    for first in walk.subdirs(root):
        parents.append(first)
        if first.name not in ("public", "static", "assets", "test", "tests", "docs"):
            parents.extend(walk.subdirs(first))
    return parents


def _rails_files(walk: _Walker, root: Path) -> Iterator[_File]:
    """Every YAML under config/locales, any depth (Rails merges them all), of the app and
    of the engines beside it (Spree's ``spree/core/config/locales``); a
    config/locales/<loc>.json is an i18next catalog (i18n-js and the like)."""
    for parent in _app_folders(walk, root):
        for path in walk.files(parent / "config" / "locales"):
            reader = _reader_of(path)
            if reader == "yaml":
                yield _File(path, "yaml", "rails", None)
            elif reader == "json" and _is_locale(path.stem):
                yield _File(path, "json", "i18next", path.stem)


def _laravel_files(walk: _Walker, root: Path) -> Iterator[_File]:
    """lang/<loc>.json, lang/<loc>/**/*.php, lang/vendor/<package>/<loc>/*.php, and the
    same under resources/lang (Laravel before 9)."""
    for base in (root / "lang", root / "resources" / "lang"):
        for entry in walk.entries(base):
            path = Path(entry.path)
            if path.suffix.lower() == ".json" and _is_locale(path.stem):
                yield _File(path, "json", "laravel", path.stem)
            elif entry.name == "vendor":
                for package in walk.subdirs(path):
                    for loc_dir in walk.subdirs(package):
                        if _is_locale(loc_dir.name):
                            yield from _laravel_php(walk, loc_dir, f"{package.name}::")
            elif _is_locale(entry.name) and walk.is_dir(entry):
                yield from _laravel_php(walk, path, "")


def _forge_files(walk: _Walker, root: Path) -> Iterator[_File]:
    """options/locale/locale_en-US.ini (Gitea, Forgejo), conf/locale (Gogs), and
    Forgejo's newer options/locale_next/locale_en-US.json."""
    for folder in ("options/locale", "conf/locale", "options/locale_next"):
        for path in walk.files(root / folder, 0):
            loc = path.stem.removeprefix("locale_")
            reader = _reader_of(path)
            named = path.stem.startswith("locale_") and _is_locale(loc)
            if named and (reader == "ini" or reader == "json"):
                yield _File(path, reader, "go", loc)


def _symfony_files(walk: _Walker, root: Path) -> Iterator[_File]:
    """Symfony's translations/<domain>.<locale>.(xlf|xliff|yaml|yml), the domain the
    file's group. ``messages``, the domain a ``|trans`` without one reads, comes first:
    a key it defines wins over the same key of another domain (``email``)."""
    found: list[_File] = []
    for path in walk.files(root / "translations", 0):
        reader = _reader_of(path)
        domain, _, locale = path.stem.rpartition(".")
        if reader in ("xliff", "yaml") and domain and _is_locale(locale):
            found.append(_File(path, reader, "symfony", locale, domain.split("+")[0]))
    found.sort(key=lambda file: file.group != "messages")  # (stable: else walk order)
    yield from found


def _keyed_files(walk: _Walker, root: Path) -> Iterator[_File]:
    """i18next, Hugo, vue-i18n ...: <dir>/<loc>.(json|yaml|toml), <dir>/<loc>/<ns>.json,
    and a Hugo theme's i18n after the project's (the project's own words win)."""
    folders = [root / d for d in _KEYED_DIRS]
    folders += [theme / "i18n" for theme in walk.subdirs(root / "themes")]
    for folder in folders:
        for entry in walk.entries(folder):
            path = Path(entry.path)
            reader = _reader_of(path)
            if reader in _KEYED_READERS and reader and _is_locale(path.stem):
                yield _File(path, reader, "i18next", path.stem)
            elif _is_locale(entry.name) and walk.is_dir(entry):
                for inner in walk.files(path, 2):
                    inner_reader = _reader_of(inner)
                    if inner_reader in _KEYED_READERS and inner_reader:
                        namespace = inner.relative_to(path).with_suffix("").as_posix()
                        yield _File(inner, inner_reader, "i18next", entry.name, namespace)
            elif reader == "yaml" and folder.name == "locales":
                yield _File(path, "yaml", "i18next", None)  # rooted by locale inside


def _po_files(walk: _Walker, root: Path) -> Iterator[_File]:
    """<dir>/<loc>/LC_MESSAGES/*.po with <dir> one of :data:`_PO_DIRS`, at the root
    first, then in app folders one and two levels down (Django's ``shop/locale``)."""
    for parent in _app_folders(walk, root):
        for name in _PO_DIRS:
            for loc_dir in walk.subdirs(parent / name):
                for path in walk.files(loc_dir / "LC_MESSAGES", 0):
                    if path.suffix.lower() == ".po":
                        yield _File(path, "po", "gettext", loc_dir.name)


def _laravel_php(walk: _Walker, loc_dir: Path, package: str) -> Iterator[_File]:
    """``lang/en/mail.php`` is group "mail", ``lang/en/emails/welcome.php`` group
    "emails/welcome" (Laravel's ``__('emails/welcome.key')``)."""
    for path in walk.files(loc_dir, 2):
        if path.suffix.lower() == ".php":
            group = path.relative_to(loc_dir).with_suffix("").as_posix()
            yield _File(path, "php", "laravel", loc_dir.name, package + group)


def _file_locale(file: _File) -> str | None:
    """The locale a file is for, from its place (``devise.de.yml`` → "de")."""
    if file.locale is not None:
        return file.locale
    last = file.path.stem.rsplit(".", 1)[-1]
    return last if _is_locale(last) else None


# --------------------------------------------------------------------------- default locale

_RAILS_DEFAULT = re.compile(
    r"(?:config\.i18n|I18n)\.default_locale\s{0,20}=\s{0,20}:?[\"']?([A-Za-z][\w-]{0,15})"
)
_LARAVEL_DEFAULT = re.compile(
    r"[\"']locale[\"']\s{0,20}=>\s{0,20}(?:env\(\s{0,20}[\"'][A-Z_]{1,40}[\"']\s{0,20},\s{0,20})?"
    r"[\"']([A-Za-z][\w-]{0,15})[\"']"
)
_DJANGO_DEFAULT = re.compile(r"LANGUAGE_CODE\s{0,20}=\s{0,20}[\"']([A-Za-z][\w-]{0,15})[\"']")
_HUGO_DEFAULT = re.compile(
    r"defaultContentLanguage[\"']?\s{0,20}[=:]\s{0,20}[\"']?([A-Za-z][\w-]{0,15})"
)


def _setting(path: Path, pattern: re.Pattern[str], comments: tuple[str, ...]) -> str | None:
    """The first uncommented line of a small config file where ``pattern`` matches."""
    try:
        source, _ = read_source(path, 1 << 20)
    except CatalogError:
        return None
    for line in source.text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(comments):
            continue
        m = pattern.search(stripped)
        if m is not None:
            return m.group(1)
    return None


def _configured_locale(root: Path) -> str | None:
    """The default locale the framework's configuration names, if it names one."""
    rails = [root / "config" / "application.rb"]
    initializers = root / "config" / "initializers"
    if initializers.is_dir():
        rails += sorted(initializers.glob("*.rb"))[:200]
    for path in rails:
        if found := _setting(path, _RAILS_DEFAULT, ("#",)):
            return found
    for path in (root / "config" / "app.php",):
        if found := _setting(path, _LARAVEL_DEFAULT, ("//", "#", "*", "/*")):
            return found
    django: list[Path] = []
    for folder in (root, *sorted(p for p in root.glob("*") if p.is_dir())[:200]):
        django += [folder / "settings.py", *sorted(folder.glob("settings/*.py"))[:20]]
        django += sorted(folder.glob("settings_*.py"))[:20]
    for path in django:
        if found := _setting(path, _DJANGO_DEFAULT, ("#",)):
            return found.split("-")[0].split("_")[0].lower()  # "en-us" -> "en"
    for folder in (root, root / "config" / "_default"):
        for name in ("hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml",
                     "config.yml"):
            if found := _setting(folder / name, _HUGO_DEFAULT, ("#",)):
                return found
    return None


def _guess_locale(files: Iterable[_File]) -> str:
    """No configuration: "en" when English catalogs exist, else the only locale with
    catalogs, else "en"."""
    seen = {_norm(loc): loc for f in files if (loc := _file_locale(f))}
    if any(loc.split("-")[0] == "en" for loc in seen):
        return "en"
    return next(iter(seen.values())) if len(seen) == 1 else "en"


def default_locale(root: Path) -> str:
    """The project's default locale: Rails ``config.i18n.default_locale = :de``, Laravel
    ``'locale' => 'en'`` (or ``env('APP_LOCALE', 'en')``), Django ``LANGUAGE_CODE``
    (language only: "en-us" is "en"), Hugo ``defaultContentLanguage``; else "en" when
    English catalogs exist, else the only locale with catalogs, else "en"."""
    try:
        found = _configured_locale(root)
        return found if found else _guess_locale(_list_files(root, []))
    except OSError:
        return "en"


# --------------------------------------------------------------------------- catalogs


class Catalogs:
    """Every catalog of one project for one locale, loaded lazily, each file read once.

    :func:`find_catalogs` only lists files; the files of a style are read on the first
    :meth:`lookup` of that style. A file that cannot be read is skipped and named in
    :attr:`warnings`."""

    def __init__(self, root: Path, locale: str, files: list[_File], max_bytes: int,
                 warnings: list[str]) -> None:
        self.root = root
        self.locale = locale
        self.max_bytes = max_bytes
        self.warnings: list[str] = warnings
        self._files = files
        self._parsed: dict[Path, dict[str, Entry] | None] = {}
        self._index: dict[str, tuple[list[str], dict[str, dict[str, Entry]]]] = {}

    def files(self) -> tuple[str, ...]:
        """The catalog files found, in priority order within each style."""
        return tuple(str(f.path) for f in self._files)

    def lookup(self, key: str, style: str, *, scope: str = "") -> Entry | None:
        """The value the reader gets for ``key`` in this locale (with its fallbacks), or
        None. ``style`` is one of :data:`STYLES`; a Rails key starting with "." is
        relative to ``scope`` ("user_mailer.welcome")."""
        if style not in STYLES:
            raise ValueError(f"unknown catalog style {style!r} (expected one of {STYLES})")
        if style == "rails" and key.startswith("."):
            key = scope.strip(".") + key if scope.strip(".") else key[1:]
        chain, by_locale = self._index_of(style)
        for locale in chain:
            entries = by_locale.get(locale, {})
            for candidate in _candidates(key, style):
                entry = entries.get(candidate)
                if entry is not None:
                    return entry._replace(placeholders=find_placeholders(entry.text, style))
        return None

    # -- loading

    def _read(self, file: _File) -> dict[str, Entry] | None:
        """A file's entries, read and parsed once; None (and a warning) when it cannot
        be read."""
        if file.path in self._parsed:
            return self._parsed[file.path]
        result: dict[str, Entry] | None = None
        try:
            source, note = read_source(file.path, self.max_bytes)
            if note:
                self.warnings.append(f"{file.path}: {note}")
            result = _READERS[file.reader](source)
        except CatalogError as exc:
            self.warnings.append(f"{file.path}: skipped: {exc}")
        except Exception as exc:  # a reader's bug must not stop the lint: the file is skipped
            self.warnings.append(f"{file.path}: skipped: unreadable {file.reader} "
                                 f"({type(exc).__name__})")
        self._parsed[file.path] = result
        return result

    def _index_of(self, style: str) -> tuple[list[str], dict[str, dict[str, Entry]]]:
        """Entries of a style by normalized locale, and the locales to read in order."""
        if style not in self._index:
            by_locale: dict[str, dict[str, Entry]] = {}
            for file in self._files:
                if file.style == style:
                    entries = self._read(file)
                    if entries:
                        _merge(style, file, entries, by_locale)
            if style == "i18next":
                namespaces = {f.group for f in self._files if f.style == style and f.group}
                _namespace_fallbacks(by_locale, namespaces)
            self._index[style] = (locale_chain(self.locale, by_locale), by_locale)
        return self._index[style]


def _candidates(key: str, style: str) -> Iterator[str]:
    """Keys to try for ``key``: Laravel's JSON catalog first; the key; a plural's "other"
    form (Rails/Hugo ``key.other``, i18next ``key_other``); i18next's ``ns:key`` in a
    single-file catalog (``ns.key``)."""
    if style == "laravel":
        yield "\x01" + key
    yield key
    if style in ("rails", "i18next"):
        yield key + ".other"
    if style == "i18next":
        yield key + "_other"
        if ":" in key:
            yield key.replace(":", ".", 1)


def _rooted(entries: dict[str, Entry]) -> dict[str, dict[str, Entry]]:
    """Entries of a file whose first level names the locale (Rails ``en:``), by
    normalized locale; keys under a first level that is no locale name are ignored."""
    rooted: dict[str, dict[str, Entry]] = {}
    for key, entry in entries.items():
        root, _, rest = key.partition(".")
        if rest and _is_locale(root):
            rooted.setdefault(_norm(root), {})[rest] = entry
    return rooted


def _merge(style: str, file: _File, entries: dict[str, Entry],
           by_locale: dict[str, dict[str, Entry]]) -> None:
    """Add one file's entries by the rules of its framework: Rails merges its files, a
    later one winning; elsewhere the first file listed for a key wins (a project's own
    catalog before an app's or a theme's)."""
    if style == "rails":
        for locale, rooted in _rooted(entries).items():
            by_locale.setdefault(locale, {}).update(rooted)
        return
    if file.locale is None:  # i18next YAML in locales/: rooted by locale inside
        for locale, rooted in _rooted(entries).items():
            _add(by_locale.setdefault(locale, {}), rooted)
        return
    locale = _norm(file.locale)
    target = by_locale.setdefault(locale, {})
    if style == "laravel" and file.reader == "php":
        _add(target, {f"{file.group}.{key}": entry for key, entry in entries.items()})
    elif style == "laravel":  # "\x01": the JSON catalog, read before the PHP files
        _add(target, {"\x01" + key: entry for key, entry in entries.items()})
    elif style == "i18next":
        inside = _rooted(entries)
        if len(inside) == 1 and (only := next(iter(inside))).split("-")[0] == locale.split("-")[0]:
            entries = inside[only]  # en.json holding {"en": {...}}
        entries = _go_i18n_v1(entries)
        if file.group:
            _add(target, {f"{file.group}:{key}": entry for key, entry in entries.items()})
        else:
            _add(target, entries)
    else:
        _add(target, entries)


def _namespace_fallbacks(by_locale: dict[str, dict[str, Entry]], namespaces: set[str]) -> None:
    """Make i18next's bare keys work across namespace files: a key of the default
    namespace "translation", else a key that exactly one namespace defines, is also
    found without its ``ns:`` (a catalog without namespaces still wins)."""
    for entries in by_locale.values():
        owners: dict[str, dict[str, Entry]] = {}
        for key, entry in entries.items():
            namespace, colon, bare = key.partition(":")
            if colon and namespace in namespaces:
                owners.setdefault(bare, {}).setdefault(namespace, entry)
        for bare, by_namespace in owners.items():
            if "translation" in by_namespace:
                entries.setdefault(bare, by_namespace["translation"])
            elif len(by_namespace) == 1:
                entries.setdefault(bare, next(iter(by_namespace.values())))


def _go_i18n_v1(entries: dict[str, Entry]) -> dict[str, Entry]:
    """go-i18n v1 lists (``- id: home`` / ``translation: Home``, old Hugo sites) keyed
    by their id; other catalogs unchanged."""
    if "0.id" not in entries:
        return entries
    keyed = dict(entries)
    index = 0
    while f"{index}.id" in entries:
        ident = entries[f"{index}.id"].text
        value = entries.get(f"{index}.translation") or entries.get(f"{index}.translation.other")
        if value is not None:
            keyed.setdefault(ident, value)
        index += 1
    return keyed


def _add(target: dict[str, Entry], entries: dict[str, Entry]) -> None:
    """Add entries whose keys the target has not got yet (the first file wins)."""
    for key, entry in entries.items():
        target.setdefault(key, entry)


def find_catalogs(root: Path, locale: str | None = None, *,
                  max_bytes: int = 5 * 1024 * 1024) -> Catalogs:
    """The project's catalogs for ``locale`` (None: the project's default locale).

    Lists the candidate files only; nothing is parsed until a lookup needs it."""
    warnings: list[str] = []
    root = Path(root)
    try:
        files = _list_files(root, warnings)
        if locale is None:
            locale = _configured_locale(root) or _guess_locale(files)
    except OSError as exc:
        warnings.append(f"{root}: cannot list catalogs: {exc.strerror or exc}")
        files, locale = [], locale or "en"
    return Catalogs(root, locale, files, max_bytes, warnings)
