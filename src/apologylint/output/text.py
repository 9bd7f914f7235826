"""``--format text`` (the default): ``path:line:col: CODE slug severity message``.

One finding per line, so that editors and ``grep`` can read it; the suggestion, when the
rule has one, follows the message on the same line in parentheses. Then a summary line,
as ruff prints it. Input errors go to standard error (the CLI writes them), not here.
"""

from __future__ import annotations

from ..model import Diagnostic, Report, Severity
from . import OutputOptions, sorted_diagnostics


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_diagnostic(d: Diagnostic) -> str:
    line = f"{d.path}:{d.line}:{d.column}: {d.code} {d.rule} {d.severity.label} {d.message}"
    if d.suggestion:
        line += f" (suggestion: {d.suggestion})"
    return " ".join(line.splitlines())


def summary(report: Report) -> str:
    """``Found N problems (E errors, W warnings, I infos) in F files.`` or
    ``All checks passed.``; plus how many inputs could not be checked."""
    lines: list[str] = []
    diagnostics = report.diagnostics
    if diagnostics:
        counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
        files = len({d.path for d in diagnostics})
        lines.append(
            f"Found {_plural(len(diagnostics), 'problem')} "
            f"({_plural(counts[Severity.ERROR], 'error')}, "
            f"{_plural(counts[Severity.WARNING], 'warning')}, "
            f"{_plural(counts[Severity.INFO], 'info')}) "
            f"in {_plural(files, 'file')}."
        )
    elif not report.errors:
        checked = report.files_checked or not report.skipped
        lines.append("All checks passed." if checked else "No message to check.")
    if report.errors:
        unread = len({e.path for e in report.errors})
        lines.append(f"{_plural(unread, 'input')} could not be checked.")
    if report.skipped:
        n = len(report.skipped)
        lines.append(f"{_plural(n, 'file')} {'is' if n == 1 else 'are'} not a message of "
                     "its own (layouts, partials, documents ...; --verbose lists them).")
    return "\n".join(lines)


def render(report: Report, options: OutputOptions) -> str:
    lines = [format_diagnostic(d) for d in sorted_diagnostics(report)]
    if not options.quiet:
        lines.append(summary(report))
    text = "\n".join(lines)
    if options.ascii_only:
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    return text + "\n" if text else ""
