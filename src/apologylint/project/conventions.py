"""Which files make up one message: the naming conventions of template repositories.

One email is often several files side by side, and which ones belong together is written
in their names:

* **Postmark** (its CLI, MailMason): a folder per template with ``content.html`` (or
  ``content.hbs``), ``content.txt`` and ``meta.json`` (name, subject, layout);
* **siblings that share a name**: Django's ``welcome_subject.txt`` /
  ``welcome_message.txt`` / ``welcome_message.html``, ``welcome-subject.txt`` /
  ``welcome-body-html.html`` / ``welcome-body-text.txt``, Rails' ``welcome.html.erb`` +
  ``welcome.text.erb``, Laravel's ``welcome.blade.php`` + ``welcome_text.blade.php``, and
  plain ``welcome.html`` + ``welcome.txt``;
* everything else is one message per file (an .eml, an mbox's messages, an MJML file, a
  SendGrid template export, a Go template with ``{{define "subject"}}`` blocks ...).

:func:`plan_messages` turns the files a run was given into :class:`MessagePlan` s, looking at
each folder's listing, so that a pre-commit run that passes only ``content.txt`` still lints
the whole message it belongs to. What a file *says* (a layout, a partial, a SendGrid export)
is judged later, when the message is assembled (:mod:`.assemble`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..engines import file_kind, is_documentation, known_endings
from ..files import open_regular
from .repository import Repositories

__all__ = ["MessagePlan", "MessagePlanner", "Skipped", "plan_messages"]


@dataclass(frozen=True)
class MessagePlan:
    """The files of one message (paths as the run was given them).

    ``primary`` is the file that findings about the whole message point at: the HTML body
    if there is one, else the text body, else the one file.
    """

    primary: str
    convention: str = "file"  # "file", "postmark", "siblings"
    html: str | None = None
    text: str | None = None
    subject: str | None = None  # a file that holds only the subject
    meta: str | None = None  # Postmark's meta.json

    def is_rendered(self, formats: Mapping[str, str] | None = None) -> bool:
        """A rendered message (.eml, .mbox) or a file of unknown kind named explicitly:
        read as it is, by the loaders alone (no repository conventions apply)."""
        if self.convention != "file":
            return False
        kind = file_kind(Path(self.primary).name, formats)
        return kind is None or kind.markup in ("eml", "mbox")

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the message, the primary first."""
        parts = [self.primary]
        for path in (self.html, self.text, self.subject, self.meta):
            if path is not None and path not in parts:
                parts.append(path)
        return tuple(parts)


@dataclass(frozen=True)
class Skipped:
    """A file that is no email of its own, and why (shown with ``--verbose``)."""

    path: str
    reason: str


#: A name's last part that says which part of a message a file holds.
_ROLE = re.compile(
    r"(?P<base>.{1,200}?)[-_.](?P<role>subject|body|message|email|mail|content|html|text|plain"
    r"|txt|(?:body|message|email|mail|content)[-_](?:html|text|txt|plain))\Z",
    re.IGNORECASE,
)
#: Configuration files a user may name by hand: never an email.
_CONFIG_FILES = frozenset({".apologylint.toml", "pyproject.toml", ".pre-commit-config.yaml",
                           ".pre-commit-hooks.yaml"})
_POSTMARK_BODIES = ("content.html", "content.htm", "content.hbs", "content.mjml")
_POSTMARK_TEXTS = ("content.txt", "content.text")


def _stem(name: str, formats: Mapping[str, str] | None) -> str:
    """The name without its engine and markup endings (``welcome`` of
    ``welcome.html.erb``)."""
    lowered = name.lower()
    endings = known_endings(formats)
    for _ in range(2):  # an engine ending, then a markup ending
        for ending in endings:
            if lowered.endswith(ending) and len(lowered) > len(ending):
                name, lowered = name[: -len(ending)], lowered[: -len(ending)]
                break
        else:
            break
    return name


