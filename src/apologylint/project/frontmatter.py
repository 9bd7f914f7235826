"""YAML front matter: the ``---`` block at the top of a Maizzle, Jekyll, Eleventy or
MailMason template that names its subject, sender, layout and preheader.

The block is metadata, not what the reader gets: the loaders read the template with it
blanked out (:func:`blank`), and the assembler takes ``subject``/``title``, ``from`` and
``layout`` from it with their positions, so that a finding on the subject points at its
line in the front matter.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["FrontMatter", "blank", "read_front_matter"]

#: The block must close within this many characters of the top (it is a few lines).
_MAX_BLOCK = 64 * 1024
_OPEN = re.compile(r"\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


class Value(NamedTuple):
    """A top-level scalar of the front matter and where its text stands in the file."""

    text: str
    start: int
    end: int


class FrontMatter(NamedTuple):
    """The block's end (offset after the closing ``---`` line) and its top-level scalars
    (keys lower-cased)."""

    end: int
    values: dict[str, Value]

    def get(self, *keys: str) -> Value | None:
        """The first of ``keys`` that is set to a non-empty text."""
        for key in keys:
            value = self.values.get(key)
            if value is not None and value.text.strip():
                return value
        return None


def read_front_matter(text: str) -> FrontMatter | None:
    """The front matter of a template, or None when it has none (or it is not YAML)."""
    opened = _OPEN.match(text)
    if opened is None:
        return None
    closed = _CLOSE.search(text, opened.end(), min(len(text), _MAX_BLOCK))
    if closed is None:
        return None
    import yaml  # here: only templates with front matter pay for it

    block = text[opened.end() : closed.start()]
    values: dict[str, Value] = {}
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return FrontMatter(closed.end(), values)
    if isinstance(node, yaml.MappingNode):
        base = opened.end()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                start = base + value.start_mark.index
                end = base + value.end_mark.index
                values[str(key.value).lower()] = Value(str(value.value), start, end)
    return FrontMatter(closed.end(), values)


def blank(text: str, end: int) -> str:
    """``text`` with its first ``end`` characters turned to spaces (line breaks kept):
    every offset stays where it was, and no loader reads the block as body text."""
    head = "".join(c if c in "\r\n" else " " for c in text[:end])
    return head + text[end:]
