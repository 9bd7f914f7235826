"""AL604 missing-contact: no way for the reader to reach a person.

A reply-able sender is a way to reach a person, so the rule looks further only when the
From/Reply-To is absent or a no-reply address (the same test as AL101/AL102). Then the
body must offer one of:

* a support email address: an @-address in the prose or a ``mailto:`` link (not a no-reply
  address, not the recipient's own address in a "this email was sent to ..." line);
* a contact link: a link whose address or text holds a word of
  ``missing-contact.contact_link_words`` (contact, support, help, kontakt, pomoc, obsługa),
  or a channel named in the text (``contact_channels``: "live chat", "infolinia");
* with no sender given at all, an invitation to answer (``reply_invitations``: "please
  respond to this email", "feel free to contact me"): the draft means a sender that
  answers. Beside a no-reply sender the same words are a dead end, so they do not count;
* a phone number (or a ``tel:`` link). Heuristic, documented because it is one: a run of
  digits joined only by single spaces, dashes, dots or brackets (optionally led by "+"),
  with 7 to 15 digits, not touching letters; not a date (``14.03.2025``, ``2025-03-14``), a
  year range or an amount (followed by zł/PLN/EUR/$/%); not preceded by a word of
  ``number_cues`` (order, invoice, NIP, zamówienie ...) unless a word of ``phone_cues``
  (tel, call, zadzwoń ...) is nearer. A run of bare digits with no separators counts only
  after a phone cue: "0800123456" alone is as likely an order number.

Scanning is linear: every loop moves forward or is bounded by a small constant (64
characters left of an "@", 255 right of it), never a backtracking regular expression.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..context import Context
from ..matching import fold
from ..model import Address, Severity
from .addresses import has_template_syntax, is_no_reply, no_reply_forms
from .base import Example, Finding, NotChecked, Rule
from .contact import find_email_addresses, find_phone_numbers

VOCAB = "missing-contact"
#: Words just before an address that make it the recipient's own ("sent to jan@...").
_RECIPIENT_CUES = ("sent to", "delivered to", "addressed to", "wyslana do", "wyslano do",
                   "wyslany do", "wyslane do", "wysylamy na", "na adres odbiorcy")


def _words(ctx: Context, table: str) -> frozenset[str]:
    """A word list of every loaded pack: a Polish shop may link to /contact."""
    words: set[str] = set()
    for pack in ctx.packs.values():
        words.update(pack.folded_words(f"{VOCAB}.{table}"))
    return frozenset(words)


def _real_addresses(ctx: Context, found: Iterable[str], forms: frozenset[str]) -> list[str]:
    recipients = {a.address.lower() for a in (*ctx.draft.to, *ctx.draft.cc)}
    return [
        a
        for a in found
        if a.lower() not in recipients and not is_no_reply(Address("", a), forms)
    ]


def _body_contact(ctx: Context, forms: frozenset[str]) -> bool:
    """Whether the body offers an address, a contact link, a named channel or a phone."""
    text = ctx.draft.prose.text
    folded = fold(text)
    link_words = _words(ctx, "contact_link_words")
    in_prose = []
    for start, end in find_email_addresses(text):
        before = folded[max(0, start - 30) : start]
        if not any(cue in before for cue in _RECIPIENT_CUES):
            in_prose.append(text[start:end])
    if _real_addresses(ctx, in_prose, forms):
        return True
    doc = ctx.draft.html_doc
    if doc is not None:
        mailtos: list[str] = []
        for a in doc.find_all("a", has="href"):
            href = a.attrs["href"].strip()
            lowered = href.lower()
            if lowered.startswith("mailto:"):
                mailtos.append(href[7:].split("?", 1)[0])
            elif lowered.startswith("tel:") and sum(ch.isdigit() for ch in href) >= 7:
                return True
            else:
                label = fold(href + " " + doc.text_of(a, " ", strip=True))
                if any(word in label for word in link_words):
                    return True
        if _real_addresses(ctx, mailtos, forms):
            return True
    for chunk in text.split():
        low = fold(chunk)
        if ("://" in low or low.startswith("www.")) and any(w in low for w in link_words):
            return True
    if ctx.pack is not None and ctx.body.has(f"{VOCAB}.contact_channels"):
        return True
    return bool(find_phone_numbers(text, _words(ctx, "phone_cues"), _words(ctx, "number_cues")))


class MissingContact(Rule):
    code = "AL604"
    slug = "missing-contact"
    family = "next-steps"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "No way to reach a person: the From/Reply-To is no-reply or absent, and the body "
        "gives no support address, contact link or phone number."
    )
    rationale = (
        "Someone who was let down needs to answer: to ask what it means for them, to get "
        "the refund, to complain. A reply-able sender is enough. When replies go nowhere "
        "(noreply@, nie-odpowiadaj@) and the body names no support address, contact page "
        "or phone number, the apology closes the door it should open. A template whose "
        "repository has the platform or the framework set the sender (Postmark, SendGrid, a "
        "Rails mailer, Laravel's config, Django's DEFAULT_FROM_EMAIL) is not checked "
        "unless the sender is given (--from, config 'from')."
    )
    vocabulary = (
        f"{VOCAB}.contact_link_words",
        f"{VOCAB}.contact_channels",
        f"{VOCAB}.reply_invitations",
        f"{VOCAB}.phone_cues",
        f"{VOCAB}.number_cues",
        "no-reply-sender.local_parts",
    )
    fail_examples = (
        Example(
            "en",
            "Subject: Please disregard our previous email\nFrom: Gym <noreply@gym.example>\n\n"
            "We're sorry: yesterday's email about closing the Eastfield club was meant for "
            "Eastfield members only. Please disregard it.\n",
        ),
        Example(
            "pl",
            "Subject: Korekta faktury\nFrom: EkoPrąd <nie-odpowiadaj@ekoprad.example>\n\n"
            "Przepraszamy: w fakturze FV/03/2025/118 podaliśmy za wysoką kwotę. Korekta jest "
            "w Panelu Klienta.\n",
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Please disregard our previous email\nFrom: Gym <noreply@gym.example>\n\n"
            "We're sorry: yesterday's email was meant for Eastfield members only. Questions? "
            "Write to help@gym.example or call 01632 960 123.\n",
        ),
        Example(
            "pl",
            "Subject: Korekta faktury\nFrom: Anna z EkoPrądu <pomoc@ekoprad.example>\n\n"
            "Przepraszamy: w fakturze podaliśmy za wysoką kwotę. Odpisz, jeśli masz pytania.\n",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        forms = no_reply_forms(ctx.packs.values())
        replyable = [a for a in ctx.draft.replyable_addresses if a.address or a.display_name]
        for address in replyable:
            if has_template_syntax(address.address) or (
                address.address and not is_no_reply(address, forms)
            ):
                return
        if _body_contact(ctx, forms):
            return
        # no sender is given, and "please respond to this email" or "feel free to contact
        # me" means one that answers
        if not replyable and ctx.body.matches(f"{VOCAB}.reply_invitations"):
            return
        if not replyable and ctx.draft.unseen_sender:
            raise NotChecked(f"{ctx.draft.unseen_sender}: give it with --from or config "
                             "'from' to check that readers can reach a person")
        if replyable:
            shown = replyable[0].address or replyable[0].display_name
            span = ctx.draft.reply_to_span if ctx.draft.reply_to else ctx.draft.sender_span
            message = (
                f"readers cannot reach a person: replies go to the no-reply address {shown!r}, "
                "and the body gives no support address, contact link or phone number"
            )
        else:
            span = None
            message = (
                "readers cannot reach a person: there is no sender to reply to, and the body "
                "gives no support address, contact link or phone number"
            )
        yield Finding(
            message,
            span=span,
            suggestion=(
                "send from a monitored address, or add a support email, a phone number or a "
                "link to your contact page"
            ),
        )
