"""Email addresses and phone numbers in prose: what AL604 (missing-contact), AL903 and the
breach-notice duties accept as a way to reach a person. One module that the rules read, so
that no rule imports another.

A phone number is a heuristic, documented because it is one: a run of digits joined only by
single spaces, dashes, dots or brackets (optionally led by "+"), with 7 to 15 digits, not
touching letters; not a date, a year range or an amount; not preceded by a word of
``number_cues`` unless a word of ``phone_cues`` is nearer. Scanning is linear: every loop
moves forward or is bounded by a small constant (64 characters left of an "@", 255 right
of it), never a backtracking regular expression.
"""

from __future__ import annotations

from ..matching import fold

MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15
_LOCAL_EXTRA = frozenset("._%+-'")
_PHONE_SEPARATORS = frozenset(" \u00a0-.()\u2013")
_MAX_SEPARATOR_RUN = 3
_CURRENCIES = ("zl", "pln", "eur", "euro", "usd", "gbp", "chf", "$", "€", "£", "%", "zlotych",
               "dollars", "pounds", "funtow", "dolarow")


# -- email addresses -------------------------------------------------------------------


def _is_local_char(ch: str) -> bool:
    return ch.isalnum() or ch in _LOCAL_EXTRA


def _is_domain_char(ch: str) -> bool:
    return ch.isalnum() or ch in ".-"


def find_email_addresses(text: str) -> list[tuple[int, int]]:
    """(start, end) of every email address in ``text``, by a bounded scan around each "@"."""
    found: list[tuple[int, int]] = []
    n = len(text)
    at = text.find("@")
    while at != -1:
        k = at
        while k > 0 and at - k < 64 and _is_local_char(text[k - 1]):
            k -= 1
        while k < at and text[k] in ".'":
            k += 1
        e = at + 1
        while e < n and e - at <= 255 and _is_domain_char(text[e]):
            e += 1
        while e > at + 1 and text[e - 1] in ".-":
            e -= 1
        domain = text[at + 1 : e]
        labels = domain.split(".")
        if (
            k < at
            and len(labels) >= 2
            and all(labels)
            and len(labels[-1]) >= 2
            and labels[-1].isalpha()
        ):
            found.append((k, e))
        at = text.find("@", at + 1)
    return found


# -- phone numbers ---------------------------------------------------------------------


def _words_before(folded: str, start: int, count: int = 3) -> list[str]:
    """The last ``count`` words before ``start`` (nearest first), within 40 characters."""
    window = folded[max(0, start - 40) : start]
    words: list[str] = []
    current: list[str] = []
    for ch in reversed(window):
        if ch.isalnum():
            current.append(ch)
        elif current:
            words.append("".join(reversed(current)))
            current = []
            if len(words) == count:
                return words
    if current and start - 40 <= 0:
        words.append("".join(reversed(current)))
    return words[:count]


def _looks_like_date(groups: list[str], seps: set[str]) -> bool:
    if len(groups) == 3 and seps <= {".", "-", "/"}:
        sizes = [len(g) for g in groups]
        return (sizes[2] == 4 and sizes[0] <= 2 and sizes[1] <= 2) or (
            sizes[0] == 4 and sizes[1] <= 2 and sizes[2] <= 2
        )
    return len(groups) == 2 and all(len(g) == 4 for g in groups)  # a year range


def _is_amount(folded: str, start: int, end: int) -> bool:
    after = folded[end : end + 12].lstrip(" \u00a0")
    for cur in _CURRENCIES:
        if after.startswith(cur):
            rest = after[len(cur) : len(cur) + 1]
            if not rest or not rest.isalpha():
                return True
    before = folded[max(0, start - 2) : start].strip()
    return bool(before) and before[-1] in "$€£"


def find_phone_numbers(
    text: str, phone_cues: frozenset[str], number_cues: frozenset[str]
) -> list[tuple[int, int]]:
    """(start, end) of phone-number-looking runs in ``text`` (see the module docstring)."""
    folded = fold(text)
    found: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        lead = ch in "+(" and i + 1 < n and text[i + 1].isdigit()
        if not (ch.isdigit() or lead):
            i += 1
            continue
        start = i
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "/#"):
            # glued to a word or a path ("LA9", "FV/03/2025"): skip the whole run
            while i < n and (text[i].isalnum() or text[i] in "/"):
                i += 1
            i = max(i, start + 1)  # "a(1": the "(" itself is no digit; never stand still
            continue
        j = i + 1 if lead else i
        spans: list[tuple[int, int]] = []  # digit groups, as (start, end)
        seps: set[str] = set()
        group_start = j
        while j < n:
            if text[j].isdigit():
                j += 1
                continue
            if j == group_start:
                break
            k = j
            while k < n and k - j < _MAX_SEPARATOR_RUN and text[k] in _PHONE_SEPARATORS:
                k += 1
            sep = text[j:k]
            if k > j and k < n and text[k].isdigit() and not ("." in sep and " " in sep):
                spans.append((group_start, j))
                seps.update(sep.strip() or " ")
                group_start = j = k
                continue
            break
        if j > group_start:
            spans.append((group_start, j))
        i = max(j, i + 1)
        # a last group glued to a word ("... 1234 (8am") is not part of the number
        while spans and spans[-1][1] < n and (text[spans[-1][1]].isalpha()
                                              or text[spans[-1][1]] in "/@"):
            spans.pop()
        if not spans:
            continue
        end = spans[-1][1]
        if end < n and text[end] == ")" and "(" in text[start:end]:
            end += 1
        groups = [text[a:b] for a, b in spans]
        digits = sum(len(g) for g in groups)
        if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
            continue
        if _looks_like_date(groups, seps) or _is_amount(folded, start, end):
            continue
        verdict: bool | None = None
        for word in _words_before(folded, start):
            if word in phone_cues:
                verdict = True
                break
            if word in number_cues:
                verdict = False
                break
        if verdict is None:
            verdict = lead or len(groups) > 1
        if verdict:
            found.append((start, end))
    return found


# -- the rule --------------------------------------------------------------------------
