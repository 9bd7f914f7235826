"""AL904 breach-date-missing: a breach notice that never says when the breach happened.

Runs for a breach (any jurisdiction). A date is a month next to a day number or a year
("3 March 2025", "March 3rd", "4 marca 2025 r.", "16–18 lutego"), a month after a word of
``breach-date-missing.month_cues`` ("in early March", "na początku marca", "około 4
marca"), a numeric date ("03/03/2025", "2025-03-03", "04.03.2025"), or a relative day
("yesterday", "last Tuesday", "wczoraj", "w zeszły wtorek"). An honest "we do not know
yet when it started" (``date_unknown``) satisfies the rule too: the laws ask for the date
only where it can be determined.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, NotChecked, Rule
from .breach import DATES, has_breach_date, missing_span, suggestion


class BreachDateMissing(Rule):
    code = "AL904"
    slug = "breach-date-missing"
    family = "breach"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "A breach notice with no date, estimated date or date range of the breach "
        "(\"between 3 and 9 March\", \"around 4 March\", \"w dniach 16–18 lutego\")."
    )
    rationale = (
        "People judge their own risk by when it happened: was my card used before or after "
        "that date, did I change my password since? California asks for the date, the "
        "estimated date or the date range of the breach (Civ. Code 1798.82(d)(2)(C)), HIPAA "
        "for the dates of the breach and of its discovery (45 CFR 164.404(c)(1)(A)), and a "
        "GDPR notice that describes the nature of the breach is hardly clear without it. An "
        "estimate or a range is fine, and so is saying plainly that the date is not known "
        "yet."
    )
    vocabulary = (f"{DATES}.months", f"{DATES}.month_needs_number", f"{DATES}.month_cues",
                  f"{DATES}.relative_dates", f"{DATES}.date_unknown")
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: Notice of Data Breach\nFrom: Quill Books <privacy@quill.example>\n\n"
            "We're sorry: an attacker recently got into our order system and saw customers' "
            "names and addresses. Please change your password.\n",
            note="\"recently\" is not a date",
            options=(("incident", "breach"),),
        ),
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych osobowych\nFrom: Sklep <iod@sklep.example>\n\n"
            "Przepraszamy: niedawno osoba nieuprawniona uzyskała dostęp do naszej bazy "
            "klientów. Zmień hasło do konta.\n",
            options=(("incident", "breach"),),
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Notice of Data Breach\nFrom: Quill Books <privacy@quill.example>\n\n"
            "We're sorry: between 3 and 9 March an attacker got into our order system and saw "
            "customers' names and addresses. Please change your password.\n",
            options=(("incident", "breach"),),
        ),
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych osobowych\nFrom: Sklep <iod@sklep.example>\n\n"
            "Przepraszamy: szacujemy, że około 16 lutego osoba nieuprawniona uzyskała dostęp "
            "do naszej bazy klientów. Zmień hasło do konta.\n",
            options=(("incident", "breach"),),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_security_incident:
            return
        if not ctx.draft.prose.text.strip():
            raise NotChecked("the draft has no body text")
        if has_breach_date(ctx):
            return
        yield Finding(
            "the notice never says when the breach happened: give the date, an estimated "
            "date or a date range (Cal. Civ. Code 1798.82(d)(2)(C); 45 CFR "
            "164.404(c)(1)(A)), or say that it is not known yet",
            span=missing_span(ctx),
            suggestion=suggestion(ctx, f"{DATES}.months",
                                  "say when it happened, e.g. \u201cBetween 3 and 9 March 2025 "
                                  "…\u201d"),
        )
