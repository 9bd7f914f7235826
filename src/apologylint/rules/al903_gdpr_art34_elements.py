"""AL903 gdpr-art34-elements: a notice to data subjects missing an element of GDPR Art.
34(2).

Runs for a breach with jurisdiction ``eu`` or ``pl`` (``pl`` = the same duties, read in the
Polish wording of the Polish DPA: charakter naruszenia, inspektor ochrony danych / punkt
kontaktowy, możliwe konsekwencje, środki zastosowane lub proponowane). The four elements
(Art. 34(2) with Art. 33(3)(b)–(d)):

* the nature of the breach: a heading of ``nature_headings`` with words under it, or a
  stated breach in the text (incident inference, ``gdpr-art34-elements.nature``);
* a contact point: with config ``dpo`` set, the data protection officer named with a way
  to reach them (or the configured address given); otherwise any contact point (an email
  address, a phone number, a web address or an invitation to reply);
* the likely consequences: a heading of ``consequences_headings`` with words under it, or
  a phrase of ``consequences`` (a stated low risk is an assessment too);
* the measures taken or proposed: a heading of ``measures_headings`` with words under it,
  or a phrase of ``measures`` that is not denied.

A missing element is reported at the top of the body; a heading of the element with
nothing under it, at that heading.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..matching import fold
from ..model import Severity
from .base import Example, Finding, NotChecked, Option, Rule
from .breach import (
    GDPR,
    US_CA,
    Element,
    asserted,
    contact_details,
    heading_element,
    heading_span,
    missing_span,
    nature_described,
    outside_headings,
    suggestion,
)
from .contact import find_email_addresses


def _law(ctx: Context) -> str:
    polish = "pl" in ctx.settings.jurisdiction or ctx.draft.language == "pl"
    return "GDPR Art. 34(2)" + (" (RODO art. 34 ust. 2)" if polish else "")


def _paragraph(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, at)
    end = text.find("\n\n", at)
    return (0 if start == -1 else start + 2), (len(text) if end == -1 else end)


def dpo_named(ctx: Context, dpo: str) -> bool:
    """The configured DPO is given: their address appears, or the DPO (by role or by the
    configured name) is mentioned with a way to reach them in the same or next paragraph."""
    text = ctx.body.text
    folded = ctx.body.folded
    addresses = [dpo[a:b].lower() for a, b in find_email_addresses(dpo)]
    if any(address in text.lower() for address in addresses):
        return True
    name = dpo
    for address in addresses:
        name = name.lower().replace(address, "")
    name = fold(" ".join(name.replace("<", " ").replace(">", " ").replace('"', " ").split()))
    anchors = [m.start for m in ctx.body.matches(f"{GDPR}.dpo")]
    if len(name) >= 3:
        at = folded.find(name)
        while at != -1:
            anchors.append(at)
            at = folded.find(name, at + 1)
    for at in anchors:
        start, end = _paragraph(text, at)
        if end < len(text):  # the heading's paragraph, and the one under it
            end = _paragraph(text, end + 2)[1]
        if contact_details(ctx, start, end).any:
            return True
    return False


class GdprArt34Elements(Rule):
    code = "AL903"
    slug = "gdpr-art34-elements"
    family = "breach"
    severity = Severity.ERROR
    needs_whole_text = True
    summary = (
        "Jurisdiction eu or pl: a breach notice missing an element of GDPR Art. 34(2): the "
        "nature of the breach; the DPO's name and contact details (only when config `dpo` "
        "is set) or another contact point; the likely consequences; the measures taken or "
        "proposed."
    )
    rationale = (
        "When a breach is likely to result in a high risk to people's rights, GDPR Art. 34 "
        "requires telling them, in clear and plain language, what happened, whom to ask, "
        "what it may mean for them and what is being done about it (Art. 34(2) with Art. "
        "33(3)(b)–(d)). A notice that apologises but leaves out the likely consequences "
        "leaves readers unable to judge their own risk. The elements are recognised under "
        "their headings — in English or in the words of the Polish DPA (charakter "
        "naruszenia, inspektor ochrony danych / punkt kontaktowy, możliwe konsekwencje, "
        "środki zastosowane lub proponowane) — or in the text. The data protection officer "
        "is required by name only when the config declares one (`dpo`); otherwise any "
        "contact point for questions satisfies the element."
    )
    vocabulary = (
        f"{GDPR}.nature_headings", f"{GDPR}.contact_headings", f"{GDPR}.consequences_headings",
        f"{GDPR}.measures_headings", f"{GDPR}.nature", f"{GDPR}.consequences",
        f"{GDPR}.measures", f"{GDPR}.dpo", f"{GDPR}.reply_invitation",
        f"{GDPR}.nature_events", f"{US_CA}.data_types", "common.identifying_data",
        f"{US_CA}.placeholders",
    )
    options = (
        Option("dpo", None, "your data protection officer (name and/or email, `--dpo`): the "
               "notice must then name them with their contact details"),
    )
    uses_language = True
    fail_examples = (
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych: lista kursantów\n"
            "From: Lingwista <sekretariat@lingwista.example>\n\n"
            "Przepraszamy. 4 marca 2025 r. wysłaliśmy listę kursantów (imiona, nazwiska, "
            "numery telefonów) do niewłaściwej grupy mailowej.\n\nPoprosiliśmy odbiorców o "
            "usunięcie pliku. W razie pytań: sekretariat@lingwista.example.\n",
            note="no likely consequences",
            options=(("incident", "breach"), ("jurisdiction", "pl")),
        ),
        Example(
            "en",
            "Subject: Personal data breach at Fernleaf\nFrom: Fernleaf <help@fernleaf.example>"
            "\n\nWe're sorry: on 4 March we emailed a list of members' names and phone numbers "
            "to the wrong group. Someone could use your number to call you pretending to be "
            "us. Questions? Write to help@fernleaf.example.\n",
            note="no measures taken or proposed",
            options=(("incident", "breach"), ("jurisdiction", "eu")),
        ),
    )
    pass_examples = (
        Example(
            "pl",
            "Subject: Naruszenie ochrony danych: lista kursantów\n"
            "From: Lingwista <sekretariat@lingwista.example>\n\n"
            "Przepraszamy. 4 marca 2025 r. wysłaliśmy listę kursantów (imiona, nazwiska, "
            "numery telefonów) do niewłaściwej grupy mailowej.\n\nMożliwe konsekwencje: ktoś "
            "może zadzwonić, podszywając się pod szkołę.\n\nPoprosiliśmy odbiorców o usunięcie "
            "pliku. W razie pytań: sekretariat@lingwista.example.\n",
            options=(("incident", "breach"), ("jurisdiction", "pl")),
        ),
        Example(
            "en",
            "Subject: Personal data breach at Fernleaf\nFrom: Fernleaf <help@fernleaf.example>"
            "\n\nWe're sorry: on 4 March we emailed a list of members' names and phone numbers "
            "to the wrong group. Someone could use your number to call you pretending to be "
            "us. We asked everyone who got the list to delete it. Our data protection officer, "
            "Jane Smith, answers questions at dpo@fernleaf.example.\n",
            options=(("incident", "breach"), ("jurisdiction", "eu"),
                     ("dpo", "Jane Smith <dpo@fernleaf.example>")),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_security_incident:
            return
        if not {"eu", "pl"} & set(ctx.settings.jurisdiction):
            raise NotChecked("jurisdiction eu or pl not given")
        if not ctx.draft.prose.text.strip():
            raise NotChecked("the draft has no body text")
        law = _law(ctx)
        checks = (
            ("nature", "the nature of the breach (what happened)",
             (f"{GDPR}.nature_headings", f"{US_CA}.what_happened", f"{US_CA}.what_information"),
             nature_described),
            ("consequences", "the likely consequences of the breach",
             (f"{GDPR}.consequences_headings",),
             lambda c: bool(outside_headings(c, c.body.matches(f"{GDPR}.consequences")))),
            ("measures", "the measures taken or proposed to address the breach",
             (f"{GDPR}.measures_headings", f"{US_CA}.what_we_are_doing"),
             lambda c: bool(asserted(c, outside_headings(c, c.body.matches(f"{GDPR}.measures"))))),
        )
        for name, element_text, headings, in_text in checks:
            element = heading_element(ctx, headings)
            if element.present or in_text(ctx):
                continue
            yield self._missing(ctx, law, name, element_text, element)
        yield from self._contact(ctx, law)

    def _missing(
        self, ctx: Context, law: str, name: str, element_text: str, element: Element
    ) -> Finding:
        vocabulary = f"{GDPR}.{name}_headings"
        fix = suggestion(ctx, vocabulary, f"describe {element_text}")
        empty = element.empty_heading
        if empty is not None:
            shown = ctx.body.text[empty.start : empty.end]
            return Finding(
                f"the heading \u201c{shown}\u201d has nothing under it: {law} requires the "
                f"notice to describe {element_text}",
                span=heading_span(ctx, empty),
                suggestion=fix,
            )
        return Finding(
            f"the notice does not describe {element_text}: {law} requires it, in clear and "
            "plain language",
            span=missing_span(ctx),
            suggestion=fix,
        )

    def _contact(self, ctx: Context, law: str) -> Iterator[Finding]:
        dpo = ctx.settings.dpo
        if dpo:
            if dpo_named(ctx, dpo):
                return
            fix = suggestion(ctx, f"{GDPR}.dpo", "name your data protection officer")
            yield Finding(
                f"the notice does not give the data protection officer ({dpo}) with their "
                f"contact details: {law} (with Art. 33(3)(b)) requires the DPO's name and "
                "contact details, since your configuration declares one",
                span=missing_span(ctx),
                suggestion=f"{fix} (config 'dpo': {dpo})",
            )
            return
        element = heading_element(ctx, (f"{GDPR}.contact_headings", f"{US_CA}.more_information"))
        if element.present or contact_details(ctx).any:
            return
        yield self._missing(ctx, law, "contact", "a contact point where more information "
                            "can be obtained", element)
