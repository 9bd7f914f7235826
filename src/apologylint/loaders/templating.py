"""Find template tags (Liquid, Jinja, Handlebars, Mailchimp, AMPscript, ...) in text.

Template files contain tags that are syntax, not prose; rendered mail may contain
left-over tags. Both cases need the same scanner. It runs in linear time: every pattern
has bounded quantifiers, and tags whose closer may be far away (``{{``, ``{%``, ``%%[``)
are closed with :meth:`str.find` whose result is cached, so no part of the text is
searched twice for the same closer.

Syntaxes and their fallback forms (``has_fallback``; docs/templates.md has the table):

* Liquid / Jinja / HubL / Klaviyo / Braze: ``| default: "x"``, ``|default('x')``,
  ``|d('x')``, ``or "x"``, ``x if x else "y"``; HubSpot
  ``personalization_token('contact.firstname', 'x')``; Klaviyo ``person|lookup:'First
  Name'``; Braze ``{{${first_name} | default: 'x'}}``;
* Handlebars / Mustache / Postmark / SendGrid / Iterable: ``{{insert x "default=y"}}``,
  ``{{defaultIfEmpty x "y"}}``, helper calls ``{{capitalize firstName}}`` name their
  argument;
* Mailchimp ``*|FNAME|*`` (modifiers ``*|TITLE:FNAME|*`` name FNAME), AMPscript
  ``%%=IIF(Empty(@x), "y", @x)=%%``, Campaign Monitor ``[x,fallback=y]``, Marketo
  ``{{lead.x:default=y}}``, Mautic ``{contactfield=x|y}``, FreeMarker ``${x!"y"}``;
* an **if-guard** counts as a fallback in every syntax: a tag inside the true branch of a
  condition that tests the same field (``{% if first_name %}``, ``{{#if firstName}}``,
  ``{{#firstName}}``, ``*|IF:FNAME|*``, ``%%[ IF NOT Empty(@fn) THEN ]%%``, the else
  branch of ``{% unless x %}``/``{{^x}}``/``*|IFNOT:X|*``), and a variable assigned with
  a default (``{% assign n = first_name | default: "x" %}``, AMPscript ``SET @fn = ...``
  checked with ``Empty(@fn)`` in the same block) is guarded from then on. The pass that
  applies guards keeps per-name counters, so it is linear too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import NamedTuple

from ..model import Span, TemplateTag

__all__ = [
    "FoundTag",
    "field_key",
    "find_template_tags",
    "map_span",
    "mask_intervals",
    "to_template_tags",
]


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
#: Longest AMPscript ``%%[ ... ]%%`` block.
_MAX_AMP_BLOCK = 20000
#: Field names one condition may list (``{% if a and b %}``); more are ignored.
_MAX_COND_NAMES = 8

#: Field names that make a bare ``[name]`` or ``<name>`` a placeholder (lower case,
#: separators removed).
_FIELD_WORD_LIST = (
    "name firstname lastname fullname fname lname surname givenname familyname email "
    "emailaddress company companyname city salutation username customername "
    "recipientname contactname imie imię nazwisko firma miasto nombre prenom vorname"
)
_FIELD_WORDS = frozenset(_FIELD_WORD_LIST.split())

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
    "for case capture tablerow block macro call filter with autoescape trans raw schema"
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
#: Mailchimp merge-tag modifiers: ``*|TITLE:FNAME|*`` inserts FNAME.
_MAILCHIMP_MODIFIERS = ("UPPER:", "LOWER:", "TITLE:", "HTML:")

_IDENT = re.compile(r"[A-Za-z_][\w.\-]{0,80}(?:\[[^\]\n]{0,40}\])?")
_HELPER_NAME = re.compile(r"[A-Za-z_][\w\-]{0,60}")
_FALLBACK = re.compile(
    r"\|\s{0,5}(?:default|d)\s{0,5}[:(]\s{0,5}(?P<v1>[^\s)|}]{0,3})"
    r"|(?:default|fallback)\s{0,5}=\s{0,5}(?P<v2>[\"'][^\"']{0,1}|[^\s\"'}\]|]{0,1})"
    r"|defaultIfEmpty|\?\?|\s(?:or|\|\|)\s{1,5}\S",
    re.IGNORECASE,
)
_EMPTY_FALLBACKS = frozenset({"", '""', "''", '"', "'", ")", '")', "')"})
_STRING = re.compile(r"\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'")
_COND_IDENT = re.compile(
    r"\$\{([A-Za-z_][\w.]{0,80})\}|@?([A-Za-z_][\w.\-]{0,80}(?:\[[^\]\n]{0,40}\])?)"
)
_LOOKUP = re.compile(r"lookup\s{0,5}:\s{0,5}[\"']([^\"'\n]{1,60})[\"']")
_STRING_ARGS = re.compile(r"[\"']([^\"'\n]{0,100})[\"']")

_MAILCHIMP = re.compile(r"\*\|([^|*\n]{1,80})\|\*")
_MC_OPERATOR = re.compile(r"\s{0,5}(?:!=|==|=|>|<)")
_AMP_INLINE = re.compile(r"%%=(?s:.{1,500}?)=%%")
_AMP_VAR = re.compile(r"@([A-Za-z_]\w{0,60})")
_AMP_ATTR = re.compile(r"\(\s{0,5}\"?([A-Za-z_][\w ]{0,60})")
_AMP_PERSONAL = re.compile(r"%%([A-Za-z_][A-Za-z0-9_ .\-]{0,60})%%")
_AMP_WORD = re.compile(r"[A-Za-z]{1,10}")
_AMP_SET = re.compile(r"\bset\s{1,10}@(\w{1,60})\s{0,10}=(?!=)", re.IGNORECASE)
_AMP_CHECKED = re.compile(
    r"(?:empty|isnull|length)\s{0,5}\(\s{0,5}@(\w{1,60})|@(\w{1,60})\s{0,5}[!=<>]=",
    re.IGNORECASE,
)
_AMP_COND_ATTR = re.compile(
    r"(?:empty|isnull|attributevalue)\s{0,5}\(\s{0,5}\"?\[?([A-Za-z_][\w ]{0,60}?)\]?\"?\s{0,5}\)",
    re.IGNORECASE,
)
_AMP_SOURCE = re.compile(
    r"\s{0,10}(?:attributevalue\s{0,5}\(\s{0,5}\"([^\"\n]{1,60})\"|\[([^\]\n]{1,60})\]"
    r"|@(\w{1,60})|([A-Za-z_]\w{0,60})(?![\w(]))",
    re.IGNORECASE,
)
_AMP_IF = re.compile(r"\bif\b", re.IGNORECASE)
_AMP_THEN = re.compile(r"\bthen\b", re.IGNORECASE)
_BRACKET = re.compile(
    r"\[([^\W\d_]\w{0,40}(?: [^\W\d_]\w{0,20}){0,2})"
    r"(?:,\s{0,3}fallback=([^\]\n]{0,100}))?\](?![(\[])"
)
_MAUTIC = re.compile(r"\{(contactfield|leadfield)=([A-Za-z0-9_]{1,60})(\|[^}\n]{0,100})?\}")
_DOLLAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]{0,60})(?:(!|:-|\?\?)([^}\n]{0,100}))?\}")
_SMARTY = re.compile(r"\{\$([A-Za-z_][A-Za-z0-9_.]{0,60})(\|[^}\n]{0,100})?\}")
_ANGLE = re.compile(r"<([^\W\d_]\w{1,40}(?: [^\W\d_]\w{0,20}){0,3})>")
#: The ``-`` comes first and the look-behind after it (``-(?<![\w-]-)`` is the same test
#: as ``(?<![\w-])-``) so that the engine jumps from dash to dash instead of trying the
#: look-behind at every position: 41 ms -> 2 ms over the bench corpus's HTML.
_SENDGRID = re.compile(r"-(?<![\w\-]-)([a-z][a-z0-9]{0,30}(?:_[a-z0-9]{1,30}){1,4})-(?![\w\-])")
_ENDCOMMENT = re.compile(r"\{%-?\s{0,10}endcomment\s{0,10}-?%\}")
_CURLY_OPEN = re.compile(r"\{[{%#]")

_MARKETO_PREFIXES = ("lead.", "company.", "my.", "system.", "program.", "trigger.", "member.")


class _Info(NamedTuple):
    """What a tag's content says, before its position is known."""

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


