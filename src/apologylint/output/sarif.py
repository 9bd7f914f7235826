"""``--format sarif``: a SARIF 2.1.0 log, for GitHub code scanning and other viewers.

One run; ``tool.driver.rules`` describes every rule from its metadata (summary, rationale,
the ``explain`` text as help, the default severity), and each finding is a result that
points at its rule by ``ruleId`` (the code) and ``ruleIndex``. Regions use SARIF's own
convention, which is apologylint's: 1-based lines and columns, the end column just past
the last character. Paths relative to the working folder are relative URIs against
``%SRCROOT%`` (what code-scanning uploads expect); absolute paths are ``file:`` URIs.
An input that could not be read is a tool execution notification, not a result.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import Diagnostic, InputError, Report, Severity
from . import OutputOptions, sorted_diagnostics, sorted_errors

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(path: str) -> dict[str, Any]:
    """A SARIF artifactLocation for a path as the report names it."""
    if path in ("-", "") or path.startswith("<"):
        return {"uri": quote(path or "-", safe="")}
    # a name's bytes as the file system has them (os.fsencode): a file name that is not
    # UTF-8 ("bad\udcffname.txt") is percent-encoded as its byte (%FF), never an error
    p = Path(path)
    if p.is_absolute():
        try:
            return {"uri": p.as_uri()}
        except UnicodeEncodeError:
            return {"uri": "file://" + quote(os.fsencode(p.as_posix()), safe="/:")}
    posix = PurePosixPath(p.as_posix())
    parts = [quote(os.fsencode(part), safe="") for part in posix.parts if part not in (".",)]
    return {"uri": "/".join(parts), "uriBaseId": SRCROOT}


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    summary = " ".join(rule.summary.split())
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": " ".join(rule.rationale.split())},
        "help": {"text": rule.describe(), "markdown": rule.describe()},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family], "slug": rule.slug},
    }


def _region(d: Diagnostic) -> dict[str, int]:
    region = {"startLine": d.line, "startColumn": d.column}
    end_line, end_column = d.end_line, d.end_column
    if (end_line, end_column) < (d.line, d.column):
        end_line, end_column = d.line, d.column
    region["endLine"] = end_line
    region["endColumn"] = end_column
    return region


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    text = d.message
    if d.suggestion:
        text += f" (suggestion: {d.suggestion})"
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": LEVELS[d.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(d.path),
                    "region": _region(d),
                }
            }
        ],
        "properties": {"slug": d.rule, "severity": d.severity.label},
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if d.suggestion:
        result["properties"]["suggestion"] = d.suggestion
    return result


def _notification(e: InputError) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"could not be checked: {e.message}"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(e.path)}}],
        "descriptor": {"id": "AL000"},
    }


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data."""
    from ..rules import all_rules

    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_result(d, index) for d in sorted_diagnostics(report)]
    errors = sorted_errors(report)
    cwd = Path(os.getcwd()).as_uri().rstrip("/") + "/"
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "apologylint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": cwd}},
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [_notification(e) for e in errors],
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, options: OutputOptions) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=options.ascii_only) + "\n"
