"""Turn files, folders and bytes into :class:`~apologylint.model.Draft` objects.

Dispatch is by extension (``_LOADERS``); an extension we do not know, and standard
input, are sniffed: an RFC 5322 header block means a message, ``<`` means HTML, anything
else is plain text. Every failure reaches the caller as one :class:`LoadError` with a
one-line reason; input files are only ever opened for reading.

Extension point: a loader plugs in by adding an entry to ``_LOADERS`` (extension →
function of ``(data, path, subject, sender) -> list[Draft]``) and to
:data:`SUPPORTED_EXTENSIONS`, as ``mjml.py`` and ``mbox.py`` (one draft per message) do.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..engines import file_kind, is_documentation, known_endings
from ..files import NotARegularFile, TooLarge, read_limited

if TYPE_CHECKING:
    from ..model import Draft

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_MIME_DEPTH",
    "MIME_DEPTH_LIMIT",
    "SUPPORTED_EXTENSIONS",
    "LoadError",
    "iter_files",
    "load_bytes",
    "load_path",
    "read_template",
    "sniff_extension",
]


class LoadError(Exception):
    """An input that could not be read; ``str(err)`` is a one-line reason for the user."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


#: File endings a folder walk picks up (rendered mail, HTML, MJML, text and Markdown, the
#: template engines' own endings, JSON that may hold a SendGrid export or Postmark's
#: meta.json; config ``formats`` adds more): see :func:`apologylint.engines.file_kind`.
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(known_endings())
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_MIME_DEPTH = 50
#: The deepest MIME nesting the .eml loader reads (config ``max-mime-depth``): set around
#: one load by :func:`load_path`/:func:`load_bytes`, so that every loader that reads
#: messages (.eml, each message of an .mbox) honours it without a new parameter.
MIME_DEPTH_LIMIT: ContextVar[int] = ContextVar("max_mime_depth", default=DEFAULT_MAX_MIME_DEPTH)

#: Directories a walk never enters (hidden directories are skipped too).
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})

_Loader = Callable[[bytes, str, "str | None", "str | None"], "list[Draft]"]

_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"%PDF-",
    b"\x1f\x8b",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",
    b"MZ",
)
_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_KNOWN_HEADER_LIST = (
    "from to cc bcc subject date sender reply-to message-id mime-version "
    "content-type content-transfer-encoding received return-path delivered-to "
    "dkim-signature authentication-results in-reply-to references thread-topic "
    "thread-index envelope-to list-unsubscribe list-id precedence importance "
    "content-language"
)
_KNOWN_HEADERS = frozenset(_KNOWN_HEADER_LIST.split())
_HEADER_LINE = re.compile(rb"([\x21-\x39\x3b-\x7e]{1,200})[ \t]{0,50}:")


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_UNICODE_BOMS):
        return False
    if data.startswith(_BINARY_MAGIC) and not data[:64].isascii():
        return True
    sample = data[:65536]
    nul = sample.count(0)
    return nul > 8 or (nul > 0 and nul * 200 > len(sample))


def sniff_extension(data: bytes) -> str:
    """``.eml``, ``.html`` or ``.txt`` for content whose name tells nothing."""
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :]
    head = head.lstrip()
    if head.startswith(b"<"):
        return ".html"
    if head.startswith(b"From "):
        return ".eml"
    m = _HEADER_LINE.match(head)
    if m is not None:
        name = m.group(1).decode("ascii", "replace").lower()
        if name in _KNOWN_HEADERS or name.startswith(("x-", "arc-", "list-")):
            return ".eml"
    return ".txt"


def _decode_text(data: bytes, html: bool) -> tuple[str, str | None]:
    from .decoding import decode_bytes_to_text, sniff_html_charset

    declared = sniff_html_charset(data) if html else None
    return decode_bytes_to_text(data, declared)


def _fill_missing_headers(drafts: list[Draft], subject: str | None, sender: str | None) -> None:
    """A rendered message's own headers are what recipients get: --subject/--from (and
    config) only fill a header the message lacks, so they can never hide a no-reply From."""
    from .decoding import parse_addresses

    for draft in drafts:
        if subject is not None and draft.header("Subject") is None:
            draft.subject, draft.subject_span = subject, None
        if sender is not None and draft.header("From") is None:
            found = parse_addresses(sender)
            draft.sender, draft.sender_span = (found[0] if found else None), None


def _load_eml(data: bytes, path: str, subject: str | None, sender: str | None) -> list[Draft]:
    from .eml import load_eml_bytes

    drafts = [load_eml_bytes(data, path)]
    _fill_missing_headers(drafts, subject, sender)
    return drafts


