"""One repository of templates: its root, its folders as listed once, and look-ups by name.

Conventions need to look around a template: the siblings in its folder (``content.txt``
beside ``content.html``), the layout it names (``{% extends "base.html" %}``), the locale
files that hold its words. :class:`Repository` answers those questions for one run, reading
each folder and each small index once; :class:`Repositories` finds the repository of a file
(the nearest folder above it with ``.git`` or a project file) and keeps one per root. Nothing
here is global: a run makes its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeVar, cast

from ..engines import file_kind

if TYPE_CHECKING:
    from .catalogs import Catalogs

__all__ = ["Repositories", "Repository", "read_text"]

T = TypeVar("T")

#: Files whose folder is a project's root (the nearest one above a template wins; ``.git``
#: wins over all of them).
_ROOT_MARKERS = (
    "Gemfile", "composer.json", "manage.py", "go.mod", "package.json", "pyproject.toml",
    "setup.py", "_config.yml", "config.js", "maizzle.config.js", ".apologylint.toml",
)
#: Folders never searched for templates (build tools' downloads and caches).
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", ".venv", "site-packages",
                        "bower_components", "tmp", "log", "coverage"})
#: The most files one repository's index holds (a monorepo may have more; look-ups then
#: miss what lies beyond, never hang).
MAX_INDEXED_FILES = 200_000
#: The largest file read as a template, layout or index (a bigger one is skipped).
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def read_text(path: Path, max_bytes: int = MAX_TEMPLATE_BYTES) -> str | None:
    """A small text file's content, or None when it is not a regular file, too large,
    binary or unreadable: an index or a layout that cannot be read is just not used.
    (Read as a catalog is: see :func:`~.catalogs.read_source`.)"""
    from .catalogs import CatalogError, read_source

    try:
        return read_source(path, max_bytes)[0].text
    except (CatalogError, ValueError):  # (ValueError: a NUL in the path)
        return None


class Repository:
    """The repository a template belongs to, as seen during one run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listings: dict[Path, tuple[str, ...]] = {}
        self._texts: dict[Path, str | None] = {}
        self._catalogs: dict[str | None, Catalogs] = {}
        self._memo: dict[str, object] = {}

    # -- folders and files --------------------------------------------------------------

    def listing(self, folder: Path) -> tuple[str, ...]:
        """The names of the regular files in ``folder``, sorted (read once)."""
        found = self._listings.get(folder)
        if found is None:
            names: list[str] = []
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        try:
                            if entry.is_file():
                                names.append(entry.name)
                        except OSError:
                            continue
            except OSError:
                pass
            found = tuple(sorted(names))
            self._listings[folder] = found
        return found

    def text(self, path: Path) -> str | None:
        """A file's text (read once per run), or None (see :func:`read_text`)."""
        if path not in self._texts:
            self._texts[path] = read_text(path)
        return self._texts[path]

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, posix style (absolute when outside it)."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return absolute.as_posix()

    @cached_property
    def files(self) -> tuple[PurePosixPath, ...]:
        """Every file of the repository (relative to the root), in walk order, skipping
        hidden folders and build tools' downloads: the index that layouts, partials and
        mailer classes are looked up in (read once per run, when first needed)."""
        found: list[PurePosixPath] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and d not in _SKIP_DIRS)
            rel_dir = PurePosixPath(Path(dirpath).relative_to(self.root).as_posix())
            found.extend(rel_dir / name for name in sorted(filenames))
            if len(found) >= MAX_INDEXED_FILES:
                break
        return tuple(found[:MAX_INDEXED_FILES])

    @cached_property
    def templates(self) -> tuple[PurePosixPath, ...]:
        """The template files among :attr:`files` (no rendered mail, no JSON)."""
        return tuple(
            rel for rel in self.files
            if (kind := file_kind(rel.name)) is not None
            and kind.markup not in ("eml", "mbox", "json")
        )

    @cached_property
    def _by_tail(self) -> dict[str, list[PurePosixPath]]:
        """The files by their lowercased name and by their folder's name + their name
        (``basic/content.html``: a Postmark repository has a ``content.html`` per
        template, and a layout looked up for every one of them must not read them all)."""
        index: dict[str, list[PurePosixPath]] = {}
        for rel in self.files:
            index.setdefault(rel.name.lower(), []).append(rel)
            if len(rel.parts) > 1:
                index.setdefault(f"{rel.parts[-2]}/{rel.name}".lower(), []).append(rel)
        return index

    def find(self, candidates: list[str], near: Path | None = None) -> Path | None:
        """The template a reference names: :meth:`find_file` among template files."""
        return self.find_file(candidates, near, templates_only=True)

    def find_file(self, candidates: list[str], near: Path | None = None, *,
                  templates_only: bool = False) -> Path | None:
        """The file a reference names: the first of ``candidates`` (posix paths such as
        ``layouts/mail.blade.php``, most likely first) that is the end of some file's
        path; among several files that match one candidate, the one closest to
        ``near``."""
        near_rel = PurePosixPath(self.relative(near)) if near is not None else None
        for candidate in candidates:
            wanted = PurePosixPath(candidate.strip("/"))
            if not wanted.name:
                continue
            tail = "/".join(wanted.parts[-2:]).lower()
            matches = [
                rel for rel in self._by_tail.get(tail, ())
                if _ends_with(rel, wanted)
                and (not templates_only or file_kind(rel.name) is not None)
            ]
            if not matches:
                continue
            if near_rel is not None and len(matches) > 1:
                matches.sort(key=lambda rel: -_shared_parts(rel, near_rel))
            return self.root / matches[0]
        return None

    def code_files(self, folder: str, suffix: str) -> list[Path]:
        """Files ending with ``suffix`` under any folder whose path ends with ``folder``
        (``app/Mail`` finds ``app/Mail/**.php`` in every package of a monorepo)."""
        tail = PurePosixPath(folder).parts
        found: list[Path] = []
        for rel in self.files:
            if not rel.name.endswith(suffix):
                continue
            parts = rel.parts[:-1]
            if any(parts[i : i + len(tail)] == tail for i in range(len(parts) - len(tail) + 1)):
                found.append(self.root / rel)
        return found

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per run and repository (an index of mailer classes ...)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    # -- locale files -----------------------------------------------------------------------

    def catalogs(self, locale: str | None = None) -> Catalogs:
        """The project's translation catalogs for ``locale`` (None: its default)."""
        found = self._catalogs.get(locale)
        if found is None:
            from .catalogs import find_catalogs

            found = find_catalogs(self.root, locale)
            self._catalogs[locale] = found
        return found


