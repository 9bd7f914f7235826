"""AL705 image-without-alt."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, Rule
from .templates import images


class ImageWithoutAlt(Rule):
    code = "AL705"
    slug = "image-without-alt"
    family = "template"
    severity = Severity.WARNING
    summary = (
        "An <img> (or MJML <mj-image>) has no alt attribute. Tracking pixels (1x1, "
        "hidden) are left out; alt=\"\" marks a decorative image and is fine."
    )
    rationale = (
        "Many mail clients block images until the reader allows them, and screen readers "
        "read the alt text aloud: an image without alt shows as an empty box or its file "
        "name. In an apology the logo is what tells the reader who is writing, so give "
        "every image a short alt text (alt=\"\" for pure decoration)."
    )
    fail_examples = (
        Example("en", '<html><head><title>Sorry: wrong film times</title></head><body>\n'
                '<img src="https://quayside.com/mail/logo.png" width="160">\n'
                "<p>We're sorry: the film times we sent were wrong.</p></body></html>\n",
                format="html"),
        Example("pl", '<html lang="pl"><head><title>Przepraszamy za opóźnienie</title></head>'
                '<body>\n<img src="https://akapit.pl/logo.png">\n'
                "<p>Przepraszamy: książka dotrze tydzień później.</p></body></html>\n",
                format="html"),
    )
    pass_examples = (
        Example("en", '<html><head><title>Sorry: wrong film times</title></head><body>\n'
                '<img src="https://quayside.com/mail/logo.png" alt="Quayside Cinemas">\n'
                "<p>We're sorry: the film times we sent were wrong.</p>\n"
                '<img src="https://quayside.com/t.gif" width="1" height="1"></body></html>\n',
                format="html"),
        Example("pl", '<html lang="pl"><head><title>Przepraszamy za opóźnienie</title></head>'
                '<body>\n<img src="https://akapit.pl/logo.png" alt="Księgarnia Akapit">\n'
                '<img src="https://akapit.pl/linia.png" alt="">\n'
                "<p>Przepraszamy: książka dotrze tydzień później.</p></body></html>\n",
                format="html"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for image, _element in images(ctx.draft):
            if image.alt is not None or image.is_pixel:
                continue
            name = image.src.rstrip("/").rsplit("/", 1)[-1] or "an image"
            if len(name) > 60:
                name = name[:57] + "..."
            yield Finding(
                f"the image {name!r} has no alt text: where images are blocked (many "
                "clients do it by default) or read aloud, the reader gets nothing",
                span=image.span,
                suggestion='add alt="..." saying what it shows (the logo: the brand name), '
                'or alt="" if it is pure decoration',
            )
