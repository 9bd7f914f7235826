"""Score apologylint on labelled drafts: recall on ``expect``, false positives on ``forbid``.

Usage::

    python eval/score.py                      # the shared samples and tests/fixtures/judgment
    python eval/score.py eval/blind/manifest.toml [more manifests ...]

A manifest has the format of the shared ``samples/manifest.toml`` (one ``[[case]]`` per
draft: file, lang, incident, jurisdiction, options, expect, forbid, good). Figures are per
rule family and in total; slugs of rules this version does not have are counted apart.
Nothing here is a test: it is how we measure judgment on drafts the rules never saw.
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from apologylint import lint  # noqa: E402
from apologylint.config import settings_from_mapping  # noqa: E402
from apologylint.model import Severity  # noqa: E402
from apologylint.rules import find_rule  # noqa: E402
from test_samples import _manifests, _mapping  # noqa: E402


def _cases(manifest: Path) -> list[dict[str, object]]:
    with manifest.open("rb") as fh:
        cases = tomllib.load(fh).get("case", [])
    return [{**c, "_base": manifest.parent} for c in cases if "file" in c]


def score(manifests: list[Path]) -> int:
    hits: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    clean: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    good_total = good_clean = 0
    for manifest in manifests:
        for case in _cases(manifest):
            mapping, _ = _mapping(case)
            base = case["_base"]
            assert isinstance(base, Path)
            settings = settings_from_mapping(mapping, origin="<eval>", base_dir=base)
            report = lint(base / str(case["file"]), config=settings)
            fired = {d.rule for d in report.diagnostics}
            label = f"{manifest.parent.name}/{case['file']}"
            for slug in case.get("expect", []):  # type: ignore[attr-defined]
                if find_rule(slug) is None:
                    unknown[slug] += 1
                elif slug in fired:
                    hits[slug] += 1
                else:
                    misses[slug] += 1
                    print(f"MISS  {label}: {slug}")
            for slug in case.get("forbid", []):  # type: ignore[attr-defined]
                if find_rule(slug) is None:
                    unknown[slug] += 1
                elif slug in fired:
                    false_pos[slug] += 1
                    print(f"FALSE {label}: {slug}")
                else:
                    clean[slug] += 1
            if case.get("good"):
                good_total += 1
                errors = [d.rule for d in report.diagnostics if d.severity >= Severity.ERROR]
                if errors:
                    print(f"GOOD? {label}: errors {sorted(set(errors))}")
                else:
                    good_clean += 1
    expected = sum(hits.values()) + sum(misses.values())
    forbidden = sum(clean.values()) + sum(false_pos.values())
    print()
    print(f"recall on expect:        {sum(hits.values())}/{expected}")
    print(f"false positives (forbid): {sum(false_pos.values())}/{forbidden}")
    print(f"good drafts error-free:  {good_clean}/{good_total}")
    if unknown:
        print(f"labels of rules not in this version: {sum(unknown.values())}")
    return 0


def main(argv: list[str]) -> int:
    manifests = [Path(a) for a in argv] if argv else _manifests()
    return score(manifests)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
