"""AL202 vague-subject: the subject does not say what happened."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context, TextView
from ..model import Severity
from .addresses import brand_words
from .base import Example, Finding, Rule
from .subjects import EXAMPLES, mask_templates, subject_example

GENERIC = "vague-subject.generic"
PARTIES = "vague-subject.parties"
STOP = "vague-subject.stop"
HEADS_FIRST = "vague-subject.heads_first"
HEADS_LAST = "vague-subject.heads_last"
EVENTS = "vague-subject.events"
SENDER_LEADS = "vague-subject.sender_leads"



def _drop_possessives(text: str) -> str:
    """Blank an English possessive "'s" (same length): "week's" reads as "week"."""
    if "'" not in text and "’" not in text:
        return text  # the common case: no apostrophe, no loop over the characters
    out = list(text)
    n = len(text)
    for i in range(n - 1):
        if text[i] in "'’" and text[i + 1] in "sS" and (i + 2 >= n or not text[i + 2].isalnum()):
            out[i] = out[i + 1] = " "
    return "".join(out)


def _words_view(ctx: Context, subject: str) -> TextView:
    """The subject's words as the 2xx judgments read them (template tags blanked,
    possessives dropped), matched once per draft: the draft's own subject view when that
    changes nothing (its matches are already found), else one view kept on the context
    (AL202 asks twice)."""
    text = _drop_possessives(mask_templates(subject))
    if text == ctx.subject.text:
        return ctx.subject
    return ctx.cached(f"vague-subject.view:{text}", lambda: TextView(text, ctx.pack, subject=True))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _inflects(word: str, brand: str) -> bool:
    """``word`` is ``brand`` with a Polish or English ending: Parkomatu, Kwiatka (for
    Kwiatek), Acme's; a word of 4+ letters inside a run-together domain label counts
    too (fernleaf in fernleafoutdoor)."""
    if len(brand) >= 4:
        common = _common_prefix(word, brand)
        if common >= max(4, len(brand) - 2) and len(word) - common <= 3:
            return True
    return len(word) >= 4 and len(brand) > len(word) and word in brand


def _is_brand(word: str, written: str, brands: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether a subject word names the sender. A display-name word may be inflected only
    when the subject writes it as a name (capitalised): "Acme Refunds" is the sender in
    "A note from Acme Refunds", not in "your order was refunded"."""
    names, labels = brands
    if word in names or word in labels:
        return True
    if any(_inflects(word, label) for label in labels):
        return True
    return written[:1].isupper() and any(_inflects(word, name) for name in names)


def _is_number(word: str) -> bool:
    """A number, a date part or an ordinal (12345, 3rd, 10am, 2025r): no news by itself.
    COVID-19 or 2FA keep their letters and stay words."""
    return any(c.isdigit() for c in word) and sum(c.isalpha() for c in word) <= 2


def concrete_words(ctx: Context, subject: str) -> list[str]:
    """The words of a subject that may say what happened.

    Everything is removed that carries no news: generic words, function words, the
    parties (account, customers, our team), the sender's brand, numbers, template tags.
    """
    view = _words_view(ctx, subject)
    tokens = view.tokens
    covered = [False] * len(tokens)
    for vocabulary in (GENERIC, PARTIES, STOP):
        for match in view.matches(vocabulary):
            for i in range(match.first_token, match.last_token + 1):
                covered[i] = True
    brands = brand_words(ctx)
    leads = ctx.pack.folded_words(SENDER_LEADS) if ctx.pack else frozenset()
    text = view.text
    left: list[str] = []
    after_lead = False  # "An apology from Google Fiber": capitalised words name the sender
    for token, done in zip(tokens, covered, strict=True):
        word = token.text
        written = text[token.start : token.end]
        if word in leads:
            after_lead = True
        elif not written[:1].isupper():
            after_lead = False
        if done or after_lead or _is_number(word) or _is_brand(word, written, brands):
            continue
        if _in_domain(text, token.start, token.end):
            continue  # "your Amazon.com account": a site's name, not news
        left.append(written)
    return left


