"""AL303 buried-apology."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .apology import (
    APOLOGIES,
    GREETINGS,
    analyse,
    content_paragraphs,
    pack_message,
    real_apologies,
    words_between,
)
from .base import Example, Finding, Option, Rule

_NEWS = (
    "Five years ago we opened our first shop on Mill Street with two bakers and one oven. "
    "Today we bake for four shops and a market stall, and our team has grown to twenty. "
    "This spring we started working with two new farms, we moved our packing into a bigger "
    "room and we finally replaced the plastic trays with paper ones you can compost at home. "
    "Many of you asked for a smaller loaf, and from June you will find one on every shelf."
)
_NEWS_PL = (
    "Pięć lat temu otworzyliśmy pierwszą piekarnię przy ulicy Młyńskiej, z dwoma piekarzami "
    "i jednym piecem. Dziś pieczemy dla czterech sklepów i stoiska na targu, a nasz zespół "
    "liczy dwadzieścia osób. Tej wiosny zaczęliśmy współpracę z dwoma nowymi gospodarstwami, "
    "przenieśliśmy pakowanie do większej sali i wreszcie zastąpiliśmy plastikowe tacki "
    "papierowymi, które można kompostować w domu. Wielu z Was prosiło o mniejszy bochenek – "
    "od czerwca będzie na każdej półce, a w soboty także w wersji razowej i orkiszowej."
)


ADVICE = "buried-apology.advice"


class BuriedApology(Rule):
    code = "AL303"
    slug = "buried-apology"
    family = "apology"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "More than 80 words (configurable: buried-apology-words) of body stand before the "
        "sentence that holds the first real apology, the greeting not counted: the point is "
        "hidden. With only hedged apologies (\"sorry for any inconvenience\") there is no "
        "real one to bury, and this rule is silent."
    )
    rationale = (
        "Readers decide in the first lines whether a mail matters to them. An apology that "
        "comes after company news or a long story reads as an afterthought, and many readers "
        "never reach it. Put the apology and what happened first; the rest can follow. An "
        "apology in the subject line counts as up front. A draft with no real apology at all "
        "is reported by missing-apology (AL301) or non-apology (AL302), not here."
    )
    vocabulary = (APOLOGIES, GREETINGS, ADVICE)
    uses_language = True
    options = (
        Option("buried-apology-words", 80,
               "Words of body (greeting excluded) allowed before the first apology."),
    )
    fail_examples = (
        Example("en", "Subject: A note from our bakery\nFrom: Ana <ana@millbakery.com>\n\n"
                f"Hello everyone,\n\n{_NEWS}\n\nLast Tuesday we charged some of you twice. "
                "We're sorry. The refunds are on their way.\n"),
        Example("pl", "Subject: Kilka słów od piekarni\nFrom: Ana <ana@piekarniamlyn.pl>\n\n"
                f"Dzień dobry,\n\n{_NEWS_PL}\n\nW zeszły wtorek pobraliśmy od części z Was "
                "opłatę dwa razy. Przepraszamy. Zwroty są w drodze.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Ana <ana@millbakery.com>\n\n"
                "Hello everyone,\n\nWe're sorry: last Tuesday we charged some of you twice. "
                f"The refunds are on their way.\n\n{_NEWS}\n"),
        Example("pl", "Subject: Pobraliśmy opłatę dwa razy\nFrom: Ana <ana@piekarniamlyn.pl>\n\n"
                "Dzień dobry,\n\nprzepraszamy – w zeszły wtorek pobraliśmy od części z Was "
                f"opłatę dwa razy. Zwroty są w drodze.\n\n{_NEWS_PL}\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if real_apologies(ctx, "subject"):
            return  # the apology is the first thing the reader sees
        body = real_apologies(ctx, "body")
        if not body:
            return  # no apology at all: AL301 / AL302
        first = body[0]
        paragraphs = content_paragraphs(ctx)
        if not paragraphs:
            return
        start = paragraphs[0][0]
        if first.start < start:
            return
        # the words before the sentence that holds it (the catalog's decision from real
        # mail): "We have reviewed ... and we apologise" is not buried by its own opening
        words = words_between(ctx, start, max(start, analyse(ctx).body.sentence_start(first.start)))
        limit = ctx.settings.buried_apology_words
        if words <= limit:
            return
        index = next(
            (i + 1 for i, (s, e) in enumerate(paragraphs) if s <= first.start < e + 2),
            len(paragraphs),
        )
        shown = ctx.body.text[first.start : first.end]
        yield Finding(
            f"the first apology (\u201c{shown}\u201d) is in paragraph {index}, after {words} "
            f"words (limit {limit}): readers may never reach it",
            span=ctx.body_span(first.start, first.end),
            suggestion=pack_message(ctx, ADVICE),
        )
