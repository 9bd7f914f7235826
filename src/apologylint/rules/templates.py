"""Facts shared by the template and delivery rules (AL701-AL706).

Which merge tags insert a recipient's personal field (AL703), where a tag stands (inside a
link or an HTML comment, where a missing default cannot produce "Hi ,"), the fallback form
to suggest in the tag's own syntax, and the branding markers of a message (AL701). Field
names and footer words come from the packs, read as the union over every loaded pack: a
field is called ``imie`` in a Polish shop's English template too.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from ..loaders.html import HtmlElement, element_span
from ..loaders.templating import field_key
from ..matching import fold
from ..model import Draft, Span, TemplateTag
from ..packs import Pack

__all__ = [
    "FieldNames",
    "contains_words",
    "dialect_marks",
    "fallback_example",
    "field_names",
    "footer_text",
    "images",
    "in_link_or_comment",
    "is_personal",
    "last_key",
    "word_sequences",
]

_PACK_RULE = "placeholder-without-fallback"


class FieldNames(NamedTuple):
    """Personal field names (as :func:`field_key` gives them) of every loaded pack."""

    personal: frozenset[str]
    objects: frozenset[str]
    ambiguous: frozenset[str]
    #: fields that, in the footer, are the sender's own (its company, its town)
    footer: frozenset[str] = frozenset()


def _keys(packs: Iterable[Pack], table: str) -> frozenset[str]:
    found: set[str] = set()
    for pack in packs:
        found.update(field_key(fold(w)) for w in pack.words(f"{_PACK_RULE}.{table}"))
    return frozenset(k for k in found if k)


def field_names(packs: Iterable[Pack]) -> FieldNames:
    packs = list(packs)
    return FieldNames(
        _keys(packs, "personal_fields"), _keys(packs, "person_objects"),
        _keys(packs, "ambiguous_fields"), _keys(packs, "footer_fields"),
    )


_PATH_SPLIT = re.compile(r"[./\[\]\"']+")


def last_key(name: str) -> str:
    """The field a tag's dotted path ends in, compared across syntaxes
    (``customer.first_name`` -> ``firstname``)."""
    parts = [p for p in _PATH_SPLIT.split(name.strip()) if p.strip()]
    return field_key(fold(parts[-1])) if parts else ""


def is_personal(name: str, names: FieldNames) -> bool:
    """Whether a tag's field is one of the recipient's personal fields.

    The last part of a dotted path is compared (``contact.firstname``, ``lead.First
    Name``); a generic field (``name``, ``city``) counts only on its own or under an
    object that holds the recipient (``customer.name``, not ``product.name``). Mailchimp
    list tags (``LIST:COMPANY``, the sender's own company) never count.
    """
    if not name or ":" in name or "${" in name:
        return False
    parts = [p for p in _PATH_SPLIT.split(name.strip()) if p.strip()]
    if not parts:
        return False
    last = field_key(fold(parts[-1]))
    if last not in names.personal:
        return False
    if len(parts) > 1 and last in names.ambiguous:
        return field_key(fold(parts[-2])) in names.objects
    return True


#: Attributes whose value is a URL: a tag there is a link parameter, not a greeting.
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "background", "poster", "cite", "formaction",
     "xlink:href", "data-href", "data-src"}
)
_LOOKBACK = 2000
_TOKEN_STOPS = " \t\r\n\"'<>()"


def in_link_or_comment(text: str, start: int) -> bool:
    """Whether the tag at ``start`` stands in a URL (an ``href``/``src`` value, or a bare
    ``https://...`` in text) or inside an HTML comment."""
    window = text[max(0, start - _LOOKBACK) : start]
    if window.rfind("<!--") > window.rfind("-->"):
        return True
    lt, gt = window.rfind("<"), window.rfind(">")
    if lt > gt:  # inside a start tag: which attribute?
        inside = window[lt:]
        quote = max(inside.rfind('"'), inside.rfind("'"))
        head = inside[:quote] if quote != -1 else inside[: inside.rfind("=") + 1]
        head = head.rstrip()
        if head.endswith("="):
            head = head[:-1].rstrip()
            i = len(head)
            while i > 0 and (head[i - 1].isalnum() or head[i - 1] in "-_:"):
                i -= 1
            return head[i:].lower() in _URL_ATTRIBUTES
        return False
    i = len(window)
    while i > 0 and window[i - 1] not in _TOKEN_STOPS:
        i -= 1
    token = window[i:].lower()
    return "://" in token or token.startswith(("www.", "mailto:"))


# -- the fallback form to suggest, per syntax -----------------------------------------------


#: Fallback forms per syntax; <N> is the field, <D> the default value.
_FORMS = {
    "mailchimp": "*|IF:<N>|*Hi *|<N>|*,*|ELSE:|*Hi,*|END:IF|* (or set a default merge value "
    "for <N> in the audience's field settings)",
    "ampscript": '%%=IIF(Empty(@<N>), "<D>", @<N>)=%%',
    "ampscript-attribute": '%%=IIF(Empty(AttributeValue("<N>")), "<D>", '
    'AttributeValue("<N>"))=%%',
    "campaignmonitor": "[<N>,fallback=<D>]",
    "marketo": "{{<N>:default=<D>}}",
    "mautic": "{contactfield=<N>|<D>}",
    "hubspot": "{{ personalization_token('<N>', '<D>') }}",
    "sendgrid": 'a dynamic template with {{insert <N> "default=<D>"}} (legacy -tags- have no '
    "default)",
    "dollar": '${<N>!"<D>"} (FreeMarker)',
    "smarty": '{$<N>|default:"<D>"}',
    "sendgrid-insert": '{{insert <N> "default=<D>"}} (SendGrid)',
    "iterable": '{{defaultIfEmpty <N> "<D>"}} (Iterable)',
    "handlebars": "{{#if <N>}}Hi {{<N>}},{{else}}Hi,{{/if}}",
    "braze": "{{${<N>} | default: '<D>'}} (Braze)",
    "jinja": '{{ <N>|default("<D>") }}',
    "klaviyo": "{{ <N>|default:'<D>' }} (Klaviyo)",
    "klaviyo-lookup": "{{ person|lookup:'<N>'|default:'<D>' }} (Klaviyo)",
    "liquid": '{{ <N> | default: "<D>" }}',
}


#: Syntaxes with one fallback form of their own (the others are families of dialects).
_OWN_FORM = frozenset(
    {"mailchimp", "campaignmonitor", "marketo", "mautic", "hubspot", "sendgrid", "dollar",
     "smarty"}
)


def dialect_marks(tags: Iterable[TemplateTag]) -> frozenset[str]:
    """What a draft's tags as a whole say about its ESP's dialect: SendGrid's
    ``{{insert}}``, Iterable's ``defaultIfEmpty``, Jinja's ``default(``/``{#``/``{% set``.
    Read once per draft (read again for every tag, it made a draft of many tags
    quadratic: 500 KB took 136 s)."""
    marks: set[str] = set()
    for tag in tags:
        text = tag.text
        if text.startswith("{{insert "):
            marks.add("sendgrid-insert")
        if "defaultIfEmpty" in text:
            marks.add("iterable")
        if "default(" in text or text.startswith(("{#", "{% set")) or "contact." in text:
            marks.add("jinja")
    return frozenset(marks)


def _form(tag: TemplateTag, marks: frozenset[str]) -> str:
    syntax, text, name = tag.syntax, tag.text, tag.name
    if syntax == "ampscript":
        return "ampscript" if text.startswith("%%=") else "ampscript-attribute"
    if syntax in _OWN_FORM:
        return syntax
    if syntax in ("handlebars", "mustache"):
        if "sendgrid-insert" in marks:
            return "sendgrid-insert"
        if "iterable" in marks:
            return "iterable"
        return "handlebars"
    if "${" in text:
        return "braze"
    if "lookup:" in text:
        return "klaviyo-lookup"
    if "jinja" in marks:
        return "jinja"
    if "|default:'" in text.replace(" ", "") or name.startswith("person"):
        return "klaviyo"
    return "liquid"


#: Engines whose suggestion is the tag itself rewritten with a default in the engine's form.
_ENGINE_FORMS = frozenset(
    {"erb", "blade", "go", "django", "twig", "nunjucks", "jinja", "liquid", "handlebars",
     "mustache"}
)
#: Syntaxes only an engine's own tags have: rewritten even when no engine is named.
_ENGINE_SYNTAXES = frozenset({"erb", "blade", "go", "django", "twig", "nunjucks"})
#: Delimiters per engine, longest first: (openers, closers).
_DELIMITERS = {
    "erb": (("<%==", "<%="), ("-%>", "%>")),
    "blade": (("{!!", "{{"), ("!!}", "}}")),
}
_CURLY_DELIMITERS = (("{{-", "{{~", "{{"), ("-}}", "~}}", "}}"))
#: Operators that must be bracketed before a Jinja/Twig/Nunjucks filter is appended.
_JINJA_OPERATORS = (" if ", " or ", " and ", " ~ ", " + ", " - ", " ?? ")


def _quoted(value: str, quote: str) -> str:
    """``value`` as a string literal in ``quote`` (backslash and the quote escaped)."""
    return quote + value.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


def _split_tag(
    text: str, openers: tuple[str, ...], closers: tuple[str, ...]
) -> tuple[str, str, str, str, str] | None:
    """A tag as (opener, space, expression, space, closer); None if not so delimited."""
    opener = next((o for o in openers if text.startswith(o)), "")
    closer = next((c for c in closers if text.endswith(c)), "")
    if not opener or not closer or len(text) < len(opener) + len(closer):
        return None
    inner = text[len(opener) : len(text) - len(closer)]
    expr = inner.strip()
    if not expr:
        return None
    lead = inner[: len(inner) - len(inner.lstrip())]
    return opener, lead, expr, inner[len(inner.rstrip()) :], closer


def _rewritten(tag: TemplateTag, engine: str, default: str) -> str | None:
    """The tag itself with a default in ``engine``'s form, its expression kept as written
    (None: the tag is not written in that engine's delimiters)."""
    text = tag.text
    if engine in ("handlebars", "mustache"):
        name = tag.name.strip()
        if not text.startswith("{{") or not name:
            return None
        if engine == "mustache":
            return f"{{{{#{name}}}}}{text}{{{{/{name}}}}}{{{{^{name}}}}}{default}{{{{/{name}}}}}"
        return f"{{{{#if {name}}}}}{text}{{{{else}}}}{default}{{{{/if}}}}"
    parts = _split_tag(text, *_DELIMITERS.get(engine, _CURLY_DELIMITERS))
    if parts is None or text.startswith("{{{"):
        return None
    opener, lead, expr, trail, closer = parts
    bracketed = expr if not any(c.isspace() for c in expr) else f"({expr})"
    double, single = _quoted(default, '"'), _quoted(default, "'")
    if engine == "erb":
        body = f"{bracketed}.presence || {double}"
    elif engine == "blade":
        body = f"{bracketed} ?? {single}"
    elif engine == "go":
        body = f"or {bracketed if '|' not in expr else f'({expr})'} {double}"
    elif engine == "django":
        body = f"{expr}|default:{double}"
    elif engine == "liquid":
        body = f"{expr} | default: {double}"
    else:  # the Jinja family
        if any(op in expr for op in _JINJA_OPERATORS):
            expr = f"({expr})"
        if engine == "twig":
            body = f"{expr}|default({single})"
        elif engine == "nunjucks":
            body = f"{expr} | default({double})"
        else:
            body = f"{expr}|default({double})"
    return f"{opener}{lead}{body}{trail}{closer}"


def fallback_example(
    tag: TemplateTag, marks: frozenset[str], default: str = "there",
    engine: str | None = None,
) -> str:
    """How to give this tag a default in its own syntax (for the finding's suggestion).

    With ``engine`` named (the file's template engine), or for a tag only an engine has
    (ERB, Blade, Go, Django, Twig, Nunjucks), the tag itself is rewritten with a default
    in that engine's form, so a Liquid or Django file never gets Handlebars suggested.
    ``marks`` are the draft's :func:`dialect_marks`.
    """
    flavour = engine if engine in _ENGINE_FORMS else (
        tag.syntax if tag.syntax in _ENGINE_SYNTAXES else None
    )
    if flavour is not None:
        rewritten = _rewritten(tag, flavour, default)
        if rewritten is not None:
            return rewritten
    form = _FORMS[_form(tag, marks)]
    return form.replace("<N>", tag.name.strip() or "first_name").replace("<D>", default)


# -- branding markers (AL701) ---------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def word_sequences(phrases: Iterable[str]) -> list[tuple[str, ...]]:
    """Phrases as sequences of folded words ("sp. z o.o." -> ("sp", "z", "o", "o"))."""
    out = []
    for phrase in phrases:
        words = tuple(_WORD.findall(fold(phrase)))
        if words:
            out.append(words)
    return out


def contains_words(words: list[str], phrases: list[tuple[str, ...]]) -> list[int]:
    """Indexes in ``words`` where one of ``phrases`` starts (linear in words x phrases)."""
    hits: list[int] = []
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        by_first.setdefault(p[0], []).append(p)
    for i, w in enumerate(words):
        for p in by_first.get(w, ()):
            if tuple(words[i : i + len(p)]) == p:
                hits.append(i)
                break
    return hits


def footer_text(draft: Draft) -> str:
    """The footer's prose: from the footer element or signature line, else the last three
    paragraphs (at most 800 characters)."""
    prose = draft.prose.text
    start = draft.extra.get("footer_start")
    if isinstance(start, int) and 0 <= start < len(prose):
        return prose[start:]
    paragraphs = draft.prose.paragraphs()
    if not paragraphs:
        return ""
    first = paragraphs[max(0, len(paragraphs) - 3)][0]
    return prose[max(first, len(prose) - 800) :]


class Image(NamedTuple):
    src: str
    alt: str | None
    span: Span | None
    text: str  # src, alt, class, id and title, lower-cased
    is_pixel: bool


def _dimension(value: object) -> int | None:
    if not isinstance(value, str):
        return None
    digits = value.strip().lower().removesuffix("px").strip()
    return int(digits) if digits.isdecimal() else None  # not isdigit: "³" is no number


def images(draft: Draft) -> Iterator[tuple[Image, HtmlElement]]:
    """Every ``<img>`` of the HTML with its facts (and the element itself)."""
    doc = draft.html_doc
    if doc is None:
        return
    for img in doc.find_all("img"):
        attrs = img.attrs
        src = attrs.get("src")
        alt = attrs.get("alt")
        width, height = _dimension(attrs.get("width")), _dimension(attrs.get("height"))
        style = (attrs.get("style") or "").replace(" ", "").lower()
        pixel = (
            (width is not None and width <= 2) or (height is not None and height <= 2)
            or "display:none" in style
        )
        # the class list both as Python shows a list and joined: the text bs4 gave
        # (its class attribute was a list), so that logo detection stays as it was
        classes = img.classes if "class" in attrs else None
        bits = [attrs.get("src") or "", attrs.get("alt") or "", str(classes or ""),
                attrs.get("id") or "", attrs.get("title") or ""]
        if classes is not None:
            bits.append(" ".join(classes))
        yield (
            Image(
                src=src or "",
                alt=alt,
                span=element_span(draft, img),
                text=" ".join(bits).lower(),
                is_pixel=pixel,
            ),
            img,
        )


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern.lower()))


def matches_logo(src: str, pattern: str) -> bool:
    """A logo source against the brand profile's pattern: a glob (``*logo*.png``) or, if
    it has no wildcard, a substring."""
    src, pattern = src.lower(), pattern.strip().lower()
    if not pattern:
        return False
    if any(c in pattern for c in "*?["):
        return _glob(pattern).match(src) is not None
    return pattern in src
