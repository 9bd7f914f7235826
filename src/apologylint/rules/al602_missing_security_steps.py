"""AL602 missing-security-steps: a security incident with no protective step for the reader.

A step is a complete phrase of ``missing-security-steps.steps`` ("credit freeze", "suspicious
emails", "menedżer haseł"), or an action of one group followed closely by an object of the
same group: ``password_actions`` + ``password_objects`` ("change your Quillstone password",
or "change it" after a password was named in the sentence: ``password_pronouns``),
``twofactor_*`` ("turn on two-factor authentication", "włącz uwierzytelnianie
dwuskładnikowe"), ``caution_*`` ("be careful with emails that ...", "uważaj na podejrzane
SMS-y"), ``account_*`` ("check your bank statements", "sprawdzaj wyciągi") and ``card_*``
("cancel your card", "zastrzeż numer PESEL"). Not steps: what the company did ("we reset
every staff password", "wymusiliśmy zmianę haseł": an action right after
``company_agents``), and steps the draft says are not needed ("you don't need to change
your password"). A draft in which the company reset the readers' credentials itself
(``company_resets``) and says no more is needed (``nothing_needed``) has taken the step for
them. Finding the steps is in ``rules/steps.py``, which AL601 and AL905 read too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, NotChecked, Rule
from .steps import GROUPS, VOCAB, protective_steps, reset_for_the_reader, top_of_body


class MissingSecuritySteps(Rule):
    code = "AL602"
    slug = "missing-security-steps"
    family = "next-steps"
    severity = Severity.ERROR
    needs_whole_text = True
    summary = (
        "A security incident (breach, exposed data, compromised accounts) with no concrete "
        "protective step for the reader: change the password, turn on two-factor "
        "authentication, watch for phishing, check statements, freeze credit or block a card."
    )
    rationale = (
        "After a breach the reader's first question is \"what do I do now?\". The people "
        "whose data leaked are the ones who can still stop the damage — but only if they "
        "are told how, concretely: which password to change, to turn on two-factor "
        "authentication, which fake emails, calls or texts to expect, which statements to "
        "check, that they can freeze their credit or cancel a card. Any concrete advice "
        "counts, in the sender's own words (\"please exercise caution if you get emails that "
        "ask for personal information\", \"if you use the same password elsewhere, change "
        "it\", \"delete it without opening it\"). A generic \"stay vigilant\" is not a step, "
        "and what the company did itself (\"we reset all staff passwords\") protects the "
        "company, not the reader — unless it reset the readers' own credentials and says "
        "nothing more is needed. The rule runs only when the incident is a breach "
        "(`--incident breach`, or inferred by `--incident auto`)."
    )
    vocabulary = (
        f"{VOCAB}.steps",
        *(f"{VOCAB}.{g}_{kind}" for g in GROUPS for kind in ("actions", "objects")),
        f"{VOCAB}.password_pronouns",
        f"{VOCAB}.company_resets",
        f"{VOCAB}.nothing_needed",
        f"{VOCAB}.company_agents",
        f"{VOCAB}.auxiliaries",
        "common.security_incident",
        "common.negations",
    )
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: Notice of Data Breach\nFrom: Quill Books <privacy@quill.example>\n\n"
            "We're sorry: between 3 and 9 March an attacker accessed our order system and "
            "saw customers' names and email addresses. We have reset every staff password "
            "and hired an outside firm. Please stay vigilant.\n",
            note="'we have reset' is the company's step; 'stay vigilant' is not concrete",
            options=(("incident", "breach"),),
        ),
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych osobowych\nFrom: Sklep <iod@sklep.example>\n\n"
            "Przepraszamy: 18 lutego osoba nieuprawniona uzyskała dostęp do naszej bazy "
            "klientów. Wymusiliśmy zmianę haseł pracowników i zgłosiliśmy naruszenie do UODO.\n",
            options=(("incident", "breach"),),
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Notice of Data Breach\nFrom: Quill Books <privacy@quill.example>\n\n"
            "We're sorry: an attacker accessed our order system and saw your name and email "
            "address. Please change your Quill password, turn on two-factor authentication, "
            "and be careful with emails that ask you to pay for an order.\n",
            options=(("incident", "breach"),),
        ),
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych osobowych\nFrom: Sklep <iod@sklep.example>\n\n"
            "Przepraszamy: osoba nieuprawniona uzyskała dostęp do naszej bazy klientów. "
            "Zmień hasło do swojego konta i uważaj na podejrzane SMS-y z prośbą o dopłatę.\n",
            options=(("incident", "breach"),),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_security_incident:
            return
        if not ctx.draft.prose.text.strip():
            raise NotChecked("the draft has no body text")
        if protective_steps(ctx) or reset_for_the_reader(ctx):
            return
        yield Finding(
            "this is a security incident, but the reader is never told how to protect "
            "themselves: no concrete step such as changing a password, turning on two-factor "
            "authentication, watching for phishing or checking statements",
            span=top_of_body(ctx),
            suggestion=(
                "add a short \"What you can do\" list with concrete steps, e.g. \"Change your "
                "password\", \"Turn on two-factor authentication\", \"Be wary of emails or "
                "calls that mention your order and ask you to pay\""
            ),
        )
