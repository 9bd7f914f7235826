"""AL702 unrendered-placeholder."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..loaders.templating import find_template_tags
from ..model import TEMPLATE_MARK, Draft, Severity, Span
from .base import Example, Finding, Rule

#: Headers a recipient sees (the subject's tags are already among the draft's tags).
_SEEN_HEADERS = frozenset({"from", "to", "cc", "reply-to"})


def _prose_tags(draft: Draft, *, angle_only: bool) -> Iterator[tuple[str, Span]]:
    """Tags in the text the reader sees of an HTML body: ``&lt;FirstName&gt;`` and
    entity-escaped braces are placeholders once decoded (the raw scan cannot see them)."""
    if draft.html_doc is None:
        return
    prose = draft.prose
    text = prose.text
    if not any(c in text for c in "<[{*%$"):
        return
    for tag in find_template_tags(text, angle=True):
        if angle_only and tag.syntax != "angle":
            continue
        if TEMPLATE_MARK in text[tag.start : tag.end]:
            continue
        span = prose.source_span(tag.start, tag.end)
        if span is not None:
            yield text[tag.start : tag.end], span


class UnrenderedPlaceholder(Rule):
    code = "AL702"
    slug = "unrendered-placeholder"
    family = "template"
    severity = Severity.ERROR
    summary = (
        "A rendered draft (.eml, .mbox) still holds a merge tag of any syntax "
        "({{first_name}}, *|FNAME|*, %%FirstName%%, [FirstName], ${name}, -first_name-), "
        "or a hand-written placeholder such as \"Dear <FirstName>,\" / \"Dzień dobry "
        "<Imię>,\" (also escaped as &lt;FirstName&gt; in HTML), in the body or the "
        "headers. In templates only the hand-written <FirstName> kind counts: no sending "
        "platform fills it."
    )
    rationale = (
        "A raw merge tag in a sent mail is the very mistake people write apologies about; "
        "in the apology itself it tells every reader that nobody checked. A rendered "
        "message is what recipients get, so any tag left in it is a bug. In a template, "
        "ESP tags are fine (AL703 checks their fallbacks), but a hand-written placeholder "
        "like <FirstName> is no syntax any platform fills: it goes out as written."
    )
    fail_examples = (
        Example("en", "Subject: Sorry, {{first_name}}: your flowers are late\n"
                "From: Maplecrest <orders@maplecrest.com>\n\nHi *|FNAME|*,\n\n"
                "We're sorry: your bouquet will arrive one day late.\n", format="eml"),
        Example("pl", "Subject: Przepraszamy za opóźnienie\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "Dzień dobry <Imię>,\n\nprzepraszamy: paczka dotrze dzień później.\n",
                format="eml"),
    )
    pass_examples = (
        Example("en", "Subject: Sorry, Sam: your flowers are late\n"
                "From: Maplecrest <orders@maplecrest.com>\n\nHi Sam,\n\n"
                "We're sorry: your bouquet will arrive one day late.\n", format="eml"),
        Example("pl", "Subject: Przepraszamy za opóźnienie\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "Dzień dobry,\n\nprzepraszamy: paczka dotrze dzień później "
                "[zamówienie 4471].\n", format="eml"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        rendered = not draft.origin.is_template
        seen: set[tuple[int, str]] = set()
        found: list[tuple[str, Span | None]] = []
        for tag in draft.template_tags:
            if rendered or tag.syntax == "angle":
                found.append((tag.text, tag.span))
        found.extend(_prose_tags(draft, angle_only=not rendered))
        if rendered:
            for header in draft.headers:
                if header.name.lower() not in _SEEN_HEADERS or header.span is None:
                    continue
                for found_tag in find_template_tags(header.value, angle=False):
                    value = header.value[found_tag.start : found_tag.end]
                    found.append((value, header.span))
        found.sort(key=lambda item: item[1].start if item[1] else -1)
        for text, span in found:
            key = (span.start if span is not None else -1, text)
            if key in seen:
                continue
            seen.add(key)
            if rendered:
                message = (
                    f"{text} was never filled in: every recipient sees the raw merge tag"
                )
                suggestion = "fix the merge (or fill the value in) before sending"
            else:
                message = (
                    f"{text} is a hand-written placeholder no sending platform fills: "
                    "it goes out as written"
                )
                suggestion = "use your platform's merge tag with a default, or write the text"
            yield Finding(message, span=span, suggestion=suggestion)
