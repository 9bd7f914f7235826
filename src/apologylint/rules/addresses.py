"""Address facts shared by the sender rules: no-reply detection, domains, template marks,
the words that name the sender (AL202 leaves them out of a subject's news, AL304 never
blames them).

Kept beside the 1xx rules so that AL101/AL102 (no-reply), AL103 (syntax), AL105 (domain
mismatch) and AL604 (a way to reach a person) agree on what an address *is*.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..matching import fold
from ..model import TEMPLATE_MARK, Address
from ..packs import Pack, fold_words

if TYPE_CHECKING:
    from ..context import Context

_SEPARATORS = str.maketrans("", "", "-_.+ '\"")


def squash(text: str) -> str:
    """Fold and drop separators: "Do_Not.Reply" and "do-not-reply" both give "donotreply"."""
    return fold(text).translate(_SEPARATORS)


def no_reply_forms(packs: Iterable[Pack]) -> frozenset[str]:
    """Squashed no-reply forms of every loaded pack: a Polish shop may send from noreply@.

    Each pack's forms are squashed once per pack, not once per draft and rule (measured:
    nearly all of AL101's time)."""
    return frozenset().union(*(_pack_no_reply_forms(pack) for pack in packs))


def _pack_no_reply_forms(pack: Pack) -> frozenset[str]:
    def squashed() -> frozenset[str]:
        forms = (squash(w) for w in pack.words("no-reply-sender.local_parts"))
        return frozenset(f for f in forms if f)

    return pack.cached("no-reply-sender.forms", squashed)


def is_no_reply(address: Address, forms: frozenset[str]) -> bool:
    """True if the local part or the display name is a no-reply form."""
    local = address.address.rpartition("@")[0] or address.address
    candidates = (squash(local), squash(address.display_name))
    return any(form in cand for cand in candidates if cand for form in forms)


def domain_of(address: str) -> str:
    """The domain of an addr-spec, lower-cased ("" when there is no "@")."""
    if "@" not in address:
        return ""
    return address.rpartition("@")[2].strip().strip(">").rstrip(".").lower()


def is_group_syntax(value: str) -> bool:
    """An RFC 5322 group such as ``undisclosed-recipients:;``: a label, not a mailbox."""
    value = value.strip()
    return value.endswith(";") and ":" in value


# -- template syntax -------------------------------------------------------------------

#: Openers of the template languages we meet in ESP templates (Liquid/Jinja/Handlebars,
#: Mailchimp, AMPscript/SFMC, ERB/JSP, Smarty, shell-style). An address or URL holding one
#: is filled in at send time: it is unknown, not wrong.
TEMPLATE_OPENERS = ("{{", "{%", "*|", "%%", "${", "{$", "<%", "[[", TEMPLATE_MARK)


def has_template_syntax(text: str) -> bool:
    """True if ``text`` contains a template tag (so its final value is not known yet)."""
    return any(opener in text for opener in TEMPLATE_OPENERS)


# -- registrable domains ---------------------------------------------------------------

#: Second-level labels that ccTLD registries sell under (``acme.co.uk``, ``sklep.com.pl``):
#: under a two-letter TLD they are part of the public suffix, so the brand is one label
#: further left. A small, deliberate subset of the Public Suffix List (no download, no
#: dependency); the explicit list below covers the common non-generic ones.
_GENERIC_SECOND_LEVEL = frozenset(
    {"co", "com", "net", "org", "edu", "gov", "ac", "or", "ne", "go", "mil", "nom", "ltd",
     "plc", "sch", "gob", "gen", "biz", "info", "firm", "ind", "int"}
)

#: Public suffixes of two labels that the rule above does not cover (mostly Polish
#: functional and regional domains, which Polish brands really use).
PUBLIC_SUFFIXES = frozenset(
    {
        # Poland
        "waw.pl", "krakow.pl", "wroclaw.pl", "poznan.pl", "gda.pl", "gdansk.pl", "lodz.pl",
        "szczecin.pl", "katowice.pl", "lublin.pl", "bialystok.pl", "torun.pl", "gliwice.pl",
        "olsztyn.pl", "rzeszow.pl", "opole.pl", "kielce.pl", "slask.pl", "pila.pl",
        "bydgoszcz.pl", "gdynia.pl", "sopot.pl", "zgora.pl", "elblag.pl", "czest.pl",
        "media.pl", "shop.pl", "tm.pl", "art.pl", "priv.pl", "pc.pl", "mail.pl", "agro.pl",
        "auto.pl", "travel.pl", "turystyka.pl", "realestate.pl", "gmina.pl",
        "powiat.pl", "atm.pl", "sos.pl", "med.pl", "nieruchomosci.pl", "rel.pl", "warmia.pl",
        "mazury.pl", "pomorze.pl", "malopolska.pl", "wielun.pl", "lomza.pl", "nowysacz.pl",
        # elsewhere
        "me.uk", "nhs.uk", "police.uk", "asn.au", "id.au", "govt.nz", "school.nz",
        "kiwi.nz", "gv.at", "qc.ca", "on.ca", "bc.ca", "ab.ca", "priv.no", "blogspot.com",
        "github.io", "gitlab.io", "netlify.app", "vercel.app", "herokuapp.com",
        "pages.dev", "web.app", "firebaseapp.com", "azurewebsites.net", "cloudfront.net",
        "amazonaws.com", "appspot.com", "wixsite.com", "myshopify.com", "squarespace.com",
    }
)


