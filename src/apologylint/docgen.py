"""Write ``docs/rules/<slug>.md`` for every rule, and ``docs/rules/index.md``, from the
rule metadata: ``python -m apologylint.docgen [--check] [FOLDER]``.

Each page is exactly :meth:`Rule.describe` (what ``apologylint explain`` prints), so the
docs and the command line cannot disagree. ``--check`` writes nothing and exits 1 when a
page is missing, stale or left over from a rule that no longer exists (the docs test and
CI use it); without it, stale pages are rewritten and left-over generated pages removed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .rules import all_rules

__all__ = ["INDEX", "check", "expected_pages", "main", "write"]

INDEX = "index.md"
#: the first line every generated page's footer holds (to recognise our own files)
_MARK = "by `python -m apologylint.docgen`"


def _index() -> str:
    rules = all_rules()
    lines = [
        "# Rules",
        "",
        "Every rule apologylint has, by code. Each page says what fires the rule, why "
        "(tied to the guidance for a good apology), a failing and a passing example in "
        "English and Polish, and its options. `apologylint explain SLUG|CODE` prints the "
        "same page; `apologylint rules` prints this table.",
        "",
        "| code | rule | family | default severity | what it catches |",
        "|---|---|---|---|---|",
    ]
    for r in rules:
        summary = " ".join(r.summary.split()).replace("|", "\\|")
        lines.append(
            f"| {r.code} | [{r.slug}]({r.slug}.md) | {r.family} | {r.severity.label} "
            f"| {summary} |"
        )
    lines += [
        "",
        "---",
        "",
        f"_Generated from the rule metadata {_MARK}._",
    ]
    return "\n".join(lines) + "\n"


def expected_pages() -> dict[str, str]:
    """File name -> text of every page the docs folder must hold."""
    pages = {f"{rule.slug}.md": rule.describe() for rule in all_rules()}
    pages[INDEX] = _index()
    return pages


def _generated(path: Path) -> bool:
    try:
        return _MARK in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def check(folder: Path) -> list[str]:
    """Problems with ``folder`` (empty: the docs match the code)."""
    problems: list[str] = []
    pages = expected_pages()
    for name, text in pages.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: differs from the rule metadata")
    for path in sorted(folder.glob("*.md")):
        if path.name not in pages and _generated(path):
            problems.append(f"{path}: no rule has this page any more")
    return problems


def write(folder: Path) -> list[Path]:
    """Write every page that differs; remove generated pages of rules that are gone."""
    folder.mkdir(parents=True, exist_ok=True)
    changed: list[Path] = []
    pages = expected_pages()
    for name, text in pages.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            changed.append(path)
    for path in sorted(folder.glob("*.md")):
        if path.name not in pages and _generated(path):
            path.unlink()
            changed.append(path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m apologylint.docgen",
        description="Generate docs/rules/*.md from the rule metadata.",
    )
    parser.add_argument("folder", nargs="?", default="docs/rules",
                        help="where the pages go (default: docs/rules)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a page is missing or stale")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if args.check:
        problems = check(folder)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run `python -m apologylint.docgen` to regenerate", file=sys.stderr)
        return 1 if problems else 0
    changed = write(folder)
    for path in changed:
        print(f"wrote {path}" if path.exists() else f"removed {path}")
    print(f"{len(expected_pages())} pages in {folder}, {len(changed)} changed")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
