"""Configuration: every key validated with a message naming file and key, discovery by
walking up, ``--config`` winning, per-glob overrides, command-line layering."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from apologylint.config import (
    Config,
    ConfigError,
    ConfigFinder,
    config_from_mapping,
    discover_config,
    load_config_file,
    path_matches,
    settings_from_mapping,
)
from apologylint.model import Severity
from apologylint.settings import DEFAULT_READABILITY, Brand, Settings
from conftest import NOREPLY_DRAFT, PERSON_DRAFT, CliRunner

Writer = Callable[..., Path]


def _error(mapping: dict[str, Any], origin: str = "cfg.toml") -> str:
    with pytest.raises(ConfigError) as info:
        settings_from_mapping(mapping, origin=origin)
    return str(info.value)


# -- keys and values ---------------------------------------------------------------------


def test_defaults() -> None:
    assert settings_from_mapping({}, origin="x") == Settings(origin="x")


def test_every_key(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "to.txt").write_text("a@example.com\n")
    (tmp_path / "words" / "en").mkdir(parents=True)
    mapping = {
        "select": ["AL1", "no-reply-sender"],
        "ignore": "AL105, AL106",
        "extend-select": ["AL101"],
        "severity": {"no-reply-sender": "warning", "AL102": "info"},
        "language": "PL",
        "incident": "breach",
        "jurisdiction": "us-ca, eu",
        "fail-on": "warning",
        "max-words": 200,
        "max-words-breach": 500,
        "max-subject-length": 50,
        "buried-apology-words": 40,
        "readability": {"en": 8, "pl": 11.5},
        "subject": "Sorry",
        "from": "help@acme.example",
        "brand": {"name": "Acme", "domain": "@Acme.Example", "logo": "*/logo.png",
                  "footer": "Acme Ltd", "colors": ["#1A73E8", "fff"]},
        "recipients": "lists/to.txt",
        "affected": "lists/to.txt",
        "suppressed": str(tmp_path / "lists" / "to.txt"),
        "max-listed-addresses": 3,
        "dpo": "iod@acme.example",
        "exclude": ["drafts/old/**"],
        "packs": ["words"],
        "max-input-bytes": 1000,
        "max-mime-depth": 10,
    }
    s = settings_from_mapping(mapping, origin="cfg", base_dir=tmp_path)
    assert s.select == ("AL1", "no-reply-sender")
    assert s.ignore == ("AL105", "AL106")
    assert s.extend_select == ("AL101",)
    assert s.severity["no-reply-sender"] is Severity.WARNING
    assert s.severity["no-reply-reply-to"] is Severity.INFO  # codes become slugs
    assert (s.language, s.incident, s.jurisdiction) == ("pl", "breach", ("us-ca", "eu"))
    assert s.fail_on is Severity.WARNING
    assert (s.max_words, s.max_words_breach, s.max_subject_length) == (200, 500, 50)
    assert s.buried_apology_words == 40
    assert dict(s.readability) == {"en": 8.0, "pl": 11.5}
    assert (s.subject, s.sender, s.dpo) == ("Sorry", "help@acme.example", "iod@acme.example")
    assert s.brand == Brand("Acme", "acme.example", "*/logo.png", ("Acme Ltd",),
                            ("#1a73e8", "#fff"))
    assert s.recipients == str(tmp_path / "lists" / "to.txt")
    assert s.affected == s.recipients == s.suppressed
    assert s.max_listed_addresses == 3
    assert s.exclude == ("drafts/old/**",)
    assert s.packs == (str(tmp_path / "words"),)
    assert (s.max_input_bytes, s.max_mime_depth) == (1000, 10)


def test_readability_keeps_the_other_languages_default() -> None:
    s = settings_from_mapping({"readability": {"en": 10}}, origin="x")
    assert dict(s.readability) == {**DEFAULT_READABILITY, "en": 10.0}


def test_severity_by_prefix_or_family_and_the_exact_rule_wins() -> None:
    s = settings_from_mapping({"severity": {"no-reply-sender": "error", "AL1": "info"}},
                              origin="x")
    assert s.severity["no-reply-sender"] is Severity.ERROR
    assert s.severity["no-reply-reply-to"] is Severity.INFO
    s = settings_from_mapping({"severity": {"sender": "warning"}}, origin="x")
    assert s.severity["no-reply-sender"] is Severity.WARNING


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"max-word": 3}, "cfg.toml: unknown key 'max-word' (did you mean 'max-words'?)"),
        ({"max_words": 3}, "cfg.toml: unknown key 'max_words' (did you mean 'max-words'?)"),
        ({"colour": 1}, "cfg.toml: unknown key 'colour'"),
        ({"max-words": "many"}, "cfg.toml: max-words: must be an integer, not a string"),
        ({"max-words": True}, "cfg.toml: max-words: must be an integer, not a boolean"),
        ({"max-words": 0}, "cfg.toml: max-words: must be at least 1, got 0"),
        ({"select": "no-reply"}, "cfg.toml: select: unknown rule selector 'no-reply' "
                                 "(did you mean 'no-reply-sender'?)"),
        ({"select": [1]}, "cfg.toml: select: must be a list of strings"),
        ({"ignore": ["AL9999"]}, "cfg.toml: ignore: unknown rule selector 'AL9999'"),
        ({"incident": "breech"}, "cfg.toml: incident: unknown incident kind 'breech' "
                                 "(did you mean 'breach'?)"),
        ({"jurisdiction": ["eu", "gdpr"]}, "cfg.toml: jurisdiction: unknown jurisdiction "
                                           "'gdpr'"),
        ({"severity": {"AL101": "fatal"}}, "cfg.toml: severity.AL101: must be error, warning "
                                           "or info, not 'fatal'"),
        ({"severity": {"no-reply": "info"}}, "cfg.toml: severity.no-reply: unknown rule "
                                             "selector"),
        ({"severity": "error"}, "cfg.toml: severity: must be a table"),
        ({"fail-on": "fatal"}, "cfg.toml: fail-on: must be error, warning or info"),
        ({"language": "english"}, "cfg.toml: language: must be 'auto' or a language code"),
        ({"readability": {"en": "easy"}}, "cfg.toml: readability.en: must be a number"),
        ({"brand": {"colour": "#fff"}}, "cfg.toml: unknown key 'brand.colour' "
                                        "(did you mean 'colors'?)"),
        ({"brand": {"colors": ["blue"]}}, "cfg.toml: brand.colors: 'blue' is not a hex colour"),
        ({"brand": {"domain": "acme"}}, "cfg.toml: brand.domain: must be a domain"),
        ({"recipients": "nope.txt"}, "cfg.toml: recipients: cannot read 'nope.txt'"),
        ({"packs": ["nope"]}, "cfg.toml: packs: folder 'nope' does not exist"),
        ({"overrides": {"files": "*"}}, "cfg.toml: overrides: must be an array of tables"),
        ({"overrides": [{"subject": "x"}]}, "cfg.toml: overrides[1] needs 'files'"),
        ({"overrides": [{"files": "*.html", "subjct": "x"}]},
         "cfg.toml: overrides[1] unknown key 'subjct' (did you mean 'subject'?)"),
        ({"overrides": [{"files": "*.html", "exclude": ["x"]}]},
         "cfg.toml: overrides[1] 'exclude' cannot be set in an override"),
        ({"overrides": [{"files": "*.html"}, {"files": "*", "max-words": -1}]},
         "cfg.toml: overrides[2] max-words: must be at least 1"),
    ],
)
def test_validation_messages_name_the_key(mapping: dict[str, Any], message: str) -> None:
    assert _error(mapping).startswith(message)


def test_error_carries_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_mapping({"severity": {"AL101": "loud"}}, origin="x")
    assert info.value.key == "severity.AL101"


# -- files -------------------------------------------------------------------------------


def test_pyproject_message_names_file_and_table(write: Writer, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write("pyproject.toml", "[tool.apologylint]\nmax-word = 3\n")
    with pytest.raises(ConfigError) as info:
        load_config_file("pyproject.toml")
    assert str(info.value) == (
        "pyproject.toml: [tool.apologylint] unknown key 'max-word' (did you mean 'max-words'?)"
    )


def test_pyproject_without_table_and_bad_toml(write: Writer) -> None:
    with pytest.raises(ConfigError, match=r"no \[tool.apologylint\] table"):
        load_config_file(write("pyproject.toml", "[project]\nname = 'x'\n"))
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config_file(write("broken.toml", "select = [\n"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config_file(write("x.txt", "").parent / "missing.toml")


def test_tool_table_outside_pyproject_gets_a_hint(write: Writer) -> None:
    path = write("custom.toml", "[tool.apologylint]\nmax-words = 3\n")
    with pytest.raises(ConfigError, match=r"outside pyproject\.toml the keys go at the top"):
        load_config_file(path)


def test_any_toml_file_top_level(write: Writer, tmp_path: Path) -> None:
    path = write("conf/lint.toml", "max-words = 99\nrecipients = 'to.txt'\n")
    write("conf/to.txt", "a@example.com\n")
    config = load_config_file(path)
    assert config.settings.max_words == 99
    assert config.settings.recipients == str(tmp_path / "conf" / "to.txt")  # relative to file
    assert config.base_dir == tmp_path / "conf"


# -- discovery ---------------------------------------------------------------------------


def test_walk_up_and_nearest_wins(write: Writer, tmp_path: Path) -> None:
    write(".apologylint.toml", "max-words = 100\n")
    write("a/pyproject.toml", "[project]\nname = 'no table here'\n")
    write("a/b/pyproject.toml", "[tool.apologylint]\nmax-words = 300\n")
    draft_top = write("a/x.txt", "")
    draft_deep = write("a/b/c/d/y.txt", "")
    top = discover_config(draft_top)
    deep = discover_config(draft_deep)
    assert top is not None and top.settings.max_words == 100  # pyproject without table skipped
    assert deep is not None and deep.settings.max_words == 300
    assert deep.path == tmp_path / "a" / "b" / "pyproject.toml"


def test_dot_file_first_in_the_same_folder(write: Writer) -> None:
    write("pyproject.toml", "[tool.apologylint]\nmax-words = 300\n")
    write(".apologylint.toml", "max-words = 100\n")
    found = discover_config(write("x.txt", ""))
    assert found is not None and found.settings.max_words == 100


def test_no_config_anywhere(tmp_path: Path) -> None:
    finder = ConfigFinder()
    assert finder.find(tmp_path / "x.txt") is None
    assert discover_config(tmp_path) is None


def test_finder_caches_per_folder(write: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    write(".apologylint.toml", "max-words = 100\n")
    files = [write(f"a/b/{i}.txt", "") for i in range(5)] + [write("a/z.txt", "")]
    calls: list[Path] = []
    original = ConfigFinder._config_in

    def counting(folder: Path) -> Config | None:
        calls.append(folder)
        return original(folder)

    monkeypatch.setattr(ConfigFinder, "_config_in", staticmethod(counting))
    finder = ConfigFinder()
    for f in files:
        found = finder.find(f)
        assert found is not None and found.settings.max_words == 100
    assert len(calls) == len(set(calls)) == 3  # a/b, a, root: each folder read once


def test_config_changes_between_runs_are_seen(write: Writer) -> None:
    import apologylint

    draft = write("d.txt", NOREPLY_DRAFT)
    write(".apologylint.toml", "select = ['AL101']\n")
    assert [d.code for d in apologylint.lint(draft).diagnostics] == ["AL101"]
    write(".apologylint.toml", "select = ['AL1']\nignore = ['no-reply-sender']\n")
    assert "AL101" not in [d.code for d in apologylint.lint(draft).diagnostics]


# -- overrides ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.html", "t.html", True),
        ("*.html", "a/b/t.html", True),
        ("*.html", "t.htm", False),
        ("templates", "templates/x/t.html", True),
        ("templates/", "a/templates/t.html", True),
        ("templates/", "templates", False),
        ("emails/*.html", "emails/t.html", True),
        ("emails/*.html", "emails/x/t.html", False),
        ("emails/**/*.html", "emails/t.html", True),
        ("emails/**/*.html", "emails/x/y/t.html", True),
        ("emails/**", "emails/x/y/t.html", True),
        ("./emails/*.eml", "emails/a.eml", True),
        ("**/drafts/*", "x/drafts/a.txt", True),
        ("drafts/*", "x/drafts/a.txt", False),
        ("t?.txt", "t1.txt", True),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "b.txt", False),
        ("", "a.txt", False),
    ],
)
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(pattern, path) is expected


def test_overrides_apply_in_order(tmp_path: Path) -> None:
    config = config_from_mapping(
        {
            "subject": "Top",
            "ignore": ["AL105"],
            "severity": {"AL101": "warning"},
            "overrides": [
                {"files": ["templates/**"], "subject": "Templates", "from": "a@acme.example",
                 "ignore": ["AL106"], "severity": {"AL102": "info"}},
                {"files": "templates/pl/*.html", "subject": "Szablon", "language": "pl"},
            ],
        },
        origin="cfg",
        base_dir=tmp_path,
    )
    plain = config.settings_for(tmp_path / "mail.eml")
    assert (plain.subject, plain.sender, plain.ignore) == ("Top", None, ("AL105",))
    en = config.settings_for(tmp_path / "templates" / "en" / "t.html")
    assert (en.subject, en.sender, en.language) == ("Templates", "a@acme.example", "auto")
    assert en.ignore == ("AL105", "AL106")  # ignore adds
    assert dict(en.severity) == {"no-reply-sender": Severity.WARNING,
                                 "no-reply-reply-to": Severity.INFO}  # severity merges
    pl = config.settings_for(tmp_path / "templates" / "pl" / "t.html")
    assert (pl.subject, pl.sender, pl.language) == ("Szablon", "a@acme.example", "pl")
    assert config.settings_for(None) == config.settings


def test_override_brand_merges(tmp_path: Path) -> None:
    config = config_from_mapping(
        {"brand": {"name": "Acme", "domain": "acme.example"},
         "overrides": [{"files": "pl/**", "brand": {"footer": ["Acme sp. z o.o."]}}]},
        origin="cfg", base_dir=tmp_path,
    )
    brand = config.settings_for(tmp_path / "pl" / "x.html").brand
    assert brand == Brand("Acme", "acme.example", None, ("Acme sp. z o.o.",), ())


# -- through the command line ------------------------------------------------------------


def _codes(out: str) -> list[str]:
    return [item["code"] for item in json.loads(out)]


def test_cli_discovers_config_per_file(run_cli: CliRunner, write: Writer,
                                       tmp_path: Path) -> None:
    write("one/.apologylint.toml", "select = ['AL101']\n")
    write("two/pyproject.toml", "[tool.apologylint]\nselect = ['AL101']\n"
                                "severity = { AL101 = 'info' }\n")
    a = write("one/a.txt", NOREPLY_DRAFT)
    b = write("two/deep/b.txt", NOREPLY_DRAFT)
    result = run_cli("--format", "json", str(a), str(b), cwd=tmp_path)
    assert [(i["path"], i["code"], i["severity"]) for i in json.loads(result.out)] == [
        (str(a), "AL101", "error"), (str(b), "AL101", "info")]
    assert result.code == 1


def test_cli_config_option_wins(run_cli: CliRunner, write: Writer, tmp_path: Path) -> None:
    write(".apologylint.toml", "select = ['AL1']\nignore = ['AL101']\n")
    other = write("elsewhere/strict.toml", "select = ['AL101']\n")
    draft = write("a.txt", NOREPLY_DRAFT)
    assert "AL101" not in _codes(run_cli("--format", "json", str(draft)).out)
    assert _codes(run_cli("--format", "json", "--config", str(other), str(draft)).out) == \
        ["AL101"]
    assert run_cli("--isolated", "--select", "AL101", str(draft)).code == 1


def test_cli_options_override_config(run_cli: CliRunner, write: Writer) -> None:
    write(".apologylint.toml", "select = ['AL104']\n")
    draft = write("a.txt", NOREPLY_DRAFT)
    assert _codes(run_cli("--format", "json", str(draft)).out) == []
    assert _codes(run_cli("--format", "json", "--select", "AL101", str(draft)).out) == \
        ["AL101"]
    write(".apologylint.toml", "select = ['AL1']\n")
    assert "AL101" not in _codes(
        run_cli("--format", "json", "--ignore", "no-reply-sender", str(draft)).out)
    # --select starts the selection afresh: the config's ignore no longer applies
    write(".apologylint.toml", "select = ['AL1']\nignore = ['AL101']\n")
    assert _codes(run_cli("--format", "json", "--select", "AL101", str(draft)).out) == \
        ["AL101"]


def test_cli_per_glob_overrides(run_cli: CliRunner, write: Writer, tmp_path: Path) -> None:
    write("pyproject.toml", """
