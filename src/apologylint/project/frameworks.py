"""What a web framework's mail code says about a template: its subject, sender, layout.

Rails and Laravel keep an email's subject and sender in code, next to the views: a Rails
mailer (``app/mailers/user_mailer.rb``) names the subject in ``mail(subject: ...)`` or
leaves it to the locale key ``<locale>.user_mailer.welcome.subject``, its sender in
``default from:`` and its layout in ``layout "mailer"``; a Laravel Mailable
(``app/Mail/OrderShipped.php``) names its views, subject and sender in ``build()`` or in
``envelope()``/``content()``. The code is only *read*, with patterns for the common forms
(never run); what is computed at run time stays unknown and is said to be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..loaders.templating import I18nCall, i18n_call
from ..model import Source
from .repository import Repository

__all__ = ["Facts", "Literal", "laravel_facts", "laravel_pair", "rails_facts"]


class Literal(NamedTuple):
    """A string written in a code file: its text and where it stands there."""

    source: Source
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]


@dataclass
class Facts:
    """What a mailer says about one of its views."""

    subject: Literal | None = None
    #: a translation the subject is looked up with, where the call is written, and the
    #: scope of its "." keys
    subject_call: I18nCall | None = None
    subject_call_at: Literal | None = None
    subject_scope: str = ""
    #: the subject when no literal and no translation gives one (Rails: the action's name)
    subject_fallback: str | None = None
    #: why the subject cannot be known (computed at run time)
    subject_unknown: str | None = None
    sender: Literal | None = None
    #: Rails: the layout the mailer renders its views in
    layouts: list[str] = field(default_factory=list)


_STRING = r"(?P<q>['\"])(?P<s>(?:(?!(?P=q))[^\\\n]|\\.){0,300})(?P=q)"


def _literal(source: Source, match: re.Match[str], group: str = "s") -> Literal | None:
    """A plain string literal (no interpolation) as a :class:`Literal`."""
    text = match.group(group)
    if "#{" in text or "{$" in text or "$" in text.replace("\\$", ""):
        return None
    return Literal(source, match.start(group), match.end(group))


# -- Rails ----------------------------------------------------------------------------------

_CLASS = re.compile(
    r"^[ \t]{0,40}class[ \t]{1,10}([\w:]{1,200})[ \t]{0,10}<[ \t]{0,10}([\w:]{1,200})",
    re.MULTILINE,
)
_DEF = re.compile(r"^[ \t]{0,40}def[ \t]{1,10}(?:self\.)?(\w{1,100})", re.MULTILINE)
_LAYOUT = re.compile(r"^[ \t]{0,40}layout[ \t(]{1,10}['\":]([\w/.-]{1,100})", re.MULTILINE)
_DEFAULT_FROM = re.compile(r"^[ \t]{0,40}default\b[^\n]{0,300}?\bfrom:[ \t]{0,10}" + _STRING,
                           re.MULTILINE)
_SUBJECT_ARG = re.compile(r"\bsubject:[ \t]{0,10}(?P<expr>[^\n]{1,400})")
_MAIL_CALL = re.compile(r"\bmail[ \t]{0,5}(?:\(|[ \t]\w)")


def _underscore(name: str) -> str:
    """``Spree::OrderMailer`` -> ``spree/order_mailer`` (Rails' file naming)."""
    parts = []
    for part in name.split("::"):
        part = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", part)
        parts.append(part.lower())
    return "/".join(parts)


def _view_parts(path: Path) -> tuple[Path, str, str] | None:
    """(the engine's root above ``app/views``, the mailer path, the action) of a view."""
    parts = path.parts
    for i in range(len(parts) - 3, 0, -1):
        if parts[i] == "views" and parts[i - 1] == "app":
            mailer = "/".join(parts[i + 1 : -1])
            action = parts[-1].split(".", 1)[0]
            return Path(*parts[: i - 1]), mailer, action
    return None


def _mailer_file(repo: Repository, root: Path, mailer: str) -> Source | None:
    own = root / "app" / "mailers" / f"{mailer}.rb"
    found = own if repo.text(own) is not None else repo.find_file(
        [f"app/mailers/{mailer}.rb"], near=root)
    if found is None:
        return None
    text = repo.text(found)
    return Source(str(found), text) if text is not None else None


def _mailer_chain(repo: Repository, root: Path, mailer: str) -> list[tuple[str, Source]]:
    """The mailer's file and those of the classes it inherits from (as Rails names them:
    ``Spree::BaseMailer`` in ``app/mailers/spree/base_mailer.rb``)."""
    chain: list[tuple[str, Source]] = []
    names = [mailer]
    for _ in range(6):
        found = next(((n, s) for n in names if (s := _mailer_file(repo, root, n))), None)
        if found is None:
            break
        chain.append(found)
        name, source = found
        parent = _CLASS.search(source.text)
        if parent is None or parent.group(2) == "ActionMailer::Base":
            break
        base = _underscore(parent.group(2))
        namespace = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        names = [namespace + base, base] if namespace and "/" not in base else [base]
    return chain


def rails_facts(repo: Repository, view: Path, markup: str) -> Facts | None:
    """Subject, sender and layouts of a Rails mailer view (None: not a mailer's view)."""
    found = _view_parts(view)
    if found is None:
        return None
    root, mailer, action = found
    chain = _mailer_chain(repo, root, mailer)
    if not chain:
        return None
    facts = Facts()
    # an explicit `layout "x"` is inherited; without one Rails tries a layout named after
    # the mailer, then after each class it inherits from
    explicit = next((m.group(1) for _n, s in chain if (m := _LAYOUT.search(s.text))), None)
    names = [explicit] if explicit else [name for name, _source in chain]
    ext = "text" if markup == "text" else "html"
    facts.layouts = [f"{name}.{ext}" for name in names]
    for _name, source in chain:
        m = _DEFAULT_FROM.search(source.text)
        if m is not None:
            facts.sender = _literal(source, m)
            break
    _rails_subject(facts, chain[0][1], action, mailer.replace("/", ".") + "." + action)
    return facts


def _method_span(text: str, action: str) -> tuple[int, int]:
    """Where the body of ``def action`` stands in a Ruby file ((-1, -1): no such method)."""
    for m in _DEF.finditer(text):
        if m.group(1) == action:
            nxt = _DEF.search(text, m.end())
            return m.end(), nxt.start() if nxt else len(text)
    return -1, -1


def _rails_subject(facts: Facts, source: Source, action: str, scope: str) -> None:
    """The subject of ``mail(...)`` in a mailer's action: a literal, a translation, or the
    default key ``<mailer>.<action>.subject`` (then the action's name, as Rails does)."""
    text = source.text
    start, end = _method_span(text, action)
    arg = _SUBJECT_ARG.search(text, start, end) if start >= 0 else None
    if arg is None:
        if start >= 0 and _MAIL_CALL.search(text, start, end) is None:
            facts.subject_unknown = "the mailer's action sends no mail(...) that can be read"
            return
        facts.subject_call = I18nCall(".subject", "rails", False, True)
        facts.subject_scope = scope
        facts.subject_fallback = action.replace("_", " ").capitalize()
        return
    expr, at = arg.group("expr"), arg.start("expr")
    # `subject: subject` or `subject: @subject`: what the action assigned to it
    variable = re.match(r"@?([a-z_]\w{0,60})[ \t]{0,5}(?:,|\)|$)", expr)
    if variable is not None:
        assigned = re.compile(r"@?\b" + re.escape(variable.group(1))
                              + r"[ \t]{0,5}=(?!=)[ \t]{0,5}(?P<expr>[^\n]{1,400})")
        found = assigned.search(text, start, arg.start())
        if found is not None:
            expr, at = found.group("expr"), found.start("expr")
    _subject_from(facts, source, expr, at, "erb", scope)


def _subject_from(facts: Facts, source: Source, expr: str, at: int, engine: str,
                  scope: str = "") -> None:
    """A subject given as an expression in code (``at``: where it starts in the file): a
    plain string literal, else the first translation call in it, else unknown."""
    string = re.match(r"[ \t]{0,5}" + _STRING, expr)
    if string is not None and _ends(expr, string.end()):
        literal = _literal(source, string)
        if literal is not None:
            facts.subject = Literal(source, at + literal.start, at + literal.end)
            return
    found = _first_call(expr, engine)
    if found is not None and not found[0].dynamic and _ends(expr, found[2]):
        call, call_start, call_end = found
        facts.subject_call, facts.subject_scope = call, scope
        facts.subject_call_at = Literal(source, at + call_start, at + call_end)
        return
    facts.subject_unknown = "the code computes the subject at run time"


def _ends(expr: str, at: int) -> bool:
    """Whether the expression ends at ``at`` (a closing bracket, an argument separator,
    the end of a ``#{…}`` interpolation or a line end may follow): ``'[' . $app . ']'``
    is concatenated at run time, not a subject written in the code."""
    rest = _METHOD_CHAIN.sub("", expr[at:], count=1).lstrip()  # .to_s, ->toString()
    return not rest or rest[0] in "),;}" or rest.startswith(("do", "end", "->", "#", "//"))


#: Calls chained onto a subject that leave its text as it is (``.to_s``, ``.html_safe``).
_METHOD_CHAIN = re.compile(r"\A(?:\.(?:to_s|to_str|html_safe|strip|squish|freeze)\b){1,4}")


_CALL_START = re.compile(r"\b(?:[A-Z]\w{0,40}\.)?(?:t|translate|__|trans|_|gettext)\(")


def _first_call(expr: str, engine: str) -> tuple[I18nCall, int, int] | None:
    """The first translation call in a code expression, read as a template tag would be,
    with where it stands in ``expr``."""
    m = _CALL_START.search(expr)
    if m is None:
        return None
    depth, end = 0, len(expr)
    for i in range(m.end() - 1, len(expr)):
        if expr[i] == "(":
            depth += 1
        elif expr[i] == ")":
            depth -= 1
            if depth == 0:
                end = i + 1
                break
    call_text = expr[m.start() : end]
    wrapped = f"<%= {call_text} %>" if engine == "erb" else "{{ " + call_text + " }}"
    call = i18n_call(wrapped, engine)
    return (call, m.start(), end) if call is not None else None


# -- Laravel --------------------------------------------------------------------------------

_VIEW_CALL = re.compile(
    r"(?:->|\b)(?P<kind>view|text|markdown|html)(?:\(|:)[ \t]{0,5}" + _STRING)
_SUBJECT_CALL = re.compile(r"(?:->subject\(|\bsubject:)[ \t]{0,5}(?P<expr>[^\n;]{1,400})")
_FROM_CALL = re.compile(r"(?:->from\(|\bfrom:[ \t]{0,5}new[ \t]{1,5}Address\()[ \t]{0,5}" + _STRING)


class _Mailable(NamedTuple):
    source: Source
    views: dict[str, str]  # kind (view, text, markdown, html) -> view name as written


def _view_name(name: str) -> str:
    """``emails.user.welcome`` and ``emails/user/welcome`` are one view."""
    name = name.strip().strip("/")
    if "/" not in name and "::" not in name:
        name = name.replace(".", "/")
    return name


def _mailables(repo: Repository) -> dict[str, _Mailable]:
    """Every Mailable (and mail Notification) of the project, by the (normalised) view
    names it renders."""
    found: dict[str, _Mailable] = {}
    paths = repo.code_files("app/Mail", ".php") + repo.code_files("app/Notifications", ".php")
    for path in paths:
        text = repo.text(path)
        if text is None or ("Mailable" not in text and "MailMessage" not in text):
            continue
        source = Source(str(path), text)
        views = {m.group("kind"): _view_name(m.group("s")) for m in _VIEW_CALL.finditer(text)}
        mailable = _Mailable(source, views)
        for kind in ("view", "markdown", "html"):
            if kind in views:
                found.setdefault(views[kind], mailable)
    return found


def _laravel_view(path: Path) -> str | None:
    posix = PurePosixPath(path.as_posix())
    parts = posix.parts
    for i in range(len(parts) - 2, 0, -1):
        if parts[i] == "views" and parts[i - 1] == "resources":
            rest = "/".join(parts[i + 1 :])
            return rest[: -len(".blade.php")] if rest.endswith(".blade.php") else None
    return None


def laravel_pair(repo: Repository, view: Path) -> tuple[Path, Path] | None:
    """(HTML view, text view) of the Mailable that renders ``view`` as either, when it
    names both (``->view('emails.welcome')->text('emails.welcome-plain')``)."""
    name = _laravel_view(view)
    if name is None:
        return None
    mailables = repo.cached("laravel-mailables", lambda: _mailables(repo))
    mailable = mailables.get(name) or next(
        (m for m in mailables.values() if m.views.get("text") == name), None)
    if mailable is None or "text" not in mailable.views or "view" not in mailable.views:
        return None
    posix = view.as_posix()
    root = Path(posix[: posix.rfind(name)])
    html, text = (root / f"{mailable.views[k]}.blade.php" for k in ("view", "text"))
    if repo.text(html) is None or repo.text(text) is None:
        return None
    return html, text


def laravel_facts(repo: Repository, view: Path) -> Facts | None:
    """Subject, sender and text view of a Laravel mail view (None: no Mailable renders it)."""
    name = _laravel_view(view)
    if name is None:
        return None
    mailable = repo.cached("laravel-mailables", lambda: _mailables(repo)).get(name)
    if mailable is None:
        return None
    facts = Facts()
    text = mailable.source.text
    subject = _SUBJECT_CALL.search(text)
    if subject is not None:
        expr, at = subject.group("expr"), subject.start("expr")
        variable = re.match(r"\$(\w{1,60})[ \t]{0,5}(?:\)|,|$)", expr)
        if variable is not None:  # `->subject($subject)`: what the method assigned to it
            assigned = re.compile(r"\$" + re.escape(variable.group(1))
                                  + r"[ \t]{0,5}=(?!=)[ \t]{0,5}(?P<expr>[^\n;]{1,400})")
            found = assigned.search(text, 0, subject.start())
            if found is not None:
                expr, at = found.group("expr"), found.start("expr")
        _subject_from(facts, mailable.source, expr, at, "blade")
    sender = _FROM_CALL.search(text)
    if sender is not None:
        facts.sender = _literal(mailable.source, sender)
    return facts
