"""``{{ }}``, ``{{{ }}}``, ``{% %}`` and ``{# #}``: the Liquid/Jinja and Handlebars families.

:func:`_scan_curly` finds these tags in one pass. The ``engine`` says whose syntax they
are; without it each tag's look decides, and ``{{ .X }}`` goes to the Go reader, ``{{ $x
}}`` to Blade's (so do Blade's ``{!! !!}`` and ``{{-- --}}``, and Go's ``{{/* */}}``).

Fallback forms (``has_fallback``):

* Liquid / Jinja / HubL / Klaviyo / Braze: ``| default: "x"``, ``|default('x')``,
  ``|d('x')``, ``or "x"``, ``x if x else "y"``; HubSpot
  ``personalization_token('contact.firstname', 'x')``; Klaviyo ``person|lookup:'First
  Name'``; Braze ``{{${first_name} | default: 'x'}}``;
* Handlebars / Mustache / Postmark / SendGrid / Iterable: ``{{insert x "default=y"}}``,
  ``{{defaultIfEmpty x "y"}}``, helper calls ``{{capitalize firstName}}`` name their
  argument;
* Django ``|default:"x"``, ``|default_if_none:"x"``, ``{% firstof x "y" %}``; ``{% trans
  "text" %}`` prints its text, ``{% blocktrans %}``/``{% trans %}`` blocks keep theirs as
  prose; Twig ``|default('x')``, Nunjucks ``| default("x")``;
* Marketo ``{{lead.x:default=y}}`` (a ``{{ }}`` tag, so it is read here).

Conditions (``{% if x %}``, ``{{#if x}}``, ``{{#x}}``, ``{{^x}}``, ``{% unless %}``) and
assignments (``{% assign %}``, ``{% set %}``, ``{% with %}``) are recorded on the tag for
the if-guard pass.
"""

from __future__ import annotations

import itertools
import re

from .blade import _describe_blade_echo
from .expressions import _MAX_ASSIGNS, _MAX_VALUE, _is_default
from .gotemplate import _describe_go
from .tags import (
    _MAX_BLOCK,
    _MAX_COND_NAMES,
    _MAX_CURLY,
    _STRING,
    TEMPLATE_ENGINES,
    FoundTag,
    _CachedFind,
    _has_fallback,
    _Info,
    _strip_ws_control,
)

#: Tag words of the ``{% %}`` syntaxes (any other first word names the tag).
_LIQUID_CONTROL_LIST = (
    "if elsif elif else endif unless endunless for endfor case when endcase comment "
    "endcomment raw endraw capture endcapture assign set endset block endblock "
    "include render with endwith macro endmacro call endcall tablerow endtablerow "
    "cycle increment decrement break continue liquid extends import from filter "
    "endfilter trans endtrans autoescape endautoescape do layout section schema "
    "endschema connected_content abort_message"
)
_LIQUID_CONTROL = frozenset(_LIQUID_CONTROL_LIST.split())
#: Block openers that are no condition (their ``end...`` closes them).
_LIQUID_OPEN_LIST = (
    "for case capture tablerow block macro call filter with autoescape trans raw schema "
    "spaceless blocktrans blocktranslate language localize localtime timezone cache verbatim "
    "embed apply sandbox ifchanged ifequal ifnotequal"
)
_LIQUID_OPEN = frozenset(_LIQUID_OPEN_LIST.split())
#: Words of a condition that are no field name.
_COND_WORD_LIST = (
    "and or not is none blank empty nil null defined undefined true false in contains "
    "size present if else eq ne gt lt gte lte exists length"
)
_COND_WORDS = frozenset(_COND_WORD_LIST.split())
#: A condition with one of these (after ``not``) is true when the field is *empty*.
_NEGATING = (
    "== blank", "== empty", "== nil", "== null", "== none", '== ""', "== ''",
    "is none", "is not defined", "is undefined", "is empty", "is blank", "is null",
)
#: Words after a first word that make ``{{ a b }}`` an expression, not a helper call.
_OPERATOR_WORD_LIST = "or and if else is not in == != || && ?? ~ + - * / < > <= >="
_OPERATOR_WORDS = frozenset(_OPERATOR_WORD_LIST.split())
#: Handlebars/Iterable helpers whose last argument is the default value.
_DEFAULT_HELPERS = frozenset({"defaultifempty", "default", "defaultvalue", "fallback"})

