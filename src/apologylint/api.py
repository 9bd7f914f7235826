"""The library entry point: ``apologylint.lint(source, config=...)``.

Pure function of its arguments: no printing, no global state, safe from threads and
worker processes.
"""

from __future__ import annotations

import email.message
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .engine import lint_draft
from .model import Draft, InputError, Report
from .settings import Settings

Source = str | Path | bytes | email.message.Message | Draft
ConfigLike = Settings | Mapping[str, Any] | str | Path | None


def resolve_settings(config: ConfigLike, path: Path | None = None) -> Settings:
    """Settings from a Settings object, a mapping of config keys, a config file, or
    (None) the config discovered by walking up from ``path``."""
    from . import config as config_mod

    if isinstance(config, Settings):
        return config
    if isinstance(config, Mapping):
        return config_mod.settings_from_mapping(dict(config), origin="<mapping>")
    if isinstance(config, str | Path):
        return config_mod.load_config_file(Path(config)).settings_for(path)
    if path is not None:
        found = config_mod.discover_config(path)
        if found is not None:
            return found.settings_for(path)
    return Settings()


def lint(source: Source, *, config: ConfigLike = None) -> Report:
    """Lint one draft: a path (file or folder), raw message bytes, an email message
    object or a :class:`Draft`. Unreadable input is reported in ``Report.errors``."""
    from .loaders import LoadError, iter_files, load_bytes, load_path
    from .loaders.eml import load_eml_message

    report = Report()
    if isinstance(source, Draft):
        return lint_draft(source, resolve_settings(config))
    if isinstance(source, bytes):
        settings = resolve_settings(config)
        try:
            drafts = load_bytes(source, path="<bytes>", subject=settings.subject,
                                sender=settings.sender)
        except LoadError as exc:
            report.errors.append(InputError("<bytes>", str(exc)))
            return report
        for draft in drafts:
            report.extend(lint_draft(draft, settings))
        return report
    if isinstance(source, email.message.Message):
        return lint_draft(load_eml_message(source, path="<message>"), resolve_settings(config))
    root = Path(source)
    base = resolve_settings(config, root) if config is not None else None
    files = list(iter_files([root], base.exclude if base else ()))
    for file in files:
        settings = base if base is not None else resolve_settings(None, file)
        try:
            drafts = load_path(file, subject=settings.subject, sender=settings.sender,
                               max_bytes=settings.max_input_bytes)
        except LoadError as exc:
            report.errors.append(InputError(str(file), str(exc)))
            continue
        for draft in drafts:
            report.extend(lint_draft(draft, settings))
    return report
