"""AL504 hard-to-read: readability worse than the configured limit for the language."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from ..readability import (
    MEASURES,
    MIN_WORDS,
    body_end,
    prepare,
    quoted_line_starts,
    score_prepared,
)
from .base import Example, Finding, NotChecked, Option, Rule

#: Paragraphs shorter than this are not candidates for "the hardest paragraph".
_MIN_PARAGRAPH_WORDS = 15

_LANGUAGE_NAMES = {"en": "English", "pl": "Polish"}


class HardToRead(Rule):
    code = "AL504"
    slug = "hard-to-read"
    family = "clarity"
    severity = Severity.WARNING
    summary = (
        "Readability worse than the limit for the language (config readability): English "
        "Flesch-Kincaid grade above 9; Polish FOG-PL above 13 (docs/readability.md). "
        "Bodies under 40 words are not measured."
    )
    rationale = (
        "Apologies go to everyone, including people reading in a second language, on a "
        "phone, upset. Long sentences and long abstract words (\"in connection with the "
        "occurrence of an irregularity\") hide what happened and sound like a legal "
        "department. Scores are computed offline with textstat's counting: English "
        "Flesch-Kincaid grade with Pyphen syllables (never NLTK's downloaded corpus), "
        "Polish Gunning fog with hard words of four or more syllables (FOG-PL, as "
        "Pisarek and Jasnopis use it), calibrated on plain versus officialese Polish."
    )
    options = (
        Option("readability", {"en": 9.0, "pl": 13.0},
               "highest acceptable score per language (higher is harder)"),
    )
    uses_language = True
    vocabulary = ("too-long.footer",)
    fail_examples = (
        Example(
            "en",
            "Subject: Update regarding your account\nFrom: Acme <help@acme.example>\n\n"
            "We would like to sincerely apologize for any inconvenience that may have been "
            "experienced as a consequence of the unanticipated operational irregularities "
            "affecting the synchronization of subscription information between our "
            "administrative platforms, which regrettably resulted in duplicated financial "
            "transactions being processed on a limited number of customer accounts during "
            "the aforementioned maintenance period, notwithstanding our comprehensive "
            "verification procedures.\n",
        ),
        Example(
            "pl",
            "Subject: Informacja dotycząca rozliczeń\nFrom: Sklep <pomoc@sklep.example>\n\n"
            "Uprzejmie informujemy, iż w związku z wystąpieniem nieprzewidzianych "
            "nieprawidłowości w funkcjonowaniu infrastruktury informatycznej odpowiedzialnej "
            "za przetwarzanie należności, w przypadku części zamówień zrealizowanych w "
            "okresie objętym wyżej wymienionymi utrudnieniami doszło do wielokrotnego "
            "obciążenia rachunków płatniczych klientów, w związku z czym niezwłocznie "
            "podjęliśmy działania zmierzające do przywrócenia prawidłowego stanu rozliczeń "
            "oraz wyeliminowania ryzyka ponownego wystąpienia analogicznych zdarzeń.\n",
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: We charged you twice\nFrom: Acme <help@acme.example>\n\n"
            "We're sorry. On Monday we charged some of you twice for your April box. It was "
            "our mistake: we ran the payment job two times. We have sent every extra payment "
            "back. You will see the money in your account in a few days. You don't need to do "
            "anything. If it has not arrived by Friday, reply to this email and we will sort "
            "it out.\n",
        ),
        Example(
            "pl",
            "Subject: Pobraliśmy opłatę dwa razy\nFrom: Sklep <pomoc@sklep.example>\n\n"
            "Przepraszamy. W poniedziałek pobraliśmy od części z Was opłatę dwa razy. To nasz "
            "błąd: system płatności uruchomił się dwa razy. Oddaliśmy już każdą nadpłatę. "
            "Pieniądze wrócą na konto w ciągu kilku dni. Nie musisz nic robić. Jeśli do "
            "piątku ich nie będzie, odpisz na tę wiadomość, a sprawdzimy to od razu.\n",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        lang = ctx.draft.language
        limit = ctx.settings.readability.get(lang)
        if lang not in MEASURES or limit is None:
            raise NotChecked(f"no readability measure or limit for language {lang!r}")
        # the word count comes with the score (a long body is split into words once)
        result = score_prepared(prepare(_reader_text(ctx)), lang)
        words = result.words if result is not None else 0
        if words < MIN_WORDS:
            raise NotChecked(f"body too short to measure ({words} words, needs {MIN_WORDS})")
        if result is None or result.value <= limit:
            return
        start, stop = _hardest_paragraph(ctx, lang)
        name = _LANGUAGE_NAMES.get(lang, lang)
        yield Finding(
            f"{result.measure} {result.value:.1f} is above the limit {limit:g} for {name}: "
            "long sentences and long words make the apology hard to follow",
            ctx.body_span(start, stop),
            "split long sentences, one fact per sentence; use short everyday words "
            "(\"we sent\", not \"dispatch was effected\")",
        )


def _reader_text(ctx: Context) -> str:
    """The prose a reader reads: footer and quoted lines removed."""
    text = ctx.draft.prose.text[: body_end(ctx)]
    quoted = quoted_line_starts(text)
    if not quoted:
        return text
    parts: list[str] = []
    pos = 0
    for start, stop in quoted:
        parts.append(text[pos:start])
        pos = stop
    parts.append(text[pos:])
    return "".join(parts)


def _hardest_paragraph(ctx: Context, lang: str) -> tuple[int, int]:
    """(start, end) prose offsets of the worst-scoring paragraph of reasonable length,
    else of the first paragraph."""
    end = body_end(ctx)
    text = ctx.draft.prose.text
    paragraphs = [(s, min(e, end)) for s, e in ctx.draft.prose.paragraphs() if s < end]
    best: tuple[float, int, int] | None = None
    for start, stop in paragraphs:
        result = score_prepared(prepare(text[start:stop]), lang)
        if result is None or result.words < _MIN_PARAGRAPH_WORDS:
            continue
        if best is None or result.value > best[0]:
            best = (result.value, start, stop)
    if best is not None:
        return best[1], best[2]
    if paragraphs:
        return paragraphs[0]
    return 0, 0
