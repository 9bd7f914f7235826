"""Language packs: the words and phrases of every rule, as data in ``rules/<lang>/``.

Modelled on Vale's styles: a pack is a folder named for its language; each TOML file holds
the vocabularies of one rule (``rule = "<slug>"``, default: the file name), one table per
vocabulary with a Vale-like type:

* ``existence``: any of ``tokens`` is a finding;
* ``substitution``: each key of ``swap`` is a finding whose suggestion is the value;
* ``occurrence``: more than ``max`` of ``tokens`` is a finding;
* ``list``: words a rule's logic reads (e.g. apology verbs), no finding by itself.

``exceptions`` are phrases that cancel an overlapping match of the same vocabulary;
``scope = "words"`` marks a word list that is read as a set and never matched. A
user extends a pack with files, not code: config ``packs = ["my-words"]`` names folders
laid out the same way, whose tokens and swaps are added to the built-in ones. A new
language is a new folder with a ``pack.toml``.
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .files import TomlFileError, toml_file
from .gcpause import gc_paused
from .matching import Entry, PhraseError, PhraseMatcher, fold, word_set

VOCABULARY_TYPES = ("existence", "substitution", "occurrence", "list")
#: ``text``: matched in the subject and the body (the default); ``subject``: matched in
#: subject lines only; ``words``: a word list the rule's logic reads with
#: :meth:`Pack.words` / :meth:`Pack.folded_words`, never matched. (Stop words matched in
#: every body for nothing cost a third of the matching time.)
VOCABULARY_SCOPES = ("text", "subject", "words")
#: The scopes that have a trie of their own.
_MATCHED_SCOPES = ("text", "subject")
_VOCAB_KEYS = {"extends", "tokens", "swap", "message", "max", "exceptions", "description",
               "scope"}
_FILE_KEYS = {"rule", "description"}
_PACK_KEYS = {"language", "name", "detect", "description"}


T = TypeVar("T")


def cached_in(store: dict[str, Any], key: str, compute: Callable[[], T]) -> T:
    """``store[key]``, computed by ``compute()`` on first use: the memo of the packs and of
    the per-draft analyses (:class:`~apologylint.context.Context`)."""
    try:
        value: T = store[key]
    except KeyError:
        value = store[key] = compute()
    return value


class PackError(ValueError):
    """A pack file that cannot be used; the message names the file and the problem."""


@dataclass
class Vocabulary:
    """One named list of phrases of one rule in one language."""

    name: str  # qualified: "<rule>.<table>"
    extends: str = "list"
    tokens: list[str] = field(default_factory=list)
    swap: dict[str, str] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    message: str | None = None
    max: int | None = None
    scope: str = "text"

    def phrases(self) -> Iterator[tuple[str, str | None]]:
        for token in self.tokens:
            yield token, None
        yield from self.swap.items()


@dataclass
class Pack:
    """Everything language-specific for one language, compiled for one-pass matching."""

    language: str
    name: str
    detect_words: frozenset[str] = frozenset()
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    #: compiled tries by scope ("text", "subject"), built or read on first use
    _tries: dict[str, PhraseMatcher] = field(default_factory=dict, repr=False)
    #: the tries as read from the cache, decoded on first use (a run over English drafts
    #: never pays for the Polish trie)
    _stored_tries: dict[str, bytes] = field(default_factory=dict, repr=False)
    _folded: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def matcher(self) -> PhraseMatcher:
        """Every vocabulary matched in any text (``scope = "text"``)."""
        return self.trie("text")

    @property
    def subject_matcher(self) -> PhraseMatcher:
        """The vocabularies matched in subject lines only (``scope = "subject"``)."""
        return self.trie("subject")

    def trie(self, scope: str) -> PhraseMatcher:
        """The compiled phrases of one scope: read from the cache, else compiled."""
        found = self._tries.get(scope)
        if found is None:
            stored = self._stored_tries.pop(scope, None)
            if stored is not None:
                with gc_paused(), contextlib.suppress(ValueError, EOFError, TypeError):
                    # ~76,000 new dicts: no collection walks them as they are made
                    found = PhraseMatcher.from_data(marshal.loads(stored))
            if found is None:  # not stored, or stored damaged: compile
                found = self._compile(scope)
            self._tries[scope] = found
        return found

    def _compile(self, scope: str) -> PhraseMatcher:
        matcher = PhraseMatcher()
        for vocab in self.vocabularies.values():
            if vocab.scope != scope:
                continue
            for phrase, suggestion in vocab.phrases():
                try:
                    matcher.add(phrase, Entry(vocab.name, phrase, suggestion))
                except PhraseError as exc:
                    raise PackError(f"pack {self.language!r}, {vocab.name}: {exc}") from None
            for phrase in vocab.exceptions:
                try:
                    matcher.add(phrase, Entry(vocab.name + "!", phrase))
                except PhraseError as exc:
                    raise PackError(f"pack {self.language!r}, {vocab.name}: {exc}") from None
        return matcher

    def vocabulary(self, name: str) -> Vocabulary | None:
        return self.vocabularies.get(name)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """Data a rule derives from this pack, computed once and kept on it.

        Packs are read-only once loaded (and loaded once per process and folder list), so
        what is derived from one is valid for every draft read with it; keeping it on the
        pack, not in a module global, means another configuration's packs never see it.
        """
        return cached_in(self._derived, key, compute)

    def scope_of(self, name: str) -> str | None:
        """Where a vocabulary is matched (``text``, ``subject``; ``words``: nowhere)."""
        vocab = self.vocabularies.get(name)
        return None if vocab is None else vocab.scope

    def words(self, name: str) -> list[str]:
        """The plain tokens of a vocabulary (empty if the pack does not have it)."""
        vocab = self.vocabularies.get(name)
        return list(vocab.tokens) if vocab else []

    def folded_words(self, name: str) -> frozenset[str]:
        """The folded words of a vocabulary (computed once: packs are read-only after
        loading, and rules ask for the same list for every draft)."""
        found = self._folded.get(name)
        if found is None:
            found = self._folded[name] = word_set(self.words(name))
        return found


def builtin_pack_dir() -> Path:
    """The shipped packs: ``apologylint/packs`` in a wheel, ``rules/`` in a checkout."""
    installed = resources.files("apologylint") / "packs"
    if installed.is_dir():
        return Path(str(installed))
    checkout = Path(__file__).resolve().parents[2] / "rules"
    return checkout


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return toml_file(path)
    except TomlFileError as exc:
        raise PackError(f"{path}: cannot read pack file: {exc}") from None


def _string_list(path: Path, key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(f"{path}: {key} must be a list of strings")
    return list(value)


def _merge_file(pack: Pack, path: Path) -> None:
    data = _read_toml(path)
    rule = data.get("rule", path.stem)
    if not isinstance(rule, str):
        raise PackError(f"{path}: rule must be a string")
    for key, table in data.items():
        if key in _FILE_KEYS:
            continue
        if not isinstance(table, dict):
            raise PackError(f"{path}: unknown key {key!r} (vocabularies are tables)")
        unknown = set(table) - _VOCAB_KEYS
        if unknown:
            raise PackError(f"{path}: [{key}] has unknown key(s) {sorted(unknown)}")
        qname = f"{rule}.{key}"
        vocab = pack.vocabularies.setdefault(qname, Vocabulary(qname))
        extends = table.get("extends", vocab.extends)
        if extends not in VOCABULARY_TYPES:
            raise PackError(
                f"{path}: [{key}] extends = {extends!r}; expected one of {VOCABULARY_TYPES}"
            )
        vocab.extends = str(extends)
        vocab.tokens.extend(_string_list(path, f"[{key}] tokens", table.get("tokens", [])))
        vocab.exceptions.extend(
            _string_list(path, f"[{key}] exceptions", table.get("exceptions", []))
        )
        swap = table.get("swap", {})
        if not isinstance(swap, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in swap.items()
        ):
            raise PackError(f"{path}: [{key}] swap must map phrases to suggestions")
        vocab.swap.update(swap)
        if "message" in table:
            vocab.message = str(table["message"])
        if "max" in table:
            if not isinstance(table["max"], int):
                raise PackError(f"{path}: [{key}] max must be an integer")
            vocab.max = table["max"]
        if "scope" in table:
            if table["scope"] not in VOCABULARY_SCOPES:
                raise PackError(f"{path}: [{key}] scope = {table['scope']!r}; expected one "
                                f"of {VOCABULARY_SCOPES}")
            vocab.scope = str(table["scope"])
    pack.sources.append(str(path))


def _lang_dirs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir())


def _pack_files(lang_dir: Path) -> list[Path]:
    """A language folder's files in the order they are merged: pack.toml, then the
    others by name."""
    meta = lang_dir / "pack.toml"
    rest = [p for p in sorted(lang_dir.glob("*.toml")) if p.name != "pack.toml"]
    return [meta, *rest] if meta.is_file() else rest


def _load_folder(folder: Path, packs: dict[str, Pack]) -> None:
    for lang_dir in _lang_dirs(folder):
        lang = lang_dir.name.lower()
        pack = packs.get(lang)
        meta_path = lang_dir / "pack.toml"
        if pack is None:
            pack = packs[lang] = Pack(language=lang, name=lang)
        if meta_path.is_file():
            meta = _read_toml(meta_path)
            unknown = set(meta) - _PACK_KEYS
            if unknown:
                raise PackError(f"{meta_path}: unknown key(s) {sorted(unknown)}")
            pack.name = str(meta.get("name", pack.name))
            detect = meta.get("detect", {})
            if isinstance(detect, dict):
                words = _string_list(meta_path, "detect.words", detect.get("words", []))
                pack.detect_words = pack.detect_words | word_set(words)
        for path in _pack_files(lang_dir):
            if path.name != "pack.toml":
                _merge_file(pack, path)


def _to_data(pack: Pack) -> tuple[Any, ...]:
    """A compiled pack as builtins, for :mod:`apologylint.packcache`."""
    vocabularies = tuple(
        (v.name, v.extends, tuple(v.tokens), dict(v.swap), tuple(v.exceptions), v.message,
         v.max, v.scope)
        for v in pack.vocabularies.values()
    )
    tries = {scope: marshal.dumps(pack.trie(scope).to_data()) for scope in _MATCHED_SCOPES}
    return (pack.language, pack.name, tuple(sorted(pack.detect_words)), vocabularies,
            tuple(pack.sources), tries)


def _from_data(data: tuple[Any, ...]) -> Pack:
    language, name, detect, vocabularies, sources, tries = data
    pack = Pack(language=language, name=name, detect_words=frozenset(detect),
                sources=list(sources))
    for qname, extends, tokens, swap, exceptions, message, most, scope in vocabularies:
        pack.vocabularies[qname] = Vocabulary(qname, extends, list(tokens), dict(swap),
                                              list(exceptions), message, most, scope)
    if set(tries) != set(_MATCHED_SCOPES) or not all(isinstance(t, bytes)
                                                     for t in tries.values()):
        raise TypeError("stored tries are bytes, one per matched scope")
    pack._stored_tries = dict(tries)
    return pack


def _fingerprint(folders: list[Path]) -> str | None:
    """The cache key of these pack folders as they are now (None: cannot be read, so
    the normal load reports what is wrong)."""
    from . import packcache

    try:
        files = [f for folder in folders for d in _lang_dirs(folder) for f in _pack_files(d)]
        return packcache.fingerprint(files)
    except OSError:
        return None


@lru_cache(maxsize=16)
def load_packs(extra_dirs: tuple[str, ...] = ()) -> Mapping[str, Pack]:
    """The built-in packs merged with the user's pack folders, compiled once per process
    and kept compiled on disk between runs (:mod:`apologylint.packcache`).

    Cached by the folder list: packs are read-only after loading, so two configurations
    never share mutable state.
    """
    folders = [builtin_pack_dir()]
    for extra in extra_dirs:
        folder = Path(extra)
        if not folder.is_dir():
            raise PackError(f"pack folder {extra!r} does not exist")
        folders.append(folder)
    with gc_paused():  # ~150,000 new containers: no collection walks them as they grow
        return _load(folders)


def _load(folders: list[Path]) -> dict[str, Pack]:
    from . import packcache

    key = _fingerprint(folders) if packcache.cache_dir() is not None else None
    stored = packcache.read(key) if key is not None else None
    languages = {d.name.lower() for folder in folders for d in _lang_dirs(folder)}
    if isinstance(stored, dict) and set(stored) == languages:  # every pack, or none
        try:
            return {lang: _from_data(data) for lang, data in stored.items()}
        except (TypeError, ValueError, KeyError):
            pass  # an entry of another shape: compile, and overwrite it
    packs: dict[str, Pack] = {}
    for folder in folders:
        _load_folder(folder, packs)
    for pack in packs.values():
        for scope in _MATCHED_SCOPES:  # compile now: a bad phrase is a load-time error
            pack.trie(scope)
    if key is not None:
        packcache.write(key, {lang: _to_data(pack) for lang, pack in packs.items()})
    return packs


def fold_words(text: str) -> list[str]:
    """Folded words of a short text (subjects, display names)."""
    from .matching import tokenize

    return [t.text for t in tokenize(fold(text))]
