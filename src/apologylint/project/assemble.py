"""Assemble one message from its files into one :class:`~apologylint.model.Draft`.

Given a :class:`~.conventions.MessagePlan` (the HTML body, the text body, a subject file,
Postmark's ``meta.json``), the assembler does what the sending code would, short of
running it:

1. reads each part, with its YAML front matter set aside (:mod:`.frontmatter`);
2. decides whether the main file is a message at all: a layout, a partial or a component
   is not (it is judged inside the messages that use it);
3. pours included partials into their ``include`` tags and the body into its layout
   (:mod:`.layouts`), found by the engine's own reference (``{% extends %}``,
   ``@extends``, front matter ``layout:``, ``meta.json`` ``LayoutTemplate``, Maizzle's
   ``<x-main>``, the Rails mailer's layout);
4. replaces translation calls by the locale files' words (:mod:`.i18n`);
5. finds the subject and the sender where the repository keeps them (a subject file,
   ``meta.json``, front matter, the Rails mailer, the Laravel Mailable, a Go ``{{define
   "subject"}}``), else where the HTML has them (``<meta name="subject">``, ``<title>``);
6. hands the composed text and the place of every character to the usual loaders, so a
   finding points at the file and line that holds the words.

What cannot be seen — a layout outside the repository, a translation key that is not in
the locale files — is recorded on the draft (``unseen_layout``, ``unseen_text``); the rules
that would need it say "not checked" instead of guessing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..engines import file_kind, sniff_engine, sniff_markup
from ..loaders import LoadError, read_template
from ..loaders.decoding import parse_addresses
from ..loaders.templating import FoundTag, field_key, find_template_tags, to_template_tags
from ..model import Address, Draft, Header, Origin, Source, Span
from ..settings import Settings
from .catalogs import Entry
from .composed import Composed, Files, shown_path, splice
from .conventions import MessagePlan, Skipped
from .frameworks import Facts, laravel_facts, rails_facts
from .frontmatter import FrontMatter, blank, read_front_matter
from .i18n import Translator
from .layouts import (
    Ref,
    child_blocks,
    extends_candidates,
    fill,
    has_slot,
    layout_candidates,
    partial_candidates,
    references,
)
from .markdown import to_html
from .repository import Repositories, Repository

__all__ = ["load_message"]

#: Folders whose templates are pieces of other templates, never a message of their own.
_PIECE_FOLDERS = frozenset({
    "layouts", "layout", "_layouts", "partials", "partial", "_partials", "components",
    "_components", "includes", "_includes", "snippets", "_snippets", "macros",
})
#: How deep layouts and partials may nest (a layout that extends a layout ...).
_MAX_DEPTH = 8
#: Fields that hold a whole message's text (a helpdesk's reply, a campaign's body).
_RUNTIME_TEXT = frozenset({"body", "content", "message", "messagebody", "bodyhtml",
                           "htmlbody", "emailbody", "bodytext", "textbody", "contenthtml"})
#: A variable the template fills itself (Shopify's ``{% capture email_body %}``).
_ASSIGNED = re.compile(r"\{%-?\s{0,5}(?:capture|set|assign)\s{1,5}([\w.]{1,60})")
#: Go templates' ``{{define}}`` names for the parts of a message ("Let's Go" and others).
_GO_SUBJECT = ("subject",)
_GO_HTML = ("htmlbody", "html", "body_html", "htmlcontent")
_GO_TEXT = ("plainbody", "textbody", "text", "plain", "body_text", "textcontent")
_MAIZZLE_LAYOUT = re.compile(r"\s{0,2000}<x-([\w][\w.:-]{0,60})[\s>/]")
_EXTENDS_SRC = re.compile(r"<extends\s{1,20}src=[\"']([^\"'\n]{1,300})[\"']")
_MAIL_COMPONENT = re.compile(
    r"@component\(\s{0,5}['\"]mail::(?:message|layout)|<x-mail::(?:message|layout)")
_COMPONENT = re.compile(r"<x-([\w][\w.:-]{0,60})(\s[^<>]{0,2000}?)?(/?)>")
#: The build tools' includes (gulp-file-include, grunt-include-replace), also inside an
#: HTML comment: ``<!-- @@include('header.liquid') -->``.
_FILE_INCLUDE = re.compile(
    r"(?:<!--\s{0,20})?@@include\(\s{0,10}['\"]([^'\"\n]{1,300})['\"][^)\n]{0,500}\)"
    r"(?:\s{0,20}-->)?")
_MJML_INCLUDE = re.compile(r"<mj-include\s{1,20}path=[\"']([^\"'\n]{1,300})[\"']\s{0,20}/?>")


def load_message(plan: MessagePlan, settings: Settings,
                 repos: Repositories) -> list[Draft] | Skipped:
    """The draft of one template's message, or why it is no message (a rendered .eml or
    .mbox is the loaders' alone: :func:`apologylint.loaders.load_path`). Raises
    :class:`~apologylint.loaders.LoadError` for an input that cannot be read."""
    try:
        return _Message(plan, settings, repos.of(Path(plan.primary))).assemble()
    except LoadError:
        raise
    except RecursionError:
        raise LoadError("the templates nest too deeply to read", plan.primary) from None
    except MemoryError:
        raise LoadError("not enough memory to read the templates", plan.primary) from None


@dataclass
class _Part:
    """One template file as read: its text with any front matter blanked, and what it is."""

    path: Path
    source: Source
    composed: Composed
    engine: str | None
    markup: str
    front: FrontMatter | None
    warning: str | None = None

    @property
    def html(self) -> bool:
        return self.markup in ("html", "mjml")


class _Message:
    """The work of assembling one message; lives for that one message."""

    def __init__(self, plan: MessagePlan, settings: Settings, repo: Repository) -> None:
        self.plan = plan
        self.settings = settings
        self.repo = repo
        self.files = Files()
        self.unseen_text: list[str] = []
        self.unseen_layout: str | None = None
        self.warnings: list[str] = []
        #: the text all layouts and partials may add (a partial included a thousand
        #: times must not make the message a thousand times larger)
        self.budget = 4 * settings.max_input_bytes
        self._translator: Translator | None = None

    # -- reading ----------------------------------------------------------------------------

    def _read(self, path: Path) -> _Part:
        """A file the plan names: one that cannot be read is an input error."""
        kind = file_kind(path.name, self.settings.formats)
        text, warning = read_template(path, self.settings.max_input_bytes,
                                      html=kind is not None and kind.markup == "html")
        return self._part(path, text, warning, as_given=True)

    def _read_piece(self, path: Path) -> _Part | None:
        """A layout, partial or component found in the repository (None: it cannot be
        read, or the message has used up what its pieces may add)."""
        text = self.repo.text(path)
        if text is None or len(text) > self.budget:
            return None
        self.budget -= len(text)
        return self._part(path, text, None, as_given=False)

    def _part(self, path: Path, text: str, warning: str | None, *, as_given: bool) -> _Part:
        """A file's text joined to the message, with its front matter set aside and its
        engine and markup told."""
        kind = file_kind(path.name, self.settings.formats)
        source = Source(str(path), text)
        base = self.files.add(source, as_given=as_given)
        front = read_front_matter(text)
        body = blank(text, front.end) if front is not None else text
        engine = self.settings.engine or (kind.engine if kind else None) or sniff_engine(body)
        markup = (kind.markup if kind and kind.markup not in ("", "json") else "") or \
            sniff_markup(body, engine)
        return _Part(path, source, Composed.of(body, base), engine, markup, front, warning)

    # -- the message ------------------------------------------------------------------------

    def assemble(self) -> list[Draft] | Skipped:
        plan = self.plan
        if plan.convention == "json":
            return self._json_template()
        meta = self._postmark_meta()
        if meta is not None and str(meta.get("TemplateType", "")).lower() == "layout":
            return Skipped(plan.primary, "a Postmark layout (meta.json: TemplateType Layout)")
        main = self._read(Path(plan.primary))
        if self.settings.assemble:  # (``assemble = false``: every file given is a draft)
            why = self._piece(main, self._refs(main.composed, main))
            if why is not None:
                return Skipped(plan.primary, why)
        html_part = main if main.html else None
        text_part = main if not main.html else None
        if plan.html and plan.html != plan.primary:
            html_part = self._read(Path(plan.html))
        if plan.text and plan.text != plan.primary:
            text_part = self._read(Path(plan.text))
        facts = self._facts(main)
        subject: Composed | None = None
        defines = _go_defines(main.composed, self._tags(main.composed, main)) \
            if main.engine == "go" else {}
        if defines:
            html_piece = next((defines[n].content for n in _GO_HTML if n in defines), None)
            text_piece = next((defines[n].content for n in _GO_TEXT if n in defines), None)
            subject = next((defines[n].content for n in _GO_SUBJECT if n in defines), None)
            if html_piece is not None or text_piece is not None:
                html_part = _with(main, html_piece, "html") if html_piece else None
                text_part = _with(main, text_piece, "text") if text_piece else None
        html_body = self._compose(html_part, meta)[0] if html_part else None
        text_body: Composed | None = None
        if text_part is not None:
            text_body, became_html = self._compose(text_part, meta)
            if became_html and html_part is None:  # a Markdown email in an HTML layout
                html_part, html_body, text_part, text_body = (
                    _with(text_part, text_body, "html"), text_body, None, None)
        for part, body in ((html_part, html_body), (text_part, text_body)):
            if part is not None and body is not None:
                self._runtime_text(part, body)
        subject = self._subject(main, meta, facts, subject)
        return [self._draft(main, html_part, html_body, text_part, text_body, subject, facts)]

    def _runtime_text(self, part: _Part, body: Composed) -> None:
        """A tag that prints the message's text itself (``{!! $thread->body !!}``, an
        unfilled ``{{ content }}``): the words are the app's, filled in at run time, so
        the template alone cannot be judged as the whole text."""
        own = {field_key(m.group(1)) for m in _ASSIGNED.finditer(body.text)}
        for tag in self._tags(body, part):
            last = field_key(tag.name.rsplit(".", 1)[-1]) if tag.name else ""
            if not tag.is_control and last in _RUNTIME_TEXT and last not in own:
                text = " ".join(body.text[tag.start : tag.end].split())
                self.unseen_text.append(f"{text} prints text the app fills in at run time")

    def _draft(self, main: _Part, html_part: _Part | None, html_body: Composed | None,
               text_part: _Part | None, text_body: Composed | None,
               subject: Composed | None, facts: Facts | None) -> Draft:
        from ..loaders.html import load_html_text
        from ..loaders.mjml import load_mjml_text
        from ..loaders.plaintext import load_plain_text

        sender = self._sender(main, facts)  # may join the mailer's file: before joining
        source = self.files.joined()
        path = self.plan.primary
        draft: Draft
        if html_part is not None and html_body is not None:
            load = load_mjml_text if html_part.markup == "mjml" else load_html_text
            draft = load(html_body.text, path, source=source, origins=html_body.origins,
                         engine=html_part.engine)
            if text_part is not None and text_body is not None:
                text = load_plain_text(text_body.text, text_part.source.path, source=source,
                                       origins=text_body.origins, engine=text_part.engine,
                                       markdown=text_part.markup == "markdown")
                draft.text_prose = text.prose
                draft.has_text_part = True
                draft.template_tags.extend(text.template_tags)
                draft.extra["text"] = text.extra["text"]
                draft.extra["text_origins"] = text.extra["text_origins"]
        else:
            assert text_part is not None and text_body is not None
            draft = load_plain_text(text_body.text, path, source=source,
                                    origins=text_body.origins, engine=text_part.engine,
                                    markdown=text_part.markup == "markdown")
        draft.origin = Origin(path=path, kind=draft.origin.kind, is_template=True,
                              engine=main.engine, files=self.files.paths)
        settings = self.settings
        if draft.subject_span is not None and self._shared(
                source.file_at(draft.subject_span.start)[0].path):
            # the <title> of a shared layout or header partial is every message's: it says
            # nothing of this one ("Message", "{{ app_name }}")
            draft.subject, draft.subject_span = None, None
            draft.headers = [h for h in draft.headers if h.name.lower() != "subject"]
        if settings.subject is not None:
            draft.subject, draft.subject_span = settings.subject, None
        elif subject is not None:
            self._set_subject(draft, subject)
        elif draft.subject is None and main.front is not None:
            title = main.front.get("title")
            if title is not None:
                self._set_subject(draft, self._value(main, title.start, title.end))
        self._set_sender(draft, sender)
        for part in (html_part, text_part):
            if part is not None and part.warning:
                draft.warnings.append(part.warning)
        if main.front is not None and (lang := main.front.get("lang", "language")):
            draft.declared_language = lang.text
        draft.warnings.extend(self.warnings)
        draft.unseen_text = list(dict.fromkeys(self.unseen_text))
        draft.unseen_layout = self.unseen_layout
        if draft.sender is None:
            draft.unseen_sender = self._sender_outside(main, facts)
        return draft

    def _shared(self, path: str) -> bool:
        """Whether a file of the message is a template other messages share (a layout,
        a partial), not one of its own files nor a locale file."""
        kind = file_kind(Path(path).name, self.settings.formats)
        # (the files the run was given keep their names as given, absolute or not)
        own = {name for p in self.plan.files for name in (p, shown_path(p))}
        return path not in own and kind is not None and kind.markup not in ("json", "eml")

    def _sender_outside(self, main: _Part, facts: Facts | None) -> str | None:
        """Who sends a template that names no sender, when the repository's convention
        says it is set elsewhere (by the platform, or by the framework at run time)."""
        if self.plan.convention == "postmark":
            return "Postmark sends it from the server's sender signature"
        if self.plan.convention == "json":
            return "SendGrid sends it from the sender its API call names"
        if main.engine == "erb" and facts is not None:
            return "the Rails mailer sets its sender at run time (default from)"
        if main.engine == "blade" and (facts is not None
                                       or self.repo.text(self.repo.root / "config/mail.php")):
            return "Laravel sends it from config/mail.php's 'from', set at run time"
        if main.engine == "django":
            return "Django sends it from the project's DEFAULT_FROM_EMAIL"
        return None

    def _set_subject(self, draft: Draft, subject: Composed) -> None:
        text = " ".join(subject.text.split())
        draft.subject = text
        known = [o for o in subject.origins if o >= 0]
        span = Span(min(known), max(known) + 1) if known else None
        draft.subject_span = span
        draft.headers = [h for h in draft.headers if h.name.lower() != "subject"]
        draft.headers.append(Header("Subject", text, span))
        tags = find_template_tags(subject.text)
        if known:
            draft.template_tags.extend(
                t for t in to_template_tags(subject.text, tags, subject.origins)
                if t.span.start >= 0
            )

    def _sender(self, main: _Part, facts: Facts | None) -> tuple[str, Span | None] | None:
        """The sender and where it is written: ``--from`` or config, front matter
        ``from:``, the mailer's default (None: the template does not say)."""
        if self.settings.sender is not None:
            return self.settings.sender, None
        front = main.front.get("from", "sender") if main.front is not None else None
        if front is not None:
            value = self._value(main, front.start, front.end)
            return value.text, Span(value.origins[0], value.origins[-1] + 1)
        if facts is not None and facts.sender is not None:
            base = self.files.add(facts.sender.source)
            return facts.sender.text, Span(base + facts.sender.start, base + facts.sender.end)
        return None

    @staticmethod
    def _set_sender(draft: Draft, sender: tuple[str, Span | None] | None) -> None:
        if sender is None:
            return
        text, span = sender
        found = parse_addresses(text, span)
        draft.sender = found[0] if found else (Address("", text, span) if span else None)
        draft.sender_span = span
        if span is not None:
            draft.headers = [h for h in draft.headers if h.name.lower() != "from"]
            draft.headers.append(Header("From", text, span))

    # -- what the main file is ----------------------------------------------------------------

    def _piece(self, main: _Part, refs: list[Ref]) -> str | None:
        """Why the main file is a piece of other templates rather than a message, or None."""
        rel = PurePosixPath(self.repo.relative(main.path))
        folder = next((p for p in rel.parts[:-1] if p.lower() in _PIECE_FOLDERS), None)
        if folder is not None:
            return f"a layout, partial or component (in '{folder}/'), not a message of its own"
        if main.engine == "erb" and main.path.name.startswith("_"):
            return "a Rails partial (its name starts with '_'), not a message of its own"
        if "vendor" in rel.parts[:-2] and rel.parts[-2] in ("html", "text", "notifications"):
            return "a piece of Laravel's published mail theme, not a message of its own"
        if main.engine == "go":
            # a define named like its file is the message itself, unless others use it
            stem = main.path.name.split(".", 1)[0].lower()
            users = self._go_folder(main.path.parent).used_by.get(stem, set())
            own_name = None if users - {main.path.name} else stem
            if _only_definitions(main.composed, self._tags(main.composed, main), own_name):
                return "Go template definitions that other templates use, not a message"
        # (a file with a subject beside it is a message even when another reuses it)
        if self.plan.subject is None and self.plan.meta is None and rel.as_posix() in \
                self.repo.cached("referenced", lambda: _referenced(self.repo)):
            return "a partial or a layout: other templates include or extend it"
        if has_slot(main.composed.text, refs):
            return "a layout: it has a place for other templates' content"
        return self._web_view(main, rel)

    def _web_view(self, main: _Part, rel: PurePosixPath) -> str | None:
        """Why a view of a Rails or Laravel app is a web page, not an email: no mailer
        renders it (a Rails view outside any mailer's folder; a Blade view that no
        Mailable names and that lies in no mail folder)."""
        parts = [p.lower() for p in rel.parts[:-1]]
        if main.engine == "erb" and "views" in parts and self._facts(main) is None:
            return "a web page view: no mailer of the app renders it"
        if main.engine == "blade" and "views" in parts and self._facts(main) is None:
            mail_folders = {"mail", "mails", "email", "emails", "mailers", "notifications"}
            if not mail_folders.intersection(parts):
                return "a web page view: no Mailable renders it and it is in no mail folder"
        return None

    # -- composing a body ---------------------------------------------------------------------

    def _tags(self, composed: Composed, part: _Part) -> list[FoundTag]:
        return find_template_tags(composed.text, html=part.html, engine=part.engine)

    def _refs(self, composed: Composed, part: _Part) -> list[Ref]:
        return references(composed.text, self._tags(composed, part), part.engine)

    def _compose(self, part: _Part, meta: dict[str, object] | None) -> tuple[Composed, bool]:
        """The part as the reader gets it — partials in, layout around, words translated
        — and whether that is HTML (a Markdown email in an HTML layout is)."""
        if not self.settings.assemble:
            return part.composed, part.html
        body, html = self._expand(part, part.composed, [str(part.path)], meta, top=True)
        return self._translator_for().translate(body, part.engine, html=html), html

    def _translator_for(self) -> Translator:
        if self._translator is None:
            self._translator = Translator(
                self.repo.catalogs(self.settings.locale), self.files, self.unseen_text,
                self.files.path_at)
        return self._translator

    def _expand(self, part: _Part, body: Composed, stack: list[str],
                meta: dict[str, object] | None, *, top: bool = False) -> tuple[Composed, bool]:
        """Partials poured into ``body``, then ``body`` into its layout (recursively);
        and whether the result is HTML."""
        if len(stack) > _MAX_DEPTH:
            self.warnings.append("layouts and partials nest deeper than "
                                 f"{_MAX_DEPTH} levels; the deeper ones were not read")
            return body, part.html
        body = self._partials(part, body, stack)
        refs = self._refs(body, part)
        layout = self._layout(part, body, refs, meta if top else None, top=top)
        if layout is None:
            return body, part.html
        layout_part, name = layout
        if str(layout_part.path) in stack:
            return body, part.html
        wrapped, html = self._expand(layout_part, layout_part.composed,
                                     [*stack, str(layout_part.path)], None)
        # a Markdown email is rendered before its HTML layout takes it
        child = to_html(body) if html and part.markup == "markdown" else body
        filled = fill(wrapped, self._refs(wrapped, layout_part), child,
                      child_blocks(body, refs))
        if filled is None:
            self.warnings.append(f"the layout {name!r} has no place for the template's "
                                 "content; it was read without it")
            return body, part.html
        return filled, html

    def _partials(self, part: _Part, body: Composed, stack: list[str]) -> Composed:
        edits: list[tuple[int, int, Composed]] = []
        for r in self._refs(body, part):
            if r.ref.kind != "include":
                continue
            if not r.ref.name:  # a name computed at run time: nothing to pour in
                continue
            if r.ref.name.startswith("mail::"):
                if r.ref.name in ("mail::message", "mail::layout"):
                    self._laravel_theme()
                continue
            edits.append((r.tag.start, r.tag.end, self._partial(part, r.ref.name, stack)))
        for m in _MJML_INCLUDE.finditer(body.text) if part.markup == "mjml" else ():
            edits.append((m.start(), m.end(), self._partial(part, m.group(1), stack)))
        for m in _FILE_INCLUDE.finditer(body.text) if "@@include" in body.text else ():
            edits.append((m.start(), m.end(), self._partial(part, m.group(1), stack)))
        if part.html and "<x-" in body.text:
            edits.extend(self._components(part, body, stack))
        if _MAIL_COMPONENT.search(body.text):
            self._laravel_theme()
        edits.sort(key=lambda e: e[0])
        return splice(body, edits)

    def _partial(self, part: _Part, name: str, stack: list[str]) -> Composed:
        """A partial's composed text, or an empty text (and the gap recorded)."""
        if part.engine == "go":
            return self._go_template(part, name, stack)
        path = self.repo.find(
            partial_candidates(name, part.engine, part.markup, part.path.parent.name),
            near=part.path)
        if path is None or str(path) in stack:
            if path is None:
                self.unseen_text.append(f"the partial {name!r} is not in the repository")
            return Composed.of("", -1)
        piece = self._read_piece(path)
        if piece is None:
            self.unseen_text.append(f"the partial {name!r} cannot be read")
            return Composed.of("", -1)
        return self._expand(piece, piece.composed, [*stack, str(path)], None)[0]

    def _component(self, part: _Part, name: str, inner: Composed,
                   stack: list[str]) -> Composed:
        """A Maizzle (or Vue-style) component, ``<x-button>Text</x-button>``: the
        component's file with the element's content in its slot."""
        path = self.repo.find(
            [f"components/{name}.html", f"{name}.html", f"layouts/{name}.html"],
            near=part.path)
        if path is None or str(path) in stack:
            return inner
        piece = self._read_piece(path)
        if piece is None:
            return inner
        body, _html = self._expand(piece, piece.composed, [*stack, str(path)], None)
        return fill(body, self._refs(body, piece), inner, {}) or Composed.join((body, inner))

    def _go_template(self, part: _Part, name: str, stack: list[str]) -> Composed:
        """``{{template "header" .}}``: the ``{{define "header"}}`` of this file or of a
        template beside it (Go parses a folder's templates together)."""
        key = name.lower()
        if f"{part.path}#{key}" in stack:
            return Composed.of("", -1)
        own = _go_defines(part.composed, self._tags(part.composed, part))
        if key in own:
            return self._expand(part, own[key].content, [*stack, f"{part.path}#{key}"], None)[0]
        folder = part.path.parent
        beside = self._go_folder(folder).defined_in.get(key)
        candidate = self._peek(folder / beside) if beside and beside != part.path.name else None
        if candidate is None:
            self.unseen_text.append(f"the template {name!r} is defined nowhere in its folder")
            return Composed.of("", -1)
        content = _go_defines(candidate.composed,
                              self._tags(candidate.composed, candidate))[key].content
        # read at offset 0: now that the message uses it, it joins the message's files
        base = self.files.add(candidate.source)
        content = Composed.placed(content.text, content.origins, base)
        candidate = _Part(candidate.path, candidate.source,
                          Composed.placed(candidate.composed.text,
                                          candidate.composed.origins, base),
                          candidate.engine, candidate.markup, None)
        return self._expand(candidate, content, [*stack, f"{part.path}#{key}"], None)[0]

    def _go_folder(self, folder: Path) -> _GoFolder:
        """Which file of a folder defines each Go template name (the first, by name), and
        which files ``{{template}}`` each name: made once per folder and run, not once per
        ``{{template}}`` of every message in it (Go parses a folder's templates together)."""
        return self.repo.cached(f"go-folder:{folder}", lambda: self._read_go_folder(folder))

    def _read_go_folder(self, folder: Path) -> _GoFolder:
        index = _GoFolder({}, {})
        for file_name in self.repo.listing(folder):
            kind = file_kind(file_name, self.settings.formats)
            if kind is None or kind.markup in ("eml", "mbox", "json"):
                continue
            piece = self._peek(folder / file_name)
            if piece is None:
                continue
            tags = self._tags(piece.composed, piece)
            for defined in _go_defines(piece.composed, tags):
                index.defined_in.setdefault(defined, file_name)
            for r in references(piece.composed.text, tags, "go"):
                if r.ref.kind == "include" and r.ref.name:
                    index.used_by.setdefault(r.ref.name.lower(), set()).add(file_name)
        return index

    def _peek(self, path: Path) -> _Part | None:
        """A Go template beside the message, read at offset 0: it joins the message's
        files only if the message uses it (see :meth:`_go_template`)."""
        text = self.repo.text(path)
        if text is None:
            return None
        kind = file_kind(path.name, self.settings.formats)
        engine = (kind.engine if kind else None) or "go"
        return _Part(path, Source(str(path), text), Composed.of(text, 0), engine,
                     sniff_markup(text, engine), None)

    def _components(self, part: _Part, body: Composed,
                    stack: list[str]) -> list[tuple[int, int, Composed]]:
        """Each ``<x-name>`` element but the one that makes the layout (a template's root
        ``<x-main>``), replaced by its component."""
        text = body.text
        layout = _MAIZZLE_LAYOUT.match(text)
        edits: list[tuple[int, int, Composed]] = []
        pos = 0
        for m in _COMPONENT.finditer(text):
            if m.start() < pos or m.group(1).startswith("mail::"):
                continue
            if layout is not None and m.start() == layout.start(1) - len("<x-"):
                continue
            name = m.group(1)
            if m.group(3):  # self-closing: <x-spacer height="24px" />
                end, inner = m.end(), Composed.of("", -1)
            else:
                close = text.find(f"</x-{name}>", m.end())
                if close < 0:
                    continue
                end, inner = close + len(name) + 4, body.piece(m.end(), close)
            edits.append((m.start(), end,
                          self._component(part, name.replace(".", "/"), inner, stack)))
            pos = end
        return edits

    def _laravel_theme(self) -> None:
        self.unseen_layout = ("it is built with Laravel's mail components (mail::message), "
                              "whose header, footer and styling are the framework's theme, "
                              "not a template of the repository")

    def _layout(self, part: _Part, body: Composed, refs: list[Ref],
                meta: dict[str, object] | None, *, top: bool) -> tuple[_Part, str] | None:
        """The layout that wraps ``body`` (read), and its name as the template gives it."""
        named = self._layout_name(part, body, refs, meta, top=top)
        if named is None:
            return None
        name, candidates = named
        path = self.repo.find(candidates, near=part.path)
        if path is None:
            if top:
                self.unseen_layout = (f"its layout {name!r} is not in the repository, so "
                                      "its branding cannot be seen")
            return None
        layout = self._read_piece(path)
        if layout is None:
            return None
        return layout, name

    def _layout_name(self, part: _Part, body: Composed, refs: list[Ref],
                     meta: dict[str, object] | None, *, top: bool) -> tuple[str, list[str]] | None:
        extends = next((r.ref.name for r in refs if r.ref.kind == "extends"), None)
        if extends:
            return extends, extends_candidates(extends, part.engine)
        front = part.front.get("layout") if part.front is not None else None
        if front is not None:
            return front.text, layout_candidates(front.text)
        if top and meta is not None and isinstance(meta.get("LayoutTemplate"), str):
            alias = str(meta["LayoutTemplate"])
            exts = ("html", "hbs", "mjml") if part.html else ("txt", "text")
            return alias, [f"{folder}{alias}/content.{e}" for folder in ("layouts/", "")
                           for e in exts]
        data_layout = self._directory_layout(part.path) if top else None
        if data_layout is not None:
            return data_layout, layout_candidates(data_layout)
        if part.html:
            src = _EXTENDS_SRC.search(body.text)
            if src is not None:
                return src.group(1), [src.group(1)]
            component = _MAIZZLE_LAYOUT.match(body.text)
            if component is not None and not component.group(1).startswith("mail::"):
                name = component.group(1).replace(".", "/")
                return name, [f"layouts/{name}.html", f"components/{name}.html", f"{name}.html"]
        if top and part.engine == "erb":
            facts = self._facts(part)
            if facts is not None and facts.layouts:
                return facts.layouts[0].split(".")[0], [f"layouts/{n}.erb" for n in facts.layouts]
        return None

    def _directory_layout(self, path: Path) -> str | None:
        """Eleventy's directory data (``emails/emails.json``: ``{"layout": "email.njk"}``)."""
        folder = path.parent
        for name in (f"{folder.name}.json", f"{folder.name}.11tydata.json"):
            text = self.repo.text(folder / name)
            if text is None:
                continue
            try:
                data = json.loads(text)
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("layout"), str):
                return str(data["layout"])
        return None

    # -- subject, sender and code facts --------------------------------------------------------

    def _facts(self, main: _Part) -> Facts | None:
        """What the app's code says of the message (Rails mailer, Laravel Mailable)."""
        if not self.settings.assemble:
            return None
        if main.engine == "erb":
            return self.repo.cached(f"rails:{main.path}:{main.markup}",
                                    lambda: rails_facts(self.repo, main.path, main.markup))
        if main.engine == "blade":
            return self.repo.cached(f"laravel:{main.path}",
                                    lambda: laravel_facts(self.repo, main.path))
        return None

    def _postmark_meta(self) -> dict[str, object] | None:
        if self.plan.meta is None:
            return None
        text = self.repo.text(Path(self.plan.meta))
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            self.warnings.append(f"{self.plan.meta} is not valid JSON; it was not read")
            return None
        if not isinstance(data, dict):
            return None
        data["_source"] = text
        return data

    def _subject(self, main: _Part, meta: dict[str, object] | None, facts: Facts | None,
                 defined: Composed | None) -> Composed | None:
        """The subject where the repository keeps it (None: the HTML's own, or unknown)."""
        if self.settings.subject is not None:
            return None
        if self.plan.subject is not None:
            part = self._read(Path(self.plan.subject))
            return self._rendered(self._compose(part, None)[0], part)
        if meta is not None and isinstance(meta.get("Subject"), str):
            found = self._json_value(Path(str(self.plan.meta)), str(meta["_source"]), "Subject")
            if found is not None:
                return found
        front = main.front.get("subject") if main.front is not None else None
        if front is not None:
            return self._value(main, front.start, front.end)
        if defined is not None:
            return self._rendered(self._translator_for().translate(
                defined, main.engine, html=False), main)
        if facts is not None:
            return self._facts_subject(facts)
        return None

    def _facts_subject(self, facts: Facts) -> Composed | None:
        """The subject a mailer or Mailable gives: a literal in the code, a translation
        (looked up as a template's would be), or Rails' own fallback, the action's name."""
        if facts.subject is not None:
            base = self.files.add(facts.subject.source)
            return Composed.of(facts.subject.text, base + facts.subject.start)
        if facts.subject_call is None:
            return None
        where = Composed.constant("", -1)
        if facts.subject_call_at is not None:
            base = self.files.add(facts.subject_call_at.source)
            where = Composed.of(facts.subject_call_at.text, base + facts.subject_call_at.start)
        unseen = len(self.unseen_text)
        words = self._translator_for().text_of(facts.subject_call, where, facts.subject_scope)
        del self.unseen_text[unseen:]  # a subject not found is an unknown subject, not text
        if words is None and facts.subject_fallback is not None:
            return Composed.constant(facts.subject_fallback, -1)
        return words

    def _value(self, part: _Part, start: int, end: int) -> Composed:
        """A front matter value (quotes left out) as composed text."""
        base = self.files.base(part.source.path) or 0
        raw = part.source.text[start:end]
        if len(raw) >= 2 and raw[0] in "'\"" and raw[-1] == raw[0]:
            start, end = start + 1, end - 1
        return Composed.of(part.source.text[start:end], base + start)

    def _rendered(self, composed: Composed, part: _Part) -> Composed:
        """A subject template as the reader gets it: control tags and comments gone (the
        text of ``{% blocktrans %}`` stays), other tags kept as written."""
        tags = self._tags(composed, part)
        edits = [(t.start, t.end, Composed.of("", -1)) for t in tags if t.is_control]
        return splice(composed, edits)

    def _json_value(self, path: Path, text: str, key: str) -> Composed | None:
        """A string of a JSON file (Postmark's ``Subject``) with its position."""
        from .catalogs import CatalogError, read_json

        source = Source(str(path), text)
        try:
            entry = read_json(source).get(key)
        except CatalogError:
            return None
        if entry is None:
            return None
        base = self.files.add(source)
        return Composed.placed(entry.text, entry.origins, base)

    def _json_template(self) -> list[Draft] | Skipped:
        """A SendGrid template export (the API's template or version objects, one or a
        list of them): each template's active version is a draft, read from the JSON
        strings with every character at its place in the file."""
        from .catalogs import CatalogError, read_json

        path = Path(self.plan.primary)
        text, warning = read_template(path, self.settings.max_input_bytes)
        source = Source(str(path), text)
        try:
            data = json.loads(text)
            entries = read_json(source)
        except (ValueError, RecursionError, CatalogError):
            return Skipped(self.plan.primary, "JSON that is no email template")
        versions = _sendgrid_versions(data)
        if not versions:
            return Skipped(self.plan.primary,
                           "JSON that is no email template (no html_content or plain_content)")
        base = self.files.add(source, as_given=True)
        engine = self.settings.engine or "handlebars"
        drafts: list[Draft] = []
        for prefix in versions:
            html_part = _json_part(entries, prefix + "html_content", "html", base, source,
                                   engine, warning)
            text_part = _json_part(entries, prefix + "plain_content", "text", base, source,
                                   engine, warning)
            if html_part is None and text_part is None:
                continue
            subject_entry = entries.get(prefix + "subject")
            subject = Composed.placed(subject_entry.text, subject_entry.origins, base) \
                if subject_entry is not None else None
            translate = self._translator_for().translate
            html_body = translate(html_part.composed, engine, html=True) if html_part else None
            text_body = translate(text_part.composed, engine, html=False) if text_part else None
            main = html_part or text_part
            assert main is not None
            drafts.append(self._draft(main, html_part, html_body, text_part, text_body,
                                      subject, None))
        return drafts or Skipped(self.plan.primary, "a SendGrid export whose templates are empty")