[tool.apologylint]
select = ["AL101"]

[[tool.apologylint.overrides]]
files = ["legacy/**"]
severity = { no-reply-sender = "info" }

[[tool.apologylint.overrides]]
files = ["templates/*.html"]
from = "noreply@acme.example"
""")
    write("legacy/old.txt", NOREPLY_DRAFT)
    write("new.txt", NOREPLY_DRAFT)
    write("templates/t.html", "<html><body><p>Sorry we sent the wrong link.</p></body></html>")
    write("templates/ok.txt", PERSON_DRAFT)
    result = run_cli("--format", "json", ".", cwd=tmp_path)
    assert [(i["path"], i["severity"]) for i in json.loads(result.out)] == [
        ("legacy/old.txt", "info"), ("new.txt", "error"), ("templates/t.html", "error"),
    ]


def test_cli_exclude(run_cli: CliRunner, write: Writer, tmp_path: Path) -> None:
    write(".apologylint.toml", "select = ['AL101']\nexclude = ['archive', '*.md']\n")
    write("archive/a.txt", NOREPLY_DRAFT)
    write("notes.md", NOREPLY_DRAFT)
    write("b.txt", NOREPLY_DRAFT)
    walked = run_cli("--format", "json", ".", cwd=tmp_path)
    assert [i["path"] for i in json.loads(walked.out)] == ["b.txt"]
    named = run_cli("--format", "json", "notes.md", cwd=tmp_path)
    assert [i["path"] for i in json.loads(named.out)] == ["notes.md"]
    forced = run_cli("--format", "json", "--force-exclude", "notes.md", cwd=tmp_path)
    assert json.loads(forced.out) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[tool.apologylint]\nmax-word = 3\n",
         "pyproject.toml: [tool.apologylint] unknown key 'max-word' (did you mean 'max-words'?)"),
        ("[tool.apologylint]\nmax-words = 'lots'\n",
         "pyproject.toml: [tool.apologylint] max-words: must be an integer"),
        ("[tool.apologylint]\nincident = 'oops'\n",
         "pyproject.toml: [tool.apologylint] incident: unknown incident kind 'oops'"),
        ("[tool.apologylint\n", "pyproject.toml: invalid TOML"),
    ],
)
def test_cli_bad_config_exits_2(run_cli: CliRunner, write: Writer, tmp_path: Path,
                                text: str, fragment: str) -> None:
    write("pyproject.toml", text)
    draft = write("a.txt", NOREPLY_DRAFT)
    result = run_cli("a.txt", cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"apologylint: error: {fragment}")
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert draft.read_text() == NOREPLY_DRAFT  # inputs are never written


def test_cli_missing_config_file(run_cli: CliRunner, write: Writer, tmp_path: Path) -> None:
    write("a.txt", NOREPLY_DRAFT)
    result = run_cli("--config", "nope.toml", "a.txt", cwd=tmp_path)
    assert result.code == 2
    assert result.err == "apologylint: error: nope.toml: config file not found\n"


# -- the docs stay true --------------------------------------------------------------------


def test_configuration_doc_lists_every_key_with_its_default() -> None:
    """docs/configuration.md has a table row per key whose default is the real one."""
    from apologylint.config import FIELD_OF_KEY

    doc = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text()
    rows = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 3:
            rows[cells[0].strip("`")] = cells[1]
    defaults = Settings()
    for key, name in FIELD_OF_KEY.items():
        assert key in rows, f"docs/configuration.md has no row for {key!r}"
        value = getattr(defaults, name)
        if isinstance(value, bool):  # as TOML spells it
            assert rows[key] == f"`{str(value).lower()}`", (key, rows[key])
        elif isinstance(value, int) and not isinstance(value, Severity):
            assert rows[key].startswith(f"`{value}`"), (key, rows[key])
        elif isinstance(value, tuple):
            assert rows[key] == ("`[\"ALL\"]`" if value == ("ALL",) else "`[]`"), key
    readability = ", ".join(f"{k} = {v}" for k, v in DEFAULT_READABILITY.items())
    assert rows["readability"] == f"`{{ {readability} }}`"
    assert rows["fail-on"] == f'`"{defaults.fail_on.label}"`'
    assert rows["language"] == f'`"{defaults.language}"`'
    assert rows["incident"] == f'`"{defaults.incident}"`'
