"""Address lists: who the draft goes to (``recipients``), who the incident touched
(``affected``) and who must never be mailed (``suppressed``).

A list is a text file of one address a line, or a CSV file whose email column is found by
its header name (``email``, ``E-mail``, ``Email Address``, ``adres e-mail``, ``mail`` ...;
any delimiter, found with :class:`csv.Sniffer`). Rules AL801/AL802 read them.

Design, and why:

* **Normalised, never looked up.** Every address goes through ``email-validator``
  (``check_deliverability=False``: no DNS, ever). Surrounding whitespace, a display name
  (``Anna Ford <anna@example.com>``, also unquoted with a comma), a ``mailto:`` prefix and
  a trailing ``,``/``;`` are dropped; the domain's case and its IDN form
  (``xn--mnchen-3ya.de`` = ``münchen.de``) are normalised by the validator. Addresses are
  *compared* without the case of the local part too, as every large mailbox provider
  treats them (``Anna.Ford@`` = ``anna.ford@``), so two exports from different systems
  still line up. For speed, a plain ASCII address is validated by the same tests as
  ``email-validator`` applies to it (its own dot-atom pattern and length limits), with the
  domain validated by ``email-validator`` once per distinct domain (a million addresses
  share a few thousand domains); everything else goes through ``validate_email`` whole.
  ``tests/test_audience.py`` checks that both paths agree.
* **Nothing is dropped silently.** A line that is not an address is kept as a
  :class:`BadLine` with its line number and the validator's reason; the rules report
  them as warnings pointing at the list file and line. Blank lines and ``#`` comment
  lines of a text list are not addresses and are skipped.
* **One pass, sets, memory proportional to the lists.** The affected and suppressed
  lists are loaded into sets of comparison keys; the recipient list is streamed once
  against both (:meth:`AddressLists.audience`), remembering only what is reported (the
  first few matches with their line numbers, counts) and a set of hashes to count each
  recipient once.
* **Loaded once per run, never globally.** :class:`AddressLists` is a cache that lives
  for one run (one :func:`apologylint.lint` or ``lint_paths`` call, one CLI invocation):
  the API creates it and the engine hands it to every draft's
  :class:`~apologylint.context.Context`. It is keyed by (absolute path, mtime, size), so
  a list edited during a run is read again, and two runs (or two configurations in one
  process) never share one.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from typing import IO, Any, NamedTuple

from .files import open_regular

__all__ = [
    "AddressLists",
    "AddressSet",
    "Audience",
    "BadLine",
    "Entry",
    "InvalidAddress",
    "ListError",
    "Overlap",
    "display_path",
    "load_set",
    "normalize_address",
    "read_list",
]

#: Header names of an email column, folded (lower case, no diacritics) and stripped of
#: everything but letters and digits: "E-mail Address" -> "emailaddress".
EMAIL_HEADERS = frozenset({
    "email", "emails", "mail", "emailaddress", "emailaddresses", "mailaddress",
    "adresemail", "adresmail", "adresemailowy", "adresmailowy", "adrese", "poczta",
    "pocztaemail", "pocztaelektroniczna", "recipient", "recipients", "recipientemail",
    "subscriberemail", "customeremail", "contactemail", "emailadres", "emailadresse",
    "courriel", "correo", "correoelectronico",
})
#: Delimiters a CSV list may use.
DELIMITERS = ",;\t|"
#: Bytes read to guess the layout (header, delimiter) of a list.
SNIFF_BYTES = 64 * 1024
#: Characters of that sample csv.Sniffer reads (its time grows with the square of them).
SNIFF_CHARS = 4 * 1024
#: Invalid lines kept per list with their text and reason (the rest are only counted).
MAX_BAD_LINES = 1000
#: The largest list read (a million addresses take about 30 MB).
MAX_LIST_BYTES = 1 << 30
#: Characters read of one line (an address line is a few dozen).
MAX_LINE_CHARS = 64 * 1024
#: Characters of an invalid line shown in a message.
SHOWN_CHARS = 60

_CSV_SUFFIXES = (".csv", ".tsv")
_HEADER_CHARS = re.compile(r"[^0-9a-z]+")


class ListError(Exception):
    """A list that cannot be used at all (unreadable, or a CSV with no email column)."""


class InvalidAddress(ValueError):
    """A line or cell that is not a usable email address; ``str()`` says why."""


class BadLine(NamedTuple):
    """A line of a list that is not an address: where, what, why."""

    line: int
    text: str
    reason: str


class Hit(NamedTuple):
    """An address of the recipient list that the rule reports, with its line."""

    line: int
    address: str


# -- one address --------------------------------------------------------------------------


def _fold_header(cell: str) -> str:
    decomposed = unicodedata.normalize("NFKD", cell.strip().lower().replace("ł", "l"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _HEADER_CHARS.sub("", plain)


def _addr_spec(text: str) -> str:
    """The bare address of a line: no whitespace, display name, ``mailto:`` or trailing
    separator. ``Ford, Anna <anna@example.com>`` gives ``anna@example.com``."""
    s = text.strip().strip("\ufeff").rstrip(",;").strip()
    if s.endswith(">") and "<" in s:
        s = s[s.rfind("<") + 1 : -1].strip()
    if s[:7].lower() == "mailto:":
        s = s[7:].split("?", 1)[0]
    return s


@cache
def _validator() -> tuple[Any, type[Exception], Any, frozenset[str], int]:
    """email-validator, imported on first use (not at start-up); immutable constants."""
    from email_validator import EmailNotValidError, validate_email
    from email_validator.rfc_constants import (
        CASE_INSENSITIVE_MAILBOX_NAMES,
        DOT_ATOM_TEXT,
        EMAIL_MAX_LENGTH,
    )

    return (validate_email, EmailNotValidError, DOT_ATOM_TEXT,
            frozenset(CASE_INSENSITIVE_MAILBOX_NAMES), EMAIL_MAX_LENGTH)


#: A domain as the fast path remembers it: (normalised form, longest form in UTF-8 bytes,
#: ASCII form length), or the validator's reason why it is not a valid domain.
DomainMemo = dict[str, "tuple[str, int] | str"]


def normalize_address(text: str, domains: DomainMemo | None = None) -> str:
    """The normalised form of one address (as ``email-validator`` gives it), or
    :class:`InvalidAddress`.

    ``domains`` memoises domain validation for the duration of one list: pass the same
    dict for every line of a list.
    """
    validate_email, not_valid, dot_atom, case_insensitive, max_length = _validator()
    spec = _addr_spec(text)
    if not spec:
        raise InvalidAddress("no address")
    at = spec.rfind("@")
    if at <= 0 or domains is None or not spec.isascii():
        return _validate(spec)
    local = spec[:at]
    domain = spec[at + 1 :]
    if not domain or domain[0] == "[" or dot_atom.match(local) is None:
        return _validate(spec)
    # the fast path: exactly what email-validator does for an ASCII dot-atom local part,
    # with the domain validated once per list
    known = domains.get(domain)
    if known is None:
        try:
            checked = validate_email("x@" + domain, check_deliverability=False)
            longest = max(len(domain), len(checked.domain.encode("utf-8")),
                          len(checked.ascii_domain))
            known = (checked.domain, longest)
        except not_valid as exc:
            known = str(exc)
        domains[domain] = known
    if isinstance(known, str):
        raise InvalidAddress(known)
    if at + 1 + known[1] > max_length:
        return _validate(spec)  # rare: let the validator phrase the length reason
    if at <= 10 and local.lower() in case_insensitive:
        local = local.lower()
    return local + "@" + known[0]


def _validate(spec: str) -> str:
    """email-validator's normalised form of an address (syntax only: never a DNS lookup,
    no network, ever), or :class:`InvalidAddress` saying what is wrong."""
    validate_email, not_valid, *_ = _validator()
    try:
        return str(validate_email(spec, check_deliverability=False,
                                  allow_smtputf8=True).normalized)
    except not_valid as exc:
        raise InvalidAddress(str(exc)) from None


@lru_cache(maxsize=4096)
def syntax_problem(address: str) -> str | None:
    """What email-validator says is wrong with an address's syntax, or None. Cached: a
    folder of drafts repeats its senders, and validating one takes ~50 µs."""
    try:
        _validate(address)
    except InvalidAddress as exc:
        return str(exc)
    return None


def comparison_key(normalized: str) -> str:
    """What two addresses are compared by: the normalised address without case."""
    return normalized.lower()


# -- reading a list ---------------------------------------------------------------------


class Entry(NamedTuple):
    """One line (or CSV row) of a list: its number and either the address or why not."""

    line: int
    address: str | None
    raw: str
    reason: str = ""


def display_path(path: str) -> str:
    """The path as a user wants to read it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def _encoding(fh: IO[bytes]) -> tuple[str, str]:
    """(encoding, errors) to read a list with: UTF-8 (with or without a BOM) when the whole
    file decodes as UTF-8 (checked chunk by chunk, in C), else charset-normalizer's guess
    (a Polish export in windows-1250), else latin-1. Never fails on content; leaves the
    file at its start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    head = fh.read(1 << 20)
    fh.seek(0)
    try:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig", "strict"
    except UnicodeDecodeError:
        pass
    finally:
        fh.seek(0)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(head).best()
        if best is not None and best.encoding:
            codecs.lookup(best.encoding)
            return best.encoding, "replace"
    except Exception:  # an exotic guess must not stop the run
        pass
    return "latin-1", "strict"


def _raw_lines(handle: IO[str]) -> Iterator[str]:
    """Lines of an open list with their line ends, streamed, each at most
    :data:`MAX_LINE_CHARS` long: a longer line comes in pieces of that length (each then
    an invalid line), so a list without line breaks is never held in memory whole. A C
    iterator: no Python step per line (a generator cost 8 % on a million addresses)."""
    return iter(partial(handle.readline, MAX_LINE_CHARS), "")


def _lines(handle: IO[str]) -> Iterator[str]:
    """Lines of an open list without their end-of-line characters, streamed."""
    for line in _raw_lines(handle):
        yield line.rstrip("\r\n")


def _sniff(sample: str) -> str | None:
    """The delimiter of a CSV sample, or None when the lines have none in common."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        present = [d for d in DELIMITERS if d in first]
        return present[0] if len(present) == 1 else None


