"""AL801 unaffected-recipients: the apology would go to people the incident never touched.

Needs two lists (``recipients`` and ``affected``, see :mod:`apologylint.audience`); without
them the rule is "not checked". Findings point at the recipient list (its file and the
line of the first unaffected address), not at the draft, and are reported once per run
however many drafts share the lists. Lines of either list that are not addresses are
reported as warnings at their line, once per run (by this rule or AL802, whichever runs
first), so that nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Elsewhere, Example, Finding, Option, Rule
from .lists import EXAMPLE_LISTS, audience_of, list_problems, listing, require_lists


class UnaffectedRecipients(Rule):
    code = "AL801"
    slug = "unaffected-recipients"
    family = "audience"
    severity = Severity.ERROR
    summary = (
        "Given a recipient list and a list of the people the incident affected, some "
        "recipients were not affected: the apology would reach people it does not concern."
    )
    rationale = (
        "Tell only the affected people. An apology sent to everyone tells thousands of "
        "people about a mistake that never touched them, confuses them (\"was I charged "
        "twice?\"), brings support tickets, and repeats the original mistake of mailing the "
        "wrong segment. Compare the send list with the list of affected addresses before "
        "sending: addresses are normalised (case, display names, international domains) and "
        "never looked up on the network. The finding points at the recipient list and names "
        "how many recipients were not affected and the first few of them; lines of either "
        "list that are not addresses are reported as warnings at their line, never dropped "
        "silently."
    )
    options = (
        Option("recipients", None, "text or CSV file of the addresses the draft will go to "
               "(`--recipients`)"),
        Option("affected", None, "text or CSV file of the addresses the incident affected "
               "(`--affected`)"),
        Option("max-listed-addresses", 5, "how many addresses a finding names (0: none)"),
    )
    fail_examples = (
        Example(
            "en",
            "Subject: Sorry: Tuesday's sale email had the wrong code\n"
            "From: Maya at Fernleaf <maya@fernleaf.example>\n\n"
            "We're sorry: the code in Tuesday's email did not work. Use SPRING20 instead.\n",
            note="three recipients were not sent Tuesday's email",
            options=(("recipients", f"{EXAMPLE_LISTS}/en-recipients.txt"),
                     ("affected", f"{EXAMPLE_LISTS}/en-affected.txt")),
        ),
        Example(
            "pl",
            "Subject: Przepraszamy: błędny kod w środowym mailu\n"
            "From: Anna z Zielnika <anna@zielnik.example>\n\n"
            "Przepraszamy: kod ze środowego maila nie działał. Użyj kodu WIOSNA20.\n",
            options=(("recipients", f"{EXAMPLE_LISTS}/pl-odbiorcy.csv"),
                     ("affected", f"{EXAMPLE_LISTS}/pl-poszkodowani-czesc.csv")),
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Sorry: Tuesday's sale email had the wrong code\n"
            "From: Maya at Fernleaf <maya@fernleaf.example>\n\n"
            "We're sorry: the code in Tuesday's email did not work. Use SPRING20 instead.\n",
            note="every recipient is on the affected list (case and display names aside)",
            options=(("recipients", f"{EXAMPLE_LISTS}/en-recipients.txt"),
                     ("affected", f"{EXAMPLE_LISTS}/en-affected-all.txt")),
        ),
        Example(
            "pl",
            "Subject: Przepraszamy: błędny kod w środowym mailu\n"
            "From: Anna z Zielnika <anna@zielnik.example>\n\n"
            "Przepraszamy: kod ze środowego maila nie działał. Użyj kodu WIOSNA20.\n",
            options=(("recipients", f"{EXAMPLE_LISTS}/pl-odbiorcy.csv"),
                     ("affected", f"{EXAMPLE_LISTS}/pl-poszkodowani.csv")),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        s = ctx.settings
        require_lists(ctx, ("recipients", "affected"), "a recipient list and an affected list")
        assert s.recipients is not None and s.affected is not None
        lists = ctx.lists
        audience = audience_of(ctx)
        affected = lists.address_set(s.affected)
        yield from list_problems(lists, "recipient", audience)
        yield from list_problems(lists, "affected", affected)
        found = audience.unaffected
        if audience.error is not None or found is None or not found.count:
            return
        if not lists.claim(self.code, s.recipients, s.affected):
            return
        yield Finding(
            f"{found.count} of {audience.total} recipients were not affected by the incident "
            f"(they are not in the affected list {affected.display})"
            f"{listing(found.first, found.count)}. An apology to people it does not concern "
            "confuses them and repeats the mistake of mailing the wrong people.",
            suggestion=(
                f"send only to the addresses in {affected.display}: remove the "
                f"{found.count} others from the recipient list"
            ),
            elsewhere=Elsewhere(audience.display, found.line),
        )
