"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE slug::message`` —
``error``, ``warning`` or ``notice`` after the finding's severity. GitHub shows each on
the line of the pull request's diff. Values are escaped as the runner expects (``%``,
CR and LF everywhere; ``:`` and ``,`` too inside properties), so a message can never
end the command early or inject another one. An input that could not be read is an
``error`` annotation on its file (the same line also goes to standard error).
"""

from __future__ import annotations

from ..model import Diagnostic, InputError, Report, Severity
from . import OutputOptions, sorted_diagnostics, sorted_errors

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: list[tuple[str, str | int]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{kind} {props}::{escape_data(message)}"


def format_diagnostic(d: Diagnostic) -> str:
    end_line, end_column = d.end_line, d.end_column
    if (end_line, end_column) < (d.line, d.column):
        end_line, end_column = d.line, d.column
    message = d.message
    if d.suggestion:
        message += f" (suggestion: {d.suggestion})"
    return _command(
        COMMANDS[d.severity],
        [
            ("file", d.path),
            ("line", d.line),
            ("col", d.column),
            ("endLine", end_line),
            ("endColumn", end_column),
            ("title", f"{d.code} {d.rule}"),
        ],
        message,
    )


def format_error(e: InputError) -> str:
    return _command("error", [("file", e.path), ("title", "AL000 input-error")],
                    f"could not be checked: {e.message}")


def render(report: Report, options: OutputOptions) -> str:
    lines = [format_diagnostic(d) for d in sorted_diagnostics(report)]
    lines += [format_error(e) for e in sorted_errors(report)]
    text = "\n".join(lines)
    if options.ascii_only:
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    return text + "\n" if text else ""
