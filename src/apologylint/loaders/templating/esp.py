"""Merge tags of email service providers, read whatever the template engine.

* Mailchimp ``*|FNAME|*`` (modifiers ``*|TITLE:FNAME|*`` name FNAME) and its conditions
  ``*|IF:FNAME|*``, ``*|IFNOT:X|*``, ``*|ELSE:|*``, ``*|END:IF|*``;
* AMPscript blocks ``%%[ ... ]%%`` (IF/ELSEIF/ELSE/ENDIF, and ``SET @fn = ...`` checked
  with ``Empty(@fn)`` in the same block, which guards @fn), inline ``%%=v(@x)=%%`` (a
  fallback: ``%%=IIF(Empty(@x), "y", @x)=%%``) and ``%%FirstName%%``;
* Campaign Monitor ``[x,fallback=y]``, Mautic ``{contactfield=x|y}``, FreeMarker
  ``${x!"y"}`` (and ``${x:-y}``, ``${x??y}``), Smarty ``{$x|default:"y"}``, SendGrid
  ``-first_name-``, and ``<FirstName>`` (only with ``angle``; with ``html`` an HTML
  element name is never one).

A bare ``[name]`` or ``<name>`` is a placeholder only when the name looks like a field
(:func:`_looks_like_field`). Marketo's ``{{lead.x}}`` is a ``{{ }}`` tag: see curly.py.
"""

from __future__ import annotations

import itertools
import re

from .tags import _MAX_BLOCK, _MAX_COND_NAMES, FoundTag, _CachedFind, _has_fallback, _Info

# -- Mailchimp ------------------------------------------------------------------------------

_MAILCHIMP = re.compile(r"\*\|([^|*\n]{1,80})\|\*")
_MC_OPERATOR = re.compile(r"\s{0,5}(?:!=|==|=|>|<)")
#: Mailchimp merge-tag modifiers: ``*|TITLE:FNAME|*`` inserts FNAME.
_MAILCHIMP_MODIFIERS = ("UPPER:", "LOWER:", "TITLE:", "HTML:")


def _scan_mailchimp(text: str, out: list[FoundTag]) -> None:
    """``*|FNAME|*``, with its conditions (``*|IF:FNAME|*`` ... ``*|END:IF|*``)."""
    for m in _MAILCHIMP.finditer(text):
        inner = m.group(1).strip()
        upper = inner.upper()
        info = _Info("mailchimp", inner, False, False)
        for prefix in ("IF:", "ELSEIF:", "IFNOT:", "INTERESTED:", "END:", "ELSE:"):
            if upper.startswith(prefix):
                field = _MC_OPERATOR.split(inner[len(prefix) :], maxsplit=1)[0].strip()
                if prefix in ("END:", "ELSE:"):
                    kw = "end" if prefix == "END:" else "else"
                    info = _Info("mailchimp", "", False, True, kw)
                elif prefix == "INTERESTED:":
                    info = _Info("mailchimp", field, False, True, "open")
                else:
                    kw = "elif" if prefix == "ELSEIF:" else "if"
                    cond = (field,) if field else ()
                    info = _Info("mailchimp", field, False, True, kw, cond, prefix == "IFNOT:")
                break
        else:
            for modifier in _MAILCHIMP_MODIFIERS:
                if upper.startswith(modifier):
                    info = _Info("mailchimp", inner[len(modifier) :].strip(), False, False)
                    break
        out.append(info.at(m.start(), m.end()))


# -- AMPscript (Salesforce Marketing Cloud) -------------------------------------------------

_AMP_INLINE = re.compile(r"%%=(?s:.{1,500}?)=%%")
_AMP_VAR = re.compile(r"@([A-Za-z_]\w{0,60})")
_AMP_ATTR = re.compile(r"\(\s{0,5}\"?([A-Za-z_][\w ]{0,60})")
_AMP_PERSONAL = re.compile(r"%%([A-Za-z_][A-Za-z0-9_ .\-]{0,60})%%")
_AMP_WORD = re.compile(r"[A-Za-z]{1,10}")
_AMP_SET = re.compile(r"\bset\s{1,10}@(\w{1,60})\s{0,10}=(?!=)", re.IGNORECASE)
_AMP_CHECKED = re.compile(
    r"(?:empty|isnull|length)\s{0,5}\(\s{0,5}@(\w{1,60})|@(\w{1,60})\s{0,5}[!=<>]=",
    re.IGNORECASE,
)
_AMP_COND_ATTR = re.compile(
    r"(?:empty|isnull|attributevalue)\s{0,5}\(\s{0,5}\"?\[?([A-Za-z_][\w ]{0,60}?)\]?\"?\s{0,5}\)",
    re.IGNORECASE,
)
_AMP_SOURCE = re.compile(
    r"\s{0,10}(?:attributevalue\s{0,5}\(\s{0,5}\"([^\"\n]{1,60})\"|\[([^\]\n]{1,60})\]"
    r"|@(\w{1,60})|([A-Za-z_]\w{0,60})(?![\w(]))",
    re.IGNORECASE,
)
_AMP_IF = re.compile(r"\bif\b", re.IGNORECASE)
_AMP_THEN = re.compile(r"\bthen\b", re.IGNORECASE)


