"""The library entry point: ``apologylint.lint(source, config=...)``.

A pure function of its arguments: no printing, no global state, safe from threads and
worker processes. Every call resolves its own configuration (a config file found by
walking up is read afresh on each call) and never mutates what it was given.

>>> import apologylint
>>> report = apologylint.lint("examples/good-apology.eml")          # doctest: +SKIP
>>> report = apologylint.lint(draft_bytes, config={"incident": "breach"})  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import email.message
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .audience import AddressLists
from .config import Config, ConfigError, ConfigFinder, Layer, config_from_mapping, load_config_file
from .gcpause import gc_paused
from .model import Diagnostic, Draft, InputError, Report, Severity
from .settings import Settings

if TYPE_CHECKING:  # imported where used: start-up of a run over .eml files stays light
    from .project.conventions import MessagePlan, Skipped
    from .project.repository import Repositories

__all__ = ["ConfigError", "ConfigLike", "Source", "lint", "lint_paths"]

Source = str | os.PathLike[str] | bytes | bytearray | email.message.Message | Draft
#: ``Settings`` (used as is), a loaded ``Config`` (overrides apply per file), a mapping
#: of config keys (as in the file), the path of a config file, or None (discovered).
ConfigLike = Settings | Config | Mapping[str, Any] | str | os.PathLike[str] | None

STDIN = "-"


class _Resolver:
    """Settings for each file of one run: the given config or the discovered one, then
    the command-line layer on top. Lives for one run; nothing is shared across runs."""

    def __init__(self, config: ConfigLike, layer: Layer | None = None) -> None:
        self.layer = layer or Layer()
        self.fixed: Settings | None = None
        self.config: Config | None = None
        self.finder: ConfigFinder | None = None
        if isinstance(config, Settings):
            self.fixed = config
        elif isinstance(config, Config):
            self.config = config
        elif isinstance(config, Mapping):
            self.config = config_from_mapping(config, origin="<config mapping>")
        elif isinstance(config, str | os.PathLike):
            self.config = load_config_file(Path(config))
        else:
            self.finder = ConfigFinder()

    def config_for(self, path: Path | None) -> Config | None:
        """The given config, or the one discovered from ``path`` (None: no discovery)."""
        if self.config is not None or self.finder is None or path is None:
            return self.config
        return self.finder.find(path)

    def settings_for(self, path: Path | None) -> Settings:
        if self.fixed is not None:
            base = self.fixed
        else:
            found = self.config_for(path)
            base = found.settings_for(path) if found is not None else Settings()
        return self.layer.apply(base)

    def excluded(self, path: Path) -> bool:
        found = None if self.fixed is not None else self.config_for(path)
        if found is not None:
            return found.is_excluded(path)
        if self.fixed is not None and self.fixed.exclude:
            from .config import path_matches

            rel = Path(os.path.relpath(os.path.abspath(path))).as_posix()
            return any(path_matches(p, rel) for p in self.fixed.exclude)
        return False


@dataclass
class RunResult:
    """A report plus, for each linted path, the ``fail-on`` threshold that applies."""

    report: Report = field(default_factory=Report)
    fail_on: dict[str, Severity] = field(default_factory=dict)
    #: address lists read during this run (each once; see apologylint.audience)
    lists: AddressLists = field(default_factory=AddressLists)
    #: the template repositories met during this run (folders listed, indexes read once)
    repos: Repositories = field(default_factory=lambda: _repositories())
    #: keep each linted draft in ``drafts`` (the HTML report shows them)
    keep_drafts: bool = False
    drafts: list[Draft] = field(default_factory=list)
    #: the files this run read as inputs (absolute paths): an output must never be one
    inputs: set[str] = field(default_factory=set)
    #: findings in a file that is not a draft's own (a layout shared by many messages,
    #: an address list): reported once per run, however many drafts share the file
    shared: set[Diagnostic] = field(default_factory=set)

    def add(self, report: Report, own: set[str]) -> None:
        """Add one file's report; ``own`` are the paths of its drafts."""
        kept = []
        for d in report.diagnostics:
            if d.path not in own:
                if d in self.shared:
                    continue
                self.shared.add(d)
            kept.append(d)
        report.diagnostics = kept
        self.report.extend(report)

    def failing(self, override: Severity | None = None) -> bool:
        """Whether any finding is at or above its file's threshold (or ``override``)."""
        for d in self.report.diagnostics:
            threshold = override or self.fail_on.get(d.path, Severity.ERROR)
            if d.severity >= threshold:
                return True
        return False


def _repositories() -> Repositories:
    from .project.repository import Repositories

    return Repositories()


