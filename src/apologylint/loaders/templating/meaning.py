"""What one tag's text means to the code that assembles messages from repositories.

:func:`i18n_call` reads the translation a tag prints (Rails, Laravel, gettext, Go,
i18next); :func:`template_reference` the layout it extends, the partial it includes, the
slot or block it marks. Both take the whole tag text, delimiters included, and reuse the
syntax readers' helpers rather than the scanner.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .erb import _RUBY_ASSIGN, _erb_code, _ruby_unwrap
from .expressions import _call_args, _first_arg, _flatten, _unparen
from .gotemplate import _go_commands, _go_words
from .tags import _strip_ws_control


class I18nCall(NamedTuple):
    """A translation call a tag makes (:func:`i18n_call`)."""

    #: The literal key/msgid as written, unescaped ("" when dynamic).
    key: str
    #: "rails" | "laravel" | "gettext" | "go" | "i18next" | "symfony"
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


# -- a tag taken apart; string literals and their values ------------------------------------


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


def _literal_name(arg: str, lang: str) -> str:
    """A referenced name given as one literal (an array's first one); "" otherwise."""
    arg = arg.strip()
    if arg.startswith("["):
        arg = _first_arg(arg[1:].rstrip().removesuffix("]"))
    key, dynamic = _key_arg(arg, lang)
    return "" if dynamic else key


# -- translation calls ----------------------------------------------------------------------

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
#: A project's own gettext wrapper, as in Flask-Security's ``{{ _fsdomain('Welcome!') }}``:
#: a ``_name(...)`` call in the ``{{ }}`` of these engines, whose name is one of
#: :data:`_GETTEXT_WRAPPER_NAMES` (Flask-Babel's ``_l``, ``_n``) or holds one of
#: :data:`_GETTEXT_WRAPPER_WORDS`; other ``_helpers()`` are no translation.
_GETTEXT_WRAPPER_ENGINES = (None, "jinja", "django", "nunjucks")
_GETTEXT_WRAPPER_NAMES = ("_", "_l", "_n")
_GETTEXT_WRAPPER_WORDS = ("gettext", "trans", "domain")
_UNDERSCORE_CALL = re.compile(r"(_\w{0,60})\s{0,3}\(")


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


#: Symfony's Twig filter: ``'key'|trans``, ``'key'|trans({'%name%': x}, 'email')``.
_SYMFONY_TRANS = re.compile(r"\s{0,5}trans(?:\s{0,5}\(|\s{0,5}$)")


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
        if _SYMFONY_TRANS.match(commands[1]) and engine in (None, "twig"):
            key, dynamic = _key_arg(head, "js")  # Twig: 'reset.title'|trans({...}, 'email')
            return I18nCall(key, "symfony", dynamic, output)
        if function in ("t", "translate", "i18n", "T"):
            style = "go" if function in ("i18n", "T") or engine == "go" else "i18next"
            key, dynamic = _key_arg(head, "go" if style == "go" else "js")
            return I18nCall(key, style, dynamic, output)
        return None
    return _bracket_call(body, lang, output)


def _gettext_wrapper_call(body: str, output: bool) -> I18nCall | None:
    """``_fsdomain('x')``, ``_gettext("x")``, ``_l('x')``: gettext when the key is one string
    literal (the first argument; the second for a ``pgettext`` wrapper's context first)."""
    m = _UNDERSCORE_CALL.match(body)
    if m is None:
        return None
    name = m.group(1).lower()
    if name not in _GETTEXT_WRAPPER_NAMES and not any(
        word in name for word in _GETTEXT_WRAPPER_WORDS
    ):
        return None
    args = _call_args(body, m.end() - 1)
    if args is None:
        return None
    key, dynamic = _key_arg(_nth_arg(args, 1 if name.endswith("pgettext") else 0), "python")
    return None if dynamic else I18nCall(key, "gettext", False, output)


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
    gettext ``{{ _("msg") }}``/``{% trans "msg" %}`` (and wrappers: ``{{ _fsdomain("msg")
    }}``), Go ``{{.locale.Tr "key"}}``, i18next ``{{ $t('key') }}``/``{{t "key"}}``/``{{ 'key'
    | t }}``; None for anything else."""
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
    call = _curly_call(parts.body, engine, lang, parts.output)
    if call is None and parts.form == "curly" and engine in _GETTEXT_WRAPPER_ENGINES:
        call = _gettext_wrapper_call(parts.body, parts.output)
    return call


# -- references to other templates ----------------------------------------------------------

_ERB_YIELD = re.compile(r"yield(?:\s{0,5}\(?\s{0,3}:(\w{1,100})\s{0,3}\)?)?")
_ERB_RENDER = re.compile(r"render(?:\s{1,5}|\s{0,5}\(\s{0,5})")
_RENDER_OPTION = re.compile(r":?(partial|layout|template)\s{0,3}(?::|=>)\s{0,3}")
_TWIG_INCLUDE = re.compile(r"include\s{0,3}\(")


def _erb_reference(code: str) -> TemplateRef | None:
    """``<%= yield %>``, ``<%= yield :head %>``, ``<%= render "shared/footer" %>``,
    ``<%= render partial: "x" %>``. ``<%= render layout: "x" do %>`` is None: the layout
    wraps the block that follows the tag, so it cannot be poured in at the tag."""
    ym = _ERB_YIELD.fullmatch(code)
    if ym is not None:
        return TemplateRef("slot", ym.group(1) or "")
    rm = _ERB_RENDER.match(code)
    if rm is None:
        return None
    rest = code[rm.end() :]
    om = _RENDER_OPTION.match(rest)
    if om is not None:
        if om.group(1) == "layout":
            return None
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
