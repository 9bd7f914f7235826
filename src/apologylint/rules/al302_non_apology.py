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
    analyse,
    non_apologies,
    substitutes,
)
from .base import Example, Finding, Rule

_WHY = {
    "conditional": "a conditional apology (\u201cif\u201d) doubts that anything went wrong",
    "feelings": "it apologises for the reader's feelings, not for what the sender did",
    "generic": "an apology for a generic harm owns nothing specific",
    "disowned": "it apologises and denies the fault in the same sentence",
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
        "niedogodności\", \"za zaistniałą sytuację\"; a list of harms with a hedge (\"for "
        "the confusion and the stress this may have caused\"), \"for this\" after a "
        "sentence that names a hedged harm, and an apology that denies the fault in the same "
        "sentence (\"through no fault of our own\", \"nie z naszej winy\")."
    )
    rationale = (
        "Readers recognise a non-apology at once: \"if\" suggests nothing may have gone wrong, "
        "\"you feel\" puts the problem in the reader, and \"any inconvenience\" is the phrase "
        "of a form letter. Each one reads as the company protecting itself. Say what you did "
        "and apologise for that. A hedged apology beside a real one for the mistake itself "
        "(\"We're sorry we sent the wrong date. We apologise for any inconvenience.\") is "
        "only a courtesy and is not flagged; on its own it is a non-apology, and "
        "missing-apology (AL301) warns that the draft still needs a real one. \"We regret "
        "the inconvenience\" with no apology at all is AL301's business, not this rule's."
    )
    vocabulary = (
        APOLOGIES,
        NA_PHRASES,
        NA_CONDITIONAL,
        NA_FEELINGS,
        NA_HEDGES,
        NA_GENERIC,
        )
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
        apologises = bool(analyse(ctx).real())
        for judged in non_apologies(ctx):
            if apologises and judged.kind in ("generic", "conditional"):
                # "… for any inconvenience", "… if they did", beside a real apology for the
                # mistake itself: the catalog's decision from real mail
                continue
            if _is_substitute(ctx, judged):
                # "we regret the inconvenience": with no apology at all that is AL301's
                # business; beside a real apology it is only a courtesy
                continue
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


def _is_substitute(ctx: Context, judged: Judged) -> bool:
    """Whether a non-apology without an apology word is said instead of an apology: it
    holds such a phrase ("we regret any concern"), or it is the harm that such a phrase
    governs earlier in its sentence ("We regret this has taken place and for any
    inconvenience this may have caused"). That is missing-apology's business; "mistakes
    were made" names no harm and stays this rule's."""
    if judged.has_apology_word:
        return False
    found = [m for where, m in substitutes(ctx) if where == judged.where]
    if any(m.start < judged.end and judged.start < m.end for m in found):
        return True
    analysis = analyse(ctx)
    facts = analysis.subject if judged.where == "subject" else analysis.body
    if not facts.tokens:
        return False
    at = facts.token_at(judged.start)
    last = max(at, facts.token_at(judged.end - 1))
    generic = facts.starting(NA_GENERIC)
    if not any(generic.get(i) for i in range(at, last + 1)):
        return False
    sentence = facts.sentence_of[at]
    return any(facts.sentence_of[m.first_token] == sentence and m.first_token <= at for m in found)
