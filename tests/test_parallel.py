"""``--jobs N``: the same output, in the same order, as one job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apologylint.api import lint_paths
from apologylint.parallel import default_jobs
from conftest import EXAMPLES, NOREPLY_DRAFT, PERSON_DRAFT, POLISH_NOREPLY_DRAFT, SAMPLES

BROKEN_EML = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty-odd drafts of every kind (some unreadable), in nested folders, with a
    per-folder config, and address lists whose findings point at the lists."""
    root = tmp_path_factory.mktemp("jobs")
    for i in range(12):
        sub = root / f"batch{i % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"noreply{i}.txt").write_text(NOREPLY_DRAFT.replace("twice", f"{i + 2} times"),
                                             encoding="utf-8")
        (sub / f"person{i}.md").write_text(PERSON_DRAFT, encoding="utf-8")
        (sub / f"polski{i}.txt").write_text(POLISH_NOREPLY_DRAFT, encoding="utf-8")
    (root / "batch1" / ".apologylint.toml").write_text('ignore = ["AL101"]\n',
                                                         encoding="utf-8")
    (root / "broken.eml").write_bytes(BROKEN_EML)
    (root / "empty.html").write_bytes(b"")
    for path in sorted(EXAMPLES.glob("*")) if EXAMPLES.is_dir() else []:
        if path.is_file():
            (root / f"example-{path.name}").write_bytes(path.read_bytes())
    for path in sorted(SAMPLES.glob("*"))[:20] if SAMPLES.is_dir() else []:
        if path.is_file() and path.suffix in (".eml", ".html", ".txt", ".md"):
            (root / f"sample-{path.name}").write_bytes(path.read_bytes())
    lists = root.parent / f"{root.name}-lists"
    lists.mkdir()
    (lists / "rec.txt").write_text("a@example.com\nnot an address\nb@example.com\n",
                                   encoding="utf-8")
    (lists / "aff.txt").write_text("a@example.com\n", encoding="utf-8")
    return root


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "apologylint", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=300, check=False,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_two_jobs_print_exactly_what_one_job_prints(folder: Path, fmt: str) -> None:
    lists = folder.parent / f"{folder.name}-lists"
    args = ["--format", fmt, "-v", "--recipients", str(lists / "rec.txt"),
            "--affected", str(lists / "aff.txt"), str(folder)]
    one = _cli("--jobs", "1", *args)
    two = _cli("--jobs", "2", *args)
    assert one.returncode == two.returncode == 2  # broken.eml
    assert "Traceback" not in one.stderr + two.stderr
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    assert one.stdout.count("AL101") >= 12
    # the address lists' own findings are reported once, as with one job
    assert one.stdout.count("not an address") == 1


def test_lint_paths_with_jobs_gives_the_same_report(folder: Path) -> None:
    one = lint_paths([folder], jobs=1)
    for jobs in (2, 3):
        many = lint_paths([folder], jobs=jobs)
        assert many.report.diagnostics == one.report.diagnostics
        assert many.report.errors == one.report.errors
        assert many.report.not_checked == one.report.not_checked
        assert many.report.languages == one.report.languages
        assert many.report.incidents == one.report.incidents
        assert many.report.files_checked == one.report.files_checked
        assert many.fail_on == one.fail_on


def test_stdin_and_missing_paths_keep_their_place(folder: Path) -> None:
    import io

    paths = [folder / "batch0", "-", folder / "nowhere.txt", folder / "batch2"]
    stdin = NOREPLY_DRAFT.encode()
    one = lint_paths(paths, jobs=1, stdin=io.BytesIO(stdin))
    two = lint_paths(paths, jobs=2, stdin=io.BytesIO(stdin))
    assert two.report.diagnostics == one.report.diagnostics
    assert two.report.errors == one.report.errors
    assert any(d.path == "-" for d in two.report.diagnostics)


def test_jobs_option(folder: Path) -> None:
    assert default_jobs() >= 1
    zero = _cli("--jobs", "0", "--quiet", str(folder / "batch0"))
    assert zero.returncode == 1 and "AL101" in zero.stdout
    bad = _cli("--jobs", "many", str(folder))
    assert bad.returncode == 2 and "--jobs" in bad.stderr and "Traceback" not in bad.stderr
    assert "--jobs" in _cli("--help").stdout
