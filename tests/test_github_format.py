"""``--format github``: GitHub Actions workflow commands, one per finding, escaped so that
no message can break out of its command; plus the other output options (``--output-file``,
``--statistics``, ``--exit-zero``) that every format shares."""

from __future__ import annotations

import json
import re
from pathlib import Path

from apologylint.model import Diagnostic, InputError, Report, Severity
from apologylint.output import OutputOptions
from apologylint.output import github as github_format
from conftest import NOREPLY_DRAFT, PERSON_DRAFT, POLISH_NOREPLY_DRAFT, CliRunner

#: ``::kind key=value,...::message`` — what the Actions runner parses
COMMAND = re.compile(r"^::(error|warning|notice) ((?:[A-Za-z]+=[^,:]*)(?:,[A-Za-z]+=[^,:]*)*)"
                     r"::(.*)$")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    m = COMMAND.match(line)
    assert m is not None, line
    props = dict(item.split("=", 1) for item in m.group(2).split(","))
    return m.group(1), props, m.group(3)


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","),
                       ("%25", "%")):
        text = text.replace(code, char)
    return text


def test_cli_annotations_agree_with_json(tmp_path: Path, run_cli: CliRunner) -> None:
    (tmp_path / "noreply.txt").write_text(NOREPLY_DRAFT, encoding="utf-8")
    (tmp_path / "polski.txt").write_text(POLISH_NOREPLY_DRAFT, encoding="utf-8")
    (tmp_path / "person.txt").write_text(PERSON_DRAFT, encoding="utf-8")
    github = run_cli("--format", "github", ".", cwd=tmp_path)
    as_json = run_cli("--format", "json", ".", cwd=tmp_path)
    assert github.code == as_json.code == 1
    expected = json.loads(as_json.out)
    lines = github.lines
    assert len(lines) == len(expected) >= 2
    for line, entry in zip(lines, expected, strict=True):
        kind, props, message = _parse(line)
        assert kind == {"error": "error", "warning": "warning", "info": "notice"}[
            entry["severity"]]
        assert _unescape(props["file"]) == entry["path"]
        assert int(props["line"]) == entry["line"] and int(props["col"]) == entry["column"]
        assert int(props["endLine"]) == entry["end_line"]
        assert int(props["endColumn"]) == entry["end_column"]
        assert _unescape(props["title"]) == f"{entry['code']} {entry['rule']}"
        assert _unescape(message).startswith(entry["message"])
    assert any("no-reply-sender" in line for line in lines)
    assert "Found" not in github.out  # annotations only: no summary line to confuse Actions


def test_severities_map_to_error_warning_notice() -> None:
    report = Report(diagnostics=[
        Diagnostic("a.txt", "r1", "AL101", Severity.ERROR, "e", 1, 1, 1, 2),
        Diagnostic("a.txt", "r2", "AL204", Severity.WARNING, "w", 2, 1, 2, 2),
        Diagnostic("a.txt", "r3", "AL999", Severity.INFO, "i", 3, 1, 3, 2),
    ])
    kinds = [_parse(line)[0] for line in github_format.render(report, OutputOptions())
             .splitlines()]
    assert kinds == ["error", "warning", "notice"]


def test_hostile_messages_and_paths_cannot_break_out() -> None:
    report = Report(
        diagnostics=[Diagnostic(
            "dir,with:odd/100% sure.txt", "jokey-tone", "AL401", Severity.ERROR,
            "line one\n::error file=x::injected\r\n100%", 4, 2, 3, 1,
            suggestion="say: sorry, plainly",
        )],
        errors=[InputError("bad,file.eml", "binary content\nnot a message")],
    )
    out = github_format.render(report, OutputOptions())
    lines = out.splitlines()
    assert len(lines) == 2  # no newline survived unescaped
    kind, props, message = _parse(lines[0])
    assert kind == "error"
    assert _unescape(props["file"]) == "dir,with:odd/100% sure.txt"
    # an end before the start (should never happen) is clamped to the start
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == (
        "4", "2", "4", "2")
    assert _unescape(message) == (
        "line one\n::error file=x::injected\r\n100% (suggestion: say: sorry, plainly)")
    kind, props, message = _parse(lines[1])
    assert (kind, _unescape(props["file"]), props["title"]) == (
        "error", "bad,file.eml", "AL000 input-error")
    assert "%0A" in message