def _looks_like_field(name: str) -> bool:
    """True for names that are clearly merge fields rather than words in brackets."""
    if "_" in name:
        return True
    compact = name.replace(" ", "")
    if compact.lower() in _FIELD_WORDS:
        return True
    if " " in name:
        if not compact[:1].isupper():
            return False
        if compact.lower().endswith("name"):
            return True
        # "Imię i nazwisko", "Customer City": a capitalised phrase holding a field word
        return any(word in _FIELD_WORDS for word in name.lower().split())
    # an upper-case letter after a lower-case one: FirstName, firstName
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(name))


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
    content = content.strip()
    if content[:1] in ("-", "~"):
        content = content[1:]
    if content[-1:] in ("-", "~"):
        content = content[:-1]
    return content.strip()


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


def _describe_percent_curly(content: str) -> _Info:
    """What a ``{% ... %}`` tag is (always control, except Liquid's ``echo``)."""
    body = _strip_ws_control(content)
    parts = body.split(None, 1)
    keyword = parts[0].lower() if parts else ""
    rest = parts[1] if len(parts) > 1 else ""
    if keyword == "echo":
        m = _IDENT.match(rest)
        return _Info("liquid", m.group(0) if m else "", _has_fallback(rest), False)
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
    if kw in ("if", "elif"):
        name = cond[0] if cond else ""
    else:
        m = _IDENT.match(rest.lstrip("( "))
        name = m.group(0) if m and keyword == "when" else ""
    if keyword not in _LIQUID_CONTROL and not name:
        name = keyword
    return _Info("liquid", name, fallback, True, kw, cond, negated, assigns)


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