def _ends_with(path: PurePosixPath, tail: PurePosixPath) -> bool:
    parts, want = path.parts, tail.parts
    if len(want) > len(parts):
        return False
    return tuple(p.lower() for p in parts[-len(want):]) == tuple(w.lower() for w in want)


def _shared_parts(a: PurePosixPath, b: PurePosixPath) -> int:
    n = 0
    for x, y in zip(a.parts, b.parts, strict=False):
        if x != y:
            break
        n += 1
    return n


class Repositories:
    """The repositories met during one run, one :class:`Repository` per root."""

    def __init__(self) -> None:
        self._by_root: dict[Path, Repository] = {}
        self._root_of: dict[Path, Path] = {}

    def of(self, file: Path) -> Repository:
        """The repository that ``file`` belongs to."""
        folder = Path(os.path.abspath(file)).parent
        root = self._root(folder)
        repo = self._by_root.get(root)
        if repo is None:
            repo = self._by_root[root] = Repository(root)
        return repo

    def _root(self, folder: Path) -> Path:
        known = self._root_of.get(folder)
        if known is not None:
            return known
        visited: list[Path] = []
        marker_root: Path | None = None
        root: Path | None = None
        for candidate in (folder, *folder.parents):
            if candidate in self._root_of:
                root = self._root_of[candidate]
                break
            visited.append(candidate)
            if os.path.exists(candidate / ".git"):
                root = candidate
                break
            if marker_root is None and any(
                os.path.isfile(candidate / m) for m in _ROOT_MARKERS
            ):
                marker_root = candidate
            if len(visited) > 40:
                break
        if root is None:
            root = marker_root or folder
        for candidate in visited:  # the folders from ``folder`` up to the root
            if candidate == root or root in candidate.parents:
                self._root_of[candidate] = root
        return root
