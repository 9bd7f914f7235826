"""Output formats: one module per format, found by file name.

A format is a module ``apologylint/output/<name>.py`` with a function
``render(report: Report, options: OutputOptions) -> str`` returning the whole text for
standard output. Adding a format (``sarif``, ``github`` ...) is adding a file: the CLI
lists :func:`available_formats` for ``--format`` without importing any of them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol, cast

from ..model import Diagnostic, Draft, InputError, Report, Severity

__all__ = [
    "Formatter",
    "OutputOptions",
    "available_formats",
    "entries",
    "get_formatter",
    "sort_key",
    "sorted_diagnostics",
    "sorted_errors",
]


@dataclass(frozen=True)
class OutputOptions:
    """What a format may need beyond the report."""

    #: only the findings: no summary, no "All checks passed."
    quiet: bool = False
    #: the --fail-on threshold of the run (a format may mark what fails the run)
    fail_on: Severity = Severity.ERROR
    #: escape non-ASCII characters (when standard output cannot encode them)
    ascii_only: bool = False
    #: the linted drafts, for formats that show them (html); empty when not kept
    drafts: Sequence[Draft] = ()


class Formatter(Protocol):
    """What a format module provides."""

    def render(self, report: Report, options: OutputOptions) -> str: ...


def available_formats() -> list[str]:
    """Names of the format modules beside this file (nothing is imported)."""
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")
    )


def get_formatter(name: str) -> Formatter:
    """The format module for ``name``; ``KeyError`` if there is none."""
    if name not in available_formats():
        raise KeyError(name)
    module: ModuleType = importlib.import_module(f"{__name__}.{name}")
    return cast(Formatter, module)


def sort_key(path: str, line: int, column: int, code: str) -> tuple[str, int, int, str]:
    return (path, line, column, code)


def sorted_diagnostics(report: Report) -> list[Diagnostic]:
    """Findings in a stable order: path, then line, column and code."""
    return sorted(
        report.diagnostics,
        key=lambda d: (d.path, d.line, d.column, d.code, d.end_line, d.end_column, d.message),
    )


def sorted_errors(report: Report) -> list[InputError]:
    return sorted(report.errors, key=lambda e: (e.path, e.message))


def entries(report: Report) -> list[dict[str, Any]]:
    """Findings and input errors as plain dicts (``Diagnostic.to_dict`` keys), sorted."""
    items = [d.to_dict() for d in report.diagnostics] + [e.to_dict() for e in report.errors]
    items.sort(
        key=lambda d: (
            d["path"], d["line"], d["column"], d["code"], d["end_line"], d["end_column"],
            d["message"],
        )
    )
    return items