def _email_column(header: list[str]) -> int | None:
    """Index of the email column of a header row: an exact name first, then a name that
    contains "email" ("Primary Email", "E-mail klienta")."""
    folded = [_fold_header(cell) for cell in header]
    for i, name in enumerate(folded):
        if name in EMAIL_HEADERS:
            return i
    for i, name in enumerate(folded):
        if "email" in name:
            return i
    return None


class Layout(NamedTuple):
    """How a list is laid out: plain lines, or CSV with a delimiter and an email column."""

    kind: str  # "text" or "csv"
    delimiter: str = ","
    column: int = 0
    has_header: bool = False


def _layout(sample: str, path: str) -> Layout:
    first = ""
    for line in sample.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            first = line
            break
    if not first:
        return Layout("text")
    # csv.Sniffer's quote guess is quadratic in its sample (64 KB of ',"' took 13 s):
    # the delimiter shows in a list's first lines
    delimiter = _sniff(sample[:SNIFF_CHARS]) or ("\t" if path.lower().endswith(".tsv") else ",")
    header = next(csv.reader([first], delimiter=delimiter), [])
    column = _email_column(header)
    if column is not None and "@" not in header[column]:
        return Layout("csv", delimiter, column, has_header=True)
    if path.lower().endswith(_CSV_SUFFIXES):
        for i, cell in enumerate(header):
            if "@" in cell:
                return Layout("csv", delimiter, i, has_header=False)
        raise ListError(
            "no email column: the first row has no header named 'email' (or 'e-mail', "
            "'email address', 'adres e-mail' ...) and no cell with an address"
        )
    return Layout("text")


