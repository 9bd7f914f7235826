"""Runs the selected rules over one draft and turns findings into diagnostics.

The engine owns the cross-cutting decisions so that rules do not repeat them: which
rules run (select/ignore by slug, code, code prefix or family), each rule's severity,
which language pack the draft is read with, "not checked" for rules that lack their
input, and turning source spans into line:column.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from functools import lru_cache
from operator import attrgetter

from .audience import AddressLists
from .context import Context, TextView
from .language import UNDETERMINED, detect_language
from .model import Diagnostic, Draft, InputError, Position, Report, Severity
from .packs import Pack, PackError, load_packs
from .rules import Rule, all_rules, match_selector
from .rules.base import Finding, NotChecked
from .settings import Settings
from .suppression import apply_suppressions

#: Findings of one rule in one draft beyond which the rest are summed up in one line:
#: a hostile draft (100,000 emoticons) must not produce 100,000 lines.
MAX_FINDINGS_PER_RULE = 100
_token_end = attrgetter("end")
#: Language detection reads the subject and this much of the prose.
_DETECTION_CHARS = 20000


def selected_rules(settings: Settings) -> list[type[Rule]]:
    """Rules chosen by ``select``/``extend-select`` minus ``ignore``.

    As in ruff, the more specific selector wins (``select = ["AL1"]`` with
    ``ignore = ["AL101"]`` runs AL102–AL106), and on a tie ``ignore`` wins.
    """
    return list(_selected(settings.select + settings.extend_select, settings.ignore))


@lru_cache(maxsize=64)
def _selected(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[type[Rule], ...]:
    """The selection for one pair of selector lists (cached: every draft asks again)."""
    chosen: list[type[Rule]] = []
    for rule in all_rules():
        selected = _best(rule, select)
        ignored = _best(rule, ignore)
        if selected >= 0 and selected > ignored:
            chosen.append(rule)
    return tuple(chosen)


def _best(rule: type[Rule], selectors: tuple[str, ...]) -> int:
    """Specificity of the most specific selector naming the rule; -1 if none does."""
    best = -1
    for sel in selectors:
        if match_selector(rule, sel):
            s = sel.strip().lower()
            score = 0 if s == "all" else 100 if s in (rule.slug, rule.code.lower()) else len(s)
            best = max(best, score)
    return best


def lint_draft(
    draft: Draft, settings: Settings, *, lists: AddressLists | None = None
) -> Report:
    """Lint one loaded draft. Never raises for anything the draft contains.

    ``lists`` is the run's cache of address lists (see :mod:`apologylint.audience`):
    pass the same one for every draft of a run so that each list is read once."""
    report = Report(files_checked=1)
    try:
        packs = load_packs(settings.packs)
    except PackError as exc:
        report.errors.append(InputError(draft.path, f"language pack error: {exc}"))
        return report
    ctx = _context(draft, settings, packs)
    ctx.lists = lists if lists is not None else AddressLists()
    report.languages[draft.path] = draft.language
    for rule_cls in selected_rules(settings):
        rule = rule_cls()
        if rule.uses_language and ctx.pack is None:
            report.not_checked.append((draft.path, rule.slug, _no_pack(draft.language)))
            continue
        if rule.needs_whole_text and draft.unseen_text:
            report.not_checked.append((draft.path, rule.slug, _unseen(draft.unseen_text)))
            continue
        try:
            findings = _capped(rule.check(ctx))
        except NotChecked as skip:
            report.not_checked.append((draft.path, rule.slug, skip.reason))
            continue
        except Exception as exc:  # a rule bug must not lose the other findings
            report.errors.append(
                InputError(draft.path, f"internal error in rule {rule.slug}: {exc!r}")
            )
            continue
        configured = settings.severity.get(rule.slug, settings.severity.get(rule.code))
        for finding in findings:
            severity = configured or finding.severity or rule.severity
            span = finding.span
            path = draft.path
            if finding.elsewhere is not None:  # a line of an address list, not the draft
                at = finding.elsewhere
                path = at.path
                pos = Position(at.line, at.column, at.line, at.end_column or at.column)
            elif span is None:  # the top of the draft (of its message, in an mbox)
                top = draft.extra.get("message_start", 0)
                pos = draft.source.position(top, top)
            else:  # in whichever file of the message holds the text
                path, pos = draft.source.locate(span.start, span.end)
            report.diagnostics.append(
                Diagnostic(
                    path=path,
                    rule=rule.slug,
                    code=rule.code,
                    severity=Severity(severity),
                    message=finding.message,
                    line=pos.line,
                    column=pos.column,
                    end_line=pos.end_line,
                    end_column=pos.end_column,
                    suggestion=finding.suggestion,
                )
            )
    if "incident" in ctx.__dict__:
        report.incidents[draft.path] = ctx.incident
    apply_suppressions(draft, report, settings)  # inline comments; AL001 unused-suppression
    report.diagnostics.sort(key=lambda d: (d.line, d.column, d.code))
    return report


def _no_pack(language: str) -> str:
    if language == UNDETERMINED:
        return "no language pack for 'und': the text is in a script no pack reads"
    return f"no language pack for {language!r}"


def _unseen(reasons: list[str]) -> str:
    """The "not checked" reason of a rule that judges the whole text of a draft."""
    more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return f"part of the text could not be read: {reasons[0]}{more}"


def _capped(found: Iterable[Finding]) -> list[Finding]:
    """At most MAX_FINDINGS_PER_RULE findings, the last one saying how many were left out."""
    findings: list[Finding] = []
    extra = 0
    for finding in found:
        if len(findings) < MAX_FINDINGS_PER_RULE:
            findings.append(finding)
        else:
            extra += 1
    if extra:
        last = findings[-1]
        last.message += f" (and {extra} more occurrences not listed)"
    return findings


def _context(draft: Draft, settings: Settings, packs: Mapping[str, Pack]) -> Context:
    """Choose the language and build the context. The words are read once: detection
    takes them from the subject and the first 20,000 characters of the prose, and the
    context reuses them (tokenizing twice was a tenth of the lint time)."""
    body, subject = TextView(draft.prose.text, None), TextView(draft.subject or "", None)
    # tokens are in text order: the sample ends where the first token ends past the limit
    cut = bisect_right(body.tokens, _DETECTION_CHARS, key=_token_end)
    sample = [*subject.tokens, *body.tokens[:cut]]
    draft.language = detect_language(draft, sample, packs, settings.language)
    return Context(draft, settings, packs.get(draft.language), packs, words=(body, subject))
