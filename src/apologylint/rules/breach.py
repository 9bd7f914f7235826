"""What the breach-notice rules (AL901–AL905) share: headings, sections, and the elements
the laws ask for.

**Headings.** A heading is a line of the body whose words, from its first word (after
any numbering: "1.", "a)", "II.") to its last, are one phrase of a heading vocabulary
("What Information Was Involved?", "**Co się stało**", "WHAT YOU CAN DO:"), whatever the
markup: an ``<h1>``–``<h6>``, a bold line, a table cell or a plain line all become a line
of the prose, and the match is case-, accent- and spacing-insensitive. A line that ends
with a full stop is a sentence, not a heading. A *run-in* heading ("What happened: on 3
March ...", "**What we are doing —** we reset ...") counts too: the phrase, then ``:``,
``?`` or a dash, then its content on the same line. In plain-text drafts hard-wrapped
lines are joined in the prose, so the lines are recovered from the source (a joining
space whose source character is a line break ends a line).

**Sections.** A heading's section runs from the heading to the next heading of any
breach vocabulary, the next heading element of the same or a higher rank (``<h1>``–
``<h6>``, then ``<th>``/``<dt>``; any of them ends a bold-line heading's section), or the
end of the body. Other standalone lines (list items, a bold phrase in a bullet) do not
end a section: a "What You Can Do" list of short bold steps, or ``<h4>`` steps under an
``<h2>`` heading, stay under their heading. A
heading *has content* when its section holds at least :data:`MIN_CONTENT_WORDS` words
that are not placeholders ("TBD", "lorem ipsum", "do uzupełnienia"): a heading with
nothing under it does not count as the element.

**Elements.** Where a law names an element without prescribing a heading (GDPR Art.
34(2), HIPAA), the element is present under a heading of its vocabulary *or* in the
text (``...consequences``/``...measures`` phrases, contact details, the incident
inference's breach mentions for the nature of the breach).

Everything is computed once per draft and kept on the context (``ctx.cached``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..context import Context
from ..incident import breach_mentions, cues
from ..matching import Match, Token, Tokens
from ..model import TEMPLATE_MARK, Span
from .contact import find_email_addresses, find_phone_numbers
from .steps import top_of_body

US_CA = "us-ca-breach-headings"
GDPR = "gdpr-art34-elements"
HIPAA = "us-hipaa-elements"
SUBJECT = "breach-subject"
DATES = "breach-date-missing"

#: The five headings of Cal. Civ. Code 1798.82(d)(1), in the statute's order, with the
#: statute's wording (messages name them exactly).
US_CA_HEADINGS: tuple[tuple[str, str], ...] = (
    ("what_happened", "What Happened"),
    ("what_information", "What Information Was Involved"),
    ("what_we_are_doing", "What We Are Doing"),
    ("what_you_can_do", "What You Can Do"),
    ("more_information", "For More Information"),
)
#: GDPR Art. 34(2) elements (with Art. 33(3)(b)-(d)), and their heading vocabularies.
GDPR_HEADINGS = ("nature_headings", "contact_headings", "consequences_headings",
                 "measures_headings")
#: Every heading vocabulary: a heading of any of them ends the section before it.
ALL_HEADINGS: tuple[str, ...] = (
    *(f"{US_CA}.{table}" for table, _ in US_CA_HEADINGS),
    *(f"{GDPR}.{table}" for table in GDPR_HEADINGS),
    f"{HIPAA}.discovery_headings",
)
#: Fewest words under a heading for it to count ("Names and email addresses.").
MIN_CONTENT_WORDS = 2
#: Tags whose text is a heading whatever it says: they end a section.
SECTION_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "th", "dt")

_NUMBERING = re.compile(r"(?:\d{1,2}|[ivx]{1,4}|[a-h])\Z")
_RUN_IN = (":", "?", "\u2013", "\u2014", "-")
_TOLL_FREE = ("800", "888", "877", "866", "855", "844", "833")
_POSTAL = re.compile(
    r"\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b"  # US: CA 95816
    r"|\b\d{2}-\d{3}\s[A-ZĄĆĘŁŃÓŚŹŻ]"  # PL: 61-821 Poznań
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK: SY8 1AA
    r"|\b[Pp]\.?\s?[Oo]\.?\s[Bb]ox\s\d"  # P.O. Box 740241
    r"|\bskr(?:ytka)?\.?\s(?:poczt(?:owa|\.))\s?\d"  # skr. poczt. 12
)


# -- lines and headings -----------------------------------------------------------------


class Line(NamedTuple):
    """A line of the body as the reader sees it: prose offsets, whitespace trimmed."""

    start: int
    end: int


class Heading(NamedTuple):
    """A heading recognised by a vocabulary, where it stands, and where its content starts."""

    vocabulary: str
    start: int  # prose offsets of the heading phrase
    end: int
    line: int  # index in :func:`lines`
    content_start: int
    run_in: bool


def lines(ctx: Context) -> list[Line]:
    """The body's lines (see the module docstring), computed once per draft."""
    return ctx.cached("breach.lines", lambda: _lines(ctx))


