"""The rule registry: every rule module, discovered by file name, in code order.

A rule module is ``alNNN_<slug>.py`` holding one :class:`~.base.Rule` subclass. Adding a
rule is adding a file; nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from .base import Example, Finding, NotChecked, Option, Rule

__all__ = [
    "Example",
    "Finding",
    "NotChecked",
    "Option",
    "Rule",
    "all_rules",
    "find_rule",
    "match_selector",
]


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code. Imported once per process (immutable)."""
    found: list[type[Rule]] = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("al"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                found.append(value)
    found.sort(key=lambda r: r.code)
    return tuple(found)


def find_rule(name: str) -> type[Rule] | None:
    """A rule by slug or code (case-insensitive)."""
    key = name.strip().lower()
    for rule in all_rules():
        if rule.slug == key or rule.code.lower() == key:
            return rule
    return None


def match_selector(rule: type[Rule], selector: str) -> bool:
    """True if ``selector`` names the rule: its slug, its code, a code prefix (``AL1``,
    ``AL30``), ``ALL``, or its family name."""
    sel = selector.strip().lower()
    if not sel:
        return False
    if sel == "all" or sel == rule.slug or sel == rule.family:
        return True
    code = rule.code.lower()
    return sel.startswith("al") and code.startswith(sel)


def is_known_selector(selector: str) -> bool:
    """Whether a selector names at least one rule (for clear config errors)."""
    return any(match_selector(rule, selector) for rule in all_rules())
