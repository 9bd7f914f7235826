"""The one data model every loader produces and every rule reads.

A loader turns a file (or bytes, or a message object) into a :class:`Draft`. Rules never
re-parse anything: the subject, addresses, the parsed HTML and the *prose* (the words a
recipient reads, with a map from each character back to the file the user edits) are all
here. Positions are kept as character offsets into :attr:`Source.text` and turned into
line:column only when a diagnostic is reported.
"""

from __future__ import annotations

import bisect
import enum
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, count
from operator import add
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

    from .loaders.html import HtmlDoc


class Severity(enum.IntEnum):
    """Ordered so that ``--fail-on`` is a comparison."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r} (expected error, warning or info)"
            ) from None


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column of a finding's start and end in the source file."""

    line: int
    column: int
    end_line: int
    end_column: int


class Source:
    """The file as the user sees it in an editor, for turning offsets into line:column.

    For an .eml the text is the raw bytes decoded as UTF-8 with ``surrogateescape`` so that
    every byte keeps a place; for .html/.txt it is the decoded file.

    A message assembled from several files (an HTML body, its text part, a subject in
    ``meta.json``, the layout that wraps it, the locale file that holds its words) has one
    source that *joins* them (:meth:`joined`): its text is the files' texts one after the
    other, each followed by a newline, so that every offset of the message names one
    character of one file. :meth:`locate` turns an offset back into that file's path and
    its own line:column.
    """

    __slots__ = ("_line_starts", "_starts", "files", "path", "text")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self._line_starts: list[int] | None = None
        #: the files a joined source is made of (empty for a single file)
        self.files: tuple[Source, ...] = ()
        self._starts: list[int] = [0]

    @classmethod
    def joined(cls, files: Sequence[Source]) -> Source:
        """One source for several files; its :attr:`path` is the first file's."""
        if len(files) == 1:
            return files[0]
        source = cls(files[0].path, "\n".join(f.text for f in files) + "\n")
        source.files = tuple(files)
        source._starts = [0, *accumulate(len(f.text) + 1 for f in files[:-1])]
        return source

    def base_of(self, path: str) -> int | None:
        """Offset where the file ``path`` starts in this source (None: not part of it)."""
        if not self.files:
            return 0 if path == self.path else None
        for start, file in zip(self._starts, self.files, strict=True):
            if file.path == path:
                return start
        return None

    def file_at(self, offset: int) -> tuple[Source, int]:
        """The file that holds ``offset`` and the offset where that file starts."""
        if not self.files:
            return self, 0
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.files[index], self._starts[index]

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = line_starts(self.text)
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset, in the file that holds it;
        columns count characters."""
        if self.files:
            file, base = self.file_at(offset)
            return file.line_col(offset - base)
        offset = max(0, min(offset, len(self.text)))
        starts = self.line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def offset_of_line(self, line: int, path: str | None = None) -> int:
        """Offset of the start of ``line`` (1-based) of the file ``path`` (default: the
        first file)."""
        if self.files:
            base = self.base_of(path or self.path) or 0
            file, _ = self.file_at(base)
            return base + file.offset_of_line(line)
        starts = self.line_starts
        return starts[max(0, min(line - 1, len(starts) - 1))]

    def position(self, start: int, end: int | None = None) -> Position:
        """Line:column of a span, in the file that holds its start (a span that runs
        into the next file ends at the end of its own)."""
        line, col = self.line_col(start)
        if end is None or end <= start:
            return Position(line, col, line, col)
        if self.files:
            file, base = self.file_at(start)
            end = min(end, base + len(file.text))
        end_line, end_col = self.line_col(end)
        return Position(line, col, end_line, end_col)

    def locate(self, start: int, end: int | None = None) -> tuple[str, Position]:
        """The path of the file that holds ``start`` and the span's position in it."""
        path = self.file_at(start)[0].path if self.files else self.path
        return path, self.position(start, end)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of character offsets into :attr:`Source.text`."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox from a header: display name and addr-spec, as written."""

    display_name: str
    address: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Header:
    """A header as it stands in the source: decoded value and where the field starts."""

    name: str
    value: str
    span: Span | None = None


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line (lines end at ``"\\n"``).

    Built by C-level tools (split, running sums), not a loop per line: a long file has
    tens of thousands of lines and every draft needs its table."""
    lengths = map(len, text.split("\n")[:-1])
    return [0, *map(add, accumulate(lengths), count(1))]


class Prose:
    """Readable text of a body, with each character's offset in the source file.

    Paragraphs are separated by ``"\\n\\n"`` and line breaks inside a block by ``"\\n"``;
    runs of other whitespace are one space. Template tags are replaced by
    :data:`TEMPLATE_MARK` so that no wording rule reads them. ``origins[i]`` is the source
    offset of ``text[i]`` (``-1`` where a character has no source, e.g. a separator).
    """

    __slots__ = ("_paragraphs", "origins", "text")

    def __init__(self, text: str = "", origins: array[int] | None = None) -> None:
        self.text = text
        self.origins: array[int] = origins if origins is not None else array("l")
        self._paragraphs: tuple[str, list[tuple[int, int]]] | None = None

    def __len__(self) -> int:
        return len(self.text)

    def source_span(self, start: int, end: int) -> Span | None:
        """Source span covering prose characters ``[start, end)``, if any has a source."""
        origins = self.origins
        n = len(origins)
        if n == 0 or start >= n:
            return None
        first = -1
        for i in range(max(start, 0), min(end, n)):
            if origins[i] >= 0:
                first = origins[i]
                break
        if first < 0:
            return None
        last = first
        for i in range(min(end, n) - 1, start - 1, -1):
            if origins[i] >= 0:
                last = origins[i]
                break
        return Span(first, max(last + 1, first))

    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) prose offsets of each non-empty paragraph (computed once per
        text: several rules ask; do not modify the list)."""
        memo = self._paragraphs
        if memo is not None and memo[0] is self.text:
            return memo[1]
        result = self._split_paragraphs()
        self._paragraphs = (self.text, result)
        return result

    def _split_paragraphs(self) -> list[tuple[int, int]]:
        result: list[tuple[int, int]] = []
        text = self.text
        start = 0
        while start <= len(text):
            end = text.find("\n\n", start)
            if end == -1:
                end = len(text)
            if text[start:end].strip():
                result.append((start, end))
            start = end + 2
        return result