def _part(name: str, formats: Mapping[str, str] | None) -> tuple[str, str] | None:
    """(group name, role) of a file that may be one part of a message: role "subject",
    "html" or "text" ("" when only the text can tell)."""
    kind = file_kind(name, formats)
    if kind is None or kind.markup in ("eml", "mbox", "json"):
        return None
    stem = _stem(name, formats)
    role = ""
    m = _ROLE.match(stem)
    base = stem
    if m is not None:
        base = m.group("base")
        word = m.group("role").lower()
        if word == "subject" and kind.markup in ("text", ""):
            role = "subject"
        elif word.endswith(("html",)):
            role = "html"
        elif word.endswith(("text", "txt", "plain")):
            role = "text"
    if role != "subject":
        if kind.markup in ("html", "mjml"):
            role = "html"
        elif kind.markup in ("text", "markdown"):
            role = role or "text"
    return base.lower(), role


_HEADER_BLOCK = re.compile(rb"\s{0,8}(?i:subject|from|reply-to|to|cc)[ \t]{0,10}:")


def _standalone(path: Path) -> bool:
    """Whether a text file is a draft of its own: it opens with a ``Subject:``/``From:``
    header block (a text part of a template has none)."""
    try:
        with open_regular(path) as fh:  # a FIFO or a device is never read: it could block
            head = fh.read(64)
    except (OSError, ValueError):
        return False
    return _HEADER_BLOCK.match(head.removeprefix(b"\xef\xbb\xbf")) is not None


def _in_folder(folder: Path, convention: str, html: str | None, text: str | None, *,
               subject: str | None = None, meta: str | None = None) -> MessagePlan:
    """A plan of files named in one folder; the HTML body, else the text body, is the
    primary."""
    def path(name: str | None) -> str | None:
        return str(folder / name) if name else None

    primary = path(html or text)
    assert primary is not None
    return MessagePlan(primary, convention, html=path(html), text=path(text),
                       subject=path(subject), meta=path(meta))


def _as_given(given: Path, found: Path) -> str:
    """``found`` named like ``given`` (relative when ``given`` was relative)."""
    if given.is_absolute():
        return str(found)
    try:
        return os.path.relpath(found)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(found)


