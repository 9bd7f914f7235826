"""Build :class:`~apologylint.model.Prose`: readable text plus a source offset per character.

Every loader (HTML, plain text, the parts of an .eml) feeds runs of source text into a
:class:`ProseBuilder`, which collapses whitespace, inserts paragraph and line breaks and
replaces template tags by :data:`~apologylint.model.TEMPLATE_MARK`, while keeping the
origin of every character. Origins are appended as ``range`` objects so that the
per-character work happens in C.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Sequence
from operator import eq

from .model import TEMPLATE_MARK, Prose

__all__ = ["ProseBuilder", "compose_origins", "is_identity"]

#: Whitespace and invisible characters (soft hyphen, zero-width space/joiners, word
#: joiner, BOM, combining grapheme joiner used in preheader padding). Invisible ones are
#: dropped; a run containing real whitespace becomes one space.
_SEPARATORS = re.compile(r"[\s\u00ad\u034f\u200b-\u200d\u2060\ufeff]+")
_INVISIBLE = "\u00ad\u034f\u200b-\u200d\u2060\ufeff"
#: The one invisible character that ``str.isprintable`` accepts (combining grapheme joiner).
_INVISIBLE_PRINTABLE = "\u034f"


def single_spaced(text: str) -> bool:
    """True when ``text`` has no separator but single plain spaces, so :data:`_IRREGULAR`
    cannot match in it. Three C-level scans instead of the regex, which tries three
    alternatives at every character (most runs of an HTML body are such sentences):
    whitespace other than " " and the invisible characters but U+034F are not
    printable."""
    return text.isprintable() and "  " not in text and _INVISIBLE_PRINTABLE not in text

#: Separator runs other than one plain space: text between them can be copied as one
#: chunk (its single spaces are already collapsed), which keeps the work per chunk, not
#: per word.
_IRREGULAR = re.compile(
    rf"[\s{_INVISIBLE}]{{2,}}|[^\S ][\s{_INVISIBLE}]*|[{_INVISIBLE}][\s{_INVISIBLE}]*"
)


#: Origins mapped per ``itemgetter`` call by :func:`compose_origins`.
_COMPOSE_CHUNK = 1 << 16


def compose_origins(local: array[int], outer: Sequence[int] | None) -> array[int]:
    """Map prose origins that index a decoded string through that string's own origins.

    ``outer[i]`` is the source offset of character ``i`` of the string the prose was built
    from; ``-1`` stays ``-1``. Runs in C: one ``itemgetter`` over a copy with a trailing
    ``-1`` (so that index ``-1`` maps to ``-1``), which costs two thirds of a ``map`` of
    ``__getitem__`` (measured: 93 ms -> 60 ms for 1.45 M characters).

    The ``itemgetter`` works on chunks of 65,536 origins: one call over the whole text
    made its arguments and its result two tuples of a Python int per character (~90
    bytes each: 1.1 GB at once for a 12 MB draft, issue 14), which the chunks keep to
    a few megabytes whatever the size.
    """
    if outer is None:
        return local
    extended = array("l", outer)
    extended.append(-1)
    from operator import itemgetter  # here: this function is all of prose.py that uses it

    mapped = array("l")
    for at in range(0, len(local), _COMPOSE_CHUNK):
        chunk = local[at : at + _COMPOSE_CHUNK]
        if len(chunk) < 2:  # itemgetter of one index returns the item, not a tuple
            mapped.extend(map(extended.__getitem__, chunk))
        else:
            mapped.extend(itemgetter(*chunk)(extended))
    return mapped


def is_identity(origins: Sequence[int]) -> bool:
    """Whether ``origins[i] == i`` for every ``i``: the string they map is its source as
    written, and they say nothing a missing map would not (see ``load_plain_text``).

    The first and last offsets answer most cases; the rest is compared a chunk at a time
    with an array of the offsets it should hold, at C level."""
    n = len(origins)
    if n == 0 or origins[0] != 0 or origins[-1] != n - 1:
        return n == 0
    if not isinstance(origins, array):
        return all(map(eq, origins, range(n)))
    view = memoryview(origins)
    for at in range(0, n, _COMPOSE_CHUNK):
        stop = min(n, at + _COMPOSE_CHUNK)
        if view[at:stop] != memoryview(array(origins.typecode, range(at, stop))):
            return False
    return True


class ProseBuilder:
    """Accumulate prose with origins.

    ``masks`` are sorted, non-overlapping ``(start, end, emit_mark)`` intervals in the same
    coordinates as the offsets given to :meth:`add_run`; text inside a mask is dropped and,
    when ``emit_mark`` is true and the run holds the mask's start, replaced by one
    ``TEMPLATE_MARK`` whose origin is the mask start.

    ``outer`` (the source offset of each character of the string the offsets index, as for
    :func:`compose_origins`) maps origins as they are recorded: a run's origins are then a
    slice of ``outer`` (a memory copy) instead of a ``range`` expanded int by int and
    mapped again at the end. Measured on the bench corpus's 200 HTML parts (1.4 M prose
    characters): 0.05 s of ``range`` expansion plus ~0.1 s of ``compose_origins`` -> 4 ms.
    """

    __slots__ = (
        "_chars",
        "_last",
        "_mask_ends",
        "_mask_starts",
        "_masks",
        "_origins",
        "_outer",
        "_pending_break",
        "_pending_space",
        "_size",
    )

    def __init__(
        self,
        masks: Sequence[tuple[int, int, bool]] | None = None,
        outer: Sequence[int] | None = None,
    ) -> None:
        self._chars: list[str] = []
        self._origins: array[int] = array("l")
        self._outer: array[int] | None = None
        if outer is not None:
            # a copy with a trailing -1, as in compose_origins: -1 (no source) stays -1
            self._outer = array("l", outer)
            self._outer.append(-1)
        self._size = 0
        self._last = ""  # last character emitted ("" at the start)
        self._pending_space = -1  # origin of a pending collapsed space, or -1
        self._pending_break = 0  # 0, 1 ("\n") or 2 ("\n\n")
        self._masks: list[tuple[int, int, bool]] = list(masks or ())
        self._mask_starts = [m[0] for m in self._masks]
        self._mask_ends = [m[1] for m in self._masks]

    # -- state --------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._size

    def next_offset(self) -> int:
        """Prose offset where the next content character will land (for footer marks)."""
        if self._size == 0:
            return 0
        if self._pending_break:
            return self._size + self._pending_break
        if self._pending_space >= 0 and self._last not in (" ", "\n"):
            return self._size + 1
        return self._size

    # -- structure ----------------------------------------------------------------------

    def space(self, origin: int) -> None:
        """A collapsible space (e.g. a newline joining hard-wrapped lines)."""
        if self._pending_space < 0 and not self._pending_break:
            self._pending_space = origin

    def line_break(self) -> None:
        """``"\\n"``; two line breaks in a row make a paragraph break (``<br><br>``)."""
        if self._size == 0:
            return
        self._pending_space = -1
        if self._pending_break == 0:
            self._pending_break = 1
        else:
            self._pending_break = 2

    def paragraph_break(self) -> None:
        """``"\\n\\n"``, never leading, never doubled."""
        if self._size == 0:
            return
        self._pending_space = -1
        self._pending_break = 2

    # -- content ------------------------------------------------------------------------

    def _flush(self) -> None:
        if self._pending_break:
            if self._size:
                n = self._pending_break
                self._chars.append("\n" * n)
                self._origins.extend((-1,) * n)
                self._size += n
                self._last = "\n"
            self._pending_break = 0
            self._pending_space = -1
        elif self._pending_space >= 0:
            if self._size and self._last not in (" ", "\n"):
                self._chars.append(" ")
                outer = self._outer
                space = self._pending_space
                self._origins.append(space if outer is None else outer[space])
                self._size += 1
                self._last = " "
            self._pending_space = -1

    def _emit(self, chunk: str, start: int) -> None:
        """Append a chunk without whitespace, characters at ``start, start+1, ...``."""
        if self._pending_break or self._pending_space >= 0:
            self._flush()
        self._chars.append(chunk)
        n = len(chunk)
        outer = self._outer
        if outer is None:
            self._origins.extend(range(start, start + n))
        else:
            part = outer[start : start + n]
            if len(part) != n or start < 0:
                raise IndexError("prose origin outside the mapped string")
            self._origins.extend(part)
        self._size += n
        self._last = chunk[-1]

    def _emit_constant(self, chunk: str, origin: int) -> None:
        self._flush()
        self._chars.append(chunk)
        if self._outer is not None:
            origin = self._outer[origin]
        self._origins.extend((origin,) * len(chunk))
        self._size += len(chunk)
        self._last = chunk[-1]

    def add_mark(self, origin: int) -> None:
        """One ``TEMPLATE_MARK`` standing for a template tag that starts at ``origin``."""
        self._emit_constant(TEMPLATE_MARK, origin)

    def _add_segment(self, seg: str, start: int) -> None:
        """A piece whose only whitespace is single ASCII spaces: one chunk, one range."""
        if seg[0] == " ":
            self.space(start)
            seg = seg[1:]
            start += 1
            if not seg:
                return
        if seg[-1] == " ":
            self._emit(seg[:-1], start)
            self.space(start + len(seg) - 1)
        else:
            self._emit(seg, start)

    def _add_plain(self, text: str, start: int) -> None:
        # two shortcuts cover most runs of an HTML body (measured: 22 k runs on the bench
        # corpus, half a lone "\n" between tags, half a sentence with single spaces)
        if text.isspace():
            self.space(start)  # what the loop below does for any all-whitespace run
            return
        if single_spaced(text):
            self._add_segment(text, start)
            return
        first = _IRREGULAR.search(text)
        if first is None:
            self._add_segment(text, start)
            return
        pos = 0
        for m in _IRREGULAR.finditer(text, first.start()):
            s, e = m.span()
            if s > pos:
                self._add_segment(text[pos:s], start + pos)
            sep = m.group()
            if sep.isspace():
                self.space(start + s)
            else:
                for k, c in enumerate(sep):
                    if c.isspace():
                        self.space(start + s + k)
                        break
            pos = e
        if pos < len(text):
            self._add_segment(text[pos:] if pos else text, start + pos)

    def add_run(self, text: str, start: int) -> None:
        """Text whose characters stand at consecutive source offsets from ``start``."""
        if not text:
            return
        starts = self._mask_starts
        if starts:
            end = start + len(text)
            i = bisect.bisect_right(self._mask_ends, start)
            if i < len(starts) and starts[i] < end:
                self._add_masked(text, start, end, i)
                return
        self._add_plain(text, start)

    def _add_masked(self, text: str, start: int, end: int, i: int) -> None:
        pos = start
        masks = self._masks
        while i < len(masks) and masks[i][0] < end:
            ms, me, emit = masks[i]
            if ms > pos:
                self._add_plain(text[pos - start : ms - start], pos)
            if emit and ms >= start:
                self.add_mark(ms)
            pos = max(pos, me)
            i += 1
        if pos < end:
            self._add_plain(text[pos - start :], pos)

    def add_constant(self, text: str, origin: int) -> None:
        """Text that all comes from one source offset (a character reference)."""
        if not text:
            return
        starts = self._mask_starts
        if starts:
            i = bisect.bisect_right(starts, origin) - 1
            if i >= 0 and origin < self._mask_ends[i]:
                return
        pos = 0
        for m in _SEPARATORS.finditer(text):
            s, e = m.span()
            if s > pos:
                self._emit_constant(text[pos:s], origin)
            if any(c.isspace() for c in m.group()):
                self.space(origin)
            pos = e
        if pos < len(text):
            self._emit_constant(text[pos:], origin)

    def add_chars(self, text: str, origins: Iterable[int]) -> None:
        """Text with an explicit origin per character (no masking)."""
        org = list(origins)
        if len(org) != len(text):
            raise ValueError("add_chars: one origin per character is required")
        pos = 0
        for m in _SEPARATORS.finditer(text):
            s, e = m.span()
            for k in range(pos, s):
                self._emit_constant(text[k], org[k])
            if any(c.isspace() for c in m.group()):
                self.space(org[s])
            pos = e
        for k in range(pos, len(text)):
            self._emit_constant(text[k], org[k])

    # -- result -------------------------------------------------------------------------

    def build(self, outer: Sequence[int] | None = None) -> Prose:
        """The prose; with ``outer``, origins are mapped through it (see compose_origins).

        Give ``outer`` here or to the constructor, not both.
        """
        if outer is not None and self._outer is not None:
            raise ValueError("build: the origins were already mapped through outer")
        text = "".join(self._chars)
        return Prose(text, compose_origins(self._origins, outer))
