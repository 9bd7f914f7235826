"""AL205 shouting-subject."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import compress

from ..context import Context
from ..language import word_set
from ..language import words as view_words
from ..matching import Token, fold, tokenize
from ..model import Severity
from ..packs import Pack
from .base import Example, Finding, Rule
from .subjects import mask_templates

ACRONYMS = "shouting-subject.acronyms"
PREFIXES = "shouting-subject.reply_prefixes"

#: A capitalised word this long or shorter is taken for an acronym (EU, VAT, PIN) ...
MAX_ACRONYM_LETTERS = 3
#: ... unless it stands in a run of this many capitalised words (OUR BAD, WE ARE SO).
MIN_SHOUTING_RUN = 2


def _pack_words(packs: Iterable[Pack], name: str) -> frozenset[str]:
    """A vocabulary of every loaded pack, folded: acronyms and mail-client prefixes cross
    languages (GDPR in a Polish subject, Odp: from a Polish Outlook in English mail)."""
    # folded once per pack, not per draft; merged by one C-level union (no extra copy)
    return frozenset().union(*(pack.folded_words(name) for pack in packs))


def _caps_letters(word: str) -> int:
    """Number of letters if every cased letter is a capital (Ł, Ę, Ą count), else 0."""
    letters = [c for c in word if c.isalpha()]
    cased = [c for c in letters if c.lower() != c.upper()]
    if len(cased) < 2 or not all(c.isupper() for c in cased):
        return 0
    return len(letters)


def _is_known(word: str, acronyms: frozenset[str]) -> bool:
    """A listed acronym, a code with digits (PS4, MP3, COVID-19, 2FA), or a compound of
    listed parts (WI-FI): never shouting, alone or beside another capitalised word."""
    if word in acronyms or any(c.isdigit() for c in word):
        return True
    parts = [p for p in word.replace("'", "-").split("-") if p]
    return len(parts) > 1 and all(p in acronyms for p in parts)


def _is_acronym(word: str, acronyms: frozenset[str]) -> bool:
    """Known (above), or short enough to be one: every part of three letters or fewer."""
    if _is_known(word, acronyms):
        return True
    parts = [p for p in word.replace("'", "-").split("-") if any(c.isalpha() for c in p)]
    return bool(parts) and all(
        p in acronyms or sum(c.isalpha() for c in p) <= MAX_ACRONYM_LETTERS for p in parts
    )


def fake_prefix(subject: str, prefixes: frozenset[str]) -> tuple[int, int] | None:
    """(start, end) of a leading chain of reply/forward prefixes ("RE: Fwd: ", "Odp: ")."""
    i, n = 0, len(subject)
    start = end = -1
    while True:
        while i < n and subject[i].isspace():
            i += 1
        j = i
        while j < n and subject[j].isalpha():
            j += 1
        word = fold(subject[i:j])
        k = j
        if k < n and subject[k] in "[(":  # "RE[2]:", "Re(3):"
            close = k + 1
            while close < n and close - k <= 4 and subject[close].isdigit():
                close += 1
            if close < n and subject[close] in "])":
                k = close + 1
        while k < n and subject[k] == " ":
            k += 1
        if not word or word not in prefixes or k >= n or subject[k] not in ":：":
            break
        if start < 0:
            start = i
        end = i = k + 1
    return (start, end) if start >= 0 else None


class ShoutingSubject(Rule):
    code = "AL205"
    slug = "shouting-subject"
    family = "subject"
    severity = Severity.WARNING
    summary = (
        "The subject shouts: ALL-CAPS words beyond acronyms (Polish capitals such as Ł, Ę, "
        "Ą count), \"!!\", or a fake \"RE:\"/\"FW:\"/\"Odp:\" prefix."
    )
    rationale = (
        "Capitals and double exclamation marks read as alarm or hype, the opposite of a "
        "calm, owning apology, and both are classic spam-filter signals. A reply or "
        "forward prefix on a new message is a trick from phishing and cold outreach: it "
        "pretends to continue a conversation and spends the trust an apology needs. A "
        "capitalised word counts as shouting when it has four or more letters and is not "
        "a known acronym (the packs list GDPR, RODO, PESEL ...), or when two or more "
        "capitalised words stand together (OUR BAD), unless all of them are listed acronyms. "
        "A word the body also writes in capitals beside ordinary words (\"the BOINC "
        "client\") is a name the draft uses, not shouting."
    )
    vocabulary = (ACRONYMS, PREFIXES)
    fail_examples = (
        Example("en", "Subject: URGENT: your booking was CANCELLED by mistake!!\n"
                "From: Acme Travel <help@acme.com>\n\n"
                "We're sorry: we cancelled your booking by mistake. It is restored.\n"),
        Example("pl", "Subject: Odp: BŁĘDNA kwota na fakturze za marzec\n"
                "From: EkoPrąd <bok@ekoprad.pl>\n\n"
                "Przepraszamy: podaliśmy zbyt wysoką kwotę. Korekta jest w załączniku.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Your PIN letter went to an old address (GDPR notice)\n"
                "From: Acme Bank <help@acme.com>\n\n"
                "We're sorry: we sent your PIN letter to an address you had changed.\n"),
        Example("pl", "Subject: Błędny numer NIP na fakturze VAT za marzec\n"
                "From: EkoPrąd <bok@ekoprad.pl>\n\n"
                "Przepraszamy: na fakturze podaliśmy zły NIP. Korekta jest w załączniku.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        subject = ctx.draft.subject
        if subject is None or not subject.strip():
            return
        masked = mask_templates(subject)
        packs = list(ctx.packs.values())

        prefix = fake_prefix(masked, _pack_words(packs, PREFIXES))
        if prefix is not None and not self._is_real_reply(ctx):
            start, end = prefix
            shown = subject[start:end].strip()
            yield Finding(
                f"the subject starts with {shown!r}, but an apology is a new message: a "
                "fake reply/forward prefix is a phishing trick and costs trust",
                span=ctx.subject_span(start, end),
                suggestion="drop the prefix and say what happened",
            )

        shouted = self._shouted_runs(ctx, masked, _pack_words(packs, ACRONYMS))
        if shouted:
            words = ", ".join(repr(masked[s:e]) for s, e in shouted)
            yield Finding(
                f"the subject shouts in capitals ({words}): in an apology capitals read as "
                "alarm or hype, and spam filters distrust them",
                span=ctx.subject_span(shouted[0][0], shouted[-1][1]),
                suggestion="write it in sentence case; keep capitals for acronyms (GDPR, PIN)",
            )

        bang = masked.find("!!")
        if bang < 0:
            bang = masked.find("！！")
        if bang >= 0:
            end = bang
            while end < len(masked) and masked[end] in "!！?":
                end += 1
            yield Finding(
                f"{masked[bang:end]!r} in the subject reads as shouting or excitement, not "
                "as an apology",
                span=ctx.subject_span(bang, end),
                suggestion="end the subject without exclamation marks",
            )

    @staticmethod
    def _is_real_reply(ctx: Context) -> bool:
        """A rendered message that answers a thread (In-Reply-To/References) really is a
        reply: a support agent apologising to one customer. Its prefix is not fake."""
        draft = ctx.draft
        return draft.origin.kind in ("eml", "mbox") and (
            draft.header("In-Reply-To") is not None or draft.header("References") is not None
        )

    @staticmethod
    def _shouted_runs(
        ctx: Context, masked: str, acronyms: frozenset[str]
    ) -> list[tuple[int, int]]:
        """(start, end) of each run of capitalised words that counts as shouting."""
        sender_caps: set[str] = set()  # the brand writes its own name in capitals: IKEA
        names = [ctx.draft.sender.display_name if ctx.draft.sender else ""]
        if ctx.settings.brand is not None and ctx.settings.brand.name:
            names.append(ctx.settings.brand.name)
        for name in names:
            for token in tokenize(fold(name)):
                if _caps_letters(name[token.start : token.end]):
                    sender_caps.add(token.text)

        runs: list[list[tuple[Token, int]]] = []
        current: list[tuple[Token, int]] = []
        for token in tokenize(fold(masked)):
            written = masked[token.start : token.end]
            letters = _caps_letters(written)
            if letters and token.text not in sender_caps:
                current.append((token, letters))
                continue
            if current and len(written) == 1 and written.isupper():
                current.append((token, 1))  # "BŁĄD W FAKTURZE", "A BIG MISTAKE": joins
                continue
            runs.append(current)
            current = []
        runs.append(current)

        long_caps = {
            token.text
            for run in runs
            for token, letters in run
            if letters > MAX_ACRONYM_LETTERS and not _is_acronym(token.text, acronyms)
        }
        if long_caps:  # "please install new BOINC version": the body says BOINC too
            acronyms = acronyms | _names_in_body(ctx, long_caps)

        shouted: list[tuple[int, int]] = []
        for run in runs:
            while run and run[-1][1] == 1:
                run.pop()  # a trailing one-letter word is not part of the shouting
            words = [(token, letters) for token, letters in run if letters > 1]
            if not words:
                continue
            loud = any(
                letters > MAX_ACRONYM_LETTERS and not _is_acronym(token.text, acronyms)
                for token, letters in words
            )
            if not loud and len(words) >= MIN_SHOUTING_RUN:
                loud = not all(_is_known(token.text, acronyms) for token, _ in words)
            if loud:
                shouted.append((run[0][0].start, run[-1][0].end))
        return shouted


def _names_in_body(ctx: Context, candidates: set[str]) -> frozenset[str]:
    """Candidates the body also writes in capitals beside an ordinary lower-case word
    ("BOINC stopped working", "the NHS app"): a name of the draft, not shouting. Only the
    candidates' occurrences are visited (found with C-level ``map``)."""
    if candidates.isdisjoint(word_set(ctx.body)):
        return frozenset()
    text, tokens = ctx.body.text, ctx.body.tokens
    found: set[str] = set()
    hits = compress(range(len(tokens)), map(candidates.__contains__, view_words(ctx.body)))
    for i in hits:
        token = tokens[i]
        if not _caps_letters(text[token.start : token.end]):
            continue
        beside = [*tokens[max(0, i - 1) : i], *tokens[i + 1 : i + 2]]
        if any(text[n.start : n.end].islower() for n in beside):
            found.add(token.text)
    return frozenset(found)
