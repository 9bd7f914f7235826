"""Replace translation calls by the words the reader gets, taken from the locale files.

A Rails view says ``<%= t('.greeting') %>``, a Laravel view ``{{ __('Hello :name') }}``, a
Django template ``{% trans "We're sorry" %}``, a Go forge's template ``{{.locale.Tr
"mail.activate"}}``. Read as they stand, such templates hold no prose at all (or their key
names: ``we_are_sorry``), so a content rule would pass or fail on code. Here each call is
replaced by its text in the project's default locale, each character keeping its place in
the locale file (or in the template, for gettext's source-language msgids), so that a
finding points where the words are written. A call whose text cannot be found is left as a
tag and recorded as *unseen*: the rules that judge the whole text then say "not checked".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from ..loaders.templating import I18nCall, find_template_tags, i18n_call
from ..model import TEMPLATE_MARK
from .catalogs import Catalogs, Entry, find_placeholders
from .composed import Composed, Files, splice

__all__ = ["Translator", "rails_scope"]

#: Translation styles to try, in order, for each style a call is written in: Go forges
#: keep their strings in INI files, listmonk-like Go apps in JSON.
_STYLES = {"go": ("go", "i18next"), "i18next": ("i18next",), "rails": ("rails",),
           "laravel": ("laravel",), "gettext": ("gettext",), "symfony": ("symfony",)}


def rails_scope(path: str) -> str:
    """The lazy-lookup scope of a Rails view (``t('.greeting')`` in
    ``app/views/user_mailer/welcome.html.erb`` means ``user_mailer.welcome.greeting``)."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "views" and i > 0 and parts[i - 1] == "app":
            rest = list(parts[i + 1 :])
            if not rest:
                return ""
            rest[-1] = rest[-1].split(".", 1)[0].lstrip("_")
            return ".".join(rest)
    return ""


#: ``Spree.t('order_mailer.subject')``: a gem's own ``t`` that scopes keys under its name.
_MODULE_T = re.compile(r"\b([A-Z][A-Za-z0-9]{1,40})\.t[ (]")


def _keys(call: I18nCall, tag_text: str) -> list[str]:
    """The keys to try for a call: as written, then (for a Rails gem's ``Spree.t``)
    under the gem's scope."""
    keys = [call.key]
    module = _MODULE_T.search(tag_text) if call.style == "rails" else None
    if module is not None and module.group(1) != "I18n":
        keys.append(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", module.group(1)).lower()
                    + "." + call.key)
    return keys


def _is_text(key: str) -> bool:
    """A Laravel key that is its own English text (``__('Hello :name')``), not a
    ``file.key`` path."""
    return " " in key.strip() or "." not in key


class Translator:
    """Resolves the translation calls of one message against its project's catalogs."""

    def __init__(self, catalogs: Catalogs, files: Files, unseen: list[str],
                 path_at: Callable[[int], str]) -> None:
        self.catalogs = catalogs
        self.files = files
        self.unseen = unseen
        #: the path of the file that holds a joined-source offset (a tag's own file gives
        #: the lazy-lookup scope of a Rails view, of its layout, of a partial)
        self.path_at = path_at

    def translate(self, body: Composed, engine: str | None, *, html: bool) -> Composed:
        """``body`` with every translation call it prints replaced by its text."""
        edits: list[tuple[int, int, Composed]] = []
        for tag in find_template_tags(body.text, html=html, engine=engine):
            if tag.is_comment:
                continue
            tag_text = body.text[tag.start : tag.end]
            call = i18n_call(tag_text, engine)
            if call is None or not call.output:
                continue
            words = self._words(call, body.piece(tag.start, tag.end), tag_text)
            if words is not None:
                edits.append((tag.start, tag.end, words))
        return splice(body, edits)

    def text_of(self, call: I18nCall, where: Composed, scope: str) -> Composed | None:
        """The words of a call written in code (a mailer's subject), or None; ``where`` is
        the call as written, ``scope`` the lazy-lookup scope of the mailer's action."""
        return self._words(call, where, where.text, scope)

    def _words(self, call: I18nCall, tag: Composed, tag_text: str,
               scope: str | None = None) -> Composed | None:
        if call.dynamic:
            self.unseen.append(f"{_short(tag_text)} builds its translation key at run time")
            return None
        if scope is None:
            scope = ""
        if call.style == "rails" and call.key.startswith(".") and not scope:
            origin = next((o for o in tag.origins if o >= 0), -1)
            scope = rails_scope(self.path_at(origin)) if origin >= 0 else ""
        for key in _keys(call, tag_text):
            for style in _STYLES.get(call.style, (call.style,)):
                entry = self.catalogs.lookup(key, style, scope=scope)
                if entry is not None:
                    return self.words_of(entry)
        if call.style == "gettext" or (call.style == "laravel" and _is_text(call.key)):
            return _literal(call.key, call.style, tag, tag_text)
        self.unseen.append(
            f"the translation {call.key!r} ({_short(tag_text)}) is not in the "
            f"{self.catalogs.locale!r} locale files"
        )
        return None

    def words_of(self, entry: Entry) -> Composed:
        """A catalog's value placed in the message: the locale file joins the message's
        files, and each placeholder (``%{name}``, ``:name``) becomes a template mark."""
        base = self.files.add(entry.source)
        words = Composed.placed(entry.text, entry.origins, base)
        return _marked(words, list(entry.placeholders))


def _marked(words: Composed, placeholders: list[tuple[int, int]]) -> Composed:
    """``words`` with each placeholder replaced by one template mark at its place."""
    edits = [(start, end, Composed.constant(TEMPLATE_MARK, words.origins[start]))
             for start, end in placeholders if end > start]
    return splice(words, edits)


def _literal(key: str, style: str, tag: Composed, tag_text: str) -> Composed:
    """A source-language string written in the template itself (a gettext msgid, a Laravel
    key that is its own text), with its placeholders as template marks."""
    at = tag_text.find(key) if key else -1
    if at >= 0:
        words = tag.piece(at, at + len(key))
    else:  # written with escapes: the whole string stands where the tag does
        words = Composed.constant(key, next((o for o in tag.origins if o >= 0), -1))
    return _marked(words, list(find_placeholders(words.text, style)))


def _short(tag_text: str) -> str:
    text = " ".join(tag_text.split())
    return text if len(text) <= 60 else text[:57] + "..."
