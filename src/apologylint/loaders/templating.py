"""Find template tags (Liquid, Jinja, Handlebars, ERB, Blade, Go, Mailchimp, AMPscript ...).

Template files contain tags that are syntax, not prose; rendered mail may contain
left-over tags. Both cases need the same scanner. It runs in linear time: every pattern
has bounded quantifiers, and tags whose closer may be far away (``{{``, ``{%``, ``%%[``,
``<%``, ``{!!``) are closed with :meth:`str.find` whose result is cached, so no part of the
text is searched twice for the same closer; Blade's bracketed arguments are matched by
:class:`_ParenCloser`, which remembers every bracket one scan closed.

The ``engine`` hint (:data:`TEMPLATE_ENGINES`) says whose syntax ``{{ }}`` and ``{% %}``
are; without it a tag's look decides, as it always did, and the unambiguous new forms are
read too (ERB ``<% %>``, Go ``{{ .X }}`` and ``{{/* */}}``, Blade ``{{ $x }}``, ``{!! !!}``
and ``{{-- --}}``; Blade's ``@directives`` only for ``engine="blade"``: ``@media`` in CSS
and ``@handles`` are text elsewhere).

Syntaxes and their fallback forms (``has_fallback``; docs/templates.md has the table):

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
* ERB (Rails) ``<%= x || "y" %>``, ``<%= x.presence || 'y' %>``, ``<%= x.present? ? x : "y"
  %>``; the field of ``<%= @user.first_name.capitalize %>`` is ``user.first_name``;
* Blade (Laravel) ``{{ $x ?? 'y' }}``, ``{{ $x ?: 'y' }}``, old ``{{ $x or 'y' }}``; the field
  of ``{{ ucfirst($user->first_name) }}`` is ``user.first_name``;
* Go templates ``{{or .X "y"}}``, ``{{.X | default "y"}}``, ``{{default "y" .X}}``; names
  drop the leading dot and follow ``{{with}}``/``{{range}}`` scopes (:func:`_scope_go`);
* Mailchimp ``*|FNAME|*`` (modifiers ``*|TITLE:FNAME|*`` name FNAME), AMPscript
  ``%%=IIF(Empty(@x), "y", @x)=%%``, Campaign Monitor ``[x,fallback=y]``, Marketo
  ``{{lead.x:default=y}}``, Mautic ``{contactfield=x|y}``, FreeMarker ``${x!"y"}``;
* an **if-guard** counts as a fallback in every syntax: a tag inside the true branch of a
  condition that tests the same field (``{% if first_name %}``, ``{{#if firstName}}``,
  ``{{#firstName}}``, ``*|IF:FNAME|*``, ``%%[ IF NOT Empty(@fn) THEN ]%%``, ``<% if
  x.present? %>``, ``@if($x)``/``@isset($x)``, ``{{if .X}}``/``{{with .X}}``, the else
  branch of ``{% unless x %}``/``{{^x}}``/``*|IFNOT:X|*``/``@empty($x)``), and a variable
  assigned with a default (``{% assign n = first_name | default: "x" %}``, AMPscript ``SET
  @fn = ...`` checked with ``Empty(@fn)`` in the same block, ``<% n = x || "y" %>``, ``{{
  $n := or .X "y" }}``) is guarded from then on. The pass that applies guards keeps
  per-name counters, so it is linear too.

:func:`i18n_call` and :func:`template_reference` say what one tag's text means to the code
that assembles messages from template repositories: the translation it prints, the layout
it extends, the partial it includes, the slot or block it marks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import NamedTuple

from ..model import Span, TemplateTag

__all__ = [
    "TEMPLATE_ENGINES",
    "FoundTag",
    "I18nCall",
    "TemplateRef",
    "field_key",
    "find_template_tags",
    "i18n_call",
    "map_span",
    "mask_intervals",
    "template_reference",
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
#: Mailchimp merge-tag modifiers: ``*|TITLE:FNAME|*`` inserts FNAME.
_MAILCHIMP_MODIFIERS = ("UPPER:", "LOWER:", "TITLE:", "HTML:")

_IDENT = re.compile(r"[A-Za-z_][\w.\-]{0,80}(?:\[[^\]\n]{0,40}\])?")
_HELPER_NAME = re.compile(r"[A-Za-z_][\w\-]{0,60}")
_FALLBACK = re.compile(
    r"\|\s{0,5}(?:default_if_none|default|d)\s{0,5}[:(]\s{0,5}(?P<v1>[^\s)|}]{0,3})"
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

_MARKETO_PREFIXES = ("lead.", "company.", "my.", "system.", "program.", "trigger.", "member.")

#: Template engines a caller may name (``engine=``); None: every syntax, told by its look.
TEMPLATE_ENGINES = frozenset(
    {"handlebars", "mustache", "liquid", "jinja", "nunjucks", "django", "twig", "erb", "blade",
     "go"}
)
#: Engines whose syntax ``{{ ... }}`` is (an ERB file's ``{{ }}`` are read by their look).
_CURLY_ENGINES = TEMPLATE_ENGINES - {"erb"}
#: Engines whose syntax ``{% ... %}`` is; ``{# #}`` comments are the Jinja family's.
_PERCENT_ENGINES = frozenset({"liquid", "jinja", "nunjucks", "django", "twig"})
_HASH_COMMENT_ENGINES = frozenset({"jinja", "nunjucks", "django", "twig"})


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
                end, comment, limit = (j + 4 if j != -1 else -1), "blade", _MAX_AMP_BLOCK
            elif gm is not None and (j := close_star.find(gm.end())) != -1 and (
                cm := _GO_COMMENT_CLOSE.match(text, j + 2)
            ):
                end, comment, limit = cm.end(), "go", _MAX_AMP_BLOCK
            elif triple:
                j = close3.find(i + 3)
                end = j + 3 if j != -1 else -1
            else:
                j = close2.find(i + 2)
                end = j + 2 if j != -1 else -1
                if end != -1 and j - i <= _MAX_CURLY and "{" in text[i + 2 : j]:
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
            if info.name == "comment" and _strip_ws_control(text[i + 2 : j]).lower() == "comment":
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


# -- expressions of the code-bearing engines (ERB, Blade, Go) ------------------------------
#
# ERB holds Ruby, Blade holds PHP and Go templates hold Go pipelines. A field name, a
# default or a condition is read from the tag's code after :func:`_flatten` has blanked
# string literals and the inside of brackets: operators at the top level (``||``, ``??``,
# a pipe) are then found with ``str.find``, in one pass over the tag.

#: Longest ERB tag ``<% ... %>`` (a code block may be long; a stray ``<%`` must not swallow
#: the rest of a file).
_MAX_ERB = 4000
#: Assignments read from one ``@php`` block, and the longest value read of each.
_MAX_ASSIGNS = 50
_MAX_VALUE = 400
#: Values that print nothing: such a default is no fallback.
_NO_VALUE = frozenset({"", '""', "''", "``", "nil", "null", "none", "false", "[]", "{}"})
_WHITESPACE = " \t\r\n"


def _flatten(code: str, quotes: str = "'\"") -> str:
    """``code`` (same length) with the inside of string literals and brackets blanked to
    NUL: what stays visible is the top level, where operators are searched."""
    out: list[str] = []
    depth = 0
    quote = ""
    escaped = False
    for c in code:
        if quote:
            if escaped:
                escaped = False
            elif c == "\\" and quote != "`":
                escaped = True
            elif c == quote:
                quote = ""
                out.append(c if depth == 0 else "\0")
                continue
            out.append("\0")
        elif c in quotes:
            quote = c
            out.append(c if depth == 0 else "\0")
        elif c in "([{":
            depth += 1
            out.append(c if depth == 1 else "\0")
        elif c in ")]}" and depth > 0:
            depth -= 1
            out.append(c if depth == 0 else "\0")
        else:
            out.append(c if depth == 0 else "\0")
    return "".join(out)


def _unparen(code: str) -> str:
    """``(x || "y")`` -> ``x || "y"``: brackets around the whole expression dropped."""
    for _ in range(4):
        if not (code.startswith("(") and code.endswith(")")):
            break
        if _flatten(code).find(")") != len(code) - 1:
            break
        code = code[1:-1].strip()
    return code


def _first_top(flat: str, operators: Sequence[str]) -> tuple[int, str]:
    """The earliest top-level operator of ``operators`` in a flattened expression."""
    best, found = -1, ""
    for op in operators:
        at = flat.find(op)
        if at != -1 and (best == -1 or at < best):
            best, found = at, op
    return best, found


def _first_arg(args: str) -> str:
    """The first argument of an argument list (up to the first top-level comma)."""
    comma = _flatten(args).find(",")
    return (args[:comma] if comma != -1 else args).strip()


def _call_args(code: str, open_at: int) -> str | None:
    """The text between the bracket at ``open_at`` and its match (None: unclosed)."""
    flat = _flatten(code[open_at:])
    close = flat.find(")")
    return code[open_at + 1 : open_at + close] if close != -1 else None


def _is_default(expr: str) -> bool:
    """A default that prints something (``""``, ``''``, ``nil`` and ``null`` do not)."""
    value = expr.strip().rstrip(";").strip()
    return value.lower() not in _NO_VALUE and value not in _EMPTY_FALLBACKS


def _is_assignment(var: str, flat_rest: str) -> bool:
    return bool(var) and flat_rest.startswith("=") and not flat_rest.startswith(("==", "=>", "=~"))


# -- ERB (Rails mailer views) ---------------------------------------------------------------

#: Calls after a field that only format it: ``@user.first_name.capitalize`` is first_name.
_RUBY_FORMATTER_LIST = (
    "capitalize titleize titlecase upcase downcase swapcase upcase_first strip lstrip rstrip "
    "squish chomp to_s to_str html_safe humanize camelize presence"
)
_RUBY_FORMATTERS = frozenset(_RUBY_FORMATTER_LIST.split())
#: Predicates a condition ends with, and whether they test for *empty*.
_RUBY_PREDICATES = {"present?": False, "any?": False, "blank?": True, "nil?": True,
                    "empty?": True, "none?": True}
#: Words that are Ruby, not a field.
_RUBY_WORD_LIST = "yield self nil true false super and or not if unless then end do defined?"
_RUBY_WORDS = frozenset(_RUBY_WORD_LIST.split())
_RUBY_CHAIN = re.compile(
    r"@{0,2}[A-Za-z_]\w{0,60}[?!]?"
    r"(?:&?\.[A-Za-z_]\w{0,60}[?!]?"
    r"|\[\s{0,3}(?::\w{1,60}|\"[\w .\-]{1,60}\"|'[\w .\-]{1,60}'|\d{1,6})\s{0,3}\]){0,12}"
)
_RUBY_PART = re.compile(
    r"\[\s{0,3}:?[\"']?([^\"'\]\s]{1,60})[\"']?\s{0,3}\]|([A-Za-z_]\w{0,60}[?!]?)"
)
_RUBY_TRY = re.compile(r"\.try\(\s{0,3}:(\w{1,60})\s{0,3}\)")
#: Helpers whose (first) argument is what they print: ``h(@user.name)``, ``raw x``.
_RUBY_WRAPPER = re.compile(
    r"(?:ERB::Util\.|CGI\.)?(?:h|raw|html_escape|escape_html|escapeHTML|sanitize|strip_tags"
    r"|simple_format|j|escape_javascript)(?:\(|[ \t]{1,5}(?=[@\w(:\"']))"
)
_RUBY_ASSIGN = re.compile(r"@{0,2}([A-Za-z_]\w{0,60})\s{0,10}(\|\|)?=(?![=~>])")
_RUBY_WORD = re.compile(r"[a-z_]{1,10}")
#: A block opener at the end of the code: ``do``, ``do |item|``, ``{ |item|``.
_ERB_BLOCK = re.compile(r"(?:\bdo|\{)\s{0,5}(?:\|[^|\n]{0,200}\|)?\s{0,5}\Z")
_ERB_LOOP = re.compile(r"\.(?:each\w{0,20}|times|map|collect|upto|downto|step)\b")
_RUBY_ENDS_BLOCK = re.compile(r"\bend\Z")
_RUBY_EMPTY_TEST = re.compile(r"(?<![!=])==\s{0,3}(?:nil\b|\"\"|'')")


def _ruby_unwrap(code: str) -> str:
    """``h(@user.name)``, ``raw @x``, ``sanitize(x, tags: [])`` -> the argument."""
    for _ in range(4):
        m = _RUBY_WRAPPER.match(code)
        if m is None:
            break
        if code[m.end() - 1] == "(":
            inner = _call_args(code, m.end() - 1)
            if inner is None:
                break
            code = _first_arg(inner)
        else:
            code = _first_arg(code[m.end() :])
    return code


def _ruby_parts(chain: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in _RUBY_PART.finditer(chain)]


def _ruby_name(expr: str) -> str:
    """The field an ERB expression prints: ``@user.first_name.capitalize`` ->
    ``user.first_name``; a method call with arguments prints no field ("")."""
    expr = _ruby_unwrap(_unparen(expr.strip()))
    expr = _RUBY_TRY.sub(r".\1", expr).replace("()", "")
    if _RUBY_CHAIN.fullmatch(expr) is None:
        return ""
    parts = _ruby_parts(expr)
    while len(parts) > 1 and parts[-1] in _RUBY_FORMATTERS:
        parts.pop()
    if len(parts) == 1 and parts[0] in _RUBY_WORDS:
        return ""
    return ".".join(parts)


def _ruby_cond(expr: str) -> tuple[tuple[str, ...], bool]:
    """Field names a Ruby condition tests, and whether it holds when the (first) field is
    empty: ``x.blank?``, ``x.nil?``, ``!x``, ``not x``, ``x == ""``."""
    e = _unparen(expr.strip())
    if e.endswith(" then"):
        e = e[:-5].rstrip()
    negated = False
    while e.startswith(("!", "not ")):
        e = _unparen((e[1:] if e[0] == "!" else e[4:]).strip())
        negated = not negated
    names: list[str] = []
    for i, m in enumerate(_RUBY_CHAIN.finditer(_STRING.sub(" ", _RUBY_TRY.sub(r".\1", e)))):
        parts = _ruby_parts(m.group(0))
        while len(parts) > 1 and (parts[-1] in _RUBY_PREDICATES or parts[-1] in _RUBY_FORMATTERS):
            if i == 0 and _RUBY_PREDICATES.get(parts[-1]):
                negated = not negated
            parts.pop()
        if not parts or (len(parts) == 1 and parts[0] in _RUBY_WORDS):
            continue
        names.append(".".join(parts))
        if len(names) >= _MAX_COND_NAMES:
            break
    if _RUBY_EMPTY_TEST.search(e):
        negated = not negated
    return tuple(names), negated


def _ruby_output(code: str) -> tuple[str, bool]:
    """Field name and fallback of an ERB output expression: ``x || "y"``,
    ``x.presence || 'y'``, ``x.present? ? x : "y"``, ``(x || "y")``."""
    code = _unparen(code.strip())
    flat = _flatten(code)
    at, _ = _first_top(flat, (" if ", " unless "))  # x if cond: prints x or nothing
    if at != -1:
        code, flat = code[:at].rstrip(), flat[:at].rstrip()
    at, op = _first_top(flat, ("||", " or "))
    if at != -1:
        return _ruby_name(code[:at]), _is_default(code[at + len(op) :])
    question = flat.find(" ? ")
    colon = flat.find(" : ", question + 3) if question != -1 else -1
    if colon != -1:
        names, negated = _ruby_cond(code[:question])
        yes, no = code[question + 3 : colon], code[colon + 3 :]
        name = names[0] if names else _ruby_name(no if negated else yes)
        return name, _is_default(yes if negated else no)
    return _ruby_name(code), False


def _erb_code(content: str) -> tuple[str, bool]:
    """The Ruby of an ERB tag (``<%=``, ``<%==``, ``<%-`` and ``-%>`` dropped) and whether
    the tag prints it."""
    output = content.startswith("=")
    if content.startswith("=="):
        code = content[2:]
    else:
        code = content[1:] if content[:1] in ("=", "-") else content
    if code.endswith(("-", "=")):
        code = code[:-1]
    return code.strip(), output


def _describe_erb(content: str) -> _Info:
    """An ERB tag: output (``<%= x %>``), control (``<% if x.present? %>``, ``<% end %>``,
    a ``do`` block), an assignment, or a comment (``<%# ... %>``)."""
    if content.startswith("#"):
        return _Info("erb", "comment", False, True)
    code, output = _erb_code(content)
    if _ERB_BLOCK.search(code, max(0, len(code) - 300)):
        kw = "loop" if _ERB_LOOP.search(code) else "open"
        return _Info("erb", "", False, True, kw)
    if output:
        name, fallback = _ruby_output(code)
        return _Info("erb", name, fallback, False)
    wm = _RUBY_WORD.match(code)
    word = wm.group(0) if wm and not code[wm.end() : wm.end() + 1].isalnum() else ""
    if word in ("if", "unless", "elsif"):
        if word != "elsif" and _RUBY_ENDS_BLOCK.search(code):  # <% if x then y end %>
            return _Info("erb", "", False, True)
        names, negated = _ruby_cond(code[len(word) :])
        kw = "elif" if word == "elsif" else "if"
        return _Info("erb", names[0] if names else "", False, True, kw, names,
                     negated != (word == "unless"))
    if word == "else":
        return _Info("erb", "", False, True, "else")
    if word == "end" or code == "}":
        return _Info("erb", "", False, True, "end")
    if word == "when":
        return _Info("erb", "", False, True, "elif")
    if word in ("case", "begin"):
        return _Info("erb", "", False, True, "open")
    if word in ("while", "until", "for"):
        return _Info("erb", "", False, True, "loop")
    am = _RUBY_ASSIGN.match(code)
    if am is not None:
        src, fallback = _ruby_output(code[am.end() : am.end() + _MAX_VALUE])
        fallback = fallback or am.group(2) is not None  # x ||= "y"
        return _Info("erb", "", False, True, "assign", assigns=((am.group(1), src, fallback),))
    return _Info("erb", "", False, True)


def _scan_erb(text: str, out: list[FoundTag]) -> None:
    """``<% %>``, ``<%= %>``, ``<%== %>``, ``<%- -%>`` and ``<%# %>`` (``<%%`` is a literal)."""
    close = _CachedFind(text, "%>")
    pos = 0
    while True:
        i = text.find("<%", pos)
        if i == -1:
            return
        if text.startswith("<%%", i):
            pos = i + 3
            continue
        j = close.find(i + 2)
        if j == -1 or j - i > _MAX_ERB:
            pos = i + 2
            continue
        out.append(_describe_erb(text[i + 2 : j]).at(i, j + 2))
        pos = j + 2


# -- Blade (Laravel) ------------------------------------------------------------------------

_PHP_CHAIN = re.compile(
    r"\$[A-Za-z_]\w{0,60}"
    r"(?:\s{0,3}\??->\s{0,3}[A-Za-z_]\w{0,60}(?:\(\s{0,3}\))?"
    r"|\[\s{0,3}(?:'[^'\n\]]{1,60}'|\"[^\"\n\]]{1,60}\"|\d{1,6})\s{0,3}\]){0,12}"
)
_PHP_PART = re.compile(
    r"\$([A-Za-z_]\w{0,60})|\??->\s{0,3}([A-Za-z_]\w{0,60})(\(\s{0,3}\))?"
    r"|\[\s{0,3}['\"]?([^'\"\]\n]{1,60})['\"]?\s{0,3}\]"
)
#: Methods after a field that only format it (Laravel's Stringable: ``->title()``).
_PHP_FORMATTER_LIST = (
    "title capitalize upper lower ucfirst lcfirst trim squish headline tostring __tostring value"
)
_PHP_FORMATTERS = frozenset(_PHP_FORMATTER_LIST.split())
#: Functions whose first argument is what they print: ``ucfirst($x)``, ``e($x)``.
_PHP_WRAPPER = re.compile(
    r"\\?(?:(?:Illuminate\\Support\\)?Str::(?:title|ucfirst|upper|lower|headline|limit|of|squish"
    r"|trim|words)|e|ucfirst|ucwords|lcfirst|strtoupper|strtolower|mb_strtoupper|mb_strtolower"
    r"|mb_convert_case|trim|htmlspecialchars|htmlentities|nl2br|strip_tags|title_case|str_limit"
    r"|optional)\s{0,3}\("
)
_PHP_EMPTY_TEST = re.compile(r"(?<![!=<>])={2,3}\s{0,3}(?:''|\"\"|null\b|NULL\b)")
_PHP_EMPTY_CALL = re.compile(r"(?:empty|is_null|blank)\s{0,3}\(")
_PHP_ASSIGN = re.compile(r"\$([A-Za-z_]\w{0,60})\s{0,10}(\?\?)?=(?![=>])")


def _php_name(expr: str) -> str:
    """The field a PHP expression prints: ``$user->first_name``, ``$user['first_name']``
    -> ``user.first_name``; function calls and constants print no field ("")."""
    expr = _unparen(expr.strip())
    for _ in range(4):
        m = _PHP_WRAPPER.match(expr)
        if m is None:
            break
        inner = _call_args(expr, m.end() - 1)
        if inner is None:
            return ""
        expr = _first_arg(inner)
    m = _PHP_CHAIN.match(expr)
    if m is None:
        return ""
    if expr[m.end() :].strip():  # $x . 'y', $x->format('d'): no single field
        return ""
    parts: list[tuple[str, bool]] = []
    for p in _PHP_PART.finditer(m.group(0)):
        parts.append((p.group(1) or p.group(2) or p.group(4), p.group(3) is not None))
    while len(parts) > 1 and parts[-1][1] and parts[-1][0].lower() in _PHP_FORMATTERS:
        parts.pop()
    return ".".join(p for p, _ in parts)


def _php_cond(expr: str) -> tuple[tuple[str, ...], bool]:
    """Field names a PHP condition tests, and whether it holds when the field is empty:
    ``empty($x)``, ``is_null($x)``, ``blank($x)``, ``!$x``, ``$x == ''``."""
    e = _unparen(expr.strip())
    negated = False
    while e.startswith("!"):
        e = _unparen(e[1:].strip())
        negated = not negated
    if _PHP_EMPTY_CALL.match(e):
        negated = not negated
    if _PHP_EMPTY_TEST.search(e):
        negated = not negated
    names: list[str] = []
    for m in _PHP_CHAIN.finditer(_STRING.sub(" ", e)):
        name = _php_name(m.group(0))
        if name:
            names.append(name)
        if len(names) >= _MAX_COND_NAMES:
            break
    return tuple(names), negated


def _php_output(code: str) -> tuple[str, bool]:
    """Field name and fallback of a Blade echo: ``$x ?? 'y'``, ``$x ?: 'y'``, old
    ``$x or 'y'``, ``isset($x) ? $x : 'y'``."""
    code = _unparen(code.strip())
    flat = _flatten(code)
    at, op = _first_top(flat, ("??", "?:", " or ", "||"))
    if at != -1:
        return _php_name(code[:at]), _is_default(code[at + len(op) :])
    question = flat.find(" ? ")
    colon = flat.find(" : ", question + 3) if question != -1 else -1
    if colon != -1:
        names, negated = _php_cond(code[:question])
        yes, no = code[question + 3 : colon], code[colon + 3 :]
        name = names[0] if names else _php_name(no if negated else yes)
        return name, _is_default(yes if negated else no)
    return _php_name(code), False


def _php_assigns(code: str) -> tuple[tuple[str, str, bool], ...]:
    """Variables a PHP block sets (``$name = $user->first_name ?? 'there';``)."""
    assigns: list[tuple[str, str, bool]] = []
    for m in _PHP_ASSIGN.finditer(code):
        value = code[m.end() : m.end() + _MAX_VALUE]
        semicolon = _flatten(value).find(";")
        src, fallback = _php_output(value[:semicolon] if semicolon != -1 else value)
        assigns.append((m.group(1), src, fallback or m.group(2) is not None))
        if len(assigns) >= _MAX_ASSIGNS:
            break
    return tuple(assigns)


def _describe_blade_echo(content: str) -> _Info:
    """``{{ $x }}`` / ``{!! $x !!}``."""
    name, fallback = _php_output(content)
    return _Info("blade", name, fallback, False)


#: Blade's own directives: recognised with or without arguments. A name outside the list
#: is a directive only when ``(`` follows at once (``@datetime($x)``, a custom one).
_BLADE_DIRECTIVE_LIST = (
    "if elseif else endif unless endunless isset endisset empty endempty auth endauth guest "
    "endguest production endproduction env endenv hassection sectionmissing switch case "
    "default endswitch break continue for endfor foreach endforeach forelse endforelse while "
    "endwhile include includeif includewhen includeunless includefirst each once endonce push "
    "endpush pushonce endpushonce prepend endprepend prependonce endprependonce stack php "
    "endphp verbatim endverbatim extends section endsection show stop yield parent append "
    "overwrite component endcomponent componentfirst slot endslot lang choice csrf method "
    "error enderror props aware inject json js dd dump checked selected disabled readonly "
    "required class style vite viterefresh can endcan cannot endcannot canany endcanany "
    "fragment endfragment session endsession context endcontext use livewire livewirestyles "
    "livewirescripts markdown endmarkdown"
)
_BLADE_DIRECTIVES = frozenset(_BLADE_DIRECTIVE_LIST.split())
#: Directives that take no arguments (a ``(`` after them is text).
_BLADE_BARE = frozenset(
    n for n in _BLADE_DIRECTIVES
    if n.startswith("end") or n in ("else", "csrf", "show", "stop", "append", "overwrite",
                                    "parent", "verbatim", "default", "livewirestyles",
                                    "livewirescripts", "viterefresh")
)
#: Blocks closed by their ``@end...`` that are no condition on a field.
_BLADE_OPEN_LIST = (
    "auth guest production env hassection sectionmissing switch once push pushonce prepend "
    "prependonce verbatim component componentfirst can cannot canany error fragment session "
    "context markdown"
)
_BLADE_OPEN = frozenset(_BLADE_OPEN_LIST.split())
_BLADE_LOOPS = frozenset({"for", "foreach", "forelse", "while"})
#: What closes a block: every ``@end...`` but ``@endphp`` (its block is one tag), and the
#: other ends of ``@section``.
_BLADE_ENDS = frozenset(
    {n for n in _BLADE_DIRECTIVES if n.startswith("end") and n != "endphp"}
    | {"show", "stop", "append", "overwrite"}
)
#: CSS at-rules: never a Blade directive, even as ``@media(...)``.
_CSS_AT_RULE_LIST = (
    "media supports container import document page layer keyframes charset namespace "
    "property font viewport counter"
)
_CSS_AT_RULES = frozenset(_CSS_AT_RULE_LIST.split())
_BLADE_AT = re.compile(r"(?<![\w@])@([A-Za-z_]\w{0,40})")


def _describe_blade_directive(name: str, args: str | None, code: str) -> _Info:
    """A Blade directive (``name`` lower-cased; ``args`` inside its brackets, None without)."""
    if name in ("if", "elseif", "unless"):
        cond, negated = _php_cond(args or "")
        kw = "elif" if name == "elseif" else "if"
        return _Info("blade", cond[0] if cond else "", False, True, kw, cond,
                     negated != (name == "unless"))
    if name in ("isset", "empty") and args is not None:
        cond, _ = _php_cond(args)
        return _Info("blade", cond[0] if cond else "", False, True, "if", cond, name == "empty")
    if name in ("else", "empty", "default"):  # @empty without arguments: @forelse's else
        return _Info("blade", "", False, True, "else")
    if name == "case":
        return _Info("blade", "", False, True, "elif")
    if name in _BLADE_ENDS:
        return _Info("blade", "", False, True, "end")
    if name in _BLADE_LOOPS:
        return _Info("blade", "", False, True, "loop")
    if name in ("section", "slot"):  # one argument opens a block; two set it inline
        block = args is not None and _flatten(args).find(",") == -1
        return _Info("blade", "", False, True, "open" if block else "")
    if name in _BLADE_OPEN:
        return _Info("blade", "", False, True, "open")
    if name == "php":
        assigns = _php_assigns(code if args is None else args)
        return _Info("blade", "", False, True, "assign" if assigns else "", assigns=assigns)
    return _Info("blade", "", False, True)


class _ParenCloser:
    """The end of a bracketed argument list, found in linear total time.

    One scan records the closer of every bracket nested in it; a bracket left open when a
    scan gives up is recorded as unclosed, so ``@if(`` repeated is scanned once. A budget
    proportional to the text bounds the rest (a bracket inside a string seen from one
    opener is outside it from another).
    """

    _STOPS = re.compile(r"[()'\"\\]")

    def __init__(self, text: str, limit: int) -> None:
        self._text = text
        self._limit = limit
        self._memo: dict[int, int] = {}
        self._budget = 4 * len(text) + 10_000

    def close(self, at: int) -> int:
        """Index after the ``)`` matching the ``(`` at ``at``; -1 if none within the limit."""
        known = self._memo.get(at)
        if known is not None:
            return known
        text = self._text
        stop = min(len(text), at + self._limit)
        stack = [at]
        quote = ""
        i = at + 1
        while self._budget > 0:
            m = self._STOPS.search(text, i, stop)
            if m is None:
                break
            self._budget -= 1
            c = m.group(0)
            i = m.end()
            if c == "\\":
                i += 1
            elif quote:
                if c == quote:
                    quote = ""
            elif c in "'\"":
                quote = c
            elif c == "(":
                stack.append(m.start())
            else:
                self._memo[stack.pop()] = i
                if not stack:
                    return i
        for opener in stack:
            self._memo[opener] = -1
        return -1


def _scan_blade(text: str, out: list[FoundTag]) -> None:
    """Blade directives (``@if(...)``, ``@endif``, ``@php ... @endphp`` ...): ``@`` not after
    a word character or another ``@`` (``help@acme.com``, ``@@if``), a known name or any
    name followed at once by ``(``."""
    parens = _ParenCloser(text, _MAX_CURLY)
    endphp = _CachedFind(text, "@endphp")
    n = len(text)
    pos = 0
    for m in _BLADE_AT.finditer(text):
        start = m.start()
        if start < pos:
            continue
        name = m.group(1).lower()
        if name in _CSS_AT_RULES:
            continue
        known = name in _BLADE_DIRECTIVES
        end = m.end()
        bracket = -1
        if not known:
            bracket = end if text.startswith("(", end) else -1
            if bracket == -1:
                continue
        elif name not in _BLADE_BARE:
            k = end
            while k < n and k - end < 20 and text[k] in " \t":
                k += 1
            bracket = k if text.startswith("(", k) else -1
        args: str | None = None
        if bracket != -1:
            close = parens.close(bracket)
            if close == -1:  # @if( never closed: Blade cannot compile it either; text
                continue
            args, end = text[bracket + 1 : close - 1], close
        code = ""
        if name == "php" and args is None:
            k = endphp.find(end)
            if k != -1 and k - start <= _MAX_AMP_BLOCK:
                code, end = text[end:k], k + len("@endphp")
        out.append(_describe_blade_directive(name, args, code).at(start, end))
        pos = end


# -- Go templates (text/template, html/template; Gitea, Gogs, Hugo) -------------------------

_GO_PATH = re.compile(r"(\$[A-Za-z_]\w{0,60}|\$)?((?:\.[A-Za-z_]\w{0,60}){0,12})")
_GO_REF = re.compile(
    r"\$?(?:\.[A-Za-z_]\w{0,60}){1,12}|\$[A-Za-z_]\w{0,60}(?:\.[A-Za-z_]\w{0,60}){0,12}"
    r"|(?<![\w.)\]$])\.(?![\w.])"
)
_GO_EMPTY_ARG = re.compile(r"[\s(](?:\"\"|``|nil)(?=[\s)]|\Z)")
_GO_STRINGS = re.compile(r"\"(?:[^\"\\\n]|\\.){0,300}\"|`[^`]{0,300}`")
#: Go template functions that translate: their arguments are no field.
_GO_I18N_FUNCS = frozenset({"i18n", "T", "tr", "Tr", "translate"})
#: Longest field path built from nested ``with`` scopes.
_MAX_GO_PATH = 200
#: The keyword of a Go action (after ``else``) and its first argument.
_GO_HEAD = re.compile(r"\{\{-?\s{0,20}(?:else\s{1,20})?([a-z]{1,10})\b")
_GO_KEYWORDS = frozenset({"if", "else", "end", "range", "with", "define", "block", "template",
                          "break", "continue"})


def _go_body(content: str) -> str:
    """A Go action without its trim markers (``{{- x -}}``)."""
    body = content
    if body.startswith("-") and body[1:2] in _WHITESPACE:
        body = body[1:]
    if body.endswith("-") and body[-2:-1] in _WHITESPACE:
        body = body[:-1]
    return body.strip()


def _go_words(code: str) -> list[str]:
    """The words of a Go command (strings and brackets kept whole)."""
    flat = _flatten(code, "\"'`")
    words: list[str] = []
    start = -1
    for i, c in enumerate(flat):
        if c in _WHITESPACE:
            if start != -1:
                words.append(code[start:i])
                start = -1
        elif start == -1:
            start = i
    if start != -1:
        words.append(code[start:])
    return words


def _go_commands(code: str) -> list[str]:
    """A pipeline's commands (split at top-level ``|``)."""
    flat = _flatten(code, "\"'`")
    commands: list[str] = []
    start = 0
    at = flat.find("|")
    while at != -1:
        commands.append(code[start:at])
        start = at + 1
        at = flat.find("|", start)
    commands.append(code[start:])
    return commands


def _go_field(word: str) -> str | None:
    """A Go field reference, as the scanner names it before scoping: ``.User.Name`` keeps
    its leading dot (relative to the dot), ``$.Name`` -> ``Name`` (the root), ``$v.Name``
    stays; None for anything else."""
    if word == ".":
        return "."
    m = _GO_PATH.fullmatch(word)
    if m is None or not word:
        return None
    var, path = m.group(1), m.group(2)
    if var is None:
        return path
    if var == "$":
        return path[1:]
    return var + path


def _go_literal(word: str) -> bool:
    return len(word) >= 2 and word[0] in "\"`'" and word[-1] == word[0]


def _go_command(words: list[str]) -> tuple[str, bool]:
    """Field name and fallback of one command: ``.X``, ``or .X "y"``, ``default "y" .X``,
    ``printf "%s" .X`` (a helper names its first field argument)."""
    if not words:
        return "", False
    head, args = words[0], words[1:]
    if head.startswith("(") and head.endswith(")") and not args:
        return _go_pipeline(head[1:-1])
    field = _go_field(head)
    if field is not None:
        return (field if not args else ""), False  # .locale.Tr "x": a method call
    if head in _GO_I18N_FUNCS or head in _GO_KEYWORDS:
        return "", False
    fields = [f for f in map(_go_field, args) if f]
    if head == "or":
        if not fields:
            return "", False
        first = args.index(next(a for a in args if _go_field(a)))
        return fields[0], any(_is_default(a) for a in args[first + 1 :])
    if head == "default":
        return (fields[-1] if fields else ""), bool(args) and _is_default(args[0])
    if head == "index" and fields and len(args) >= 2 and _go_literal(args[1]):
        return f"{fields[0]}.{args[1][1:-1]}", False
    return (fields[0] if fields else ""), False


def _go_pipeline(code: str) -> tuple[str, bool]:
    commands = _go_commands(code)
    name, fallback = _go_command(_go_words(commands[0]))
    for command in commands[1:]:
        words = _go_words(command)
        if len(words) >= 2 and words[0] == "default" and _is_default(words[1]):
            fallback = True
    return name, fallback


def _go_cond(expr: str) -> tuple[tuple[str, ...], bool]:
    """Fields a Go condition tests, and whether it holds when the field is empty (``not
    .X``, ``eq .X ""``)."""
    e = expr.strip()
    negated = False
    while e.startswith(("not ", "not(", "(")):
        if e.startswith("not"):
            negated = not negated
            e = e[3:].strip()
        else:
            e = e[1:].strip()
    if e.startswith("eq ") and _GO_EMPTY_ARG.search(e):
        negated = not negated
    refs = (_go_field(m.group(0)) for m in _GO_REF.finditer(_GO_STRINGS.sub(" ", e)))
    names = tuple(r for r in refs if r)[:_MAX_COND_NAMES]
    return names, negated


def _describe_go(content: str) -> _Info:
    """A Go action: output pipeline, control (if/else/end/with/range/define/block/template),
    variable assignment, or comment ``{{/* */}}``. Field names keep their leading dot here;
    :func:`_scope_go` resolves them against ``with``/``range``."""
    body = _go_body(content)
    if body.startswith("/*"):
        return _Info("go", "comment", False, True)
    words = _go_words(body)
    if not words:
        return _Info("go", "", False, False)
    head = words[0]
    rest = body[len(head) :].strip()
    if head == "else":
        if len(words) == 1:
            return _Info("go", "", False, True, "else")
        head, rest = words[1], rest[len(words[1]) :].strip()
        if head in ("if", "with"):
            cond, negated = _go_cond(rest) if head == "if" else (_go_with(rest)[0], False)
            return _Info("go", cond[0] if cond else "", False, True, "elif", cond, negated)
        return _Info("go", "", False, True, "else")
    if head == "if":
        cond, negated = _go_cond(rest)
        return _Info("go", cond[0] if cond else "", False, True, "if", cond, negated)
    if head == "with":
        cond, assigns = _go_with(rest)
        return _Info("go", cond[0] if cond else "", False, True, "if", cond, False, assigns)
    if head == "end":
        return _Info("go", "", False, True, "end")
    if head == "range":
        return _Info("go", "", False, True, "loop")
    if head in ("define", "block"):
        return _Info("go", "", False, True, "open")
    if head in _GO_KEYWORDS:  # template, break, continue
        return _Info("go", "", False, True)
    if len(words) >= 3 and head.startswith("$") and words[1] in (":=", "="):
        value = body[body.index(words[1], len(head)) + len(words[1]) :]
        src, fallback = _go_pipeline(value)
        return _Info("go", "", False, True, "assign", assigns=((head, src, fallback),))
    name, fallback = _go_pipeline(body)
    return _Info("go", name, fallback, False)


def _go_with(rest: str) -> tuple[tuple[str, ...], tuple[tuple[str, str, bool], ...]]:
    """``with .X`` tests X; ``with $v := .X`` also sets $v."""
    words = _go_words(rest)
    assigns: tuple[tuple[str, str, bool], ...] = ()
    if len(words) >= 3 and words[0].startswith("$") and words[1] in (":=", "="):
        field, _ = _go_pipeline(" ".join(words[2:]))
        assigns = ((words[0], field, False),)
    else:
        field, _ = _go_pipeline(rest)
    return ((field,) if field else ()), assigns


def _go_resolve(name: str, dot: str) -> str:
    """A scanned Go name against the dot in force: ``.`` is the dot itself, ``.X`` is
    under it (inside ``{{with .User}}``, ``.Name`` is ``User.Name``). A path longer than
    :data:`_MAX_GO_PATH` (``with`` nested without end) stays relative, so names stay short."""
    if name == ".":
        return dot
    if name.startswith("."):
        return f"{dot}{name}" if dot and len(dot) + len(name) <= _MAX_GO_PATH else name[1:]
    return name


def _scope_go(text: str, tags: list[FoundTag]) -> list[FoundTag]:
    """Resolve Go names against ``with``/``range``/``define`` scopes: ``{{with .X}}`` makes
    the dot X (so ``{{.}}`` is X, guarded by the with), ``{{range}}`` makes it each item
    (``this``), ``{{define}}`` an unknown root; ``{{else}}`` and ``{{end}}`` restore it."""
    frames: list[tuple[str, str]] = []  # (dot outside the block, dot inside it)
    result: list[FoundTag] = []
    for tag in tags:
        if tag.syntax != "go":
            result.append(tag)
            continue
        kw = tag.keyword
        here = frames[-1][1] if frames else ""
        if kw in ("elif", "else") and frames:
            here = frames[-1][0]
        cond = tuple(_go_resolve(c, here) for c in tag.cond)
        assigns = tuple((v, _go_resolve(s, here), d) for v, s, d in tag.assigns)
        name = _go_resolve(tag.name, here) if tag.name.startswith(".") else tag.name
        if tag.is_control and kw:
            hm = _GO_HEAD.match(text, tag.start)
            head = hm.group(1) if hm else ""
            if kw == "if":
                frames.append((here, cond[0] if head == "with" and cond else here))
            elif kw == "loop":
                frames.append((here, "this"))
            elif kw == "open":
                inner = ""
                if head == "block":  # {{block "name" .X}}: the dot is X
                    words = _go_words(_go_body(text[tag.start + 2 : tag.end - 2]))
                    field = _go_field(words[2]) if len(words) > 2 else None
                    inner = _go_resolve(field or ".", here)
                frames.append((here, inner))
            elif kw in ("elif", "else") and frames:
                frames[-1] = (here, cond[0] if head == "with" and cond else here)
            elif kw == "end" and frames:
                frames.pop()
        result.append(tag._replace(name=name, cond=cond, assigns=assigns))
    return result


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

    ``engine`` (one of :data:`TEMPLATE_ENGINES`) names the file's template engine: its
    ``{{ }}`` and ``{% %}`` are read as that engine's and carry its name as ``syntax``;
    ERB's ``<% %>`` are read only for "erb" or None, Blade's ``@directives`` only for
    "blade". ESP merge tags (``*|FNAME|*``, ``%%x%%`` ...) are found whatever the engine.
    None reads every syntax by its look (an unknown name raises :class:`ValueError`).

    ``angle`` enables ``<FirstName>``-style placeholders; with ``html=True`` real HTML
    element names are never taken for one. A ``{% comment %}...{% endcomment %}`` block is
    one tag (``name == "comment"``) covering its content. Tags inside an if-guard on their
    own field get ``has_fallback=True`` (see the module docstring).
    """
    if engine is not None and engine not in TEMPLATE_ENGINES:
        known = ", ".join(sorted(TEMPLATE_ENGINES))
        raise ValueError(f"unknown template engine {engine!r} (known: {known})")
    found: list[FoundTag] = []
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


# -- what a tag says: translation calls and references to other templates --------------------


class I18nCall(NamedTuple):
    """A translation call a tag makes (:func:`i18n_call`)."""

    #: The literal key/msgid as written, unescaped ("" when dynamic).
    key: str
    #: "rails" | "laravel" | "gettext" | "go" | "i18next"
    style: str
    #: The key is not one string literal (a variable, ``"#{...}"``, a concatenation).
    dynamic: bool
    #: The tag prints the text (False: it is assigned to a variable).
    output: bool


class TemplateRef(NamedTuple):
    """What a tag says about another template (:func:`template_reference`)."""

    #: "extends" | "include" | "slot" | "block" | "endblock" | "define"
    kind: str
    #: The referenced template or block name as written; "" when none.
    name: str


class _TagText(NamedTuple):
    """A tag's text taken apart: its form, the code inside its delimiters, whether it
    prints, and (for a Blade directive) the directive's name and arguments."""

    form: str  # "erb", "curly", "triple", "raw", "percent", "directive"
    body: str
    output: bool
    directive: str = ""
    args: str | None = None


_DIRECTIVE_TEXT = re.compile(r"@([A-Za-z_]\w{0,40})[ \t]{0,20}(?:\((.*)\))?", re.DOTALL)
_LITERAL = re.compile(
    r"\"(?:[^\"\\]|\\.){0,2000}\"|'(?:[^'\\]|\\.){0,2000}'|`[^`]{0,2000}`", re.DOTALL
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_RUBY_SYMBOL = re.compile(r":([A-Za-z_]\w{0,200}[?!]?)")
_PHP_INTERPOLATION = re.compile(r"\$[A-Za-z_{]|\{\$")
#: Calls with brackets: the function, its style and which argument is the key.
_CALL_HEAD = re.compile(
    r"(\$tc?|\$i18n\.t|i18next\.t|i18n\.t|t|__|trans_choice|trans|\\?Lang::(?:get|choice|trans)"
    r"|_|gettext|ugettext|gettext_lazy|ngettext|ungettext|pgettext|npgettext)\s{0,3}\("
)
_CALL_STYLE = {
    "__": "laravel", "trans": "laravel", "trans_choice": "laravel",
    "_": "gettext", "gettext": "gettext", "ugettext": "gettext", "gettext_lazy": "gettext",
    "ngettext": "gettext", "ungettext": "gettext", "pgettext": "gettext", "npgettext": "gettext",
}
#: Rails: ``t(...)``, ``t ".key"``, ``I18n.t``, ``translate``, ``Spree.t`` (a module's own).
_RAILS_CALL = re.compile(r"(?:I18n\.|[A-Z]\w{0,30}\.)?(?:t|translate)(?![\w?!])")
#: Helpers whose first argument is the text they print: ``link_to t(".x"), url``.
_RUBY_TEXT_HELPER = re.compile(
    r"(?:link_to|button_to|mail_to|content_tag\s{0,3}\(?\s{0,3}:\w{1,20},)\s{0,3}\(?"
)
_ERB_YIELD = re.compile(r"yield(?:\s{0,5}\(?\s{0,3}:(\w{1,100})\s{0,3}\)?)?")
_ERB_RENDER = re.compile(r"render(?:\s{1,5}|\s{0,5}\(\s{0,5})")
_RENDER_OPTION = re.compile(r":?(?:partial|layout|template)\s{0,3}(?::|=>)\s{0,3}")
_TWIG_INCLUDE = re.compile(r"include\s{0,3}\(")


def _tag_text(tag_text: str) -> _TagText | None:
    """Take a tag apart by its delimiters (None: not a tag of a syntax read here)."""
    t = tag_text.strip()
    if len(t) >= 4 and t.startswith("<%") and t.endswith("%>"):
        content = t[2:-2]
        if content.startswith(("#", "%")):
            return None
        code, output = _erb_code(content)
        return _TagText("erb", code, output)
    if len(t) >= 6 and t.startswith("{!!") and t.endswith("!!}"):
        return _TagText("raw", t[3:-3].strip(), True)
    if len(t) >= 6 and t.startswith("{{{") and t.endswith("}}}"):
        return _TagText("triple", _strip_ws_control(t[3:-3]), True)
    if len(t) >= 4 and t.startswith("{{") and t.endswith("}}"):
        return _TagText("curly", _strip_ws_control(t[2:-2]), True)
    if len(t) >= 4 and t.startswith("{%") and t.endswith("%}"):
        return _TagText("percent", _strip_ws_control(t[2:-2]), False)
    m = _DIRECTIVE_TEXT.fullmatch(t)
    if m is not None:
        return _TagText("directive", "", True, m.group(1).lower(), m.group(2))
    return None


def _unescape(literal: str, lang: str) -> str:
    """A string literal's value: Ruby's and PHP's single quotes know only ``\\'`` and
    ``\\\\``; other strings also ``\\n``, ``\\t``, ``\\"``; Go's back-quotes none."""
    quote, body = literal[0], literal[1:-1]
    if quote == "`":
        return body
    if quote == "'" and lang in ("ruby", "php"):
        return _ESCAPE.sub(lambda m: m.group(1) if m.group(1) in "'\\" else m.group(0), body)
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _interpolates(literal: str, lang: str) -> bool:
    """A literal that holds code: Ruby ``"#{x}"``, PHP ``"$x"``, JavaScript ``${x}``."""
    quote, body = literal[0], literal[1:-1]
    if quote == '"' and lang == "ruby":
        return "#{" in body
    if quote == '"' and lang == "php":
        return _PHP_INTERPOLATION.search(body) is not None
    return quote == "`" and lang == "js" and "${" in body


def _key_arg(arg: str, lang: str) -> tuple[str, bool]:
    """The key an argument gives and whether it is dynamic (then the key is "")."""
    arg = arg.strip()
    m = _LITERAL.match(arg)
    if m is None:
        if lang == "ruby" and arg.startswith(":"):  # a symbol: t(:greeting), t(:"a.b")
            symbol = _RUBY_SYMBOL.fullmatch(arg)
            if symbol is not None:
                return symbol.group(1), False
            quoted = _LITERAL.fullmatch(arg[1:])
            if quoted is not None and not _interpolates(quoted.group(0), lang):
                return _unescape(quoted.group(0), lang), False
        return "", True
    if arg[m.end() :].strip() or _interpolates(m.group(0), lang):
        return "", True  # "a" + b, 'a' . $b, "x.#{y}"
    return _unescape(m.group(0), lang), False


def _nth_arg(args: str, index: int) -> str:
    """The argument at ``index`` of an argument list ("" if there are fewer)."""
    flat = _flatten(args)
    start = 0
    for _ in range(index):
        comma = flat.find(",", start)
        if comma == -1:
            return ""
        start = comma + 1
    comma = flat.find(",", start)
    return args[start : comma if comma != -1 else len(args)].strip()


def _bracket_call(code: str, lang: str, output: bool) -> I18nCall | None:
    """``__('x')``, ``_("x")``, ``pgettext("ctx", "x")``, ``$t('x')``, ``t('x')``."""
    m = _CALL_HEAD.match(code)
    if m is None:
        return None
    function = m.group(1).lstrip("\\")
    style = "laravel" if function.startswith("Lang::") else _CALL_STYLE.get(function, "i18next")
    args = _call_args(code, m.end() - 1)
    if args is None:
        return None
    key_lang = "php" if style == "laravel" else "js" if style == "i18next" else lang
    key, dynamic = _key_arg(_nth_arg(args, 1 if function in ("pgettext", "npgettext") else 0),
                            key_lang)
    return I18nCall(key, style, dynamic, output)


def _rails_call(code: str, output: bool) -> I18nCall | None:
    """Rails' ``t(".key")``, ``t ".key"``, ``t(:key)``, ``I18n.t(...)``, ``translate``,
    gettext's ``_("x")``; inside ``h()``, ``raw``, ``link_to t(...), url``."""
    am = _RUBY_ASSIGN.match(code)
    if am is not None:
        code, output = code[am.end() :].strip(), False
    code = _ruby_unwrap(_unparen(code))
    hm = _RUBY_TEXT_HELPER.match(code)
    if hm is not None:
        code = _first_arg(code[hm.end() :])
    gettext = _bracket_call(code, "ruby", output)
    if gettext is not None and gettext.style == "gettext":
        return gettext
    m = _RAILS_CALL.match(code)
    if m is None:
        return None
    rest = code[m.end() :]
    if rest.startswith("("):
        args = _call_args(rest, 0)
    elif rest[:1] in (" ", "\t") and rest.lstrip()[:1] in ("'", '"', ":"):
        args = rest  # t ".key", name: x
    else:
        return None  # t, t.name, t = 1: a variable called t
    if args is None or not args.strip():
        return None
    key, dynamic = _key_arg(_first_arg(args), "ruby")
    return I18nCall(key, "rails", dynamic, output)


def _curly_call(body: str, engine: str | None, lang: str, output: bool) -> I18nCall | None:
    """A ``{{ }}``/``{!! !!}`` body: Go (``.locale.Tr "k"``, ``i18n "k"``, ``T "k"``),
    Handlebars ``{{t "k"}}``, Liquid ``{{ 'k' | t }}``, or a bracketed call."""
    commands = _go_commands(body)
    words = _go_words(commands[0])
    if len(words) >= 3 and words[0].startswith("$") and words[1] in (":=", "="):
        words, output = words[2:], False  # {{ $msg := .i18n.Tr "k" }}
    if not words:
        return None
    head = words[0]
    go_call = head.endswith(".Tr") or head in ("i18n", "T", "tr", "Tr")
    helper = head in ("t", "translate") and engine in (None, "handlebars", "mustache", "go")
    if go_call or helper:
        if len(words) < 2:
            return None  # {{ t }}: a variable called t
        style = "go" if go_call or engine == "go" else "i18next"
        key, dynamic = _key_arg(words[1], "go" if style == "go" else "js")
        return I18nCall(key, style, dynamic, output)
    if len(words) == 1 and _LITERAL.fullmatch(head) and len(commands) > 1:  # 'k' | t
        filters = _go_words(commands[1])
        function = filters[0].rstrip(":") if filters else ""
        if function in ("t", "translate", "i18n", "T"):
            style = "go" if function in ("i18n", "T") or engine == "go" else "i18next"
            key, dynamic = _key_arg(head, "go" if style == "go" else "js")
            return I18nCall(key, style, dynamic, output)
        return None
    return _bracket_call(body, lang, output)


def _percent_call(body: str, engine: str | None) -> I18nCall | None:
    """Django ``{% trans "x" %}``/``{% translate "x" %}`` (``as var``: not printed), and a
    translation assigned by ``{% set x = _("...") %}``."""
    word, _, rest = body.partition(" ")
    rest = rest.strip()
    if word in ("trans", "translate"):
        m = _LITERAL.match(rest)
        after = rest[m.end() :].split() if m else rest.split()
        output = not (len(after) >= 2 and after[-2] == "as")
        if m is not None:
            return I18nCall(_unescape(m.group(0), "python"), "gettext", False, output)
        if rest and (word == "translate" or engine == "django") and "=" not in rest:
            return I18nCall("", "gettext", True, output)  # {% trans message_var %}
        return None  # Jinja's {% trans %} block: its text is between the tags
    if word in ("set", "assign") and "=" in rest:
        value = rest.partition("=")[2].strip()
        return _curly_call(value, engine, "python", False)
    return None


def i18n_call(tag_text: str, engine: str | None = None) -> I18nCall | None:
    """The translation call a tag makes, if it is one (the whole tag text, delimiters
    included): Rails ``<%= t(".key") %>``, Laravel ``{{ __('key') }}``/``@lang('key')``,
    gettext ``{{ _("msg") }}``/``{% trans "msg" %}``, Go ``{{.locale.Tr "key"}}``, i18next
    ``{{ $t('key') }}``/``{{t "key"}}``/``{{ 'key' | t }}``; None for anything else."""
    parts = _tag_text(tag_text)
    if parts is None:
        return None
    if parts.form == "erb":
        return _rails_call(parts.body, parts.output)
    if parts.form == "percent":
        return _percent_call(parts.body, engine)
    if parts.form == "directive":
        if parts.directive in ("lang", "choice") and parts.args:
            key, dynamic = _key_arg(_first_arg(parts.args), "php")
            return I18nCall(key, "laravel", dynamic, True)
        return None
    lang = "php" if parts.form == "raw" or engine == "blade" else "python"
    return _curly_call(parts.body, engine, lang, parts.output)


def _literal_name(arg: str, lang: str) -> str:
    """A referenced name given as one literal (an array's first one); "" otherwise."""
    arg = arg.strip()
    if arg.startswith("["):
        arg = _first_arg(arg[1:].rstrip().removesuffix("]"))
    key, dynamic = _key_arg(arg, lang)
    return "" if dynamic else key


def _erb_reference(code: str) -> TemplateRef | None:
    """``<%= yield %>``, ``<%= yield :head %>``, ``<%= render "shared/footer" %>``,
    ``<%= render partial: "x" %>``, ``<%= render layout: "x" do %>``."""
    ym = _ERB_YIELD.fullmatch(code)
    if ym is not None:
        return TemplateRef("slot", ym.group(1) or "")
    rm = _ERB_RENDER.match(code)
    if rm is None:
        return None
    rest = code[rm.end() :]
    om = _RENDER_OPTION.match(rest)
    if om is not None:
        rest = rest[om.end() :]
    first = _first_arg(rest)
    literal = _LITERAL.match(first)
    return TemplateRef("include", _unescape(literal.group(0), "ruby") if literal else "")


_BLADE_REFERENCES = {
    "extends": "extends", "include": "include", "includeif": "include", "each": "include",
    "includefirst": "include", "component": "include", "componentfirst": "include",
    "includewhen": "include", "includeunless": "include", "yield": "slot",
}


def _blade_reference(directive: str, args: str | None) -> TemplateRef | None:
    """``@extends('x')``, ``@include('x')``, ``@component('mail::message')``,
    ``@yield('content')``, ``@section('content')`` (with a second argument: ``define``),
    ``@endsection``/``@stop``/``@show``/``@endcomponent``."""
    if directive in ("endsection", "stop", "show", "overwrite", "append", "endcomponent",
                     "endslot"):
        return TemplateRef("endblock", "")
    if args is None:
        return None
    if directive in ("section", "slot"):
        inline = _flatten(args).find(",") != -1
        return TemplateRef("define" if inline else "block", _literal_name(_first_arg(args), "php"))
    kind = _BLADE_REFERENCES.get(directive)
    if kind is None:
        return None
    index = 1 if directive in ("includewhen", "includeunless") else 0
    return TemplateRef(kind, _literal_name(_nth_arg(args, index), "php"))


def _percent_reference(body: str) -> TemplateRef | None:
    """``{% extends %}``, ``{% include %}``, Liquid ``{% render %}``/``{% layout %}``,
    ``{% block x %}``, ``{% endblock [x] %}``."""
    word, _, rest = body.partition(" ")
    rest = rest.strip()
    first = rest.split(None, 1)[0] if rest else ""
    if word == "block":
        return TemplateRef("block", first)
    if word == "endblock":
        return TemplateRef("endblock", first)
    kind = {"extends": "extends", "layout": "extends", "include": "include", "render": "include",
            "embed": "include", "section": "include"}.get(word)
    if kind is None:
        return None
    literal = _LITERAL.match(rest)
    if literal is not None:  # {% include "x.html" with a=b %}, {% render 'x', a: b %}
        return TemplateRef(kind, _unescape(literal.group(0), "python"))
    if rest.startswith("["):  # Jinja: the first of a list of templates
        return TemplateRef(kind, _literal_name(rest, "python"))
    if "." in first or "/" in first:  # Jekyll: {% include footer.html %}
        return TemplateRef(kind, first)
    return TemplateRef(kind, "")


def _curly_reference(form: str, body: str, engine: str | None) -> TemplateRef | None:
    """Handlebars partials and layouts, Postmark's ``{{{ @content }}}``, Blade's ``{{ $slot
    }}``, Liquid's ``{{ content }}``, Go's ``{{template}}``/``{{block}}``/``{{define}}``."""
    if form == "curly" and body.startswith((">", "#>")):
        partial = body.lstrip("#>").strip()
        if partial.startswith("@partial-block"):
            return TemplateRef("slot", "")
        word = partial.split(None, 1)[0] if partial else ""
        literal = _LITERAL.match(word)
        name = _unescape(literal.group(0), "js") if literal else "" if word[:1] == "(" else word
        return TemplateRef("include", name)
    if form == "curly" and body.startswith("!<"):  # Ghost: {{!< default}}
        return TemplateRef("extends", body[2:].strip())
    if body == "@content" or (form == "triple" and body == "body"):
        return TemplateRef("slot", "")
    if form in ("curly", "raw") and body == "$slot" and engine in (None, "blade"):
        return TemplateRef("slot", "")
    if form == "curly" and (
        (body == "content" and engine == "liquid")
        or (body == "content_for_layout" and engine in (None, "liquid"))
    ):
        return TemplateRef("slot", "")
    if form == "curly" and engine in (None, "go"):
        words = _go_words(body)
        kind = {"template": "include", "block": "block", "define": "define"}.get(
            words[0] if words else ""
        )
        if kind is not None and len(words) >= 2 and _LITERAL.fullmatch(words[1]):
            return TemplateRef(kind, _unescape(words[1], "go"))
    if form == "curly" and engine in (None, "twig") and _TWIG_INCLUDE.match(body):
        args = _call_args(body, body.index("("))
        return TemplateRef("include", _literal_name(_first_arg(args or ""), "python"))
    return None


def template_reference(tag_text: str, engine: str | None = None) -> TemplateRef | None:
    """What a tag says about other templates: a layout it extends, a partial it includes, a
    slot where a child's content goes, a named block it opens or ends."""
    parts = _tag_text(tag_text)
    if parts is None:
        return None
    if parts.form == "erb":
        return _erb_reference(parts.body)
    if parts.form == "directive":
        return _blade_reference(parts.directive, parts.args)
    if parts.form == "percent":
        return _percent_reference(parts.body)
    return _curly_reference(parts.form, parts.body, engine)


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
