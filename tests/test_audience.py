"""Address lists (``apologylint.audience``): parsing text and CSV lists, normalisation,
invalid lines, the per-run cache, and how AL801/AL802 report through the engine.

The million-address case is measured in ``bench/bench_lists.py``, not timed here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from apologylint import audience
from apologylint.api import lint_paths
from apologylint.audience import (
    AddressLists,
    InvalidAddress,
    ListError,
    load_set,
    normalize_address,
    read_list,
)
from conftest import CliRunner

DRAFT = "Subject: Sorry about the code\nFrom: Maya <maya@fernleaf.example>\n\nWe're sorry.\n"


def _write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def _entries(path: str) -> list[tuple[int, str | None]]:
    return [(e.line, e.address) for e in read_list(path)]


# -- one address ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("anna.ford@example.com", "anna.ford@example.com"),
        ("  Anna.Ford@EXAMPLE.COM \t", "Anna.Ford@example.com"),
        ("Anna Ford <anna.ford@Example.com>", "anna.ford@example.com"),
        ('"Ford, Anna" <anna.ford@example.com>', "anna.ford@example.com"),
        ("Ford, Anna <anna.ford@example.com>", "anna.ford@example.com"),
        ("mailto:anna.ford@example.com", "anna.ford@example.com"),
        ("anna.ford@example.com;", "anna.ford@example.com"),
        ("x@xn--mnchen-3ya.de", "x@münchen.de"),
        ("x@MÜNCHEN.de", "x@münchen.de"),
        ("Postmaster@Example.com", "postmaster@example.com"),
        ("józef@przykład.pl", "józef@przykład.pl"),
    ],
)
def test_normalize(given: str, expected: str) -> None:
    assert normalize_address(given, {}) == expected
    assert normalize_address(given) == expected  # without the domain memo: same result


@pytest.mark.parametrize(
    "given", ["bob@", "@example.com", "not an address", "a b@example.com", "a@example",
              "a..b@example.com", "a@localhost", "a@-example.com", "a@b.com, c@d.com", ""],
)
def test_invalid(given: str) -> None:
    with pytest.raises(InvalidAddress):
        normalize_address(given, {})


_ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~."


@settings(max_examples=300, deadline=None)
@given(
    local=st.text(alphabet=_ATEXT, min_size=0, max_size=70),
    labels=st.lists(st.text(alphabet="abcXYZ019-", min_size=0, max_size=12), min_size=1,
                    max_size=4),
    tld=st.sampled_from(["com", "pl", "CO", "invalid", "test", "123", "example", "xn--p1ai"]),
)
def test_fast_path_agrees_with_email_validator(local: str, labels: list[str], tld: str) -> None:
    """The ASCII fast path gives exactly what email-validator gives, or rejects alike."""
    address = f"{local}@{'.'.join([*labels, tld])}"
    try:
        expected: str | None = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        expected = None
    memo: dict[str, tuple[str, str] | str] = {}
    try:
        got: str | None = normalize_address(address, memo)
    except InvalidAddress:
        got = None
    assert got == expected


# -- reading lists --------------------------------------------------------------------


def test_text_list_keeps_line_numbers_and_reports_bad_lines(tmp_path: Path) -> None:
    text = "# a comment\nann@example.com\n\nbob@\n  Cy <cy@example.org>\n"
    path = _write(tmp_path, "r.txt", text)
    entries = list(read_list(path))
    assert [(e.line, e.address) for e in entries] == [
        (2, "ann@example.com"), (4, None), (5, "cy@example.org")]
    assert "after the @-sign" in entries[1].reason


def test_no_line_is_dropped_silently(tmp_path: Path) -> None:
    lines = ["a@example.com", "oops", "b@example.com", "c@", "d@example.com"]
    path = _write(tmp_path, "r.txt", "\n".join(lines) + "\n")
    assert len(list(read_list(path))) == len(lines)


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("email", ","), ("E-mail", ";"), ("Email Address", "\t"), ("adres e-mail", ";"),
     ("Adres e-mail klienta", ","), ("mail", "|"), ("Primary Email", ",")],
)
def test_csv_email_column_by_header(tmp_path: Path, header: str, delimiter: str) -> None:
    rows = [["Name", header, "City"], ["Anna", "anna@example.com", "Kraków"],
            ["Bo", "bo@example.org", "Łódź"]]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    path = _write(tmp_path, "list.txt", text)
    assert _entries(path) == [(2, "anna@example.com"), (3, "bo@example.org")]


def test_csv_quoted_cells_and_multiline_rows(tmp_path: Path) -> None:
    text = ('name,email,note\n"Ford, Anna",anna@example.com,"two\nlines"\n'
            'Bo,BO@EXAMPLE.ORG,x\n')
    path = _write(tmp_path, "list.csv", text)
    assert _entries(path) == [(3, "anna@example.com"), (4, "BO@example.org")]


def test_csv_empty_cell_and_short_row_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "list.csv", "name,email\nAnna,\nBo\nCy,cy@example.com\n")
    entries = list(read_list(path))
    assert [(e.line, e.address) for e in entries] == [(2, None), (3, None),
                                                      (4, "cy@example.com")]
    assert entries[0].reason == "the email cell is empty"
    assert entries[1].reason == "the row has no email column"


def test_headerless_csv_uses_the_column_with_addresses(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.csv", "Anna;anna@example.com;PL\nBo;bo@example.org;PL\n")
    assert _entries(path) == [(1, "anna@example.com"), (2, "bo@example.org")]


def test_csv_without_an_email_column_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.csv", "name,city\nAnna,Kraków\n")
    with pytest.raises(ListError, match="no email column"):
        list(read_list(path))


def test_bom_and_cp1250(tmp_path: Path) -> None:
    bom = _write(tmp_path, "bom.txt", b"\xef\xbb\xbfanna@example.com\n")
    assert _entries(bom) == [(1, "anna@example.com")]
    legacy = _write(tmp_path, "cp.csv", "Imię;Adres e-mail\nŁucja;lucja@example.pl\n"
                    .encode("cp1250"))
    assert _entries(legacy) == [(2, "lucja@example.pl")]


def test_unreadable_list(tmp_path: Path) -> None:
    with pytest.raises(ListError, match="cannot read"):
        list(read_list(str(tmp_path / "missing.txt")))


def test_comparison_ignores_case_and_display_forms(tmp_path: Path) -> None:
    loaded = load_set(_write(tmp_path, "a.txt", "ANNA@Example.com\nx@xn--mnchen-3ya.de\n"))
    assert loaded.keys == {"anna@example.com", "x@münchen.de"}


# -- the per-run cache ------------------------------------------------------------------


def test_each_list_is_read_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    original = audience.read_list

    def counting(path: str):  # type: ignore[no-untyped-def]
        reads.append(Path(path).name)
        return original(path)

    monkeypatch.setattr(audience, "read_list", counting)
    rec = _write(tmp_path, "rec.txt", "a@example.com\nb@example.com\nc@example.com\n")
    aff = _write(tmp_path, "aff.txt", "a@example.com\n")
    sup = _write(tmp_path, "sup.txt", "c@example.com\n")
    drafts = [_write(tmp_path, f"d{i}.txt", DRAFT) for i in range(3)]
    config = {"recipients": rec, "affected": aff, "suppressed": sup,
              "select": ["unaffected-recipients", "suppressed-recipients"]}
    run = lint_paths(drafts, config=config)
    assert sorted(reads) == ["aff.txt", "rec.txt", "sup.txt"]
    # a finding about a list points at the list and is reported once, not once per draft
    found = [(d.rule, Path(d.path).name, d.line) for d in run.report.diagnostics]
    assert sorted(found) == [("suppressed-recipients", "rec.txt", 3),
                             ("unaffected-recipients", "rec.txt", 2)]
    # a second run reads them again (nothing is cached across runs)
    lint_paths(drafts[:1], config=config)
    assert len(reads) == 6


def test_a_list_changed_during_a_run_is_read_again(tmp_path: Path) -> None:
    lists = AddressLists()
    path = _write(tmp_path, "aff.txt", "a@example.com\n")
    assert lists.address_set(path).keys == {"a@example.com"}
    assert lists.address_set(path) is lists.address_set(path)
    Path(path).write_text("a@example.com\nb@example.com\n", encoding="utf-8")
    assert lists.address_set(path).keys == {"a@example.com", "b@example.com"}


def test_claim_is_once_per_cache(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.txt", "a@example.com\n")
    first, second = AddressLists(), AddressLists()
    assert first.claim("AL801", path)
    assert not first.claim("AL801", path)
    assert second.claim("AL801", path)


def test_audience_counts_each_recipient_once_and_keeps_the_first_lines(tmp_path: Path) -> None:
    rec = _write(tmp_path, "r.txt", "\n".join(f"u{i}@example.com" for i in range(10))
                 + "\nU3@EXAMPLE.COM\n")
    aff = _write(tmp_path, "a.txt", "u0@example.com\nu1@example.com\n")
    found = AddressLists().audience(rec, aff, None, keep=2)
    assert found.total == 10
    assert found.unaffected is not None
    assert found.unaffected.count == 8
    assert [(h.line, h.address) for h in found.unaffected.first] == [
        (3, "u2@example.com"), (4, "u3@example.com")]
    assert found.suppressed is None


# -- through the command line -------------------------------------------------------------


def test_cli_points_at_the_list_and_line(tmp_path: Path, run_cli: CliRunner) -> None:
    _write(tmp_path, "rec.txt", "a@example.com\nnot-an-address\nb@example.com\n")
    _write(tmp_path, "aff.txt", "a@example.com\n")
    _write(tmp_path, "draft.txt", DRAFT)
    result = run_cli("draft.txt", "--recipients", "rec.txt", "--affected", "aff.txt",
                     "--select", "AL801", cwd=tmp_path)
    assert result.code == 1
    assert result.lines[0].startswith("rec.txt:2:1: AL801 unaffected-recipients warning line 2")
    assert result.lines[1].startswith(
        "rec.txt:3:1: AL801 unaffected-recipients error 1 of 2 recipients were not affected")
    assert "b@example.com (line 3)" in result.lines[1]


def test_cli_json_path_is_the_list(tmp_path: Path, run_cli: CliRunner) -> None:
    _write(tmp_path, "rec.csv", "email\na@example.com\nb@example.com\n")
    _write(tmp_path, "sup.txt", "B@example.com\n")
    _write(tmp_path, "draft.txt", DRAFT)
    result = run_cli("draft.txt", "--recipients", "rec.csv", "--suppressed", "sup.txt",
                     "--format", "json", "--select", "AL802", cwd=tmp_path)
    data = json.loads(result.out)
    assert [(d["path"], d["line"], d["rule"]) for d in data] == [
        ("rec.csv", 3, "suppressed-recipients")]


def test_cli_unusable_list_is_an_error_finding(tmp_path: Path, run_cli: CliRunner) -> None:
    _write(tmp_path, "rec.csv", "name,city\nAnna,Kraków\n")
    _write(tmp_path, "aff.txt", "a@example.com\n")
    _write(tmp_path, "draft.txt", DRAFT)
    result = run_cli("draft.txt", "--recipients", "rec.csv", "--affected", "aff.txt",
                     "--select", "AL801", cwd=tmp_path)
    assert result.code == 1
    assert result.lines[0].startswith(
        "rec.csv:1:1: AL801 unaffected-recipients error the recipient list cannot be used")


def test_cli_dpo_flag(tmp_path: Path, run_cli: CliRunner) -> None:
    _write(tmp_path, "draft.txt", (
        "Subject: Personal data breach at Fernleaf\nFrom: Fernleaf <help@fernleaf.example>\n\n"
        "We're sorry: on 4 March we emailed members' names and phone numbers to the wrong "
        "group. Someone could use your number to call you. We asked everyone to delete it. "
        "Write to help@fernleaf.example.\n"))
    args = ("draft.txt", "--incident", "breach", "--jurisdiction", "eu", "--select", "AL903")
    assert run_cli(*args, cwd=tmp_path).code == 0
    result = run_cli(*args, "--dpo", "Jane Smith <dpo@fernleaf.example>", cwd=tmp_path)
    assert result.code == 1
    assert "data protection officer (Jane Smith <dpo@fernleaf.example>)" in result.out
