"""AL703 placeholder-without-fallback."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..context import Context
from ..loaders.templating import find_template_tags, to_template_tags
from ..model import TEMPLATE_MARK, Severity, Span, TemplateTag
from .base import Example, Finding, NotChecked, Rule
from .templates import (
    dialect_marks,
    fallback_example,
    field_names,
    in_link_or_comment,
    is_personal,
    last_key,
)

_DEFAULT = "placeholder-without-fallback.example_default"
#: A line longer than this is no greeting line ("Hi {{ name }}," is a few words).
_GREETING_LINE_CHARS = 200
#: greeting words ("Hi", "Dear", "Dzień dobry") as the buried-apology rule reads them
_GREETINGS = "buried-apology.greetings"


class PlaceholderWithoutFallback(Rule):
    code = "AL703"
    slug = "placeholder-without-fallback"
    family = "template"
    severity = Severity.WARNING
    summary = (
        "A template's tag for a recipient's personal field (first or last name, "
        "salutation, company, city; imię, nazwisko ...) has no default and no if-guard, in "
        "any ESP syntax, in the body or the subject."
    )
    rationale = (
        "A personalised greeting without a fallback prints \"Hi ,\" or the raw tag for "
        "everyone whose field is empty, and broken personalisation is one of the mistakes "
        "apology mails are sent for: the apology must not repeat it. Give every personal "
        "field a default in its own syntax (| default: \"there\", "
        "[firstname,fallback=there], {{lead.First Name:default=there}} ...) or wrap it in "
        "an if/else on the same field. Control tags (if, for, comments) and tags inside "
        "links are not personal text and do not count, nor is the sender's own company or "
        "town in the footer's address lines. The suggestion is written in the file's own "
        "engine (Liquid, Jinja, Django, Twig, Handlebars, ERB, Blade, Go ...)."
    )
    vocabulary = (
        "placeholder-without-fallback.personal_fields",
        "placeholder-without-fallback.person_objects",
        "placeholder-without-fallback.ambiguous_fields",
        "placeholder-without-fallback.footer_fields",
        _DEFAULT,
        _GREETINGS,
    )
    fail_examples = (
        Example("en", "Subject: Sorry about your order\nFrom: Acme <help@acme.com>\n\n"
                "Hi {{ first_name }},\n\nWe're sorry: we sent your parcel to the wrong "
                "depot. It will reach you on Friday.\n"),
        Example("pl", "Subject: Przepraszamy za opóźnienie\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "Cześć *|IMIE|*,\n\nprzepraszamy: Twoja paczka trafiła do złego magazynu. "
                "Dotrze w piątek.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Sorry about your order\nFrom: Acme <help@acme.com>\n\n"
                "Hi {{ first_name | default: \"there\" }},\n\nWe're sorry: we sent your "
                "parcel to the wrong depot. It will reach you on Friday.\n"),
        Example("pl", "Subject: Przepraszamy za opóźnienie\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "*|IF:IMIE|*Cześć *|IMIE|*,*|ELSE:|*Dzień dobry,*|END:IF|*\n\n"
                "przepraszamy: Twoja paczka trafiła do złego magazynu. Dotrze w piątek.\n",
                note="an if/else guard on the same field is a fallback"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        if not draft.origin.is_template:
            raise NotChecked(
                "a rendered message: tags left in it are unrendered-placeholder's finding"
            )
        names = field_names(ctx.packs.values())
        tags = list(draft.template_tags)
        located: list[tuple[TemplateTag, Span | None]] = [(t, t.span) for t in tags]
        if draft.subject and draft.subject_span is None:
            # a subject given by --subject or config: not in the file, reported at its top
            extra = to_template_tags(draft.subject, find_template_tags(draft.subject), None)
            tags.extend(extra)
            located.extend((t, None) for t in extra)
        text = draft.source.text
        defaults = [w for p in (ctx.pack,) if p for w in p.words(_DEFAULT)] or ["there"]
        places = _Places(ctx)
        marks = dialect_marks(tags)
        for tag, span in located:
            if tag.is_control or tag.has_fallback or tag.syntax == "angle":
                continue
            if not is_personal(tag.name, names):
                continue
            if tag.syntax == "go" and "." not in tag.name and last_key(tag.name) in \
                    names.ambiguous:
                continue  # a Go template's bare .Name is a field of whatever data it gets
            if span is not None and in_link_or_comment(text, span.start):
                continue
            place = places.of(span)
            if place == "footer" and last_key(tag.name) in names.footer:
                continue  # the sender's own company or town in its address lines
            yield Finding(
                f"{tag.text} has no fallback: wherever {tag.name!r} is empty "
                + _WHAT_BREAKS[place],
                span=span,
                suggestion="give it a default, e.g. " + fallback_example(
                    tag, marks, defaults[0], engine=draft.origin.engine),
            )


#: What the reader gets where a field is empty, by where the tag stands.
_WHAT_BREAKS = {
    "greeting": "the reader gets a broken greeting (\"Hi ,\") or the raw tag",
    "subject": "the subject shows a gap or the raw tag",
    "footer": "the footer shows a gap or the raw tag",
    "body": "the sentence shows a gap or the raw tag",
}


class _Places:
    """Where a tag stands for the reader: the subject, a greeting line, the footer or the
    body (found through the tag's mark in the prose). Line ends and greetings are indexed
    once, so each tag costs a bisection, not a scan (scans made a draft of many tags on
    long lines quadratic)."""

    def __init__(self, ctx: Context) -> None:
        draft = ctx.draft
        self.subject = draft.subject_span
        prose = draft.prose
        self.mark_at = {
            prose.origins[m.start()]: m.start()
            for m in re.finditer(re.escape(TEMPLATE_MARK), prose.text)
        }
        self.text = prose.text
        self.line_ends = [m.start() for m in re.finditer("\n", prose.text)]
        footer = draft.extra.get("footer_start")
        if not isinstance(footer, int):  # no footer element: the sign-off is the last
            paragraphs = prose.paragraphs()  # paragraph ("The {{ company }} Team")
            footer = paragraphs[-1][0] if len(paragraphs) >= 3 else len(prose.text) + 1
        self.footer = footer
        self.greetings = {m.start for m in ctx.body.matches(_GREETINGS)} if ctx.pack else set()

    def of(self, span: Span | None) -> str:
        if span is None or (self.subject is not None
                            and self.subject.start <= span.start < self.subject.end):
            return "subject"
        at = self.mark_at.get(span.start)
        if at is None:
            return "body"
        if at >= self.footer:
            return "footer"
        k = bisect.bisect_left(self.line_ends, at)
        line_start = self.line_ends[k - 1] + 1 if k else 0
        line_end = self.line_ends[k] if k < len(self.line_ends) else len(self.text)
        opens = any(g in self.greetings for g in range(line_start, line_start + 3))
        if not opens and line_end - line_start > _GREETING_LINE_CHARS:
            return "body"
        line = self.text[line_start:line_end]
        if opens or (len(line.split()) <= 4 and line.rstrip().endswith((",", "!"))):
            return "greeting"
        return "body"
