"""AL905 us-hipaa-elements: a HIPAA breach notice to individuals missing an element of
45 CFR 164.404(c)(1).

Runs for a breach with jurisdiction ``us-hipaa``. The elements, each present under a
heading with words under it or in the text:

* (A) what happened, with the date of the breach and the date of its discovery (a
  discovery word — "discovered", "learned", "wykryliśmy" — in a sentence with a date; an
  honest "not known yet" counts);
* (B) the types of unsecured protected health information involved
  (``us-hipaa-elements.health_data``, not denied);
* (C) the steps individuals should take (AL602's protective steps, or
  ``us-hipaa-elements.steps`` such as reviewing Explanation of Benefits statements);
* (D) what the entity is doing to investigate, mitigate harm and protect against further
  breaches (``gdpr-art34-elements.measures`` or ``us-hipaa-elements.investigate``);
* (E) contact procedures, which must include a toll-free number, an email address, a web
  site or a postal address (an invitation to reply to a sent email counts as its email).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, NotChecked, Rule
from .breach import (
    GDPR,
    HIPAA,
    US_CA,
    asserted,
    contact_details,
    discovery_dated,
    has_breach_date,
    heading_element,
    missing_span,
    nature_described,
    suggestion,
)
from .steps import protective_steps

LAW = "45 CFR 164.404(c)(1)"

_GOOD_EN = (
    "Subject: Notice of a breach of your health information\n"
    "From: Alder Clinic <privacy@alderclinic.example>\n\n"
    "We are sorry to tell you that on 2 May 2025 a laptop holding appointment records was "
    "stolen from a staff member's car. We discovered the theft on 2 May.\n\n"
    "The records held your name, date of birth and appointment dates.\n\n"
    "Please review the Explanation of Benefits statements from your health plan.\n\n"
    "We reported the theft to the police and now encrypt every laptop.\n\n"
    "Questions? Call our toll-free line 1-800-555-0199 or email privacy@alderclinic.example.\n"
)


def _element_checks(ctx: Context) -> list[tuple[str, str, bool]]:
    """(letter, what is missing, present) for elements (B)–(E)."""

    def under(vocabularies: tuple[str, ...]) -> bool:
        return heading_element(ctx, vocabularies).present

    def any_of(*tests: Callable[[], bool]) -> bool:
        return any(test() for test in tests)

    details = contact_details(ctx)
    return [
        ("B", "the types of health information involved",
         bool(asserted(ctx, ctx.body.matches(f"{HIPAA}.health_data")))),
        ("C", "the steps individuals should take to protect themselves",
         any_of(lambda: bool(protective_steps(ctx)),
                lambda: bool(ctx.body.matches(f"{HIPAA}.steps")),
                lambda: under((f"{US_CA}.what_you_can_do",)))),
        ("D", "what you are doing to investigate the breach, limit the harm and prevent it "
              "happening again",
         any_of(lambda: bool(asserted(ctx, ctx.body.matches(f"{GDPR}.measures"))),
                lambda: bool(ctx.body.matches(f"{HIPAA}.investigate")),
                lambda: under((f"{US_CA}.what_we_are_doing", f"{GDPR}.measures_headings")))),
        ("E", "contact procedures with a toll-free number, an email address, a web site or a "
              "postal address",
         bool(details.toll_free or details.emails or details.web or details.postal
              or details.reply)),
    ]


_SUGGESTION = {"B": "health_data", "C": "steps", "D": "investigate", "E": "contact"}


class UsHipaaElements(Rule):
    code = "AL905"
    slug = "us-hipaa-elements"
    family = "breach"
    severity = Severity.ERROR
    needs_whole_text = True
    summary = (
        "Jurisdiction us-hipaa (45 CFR 164.404(c)): missing what happened with the date of "
        "the breach and of its discovery, the types of health information involved, the "
        "steps individuals should take, what the entity is doing to investigate, mitigate "
        "and protect, or contact procedures (toll-free number, email, website or postal "
        "address)."
    )
    rationale = (
        "A covered entity that loses patients' health information must tell them, in plain "
        "language, five things (45 CFR 164.404(c)(1)): what happened, with the dates of the "
        "breach and of its discovery; which kinds of their health information were "
        "involved; what they should do to protect themselves; what the entity is doing to "
        "investigate, limit the harm and prevent a repeat; and how to ask questions, "
        "through a toll-free number, an email address, a website or a postal address. Each "
        "missing element is one finding."
    )
    vocabulary = (f"{HIPAA}.health_data", f"{HIPAA}.steps", f"{HIPAA}.investigate",
                  f"{HIPAA}.toll_free_words", "breach-date-missing.discovery",
                  "breach-date-missing.months", "breach-date-missing.date_unknown",
                  f"{GDPR}.measures", f"{GDPR}.nature", f"{GDPR}.nature_events",
                  f"{GDPR}.reply_invitation", f"{US_CA}.what_happened",
                  f"{US_CA}.what_you_can_do", f"{US_CA}.what_we_are_doing")
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: Notice of a breach of your health information\n"
            "From: Alder Clinic <privacy@alderclinic.example>\n\n"
            "We are sorry to tell you that on 2 May 2025 a laptop holding appointment records "
            "was stolen from a staff member's car. The records held your name, date of birth "
            "and appointment dates. We reported the theft to the police.\n",
            note="no discovery date, no steps for patients, no contact procedure",
            options=(("incident", "breach"), ("jurisdiction", "us-hipaa")),
        ),
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych medycznych\n"
            "From: Przychodnia Olcha <iod@olcha.example>\n\n"
            "Przepraszamy: 2 maja 2025 r. z samochodu pracownika skradziono laptop z danymi "
            "wizyt. Kradzież wykryliśmy tego samego dnia, 2 maja. Zgłosiliśmy ją policji.\n",
            note="no steps for patients, no contact procedure",
            options=(("incident", "breach"), ("jurisdiction", "us-hipaa")),
        ),
    )
    pass_examples = (
        Example("en", _GOOD_EN, options=(("incident", "breach"), ("jurisdiction", "us-hipaa"))),
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych medycznych\n"
            "From: Przychodnia Olcha <iod@olcha.example>\n\n"
            "Przepraszamy: 2 maja 2025 r. z samochodu pracownika skradziono laptop z danymi "
            "wizyt (imię, nazwisko, daty wizyt). Kradzież wykryliśmy 2 maja wieczorem.\n\n"
            "Sprawdzaj historię wizyt w Internetowym Koncie Pacjenta i zastrzeż PESEL.\n\n"
            "Zgłosiliśmy kradzież policji i szyfrujemy teraz wszystkie laptopy.\n\n"
            "Pytania? Zadzwoń pod bezpłatny numer 800 555 019 lub napisz na iod@olcha.example.\n",
            options=(("incident", "breach"), ("jurisdiction", "us-hipaa")),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_security_incident:
            return
        if "us-hipaa" not in ctx.settings.jurisdiction:
            raise NotChecked("jurisdiction us-hipaa not given")
        if not ctx.draft.prose.text.strip():
            raise NotChecked("the draft has no body text")
        where = missing_span(ctx)
        told = nature_described(ctx) or heading_element(
            ctx, (f"{US_CA}.what_happened", f"{GDPR}.nature_headings")).present
        missing_a = []
        if not told:
            missing_a.append("a description of what happened")
        if not has_breach_date(ctx):
            missing_a.append("the date of the breach")
        if not discovery_dated(ctx) and not ctx.body.has("breach-date-missing.date_unknown"):
            missing_a.append("the date the breach was discovered")
        if missing_a:
            yield Finding(
                f"the notice does not give {_join(missing_a)}: {LAW}(A) requires a brief "
                "description of what happened, with the date of the breach and the date of "
                "its discovery, if known",
                span=where,
                suggestion=suggestion(ctx, f"{HIPAA}.what_happened",
                                      "say what happened, when, and when you found out"),
            )
        for letter, what, present in _element_checks(ctx):
            if present:
                continue
            yield Finding(
                f"the notice does not give {what}: {LAW}({letter}) requires it",
                span=where,
                suggestion=suggestion(ctx, f"{HIPAA}.{_SUGGESTION[letter]}", f"add {what}"),
            )


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]
