"""AL704 missing-text-part."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, NotChecked, Rule


class MissingTextPart(Rule):
    code = "AL704"
    slug = "missing-text-part"
    family = "template"
    severity = Severity.WARNING
    summary = (
        "A rendered message (.eml, .mbox) has an HTML body but no text/plain alternative. "
        "Templates are not checked: the sending platform builds that part."
    )
    rationale = (
        "Spam filters score HTML-only mail higher, and text-only clients, screen readers "
        "and smart watches show nothing useful without a plain-text part. An apology that "
        "lands in spam or shows as markup reaches no one. Send multipart/alternative with "
        "a text/plain part that says the same thing."
    )
    fail_examples = (
        Example("en", "From: Kitebox <team@kitebox.tv>\nSubject: Kitebox was down on Saturday"
                "\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
                "<p>We're sorry: Kitebox was down on Saturday evening.</p>\n", format="eml"),
        Example("pl", "From: Parkomat <pomoc@parkomat.pl>\nSubject: Awaria aplikacji 7 maja\n"
                "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
                "<p>Przepraszamy: 7 maja aplikacja nie działała.</p>\n", format="eml"),
    )
    pass_examples = (
        Example("en", "From: Kitebox <team@kitebox.tv>\nSubject: Kitebox was down on Saturday"
                "\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
                "--b\nContent-Type: text/plain; charset=utf-8\n\n"
                "We're sorry: Kitebox was down on Saturday evening.\n"
                "--b\nContent-Type: text/html; charset=utf-8\n\n"
                "<p>We're sorry: Kitebox was down on Saturday evening.</p>\n--b--\n",
                format="eml"),
        Example("pl", "From: Parkomat <pomoc@parkomat.pl>\nSubject: Awaria aplikacji 7 maja\n"
                "Content-Type: text/plain; charset=utf-8\n\n"
                "Przepraszamy: 7 maja aplikacja nie działała.\n", format="eml"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        if draft.origin.is_template:
            raise NotChecked("a template: the sending platform builds the text part")
        if not draft.has_html_part or draft.has_text_part:
            return
        header = draft.header("Content-Type")
        yield Finding(
            "the message is HTML only, with no text/plain alternative: spam filters score "
            "it higher and text-only clients and screen readers show nothing useful",
            span=header.span if header is not None else None,
            suggestion="send multipart/alternative with a text/plain part saying the same",
        )
