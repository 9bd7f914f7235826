"""AL402 exclamation-overuse: more than one "!" in the body, or "!!" anywhere in it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ..context import Context
from ..model import Severity
from ..readability import body_end, quote_test
from .base import Example, Finding, Rule

_BANG_WEIGHT = {"!": 1, "‼": 2, "⁉": 1, "❗": 1, "❕": 1, "！": 1}
_RUN_CHARS = frozenset(_BANG_WEIGHT) | {"?", "？", "❓"}
#: A maximal run of those characters (one class: linear).
_RUN = re.compile("[" + re.escape("".join(sorted(_RUN_CHARS))) + "]+")
#: A greeting's own "!" is excluded only when it closes the greeting within this many words.
_GREETING_WORDS = 6


class _Run(NamedTuple):
    start: int
    end: int
    bangs: int


def _runs(text: str, start: int, end: int) -> list[_Run]:
    """Runs of "!" (with any "?" mixed in: "?!" is one exclamation) in ``text[start:end]``."""
    runs: list[_Run] = []
    for found in _RUN.finditer(text, start, end):  # the scan in C, the weighing per run
        i, j = found.span()
        bangs = sum(_BANG_WEIGHT.get(ch, 0) for ch in found.group())
        # "#!/path" in a link and "!important" are not exclamations
        if bangs and not (i > 0 and text[i - 1] == "#"):
            runs.append(_Run(i, j, bangs))
    return runs


def greeting_bang(ctx: Context) -> int:
    """Offset of the "!" that closes the opening greeting ("Hi Anna!", "Szanowni
    Państwo!"), or -1. Letter convention, in Polish especially, not excitement."""
    greeting = next(
        (m for m in ctx.body.matches("exclamation-overuse.greetings") if m.first_token == 0),
        None,
    )
    if greeting is None:
        return -1
    text = ctx.body.text
    tokens = ctx.body.tokens
    i = greeting.end
    while i < len(text) and text[i] not in ".?,;:\n!":
        i += 1
    if i >= len(text) or text[i] != "!":
        return -1
    words = sum(1 for t in tokens[: _GREETING_WORDS + 1] if t.start < i)
    return i if words <= _GREETING_WORDS else -1


class ExclamationOveruse(Rule):
    code = "AL402"
    slug = "exclamation-overuse"
    family = "tone"
    severity = Severity.WARNING
    summary = (
        "More than one \"!\" in the body, or \"!!\" anywhere in it (the subject's \"!!\" is "
        "AL205). The \"!\" closing a greeting line (\"Szanowni Państwo!\", \"Hi Anna!\") "
        "is not counted. One finding per draft, at the mark that crosses the line."
    )
    rationale = (
        "Exclamation marks are the punctuation of promotions and good news. In an "
        "apology they read as excitement about something that went wrong, or as a sales "
        "email in disguise. One may slip through; more makes the tone wrong. A Polish "
        "letter's greeting traditionally ends with \"!\", so that one is left alone."
    )
    vocabulary = ("exclamation-overuse.greetings", "too-long.footer")
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Wrong link in our last email\n"
                "From: Sprocket <crew@sprocket.example>\n\n"
                "Sorry! The link was wrong. Here's the right one. See you soon!\n"),
        Example("pl", "Subject: Błędny kod rabatowy\nFrom: Forno <ciao@forno.example>\n\n"
                "Przepraszamy!! Kod rabatowy nie działał. Oto nowy kod.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Wrong link in our last email\n"
                "From: Sprocket <crew@sprocket.example>\n\n"
                "Hi Sam!\n\nWe're sorry: the link was wrong. Here's the right one.\n"),
        Example("pl", "Subject: Błędny kod rabatowy\nFrom: Forno <ciao@forno.example>\n\n"
                "Szanowni Państwo!\n\nPrzepraszamy: kod rabatowy nie działał. Oto nowy kod.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = ctx.draft.prose.text
        end = body_end(ctx)
        if all(text.find(bang, 0, end) == -1 for bang in _BANG_WEIGHT):
            return  # no exclamation mark at all: a few C-level searches, no regex scan
        skip = greeting_bang(ctx)
        is_quoted = quote_test(text)
        runs = [
            r
            for r in _runs(text, 0, end)
            if not (r.start == skip and r.bangs == 1) and not is_quoted(r.start)
        ]
        total = sum(r.bangs for r in runs)
        if total < 2:
            return
        seen = 0
        at: _Run | None = None
        for run in runs:
            seen += run.bangs
            if run.bangs >= 2 or seen >= 2:
                at = run
                break
        assert at is not None
        doubled = [r for r in runs if r.bangs >= 2]
        if at.bangs >= 2:
            shown = text[at.start : at.end]
            message = (
                f"{shown!r} in the body ({total} exclamation marks in all): it reads as "
                "excitement, not as an apology"
            )
            span = ctx.body_span(at.start, at.end)
        else:
            extra = f", {len(doubled)} of them doubled" if doubled else ""
            message = (
                f"{total} exclamation marks in the body{extra}: an apology that exclaims "
                "sounds like a promotion, not like you are sorry"
            )
            bang = at.start + next(
                (k for k, c in enumerate(text[at.start : at.end]) if c in _BANG_WEIGHT), 0
            )
            span = ctx.body_span(bang, bang + 1)
        yield Finding(
            message,
            span,
            "end the sentences with full stops; keep at most one \"!\", if any",
        )
