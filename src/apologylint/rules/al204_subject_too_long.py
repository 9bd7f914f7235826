"""AL204 subject-too-long."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..context import Context
from ..model import Severity
from .base import Example, Finding, Option, Rule

#: A merge tag is replaced at send time by something of unknown length; it is counted as
#: this many characters (about a first name), not as the length of its syntax.
TAG_WIDTH = 8
_ZWJ = "\u200d"


def _joins(ch: str) -> bool:
    """A code point drawn as part of the previous character (accents, emoji modifiers,
    variation selectors, tag characters of subdivision flags)."""
    cp = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or 0xFE00 <= cp <= 0xFE0F
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
        or 0xE0100 <= cp <= 0xE01EF
        or ch == _ZWJ
    )


def perceived_units(text: str) -> list[tuple[int, int]]:
    """(offset, width) of each character a reader sees: an accented letter, a ZWJ emoji
    sequence or a flag is one; a template tag is :data:`TAG_WIDTH`."""
    from ..loaders.templating import find_template_tags

    tags = {t.start: t.end for t in find_template_tags(text, angle=True, html=False)}
    units: list[tuple[int, int]] = []
    i, n = 0, len(text)
    prev_ri = False  # the previous unit was a lone regional indicator (half a flag)
    while i < n:
        end = tags.get(i)
        if end is not None and end > i:
            units.append((i, TAG_WIDTH))
            i, prev_ri = end, False
            continue
        ch = text[i]
        if units and (_joins(ch) or text[i - 1] == _ZWJ):
            i += 1
            continue
        is_ri = 0x1F1E6 <= ord(ch) <= 0x1F1FF
        if is_ri and prev_ri:
            prev_ri = False
            i += 1
            continue
        units.append((i, 1))
        prev_ri = is_ri
        i += 1
    return units


class SubjectTooLong(Rule):
    code = "AL204"
    slug = "subject-too-long"
    family = "subject"
    severity = Severity.WARNING
    summary = (
        "The subject is longer than the configured limit (default 60 characters; mobile "
        "inboxes cut there)."
    )
    rationale = (
        "Phones show roughly the first 30 to 60 characters of a subject. What happened must "
        "fit there, or the reader sees a cut-off sentence and decides from half of it. "
        "Characters are counted as a reader sees them (an accented letter or an emoji is "
        "one); a merge tag counts as a short name."
    )
    options = (
        Option("max-subject-length", 60, "the longest subject, in characters"),
    )
    fail_examples = (
        Example("en", "Subject: We are very sorry, but the confirmation email you received on "
                "Tuesday showed the wrong time for your appointment\nFrom: Acme <help@acme.com>\n\n"
                "We're sorry: your appointment is at 10:30, not 11:30.\n"),
        Example("pl", "Subject: Bardzo przepraszamy, ale w potwierdzeniu wizyty wysłanym we "
                "wtorek podaliśmy złą godzinę\nFrom: Gabinet <recepcja@gabinet.pl>\n\n"
                "Przepraszamy: Twoja wizyta jest o 10:30, a nie o 11:30.\n"),
    )
    pass_examples = (
        Example("en", "Subject: Your appointment is at 10:30, not 11:30\n"
                "From: Acme <help@acme.com>\n\n"
                "We're sorry: our confirmation showed the wrong time.\n"),
        Example("pl", "Subject: Twoja wizyta jest o 10:30, a nie o 11:30\n"
                "From: Gabinet <recepcja@gabinet.pl>\n\n"
                "Przepraszamy: w potwierdzeniu podaliśmy złą godzinę.\n"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        raw = ctx.draft.subject
        if raw is None or not raw.strip():
            return  # AL201's business
        limit = ctx.settings.max_subject_length
        lead = len(raw) - len(raw.lstrip())
        subject = raw.strip()
        units = perceived_units(subject)
        length = sum(width for _, width in units)
        if length <= limit:
            return
        counted = 0
        cut = len(subject)
        for offset, width in units:
            counted += width
            if counted > limit:
                cut = offset
                break
        yield Finding(
            f"the subject is {length} characters long, over the limit of {limit}: mobile "
            "inboxes cut it there, and the reader sees only the first part",
            span=ctx.subject_span(lead + cut, lead + len(subject)),
            suggestion=f"say what happened within the first {limit} characters; cut "
            "greetings, the brand name and filler words",
        )
