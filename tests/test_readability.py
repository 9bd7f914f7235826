"""Offline readability (AL504's engine) and the reader's extent of the prose.

textstat counts English syllables with NLTK's CMU dictionary and downloads it when it is
missing. apologylint never touches the network, so these tests prove, with sockets
disabled and NLTK's download and corpus lookup made to explode, that no code path of
``apologylint.readability`` reaches NLTK data — in this process and in a fresh one (where
no cache can hide a call). They also pin the calibration figures recorded in
``docs/readability.md``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from apologylint import Draft, lint
from apologylint.readability import (
    MIN_WORDS,
    body_end,
    flesch_kincaid_grade,
    fog_pl,
    prepare,
    score,
)
from apologylint.settings import DEFAULT_READABILITY, Settings

FIXTURES = Path(__file__).parent / "fixtures" / "readability"
ROOT = Path(__file__).resolve().parents[1]


def _fixtures(prefix: str) -> list[Path]:
    found = sorted(FIXTURES.glob(f"{prefix}*.txt"))
    assert found, f"no fixtures {prefix}*"
    return found


@pytest.fixture
def no_nltk_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every way to NLTK data (download, corpus lookup, textstat's cmudict) raise,
    and record any attempt, so a caught exception cannot hide one."""
    calls: list[str] = []

    def boom(what: str) -> Any:
        def _boom(*args: Any, **kwargs: Any) -> Any:
            calls.append(what)
            raise AssertionError(f"readability must not use NLTK data: {what}{args}")

        return _boom

    import nltk
    import textstat.backend.counts._count_syllables as count_module

    monkeypatch.setattr(nltk, "download", boom("nltk.download"))
    monkeypatch.setattr(nltk.data, "find", boom("nltk.data.find"))
    monkeypatch.setattr(nltk.data, "load", boom("nltk.data.load"))
    real_get_cmudict = count_module.get_cmudict

    def guarded_get_cmudict(lang: str) -> Any:
        if lang.split("_")[0] == "en":
            calls.append(f"get_cmudict({lang!r})")
            raise AssertionError("English syllables must not come from the CMU dictionary")
        return real_get_cmudict(lang)

    monkeypatch.setattr(count_module, "get_cmudict", guarded_get_cmudict)
    yield calls
    assert calls == []


@pytest.mark.disable_socket
@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_scores_with_sockets_disabled_and_nltk_forbidden(no_nltk_data: list[str]) -> None:
    with pytest.raises(Exception):  # noqa: B017 - pytest-socket's error, whatever its class
        socket.create_connection(("example.com", 80), timeout=1)
    for path in _fixtures("en-") + _fixtures("pl-"):
        result = score(path.read_text(encoding="utf-8"), path.name[:2])
        assert result is not None and result.value > 0


@pytest.mark.disable_socket
def test_rule_runs_offline_through_lint(no_nltk_data: list[str]) -> None:
    text = (FIXTURES / "en-corporate-01-billing.txt").read_text(encoding="utf-8")
    draft = Draft.from_text(text, subject="Regarding your account", sender="a@acme.example")
    report = lint(draft, config=Settings(select=("hard-to-read",), language="en"))
    assert [d.rule for d in report.diagnostics] == ["hard-to-read"]


