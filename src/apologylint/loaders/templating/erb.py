"""ERB ``<% %>`` (Rails mailer views): Ruby code inside tags.

Fallbacks ``<%= x || "y" %>``, ``<%= x.presence || 'y' %>``, ``<%= x.present? ? x : "y"
%>``; the field of ``<%= @user.first_name.capitalize %>`` is ``user.first_name``. ``<% if
x.present? %>`` guards its branch (``<% unless x.blank? %>`` too), ``<% n = x || "y" %>``
and ``<% n ||= "y" %>`` assign with a default. ``<%# %>`` is a comment, ``<%%`` a literal.
"""

from __future__ import annotations

import re

from .expressions import (
    _MAX_VALUE,
    _call_args,
    _first_arg,
    _first_top,
    _flatten,
    _output_and_default,
    _unparen,
)
from .tags import _MAX_COND_NAMES, _STRING, FoundTag, _CachedFind, _Info

#: Longest ERB tag ``<% ... %>`` (a code block may be long; a stray ``<%`` must not swallow
#: the rest of a file).
_MAX_ERB = 4000

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
    return _output_and_default(code, flat, ("||", " or "), _ruby_name, _ruby_cond)


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
