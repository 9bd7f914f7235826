"""AL203 jokey-subject: humour or emoji in the subject line."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, NotChecked, Rule
from .tone import find_humour


class JokeySubject(Rule):
    code = "AL203"
    slug = "jokey-subject"
    family = "subject"
    severity = Severity.ERROR
    summary = (
        "Humour in the subject: \"Oops!\", \"Whoops\", \"Our bad\", \"lol\", \"Awkward...\", "
        "Polish \"Ups\", \"Ojej\", \"Mała wpadka\"; any emoji; emoticons such as :) or xD."
    )
    rationale = (
        "The subject is the one line every recipient reads, often in a list of other "
        "mail: it decides whether the apology is opened and how it is read. A joke or an "
        "emoji there tells the reader the mistake is funny before they know what it is, "
        "and makes the mail look like one more campaign. Every emoji that renders as a "
        "picture counts in a subject (text symbols such as ©, ® or ™ do not); the body "
        "rule AL401 is narrower and flags only humour emoji."
    )
    vocabulary = (
        "jokey-tone.humour",
        "jokey-tone.flippant",
        "jokey-tone.standalone",
        "jokey-tone.exclaimed",
        "jokey-tone.acronyms",
        "jokey-subject.humour",
        "jokey-subject.standalone",
        "jokey-subject.exclaimed",
    )
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Oops! Wrong link 🙈\nFrom: Sprocket <crew@sprocket.example>\n\n"
                "We're sorry: the link in this morning's email was wrong.\n"),
        Example("pl", "Subject: Ups, mała wpadka z kodem\nFrom: Forno <ciao@forno.example>\n\n"
                "Przepraszamy: kod rabatowy z wczorajszego newslettera nie działał.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Sorry: the link in this morning's email was wrong\n"
                "From: Sprocket <crew@sprocket.example>\n\n"
                "We're sorry: the link in this morning's email was wrong.\n"),
        Example("pl", "Subject: Przepraszamy: kod rabatowy nie działał\n"
                "From: Forno <ciao@forno.example>\n\n"
                "Przepraszamy: kod rabatowy z wczorajszego newslettera nie działał.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        subject = ctx.draft.subject
        if subject is None:
            raise NotChecked("no subject (give --subject, <title> or config 'subject')")
        if ctx.pack is None or not subject.strip():
            return
        rules = ("jokey-tone", "jokey-subject")
        for hit in find_humour(ctx.subject, ctx.pack, rules, any_emoji=True):
            if hit.kind == "emoji":
                message = (
                    f"{hit.describe()} in the subject: an emoji makes an apology look like "
                    "a campaign, or like a joke"
                )
                suggestion = "remove the emoji and say in words what went wrong"
            else:
                message = (
                    f"{hit.describe()} in the subject reads as a joke: the reader sees it "
                    "before they know what went wrong"
                )
                suggestion = (
                    "say plainly what happened, e.g. \"Sorry: the link in our last email "
                    "was wrong\""
                )
            yield Finding(message, ctx.subject_span(hit.start, hit.end), suggestion)