def registrable_domain(host: str) -> str:
    """Approximately the domain a brand registered: ``mail.acme.com`` -> ``acme.com``,
    ``news.acme.co.uk`` -> ``acme.co.uk``, ``sklep.waw.pl`` stays itself.

    Not the full Public Suffix List: a small table is enough to tell a brand's
    subdomains from another brand, which is all AL105 needs.
    """
    host = host.strip().strip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    labels = [label for label in host.split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    last_two = ".".join(labels[-2:])
    if last_two in PUBLIC_SUFFIXES or (
        len(labels[-1]) == 2 and labels[-2] in _GENERIC_SECOND_LEVEL
    ):
        return ".".join(labels[-3:])
    return last_two


def brand_label(domain: str) -> str:
    """The label that names the brand: ``acme`` for ``mail.acme.co.uk``."""
    reg = registrable_domain(domain)
    return reg.split(".", 1)[0] if reg else ""


#: Link hosts that say nothing about the brand: ESP click tracking, social profiles,
#: app stores, maps. Compared by registrable domain. Links to them are left out when
#: AL105 looks for the domain most links point to.
NEUTRAL_LINK_DOMAINS = frozenset(
    {
        # click tracking / ESP hosts
        "list-manage.com", "mailchi.mp", "eepurl.com", "mcusercontent.com", "sendgrid.net",
        "sendgrid.com", "mailgun.org", "mailgun.net", "mandrillapp.com", "hubspotlinks.com",
        "hubspotemail.net", "hs-sites.com", "klaviyo.com", "klclick.com", "klclick1.com",
        "klclick2.com", "klclick3.com", "exct.net", "rs6.net", "constantcontact.com",
        "createsend.com", "createsend1.com", "cmail19.com", "cmail20.com", "mjt.lu",
        "mailjet.com", "sendibt2.com", "sendibt3.com", "sendibm1.com", "brevo.com",
        "sendinblue.com", "mlsend.com", "mailerlite.com", "mlsend2.com",
        "convertkit-mail.com", "convertkit-mail2.com", "ck.page", "awstrack.me",
        "pstmrk.it", "postmarkapp.com", "sparkpostmail.com", "customeriomail.com",
        "mktomail.com", "getresponse.com", "gr8.com", "activehosted.com", "acemlna.com",
        "acemlnb.com", "omnisend.com", "omnisrc.com", "emltrk.com", "freshmail.pl",
        "freshmail.io", "salesmanago.pl", "salesmanago.com", "smsapi.pl", "ecomail.cz",
        "ipresso.pl", "getanewsletter.com", "campaign-archive.com", "substackcdn.com",
        "app.link", "page.link", "bnc.lt",
        # social profiles, app stores, maps, video
        "facebook.com", "fb.com", "fb.me", "instagram.com", "twitter.com", "x.com",
        "linkedin.com", "youtube.com", "youtu.be", "tiktok.com", "pinterest.com",
        "threads.net", "bsky.app", "mastodon.social", "wa.me", "whatsapp.com", "t.me",
        "apple.com", "google.com", "goo.gl", "spotify.com", "vimeo.com", "trustpilot.com",
    }
)


def brand_words(ctx: Context) -> tuple[frozenset[str], frozenset[str]]:
    """Folded words that only name the sender: (names, labels).

    *names* are the display name's words; *labels* the brand name and the domain label,
    which are the brand for sure, so their inflected forms count too.
    """
    names: set[str] = set()
    labels: set[str] = set()
    sender = ctx.draft.sender
    if sender is not None:
        names.update(fold_words(sender.display_name))
        labels.add(fold(brand_label(domain_of(sender.address))))
    brand = ctx.settings.brand
    if brand is not None:
        if brand.name:
            labels.update(fold_words(brand.name))
        if brand.domain:
            labels.add(fold(brand_label(brand.domain.rpartition("@")[2])))
    return frozenset(w for w in names if w), frozenset(w for w in labels if w)
