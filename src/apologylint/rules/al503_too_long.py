"""AL503 too-long: the body's prose is longer than the configured word limit."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import islice
from operator import attrgetter

from ..context import Context
from ..model import Severity
from ..readability import body_end, quote_test, quoted_line_starts
from .base import Example, Finding, Option, Rule

_token_start = attrgetter("start")


class TooLong(Rule):
    code = "AL503"
    slug = "too-long"
    family = "clarity"
    severity = Severity.WARNING
    summary = (
        "The body's prose, footer (signature separator, unsubscribe/address block), quoted "
        "lines and template tags excluded, is longer than max-words (250; breach notices: "
        "max-words-breach, 600)."
    )
    rationale = (
        "An apology is read on a phone, once. Every paragraph of company news, thanks and "
        "background pushes the sorry and the one thing the reader must do further down, "
        "and most readers stop before they get there. Say what happened, that you are "
        "sorry, what you did and what they should do — then stop. Breach notices carry "
        "legal content, so their limit is higher."
    )
    options = (
        Option("max-words", 250, "word limit for the body's prose"),
        Option("max-words-breach", 600, "word limit when the incident is a breach"),
    )
    vocabulary = ("too-long.footer",)
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: We charged you twice\nFrom: Daniel <daniel@bramble.example>\n\n"
            + "We are sorry: we charged you twice for April, and we have refunded you. " * 20,
            note="280 words",
        ),
        Example(
            "pl",
            "Subject: Podwójne obciążenie karty\nFrom: Anna <pomoc@sklep.example>\n\n"
            + "Przepraszamy: obciążyliśmy Twoją kartę dwa razy, a pieniądze już wróciły. "
            * 30,
            note="300 słów",
        ),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice\nFrom: Daniel <daniel@bramble.example>\n\n"
                "We're sorry: we charged you twice for April. The refund is on its way.\n"),
        Example("pl", "Subject: Podwójne obciążenie karty\nFrom: Anna <pomoc@sklep.example>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Zwrot jest już w drodze.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        breach = ctx.incident == "breach"
        limit = ctx.settings.max_words_breach if breach else ctx.settings.max_words
        end = body_end(ctx)
        tokens = ctx.body.tokens
        # the words before the footer, counted by bisection; only a draft that quotes an
        # earlier message has words to test one by one (measured: a Python test of
        # every word was most of the rule's time). Counted, not copied: a copy of a long
        # draft's words was its largest list (issue 14)
        before_end = bisect_left(tokens, end, key=_token_start)
        count = before_end
        if count <= limit:
            return
        crossing = tokens[limit]
        if quoted_line_starts(ctx.draft.prose.text):
            is_quoted = quote_test(ctx.draft.prose.text)
            count = 0
            for token in islice(tokens, before_end):
                if not is_quoted(token.start):
                    if count == limit:
                        crossing = token
                    count += 1
            if count <= limit:
                return
        kind = " for a breach notice" if breach else ""
        yield Finding(
            f"the body is {count} words long, over the limit of {limit}{kind} "
            f"(word {limit + 1} is here): readers stop before the point",
            ctx.body_span(crossing.start, crossing.end),
            "cut background and company news; keep what happened, the apology, what you "
            "did and what the reader should do",
        )
