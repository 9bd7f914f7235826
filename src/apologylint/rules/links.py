"""Links of a draft and what makes one suspicious (AL707 suspicious-link).

A link is an ``<a href>`` of the HTML body (MJML buttons become anchors), or, in a draft
without HTML, a bare ``http(s)://`` URL in the text. Hosts are judged without any network
access: the shortener list and staging labels are pack data (``rules/*/suspicious-link.toml``,
the union over every loaded pack); IP addresses, reserved names (RFC 2606/6761) and ports
are recognised here.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from ..loaders.html import element_span
from ..matching import fold
from ..model import Draft, Span
from ..packs import Pack
from .addresses import NEUTRAL_LINK_DOMAINS, brand_label, has_template_syntax, registrable_domain

__all__ = ["Link", "LinkFacts", "draft_links", "link_facts", "problems", "text_urls"]

_URL_STOP = frozenset(" \t\r\n<>\"'()[]{}")
#: Top-level names reserved for tests, examples and local networks.
_RESERVED_TLDS = frozenset(
    {"test", "example", "invalid", "localhost", "local", "internal", "lan", "intranet",
     "corp", "home", "localdomain"}
)
#: Second-level names reserved for documentation (RFC 2606).
_EXAMPLE_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
#: Top-level domains we accept in a bare host name shown as link text (``acme.com``).
_VISIBLE_TLD_LIST = (
    "com org net io co uk pl de eu fr es it nl be ch at se no dk fi ie pt cz sk hu ro us ca "
    "au nz app dev info biz shop store online site tv me ly gl to ai gov edu int mil"
)
_VISIBLE_TLDS = frozenset(_VISIBLE_TLD_LIST.split())
#: Click-tracking hosts beside AL105's list: a link through them shows the brand's domain
#: in its text by design.
_TRACKING = NEUTRAL_LINK_DOMAINS | frozenset(
    {"iterable.com", "braze.com", "braze.eu", "sailthru.com", "exacttarget.com",
     "sfmc-content.com", "marketingcloudapps.com", "mcsv.net", "mailchimpapp.net",
     "msgfocus.com", "emarsys.net", "dotdigital-pages.com", "dmtrk.net", "ctrk.klclick.com",
     "mandrill.com", "sparkpost.com", "amazonses.com", "mailtrack.io", "hubspot.com",
     "hs-analytics.net", "pardot.com", "mkto-lp.com", "vtrack.net", "customer.io"}
)
_VISIBLE_HOST = re.compile(
    r"(?:https?://)?((?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,6}[a-z]{2,24})(?![\w.\-@])"
)


class Link(NamedTuple):
    """One link: its target, the text the reader sees, and where it stands."""

    url: str
    text: str
    span: Span | None


class LinkFacts(NamedTuple):
    """Pack data the checks read, merged over every loaded pack."""

    shorteners: frozenset[str]
    staging: frozenset[str]


def link_facts(packs: Iterable[Pack]) -> LinkFacts:
    shorteners: set[str] = set()
    staging: set[str] = set()
    for pack in packs:
        shorteners.update(w.strip().lower() for w in pack.words("suspicious-link.shorteners"))
        staging.update(fold(w.strip()) for w in pack.words("suspicious-link.staging_labels"))
    return LinkFacts(frozenset(shorteners), frozenset(staging))


def text_urls(text: str, folded: str | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of bare http(s) URLs in plain text (linear scan, no regex).
    ``folded``: ``fold(text)`` when the caller has it (a draft's prose is folded once)."""
    # fold, not lower(): "İ" lower-cases to two characters and the offsets would drift
    lowered = fold(text) if folded is None else folded
    n = len(text)
    start = 0
    while True:
        at = lowered.find("http", start)
        if at < 0:
            return
        if lowered.startswith(("http://", "https://"), at) and (
            at == 0 or not text[at - 1].isalnum()
        ):
            end = at
            while end < n and text[end] not in _URL_STOP:
                end += 1
            while end > at and text[end - 1] in ".,;:!?":
                end -= 1
            yield at, end
            start = max(end, at + 4)
        else:
            start = at + 4