def _lines(ctx: Context) -> list[Line]:
    prose = ctx.draft.prose
    text = prose.text
    cuts: list[int] = []
    draft = ctx.draft
    decoded = draft.extra.get("text")
    if draft.html_doc is None and isinstance(decoded, str) and prose is draft.text_prose:
        # the text part of a message: its transfer encoding (base64) may hide the line
        # breaks from the source offsets, so read them from the decoded part
        cuts = _aligned_breaks(text, decoded)
    elif draft.html_doc is None:
        # a plain-text file: hard-wrapped lines were joined by a space that stands for the
        # line break of the source
        source = draft.source.text
        origins = prose.origins
        i = text.find(" ")
        while i != -1:
            origin = origins[i]
            if 0 <= origin < len(source) and source[origin] in "\r\n":
                cuts.append(i)
            i = text.find(" ", i + 1)
    result: list[Line] = []
    start = 0
    j = 0
    n = len(text)
    while start <= n:
        nl = text.find("\n", start)
        end = n if nl == -1 else nl
        while j < len(cuts) and cuts[j] < end:
            if cuts[j] >= start:
                _add_line(result, text, start, cuts[j])
                start = cuts[j] + 1
            j += 1
        _add_line(result, text, start, end)
        if nl == -1:
            break
        start = nl + 1
    return result


def _aligned_breaks(text: str, raw: str) -> list[int]:
    """Spaces of the prose ``text`` that stand for a line break of ``raw`` (the decoded
    text it was built from): the characters are matched in order, and a space whose gap
    in ``raw`` holds a newline was a line break. One forward pass over both."""
    cuts: list[int] = []
    j = 0
    pending = -1
    find = raw.find
    for i, ch in enumerate(text):
        if ch == " ":
            pending = i
            continue
        if ch == "\n" or ch == TEMPLATE_MARK:
            pending = -1
            continue
        k = find(ch, j)
        if k == -1:
            break
        if pending >= 0 and "\n" in raw[j:k]:
            cuts.append(pending)
        pending = -1
        j = k + 1
    return cuts


