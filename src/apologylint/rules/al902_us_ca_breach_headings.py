"""AL902 us-ca-breach-headings: a California breach notice without the statute's headings
or the items required under them.

Runs for a breach with jurisdiction ``us-ca``. Each of the five headings of Civ. Code
1798.82(d)(1) must stand as a heading (any markup; see :mod:`.breach`) with words under
it. Under "What Information Was Involved" at least one type of personal information
(``us-ca-breach-headings.data_types``); under "For More Information" a way to reach the
business (email, phone, web or postal address, or an invitation to reply). Where Social
Security or driver's licence numbers were involved (stated, not denied), the major credit
bureaus (Equifax, Experian, TransUnion) must each come with a toll-free number and an
address (postal or web). A missing heading is reported at the top of the body; an empty
heading or a missing item at its heading.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, NotChecked, Rule
from .breach import (
    US_CA,
    US_CA_HEADINGS,
    Heading,
    asserted,
    contact_details,
    heading_element,
    heading_span,
    matches_in,
    missing_span,
    section_range,
    suggestion,
)

LAW = "Cal. Civ. Code 1798.82(d)"
#: How far after a credit bureau's name its number and address may stand (characters).
BUREAU_WINDOW = 300
BUREAUS = ("Equifax", "Experian", "TransUnion")
ALL_FIVE = ", ".join(f"\u201c{name}\u201d" for _table, name in US_CA_HEADINGS[:-1]) + (
    f" and \u201c{US_CA_HEADINGS[-1][1]}\u201d"
)

_GOOD_EN = (
    "Subject: Notice of Data Breach\nFrom: Quill Books <privacy@quill.example>\n\n"
    "We're sorry: someone broke into our order system.\n\n"
    "What Happened\n\nBetween 3 and 9 March 2025 an attacker used a stolen staff password. "
    "We locked them out on 9 March.\n\n"
    "What Information Was Involved\n\nYour name, email address and order history.\n\n"
    "What We Are Doing\n\nWe reset every staff password and hired a security firm.\n\n"
    "What You Can Do\n\nChange your password and turn on two-factor authentication.\n\n"
    "For More Information\n\nCall 1-800-555-0142 or email privacy@quill.example.\n"
)


class UsCaBreachHeadings(Rule):
    code = "AL902"
    slug = "us-ca-breach-headings"
    family = "breach"
    severity = Severity.ERROR
    needs_whole_text = True
    summary = (
        "Jurisdiction us-ca (Civ. Code 1798.82(d)): a missing heading \"What Happened\", "
        "\"What Information Was Involved\", \"What We Are Doing\", \"What You Can Do\" or "
        "\"For More Information\" (h1–h6, bold line, table cell or plain line), a heading "
        "with nothing under it, or a required item missing under them: the types of "
        "personal information, the business's contact information, and — where Social "
        "Security or driver's licence numbers were involved — the credit bureaus' "
        "toll-free numbers and addresses."
    )
    rationale = (
        "California prescribes the form of a breach notice: titled \"Notice of Data "
        "Breach\" (AL901) and presenting its information under five fixed headings, so that "
        "a frightened reader finds what happened, which of their data, what the company is "
        "doing, what they can do and whom to call in the same place in every notice. The "
        "headings are recognised in any markup and case, and with honest variants (\"What "
        "information was involved?\" as a bold line); a heading with nothing under it does "
        "not count. When Social Security or driver's licence numbers were exposed the "
        "notice must also give the major credit bureaus' toll-free numbers and addresses, "
        "so that readers can freeze their credit."
    )
    vocabulary = (
        *(f"{US_CA}.{table}" for table, _ in US_CA_HEADINGS),
        f"{US_CA}.data_types", f"{US_CA}.ssn_or_licence", f"{US_CA}.credit_bureaus",
        f"{US_CA}.placeholders",
    )
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: Notice of Data Breach\nFrom: Copperline <care@copperline.example>\n\n"
            "We're sorry: between 12 and 19 January someone read customers' names and phone "
            "numbers. We have reset all staff passwords. Please change your password. "
            "Questions? Call 1-888-555-0190.\n",
            note="no headings at all",
            options=(("incident", "breach"), ("jurisdiction", "us-ca")),
        ),
        Example(
            "pl",
            "Subject: Notice of Data Breach – naruszenie ochrony danych\n"
            "From: Sklep <iod@sklep.example>\n\n"
            "Przepraszamy.\n\nCo się stało\n\nW dniach 16–18 lutego osoba nieuprawniona "
            "miała dostęp do naszej bazy klientów.\n\nJakich danych to dotyczy\n\n"
            "Co robimy\n\nZmieniliśmy hasła pracowników.\n\nCo możesz zrobić\n\nZmień hasło."
            "\n\nWięcej informacji\n\nNapisz na iod@sklep.example.\n",
            note="the data heading has nothing under it",
            options=(("incident", "breach"), ("jurisdiction", "us-ca")),
        ),
    )
    pass_examples = (
        Example("en", _GOOD_EN, options=(("incident", "breach"), ("jurisdiction", "us-ca"))),
        Example(
            "pl",
            "Subject: Notice of Data Breach – naruszenie ochrony danych\n"
            "From: Sklep <iod@sklep.example>\n\n"
            "Przepraszamy.\n\n**Co się stało?**\n\nW dniach 16–18 lutego osoba nieuprawniona "
            "miała dostęp do naszej bazy klientów.\n\n**Jakich danych to dotyczy?**\n\n"
            "Imienia, nazwiska i adresu e-mail.\n\n**Co robimy**\n\nZmieniliśmy hasła "
            "pracowników.\n\n**Co możesz zrobić**\n\nZmień hasło i uważaj na SMS-y z prośbą o "
            "dopłatę.\n\n**Więcej informacji**\n\nNapisz na iod@sklep.example lub zadzwoń pod "
            "800 555 014.\n",
            format="md",
            options=(("incident", "breach"), ("jurisdiction", "us-ca")),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_security_incident:
            return
        if "us-ca" not in ctx.settings.jurisdiction:
            raise NotChecked("jurisdiction us-ca not given")
        if not ctx.draft.prose.text.strip():
            raise NotChecked("the draft has no body text")
        present: dict[str, Heading] = {}
        for table, statutory in US_CA_HEADINGS:
            vocabulary = f"{US_CA}.{table}"
            element = heading_element(ctx, [vocabulary])
            if element.heading is not None:
                present[table] = element.heading
                continue
            if element.empty_heading is not None:
                shown = ctx.body.text[element.empty_heading.start : element.empty_heading.end]
                yield Finding(
                    f"the heading \u201c{shown}\u201d has nothing under it: {LAW} requires the "
                    f"notice to present its information under \u201c{statutory}\u201d, and an "
                    "empty heading does not",
                    span=heading_span(ctx, element.empty_heading),
                    suggestion=suggestion(ctx, vocabulary, f"write under \u201c{statutory}\u201d"),
                )
                continue
            yield Finding(
                f"no \u201c{statutory}\u201d heading: {LAW}(1) requires a California breach "
                f"notice to present its information under the headings {ALL_FIVE}",
                span=missing_span(ctx),
                suggestion=suggestion(ctx, vocabulary, f"add the heading \u201c{statutory}\u201d"),
            )
        yield from self._items(ctx, present)

    def _items(self, ctx: Context, present: dict[str, Heading]) -> Iterator[Finding]:
        info = present.get("what_information")
        if info is not None:
            start, end = section_range(ctx, info)
            if not matches_in(ctx, f"{US_CA}.data_types", start, end) and not matches_in(
                ctx, "common.identifying_data", start, end
            ):
                yield Finding(
                    "\u201cWhat Information Was Involved\u201d names no type of personal "
                    f"information: {LAW}(2)(B) requires the categories of personal "
                    "information that were or may have been involved",
                    span=heading_span(ctx, info),
                    suggestion=suggestion(ctx, f"{US_CA}.what_information",
                                          "list the types of personal information"),
                )
        more = present.get("more_information")
        if more is not None:
            start, end = section_range(ctx, more)
            if not contact_details(ctx, start, end).any:
                yield Finding(
                    "\u201cFor More Information\u201d gives no way to reach the business: "
                    f"{LAW}(2)(A) requires its name and contact information (a phone number, "
                    "an email, web or postal address)",
                    span=heading_span(ctx, more),
                    suggestion=suggestion(ctx, f"{US_CA}.more_information",
                                          "give a phone number and an email address"),
                )
        yield from self._bureaus(ctx, present)

    def _bureaus(self, ctx: Context, present: dict[str, Heading]) -> Iterator[Finding]:
        exposed = asserted(ctx, ctx.body.matches(f"{US_CA}.ssn_or_licence"))
        if not exposed:
            return
        text = ctx.body.text
        mentions = sorted(ctx.body.matches(f"{US_CA}.credit_bureaus"), key=lambda m: m.start)
        complete: set[str] = set()
        for i, m in enumerate(mentions):
            name = text[m.start : m.end].lower().replace(" ", "")
            end = min(m.end + BUREAU_WINDOW, len(text))
            if i + 1 < len(mentions):
                end = min(end, mentions[i + 1].start)
            details = contact_details(ctx, m.end, end)
            if (details.phones or details.toll_free) and (details.postal or details.web):
                complete.add(name)
        lacking = [b for b in BUREAUS if b.lower() not in complete]
        if not lacking:
            return
        anchor = present.get("what_you_can_do")
        span = heading_span(ctx, anchor) if anchor is not None else ctx.match_span(exposed[0])
        shown = text[exposed[0].start : exposed[0].end]
        yield Finding(
            f"the notice says \u201c{shown}\u201d were involved, so {LAW}(2)(G) requires the "
            "toll-free numbers and addresses of the major credit reporting agencies; "
            f"missing for {', '.join(lacking)}",
            span=span,
            suggestion=suggestion(ctx, f"{US_CA}.credit_bureaus",
                                  "give Equifax, Experian and TransUnion with their toll-free "
                                  "numbers and addresses"),
        )
