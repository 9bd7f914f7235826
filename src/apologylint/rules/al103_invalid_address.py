"""AL103 invalid-address."""

from __future__ import annotations

from collections.abc import Iterator

from ..audience import syntax_problem
from ..context import Context
from ..model import Address, Draft, Severity, Span
from .addresses import has_template_syntax, is_group_syntax
from .base import Example, Finding, Rule

#: The headers whose addresses a reader sees or replies to, in reading order.
_HEADERS = ("From", "Reply-To", "To", "Cc")


def _addresses(draft: Draft, name: str) -> list[Address]:
    if name == "From":
        return [draft.sender] if draft.sender else []
    if name == "Reply-To":
        return list(draft.reply_to)
    if name == "To":
        return list(draft.to)
    return list(draft.cc)


def _header_span(draft: Draft, name: str) -> Span | None:
    """Where a header starts: its own span, else the draft's recorded address span."""
    header = draft.header(name)
    if header is not None and header.span is not None:
        return header.span
    if name == "From":
        return draft.sender_span
    if name == "Reply-To":
        return draft.reply_to_span
    return None


class InvalidAddress(Rule):
    code = "AL103"
    slug = "invalid-address"
    family = "sender"
    severity = Severity.ERROR
    summary = (
        "An address in From, Reply-To, To or Cc fails syntax validation (email-validator, "
        "never a DNS lookup), including display names that broke the header apart."
    )
    rationale = (
        "A malformed sender is rejected or sent to spam by the receiving server, and a "
        "malformed Reply-To swallows the replies: the apology either never arrives or "
        "cannot be answered. An unquoted comma in a display name (Acme, Inc.) silently "
        "splits one sender into two broken ones. Only the syntax is checked, offline."
    )
    fail_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Acme Billing <billing@acme..com>\n\n"
                "We're sorry: we charged you twice for March. Reply if anything looks wrong.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom: Sklep Kwiatek <pomoc@sklep>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Odpisz, jeśli coś się nie "
                "zgadza.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\nFrom: \"Acme, Inc.\" <billing@acme.com>\n\n"
                "We're sorry: we charged you twice for March. Reply if anything looks wrong.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\n"
                "From: Sklep Kwiatek <pomoc@kwiatek.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Odpisz, jeśli coś się nie "
                "zgadza.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        for name in _HEADERS:
            header = draft.header(name)
            addresses = _addresses(draft, name)
            span = _header_span(draft, name)
            raw = header.value.strip() if header is not None else ""
            if not addresses:
                if raw and not has_template_syntax(raw) and not is_group_syntax(raw):
                    yield Finding(
                        f"the {name} header {raw!r} could not be read as an address",
                        span=span,
                        suggestion="write it as Name <local@domain.example>",
                    )
                continue
            for address in addresses:
                value = address.address.strip()
                if not value and not address.display_name.strip():
                    continue  # an empty list item ("a@x.com, , b@y.com"), or a group end
                if has_template_syntax(value) or has_template_syntax(address.display_name):
                    continue  # filled in at send time: unknown, not wrong
                if is_group_syntax(value):
                    continue  # "undisclosed-recipients:;" names a group, holds no mailbox
                if not value:
                    yield Finding(
                        f"{name}: {address.display_name!r} has no address",
                        span=span,
                        suggestion=_quote_hint(name, raw),
                    )
                    continue
                problem = syntax_problem(value)
                if problem is not None:
                    yield Finding(
                        f"{name} address {value!r} is not a valid email address: {problem}",
                        span=span,
                        suggestion=_quote_hint(name, raw) if "@" not in value else
                        "fix the address; a malformed one bounces or is lost",
                    )


def _quote_hint(name: str, raw: str) -> str:
    """Why a display name became an address, and the fix, when the cause is visible."""
    if "," in raw and "<" in raw and '"' not in raw:
        return (f'quote a display name that contains a comma: {name}: "Acme, Inc." '
                "<help@acme.example>")
    return "give the address in angle brackets: Name <local@domain.example>"