def _amp_negated(cond: str) -> bool:
    """An AMPscript condition that holds when the field is empty (``Empty(@x)``)."""
    e = " ".join(cond.upper().split())
    empty_test = "EMPTY(" in e.replace("EMPTY (", "EMPTY(") or "ISNULL(" in e
    positive_test = "NOT EMPTY" in e or "NOT ISNULL" in e or "NOT(EMPTY" in e or "!=" in e
    return (empty_test and not positive_test) or ('== ""' in e or "== ''" in e)


def _amp_cond_names(cond: str) -> tuple[str, ...]:
    """Variables (``@x``) and attributes (``Empty([First Name])``) a condition tests."""
    names = [m.group(1) for m in _AMP_VAR.finditer(cond)]
    names.extend(m.group(1).strip() for m in _AMP_COND_ATTR.finditer(cond))
    return tuple(n for n in names if n)[:_MAX_COND_NAMES]


def _amp_block(content: str) -> _Info:
    """An AMPscript ``%%[ ... ]%%`` block: IF/ELSEIF/ELSE/ENDIF scoping and SET guards."""
    stripped = content.strip()
    wm = _AMP_WORD.match(stripped)
    first = wm.group(0).upper() if wm else ""
    upper = stripped.upper()
    kw = ""
    cond: tuple[str, ...] = ()
    negated = False
    if first in ("IF", "ELSEIF") and "ENDIF" not in upper:
        then = _AMP_THEN.search(stripped)
        expr = stripped[len(first) : then.start() if then else len(stripped)]
        kw = "if" if first == "IF" else "elif"
        cond, negated = _amp_cond_names(expr), _amp_negated(expr)
    elif first == "ELSE":
        kw = "else"
    elif first in ("ENDIF", "NEXT"):
        kw = "end"
    elif first == "FOR" and "NEXT" not in upper:
        kw = "open"
    checked = {(m.group(1) or m.group(2)).lower() for m in _AMP_CHECKED.finditer(stripped)}
    has_if = _AMP_IF.search(stripped) is not None
    sets = list(_AMP_SET.finditer(stripped))
    assigns: list[tuple[str, str, bool]] = []
    for k, m in enumerate(sets):
        stop = sets[k + 1].start() if k + 1 < len(sets) else len(stripped)
        value = stripped[m.end() : min(stop, m.end() + 400)]
        vu = value.upper()
        guarded = ("IIF(" in vu and ("EMPTY(" in vu or "ISNULL(" in vu)) or (
            has_if and m.group(1).lower() in checked
        )
        sm = _AMP_SOURCE.match(value)
        src = ""
        if sm is not None:
            src = (sm.group(1) or sm.group(2) or sm.group(3) or sm.group(4) or "").strip()
            if src.upper() in ("IIF", "IF", "V", "CONCAT", "PROPERCASE", "LOOKUP"):
                src = ""
        assigns.append((m.group(1), src, guarded))
    return _Info("ampscript", "", False, True, kw, cond, negated, tuple(assigns))


def _scan_ampscript(text: str, out: list[FoundTag]) -> None:
    """AMPscript blocks ``%%[ ]%%``, inline ``%%=v(@x)=%%`` and ``%%FirstName%%``."""
    close = _CachedFind(text, "]%%")
    pos = 0
    while True:
        i = text.find("%%[", pos)
        if i == -1:
            break
        j = close.find(i + 3)
        if j == -1 or j - i > _MAX_BLOCK:
            pos = i + 3
            continue
        out.append(_amp_block(text[i + 3 : j]).at(i, j + 3))
        pos = j + 3
    for m in _AMP_INLINE.finditer(text):
        inner = m.group(0)[3:-3]
        lowered = inner.lower()
        fallback = "iif(" in lowered or "empty(" in lowered or "isnull(" in lowered
        im = _AMP_VAR.search(inner) or _AMP_ATTR.search(inner)
        name = im.group(1) if im else ""
        out.append(FoundTag(m.start(), m.end(), "ampscript", name.strip(), fallback, False))
    for m in _AMP_PERSONAL.finditer(text):
        out.append(FoundTag(m.start(), m.end(), "ampscript", m.group(1).strip(), False, False))


# -- one pattern each: Campaign Monitor, Mautic, ${x}, Smarty, SendGrid, <x> ----------------

