"""AL105 sender-domain-mismatch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..context import Context
from ..matching import fold
from ..model import Draft, Severity
from .addresses import (
    NEUTRAL_LINK_DOMAINS,
    brand_label,
    domain_of,
    has_template_syntax,
    registrable_domain,
)
from .base import Example, Finding, NotChecked, Option, Rule

#: A link domain must carry more than this share of the counted links, and at least
#: ``_MIN_LINKS`` of them, before the sender is compared with it: ESP tracking hosts and
#: partner links would otherwise make honest mail look like phishing.
_MAJORITY = 0.5
_MIN_LINKS = 2
_URL_STOP = frozenset(" \t\r\n<>\"'()[]{}")


def _host(url: str) -> str | None:
    url = url.strip()
    if not url or has_template_syntax(url):
        return None
    lowered = url.lower()
    if not lowered.startswith(("http://", "https://")):
        return None  # mailto:, tel:, anchors, relative links
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host or host.replace(".", "").isdigit():
        return None
    return host


def _text_urls(text: str) -> Iterator[str]:
    """Bare http(s) URLs in plain text (linear scan, no regex)."""
    lowered = fold(text)  # not lower(): "İ" lower-cases to two characters, offsets drift
    start = 0
    while True:
        at = lowered.find("http", start)
        if at < 0:
            return
        if lowered.startswith(("http://", "https://"), at):
            end = at
            while end < len(text) and text[end] not in _URL_STOP:
                end += 1
            yield text[at:end].rstrip(".,;:!?")
            start = end
        else:
            start = at + 4


def link_domains(draft: Draft) -> Counter[str]:
    """Registrable domains of the body's http(s) links, tracking and social hosts left out."""
    urls: list[str] = []
    if draft.html_doc is not None:
        urls.extend(anchor.attrs["href"] for anchor in draft.html_doc.find_all("a", has="href"))
    else:
        urls.extend(_text_urls(draft.prose.text))
    counts: Counter[str] = Counter()
    for url in urls:
        host = _host(url)
        if host is None:
            continue
        domain = registrable_domain(host)
        if domain and domain not in NEUTRAL_LINK_DOMAINS:
            counts[domain] += 1
    return counts


def same_brand(a: str, b: str) -> bool:
    """Registrable domains of one brand: equal, or the same name under another public
    suffix (acme.com and acme.co.uk, sklep.pl and sklep.com.pl: country sites)."""
    return a == b or (brand_label(a) == brand_label(b) and brand_label(a) != "")


def _normalise_brand_domain(value: str) -> str:
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.rpartition("@")[2].strip("/ .")
    return registrable_domain(value)


class SenderDomainMismatch(Rule):
    code = "AL105"
    slug = "sender-domain-mismatch"
    family = "sender"
    severity = Severity.WARNING
    summary = (
        "The From domain is not the brand's domain (config brand.domain) or, without one, "
        "differs from the domain that most body links point to."
    )
    rationale = (
        "Readers and spam filters judge an apology by who sent it. Mail from one domain "
        "whose links all go to another is what phishing looks like, and right after a "
        "mistake (worse, a breach) readers are primed to distrust it. Send from the brand's "
        "own domain; subdomains such as mail.acme.com are fine. Without a brand domain in "
        "config, the rule compares with the domain most links point to, and only when one "
        "domain clearly dominates (more than half, at least two links), so tracking hosts "
        "do not raise false alarms."
    )
    options = (
        Option("brand.domain", None, "the brand's own domain; the From domain must match "
               "it (subdomains allowed)"),
    )
    fail_examples = (
        Example("en", "Subject: We charged you twice\n"
                "From: Acme Billing <billing@acme-mail.net>\n\n"
                "We're sorry: we charged you twice for March. See https://acme.com/refunds "
                "for your refund and https://acme.com/help if anything looks wrong.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\n"
                "From: Sklep Kwiatek <pomoc@kwiatek-promo.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Szczegóły zwrotu: "
                "https://kwiatek.pl/zwroty, pomoc: https://kwiatek.pl/kontakt.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\n"
                "From: Acme Billing <billing@mail.acme.com>\n\n"
                "We're sorry: we charged you twice for March. See https://acme.com/refunds "
                "for your refund and https://www.acme.com/help if anything looks wrong.\n",
                note="a subdomain of the brand is the brand"),
        Example("pl", "Subject: Podwójne obciążenie karty\n"
                "From: Sklep Kwiatek <pomoc@kwiatek.com.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Szczegóły zwrotu: "
                "https://sklep.kwiatek.com.pl/zwroty, pomoc: https://kwiatek.com.pl/kontakt.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        sender = draft.sender
        if sender is None or not sender.address.strip():
            raise NotChecked("no sender (give --from, <meta name=\"from\"> or config 'from')")
        if has_template_syntax(sender.address):
            raise NotChecked("the sender is a template tag, filled in at send time")
        sender_domain = registrable_domain(domain_of(sender.address))
        if not sender_domain:
            return  # no domain at all: AL103 reports the address
        brand = ctx.settings.brand
        if brand is not None and brand.domain:
            expected = _normalise_brand_domain(brand.domain)
            if expected and not same_brand(sender_domain, expected):
                yield Finding(
                    f"the sender's domain {sender_domain!r} is not the brand's domain "
                    f"{expected!r}: readers and spam filters will not trust it",
                    span=draft.sender_span,
                    suggestion=f"send from an address at {expected} (a subdomain is fine)",
                )
            return
        counts = link_domains(draft)
        total = sum(counts.values())
        if total == 0:
            raise NotChecked("no brand.domain in config and no links to compare the sender with")
        top, top_count = max(counts.items(), key=lambda item: (item[1], item[0]))
        if top_count < _MIN_LINKS or top_count <= total * _MAJORITY:
            return  # no clear brand domain among the links: nothing to compare with
        if not same_brand(top, sender_domain):
            yield Finding(
                f"the sender's domain {sender_domain!r} differs from {top!r}, where "
                f"{top_count} of the {total} links point: mail from one domain with links "
                "to another looks like phishing",
                span=draft.sender_span,
                suggestion=f"send from an address at {top}, or link to your own domain",
            )
