"""The on-disk cache of compiled packs: exact, keyed by the pack files, never in the way."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from apologylint import packcache
from apologylint.matching import fold, tokenize
from apologylint.packs import Pack, load_packs

TEXTS = {
    "en": "We're sorry: we charged you twice. Mistakes were made, and we regret any "
    "inconvenience. Please reset your password and contact our support team.",
    "pl": "Przepraszamy za ewentualne niedogodności. Pobraliśmy opłatę dwukrotnie; "
    "zwrot jest w drodze. Zmień hasło i skontaktuj się z nami.",
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(packcache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(packcache.NO_CACHE_ENV, raising=False)
    load_packs.cache_clear()
    yield folder
    load_packs.cache_clear()


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("packs-*.marshal")) if folder.is_dir() else []


def _found(pack: Pack, text: str) -> list[tuple[str, str, int, int]]:
    return [(m.vocabulary, m.entry.phrase, m.start, m.end)
            for m in pack.matcher.find(tokenize(fold(text)))]


def _fresh(extra: tuple[str, ...] = ()) -> dict[str, Pack]:
    load_packs.cache_clear()
    return dict(load_packs(extra))


def test_a_cached_pack_is_the_compiled_pack(cache: Path) -> None:
    compiled = _fresh()
    assert len(_entries(cache)) == 1
    for pack in compiled.values():
        assert not pack._stored_tries  # compiled, not read
    cached = _fresh()
    assert set(cached) == set(compiled)
    for lang, pack in cached.items():
        assert set(pack._stored_tries) == {"text", "subject"}  # read, not compiled
        fresh = compiled[lang]
        assert pack.vocabularies == fresh.vocabularies
        assert pack.detect_words == fresh.detect_words
        assert pack.name == fresh.name and pack.sources == fresh.sources
        assert pack.matcher.to_data() == fresh.matcher.to_data()
        assert pack.subject_matcher.to_data() == fresh.subject_matcher.to_data()
        assert pack.matcher.max_len == fresh.matcher.max_len
    for lang, text in TEXTS.items():
        assert _found(cached[lang], text) == _found(compiled[lang], text)
        assert _found(cached[lang], text)  # the texts do match something


def test_a_changed_pack_file_misses_and_is_compiled(
    cache: Path, tmp_path: Path
) -> None:
    user = tmp_path / "my-words" / "en"
    user.mkdir(parents=True)
    rule_file = user / "vague-wording.toml"
    rule_file.write_text('[vague]\nextends = "existence"\ntokens = ["a teensy hiccup"]\n')
    first = _fresh((str(tmp_path / "my-words"),))
    assert _found(first["en"], "There was a teensy hiccup.")
    rule_file.write_text('[vague]\nextends = "existence"\ntokens = ["a small blip"]\n')
    second = _fresh((str(tmp_path / "my-words"),))
    assert len(_entries(cache)) == 2
    assert not [f for f in _found(second["en"], "There was a teensy hiccup.")
                if f[1] == "a teensy hiccup"]
    assert [f for f in _found(second["en"], "There was a small blip.") if f[1] == "a small blip"]


def test_a_damaged_entry_is_ignored_and_rewritten(
    cache: Path
) -> None:
    compiled = _fresh()
    (entry,) = _entries(cache)
    entry.write_bytes(b"\x00not marshal at all")
    again = _fresh()
    assert not again["en"]._stored_tries  # compiled again
    assert _found(again["en"], TEXTS["en"]) == _found(compiled["en"], TEXTS["en"])
    assert isinstance(marshal.loads(entry.read_bytes()), dict)  # rewritten whole


def test_a_damaged_stored_trie_falls_back_to_compiling(
    cache: Path
) -> None:
    compiled = _fresh()
    (entry,) = _entries(cache)
    # a consistent entry (its digest recomputed) whose tries cannot be read
    _rewrite(entry, lambda packs: {
        lang: (*stored[:-1], {"text": b"\x01damaged", "subject": b"\x01"})
        for lang, stored in packs.items()
    })
    again = _fresh()
    assert again["pl"]._stored_tries
    assert _found(again["pl"], TEXTS["pl"]) == _found(compiled["pl"], TEXTS["pl"])


def _rewrite(entry: Path, change: Callable[[dict[str, Any]], dict[str, Any]], *,
             check: bool = True) -> None:
    """Change an entry's packs; ``check``: store a digest that matches the change."""
    data = marshal.loads(entry.read_bytes())
    data["payload"] = marshal.dumps(change(marshal.loads(data["payload"])))
    if check:
        data["check"] = packcache._check(data["payload"])
    entry.write_bytes(marshal.dumps(data))


