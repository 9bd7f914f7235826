"""AL201 missing-subject."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity, Span
from .base import Example, Finding, NotChecked, Rule
from .subjects import subject_example

_MESSAGE_KINDS = frozenset({"eml", "mbox"})
_TEXT_KINDS = frozenset({"text", "markdown", "md", "txt"})


class MissingSubject(Rule):
    code = "AL201"
    slug = "missing-subject"
    family = "subject"
    severity = Severity.ERROR
    summary = "The draft has no subject, or only whitespace."
    rationale = (
        "The subject is the first, and for many readers the only, thing they read: an "
        "apology without one shows up as \"(no subject)\", looks like spam and says nothing "
        "about what went wrong. A rendered message must carry it; a template is checked "
        "when it has a subject source (<title>, <meta name=\"subject\">, a Subject: line, "
        "--subject or config) and reported as not checked when it has none."
    )
    fail_examples = (
        Example("en", "Subject:\nFrom: Maya at Acme <maya@acme.com>\n\n"
                "We're sorry: we charged you twice for March. The refund is on its way.\n"),
        Example("pl", "Subject:   \nFrom: Anna ze Sklepu <anna@sklep.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Zwrot jest w drodze.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice for March\n"
                "From: Maya at Acme <maya@acme.com>\n\n"
                "We're sorry: we charged you twice for March.\n"),
        Example("pl", "Subject: Obciążyliśmy Twoją kartę dwa razy\nFrom: Anna ze Sklepu "
                "<anna@sklep.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        subject = draft.subject
        if subject is not None and subject.strip():
            return
        header = draft.header("Subject")
        span = draft.subject_span or (header.span if header is not None else None)
        kind = draft.origin.kind
        # A template's subject often lives in the sending platform. It is missing only
        # when the draft has a header block of its own and left Subject out.
        if (
            subject is None
            and kind not in _MESSAGE_KINDS
            and not (kind in _TEXT_KINDS and draft.headers)
        ):
            raise NotChecked(
                "no subject source: give --subject, config 'subject', a <title> or "
                "a Subject: line"
            )
        what = "no subject" if subject is None else "an empty subject"
        yield Finding(
            f"the draft has {what}: it will show as \"(no subject)\" and look like spam",
            span=span if span is not None else Span(0, 0),
            suggestion=f"say what happened in a few words, e.g. {subject_example(ctx)!r}",
        )
