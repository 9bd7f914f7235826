"""Blade (Laravel): ``{{ $x }}`` and ``{!! $x !!}`` echoes, ``@directives``.

Fallbacks ``{{ $x ?? 'y' }}``, ``{{ $x ?: 'y' }}``, old ``{{ $x or 'y' }}``; the field of
``{{ ucfirst($user->first_name) }}`` is ``user.first_name``. ``@if($x)``/``@isset($x)``
guard their branch, ``@empty($x)`` its else branch; ``@php $n = $x ?? 'y'; @endphp``
assigns with a default. Directives are read only for ``engine="blade"`` (``@media`` in
CSS and ``@handles`` are text elsewhere); :class:`_ParenCloser` matches their bracketed
arguments in linear total time.
"""

from __future__ import annotations

import re

from .expressions import (
    _MAX_ASSIGNS,
    _MAX_VALUE,
    _call_args,
    _first_arg,
    _flatten,
    _output_and_default,
    _unparen,
)
from .tags import (
    _MAX_BLOCK,
    _MAX_COND_NAMES,
    _MAX_CURLY,
    _STRING,
    FoundTag,
    _CachedFind,
    _Info,
)

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
    return _output_and_default(code, _flatten(code), ("??", "?:", " or ", "||"), _php_name,
                               _php_cond)


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
            if k != -1 and k - start <= _MAX_BLOCK:
                code, end = text[end:k], k + len("@endphp")
        out.append(_describe_blade_directive(name, args, code).at(start, end))
        pos = end
