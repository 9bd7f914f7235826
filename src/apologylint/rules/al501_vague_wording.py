"""AL501 vague-wording."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context
from ..incident import cues
from ..matching import Match
from ..model import Severity
from .apology import FIRST_PERSON, analyse, first_person_verbs, pack_message
from .base import Example, Finding, Rule

PHRASES = "vague-wording.phrases"
HEDGED = "vague-wording.hedged"
SOFTENERS = "vague-wording.softeners"
#: Someone named as doing it ("an intern accidentally sent") is blame-shifting's business.
AGENTS = "blame-shifting.agents"


#: Words before a vague phrase within which a negation denies it ("not a security issue").
_DENIAL_REACH = 2


class VagueWording(Rule):
    code = "AL501"
    slug = "vague-wording"
    family = "clarity"
    severity = Severity.WARNING
    summary = (
        "Evasive or empty phrases: \"an issue\", \"a technical glitch\", \"an incident may have "
        "occurred\", \"certain information\", \"a small number of users\", \"out of an abundance "
        "of caution\", \"we take your privacy seriously\", \"sophisticated attack\", "
        "\"inadvertently\", \"pewne dane\", \"problem techniczny\", \"w trosce o "
        "bezpieczeństwo\" — one finding per occurrence, each with a concrete rewrite."
    )
    rationale = (
        "Vague words are how an apology hides what happened: \"an issue\" instead of what "
        "broke, \"certain information\" instead of which data, \"a small number\" instead of "
        "how many. Readers fill the gap with the worst case, and regulators read it as "
        "evasion. Say what broke, which data, how many people, and what you did."
    )
    vocabulary = (PHRASES, HEDGED, SOFTENERS)
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Your account\nFrom: Copperline <care@copperline.net>\n\n"
                "We are sorry: an incident may have occurred involving certain information "
                "of a small number of customers.\n", note="three findings"),
        Example("pl", "Subject: Twoje konto\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "Przepraszamy – z powodu problemów technicznych pewne dane mogły zostać "
                "ujawnione.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Someone got into our order system\n"
                "From: Copperline <care@copperline.net>\n\n"
                "We are sorry: between 3 and 9 March someone used a stolen staff password to "
                "see the names and email addresses of 1,240 customers, including yours.\n"),
        Example("pl", "Subject: Ktoś zobaczył Twoje dane\nFrom: Sklep <pomoc@sklep.pl>\n\n"
                "Przepraszamy – 4 marca wysłaliśmy listę 38 kursantów (imiona i numery "
                "telefonów) do niewłaściwej grupy.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        matches = sorted(
            ctx.body.matches(PHRASES) + ctx.body.matches(HEDGED),
            key=lambda m: (m.start, -(m.end - m.start)),
        )
        kept: list[Match] = []
        c = cues(ctx.body)
        for m in matches:  # overlapping phrases: the longest, earliest one speaks
            if kept and m.start < kept[-1].end:
                continue
            if c.negated(m.first_token, window=_DENIAL_REACH):
                continue  # "a network fault, not a security problem" evades nothing
            kept.append(m)
        for m in kept:
            yield self._finding(ctx, m, m.entry.suggestion)
        for m in self._softeners(ctx, kept):
            yield self._finding(ctx, m, pack_message(ctx, SOFTENERS))

    @staticmethod
    def _finding(ctx: Context, match: Match, suggestion: str | None) -> Finding:
        shown = ctx.body.text[match.start : match.end]
        return Finding(
            f"vague wording \u201c{shown}\u201d: say exactly what happened, to what and to whom",
            span=ctx.match_span(match),
            suggestion=suggestion,
        )

    @staticmethod
    def _softeners(ctx: Context, kept: list[Match]) -> Iterator[Match]:
        """'By accident' hides the doer only where no one is named doing it."""
        softeners = ctx.body.matches(SOFTENERS)
        if not softeners or ctx.pack is None:
            return
        facts = analyse(ctx).body
        named = {facts.sentence_of[i] for i in facts.covered(FIRST_PERSON)}
        named.update(facts.sentence_of[i] for i in facts.covered(AGENTS))
        named.update(facts.sentence_of[i] for i in first_person_verbs(facts, ctx.pack))
        for m in softeners:
            if facts.sentence_of[m.first_token] in named:
                continue
            if any(m.start < k.end and k.start < m.end for k in kept):
                continue
            yield m
