"""AL101 no-reply-sender."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .addresses import is_no_reply, no_reply_forms
from .base import Example, Finding, NotChecked, Rule


class NoReplySender(Rule):
    code = "AL101"
    slug = "no-reply-sender"
    family = "sender"
    severity = Severity.ERROR
    summary = (
        "The From address (local part or display name) is a no-reply address: noreply, "
        "do-not-reply, \"No Reply\", nie-odpowiadaj ... with any separator."
    )
    rationale = (
        "An apology that cannot be answered is not an apology: the reader who was hurt "
        "has nowhere to go, and many of them will hit Reply anyway. Send it from a person "
        "or a monitored team address, and read the replies."
    )
    vocabulary = ("no-reply-sender.local_parts",)
    fail_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Acme <noreply@acme.com>\n\n"
                "We're sorry: we charged you twice for March. The refund is on its way.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\n"
                "From: Sklep <nie-odpowiadaj@sklep.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Zwrot jest w drodze.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Maya at Acme <help@acme.com>\n\n"
                "We're sorry: we charged you twice for March. Reply if anything looks wrong.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\n"
                "From: Anna ze Sklepu <pomoc@sklep.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. "
                "Odpisz, jeśli coś się nie zgadza.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        sender = ctx.draft.sender
        if sender is None:
            raise NotChecked("no sender (give --from, <meta name=\"from\"> or config 'from')")
        forms = no_reply_forms(ctx.packs.values())
        if is_no_reply(sender, forms):
            shown = sender.address or sender.display_name
            yield Finding(
                f"the sender {shown!r} is a no-reply address: readers cannot answer an apology",
                span=ctx.draft.sender_span,
                suggestion="send from a monitored address, e.g. help@ or a named person",
            )
