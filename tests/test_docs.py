"""The docs come from one source, the rule metadata, and say what the code does.

- ``docs/rules/*.md`` are exactly what ``python -m apologylint.docgen`` writes (and
  ``apologylint explain`` prints): a rule changed without regenerating fails here;
- every rule's failing examples make it fire and its passing examples do not, each linted
  as a file of its format, in its language, with its options;
- the docs index links the guides and the rule pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apologylint import docgen
from apologylint.api import lint
from apologylint.loaders import load_bytes
from apologylint.rules import all_rules
from apologylint.rules.base import Example, Rule
from conftest import ROOT, CliRunner

DOCS = ROOT / "docs"
RULE_DOCS = DOCS / "rules"

RULES = all_rules()


def test_rule_pages_match_the_metadata() -> None:
    problems = docgen.check(RULE_DOCS)
    assert not problems, (
        "docs/rules is out of date; run `python -m apologylint.docgen`:\n"
        + "\n".join(problems)
    )


def test_check_notices_a_stale_a_missing_and_a_left_over_page(tmp_path: Path) -> None:
    docgen.write(tmp_path)
    assert docgen.check(tmp_path) == []
    first = RULES[0]
    page = tmp_path / f"{first.slug}.md"
    page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    (tmp_path / f"{RULES[1].slug}.md").unlink()
    # a page generated for a rule that was since removed
    (tmp_path / "gone-rule.md").write_text(
        RULES[2].describe().replace(RULES[2].slug, "gone-rule"), encoding="utf-8"
    )
    (tmp_path / "notes.md").write_text("hand-written, not ours\n", encoding="utf-8")
    problems = "\n".join(docgen.check(tmp_path))
    assert f"{first.slug}.md: differs" in problems
    assert f"{RULES[1].slug}.md: missing" in problems
    assert "gone-rule.md: no rule has this page" in problems
    assert "notes.md" not in problems
    assert docgen.main(["--check", str(tmp_path)]) == 1
    docgen.write(tmp_path)
    assert docgen.check(tmp_path) == []
    assert not (tmp_path / "gone-rule.md").exists()
    assert (tmp_path / "notes.md").exists()
    assert docgen.main(["--check", str(tmp_path)]) == 0


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_explain_prints_the_page(rule: type[Rule], run_cli: CliRunner) -> None:
    page = (RULE_DOCS / f"{rule.slug}.md").read_text(encoding="utf-8")
    for name in (rule.slug, rule.code, rule.code.lower()):
        result = run_cli("explain", name)
        assert result.code == 0
        assert result.out == page


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.slug)
def test_page_has_why_examples_in_both_languages_and_options(rule: type[Rule]) -> None:
    for kind, examples in (("fail", rule.fail_examples), ("pass", rule.pass_examples)):
        langs = {ex.lang for ex in examples}
        assert {"en", "pl"} <= langs, f"{rule.slug}: {kind} examples in {sorted(langs)}"
    page = rule.describe()
    for heading in ("## Why", "## Fails", "## Passes", "## Options", "## Configure"):
        assert heading in page
    assert " ".join(rule.rationale.split()) in page
    for opt in rule.options:
        assert f"`{opt.key}`" in page
    for ex in (*rule.fail_examples, *rule.pass_examples):
        assert ex.draft.rstrip("\n") in page


@pytest.fixture(autouse=True)
def _from_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Examples name files relative to a checkout (e.g. tests/fixtures/audience)."""
    monkeypatch.chdir(Path(__file__).resolve().parents[1])


def _fires(rule: type[Rule], example: Example) -> tuple[bool, str]:
    """Lint the example as a file of its format, in its language, with its options."""
    drafts = load_bytes(example.draft.encode("utf-8"), path=f"example.{example.format}")
    assert len(drafts) == 1
    config = {"language": example.lang, **dict(example.options)}
    report = lint(drafts[0], config=config)
    assert not report.errors, report.errors
    mine = [d for d in report.diagnostics if d.rule == rule.slug]
    skipped = [reason for _p, slug, reason in report.not_checked if slug == rule.slug]
    detail = "; ".join([f"{d.line}:{d.column} {d.message}" for d in mine] + skipped)
    return bool(mine), detail


def _examples(kind: str) -> list[tuple[type[Rule], int, Example]]:
    return [
        (rule, i, ex)
        for rule in RULES
        for i, ex in enumerate(rule.fail_examples if kind == "fail" else rule.pass_examples)
    ]


@pytest.mark.parametrize(
    ("rule", "index", "example"),
    _examples("fail"),
    ids=lambda v: v.slug if isinstance(v, type) else str(v) if isinstance(v, int) else "",
)
def test_failing_example_fires(rule: type[Rule], index: int, example: Example) -> None:
    fired, detail = _fires(rule, example)
    assert fired, f"{rule.slug} fail example {index} ({example.lang}) did not fire: {detail}"


@pytest.mark.parametrize(
    ("rule", "index", "example"),
    _examples("pass"),
    ids=lambda v: v.slug if isinstance(v, type) else str(v) if isinstance(v, int) else "",
)
def test_passing_example_does_not_fire(
    rule: type[Rule], index: int, example: Example
) -> None:
    fired, detail = _fires(rule, example)
    assert not fired, f"{rule.slug} pass example {index} ({example.lang}) fired: {detail}"


def test_index_links_the_guides_and_every_rule() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(([^)#]+)", index))
    for target in ("usage.md", "configuration.md", "writing-a-language-pack.md",
                   "rules/index.md"):
        assert target in links, target
    for link in links:
        if "://" not in link:
            assert (DOCS / link).is_file(), f"docs/index.md links a missing file: {link}"
    rules_index = (RULE_DOCS / "index.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"]({rule.slug}.md)" in rules_index


def test_configuration_doc_names_every_key() -> None:
    from apologylint.config import ALL_KEYS

    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = sorted(key for key in ALL_KEYS if f"`{key}`" not in text)
    assert not missing, f"docs/configuration.md does not document {missing}"
