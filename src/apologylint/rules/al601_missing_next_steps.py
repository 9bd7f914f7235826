"""AL601 missing-next-steps: the reader is never told what to do, nor that nothing is needed.

Signals of a next step, read from ``missing-next-steps`` in the draft's pack:

* ``next_steps`` — phrases that are instructions or offers anywhere ("reply to this email",
  "you can rebook", "nie musisz nic robić", "kliknij", "prosimy o ...") or say that no
  action is needed ("there's nothing you need to do", "your tickets are still valid");
* ``imperatives`` — English verbs that are instructions only when they open a sentence or
  clause ("Reply to ...", "..., call us", "- Change your password"): English imperatives
  look like other forms, so position decides;
* the protective steps of AL602.

An offer to answer questions is contact, not a next step: signals in a sentence with a
``questions`` word ("If you have any questions, please call us"), or right after a short
"Questions?" sentence, do not count, unless the sentence speaks to the people affected
(``affected_conditions``: "reach out if you were affected, so we can address your
concerns"). Footer and quoted lines are not read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from ..context import Context, TextView
from ..language import opens_clause, sentence_numbers
from ..matching import Match
from ..model import Severity
from ..readability import body_end, quote_test
from .base import Example, Finding, NotChecked, Rule
from .steps import protective_steps, top_of_body

VOCAB = "missing-next-steps"
#: A "Questions?" sentence this short also covers the sentence after it.
_SHORT_QUESTION_SENTENCE = 3


def _clause_initial(view: TextView, match: Match, lead_words: frozenset[str]) -> bool:
    """Whether a verb stands where an English imperative stands."""
    i = match.first_token
    if opens_clause(view, i):
        return True
    # "please reply", "just use", "please just use": the leads themselves open the clause
    # ("so this defaulted to just send everyone" is no instruction)
    k = i - 1
    while k >= 0 and view.tokens[k].text in lead_words:
        if "." in view.text[view.tokens[k].end : view.tokens[k + 1].start]:
            return False
        if opens_clause(view, k):
            return True
        k -= 1
    return False


def _followed_by_object(view: TextView, match: Match, non_objects: frozenset[str]) -> bool:
    """An imperative has a complement in its sentence ("Update: ..." is a heading)."""
    tokens = view.tokens
    j = match.last_token + 1
    return j < len(tokens) and not tokens[j].brk and tokens[j].text not in non_objects


def _question_sentences(view: TextView) -> set[int]:
    """Sentences that only offer to answer questions (and the one after "Questions?")."""
    questions = view.matches(f"{VOCAB}.questions")
    if not questions:
        return set()
    sentence = sentence_numbers(view)
    # "Please reach out if you were affected, so we can address your concerns": an
    # instruction to the people affected, not only an offer to answer questions
    affected = {sentence[m.first_token] for m in view.matches(f"{VOCAB}.affected_conditions")}
    marked: set[int] = set()
    for m in questions:
        sid = sentence[m.first_token]
        if sid in affected:
            continue
        marked.add(sid)
        # the words of the sentence: the numbers run in word order, so two bisections
        # count them (counting every sentence of a long draft was most of this rule)
        if bisect_right(sentence, sid) - bisect_left(sentence, sid) <= _SHORT_QUESTION_SENTENCE:
            marked.add(sid + 1)
    return marked


def _signals(view: TextView, ctx: Context, limit: int | None) -> list[Match]:
    """Next-step signals of one text (the subject or the body)."""
    assert ctx.pack is not None
    lead = ctx.pack.folded_words(f"{VOCAB}.imperative_leads")
    non_objects = ctx.pack.folded_words(f"{VOCAB}.non_objects")
    found = list(view.matches(f"{VOCAB}.next_steps"))
    found.extend(
        m
        for m in view.matches(f"{VOCAB}.imperatives")
        if _followed_by_object(view, m, non_objects) and _clause_initial(view, m, lead)
    )
    if not found:
        return []
    sentence = sentence_numbers(view)
    questions = _question_sentences(view)
    is_quoted = quote_test(view.text)
    return [
        m
        for m in found
        if sentence[m.first_token] not in questions
        and (limit is None or m.start < limit)
        and not is_quoted(m.start)
    ]


def next_step_signals(ctx: Context) -> list[Match]:
    """Body matches that tell the reader what to do (or that nothing is needed)."""
    if ctx.pack is None:
        return []
    found = _signals(ctx.body, ctx, body_end(ctx))
    found.extend(protective_steps(ctx))
    found.sort(key=lambda m: m.start)
    return found


class MissingNextSteps(Rule):
    code = "AL601"
    slug = "missing-next-steps"
    family = "next-steps"
    severity = Severity.WARNING
    needs_whole_text = True
    summary = (
        "The reader is never told what to do, nor told that no action is needed (an error "
        "for security incidents)."
    )
    rationale = (
        "After \"sorry\", the reader's next thought is \"do I need to do anything?\". "
        "Answer it: give the exact step (\"use the new link\", \"reply to this email and we "
        "will refund you\", \"kliknij\", \"odpisz\") or say plainly that nothing is needed "
        "(\"you don't need to do anything\", \"nie musisz nic robić\"). Left unanswered, "
        "people guess, worry, or flood support. An offer to answer questions is not a next "
        "step. For a security incident the silence is an error: the reader must act to "
        "protect themselves."
    )
    vocabulary = (
        f"{VOCAB}.next_steps",
        f"{VOCAB}.imperatives",
        f"{VOCAB}.imperative_leads",
        f"{VOCAB}.non_objects",
        f"{VOCAB}.questions",
        f"{VOCAB}.affected_conditions",
        "missing-security-steps.steps",
    )
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: Our newsletter went out twice\nFrom: Tallow <hello@tallow.example>\n\n"
            "We're sorry: this morning's newsletter reached you twice because we restarted "
            "the send by mistake. If you have any questions, please contact us.\n",
            note="an offer to answer questions is not a next step",
        ),
        Example(
            "pl",
            "Subject: Newsletter przyszedł dwa razy\nFrom: Glina <czesc@glina.example>\n\n"
            "Przepraszamy: dzisiejszy newsletter dotarł do Ciebie dwa razy, bo przez pomyłkę "
            "ponowiliśmy wysyłkę. W razie pytań prosimy o kontakt.\n",
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Our newsletter went out twice\nFrom: Tallow <hello@tallow.example>\n\n"
            "We're sorry: this morning's newsletter reached you twice. You don't need to do "
            "anything, and you were not charged twice.\n",
        ),
        Example(
            "pl",
            "Subject: Newsletter przyszedł dwa razy\nFrom: Glina <czesc@glina.example>\n\n"
            "Przepraszamy: dzisiejszy newsletter dotarł do Ciebie dwa razy. Nie musisz nic "
            "robić — drugą wiadomość możesz po prostu usunąć.\n",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.draft.prose.text.strip():
            raise NotChecked("the draft has no body text")
        if next_step_signals(ctx):
            return
        if ctx.subject.text and ctx.pack is not None and _signals(ctx.subject, ctx, None):
            return
        if ctx.is_security_incident:
            yield Finding(
                "this is a security incident, but the reader is never told what to do next: "
                "not one step they should take, nor that they need to do nothing",
                span=top_of_body(ctx),
                suggestion=(
                    "tell the reader exactly what to do now, e.g. \"Change your password "
                    "today\" and \"Reply to this email if you see an order you did not "
                    "place\""
                ),
                severity=Severity.ERROR,
            )
            return
        yield Finding(
            "the reader is never told what to do next, nor that they need to do nothing",
            span=top_of_body(ctx),
            suggestion=(
                "add one plain sentence: the exact step (\"Use the new link below\", "
                "\"Reply to this email and we will refund you\") or \"You don't need to do "
                "anything\" / \"Nie musisz nic robić\""
            ),
        )
