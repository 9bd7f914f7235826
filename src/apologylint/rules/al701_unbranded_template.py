"""AL701 unbranded-template."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..context import Context
from ..loaders.html import element_span
from ..matching import fold
from ..model import Draft, Severity, Span
from ..packs import Pack
from ..settings import Brand
from .addresses import brand_label, domain_of, has_template_syntax, registrable_domain
from .base import Example, Finding, NotChecked, Option, Rule
from .links import draft_links
from .templates import contains_words, footer_text, images, matches_logo, word_sequences

ADDRESS_WORDS = "unbranded-template.address_words"
LEGAL_FORMS = "unbranded-template.legal_forms"

#: Postcodes: UK (SA1 1UU), US state + ZIP (CA 95816), Polish (02-486), and the
#: four/five-digit codes before a town of most of Europe (20357 Hamburg).
_POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"
    r"|\b[A-Z]{2} \d{5}(?:-\d{4})?\b"
    r"|\b\d{2}-\d{3}\b"
    r"|\b\d{4,5} [^\W\d_][^\W\d_]{2,}"
)
_DIGIT_WORD = re.compile(r"\d")
_WORDS = re.compile(r"[^\W_]+")
#: Style properties that make HTML look designed (not just hide a preheader).
_STYLE_WORDS = ("color", "background", "font", "padding", "border", "margin", "width")
_STYLE_ATTRIBUTES = ("bgcolor", "background", "color", "background-color", "font-family",
                     "face", "text-color", "border-radius", "inner-background-color")
#: How close (in words) a street word must stand to a number to count as an address.
_ADDRESS_REACH = 4
#: The template engines' CSS inliners (Twig's ``inline_css``, Jinja/Django ``inline_css``).
_INLINER = "inline_css"
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _pack_phrases(packs: Iterable[Pack], name: str) -> list[tuple[str, ...]]:
    words: list[str] = []
    for pack in packs:
        words.extend(pack.words(name))
    return word_sequences(words)


def _squash(text: str) -> str:
    return "".join(_WORDS.findall(fold(text)))


def _has_styling(draft: Draft) -> bool:
    doc = draft.html_doc
    if doc is None:
        return False
    for sheet in doc.find_all("style"):
        if doc.text_of(sheet).strip():
            return True
    # a template styled at build time: a linked stylesheet (inlined by the build, as
    # Grunt's inlinecss does) or the engine's CSS inliner (Twig's ``inline_css``)
    for link in doc.find_all("link"):
        if "stylesheet" in (link.attrs.get("rel") or "").lower():
            return True
    if any(_INLINER in tag.text for tag in draft.template_tags):
        return True
    for element in doc.elements:
        attrs = element.attrs
        style = attrs.get("style")
        if isinstance(style, str) and any(w in style.lower() for w in _STYLE_WORDS):
            return True
        if any(a in attrs for a in _STYLE_ATTRIBUTES) and element.name != "img":
            return True
    return False


def _brand_labels(draft: Draft) -> list[str]:
    """Names the brand probably goes by: the sender's domain label and display name."""
    labels: list[str] = []
    sender = draft.sender
    if sender is not None and not has_template_syntax(sender.address):
        label = brand_label(domain_of(sender.address))
        if len(label) >= 3:
            labels.append(_squash(label))
    return labels


def _has_logo(draft: Draft) -> bool:
    """An image that is a logo: says so (src/alt/class), carries the brand's name, or
    stands before the first words of the body (a header image)."""
    labels = _brand_labels(draft)
    first_text = next((o for o in draft.prose.origins if o >= 0), None)
    for image, _el in images(draft):
        if image.is_pixel:
            continue
        squashed = _squash(image.text)
        if "logo" in image.text or any(label in squashed for label in labels):
            return True
        if image.span is not None and (first_text is None or image.span.start < first_text):
            return True
    doc = draft.html_doc
    return doc is not None and doc.find("svg") is not None