def _sendgrid_versions(data: object) -> list[str]:
    """The key prefixes (as :func:`~.catalogs.read_json` names them) of the template
    versions to read: of each template the active version, else its first."""
    found: list[str] = []

    def visit(node: object, prefix: str, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(node, dict):
            if isinstance(node.get("html_content"), str) or isinstance(
                    node.get("plain_content"), str):
                found.append(prefix)
                return
            versions = node.get("versions")
            if isinstance(versions, list) and versions:
                active = next((i for i, v in enumerate(versions)
                               if isinstance(v, dict) and v.get("active") in (1, True)), 0)
                visit(versions[active], f"{prefix}versions.{active}.", depth + 1)
                return
            for key, value in node.items():
                if isinstance(value, dict | list):
                    visit(value, f"{prefix}{key}.", depth + 1)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, f"{prefix}{i}.", depth + 1)

    visit(data, "", 0)
    return found


def _json_part(entries: Mapping[str, Entry], key: str, markup: str, base: int,
               source: Source, engine: str, warning: str | None) -> _Part | None:
    """A JSON string that holds a body (SendGrid's ``html_content``) as a part."""
    entry = entries.get(key)
    if entry is None or not entry.text.strip():
        return None
    body = Composed.placed(entry.text, entry.origins, base)
    return _Part(Path(source.path), source, body, engine, markup, None, warning)


