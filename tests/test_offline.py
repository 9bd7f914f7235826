"""No network, ever: linting (every rule, both languages, readability included) opens no
socket, resolves no name and downloads no corpus.

pytest-socket already blocks sockets for the whole session; a blocked attempt could still
hide inside a rule that catches exceptions, so here every way out is *recorded* as well
as refused, and the test asserts that none was even tried.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, NOREPLY_DRAFT, POLISH_NOREPLY_DRAFT, CliRunner

Writer = Callable[..., Path]

LONG_ENGLISH = """\
Subject: We sent your order confirmation to the wrong customer
From: Maya at Northwind Books <maya@northwind.example>

Hi there,

We're sorry. Yesterday at 14:10 we emailed order confirmations for 312 customers to the
wrong addresses because of a mistake in our mailing tool, which we made and have fixed.
The emails showed a name, a delivery address and the titles ordered; no card details or
passwords were included, and nobody can change your order with what was shown.
Notwithstanding the considerable organisational complexity of the circumstances that
precipitated this regrettable occurrence, we have implemented comprehensive remediation
procedures encompassing verification, authentication and multilayered reconciliation.
You do not need to do anything. If you have questions, reply to this email or call us on
0800 123 4567 and a person will answer.

Maya Patel, Customer Care, Northwind Books
"""

POLISH_BREACH = """\
Subject: Naruszenie ochrony danych osobowych
From: Inspektor Ochrony Danych <iod@sklep.example>

Przepraszamy. 3 marca nieuprawniona osoba uzyskała dostęp do bazy klientów naszego
sklepu. Ujawnione zostały imiona, adresy e-mail i numery telefonów. Zmień hasło do konta
i uważaj na podejrzane wiadomości. Pytania prosimy kierować na adres iod@sklep.example.
"""


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record and refuse every attempt to open an internet socket or resolve a name."""
    attempts: list[str] = []
    # the real class, not pytest-socket's guard (which would refuse before we record)
    real_socket: type[socket.socket] = getattr(
        __import__("pytest_socket"), "_true_socket", socket.socket)

    def refuse(what: str) -> Callable[..., Any]:
        def _refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args!r}")
            raise OSError(f"network use in a test: {what}")

        return _refuse

    class GuardedSocket(real_socket):  # type: ignore[misc,valid-type]
        """Unix sockets (local pipes) pass; anything that could reach a network does not."""

        def __init__(self, family: int = -1, *args: Any, **kwargs: Any) -> None:
            if family != socket.AF_UNIX:
                attempts.append(f"socket(family={family})")
                raise OSError("network use in a test: socket")
            super().__init__(family, *args, **kwargs)

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                 "create_connection"):
        monkeypatch.setattr(socket, name, refuse(name))
    # textstat 0.7.9+ reads its English syllable dictionary through nltk, which downloads
    # it when missing: a download attempt is a failure even if it would be refused
    try:
        import nltk  # type: ignore[import-untyped]
    except ImportError:
        pass
    else:
        monkeypatch.setattr(nltk, "download", refuse("nltk.download"))
    yield attempts


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket")
def test_sockets_are_disabled_for_the_whole_session() -> None:
    """The session-wide guard (pytest-socket) is on: no test can reach the network."""
    with pytest.raises(Exception) as info:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert type(info.value).__name__ == "SocketBlockedError"


def test_the_guard_records_every_attempt(network_attempts: list[str]) -> None:
    """The fixture itself works: it sees (and refuses) sockets and name look-ups."""
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(OSError):
        socket.getaddrinfo("example.com", 443)
    with pytest.raises(OSError):
        socket.create_connection(("example.com", 443))
    assert len(network_attempts) == 3
    local = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    local.close()
    assert len(network_attempts) == 3


def test_linting_everything_opens_no_socket(
    network_attempts: list[str], run_cli: CliRunner, write: Writer
) -> None:
    write("en-long.txt", LONG_ENGLISH)
    write("en-noreply.txt", NOREPLY_DRAFT)
    write("pl-noreply.txt", POLISH_NOREPLY_DRAFT)
    folder = write("pl-breach.txt", POLISH_BREACH).parent
    result = run_cli("--format", "json", "--select", "ALL", str(folder), str(EXAMPLES))
    assert network_attempts == []
    assert result.code in (0, 1), result.err
    assert "input-error" not in result.out
    assert result.err == ""


def test_breach_and_jurisdictions_open_no_socket(
    network_attempts: list[str], run_cli: CliRunner, write: Writer
) -> None:
    draft = write("pl-breach.txt", POLISH_BREACH)
    result = run_cli("--incident", "breach", "--jurisdiction", "eu,pl,us-ca,us-hipaa",
                     "--lang", "pl", str(draft))
    assert network_attempts == []
    assert result.code in (0, 1), result.err


def test_address_validation_runs_offline(network_attempts: list[str]) -> None:
    """email-validator as the rules call it: syntax only, no DNS."""
    from email_validator import validate_email

    validate_email("maya@northwind.com", check_deliverability=False)
    assert network_attempts == []
