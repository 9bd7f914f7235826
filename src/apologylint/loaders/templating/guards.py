"""The if-guard pass: a tag inside a condition on its own field has a fallback.

An if-guard counts as a fallback in every syntax: a tag inside the true branch of a
condition that tests the same field (``{% if first_name %}``, ``{{#if firstName}}``,
``{{#firstName}}``, ``*|IF:FNAME|*``, ``%%[ IF NOT Empty(@fn) THEN ]%%``, ``<% if
x.present? %>``, ``@if($x)``/``@isset($x)``, ``{{if .X}}``/``{{with .X}}``, the else
branch of ``{% unless x %}``/``{{^x}}``/``*|IFNOT:X|*``/``@empty($x)``), and a variable
assigned with a default (``{% assign n = first_name | default: "x" %}``, AMPscript ``SET
@fn = ...`` checked with ``Empty(@fn)`` in the same block, ``<% n = x || "y" %>``, ``{{
$n := or .X "y" }}``) is guarded from then on. The readers record each tag's keyword,
condition and assignments; this pass keeps per-name counters, so it is linear too.
"""

from __future__ import annotations

from .tags import FoundTag, field_key


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
