"""AL401 jokey-tone: humour in the body of an apology."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from ..readability import body_end, quotation_test, quote_test
from .base import Example, Finding, Rule
from .tone import HumourHit, find_humour

_SUGGESTIONS = {
    "words": "say plainly what went wrong and that you are sorry; leave the joke out",
    "flippant": "own the mistake instead of shrugging it off: say what you got wrong and "
    "what you have done about it",
    "emoji": "remove the emoji: to someone you let down it reads as laughing it off",
    "emoticon": "remove the emoticon: to someone you let down it reads as laughing it off",
    "aside": "remove the aside: a wink at the reader makes light of what went wrong",
}


def body_humour(ctx: Context) -> list[HumourHit]:
    """Humour markers in the body's prose; the footer, quoted lines of an earlier message
    and short quotations ("the subject line “Oops, you forgot something!”") excluded."""
    if ctx.pack is None:
        return []
    end = body_end(ctx)
    text = ctx.draft.prose.text
    is_quoted = quote_test(text)
    in_quotation = quotation_test(text)
    hits = find_humour(ctx.body, ctx.pack, ("jokey-tone",), any_emoji=False, limit=end)
    return [h for h in hits if not is_quoted(h.start) and not in_quotation(h.start)]


class JokeyTone(Rule):
    code = "AL401"
    slug = "jokey-tone"
    family = "tone"
    severity = Severity.ERROR
    summary = (
        "Humour in the body: oops/whoops, our bad, lol/haha, facepalm, gremlins, \"well, "
        "this is awkward\", laughing or face-palm emoji, :) ;) xD; Polish ups, ojej, "
        "chochliki, hehe, \"mała wpadka\", \"zdarza się najlepszym\"."
    )
    rationale = (
        "The people reading an apology were let down, and some were hurt or out of "
        "pocket. A joke tells them the sender finds it funny; it turns a sorry into a "
        "shrug and makes the next mistake easier to forgive for nobody. Say what "
        "happened, that you are sorry and what you did about it — in plain words. A "
        "sincere owning phrase (\"it was our mistake\", \"to był nasz błąd\") is not a "
        "joke and is never flagged; bare \"wpadka\" or \"gafa\" are neutral words, only "
        "their belittling forms (\"mała wpadka\", \"wpadeczka\") count. An ordinary word "
        "that could be a joke elsewhere (\"the payment failed\", \"crash\", \"bug\") never "
        "is; a hashtag (\"#fail\") is. An exclaimed aside (\"(great!)\", \"(not so "
        "great!)\") is found by its shape, not its words, and may be wry rather than a "
        "joke (\"(and fully authorized!)\"), and a shrug (\"these things happen\", \"zdarza "
        "się najlepszym\") makes light of it without joking: both are reported as warnings."
    )
    vocabulary = (
        "jokey-tone.humour",
        "jokey-tone.flippant",
        "jokey-tone.standalone",
        "jokey-tone.exclaimed",
        "jokey-tone.acronyms",
        "too-long.footer",
    )
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Wrong link in this morning's email\n"
                "From: Sprocket <crew@sprocket.example>\n\n"
                "Whoops! The link sent you to a page that doesn't exist. Our bad 😅\n"),
        Example("pl", "Subject: Błędny kod rabatowy\nFrom: Forno <ciao@forno.example>\n\n"
                "Ups, chochliki znowu namieszały w kodzie rabatowym. Przepraszamy.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Wrong link in this morning's email\n"
                "From: Sprocket <crew@sprocket.example>\n\n"
                "We're sorry: the link in this morning's email was wrong. It was our mistake. "
                "Here is the right one.\n"),
        Example("pl", "Subject: Błędny kod rabatowy\nFrom: Forno <ciao@forno.example>\n\n"
                "Przepraszamy: kod rabatowy z wczorajszego newslettera nie działał. To był nasz "
                "błąd. Nowy kod jest poniżej.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for hit in body_humour(ctx):
            if hit.kind == "flippant":
                message = f"{hit.describe()} makes light of the mistake instead of owning it"
            else:
                message = (
                    f"{hit.describe()} reads as a joke: to people you let down, humour "
                    "sounds like you are not taking it seriously"
                )
            # an exclaimed aside is found by its shape, not its words ("(and fully
            # authorized!)" may be wry), and a shrug ("these things happen") is no joke
            # but makes light: both warn, never block (real notices used both sincerely)
            severity = Severity.WARNING if hit.kind in ("aside", "flippant") else None
            yield Finding(
                message,
                ctx.body_span(hit.start, hit.end),
                _SUGGESTIONS[hit.kind],
                severity=severity,
            )