@gc_paused()
def _lint_loaded(drafts: Iterable[Draft], settings: Settings, run: RunResult) -> None:
    from .engine import lint_draft

    for draft in drafts:
        run.add(lint_draft(draft, settings, lists=run.lists), {draft.path})
        for path in (draft.path, *draft.origin.files):
            run.fail_on.setdefault(path, settings.fail_on)
        run.fail_on[draft.path] = settings.fail_on
        if run.keep_drafts:
            run.drafts.append(draft)


@gc_paused()
def _lint_message(plan: MessagePlan, settings: Settings, run: RunResult) -> None:
    """Load one message (its files, as the repository's conventions put them together)
    and lint it; an input that cannot be read is reported, a file that is no message is
    noted as skipped."""
    from .loaders import LoadError, load_path

    try:
        if plan.is_rendered(settings.formats):  # .eml, .mbox: the loaders alone
            loaded: list[Draft] | Skipped = load_path(
                plan.primary, subject=settings.subject, sender=settings.sender,
                max_bytes=settings.max_input_bytes, max_mime_depth=settings.max_mime_depth)
        else:  # a template: the repository's conventions assemble its message
            from .project.assemble import load_message

            loaded = load_message(plan, settings, run.repos)
    except LoadError as exc:
        run.report.errors.append(InputError(exc.path or plan.primary, str(exc)))
        return
    except OSError as exc:
        run.report.errors.append(InputError(plan.primary, _os_reason(exc)))
        return
    if isinstance(loaded, list):
        _lint_loaded(loaded, settings, run)
    elif loaded.path == plan.primary:  # the message's bodies are all the same piece
        bodies = dict.fromkeys(p for p in (plan.primary, plan.html, plan.text) if p)
        run.report.skipped.extend((path, loaded.reason) for path in bodies)
    else:
        run.report.skipped.append((loaded.path, loaded.reason))


@gc_paused()
def _lint_data(data: bytes, name: str, settings: Settings, run: RunResult) -> None:
    from .loaders import LoadError, load_bytes

    try:
        drafts = load_bytes(data, path=name, subject=settings.subject, sender=settings.sender,
                            max_bytes=settings.max_input_bytes,
                            max_mime_depth=settings.max_mime_depth)
    except LoadError as exc:
        run.report.errors.append(InputError(name, str(exc)))
        return
    _lint_loaded(drafts, settings, run)


def _os_reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def _walk(
    root: Path, resolver: _Resolver, unreadable: list[tuple[str, str]]
) -> Iterator[Path]:
    """Supported files under a folder, sorted, skipping excluded files and folders;
    folders that cannot be listed go to ``unreadable``."""
    from .loaders import iter_files

    formats = resolver.settings_for(root).formats
    for file in iter_files([root], formats=formats, unreadable=unreadable):
        if not resolver.excluded(file):
            yield file


def _read_stdin(stream: BinaryIO | None, limit: int) -> bytes:
    if stream is None:
        raise OSError("no standard input")
    data = stream.read(limit + 1)
    return data if isinstance(data, bytes) else bytes(data)