def _load_mbox(data: bytes, path: str, subject: str | None, sender: str | None) -> list[Draft]:
    from .mbox import load_mbox_bytes

    drafts = load_mbox_bytes(data, path)
    _fill_missing_headers(drafts, subject, sender)
    return drafts


_TemplateLoader = Callable[..., "Draft"]


def _template(
    data: bytes, path: str, subject: str | None, sender: str | None,
    load: _TemplateLoader, *, html: bool,
) -> list[Draft]:
    """Decode a template file (recording any charset fallback) and load it; for templates
    --subject/--from win over what the file says."""
    text, warning = _decode_text(data, html=html)
    draft = load(text, path, subject=subject, sender=sender)
    if warning:
        draft.warnings.append(warning)
    return [draft]


def _load_html(data: bytes, path: str, subject: str | None, sender: str | None) -> list[Draft]:
    from .html import load_html_text

    return _template(data, path, subject, sender, load_html_text, html=True)


def _load_text(data: bytes, path: str, subject: str | None, sender: str | None) -> list[Draft]:
    from .plaintext import load_plain_text

    return _template(data, path, subject, sender, load_plain_text, html=False)


def _load_mjml(data: bytes, path: str, subject: str | None, sender: str | None) -> list[Draft]:
    from .mjml import load_mjml_text

    return _template(data, path, subject, sender, load_mjml_text, html=True)


_LOADERS: dict[str, _Loader] = {
    ".eml": _load_eml,
    ".mbox": _load_mbox,
    ".mjml": _load_mjml,
    ".html": _load_html,
    ".htm": _load_html,
    ".txt": _load_text,
    ".md": _load_text,
}


def _dispatch(
    data: bytes, path: str, ext: str, subject: str | None, sender: str | None
) -> list[Draft]:
    if _looks_binary(data):
        raise LoadError("binary content, not a message or a text file", path)
    loader = _LOADERS.get(ext) or _LOADERS[sniff_extension(data)]
    try:
        drafts = loader(data, path, subject, sender)
    except LoadError as e:
        e.path = e.path or path
        raise
    except RecursionError:
        raise LoadError("the input is nested too deeply to read", path) from None
    except MemoryError:
        raise LoadError("not enough memory to read the input", path) from None
    except Exception as e:  # never a traceback for an input
        raise LoadError(f"could not read the input ({type(e).__name__}: {e})", path) from e
    return drafts


def load_bytes(
    data: bytes,
    path: str = "-",
    *,
    subject: str | None = None,
    sender: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_mime_depth: int | None = None,
) -> list[Draft]:
    """Drafts from raw bytes (standard input); the kind is taken from ``path`` or sniffed."""
    if len(data) > max_bytes:
        raise LoadError(_too_large(len(data), max_bytes), path)
    ext = os.path.splitext(path)[1].lower() if path not in ("-", "") else ""
    return _limited(max_mime_depth, data, path, ext if ext in _LOADERS else "", subject, sender)


def _limited(
    max_mime_depth: int | None,
    data: bytes, path: str, ext: str, subject: str | None, sender: str | None,
) -> list[Draft]:
    """:func:`_dispatch` with the MIME depth limit set for this load only."""
    if max_mime_depth is None:
        return _dispatch(data, path, ext, subject, sender)
    token = MIME_DEPTH_LIMIT.set(max_mime_depth)
    try:
        return _dispatch(data, path, ext, subject, sender)
    finally:
        MIME_DEPTH_LIMIT.reset(token)


def _too_large(size: int, limit: int) -> str:
    return f"too large: {size / 1048576:.1f} MB (limit {limit / 1048576:.0f} MB)"