_BRACKET = re.compile(
    r"\[([^\W\d_]\w{0,40}(?: [^\W\d_]\w{0,20}){0,2})"
    r"(?:,\s{0,3}fallback=([^\]\n]{0,100}))?\](?![(\[])"
)
_MAUTIC = re.compile(r"\{(contactfield|leadfield)=([A-Za-z0-9_]{1,60})(\|[^}\n]{0,100})?\}")
_DOLLAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]{0,60})(?:(!|:-|\?\?)([^}\n]{0,100}))?\}")
_SMARTY = re.compile(r"\{\$([A-Za-z_][A-Za-z0-9_.]{0,60})(\|[^}\n]{0,100})?\}")
_ANGLE = re.compile(r"<([^\W\d_]\w{1,40}(?: [^\W\d_]\w{0,20}){0,3})>")
#: The ``-`` comes first and the look-behind after it (``-(?<![\w-]-)`` is the same test
#: as ``(?<![\w-])-``) so that the engine jumps from dash to dash instead of trying the
#: look-behind at every position: 41 ms -> 2 ms over the bench corpus's HTML.
_SENDGRID = re.compile(r"-(?<![\w\-]-)([a-z][a-z0-9]{0,30}(?:_[a-z0-9]{1,30}){1,4})-(?![\w\-])")
#: Field names that make a bare ``[name]`` or ``<name>`` a placeholder (lower case,
#: separators removed).
_FIELD_WORD_LIST = (
    "name firstname lastname fullname fname lname surname givenname familyname email "
    "emailaddress company companyname city salutation username customername "
    "recipientname contactname imie imię nazwisko firma miasto nombre prenom vorname"
)
_FIELD_WORDS = frozenset(_FIELD_WORD_LIST.split())
#: HTML (and Outlook's VML) element names: with ``html=True`` never a ``<placeholder>``.
_HTML_ELEMENT_NAMES = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button "
    "canvas caption center cite code col colgroup data datalist dd del details dfn dialog "
    "div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head "
    "header hgroup hr html i iframe img input ins kbd label legend li link main map mark "
    "meta meter nav noscript object ol optgroup option output p param picture pre progress "
    "q rp rt ruby s samp script section select small source span strike strong style sub "
    "summary sup table tbody td template textarea tfoot th thead time title tr track tt u "
    "ul var video wbr o:p v:rect v:fill v:textbox xml"
)
_HTML_ELEMENTS = frozenset(_HTML_ELEMENT_NAMES.split())


def _looks_like_field(name: str) -> bool:
    """True for names that are clearly merge fields rather than words in brackets."""
    if "_" in name:
        return True
    compact = name.replace(" ", "")
    if compact.lower() in _FIELD_WORDS:
        return True
    if " " in name:
        if not compact[:1].isupper():
            return False
        if compact.lower().endswith("name"):
            return True
        # "Imię i nazwisko", "Customer City": a capitalised phrase holding a field word
        return any(word in _FIELD_WORDS for word in name.lower().split())
    # an upper-case letter after a lower-case one: FirstName, firstName
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(name))


def _scan_merge_fields(text: str, out: list[FoundTag], *, angle: bool, html: bool) -> None:
    """Campaign Monitor, Mautic, ``${x}``, Smarty, SendGrid and ``<x>`` fields: one
    pattern each, no control tags."""
    for m in _BRACKET.finditer(text):
        name = m.group(1)
        fallback_value = m.group(2)
        if fallback_value is None and not _looks_like_field(name):
            continue
        has_fallback = bool(fallback_value and fallback_value.strip())
        out.append(FoundTag(m.start(), m.end(), "campaignmonitor", name, has_fallback, False))
    for m in _MAUTIC.finditer(text):
        default = m.group(3)
        has_fallback = bool(default and default[1:].strip())
        out.append(FoundTag(m.start(), m.end(), "mautic", m.group(2), has_fallback, False))
    if "${" in text:
        for m in _DOLLAR.finditer(text):
            default = m.group(3)
            has_fallback = bool(default and default.strip().strip("\"'"))
            out.append(FoundTag(m.start(), m.end(), "dollar", m.group(1), has_fallback, False))
    if "{$" in text:
        for m in _SMARTY.finditer(text):
            has_fallback = bool(m.group(2)) and _has_fallback(m.group(2))
            out.append(FoundTag(m.start(), m.end(), "smarty", m.group(1), has_fallback, False))
    if "-" in text:
        for m in _SENDGRID.finditer(text):
            out.append(FoundTag(m.start(), m.end(), "sendgrid", m.group(1), False, False))
    if angle:
        for m in _ANGLE.finditer(text):
            name = m.group(1)
            if html and name.split(" ", 1)[0].lower() in _HTML_ELEMENTS:
                continue
            if not _looks_like_field(name):
                continue
            out.append(FoundTag(m.start(), m.end(), "angle", name, False, False))
