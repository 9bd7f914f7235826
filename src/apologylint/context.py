"""What a rule sees for one draft: the draft, its settings, its pack, and shared analyses.

Analyses that several rules need (folded words, phrase matches, the incident kind) are
computed once, lazily, and cached here — never in module globals — so that two drafts or
two configurations in one process never see each other's state.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from itertools import accumulate
from typing import Any, TypeVar

from .audience import AddressLists
from .matching import Hits, Match, PhraseMatcher, Token, fold, tokenize
from .model import Draft, Span
from .packs import Pack, cached_in
from .settings import Settings

T = TypeVar("T")


class _Memo:
    """A per-object cache for analyses that several rules share (never module-global)."""

    def __init__(self) -> None:
        self._memo: dict[str, Any] = {}

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per object and key; later calls get the same value."""
        return cached_in(self._memo, key, compute)


def _not_overlapping(matches: list[Match], blockers: list[Match]) -> list[Match]:
    """``matches`` that overlap no blocker, in O((m + b) log b): for blockers sorted by
    start, a running maximum of their ends says whether any blocker starting before a
    match's end reaches past its start (comparing every pair is quadratic on a hostile
    draft of thousands of matches and exceptions)."""
    ordered = sorted(blockers, key=lambda b: b.start)
    starts = [b.start for b in ordered]
    reach = list(accumulate((b.end for b in ordered), max))
    kept = []
    for m in matches:
        k = bisect_left(starts, m.end)  # blockers [0, k) start before the match ends
        if k == 0 or reach[k - 1] <= m.start:
            kept.append(m)
    return kept


class TextView(_Memo):
    """A text (prose or subject) with its folded form, words and all pack matches."""

    def __init__(self, text: str, pack: Pack | None, *, words: TextView | None = None,
                 subject: bool = False) -> None:
        """``words``: a view of the same text whose folding and tokens to reuse (the
        engine reads the words before the language, hence the pack, is known).
        ``subject``: the text is a subject line, so vocabularies of ``scope = "subject"``
        are matched too."""
        super().__init__()
        self.is_subject = subject
        self.text = text
        self.folded: str
        self.tokens: Sequence[Token]  # a list, or Tokens for a long text
        if words is not None and words.text == text:
            self.folded, self.tokens = words.folded, words.tokens
        else:
            self.folded = fold(text)
            self.tokens = tokenize(self.folded, text)
        self._pack = pack
        #: the matches of each vocabulary a rule has asked for (see :meth:`matches`)
        self._matches: dict[str, list[Match]] = {}

    @cached_property
    def _hits(self) -> dict[str, tuple[PhraseMatcher, Hits]]:
        """Where every vocabulary matches, as hits (see
        :meth:`~apologylint.matching.PhraseMatcher.find_hits`) with the matcher that
        found them; a vocabulary's hits are turned into matches when a rule first asks
        for them, and then let go."""
        if self._pack is None:
            return {}
        matcher = self._pack.matcher
        found = {name: (matcher, hits) for name, hits in matcher.find_hits(self.tokens).items()}
        if self.is_subject:  # scopes are disjoint: no vocabulary is in both tries
            subject = self._pack.subject_matcher
            found.update((name, (subject, hits))
                         for name, hits in subject.find_hits(self.tokens).items())
        return found

    def _built(self, vocabulary: str) -> list[Match] | None:
        """The matches of one vocabulary, from its hits (None: it has none). Exceptions
        (``"<vocab>!"``) cancel the overlapping matches of their vocabulary and are never
        served themselves."""
        if vocabulary.endswith("!"):
            return None
        hits = self._hits
        found = hits.pop(vocabulary, None)
        if found is None:
            return None
        matcher, own = found
        matches = matcher.matches_of(own, self.tokens)
        exceptions = hits.pop(vocabulary + "!", None)
        if exceptions is not None:
            matcher, own = exceptions
            matches = _not_overlapping(matches, matcher.matches_of(own, self.tokens))
        return matches

    def matches(self, vocabulary: str) -> list[Match]:
        """Matches of one qualified vocabulary ("<rule>.<table>"), in text order."""
        found = self._matches.get(vocabulary)
        if found is None:
            found = self._built(vocabulary)
            if found is None:
                self._check_scope(vocabulary)
                return []
            self._matches[vocabulary] = found
        return found

    def has(self, vocabulary: str) -> bool:
        return bool(self.matches(vocabulary))

    def _check_scope(self, vocabulary: str) -> None:
        """A vocabulary this view never matches (a word list; a subject vocabulary in a
        body) is a bug in the rule that asks, not an absence in the text."""
        scope = self._pack.scope_of(vocabulary) if self._pack is not None else None
        if scope == "words":
            raise ValueError(f"{vocabulary} is a word list (scope = \"words\"): read it "
                             "with Pack.words() or Pack.folded_words()")
        if scope == "subject" and not self.is_subject:
            raise ValueError(f"{vocabulary} is matched in subject lines only "
                             "(scope = \"subject\")")


class Context(_Memo):
    """One draft as the rules read it."""

    def __init__(
        self,
        draft: Draft,
        settings: Settings,
        pack: Pack | None,
        packs: Mapping[str, Pack],
        *,
        words: tuple[TextView, TextView] | None = None,
    ) -> None:
        super().__init__()
        self.draft = draft
        self.settings = settings
        self.pack = pack
        self.packs = packs
        if words is not None:  # tokenized already (language detection): read with the pack
            self.__dict__["body"] = TextView(draft.prose.text, pack, words=words[0])
            self.__dict__["subject"] = TextView(draft.subject or "", pack, words=words[1],
                                                subject=True)
        #: the run's address lists (recipients, affected, suppressed), read once per run;
        #: the engine sets the run's cache here, a bare Context gets its own
        self.lists = AddressLists()

    # -- texts --------------------------------------------------------------------------

    @cached_property
    def body(self) -> TextView:
        """The prose the recipient reads (HTML body, else the text body)."""
        return TextView(self.draft.prose.text, self.pack)

    @cached_property
    def subject(self) -> TextView:
        return TextView(self.draft.subject or "", self.pack, subject=True)

    # -- positions ----------------------------------------------------------------------

    def body_span(self, start: int, end: int) -> Span | None:
        """Source span of prose offsets (falls back to the top of the file)."""
        return self.draft.prose.source_span(start, end)

    def match_span(self, match: Match) -> Span | None:
        return self.body_span(match.start, match.end)

    def subject_span(self, start: int | None = None, end: int | None = None) -> Span | None:
        """Where the subject stands. Offsets inside it are honoured when the subject text
        is written plainly in the source (a .txt header, an HTML <title>)."""
        span = self.draft.subject_span
        subject = self.draft.subject
        if span is None or subject is None or start is None:
            return span
        source_text = self.draft.source.text[span.start : span.end]
        at = source_text.find(subject)
        if at < 0:
            return span
        end = start if end is None else end
        return Span(span.start + at + start, span.start + at + end)

    # -- facts shared by several rules ---------------------------------------------------

    @cached_property
    def incident(self) -> str:
        """The incident kind: the explicit setting, else inferred from the text."""
        from .incident import infer_incident

        if self.settings.incident and self.settings.incident != "auto":
            return self.settings.incident
        return infer_incident(self)

    @property
    def is_security_incident(self) -> bool:
        return self.incident == "breach"
