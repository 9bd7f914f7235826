"""Inline suppression: comments in a draft that silence named rules on some lines.

A directive is ``apologylint:`` followed by one of

* ``disable=NAMES`` ... ``enable=NAMES`` -- from the comment's line to the ``enable``
  comment's line (or to the end of the file); ``enable`` without names ends every range;
* ``disable-next-line=NAMES`` -- the line after the comment;
* ``disable-line=NAMES`` -- the comment's own line(s);
* ``disable-file=NAMES`` -- every finding of the file (also those reported at its top,
  such as a missing apology or subject).

``NAMES`` are slugs, codes, code prefixes or ``all``, separated by commas; without
``=NAMES`` a directive means all rules. A directive counts only inside a comment that the
recipient never sees: an HTML comment ``<!-- ... -->`` (.html, .mjml, .md, the HTML part
of an .eml/.mbox), or a template comment -- ``{# ... #}`` (Jinja, HubL, Twig),
``{% comment %}...{% endcomment %}`` and ``{% # ... %}`` (Liquid), ``{{! ... }}`` /
``{{!-- ... --}}`` (Handlebars), ``<%# ... %>`` (ERB), ``{{-- ... --}}`` (Blade),
``{{/* ... */}}`` (Go) and ``/* ... */`` (inside an AMPscript ``%%[ ]%%`` block) --
in any template file, .txt included.

Suppression is applied by source line after the rules ran, in the file the directive is
written in: a message assembled from several files (a body, its layout) has a directive of
its own in each template that needs one. Data files cannot hold a comment (a subject in
``meta.json``, a sentence in ``en.yml``): a ``disable-file`` in one of the message's
templates covers their findings. A directive (or one name in
it) that silences nothing is itself reported as AL001 ``unused-suppression``, but only
when a rule it names ran on the draft (a rule ignored by config or not checked is not
"unused"); a name that matches no rule is reported too. AL001 findings themselves can be
silenced only by naming ``unused-suppression`` or ``AL001``.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from .model import Diagnostic, Draft, Report, Severity, Span
from .settings import Settings

__all__ = ["Directive", "apply_suppressions", "find_directives"]

UNUSED_SLUG = "unused-suppression"
UNUSED_CODE = "AL001"
_ALL = "all"
_DIRECTIVE = re.compile(
    r"apologylint\s{0,5}:\s{0,5}(disable-next-line|disable-line|disable-file|disable|enable)"
    r"(?:\s{0,5}[=:]\s{0,5}([A-Za-z0-9_,\- \t]{0,500}))?",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"[\s,]+")
_LOOKBACK = 3000
_LIQUID_COMMENT = re.compile(r"\{%-?\s{0,10}comment\s{0,10}-?%\}", re.IGNORECASE)
_LIQUID_END = re.compile(r"\{%-?\s{0,10}endcomment\s{0,10}-?%\}", re.IGNORECASE)
_LIQUID_INLINE = re.compile(r"\{%-?\s{0,10}#")
_INFINITE = 1 << 60


@dataclass
class Directive:
    """One ``apologylint:`` comment: what it does, to which rules, and where it stands."""

    kind: str  # disable, enable, disable-next-line, disable-line, disable-file
    names: tuple[str, ...]  # as written; () means all rules
    span: Span
    line: int
    end_line: int
    #: the file it is written in: it silences findings of that file only (a message
    #: assembled from several files has several)
    path: str = ""
    #: names (or "all") that silenced at least one finding
    used: set[str] = field(default_factory=set)


def _last(pattern: re.Pattern[str], text: str) -> int:
    """Start of the last match of ``pattern`` in ``text`` (-1: none); text is bounded."""
    at = -1
    for m in pattern.finditer(text):
        at = m.start()
    return at


def _in_comment(text: str, at: int) -> bool:
    """Whether offset ``at`` of ``text`` stands inside a comment the reader never sees."""
    w = text[max(0, at - _LOOKBACK) : at]

    def opened(opener: str, closer: str) -> bool:
        o = w.rfind(opener)
        return o != -1 and o > w.rfind(closer)

    if (
        opened("<!--", "-->") or opened("{#", "#}") or opened("{{!", "}}")
        or opened("/*", "*/") or opened("<%#", "%>") or opened("{{--", "--}}")
    ):
        return True
    block = _last(_LIQUID_COMMENT, w)
    if block != -1 and block > _last(_LIQUID_END, w):
        return True
    inline = _last(_LIQUID_INLINE, w)
    return inline != -1 and inline > w.rfind("%}")


def _channels(draft: Draft) -> Iterator[tuple[str, Sequence[int] | None]]:
    """The texts to search, each with its origins (None: the text is the source).

    A rendered message is searched part by part, decoded (a quoted-printable or base64
    HTML part holds its comments only once decoded; an mbox's source holds other messages
    too); any other draft is searched in its source file.
    """
    if draft.origin.kind in ("eml", "mbox"):
        if draft.html is not None:
            yield draft.html, draft.extra.get("html_origins")
        text = draft.extra.get("text")
        origins = draft.extra.get("text_origins")
        if isinstance(text, str) and origins is not None:
            yield text, origins
        return
    yield draft.source.text, None


def find_directives(draft: Draft) -> list[Directive]:
    """Every directive of the draft, in file order."""
    found: list[Directive] = []
    source = draft.source
    for text, origins in _channels(draft):
        if "apologylint" not in text.lower():
            continue
        for m in _DIRECTIVE.finditer(text):
            if not _in_comment(text, m.start()):
                continue
            names = tuple(n for n in _NAME_SPLIT.split((m.group(2) or "").strip(" \t-")) if n)
            start, end = m.start(), m.end()
            if origins is not None and len(origins):
                start = int(origins[min(start, len(origins) - 1)])
                end = int(origins[min(max(end - 1, 0), len(origins) - 1)]) + 1
            path, pos = source.locate(start, max(end - 1, start))
            kind = m.group(1).lower()
            found.append(Directive(kind, names, Span(start, max(end, start)), pos.line,
                                   pos.end_line, path))
    found.sort(key=lambda d: d.span.start)
    return found


@dataclass
class _Range:
    directive: Directive
    name: str  # one name of the directive, or "all"
    first: int
    last: int


def _ranges(directives: list[Directive]) -> list[_Range]:
    """Line ranges per directive name; ``enable`` closes the open ``disable`` ranges."""
    ranges: list[_Range] = []
    open_ranges: list[_Range] = []
    for d in directives:
        names = tuple(n.lower() for n in d.names) or (_ALL,)
        if d.kind == "disable":
            for name in names:
                r = _Range(d, name, d.line, _INFINITE)
                ranges.append(r)
                open_ranges.append(r)
        elif d.kind == "enable":
            closing = set(names)
            for r in list(open_ranges):
                if r.directive.path == d.path and (_ALL in closing or r.name in closing):
                    r.last = d.end_line
                    open_ranges.remove(r)
        elif d.kind == "disable-next-line":
            ranges.extend(_Range(d, n, d.end_line + 1, d.end_line + 1) for n in names)
        elif d.kind == "disable-line":
            ranges.extend(_Range(d, n, d.line, d.end_line) for n in names)
        else:  # disable-file
            ranges.extend(_Range(d, n, 0, _INFINITE) for n in names)
    return ranges


def _names_rule(name: str, slug: str, code: str) -> bool:
    from .rules import find_rule, match_selector

    name = name.lower()
    if name == _ALL:
        return slug != UNUSED_SLUG
    if slug == UNUSED_SLUG:
        return name in (UNUSED_SLUG, UNUSED_CODE.lower())
    rule = find_rule(slug)
    if rule is None:
        return name in (slug, code.lower())
    return match_selector(rule, name)


def _known(name: str) -> bool:
    from .rules import is_known_selector

    return name.lower() == _ALL or is_known_selector(name)


def apply_suppressions(draft: Draft, report: Report, settings: Settings) -> None:
    """Drop the draft's diagnostics that a directive silences; report unused directives.

    ``report`` holds this draft's diagnostics (the engine calls this once per draft,
    after every rule ran and before sorting).
    """
    directives = find_directives(draft)
    if not directives:
        return
    ranges = _ranges(directives)
    silenced = _silenced(report.diagnostics, ranges)
    report.diagnostics[:] = [d for d, gone in zip(report.diagnostics, silenced, strict=True)
                             if not gone]
    unused = _unused_findings(draft, report, settings, directives, ranges)
    report.diagnostics.extend(
        d for d, gone in zip(unused, _silenced(unused, ranges), strict=True) if not gone
    )


#: Files of a message that cannot hold a comment the reader never sees (a subject in
#: meta.json, a sentence in a locale file, a sender in a mailer class): a ``disable-file``
#: in one of the message's templates covers their findings too.
_DATA_FILES = (".json", ".yml", ".yaml", ".ini", ".po", ".php", ".rb", ".toml", ".xlf")


def _silenced(diags: list[Diagnostic], ranges: list[_Range]) -> list[bool]:
    """Which findings a range silences (marking the ranges that silence one as used).

    A sweep, file by file, over the findings in line order and the ranges in first-line
    order: a heap keeps the ranges open at the current line (the one ending first on
    top), so each finding looks only at the ranges that cover its line. (Checking every
    finding against every range took 210 s for 500 KB of comments.)"""
    out = [False] * len(diags)
    by_path: dict[str, list[_Range]] = {}
    for r in ranges:
        by_path.setdefault(r.directive.path, []).append(r)
    # a disable-file in a template also speaks for the message's data files
    file_wide = [r for r in ranges if r.directive.kind == "disable-file"]
    order = sorted(range(len(diags)), key=lambda i: (diags[i].path, diags[i].line))
    for path, group in groupby(order, key=lambda i: diags[i].path):
        own = sorted(by_path.get(path, ()), key=lambda r: r.first)
        open_ranges: list[tuple[int, int]] = []  # (last line, index in own)
        j = 0
        data_file = path.endswith(_DATA_FILES) and not path.endswith(".blade.php")
        for i in group:
            diag = diags[i]
            while j < len(own) and own[j].first <= diag.line:
                heapq.heappush(open_ranges, (own[j].last, j))
                j += 1
            while open_ranges and open_ranges[0][0] < diag.line:
                heapq.heappop(open_ranges)
            covering = [own[k] for _last, k in open_ranges]
            if data_file:
                covering += [r for r in file_wide if r.directive.path != path]
            for r in covering:
                if _names_rule(r.name, diag.rule, diag.code):
                    r.directive.used.add(r.name)
                    out[i] = True
    return out


def _unused_findings(
    draft: Draft,
    report: Report,
    settings: Settings,
    directives: list[Directive],
    ranges: list[_Range],
) -> list[Diagnostic]:
    from .engine import selected_rules

    selected = selected_rules(settings)
    if not any(rule.slug == UNUSED_SLUG for rule in selected):
        return []
    skipped = {slug for path, slug, _reason in report.not_checked if path == draft.path}
    ran = [rule for rule in selected if rule.slug not in skipped]
    severity = settings.severity.get(UNUSED_SLUG, settings.severity.get(UNUSED_CODE))
    out: list[Diagnostic] = []
    for d in directives:
        if d.kind == "enable":
            for name in d.names:
                if not _known(name):
                    out.append(_diag(draft, d, f"'{name}' names no rule", severity))
            continue
        for name in d.names or (_ALL,):
            key = name.lower()
            if not _known(name):
                out.append(_diag(draft, d, f"'{name}' names no rule", severity))
            elif key not in d.used and any(
                _names_rule(key, rule.slug, rule.code) for rule in ran
            ):
                what = "all rules" if key == _ALL else f"'{name}'"
                out.append(_diag(
                    draft, d, f"this {d.kind} of {what} silences nothing here", severity
                ))
    return out


def _diag(draft: Draft, d: Directive, message: str, severity: Severity | None) -> Diagnostic:
    path, pos = draft.source.locate(d.span.start, d.span.end)
    return Diagnostic(
        path=path,
        rule=UNUSED_SLUG,
        code=UNUSED_CODE,
        severity=severity or Severity.WARNING,
        message=message,
        line=pos.line,
        column=pos.column,
        end_line=pos.end_line,
        end_column=pos.end_column,
        suggestion="remove the suppression comment, or name the rule that fires here",
    )
