"""Shared test helpers: small drafts, a tree builder and the CLI run in-process.

The whole session runs with network sockets disabled (pytest-socket, enabled by
``addopts`` in pyproject.toml and checked again here): apologylint must never need the
network, so no test may reach it either.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _samples_dir() -> Path:
    """The shared labelled samples: $APOLOGYLINT_SAMPLES, else ``shared/samples`` beside
    the checkout (as CI lays it out), else the developers' /work/shared/samples."""
    import os

    env = os.environ.get("APOLOGYLINT_SAMPLES")
    if env:
        return Path(env)
    beside = ROOT.parent / "shared" / "samples"
    return beside if beside.is_dir() else Path("/work/shared/samples")


SAMPLES = _samples_dir()

#: AL101 no-reply-sender fires at 2:1 (the From line)
NOREPLY_DRAFT = """\
Subject: We charged you twice
From: Acme Billing <noreply@acme.example>

We're sorry: we charged you twice for March. The refund is on its way.
"""

#: AL101 stays quiet: a reply-able sender
PERSON_DRAFT = """\
Subject: We charged you twice
From: Maya at Acme <maya@acme.example>

We're sorry: we charged you twice for March. The refund is on its way.
Reply to this email if anything looks wrong.
"""

#: A Polish no-reply draft (AL101 at 2:1)
POLISH_NOREPLY_DRAFT = """\
Subject: Podwójne obciążenie karty
From: Sklep <nie-odpowiadaj@sklep.example>

Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Zwrot jest już w drodze.
"""


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run with the network reachable (e.g. ``-p no:pytest_socket``)."""
    if not config.getoption("--disable-socket", default=False):
        config.option.disable_socket = True
        config.option.allow_unix_socket = True
    # compiled packs are cached in a folder of this session, never in the user's home
    # (tests/test_packcache.py checks the cache itself); subprocesses inherit it
    import os
    import tempfile

    os.environ.setdefault("APOLOGYLINT_CACHE_DIR", tempfile.mkdtemp(prefix="apologylint-cache-"))


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


CliRunner = Callable[..., CliResult]


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> CliRunner:
    """Run ``apologylint ARGS`` in this process; ``cwd`` and ``stdin`` (bytes) optional."""
    from apologylint.cli import main

    def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write_file(root: Path, relative: str, text: str | bytes) -> Path:
    """Create ``root/relative`` (and its folders) holding ``text``."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write("a/b.txt", text)``: create a file (and its folders) under tmp_path."""

    def _write(name: str, text: str | bytes) -> Path:
        return write_file(tmp_path, name, text)

    return _write
