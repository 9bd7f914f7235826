"""Reading and validating configuration: ``[tool.apologylint]`` or ``.apologylint.toml``.

Every key is checked here, once, so that the engine and the rules can trust
:class:`~apologylint.settings.Settings` blindly. A bad key is a :class:`ConfigError` whose
one-line message names the file and the key (with a "did you mean" where one helps),
never a traceback and never a silently ignored setting.

Layering, lowest first: defaults → the config file's top level → each matching
``[[overrides]]`` table in file order → command-line options. In a layer, ``ignore`` and
``extend-select`` *add* to what is below unless the layer sets ``select``, which starts
the selection afresh (as in ruff); ``severity``, ``readability``, ``formats`` and ``brand``
merge key by key; every other key replaces. Discovery walks up from the linted file:
in each folder ``.apologylint.toml`` first, then ``pyproject.toml`` if it has a
``[tool.apologylint]`` table. Nothing here is global: a :class:`ConfigFinder` caches
look-ups for one run only.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from .engines import ENGINES, MARKUPS
from .files import TomlFileError, toml_file
from .model import Severity
from .settings import INCIDENT_KINDS, JURISDICTIONS, Brand, Settings

CONFIG_FILE = ".apologylint.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "[tool.apologylint]"


class ConfigError(ValueError):
    """A configuration problem; ``str(error)`` is the one line shown to the user."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


# -- the keys ----------------------------------------------------------------------------

#: config key -> Settings field (keys documented in docs/configuration.md)
FIELD_OF_KEY: Mapping[str, str] = MappingProxyType(
    {
        "select": "select",
        "ignore": "ignore",
        "extend-select": "extend_select",
        "severity": "severity",
        "language": "language",
        "incident": "incident",
        "jurisdiction": "jurisdiction",
        "fail-on": "fail_on",
        "max-words": "max_words",
        "max-words-breach": "max_words_breach",
        "max-subject-length": "max_subject_length",
        "max-html-kb": "max_html_kb",
        "buried-apology-words": "buried_apology_words",
        "readability": "readability",
        "subject": "subject",
        "from": "sender",
        "brand": "brand",
        "recipients": "recipients",
        "affected": "affected",
        "suppressed": "suppressed",
        "max-listed-addresses": "max_listed_addresses",
        "dpo": "dpo",
        "exclude": "exclude",
        "packs": "packs",
        "max-input-bytes": "max_input_bytes",
        "max-mime-depth": "max_mime_depth",
        "formats": "formats",
        "engine": "engine",
        "locale": "locale",
        "assemble": "assemble",
    }
)
TOP_LEVEL_ONLY = frozenset({"overrides", "exclude"})
ALL_KEYS = frozenset(FIELD_OF_KEY) | {"overrides"}
OVERRIDE_KEYS = (frozenset(FIELD_OF_KEY) - TOP_LEVEL_ONLY) | {"files"}
BRAND_KEYS = ("name", "domain", "logo", "footer", "colors")
#: integer keys and their smallest and largest allowed values (the largest keep an absurd
#: value from becoming an allocation or a recursion the machine cannot do)
_INT_KEYS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "max-words": (1, 10_000_000),
        "max-words-breach": (1, 10_000_000),
        "max-subject-length": (1, 100_000),
        "max-html-kb": (1, 1024 * 1024),
        "buried-apology-words": (0, 10_000_000),
        "max-listed-addresses": (0, 100_000_000),
        "max-input-bytes": (1, 1 << 30),
        "max-mime-depth": (1, 200),
    }
)
#: fields where a layer adds to the layer below instead of replacing it
_ADDITIVE = frozenset({"ignore", "extend_select"})
_LANG_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})?\Z")
_COLOR_RE = re.compile(r"#?(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})\Z")


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "an array", tuple: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class _Where:
    """How to name a key in an error: ``<file>: [table] key`` or ``argument --option``."""

    prefix: str
    option_names: Mapping[str, str] | None = None

    def label(self, key: str) -> str:
        if self.option_names is not None:
            return self.option_names.get(key, key)
        return key

    def fail(self, key: str, detail: str) -> NoReturn:
        raise ConfigError(f"{self.prefix}{self.label(key)}: {detail}", key=key)

    def unknown(self, key: str, choices: Sequence[str], table: str = "") -> NoReturn:
        name = f"{table}.{key}" if table else key
        hint = _suggest(key, sorted(choices))
        if not hint and key == "tool" and table == "":
            hint = (" (outside pyproject.toml the keys go at the top level, "
                    "not under [tool.apologylint])")
        raise ConfigError(f"{self.prefix}unknown key {name!r}{hint}", key=name)


