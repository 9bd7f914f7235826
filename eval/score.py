"""Score apologylint on labelled drafts: recall on ``expect``, false positives on ``forbid``.

Usage::

    python eval/score.py                      # the shared samples and tests/fixtures/judgment
    python eval/score.py eval/real/manifest.toml [more manifests ...]
    python eval/score.py --json out.json eval/real/manifest.toml   # figures for a later diff
    python eval/score.py --auto-incident eval/real/manifest.toml   # as a user's default run

A manifest has the format of the shared ``samples/manifest.toml`` (one ``[[case]]`` per
draft: file, lang, incident, jurisdiction, options, expect, forbid, good). Figures are per
language and per rule family (the hundreds digit of the code), then in total; slugs of
rules this version does not have are counted apart. A "good" draft must get no
error-level finding at all, labelled family or not. Nothing here is a test: it is how we
measure judgment on drafts the rules never saw.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from apologylint import lint  # noqa: E402
from apologylint.config import settings_from_mapping  # noqa: E402
from apologylint.model import Severity  # noqa: E402
from apologylint.rules import find_rule  # noqa: E402
from test_samples import _manifests, _mapping  # noqa: E402


@dataclass
class Tally:
    """Counts of one language (or of all): keyed by rule family ("3xx")."""

    hits: Counter[str] = field(default_factory=Counter)
    misses: Counter[str] = field(default_factory=Counter)
    clean: Counter[str] = field(default_factory=Counter)
    false_pos: Counter[str] = field(default_factory=Counter)
    good_total: int = 0
    good_clean: int = 0

    def figures(self) -> dict[str, object]:
        families = sorted({*self.hits, *self.misses, *self.clean, *self.false_pos})
        per_family = {
            f: {
                "expected": self.hits[f] + self.misses[f],
                "found": self.hits[f],
                "forbidden": self.clean[f] + self.false_pos[f],
                "misfired": self.false_pos[f],
            }
            for f in families
        }
        return {
            "expected": sum(self.hits.values()) + sum(self.misses.values()),
            "found": sum(self.hits.values()),
            "forbidden": sum(self.clean.values()) + sum(self.false_pos.values()),
            "misfired": sum(self.false_pos.values()),
            "good": self.good_total,
            "good_error_free": self.good_clean,
            "families": per_family,
        }


def _cases(manifest: Path) -> list[dict[str, object]]:
    with manifest.open("rb") as fh:
        cases = tomllib.load(fh).get("case", [])
    return [{**c, "_base": manifest.parent} for c in cases if "file" in c]


def _family(slug: str) -> str | None:
    rule = find_rule(slug)
    return None if rule is None else f"{rule.code[2]}xx"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def score(
    manifests: list[Path], json_out: Path | None = None, *, auto_incident: bool = False
) -> int:
    """Score the product on labelled manifests. ``auto_incident``: ignore the labelled
    incident kind and let the product infer it, as a user's default run does (a wrong
    guess of "breach" turns AL601/AL602 into errors)."""
    tallies: dict[str, Tally] = {}
    unknown: Counter[str] = Counter()
    for manifest in manifests:
        for case in _cases(manifest):
            mapping, _ = _mapping(case)
            if auto_incident:
                mapping.pop("incident", None)
            base = case["_base"]
            assert isinstance(base, Path)
            settings = settings_from_mapping(mapping, origin="<eval>", base_dir=base)
            report = lint(base / str(case["file"]), config=settings)
            fired = {d.rule for d in report.diagnostics}
            label = f"{manifest.parent.name}/{case['file']}"
            tally = tallies.setdefault(str(case.get("lang") or "?"), Tally())
            for slug in case.get("expect", []):  # type: ignore[attr-defined]
                family = _family(slug)
                if family is None:
                    unknown[slug] += 1
                elif slug in fired:
                    tally.hits[family] += 1
                else:
                    tally.misses[family] += 1
                    print(f"MISS  {label}: {slug}")
            for slug in case.get("forbid", []):  # type: ignore[attr-defined]
                family = _family(slug)
                if family is None:
                    unknown[slug] += 1
                elif slug in fired:
                    tally.false_pos[family] += 1
                    print(f"FALSE {label}: {slug}")
                else:
                    tally.clean[family] += 1
            if case.get("good"):
                tally.good_total += 1
                errors = [d.rule for d in report.diagnostics if d.severity >= Severity.ERROR]
                if errors:
                    print(f"GOOD? {label}: errors {sorted(set(errors))}")
                else:
                    tally.good_clean += 1
    total = Tally()
    for tally in tallies.values():
        for name in ("hits", "misses", "clean", "false_pos"):
            getattr(total, name).update(getattr(tally, name))
        total.good_total += tally.good_total
        total.good_clean += tally.good_clean
    figures = {lang: t.figures() for lang, t in sorted(tallies.items())}
    figures["all"] = total.figures()
    print()
    print("lang  family  found/expected        misfired/forbidden")
    for lang, fig in figures.items():
        rows: list[tuple[str, dict[str, int]]] = sorted(fig["families"].items())  # type: ignore[attr-defined]
        rows.append(("all", fig))  # type: ignore[arg-type]
        for family, f in rows:
            print(
                f"{lang:<5} {family:<6} {f['found']:>4}/{f['expected']:<4} "
                f"{_percent(f['found'], f['expected'])}   {f['misfired']:>3}/{f['forbidden']:<5}"
                f" {_percent(f['misfired'], f['forbidden'])}"
            )
        print(f"{lang:<5} good drafts error-free: {fig['good_error_free']}/{fig['good']}")
    if unknown:
        print(f"labels of rules not in this version: {sum(unknown.values())}")
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    json_out = None
    auto_incident = False
    while argv[:1] in (["--json"], ["--auto-incident"]):
        if argv[0] == "--auto-incident":
            auto_incident, argv = True, argv[1:]
        elif len(argv) >= 2:
            json_out, argv = Path(argv[1]), argv[2:]
        else:
            break
    manifests = [Path(a) for a in argv] if argv else _manifests()
    return score(manifests, json_out, auto_incident=auto_incident)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
