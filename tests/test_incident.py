"""Incident inference (``--incident auto``): what counts as a breach, in English and Polish.

The near misses matter as much as the hits: a reassurance ("no personal data was
affected", "nie doszło do wycieku danych") or a hypothetical ("if your account is ever
hacked") must not turn an outage apology into a breach notice with error-level duties.
"""

from __future__ import annotations

import pytest

from apologylint import lint
from apologylint.context import Context
from apologylint.model import Draft
from apologylint.packs import load_packs
from apologylint.settings import Settings


def _context(text: str, lang: str, incident: str = "auto") -> Context:
    packs = load_packs(())
    draft = Draft.from_text(text)
    draft.language = lang
    return Context(draft, Settings(language=lang, incident=incident), packs.get(lang), packs)


def infer(body: str, lang: str, subject: str = "An update from us") -> str:
    return _context(f"Subject: {subject}\nFrom: Team <team@shop.example>\n\n{body}\n",
                    lang).incident


BREACH_EN = [
    "On 2 June someone signed in to a number of online banking accounts using passwords "
    "stolen from other websites.",
    "We are writing to tell you about a data breach that affected our loyalty programme.",
    "An unauthorised party accessed our order system between 3 and 9 March.",
    "Your name and email address were exposed to other customers for two hours.",
    "Hackers copied part of our customer database last week.",
    "Malware on our checkout page may have captured card details you entered.",
    "We emailed a spreadsheet with the names and phone numbers of 40 members to the wrong "
    "group.",
    "An attacker used a stolen staff password to get into our order system.",
]

NOT_BREACH_EN = [
    "We're sorry: no personal data was affected by Saturday's outage.",
    "This was not a data breach, just a mistake in our mailing tool.",
    "There is no evidence that your data was accessed.",
    "If you think your account was hacked, contact us right away.",
    "Your card numbers were not exposed, and your password is safe.",
    "We will never ask for your password. Beware of phishing emails.",
    "Customers who accessed their accounts during the outage saw the wrong balance.",
    "We charged you twice for your April box.",
]

BREACH_PL = [
    "W dniach 16-18 lutego osoba nieuprawniona miała dostęp do naszej bazy klientów.",
    "Doszło do naruszenia ochrony danych osobowych naszych klientów.",
    "W zeszłym tygodniu doszło do wycieku danych z naszego sklepu.",
    "Hakerzy przejęli część kont naszych klientów.",
    "Włamywacz zalogował się do panelu sklepu hasłem jednego z pracowników.",
    "Wysłaliśmy plik z listą kursantów (imiona, nazwiska, numery telefonów) do niewłaściwej "
    "grupy mailowej.",
    "Twoje dane trafiły w niepowołane ręce.",
    "Wykradzione hasła posłużyły do zalogowania się na konta klientów.",
]

NOT_BREACH_PL = [
    "Nie doszło do wycieku danych osobowych.",
    "Twoje dane są bezpieczne, a hasła są zaszyfrowane.",
    "Nie mamy dowodów, że ktoś uzyskał dostęp do Twojego konta.",
    "Twoje dane nie wyciekły, a płatności działają normalnie.",
    "Nie przechowujemy numerów kart, więc nie mogły one wyciec.",
    "Jeśli Twoje konto zostanie przejęte, od razu do nas zadzwoń.",
    "Nigdy nie prosimy o podanie hasła w wiadomości e-mail.",
    "Obciążyliśmy Twoją kartę dwukrotnie za marcowe zamówienie.",
]


@pytest.mark.parametrize("body", BREACH_EN)
def test_english_breach(body: str) -> None:
    assert infer(body, "en") == "breach"


@pytest.mark.parametrize("body", NOT_BREACH_EN)
def test_english_near_misses_are_not_breaches(body: str) -> None:
    assert infer(body, "en") != "breach"


@pytest.mark.parametrize("body", BREACH_PL)
def test_polish_breach(body: str) -> None:
    assert infer(body, "pl") == "breach"


@pytest.mark.parametrize("body", NOT_BREACH_PL)
def test_polish_near_misses_are_not_breaches(body: str) -> None:
    assert infer(body, "pl") != "breach"


def test_breach_in_subject_only() -> None:
    assert infer("We are sorry.", "en", subject="Notice of Data Breach") == "breach"
    assert infer("Przepraszamy.", "pl", subject="Naruszenie ochrony danych osobowych") == "breach"


