"""The pre-commit hook, run for real: ``pre-commit try-repo <this checkout> apologylint``
in a temporary git repository of templates.

pre-commit clones the hook repository, so it sees only committed files: the test copies
this working tree (tracked and new files, as git lists them) into a temporary repository
and commits it there, then points ``try-repo`` at that. pre-commit builds the hook's own
virtual environment and pip-installs the checkout into it (from PyPI for the
dependencies, or the pip cache), in a subprocess: the in-process ban on sockets does not
apply to it. The test is skipped only when pre-commit or git cannot be run at all.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from apologylint.rules import all_rules
from conftest import ROOT

pytestmark = pytest.mark.slow

GOOD_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>We sent you the wrong discount code</title>
<meta name="from" content="Maya at Fernleaf <help@fernleaf.example>">
</head>
<body>
<p>Hi {{ first_name | default: "there" }},</p>
<p>We're sorry. Yesterday we emailed you a discount code that was meant for another
group of customers, so it did not work at checkout. That was our mistake.</p>
<p>Your own code is FERN-15 and it works until Sunday. If you tried the old one and paid
full price, reply to this email and we will refund the difference.</p>
<p>Maya Brennan, Customer Care, Fernleaf</p>
</body>
</html>
"""

BAD_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Oops!! Our bad</title>
<meta name="from" content="Fernleaf <noreply@fernleaf.example>">
</head>
<body>
<p>Whoops! Mistakes were made and the wrong code went out. LOL, Mondays.</p>
<p>Don't miss our summer sale: 20% off everything this weekend only!</p>
</body>
</html>
"""

GIT_IDENTITY = ("-c", "user.name=apologylint tests", "-c", "user.email=tests@apologylint.invalid",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main")


def _pre_commit() -> list[str]:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    if found is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    return [found]


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def _working_tree_files() -> list[str]:
    """Files of this checkout as they are now: tracked and new, not ignored ones."""
    if shutil.which("git") and (ROOT / ".git").exists():
        out = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
        return [name for name in out.split("\0") if name and (ROOT / name).is_file()]
    skip = {".git", ".venv", "venv", "__pycache__", ".mypy_cache", ".ruff_cache",
            ".pytest_cache", ".hypothesis", "build", "dist"}
    return [
        str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
        if path.is_file() and not skip & set(path.relative_to(ROOT).parts)
    ]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed snapshot of this working tree, for pre-commit to clone."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in _working_tree_files():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert (repo / ".pre-commit-hooks.yaml").is_file()
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "snapshot of the working tree", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of templates, as a marketing team would keep one."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("templates")
    files = {
        "apologies/wrong-code.html": GOOD_TEMPLATE,
        "apologies/oops.html": BAD_TEMPLATE,
        # excluded in the config: --force-exclude must keep the hook off it
        "archive/2019-oops.html": BAD_TEMPLATE,
        # not a draft: kept out by the config too, as the docs advise
        "README.md": "# Templates\n\nOops! This folder holds our email templates. LOL.\n",
        ".apologylint.toml": 'exclude = ["archive/**", "README.md"]\n',
    }
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "templates", cwd=repo)
    return repo


def _try_repo(hook_repo: Path, templates: Path, home: Path,
              *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(home)  # a fresh store: nothing from the user's
    env.pop("PRE_COMMIT", None)
    env["PRE_COMMIT_COLOR"] = "never"
    cmd = [*_pre_commit(), "try-repo", str(hook_repo), "apologylint", *args]
    try:
        return subprocess.run(cmd, cwd=templates, env=env, capture_output=True, text=True,
                              timeout=600, check=False)
    except FileNotFoundError as exc:  # pragma: no cover
        pytest.skip(f"pre-commit cannot be run: {exc}")


def test_the_hook_passes_a_good_template(
    hook_repo: Path, templates: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    good = _try_repo(hook_repo, templates, home, "--files", "apologies/wrong-code.html")
    log = good.stdout + good.stderr
    assert good.returncode == 0, log
    assert "Passed" in log


def test_the_hook_fails_a_bad_template_and_honours_the_config_exclude(
    hook_repo: Path, templates: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    run = _try_repo(hook_repo, templates, home, "--all-files")
    log = run.stdout + run.stderr
    assert run.returncode == 1, log
    assert "Failed" in log
    for expected in ("apologies/oops.html", "AL101 no-reply-sender", "AL203 jokey-subject",
                     "AL401 jokey-tone"):
        assert expected in log, log
    # the good template has no error (rules added later may warn about it)
    assert not re.search(r"wrong-code\.html:\d+:\d+: AL\d+ \S+ error", log), log
    assert "archive/2019-oops.html" not in log  # --force-exclude, from the hook's args
    assert "README.md" not in log
    assert ".apologylint.toml" not in log  # not a draft type: the hook's `files` skips it


# -- every repository layout, as its team runs the hook ----------------------------------


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store for the layouts: the hook's environment is built once (the
    store keys it by repository and rev, which every layout's config shares)."""
    return tmp_path_factory.mktemp("pre-commit-layouts")


