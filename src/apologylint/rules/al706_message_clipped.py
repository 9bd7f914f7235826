"""AL706 message-clipped."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..loaders.html import html_offset_to_source
from ..model import Severity, Span
from .base import Example, Finding, Option, Rule

#: Gmail clips a message whose HTML is larger than 102 KB and hides the rest behind
#: "[Message clipped] View entire message" (config ``max-html-kb``).
KB = 1024


def _clip_offset(html: str, limit: int) -> int:
    """Character offset in ``html`` where its UTF-8 size passes ``limit`` bytes."""
    data = html.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return len(html)
    return len(data[:limit].decode("utf-8", "ignore"))


class MessageClipped(Rule):
    code = "AL706"
    slug = "message-clipped"
    family = "template"
    severity = Severity.WARNING
    summary = (
        "The HTML body is larger than 102 KB: Gmail clips it and hides the rest behind "
        "\"View entire message\". The finding points at where the cut falls."
    )
    rationale = (
        "Whatever comes after Gmail's cut (often the contact details, the steps to take "
        "and the unsubscribe link) is never seen by most readers. An apology should be "
        "short anyway: trim inline CSS, comments and hidden blocks until the HTML is well "
        "under 102 KB. For an .mjml template the size of the MJML source is checked; the "
        "compiled HTML is larger still."
    )
    options = (
        Option("max-html-kb", 102, "largest HTML body in KB; set it lower to keep a margin "
               "for the tracking and CSS your ESP adds when it sends"),
    )
    # The examples set a 1 KB limit: a 102 KB example would not fit on the docs page.
    fail_examples = (
        Example("en", "<html><head><title>Sorry: we charged you twice</title></head><body>"
                "<p>We're sorry: we charged you twice for March.</p>\n"
                + "<p>Your refund is on its way and will reach you within five days.</p>\n" * 20
                + "</body></html>\n", format="html",
                options=(("max-html-kb", 1),)),  # type: ignore[arg-type]
        Example("pl", "<html lang=\"pl\"><head><title>Przepraszamy za podwójne obciążenie"
                "</title></head><body><p>Przepraszamy: obciążyliśmy kartę dwa razy.</p>\n"
                + "<p>Zwrot pieniędzy jest w drodze i dotrze w ciągu pięciu dni.</p>\n" * 20
                + "</body></html>\n", format="html",
                options=(("max-html-kb", 1),)),  # type: ignore[arg-type]
    )
    pass_examples = (
        Example("en", "<html><head><title>Sorry: we charged you twice</title></head><body>"
                "<p>We're sorry: we charged you twice for March.</p></body></html>\n",
                format="html", options=(("max-html-kb", 1),)),  # type: ignore[arg-type]
        Example("pl", "<html lang=\"pl\"><head><title>Przepraszamy za podwójne obciążenie"
                "</title></head><body><p>Przepraszamy: obciążyliśmy kartę dwa razy.</p>"
                "</body></html>\n", format="html"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        draft = ctx.draft
        html = draft.html
        limit_kb = ctx.settings.max_html_kb
        if html is None or draft.html_size <= limit_kb * KB:
            return
        at = html_offset_to_source(draft, _clip_offset(html, limit_kb * KB))
        size = draft.html_size / KB
        what = "MJML source" if draft.origin.kind == "mjml" else "HTML"
        yield Finding(
            f"the {what} is {size:.1f} KB, over the {limit_kb} KB limit (Gmail clips at "
            "102 KB): the message is cut here and the rest hidden",
            span=Span(at, at + 1),
            suggestion="trim inline CSS, comments and hidden blocks until the HTML is well "
            "under 102 KB",
        )
