"""``--statistics``: how many findings each rule made, instead of the findings.

Most frequent first (then by code), as ruff prints it: ``COUNT  CODE  slug``. With
``--format json`` the same rows are a JSON array of ``{"code", "rule", "count"}``. Not a
format of its own (the leading underscore keeps it out of ``--format``).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..model import Report
from . import OutputOptions


def counts(report: Report) -> list[dict[str, Any]]:
    """``{"code", "rule", "count"}`` per rule that fired, most frequent first."""
    tally = Counter((d.code, d.rule) for d in report.diagnostics)
    rows = sorted(tally.items(), key=lambda item: (-item[1], item[0][0], item[0][1]))
    return [{"code": code, "rule": rule, "count": n} for (code, rule), n in rows]


def render_text(report: Report, options: OutputOptions) -> str:
    rows = counts(report)
    if not rows:
        return "" if options.quiet else "No findings.\n"
    width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    lines = [
        f"{row['count']:>{width}}  {row['code']:<{code_width}}  {row['rule']}" for row in rows
    ]
    if not options.quiet:
        total = sum(row["count"] for row in rows)
        lines.append(f"{total:>{width}}  findings in total")
    return "\n".join(lines) + "\n"


def render_json(report: Report, options: OutputOptions) -> str:
    return json.dumps(counts(report), indent=2, ensure_ascii=options.ascii_only) + "\n"
