"""Text put together from several files, with the place of every character kept.

A message's HTML is its layout with the body poured into the layout's slot, partials
poured into their ``include`` tags and translation calls replaced by the locale file's
words. :class:`Composed` is such a text with, for each character, its offset in the
message's joined :class:`~apologylint.model.Source` (see :class:`Files`), so that a finding
on any word points at the file and line where that word is written. The loaders take the
text and the offsets as they take a decoded .eml part and its map.
"""

from __future__ import annotations

import bisect
import os
from array import array
from collections.abc import Sequence
from typing import NamedTuple

from ..model import Source

__all__ = ["Composed", "Files", "splice"]


class Composed(NamedTuple):
    """A text and, per character, its offset in the message's joined source (-1: none)."""

    text: str
    origins: array[int]

    @classmethod
    def of(cls, text: str, base: int) -> Composed:
        """A file's text (or a piece of it) that starts at ``base`` of the joined source."""
        return cls(text, array("l", range(base, base + len(text))))

    @classmethod
    def constant(cls, text: str, origin: int) -> Composed:
        """Text that stands for one place (a placeholder mark, a generated space)."""
        return cls(text, array("l", [origin]) * len(text))

    @classmethod
    def placed(cls, text: str, origins: Sequence[int], base: int) -> Composed:
        """Text whose offsets count from the start of its own file (a locale file's value,
        a piece of a template read apart), placed where that file starts: ``base``."""
        return cls(text, array("l", (o + base if o >= 0 else -1 for o in origins)))

    @classmethod
    def join(cls, pieces: Sequence[Composed]) -> Composed:
        """The pieces one after another (linear: one copy of each)."""
        origins = array("l")
        for piece in pieces:
            origins.extend(piece.origins)
        return cls("".join(p.text for p in pieces), origins)

    def piece(self, start: int, end: int) -> Composed:
        return Composed(self.text[start:end], self.origins[start:end])

    def __add__(self, other: object) -> Composed:
        if not isinstance(other, Composed):
            return NotImplemented
        return Composed(self.text + other.text, self.origins + other.origins)


def splice(base: Composed, edits: Sequence[tuple[int, int, Composed]]) -> Composed:
    """``base`` with each ``[start, end)`` replaced by its text (edits sorted by start and
    not overlapping; an edit that overlaps the one before is dropped)."""
    if not edits:
        return base
    texts: list[str] = []
    origins = array("l")
    pos = 0
    for start, end, replacement in edits:
        if start < pos or end < start:
            continue
        texts.append(base.text[pos:start])
        origins.extend(base.origins[pos:start])
        texts.append(replacement.text)
        origins.extend(replacement.origins)
        pos = end
    texts.append(base.text[pos:])
    origins.extend(base.origins[pos:])
    return Composed("".join(texts), origins)


def shown_path(path: str) -> str:
    """A path as findings show it: relative to the working folder when inside it (the
    message's own files are named as the run was given them; layouts, partials and
    locale files found in the repository come as absolute paths)."""
    if not os.path.isabs(path):
        return path
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


class Files:
    """The files of one message in the order they are met, joined into one source.

    Each file is added once; :meth:`add` answers where its text starts in the joined
    source, which is what :class:`Composed` offsets count from.
    """

    def __init__(self) -> None:
        self._sources: list[Source] = []
        self._base: dict[str, int] = {}
        self._starts: list[int] = []
        self._size = 0

    def add(self, source: Source, *, as_given: bool = False) -> int:
        """Where ``source`` starts in the joined source (added now if it is new). A file
        the run was given keeps its name (``as_given``); one found by looking around the
        repository is named as the user would name it: relative to the working folder
        when it is inside it."""
        path = source.path if as_given else shown_path(source.path)
        base = self._base.get(path)
        if base is None:
            base = self._size
            self._base[path] = base
            if path != source.path:
                source = Source(path, source.text)
            self._sources.append(source)
            self._starts.append(base)
            self._size += len(source.text) + 1  # Source.joined puts a newline after each
        return base

    def base(self, path: str) -> int | None:
        found = self._base.get(path)
        return found if found is not None else self._base.get(shown_path(path))

    def path_at(self, offset: int) -> str:
        """The path of the file that holds an offset of the joined source."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return self._sources[max(index, 0)].path if self._sources else ""

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(s.path for s in self._sources)

    def joined(self) -> Source:
        return Source.joined(self._sources)
