"""Load mailboxes (.mbox): each message is its own draft, positions are mbox lines.

A message starts at a ``From `` envelope line that begins the file or follows a blank line
and is followed by a header field (a body line that merely starts with "From now on" does
not split it). Each message is read by the .eml loader, then every span and origin is
moved by the message's offset in the file and the draft gets the whole mbox as its
:class:`~apologylint.model.Source`: a finding on line 3 of the fifth message is reported at
that line of the .mbox. Body lines escaped as ``>From `` (mboxo/mboxrd) are read as
``From `` lines (the ``>`` is blanked, keeping every offset). A file without any envelope
line is one message.
"""

from __future__ import annotations

import dataclasses
import re
from array import array

from ..model import Address, Draft, Origin, Source, Span
from ..prose import compose_origins
from . import LoadError
from .decoding import offsets
from .eml import load_eml_bytes

__all__ = ["load_mbox_bytes", "split_mbox"]

_HEADER_FIELD = re.compile(r"[\x21-\x39\x3b-\x7e]{1,200}[ \t]{0,50}:")
_ESCAPED_FROM = re.compile(r"^>+From ", re.MULTILINE)


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl + 1


def split_mbox(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of each message, envelope line included."""
    starts: list[int] = []
    n = len(text)
    pos = 0
    previous_blank = True
    while pos < n:
        nxt = _line_end(text, pos)
        line = text[pos:nxt]
        if previous_blank and line.startswith("From ") and (
            nxt >= n or _HEADER_FIELD.match(text, nxt, min(n, nxt + 260)) is not None
        ):
            starts.append(pos)
        previous_blank = not line.strip()
        pos = nxt
    if not starts:
        return [(0, n)] if text.strip() else []
    if text[: starts[0]].strip():
        starts.insert(0, 0)  # text before the first envelope line: a message too
    return [(s, starts[i + 1] if i + 1 < len(starts) else n) for i, s in enumerate(starts)]


def _unescape_from(message: str) -> str:
    """``>From `` body lines read as ``From `` (same length: the ``>`` becomes a space)."""
    blank = message.find("\n\n")
    if blank == -1:
        blank = message.find("\r\n\r\n")
    if blank == -1 or ">From " not in message[blank:]:
        return message
    head, body = message[:blank], message[blank:]
    return head + _ESCAPED_FROM.sub(lambda m: " " + m.group(0)[1:], body)


class _Shift:
    """Moves a draft's spans and origins from message offsets to mbox offsets."""

    def __init__(self, base: int, length: int) -> None:
        self.base = base
        self.outer = offsets(base, length + 1)

    def span(self, span: Span | None) -> Span | None:
        if span is None:
            return None
        return Span(span.start + self.base, span.end + self.base)

    def address(self, address: Address | None) -> Address | None:
        if address is None:
            return None
        return dataclasses.replace(address, span=self.span(address.span))

    def origins(self, origins: array[int]) -> array[int]:
        return compose_origins(origins, self.outer)


def _shift(draft: Draft, base: int, length: int, source: Source) -> None:
    s = _Shift(base, length)
    draft.source = source
    draft.subject_span = s.span(draft.subject_span)
    draft.sender_span = s.span(draft.sender_span)
    draft.reply_to_span = s.span(draft.reply_to_span)
    draft.sender = s.address(draft.sender)
    draft.reply_to = [a for a in map(s.address, draft.reply_to) if a is not None]
    draft.to = [a for a in map(s.address, draft.to) if a is not None]
    draft.cc = [a for a in map(s.address, draft.cc) if a is not None]
    draft.headers = [dataclasses.replace(h, span=s.span(h.span)) for h in draft.headers]
    draft.template_tags = [
        dataclasses.replace(t, span=s.span(t.span) or t.span) for t in draft.template_tags
    ]
    done: set[int] = set()
    for prose in (draft.prose, draft.text_prose):
        if prose is not None and id(prose) not in done:
            done.add(id(prose))
            prose.origins = s.origins(prose.origins)
    for key in ("html_origins", "text_origins"):
        value = draft.extra.get(key)
        if isinstance(value, array):
            draft.extra[key] = s.origins(value)


def load_mbox_bytes(data: bytes, path: str) -> list[Draft]:
    """One draft per message of an mbox; raises :class:`LoadError` for an empty file."""
    text = data.decode("utf-8", "surrogateescape")
    messages = split_mbox(text)
    if not messages:
        raise LoadError("the mailbox holds no messages", path)
    source = Source(path, text)
    drafts: list[Draft] = []
    for index, (start, end) in enumerate(messages, 1):
        chunk = _unescape_from(text[start:end])
        try:
            draft = load_eml_bytes(chunk.encode("utf-8", "surrogateescape"), path)
        except LoadError as e:
            raise LoadError(f"message {index}: {e.message}", path) from None
        _shift(draft, start, end - start, source)
        draft.origin = Origin(path=path, kind="mbox", index=index, is_template=False)
        draft.extra["message_start"] = start  # findings about the whole message point here
        drafts.append(draft)
    return drafts