def _scan_curly(text: str, out: list[FoundTag]) -> None:
    """``{{ }}``, ``{{{ }}}``, ``{% %}`` (with comment blocks) and ``{# #}``."""
    close2 = _CachedFind(text, "}}")
    close3 = _CachedFind(text, "}}}")
    close_pct = _CachedFind(text, "%}")
    close_hash = _CachedFind(text, "#}")
    close_hb_comment = _CachedFind(text, "--}}")
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
            if text.startswith("{{!--", i):
                j = close_hb_comment.find(i + 5)
                end = j + 4 if j != -1 else -1
            elif triple:
                j = close3.find(i + 3)
                end = j + 3 if j != -1 else -1
            else:
                j = close2.find(i + 2)
                end = j + 2 if j != -1 else -1
                if end != -1 and j - i <= _MAX_CURLY and "{" in text[i + 2 : j]:
                    end = _balanced_end(text, i + 2, min(n, i + 2 + _MAX_CURLY))
            if end == -1 or end - i > _MAX_CURLY + 6:
                pos = i + 2
                continue
            inner = text[i + (3 if triple else 2) : end - (3 if triple else 2)]
            out.append(_describe_double_curly(inner, triple).at(i, end))
            pos = end
        elif kind == "%":
            j = close_pct.find(i + 2)
            if j == -1 or j - i > _MAX_CURLY:
                pos = i + 2
                continue
            end = j + 2
            info = _describe_percent_curly(text[i + 2 : j])
            if info.name == "comment" and _strip_ws_control(text[i + 2 : j]).lower() == "comment":
                if endcomment_at == -2 or (endcomment_at != -1 and endcomment_at < end):
                    em = _ENDCOMMENT.search(text, end)
                    endcomment_at, endcomment_end = (em.start(), em.end()) if em else (-1, -1)
                if endcomment_at != -1:
                    end = endcomment_end
            out.append(info.at(i, end))
            pos = end
        else:  # "{#"
            j = close_hash.find(i + 2)
            if j == -1 or j - i > _MAX_CURLY:
                pos = i + 2
                continue
            out.append(FoundTag(i, j + 2, "jinja", "comment", False, True))
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