def _add_line(result: list[Line], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        result.append(Line(start, end))


def _line_index(ctx: Context, offset: int) -> int:
    starts = ctx.cached("breach.line_starts", lambda: [ln.start for ln in lines(ctx)])
    return bisect.bisect_right(starts, offset) - 1


def _token_starts(ctx: Context) -> Sequence[int]:
    """Where each word of the body starts, for bisection: listed once per draft, or the
    array a long text keeps them in (see :class:`~apologylint.matching.Tokens`)."""
    tokens = ctx.body.tokens
    if isinstance(tokens, Tokens):
        return tokens.starts
    return ctx.cached("breach.token_starts", lambda: [t.start for t in tokens])


def _tokens_between(ctx: Context, start: int, end: int) -> list[Token]:
    tokens = ctx.body.tokens
    starts = _token_starts(ctx)
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return list(tokens[lo:hi])


def _heading_at(ctx: Context, match: Match) -> Heading | None:
    """The heading a match makes, if it fills its line (or starts a run-in line)."""
    index = _line_index(ctx, match.start)
    if index < 0:
        return None
    line = lines(ctx)[index]
    if match.end > line.end:
        return None
    text = ctx.body.text
    before = _tokens_between(ctx, line.start, match.start)
    if any(not _NUMBERING.match(t.text) for t in before):
        return None
    rest = text[match.end : line.end].strip()
    if not any(ch.isalnum() for ch in rest):
        # a standalone heading: nothing but closing punctuation after it; a full stop
        # makes it a sentence ("Here is what happened.")
        if rest.endswith(".") and not rest.endswith(".."):
            return None
        return Heading(match.vocabulary, match.start, match.end, index, line.end, False)
    if rest.startswith(_RUN_IN):
        k = match.end
        while k < line.end and (text[k].isspace() or text[k] in ":?\u2013\u2014-*"):
            k += 1
        return Heading(match.vocabulary, match.start, match.end, index, k, True)
    return None


def headings(ctx: Context, vocabulary: str) -> list[Heading]:
    """Headings of one qualified vocabulary ("us-ca-breach-headings.what_happened")."""
    key = f"breach.headings:{vocabulary}"

    def compute() -> list[Heading]:
        found: list[Heading] = []
        seen: set[int] = set()
        # longest match first: "What we are doing to protect you" over "What we are doing"
        for m in sorted(ctx.body.matches(vocabulary), key=lambda m: (m.start, -m.end)):
            if m.start in seen:
                continue
            heading = _heading_at(ctx, m)
            if heading is not None:
                seen.add(m.start)
                found.append(heading)
        return found

    return ctx.cached(key, compute)


def _heading_lines(ctx: Context) -> list[int]:
    """Starts of the lines that hold a heading of any breach vocabulary."""

    def compute() -> list[int]:
        all_lines = lines(ctx)
        return sorted({all_lines[h.line].start for v in ALL_HEADINGS for h in headings(ctx, v)})

    return ctx.cached("breach.heading_lines", compute)


def _element_lines(ctx: Context) -> dict[int, int]:
    """Line start -> level of the lines that are heading elements: ``<h1>``–``<h6>`` (1–6),
    ``<th>``/``<dt>`` (7)."""
    return ctx.cached("breach.element_lines", lambda: _find_element_lines(ctx))


def _find_element_lines(ctx: Context) -> dict[int, int]:
    doc = ctx.draft.html_doc
    if doc is None:
        return {}
    from ..loaders.html import element_span

    origins = ctx.draft.prose.origins
    firsts: list[tuple[int, int]] = []
    for ln in lines(ctx):
        origin = origins[ln.start] if ln.start < len(origins) else -1
        if origin >= 0:
            firsts.append((origin, ln.start))
    firsts.sort()
    keys = [o for o, _ in firsts]
    found: dict[int, int] = {}
    for element in doc.find_all(*SECTION_TAGS):
        span = element_span(ctx.draft, element)
        if span is None or not " ".join(doc.text_of(element, " ").split()):
            continue
        i = bisect.bisect_left(keys, span.end)
        if i < len(firsts):
            name = element.name
            level = int(name[1]) if name[0] == "h" else 7
            line = firsts[i][1]
            found[line] = min(level, found.get(line, level))
    return found


def section_end(ctx: Context, heading: Heading) -> int:
    """Where the content under a heading ends: the next breach heading, or the next heading
    element of the same or a higher rank (an ``<h4>`` step under an ``<h2>`` "What You Can
    Do" stays in its section; any heading element ends a bold-line heading's section), or
    the end of the body."""
    line_start = lines(ctx)[heading.line].start
    end = len(ctx.body.text)
    marks = _heading_lines(ctx)
    i = bisect.bisect_right(marks, line_start)
    if i < len(marks):
        end = marks[i]
    elements = _element_lines(ctx)
    own = elements.get(line_start, 7)
    for start, level in elements.items():
        if line_start < start < end and level <= own:
            end = start
    return end


def content_words(ctx: Context, start: int, end: int) -> int:
    """Words in prose ``[start, end)`` that are not placeholders ("TBD", "lorem ipsum")."""
    placeholder: set[int] = set()
    for m in ctx.body.matches(f"{US_CA}.placeholders"):
        if m.start < end and m.end > start:
            placeholder.update(range(m.first_token, m.last_token + 1))
    starts = _token_starts(ctx)
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return sum(1 for i in range(lo, hi) if i not in placeholder)


def has_content(ctx: Context, heading: Heading) -> bool:
    return content_words(ctx, heading.content_start, section_end(ctx, heading)) >= (
        MIN_CONTENT_WORDS
    )


class Element(NamedTuple):
    """Whether a notice element is present, and the heading that names it (if any)."""

    present: bool
    heading: Heading | None = None
    empty_heading: Heading | None = None  # a heading of the element with nothing under it


def heading_element(ctx: Context, vocabularies: Sequence[str]) -> Element:
    """An element made of a heading with content under it (the first such heading)."""
    empty: Heading | None = None
    for vocabulary in vocabularies:
        for heading in headings(ctx, vocabulary):
            if has_content(ctx, heading):
                return Element(True, heading)
            empty = empty or heading
    return Element(False, empty_heading=empty)


def section_range(ctx: Context, heading: Heading) -> tuple[int, int]:
    return heading.content_start, section_end(ctx, heading)


def heading_span(ctx: Context, heading: Heading) -> Span | None:
    return ctx.body_span(heading.start, heading.end)


def missing_span(ctx: Context) -> Span | None:
    """Where a missing element is reported: the top of the body, else the subject."""
    return top_of_body(ctx) or ctx.draft.subject_span


# -- what the text says -----------------------------------------------------------------


def matches_in(ctx: Context, vocabulary: str, start: int = 0, end: int | None = None,
               ) -> list[Match]:
    stop = len(ctx.body.text) if end is None else end
    return [m for m in ctx.body.matches(vocabulary) if start <= m.start and m.end <= stop]


def asserted(ctx: Context, found: Iterable[Match], after: int = 4) -> list[Match]:
    """Mentions not denied before ("no Social Security numbers") nor right after them
    ("Social Security numbers were not involved"), in the same sentence."""
    c = cues(ctx.body)
    tokens = ctx.body.tokens
    result = []
    for m in found:
        if c.negated(m.first_token):
            continue
        denied = False
        for k in range(m.last_token + 1, min(m.last_token + 1 + after, len(tokens))):
            if tokens[k].brk:
                break
            if k in c.negation:
                denied = True
                break
        if not denied:
            result.append(m)
    return result


def outside_headings(ctx: Context, found: Iterable[Match]) -> list[Match]:
    """Matches that are not part of a heading: "Possible consequences" as a heading with
    nothing under it must not count as describing the consequences."""
    spans = ctx.cached("breach.heading_spans", lambda: sorted(
        (h.start, h.end) for v in ALL_HEADINGS for h in headings(ctx, v)))
    result = []
    for m in found:
        i = bisect.bisect_right(spans, (m.start, len(ctx.body.text))) - 1
        if i >= 0 and spans[i][0] <= m.start < spans[i][1]:
            continue
        result.append(m)
    return result


#: Types of personal data, for the nature of a breach (an event word in the same sentence).
DATA_TYPES = (f"{US_CA}.data_types", "common.identifying_data")


def nature_described(ctx: Context) -> bool:
    """The body says what happened: a stated breach (incident inference), a phrase of
    ``gdpr-art34-elements.nature`` ("we sent ...", "an attacker used ..."), or a word of
    ``nature_events`` and a type of personal data in one sentence ("the system emailed the
    list, with members' names and mobile numbers, to ...")."""
    if breach_mentions(ctx.body):
        return True
    view = ctx.body
    if asserted(ctx, outside_headings(ctx, view.matches(f"{GDPR}.nature"))):
        return True
    c = cues(view)
    sentences = {c.sentence[m.first_token] for v in DATA_TYPES for m in view.matches(v)}
    return any(c.sentence[m.first_token] in sentences
               for m in asserted(ctx, view.matches(f"{GDPR}.nature_events")))


class ContactDetails(NamedTuple):
    """Ways to reach the business found in a stretch of the body."""

    emails: int = 0
    phones: int = 0
    toll_free: int = 0
    web: int = 0
    postal: int = 0
    reply: int = 0

    @property
    def any(self) -> bool:
        return bool(self.emails or self.phones or self.web or self.postal or self.reply)


def _pack_words(ctx: Context, name: str) -> frozenset[str]:
    words: set[str] = set()
    for pack in ctx.packs.values():
        words.update(pack.folded_words(name))
    return frozenset(words)


def _anchor_texts(ctx: Context) -> list[str]:
    """Visible texts of the web links of an HTML body (their targets are not prose)."""

    def compute() -> list[str]:
        doc = ctx.draft.html_doc
        if doc is None:
            return []
        found = []
        for a in doc.find_all("a", has="href"):
            href = a.attrs["href"].strip().lower()
            if href.startswith(("http://", "https://", "www.")):
                label = " ".join(doc.text_of(a, " ").split())
                if len(label) >= 3:
                    found.append(label)
        return found

    return ctx.cached("breach.anchors", compute)


def contact_details(ctx: Context, start: int = 0, end: int | None = None) -> ContactDetails:
    """Email addresses, phone numbers (toll-free ones counted apart), web addresses,
    postal addresses and invitations to reply in prose ``[start, end)`` (the whole body's
    are computed once per draft)."""
    if start == 0 and end is None:
        return ctx.cached("breach.contact", lambda: _contact_details(ctx, 0, None))
    return _contact_details(ctx, start, end)


def _contact_details(ctx: Context, start: int, end: int | None) -> ContactDetails:
    text = ctx.body.text
    stop = len(text) if end is None else end
    segment = text[start:stop]
    phones = find_phone_numbers(segment, _pack_words(ctx, "missing-contact.phone_cues"),
                                _pack_words(ctx, "missing-contact.number_cues"))
    toll_words = [m for m in matches_in(ctx, f"{HIPAA}.toll_free_words", start, stop)]
    toll_free = 0
    for a, b in phones:
        digits = "".join(ch for ch in segment[a:b] if ch.isdigit())
        if digits.startswith("1") and len(digits) == 11:
            digits = digits[1:]
        near = any(abs(m.start - (start + a)) < 40 for m in toll_words)
        if digits.startswith(_TOLL_FREE) or near:
            toll_free += 1
    lowered = segment.lower()
    web = lowered.count("http://") + lowered.count("https://") + lowered.count("www.")
    web += sum(1 for label in _anchor_texts(ctx) if label in segment)
    return ContactDetails(
        emails=len(find_email_addresses(segment)),
        phones=len(phones),
        toll_free=toll_free,
        web=web,
        postal=len(_POSTAL.findall(segment)),
        reply=len(matches_in(ctx, f"{GDPR}.reply_invitation", start, stop)),
    )


def suggestion(ctx: Context, vocabulary: str, fallback: str) -> str:
    """The ``message`` of a vocabulary in the draft's pack (a compliant line in the draft's
    language), else ``fallback``."""
    if ctx.pack is not None:
        vocab = ctx.pack.vocabulary(vocabulary)
        if vocab is not None and vocab.message:
            return vocab.message
    return fallback


def text_of(ctx: Context, start: int, end: int) -> str:
    return ctx.body.text[start:end].replace(TEMPLATE_MARK, "").strip()


# -- dates --------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})(?![\d])")
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th|go|ego)?\Z")