def read_list(path: str) -> Iterator[Entry]:
    """Every address line of a list, in order, valid or not (see the module docstring).

    The file is streamed: memory does not grow with its length. Raises
    :class:`ListError` when the file cannot be read or has no email column.
    """
    try:
        binary = open_regular(path)  # a FIFO or a device is refused, never read
        size = os.fstat(binary.fileno()).st_size
        if size > MAX_LIST_BYTES:  # before a byte is read
            binary.close()
            raise ListError(f"too large: {size / 1048576:.0f} MB (limit "
                            f"{MAX_LIST_BYTES / 1048576:.0f} MB)")
        try:
            encoding, errors = _encoding(binary)
        except BaseException:
            binary.close()
            raise
        with io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline="") as fh:
            layout = _layout(fh.read(SNIFF_BYTES), path)
            fh.seek(0)
            yield from _read(fh, layout)
    except OSError as exc:
        raise ListError(f"cannot read the list: {exc.strerror or exc}") from None
    except csv.Error as exc:
        raise ListError(f"the CSV cannot be read: {exc}") from None


def _read(handle: IO[str], layout: Layout) -> Iterator[Entry]:
    domains: DomainMemo = {}
    if layout.kind == "text":
        for number, line in enumerate(_lines(handle), start=1):
            stripped = line.strip()
            if not stripped or stripped[0] == "#":
                continue
            yield _entry(number, stripped, domains)
        return
    reader = csv.reader(_raw_lines(handle), delimiter=layout.delimiter)
    header_pending = layout.has_header
    column = layout.column
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header_pending:
            header_pending = False
            continue
        if column >= len(row):
            yield Entry(number, None, layout.delimiter.join(row), "the row has no email column")
            continue
        cell = row[column].strip()
        if not cell:
            yield Entry(number, None, layout.delimiter.join(row), "the email cell is empty")
            continue
        yield _entry(number, cell, domains)


