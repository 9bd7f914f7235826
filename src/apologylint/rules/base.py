"""What a rule is: its metadata beside its logic, and how it reports.

Each rule lives in its own module (``alNNN_slug.py``) as a subclass of :class:`Rule`. The
class attributes are the single source for ``apologylint explain``, ``apologylint rules``,
the docs pages under ``docs/rules/`` and the SARIF rule descriptors. ``check`` reads the
:class:`~apologylint.context.Context` and yields :class:`Finding` objects; it never parses
anything itself.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ..model import Severity, Span

if TYPE_CHECKING:
    from ..context import Context


class NotChecked(Exception):
    """Raised by a rule that lacks its input (no sender, no recipient list ...).

    The engine records the reason as "not checked" instead of a finding: a rule never
    guesses about input it was not given.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Example:
    """A failing or passing example for the docs and ``explain``, in one language.

    ``draft`` is a small .txt draft (optional ``Subject:``/``From:`` header block, blank
    line, body); the docs test lints it and checks that the rule fires (or does not).
    ``options`` are extra settings (e.g. ``(("incident", "breach"),)``); ``format`` is the
    file type the draft is linted as ("txt", "eml" or "html").
    """

    lang: str
    draft: str
    note: str = ""
    options: tuple[tuple[str, str], ...] = ()
    format: str = "txt"


@dataclass(frozen=True, slots=True)
class Option:
    """A setting the rule reads from config, for the docs."""

    key: str
    default: object
    description: str


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """A place in another file than the draft, 1-based: an address list's line (AL801)."""

    path: str
    line: int
    column: int = 1
    end_column: int | None = None


@dataclass(slots=True)
class Finding:
    """What a rule found. Location is a source span (or None = the top of the file), or
    ``elsewhere``: a line of another file the finding is about (it wins over ``span``)."""

    message: str
    span: Span | None = None
    suggestion: str | None = None
    severity: Severity | None = None  # None: the rule's (configured) severity
    elsewhere: Elsewhere | None = None


class Rule(ABC):
    """Base class for every rule. Subclasses set the metadata and implement ``check``."""

    code: ClassVar[str]
    slug: ClassVar[str]
    family: ClassVar[str]  # "sender", "subject", "apology", "tone", ...
    severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line: what fires it
    rationale: ClassVar[str]  # why, tied to the guidance
    fail_examples: ClassVar[tuple[Example, ...]] = ()
    pass_examples: ClassVar[tuple[Example, ...]] = ()
    options: ClassVar[tuple[Option, ...]] = ()
    #: Pack vocabulary names this rule reads (documented in "writing a language pack").
    vocabulary: ClassVar[tuple[str, ...]] = ()
    #: The rule reads language packs (so "not checked" when the draft's language has none).
    uses_language: ClassVar[bool] = False
    #: The rule judges the whole text, so it can be wrong when part of it is out of view
    #: (``Draft.unseen_text``: a translation key not found, a partial outside the
    #: repository): "not checked" then. Rules that fire on what they see (a joke, a vague
    #: phrase) still run; rules that fire on what is *missing* (no apology, no next step,
    #: no contact) or weigh the whole (too long, mostly a sales pitch) do not.
    needs_whole_text: ClassVar[bool] = False

    @abstractmethod
    def check(self, ctx: Context) -> Iterator[Finding]:
        """Yield findings for one draft; raise :class:`NotChecked` if input is missing."""

    @classmethod
    def describe(cls) -> str:
        """The rule's text for ``explain`` and the docs (Markdown)."""
        from ..explain import describe_rule

        return describe_rule(cls)


@dataclass
class RuleSet:
    """Rules chosen for one run, with their effective severities."""

    rules: list[Rule] = field(default_factory=list)
    severities: dict[str, Severity] = field(default_factory=dict)
