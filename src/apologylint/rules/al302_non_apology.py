"""AL302 non-apology."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity, Span
from .apology import (
    APOLOGIES,
    NA_CONDITIONAL,
    NA_FEELINGS,
    NA_GENERIC,
    NA_HEDGES,
    NA_PHRASES,
    Judged,
    non_apologies,
)
from .base import Example, Finding, Rule

_WHY = {
    "conditional": "a conditional apology (\u201cif\u201d) doubts that anything went wrong",
    "feelings": "it apologises for the reader's feelings, not for what the sender did",
    "generic": "an apology for a generic harm owns nothing specific",
    "phrase": "it sounds like an apology but owns nothing",
}


class NonApology(Rule):
    code = "AL302"
    slug = "non-apology"
    family = "apology"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "A conditional or deflecting apology: \"sorry if\", \"sorry you feel\", \"apologies to "
        "anyone who felt\", \"sorry for any inconvenience\", \"we regret any inconvenience\", "
        "\"mistakes were made\", \"przepraszamy, jeśli\", \"przepraszamy za ewentualne "
        "niedogodności\", \"za zaistniałą sytuację\"."
    )
    rationale = (
        "Readers recognise a non-apology at once: \"if\" suggests nothing may have gone wrong, "
        "\"you feel\" puts the problem in the reader, and \"any inconvenience\" is the phrase "
        "of a form letter. Each one reads as the company protecting itself. Say what you did "
        "and apologise for that. \"Sorry for the inconvenience\" is accepted when the draft "
        "names what the sender got wrong elsewhere; with \"any\" or \"ewentualne\" it never is."
    )
    vocabulary = (APOLOGIES, NA_PHRASES, NA_CONDITIONAL, NA_FEELINGS, NA_HEDGES, NA_GENERIC)
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Duplicate reminder\nFrom: Ledgerleaf <billing@ledgerleaf.com>\n\n"
                "We're sorry if you received this email twice. We are sorry for any "
                "inconvenience.\n", note="two findings"),
        Example("pl", "Subject: Zmiana miejsc na seans\nFrom: Kino Kadr <bilety@kinokadr.pl>\n\n"
                "W wiadomości z biletami były złe numery miejsc. Przepraszamy za ewentualne "
                "niedogodności.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We sent your reminder twice\n"
                "From: Ledgerleaf <billing@ledgerleaf.com>\n\n"
                "We're sorry: we sent this morning's payment reminder twice. "
                "You were charged once.\n"),
        Example("pl", "Subject: Zmiana miejsc na seans\nFrom: Kino Kadr <bilety@kinokadr.pl>\n\n"
                "Przepraszamy – wysłaliśmy Ci bilety ze złymi numerami miejsc. "
                "Nowe są w załączniku.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for judged in non_apologies(ctx):
            text = ctx.subject.text if judged.where == "subject" else ctx.body.text
            shown = text[judged.start : judged.end]
            why = _WHY.get(str(judged.kind), _WHY["phrase"])
            yield Finding(
                f"non-apology \u201c{shown}\u201d: {why}",
                span=self._span(ctx, judged),
                suggestion=judged.suggestion,
            )

    @staticmethod
    def _span(ctx: Context, judged: Judged) -> Span | None:
        if judged.where == "subject":
            return ctx.subject_span(judged.start, judged.end)
        return ctx.body_span(judged.start, judged.end)