def _entry(number: int, text: str, domains: DomainMemo) -> Entry:
    try:
        return Entry(number, normalize_address(text, domains), text)
    except InvalidAddress as exc:
        return Entry(number, None, text, str(exc))


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


# -- loaded lists -------------------------------------------------------------------------


@dataclass
class AddressSet:
    """A list loaded for membership tests (affected, suppressed)."""

    path: str
    keys: set[str] = field(default_factory=set)
    lines: int = 0  # address lines, valid or not
    bad: list[BadLine] = field(default_factory=list)
    bad_count: int = 0
    error: str | None = None  # the list could not be used at all

    @property
    def display(self) -> str:
        return display_path(self.path)


def load_set(path: str) -> AddressSet:
    """Read a list into a set of comparison keys, keeping its invalid lines."""
    result = AddressSet(path)
    try:
        for entry in read_list(path):
            result.lines += 1
            if entry.address is None:
                _keep_bad(result, entry)
            else:
                result.keys.add(comparison_key(entry.address))
    except ListError as exc:
        result.error = str(exc)
    return result


def _keep_bad(target: AddressSet | Audience, entry: Entry) -> None:
    target.bad_count += 1
    if len(target.bad) < MAX_BAD_LINES:
        target.bad.append(BadLine(entry.line, _shown(entry.raw), entry.reason))


@dataclass
class Overlap:
    """Recipients found (AL802: on the suppression list) or not found (AL801: in the
    affected list) in another list: how many, and the first few with their lines."""

    other: AddressSet
    count: int = 0
    first: list[Hit] = field(default_factory=list)  # at most ``keep`` of them
    line: int = 0  # line of the first one (0: none), kept even when ``keep`` is 0


