"""The engine: rule selection, severities, "not checked", language choice, rule crashes."""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import pytest

from apologylint.context import Context
from apologylint.engine import lint_draft, selected_rules
from apologylint.model import Address, Draft, Origin, Prose, Severity, Source, Span
from apologylint.rules import Rule, find_rule
from apologylint.rules.base import Finding
from apologylint.settings import Settings


def _draft(body: str, sender: str | None = "noreply@acme.com", lang: str | None = None) -> Draft:
    header = f"From: {sender}\n\n" if sender else "\n"
    text = header + body
    start = len(header)
    prose = Prose(body, array("l", range(start, start + len(body))))
    address = Address("", sender, Span(0, len(header) - 2)) if sender else None
    return Draft(
        origin=Origin("draft.txt", "text", is_template=True),
        source=Source("draft.txt", text),
        sender=address,
        sender_span=address.span if address else None,
        prose=prose,
        declared_language=lang,
    )


def _slugs(settings: Settings) -> set[str]:
    return {r.slug for r in selected_rules(settings)}


def test_select_by_slug_code_prefix_and_family() -> None:
    assert _slugs(Settings(select=("no-reply-sender",))) == {"no-reply-sender"}
    assert _slugs(Settings(select=("AL101",))) == {"no-reply-sender"}
    assert "no-reply-sender" in _slugs(Settings(select=("AL1",)))
    assert "no-reply-sender" in _slugs(Settings(select=("sender",)))


def test_more_specific_selector_wins() -> None:
    assert "no-reply-sender" not in _slugs(Settings(select=("AL1",), ignore=("AL101",)))
    # a specific select beats a broad ignore, as in ruff; on a tie, ignore wins
    assert "no-reply-sender" in _slugs(Settings(select=("AL101",), ignore=("AL1",)))
    assert "no-reply-sender" not in _slugs(
        Settings(select=("AL101",), ignore=("no-reply-sender",))
    )


def test_finding_position_and_configured_severity() -> None:
    draft = _draft("We're sorry.")
    report = lint_draft(draft, Settings(select=("no-reply-sender",)))
    (diag,) = report.diagnostics
    assert (diag.line, diag.column, diag.severity) == (1, 1, Severity.ERROR)
    relaxed = Settings(select=("AL101",), severity={"no-reply-sender": Severity.INFO})
    (diag,) = lint_draft(_draft("We're sorry."), relaxed).diagnostics
    assert diag.severity is Severity.INFO


def test_rule_without_its_input_is_not_checked() -> None:
    report = lint_draft(_draft("We're sorry.", sender=None), Settings(select=("AL101",)))
    assert report.diagnostics == []
    assert [(slug, "sender" in why) for _, slug, why in report.not_checked] == [
        ("no-reply-sender", True)
    ]


def test_declared_language_wins_over_text_and_text_decides_otherwise() -> None:
    polish = "Przepraszamy, że wysłaliśmy wiadomość dwa razy. Nie musisz nic robić."
    assert _language(_draft(polish)) == "pl"
    assert _language(_draft("We are sorry we sent it twice.")) == "en"
    assert _language(_draft(polish, lang="en-GB")) == "en"


def _language(draft: Draft) -> str:
    lint_draft(draft, Settings(select=("AL101",)))
    return draft.language


def test_a_crashing_rule_becomes_an_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rule = find_rule("no-reply-sender")
    assert rule is not None

    def boom(self: Rule, ctx: Context) -> Iterator[Finding]:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(rule, "check", boom)
    report = lint_draft(_draft("Sorry."), Settings(select=("AL101",)))
    assert report.diagnostics == []
    assert len(report.errors) == 1 and "no-reply-sender" in report.errors[0].message


def test_findings_of_one_rule_are_capped_with_a_count(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = find_rule("no-reply-sender")
    assert rule is not None

    def flood(self: Rule, ctx: Context) -> Iterator[Finding]:
        for i in range(150):
            yield Finding(f"hit {i}", Span(i, i + 1))

    monkeypatch.setattr(rule, "check", flood)
    report = lint_draft(_draft("x" * 200), Settings(select=("AL101",)))
    assert len(report.diagnostics) == 100
    assert report.diagnostics[-1].message.endswith("(and 50 more occurrences not listed)")