def _footer_identity(draft: Draft, packs: list[Pack]) -> bool:
    """The footer names the company (its name, a legal form, ©) or gives a postal address."""
    footer = footer_text(draft)
    if not footer.strip():
        return False
    if "©" in footer or _POSTCODE.search(footer):
        return True
    words = _WORDS.findall(fold(footer))
    if contains_words(words, _pack_phrases(packs, LEGAL_FORMS)):
        return True
    for i in contains_words(words, _pack_phrases(packs, ADDRESS_WORDS)):
        near = words[max(0, i - _ADDRESS_REACH) : i + _ADDRESS_REACH + 1]
        if any(_DIGIT_WORD.search(w) for w in near):
            return True
    squashed = _squash(footer)
    names = _brand_labels(draft)
    for image, _el in images(draft):
        if image.alt and len(_squash(image.alt)) >= 3:
            names.append(_squash(image.alt))
    return any(name in squashed for name in names)


def _top(draft: Draft) -> Span | None:
    """Where a finding about the whole look points: the <body> tag, else the file's top."""
    doc = draft.html_doc
    body = doc.find("body") if doc is not None else None
    if body is not None:
        return element_span(draft, body)
    return None


def _colours(draft: Draft) -> set[str]:
    found: set[str] = set()
    for m in _HEX.finditer(draft.html or ""):
        value = m.group(0).lower()
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        found.add(value)
    return found


def _norm_colour(value: str) -> str:
    value = value.lower()
    if len(value) == 4:
        return "#" + "".join(c * 2 for c in value[1:])
    return value[:7]