def _layout_repo(layout_root: Path, hook_repo: Path, target: Path) -> Path:
    """A git repository of a layout's templates with a .pre-commit-config.yaml that
    pins the hook repository at its commit, as a team's would."""
    shutil.copytree(layout_root, target)
    rev = _git("rev-parse", "HEAD", cwd=hook_repo).strip()
    (target / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_posix()}\n    rev: {rev}\n"
        "    hooks:\n      - id: apologylint\n", encoding="utf-8")
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "-m", "templates", cwd=target)
    return target


def _run_hook(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(home)
    env.pop("PRE_COMMIT", None)
    env["PRE_COMMIT_COLOR"] = "never"
    return subprocess.run([*_pre_commit(), "run", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def _layout_params() -> list[Any]:
    from test_layouts import _layouts

    return _layouts()


@pytest.mark.parametrize("layout", _layout_params())
def test_the_hook_on_every_repository_layout(
    layout: Any, hook_repo: Path, hook_home: Path, tmp_path: Path
) -> None:
    """`pre-commit run --all-files` in a repository of each layout: the flawed message's
    findings, each where the text is; none of the good message's files has an error; the
    hook shows its output (warnings too) and fails on the errors."""
    repo = _layout_repo(layout.root, hook_repo, tmp_path / layout.name)
    run = _run_hook(repo, hook_home, "--all-files")
    log = run.stdout + run.stderr
    assert run.returncode == 1, log
    codes = {rule.slug: rule.code for rule in all_rules()}
    for item in layout.expect.get("finding", []):
        line = f"{item['path']}:{item['at']}: {codes[item['rule']]} {item['rule']} "
        assert line in log, (layout.name, line, log[-3000:])
    for message in layout.expect.get("message", []):
        if message.get("good"):
            for path in message.get("files", [message["primary"]]):
                assert not re.search(re.escape(path) + r":\d+:\d+: AL\d+ \S+ error", log), log
    assert re.search(r" warning ", log), "the hook must show warnings (verbose: true)"


def test_the_hook_lints_the_whole_message_of_a_changed_part(
    hook_repo: Path, hook_home: Path, tmp_path: Path
) -> None:
    """pre-commit passes only the changed files: a changed meta.json still lints its
    message (content.html's findings are reported), once."""
    from test_layouts import LAYOUTS

    repo = _layout_repo(LAYOUTS / "postmark" / "repo", hook_repo, tmp_path / "postmark")
    run = _run_hook(repo, hook_home, "--files", "templates/oops/meta.json")
    log = run.stdout + run.stderr
    assert run.returncode == 1, log
    assert log.count("templates/oops/content.html:1:1: AL101 no-reply-sender") == 1, log
    assert "templates/oops/meta.json:4:15: AL203 jokey-subject" in log, log
    assert "wrong-date" not in log, log