#: A field reference: ``user.first_name``, ``items[0]``, ``first-name``.
_IDENT = re.compile(r"[A-Za-z_][\w.\-]{0,80}(?:\[[^\]\n]{0,40}\])?")
_HELPER_NAME = re.compile(r"[A-Za-z_][\w\-]{0,60}")

_COND_IDENT = re.compile(
    r"\$\{([A-Za-z_][\w.]{0,80})\}|@?([A-Za-z_][\w.\-]{0,80}(?:\[[^\]\n]{0,40}\])?)"
)
_LOOKUP = re.compile(r"lookup\s{0,5}:\s{0,5}[\"']([^\"'\n]{1,60})[\"']")
_STRING_ARGS = re.compile(r"[\"']([^\"'\n]{0,100})[\"']")

_ENDCOMMENT = re.compile(r"\{%-?\s{0,10}endcomment\s{0,10}-?%\}")
_CURLY_OPEN = re.compile(r"\{[{%#!]")
#: Unambiguous looks: ``{{ .X }}``, ``{{ $v := x }}``, ``{{template "x" .}}`` are Go's;
#: ``{{ $x }}`` is Blade's (unless the file is Go's; ``{{ $t('k') }}`` is Vue's i18n).
_GO_START = re.compile(
    r"\.[A-Za-z_]|/\*|\$[A-Za-z_]\w{0,60}\s{0,5}:=|(?:template|define|block)[ \t]{1,5}[\"`]"
)
_BLADE_START = re.compile(r"\$[A-Za-z_]\w{0,60}(?![\w(])")
#: The first characters those looks can start with.
_LOOK_FIRST = "./$tdb"
_GO_COMMENT_OPEN = re.compile(r"\{\{-?[ \t]{0,3}/\*")
_GO_COMMENT_CLOSE = re.compile(r"\s{0,3}-?\}\}")
#: ``name=value`` pairs of ``{% with %}``, ``{% blocktrans with %}``, ``{% trans %}``.
_KW_ASSIGN = re.compile(r"([A-Za-z_]\w{0,60})\s{0,3}=(?!=)\s{0,3}")

#: Marketo tokens ``{{lead.FirstName}}``: the objects they start with.
_MARKETO_PREFIXES = ("lead.", "company.", "my.", "system.", "program.", "trigger.", "member.")

#: Engines whose syntax ``{{ ... }}`` is (an ERB file's ``{{ }}`` are read by their look).
_CURLY_ENGINES = TEMPLATE_ENGINES - {"erb"}
#: Engines whose syntax ``{% ... %}`` is; ``{# #}`` comments are the Jinja family's.
_PERCENT_ENGINES = frozenset({"liquid", "jinja", "nunjucks", "django", "twig"})
_HASH_COMMENT_ENGINES = frozenset({"jinja", "nunjucks", "django", "twig"})


def _cond_names(expr: str) -> tuple[str, ...]:
    """Field names a condition mentions (string literals and operators left out)."""
    expr = _STRING.sub(" ", expr[:600])
    names: list[str] = []
    for m in _COND_IDENT.finditer(expr):
        name = m.group(1) or m.group(2) or ""
        if not name or name.lower() in _COND_WORDS or name.lower().startswith("end"):
            continue
        names.append(name)
        if len(names) >= _MAX_COND_NAMES:
            break
    return tuple(names)


def _cond_negated(expr: str) -> bool:
    """Whether the condition holds when the field is empty (``not x``, ``x == blank``)."""
    e = " ".join(expr.lower().split())
    negated = e.startswith(("not ", "not(", "!"))
    if any(marker in e for marker in _NEGATING):
        negated = not negated
    return negated


def _string_args(text: str) -> list[str]:
    """The quoted arguments of a helper call, in order."""
    return [m.group(1) for m in _STRING_ARGS.finditer(text)]


