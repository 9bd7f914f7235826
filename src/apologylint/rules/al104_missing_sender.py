"""AL104 missing-sender."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity, Span
from .base import Example, Finding, NotChecked, Rule

#: Rendered messages: a sender is part of the file. Templates get theirs at send time.
_MESSAGE_KINDS = frozenset({"eml", "mbox"})


class MissingSender(Rule):
    code = "AL104"
    slug = "missing-sender"
    family = "sender"
    severity = Severity.ERROR
    summary = "A rendered message (.eml, .mbox) has no From header, or an empty one."
    rationale = (
        "A message without a sender is rejected by most servers or lands in spam, and the "
        "reader cannot tell who is apologising nor answer. Rendered drafts (.eml, .mbox) "
        "are what will be sent, so their From must be there; templates get theirs from "
        "the sending platform and are not checked."
    )
    fail_examples = (
        Example("en", "Subject: We charged you twice\nTo: sam@example.com\n\n"
                "We're sorry: we charged you twice for March. The refund is on its way.\n",
                format="eml"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom:\nTo: anna@example.com\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Zwrot jest w drodze.\n",
                format="eml"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Maya at Acme <maya@acme.com>\n\n"
                "We're sorry: we charged you twice for March.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom: Anna ze Sklepu <anna@sklep.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        if draft.origin.kind not in _MESSAGE_KINDS:
            raise NotChecked("a template gets its sender from the sending platform")
        header = draft.header("From")
        if draft.sender is not None and (
            draft.sender.address.strip() or draft.sender.display_name.strip()
        ):
            return
        if header is not None and header.value.strip():
            return  # a From that does not parse is AL103's finding, not a missing one
        what = "an empty From header" if header is not None else "no From header"
        yield Finding(
            f"the message has {what}: it will be rejected or land in spam, and the reader "
            "cannot tell who is apologising",
            span=Span(0, 0),
            suggestion="add From: with a named, monitored address, e.g. "
            "From: Maya at Acme <help@acme.example>",
        )