def test_fresh_interpreter_never_imports_nltk_data(tmp_path: Path) -> None:
    """A new process, empty NLTK_DATA, sockets and downloads replaced by bombs: English and
    Polish scores still come out, and importing the rule does not import textstat."""
    script = f"""
import socket, sys
def bomb(*a, **k):
    raise SystemExit("network touched")
class NoSocket(socket.socket):
    def __init__(self, *a, **k):
        bomb()
socket.socket = NoSocket
socket.create_connection = bomb
socket.getaddrinfo = bomb
import apologylint.readability, apologylint.rules.al504_hard_to_read
assert "textstat" not in sys.modules, "textstat must be imported lazily"
import nltk
nltk.download = bomb
nltk.data.find = bomb
nltk.data.load = bomb
from apologylint.readability import score
en = score(open({str(FIXTURES / 'en-corporate-02-breach.txt')!r}).read(), "en")
pl = score(open({str(FIXTURES / 'pl-official-02-telekom.txt')!r}).read(), "pl")
print(en.value, pl.value)
"""
    env = dict(os.environ, NLTK_DATA=str(tmp_path), HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    en, pl = (float(v) for v in result.stdout.split())
    assert en > 9 and pl > 9


# -- calibration (docs/readability.md) ---------------------------------------------------


def test_english_plain_and_corporate_are_separated_by_the_default_limit() -> None:
    limit = DEFAULT_READABILITY["en"]
    for path in _fixtures("en-plain-"):
        assert flesch_kincaid_grade(prepare(path.read_text(encoding="utf-8"))) < limit, path
    for path in _fixtures("en-corporate-"):
        assert flesch_kincaid_grade(prepare(path.read_text(encoding="utf-8"))) > limit, path


def test_polish_plain_and_officialese_are_separated_by_the_default_limit() -> None:
    limit = DEFAULT_READABILITY["pl"]
    plain = [fog_pl(prepare(p.read_text(encoding="utf-8"))) for p in _fixtures("pl-plain-")]
    official = [fog_pl(prepare(p.read_text(encoding="utf-8"))) for p in _fixtures("pl-official-")]
    assert max(plain) < limit < min(official), (plain, official)
    # the figures recorded in docs/readability.md (a change in textstat or pyphen shows here)
    assert max(plain) == pytest.approx(9.7, abs=0.3)
    assert min(official) == pytest.approx(17.9, abs=0.3)


def test_semi_formal_polish_sits_between_plain_and_officialese() -> None:
    mid = [fog_pl(prepare(p.read_text(encoding="utf-8"))) for p in _fixtures("pl-mid-")]
    official = [fog_pl(prepare(p.read_text(encoding="utf-8"))) for p in _fixtures("pl-official-")]
    assert max(mid) < min(official)


def test_short_texts_are_not_measured() -> None:
    draft = Draft.from_text(
        "Remediation activities have subsequently been initiated regarding the "
        "unanticipated operational irregularities.",
        subject="Regarding your statement",
    )
    report = lint(draft, config=Settings(select=("hard-to-read",), language="en"))
    assert report.diagnostics == []
    assert [slug for _, slug, _ in report.not_checked] == ["hard-to-read"]
    assert MIN_WORDS == 40


def test_no_measure_for_an_unknown_language() -> None:
    assert score("Ein kurzer Text.", "de") is None


# -- text preparation ----------------------------------------------------------------


def test_lines_become_sentences_and_addresses_are_dropped() -> None:
    text = "What Happened\n- Change your password\nWrite to help@acme.example. Or visit https://acme.example"
    assert prepare(text) == (
        "What Happened. Change your password. Write to. Or visit."
    )


def test_greeting_comma_becomes_a_full_stop() -> None:
    assert prepare("Dzień dobry,\nprzepraszamy za pomyłkę") == (
        "Dzień dobry. przepraszamy za pomyłkę."
    )


# -- the reader's extent: footers --------------------------------------------------------


def _end_text(text: str, lang: str = "en") -> str:
    from apologylint.engine import _context
    from apologylint.packs import load_packs

    draft = Draft.from_text(text, subject="x")
    ctx = _context(draft, Settings(language=lang), load_packs())
    return ctx.draft.prose.text[: body_end(ctx)]


def test_signature_separator_ends_the_body() -> None:
    kept = _end_text(
        "We're sorry: we charged about three hundred of you twice. The refund is on its way.\n"
        "\n-- \nBramble Boxes, Bristol\nhttps://bramble.example/preferences\n"
    )
    assert kept.endswith("on its way.")


def test_trailing_unsubscribe_and_address_paragraphs_are_dropped() -> None:
    kept = _end_text(
        "Przepraszamy: obciążyliśmy kartę dwa razy. Pieniądze już wróciły.\n\n"
        "Sklep sp. z o.o., ul. Ogrodowa 12, 61-821 Poznań\n\n"
        "Wypisz się z newslettera: https://sklep.example/wypisz\n",
        "pl",
    )
    assert kept.endswith("już wróciły.")


def test_preferences_in_the_middle_of_the_apology_are_kept() -> None:
    text = (
        "We're sorry: a change to your email preferences page unsubscribed you by mistake.\n\n"
        "We have put you back on the list. You don't need to do anything."
    )
    assert _end_text(text).endswith("anything.")
