"""AL502 passive-evasion."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..context import Context
from ..model import Severity
from ..packs import Pack
from .apology import FIRST_PERSON, MISTAKE_CUES, TextFacts, analyse, pack_message
from .base import Example, Finding, Rule

BE = "passive-evasion.be"
PARTICIPLE_ENDINGS = "passive-evasion.participle_endings"
NOT_PARTICIPLES = "passive-evasion.not_participles"
PARTICIPLES = "passive-evasion.participles"
BE_AFTER = "passive-evasion.be_after"
IMPERSONAL_ENDINGS = "passive-evasion.impersonal_endings"
NOT_IMPERSONAL = "passive-evasion.not_impersonal"
HARM = "passive-evasion.harm"
REMEDY = "passive-evasion.remedy"
ACTS = "passive-evasion.acts"
SUBJECTS = "passive-evasion.subjects"
AGENT_MARKERS = "passive-evasion.agent_markers"
NOT_AGENTS = "passive-evasion.not_agents"
NAMED_AGENTS = "passive-evasion.named_agents"
RELATIVES = "passive-evasion.relatives"
BENIGN = "passive-evasion.benign"
IMPERSONAL = "passive-evasion.impersonal"
#: Shared with incident inference (another pack file): "not", "never", "nie" ...
NEGATIONS = "common.negations"
#: "if you were charged twice" is a possibility, not a statement.
HYPOTHETICALS = "common.hypotheticals"
#: Words that end a clause: a mistake cue beyond them is about something else.
CLAUSE_STOPS = "non-apology.clause_stops"

#: Words between the auxiliary and the participle ("were mistakenly sent").
_TO_PARTICIPLE = 3
#: Words after the participle in which "by <agent>" names who did it.
_AGENT_REACH = 5
#: Words before the auxiliary (or around an impersonal verb) where its subject stands.
_SUBJECT_REACH = 4
_MIN_PARTICIPLE = 5
_MIN_IMPERSONAL = 6
#: Words before the form, within its clause, where a negation ("none of your data was
#: compromised") or "if" ("if you were charged") cancels it.
_NEGATION_REACH = 8
#: Words around the form, within its clause, where a mistake cue makes it about the mistake.
_CUE_REACH = 6
#: A heading line ("What Information Was Involved") has at most this many words.
_HEADING_WORDS = 7


class _Form(NamedTuple):
    first: int  # token indices
    last: int
    participle: int
    impersonal: bool


class PassiveEvasion(Rule):
    code = "AL502"
    slug = "passive-evasion"
    family = "clarity"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "An agentless passive or impersonal form hides who did it, and no sentence of the "
        "draft owns the mistake: \"an error was made\", \"the email was sent in error\", "
        "\"data was accessed\", \"wysłano omyłkowo\", \"doszło do błędu\", \"wiadomość "
        "została wysłana\". One finding per occurrence."
    )
    rationale = (
        "\"Mistakes were made\" is the textbook non-confession: the grammar removes the person "
        "who made them. Readers notice that nobody is doing anything in the sentence. Say "
        "\"we\": \"We sent the email to the wrong list.\" Passives that name the agent (\"was "
        "caused by our delivery partner\") are blame-shifting's business, remedies (\"has been "
        "refunded\") and legal headings (\"What Information Was Involved\") are fine, and a "
        "draft that owns the mistake in any sentence may use the passive elsewhere."
    )
    vocabulary = (BE, BE_AFTER, PARTICIPLE_ENDINGS, PARTICIPLES, IMPERSONAL_ENDINGS, HARM,
                  REMEDY, ACTS, SUBJECTS, AGENT_MARKERS, NOT_AGENTS, NAMED_AGENTS, RELATIVES,
                  BENIGN, IMPERSONAL, NEGATIONS)
    uses_language = True
    fail_examples = (
        Example("en", "Subject: About yesterday's email\nFrom: Acme <help@acme.com>\n\n"
                "We are sorry. Yesterday's newsletter was sent in error to customers who had "
                "unsubscribed.\n"),
        Example("pl", "Subject: Zmiana miejsc na seans\nFrom: Kino Kadr <bilety@kinokadr.pl>\n\n"
                "Przepraszamy. W wiadomości z biletami omyłkowo podano błędne numery miejsc.\n"),
    )
    pass_examples = (
        Example("en", "Subject: About yesterday's email\nFrom: Acme <help@acme.com>\n\n"
                "We are sorry. Yesterday we sent our newsletter by mistake to customers who "
                "had unsubscribed. The email was sent from an old copy of our list.\n",
                note="the draft owns it, so the passive is not evasive"),
        Example("pl", "Subject: Zmiana miejsc na seans\nFrom: Kino Kadr <bilety@kinokadr.pl>\n\n"
                "Przepraszamy – wysłaliśmy Ci bilety z błędnymi numerami miejsc. Nowe bilety "
                "zostały dołączone do tej wiadomości.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        analysis = analyse(ctx)
        pack = ctx.pack
        if analysis.owns_mistake or pack is None:
            return
        facts = analysis.body
        headings = self._heading_tokens(ctx, facts)
        negations = facts.covered(NEGATIONS)
        hypotheticals = facts.covered(HYPOTHETICALS)

        def negated(first: int, last: int) -> bool:
            """Negated ("none of your data was compromised", "have not been charged") or
            hypothetical ("if you were charged"), within the clause before the form."""
            lo = _clause_start(facts, first, _NEGATION_REACH)
            if any(k in negations for k in range(lo, last + 1)):
                return True
            return any(k in hypotheticals for k in range(lo, first))

        spans: list[tuple[int, int, str | None]] = []
        phrased = facts.covered(IMPERSONAL)
        relatives = pack.folded_words(RELATIVES)
        for m in ctx.body.matches(IMPERSONAL):
            if m.first_token not in headings and not negated(m.first_token, m.first_token):
                spans.append((m.start, m.end, m.entry.suggestion))
        for form in self._forms(facts, pack):
            if form.first in headings or negated(form.first, form.participle):
                continue
            if not self._evasive(facts, form, relatives):
                continue
            if any(k in phrased for k in range(form.first, form.last + 1)):
                continue
            tokens = facts.tokens
            start, end = tokens[form.first].start, tokens[form.last].end
            vocab = IMPERSONAL_ENDINGS if form.impersonal else BE
            spans.append((start, end, pack_message(ctx, vocab)))
        for start, end, suggestion in sorted(spans):
            shown = ctx.body.text[start:end]
            yield Finding(
                f"\u201c{shown}\u201d hides who did it, and no sentence of the draft owns the "
                "mistake",
                span=ctx.body_span(start, end),
                suggestion=suggestion,
            )

    # -- finding passive and impersonal forms -----------------------------------------

    @staticmethod
    def _forms(facts: TextFacts, pack: Pack) -> Iterator[_Form]:
        tokens = facts.tokens
        be = facts.covered(BE)
        listed = facts.covered(PARTICIPLES)
        not_participles = facts.covered(NOT_PARTICIPLES)
        not_impersonal = facts.covered(NOT_IMPERSONAL)
        first_person = facts.covered(FIRST_PERSON)
        endings = tuple(pack.folded_words(PARTICIPLE_ENDINGS))
        impersonal = tuple(pack.folded_words(IMPERSONAL_ENDINGS))

        def is_participle(i: int) -> bool:
            if i in listed:
                return True
            word = tokens[i].text
            return (
                bool(endings)
                and len(word) >= _MIN_PARTICIPLE
                and word.endswith(endings)
                and i not in not_participles
            )

        be_after = facts.covered(BE_AFTER)
        for i, tok in enumerate(tokens):
            prev = i - 1
            if (
                i in be_after
                and prev >= 0
                and facts.sentence_of[prev] == facts.sentence_of[i]
                and is_participle(prev)
                and (prev - 1) not in first_person
            ):
                # participle first, then the auxiliary: Polish "podana była",
                # "wysłane zostały" (the pack's [be_after]; English has none)
                yield _Form(prev, i, prev, False)
            elif i in be and (i - 1) not in first_person:
                sentence = facts.sentence_of[i]
                for j in range(i + 1, min(len(tokens), i + 1 + _TO_PARTICIPLE)):
                    if facts.sentence_of[j] != sentence:
                        break
                    if j in be:
                        continue  # "has been", "got been"
                    if is_participle(j):
                        yield _Form(i, j, j, False)
                        break
            elif (
                impersonal
                and len(tok.text) >= _MIN_IMPERSONAL
                and tok.text.endswith(impersonal)
                and i not in not_impersonal
            ):
                yield _Form(i, i, i, True)

    @staticmethod
    def _evasive(facts: TextFacts, form: _Form, relatives: frozenset[str]) -> bool:
        """Is this passive about the mistake, with nobody named as doing it?"""
        tokens = facts.tokens
        p = form.participle
        cues = facts.covered(MISTAKE_CUES)
        # "were incorrectly reset": a mistake adverb makes even a remedy verb the mistake
        if p in facts.covered(REMEDY) and not any(
            k in cues for k in range(form.first, min(len(tokens), p + 2))
        ):
            return False
        sentence = facts.sentence_of[p]
        first, last = facts.sentence_bounds[sentence]
        # "customers who were originally booked": a relative clause says who, not what
        if form.first > first and tokens[form.first - 1].text in relatives:
            return False
        # "An intruder tried to ... Names may have been accessed": the doer was named just
        # before, in this sentence or the one before it
        earlier = facts.sentence_bounds[sentence - 1][0] if sentence > 0 else first
        named = facts.covered(NAMED_AGENTS)
        if named and not named.isdisjoint(range(earlier, form.first)):
            return False
        # "by <agent>" / "przez <sprawcę>": someone is named (AL304 judges who)
        markers = facts.covered(AGENT_MARKERS)
        not_agents = facts.covered(NOT_AGENTS)
        for k in range(p + 1, min(last, p + _AGENT_REACH) + 1):
            if k in markers and k + 1 <= last:
                nxt = k + 1
                if nxt not in not_agents and not tokens[nxt].text.isdigit():
                    return False
        if _clause_has(facts, MISTAKE_CUES, form.first, form.last):
            return True
        if p in facts.covered(HARM):
            return True
        if p not in facts.covered(ACTS) or facts.sentence_has(BENIGN, sentence):
            return False
        lo = max(first, form.first - _SUBJECT_REACH)
        hi = min(last, form.last + _SUBJECT_REACH) if form.impersonal else form.first - 1
        subjects = facts.covered(SUBJECTS)
        return any(k in subjects for k in range(lo, hi + 1))

    @staticmethod
    def _heading_tokens(ctx: Context, facts: TextFacts) -> frozenset[int]:
        """Tokens on short lines without final punctuation: headings, not sentences."""
        text = ctx.body.text
        out: set[int] = set()
        tokens = facts.tokens
        i = 0
        n = len(tokens)
        while i < n:
            line_start = text.rfind("\n", 0, tokens[i].start) + 1
            line_end = text.find("\n", tokens[i].start)
            if line_end == -1:
                line_end = len(text)
            j = i
            while j < n and tokens[j].start < line_end:
                j += 1
            line = text[line_start:line_end].strip()
            if j - i <= _HEADING_WORDS and line and line[-1] not in ".!?,;:":
                out.update(range(i, j))
            i = j
        return frozenset(out)


def _clause_has(facts: TextFacts, vocabulary: str, first: int, last: int) -> bool:
    """A match of ``vocabulary`` within a few words of tokens ``first``..``last``, not past a
    comma, a clause stop ("and", "but", "i", "ale") or the end of the sentence."""
    tokens = facts.tokens
    stops = facts.covered(CLAUSE_STOPS)
    hits = facts.covered(vocabulary)
    sentence = facts.sentence_of[first]
    lo = _clause_start(facts, first, _CUE_REACH)
    hi = last
    while hi + 1 < len(tokens) and hi - last < _CUE_REACH:
        nxt = hi + 1
        if facts.sentence_of[nxt] != sentence or nxt in stops:
            break
        if "," in facts.view.folded[tokens[hi].end : tokens[nxt].start]:
            break
        hi = nxt
    return any(k in hits for k in range(lo, hi + 1))


def _clause_start(facts: TextFacts, first: int, reach: int) -> int:
    """The first token of the clause that token ``first`` is in, at most ``reach`` words
    back: not past a comma, a clause stop or the start of the sentence."""
    tokens = facts.tokens
    stops = facts.covered(CLAUSE_STOPS)
    sentence = facts.sentence_of[first]
    lo = first
    while lo > 0 and first - lo < reach:
        prev = lo - 1
        if facts.sentence_of[prev] != sentence or prev in stops:
            break
        if "," in facts.view.folded[tokens[prev].end : tokens[lo].start]:
            break
        lo = prev
    return lo
