"""Reading the code inside ERB, Blade and Go tags.

ERB holds Ruby, Blade holds PHP and Go templates hold Go pipelines. A field name, a
default or a condition is read from the tag's code after :func:`_flatten` has blanked
string literals and the inside of brackets: operators at the top level (``||``, ``??``,
a pipe) are then found with ``str.find``, in one pass over the tag.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .tags import _EMPTY_FALLBACKS

#: Assignments read from one tag (a ``@php`` block, ``{% with a=b c=d %}``), and the
#: longest value read of each.
_MAX_ASSIGNS = 50
_MAX_VALUE = 400
#: Values that print nothing: such a default is no fallback.
_NO_VALUE = frozenset({"", '""', "''", "``", "nil", "null", "none", "false", "[]", "{}"})


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


def _output_and_default(
    code: str, flat: str, operators: Sequence[str], name: Callable[[str], str],
    cond: Callable[[str], tuple[tuple[str, ...], bool]],
) -> tuple[str, bool]:
    """Field name and fallback of an output expression, in any of the code-bearing
    engines: ``x OP 'y'`` (``||``, ``??``, ``or`` ...: the engine's ``operators``), or a
    ternary ``cond ? x : 'y'`` whose condition tests the field (``name`` and ``cond`` read
    the engine's own names and conditions)."""
    at, op = _first_top(flat, operators)
    if at != -1:
        return name(code[:at]), _is_default(code[at + len(op) :])
    question = flat.find(" ? ")
    colon = flat.find(" : ", question + 3) if question != -1 else -1
    if colon != -1:
        names, negated = cond(code[:question])
        yes, no = code[question + 3 : colon], code[colon + 3 :]
        field = names[0] if names else name(no if negated else yes)
        return field, _is_default(yes if negated else no)
    return name(code), False
