"""AL703 placeholder-without-fallback."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..loaders.templating import find_template_tags, to_template_tags
from ..model import Severity, Span, TemplateTag
from .base import Example, Finding, NotChecked, Rule
from .templates import fallback_example, field_names, in_link_or_comment, is_personal

_DEFAULT = "placeholder-without-fallback.example_default"


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
        "links are not personal text and do not count."
    )
    vocabulary = (
        "placeholder-without-fallback.personal_fields",
        "placeholder-without-fallback.person_objects",
        "placeholder-without-fallback.ambiguous_fields",
        _DEFAULT,
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
        for tag, span in located:
            if tag.is_control or tag.has_fallback or tag.syntax == "angle":
                continue
            if not is_personal(tag.name, names):
                continue
            if span is not None and in_link_or_comment(text, span.start):
                continue
            yield Finding(
                f"{tag.text} has no fallback: wherever {tag.name!r} is empty the reader "
                "gets a broken greeting (\"Hi ,\") or the raw tag",
                span=span,
                suggestion=f"give it a default, e.g. {fallback_example(tag, tags, defaults[0])}",
            )
