"""AL603 credential-request: the draft asks the reader to send or "confirm" a secret.

A request is a verb of ``credential-request.request_verbs`` ("enter", "confirm", "podaj",
"potwierdź") or ``send_verbs`` ("reply", "send", "odpisz", "prześlij"), followed by a
credential (``credentials``: password, PIN, CVV, card number, login details, verification
code; ``weak_credentials`` such as a bare "code"/"kod" only after a sending verb), with only
``fillers`` between them: "reply to this email with your current password", "enter your
full card number", "send us the last 4 digits and the CVV", "zweryfikuj konto, podając
hasło". Why a filler grammar and not "both words in a sentence": the protective advice
that surrounds credentials in a breach notice ("reset your password using the link",
"reply if you cannot change your password") must stay clean.

Only a verb addressed to the reader asks anything: an imperative form, a verb that opens
its sentence or clause, or one after a ``lead_ins`` word or a ``lead_pairs`` pair
("please", "by", "you need to");
elsewhere the same word is a noun or someone else's act ("if you use the same email and
password on other sites", "allows our systems to validate your credentials").

Not a request: a sentence that asks the reader to change or reset the secret
(``protective_verbs``: "sign in with your password and change it", "zaloguj się, podając
hasło, i zmień je"): advice to change a password is a protective step, AL602's business,
though a pure sending verb ("reply with your old password so we can change it") stays a
request; typing a PIN or password where it belongs, in a sentence that names such a
place (``safe_channels``: "enter your PIN at the terminal as usual", "w aplikacji"); a
verb shortly after a negation ("do not reply with your PIN", "nie podawaj
hasła"), or anywhere after a ``guards`` word in its sentence ("we will never ask you to
confirm your password", "nigdy nie prosimy o podanie hasła", "emails asking you to enter
your card number are fake"). Quoted lines (an earlier message) are not the draft's voice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..context import Context, TextView
from ..incident import cues
from ..language import opens_clause
from ..matching import Match, Token, fold
from ..model import Severity
from ..packs import Pack
from ..readability import quote_test
from .base import Example, Finding, Rule

VOCAB = "credential-request"
#: Most filler words between the verb and the credential.
MAX_GAP = 12


def credential_requests(ctx: Context) -> list[tuple[Match, Match]]:
    """(verb, credential) pairs of every request in the body, in text order."""
    if ctx.pack is None:
        return []
    view = ctx.body
    requests = view.matches(f"{VOCAB}.request_verbs")
    sends = view.matches(f"{VOCAB}.send_verbs")
    if not requests and not sends:
        return []  # no verb that could ask for anything: nothing else to look at
    tokens = view.tokens
    c = cues(view)
    fillers = _fillers(ctx.pack)
    strong: dict[int, Match] = {}
    for m in view.matches(f"{VOCAB}.credentials"):
        strong.setdefault(m.first_token, m)
    weak: dict[int, Match] = {}
    for m in view.matches(f"{VOCAB}.weak_credentials"):
        weak.setdefault(m.first_token, m)
    first_guard: dict[int, int] = {}  # sentence -> last word of its first guard
    for m in view.matches(f"{VOCAB}.guards"):
        sid = c.sentence[m.last_token]
        first_guard[sid] = min(first_guard.get(sid, m.last_token), m.last_token)
    safe = {c.sentence[m.first_token] for m in view.matches(f"{VOCAB}.safe_channels")}
    changing = {c.sentence[m.first_token] for m in view.matches(f"{VOCAB}.protective_verbs")}
    leads = (
        ctx.pack.folded_words(f"{VOCAB}.lead_ins"),
        ctx.pack.folded_words(f"{VOCAB}.lead_pairs"),
    )
    imperatives = {m.first_token for m in view.matches(f"{VOCAB}.imperatives")}
    sending = {m.first_token for m in sends}
    asking = {m.first_token for m in requests}
    verbs = sorted([*requests, *sends], key=lambda m: (m.first_token, -m.last_token))
    is_quoted = quote_test(view.text)
    found: list[tuple[Match, Match]] = []
    covered_to = -1
    for verb in verbs:
        if verb.first_token <= covered_to or is_quoted(verb.start):
            continue
        if c.negated(verb.first_token):
            continue
        if first_guard.get(c.sentence[verb.first_token], verb.first_token) < verb.first_token:
            continue
        if not _addressed_to_reader(view, verb, leads, imperatives):
            continue  # "the same email and password", "allows our systems to validate"
        send = verb.first_token in sending
        if not send and c.sentence[verb.first_token] in safe:
            continue  # "enter your PIN at the terminal as usual"
        if verb.first_token in asking and c.sentence[verb.first_token] in changing:
            continue  # "sign in with your password and change it": a protective step
        j = verb.last_token + 1
        limit = min(len(tokens), j + MAX_GAP + 1)
        in_list = False
        while j < limit and (not tokens[j].brk or _continues_list(view.text, tokens, j, in_list)):
            if tokens[j].brk:  # "... and give us:\n- your login and password"
                in_list = True
                limit = min(len(tokens), j + MAX_GAP + 1)
            credential = strong.get(j) or (weak.get(j) if send else None)
            if credential is not None:
                found.append((verb, credential))
                covered_to = credential.last_token
                break
            if tokens[j].text not in fillers:
                break
            j += 1
    return found


def _addressed_to_reader(
    view: TextView,
    verb: Match,
    leads: tuple[frozenset[str], frozenset[str]],
    imperatives: set[int],
) -> bool:
    """Whether a verb asks the reader to do something: an imperative form (``imperatives``,
    Polish "podaj"), a verb that opens its sentence or clause ("Reply with ...", "To
    restore access, enter ..."), or one right after a ``lead_ins`` word ("please", "and",
    "by") or a ``lead_pairs`` pair ("you need to", "click here to").
    Elsewhere the same word is a noun or someone else's act: "your associated email
    address, your password", "allows our systems to validate your credentials", "checked
    in by manually entering a passcode"."""
    i = verb.first_token
    if i in imperatives or opens_clause(view, i):
        return True
    lead_ins, lead_pairs = leads
    tokens = view.tokens
    if tokens[i - 1].text in lead_ins:
        return True
    return i >= 2 and f"{tokens[i - 2].text} {tokens[i - 1].text}" in lead_pairs


