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


# -- the worked examples of docs/templates.md ------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "templates.md"
_EXAMPLE = "<!-- example: {name} -->"
_FENCES = {".html": "html", ".json": "json", ".yml": "yaml", ".erb": "erb", ".php": "php",
           ".toml": "toml", ".md": "markdown", ".mjml": "html", ".hbs": "handlebars",
           ".liquid": "liquid", ".twig": "twig", ".njk": "jinja", ".j2": "jinja",
           ".tmpl": "go-html-template", ".ini": "ini", ".rb": "ruby"}
_END = "<!-- /example -->"


def render_example(layout: Layout, tmp_path: Path) -> str:
    """A layout's worked example as docs/templates.md shows it: its files and what the
    command line prints when run from the repository's root."""
    import subprocess
    import sys

    repo = tmp_path / "repo"
    shutil.copytree(layout.root, repo)
    (repo / ".git").mkdir()
    env = dict(os.environ, APOLOGYLINT_NO_CACHE="1", COLUMNS="100")
    done = subprocess.run([sys.executable, "-m", "apologylint", "--jobs", "1",
                           *layout.expect["lint"]], cwd=repo, capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    files = sorted(p.relative_to(layout.root).as_posix()
                   for p in layout.root.rglob("*") if p.is_file())
    listing = "\n".join(f"    {f}" for f in files)
    shown: list[str] = []  # the files the expected findings stand in, as written
    for path in dict.fromkeys(item["path"] for item in layout.expect.get("finding", [])):
        fence = "```" + _FENCES.get(Path(path).suffix, "text")
        text = (layout.root / path).read_text(encoding="utf-8").rstrip("\n")
        shown += [f"`{path}`:", "", fence, text, "```", ""]
    return "\n".join([
        _EXAMPLE.format(name=layout.name),
        f"{layout.expect.get('description', layout.name)}. The files "
        f"([tests/layouts/{layout.name}/repo/](../tests/layouts/{layout.name}/repo/)):",
        "",
        listing,
        "",
        *shown,
        "```console",
        f"$ apologylint {' '.join(layout.expect['lint'])}",
        done.stdout.rstrip("\n"),
        "```",
        _END,
    ])


def _doc_with_examples(doc: str, examples: dict[str, str]) -> str:
    """docs/templates.md with each example's block replaced by its rendering."""
    for name, block in examples.items():
        start = doc.find(_EXAMPLE.format(name=name))
        if start < 0:
            continue
        end = doc.find(_END, start)
        next_marker = doc.find("<!-- example: ", start + 1)
        if end < 0 or (0 <= next_marker < end):
            end = start + len(_EXAMPLE.format(name=name))
        else:
            end += len(_END)
        doc = doc[:start] + block + doc[end:]
    return doc


def test_docs_show_every_layout_and_its_real_output(tmp_path: Path) -> None:
    """Each layout has a section in docs/templates.md whose worked example is what the
    command line prints on it (regenerate: ``python tests/test_layouts.py``)."""
    doc = DOC.read_text(encoding="utf-8")
    examples = {}
    for param in _layouts():
        layout: Layout = param.values[0]
        assert _EXAMPLE.format(name=layout.name) in doc, f"no example for {layout.name}"
        examples[layout.name] = render_example(layout, tmp_path / layout.name)
    assert _doc_with_examples(doc, examples) == doc, (
        "docs/templates.md examples are out of date: run `python tests/test_layouts.py`")


if __name__ == "__main__":  # rewrite the worked examples of docs/templates.md
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        rendered = {}
        for param in _layouts():
            layout = param.values[0]
            rendered[layout.name] = render_example(layout, Path(scratch) / layout.name)
        DOC.write_text(_doc_with_examples(DOC.read_text(encoding="utf-8"), rendered),
                       encoding="utf-8")