def _describe_block_curly(body: str) -> _Info:
    """``{{#if x}}``, ``{{/if}}``, ``{{else}}``, ``{{^x}}``, ``{{#x}}``, ``{{> partial}}``."""
    rest = body.lstrip("#/^>* ")
    parts = rest.split(None, 1)
    arg = parts[1] if len(parts) > 1 else ""
    m = _IDENT.match(arg.strip())
    name = m.group(0) if m else ""
    first = body[0]
    head = parts[0].lower() if parts else ""
    if first == "/":
        return _Info("handlebars", name, False, True, "end")
    if body == "else" or body.startswith("else "):
        tail = body[4:].strip()
        word, _, expr = tail.partition(" ")
        if word in ("if", "unless"):
            cond = _cond_names(expr)
            negated = _cond_negated(expr) != (word == "unless")
            return _Info("handlebars", cond[0] if cond else "", False, True, "elif", cond, negated)
        return _Info("handlebars", "", False, True, "else")
    if first == "^":  # inverted section: renders when the field is empty
        field = parts[0] if parts else ""
        return _Info("handlebars", name, False, True, "if", (field,) if field else (), True)
    if first == "#":
        if head in ("if", "unless"):
            cond = _cond_names(arg)
            negated = _cond_negated(arg) != (head == "unless")
            return _Info("handlebars", name, False, True, "if", cond, negated)
        if not arg and parts:  # a Mustache section {{#firstName}}...{{/firstName}}
            return _Info("handlebars", name, False, True, "if", (parts[0],), False)
        return _Info("handlebars", name, False, True, "loop" if head == "each" else "open")
    return _Info("handlebars", name, False, True)  # partials {{> x}}, decorators


def _describe_double_curly(content: str, triple: bool) -> _Info:
    """What a ``{{ ... }}`` tag is: syntax, field name, fallback, control keyword."""
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
        return _Info("handlebars", "comment", False, True)
    if body[:1] in ("#", "/", "^", ">", "*") or body == "else" or body.startswith("else "):
        return _describe_block_curly(body)
    fallback = _has_fallback(body)
    if syntax == "marketo":
        name = body.split(":default=", 1)[0].strip()
        return _Info(syntax, name, fallback, False)
    if "${" in body and "}" in body:  # Braze: {{${first_name}}}, {{custom_attribute.${x}}}
        at = body.index("${")
        close = body.find("}", at)
        if close != -1:
            return _Info("liquid", body[at + 2 : close].strip(), fallback, False)
    if body.startswith("insert "):  # SendGrid: {{insert name "default=Customer"}}
        parts = body.split(None, 2)
        name = parts[1] if len(parts) > 1 else ""
        return _Info("handlebars", name, fallback, False)
    if body.startswith("personalization_token"):  # HubSpot
        args = _string_args(body)
        name = args[0] if args else ""
        has_default = len(args) > 1 and bool(args[1].strip())
        return _Info("hubspot", name, has_default, False)
    if syntax == "liquid":
        lookup = _LOOKUP.search(body)  # Klaviyo: {{ person|lookup:'First Name' }}
        if lookup is not None:
            return _Info(syntax, lookup.group(1), fallback, False)
    else:
        words = body.split()
        if (
            len(words) >= 2
            and _HELPER_NAME.fullmatch(words[0])
            and words[1] not in _OPERATOR_WORDS
            and _IDENT.fullmatch(words[1])
        ):
            # a helper call: {{capitalize firstName}}, {{defaultIfEmpty firstName "x"}}
            if words[0].lower() in _DEFAULT_HELPERS:
                args = _string_args(body)
                fallback = bool(args) and bool(args[-1].strip())
            return _Info("handlebars", words[1], fallback, False)
    m = _IDENT.match(body)
    return _Info(syntax, m.group(0) if m else "", fallback, False)


def _pair_assigns(rest: str) -> tuple[tuple[str, str, bool], ...]:
    """Variables set by ``{% with a=b c=d %}``, ``{% with b as a %}``, ``{% blocktrans with
    a=b %}``, ``{% trans a=b %}``: (variable, field it copies, set with a default)."""
    words = rest.split()
    if len(words) == 3 and words[1] == "as":
        source = _IDENT.match(words[0])
        return ((words[2], source.group(0) if source else "", _has_fallback(words[0])),)
    pairs = list(itertools.islice(_KW_ASSIGN.finditer(rest), _MAX_ASSIGNS))
    assigns: list[tuple[str, str, bool]] = []
    for k, m in enumerate(pairs):
        stop = pairs[k + 1].start() if k + 1 < len(pairs) else len(rest)
        value = rest[m.end() : min(stop, m.end() + _MAX_VALUE)].strip().rstrip(",")
        source = _IDENT.match(value)
        assigns.append((m.group(1), source.group(0) if source else "", _has_fallback(value)))
    return tuple(assigns)