def _with(part: _Part, piece: Composed, markup: str) -> _Part:
    """A part whose body is one piece of the file (a Go ``{{define}}`` block)."""
    sniffed = sniff_markup(piece.text, part.engine) if markup == "html" else "text"
    return _Part(part.path, part.source, piece, part.engine, sniffed, None, part.warning)


class _Define(NamedTuple):
    """A Go ``{{define "name"}}...{{end}}``: its whole extent and its content."""

    start: int
    end: int
    content: Composed


class _GoFolder(NamedTuple):
    """A folder of Go templates: where each name is defined, and who uses it."""

    defined_in: dict[str, str]  # name -> the file that defines it
    used_by: dict[str, set[str]]  # name -> the files that {{template}} it


def _go_defines(body: Composed, tags: list[FoundTag]) -> dict[str, _Define]:
    """The ``{{define "name"}}...{{end}}`` blocks of a Go template, by lower-cased name
    (``{{end}}`` is paired with its opener by a stack of the openers' keywords)."""
    from ..loaders.templating import template_reference

    found: dict[str, _Define] = {}
    stack: list[tuple[str, FoundTag]] = []
    for tag in tags:
        if tag.is_comment:
            continue
        ref = template_reference(body.text[tag.start : tag.end], "go")
        if ref is not None and ref.kind == "define":
            stack.append((ref.name.lower(), tag))
        elif tag.keyword in ("if", "open", "loop"):
            stack.append(("", tag))
        elif tag.keyword == "end" and stack:
            name, opener = stack.pop()
            if name and name not in found:
                found[name] = _Define(opener.start, tag.end, body.piece(opener.end, tag.start))
    return found