class UnbrandedTemplate(Rule):
    code = "AL701"
    slug = "unbranded-template"
    family = "template"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "The draft does not look like the brand's usual mail: plain text only, or HTML "
        "missing two of: a logo image, styling, the company's name or postal address in "
        "the footer. With a [brand] profile in config, each missing marker (logo source, "
        "footer text, colours, name, domain) is named."
    )
    rationale = (
        "Readers judge an unexpected mail by its look before they read a word: an apology "
        "in plain text or bare HTML, without the logo and the footer they know, looks like "
        "phishing, which is the last thing a company that just made a mistake needs. "
        "Send it in the brand's usual template. Without configuration the rule looks for "
        "a logo, styling and a footer naming the company or its postal address; a "
        "[brand] profile makes the check exact."
    )
    options = (
        Option("brand.logo", None, "a substring or glob (*logo*.png) that the logo's src "
               "must match"),
        Option("brand.footer", [], "texts the mail must contain (company name, address)"),
        Option("brand.colors", [], "hex colours; at least one must appear in the HTML"),
        Option("brand.name", None, "the brand's name; it must appear in the text or the "
               "logo's alt"),
        Option("brand.domain", None, "the brand's domain; some link, image or the sender "
               "must be on it"),
    )
    vocabulary = (ADDRESS_WORDS, LEGAL_FORMS)
    fail_examples = (
        Example("en", "Subject: Please disregard our previous email\n"
                "From: Brightmoor Gym <members@brightmoorgym.com>\n\n"
                "Hello,\n\nWe're sorry: yesterday's email about closing Eastfield was meant "
                "for Eastfield members only. Your club is not affected.\n",
                note="plain text only: no logo, no colours, nothing the reader recognises"),
        Example("pl", "<html lang=\"pl\"><head><title>Awaria aplikacji 7 maja</title></head>"
                "<body><p>Przepraszamy: 7 maja aplikacja nie działała.</p>"
                "<p>Zespół Parkomat</p></body></html>\n", format="html"),
    )
    pass_examples = (
        Example("en", "<html><head><title>Sorry: Kitebox was down on Saturday</title></head>"
                "<body style=\"background:#f4f4f1\">\n"
                "<img src=\"https://kitebox.tv/mail/logo.png\" alt=\"Kitebox\">\n"
                "<p>We're sorry: Kitebox was down on Saturday evening.</p>\n"
                "<p>Kitebox GmbH, Schanzenstraße 21, 20357 Hamburg</p></body></html>\n",
                format="html"),
        Example("pl", "<html lang=\"pl\"><head><title>Awaria aplikacji 7 maja</title></head>"
                "<body style=\"font-family:Arial\">\n"
                "<img src=\"https://parkomat.pl/logo.png\" alt=\"Parkomat\">\n"
                "<p>Przepraszamy: 7 maja aplikacja nie działała.</p>\n"
                "<p>Parkomat sp. z o.o., al. Jerozolimskie 200, 02-486 Warszawa</p>"
                "</body></html>\n", format="html"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        if draft.unseen_layout:
            raise NotChecked(draft.unseen_layout)
        brand = ctx.settings.brand
        if brand is not None and any(
            (brand.logo, brand.footer, brand.colors, brand.name, brand.domain)
        ):
            yield from self._profile(ctx, brand)
            return
        if draft.html_doc is None:
            yield Finding(
                "plain text only: no logo, colours or footer the reader recognises, so "
                "the apology looks like phishing",
                suggestion="send it in the brand's usual HTML template (logo, colours, "
                "footer with the company's name and address)",
            )
            return
        packs = list(ctx.packs.values())
        missing = []
        if not _has_logo(draft):
            missing.append("no logo image")
        if not _has_styling(draft):
            missing.append("no styling (colours, fonts)")
        if not _footer_identity(draft, packs):
            missing.append("no company name or postal address in the footer")
        if len(missing) >= 2:
            yield Finding(
                "the HTML does not look like the brand's mail: " + ", ".join(missing),
                span=_top(draft),
                suggestion="send it in the brand's usual template: logo at the top, brand "
                "colours, a footer with the company's name and postal address",
            )

    def _profile(self, ctx: Context, brand: Brand) -> Iterator[Finding]:
        """Each configured marker that the draft lacks, named."""
        draft = ctx.draft
        top = _top(draft)
        if draft.html_doc is None and (brand.logo or brand.colors):
            yield Finding(
                "plain text only: the brand's logo and colours cannot show",
                suggestion="send it in the brand's HTML template",
            )
        elif draft.html_doc is not None:
            if brand.logo and not any(
                matches_logo(image.src, brand.logo) for image, _el in images(draft)
            ):
                yield Finding(
                    f"no logo image from {brand.logo!r} (config brand.logo)",
                    span=top,
                    suggestion="put the brand's logo at the top of the mail",
                )
            if brand.colors:
                present = _colours(draft)
                if not any(_norm_colour(c) in present for c in brand.colors):
                    yield Finding(
                        "none of the brand's colours (" + ", ".join(brand.colors)
                        + ") appears in the HTML",
                        span=top,
                        suggestion="use the brand's template and colours",
                    )
        text = _squash(draft.prose.text)
        paragraphs = draft.prose.paragraphs()
        footer_at = draft.extra.get("footer_start")
        if not isinstance(footer_at, int):
            footer_at = paragraphs[-1][0] if paragraphs else 0
        for required in brand.footer:
            if _squash(required) and _squash(required) not in text:
                yield Finding(
                    f"the footer text {required!r} (config brand.footer) is missing",
                    span=ctx.body_span(footer_at, footer_at + 1) or top,
                    suggestion="use the brand's usual footer",
                )
        if brand.name:
            alts = " ".join(i.alt or "" for i, _el in images(draft))
            if _squash(brand.name) not in _squash(" ".join((draft.prose.text, alts))):
                yield Finding(
                    f"the brand name {brand.name!r} appears nowhere in the mail",
                    span=top,
                    suggestion="name the brand (in the footer and the logo's alt text)",
                )
        if brand.domain:
            yield from self._domain(draft, brand.domain, top)

    def _domain(self, draft: Draft, domain: str, top: Span | None) -> Iterator[Finding]:
        expected = registrable_domain(domain.split("://")[-1].split("/")[0])
        hosts: list[str] = []
        if draft.sender is not None:
            hosts.append(domain_of(draft.sender.address))
        for link in draft_links(draft):
            hosts.append(link.url.split("://", 1)[-1].split("/", 1)[0].split(":")[0])
        for image, _el in images(draft):
            hosts.append(image.src.split("://", 1)[-1].split("/", 1)[0])
        label = brand_label(expected)
        if not any(
            h and (registrable_domain(h) == expected or brand_label(h) == label) for h in hosts
        ):
            yield Finding(
                f"nothing in the mail comes from the brand's domain {expected}: no link, "
                "image or sender address there",
                span=top,
                suggestion=f"link to and host images on {expected}",
            )