def _describe_translation(keyword: str, rest: str, engine: str | None) -> _Info | None:
    """Django's ``{% trans "x" %}`` / ``{% translate "x" %}`` print their text (output, no
    field); ``... as var`` sets a variable. Jinja's ``{% trans %}`` block is None here."""
    literal = rest[:1] in ("'", '"')
    if not (literal or keyword == "translate" or (engine == "django" and rest)):
        return None
    words = rest.split()
    if len(words) >= 3 and words[-2] == "as":
        return _Info("liquid", "", False, True, "assign", assigns=((words[-1], "", False),))
    if literal:
        return _Info("liquid", "", False, False)
    m = _IDENT.match(rest)
    return _Info("liquid", m.group(0) if m else "", False, False)


def _describe_firstof(rest: str) -> _Info:
    """Django's ``{% firstof a b "default" %}``: prints the first filled one."""
    words = rest.split()
    assign = len(words) >= 3 and words[-2] == "as"
    args = words[:-2] if assign else words
    name = next((m.group(0) for w in args if (m := _IDENT.fullmatch(w))), "")
    fallback = any(_is_default(m.group(0)) for m in _STRING.finditer(rest)) or (
        sum(1 for w in args if _IDENT.fullmatch(w)) > 1
    )
    if assign:
        return _Info("liquid", "", False, True, "assign", assigns=((words[-1], name, fallback),))
    return _Info("liquid", name, fallback, False)


def _describe_percent_curly(content: str, engine: str | None = None) -> _Info:
    """What a ``{% ... %}`` tag is (control, except Liquid's ``echo``, Django's
    ``firstof`` and ``trans "text"``)."""
    body = _strip_ws_control(content)
    parts = body.split(None, 1)
    keyword = parts[0].lower() if parts else ""
    rest = parts[1] if len(parts) > 1 else ""
    if keyword == "echo":
        m = _IDENT.match(rest)
        return _Info("liquid", m.group(0) if m else "", _has_fallback(rest), False)
    if keyword == "firstof":
        return _describe_firstof(rest)
    if keyword in ("trans", "translate"):
        translated = _describe_translation(keyword, rest, engine)
        if translated is not None:
            return translated
    if keyword in ("comment", "endcomment") or keyword.startswith("#"):
        return _Info("liquid", "comment", False, True)
    fallback = _has_fallback(rest)
    cond: tuple[str, ...] = ()
    negated = False
    kw = ""
    assigns: tuple[tuple[str, str, bool], ...] = ()
    if keyword in ("if", "elsif", "elif", "unless"):
        cond = _cond_names(rest)
        negated = _cond_negated(rest) != (keyword == "unless")
        kw = "elif" if keyword in ("elsif", "elif") else "if"
    elif keyword == "when":
        kw = "elif"
    elif keyword == "else":
        kw = "else"
    elif keyword.startswith("end"):
        kw = "end"
    elif keyword in ("assign", "set") and "=" in rest:
        var, _, value = rest.partition("=")
        source = _IDENT.match(value.strip())
        src = source.group(0) if source else ""
        kw = "assign"
        assigns = ((var.strip(), src, fallback),)
    elif keyword in _LIQUID_OPEN or keyword == "set":
        kw = "open"
        if keyword in ("with", "blocktrans", "blocktranslate", "trans") and rest:
            assigns = _pair_assigns(rest.removeprefix("with ").removeprefix("count "))
    if kw in ("if", "elif"):
        name = cond[0] if cond else ""
    else:
        m = _IDENT.match(rest.lstrip("( "))
        name = m.group(0) if m and keyword == "when" else ""
    if keyword not in _LIQUID_CONTROL and not name:
        name = keyword
    return _Info("liquid", name, fallback, True, kw, cond, negated, assigns)


def _describe_curly(inner: str, triple: bool, reader: str | None) -> _Info:
    """A ``{{ }}`` tag read as ``reader``'s syntax (None: told apart by its look)."""
    if reader == "go":
        return _describe_go(inner)
    if reader == "blade":
        return _describe_blade_echo(inner)
    if reader is None and not triple:
        body = _strip_ws_control(inner)
        first = body[:1]
        if first in _LOOK_FIRST and first:  # cheap test first: most tags are neither
            if _GO_START.match(body):
                return _describe_go(inner)
            if _BLADE_START.match(body):
                return _describe_blade_echo(body)
    info = _describe_double_curly(inner, triple)
    return info if reader is None or info.syntax == reader else info._replace(syntax=reader)


