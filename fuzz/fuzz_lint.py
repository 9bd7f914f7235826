"""Coverage-guided fuzzing of apologylint with atheris (libFuzzer for Python).

Each input is raw bytes in one of the formats apologylint reads (the first byte picks
the file name, so the extension dispatch and the sniffing both get exercised). The bytes
go through the loader and the full default rule set with a random configuration. A
crash is anything but a clean result:

* any exception except :class:`~apologylint.loaders.LoadError` (an unreadable input is
  reported in one line, which is fine);
* a :class:`~apologylint.loaders.LoadError` whose message is not one line;
* an "internal error in rule ..." entry (the engine turns a crashing rule into one);
* a prose character mapped outside the file, or a finding without a position.

Hangs are caught by libFuzzer's ``-timeout`` (seconds per input). See ``fuzz/README.md``
for a long run; ``.ci/run`` runs this for a minute.

    python fuzz/fuzz_lint.py [CORPUS_DIR] [libFuzzer flags, e.g. -max_total_time=60]

An empty or missing corpus folder is seeded from ``examples/`` and the test fixtures;
without one, a temporary folder is used. libFuzzer writes crash files to the working
folder unless ``-artifact_prefix=DIR/`` says otherwise.
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["apologylint", "bs4"]):
    import contextlib
    import importlib
    import pkgutil

    import bs4

    import apologylint
    from apologylint.engine import lint_draft
    from apologylint.loaders import LoadError, load_bytes
    from apologylint.output.html import safe_copy
    from apologylint.settings import Settings

    # apologylint imports most of itself lazily; import everything now, inside the
    # instrumentation, so that coverage guides the fuzzer through all of it
    for _package in (apologylint, bs4):
        for _info in pkgutil.walk_packages(_package.__path__, _package.__name__ + "."):
            # optional parts of bs4 (the lxml and html5lib builders) may be missing
            with contextlib.suppress(ImportError):
                importlib.import_module(_info.name)

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("fuzz.eml", "fuzz.html", "fuzz.txt", "fuzz.md", "fuzz.mbox", "fuzz.mjml", "-")
#: Configurations picked by the second byte: defaults, each language, a breach under
#: every jurisdiction, a tight MIME depth limit.
CONFIGS = [
    Settings(),
    Settings(language="en"),
    Settings(language="pl"),
    Settings(incident="breach", jurisdiction=("us-ca", "us-hipaa", "eu", "pl")),
    Settings(max_mime_depth=3, incident="outage"),
]


class Finding(Exception):
    """What the fuzzer reports: an input that broke a promise."""


#: attributes that fetch; in the report's copy only ``data:image/`` sources and
#: ``#fragment`` links may stay
_FETCHING = ("src", "href", "srcset", "background", "poster", "data", "action")


def check_report_copy(html: str) -> None:
    """The HTML report's copy of a draft: built without an exception (a panic of the
    sanitiser is one too) and with no fetching attribute left. The copy is canonical
    markup (html5ever prints it), which Python's parser reads as a browser does."""
    document, _marked = safe_copy(html)
    for tag in bs4.BeautifulSoup(document, "html.parser").find_all(True):
        for name in _FETCHING:
            value = str(tag.get(name, "data:image/"))
            if not value.startswith(("data:image/", "#")):
                raise Finding(f"<{tag.name} {name}={value!r}> survived in the report")


def check(data: bytes) -> None:
    """One fuzz input: load and lint, then check the promises (raise :class:`Finding`)."""
    if len(data) < 2:
        return
    name = NAMES[data[0] % len(NAMES)]
    settings = CONFIGS[data[1] % len(CONFIGS)]
    body = data[2:]
    try:
        drafts = load_bytes(body, path=name, max_mime_depth=settings.max_mime_depth)
    except LoadError as exc:
        message = str(exc)
        if not message.strip() or "\n" in message:
            raise Finding(f"LoadError message is not one line: {message!r}") from None
        return
    for draft in drafts:
        size = len(draft.source.text)
        origins = draft.prose.origins
        if len(origins) != len(draft.prose.text):
            raise Finding("prose and its origins differ in length")
        if any(not -1 <= o <= size for o in origins):
            raise Finding("a prose character maps outside the file")
        if draft.html is not None:
            check_report_copy(draft.html)
        report = lint_draft(draft, settings)
        for error in report.errors:
            if "internal error" in error.message:
                raise Finding(error.message)
        for d in report.diagnostics:
            if d.line < 1 or d.column < 1:
                raise Finding(f"finding without a position: {d}")


def test_one_input(data: bytes) -> None:
    check(data)


def _hostile_seeds() -> list[tuple[str, bytes]]:
    """The hostile shapes of bench/ (a few kilobytes each), the report's attacks, and
    charset labels that name codecs of no document: where the fuzzer should start."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench import adversarial_inputs

    seeds = [(file, blob) for _name, file, blob in adversarial_inputs(4_000)]
    attacks = tomllib.loads(
        (ROOT / "tests" / "fixtures" / "report_attacks.toml").read_text(encoding="utf-8")
    )["attacks"]
    seeds += [("a.html", f"<p>We are sorry.</p>{markup}".encode()) for markup in attacks.values()]
    for label in ("punycode", "undefined", "idna", "unicode-escape", "utf-8\x00", "x-bogus"):
        seeds.append(("a.eml", (
            f"Subject: =?{label}?q?Sorry?=\nContent-Type: text/html; charset={label}\n\n"
            "<p>We are sorry.</p>").encode("utf-8", "surrogateescape")))
    return seeds


def seed_corpus(folder: Path) -> None:
    """Fill an empty corpus folder with small real inputs and the hostile shapes, each
    prefixed with the two bytes that select its format and a configuration."""
    sources = [*sorted((ROOT / "examples").glob("*")),
               *sorted((ROOT / "tests" / "fixtures" / "loaders").glob("*"))]
    inputs = [(p.name, p.read_bytes()) for p in sources if p.is_file()]
    for i, (name, data) in enumerate(inputs + _hostile_seeds()):
        if len(data) > 200_000:
            continue
        ext = Path(name).suffix.lower()
        selector = next((k for k, n in enumerate(NAMES) if n.endswith(ext)), 6)
        (folder / f"seed-{i:03d}").write_bytes(bytes([selector, i % len(CONFIGS)]) + data)


def main(argv: list[str]) -> None:
    args = list(argv[1:])
    corpus = next((a for a in args if not a.startswith("-")), None)
    if corpus is None:
        corpus = tempfile.mkdtemp(prefix="apologylint-fuzz-")
        print(f"corpus: {corpus} (seeded from examples/ and the test fixtures)", flush=True)
        args.append(corpus)
    folder = Path(corpus)
    if not folder.is_file():  # a file is an input to replay
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            seed_corpus(folder)
    atheris.Setup([argv[0], *args], test_one_input)
    atheris.Fuzz()  # does not return: libFuzzer exits with its own status


if __name__ == "__main__":
    main(sys.argv)