def _read_limited(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes, read-only, regular files only (see :mod:`apologylint.files`)."""
    try:
        return read_limited(path, max_bytes)
    except TooLarge as exc:
        raise LoadError(_too_large(exc.size, max_bytes), name) from None
    except NotARegularFile as exc:
        raise LoadError(f"{exc.strerror}: refused (it could block or never end)", name) from None


def load_path(
    path: Path | str,
    *,
    subject: str | None = None,
    sender: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_mime_depth: int | None = None,
) -> list[Draft]:
    """Drafts from one file (a message file may later hold several: mbox)."""
    p = Path(path)
    name = str(path)
    try:
        data = _read_limited(p, name, max_bytes)
    except IsADirectoryError:
        raise LoadError("is a directory with nothing to lint", name) from None
    except FileNotFoundError:
        raise LoadError("file not found", name) from None
    except PermissionError:  # Windows refuses to open a folder this way
        if p.is_dir():
            raise LoadError("is a directory with nothing to lint", name) from None
        raise LoadError("permission denied", name) from None
    except OSError as e:
        raise LoadError(f"cannot read: {e.strerror or e}", name) from None
    ext = p.suffix.lower()
    return _limited(max_mime_depth, data, name, ext if ext in _LOADERS else "", subject, sender)


def read_template(path: Path | str, max_bytes: int = DEFAULT_MAX_BYTES, *,
                  html: bool = False) -> tuple[str, str | None]:
    """A template file's text and the charset warning, if any, as the loaders read it
    (read-only; too large, binary or unreadable input raises :class:`LoadError`)."""
    name = str(path)
    try:
        data = _read_limited(Path(path), name, max_bytes)
    except IsADirectoryError:
        raise LoadError("is a directory", name) from None
    except FileNotFoundError:
        raise LoadError("file not found", name) from None
    except PermissionError:
        raise LoadError("permission denied", name) from None
    except OSError as e:
        raise LoadError(f"cannot read: {e.strerror or e}", name) from None
    if _looks_binary(data):
        raise LoadError("binary content, not a message or a text file", name)
    return _decode_text(data, html=html)


def _excluded(rel: PurePosixPath, patterns: Iterable[str]) -> bool:
    """fnmatch against the path relative to the walked root and against each component."""
    text = rel.as_posix()
    for pat in patterns:
        pat = pat.strip()
        if not pat:
            continue
        bare = pat.rstrip("/")
        while bare.startswith("**/"):
            bare = bare[3:]
        if bare.startswith("./"):
            bare = bare[2:]
        if fnmatch.fnmatch(text, pat) or fnmatch.fnmatch(text, bare):
            return True
        if bare.endswith("/**") and (text == bare[:-3] or fnmatch.fnmatch(text, bare[:-3])):
            return True
        if any(fnmatch.fnmatch(part, bare) for part in rel.parts):
            return True
    return False


def iter_files(
    paths: Iterable[Path | str],
    exclude_globs: Iterable[str] = (),
    *,
    force_exclude: bool = False,
    formats: Mapping[str, str] | None = None,
    unreadable: list[tuple[str, str]] | None = None,
) -> Iterator[Path]:
    """Files to lint, in a deterministic order.

    A file named explicitly is yielded as it is (whatever its extension; excludes apply
    only with ``force_exclude``); a folder is walked for the files
    :func:`~apologylint.engines.file_kind` knows (``formats`` adds endings), leaving out a
    repository's own documents (README, LICENSE ...),
    sorted, skipping hidden folders and files (``.git``, ``.venv``), ``node_modules`` and
    excluded paths. A missing path, or a folder with nothing to lint, is yielded itself so
    that :func:`load_path` reports it. ``-`` is passed through for standard input.
    A folder that cannot be listed is added to ``unreadable`` as ``(path, reason)`` (a
    walk never skips one silently); a folder named directly that cannot be listed is not
    yielded as having nothing to lint.
    """
    patterns = [p for p in exclude_globs if p.strip()]
    seen: set[str] = set()
    for raw in paths:
        root = Path(raw)
        if str(raw) == "-":
            yield root
            continue
        if not root.is_dir():
            if force_exclude and patterns and _excluded(PurePosixPath(root.as_posix()), patterns):
                continue
            key = os.path.normpath(os.path.abspath(root))
            if key not in seen:
                seen.add(key)
                yield root
            continue
        found: list[tuple[tuple[str, ...], Path]] = []
        failed: list[tuple[str, str]] = []

        def note(
            exc: OSError, failed: list[tuple[str, str]] = failed, root: Path = root
        ) -> None:
            failed.append((str(exc.filename or root), exc.strerror or str(exc)))

        for dirpath, dirnames, filenames in os.walk(root, onerror=note):
            rel_dir = PurePosixPath(Path(dirpath).relative_to(root).as_posix())
            keep = []
            for d in dirnames:
                rel = rel_dir / d
                if d.startswith(".") or d in _SKIP_DIRS or _excluded(rel, patterns):
                    continue
                keep.append(d)
            dirnames[:] = sorted(keep)
            for f in filenames:
                if f.startswith(".") or file_kind(f, formats) is None or is_documentation(f):
                    continue
                rel = rel_dir / f
                if patterns and _excluded(rel, patterns):
                    continue
                found.append((rel.parts, Path(dirpath) / f))
        if unreadable is not None:
            unreadable.extend((path, f"cannot read this folder: {why.lower()}")
                              for path, why in failed)
        if not found:
            if not any(os.path.normpath(path) == os.path.normpath(root) for path, _ in failed):
                yield root  # "nothing to lint" (unless it could not even be listed)
            continue
        found.sort(key=lambda item: item[0])
        for _parts, file_path in found:
            key = os.path.normpath(os.path.abspath(file_path))
            if key not in seen:
                seen.add(key)
                yield file_path