@dataclass
class Audience:
    """The recipient list streamed once against the affected and suppressed lists."""

    path: str
    total: int = 0  # distinct valid recipients
    bad: list[BadLine] = field(default_factory=list)
    bad_count: int = 0
    error: str | None = None
    unaffected: Overlap | None = None
    suppressed: Overlap | None = None

    @property
    def display(self) -> str:
        return display_path(self.path)


def _file_key(path: str) -> tuple[str, int, int]:
    """(absolute path, mtime, size): a list edited during a run is read again."""
    absolute = os.path.abspath(path)
    try:
        st = os.stat(absolute)
    except OSError:
        return (absolute, -1, -1)
    return (absolute, st.st_mtime_ns, st.st_size)


class AddressLists:
    """The address lists of one run, each read once (see the module docstring).

    Safe to share between threads of one run: loading happens under a lock.
    """

    def __init__(self) -> None:
        self._sets: dict[tuple[str, int, int], AddressSet] = {}
        self._audiences: dict[tuple[object, ...], Audience] = {}
        self._claimed: set[tuple[object, ...]] = set()
        self._lock = threading.RLock()

    def address_set(self, path: str) -> AddressSet:
        key = _file_key(path)
        with self._lock:
            found = self._sets.get(key)
            if found is None:
                found = self._sets[key] = load_set(path)
            return found

    def audience(
        self,
        recipients: str,
        affected: str | None,
        suppressed: str | None,
        keep: int,
    ) -> Audience:
        """The recipient list against the affected and/or suppressed list, computed once
        per run for the same files and ``keep`` (how many addresses to remember)."""
        key = (
            _file_key(recipients),
            _file_key(affected) if affected else None,
            _file_key(suppressed) if suppressed else None,
            keep,
        )
        with self._lock:
            found = self._audiences.get(key)
            if found is None:
                aff = self.address_set(affected) if affected else None
                sup = self.address_set(suppressed) if suppressed else None
                found = self._audiences[key] = _stream(recipients, aff, sup, keep)
            return found

    def claim(self, tag: str, *paths: str) -> bool:
        """True the first time (``tag``, files) is claimed in this run: findings about a
        list (they point at the list, not at a draft) are reported once, not once per
        draft. Each path stands for the file as it is now (path, mtime, size)."""
        key = (tag, *(_file_key(p) for p in paths))
        with self._lock:
            if key in self._claimed:
                return False
            self._claimed.add(key)
            return True


def _stream(
    path: str, affected: AddressSet | None, suppressed: AddressSet | None, keep: int
) -> Audience:
    audience = Audience(path)
    unaffected = Overlap(affected) if affected is not None and affected.error is None else None
    on_hold = Overlap(suppressed) if suppressed is not None and suppressed.error is None else None
    audience.unaffected, audience.suppressed = unaffected, on_hold
    affected_keys = affected.keys if affected is not None else set()
    suppressed_keys = suppressed.keys if suppressed is not None else set()
    seen: set[int] = set()  # hashes, not strings: a million recipients stay small
    try:
        for entry in read_list(path):
            if entry.address is None:
                _keep_bad(audience, entry)
                continue
            k = comparison_key(entry.address)
            h = hash(k)
            if h in seen:
                continue  # listed twice: one recipient, one email
            seen.add(h)
            if unaffected is not None and k not in affected_keys:
                _count(unaffected, entry, keep)
            if on_hold is not None and k in suppressed_keys:
                _count(on_hold, entry, keep)
    except ListError as exc:
        audience.error = str(exc)
    audience.total = len(seen)
    return audience


def _count(overlap: Overlap, entry: Entry, keep: int) -> None:
    overlap.count += 1
    if not overlap.line:
        overlap.line = entry.line
    if len(overlap.first) < keep and entry.address is not None:
        overlap.first.append(Hit(entry.line, entry.address))
