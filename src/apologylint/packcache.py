"""Compiled language packs (and parsed hyphenation dictionaries), kept on disk so that
a run does not compile them again.

Why: compiling both built-in packs (reading ~80 TOML files, expanding 7,600 phrases into
61,000 forms, building a trie of 76,000 nodes) takes ~0.2 s, more than a one-file lint
takes without it. The compiled packs are plain builtins (see
:meth:`~apologylint.matching.PhraseMatcher.to_data`), which :mod:`marshal` stores and
reads back in a few milliseconds (each first word's part of a trie when a text first has
that word). Pyphen parses its English dictionary (11,000 patterns) in ~30 ms
for every process; the parsed patterns are read back in ~3 ms
(:func:`apologylint.readability.hyphenator`).

The cache is a convenience, never a source of truth: an entry is named by a hash of
every pack file's name and bytes, apologylint's version, this format's version and the
Python version, so a changed pack (or an upgrade) simply misses; an entry that cannot be
read or does not have the expected shape is ignored and rewritten; a cache folder that
cannot be written is ignored. Where: ``APOLOGYLINT_CACHE_DIR`` if set, else the user's
cache folder (``~/.cache/apologylint`` on Linux, as :mod:`platformdirs` says for each
system). ``APOLOGYLINT_NO_CACHE=1`` (the command line's ``--no-cache``) turns it off.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .files import MAX_TOML_BYTES, read_limited

try:  # hashlib's own BLAKE2 module: hashlib would load OpenSSL too (2.5 ms of start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

__all__ = ["CACHE_FORMAT", "cache_dir", "fingerprint", "read", "write"]

#: Bump when the stored layout (packs.Pack, matching.PhraseMatcher.to_data) changes, or
#: how a phrase is split into words (7: hashtags and mentions keep their "#"/"@"; 8: an
#: entry carries its key and a digest of its data, checked before it is trusted).
CACHE_FORMAT = 8
#: Environment variables (documented in docs/configuration.md).
CACHE_DIR_ENV = "APOLOGYLINT_CACHE_DIR"
NO_CACHE_ENV = "APOLOGYLINT_NO_CACHE"
#: Entries of each kind kept in the cache folder (one per set of files and version).
KEEP_ENTRIES = 8
#: The largest entry read (a compiled pack set is ~1.5 MB).
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def cache_dir() -> Path | None:
    """Where compiled packs are kept, or None when caching is off."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in ("", "0"):
        return None
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("apologylint", appauthor=False))


def fingerprint(files: Iterable[Path], *extra: str) -> str:
    """A name for one set of files as they are now (their paths and bytes), and for the
    ``extra`` strings (the version of the library that reads them)."""
    from . import __version__

    digest = blake2b(digest_size=20)
    header = f"{CACHE_FORMAT}|{__version__}|{sys.implementation.cache_tag}|{marshal.version}"
    digest.update(header.encode())
    for text in extra:
        digest.update(b"\0" + text.encode() + b"\0")
    for path in files:
        digest.update(b"\0" + os.fsencode(path) + b"\0")
        digest.update(read_limited(path, MAX_TOML_BYTES))  # regular files only: no FIFO
    return digest.hexdigest()


def _entry(folder: Path, key: str, kind: str) -> Path:
    return folder / f"{kind}-{key}.marshal"


def read(key: str, kind: str = "packs") -> Any:
    """The data stored under ``key`` (entries of one ``kind`` share a folder and a
    limit), or None (no cache, no entry, unreadable entry)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        # a regular file only (an entry replaced by a FIFO or a link to /dev/zero is a
        # miss, not a hang), of a bounded size
        data = marshal.loads(read_limited(_entry(folder, key, kind), MAX_ENTRY_BYTES))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return None
    # an entry is trusted only for its own key and only whole: a copy under another
    # name, or one whose data was cut or changed, is a miss (the cache never changes a
    # result)
    payload = data.get("payload")
    if (
        data.get("key") != key
        or not isinstance(payload, bytes)
        or data.get("check") != _check(payload)
    ):
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def _check(payload: bytes) -> str:
    """A digest of an entry's data, stored beside it and compared on reading."""
    return blake2b(payload, digest_size=16).hexdigest()


def write(key: str, value: Any, kind: str = "packs") -> None:
    """Store ``value`` (builtins only) under ``key``: written to a temporary file and
    renamed, so a reader never sees half an entry; any failure leaves the run as it
    was."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps(value)
        payload = marshal.dumps(
            {"format": CACHE_FORMAT, "key": key, "check": _check(data), "payload": data}
        )
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, _entry(folder, key, kind))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, ValueError):
        return
    _prune(folder, kind)


def _prune(folder: Path, kind: str) -> None:
    """Keep the newest :data:`KEEP_ENTRIES` entries of a kind: every pack edit or upgrade
    makes a new one (~1.5 MB), and the old ones would never be read again."""
    try:
        entries = sorted(folder.glob(f"{kind}-*.marshal"), key=lambda p: p.stat().st_mtime_ns)
    except OSError:
        return
    for stale in entries[:-KEEP_ENTRIES]:
        with contextlib.suppress(OSError):
            stale.unlink()
