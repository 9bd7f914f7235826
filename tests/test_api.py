"""The library API: every kind of source, every kind of config, no printing, no state
shared between calls, threads or processes."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import apologylint
from apologylint import Draft, Report, Settings, Severity, lint
from apologylint.api import lint_paths
from apologylint.config import ConfigError, load_config_file
from conftest import EXAMPLES, NOREPLY_DRAFT, PERSON_DRAFT, POLISH_NOREPLY_DRAFT

Writer = Callable[..., Path]
ONLY_AL101 = Settings(select=("AL101",))
EML = (
    b"From: Acme Billing <noreply@acme.example>\r\n"
    b"To: pat@example.com\r\n"
    b"Subject: We charged you twice\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"We're sorry: we charged you twice for March. The refund is on its way.\r\n"
)


def _codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


def test_lint_path_str_pathlike_and_folder(write: Writer, tmp_path: Path) -> None:
    draft = write("a.txt", NOREPLY_DRAFT)
    write("sub/b.txt", PERSON_DRAFT)
    assert _codes(lint(str(draft), config=ONLY_AL101)) == ["AL101"]
    assert _codes(lint(draft, config=ONLY_AL101)) == ["AL101"]
    folder = lint(tmp_path, config=ONLY_AL101)
    assert [(d.path, d.code) for d in folder.diagnostics] == [(str(draft), "AL101")]
    assert folder.files_checked == 2
    (diag,) = folder.diagnostics
    assert isinstance(diag, apologylint.Diagnostic)
    assert (diag.rule, diag.severity, diag.line, diag.column) == (
        "no-reply-sender", Severity.ERROR, 2, 1)


def test_lint_bytes_message_and_draft() -> None:
    assert _codes(lint(EML, config=ONLY_AL101)) == ["AL101"]
    message = email.message_from_bytes(EML, policy=email.policy.default)
    assert _codes(lint(message, config=ONLY_AL101)) == ["AL101"]
    compat = email.message_from_bytes(EML)
    assert _codes(lint(compat, config=ONLY_AL101)) == ["AL101"]
    draft = Draft.from_eml(EML)
    assert _codes(lint(draft, config=ONLY_AL101)) == ["AL101"]
    html = Draft.from_html("<p>We are sorry.</p>", subject="Sorry",
                           sender="noreply@acme.example")
    assert _codes(lint(html, config=ONLY_AL101)) == ["AL101"]
    text = Draft.from_text(POLISH_NOREPLY_DRAFT)
    assert _codes(lint(text, config=ONLY_AL101)) == ["AL101"]


@pytest.mark.parametrize(
    "config",
    [
        Settings(select=("AL101",)),
        {"select": ["AL101"]},
        {"select": "no-reply-sender"},
    ],
)
def test_config_kinds(config: Any) -> None:
    assert _codes(lint(EML, config=config)) == ["AL101"]


def test_config_file_path_and_config_object(write: Writer) -> None:
    draft = write("a.txt", NOREPLY_DRAFT)
    path = write("conf/lint.toml", "select = ['AL101']\n")
    assert _codes(lint(draft, config=path)) == ["AL101"]
    assert _codes(lint(draft, config=str(path))) == ["AL101"]
    assert _codes(lint(draft, config=load_config_file(path))) == ["AL101"]
    info = write("conf/quiet.toml", "select = ['AL101']\nseverity = { AL101 = 'info' }\n")
    assert [d.severity for d in lint(draft, config=info).diagnostics] == [Severity.INFO]


def test_config_none_is_discovered_for_paths(write: Writer) -> None:
    draft = write("deep/er/a.txt", NOREPLY_DRAFT)
    write(".apologylint.toml", "select = ['AL101']\nseverity = { AL101 = 'info' }\n")
    (diag,) = lint(draft).diagnostics
    assert diag.severity is Severity.INFO
    # a given config wins over the discovered one
    assert lint(draft, config=ONLY_AL101).diagnostics[0].severity is Severity.ERROR


def test_config_none_in_memory_uses_defaults(write: Writer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write(".apologylint.toml", "ignore = ['AL101']\n")
    monkeypatch.chdir(tmp_path)
    assert "AL101" in _codes(lint(EML))  # no discovery from the working folder


def test_invalid_config_raises_config_error(write: Writer) -> None:
    with pytest.raises(ConfigError, match="unknown key 'max-word'"):
        lint(EML, config={"max-word": 3})
    with pytest.raises(ConfigError, match="config file not found"):
        lint(EML, config=write("x.txt", "").parent / "missing.toml")
    with pytest.raises(TypeError):
        lint(12345)  # type: ignore[arg-type]


def test_unreadable_input_is_reported_not_raised(write: Writer, tmp_path: Path) -> None:
    report = lint(tmp_path / "missing.eml")
    assert [e.path for e in report.errors] == [str(tmp_path / "missing.eml")]
    report = lint(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
    assert len(report.errors) == 1 and report.diagnostics == []


def test_no_printing(write: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    draft = write("a.txt", NOREPLY_DRAFT)
    lint(draft)
    lint(draft.parent / "missing.txt")
    lint(EXAMPLES)
    assert capsys.readouterr() == ("", "")


def test_draft_is_not_mutated() -> None:
    draft = Draft.from_text(POLISH_NOREPLY_DRAFT)
    before = draft.language
    lint(draft, config={"language": "pl"})
    assert draft.language == before


def test_lint_paths_with_overrides(write: Writer) -> None:
    draft = write("a.txt", NOREPLY_DRAFT)
    write(".apologylint.toml", "select = ['AL101']\n")
    run = lint_paths([draft], overrides={"severity": {"AL101": "warning"}, "fail-on": "info"})
    (diag,) = run.report.diagnostics
    assert diag.severity is Severity.WARNING
    assert run.failing()
    assert not run.failing(Severity.ERROR)


# -- no shared state -----------------------------------------------------------------------

STRICT = {"select": ["AL101"], "severity": {"AL101": "warning"}}
RELAXED = {"select": ["AL1"], "ignore": ["no-reply-sender"]}


def _lint_with(which: str, path: str) -> list[tuple[str, str]]:
    config = STRICT if which == "strict" else RELAXED
    report = lint(path, config=config)
    return [(d.code, d.severity.label) for d in report.diagnostics if d.code == "AL101"]


def test_two_configs_in_threads_do_not_leak(write: Writer) -> None:
    en = str(write("en.txt", NOREPLY_DRAFT))
    pl = str(write("pl.txt", POLISH_NOREPLY_DRAFT))
    jobs = [(which, path) for _ in range(12) for which in ("strict", "relaxed")
            for path in (en, pl)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: _lint_with(*job), jobs))
    for (which, _path), result in zip(jobs, results, strict=True):
        assert result == ([("AL101", "warning")] if which == "strict" else []), which


def test_settings_objects_in_threads(write: Writer) -> None:
    en = write("en.txt", NOREPLY_DRAFT)
    a = Settings(select=("AL101",), language="en")
    b = Settings(select=("AL101",), language="pl", severity={"no-reply-sender": Severity.INFO})

    def job(i: int) -> tuple[str, str, str]:
        report = lint(en, config=a if i % 2 else b)
        (diag,) = report.diagnostics
        return report.languages[str(en)], diag.severity.label, ("a" if i % 2 else "b")

    with ThreadPoolExecutor(max_workers=6) as pool:
        for lang, severity, which in pool.map(job, range(30)):
            assert (lang, severity) == (("en", "error") if which == "a" else ("pl", "info"))


def test_worker_processes(write: Writer) -> None:
    en = str(write("en.txt", NOREPLY_DRAFT))
    with ProcessPoolExecutor(max_workers=2) as pool:
        strict, relaxed = pool.map(_lint_with, ["strict", "relaxed"], [en, en])
    assert (strict, relaxed) == ([("AL101", "warning")], [])


def test_text_passed_as_str_gets_a_clear_error() -> None:
    report = lint("<p>We are sorry.</p>\n")
    (error,) = report.errors
    assert "pass bytes" in error.message
    assert _codes(lint(NOREPLY_DRAFT.encode(), config=ONLY_AL101)) == ["AL101"]