def _fillers(pack: Pack) -> frozenset[str]:
    """The folded filler words of a pack, computed once per pack (not per draft)."""
    return pack.cached(
        f"{VOCAB}.fillers",
        lambda: frozenset(
            word for phrase in pack.words(f"{VOCAB}.fillers") for word in fold(phrase).split()
        ),
    )


def _continues_list(text: str, tokens: Sequence[Token], j: int, in_list: bool) -> bool:
    """Whether the break before word ``j`` only opens or continues a list of what is
    asked for: a colon ending the request, then line breaks and bullets."""
    gap = text[tokens[j - 1].end : tokens[j].start]
    if any(ch in ".!?" for ch in gap):
        return False
    return ":" in gap or (in_list and all(ch in " \n\t-•*–;,·" for ch in gap))


class CredentialRequest(Rule):
    code = "AL603"
    slug = "credential-request"
    family = "next-steps"
    severity = Severity.ERROR
    summary = (
        "Asks the reader to send or \"confirm\" a password, card number, CVV, PIN or "
        "verification code, by reply or through a link."
    )
    rationale = (
        "Phishing mail looks exactly like this: \"something went wrong, confirm your "
        "details\". An apology that asks for a password, card number or one-time code "
        "teaches customers to answer the next fake one — and the data would travel by "
        "email. No honest company needs these by email or through a mailed link: ask the "
        "reader to sign in the usual way, or to call you, and say that you will never ask "
        "for them. Advice against it (\"we will never ask for your password\", \"nigdy nie "
        "prosimy o podanie hasła\") and \"reset your password using the link\" are fine, and "
        "so is advice to change or stop reusing a password (\"if you use the same email and "
        "password on other sites, change it\"): only a request to give a secret counts, "
        "made by a verb addressed to the reader."
    )
    vocabulary = (
        f"{VOCAB}.request_verbs",
        f"{VOCAB}.send_verbs",
        f"{VOCAB}.fillers",
        f"{VOCAB}.credentials",
        f"{VOCAB}.weak_credentials",
        f"{VOCAB}.guards",
        f"{VOCAB}.safe_channels",
        f"{VOCAB}.protective_verbs",
        f"{VOCAB}.lead_ins",
        f"{VOCAB}.lead_pairs",
        f"{VOCAB}.imperatives",
        "common.negations",
    )
    uses_language = True
    fail_examples = (
        Example(
            "en",
            "Subject: Someone signed in to your account\nFrom: Harbor CU <help@harbor.example>\n\n"
            "We're sorry: someone signed in to your online banking. To restore access, reply "
            "to this email with your current password and the last four digits of your card.\n",
        ),
        Example(
            "pl",
            "Subject: Nieautoryzowane logowanie\nFrom: Bank <pomoc@bank.example>\n\n"
            "Przepraszamy: ktoś zalogował się na Twoje konto. Aby je odblokować, odpisz na tę "
            "wiadomość, podając hasło i numer karty.\n",
        ),
    )
    pass_examples = (
        Example(
            "en",
            "Subject: Someone signed in to your account\nFrom: Harbor CU <help@harbor.example>\n\n"
            "We're sorry: someone signed in to your online banking. Reset your password using "
            "the link in our app. We will never ask you to send your password or card number "
            "by email.\n",
        ),
        Example(
            "pl",
            "Subject: Nieautoryzowane logowanie\nFrom: Bank <pomoc@bank.example>\n\n"
            "Przepraszamy: ktoś zalogował się na Twoje konto. Zmień hasło w aplikacji. Nigdy "
            "nie prosimy o podanie hasła ani numeru karty w wiadomości e-mail.\n",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        view = ctx.body
        for verb, credential in credential_requests(ctx):
            asked = view.text[credential.start : credential.end]
            yield Finding(
                f"the draft asks the reader to give their {asked!r} by email or through a "
                "link: that is what phishing does, and it teaches readers to answer it",
                span=ctx.body_span(verb.start, credential.end),
                suggestion=(
                    "never ask for passwords, card numbers or codes; ask the reader to sign "
                    "in the usual way or to call you, and say you will never ask for them "
                    "by email"
                ),
            )