def _amp_negated(cond: str) -> bool:
    """An AMPscript condition that holds when the field is empty (``Empty(@x)``)."""
    e = " ".join(cond.upper().split())
    empty_test = "EMPTY(" in e.replace("EMPTY (", "EMPTY(") or "ISNULL(" in e
    positive_test = "NOT EMPTY" in e or "NOT ISNULL" in e or "NOT(EMPTY" in e or "!=" in e
    return (empty_test and not positive_test) or ('== ""' in e or "== ''" in e)


def _amp_cond_names(cond: str) -> tuple[str, ...]:
    names = [m.group(1) for m in _AMP_VAR.finditer(cond)]
    names.extend(m.group(1).strip() for m in _AMP_COND_ATTR.finditer(cond))
    return tuple(n for n in names if n)[:_MAX_COND_NAMES]


def _amp_block(content: str) -> _Info:
    """An AMPscript ``%%[ ... ]%%`` block: IF/ELSEIF/ELSE/ENDIF scoping and SET guards."""
    stripped = content.strip()
    wm = _AMP_WORD.match(stripped)
    first = wm.group(0).upper() if wm else ""
    upper = stripped.upper()
    kw = ""
    cond: tuple[str, ...] = ()
    negated = False
    if first in ("IF", "ELSEIF") and "ENDIF" not in upper:
        then = _AMP_THEN.search(stripped)
        expr = stripped[len(first) : then.start() if then else len(stripped)]
        kw = "if" if first == "IF" else "elif"
        cond, negated = _amp_cond_names(expr), _amp_negated(expr)
    elif first == "ELSE":
        kw = "else"
    elif first in ("ENDIF", "NEXT"):
        kw = "end"
    elif first == "FOR" and "NEXT" not in upper:
        kw = "open"
    checked = {(m.group(1) or m.group(2)).lower() for m in _AMP_CHECKED.finditer(stripped)}
    has_if = _AMP_IF.search(stripped) is not None
    sets = list(_AMP_SET.finditer(stripped))
    assigns: list[tuple[str, str, bool]] = []
    for k, m in enumerate(sets):
        stop = sets[k + 1].start() if k + 1 < len(sets) else len(stripped)
        value = stripped[m.end() : min(stop, m.end() + 400)]
        vu = value.upper()
        guarded = ("IIF(" in vu and ("EMPTY(" in vu or "ISNULL(" in vu)) or (
            has_if and m.group(1).lower() in checked
        )
        sm = _AMP_SOURCE.match(value)
        src = ""
        if sm is not None:
            src = (sm.group(1) or sm.group(2) or sm.group(3) or sm.group(4) or "").strip()
            if src.upper() in ("IIF", "IF", "V", "CONCAT", "PROPERCASE", "LOOKUP"):
                src = ""
        assigns.append((m.group(1), src, guarded))
    return _Info("ampscript", "", False, True, kw, cond, negated, tuple(assigns))


def _scan_ampscript(text: str, out: list[FoundTag]) -> None:
    close = _CachedFind(text, "]%%")
    pos = 0
    while True:
        i = text.find("%%[", pos)
        if i == -1:
            break
        j = close.find(i + 3)
        if j == -1 or j - i > _MAX_AMP_BLOCK:
            pos = i + 3
            continue
        out.append(_amp_block(text[i + 3 : j]).at(i, j + 3))
        pos = j + 3
    for m in _AMP_INLINE.finditer(text):
        inner = m.group(0)[3:-3]
        lowered = inner.lower()
        fallback = "iif(" in lowered or "empty(" in lowered or "isnull(" in lowered
        im = _AMP_VAR.search(inner) or _AMP_ATTR.search(inner)
        name = im.group(1) if im else ""
        out.append(FoundTag(m.start(), m.end(), "ampscript", name.strip(), fallback, False))
    for m in _AMP_PERSONAL.finditer(text):
        out.append(FoundTag(m.start(), m.end(), "ampscript", m.group(1).strip(), False, False))


