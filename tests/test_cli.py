"""The command line: exit status, text and JSON output, selection, sub-commands, stdin,
and that nothing ever ends in a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from apologylint import __version__
from apologylint.rules import all_rules
from conftest import (
    EXAMPLES,
    NOREPLY_DRAFT,
    PERSON_DRAFT,
    POLISH_NOREPLY_DRAFT,
    ROOT,
    CliRunner,
)

Writer = Callable[..., Path]
TEXT_LINE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>AL\d{3}) (?P<slug>[a-z0-9-]+) "
    r"(?P<severity>error|warning|info) (?P<message>.+)$"
)
JSON_KEYS = {
    "path", "rule", "code", "severity", "message", "line", "column", "end_line",
    "end_column", "suggestion",
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def _findings(out: str) -> list[re.Match[str]]:
    return [m for line in out.splitlines() if (m := TEXT_LINE.match(line))]


# -- exit status -------------------------------------------------------------------------


def test_exit_0_when_nothing_fails(run_cli: CliRunner, write: Writer) -> None:
    draft = write("ok.txt", PERSON_DRAFT)
    result = run_cli("--select", "no-reply-sender", str(draft))
    assert result.code == 0, result
    assert result.out.strip() == "All checks passed."
    assert result.err == ""


def test_exit_1_and_text_line_format(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli("--select", "no-reply-sender", str(draft))
    assert result.code == 1
    (match,) = _findings(result.out)
    assert match["path"] == str(draft)
    assert (match["line"], match["col"]) == ("2", "1")
    assert (match["code"], match["slug"], match["severity"]) == ("AL101", "no-reply-sender",
                                                                  "error")
    assert "no-reply" in match["message"]
    assert result.lines[-1] == "Found 1 problem (1 error, 0 warnings, 0 infos) in 1 file."


def test_exit_2_for_usage_errors(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    for args in (
        ["--no-such-option", str(draft)],
        [],
        ["--format", "yaml", str(draft)],
        ["--fail-on", "fatal", str(draft)],
    ):
        result = run_cli(*args)
        assert result.code == 2, args
        assert result.err.startswith("apologylint: error: "), result.err
        assert result.err.count("\n") == 1, result.err
        assert "Traceback" not in result.err


def test_fail_on_threshold(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    write("pyproject.toml", '[tool.apologylint]\nseverity = { no-reply-sender = "warning" }\n')
    base = ["--select", "no-reply-sender", str(draft)]
    assert run_cli(*base).code == 0  # a warning is below the default --fail-on error
    assert run_cli("--fail-on", "warning", *base).code == 1
    assert run_cli("--fail-on", "info", *base).code == 1
    assert run_cli("--fail-on", "error", *base).code == 0
    assert "1 warning" in run_cli(*base).lines[-1]


def test_fail_on_from_config(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    write(".apologylint.toml", 'fail-on = "info"\nseverity = { AL101 = "info" }\n')
    assert run_cli("--select", "AL101", str(draft)).code == 1
    assert run_cli("--select", "AL101", "--fail-on", "error", str(draft)).code == 0


def test_exit_zero(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli("--exit-zero", "--select", "no-reply-sender", str(draft))
    assert result.code == 0
    assert len(_findings(result.out)) == 1


def test_one_unreadable_input_never_stops_the_others(run_cli: CliRunner, write: Writer) -> None:
    first = write("a-bad.txt", NOREPLY_DRAFT)
    broken = write("b-image.eml", PNG)
    last = write("c-bad.txt", NOREPLY_DRAFT)
    missing = first.parent / "missing.eml"
    result = run_cli("--select", "no-reply-sender", str(first), str(broken), str(missing),
                     str(last))
    assert result.code == 2
    assert {m["path"] for m in _findings(result.out)} == {str(first), str(last)}
    err_lines = result.err.splitlines()
    assert len(err_lines) == 2, result.err
    assert err_lines[0].startswith(f"{broken}: error: ")
    assert err_lines[1].startswith(f"{missing}: error: ")
    assert "Traceback" not in result.err
    assert "1 input could not be checked." not in result.out
    assert "2 inputs could not be checked." in result.out


def test_unreadable_input_wins_over_findings_and_fail_on(run_cli: CliRunner,
                                                         write: Writer) -> None:
    good = write("ok.txt", PERSON_DRAFT)
    broken = write("image.html", PNG)
    result = run_cli("--select", "no-reply-sender", str(good), str(broken))
    assert result.code == 2
    assert result.lines[0] == "1 input could not be checked."


def test_internal_error_is_one_line(run_cli: CliRunner, write: Writer,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import apologylint.api

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(apologylint.api, "_lint_loaded", boom)
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli(str(draft))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "internal error: RuntimeError: kaboom" in result.err
    assert "APOLOGYLINT_DEBUG" in result.err
    monkeypatch.setenv("APOLOGYLINT_DEBUG", "1")
    result = run_cli(str(draft))
    assert result.code == 2
    assert "Traceback" in result.err


# -- output ------------------------------------------------------------------------------


def test_json_shape_and_order(run_cli: CliRunner, write: Writer) -> None:
    b = write("b.txt", NOREPLY_DRAFT)
    a = write("a.txt", POLISH_NOREPLY_DRAFT)
    broken = write("c.eml", PNG)
    result = run_cli("--format", "json", "--select", "AL101", str(b), str(broken), str(a))
    assert result.code == 2
    data = json.loads(result.out)
    assert isinstance(data, list)
    assert all(set(item) == JSON_KEYS for item in data)
    assert [item["path"] for item in data] == [str(a), str(b), str(broken)]
    assert [item["rule"] for item in data] == ["no-reply-sender", "no-reply-sender",
                                               "input-error"]
    first = data[0]
    assert first["code"] == "AL101"
    assert first["severity"] == "error"
    assert (first["line"], first["column"]) == (2, 1)
    assert first["end_line"] >= first["line"]
    assert isinstance(first["suggestion"], str)
    assert data[2]["severity"] == "error"
    assert result.err.startswith(f"{broken}: error: ")


def test_json_empty_is_an_empty_array(run_cli: CliRunner, write: Writer) -> None:
    draft = write("ok.txt", PERSON_DRAFT)
    result = run_cli("--format", "json", "--select", "AL101", str(draft))
    assert (result.code, json.loads(result.out)) == (0, [])


def test_text_is_sorted_and_quiet_drops_the_summary(run_cli: CliRunner, write: Writer) -> None:
    write("z/2.txt", NOREPLY_DRAFT)
    write("a/1.txt", NOREPLY_DRAFT)
    write("m.txt", PERSON_DRAFT)
    root = write("a/1.txt", NOREPLY_DRAFT).parent.parent
    result = run_cli("--select", "AL101", str(root))
    paths = [m["path"] for m in _findings(result.out)]
    assert paths == [str(root / "a" / "1.txt"), str(root / "z" / "2.txt")]
    assert result.lines[-1] == "Found 2 problems (2 errors, 0 warnings, 0 infos) in 2 files."
    quiet = run_cli("-q", "--select", "AL101", str(root))
    assert quiet.lines == result.lines[:-1]


def test_suggestion_stays_on_the_finding_line(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli("-q", "--select", "AL101", str(draft))
    assert len(result.lines) == 1
    assert "(suggestion: " in result.lines[0]


def test_verbose_reports_language_and_not_checked(run_cli: CliRunner, write: Writer) -> None:
    draft = write("template.html", "<html><body><p>We are sorry.</p></body></html>")
    result = run_cli("-v", "--select", "no-reply-sender", str(draft))
    assert result.code == 0
    assert f"{draft}: language en" in result.err
    assert f"{draft}: not checked: no-reply-sender" in result.err


# -- selection ---------------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["no-reply-sender", "AL101", "al101", "AL1", "AL10",
                                      "sender", "ALL"])
def test_select_by_slug_code_prefix_family(run_cli: CliRunner, write: Writer,
                                           selector: str) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli("--format", "json", "--select", selector, str(draft))
    rules = {item["rule"] for item in json.loads(result.out)}
    assert "no-reply-sender" in rules


@pytest.mark.parametrize("selector", ["no-reply-sender", "AL101", "AL1", "sender"])
def test_ignore_by_slug_code_prefix_family(run_cli: CliRunner, write: Writer,
                                           selector: str) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli("--format", "json", "--ignore", selector, str(draft))
    rules = {item["rule"] for item in json.loads(result.out)}
    assert "no-reply-sender" not in rules
    assert "input-error" not in rules


def test_select_narrows_and_more_specific_wins(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    only = run_cli("--format", "json", "--select", "AL101", str(draft))
    assert {item["code"] for item in json.loads(only.out)} == {"AL101"}
    none = run_cli("--format", "json", "--select", "AL1", "--ignore", "AL101", str(draft))
    assert "AL101" not in {item["code"] for item in json.loads(none.out)}
    back = run_cli("--format", "json", "--select", "AL1", "--ignore", "AL10",
                   "--extend-select", "no-reply-sender", str(draft))
    assert "AL101" in {item["code"] for item in json.loads(back.out)}
    tie = run_cli("--format", "json", "--ignore", "AL101",
                  "--extend-select", "no-reply-sender", str(draft))
    assert "AL101" not in {item["code"] for item in json.loads(tie.out)}


def test_comma_lists_and_repeated_options(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    a = run_cli("--format", "json", "--select", "AL101, missing-sender", str(draft))
    b = run_cli("--format", "json", "--select", "AL101", "--select", "missing-sender",
                str(draft))
    assert a.out == b.out
    assert {item["code"] for item in json.loads(a.out)} <= {"AL101", "AL104"}


def test_unknown_selector_is_a_usage_error(run_cli: CliRunner, write: Writer) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli("--select", "no-reply", str(draft))
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("apologylint: error: argument --select: unknown rule")
    assert "did you mean 'no-reply-sender'" in result.err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--incident", "breech"], "argument --incident: unknown incident kind 'breech' "
                                   "(did you mean 'breach'?)"),
        (["--jurisdiction", "eu,us-cal"], "argument --jurisdiction: unknown jurisdiction "
                                          "'us-cal' (did you mean 'us-ca'?)"),
        (["--lang", "english!"], "argument --lang:"),
        (["--recipients", "nope.csv"], "argument --recipients: cannot read 'nope.csv'"),
    ],
)
def test_bad_option_values(run_cli: CliRunner, write: Writer, args: list[str],
                           fragment: str) -> None:
    draft = write("bad.txt", NOREPLY_DRAFT)
    result = run_cli(*args, str(draft), cwd=draft.parent)
    assert result.code == 2
    assert fragment in result.err


def test_from_and_subject_options_reach_templates(run_cli: CliRunner, write: Writer) -> None:
    template = write("t.html", "<html><body><p>We are sorry we sent the wrong link.</p>"
                                "</body></html>")
    result = run_cli("--format", "json", "--select", "AL101", "--from", "noreply@acme.example",
                     "--subject", "Sorry: wrong link", str(template))
    assert [item["rule"] for item in json.loads(result.out)] == ["no-reply-sender"]


# -- stdin -------------------------------------------------------------------------------


def test_stdin(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli("--select", "AL101", "-", stdin=NOREPLY_DRAFT.encode(), cwd=tmp_path)
    assert result.code == 1
    (match,) = _findings(result.out)
    assert (match["path"], match["line"]) == ("-", "2")


def test_stdin_filename(run_cli: CliRunner, tmp_path: Path) -> None:
    html = b"<html><head><meta name='from' content='noreply@acme.example'></head>" \
           b"<body><p>Sorry.</p></body></html>"
    result = run_cli("--select", "AL101", "--stdin-filename", "emails/t.html", "-",
                     stdin=html, cwd=tmp_path)
    assert result.code == 1
    assert result.out.startswith("emails/t.html:1:")


# -- sub-commands ------------------------------------------------------------------------


def test_rules_table(run_cli: CliRunner) -> None:
    result = run_cli("rules")
    assert result.code == 0
    header, *rows = result.lines
    assert header.split()[:5] == ["CODE", "SLUG", "FAMILY", "SEVERITY", "SUMMARY"]
    assert len(rows) == len(all_rules())
    assert any(row.split()[:4] == ["AL101", "no-reply-sender", "sender", "error"]
               for row in rows)


def test_rules_json(run_cli: CliRunner) -> None:
    result = run_cli("rules", "--format", "json")
    data = json.loads(result.out)
    assert result.code == 0
    assert [item["code"] for item in data] == sorted(item["code"] for item in data)
    entry = next(item for item in data if item["code"] == "AL101")
    assert entry == {"code": "AL101", "slug": "no-reply-sender", "family": "sender",
                     "severity": "error", "summary": entry["summary"]}
    assert entry["summary"]


@pytest.mark.parametrize("name", ["no-reply-sender", "AL101", "al101"])
def test_explain(run_cli: CliRunner, name: str) -> None:
    result = run_cli("explain", name)
    assert result.code == 0
    assert result.lines[0] == "# no-reply-sender (AL101)"
    assert "## Why" in result.out


def test_explain_unknown_rule(run_cli: CliRunner) -> None:
    result = run_cli("explain", "no-reply")
    assert result.code == 2
    assert result.out == ""
    assert "unknown rule 'no-reply'" in result.err
    assert "did you mean 'no-reply-sender' (AL101)?" in result.err
    assert run_cli("explain").code == 2


def test_path_named_like_a_subcommand(run_cli: CliRunner, write: Writer,
                                      tmp_path: Path) -> None:
    write("rules/bad.txt", NOREPLY_DRAFT)
    listed = run_cli("rules", cwd=tmp_path)
    assert listed.lines[0].startswith("CODE")
    for args in (["check", "--select", "AL101", "rules"], ["--select", "AL101", "./rules"],
                 ["--select", "AL101", "--", "rules"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.code == 1, args
        assert len(_findings(result.out)) == 1


def test_help(run_cli: CliRunner) -> None:
    result = run_cli("--help")
    assert result.code == 0
    for option in ("--format", "--select", "--ignore", "--incident", "--jurisdiction",
                   "--lang", "--subject", "--from", "--recipients", "--affected",
                   "--suppressed", "--config", "--fail-on", "--version"):
        assert option in result.out


# -- start-up ----------------------------------------------------------------------------


def _python(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "APOLOGYLINT_DEBUG"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=60, check=False)


def test_python_m_version() -> None:
    result = _python("-m", "apologylint", "--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"apologylint {__version__}")


def test_version_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from apologylint.cli import main\n"
        "code = main(['--version'])\n"
        "heavy = sorted(m for m in ('bs4', 'textstat', 'email_validator', 'lxml') "
        "if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    result = _python("-c", code)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stderr


def test_python_m_lints_the_examples() -> None:
    good = _python("-m", "apologylint", str(EXAMPLES / "good-apology.eml"))
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _python("-m", "apologylint", "--select", "no-reply-sender",
                  str(EXAMPLES / "noreply-missing-apology.eml"))
    assert bad.returncode == 1
    assert "AL101 no-reply-sender error" in bad.stdout


def test_missing_language_pack_is_told(run_cli: CliRunner, write: Writer) -> None:
    if not any(rule.uses_language for rule in all_rules()):
        pytest.skip("no rule reads wording yet")
    draft = write("de.txt", NOREPLY_DRAFT)
    result = run_cli("--lang", "de", str(draft))
    assert result.code in (0, 1)
    assert "apologylint: warning: no language pack for 'de'" in result.err


def test_input_over_max_input_bytes_is_an_input_error(run_cli: CliRunner, write: Writer,
                                                      tmp_path: Path) -> None:
    write(".apologylint.toml", "select = ['AL101']\nmax-input-bytes = 100\n")
    write("big.txt", NOREPLY_DRAFT + "x" * 200)
    write("small.txt", "From: noreply@acme.example\n\nSorry.\n")
    result = run_cli(".", cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith("big.txt: error: ")
    assert [m["path"] for m in _findings(result.out)] == ["small.txt"]


def test_no_standard_input(run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch,
                           tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    result = run_cli("-", cwd=tmp_path)
    assert result.code == 2
    assert result.err.startswith("-: error: cannot read standard input")


def test_readme_sample_output_is_real(run_cli: CliRunner) -> None:
    """The README's console sample: its finding lines parse, name real rules, and the
    first one (no-reply-sender) is what the command really prints first."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```console\n", 1)[1].split("```", 1)[0]
    command, *output = block.splitlines()
    assert command == "$ apologylint examples/noreply-missing-apology.eml"
    shown = _findings("\n".join(output))
    assert shown and shown[0]["slug"] == "no-reply-sender"
    codes = {r.code: r.slug for r in all_rules()}
    assert all(codes.get(m["code"]) == m["slug"] for m in shown)
    result = run_cli("examples/noreply-missing-apology.eml", cwd=ROOT)
    assert result.code == 1
    assert result.lines[0] == shown[0].string