def _is_day(word: str) -> bool:
    """A day number: "3", "03", "3rd", or a range of them ("16-18")."""
    parts = word.split("-")
    for part in parts:
        m = _ORDINAL.match(part)
        if m is None:
            return False
        digits = "".join(ch for ch in part if ch.isdigit())
        if not 1 <= int(digits) <= 31:
            return False
    return True


def _is_year(word: str) -> bool:
    # isdecimal, not isdigit: "³³³³" is digits to isdigit and not a number to int()
    return len(word) == 4 and word.isdecimal() and 1990 <= int(word) <= 2099


def _numeric_dates(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _NUMERIC_DATE.finditer(text):
        a, _sep, b, c = m.groups()
        x, y, z = int(a), int(b), int(c)
        if len(a) == 4:
            ok = 1 <= y <= 12 and 1 <= z <= 31 and _is_year(a)
        else:
            ok = len(c) in (2, 4) and 1 <= x <= 31 and 1 <= y <= 31 and (x <= 12 or y <= 12)
        if ok:
            found.append(m.span())
    return found


def dates_in(ctx: Context, which: str = "body") -> list[tuple[int, int]]:
    """(start, end) of every date, estimated date, range or relative day in the body (or
    the subject): see ``breach-date-missing`` in the packs."""
    view = ctx.body if which == "body" else ctx.subject

    def compute() -> list[tuple[int, int]]:
        tokens = view.tokens
        found: list[tuple[int, int]] = []
        cue_ends = {m.last_token for m in view.matches(f"{DATES}.month_cues")}
        needs_number = {m.first_token for m in view.matches(f"{DATES}.month_needs_number")}
        for m in view.matches(f"{DATES}.months"):
            i = m.first_token
            before = tokens[i - 1].text if i > 0 and not tokens[i].brk else ""
            after = tokens[i + 1].text if i + 1 < len(tokens) and not tokens[i + 1].brk else ""
            of_day = i > 1 and before == "of" and _is_day(tokens[i - 2].text)
            numbered = _is_day(before) or of_day or _is_day(after) or _is_year(after)
            cued = (i - 1) in cue_ends and i not in needs_number and not tokens[i].brk
            if numbered or cued:
                found.append((m.start, m.end))
        # a year after a cue is a (wide) range: "in 2024", "w 2024 r.", "since 2023"
        for i, token in enumerate(tokens):
            if _is_year(token.text) and (i - 1) in cue_ends and not token.brk:
                found.append((token.start, token.end))
        found.extend((m.start, m.end) for m in view.matches(f"{DATES}.relative_dates"))
        found.extend(_numeric_dates(view.text))
        found.sort()
        return found

    return view.cached("breach.dates", compute)


def date_unknown(ctx: Context) -> bool:
    """The draft says honestly that the date is not known yet."""
    return ctx.body.has(f"{DATES}.date_unknown")


def has_breach_date(ctx: Context) -> bool:
    return bool(dates_in(ctx) or dates_in(ctx, "subject") or date_unknown(ctx))


def discovery_dated(ctx: Context) -> bool:
    """A discovery word ("we discovered", "wykryliśmy") in the same sentence as a date."""
    view = ctx.body
    c = cues(view)
    dates = dates_in(ctx)
    if not dates:
        return False
    starts = _token_starts(ctx)
    sentences_with_dates = set()
    for start, _end in dates:
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0:
            sentences_with_dates.add(c.sentence[i])
    return any(c.sentence[m.first_token] in sentences_with_dates
               for m in view.matches(f"{DATES}.discovery"))