# -- rule selectors ----------------------------------------------------------------------


def _selector_choices() -> list[str]:
    from .rules import all_rules

    names: set[str] = {"ALL"}
    for rule in all_rules():
        names.update((rule.slug, rule.code, rule.family))
    return sorted(names)


def _check_selector(where: _Where, key: str, selector: str) -> str:
    from .rules import is_known_selector

    sel = selector.strip()
    if not sel:
        where.fail(key, "empty rule selector")
    if sel.lower() == "all" or is_known_selector(sel):
        return sel
    hint = _suggest(sel, [c.lower() for c in _selector_choices()])
    where.fail(key, f"unknown rule selector {sel!r}{hint}; see `apologylint rules`")


def _selector_specificity(selector: str, slug: str, code: str) -> int:
    s = selector.strip().lower()
    if s == "all":
        return 0
    if s in (slug, code.lower()):
        return 1000
    return len(s)


# -- value parsers -----------------------------------------------------------------------


def _str(where: _Where, key: str, value: object) -> str:
    if not isinstance(value, str):
        where.fail(key, f"must be a string, not {_kind(value)} ({value!r})")
    return value


def _str_list(where: _Where, key: str, value: object, *, comma: bool = True) -> list[str]:
    """A list of strings; a single string is split on commas (``"a, b"``)."""
    if isinstance(value, str):
        items = value.split(",") if comma else [value]
    elif isinstance(value, list | tuple):
        items = []
        for item in value:
            if not isinstance(item, str):
                where.fail(key, f"must be a list of strings; found {_kind(item)} ({item!r})")
            items.append(item)
    else:
        where.fail(key, f"must be a list of strings, not {_kind(value)} ({value!r})")
    return [i.strip() for i in items if i.strip()]


def _int(where: _Where, key: str, value: object, bounds: tuple[int, int]) -> int:
    minimum, maximum = bounds
    if isinstance(value, bool) or not isinstance(value, int):
        where.fail(key, f"must be an integer, not {_kind(value)} ({value!r})")
    if value < minimum:
        where.fail(key, f"must be at least {minimum}, got {value}")
    if value > maximum:
        shown = value if value < 10**30 else f"a number of {len(str(value))} digits"
        where.fail(key, f"must be at most {maximum}, got {shown}")
    return value


def _severity(where: _Where, key: str, value: object) -> Severity:
    text = _str(where, key, value)
    try:
        return Severity.parse(text)
    except ValueError:
        where.fail(key, f"must be error, warning or info, not {text!r}")