#: Stands in the prose for a template tag (Liquid, Jinja, merge tags ...).
TEMPLATE_MARK = "\ufffc"


@dataclass(frozen=True, slots=True)
class TemplateTag:
    """A template tag found in a template file or left over in a rendered draft."""

    syntax: str  # e.g. "liquid", "handlebars", "mailchimp", "ampscript", "angle"
    text: str
    span: Span
    name: str = ""  # the field it inserts, when it inserts one
    has_fallback: bool = False
    is_control: bool = False  # if/else/end/comment ...


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a draft came from: file path, kind of input, and (for an .eml) MIME facts."""

    path: str
    kind: str  # "eml", "mbox", "html", "mjml", "text", "object"
    index: int = 0  # message number inside an mbox
    is_template: bool = False  # True for .html/.mjml/.txt templates, False for rendered mail
    #: the template engine whose syntax the file is written in ("liquid", "django",
    #: "erb", "blade", "go" ...; see apologylint.engines), None when not known
    engine: str | None = None
    #: every file the message was assembled from, this one first (empty: just this one)
    files: tuple[str, ...] = ()


@dataclass
class Draft:
    """An apology draft, however it arrived. Every rule reads only this."""

    origin: Origin
    source: Source
    subject: str | None = None
    subject_span: Span | None = None
    sender: Address | None = None
    sender_span: Span | None = None
    reply_to: list[Address] = field(default_factory=list)
    reply_to_span: Span | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)
    #: The raw HTML body (decoded), or None for text-only drafts.
    html: str | None = None
    #: The HTML's elements, parsed once with the prose; None for text-only drafts.
    html_doc: HtmlDoc | None = None
    #: What the recipient reads: from the HTML body if there is one, else the text body.
    prose: Prose = field(default_factory=Prose)
    #: The text/plain alternative, when the message has one.
    text_prose: Prose | None = None
    has_html_part: bool = False
    has_text_part: bool = False
    html_size: int = 0
    template_tags: list[TemplateTag] = field(default_factory=list)
    #: Language hints from the input (Content-Language, <html lang>), before detection.
    declared_language: str | None = None
    #: The language the rules use ("en", "pl", ...), set by the engine.
    language: str = "en"
    #: Problems the loader recovered from (unknown charset, broken MIME ...).
    warnings: list[str] = field(default_factory=list)
    #: Text the reader gets that apologylint could not see, one reason each (a translation
    #: key missing from the locale files, a partial outside the repository): the rules
    #: that judge the whole text (``Rule.needs_whole_text``) say "not checked".
    unseen_text: list[str] = field(default_factory=list)
    #: Why the layout that brands the message is not in view (a framework's mail theme
    #: outside the repository), or None: branding is then not checked.
    unseen_layout: str | None = None
    #: Who sets the sender of a template that does not name one (the platform or the
    #: framework, at run time), or None: whether readers can reply is then not checked.
    unseen_sender: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # -- constructors (thin wrappers over the loaders, for library users) -------------

    @classmethod
    def from_html(
        cls,
        html: str,
        *,
        subject: str | None = None,
        sender: str | None = None,
        path: str = "<html>",
    ) -> Draft:
        from .loaders.html import load_html_text

        return load_html_text(html, path=path, subject=subject, sender=sender)

    @classmethod
    def from_eml(cls, data: bytes, *, path: str = "<eml>") -> Draft:
        from .loaders.eml import load_eml_bytes

        return load_eml_bytes(data, path=path)

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        subject: str | None = None,
        sender: str | None = None,
        path: str = "<text>",
    ) -> Draft:
        from .loaders.plaintext import load_plain_text

        return load_plain_text(text, path=path, subject=subject, sender=sender)

    @cached_property
    def soup(self) -> BeautifulSoup | None:
        """A Beautiful Soup tree of :attr:`html`, parsed on first use, for library callers
        who want one (rules read :attr:`html_doc`; bs4 stays off the lint path)."""
        if self.html is None:
            return None
        from bs4 import BeautifulSoup

        return BeautifulSoup(self.html, "html.parser")

    # -- helpers for rules --------------------------------------------------------------

    @property
    def path(self) -> str:
        return self.origin.path

    def header(self, name: str) -> Header | None:
        lname = name.lower()
        for h in self.headers:
            if h.name.lower() == lname:
                return h
        return None

    @property
    def replyable_addresses(self) -> list[Address]:
        """Where a reply goes: Reply-To if given, else From."""
        if self.reply_to:
            return list(self.reply_to)
        return [self.sender] if self.sender else []


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, as plain data (what JSON output and library users get)."""

    path: str
    rule: str
    code: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rule": self.rule,
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class InputError:
    """A file that could not be read or parsed: one clear line, never a traceback."""

    path: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rule": "input-error",
            "code": "AL000",
            "severity": "error",
            "message": self.message,
            "line": 1,
            "column": 1,
            "end_line": 1,
            "end_column": 1,
            "suggestion": None,
        }


@dataclass
class Report:
    """The result of linting one or more drafts."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: (path, slug, reason) for rules that lacked their input and did not run.
    not_checked: list[tuple[str, str, str]] = field(default_factory=list)
    #: path -> language used for that draft
    languages: dict[str, str] = field(default_factory=dict)
    #: path -> incident kind used for that draft
    incidents: dict[str, str] = field(default_factory=dict)
    files_checked: int = 0
    #: (path, reason) for files that are no message of their own: a layout, a partial, a
    #: README, JSON that holds no template (shown with ``--verbose``)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: Report) -> None:
        self.diagnostics.extend(other.diagnostics)
        self.errors.extend(other.errors)
        self.not_checked.extend(other.not_checked)
        self.languages.update(other.languages)
        self.incidents.update(other.incidents)
        self.files_checked += other.files_checked
        self.skipped.extend(other.skipped)

    def max_severity(self) -> Severity | None:
        if not self.diagnostics:
            return None
        return max(d.severity for d in self.diagnostics)

    def by_rule(self, slug: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.rule == slug or d.code == slug]
