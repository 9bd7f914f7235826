"""AL304 blame-shifting."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..context import Context
from ..incident import cues
from ..model import Severity
from .addresses import brand_words
from .apology import (
    FIRST_PERSON,
    OWNERSHIP,
    TextFacts,
    analyse,
    first_person_verbs,
    pack_message,
)
from .base import Example, Finding, Rule

CAUSES = "blame-shifting.causes"
FAULT_NOUNS = "blame-shifting.fault_nouns"
AGENTS = "blame-shifting.agents"
AGENT_FAULTS = "blame-shifting.agent_faults"
AGENT_INCIDENTS = "blame-shifting.agent_incidents"
PEOPLE = "blame-shifting.people"
USE_CLAUSES = "blame-shifting.use_clauses"
STAFF = "blame-shifting.staff"
STANDALONE = "blame-shifting.standalone"
BARRIERS = "blame-shifting.barriers"
NAMED_FAULTS = "blame-shifting.named_faults"
NAME_CAUSES = "blame-shifting.name_causes"
NOT_NAMES = "blame-shifting.not_names"

#: Words after a cause frame ("due to a glitch in our cloud provider's") and after a
#: failure noun ("an outage at our payment") within which the agent must stand.
_CAUSE_WINDOW = 7
_FAULT_NOUN_WINDOW = 4
_AGENT_FAULT_WINDOW = 3
#: A negation this close before a cause frame clears the agent ("is not the fault of").
_CAUSE_NEGATION_REACH = 3
#: A past verb this close after a "we" inside an agent phrase ("software we use kept") is
#: the agent's (as far as first-person verbs look after their subject).
_VERB_AFTER_AGENT_SUBJECT = 4
#: How far after a cause frame a name may stand to be the one blamed ("caused by
#: Microsoft", "fixed by the PowerSchool team"): the frame's own object (its first
#: capitalised word), not a name further on in the sentence.
_NAME_AFTER_FRAME = 2
#: Capitalised words this short and all in capitals are acronyms of things (DNS, IT,
#: SMS, API), not someone else.
_ACRONYM_MAX = 4
#: Words after an agent within which what happened to it may stand ("Epsilon, a company we
#: use to send emails, told us that files ... were accessed"): real notices put a relative
#: clause between the vendor and the break-in.
_AGENT_INCIDENT_WINDOW = 24


class _Hit(NamedTuple):
    start: int
    end: int
    suggestion: str | None


class BlameShifting(Rule):
    code = "AL304"
    slug = "blame-shifting"
    family = "apology"
    severity = Severity.WARNING
    summary = (
        "The mistake is pinned elsewhere instead of owned: \"due to a third-party vendor\", "
        "\"a glitch in our provider's system\", \"beyond our control\", \"the intern\", \"a "
        "rogue employee\", \"a third-party vendor we use to send emails had its systems "
        "accessed\", \"a Microsoft issue\", \"should have been fixed by PowerSchool\", "
        "\"passwords stolen from other websites\", \"caused by recipients replying\", \"z "
        "winy dostawcy\", \"z przyczyn od nas niezależnych\". Silent when the draft owns the "
        "fault in any sentence."
    )
    rationale = (
        "The reader chose your company, not your vendor: whoever broke it, it reached them "
        "under your name. Pointing at a provider, \"the system\" or a junior employee reads as "
        "an excuse and makes the apology smaller. Say what you could have done and what you "
        "will change. A draft that owns the fault (\"that was our mistake\", \"źle "
        "zaplanowaliśmy\") may still name the supplier as a fact without being flagged; "
        "owning only the act (\"we sent you the wrong date\") while pinning its cause on a "
        "vendor is still flagged. What is the company's own is not someone else (\"because "
        "our system never stores them\"), and \"due to a technical or human error\" names "
        "no one: that is vague wording (AL501), not blame."
    )
    vocabulary = (
        CAUSES,
        FAULT_NOUNS,
        AGENTS,
        AGENT_FAULTS,
        AGENT_INCIDENTS,
        PEOPLE,
        USE_CLAUSES,
        STAFF,
        STANDALONE,
        BARRIERS,
        NAMED_FAULTS,
        NAME_CAUSES,
        NOT_NAMES,
        OWNERSHIP,
        "common.negations",
    )
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Kitebox was down on Saturday\nFrom: Kitebox <help@kitebox.tv>\n\n"
                "We apologise: Kitebox was unavailable on Saturday evening due to a glitch in "
                "our cloud provider's system. Everything works again.\n"),
        Example("pl", "Subject: Opóźnione przesyłki\nFrom: Sklep Len <pomoc@len.pl>\n\n"
                "Przepraszamy – Twoja paczka dotrze dwa dni później z winy firmy kurierskiej.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Kitebox was down on Saturday\nFrom: Kitebox <help@kitebox.tv>\n\n"
                "We're sorry: Kitebox was down on Saturday evening. Our cloud provider had an "
                "outage, and we had no backup in place. That is on us; we have added one.\n"),
        Example("pl", "Subject: Przesunięcie premiery\nFrom: Akapit <zamowienia@akapit.pl>\n\n"
                "Przepraszamy – książka dotrze tydzień później. Źle zaplanowaliśmy termin druku "
                "i drukarnia nie zdążyła wydrukować nakładu.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        analysis = analyse(ctx)
        if analysis.owns_fault or ctx.pack is None:
            return
        facts = analysis.body
        subjects = facts.covered(FIRST_PERSON)
        first_person = set(subjects)
        # the "we" of "a piece of software we use kept crashing" is the agent's relative
        # clause: the past verb after it is the agent's, not ours
        in_agents = subjects & facts.covered(AGENTS)
        first_person.update(
            v
            for v in first_person_verbs(facts, ctx.pack)
            if in_agents.isdisjoint(range(v - _VERB_AFTER_AGENT_SUBJECT, v))
        )
        barriers = first_person | facts.covered(BARRIERS)
        hits: dict[int, _Hit] = {}  # one finding per sentence: the first one in it
        hits_found = [
            *self._hits(ctx, facts, frozenset(barriers)),
            *_agent_incidents(ctx, facts, frozenset(first_person), pack_message(ctx, CAUSES)),
        ]
        for hit in hits_found:
            sentence = facts.sentence_of[facts.token_at(hit.start)]
            if sentence not in hits or hit.start < hits[sentence].start:
                hits[sentence] = hit
        for hit in sorted(hits.values(), key=lambda h: h.start):
            shown = ctx.body.text[hit.start : hit.end]
            yield Finding(
                f"blame-shifting: \u201c{shown}\u201d pins the mistake on someone else; the "
                "reader chose you, not your supplier",
                span=ctx.body_span(hit.start, hit.end),
                suggestion=hit.suggestion,
            )

    @staticmethod
    def _hits(ctx: Context, facts: TextFacts, barriers: frozenset[int]) -> Iterator[_Hit]:
        tokens = facts.tokens
        advice = pack_message(ctx, CAUSES)
        agents = facts.starting(AGENTS)
        people = facts.starting(PEOPLE)
        is_name = _Names(ctx, facts)
        for m in ctx.body.matches(STANDALONE):
            yield _Hit(m.start, m.end, m.entry.suggestion)
        for m in ctx.body.matches(NAMED_FAULTS):
            # "a Microsoft issue", "awaria Microsoft Teams": a name beside a failure written
            # in lower case (in a Title Case heading every word is capitalised)
            names = {i for i in range(m.first_token + 1, m.last_token + 1) if is_name(i)}
            ends = {m.first_token, m.last_token} - names  # the article and the failure
            if names and all(not is_name(i, anywhere=True) for i in ends):
                yield _Hit(m.start, m.end, advice)

        def agent_after(last: int, window: int, as_cause: bool = False) -> int | None:
            """End offset of an agent within ``window`` words after token ``last`` (after a
            cause frame, the people of ``PEOPLE`` too: "caused by recipients replying")."""
            sentence = facts.sentence_of[last]
            for i in range(last + 1, min(len(tokens), last + 1 + window)):
                if facts.sentence_of[i] != sentence or i in barriers:
                    return None
                found = agents.get(i) or (people.get(i) if as_cause else None)
                if found:
                    return tokens[max(a.last_token for a in found)].end
            return None

        c = cues(ctx.body)
        for m in ctx.body.matches(CAUSES):
            if c.negated(m.first_token, _CAUSE_NEGATION_REACH):
                continue  # "the late delivery is not the fault of the carriers": cleared
            end = agent_after(m.last_token, _CAUSE_WINDOW, as_cause=True)
            if end is not None:
                yield _Hit(m.start, end, advice)
        for m in ctx.body.matches(FAULT_NOUNS):
            if c.negated(m.first_token, _CAUSE_NEGATION_REACH):
                continue
            end = agent_after(m.last_token, _FAULT_NOUN_WINDOW)
            if end is not None:
                yield _Hit(m.start, end, advice)
        for m in ctx.body.matches(NAME_CAUSES):
            # "should have been fixed by PowerSchool", "z winy Poczty Polskiej": a name as
            # the frame's object, the frame in lower case (a heading names no one)
            if is_name(m.last_token, anywhere=True):
                continue
            stop = min(len(tokens), m.last_token + 1 + _NAME_AFTER_FRAME)
            for i in range(m.last_token + 1, stop):
                if facts.sentence_of[i] != facts.sentence_of[m.last_token]:
                    break
                if is_name(i, anywhere=True):  # the object's first capitalised word
                    if is_name(i):  # and not ours ("an issue with Kitebox Live")
                        yield _Hit(m.start, tokens[i].end, advice)
                    break
        faults = facts.starting(AGENT_FAULTS)
        for a in ctx.body.matches(AGENTS):
            sentence = facts.sentence_of[a.last_token]
            stop = min(len(tokens), a.last_token + 1 + _AGENT_FAULT_WINDOW)
            for i in range(a.last_token + 1, stop):
                if facts.sentence_of[i] != sentence or i in barriers:
                    break
                found = faults.get(i)
                if found:
                    yield _Hit(a.start, tokens[max(f.last_token for f in found)].end, advice)
                    break


def _agent_incidents(
    ctx: Context, facts: TextFacts, first_person: frozenset[int], advice: str | None
) -> Iterator[_Hit]:
    """An agent and, later in its sentence, the break-in that happened there ("a
    third-party vendor we use to send e-mails had its systems accessed", "Epsilon ...
    notified us that your email address was exposed by"). Only a first-person subject
    outside an agent phrase or a ``use_clauses`` one ("a company we use", "the newsletter
    service we work with") ends the search ("our vendor told us we
    had left the file public": we own it); a negated incident ("so your card was never
    accessed") is none. Staff are left out: "an employee noticed unauthorized access"
    reports who found it, not who is to blame (their own faults are ``agent_faults``)."""
    incidents = facts.starting(AGENT_INCIDENTS)
    if not incidents or ctx.pack is None:
        return
    tokens = facts.tokens
    c = cues(ctx.body)
    # "MailSpring, the newsletter service we work with, ...": that "we" is no owner
    agent_words = facts.covered(AGENTS) | facts.covered(USE_CLAUSES)
    staff = ctx.pack.folded_words(STAFF)
    for a in ctx.body.matches(AGENTS):
        if any(tokens[k].text in staff for k in range(a.first_token, a.last_token + 1)):
            continue
        sentence = facts.sentence_of[a.last_token]
        stop = min(len(tokens), a.last_token + 1 + _AGENT_INCIDENT_WINDOW)
        for i in range(a.last_token + 1, stop):
            if facts.sentence_of[i] != sentence or (i in first_person and i not in agent_words):
                break
            found = incidents.get(i)
            if found and not c.negated(i):
                yield _Hit(a.start, tokens[max(f.last_token for f in found)].end, advice)
                break


class _Names:
    """Whether a word names someone else: capitalised inside a sentence (not its first
    word, not the first of a line), not an acronym of a thing (DNS, IT), not a word of
    ``not_names`` (days, months, holidays) and not the sender's own name or brand. A
    company's name is how real notices blame a vendor ("a Microsoft issue", "should have
    been fixed by PowerSchool"), and no list of vendors can be complete."""

    def __init__(self, ctx: Context, facts: TextFacts) -> None:
        self.text = ctx.body.text
        self.tokens = facts.tokens
        not_names = ctx.pack.folded_words(NOT_NAMES) if ctx.pack is not None else frozenset()
        names, labels = brand_words(ctx)
        self.excluded = not_names | names | labels

    def __call__(self, i: int, anywhere: bool = False) -> bool:
        """``anywhere``: capitalised at all, wherever the word stands."""
        token = self.tokens[i]
        word = self.text[token.start:token.end]
        if not word[:1].isupper():
            return False
        if anywhere:
            return True
        if i == 0 or token.brk or "\n" in self.text[self.tokens[i - 1].end:token.start]:
            return False  # the first word of a sentence or of a line
        stem = word.removesuffix("s").removesuffix("'")  # ISPs, DNS's
        if stem.isupper() and len(stem) <= _ACRONYM_MAX:
            return False
        return token.text not in self.excluded
