"""AL301 missing-apology."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity, Span
from .apology import APOLOGIES, SUBSTITUTES, analyse, body_start, pack_message, substitutes
from .base import Example, Finding, Rule


class MissingApology(Rule):
    code = "AL301"
    slug = "missing-apology"
    family = "apology"
    severity = Severity.ERROR
    needs_whole_text = True
    summary = (
        "No apology anywhere in the subject or body: no \"sorry\", \"we apologise\", \"our "
        "apologies\", \"przepraszamy\", \"przykro nam\". A bare \"we regret\", \"thank you for "
        "your understanding\" or a joke (\"our bad\") is not an apology."
    )
    rationale = (
        "The reader was let down; the mail exists to say sorry, and to mean it. A draft that "
        "explains and fixes but never apologises reads as cold, and \"we regret\" or \"thank "
        "you for your patience\" sounds like the company is the one being patient. An "
        "apology that is there but hedged (\"sorry if\", \"sorry for any inconvenience\") is "
        "reported by non-apology (AL302) instead, with how to own it: this rule is for the "
        "draft that never tries."
    )
    vocabulary = (APOLOGIES, SUBSTITUTES)
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Your March invoice\nFrom: Acme Billing <billing@acme.com>\n\n"
                "Your March invoice showed the wrong amount. The corrected invoice is attached.\n"
                "Thank you for your understanding.\n",
                note="thanks instead of an apology"),
        Example("pl", "Subject: Awaria aplikacji 7 maja\nFrom: Parkomat <pomoc@parkomat.pl>\n\n"
                "7 maja rano nie dało się rozpocząć postoju w aplikacji. Wezwania do zapłaty "
                "z tego dnia anulujemy.\n\nDziękujemy za wyrozumiałość.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Acme Billing <billing@acme.com>\n\n"
                "We're sorry: we charged you twice for March. The refund is on its way.\n"),
        Example("pl", "Subject: Awaria aplikacji 7 maja\nFrom: Parkomat <pomoc@parkomat.pl>\n\n"
                "Przepraszamy – 7 maja rano nie dało się rozpocząć postoju, bo wdrożyliśmy "
                "błędną aktualizację. Wezwania z tego dnia anulujemy.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        analysis = analyse(ctx)
        if analysis.real():
            return
        # A hedged apology ("sorry for any inconvenience") is an attempt: AL302 reports it
        # with how to own it, so this rule does not report the same words twice.
        if any(j.has_apology_word for j in analysis.non_apologies()):
            return
        message = "the draft never apologises: say sorry, plainly, near the top"
        found = substitutes(ctx)
        if found:
            where, match = found[0]
            text = ctx.subject.text if where == "subject" else ctx.body.text
            shown = text[match.start : match.end]
            message += f" (\u201c{shown}\u201d is not an apology)"
        yield Finding(message, span=self._where(ctx), suggestion=pack_message(ctx, APOLOGIES))

    @staticmethod
    def _where(ctx: Context) -> Span | None:
        """The top of the body (after the greeting): where the apology belongs."""
        start = body_start(ctx)
        if start is not None:
            span = ctx.body_span(start, start + 1)
            if span is not None:
                return span
        return ctx.draft.subject_span