def draft_links(draft: Draft, folded: str | None = None) -> Iterator[Link]:
    """Anchors of the HTML (with their visible text), else URLs in the text body.
    ``folded``: the prose folded, if the caller has it (``ctx.body.folded``)."""
    doc = draft.html_doc
    if doc is not None:
        linked: set[str] = set()
        for anchor in doc.find_all("a", has="href"):
            href = anchor.attrs["href"]
            text = " ".join(doc.text_of(anchor, " ").split())
            for s, e in text_urls(text):
                linked.add(text[s:e])
            yield Link(href.strip(), text, element_span(draft, anchor))
        prose = draft.prose
        for s, e in text_urls(prose.text, folded):
            url = prose.text[s:e]
            if url not in linked:
                yield Link(url, url, prose.source_span(s, e))
        return
    prose = draft.prose
    for s, e in text_urls(prose.text, folded):
        url = prose.text[s:e]
        yield Link(url, url, prose.source_span(s, e))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _matches_host(host: str, hosts: frozenset[str]) -> str | None:
    """The listed host that ``host`` is, or is a subdomain of."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in hosts:
            return candidate
    return None


def _visible_domain(text: str) -> str | None:
    """The host a link's text shows ("www.acme.com", "https://acme.com/refund", "acme.pl")."""
    lowered = text.strip().lower()
    if not lowered or "@" in lowered or len(lowered) > 300:
        return None
    m = _VISIBLE_HOST.search(lowered)
    if m is None:
        return None
    host = m.group(1)
    shown_as_url = lowered[m.start() :].startswith(("http://", "https://", "www."))
    if not shown_as_url and host.rsplit(".", 1)[-1] not in _VISIBLE_TLDS:
        return None
    return host


def problems(link: Link, facts: LinkFacts) -> list[str]:
    """What is wrong with one link (empty: nothing), in the reader's terms."""
    url = link.url
    lowered = url.lower()
    found: list[str] = []
    if not lowered.startswith(("http://", "https://", "//")):
        return found  # mailto:, tel:, anchors, relative links, merge tags such as *|UNSUB|*
    if lowered.startswith("http://"):
        found.append("it uses plain http, so the page opens without encryption and "
                     "browsers may warn")
    if has_template_syntax(url):
        return found  # the host is filled in at send time: unknown, not wrong
    try:
        parts = urlsplit(url if not url.startswith("//") else "https:" + url)
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError:
        return found
    if not host:
        return found
    if _is_ip(host):
        found.append(f"it points at a raw IP address ({host}), which looks like phishing")
    elif host == "localhost" or host.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        found.append(f"it points at {host}, a local or test host nobody else can reach")
    elif registrable_domain(host) in _EXAMPLE_DOMAINS:
        found.append(f"it points at {host}, a placeholder domain")
    else:
        shortener = _matches_host(host, facts.shorteners)
        if shortener is not None:
            found.append(f"it goes through the URL shortener {shortener}, which hides where "
                         "it leads (spam filters and wary readers distrust it)")
        reg = registrable_domain(host)
        sub = host[: -len(reg)].rstrip(".") if reg and host.endswith(reg) else ""
        labels = [part for label in sub.split(".") for part in label.split("-") if part]
        staging = next((lab for lab in labels if fold(lab) in facts.staging), None)
        if staging is not None:
            found.append(f"it points at {host}, which looks like a {staging} server, "
                         "not the live site")
        elif port is not None and port not in (80, 443):
            found.append(f"it uses port {port}, which looks like a development server")
        shown = _visible_domain(link.text)
        if (
            shown is not None
            and shortener is None
            and reg not in _TRACKING
            and not _same_brand(registrable_domain(shown), reg)
        ):
            found.append(f"its text shows {shown} but it leads to {host}: that is what "
                         "phishing looks like")
    return found


def _same_brand(a: str, b: str) -> bool:
    return a == b or (brand_label(a) != "" and brand_label(a) == brand_label(b))
