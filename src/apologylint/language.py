"""Which language pack a draft is read with.

Order of evidence (``--lang auto``): the Content-Language header, ``<html lang>``, then
the text itself (the share of each pack's common words, in subject and prose). A
``--lang`` other than ``auto`` always wins.
"""

from __future__ import annotations

from collections.abc import Mapping

from .matching import Token
from .model import Draft
from .packs import Pack

DEFAULT_LANGUAGE = "en"


def _primary_tag(value: str | None) -> str | None:
    if not value:
        return None
    first = value.split(",")[0].strip().lower()
    tag = first.replace("_", "-").split("-")[0]
    return tag or None


def detect_language(
    draft: Draft,
    tokens: list[Token],
    packs: Mapping[str, Pack],
    requested: str = "auto",
) -> str:
    """The code of the pack to use for this draft."""
    if requested and requested != "auto":
        return requested.lower()
    declared = _primary_tag(draft.declared_language)
    if declared and declared in packs:
        return declared
    scores: dict[str, int] = {}
    for lang, pack in packs.items():
        if not pack.detect_words:
            continue
        words = pack.detect_words
        scores[lang] = sum(1 for t in tokens if t.text in words)
    if scores:
        best = max(scores.items(), key=lambda item: (item[1], item[0] == DEFAULT_LANGUAGE))
        if best[1] > 0:
            return best[0]
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in packs else next(iter(packs), "en")
