"""Per-rule test cases as data tables (as SQLFluff does): ``tests/rule_cases/<slug>.toml``.

Each ``[[case]]`` is a small draft that must fire the rule (``fires = true``) or must not
(a near miss, ``fires = false``), in a given language. Findings' positions are asserted
as ``"line:col"`` in the draft file exactly as written (``positions``), so a rule that
fires at the wrong place fails too. Keys:

- ``name``: what the case shows; ``lang``: "en" or "pl" (the draft is linted with it);
- ``draft``: the file's text; ``format``: "txt" (default), "eml" or "html";
- ``fires``: bool; ``positions``: list of "line:col" (all findings of the rule, in order);
- ``count``: number of findings (defaults to len(positions) when positions are given);
- ``settings``: config keys (as in pyproject, e.g. ``{ incident = "breach" }``);
- ``message``: a substring the first finding's message must contain;
- ``severity``: the expected severity of the findings;
- ``not_checked``: true when the rule must report "not checked" (its input is missing).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from apologylint import lint
from apologylint.rules import all_rules, find_rule
from apologylint.settings import Settings

CASES_DIR = Path(__file__).parent / "rule_cases"


@dataclass
class Case:
    slug: str
    name: str
    data: dict[str, Any]


def _settings(slug: str, lang: str, extra: dict[str, Any]) -> Settings:
    from apologylint.config import settings_from_mapping

    mapping = {"select": [slug], "language": lang}
    mapping.update(extra)
    # list paths in cases are relative to the repository root, wherever pytest runs from
    return settings_from_mapping(mapping, origin="<test case>", base_dir=CASES_DIR.parents[1])


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for i, case in enumerate(data.get("case", [])):
            name = case.get("name", str(i))
            params.append(pytest.param(Case(path.stem, name, case), id=f"{path.stem}:{name}"))
    return params


@pytest.mark.parametrize("case", _cases())
def test_rule_case(case: Case, tmp_path: Path) -> None:
    rule = find_rule(case.slug)
    assert rule is not None, f"no rule named {case.slug!r} (file name must be the slug)"
    data = case.data
    fmt = data.get("format", "txt")
    draft_path = tmp_path / f"draft.{fmt}"
    text: str = data["draft"]
    draft_path.write_bytes(text.encode("utf-8"))
    settings = _settings(case.slug, data.get("lang", "en"), data.get("settings", {}))
    report = lint(draft_path, config=settings)
    assert not report.errors, report.errors
    found = [d for d in report.diagnostics if d.rule == rule.slug]
    skipped = [reason for _path, slug, reason in report.not_checked if slug == rule.slug]
    assert bool(skipped) == data.get("not_checked", False), (case.name, skipped)
    if not data["fires"]:
        assert found == [], f"{case.slug} must not fire on {case.name!r}: {found}"
        return
    assert found, f"{case.slug} must fire on {case.name!r}"
    if "positions" in data:
        got = [f"{d.line}:{d.column}" for d in found]
        assert got == data["positions"], f"positions of {case.slug} in {case.name!r}"
    count = data.get("count", len(data["positions"]) if "positions" in data else None)
    if count is not None:
        assert len(found) == count
    if "message" in data:
        assert data["message"].lower() in found[0].message.lower()
    if "severity" in data:
        assert {d.severity.label for d in found} == {data["severity"]}


def test_every_rule_has_cases_in_both_languages() -> None:
    """Each rule needs must-fire and must-not-fire cases in English and in Polish."""
    missing = []
    for rule in all_rules():
        path = CASES_DIR / f"{rule.slug}.toml"
        if not path.exists():
            missing.append(f"{rule.slug}: no case file")
            continue
        with path.open("rb") as fh:
            cases = tomllib.load(fh).get("case", [])
        for lang in ("en", "pl"):
            for fires in (True, False):
                if not any(c.get("lang", "en") == lang and c["fires"] is fires for c in cases):
                    missing.append(f"{rule.slug}: no {lang} case with fires={fires}")
    assert not missing, "\n".join(missing)