@pytest.mark.parametrize("check", [False, True])
def test_a_partial_entry_is_not_trusted(cache: Path, check: bool) -> None:
    # one pack left out of the data: with a stale digest, or a digest that fits
    compiled = _fresh()
    (entry,) = _entries(cache)
    _rewrite(entry, lambda packs: {"pl": packs["pl"]}, check=check)
    again = _fresh()
    assert set(again) == set(compiled)
    assert not again["en"]._stored_tries  # compiled again, not read
    assert _found(again["en"], TEXTS["en"]) == _found(compiled["en"], TEXTS["en"])


def test_an_entry_under_another_key_is_not_trusted(cache: Path) -> None:
    _fresh()
    (entry,) = _entries(cache)
    data = marshal.loads(entry.read_bytes())
    data["key"] = "0" * 40
    entry.write_bytes(marshal.dumps(data))
    assert not _fresh()["en"]._stored_tries


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_an_entry_replaced_by_a_pipe_is_a_miss_not_a_hang(cache: Path) -> None:
    _fresh()
    (entry,) = _entries(cache)
    entry.unlink()
    os.mkfifo(entry)
    again = _fresh()  # nothing ever writes to the pipe: a blocking read would hang
    assert not again["en"]._stored_tries
    assert _found(again["en"], TEXTS["en"])


def test_an_entry_of_another_format_is_not_read(
    cache: Path
) -> None:
    _fresh()
    (entry,) = _entries(cache)
    data = marshal.loads(entry.read_bytes())
    data["format"] = packcache.CACHE_FORMAT + 1
    entry.write_bytes(marshal.dumps(data))
    again = _fresh()
    assert not again["en"]._stored_tries


def test_no_cache_writes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(packcache.NO_CACHE_ENV, "1")
    packs = _fresh()
    assert _found(packs["en"], TEXTS["en"])
    assert not cache.exists()


def test_an_unwritable_cache_folder_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(packcache.CACHE_DIR_ENV, str(blocker / "cache"))
    packs = _fresh()
    assert _found(packs["pl"], TEXTS["pl"])
    load_packs.cache_clear()


def test_old_entries_are_pruned(cache: Path) -> None:
    packcache.write("0" * 40, ("patterns", 1), kind="pyphen")
    os.utime(cache / ("pyphen-" + "0" * 40 + ".marshal"), ns=(0, 0))  # the oldest of all
    for n in range(packcache.KEEP_ENTRIES + 3):
        packcache.write(f"{n:040x}", {})
        os.utime(cache / f"packs-{n:040x}.marshal", ns=(n * 10**9, n * 10**9))
    kept = {p.name for p in _entries(cache)}
    assert len(kept) == packcache.KEEP_ENTRIES
    assert f"packs-{packcache.KEEP_ENTRIES + 2:040x}.marshal" in kept  # the newest stay
    assert "packs-" + "0" * 40 + ".marshal" not in kept
    assert not list(cache.glob(".packs-*.tmp"))  # no temporary file left behind
    # each kind keeps its own newest entries
    assert packcache.read("0" * 40, kind="pyphen") == ("patterns", 1)