def _scan_mailchimp(text: str, out: list[FoundTag]) -> None:
    for m in _MAILCHIMP.finditer(text):
        inner = m.group(1).strip()
        upper = inner.upper()
        info = _Info("mailchimp", inner, False, False)
        for prefix in ("IF:", "ELSEIF:", "IFNOT:", "INTERESTED:", "END:", "ELSE:"):
            if upper.startswith(prefix):
                field = _MC_OPERATOR.split(inner[len(prefix) :], maxsplit=1)[0].strip()
                if prefix in ("END:", "ELSE:"):
                    kw = "end" if prefix == "END:" else "else"
                    info = _Info("mailchimp", "", False, True, kw)
                elif prefix == "INTERESTED:":
                    info = _Info("mailchimp", field, False, True, "open")
                else:
                    kw = "elif" if prefix == "ELSEIF:" else "if"
                    cond = (field,) if field else ()
                    info = _Info("mailchimp", field, False, True, kw, cond, prefix == "IFNOT:")
                break
        else:
            for modifier in _MAILCHIMP_MODIFIERS:
                if upper.startswith(modifier):
                    info = _Info("mailchimp", inner[len(modifier) :].strip(), False, False)
                    break
        out.append(info.at(m.start(), m.end()))


def _scan_misc(text: str, out: list[FoundTag], *, angle: bool, html: bool) -> None:
    for m in _BRACKET.finditer(text):
        name = m.group(1)
        fallback_value = m.group(2)
        if fallback_value is None and not _looks_like_field(name):
            continue
        has_fallback = bool(fallback_value and fallback_value.strip())
        out.append(FoundTag(m.start(), m.end(), "campaignmonitor", name, has_fallback, False))
    for m in _MAUTIC.finditer(text):
        default = m.group(3)
        has_fallback = bool(default and default[1:].strip())
        out.append(FoundTag(m.start(), m.end(), "mautic", m.group(2), has_fallback, False))
    if "${" in text:
        for m in _DOLLAR.finditer(text):
            default = m.group(3)
            has_fallback = bool(default and default.strip().strip("\"'"))
            out.append(FoundTag(m.start(), m.end(), "dollar", m.group(1), has_fallback, False))
    if "{$" in text:
        for m in _SMARTY.finditer(text):
            has_fallback = bool(m.group(2)) and _has_fallback(m.group(2))
            out.append(FoundTag(m.start(), m.end(), "smarty", m.group(1), has_fallback, False))
    if "-" in text:
        for m in _SENDGRID.finditer(text):
            out.append(FoundTag(m.start(), m.end(), "sendgrid", m.group(1), False, False))
    if angle:
        for m in _ANGLE.finditer(text):
            name = m.group(1)
            if html and name.split(" ", 1)[0].lower() in _HTML_ELEMENTS:
                continue
            if not _looks_like_field(name):
                continue
            out.append(FoundTag(m.start(), m.end(), "angle", name, False, False))


_HTML_ELEMENT_NAMES = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button "
    "canvas caption center cite code col colgroup data datalist dd del details dfn dialog "
    "div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head "
    "header hgroup hr html i iframe img input ins kbd label legend li link main map mark "
    "meta meter nav noscript object ol optgroup option output p param picture pre progress "
    "q rp rt ruby s samp script section select small source span strike strong style sub "
    "summary sup table tbody td template textarea tfoot th thead time title tr track tt u "
    "ul var video wbr o:p v:rect v:fill v:textbox xml"
)
_HTML_ELEMENTS = frozenset(_HTML_ELEMENT_NAMES.split())


def field_key(name: str) -> str:
    """A field name compared across syntaxes: ``${First_Name}``, ``@first-name`` and
    ``first name`` all give ``firstname`` (dotted paths are kept: ``contact.firstname``)."""
    n = name.strip()
    if n.startswith("${") and n.endswith("}"):
        n = n[2:-1]
    n = n.lstrip("@").lower()
    return n.translate(_KEY_DROP)


_KEY_DROP = str.maketrans("", "", " _-\"'")