def _referenced(repo: Repository) -> frozenset[str]:
    """The templates of a repository that other templates include or extend (paths
    relative to its root): pieces, never messages of their own. Every template is read
    once for this, the first time a run needs it."""
    found: set[str] = set()
    for rel in repo.templates:
        path = repo.root / rel
        kind = file_kind(rel.name)
        text = repo.text(path)
        if kind is None or kind.markup == "json" or text is None:
            continue
        engine = kind.engine or sniff_engine(text)
        markup = kind.markup or sniff_markup(text, engine)
        wanted: list[list[str]] = []
        tags = find_template_tags(text, html=markup == "html", engine=engine)
        for r in references(text, tags, engine):
            if r.ref.kind == "include" and r.ref.name and engine != "go":
                wanted.append(partial_candidates(r.ref.name, engine, markup, rel.parent.name))
            elif r.ref.kind == "extends" and r.ref.name:
                wanted.append(extends_candidates(r.ref.name, engine))
        front = read_front_matter(text)
        layout = front.get("layout") if front is not None else None
        if layout is not None:
            wanted.append(layout_candidates(layout.text))
        for candidates in wanted:
            target = repo.find(candidates, near=path)
            if target is not None and target != path:
                found.add(repo.relative(target))
    return frozenset(found)


def _only_definitions(body: Composed, tags: list[FoundTag], own_name: str | None) -> bool:
    """Whether a Go template only defines named templates (``{{define "header"}}``) for
    others, with nothing of its own outside them and no part of a message among them.
    ``own_name``: a define the app sends by that name (``{{define "smtp-test"}}`` in
    ``smtp-test.html``), so the message itself; None when other templates use it."""
    defines = _go_defines(body, tags)
    message_names = (*_GO_SUBJECT, *_GO_HTML, *_GO_TEXT, *((own_name,) if own_name else ()))
    if not defines or any(n in defines for n in message_names):
        return False
    outside = splice(body, [(d.start, d.end, Composed.of("", -1))
                            for d in sorted(defines.values())])
    return not outside.text.strip()
