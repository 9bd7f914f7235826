"""Resolved settings for linting one file: config file, per-glob overrides and CLI merged.

This is plain immutable data. ``config.py`` builds it (and validates every key); the
engine and the rules only read it. Keys map 1:1 to the config keys in
``docs/configuration.md`` (``max-words`` is ``max_words`` here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .model import Severity

INCIDENT_KINDS = (
    "auto",
    "wrong-segment",
    "wrong-content",
    "broken-personalization",
    "duplicate-send",
    "outage",
    "breach",
    "suppression-list",
    "other",
)
JURISDICTIONS = ("us-ca", "us-hipaa", "eu", "pl")

DEFAULT_READABILITY: Mapping[str, float] = MappingProxyType({"en": 9.0, "pl": 13.0})


@dataclass(frozen=True)
class Brand:
    """The brand profile (config ``[brand]``): markers the template must carry."""

    name: str | None = None
    domain: str | None = None
    logo: str | None = None  # substring or glob of the logo image source
    footer: tuple[str, ...] = ()  # texts the footer must contain
    colors: tuple[str, ...] = ()  # hex colours, at least one must appear


@dataclass(frozen=True)
class Settings:
    """Every knob a rule or the engine reads, with the documented defaults."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    language: str = "auto"
    incident: str = "auto"
    jurisdiction: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    # thresholds
    max_words: int = 250
    max_words_breach: int = 600
    max_subject_length: int = 60
    max_html_kb: int = 102  # message-clipped: Gmail clips HTML larger than this
    buried_apology_words: int = 80
    readability: Mapping[str, float] = field(default_factory=lambda: DEFAULT_READABILITY)
    # template inputs
    subject: str | None = None
    sender: str | None = None
    brand: Brand | None = None
    # audience lists (paths, resolved relative to the config file that named them)
    recipients: str | None = None
    affected: str | None = None
    suppressed: str | None = None
    max_listed_addresses: int = 5
    dpo: str | None = None
    # files
    exclude: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    max_input_bytes: int = 25 * 1024 * 1024
    max_mime_depth: int = 50
    # template repositories
    #: file endings read as an engine or a markup (config ``formats``)
    formats: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: the engine of every template the settings apply to, when their names do not tell
    engine: str | None = None
    #: the locale whose translations a template's words are read in (None: the project's
    #: default locale)
    locale: str | None = None
    #: whether a template's message is put together by the repository's conventions
    #: (sibling parts, layouts, partials, locale files, meta.json); False: each file is
    #: read alone, as written
    assemble: bool = True
    #: where these settings came from (config file path or "<defaults>")
    origin: str = "<defaults>"

    def severity_for(self, slug: str, code: str, default: Severity) -> Severity:
        return self.severity.get(slug, self.severity.get(code, default))