def _bool(where: _Where, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        where.fail(key, f"must be true or false, not {_kind(value)}")
    return value


def _choice(where: _Where, key: str, value: object, choices: Sequence[str], what: str) -> str:
    text = _str(where, key, value).strip().lower()
    if text not in choices:
        hint = _suggest(text, choices)
        where.fail(key, f"unknown {what} {text!r}{hint}; expected one of {', '.join(choices)}")
    return text


def _language(where: _Where, key: str, value: object) -> str:
    text = _str(where, key, value).strip().lower().replace("_", "-")
    if text != "auto" and not _LANG_RE.match(text):
        where.fail(key, f"must be 'auto' or a language code such as 'en' or 'pl', not {text!r}")
    return text


def _path(where: _Where, key: str, value: object, base_dir: Path, *, folder: bool) -> str:
    text = _str(where, key, value).strip()
    if not text:
        where.fail(key, "must not be empty")
    path = Path(os.path.expanduser(text))
    if not path.is_absolute():
        path = base_dir / path
    try:
        found = path.is_dir() if folder else path.is_file()
        there = found or path.exists()
    except OSError as exc:  # a name too long, a folder that cannot be searched ...
        where.fail(key, f"cannot read {text!r}: {exc.strerror or exc}")
    if folder and not found:
        where.fail(key, f"folder {text!r} does not exist (looked for {path})")
    if not folder and not found:
        why = "not a regular file (a FIFO, a device or a folder)" if there else "no such file"
        where.fail(key, f"cannot read {text!r}: {why} (looked for {path})")
    return str(path)


def _severity_table(where: _Where, key: str, value: object) -> dict[str, Severity]:
    """``{selector: severity}`` expanded to ``{slug: severity}``; specific selectors win."""
    from .rules import all_rules, match_selector

    if not isinstance(value, Mapping):
        where.fail(key, f"must be a table of rule = severity, not {_kind(value)}")
    parsed: list[tuple[str, Severity]] = []
    for sel, sev in value.items():
        sub = f"{key}.{sel}"
        if not isinstance(sel, str):
            where.fail(key, f"keys must be rule names, not {sel!r}")
        parsed.append((_check_selector(where, sub, sel), _severity(where, sub, sev)))
    result: dict[str, Severity] = {}
    for rule in all_rules():
        best = -1
        for sel, sev in parsed:
            if match_selector(rule, sel):
                score = _selector_specificity(sel, rule.slug, rule.code)
                if score >= best:
                    best = score
                    result[rule.slug] = sev
    return result


def _readability(where: _Where, key: str, value: object) -> dict[str, float]:
    if not isinstance(value, Mapping):
        where.fail(key, f"must be a table of language = limit, not {_kind(value)}")
    result: dict[str, float] = {}
    for lang, limit in value.items():
        sub = f"{key}.{lang}"
        code = _language(where, sub, lang)
        if isinstance(limit, bool) or not isinstance(limit, int | float):
            where.fail(sub, f"must be a number, not {_kind(limit)} ({limit!r})")
        result[code] = float(limit)
    return result


def _brand(where: _Where, key: str, value: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        where.fail(key, f"must be a table (name, domain, logo, footer, colors), not {_kind(value)}")
    result: dict[str, Any] = {}
    for sub, item in value.items():
        label = f"{key}.{sub}"
        if sub not in BRAND_KEYS:
            where.unknown(str(sub), BRAND_KEYS, table=key)
        if sub in ("name", "logo"):
            result[sub] = _str(where, label, item).strip() or None
        elif sub == "domain":
            domain = _str(where, label, item).strip().lower().lstrip("@")
            if domain and ("." not in domain or " " in domain):
                where.fail(label, f"must be a domain such as 'example.com', not {item!r}")
            result[sub] = domain or None
        elif sub == "footer":
            result[sub] = tuple(_str_list(where, label, item, comma=False))
        else:  # colors
            colors = []
            for color in _str_list(where, label, item):
                c = color.lower()
                if not _COLOR_RE.match(c):
                    where.fail(label, f"{color!r} is not a hex colour such as '#1a73e8'")
                colors.append(c if c.startswith("#") else "#" + c)
            result[sub] = tuple(colors)
    return result


def _formats(where: _Where, key: str, value: object) -> Mapping[str, str]:
    """``{".tpl" = "go", ".email" = "django"}``: file endings and the engine (or markup)
    they are read as."""
    if not isinstance(value, Mapping):
        where.fail(key, f"must be a table of file ending = engine, not {_kind(value)}")
    choices = (*ENGINES, *MARKUPS)
    result: dict[str, str] = {}
    for ending, kind in value.items():
        sub = f"{key}.{ending}"
        text = str(ending).strip().lower()
        if not text or "/" in text or " " in text:
            where.fail(sub, f"must be a file ending such as '.tpl', not {ending!r}")
        result[text if text.startswith(".") else "." + text] = _choice(
            where, sub, kind, choices, "engine or markup")
    return MappingProxyType(result)


# -- layers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Validated values of one table (top level, one override, or the command line),
    keyed by :class:`Settings` field name, ready to apply on top of other settings."""

    values: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def apply(self, settings: Settings) -> Settings:
        changes: dict[str, Any] = {}
        if "select" in self.values:
            # as in ruff, a layer that sets `select` starts the rule selection afresh:
            # `--select X` runs X even where the config ignores it
            settings = dataclasses.replace(settings, ignore=(), extend_select=())
        for name, value in self.values.items():
            if name in _ADDITIVE:
                old = getattr(settings, name)
                changes[name] = old + tuple(v for v in value if v not in old)
            elif name in ("severity", "readability", "formats"):
                changes[name] = MappingProxyType({**getattr(settings, name), **value})
            elif name == "brand":
                changes[name] = dataclasses.replace(settings.brand or Brand(), **value)
            else:
                changes[name] = value
        return dataclasses.replace(settings, **changes) if changes else settings

    def __bool__(self) -> bool:
        return bool(self.values)


def parse_layer(
    mapping: Mapping[str, Any],
    where: _Where,
    base_dir: Path,
    *,
    allowed: frozenset[str] = frozenset(FIELD_OF_KEY),
    table: str = "",
) -> Layer:
    """Validate the keys of one table into a :class:`Layer` (``overrides`` excluded)."""
    values: dict[str, Any] = {}
    for key, value in mapping.items():
        if key not in allowed:
            if key in FIELD_OF_KEY or key == "overrides":
                raise ConfigError(
                    f"{where.prefix}{key!r} cannot be set in {table or 'this table'}", key=key
                )
            where.unknown(str(key), sorted(allowed), table="")
        values[FIELD_OF_KEY[key]] = _parse_value(where, key, value, base_dir)
    return Layer(MappingProxyType(values))


def _parse_value(where: _Where, key: str, value: Any, base_dir: Path) -> Any:
    if key in ("select", "ignore", "extend-select"):
        selectors = tuple(_check_selector(where, key, s) for s in _str_list(where, key, value))
        if key == "select" and not selectors:
            # `--select ""` would run no rule and pass every draft
            where.fail(key, "names no rule; give rule codes or slugs, or ALL")
        return selectors
    if key == "severity":
        return _severity_table(where, key, value)
    if key == "language":
        return _language(where, key, value)
    if key == "incident":
        return _choice(where, key, value, INCIDENT_KINDS, "incident kind")
    if key == "jurisdiction":
        found: list[str] = []
        for item in _str_list(where, key, value):
            code = _choice(where, key, item, JURISDICTIONS, "jurisdiction")
            if code not in found:
                found.append(code)
        return tuple(found)
    if key == "fail-on":
        return _severity(where, key, value)
    if key in _INT_KEYS:
        return _int(where, key, value, _INT_KEYS[key])
    if key == "readability":
        return _readability(where, key, value)
    if key in ("subject", "from", "dpo"):
        text = _str(where, key, value).strip()
        return text or None
    if key == "brand":
        return _brand(where, key, value)
    if key in ("recipients", "affected", "suppressed"):
        return _path(where, key, value, base_dir, folder=False)
    if key == "packs":
        return tuple(
            _path(where, key, p, base_dir, folder=True) for p in _str_list(where, key, value)
        )
    if key == "exclude":
        return _globs(where, key, value)
    if key == "formats":
        return _formats(where, key, value)
    if key == "engine":
        return _choice(where, key, value, tuple(ENGINES), "template engine")
    if key == "locale":
        return _language(where, key, value)
    if key == "assemble":
        return _bool(where, key, value)
    raise AssertionError(f"unhandled config key {key}")  # pragma: no cover


# -- globs -------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """fnmatch-style glob to regex: ``*`` and ``?`` stay inside one path segment,
    ``**`` spans folders (``**/`` may match nothing)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                i += 2
                if i < n and pattern[i] == "/":
                    out.append("(?:[^/]*/)*")
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _globs(where: _Where, key: str, value: object) -> tuple[str, ...]:
    """A list of globs, each checked now: "[z-a]" is a configuration error naming the
    file and the key, not an error in the middle of a run."""
    globs = tuple(_str_list(where, key, value, comma=False))
    for glob in globs:
        try:
            _glob_regex(glob)
        except re.error as exc:
            where.fail(key, f"bad glob {glob!r}: {exc.msg}")
    return globs


def path_matches(pattern: str, relpath: str) -> bool:
    """Whether a glob names a path (posix, relative to the config's folder).

    As in .gitignore: a pattern without ``/`` matches a file or folder name at any
    depth (``*.html``, ``templates``); one with ``/`` is anchored at the config's folder
    (``emails/**/*.html``); a pattern that matches a folder matches everything in it.
    """
    pat = pattern.strip()
    if pat.startswith("./"):
        pat = pat[2:]
    dir_only = pat.endswith("/")
    pat = pat.strip("/")
    if not pat:
        return False
    parts = [p for p in relpath.replace("\\", "/").split("/") if p not in ("", ".")]
    regex = _glob_regex(pat)
    last = len(parts) - 1
    if "/" not in pat:
        return any(
            regex.match(part) for k, part in enumerate(parts) if not (dir_only and k == last)
        )
    for k in range(len(parts), 0, -1):
        if dir_only and k == len(parts):
            continue
        if regex.match("/".join(parts[:k])):
            return True
    return False


# -- config objects ----------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """One ``[[overrides]]`` table: globs and the layer applied to files they match."""

    files: tuple[str, ...]
    layer: Layer

    def matches(self, relpath: str) -> bool:
        return any(path_matches(p, relpath) for p in self.files)


@dataclass(frozen=True)
class Config:
    """A loaded configuration: top-level settings plus per-glob overrides.

    ``base_dir`` is the folder that globs (``overrides``, ``exclude``) and relative paths
    are relative to: the config file's folder.
    """

    settings: Settings = field(default_factory=Settings)
    overrides: tuple[Override, ...] = ()
    base_dir: Path = field(default_factory=Path.cwd)
    path: Path | None = None

    def relative(self, file: Path | str) -> str:
        """The file's path relative to ``base_dir`` (posix), or absolute if outside it."""
        absolute = Path(os.path.abspath(file))
        try:
            return absolute.relative_to(self.base_dir).as_posix()
        except ValueError:
            return absolute.as_posix()

    def settings_for(self, file: Path | str | None) -> Settings:
        """Settings for one file: top level, then every matching override in order."""
        settings = self.settings
        if file is None or not self.overrides:
            return settings
        rel = self.relative(file)
        for override in self.overrides:
            if override.matches(rel):
                settings = override.layer.apply(settings)
        return settings

    def is_excluded(self, file: Path | str) -> bool:
        """Whether ``exclude`` names the file (or a folder it is in)."""
        if not self.settings.exclude:
            return False
        rel = self.relative(file)
        return any(path_matches(p, rel) for p in self.settings.exclude)


def _display(path: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


def config_from_mapping(
    mapping: Mapping[str, Any],
    origin: str,
    base_dir: Path | None = None,
    *,
    prefix: str | None = None,
    path: Path | None = None,
) -> Config:
    """Validate a mapping of config keys (as in the file) into a :class:`Config`."""
    if not isinstance(mapping, Mapping):
        raise ConfigError(f"{origin}: configuration must be a table, not {_kind(mapping)}")
    base = Path(os.path.abspath(base_dir if base_dir is not None else Path.cwd()))
    where = _Where(prefix if prefix is not None else f"{origin}: ")
    top = {k: v for k, v in mapping.items() if k != "overrides"}
    layer = parse_layer(top, where, base, table="the top level")
    settings = layer.apply(Settings(origin=origin))
    overrides: list[Override] = []
    raw = mapping.get("overrides", [])
    if not isinstance(raw, list | tuple):
        where.fail("overrides", "must be an array of tables ([[tool.apologylint.overrides]])")
    for index, table in enumerate(raw, start=1):
        sub = _Where(f"{where.prefix}overrides[{index}] ")
        if not isinstance(table, Mapping):
            where.fail("overrides", f"entry {index} must be a table, not {_kind(table)}")
        if "files" not in table:
            raise ConfigError(f"{sub.prefix}needs 'files' (a list of globs)", key="files")
        files = _globs(sub, "files", table["files"])
        if not files:
            sub.fail("files", "must name at least one glob")
        rest = {k: v for k, v in table.items() if k != "files"}
        overrides.append(
            Override(files, parse_layer(rest, sub, base, allowed=OVERRIDE_KEYS,
                                        table="an override"))
        )
    return Config(settings, tuple(overrides), base, path)


def settings_from_mapping(
    mapping: Mapping[str, Any], origin: str, base_dir: Path | None = None
) -> Settings:
    """Validated settings from config keys (``{"select": [...], "max-words": 200}``).

    ``overrides`` are validated but not applied (there is no file to match); use
    :func:`config_from_mapping` and :meth:`Config.settings_for` for those.
    """
    return config_from_mapping(mapping, origin, base_dir).settings


def _read_toml(path: Path) -> dict[str, Any]:
    """A config file's TOML; any way it can be wrong is a ConfigError naming the file."""
    try:
        return toml_file(path)
    except TomlFileError as exc:
        raise ConfigError(f"{_display(path)}: {exc}") from None


def _tool_table(path: Path, data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    tool = data.get("tool")
    if not isinstance(tool, Mapping) or "apologylint" not in tool:
        return None
    table = tool["apologylint"]
    if not isinstance(table, Mapping):
        raise ConfigError(f"{_display(path)}: {TOOL_TABLE} must be a table")
    return table


def _from_file(path: Path, data: Mapping[str, Any], *, pyproject: bool) -> Config:
    path = Path(os.path.abspath(path))
    shown = _display(path)
    if pyproject:
        table = _tool_table(path, data)
        if table is None:
            raise ConfigError(f"{shown}: no {TOOL_TABLE} table")
        return config_from_mapping(table, str(path), path.parent,
                                   prefix=f"{shown}: {TOOL_TABLE} ", path=path)
    return config_from_mapping(data, str(path), path.parent, prefix=f"{shown}: ", path=path)


def load_config_file(path: Path | str) -> Config:
    """A config file given by name: ``[tool.apologylint]`` of a ``pyproject.toml``, the
    top level of any other TOML file (``.apologylint.toml``)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{_display(path)}: config file not found")
    return _from_file(path, _read_toml(path), pyproject=path.name == PYPROJECT)


class ConfigFinder:
    """Walks up from linted files to their config, caching each folder's answer.

    One finder per run (or per :func:`apologylint.lint` call): the cache is never
    global, so a config edited between two runs in one process is read afresh.
    """

    def __init__(self) -> None:
        self._by_dir: dict[Path, Config | None] = {}

    def find(self, path: Path | str) -> Config | None:
        start = Path(os.path.abspath(path))
        if not start.is_dir():
            start = start.parent
        visited: list[Path] = []
        found: Config | None = None
        for folder in (start, *start.parents):
            if folder in self._by_dir:
                found = self._by_dir[folder]
                break
            visited.append(folder)
            found = self._config_in(folder)
            if found is not None:
                break
        for folder in visited:
            self._by_dir[folder] = found
        return found

    @staticmethod
    def _config_in(folder: Path) -> Config | None:
        own = folder / CONFIG_FILE
        if _is_file(own):
            return _from_file(own, _read_toml(own), pyproject=False)
        pyproject = folder / PYPROJECT
        if _is_file(pyproject):
            data = _read_toml(pyproject)
            if _tool_table(pyproject, data) is not None:
                return _from_file(pyproject, data, pyproject=True)
        return None


def _is_file(path: Path) -> bool:
    """Whether a config file is there; a folder that cannot be searched holds none we
    could read (its drafts are reported as unreadable themselves)."""
    try:
        return path.is_file()
    except OSError:
        return False


def discover_config(path: Path | str, finder: ConfigFinder | None = None) -> Config | None:
    """The config that governs ``path``: the nearest ``.apologylint.toml`` or
    ``pyproject.toml`` with ``[tool.apologylint]`` in its folder or any folder above."""
    return (finder or ConfigFinder()).find(path)


#: command-line option names, for error messages about command-line values
CLI_OPTION_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "select": "argument --select",
        "ignore": "argument --ignore",
        "extend-select": "argument --extend-select",
        "incident": "argument --incident",
        "jurisdiction": "argument --jurisdiction",
        "language": "argument --lang",
        "subject": "argument --subject",
        "from": "argument --from",
        "recipients": "argument --recipients",
        "affected": "argument --affected",
        "suppressed": "argument --suppressed",
        "dpo": "argument --dpo",
        "fail-on": "argument --fail-on",
    }
)


def cli_layer(
    mapping: Mapping[str, Any],
    base_dir: Path | None = None,
    option_names: Mapping[str, str] = CLI_OPTION_NAMES,
) -> Layer:
    """Command-line values (as config keys) validated into the topmost layer."""
    base = Path(os.path.abspath(base_dir if base_dir is not None else Path.cwd()))
    return parse_layer(mapping, _Where("", option_names), base)

