"""Go templates (text/template, html/template; Gitea, Gogs, Hugo): ``{{ .X }}`` actions.

Fallbacks ``{{or .X "y"}}``, ``{{.X | default "y"}}``, ``{{default "y" .X}}``; ``{{if
.X}}`` and ``{{with .X}}`` guard their branch, ``{{ $n := or .X "y" }}`` assigns with a
default. The scan keeps a name's leading dot; :func:`_scope_go`, run on the whole list,
resolves it against the ``{{with}}``/``{{range}}``/``{{define}}`` scopes and drops it.
"""

from __future__ import annotations

import re

from .expressions import _flatten, _is_default
from .tags import _MAX_COND_NAMES, FoundTag, _Info

#: What separates the words of a Go command.
_WHITESPACE = " \t\r\n"

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
