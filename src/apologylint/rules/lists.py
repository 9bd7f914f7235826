"""What AL801 (unaffected-recipients) and AL802 (suppressed-recipients) share about the
address lists they compare: the check that both lists are given, the findings about a list
itself, and the one streaming comparison per run. One module that the rules read, so that
no rule imports another."""

from __future__ import annotations

from collections.abc import Iterator

from ..audience import AddressLists, AddressSet, Audience, BadLine, Hit, display_path
from ..context import Context
from ..model import Severity
from .base import Elsewhere, Finding, NotChecked

#: Invalid lines of one list reported one by one; the rest are summed up in one finding.
MAX_BAD_REPORTED = 20
#: The lists used by this rule's examples (relative to a checkout of the repository).
EXAMPLE_LISTS = "tests/fixtures/audience"


def require_lists(ctx: Context, names: tuple[str, str], what: str) -> None:
    """Raise NotChecked unless both list settings are given (a rule never guesses)."""
    missing = " and ".join(f"--{n}" for n in names if not getattr(ctx.settings, n))
    if missing:
        raise NotChecked(f"needs {what} ({missing} not given)")


def listing(hits: list[Hit], count: int) -> str:
    """``a@x (line 2), b@y (line 5) and 3 more`` (empty when no address is kept)."""
    if not hits:
        return ""
    shown = ", ".join(f"{h.address} (line {h.line})" for h in hits)
    rest = count - len(hits)
    return f": {shown}" + (f" and {rest} more" if rest > 0 else "")


def _bad_line_findings(role: str, path: str, bad: list[BadLine], total: int) -> Iterator[Finding]:
    where = display_path(path)
    for item in bad[:MAX_BAD_REPORTED]:
        yield Finding(
            f"line {item.line} of the {role} list is not an email address "
            f"(\u201c{item.text}\u201d): {item.reason.rstrip('.')}; it was left out of "
            "the comparison",
            suggestion="write one address a line (or fix the CSV cell), or delete the line",
            severity=Severity.WARNING,
            elsewhere=Elsewhere(where, item.line, 1, 1 + len(item.text)),
        )
    rest = total - min(len(bad), MAX_BAD_REPORTED)
    if rest > 0:
        more = [str(b.line) for b in bad[MAX_BAD_REPORTED : MAX_BAD_REPORTED + 10]]
        yield Finding(
            f"{rest} more lines of the {role} list are not email addresses (lines "
            f"{', '.join(more)}{' ...' if rest > len(more) else ''}); they were left out of "
            "the comparison",
            severity=Severity.WARNING,
            elsewhere=Elsewhere(where, bad[MAX_BAD_REPORTED].line if len(bad) > MAX_BAD_REPORTED
                                else bad[-1].line),
        )


def list_problems(
    lists: AddressLists, role: str, loaded: AddressSet | Audience
) -> Iterator[Finding]:
    """Findings about a list itself (unusable, or lines that are not addresses), once per
    run for each file."""
    if not lists.claim("list-problems", loaded.path):
        return
    if loaded.error is not None:
        yield Finding(
            f"the {role} list cannot be used: {loaded.error}",
            suggestion="give a text file of one address a line, or a CSV file with a "
            "header row that names the email column ('email')",
            severity=Severity.ERROR,
            elsewhere=Elsewhere(display_path(loaded.path), 1),
        )
        return
    yield from _bad_line_findings(role, loaded.path, loaded.bad, loaded.bad_count)


def audience_of(ctx: Context) -> Audience:
    """The recipient list against whichever of the affected/suppressed lists are given
    (one streaming pass per run, shared by AL801 and AL802)."""
    s = ctx.settings
    assert s.recipients is not None
    return ctx.lists.audience(s.recipients, s.affected, s.suppressed, s.max_listed_addresses)
