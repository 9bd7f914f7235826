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
        "your understanding\" or a joke (\"our bad\") is not an apology, and neither is a "
        "non-apology (\"sorry for any inconvenience\", \"sorry if\") with no real one beside it."
    )
    rationale = (
        "The reader was let down; the mail exists to say sorry, and to mean it. A draft that "
        "explains and fixes but never apologises reads as cold, and \"we regret\" or \"thank "
        "you for your patience\" sounds like the company is the one being patient. An "
        "apology that is only hedged (\"sorry if\", \"sorry for any inconvenience\") "
        "apologises for nothing the sender did: this rule says the draft still needs a real "
        "apology — as a warning, since the draft tried — and non-apology (AL302) says how to "
        "turn the hedged one into it."
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
        # A hedged apology ("sorry for any inconvenience", "sorry if ...") does not count:
        # the catalog says so, and real notices that say only that were judged unapologetic
        # by every reader. AL302 says how to own it; this rule says that nothing else does.
        message = "the draft never apologises: say sorry, plainly, near the top"
        hedged = [j for j in analysis.non_apologies() if j.has_apology_word]
        found = substitutes(ctx)
        if hedged:
            first = hedged[0]
            text = ctx.subject.text if first.where == "subject" else ctx.body.text
            shown = text[first.start : first.end]
            message += f" (\u201c{shown}\u201d does not say sorry for what went wrong)"
        elif found:
            where, match = found[0]
            text = ctx.subject.text if where == "subject" else ctx.body.text
            shown = text[match.start : match.end]
            message += f" (\u201c{shown}\u201d is not an apology)"
        # Only hedged apologies: the draft tried, and whether a hedge counts is a judgment
        # call, so it warns (a configured severity still wins); no attempt at all is an error.
        yield Finding(
            message,
            span=self._where(ctx),
            suggestion=pack_message(ctx, APOLOGIES),
            severity=Severity.WARNING if hedged else None,
        )

    @staticmethod
    def _where(ctx: Context) -> Span | None:
        """The top of the body (after the greeting): where the apology belongs."""
        start = body_start(ctx)
        if start is not None:
            span = ctx.body_span(start, start + 1)
            if span is not None:
                return span
        return ctx.draft.subject_span
