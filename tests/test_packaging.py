"""The wheel works on its own: built from this checkout, installed into a fresh virtual
environment outside it, run from a folder outside it, with the language packs read from
inside the installed package (``apologylint/packs``), not from the checkout's ``rules/``.

Offline: the wheel is built with ``--no-isolation`` (hatchling comes from the test
extra), and the fresh environment gets the runtime dependencies through a ``.pth`` file
naming the current environment's site-packages, so nothing is downloaded. The
apologylint package itself is installed only from the wheel (``--no-deps --no-index``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    return result


def _clean_env() -> dict[str, str]:
    """No hint of the checkout: no PYTHONPATH, no virtualenv of ours, no debug switch."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "APOLOGYLINT_DEBUG", "PYTHONSTARTUP"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding only the freshly built wheel."""
    import build  # noqa: F401 - both come with the test extra: a missing one is a failure
    import hatchling  # noqa: F401
    work = tmp_path_factory.mktemp("packaging")
    # build from a copy: building never writes into the checkout
    src = work / "src-copy"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "*venv*", "__pycache__", ".mypy_cache", ".ruff_cache",
        ".pytest_cache", ".hypothesis", "dist", "build", "*.egg-info"))
    dist = work / "dist"
    built = _run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                  "--outdir", str(dist), str(src)], cwd=work, env=_clean_env(), timeout=300)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = dist.glob("apologylint-*.whl")

    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], cwd=work, env=_clean_env())
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    # the dependencies come from the current environment (offline), never apologylint
    child_site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                       "['purelib'])"], cwd=work, env=_clean_env()).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    Path(child_site, "zz_test_deps.pth").write_text(ours + "\n")
    pip = _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index",
                "--disable-pip-version-check", str(wheel)], cwd=work, env=_clean_env(),
               timeout=300)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return venv / "bin"


def test_wheel_holds_the_packs(tmp_path: Path, installed: Path) -> None:
    wheels = list(installed.parent.parent.glob("dist/*.whl"))
    (wheel,) = wheels
    names = zipfile.ZipFile(wheel).namelist()
    assert "apologylint/packs/en/pack.toml" in names
    assert "apologylint/packs/pl/pack.toml" in names
    assert "apologylint/packs/en/no-reply-sender.toml" in names
    assert "apologylint/py.typed" in names
    assert not any(n.startswith(("tests/", "rules/", "examples/")) for n in names)


def test_installed_command_lints_outside_the_checkout(tmp_path: Path, installed: Path) -> None:
    draft = tmp_path / "bad.eml"
    shutil.copy(EXAMPLES / "noreply-missing-apology.eml", draft)
    result = _run([str(installed / "apologylint"), "--format", "json", "bad.eml"],
                  cwd=tmp_path, env=_clean_env())
    assert result.returncode == 1, result.stderr
    rules = {item["rule"] for item in json.loads(result.stdout)}
    assert "no-reply-sender" in rules
    assert "input-error" not in rules
    good = tmp_path / "good.eml"
    shutil.copy(EXAMPLES / "good-apology.eml", good)
    ok = _run([str(installed / "apologylint"), "good.eml"], cwd=tmp_path, env=_clean_env())
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_installed_package_reads_its_own_packs(tmp_path: Path, installed: Path) -> None:
    code = (
        "import json, apologylint, apologylint.packs as p\n"
        "d = p.builtin_pack_dir()\n"
        "print(json.dumps([apologylint.__file__, str(d),"
        " sorted(x.name for x in d.iterdir() if (x / 'pack.toml').is_file())]))\n"
    )
    result = _run([str(installed / "python"), "-c", code], cwd=tmp_path, env=_clean_env())
    assert result.returncode == 0, result.stderr
    module_file, pack_dir, languages = json.loads(result.stdout)
    venv = installed.parent.resolve()
    assert Path(module_file).resolve().is_relative_to(venv)
    assert Path(pack_dir).resolve().is_relative_to(venv)
    assert Path(pack_dir).name == "packs"
    assert {"en", "pl"} <= set(languages)
    assert not Path(pack_dir).resolve().is_relative_to(ROOT)


def test_installed_version_and_subcommands(tmp_path: Path, installed: Path) -> None:
    import apologylint

    version = _run([str(installed / "apologylint"), "--version"], cwd=tmp_path,
                   env=_clean_env())
    assert version.stdout.strip() == f"apologylint {apologylint.__version__}"
    rules = _run([str(installed / "apologylint"), "rules", "--format", "json"], cwd=tmp_path,
                 env=_clean_env())
    assert rules.returncode == 0
    assert any(r["code"] == "AL101" for r in json.loads(rules.stdout))
    module = _run([str(installed / "python"), "-m", "apologylint", "explain", "AL101"],
                  cwd=tmp_path, env=_clean_env())
    assert module.returncode == 0
    assert module.stdout.startswith("# no-reply-sender (AL101)")


def test_readme_opens_with_the_two_setup_commands() -> None:
    """The README's first code block: exactly the two one-line set-up commands, naming
    files that exist (the first must succeed: it lints the good example)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```", 2)[1]
    lines = [line for line in first_block.splitlines()[1:] if line.strip()]
    assert len(lines) == 2, lines
    install, develop = lines
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . ")
    assert install.endswith("&& apologylint examples/good-apology.eml")
    assert develop == ("python3 -m venv .venv && . .venv/bin/activate && "
                       "pip install -e '.[test]' && pytest")
    assert (ROOT / "examples" / "good-apology.eml").is_file()
    assert (ROOT / "examples" / "noreply-missing-apology.eml").is_file()
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111
