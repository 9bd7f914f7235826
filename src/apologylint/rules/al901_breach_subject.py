"""AL901 breach-subject: a breach notice whose subject (or title) does not name the breach.

Runs only for a breach (explicit ``--incident breach`` or inferred). With jurisdiction
``us-ca`` the title must be "Notice of Data Breach" (Civ. Code 1798.82(d)(1)): in the
subject, or as one of the notice's first lines. Elsewhere the subject must plainly say
what this is: a phrase of ``breach-subject.names`` ("data breach", "personal data",
"naruszenie ochrony danych", "wyciek") or a breach stated as the incident inference
reads it ("someone accessed your account"). A draft without a subject is judged by the
first lines of its body (its title); a template with no subject source at all and no such
title is "not checked" (its subject lives in the sending platform).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..incident import breach_mentions
from ..model import Severity
from .base import Example, Finding, NotChecked, Rule
from .breach import SUBJECT, lines, missing_span, suggestion

#: How many lines at the top of the body may hold the notice's title.
TITLE_LINES = 3
_NO_SOURCE = ("no subject source (give --subject, config 'subject', a <title> or a Subject: "
              "line), and the notice's first lines do not name the breach")


def _title_in_body(ctx: Context, vocabulary: str) -> bool:
    """A phrase of ``vocabulary`` opens one of the first lines of the body."""
    top = lines(ctx)[:TITLE_LINES]
    starts = {ln.start for ln in top}
    return any(m.start in starts for m in ctx.body.matches(vocabulary))


def _names_breach(ctx: Context) -> bool:
    if ctx.subject.has(f"{SUBJECT}.names") or breach_mentions(ctx.subject):
        return True
    if ctx.draft.subject:
        return False
    return _title_in_body(ctx, f"{SUBJECT}.names")


def _no_subject_source(ctx: Context) -> bool:
    """A template with no subject at all: its subject lives in the sending platform."""
    return ctx.draft.subject is None and ctx.draft.origin.is_template


class BreachSubject(Rule):
    code = "AL901"
    slug = "breach-subject"
    family = "breach"
    severity = Severity.ERROR
    summary = (
        "A breach notice whose subject or title does not name the breach: \"Notice of Data "
        "Breach\" in us-ca; elsewhere a plain statement that names a data breach, a "
        "security incident or personal data (\"naruszenie ochrony danych\")."
    )
    rationale = (
        "A breach notice competes with everything else in the inbox; \"Important "
        "information about your account\" reads like marketing (or like phishing) and is "
        "skipped. The people whose data leaked must see at a glance that this is about "
        "their personal data. California goes further: the notice must be titled \"Notice "
        "of Data Breach\" (Civ. Code 1798.82(d)(1)). GDPR Art. 34(2) asks for clear and "
        "plain language, which starts with a subject that says what happened. The rule "
        "runs only when the incident is a breach (`--incident breach`, or inferred)."
    )
    vocabulary = (f"{SUBJECT}.names", f"{SUBJECT}.us_ca_title", "common.security_incident")
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: Important information about your account\n"
            "From: Copperline Care <care@copperline.example>\n\n"
            "We're sorry: between 12 and 19 January someone used a stolen password to read "
            "customers' names and phone numbers. Please change your password.\n",
            options=(("incident", "breach"),),
        ),
        Example(
            "pl",
            "Subject: Ważna informacja dla kursantów\nFrom: Lingwista <biuro@lingwista.example>\n"
            "\nPrzepraszamy: 4 marca wysłaliśmy listę kursantów z numerami telefonów do "
            "niewłaściwej grupy. Poprosiliśmy odbiorców o usunięcie pliku.\n",
            options=(("incident", "breach"),),
        ),
        Example(
            "en",
            "Subject: Security incident: your Quill Books account\n"
            "From: Quill Books <privacy@quill.example>\n\n"
            "We're sorry: between 3 and 9 March an attacker saw customers' names and "
            "addresses.\n",
            note="names the breach, but California wants the title \"Notice of Data Breach\"",
            options=(("incident", "breach"), ("jurisdiction", "us-ca")),
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Notice of Data Breach: your Quill Books account\n"
            "From: Quill Books <privacy@quill.example>\n\n"
            "We're sorry: between 3 and 9 March an attacker saw customers' names and "
            "addresses.\n",
            options=(("incident", "breach"), ("jurisdiction", "us-ca")),
        ),
        Example(
            "pl",
            "Subject: Naruszenie ochrony Twoich danych osobowych: co się stało\n"
            "From: Zielony Koszyk <pomoc@zielonykoszyk.example>\n\n"
            "Przepraszamy: w dniach 16–18 lutego osoba nieuprawniona miała dostęp do naszej "
            "bazy klientów.\n",
            options=(("incident", "breach"),),
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.is_security_incident:
            return
        if not ctx.draft.subject and not ctx.draft.prose.text.strip():
            raise NotChecked("the draft has neither a subject nor a body")
        subject = (ctx.draft.subject or "").strip()
        shown = f"the subject \u201c{subject}\u201d" if subject else "the draft has no subject and"
        span = ctx.draft.subject_span or missing_span(ctx)
        if "us-ca" in ctx.settings.jurisdiction:
            title = f"{SUBJECT}.us_ca_title"
            if ctx.subject.has(title) or _title_in_body(ctx, title):
                return
            if _no_subject_source(ctx):
                raise NotChecked(_NO_SOURCE)
            yield Finding(
                f"{shown} does not carry the title \u201cNotice of Data Breach\u201d, and neither "
                "does the top of the notice: California (Civ. Code 1798.82(d)(1)) requires a "
                "breach notice to be titled \u201cNotice of Data Breach\u201d",
                span=span,
                suggestion=suggestion(
                    ctx, title,
                    "use the subject \u201cNotice of Data Breach: <what it concerns>\u201d",
                ),
            )
            return
        if _names_breach(ctx):
            return
        if _no_subject_source(ctx):
            raise NotChecked(_NO_SOURCE)
        yield Finding(
            f"{shown} does not say that this is about a data breach: readers skip a vague "
            "subject (or take it for phishing), and the people whose data leaked must see at "
            "a glance that it concerns their personal data",
            span=span,
            suggestion=suggestion(
                ctx, f"{SUBJECT}.names",
                "name the breach in the subject, e.g. \u201cYour personal data was exposed: "
                "what happened\u201d",
            ),
        )
