"""Apology and ownership judgments shared by AL301-AL304 and AL501-AL502.

Two questions every rule of the family asks, answered once per draft and cached on the
:class:`~apologylint.context.Context` (never in module globals):

* **Is this an apology?** Every apology word of the pack (``missing-apology.apologies``:
  "sorry", "apologise", "przepraszamy", "przykro nam" ...) is judged in its sentence: an
  apology made conditional ("sorry if", "przepraszamy, jeśli", "If anyone was offended,
  we apologise"), deflected to the reader's feelings ("sorry you feel", "przykro nam, że
  tak Pan to odebrał"), or made for a generic harm ("for any inconvenience", "za
  ewentualne niedogodności", "za zaistniałą sytuację"), or that denies the fault in the
  same sentence ("za zamieszanie, wynikłe nie z naszej winy") is a *non-apology*; the rest are
  real apologies. Fixed non-apologies that need no apology word ("mistakes were made",
  "we regret any inconvenience") come from ``non-apology.phrases``.
* **Does the draft own the mistake?** A sentence owns the *fault* when it says so
  ("that was our mistake", "we got this wrong", "to nasz błąd", "ponosimy pełną
  odpowiedzialność") or has a first-person act with a fault adverb ("Źle
  zaplanowaliśmy", "we set up the mailing wrongly"); it owns the *act* when a
  first-person past verb stands in a sentence about the mistake ("we sent you the wrong
  link", "podaliśmy zbyt wysoką kwotę"). AL304 is silenced by owning the fault (owning
  the act while blaming a vendor for its cause is still blame-shifting); AL502 and the
  "sorry for the inconvenience" judgment by owning either.

Everything is word logic over the already-matched pack vocabularies: each step looks at a
bounded window of tokens, so the whole analysis stays linear in the length of the draft.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import attrgetter
from typing import Literal, NamedTuple

from ..context import Context, TextView
from ..language import sentence_breaks, sentence_numbers, word_set
from ..language import words as view_words
from ..matching import Match, Token, covered_tokens
from ..model import TEMPLATE_MARK
from ..packs import Pack

# -- vocabulary names (the packs define them; other rules may read them) -----------------

APOLOGIES = "missing-apology.apologies"
SUBSTITUTES = "missing-apology.substitutes"
NA_PHRASES = "non-apology.phrases"
NA_CONDITIONAL = "non-apology.conditional"
NA_INDEFINITES = "non-apology.indefinites"
NA_ADDRESSEES = "non-apology.addressees"
NA_FEELINGS = "non-apology.feelings"
NA_PREPOSITIONS = "non-apology.prepositions"
NA_HEDGES = "non-apology.hedges"
NA_GENERIC = "non-apology.generic_harms"
NA_HARMS = "non-apology.harms"
NA_HARM_LINKS = "non-apology.harm_links"
NA_REFERENTS = "non-apology.referents"
NA_DISOWNING = "non-apology.disowning"
NA_STOPS = "non-apology.clause_stops"
OWNERSHIP = "blame-shifting.ownership"
FIRST_PERSON = "blame-shifting.first_person"
PAST_FORMS = "blame-shifting.past_forms"
PAST_SUFFIXES = "blame-shifting.past_suffixes"
PERSON_ENDINGS = "blame-shifting.person_endings"
NOT_VERBS = "blame-shifting.not_verbs"
FAULT_ADVERBS = "blame-shifting.fault_adverbs"
MISTAKE_CUES = "blame-shifting.mistake_cues"
REPORTING_VERBS = "blame-shifting.reporting_verbs"

#: How far (in words) each judgment looks from the apology word.
_CONDITIONAL_AFTER = 3
_CONDITIONAL_REACH = 5
_CONDITIONAL_BEFORE = 12
#: A conditional word this close to the start of the apology's sentence opens it.
_CONDITION_OPENS = 3
_DEFLECT_WINDOW = 8
_ADDRESSEE_TO_FEELING = 4
_PREPOSITION_WINDOW = 6
_OBJECT_WINDOW = 8
_GENERIC_NOUN_WINDOW = 4
#: "for the confusion, worry and likely frustration that this error has caused": how many
#: words a list of harms may run, and how far after it its hedge may stand.
_HARM_LIST_WINDOW = 12
_HEDGE_AFTER_LIST = 2
#: How many words before "this" in "we are sorry for this" are read for what it stands for.
_REFERENT_WINDOW = 40
_VERB_AFTER_SUBJECT = 3
_ADVERB_BEFORE = 2
_ADVERB_AFTER = 4
_MIN_SUFFIX_WORD = 4

#: Characters between two words that end a clause for the object/conditional windows.
_DASHES = ("—", "–", " - ", "(", ")")

Kind = Literal["real", "conditional", "feelings", "generic", "disowned"]
Where = Literal["body", "subject"]


class Judged(NamedTuple):
    """One apology (or non-apology) found in the subject or the body.

    ``start``/``end`` are offsets in that text (prose for the body); ``kind`` is "real" for
    a real apology; ``has_apology_word`` tells a non-apology that says sorry ("sorry for
    any inconvenience") from one that does not ("mistakes were made").
    """

    where: Where
    kind: Kind | str
    start: int
    end: int
    suggestion: str | None
    has_apology_word: bool = True
    phrase: str = ""


class Owning(NamedTuple):
    """A sentence that owns the mistake: ``level`` "fault" or "act"."""

    where: Where
    level: Literal["fault", "act"]
    start: int
    end: int


_token_start = attrgetter("start")


@dataclass
class TextFacts:
    """Token-level facts about one text: sentence of each token, matches by first token."""

    view: TextView
    sentence_of: list[int]
    sentence_bounds: list[tuple[int, int]]  # token index ranges (first, last) per sentence
    starts: dict[str, dict[int, list[Match]]] = field(default_factory=dict)
    _covered: dict[str, frozenset[int]] = field(default_factory=dict)
    _sentences: dict[str, frozenset[int]] = field(default_factory=dict)
    #: first_person_verbs(), computed once (AL304, AL501 and the ownership ask for it)
    _verbs: tuple[int, ...] | None = None

    def starting(self, vocabulary: str) -> dict[int, list[Match]]:
        """Matches of a vocabulary indexed by their first token (computed once)."""
        table = self.starts.get(vocabulary)
        if table is None:
            grouped: defaultdict[int, list[Match]] = defaultdict(list)
            for m in self.view.matches(vocabulary):
                grouped[m.first_token].append(m)
            table = self.starts[vocabulary] = dict(grouped)
        return table

    def covered(self, vocabulary: str) -> frozenset[int]:
        """Token indices covered by any match of a vocabulary (computed once)."""
        cached = self._covered.get(vocabulary)
        if cached is None:
            cached = frozenset(covered_tokens(self.view.matches(vocabulary)))
            self._covered[vocabulary] = cached
        return cached

    def first_match_in(self, vocabulary: str, lo: int, hi: int) -> Match | None:
        """The first match of ``vocabulary`` starting at a token in ``[lo, hi]``."""
        table = self.starting(vocabulary)
        for i in range(max(lo, 0), hi + 1):
            found = table.get(i)
            if found:
                return max(found, key=lambda m: m.last_token)
        return None

    def in_sentence(self, vocabulary: str, sentence: int) -> list[Match]:
        """Matches of a vocabulary that start in the sentence (grouped once per text)."""
        key = f"{vocabulary} by sentence"
        table = self.starts.get(key)
        if table is None:
            grouped: defaultdict[int, list[Match]] = defaultdict(list)
            for m in self.view.matches(vocabulary):
                grouped[self.sentence_of[m.first_token]].append(m)
            table = self.starts[key] = dict(grouped)
        return table.get(sentence, [])

    def sentence_has(self, vocabulary: str, sentence: int) -> bool:
        """Whether a match of ``vocabulary`` starts in the sentence (set computed once)."""
        cached = self._sentences.get(vocabulary)
        if cached is None:
            matches = self.view.matches(vocabulary)
            cached = frozenset(self.sentence_of[m.first_token] for m in matches)
            self._sentences[vocabulary] = cached
        return sentence in cached

    @property
    def tokens(self) -> Sequence[Token]:
        return self.view.tokens

    def token_at(self, offset: int) -> int:
        """Index of the token that starts at or contains ``offset`` (the one before it
        when ``offset`` falls in a gap; 0 before the first)."""
        return max(0, bisect.bisect_right(self.view.tokens, offset, key=_token_start) - 1)

    def sentence_start(self, offset: int) -> int:
        """Offset of the first word of the sentence that holds ``offset``."""
        if not self.view.tokens:
            return offset
        first, _last = self.sentence_bounds[self.sentence_of[self.token_at(offset)]]
        return self.view.tokens[first].start




def text_facts(view: TextView) -> TextFacts:
    """Sentences of a text by its tokens' break flags (the first token opens one).

    A running sum of the flags and the indices where they are set, both C-level
    (measured: a Python loop over every token was a quarter of AL301's time)."""
    tokens = view.tokens
    if not tokens:
        return TextFacts(view, [], [])
    breaks = sentence_breaks(view)
    if breaks[0]:  # as the tokenizer flags it: the text's shared numbering
        sentence_of = sentence_numbers(view)
    else:
        breaks = [True, *breaks[1:]]  # a copy: the shared list stays as it is
        sentence_of = list(accumulate(breaks, initial=-1))  # -1 + True == 0: ints
        del sentence_of[0]
    firsts = list(compress(range(len(tokens)), breaks))
    lasts = [first - 1 for first in firsts[1:]]
    lasts.append(len(tokens) - 1)
    return TextFacts(view, sentence_of, list(zip(firsts, lasts, strict=True)))


def gap(view: TextView, left: int, right: int) -> str:
    """The folded characters between token ``left`` and token ``right``."""
    tokens = view.tokens
    return view.folded[tokens[left].end : tokens[right].start]


def clause_window(
    facts: TextFacts,
    start: int,
    size: int,
    *,
    stops: frozenset[int],
    commas: bool,
) -> list[int]:
    """Token indices after ``start`` in the same sentence, at most ``size``, up to a stop
    word, a dash or bracket, or (if ``commas``) a comma."""
    tokens = facts.tokens
    if start >= len(tokens):
        return []
    sentence = facts.sentence_of[start] if start >= 0 else -1
    out: list[int] = []
    prev = start
    for i in range(start + 1, min(len(tokens), start + 1 + size)):
        if facts.sentence_of[i] != sentence or i in stops:
            break
        between = gap(facts.view, prev, i)
        if between != " " and (  # the usual gap: nothing to look for
            any(d in between for d in _DASHES) or (commas and "," in between)
        ):
            break
        out.append(i)
        prev = i
    return out


def _suggestion(pack: Pack, vocabulary: str) -> str | None:
    vocab = pack.vocabulary(vocabulary)
    return vocab.message if vocab is not None else None


# -- ownership -------------------------------------------------------------------------


def first_person_verbs(facts: TextFacts, pack: Pack) -> tuple[int, ...]:
    """Token indices of first-person past verbs, in text order: "we sent", "I chose",
    "wysłaliśmy". Computed once per text (several rules ask) and shared."""
    if facts._verbs is None:
        facts._verbs = tuple(_first_person_verbs(facts, pack))
    return facts._verbs


def _first_person_verbs(facts: TextFacts, pack: Pack) -> list[int]:
    tokens = facts.tokens
    verbs: list[int] = []
    past_forms = facts.covered(PAST_FORMS)
    not_verbs = facts.covered(NOT_VERBS)
    suffixes = tuple(pack.folded_words(PAST_SUFFIXES))
    endings = tuple(pack.folded_words(PERSON_ENDINGS))
    subjects = facts.starting(FIRST_PERSON)
    # words with a person ending ("wysłaliśmy"), picked out by C-level endswith over all
    # words; only they and the first-person subjects are visited in Python (in token
    # order, as a loop over every token would visit them)
    by_ending: set[int] = set()
    if endings:  # each distinct word tested once, then found among the words
        ended = {w for w in word_set(facts.view) if len(w) > 5 and w.endswith(endings)}
        if ended:
            found = compress(range(len(tokens)), map(ended.__contains__, view_words(facts.view)))
            by_ending = set(found).difference(not_verbs)

    def is_past(i: int) -> bool:
        if i in not_verbs:
            return False
        if i in past_forms:
            return True
        word = tokens[i].text
        return bool(suffixes) and len(word) >= _MIN_SUFFIX_WORD and word.endswith(suffixes)

    for i in sorted(by_ending.union(subjects)):
        if i in by_ending:
            verbs.append(i)
            continue
        for m in subjects[i]:
            sentence = facts.sentence_of[i]
            stop = min(len(tokens), m.last_token + 1 + _VERB_AFTER_SUBJECT)
            for j in range(m.last_token + 1, stop):
                if facts.sentence_of[j] != sentence:
                    break
                if is_past(j):
                    verbs.append(j)
                    break
    return sorted(set(verbs))  # in text order, each once (callers bisect it)


def _ownership_of(facts: TextFacts, pack: Pack, where: Where) -> list[Owning]:
    tokens = facts.tokens
    found: dict[int, Literal["fault", "act"]] = {}
    for m in facts.view.matches(OWNERSHIP):
        found[facts.sentence_of[m.first_token]] = "fault"
    adverbs = facts.covered(FAULT_ADVERBS)
    reporting = pack.folded_words(REPORTING_VERBS)  # single words: read, not matched
    for v in first_person_verbs(facts, pack):
        sentence = facts.sentence_of[v]
        if found.get(sentence) == "fault" or facts.tokens[v].text in reporting:
            continue  # "we received reports", "we discovered": told of it, not doing it
        first, last = facts.sentence_bounds[sentence]
        near = range(max(first, v - _ADVERB_BEFORE), min(last, v + _ADVERB_AFTER) + 1)
        if not adverbs.isdisjoint(near):
            found[sentence] = "fault"
        elif facts.sentence_has(MISTAKE_CUES, sentence):
            found[sentence] = "act"
    out: list[Owning] = []
    for sentence, level in sorted(found.items()):
        first, last = facts.sentence_bounds[sentence]
        out.append(Owning(where, level, tokens[first].start, tokens[last].end))
    return out


# -- apologies -------------------------------------------------------------------------


def _clause_stops(facts: TextFacts) -> frozenset[int]:
    """Tokens that end a judgment window (computed once per text: a union per apology
    would make a draft of many apologies quadratic)."""
    key = "<clause stops>"
    cached = facts._covered.get(key)
    if cached is None:
        cached = facts._covered[key] = facts.covered(NA_STOPS) | facts.covered(FIRST_PERSON)
    return cached


def _judge(
    facts: TextFacts,
    pack: Pack,
    match: Match,
) -> tuple[Kind, int, int]:
    """Kind of one apology match and the offsets of the phrase that decided it."""
    tokens = facts.tokens
    sentence = facts.sentence_of[match.first_token]
    first, _last = facts.sentence_bounds[sentence]
    stops = _clause_stops(facts)
    conditional = facts.starting(NA_CONDITIONAL)

    # 0. "Za zamieszanie, wynikłe nie z naszej winy, przepraszamy", "sorry for the delay,
    # which was through no fault of our own": it apologises and denies the fault at once
    for d in facts.in_sentence(NA_DISOWNING, sentence)[:1]:
        return "disowned", min(match.start, d.start), max(match.end, d.end)

    # 1. "sorry if", "przepraszamy, jeśli ktoś ...", "I'm sorry (if I did)"
    after = clause_window(facts, match.last_token, _CONDITIONAL_AFTER, stops=stops, commas=False)
    following = match.last_token + 1
    if (
        not after
        and following < len(tokens)
        and facts.sentence_of[following] == sentence
        and gap(facts.view, match.last_token, following).strip() == "("
    ):
        after = [following]  # a bracket right after the apology word qualifies it
    for i in after:
        for c in conditional.get(i, ()):
            return "conditional", match.start, tokens[c.last_token].end

    # 2. "If anyone was offended, we apologise" / "Jeśli ktoś poczuł się urażony,
    # przepraszamy"; and any apology in a sentence that an "if" opens ("If you did not
    # realise the error ..., we would like to apologise", "However, just in case it has
    # happened, please accept my apologies"): it apologises only in case
    for i in range(first, min(first + _CONDITION_OPENS, match.first_token)):
        if conditional.get(i):
            return "conditional", tokens[i].start, match.end
    for i in range(max(first, match.first_token - _CONDITIONAL_BEFORE), match.first_token):
        if conditional.get(i):
            hi = min(match.first_token, i + 1 + _CONDITIONAL_REACH) - 1
            if facts.first_match_in(NA_INDEFINITES, i + 1, hi) or (
                facts.first_match_in(NA_FEELINGS, i + 1, hi)
            ):
                return "conditional", tokens[i].start, match.end

    # 3. "sorry you feel", "apologies to anyone who felt", "przykro nam, że tak Pan to odebrał"
    window = clause_window(facts, match.last_token, _DEFLECT_WINDOW, stops=stops, commas=False)
    if window:
        lo, hi = window[0], window[-1]
        addressee_vocabulary = pack.vocabulary(NA_ADDRESSEES)  # not words(): no copy
        has_addressees = addressee_vocabulary is not None and bool(addressee_vocabulary.tokens)
        feelings = facts.starting(NA_FEELINGS)
        if has_addressees:
            addressees = facts.starting(NA_ADDRESSEES)
            for i in range(lo, hi + 1):
                if addressees.get(i):
                    for k in range(i + 1, min(hi, i + _ADDRESSEE_TO_FEELING) + 1):
                        for f in feelings.get(k, ()):
                            return "feelings", match.start, tokens[f.last_token].end
        else:
            for k in range(lo, hi + 1):
                for f in feelings.get(k, ()):
                    return "feelings", match.start, tokens[f.last_token].end

    # 4. "for any inconvenience", "za ewentualne niedogodności", "for the inconvenience"
    reach = clause_window(facts, match.last_token, _PREPOSITION_WINDOW, stops=stops, commas=True)
    if reach:
        prep = facts.first_match_in(NA_PREPOSITIONS, reach[0], reach[-1])
        if prep is not None:
            obj = clause_window(facts, prep.last_token, _OBJECT_WINDOW, stops=stops, commas=True)
            end = _generic_object(facts, pack, match, prep, obj)
            if end is not None:
                return "generic", match.start, end

    # 5. "Za utrudnienie przepraszam", "For any inconvenience, we apologise", "For that, we
    # offer our sincere apologies": the sentence opens with the preposition and its object
    if match.first_token - first >= 2:
        prep = facts.first_match_in(NA_PREPOSITIONS, first, first)
        if prep is not None and prep.first_token == first:
            window = clause_window(facts, prep.last_token, _OBJECT_WINDOW, stops=stops, commas=True)
            obj = [i for i in window if i < match.first_token]
            end = _generic_object(facts, pack, match, prep, obj)
            if end is not None:
                return "generic", tokens[first].start, max(end, match.end)
    return "real", match.start, match.end


def _generic_object(
    facts: TextFacts, pack: Pack, match: Match, prep: Match, obj: list[int]
) -> int | None:
    """End offset of the generic harm that the object of an apology names ("for any
    inconvenience", "for the confusion and the stress this may have caused", "for this"
    after a hedged harm, "za utrudnienia"), or None when the object names the mistake."""
    if not obj:
        return None
    tokens = facts.tokens
    hedge = facts.first_match_in(NA_HEDGES, obj[0], obj[-1])
    if hedge is not None:
        return tokens[min(hedge.last_token + 1, obj[-1])].end
    hedged_list = _hedged_harm_list(facts, pack, prep.last_token)
    if hedged_list is not None:
        return tokens[hedged_list].end
    if len(obj) == 1 and tokens[obj[0]].text in pack.folded_words(NA_REFERENTS):
        # "We know this may cause concern, and we are sorry for this."
        before = min(prep.first_token, match.first_token)
        if _refers_to_hedged_harm(facts, pack, match, before=before):
            return tokens[obj[0]].end
        return None
    near = obj[:_GENERIC_NOUN_WINDOW]
    harm = facts.first_match_in(NA_GENERIC, near[0], near[-1])
    if harm is not None:
        # AL302 lets it pass beside a real apology for the mistake itself
        return tokens[harm.last_token].end
    return None


def _hedged_harm_list(facts: TextFacts, pack: Pack, after: int) -> int | None:
    """A list of two or more harms with a hedge in it or right after it: "for the
    confusion and the stress this may have caused", "za zamieszanie i niepokój, jakie
    mogło to wywołać". Returns the last token of the hedge, or None."""
    tokens = facts.tokens
    sentence = facts.sentence_of[after] if after < len(tokens) else -1
    harms = facts.covered(NA_HARMS)
    links = pack.folded_words(NA_HARM_LINKS)  # common words: read, not matched
    hedges = facts.starting(NA_HEDGES)
    count = 0
    hedge_end: int | None = None
    i = after + 1
    stop = min(len(tokens), after + 1 + _HARM_LIST_WINDOW)
    while i < stop and facts.sentence_of[i] == sentence:
        found = hedges.get(i)
        if found:
            hedge_end = max(m.last_token for m in found)
            i = hedge_end + 1
            continue
        if i in harms:
            count += 1
        elif tokens[i].text not in links:
            break
        i += 1
    if count < 2:
        return None
    if hedge_end is None:  # the list ended at i: "... this may have caused"
        hi = min(len(tokens) - 1, i + _HEDGE_AFTER_LIST)
        if i < len(tokens) and facts.sentence_of[hi] == sentence:
            after_list = facts.first_match_in(NA_HEDGES, i, hi)
            hedge_end = after_list.last_token if after_list is not None else None
    return hedge_end


def _refers_to_hedged_harm(facts: TextFacts, pack: Pack, match: Match, *, before: int) -> bool:
    """Whether "this"/"that" in an apology ("we are sorry for this", "For that, we
    apologise") points back at a hedged harm, not at the mistake: the clause before it in
    its sentence, or else the sentence before, names a harm with a hedge ("this will cause
    concern", "may have caused confusion and/or frustration") and no act of ours."""
    sentence = facts.sentence_of[match.first_token]
    first, _last = facts.sentence_bounds[sentence]
    lo, hi = first, before - 1
    if hi - lo < _GENERIC_NOUN_WINDOW:  # nothing before it in its sentence: the one before
        if sentence == 0:
            return False
        lo, hi = facts.sentence_bounds[sentence - 1]
    lo = max(lo, hi + 1 - _REFERENT_WINDOW)  # bounded: many apologies stay linear
    if facts.covered(NA_HARMS).isdisjoint(range(lo, hi + 1)):
        return False
    if facts.first_match_in(NA_HEDGES, lo, hi) is None:
        return False
    verbs = first_person_verbs(facts, pack)
    at = bisect.bisect_left(verbs, lo)
    return not (at < len(verbs) and verbs[at] <= hi)


@dataclass
class ApologyAnalysis:
    """Everything AL301-AL304 and AL501-AL502 need to know, for one draft."""

    body: TextFacts
    subject: TextFacts
    owning: list[Owning]
    judged: list[Judged]
    apology_matches: dict[Where, list[tuple[Match, Judged]]]

    @property
    def owns_fault(self) -> bool:
        return any(o.level == "fault" for o in self.owning)

    @property
    def owns_mistake(self) -> bool:
        return bool(self.owning)

    def real(self, where: Where | None = None) -> list[Judged]:
        return [j for j in self.judged if j.kind == "real" and (where is None or j.where == where)]

    def non_apologies(self) -> list[Judged]:
        return [j for j in self.judged if j.kind != "real"]


def _judge_text(
    facts: TextFacts, pack: Pack, where: Where
) -> tuple[list[Judged], list[tuple[Match, Judged]]]:
    phrases = facts.view.matches(NA_PHRASES)
    apologies = facts.view.matches(APOLOGIES)
    in_phrases = facts.covered(NA_PHRASES)
    in_apologies = facts.covered(APOLOGIES)
    judged: list[Judged] = []
    pairs: list[tuple[Match, Judged]] = []
    for p in phrases:
        has_word = not in_apologies.isdisjoint(range(p.first_token, p.last_token + 1))
        judged.append(
            Judged(where, "phrase", p.start, p.end, p.entry.suggestion, has_word, p.entry.phrase)
        )
    suggestions = {
        "conditional": _suggestion(pack, NA_CONDITIONAL),
        "feelings": _suggestion(pack, NA_FEELINGS),
        "generic": _suggestion(pack, NA_HEDGES),
        "disowned": _suggestion(pack, NA_DISOWNING),
    }
    seen_tokens: set[int] = set()
    for a in apologies:
        if a.first_token in seen_tokens:
            continue  # "our apologies" and "apologi*" on the same word: judge it once
        seen_tokens.update(range(a.first_token, a.last_token + 1))
        if not in_phrases.isdisjoint(range(a.first_token, a.last_token + 1)):
            j = Judged(where, "phrase", a.start, a.end, None)
            pairs.append((a, j))
            continue
        kind, start, end = _judge(facts, pack, a)
        j = Judged(where, kind, start, max(end, a.end), suggestions.get(kind))
        pairs.append((a, j))
        judged.append(j)
    judged.sort(key=lambda j: (j.start, -j.end))
    merged: list[Judged] = []
    for j in judged:  # overlapping findings ("we regret any inconvenience this may have caused")
        if merged and j.start < merged[-1].end:
            continue
        merged.append(j)
    return merged, pairs


def analyse(ctx: Context) -> ApologyAnalysis:
    """The apology/ownership analysis of a draft, computed once and kept on the context."""
    cached = ctx.__dict__.get("_apology_analysis")
    if isinstance(cached, ApologyAnalysis):
        return cached
    pack = ctx.pack
    body = text_facts(ctx.body)
    subject = text_facts(ctx.subject)
    if pack is None:
        result = ApologyAnalysis(body, subject, [], [], {"body": [], "subject": []})
    else:
        owning = _ownership_of(subject, pack, "subject") + _ownership_of(body, pack, "body")
        sj, sp = _judge_text(subject, pack, "subject")
        bj, bp = _judge_text(body, pack, "body")
        result = ApologyAnalysis(body, subject, owning, sj + bj, {"subject": sp, "body": bp})
    ctx.__dict__["_apology_analysis"] = result
    return result


# -- the public helpers ------------------------------------------------------------------


def real_apologies(ctx: Context, where: Where | None = None) -> list[Judged]:
    """Real apologies, subject first, then body, in text order."""
    return analyse(ctx).real(where)


def non_apologies(ctx: Context) -> list[Judged]:
    """Non-apologies (conditional, deflecting, generic, fixed phrases), subject first."""
    return analyse(ctx).non_apologies()


def owning_sentences(ctx: Context) -> list[Owning]:
    """Sentences (subject and body) that own the mistake, with their level."""
    return list(analyse(ctx).owning)


def owns_fault(ctx: Context) -> bool:
    """The draft says the fault is its own ("that was our mistake", "źle zaplanowaliśmy")."""
    return analyse(ctx).owns_fault


def owns_mistake(ctx: Context) -> bool:
    """The draft owns the fault or names itself as doing the mistaken act."""
    return analyse(ctx).owns_mistake


def substitutes(ctx: Context) -> list[tuple[Where, Match]]:
    """Phrases used instead of an apology ("we regret", "dziękujemy za wyrozumiałość")."""
    out: list[tuple[Where, Match]] = [("subject", m) for m in ctx.subject.matches(SUBSTITUTES)]
    out += [("body", m) for m in ctx.body.matches(SUBSTITUTES)]
    return out


def pack_message(ctx: Context, vocabulary: str) -> str | None:
    """The ``message`` of a vocabulary of the draft's pack (suggestions live in the packs)."""
    return _suggestion(ctx.pack, vocabulary) if ctx.pack is not None else None


# -- greeting and paragraphs (AL301's position, AL303's count) ----------------------------

GREETINGS = "buried-apology.greetings"
_GREETING_MAX_WORDS = 5
_GREETING_LINE_MAX_WORDS = 8
_MAX_GREETING_PARAGRAPHS = 2


def _is_greeting(ctx: Context, start: int, end: int, *, whole_paragraph: bool) -> bool:
    """A short salutation: ends with a comma, or is five words or fewer, or opens with a
    greeting word ("Dzień dobry", "Hi there!")."""
    text = ctx.body.text[start:end].strip()
    if not text:
        return True
    lo, hi = _token_range(ctx, start, end)
    words = ctx.body.tokens[lo:hi]
    if whole_paragraph and len(words) <= _GREETING_MAX_WORDS and not text.endswith((".", "?")):
        return True
    if len(words) > _GREETING_LINE_MAX_WORDS:
        return False
    if text.endswith(","):
        return True
    if not words:
        return True
    greeting = analyse(ctx).body.starting(GREETINGS).get(lo)  # words[0] is token lo
    return bool(greeting) and not text.endswith((".", "?"))


def _opens_with_greeting(ctx: Context, start: int, end: int) -> bool:
    """``[start, end)`` is a few words that open with a greeting word ("Hey rider")."""
    lo, hi = _token_range(ctx, start, end)
    if hi == lo or hi - lo > _GREETING_MAX_WORDS:
        return False
    return bool(analyse(ctx).body.starting(GREETINGS).get(lo))


def _token_range(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """Indices ``[lo, hi)`` of the body tokens that start in ``[start, end)`` (bisection
    over the tokens, which are in text order: no scan of every word)."""
    tokens = ctx.body.tokens
    lo = bisect.bisect_left(tokens, start, key=_token_start)
    return lo, bisect.bisect_left(tokens, end, lo=lo, key=_token_start)


def content_paragraphs(ctx: Context) -> list[tuple[int, int]]:
    """Body paragraphs (prose offsets) after the greeting; the first may start after a
    greeting line that shares its block ("Hi Sam,\\nWe're sorry ...")."""
    paragraphs = list(ctx.draft.prose.paragraphs())  # a copy: the first may be trimmed below
    skipped = 0
    while (
        paragraphs
        and skipped < _MAX_GREETING_PARAGRAPHS
        and "\n" not in ctx.body.text[paragraphs[0][0] : paragraphs[0][1]].strip()
        and _is_greeting(ctx, paragraphs[0][0], paragraphs[0][1], whole_paragraph=True)
    ):
        paragraphs = paragraphs[1:]
        skipped += 1
    if paragraphs and skipped == 0:
        start, end = paragraphs[0]
        line_end = ctx.body.text.find("\n", start, end)
        if line_end != -1 and _is_greeting(ctx, start, line_end, whole_paragraph=False):
            paragraphs[0] = (line_end + 1, end)
        else:
            # unwrapped plain text: "Hey rider, The booking button ..."
            comma = ctx.body.text.find(",", start, end)
            if comma != -1 and _opens_with_greeting(ctx, start, comma):
                paragraphs[0] = (comma + 1, end)
    return paragraphs


def body_start(ctx: Context) -> int | None:
    """Prose offset of the first word after the greeting (None for an empty body)."""
    paragraphs = content_paragraphs(ctx)
    if not paragraphs:
        return None
    start, end = paragraphs[0]
    text = ctx.body.text
    # spaces and template marks: a control tag ({% blocktrans %}) before the first word
    # is no place to point at
    while start < end and (text[start].isspace() or text[start] == TEMPLATE_MARK):
        start += 1
    return start


def words_between(ctx: Context, start: int, end: int) -> int:
    """Number of body words that start in ``[start, end)``."""
    if end <= start:
        return 0
    lo, hi = _token_range(ctx, start, end)
    return hi - lo