@pytest.mark.parametrize(
    ("body", "lang", "kind"),
    [
        ("We're sorry if you received this email twice this morning.", "en", "duplicate-send"),
        ("Przez pomyłkę newsletter przyszedł do Ciebie dwa razy.", "pl", "duplicate-send"),
        ("Our website was down for three hours on Saturday.", "en", "outage"),
        ("Wczoraj aplikacja była niedostępna przez dwie godziny.", "pl", "outage"),
        ("We sent the wrong date for Hamlet in Monday's email.", "en", "other"),
        ("Kod rabatowy z newslettera nie działał.", "pl", "other"),
    ],
)
def test_lighter_kinds(body: str, lang: str, kind: str) -> None:
    assert infer(body, lang) == kind


def test_breach_wins_over_outage() -> None:
    body = "Our shop was down on Friday: hackers stole customer data from our servers."
    assert infer(body, "en") == "breach"


def test_a_long_denial_is_no_breach() -> None:
    body = ("Please be assured that absolutely no personal health information was released or "
            "compromised as a result of these emails.")
    assert infer(body, "en") != "breach"
    body_pl = ("Zapewniamy, że absolutnie żadne dane osobowe pacjentów nie zostały ujawnione ani "
               "wykradzione w związku z tymi wiadomościami.")
    assert infer(body_pl, "pl") != "breach"


@pytest.mark.parametrize(
    ("body", "lang", "kind"),
    [
        # an attack that only stopped systems is an outage (the catalog's breach is about
        # unauthorised access, exposed data or compromised accounts)
        ("Our shop was down on Friday because of a ransomware attack on our servers.", "en",
         "outage"),
        ("On Monday hackers flooded our servers and the site was unavailable for hours.", "en",
         "outage"),
        ("W poniedziałek doszło do ataku hakerskiego i strona była niedostępna.", "pl", "outage"),
        # the same words with the data they reached are a breach
        ("A ransomware attack encrypted our servers and copied customer data.", "en", "breach"),
        ("Hakerzy wykradli dane klientów z naszego serwera.", "pl", "breach"),
        ("Podczas ataku hakerskiego skopiowano dane klientów.", "pl", "breach"),
    ],
)
def test_attacks_are_breaches_only_with_data(body: str, lang: str, kind: str) -> None:
    assert infer(body, lang) == kind


def test_explicit_incident_wins() -> None:
    text = "Subject: Notice of Data Breach\nFrom: a@shop.example\n\nHackers stole our data.\n"
    assert _context(text, "en", incident="outage").incident == "outage"
    assert _context(text, "en", incident="breach").is_security_incident


def test_no_pack_is_other() -> None:
    packs = load_packs(())
    draft = Draft.from_text("Subject: Datenleck\n\nHackers stole our data.\n")
    ctx = Context(draft, Settings(language="de"), None, packs)
    assert ctx.incident == "other"


def test_report_records_the_inferred_kind() -> None:
    draft = Draft.from_text(
        "Subject: Someone signed in to your account\nFrom: help@bank.example\n\n"
        "We're sorry: someone signed in to your account using a stolen password.\n",
        path="breach.txt",
    )
    report = lint(draft, config={"select": ["missing-security-steps"], "language": "en"})
    assert report.incidents["breach.txt"] == "breach"
    assert [d.rule for d in report.diagnostics] == ["missing-security-steps"]


def _judgment_cases() -> list[tuple[str, str, str]]:
    import tomllib
    from pathlib import Path

    manifest = Path(__file__).parent / "fixtures" / "judgment" / "steps.toml"
    with manifest.open("rb") as fh:
        cases = tomllib.load(fh)["case"]
    return [(c["file"], c["lang"], c["inferred"]) for c in cases if "inferred" in c]


@pytest.mark.parametrize(("file", "lang", "kind"), _judgment_cases())
def test_judgment_drafts_inferred_kind(file: str, lang: str, kind: str) -> None:
    """Fresh drafts (tests/fixtures/judgment/steps.toml): the kind auto must find."""
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "judgment" / file
    report = lint(path, config={"select": ["missing-security-steps"], "language": lang})
    assert list(report.incidents.values()) == [kind]