def _in_domain(text: str, start: int, end: int) -> bool:
    """Whether a word is part of a domain name written in the text ("Amazon.com")."""
    before = text[start - 1 : start] == "." and text[start - 2 : start - 1].isalnum()
    after = text[end : end + 1] == "." and text[end + 1 : end + 2].isalpha()
    return before or after


def labels_without_event(ctx: Context, subject: str) -> bool:
    """A subject that is a label, not news: its head is an announcement noun ("Spring term
    update", "Informacje na nowy semestr") and no word says that something happened.

    Where the head stands is the pack's business: English lists heads that end a subject,
    Polish heads that open it (after generic adjectives such as "Ważne").
    """
    view = _words_view(ctx, subject)
    tokens = view.tokens
    if not tokens or view.has(EVENTS):
        return False
    skippable = {i for m in view.matches(GENERIC) for i in range(m.first_token, m.last_token + 1)}
    skippable -= {m.first_token for m in view.matches(HEADS_FIRST)}
    first = next((i for i in range(len(tokens)) if i not in skippable), None)
    last = len(tokens) - 1
    return any(m.last_token == last for m in view.matches(HEADS_LAST)) or any(
        m.first_token == first for m in view.matches(HEADS_FIRST)
    )


class VagueSubject(Rule):
    code = "AL202"
    slug = "vague-subject"
    family = "subject"
    severity = Severity.WARNING
    summary = (
        "The subject does not say what happened: only generic words remain (\"Update\", "
        "\"Important information about your account\", \"A message from the team\", "
        "\"Ważna informacja\", \"Dzień dobry\")."
    )
    rationale = (
        "Readers decide from the subject whether to open an email. \"Important "
        "information about your account\" could be anything (and is what phishing says), "
        "so the people who need the correction never read it. A clear subject names the "
        "mistake and what it means for them: \"We charged you twice for April\". The rule "
        "removes words that carry no news (announcement and greeting words, apology words "
        "without their object, \"issue\", \"error\", the reader's account or order, the "
        "sender's team and brand, dates) and fires when nothing is left. It also fires "
        "when the subject is only a label — its head is an announcement noun (\"Spring "
        "term update\", \"Informacje na nowy semestr\") — and no word says that "
        "something happened."
    )
    vocabulary = (GENERIC, PARTIES, STOP, EXAMPLES, HEADS_FIRST, HEADS_LAST, EVENTS, SENDER_LEADS)
    uses_language = True
    fail_examples = (
        Example("en", "Subject: Important information about your account\n"
                "From: Acme <help@acme.com>\n\n"
                "We're sorry: we charged you twice for March. The refund is on its way.\n"),
        Example("en", "Subject: A note from our founder\nFrom: Maya Lin <maya@acme.com>\n\n"
                "We're sorry: we charged you twice for March.\n"),
        Example("pl", "Subject: Ważna informacja dotycząca Twojego konta\n"
                "From: Sklep Kwiatek <pomoc@kwiatek.pl>\n\n"
                "Przepraszamy: obciążyliśmy Twoją kartę dwa razy. Zwrot jest w drodze.\n"),
    )
    pass_examples = (
        Example("en", "Subject: We charged you twice for April\nFrom: Acme <help@acme.com>\n\n"
                "We're sorry: we charged you twice for April. The refund is on its way.\n"),
        Example("pl", "Subject: Błędna cena w wczorajszym newsletterze\n"
                "From: Sklep Kwiatek <pomoc@kwiatek.pl>\n\n"
                "Przepraszamy: we wczorajszym newsletterze podaliśmy złą cenę.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        subject = ctx.draft.subject
        if subject is None or not subject.strip():
            return  # AL201's business
        if not mask_templates(subject).strip():
            return  # the whole subject is a template tag: not known yet
        if concrete_words(ctx, subject) and not labels_without_event(ctx, subject):
            return
        shown = " ".join(subject.split())
        yield Finding(
            f"the subject {shown!r} does not say what happened: it could head any email, "
            "so the people affected may never open it",
            span=ctx.subject_span(),
            suggestion="name the mistake and what it means for the reader, e.g. "
            f"{subject_example(ctx)!r}",
        )
