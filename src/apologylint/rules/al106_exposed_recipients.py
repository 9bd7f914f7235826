"""AL106 exposed-recipients."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Address, Severity
from .addresses import is_group_syntax
from .base import Example, Finding, Rule


def _key(address: Address) -> str:
    """The mailbox, lower-cased; "" for what no reader sees as an address (a group
    label such as undisclosed-recipients:;, an empty item, a bare name)."""
    value = address.address.strip()
    if "@" not in value or is_group_syntax(value):
        return ""
    return value.lower()


class ExposedRecipients(Rule):
    code = "AL106"
    slug = "exposed-recipients"
    family = "sender"
    severity = Severity.ERROR
    summary = (
        "More than one recipient address is visible in To and Cc together: the apology "
        "itself would leak the list."
    )
    rationale = (
        "Everyone on To and Cc sees everyone else. An apology sent that way discloses who "
        "the customers are (a personal-data breach of its own under GDPR) and invites "
        "reply-all storms: a second incident on top of the first. Send one message per "
        "recipient from the mailing platform, or put the list in Bcc."
    )
    fail_examples = (
        Example("en", "Subject: Hamlet opens on 14 March, not 4 March\nFrom: Box Office "
                "<boxoffice@theatre.example>\nTo: ann@example.com, bob@example.org\n\n"
                "We're sorry: our last email gave the wrong opening date.\n"),
        Example("pl", "Subject: Spektakl zaczyna się 14 marca, nie 4 marca\nFrom: Kasa "
                "<kasa@teatr.example>\nTo: anna@example.com\nCc: jan@example.pl\n\n"
                "Przepraszamy: w poprzedniej wiadomości podaliśmy złą datę.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Hamlet opens on 14 March, not 4 March\nFrom: Box Office "
                "<boxoffice@theatre.example>\nTo: ann@example.com\n\n"
                "We're sorry: our last email gave the wrong opening date.\n"),
        Example("pl", "Subject: Spektakl zaczyna się 14 marca, nie 4 marca\nFrom: Kasa "
                "<kasa@teatr.example>\nTo: Anna Nowak <anna@example.com>\n\n"
                "Przepraszamy: w poprzedniej wiadomości podaliśmy złą datę.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        seen: set[str] = set()
        for address in [*draft.to, *draft.cc]:
            key = _key(address)
            if key:
                seen.add(key)
        count = len(seen)
        if count <= 1:
            return
        header = draft.header("To") if draft.to else draft.header("Cc")
        where = "To and Cc" if draft.to and draft.cc else ("To" if draft.to else "Cc")
        yield Finding(
            f"{count} recipient addresses are visible in {where}: every reader of this "
            "apology would see the others",
            span=header.span if header is not None else None,
            suggestion="send one message per recipient from your mailing platform, or move "
            "the addresses to Bcc",
        )
