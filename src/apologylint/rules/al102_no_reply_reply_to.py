"""AL102 no-reply-reply-to."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .addresses import is_no_reply, no_reply_forms
from .base import Example, Finding, Rule


class NoReplyReplyTo(Rule):
    code = "AL102"
    slug = "no-reply-reply-to"
    family = "sender"
    severity = Severity.ERROR
    summary = (
        "The Reply-To address is a no-reply address (noreply, do-not-reply, "
        "nie-odpowiadaj ...): a good From does not rescue a dead Reply-To."
    )
    rationale = (
        "Replies go to Reply-To, not to From. A friendly From with a no-reply Reply-To "
        "looks answerable but silently drops every answer to the apology: the people who "
        "were hurt write back and nobody reads it. Point Reply-To at a monitored inbox, or "
        "drop it so that replies reach the sender."
    )
    vocabulary = ("no-reply-sender.local_parts",)
    fail_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Maya at Acme <maya@acme.com>\n"
                "Reply-To: do-not-reply@acme.com\n\n"
                "We're sorry: we charged you twice for March. The refund is on its way.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom: Anna ze Sklepu <anna@sklep.pl>\n"
                "Reply-To: brak-odpowiedzi@sklep.pl\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Zwrot jest w drodze.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\nFrom: noreply@acme.com\n"
                "Reply-To: Acme Billing <billing@acme.com>\n\n"
                "We're sorry: we charged you twice for March. Reply if anything looks wrong.\n",
                note="the From is AL101's business; replies reach a real inbox"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom: Anna ze Sklepu <anna@sklep.pl>\n"
                "Reply-To: pomoc@sklep.pl\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. "
                "Odpisz, jeśli coś się nie zgadza.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        reply_to = ctx.draft.reply_to
        if not reply_to:
            return  # no Reply-To: replies go to From, which AL101 checks
        forms = no_reply_forms(ctx.packs.values())
        span = ctx.draft.reply_to_span
        if span is None:
            header = ctx.draft.header("Reply-To")
            span = header.span if header else None
        for address in reply_to:
            if is_no_reply(address, forms):
                shown = address.address or address.display_name
                yield Finding(
                    f"Reply-To {shown!r} is a no-reply address: every answer to this "
                    "apology would be lost",
                    span=span,
                    suggestion="point Reply-To at a monitored inbox (help@, a named person) "
                    "or remove it so replies reach the sender",
                )