def lint_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    config: ConfigLike = None,
    overrides: Layer | Mapping[str, Any] | None = None,
    force_exclude: bool = False,
    stdin: BinaryIO | None = None,
    stdin_filename: str | None = None,
    keep_drafts: bool = False,
    jobs: int = 1,
) -> RunResult:
    """Lint files and folders; the engine of both :func:`lint` and the command line.

    ``overrides`` (config keys, or a validated :class:`Layer`) apply on top of the config
    of every file, as command-line options do. Folders are walked for supported files,
    skipping ``exclude``; files named explicitly are linted even when excluded unless
    ``force_exclude``. ``"-"`` reads ``stdin`` (named ``stdin_filename`` if given). An
    input that cannot be read becomes an entry of ``report.errors``; the others are
    still linted. ``keep_drafts`` keeps the loaded drafts in ``RunResult.drafts``.
    ``jobs`` > 1 lints the files in that many worker processes (see
    :mod:`apologylint.parallel`); the result is the same, in the same order.
    Raises :class:`ConfigError` for an invalid configuration.
    """
    layer: Layer
    if overrides is None:
        layer = Layer()
    elif isinstance(overrides, Layer):
        layer = overrides
    else:
        from .config import cli_layer

        layer = cli_layer(overrides, option_names={})
    from .project.conventions import MessagePlanner, Skipped

    resolver = _Resolver(config, layer)
    run = RunResult(keep_drafts=keep_drafts)
    seen: set[str] = set()
    planner = MessagePlanner(run.repos, lambda path: resolver.settings_for(path).formats,
                             lambda path: resolver.settings_for(path).assemble)
    # messages waiting to be linted (all at once, in parallel with jobs > 1); whatever
    # else adds to the report first lints them, so the order never depends on ``jobs``
    pending: list[tuple[MessagePlan, Settings]] = []

    def flush() -> None:
        from .parallel import lint_messages

        lint_messages(pending, run, jobs)
        pending.clear()

    for given in paths:
        text = os.fspath(given)
        if text == STDIN:
            if STDIN in seen:
                continue
            seen.add(STDIN)
            flush()
            # discovery from the working folder, or from the name given for stdin
            settings = resolver.settings_for(Path(stdin_filename or STDIN))
            name = stdin_filename or STDIN
            try:
                data = _read_stdin(stdin, settings.max_input_bytes)
            except OSError as exc:
                run.report.errors.append(InputError(name, f"cannot read standard input: {exc}"))
                continue
            _lint_data(data, name, settings, run)
            continue
        if not text:
            flush()
            run.report.errors.append(InputError(
                "''", "an empty path names no file or folder (use . for this folder)"))
            continue
        path = Path(text)
        unreadable: list[tuple[str, str]] = []
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except (OSError, ValueError) as exc:  # a name too long, a NUL in it ...
            flush()
            why = _os_reason(exc) if isinstance(exc, OSError) else str(exc)
            run.report.errors.append(InputError(text, f"cannot read: {why}"))
            continue
        if is_dir:
            files: Iterable[Path] = _walk(path, resolver, unreadable)
        elif exists:
            if force_exclude and resolver.excluded(path):
                continue
            files = [path]
        elif "\n" in text or text.lstrip().startswith("<"):
            flush()
            run.report.errors.append(InputError(
                "<str>", "a str is read as a path; to lint text, pass bytes "
                "(text.encode()) or Draft.from_text() / Draft.from_html()"))
            continue
        else:
            flush()
            run.report.errors.append(InputError(text, "no such file or folder"))
            continue
        for file in files:
            key = os.path.abspath(file)
            if key in seen:
                continue
            seen.add(key)
            run.inputs.add(key)
            planned = planner.plan(file)
            if isinstance(planned, Skipped):
                flush()
                run.report.skipped.append((planned.path, planned.reason))
            elif planned is not None:
                pending.append((planned, resolver.settings_for(Path(planned.primary))))
        if unreadable:  # never silent: each is an input error (exit 2), the rest is linted
            flush()
            run.report.errors.extend(InputError(where, why) for where, why in unreadable)
    flush()
    return run


def _draft_settings(resolver: _Resolver, name: str) -> Settings:
    """In-memory drafts: discovery starts from the draft's path only if it is a file."""
    candidate = Path(name)
    return resolver.settings_for(candidate if candidate.is_file() else None)


def lint(source: Source, *, config: ConfigLike = None) -> Report:
    """Lint a draft: a path (file or folder, ``str`` or ``Path``), the raw bytes of a
    message or template, an :class:`email.message.Message`, or a :class:`Draft`.

    ``config`` is a :class:`Settings`, a mapping of config keys (``{"select": ["AL1"],
    "incident": "breach"}``), the path of a config file, or None: for paths, the config
    found by walking up from each file; for in-memory input, the defaults. Unreadable
    input is reported in ``Report.errors``, never raised; an invalid ``config`` raises
    :class:`~apologylint.config.ConfigError`.
    """
    if isinstance(source, str | os.PathLike):
        return lint_paths([source], config=config).report
    resolver = _Resolver(config)
    run = RunResult()
    if isinstance(source, bytes | bytearray):
        _lint_data(bytes(source), "<bytes>", _draft_settings(resolver, "<bytes>"), run)
        return run.report
    if isinstance(source, email.message.Message):
        from .loaders import LoadError
        from .loaders.eml import load_eml_message

        try:
            draft = load_eml_message(source, path="<message>")
        except LoadError as exc:
            run.report.errors.append(InputError("<message>", str(exc)))
            return run.report
        _lint_loaded([draft], _draft_settings(resolver, draft.path), run)
        return run.report
    if isinstance(source, Draft):
        # a shallow copy: the engine records the detected language on the draft, and
        # the caller's object must not change (or race, when shared between threads)
        draft = copy.copy(source)
        draft.extra = dict(source.extra)
        _lint_loaded([draft], _draft_settings(resolver, draft.path), run)
        return run.report
    raise TypeError(
        f"lint() takes a path, bytes, an email.message.Message or a Draft, "
        f"not {type(source).__name__}"
    )
