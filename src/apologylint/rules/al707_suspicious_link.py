"""AL707 suspicious-link."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from ..packs import Pack
from .base import Example, Finding, Rule
from .links import LinkFacts, draft_links, link_facts, problems


class SuspiciousLink(Rule):
    code = "AL707"
    slug = "suspicious-link"
    family = "template"
    severity = Severity.WARNING
    summary = (
        "A link goes through a URL shortener, uses plain http, shows one domain in its "
        "text but leads to another, or points at localhost, a staging/test host, a "
        "placeholder domain or a raw IP address."
    )
    rationale = (
        "Readers of an apology, above all after a breach, are told to be wary of links; "
        "a link that hides its target (bit.ly), does not encrypt, or says acme.com while "
        "leading elsewhere is exactly what they were warned about, and spam filters score "
        "it too. A staging or localhost link is a broken promise in a mail that is "
        "already fixing one. Link in full to the live https site. Links built by the "
        "template (href=\"{{ url }}\", *|UNSUB|*) are filled in at send time and are not "
        "judged; ESP click-tracking hosts are not a domain mismatch."
    )
    vocabulary = ("suspicious-link.shorteners", "suspicious-link.staging_labels")
    fail_examples = (
        Example("en", "Subject: Sorry: wrong film times\nFrom: Quayside <tickets@quayside.com>"
                "\n\nWe're sorry: the times we sent were wrong. Swap or refund your tickets "
                "at https://bit.ly/3qSaTx9\n"),
        Example("pl", "Subject: Przepraszamy za błędny link\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "Przepraszamy: link w poprzedniej wiadomości był błędny. Poprawny: "
                "http://staging.sklep.pl/zamowienia\n"),
    )
    pass_examples = (
        Example("en", "Subject: Sorry: wrong film times\nFrom: Quayside <tickets@quayside.com>"
                "\n\nWe're sorry: the times we sent were wrong. Swap or refund your tickets "
                "at https://quayside.com/account/tickets\n"),
        Example("pl", "Subject: Przepraszamy za błędny link\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "Przepraszamy: link w poprzedniej wiadomości był błędny. Poprawny: "
                "https://sklep.pl/zamowienia\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        facts = _merged_link_facts(list(ctx.packs.values()))
        for link in draft_links(ctx.draft, ctx.body.folded):
            found = problems(link, facts)
            if not found:
                continue
            shown = link.url if len(link.url) <= 80 else link.url[:77] + "..."
            yield Finding(
                f"suspicious link {shown}: " + "; ".join(found),
                span=link.span,
                suggestion="link in full to your live https site, with the text showing "
                "where it leads",
            )


def _merged_link_facts(packs: list[Pack]) -> LinkFacts:
    """``link_facts(packs)``, each pack's part computed once per pack (it folds every
    word of two vocabularies; measured: AL707 0.055 s -> 0.039 s on the bench corpus)."""
    if len(packs) == 1:
        return _pack_link_facts(packs[0])
    parts = [_pack_link_facts(pack) for pack in packs]
    return LinkFacts(
        frozenset().union(*(p.shorteners for p in parts)),
        frozenset().union(*(p.staging for p in parts)),
    )


def _pack_link_facts(pack: Pack) -> LinkFacts:
    return pack.cached("suspicious-link.facts", lambda: link_facts([pack]))
