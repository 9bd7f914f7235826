"""AL803 apology-not-recommended: the incident was mailing people who had opted out.

Fires only for the explicit incident kind ``suppression-list`` (``--incident
suppression-list`` or config ``incident``): the text of a draft cannot tell that the
original send went to a stale suppression list, so inference never guesses it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, Rule

KIND = "suppression-list"


class ApologyNotRecommended(Rule):
    code = "AL803"
    slug = "apology-not-recommended"
    family = "audience"
    severity = Severity.ERROR
    summary = (
        "The incident kind is `suppression-list` (the original mistake was mailing people "
        "who had unsubscribed): an apology mail to them compounds it."
    )
    rationale = (
        "When the mistake was emailing people who had unsubscribed (a stale or unsynced "
        "suppression list), the apology is one more unwanted email to exactly the people who "
        "asked for none: it repeats the mistake, invites spam complaints and, under consent "
        "law, is a second unlawful mailing. Do not send it. Fix the list, make sure the "
        "suppression is honoured from now on, and answer individually the people who write "
        "in. The rule fires only when the incident kind is given as `suppression-list`; the "
        "wording of the draft does not matter."
    )
    fail_examples = (
        Example(
            "en",
            "Subject: Sorry about last week's newsletter\n"
            "From: Oak & Vine <hello@oakvine.example>\n\n"
            "We're sorry: last week we sent our newsletter to people who had unsubscribed. "
            "You will not hear from us again unless you sign up.\n",
            options=(("incident", KIND),),
        ),
        Example(
            "pl",
            "Subject: Przepraszamy za newsletter\nFrom: Zielnik <kontakt@zielnik.example>\n\n"
            "Przepraszamy: wysłaliśmy newsletter osobom, które się z niego wypisały. "
            "Więcej nie napiszemy.\n",
            options=(("incident", KIND),),
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Sorry: the code in Tuesday's email was wrong\n"
            "From: Oak & Vine <hello@oakvine.example>\n\n"
            "We're sorry: the discount code in Tuesday's email did not work. Use SPRING20.\n",
            note="another kind of incident: an apology is right",
            options=(("incident", "wrong-content"),),
        ),
        Example(
            "pl",
            "Subject: Przepraszamy za newsletter wysłany dwa razy\n"
            "From: Zielnik <kontakt@zielnik.example>\n\n"
            "Przepraszamy: wysłaliśmy wczoraj newsletter dwukrotnie. Nie musisz nic robić.\n",
            options=(("incident", "duplicate-send"),),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.settings.incident != KIND:
            return
        yield Finding(
            "do not send this apology: the incident is a mailing to people who had "
            "unsubscribed (incident kind suppression-list), and an apology is one more "
            "unwanted email to the same people — it compounds the mistake",
            span=ctx.draft.subject_span,
            suggestion=(
                "do not send it: fix the suppression list (re-sync it with your sending "
                "platform and check it before every send), and reply individually to anyone "
                "who complains"
            ),
        )