def test_no_findings_no_output(tmp_path: Path, run_cli: CliRunner) -> None:
    good = tmp_path / "person.txt"
    good.write_text(PERSON_DRAFT, encoding="utf-8")
    result = run_cli("--format", "github", "--select", "AL1", str(good))
    assert result.code == 0 and result.out == ""


# -- options every format shares -----------------------------------------------------------


def test_output_file(tmp_path: Path, run_cli: CliRunner) -> None:
    draft = tmp_path / "noreply.txt"
    draft.write_text(NOREPLY_DRAFT, encoding="utf-8")
    target = tmp_path / "out.json"
    result = run_cli("--format", "json", "--output-file", str(target), str(draft))
    assert result.code == 1 and result.out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert any(d["rule"] == "no-reply-sender" for d in data)
    result = run_cli("-o", str(tmp_path / "out.txt"), str(draft))
    assert "AL101 no-reply-sender" in (tmp_path / "out.txt").read_text(encoding="utf-8")
    result = run_cli("-o", str(tmp_path / "no such dir" / "x.txt"), str(draft))
    assert result.code == 2 and "cannot write" in result.err


def test_output_file_keeps_non_ascii(tmp_path: Path, run_cli: CliRunner) -> None:
    draft = tmp_path / "polski.txt"
    draft.write_text(POLISH_NOREPLY_DRAFT, encoding="utf-8")
    target = tmp_path / "out.txt"
    run_cli("-o", str(target), str(draft))
    assert "nie-odpowiadaj@sklep.example" in target.read_text(encoding="utf-8")


def test_statistics(tmp_path: Path, run_cli: CliRunner) -> None:
    (tmp_path / "a.txt").write_text(NOREPLY_DRAFT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(POLISH_NOREPLY_DRAFT, encoding="utf-8")
    as_json = json.loads(run_cli("--format", "json", ".", cwd=tmp_path).out)
    result = run_cli("--statistics", ".", cwd=tmp_path)
    assert result.code == 1
    rows = [line.split() for line in result.lines]
    counted = {row[1]: int(row[0]) for row in rows if row[1].startswith("AL")}
    expected: dict[str, int] = {}
    for entry in as_json:
        expected[entry["code"]] = expected.get(entry["code"], 0) + 1
    assert counted == expected and counted["AL101"] == 2
    assert [int(r[0]) for r in rows[:-1]] == sorted((int(r[0]) for r in rows[:-1]),
                                                    reverse=True)
    assert result.lines[-1].split()[0] == str(len(as_json))
    stats = json.loads(run_cli("--statistics", "--format", "json", ".", cwd=tmp_path).out)
    assert {row["code"]: row["count"] for row in stats} == expected
    assert {"code", "rule", "count"} == set(stats[0])
    bad = run_cli("--statistics", "--format", "sarif", ".", cwd=tmp_path)
    assert bad.code == 2 and "--statistics" in bad.err


def test_exit_zero_keeps_the_output(tmp_path: Path, run_cli: CliRunner) -> None:
    draft = tmp_path / "noreply.txt"
    draft.write_text(NOREPLY_DRAFT, encoding="utf-8")
    for fmt in ("text", "json", "github", "sarif", "html"):
        normal = run_cli("--format", fmt, str(draft))
        zero = run_cli("--format", fmt, "--exit-zero", str(draft))
        assert normal.code == 1 and zero.code == 0, fmt
        assert "no-reply-sender" in zero.out, fmt
