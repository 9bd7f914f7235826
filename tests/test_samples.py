"""Labelled drafts: every case of the shared ``samples/manifest.toml`` and of our own
judgment sets (``tests/fixtures/judgment/*.toml``, same format), one test per label.

The manifest says, per draft, which rules must fire (``expect``), which must not
(``forbid``) and whether the draft is good (``good = true``: no error-level finding at
all). Each (case, slug) pair is its own test so that the figures read directly from the
pytest summary: ``expect``/``forbid`` failures name the draft and the rule.

A slug whose rule is not in the registry yet is *skipped* with that reason, never failed:
the manifest is written against the whole catalog. Options the manifest passes as CLI
flags (``--subject``, ``--from``, ``--recipients`` ...) become config keys; a key this
version does not know yet is dropped and named in the failure message of that case.

The samples live outside the repository (``APOLOGYLINT_SAMPLES`` or ``shared/samples``
beside the checkout); without them those cases are not collected. They are read-only
and are never tuned to: they check the product, they do not define it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from apologylint import lint
from apologylint.model import Report, Severity
from apologylint.rules import find_rule
from conftest import SAMPLES

MANIFEST = SAMPLES / "manifest.toml"
#: Our own drafts, written after the rules and never shown to them while tuning.
JUDGMENT = Path(__file__).parent / "fixtures" / "judgment"


def _manifests() -> list[Path]:
    found = [MANIFEST] if MANIFEST.is_file() else []
    return found + sorted(JUDGMENT.glob("*.toml"))

#: CLI flags of the manifest's ``options`` -> config keys (paths relative to the samples).
FLAG_KEYS = {
    "--subject": "subject",
    "--from": "from",
    "--recipients": "recipients",
    "--affected": "affected",
    "--suppressed": "suppressed",
    "--incident": "incident",
    "--jurisdiction": "jurisdiction",
    "--lang": "language",
    "--dpo": "dpo",
    "--max-words": "max-words",
    "--max-subject-length": "max-subject-length",
}
PATH_KEYS = frozenset({"recipients", "affected", "suppressed"})


@dataclass
class SampleCase:
    index: int
    file: str
    data: dict[str, Any]
    mapping: dict[str, Any] = field(default_factory=dict)
    #: options this version could not take (unknown flag or config key), with why
    dropped: list[str] = field(default_factory=list)


@cache
def _manifest() -> list[dict[str, Any]]:
    """Every case of every manifest; ``_base`` is the folder its paths are relative to."""
    cases: list[dict[str, Any]] = []
    for manifest in _manifests():
        with manifest.open("rb") as fh:
            for case in tomllib.load(fh).get("case", []):
                if isinstance(case, dict) and "file" in case:
                    label = case["file"] if manifest == MANIFEST else (
                        f"{manifest.stem}/{case['file']}"
                    )
                    cases.append({**case, "_base": manifest.parent, "_label": label})
    return cases


def _mapping(case: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Config keys for a case: its lang/incident/jurisdiction and its CLI options."""
    mapping: dict[str, Any] = {}
    dropped: list[str] = []
    if case.get("lang"):
        mapping["language"] = case["lang"]
    if case.get("incident"):
        mapping["incident"] = case["incident"]
    jurisdiction = [j.strip() for j in str(case.get("jurisdiction", "")).split(",") if j.strip()]
    if jurisdiction:
        mapping["jurisdiction"] = jurisdiction
    options = [str(o) for o in case.get("options", [])]
    i = 0
    while i < len(options):
        flag = options[i]
        flag, eq, inline = flag.partition("=")
        value: str | None = inline if eq else (options[i + 1] if i + 1 < len(options) else None)
        i += 1 if eq else 2
        key = FLAG_KEYS.get(flag)
        if key is None or value is None:
            dropped.append(f"{flag} (not understood by the sample harness)")
            continue
        if key == "jurisdiction":
            mapping[key] = [j.strip() for j in value.split(",") if j.strip()]
        elif key in PATH_KEYS:
            mapping[key] = str(case["_base"] / value)
        else:
            mapping[key] = value
    return mapping, dropped


