"""AL802 suppressed-recipients: some recipients are on the suppression list.

Needs ``recipients`` and ``suppressed`` (see :mod:`apologylint.audience`); without them the
rule is "not checked". Like AL801, the finding points at the recipient list (the line of
the first suppressed address) and is reported once per run; the recipient list is
streamed once for both rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Elsewhere, Example, Finding, Option, Rule
from .lists import (
    EXAMPLE_LISTS,
    audience_of,
    list_problems,
    listing,
    require_lists,
)


class SuppressedRecipients(Rule):
    code = "AL802"
    slug = "suppressed-recipients"
    family = "audience"
    severity = Severity.ERROR
    summary = (
        "Given a suppression list (unsubscribed, bounced or complained addresses), some "
        "recipients are on it."
    )
    rationale = (
        "People on the suppression list asked not to be mailed, or their address bounced "
        "or complained. Mailing them an apology ignores that choice — often the very mistake "
        "being apologised for — breaks consent rules (GDPR, CAN-SPAM, the Polish "
        "telecommunications law) and hurts the sender's reputation with mailbox providers. "
        "The finding points at the recipient list and names how many recipients are "
        "suppressed and the first few of them."
    )
    options = (
        Option("recipients", None, "text or CSV file of the addresses the draft will go to "
               "(`--recipients`)"),
        Option("suppressed", None, "text or CSV file of suppressed (opted-out, bounced) "
               "addresses (`--suppressed`)"),
        Option("max-listed-addresses", 5, "how many addresses a finding names (0: none)"),
    )
    fail_examples = (
        Example(
            "en",
            "Subject: Sorry: Tuesday's sale email had the wrong code\n"
            "From: Maya at Fernleaf <maya@fernleaf.example>\n\n"
            "We're sorry: the code in Tuesday's email did not work. Use SPRING20 instead.\n",
            note="two recipients unsubscribed",
            options=(("recipients", f"{EXAMPLE_LISTS}/en-recipients.txt"),
                     ("suppressed", f"{EXAMPLE_LISTS}/en-suppressed.txt")),
        ),
        Example(
            "pl",
            "Subject: Przepraszamy: błędny kod w środowym mailu\n"
            "From: Anna z Zielnika <anna@zielnik.example>\n\n"
            "Przepraszamy: kod ze środowego maila nie działał. Użyj kodu WIOSNA20.\n",
            options=(("recipients", f"{EXAMPLE_LISTS}/pl-odbiorcy.csv"),
                     ("suppressed", f"{EXAMPLE_LISTS}/pl-wypisani.tsv")),
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Sorry: Tuesday's sale email had the wrong code\n"
            "From: Maya at Fernleaf <maya@fernleaf.example>\n\n"
            "We're sorry: the code in Tuesday's email did not work. Use SPRING20 instead.\n",
            options=(("recipients", f"{EXAMPLE_LISTS}/en-recipients.txt"),
                     ("suppressed", f"{EXAMPLE_LISTS}/en-suppressed-none.csv")),
        ),
        Example(
            "pl",
            "Subject: Przepraszamy: błędny kod w środowym mailu\n"
            "From: Anna z Zielnika <anna@zielnik.example>\n\n"
            "Przepraszamy: kod ze środowego maila nie działał. Użyj kodu WIOSNA20.\n",
            options=(("recipients", f"{EXAMPLE_LISTS}/pl-poszkodowani-czesc.csv"),
                     ("suppressed", f"{EXAMPLE_LISTS}/pl-wypisani.tsv")),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        s = ctx.settings
        require_lists(ctx, ("recipients", "suppressed"), "a recipient list and a suppression list")
        assert s.recipients is not None and s.suppressed is not None
        lists = ctx.lists
        audience = audience_of(ctx)
        suppressed = lists.address_set(s.suppressed)
        yield from list_problems(lists, "recipient", audience)
        yield from list_problems(lists, "suppression", suppressed)
        found = audience.suppressed
        if audience.error is not None or found is None or not found.count:
            return
        if not lists.claim(self.code, s.recipients, s.suppressed):
            return
        yield Finding(
            f"{found.count} of {audience.total} recipients are on the suppression list "
            f"{suppressed.display}{listing(found.first, found.count)}. They unsubscribed, "
            "bounced or complained: mailing them again ignores their choice.",
            suggestion=(
                f"remove every address of {suppressed.display} from the recipient list "
                "before sending (let the sending platform filter it against the suppression "
                "list)"
            ),
            elsewhere=Elsewhere(audience.display, found.line),
        )