class MessagePlanner:
    """Plans the messages of one run: each message once, however many of its files the
    run was given (``formats_for`` gives the config ``formats`` that apply to a file)."""

    def __init__(self, repos: Repositories,
                 formats_for: Callable[[Path], Mapping[str, str]] = lambda _path: {},
                 assembles: Callable[[Path], bool] = lambda _path: True) -> None:
        self.repos = repos
        self.formats_for = formats_for
        #: whether a file's message is put together by convention (config ``assemble``)
        self.assembles = assembles
        self._done: set[str] = set()
        #: each folder's files by message group name, then role (see :func:`_part`):
        #: made once per folder, as a folder of a thousand templates is asked a thousand
        #: times
        self._groups: dict[tuple[str, tuple[tuple[str, str], ...]],
                           dict[str, list[tuple[str, str]]]] = {}

    def plan(self, file: Path) -> MessagePlan | Skipped | None:
        """The message ``file`` belongs to, or why it is none; None when that message
        was planned already (from another of its files)."""
        planned = self._plan(file)
        key = planned.primary if isinstance(planned, MessagePlan) else "skip:" + planned.path
        if key in self._done:
            return None
        self._done.add(key)
        return planned

    def _plan(self, file: Path) -> MessagePlan | Skipped:
        name = file.name
        if is_documentation(name):
            return Skipped(str(file), "a repository document (README, LICENSE ...), not an email")
        if name in _CONFIG_FILES:
            return Skipped(str(file), "a configuration file, not an email")
        formats = self.formats_for(file)
        kind = file_kind(name, formats)
        if kind is None or kind.markup in ("eml", "mbox"):
            return MessagePlan(str(file))  # named explicitly: read as it is (sniffed)
        if not self.assembles(file):  # config ``assemble = false``: the file alone
            return MessagePlan(str(file), "json" if kind.markup == "json" else "file")
        folder = file.parent
        listing = self.repos.of(file).listing(folder)
        lowered = name.lower()
        if lowered == "meta.json" or lowered in _POSTMARK_BODIES + _POSTMARK_TEXTS:
            plan = self._postmark(folder, listing)
            if plan is not None:
                return plan
        if kind.markup == "json":
            return MessagePlan(str(file), "json")
        return self._siblings(file, listing, formats)

    def _mailable_pair(self, file: Path) -> MessagePlan | None:
        """A Laravel view that a Mailable renders with a text view of another name."""
        from .frameworks import laravel_pair

        pair = laravel_pair(self.repos.of(file), file)
        if pair is None:
            return None
        html, text = (_as_given(file, p) for p in pair)
        return MessagePlan(html, "siblings", html=html, text=text)

    def _postmark(self, folder: Path, listing: tuple[str, ...]) -> MessagePlan | None:
        names = {n.lower(): n for n in listing}
        html = next((names[n] for n in _POSTMARK_BODIES if n in names), None)
        text = next((names[n] for n in _POSTMARK_TEXTS if n in names), None)
        if html is None and text is None:
            return None
        return _in_folder(folder, "postmark", html, text, meta=names.get("meta.json"))

    def _siblings(self, file: Path, listing: tuple[str, ...],
                  formats: Mapping[str, str] | None) -> MessagePlan | Skipped:
        own = _part(file.name, formats)
        if own is None:
            return MessagePlan(str(file))
        if file.name.lower().endswith(".blade.php"):
            paired = self._mailable_pair(file)
            if paired is not None:
                return paired
        if own[1] == "text" and _standalone(file):
            return MessagePlan(str(file))
        group: dict[str, list[str]] = {}
        for name, role in self._grouped(file.parent, listing, formats).get(own[0], ()):
            if role == "text" and name != file.name and _standalone(file.parent / name):
                continue
            group.setdefault(role, []).append(name)
        unknown = group.pop("", [])
        if len(unknown) == 1:  # its text will tell; a sibling's role says which it is not
            group.setdefault("html" if "html" not in group else "text", []).extend(unknown)
        elif unknown:
            return MessagePlan(str(file))
        roles = group
        unique = all(len(names) == 1 for names in roles.values())
        if len(roles) < 2 or not unique:  # no message of several files here
            return MessagePlan(str(file))
        folder = file.parent
        html = roles.get("html", [None])[0]
        text = roles.get("text", [None])[0]
        subject = roles.get("subject", [None])[0]
        if html is None and text is None:
            return Skipped(str(file), "the subject of a message whose body is not beside it")
        return _in_folder(folder, "siblings", html, text, subject=subject)


    def _grouped(self, folder: Path, listing: tuple[str, ...],
                 formats: Mapping[str, str] | None) -> dict[str, list[tuple[str, str]]]:
        """A folder's files that may be parts of a message, by group name: (name, role)."""
        key = (str(folder), tuple(sorted(formats.items())) if formats else ())
        groups = self._groups.get(key)
        if groups is None:
            groups = self._groups[key] = {}
            for name in listing:
                part = _part(name, formats)
                if part is not None:
                    groups.setdefault(part[0], []).append((name, part[1]))
        return groups


def plan_messages(
    files: Iterable[Path],
    repos: Repositories,
    formats_for: Callable[[Path], Mapping[str, str]] = lambda _path: {},
    assembles: Callable[[Path], bool] = lambda _path: True,
) -> Iterator[MessagePlan | Skipped]:
    """The messages the given files belong to, each once, in the order their first file
    came; and the files that are no message of their own."""
    planner = MessagePlanner(repos, formats_for, assembles)
    for file in files:
        planned = planner.plan(file)
        if planned is not None:
            yield planned
