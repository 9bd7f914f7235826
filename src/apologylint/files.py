"""Reading input files: only regular files, never blocking, never more than a limit.

Why one place: a FIFO opened for reading blocks until something writes to it, a device
such as ``/dev/zero`` never ends, and either can sit where a draft, a config file, a pack,
a cache entry or an address list is expected. Every reader of the package opens files
through :func:`open_regular`, so each of them refuses such a file in one line instead of
hanging. (Standard input, ``-``, is read on purpose and is not a file here.)
"""

from __future__ import annotations

import errno
import os
import stat
import tomllib
from pathlib import Path
from typing import Any, BinaryIO

#: The largest config or pack file read (a real one is a few kilobytes).
MAX_TOML_BYTES = 16 * 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotARegularFile(OSError):
    """The path names a FIFO, a device or a socket: it is refused, never read."""


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """The file opened for binary reading, if it is a regular file.

    Opened non-blocking (so that opening a FIFO returns at once) and checked with
    ``fstat`` on the open descriptor (no race with a second lookup). Raises
    :class:`IsADirectoryError` for a folder, :class:`NotARegularFile` for a FIFO, a device
    or a socket, and the usual :class:`OSError` otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", os.fspath(path))
        if not stat.S_ISREG(mode):
            kind = _kind(mode)
            raise NotARegularFile(errno.EINVAL, f"{kind}, not a regular file", os.fspath(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class TooLarge(OSError):
    """The file is larger than the limit it was read with (``size`` says how large)."""

    def __init__(self, path: str, size: int) -> None:
        super().__init__(errno.EFBIG, "too large", path)
        self.size = size


def read_limited(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (else :class:`TooLarge`).

    The size comes from the open file, so a larger file is refused before a byte is read;
    the read asks for that size, not the limit (a read of ``max_bytes + 1`` allocated the
    whole limit for every file: 1 % of a lint), and a file that grows meanwhile is read on
    only up to the limit."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:
            raise TooLarge(os.fspath(path), size)
        data = fh.read(size + 1)
        if len(data) > size:
            data += fh.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise TooLarge(os.fspath(path), len(data))
    return data


class TomlFileError(ValueError):
    """A config or pack file that cannot be read as TOML; the message is one line that
    says why (the caller adds the file's name and what it is)."""


def toml_file(path: Path) -> dict[str, Any]:
    """A config or pack file's TOML: a regular file of at most :data:`MAX_TOML_BYTES`,
    UTF-8. Every way it can be wrong (unreadable, a FIFO, too large, not UTF-8, bad TOML,
    arrays nested thousands deep) is a :class:`TomlFileError`."""
    try:
        return tomllib.loads(read_limited(path, MAX_TOML_BYTES).decode("utf-8"))
    except UnicodeDecodeError as exc:
        why = f"not UTF-8 text (byte {exc.start + 1}); TOML files are UTF-8"
    except tomllib.TOMLDecodeError as exc:
        why = f"invalid TOML: {exc}"
    except RecursionError:
        why = "invalid TOML: nested too deeply"
    except TooLarge as exc:
        why = f"{exc.size} bytes: larger than a TOML file here can be ({MAX_TOML_BYTES} bytes)"
    except OSError as exc:
        why = f"cannot read: {exc.strerror or exc}"
    raise TomlFileError(why)
