"""Input files are never written: a run over a folder leaves every byte, every
modification time and the folder's listing as they were (no caches, no temporary files,
no "fixed" copies), whatever the formats, the options, the number of jobs, and whether
the files could be read at all."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, NOREPLY_DRAFT, POLISH_NOREPLY_DRAFT, SAMPLES

Snapshot = dict[str, tuple[bytes, int, int]]


def _snapshot(root: Path) -> Snapshot:
    """Every entry under ``root``: its bytes (files), modification time and mode."""
    found: Snapshot = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            data = path.read_bytes() if stat.S_ISREG(st.st_mode) else b""
            found[str(path.relative_to(root))] = (data, st.st_mtime_ns, st.st_mode)
    return found


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder of drafts in every format, some broken, some read-only, one unreadable,
    with a config file, nested folders and files a walk skips."""
    root = tmp_path / "drafts"
    root.mkdir()
    (root / "noreply.txt").write_text(NOREPLY_DRAFT, encoding="utf-8")
    (root / "polski.md").write_text(POLISH_NOREPLY_DRAFT, encoding="utf-8")
    (root / "template.html").write_text(
        "<html><head><title>Sorry about {{ order.id }}</title></head><body><p>Hi "
        "{{ first_name }}, we're sorry: we charged you twice.</p></body></html>",
        encoding="utf-8",
    )
    (root / "message.eml").write_bytes(
        b"From: Example <no-reply@shop.example>\nSubject: Sorry\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/alternative; boundary="b"\n\n--b\nContent-Type: text/plain;'
        b" charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nWe=E2=80=99re sorry=\n"
        b".\n--b\nContent-Type: text/html\n\n<p>We&rsquo;re sorry.</p>\n--b--\n"
    )
    (root / "archive.mbox").write_bytes(
        b"From a@b Mon Jan  1 00:00:00 2024\nFrom: a@shop.example\nSubject: One\n\nSorry.\n\n"
        b"From a@b Mon Jan  1 00:00:01 2024\nFrom: b@shop.example\nSubject: Two\n\nOops.\n"
    )
    (root / "layout.mjml").write_text(
        "<mjml><mj-body><mj-section><mj-column><mj-text>We are sorry.</mj-text></mj-column>"
        "</mj-section></mj-body></mjml>", encoding="utf-8")
    (root / "binary.eml").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (root / "empty.txt").write_bytes(b"")
    (root / "cp1250.txt").write_bytes("Przepraszamy za błąd.\n".encode("cp1250"))
    nested = root / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "deep.txt").write_text(NOREPLY_DRAFT, encoding="utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "skipped.txt").write_text(NOREPLY_DRAFT, encoding="utf-8")
    (root / "notes.csv").write_text("email\nanna@example.com\n", encoding="utf-8")
    (root / ".apologylint.toml").write_text('ignore = ["AL503"]\n', encoding="utf-8")
    for example in sorted(EXAMPLES.glob("*"))[:6] if EXAMPLES.is_dir() else []:
        if example.is_file():
            shutil.copy2(example, root / f"example-{example.name}")
    for sample in sorted(SAMPLES.glob("*.eml"))[:4] if SAMPLES.is_dir() else []:
        shutil.copy2(sample, root / f"sample-{sample.name}")
    readonly = root / "readonly.txt"
    readonly.write_text(NOREPLY_DRAFT, encoding="utf-8")
    readonly.chmod(0o444)
    # old modification times, so that any write would show
    for path in root.rglob("*"):
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000),
                 follow_symlinks=False)
    os.utime(root, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return root


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "apologylint", *args], cwd=cwd,
                          capture_output=True, timeout=300, check=False, env=env)


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--format", "json", "--jobs", "2"],
        ["--jobs", "1", "--quiet", "--select", "ALL", "--incident", "breach"],
        ["--force-exclude", "--exit-zero", "-v"],
    ],
    ids=["defaults", "json-2-jobs", "1-job-breach", "verbose"],
)
def test_a_run_leaves_every_input_as_it_was(inputs: Path, options: list[str]) -> None:
    before = _snapshot(inputs)
    mtime = inputs.stat().st_mtime_ns
    result = _cli(*options, str(inputs), cwd=inputs.parent)
    assert b"Traceback" not in result.stderr + result.stdout
    assert result.returncode in (0, 1, 2), result.stderr
    assert b"noreply.txt" in result.stdout + result.stderr  # it did lint the folder
    after = _snapshot(inputs)
    assert after.keys() == before.keys(), "files appeared or vanished"
    for name, (data, mtime_ns, mode) in before.items():
        assert after[name] == (data, mtime_ns, mode), f"{name} changed"
    assert inputs.stat().st_mtime_ns == mtime


def test_running_inside_the_folder_writes_nothing_there(inputs: Path) -> None:
    """The working folder is the drafts' folder: still nothing is created in it (the
    outputs go to standard output unless a file is named)."""
    before = _snapshot(inputs)
    result = _cli(".", "--format", "json", cwd=inputs)
    assert result.returncode in (0, 1, 2) and b"Traceback" not in result.stderr
    assert _snapshot(inputs) == before


def test_an_output_file_outside_is_the_only_thing_written(inputs: Path, tmp_path: Path) -> None:
    before = _snapshot(inputs)
    out = tmp_path / "report.json"
    result = _cli("--format", "json", "--output-file", str(out), str(inputs), cwd=tmp_path)
    assert result.returncode in (0, 1, 2), result.stderr
    assert out.is_file() and out.stat().st_size > 0
    assert _snapshot(inputs) == before


def test_library_lint_leaves_inputs_as_they_were(inputs: Path) -> None:
    import apologylint
    from apologylint.api import lint_paths

    before = _snapshot(inputs)
    apologylint.lint(inputs)
    lint_paths([inputs], jobs=2)
    for path in sorted(inputs.rglob("*")):
        if path.is_file():
            apologylint.lint(path.read_bytes())
    assert _snapshot(inputs) == before