def test_cli_no_cache_flag(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Subject: Sorry\nFrom: team@acme-mail.com\n\nWe are sorry.\n")
    env = dict(os.environ)
    env.pop(packcache.NO_CACHE_ENV, None)
    env[packcache.CACHE_DIR_ENV] = str(tmp_path / "c1")
    cmd = [sys.executable, "-m", "apologylint", "--exit-zero", str(draft)]
    subprocess.run([*cmd, "--no-cache"], env=env, check=True, capture_output=True)
    assert not (tmp_path / "c1").exists()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    assert len(_entries(tmp_path / "c1")) == 1


def test_scopes_decide_where_a_vocabulary_is_matched(tmp_path: Path) -> None:
    """``scope = "words"``: in the pack's words, absent from the tries, an error to match;
    ``scope = "subject"``: matched in subject views only."""
    from apologylint.context import TextView
    from apologylint.packs import PackError, _load_folder

    folder = tmp_path / "packs" / "en"
    folder.mkdir(parents=True)
    (folder / "demo.toml").write_text(
        '[fillers]\nextends = "list"\nscope = "words"\ntokens = ["your", "current"]\n'
        '[verbs]\nextends = "list"\ntokens = ["reply with"]\n'
        '[heads]\nextends = "list"\nscope = "subject"\ntokens = ["update"]\n')
    packs: dict[str, Pack] = {}
    _load_folder(tmp_path / "packs", packs)
    pack = packs["en"]
    assert pack.folded_words("demo.fillers") == {"your", "current"}
    assert pack.matcher.vocabularies == {"demo.verbs"}
    view = TextView("Please reply with your current password.", pack)
    assert [m.vocabulary for m in view.matches("demo.verbs")] == ["demo.verbs"]
    assert view.matches("demo.unknown") == []
    with pytest.raises(ValueError, match="word list"):
        view.matches("demo.fillers")
    # a subject vocabulary: matched in a subject line, an error to ask of a body
    assert pack.subject_matcher.vocabularies == {"demo.heads"}
    subject = TextView("Account update", pack, subject=True)
    assert [m.entry.phrase for m in subject.matches("demo.heads")] == ["update"]
    assert TextView("Account details", pack, subject=True).matches("demo.heads") == []
    with pytest.raises(ValueError, match="subject lines only"):
        TextView("An update on your account.", pack).matches("demo.heads")
    (folder / "demo.toml").write_text('[fillers]\nscope = "sometimes"\ntokens = ["a"]\n')
    with pytest.raises(PackError, match="scope"):
        _load_folder(tmp_path / "packs", {})


def test_builtin_word_lists_are_never_asked_for_matches() -> None:
    """Every built-in ``scope = "words"`` vocabulary: its name is read in the code only
    through ``words``/``folded_words`` (a rule case would also fail on the ValueError)."""
    import re

    import apologylint

    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in Path(apologylint.__file__).parent.rglob("*.py"))
    lists = {name for pack in load_packs().values() for name, vocab in
             pack.vocabularies.items() if vocab.scope == "words"}
    assert "credential-request.fillers" in lists
    for name in lists:
        table = name.split(".", 1)[1]
        for call in re.findall(r"\.(?:matches|has)\([^)]*\)", source):
            assert f".{table}\"" not in call and f'"{name}"' not in call, (name, call)


def test_a_stored_trie_decodes_only_the_words_a_text_starts_with() -> None:
    from apologylint.matching import Entry, PhraseMatcher

    built = PhraseMatcher()
    phrases = ["we are sorry", "sorry for", "przeprasz*", "our mistake", "_ days ago",
               "(data|records) were (lost|exposed)", "mistak*"]
    for phrase in phrases:
        built.add(phrase, Entry("v", phrase))
    stored = PhraseMatcher.from_data(marshal.loads(marshal.dumps(built.to_data())))
    root = stored._root
    assert isinstance(root["we"], bytes) and isinstance(root["*"][6]["mistak"], bytes)
    text = "We are sorry: 3 days ago our mistakes meant data were lost. Przepraszamy."
    tokens = tokenize(fold(text))
    assert stored.find(tokens) == built.find(tokens)
    assert isinstance(root["we"], dict) and isinstance(root["*"][6]["mistak"], dict)
    assert isinstance(root["records"], bytes)  # no text word starts with it: still stored
    # changing a stored trie decodes it whole first
    stored.add("records were kept", Entry("v", "kept"))
    later = tokenize(fold("Records were kept. Records were lost."))
    assert [m.entry.phrase for m in stored.find(later)] == [
        "kept", "(data|records) were (lost|exposed)"]
    assert stored.to_data()[0].keys() == built.to_data()[0].keys() | {"records"}


@pytest.mark.parametrize("damage", ["none", "partial", "another key"])
def test_a_cache_never_changes_a_result(tmp_path: Path, damage: str) -> None:
    """The command line's output over English and Polish drafts is the same with no
    cache, with a warm one, and with an entry damaged so that it still looks whole (one
    pack left out under a digest that fits it, or another run's key)."""
    env = dict(os.environ)
    env.pop(packcache.NO_CACHE_ENV, None)
    env[packcache.CACHE_DIR_ENV] = str(tmp_path / "cache")
    drafts = Path(__file__).parent / "fixtures" / "judgment"
    cmd = [sys.executable, "-m", "apologylint", "--exit-zero", "--format", "json", str(drafts)]

    def run(*extra: str) -> str:
        done = subprocess.run([*cmd, *extra], env=env, check=True, capture_output=True,
                              text=True)
        return done.stdout

    uncached = run("--no-cache")
    assert "/en-" in uncached and "/pl-" in uncached  # findings in both languages
    assert run() == uncached  # the entry is written on this run
    (entry,) = _entries(tmp_path / "cache")
    if damage == "partial":
        _rewrite(entry, lambda packs: {"pl": packs["pl"]}, check=True)
    elif damage == "another key":
        data = marshal.loads(entry.read_bytes())
        data["key"] = "0" * 40
        entry.write_bytes(marshal.dumps(data))
    assert run() == uncached
