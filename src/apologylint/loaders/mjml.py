"""Load MJML templates (.mjml) as HTML, keeping every position in the .mjml file.

MJML is HTML-like markup whose ``mj-*`` elements compile to tables. apologylint does not
compile it (that needs Node); it *renames* each MJML element, in place and at the same
length, to the HTML element it stands for, and reads the result with the HTML loader:

* ``<mjml>`` → ``<html>``, ``<mj-head>`` → ``<head>``, ``<mj-body>`` → ``<body>``;
* ``<mj-title>`` → ``<title>`` (the subject), ``<mj-preview>`` → a hidden ``<div>`` (a
  preheader, not body prose);
* ``<mj-text>``, ``<mj-section>``, ``<mj-column>`` ... → ``<div>`` (blocks of prose);
* ``<mj-button>``, ``<mj-social-element>``, ``<mj-navbar-link>`` → ``<a>`` (links, with
  their ``href``); ``<mj-image>``, ``<mj-carousel-image>`` → ``<img>`` (``src``, ``alt``);
* ``<mj-raw>`` → ``<div>`` (its content is HTML already: ``<meta name="from">`` works).

Renamed names are padded with spaces inside the tag, so every character keeps its offset:
positions, template tags and inline suppression comments are exact in the .mjml file.
The sender comes, as for HTML, from ``<meta name="from">`` (inside ``<mj-raw>``), config
or ``--from``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Draft, Source
from . import LoadError
from .html import load_html_text

__all__ = ["load_mjml_text", "mjml_to_html"]

#: MJML element -> HTML element of the same role.
_ELEMENTS = {
    "mjml": "html",
    "mj-head": "head",
    "mj-body": "body",
    "mj-title": "title",
    "mj-button": "a",
    "mj-social-element": "a",
    "mj-navbar-link": "a",
    "mj-image": "img",
    "mj-carousel-image": "img",
    "mj-divider": "hr",
    "mj-table": "table",
    "mj-style": "style",
    "mj-attributes": "template",
    "mj-font": "template",
    "mj-breakpoint": "template",
    "mj-html-attributes": "template",
}
#: <mj-preview> becomes a hidden block: the inbox preview line is no body prose.
_PREVIEW = "mj-preview"
_TAG = re.compile(r"<(/?)(mjml|mj-[a-z][a-z\-]{0,40})(?=[\s/>])", re.IGNORECASE)


def _replacement(name: str, closing: bool) -> str:
    """HTML for an MJML element name, padded to the same length."""
    lowered = name.lower()
    html = "div hidden" if lowered == _PREVIEW and not closing else _ELEMENTS.get(lowered, "div")
    if len(html) > len(name):  # cannot happen for the names above; keep the text as is
        return name
    return html + " " * (len(name) - len(html))


def mjml_to_html(text: str) -> str:
    """The MJML text with each ``mj-*`` element renamed to HTML, at the same length."""

    def swap(m: re.Match[str]) -> str:
        return "<" + m.group(1) + _replacement(m.group(2), bool(m.group(1)))

    return _TAG.sub(swap, text)


def load_mjml_text(
    text: str, path: str, subject: str | None = None, sender: str | None = None,
    *,
    source: Source | None = None,
    origins: Sequence[int] | None = None,
    engine: str | None = None,
) -> Draft:
    """A draft from an MJML template; positions are offsets into ``text`` (or, with
    ``source``/``origins``, into the files an assembled message was made of).

    Subject: ``subject`` argument, else ``<mj-title>``. Sender: ``sender`` argument, else
    ``<meta name="from">`` in an ``<mj-raw>``. Raises only
    :class:`~apologylint.loaders.LoadError`.
    """
    try:
        html = mjml_to_html(text)
    except Exception as e:  # pragma: no cover - a regex substitution does not fail
        raise LoadError(f"could not read the MJML: {type(e).__name__}: {e}", path) from e
    # same offsets: the HTML is the MJML renamed, so the MJML's own map serves
    return load_html_text(
        html, path, subject=subject, sender=sender,
        source=source if source is not None else Source(path, text), origins=origins,
        kind="mjml", engine=engine,
    )