def _scan_curly(text: str, out: list[FoundTag], engine: str | None = None) -> None:
    """``{{ }}``, ``{{{ }}}``, ``{% %}`` (with comment blocks) and ``{# #}``; Blade's
    ``{!! !!}`` and ``{{-- --}}``, Go's ``{{/* */}}``. ``engine`` says whose syntax
    ``{{ }}`` and ``{% %}`` are (None: each tag's look decides)."""
    reader = engine if engine in _CURLY_ENGINES else None
    percent = engine if engine in _PERCENT_ENGINES else None
    blade = reader in (None, "blade")
    go = reader in (None, "go")
    close2 = _CachedFind(text, "}}")
    close3 = _CachedFind(text, "}}}")
    close_pct = _CachedFind(text, "%}")
    close_hash = _CachedFind(text, "#}")
    close_hb_comment = _CachedFind(text, "--}}")
    close_raw = _CachedFind(text, "!!}")
    close_star = _CachedFind(text, "*/")
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
            comment = ""
            limit = _MAX_CURLY + 6
            end = -1
            gm = _GO_COMMENT_OPEN.match(text, i) if go and text[i + 2 : i + 3] in "-/ " else None
            if text.startswith("{{!--", i):
                j = close_hb_comment.find(i + 5)
                end = j + 4 if j != -1 else -1
            elif blade and text.startswith("{{--", i):
                j = close_hb_comment.find(i + 4)
                end, comment, limit = (j + 4 if j != -1 else -1), "blade", _MAX_BLOCK
            elif gm is not None and (j := close_star.find(gm.end())) != -1 and (
                cm := _GO_COMMENT_CLOSE.match(text, j + 2)
            ):
                end, comment, limit = cm.end(), "go", _MAX_BLOCK
            elif triple:
                j = close3.find(i + 3)
                end = j + 3 if j != -1 else -1
            else:
                j = close2.find(i + 2)
                end = j + 2 if j != -1 else -1
                # Braze's {{${first_name}}}: its own }} comes after the first; any other
                # brace inside ({{ "{{" }}) is text, and the first }} ends the tag
                if end != -1 and j - i <= _MAX_CURLY and "${" in text[i + 2 : j]:
                    end = _balanced_end(text, i + 2, min(n, i + 2 + _MAX_CURLY))
            if end == -1 or end - i > limit:
                pos = i + 2
                continue
            if comment:
                info = _Info(reader or comment, "comment", False, True)
            else:
                inner = text[i + (3 if triple else 2) : end - (3 if triple else 2)]
                escaped = reader == "blade" and text[i - 1 : i] == "@"  # @{{ }}: for JavaScript
                info = _describe_curly(inner, triple, None if escaped else reader)
            out.append(info.at(i, end))
            pos = end
        elif kind == "!":
            if not (blade and text.startswith("{!!", i)):
                pos = i + 1
                continue
            j = close_raw.find(i + 3)
            if j == -1 or j - i > _MAX_CURLY:
                pos = i + 3
                continue
            out.append(_describe_blade_echo(text[i + 3 : j]).at(i, j + 3))
            pos = j + 3
        elif kind == "%":
            j = close_pct.find(i + 2)
            if j == -1 or j - i > _MAX_CURLY:
                pos = i + 2
                continue
            end = j + 2
            info = _describe_percent_curly(text[i + 2 : j], percent)
            # {% comment %} or Django's {% comment "a note" %}: a block up to {% endcomment %}
            if info.name == "comment" and _strip_ws_control(
                    text[i + 2 : j]).split(None, 1)[0].lower() == "comment":
                if endcomment_at == -2 or (endcomment_at != -1 and endcomment_at < end):
                    em = _ENDCOMMENT.search(text, end)
                    endcomment_at, endcomment_end = (em.start(), em.end()) if em else (-1, -1)
                if endcomment_at != -1:
                    end = endcomment_end
            if percent is not None:
                info = info._replace(syntax=percent)
            out.append(info.at(i, end))
            pos = end
        else:  # "{#"
            j = close_hash.find(i + 2)
            if j == -1 or j - i > _MAX_CURLY:
                pos = i + 2
                continue
            syntax = percent if percent in _HASH_COMMENT_ENGINES else "jinja"
            out.append(FoundTag(i, j + 2, syntax or "jinja", "comment", False, True))
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
