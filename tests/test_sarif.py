"""``--format sarif``: SARIF 2.1.0, valid against the official schema (checked with the
real ``jsonschema`` validator), rules described from their metadata, results that agree
with the JSON output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from apologylint.model import Diagnostic, Report, Severity
from apologylint.output import OutputOptions
from apologylint.output import sarif as sarif_format
from apologylint.rules import all_rules
from conftest import NOREPLY_DRAFT, PERSON_DRAFT, POLISH_NOREPLY_DRAFT, ROOT, CliRunner

jsonschema = pytest.importorskip("jsonschema")


def _schema_path() -> Path | None:
    """The schema beside the checkout (as CI lays it out), else the developers' copy."""
    env = os.environ.get("APOLOGYLINT_SARIF_SCHEMA")
    candidates = [Path(env)] if env else []
    candidates += [
        ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json",
        Path("/work/shared/schemas/sarif-schema-2.1.0.json"),
    ]
    return next((p for p in candidates if p.is_file()), None)


@pytest.fixture(scope="module")
def validator() -> Any:
    path = _schema_path()
    if path is None:
        pytest.skip("sarif-schema-2.1.0.json not found beside the checkout "
                    "(shared/schemas) nor in /work/shared/schemas")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _valid(validator: Any, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
    )


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "mail folder"  # a space: URIs must be percent-encoded
    folder.mkdir()
    (folder / "noreply.txt").write_text(NOREPLY_DRAFT, encoding="utf-8")
    (folder / "person.txt").write_text(PERSON_DRAFT, encoding="utf-8")
    (folder / "polski.txt").write_text(POLISH_NOREPLY_DRAFT, encoding="utf-8")
    (folder / "oops.html").write_text(
        "<html><head><title>Oops! Wrong email</title></head><body><p>Whoops, our bad: "
        "yesterday's email went to the wrong list. LOL.</p></body></html>",
        encoding="utf-8",
    )
    (folder / "broken.eml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00IHDR" + bytes(64))
    return folder


def test_cli_output_is_valid_and_agrees_with_json(
    drafts: Path, run_cli: CliRunner, validator: Any
) -> None:
    sarif = run_cli("--format", "sarif", "mail folder", cwd=drafts.parent)
    as_json = run_cli("--format", "json", "mail folder", cwd=drafts.parent)
    assert sarif.code == as_json.code == 2  # broken.eml could not be read
    log = json.loads(sarif.out)
    _valid(validator, log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    expected = [e for e in json.loads(as_json.out) if e["rule"] != "input-error"]
    results = run["results"]
    assert len(results) == len(expected) > 5
    rules = run["tool"]["driver"]["rules"]
    for result, entry in zip(results, expected, strict=True):
        assert result["ruleId"] == entry["code"]
        assert rules[result["ruleIndex"]]["id"] == entry["code"]
        assert result["level"] == {"error": "error", "warning": "warning",
                                   "info": "note"}[entry["severity"]]
        assert result["message"]["text"].startswith(entry["message"])
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = location["artifactLocation"]["uri"]
        assert uri == entry["path"].replace(os.sep, "/").replace(" ", "%20")
        region = location["region"]
        assert (region["startLine"], region["startColumn"]) == (entry["line"], entry["column"])
        assert (region["endLine"], region["endColumn"]) == (
            entry["end_line"], entry["end_column"])
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file://") and base.endswith("/")
    # the unreadable input is a notification, and the run says it was not all successful
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "broken.eml" in json.dumps(note["locations"])


def test_rules_are_described_from_their_metadata(validator: Any) -> None:
    log = sarif_format.sarif_log(Report())
    _valid(validator, log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "apologylint"
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == [r.code for r in rules]
    for descriptor, rule in zip(driver["rules"], rules, strict=True):
        assert descriptor["name"] == rule.slug
        assert descriptor["shortDescription"]["text"] == " ".join(rule.summary.split())
        assert descriptor["fullDescription"]["text"] == " ".join(rule.rationale.split())
        assert descriptor["help"]["markdown"] == rule.describe()
        assert descriptor["defaultConfiguration"]["level"] == {
            Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"
        }[rule.severity]
        assert rule.family in descriptor["properties"]["tags"]
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_odd_paths_and_positions_stay_valid(validator: Any, tmp_path: Path) -> None:
    absolute = str(tmp_path / "ünïcode dir" / "a#b.eml")
    report = Report(diagnostics=[
        Diagnostic(absolute, "no-reply-sender", "AL101", Severity.ERROR, "m", 2, 1, 2, 40),
        Diagnostic("-", "jokey-tone", "AL401", Severity.WARNING, "stdin", 3, 5, 3, 9, "s"),
        Diagnostic("rel/x.txt", "vague-subject", "AL202", Severity.INFO, "zero", 1, 1, 1, 1),
        Diagnostic("rel/y.txt", "made-up", "AL999", Severity.INFO, "unknown rule", 1, 1, 1, 1),
    ])
    log = json.loads(sarif_format.render(report, OutputOptions(ascii_only=True)))
    _valid(validator, log)
    locations = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    uris = {loc["artifactLocation"]["uri"] for loc in locations}
    assert Path(absolute).as_uri() in uris
    assert "rel/x.txt" in uris and "-" in uris
    unknown = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "AL999")
    assert "ruleIndex" not in unknown
    suggested = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "AL401")
    assert suggested["properties"]["suggestion"] == "s"


def test_exit_zero_with_sarif(drafts: Path, run_cli: CliRunner, validator: Any) -> None:
    good = drafts / "person.txt"
    bad = drafts / "noreply.txt"
    assert run_cli("--format", "sarif", str(good)).code == 0
    result = run_cli("--format", "sarif", "--exit-zero", str(bad))
    assert result.code == 0
    _valid(validator, json.loads(result.out))


def test_the_validator_is_not_a_rubber_stamp(validator: Any) -> None:
    report = Report(diagnostics=[
        Diagnostic("a.txt", "no-reply-sender", "AL101", Severity.ERROR, "m", 2, 1, 2, 40),
    ])
    log = sarif_format.sarif_log(report)
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(validator.iter_errors(log))) >= 2
