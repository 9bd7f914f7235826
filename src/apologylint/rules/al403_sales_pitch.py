"""AL403 sales-pitch: promotional calls to action dominate the apology."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import compress, islice
from operator import attrgetter
from typing import NamedTuple

from ..context import Context
from ..language import sentence_numbers, word_set, words
from ..model import Severity
from ..readability import body_end
from .base import Example, Finding, Option, Rule

_token_start = attrgetter("start")

#: At least this many promotional phrases ...
MIN_PHRASES = 2
#: ... in sentences that hold at least this share of the body's words.
MIN_SHARE = 0.3
#: Characters that separate button and link labels on one line ("Shop A | Shop B").
_LABEL_SEPARATORS = frozenset("|•·/")


class _Hit(NamedTuple):
    start: int
    end: int
    first_token: int


def _sentence_ids(ctx: Context) -> list[int]:
    """Sentence number of each body token (a break is . ! ? ; : or a line end); words
    before the first break belong to sentence 0 as well. The body's shared numbering
    (:func:`~apologylint.language.sentence_numbers`), copied only when words stand
    before the first break (it never changes)."""
    ids = sentence_numbers(ctx.body)
    before_first = bisect.bisect_left(ids, 0)  # the numbers never decrease
    if before_first:
        ids = [0] * before_first + ids[before_first:]
    return ids


def promo_hits(ctx: Context, end: int) -> list[_Hit]:
    """Promotional phrases before ``end``: calls to action always, discount mechanics only
    outside paragraphs that offer them as compensation."""
    body = ctx.body
    text = body.text
    tokens = body.tokens
    comp_paragraphs: set[int] = set()
    starts = [start for start, _ in ctx.draft.prose.paragraphs()]

    def paragraph_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    for match in body.matches("sales-pitch.compensation"):
        comp_paragraphs.add(paragraph_of(match.start))
    hits: list[_Hit] = [
        _Hit(m.start, m.end, m.first_token) for m in body.matches("sales-pitch.promo")
    ]
    for match in body.matches("sales-pitch.offer"):
        if paragraph_of(match.start) not in comp_paragraphs:
            hits.append(_Hit(match.start, match.end, match.first_token))
    leads = ctx.pack.folded_words("sales-pitch.leads") if ctx.pack else frozenset()
    percent_words = ctx.pack.folded_words("sales-pitch.percent") if ctx.pack else frozenset()
    # only the words that are a lead or a percent word are visited, in token order (a
    # Python loop over every word was most of the rule's time)
    triggers = leads | percent_words
    candidates: Iterable[int] = ()
    if not triggers.isdisjoint(word_set(body)):
        before_end = bisect.bisect_left(tokens, end, key=_token_start)
        in_triggers = map(triggers.__contains__, islice(words(body), before_end))
        candidates = compress(range(before_end), in_triggers)
    for index in candidates:
        token = tokens[index]
        if token.text in leads and index + 1 < len(tokens) and not tokens[index + 1].brk:
            gap = text[tokens[index - 1].end : token.start] if index else ""
            # a sentence start, or a button/link label after "|" or "·"
            if token.brk or any(c in _LABEL_SEPARATORS for c in gap):
                hits.append(_Hit(token.start, tokens[index + 1].end, index))
        if token.text in percent_words and index > 0:
            gap = text[tokens[index - 1].end : token.start]
            if "%" in gap and len(gap) <= 3 and paragraph_of(token.start) not in comp_paragraphs:
                hits.append(_Hit(tokens[index - 1].start, token.end, index - 1))
    hits = [h for h in hits if h.start < end]
    hits.sort(key=lambda h: (h.start, -h.end))
    merged: list[_Hit] = []
    for hit in hits:
        if merged and hit.start < merged[-1].end:
            continue
        merged.append(hit)
    return merged


class SalesPitch(Rule):
    code = "AL403"
    slug = "sales-pitch"
    family = "tone"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "Promotional calls to action dominate the apology: at least 2 phrases such as "
        "\"Shop now\", \"Don't miss out\", \"limited time\", \"kup teraz\", \"nie przegap\", "
        "in sentences holding at least 30% of the body's words. A code or discount offered "
        "as compensation (\"as an apology, 20% off\", \"w ramach przeprosin\") is fine."
    )
    rationale = (
        "An apology that turns into a sale tells the reader the mistake is an excuse to "
        "sell to them. A compensation offered to the people who were affected is part of "
        "making it right; a campaign stapled under two lines of sorry is not. One "
        "\"P.S. our sale ends Sunday\" under a full apology does not dominate it; "
        "several calls to action taking a third of the mail do."
    )
    vocabulary = (
        "sales-pitch.promo",
        "sales-pitch.offer",
        "sales-pitch.leads",
        "sales-pitch.percent",
        "sales-pitch.compensation",
        "too-long.footer",
    )
    options = (
        Option("min-phrases", MIN_PHRASES, "promotional phrases needed (fixed for now)"),
        Option("min-share", MIN_SHARE, "share of the body's words in promotional sentences"),
    )
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Sorry your headphones are late\n"
                "From: Nimbus <orders@nimbus.example>\n\n"
                "We're sorry your headphones are late. They ship on Thursday.\n\n"
                "While you wait, don't miss out on our biggest sale of the year: 40% off "
                "every speaker. Limited time only, shop now!\n"),
        Example("pl", "Subject: Przepraszamy za opóźnienie\nFrom: Sklep <pomoc@sklep.example>\n\n"
                "Przepraszamy, Twoja paczka się spóźni. Wyślemy ją w czwartek.\n\n"
                "A tymczasem nie przegap wielkiej wyprzedaży! Kup teraz, oferta ograniczona "
                "czasowo.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Sorry your headphones are late\n"
                "From: Nimbus <orders@nimbus.example>\n\n"
                "We're sorry your headphones are late. They ship on Thursday. As an apology, "
                "here is 20% off your next order: use code SORRY20.\n"),
        Example("pl", "Subject: Przepraszamy za opóźnienie\nFrom: Sklep <pomoc@sklep.example>\n\n"
                "Przepraszamy, Twoja paczka się spóźni. W ramach przeprosin mamy dla Ciebie "
                "kod rabatowy PRZEPRASZAMY20 na 20% zniżki.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        end = body_end(ctx)
        hits = promo_hits(ctx, end)
        if len(hits) < MIN_PHRASES:
            return
        ids = _sentence_ids(ctx)
        total = bisect.bisect_left(ctx.body.tokens, end, key=_token_start)  # words before end
        words_per_sentence = Counter(islice(ids, total))
        promo_sentences = {ids[h.first_token] for h in hits}
        promo_words = sum(words_per_sentence.get(s, 0) for s in promo_sentences)
        if total == 0 or promo_words < MIN_SHARE * total:
            return
        first = hits[0]
        shown = ctx.body.text[first.start : first.end]
        share = round(100 * promo_words / total)
        yield Finding(
            f"{len(hits)} promotional calls to action (first: {shown!r}) fill {share}% of "
            "the body: the apology reads as a sales email",
            ctx.body_span(first.start, first.end),
            "cut the promotion, or send it separately later; keep only a compensation "
            "offered to the people affected",
        )
