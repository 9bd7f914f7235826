"""AL001 unused-suppression (reported by the engine's suppression pass)."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, Rule


class UnusedSuppression(Rule):
    code = "AL001"
    slug = "unused-suppression"
    family = "suppression"
    severity = Severity.WARNING
    summary = (
        "An inline suppression comment (<!-- apologylint: disable=... -->, "
        "{# apologylint: ... #} ...) silences nothing, or names no rule."
    )
    rationale = (
        "A suppression that silences nothing hides the next real finding on those lines "
        "and tells the next reader that a problem was accepted which is no longer there. "
        "Remove it once the text is fixed, and spell rule names right. It is reported "
        "only when a rule it names actually ran on the draft: a rule ignored in config "
        "does not make its suppressions unused. See docs/templates.md for the comment "
        "forms."
    )
    fail_examples = (
        Example("en", "<html><head><title>Sorry: we charged you twice</title></head><body>\n"
                "<!-- apologylint: disable-next-line=jokey-tone -->\n"
                "<p>We're sorry: we charged you twice for March. The refund is on its "
                "way.</p></body></html>\n", format="html",
                note="nothing jokey on the next line: the comment is stale"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom: Anna <pomoc@sklep.pl>\n\n"
                "{# apologylint: disable=jokey-tonne #}\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy.\n",
                note="a misspelt rule name"),
    )
    pass_examples = (
        Example("en", "<html><head><title>Sorry: we charged you twice</title></head><body>\n"
                "<!-- apologylint: disable-next-line=jokey-tone -->\n"
                "<p>Whoops! We're sorry: we charged you twice for March. The refund is on "
                "its way.</p></body></html>\n", format="html"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom: Anna <pomoc@sklep.pl>\n\n"
                "{# apologylint: disable-next-line=jokey-tone #}\n"
                "Ups! Przepraszamy: obciążyliśmy Twoją kartę dwa razy.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        """Nothing here: which suppressions were used is known only after every rule ran,
        so :func:`apologylint.suppression.apply_suppressions` reports them."""
        return iter(())
