"""Template repositories as teams keep them, one per engine and layout, as data.

``tests/layouts/<name>/repo/`` is a small repository laid out by one convention (Postmark,
SendGrid, Maizzle, Django, Rails, Laravel, Go ...), with a good apology and a flawed one;
``tests/layouts/<name>/expect.toml`` says what apologylint must make of it:

- ``lint``: the paths given to apologylint (relative to ``repo/``), as a team would;
- ``[[message]]``: every message it must assemble, once each: ``primary`` (the file the
  message is reported under), optionally ``files`` (every file it was assembled from),
  ``subject`` (exact; ``""`` for a subject that is unknown), ``sender``, ``language``,
  ``good = true`` for a message that must have no error-level finding in any of its files;
- ``[[skipped]]``: files that must be reported as not a message of their own (layouts,
  partials, documents), with a ``reason`` substring if given;
- ``[[finding]]``: findings that must be reported, exactly where: ``rule`` (slug), ``path``
  and ``at = "line:col"`` in the file that holds the text;
- ``[[absent]]``: findings that must not be reported (``rule``, optionally ``path``).

The repository is copied to a temporary folder with a ``.git`` folder of its own (so that
the repository root is found as in a real checkout) and linted from there. The same
fixtures run through the real pre-commit hook in ``test_precommit.py``.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from apologylint.api import RunResult, lint_paths
from apologylint.model import Severity

LAYOUTS = Path(__file__).parent / "layouts"


@dataclass
class Layout:
    name: str
    root: Path
    expect: dict[str, Any]


def _layouts() -> list[Any]:
    found = []
    for folder in sorted(p for p in LAYOUTS.iterdir() if (p / "expect.toml").is_file()):
        with (folder / "expect.toml").open("rb") as fh:
            expect = tomllib.load(fh)
        found.append(pytest.param(Layout(folder.name, folder / "repo", expect), id=folder.name))
    return found


def lint_layout(layout: Layout, tmp_path: Path) -> tuple[RunResult, Path]:
    """Lint a copy of the layout's repository as its team would (from its root)."""
    repo = tmp_path / "repo"
    shutil.copytree(layout.root, repo)
    (repo / ".git").mkdir()
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        run = lint_paths(layout.expect["lint"], keep_drafts=True, jobs=1)
    finally:
        os.chdir(cwd)
    return run, repo


@pytest.fixture(params=_layouts())
def linted(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Layout, RunResult]:
    layout: Layout = request.param
    run, _repo = lint_layout(layout, tmp_path)
    assert not run.report.errors, run.report.errors
    return layout, run


def test_messages_are_assembled_once_each(linted: tuple[Layout, RunResult]) -> None:
    layout, run = linted
    expected = [m["primary"] for m in layout.expect.get("message", [])]
    got = [os.path.normpath(d.path) for d in run.drafts]
    assert sorted(got) == sorted(os.path.normpath(p) for p in expected), layout.name
    for message in layout.expect.get("message", []):
        draft = next(d for d in run.drafts if os.path.normpath(d.path) == os.path.normpath(
            message["primary"]))
        if "files" in message:  # the primary first, the others in the order met
            files = [os.path.normpath(f) for f in (draft.origin.files or (draft.path,))]
            want = [os.path.normpath(f) for f in message["files"]]
            assert files[0] == want[0], (layout.name, files)
            assert sorted(files) == sorted(want), (layout.name, draft.path)
        if "subject" in message:
            assert (draft.subject or "") == message["subject"], (layout.name, draft.path)
        if "sender" in message:
            assert draft.sender is not None, (layout.name, draft.path)
            assert draft.sender.address == message["sender"], (layout.name, draft.path)
        if "language" in message:
            assert draft.language == message["language"], (layout.name, draft.path)


def test_layouts_partials_and_documents_are_not_messages(
        linted: tuple[Layout, RunResult]) -> None:
    layout, run = linted
    skipped = {os.path.normpath(path): reason for path, reason in run.report.skipped}
    for item in layout.expect.get("skipped", []):
        path = os.path.normpath(item["path"])
        assert path in skipped, (layout.name, path, sorted(skipped))
        assert item.get("reason", "") in skipped[path], (layout.name, skipped[path])


def test_findings_stand_where_the_text_is(linted: tuple[Layout, RunResult]) -> None:
    layout, run = linted
    got = {(d.rule, os.path.normpath(d.path), f"{d.line}:{d.column}")
           for d in run.report.diagnostics}
    for item in layout.expect.get("finding", []):
        want = (item["rule"], os.path.normpath(item["path"]), item["at"])
        assert want in got, (layout.name, want, sorted(g for g in got if g[0] == want[0]))
    for item in layout.expect.get("absent", []):
        hits = [g for g in got if g[0] == item["rule"]
                and ("path" not in item or g[1] == os.path.normpath(item["path"]))]
        assert not hits, (layout.name, hits)


def test_good_apologies_pass(linted: tuple[Layout, RunResult]) -> None:
    layout, run = linted
    for message in layout.expect.get("message", []):
        if not message.get("good"):
            continue
        draft = next(d for d in run.drafts if os.path.normpath(d.path) == os.path.normpath(
            message["primary"]))
        files = {os.path.normpath(f) for f in (draft.origin.files or (draft.path,))}
        errors = [d for d in run.report.diagnostics
                  if os.path.normpath(d.path) in files and d.severity is Severity.ERROR]
        assert not errors, (layout.name, [(d.path, d.rule, d.message) for d in errors])


def test_every_layout_has_a_good_and_a_flawed_message() -> None:
    for param in _layouts():
        layout: Layout = param.values[0]
        messages = layout.expect.get("message", [])
        assert any(m.get("good") for m in messages), layout.name
        assert any(not m.get("good") for m in messages), layout.name
        assert layout.expect.get("finding"), layout.name
