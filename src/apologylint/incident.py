"""Incident inference for ``--incident auto``, and the negation cues other rules share.

What kind of mistake a draft apologises for decides which rules apply: only a security
incident needs protective steps (AL602), an error-level AL601 and the breach notice duties
(9xx). The words are data in each pack's ``common.toml``; the judgment is here:

* a **breach** is a phrase of ``common.security_incident`` ("data breach", "unauthorised
  access", "naruszenie ochrony danych", "wyciek danych"), or a word of
  ``common.compromise`` ("stolen", "exposed", "wyciekły", and attacks: "hackers",
  "ransomware", "cyberatak") a few words from a word of ``common.personal_data`` in the
  same sentence ("passwords stolen from other websites"; a DDoS or ransomware that only
  stopped the systems is not a breach: real notices showed it, and a wrong guess makes
  AL601/AL602 errors),
  or ``common.misdirected`` ("to the wrong group") with ``common.identifying_data``
  ("names and phone numbers") in the same sentence;
* a mention does not count when it is negated ("no personal data was affected", "nie
  doszło do wycieku danych", "Twoje dane nie wyciekły") or hypothetical ("if your account
  is ever hacked"): see :class:`Cues`;
* failing that, lighter kinds when they are plain: ``duplicate-send`` (a message sent
  "twice"/"dwukrotnie"), ``outage`` ("was down", "awaria"); otherwise ``other``.

An explicit ``--incident`` always wins (see :attr:`Context.incident`). Nothing is cached
in module state: :func:`cues` keeps its analysis on the text view of one draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from typing import TYPE_CHECKING

from .language import sentence_numbers
from .matching import Match, covered_tokens

if TYPE_CHECKING:
    from .context import Context, TextView

SECURITY_VOCABULARY = "common.security_incident"
COMPROMISE_VOCABULARY = "common.compromise"
PERSONAL_DATA_VOCABULARY = "common.personal_data"
IDENTIFYING_DATA_VOCABULARY = "common.identifying_data"
MISDIRECTED_VOCABULARY = "common.misdirected"
NEGATION_VOCABULARY = "common.negations"
NOT_NEGATING_VOCABULARY = "common.not_negating"
HYPOTHETICAL_VOCABULARY = "common.hypotheticals"
CLAUSE_BREAK_VOCABULARY = "common.clause_breaks"
SUBORDINATOR_VOCABULARY = "common.subordinators"
DUPLICATE_VOCABULARY = "common.duplicate_marks"
MESSAGES_VOCABULARY = "common.messages"
OUTAGE_VOCABULARY = "common.outage"

#: How far back (in words) a negation reaches, within its clause: "no evidence that your
#: data was accessed", "absolutely no personal health information was released or compromised".
NEGATION_WINDOW = 8
#: How far back a hypothetical reaches: "if you think someone has gained access to ...".
HYPOTHETICAL_WINDOW = 8
#: Most words between the two halves of a co-occurrence ("passwords [were] stolen",
#: "adresami odbiorców [była 9 kwietnia przez około sześć godzin] dostępna publicznie").
PAIR_DISTANCE = 12


_first_token = attrgetter("first_token")


class Cues:
    """Negation, hypotheticals and clause structure of one text, word by word.

    Why clause-aware: a negation reaches forward only within its clause. It stops at a
    sentence end, at "but"/"ale" (``common.clause_breaks``) and at a comma, except a
    comma before "that"/"że" (``common.subordinators``), which continues the negated
    clause ("Nie mamy dowodów, że ktoś uzyskał dostęp").
    """

    def __init__(self, view: TextView) -> None:
        # the words, not the view: the view keeps this object in its memo, and a cycle
        # would leave every draft's words and matches to the garbage collector
        self.tokens = view.tokens
        self.folded = view.folded
        self.negation = covered_tokens(view.matches(NEGATION_VOCABULARY)) - covered_tokens(
            view.matches(NOT_NEGATING_VOCABULARY)
        )
        self.hypothetical = covered_tokens(view.matches(HYPOTHETICAL_VOCABULARY))
        self.clause_breaks = covered_tokens(view.matches(CLAUSE_BREAK_VOCABULARY))
        self.subordinators = set(map(_first_token, view.matches(SUBORDINATOR_VOCABULARY)))
        self.sentence: list[int] = sentence_numbers(view)

    def clause_start(self, index: int, limit: int) -> int:
        """First word a cue before word ``index`` may stand on (at most ``limit`` back)."""
        tokens = self.tokens
        folded = self.folded
        lowest = max(0, index - limit)
        j = min(index, len(tokens) - 1) if tokens else 0
        while j > lowest:
            if tokens[j].brk:
                break
            prev = j - 1
            if prev in self.clause_breaks:
                break
            if "," in folded[tokens[prev].end : tokens[j].start] and j not in self.subordinators:
                break
            j = prev
        return j

    def comma_between(self, first: int, last: int) -> bool:
        """Whether a comma (not before "that"/"że") separates words ``first``..``last``."""
        tokens = self.tokens
        folded = self.folded
        for j in range(first + 1, last + 1):
            if "," in folded[tokens[j - 1].end : tokens[j].start] and j not in self.subordinators:
                return True
        return False

    def negated(self, index: int, window: int = NEGATION_WINDOW) -> bool:
        """A negation stands shortly before word ``index`` in its clause."""
        start = self.clause_start(index, window)
        return any(k in self.negation for k in range(start, index))

    def is_hypothetical(self, index: int, window: int = HYPOTHETICAL_WINDOW) -> bool:
        """"If"/"jeśli"/"whether" stands shortly before word ``index`` in its clause."""
        start = self.clause_start(index, window)
        return any(k in self.hypothetical for k in range(start, index))

    def asserted(self, index: int) -> bool:
        """A mention starting at word ``index`` is stated, not denied or supposed."""
        return not (self.negated(index) or self.is_hypothetical(index))

    def negation_between(self, first: int, last: int) -> bool:
        """A negation stands strictly between words ``first`` and ``last`` (the two halves
        of a co-occurrence: "your card numbers were not exposed")."""
        return any(k in self.negation for k in range(first + 1, last))

    def same_sentence(self, a: int, b: int) -> bool:
        return self.sentence[a] == self.sentence[b]


def cues(view: TextView) -> Cues:
    """The :class:`Cues` of a text view, computed once per view (that is, per draft)."""
    return view.cached("incident.cues", lambda: Cues(view))


def _pairs(
    view: TextView, left: str, right: str, distance: int, *, hypotheticals: bool = False
) -> Iterator[tuple[Match, Match]]:
    """Matches of two vocabularies in the same sentence, at most ``distance`` words apart
    (either order), not denied (nor supposed, unless ``hypotheticals``)."""
    lefts = view.matches(left)
    if not lefts:
        return  # nothing to pair: the (often long) right-hand list is not even grouped
    c = cues(view)
    by_start: dict[int, list[Match]] = {}
    for m in view.matches(right):
        by_start.setdefault(m.first_token, []).append(m)
    if not by_start:
        return
    longest = max(m.last_token - m.first_token for ms in by_start.values() for m in ms) + 1
    for a in lefts:
        # every right-hand match that could lie within the window, looked up by position
        lo = a.first_token - distance - longest - 1
        hi = a.last_token + distance + 1
        nearby = [b for t in range(max(lo, 0), hi + 1) for b in by_start.get(t, ())]
        for b in nearby:
            first, second = (a, b) if a.first_token <= b.first_token else (b, a)
            if second.first_token <= first.last_token:
                continue  # overlapping: one word cannot be both halves
            if second.first_token - first.last_token - 1 > distance:
                continue
            if not c.same_sentence(first.first_token, second.first_token):
                continue
            if c.negated(first.first_token) or c.negation_between(
                first.last_token, second.first_token
            ):
                continue
            if hypotheticals or not c.is_hypothetical(first.first_token):
                yield a, b


def breach_mentions(view: TextView) -> list[Match]:
    """Where a text states that a security incident happened (empty if it never does).

    For pairs, the match returned is the compromise (or misdirection) half.
    """
    c = cues(view)
    found = [m for m in view.matches(SECURITY_VOCABULARY) if c.asserted(m.first_token)]
    found.extend(a for a, _ in _pairs(view, COMPROMISE_VOCABULARY, PERSONAL_DATA_VOCABULARY,
                                      PAIR_DISTANCE))
    found.extend(a for a, _ in _pairs(view, MISDIRECTED_VOCABULARY,
                                      IDENTIFYING_DATA_VOCABULARY, 2 * PAIR_DISTANCE))
    found.sort(key=lambda m: m.start)
    return found


def _duplicate_send(view: TextView) -> bool:
    # "sorry if you received this email twice" still says it went out twice
    return any(True for _ in _pairs(view, DUPLICATE_VOCABULARY, MESSAGES_VOCABULARY,
                                    PAIR_DISTANCE, hypotheticals=True))


def _outage(view: TextView) -> bool:
    c = cues(view)
    return any(c.asserted(m.first_token) for m in view.matches(OUTAGE_VOCABULARY))


def infer_incident(ctx: Context) -> str:
    """The incident kind a draft speaks of: ``breach``, ``duplicate-send``, ``outage`` or
    ``other`` (when unsure). Needs the draft's language pack; without one, ``other``."""
    if ctx.pack is None:
        return "other"
    views = (ctx.subject, ctx.body)
    if any(breach_mentions(v) for v in views):
        return "breach"
    if any(_duplicate_send(v) for v in views):
        return "duplicate-send"
    if any(_outage(v) for v in views):
        return "outage"
    return "other"