@cache
def _lint(index: int) -> tuple[Report, tuple[str, ...]]:
    """Lint one sample once (all rules), shared by every test of that case."""
    from apologylint.config import FIELD_OF_KEY, ConfigError, settings_from_mapping

    case = _manifest()[index]
    mapping, dropped = _mapping(case)
    for key in [k for k in mapping if k not in FIELD_OF_KEY]:
        dropped.append(f"{key} (not a config key in this version)")
        del mapping[key]
    while True:
        try:
            settings = settings_from_mapping(mapping, origin=f"<sample {case['file']}>",
                                             base_dir=case["_base"])
            break
        except ConfigError as exc:  # a key this version cannot take yet: drop it
            if exc.key is None or exc.key not in mapping:
                raise
            dropped.append(f"{exc.key} ({exc})")
            del mapping[exc.key]
    return lint(case["_base"] / case["file"], config=settings), tuple(dropped)


#: Labels the product deliberately disagrees with, each with why (never edited labels).
DISAGREEMENTS = Path(__file__).parent / "fixtures" / "label_disagreements.toml"


@cache
def _disagreements() -> dict[tuple[str, str, str], str]:
    with DISAGREEMENTS.open("rb") as fh:
        entries = tomllib.load(fh).get("disagreement", [])
    return {(e["label"], e["mode"], e["slug"]): e["why"] for e in entries}


def _param(index: int, name: str, mode: str, slug: str) -> Any:
    """One (case, label) test; a listed disagreement is a strict xfail, so that the day
    the product agrees with the label again the suite says so."""
    why = _disagreements().get((name, mode, slug))
    marks = [pytest.mark.xfail(strict=True, reason=f"label disagreement: {why}")] if why else []
    return pytest.param(index, mode, slug, id=f"{name}:{mode}:{slug}", marks=marks)


def _params() -> list[Any]:
    params: list[Any] = []
    for index, case in enumerate(_manifest()):
        name = case["_label"]
        for slug in case.get("expect", []):
            params.append(_param(index, name, "expect", slug))
        for slug in case.get("forbid", []):
            params.append(_param(index, name, "forbid", slug))
        if case.get("good"):
            params.append(pytest.param(index, "good", "", id=f"{name}:good"))
    return params


def _rule_crash(report: Report, slug: str) -> str | None:
    marker = f"internal error in rule {slug}:"
    for err in report.errors:
        if marker in err.message:
            return err.message
    return None


def _input_errors(report: Report) -> list[str]:
    return [e.message for e in report.errors if "internal error in rule" not in e.message]


@pytest.mark.parametrize(("index", "mode", "slug"), _params())
def test_sample(index: int, mode: str, slug: str) -> None:
    from apologylint.loaders import SUPPORTED_EXTENSIONS

    case = _manifest()[index]
    suffix = Path(case["file"]).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        pytest.skip(f"no loader for {suffix} files yet")
    if mode != "good" and find_rule(slug) is None:
        pytest.skip(f"rule {slug!r} is not in the registry yet")
    report, dropped = _lint(index)
    note = f" [options not applied: {', '.join(dropped)}]" if dropped else ""
    where = f"{case['_label']} ({case.get('note', '')})"
    problems = _input_errors(report)
    assert not problems, f"{where}: could not be linted: {problems}"

    if mode == "good":
        crashes = [e.message for e in report.errors]
        assert not crashes, f"{where}: rules crashed: {crashes}"
        errors = [f"{d.line}:{d.column} {d.rule}: {d.message}"
                  for d in report.diagnostics if d.severity >= Severity.ERROR]
        assert not errors, f"{where} is labelled good but has errors:{note}\n" + "\n".join(errors)
        return

    crash = _rule_crash(report, slug)
    assert crash is None, f"{where}: {crash}"
    fired = [d for d in report.diagnostics if d.rule == slug]
    if mode == "expect":
        reasons = [r for path, s, r in report.not_checked if s == slug]
        why = f" (not checked: {reasons[0]})" if reasons else ""
        assert fired, f"{slug} must fire on {where}{why}{note}"
    else:
        shown = "\n".join(f"{d.line}:{d.column} {d.message}" for d in fired)
        assert not fired, f"{slug} must not fire on {where}:{note}\n{shown}"


def test_every_disagreement_names_a_label() -> None:
    """A listed disagreement that matches no label (a typo, a renamed draft) would quietly
    do nothing: each must name a case, a mode and a slug that case carries."""
    labels = {
        (case["_label"], mode, slug)
        for case in _manifest()
        for mode in ("expect", "forbid")
        for slug in case.get(mode, [])
    }
    if not _manifest():
        pytest.skip("the shared samples are not beside this checkout")
    assert set(_disagreements()) <= labels, set(_disagreements()) - labels
