"""The reader's protective steps after a security incident: what AL602 requires, and what
AL601 (next steps) and AL905 (HIPAA's "steps individuals should take") count as a step.
One module that the rules read, so that no rule imports another.

A step is a complete phrase of ``missing-security-steps.steps`` ("credit freeze", "suspicious
emails", "menedżer haseł"), or an action of one group followed closely by an object of the
same group: ``password_actions`` + ``password_objects`` ("change your Quillstone password",
or "change it" after a password was named in the sentence: ``password_pronouns``),
``twofactor_*``, ``caution_*``, ``account_*`` and ``card_*``. Not steps: what the company
did (an action right after ``company_agents``: "we reset every staff password"), and steps
the draft says are not needed ("you don't need to change your password").
"""

from __future__ import annotations

from ..context import Context
from ..incident import Cues, cues
from ..matching import Match
from ..model import TEMPLATE_MARK, Span
from ..readability import body_end, quote_test

VOCAB = "missing-security-steps"
GROUPS = ("password", "twofactor", "caution", "account", "card")
#: Most words between an action and its object ("keep an eye on [your bank] statements").
MAX_GAP = 4
#: Most auxiliaries between a company agent and its action ("we [have also] reset").
MAX_AUX = 4


def top_of_body(ctx: Context) -> Span | None:
    """Where the reader starts reading: the first visible character of the body."""
    text = ctx.draft.prose.text
    for i, ch in enumerate(text):
        if not ch.isspace() and ch != TEMPLATE_MARK:
            span = ctx.body_span(i, i + 1)
            if span is not None:
                return span
    return None


def _by_company(ctx: Context, action: Match) -> bool:
    """Whether the action is the company's own ("we have reset", "wymusiliśmy zmianę")."""
    view = ctx.body
    tokens = view.tokens
    assert ctx.pack is not None
    pack = ctx.pack
    # once per draft, not once per action: a draft of many actions was quadratic
    aux = view.cached(f"{VOCAB}.auxiliaries", lambda: pack.folded_words(f"{VOCAB}.auxiliaries"))
    agent_ends = view.cached(
        f"{VOCAB}.company_agent_ends",
        lambda: {m.last_token for m in view.matches(f"{VOCAB}.company_agents")},
    )
    j = action.first_token - 1
    steps = 0
    while j >= 0 and steps < MAX_AUX and not tokens[j + 1].brk and tokens[j].text in aux:
        j -= 1
        steps += 1
    return j >= 0 and not tokens[j + 1].brk and j in agent_ends


def protective_steps(ctx: Context) -> list[Match]:
    """The reader's protective steps in the body (footer and quoted lines left out).

    For a paired step the match returned is the action; its object follows it.
    """
    if ctx.pack is None or not ctx.draft.prose.text:
        return []
    view = ctx.body
    c = cues(view)
    end = body_end(ctx)
    is_quoted = quote_test(ctx.draft.prose.text)
    found: list[Match] = []
    for m in view.matches(f"{VOCAB}.steps"):
        if not c.negated(m.first_token):
            found.append(m)
    for group in GROUPS:
        object_matches = view.matches(f"{VOCAB}.{group}_objects")
        if not object_matches:
            continue
        objects = {m.first_token for m in object_matches}
        if group == "password":  # "if you use the same password elsewhere, change it"
            objects.update(_pronouns_after_named(ctx, c, object_matches))
        for action in view.matches(f"{VOCAB}.{group}_actions"):
            if c.negated(action.first_token) or _by_company(ctx, action):
                continue
            for start in range(action.last_token + 1, action.last_token + MAX_GAP + 2):
                if start not in objects:
                    continue
                if not c.same_sentence(action.first_token, start):
                    break
                if c.comma_between(action.last_token, start):
                    break
                found.append(action)
                break
    found = [m for m in found if m.start < end and not is_quoted(m.start)]
    found.sort(key=lambda m: m.start)
    return found


def _pronouns_after_named(ctx: Context, c: Cues, named: list[Match]) -> set[int]:
    """Words of ``password_pronouns`` ("it", "them") that follow a password named earlier
    in their sentence: they stand for it ("... the same email and password ..., change
    it"). Only the actions' reach is searched, not the whole text."""
    assert ctx.pack is not None
    pronouns = ctx.pack.folded_words(f"{VOCAB}.password_pronouns")
    tokens = ctx.body.tokens
    first_named: dict[int, int] = {}  # sentence -> its first password word
    for m in named:
        first_named.setdefault(c.sentence[m.first_token], m.first_token)
    found: set[int] = set()
    for action in ctx.body.matches(f"{VOCAB}.password_actions"):
        for i in range(action.last_token + 1, min(len(tokens), action.last_token + MAX_GAP + 2)):
            if tokens[i].text in pronouns and first_named.get(c.sentence[i], i) < i:
                found.add(i)
    return found


def reset_for_the_reader(ctx: Context) -> bool:
    """Whether the company reset the readers' credentials itself (``company_resets``: "we
    have reset the passwords of every affected account") and says nothing more is needed
    (``nothing_needed``): the step was taken for them, so there is none left to tell."""
    if ctx.pack is None:
        return False
    view = ctx.body
    c = cues(view)
    return any(
        not c.negated(m.first_token) for m in view.matches(f"{VOCAB}.company_resets")
    ) and bool(view.matches(f"{VOCAB}.nothing_needed"))