class _Guards:
    """Open condition blocks, as per-name counters (so each tag costs O(1))."""

    def __init__(self) -> None:
        self.stack: list[tuple[tuple[str, ...], bool]] = []
        self.loops: list[bool] = []  # per stack entry: a Handlebars {{#each}}
        self.loop_depth = 0
        self.positive: dict[str, int] = {}
        self.tested: dict[str, int] = {}

    def _count(self, names: tuple[str, ...], positive: bool, step: int) -> None:
        for n in names:
            self.tested[n] = self.tested.get(n, 0) + step
            if positive:
                self.positive[n] = self.positive.get(n, 0) + step

    def push(self, names: tuple[str, ...], positive: bool, loop: bool = False) -> None:
        self.stack.append((names, positive))
        self.loops.append(loop)
        self.loop_depth += loop
        self._count(names, positive, 1)

    def pop(self) -> None:
        if self.stack:
            names, positive = self.stack.pop()
            self.loop_depth -= self.loops.pop()
            self._count(names, positive, -1)

    def replace(self, names: tuple[str, ...], positive: bool) -> None:
        loop = bool(self.loops) and self.loops[-1]
        if self.stack:
            self.pop()
        self.push(names, positive, loop)

    def flip(self) -> None:
        if self.stack:
            names, positive = self.stack[-1]
            self.replace(names, not positive)

    def guards(self, key: str) -> bool:
        return self.positive.get(key, 0) > 0

    def tests(self, key: str) -> bool:
        return self.tested.get(key, 0) > 0


def _is_bare(name: str) -> bool:
    return "." not in name and not name.startswith(("@", "this", "../"))


def _apply_guards(tags: list[FoundTag]) -> list[FoundTag]:
    """Mark tags inside an if-guard on their own field (or set with a default) as having
    a fallback, and resolve variables copied from a field (``SET @fn = [FirstName]``)."""
    if not any(t.keyword or t.assigns for t in tags):
        return tags
    g = _Guards()
    aliases: dict[str, str] = {}
    guarded: set[str] = set()
    result: list[FoundTag] = []
    for tag in tags:
        for var, src, with_default in tag.assigns:
            key = field_key(var)
            src_key = field_key(src) if src else ""
            if src and src_key != key:
                aliases[key] = src
            if with_default or g.tests(key) or (src_key and g.tests(src_key)):
                guarded.add(key)
            else:
                guarded.discard(key)
        kw = tag.keyword
        if kw == "if":
            g.push(tuple(field_key(n) for n in tag.cond), not tag.negated)
        elif kw == "elif":
            g.replace(tuple(field_key(n) for n in tag.cond), not tag.negated)
        elif kw == "else":
            g.flip()
        elif kw in ("open", "loop"):
            g.push((), True, kw == "loop")
        elif kw == "end":
            g.pop()
        if tag.is_control or not tag.name or tag.has_fallback:
            result.append(tag)
            continue
        key = field_key(tag.name)
        source = aliases.get(key)
        keys = (key, field_key(source)) if source else (key,)
        if any(k in guarded or g.guards(k) for k in keys):
            tag = tag._replace(has_fallback=True)
        if source:
            tag = tag._replace(name=source)
        elif g.loop_depth and tag.syntax in ("handlebars", "mustache") and _is_bare(tag.name):
            tag = tag._replace(name="this." + tag.name)  # {{#each items}}{{name}}: item's
        result.append(tag)
    return result


def find_template_tags(
    text: str, *, angle: bool = True, html: bool = False, engine: str | None = None
) -> list[FoundTag]:
    """All template tags in ``text``, sorted, non-overlapping (the earliest, longest wins).

    ``angle`` enables ``<FirstName>``-style placeholders; with ``html=True`` real HTML
    element names are never taken for one. A ``{% comment %}...{% endcomment %}`` block is
    one tag (``name == "comment"``) covering its content. Tags inside an if-guard on their
    own field get ``has_fallback=True`` (see the module docstring).
    """
    found: list[FoundTag] = []
    if "{" in text:
        _scan_curly(text, found)
    if "%%" in text:
        _scan_ampscript(text, found)
    if "*|" in text:
        _scan_mailchimp(text, found)
    _scan_misc(text, found, angle=angle, html=html)
    if not found:
        return found
    found.sort(key=lambda t: (t.start, -t.end))
    result: list[FoundTag] = []
    last_end = -1
    for tag in found:
        if tag.start >= last_end:
            result.append(tag)
            last_end = tag.end
    if any(t.syntax == "liquid" for t in result):
        # a file with Liquid tags is a Liquid template: its plain {{ x }} are Liquid too
        result = [t._replace(syntax="liquid") if t.syntax == "mustache" else t for t in result]
    return _apply_guards(result)


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
