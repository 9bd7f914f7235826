"""Hostile and broken input: every file is linted or refused in one clear line, never a
traceback, never a hang, and the other files of the run are still linted.

The inputs are generated here (seeded), never committed: broken MIME (missing and
undeclared boundaries, truncated and badly padded base64), wrong and unknown charsets,
broken RFC 2047 words, NUL bytes in headers, empty parts, MIME nested 60 and 2,000 deep,
5,000 nested HTML elements, entity floods, 2 MB lines, UTF-16 HTML with a BOM,
unlabelled Windows-1250, binary files, empty files and a 12 MB message.

The last section guards the regular expressions of ``src/``: each is run against
adversarial strings built from its own characters, at two lengths, in a child process
with a timeout, and must not grow faster than linearly (see :func:`audit_regexes`).
"""

from __future__ import annotations

import ast
import base64
import importlib
import itertools
import json
import os
import pkgutil
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import apologylint
from apologylint.api import lint_paths
from apologylint.loaders import load_path
from conftest import NOREPLY_DRAFT, POLISH_NOREPLY_DRAFT, ROOT

HEAD = "From: Maya at Example Shop <maya@shop.example>\nTo: you@example.com\n"
SUBJECT = "Subject: Sorry: the code in Wednesday's email was wrong\n"
APOLOGY = (
    "We're sorry: the discount code we sent you on Wednesday did not work. That was our "
    "mistake. Reply to this email and we will put your order through at the sale price.\n"
)
POLISH = (
    "Przepraszamy za błąd w środowej wiadomości. Kod rabatowy nie działał z naszej winy. "
    "Prosimy odpisać na tę wiadomość, a zamówienie zrealizujemy w cenie promocyjnej.\n"
)

LINT, ERROR, EITHER = "lint", "error", "either"


@dataclass(frozen=True)
class Case:
    """One hostile input: its file name, its bytes, and what must happen."""

    name: str
    make: Callable[[], bytes]
    expect: str  # LINT: linted, no input error; ERROR: one input error; EITHER
    reason: str = ""  # a word the error line must contain (ERROR)


def _eml(extra_headers: str, body: str | bytes) -> bytes:
    head = (HEAD + SUBJECT + extra_headers + "\n").encode()
    return head + (body if isinstance(body, bytes) else body.encode("utf-8", "surrogateescape"))


def _multipart(boundary_header: str, body: str) -> bytes:
    return _eml(f"MIME-Version: 1.0\nContent-Type: multipart/alternative{boundary_header}\n",
                body)


def _nested_mime(depth: int) -> bytes:
    body = "Content-Type: text/plain; charset=utf-8\n\n" + APOLOGY
    for level in range(depth):
        b = f"level{level}"
        body = f'Content-Type: multipart/mixed; boundary="{b}"\n\n--{b}\n{body}\n--{b}--\n'
    return (HEAD + SUBJECT + "MIME-Version: 1.0\n" + body).encode()


def _base64_body() -> str:
    return base64.encodebytes((APOLOGY * 6).encode()).decode()


def _random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _twelve_mb_message() -> bytes:
    """A real-looking message of ~12 MB: a short apology and a large attachment."""
    attachment = base64.encodebytes(_random_bytes(9_000_000, 12)).decode()
    return _eml(
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="mixed"\n',
        "--mixed\nContent-Type: text/plain; charset=utf-8\n\n" + APOLOGY
        + "--mixed\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        'Content-Disposition: attachment; filename="refund-terms.pdf"\n\n'
        + attachment + "--mixed--\n",
    )


def _html(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry about the '
        f"code</title></head><body>{body}</body></html>"
    )


CASES: list[Case] = [
    # -- broken MIME --------------------------------------------------------------------
    Case("multipart-without-boundary.eml", lambda: _multipart(
        "", "--x\nContent-Type: text/plain\n\n" + APOLOGY + "--x--\n"), LINT),
    Case("undeclared-boundary.eml", lambda: _multipart(
        '; boundary="declared"', "--used\nContent-Type: text/plain\n\n" + APOLOGY + "--used--\n"),
        LINT),
    Case("unterminated-multipart.eml", lambda: _multipart(
        '; boundary="b"', "--b\nContent-Type: text/plain\n\n" + APOLOGY), LINT),
    Case("empty-parts.eml", lambda: _multipart(
        '; boundary="e"', "--e\n\n--e\nContent-Type: text/html\n\n--e\n"
        "Content-Type: text/plain\n\n--e--\n"), LINT),
    Case("truncated-base64.eml", lambda: _eml(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
        _base64_body()[:97] + "\n"), LINT),
    Case("bad-base64-padding.eml", lambda: _eml(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
        "=" + _base64_body()[:40] + "===\n" + _base64_body()[40:] + "=\n=====\n"), LINT),
    Case("base64-garbage.eml", lambda: _eml(
        "Content-Type: text/html\nContent-Transfer-Encoding: base64\n",
        "!!!@@@###\x7f" * 500 + "\n"), LINT),
    Case("quoted-printable-broken.eml", lambda: _eml(
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n",
        "We=E2=80=99re sorry =ZZ =\n=4 =\r" + "=" * 5000 + "\n" + APOLOGY), LINT),
    Case("unknown-transfer-encoding.eml", lambda: _eml(
        "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode-ish\n", APOLOGY), LINT),
    Case("mime-60-deep.eml", lambda: _nested_mime(60), ERROR, "max-mime-depth"),
    Case("mime-2000-deep.eml", lambda: _nested_mime(2000), ERROR, "nested"),
    Case("mime-50000-parts.eml", lambda: _multipart('; boundary="p"', "".join(
        "--p\nContent-Type: text/plain\n\nx\n" for _ in range(50_000)) + "--p--\n"), LINT),
    # -- charsets and encoded words -----------------------------------------------------
    Case("unknown-charset.eml", lambda: _eml(
        "Content-Type: text/plain; charset=x-klingon-2\n", POLISH), LINT),
    Case("wrong-charset-label.eml", lambda: _eml(
        "Content-Type: text/plain; charset=utf-8\n", POLISH.encode("cp1250")), LINT),
    Case("unknown-charset.html", lambda: _html(
        f'<meta charset="x-unknown"><p>{POLISH}</p>').encode("iso-8859-2"), LINT),
    Case("broken-rfc2047.eml", lambda: (
        "From: =?utf-8?B?!!!?= <maya@shop.example>\nTo: =?utf-8?q?=ZZ?= <you@example.com>\n"
        "Subject: =?x-unknown?Q?abc?= =?utf-8?Q?unterminated =?utf-8?B?AAA?= =?=?\n\n"
        + APOLOGY).encode(), LINT),
    Case("invalid-utf8-headers.eml", lambda: (
        HEAD.encode() + b"Subject: Sorry \xff\xfe\xc3 about \xed\xa0\x80 that\n\n"
        + APOLOGY.encode()), LINT),
    Case("nul-in-headers.eml", lambda: (
        HEAD + SUBJECT.replace("Sorry", "Sor\x00ry") + "X-Note: a\x00b\n\n" + APOLOGY * 8
    ).encode(), LINT),
    Case("utf16-bom.html", lambda: _html(f"<p>{APOLOGY}</p>").encode("utf-16"), LINT),
    Case("utf16-be-bom.txt", lambda: b"\xfe\xff" + (SUBJECT + "\n" + APOLOGY).encode(
        "utf-16-be"), LINT),
    Case("utf16-without-bom.html", lambda: _html(f"<p>{APOLOGY}</p>").encode("utf-16-le"),
         EITHER),
    Case("windows-1250-unlabelled.txt", lambda: (
        "Temat: Przepraszamy\n\n" + POLISH * 3).encode("cp1250"), LINT),
    Case("windows-1250-unlabelled.eml", lambda: _eml("", (POLISH * 3).encode("cp1250")), LINT),
    Case("stray-cr-in-headers.eml", lambda: (  # found by the fuzzer: origins ran past EOF
        b"From: =?iso-8859-2?Q?Sklep_=A3=F3d=BC?= <sklep@example.pl>\r\nTo: k@example.pl\r\n"
        b"Subject: =?iso-8859*2?Q?Przepraszamy_za_b=B3=B1d?=\rME\n-MIVersion: 1\x0e0\r\n"
        b"Content-Type: text/-2\r\nContent-Transfer-Encoding: 8bit\r\n\r\nDzie\xf1 dobry,"
        b"\r\n\r\nprz z\xb3\xb1 kwot\xea.\r\n\r\nZesp\xf3\xb3 Sklepu\r\n"), LINT),
    Case("paren-glued-to-a-word.txt", lambda: (  # found by the fuzzer: a hang in AL604
        SUBJECT + "\n" + APOLOGY + "Call us on a(1 or x+(48) 22 555 01 14.\n").encode(), LINT),
    Case("superscript-digits.html", lambda: _html(  # found by the fuzzer: int("³³³³")
        f'<p>{APOLOGY} On 3 May ³³³³ we found it.</p><img src="a.png" width="³³">'
        ).encode(), LINT),
    Case("dotted-capital-i.html", lambda: _html(  # found by the fuzzer: "İ".lower() is 2
        f"<style>p {{ background: url(http://x.example/a.png) }}</style><p>İİİİ {APOLOGY} "
        "See http://shop.example/refund.</p>").encode(), LINT),
    Case("mixed-line-endings.eml", lambda: (HEAD + SUBJECT + "\n" + APOLOGY).replace(
        "\n", "\r").encode() + b"\r\n\n" + APOLOGY.encode(), LINT),
    # -- sizes and floods ---------------------------------------------------------------
    Case("elements-5000-deep.html", lambda: _html(
        "<div>" * 5000 + f"<p>{APOLOGY}</p>" + "</div>" * 5000).encode(), LINT),
    Case("elements-5000-unclosed.html", lambda: _html(
        "<span><b>" * 2500 + APOLOGY).encode(), LINT),
    Case("links-20000-unclosed.html", lambda: _html(
        f"<p>{APOLOGY}</p>" + '<a href="https://shop.example/help">help ' * 20_000).encode(),
        LINT),
    Case("tables-3000-deep.eml", lambda: _eml(
        "Content-Type: text/html; charset=utf-8\n",
        "<table><tr><td>" * 3000 + APOLOGY + "</td></tr></table>" * 3000), LINT),
    Case("entity-flood.html", lambda: _html(
        f"<p>{APOLOGY}" + "&amp;&nbsp;&#x41;&#65;&bogus;&#99999999;" * 40_000 + "</p>"
    ).encode(), LINT),
    Case("line-2mb.txt", lambda: (SUBJECT + "\n" + APOLOGY + "sorry" * 400_000).encode(), LINT),
    Case("line-2mb.html", lambda: _html(
        f"<p>{APOLOGY}</p><p>" + "x" * 2_000_000 + "</p>").encode(), LINT),
    Case("subject-400kb.eml", lambda: (
        HEAD + "Subject: " + "Sorry " * 70_000 + "\n\n" + APOLOGY).encode(), LINT),
    Case("header-folded-100k-times.eml", lambda: (
        HEAD + SUBJECT + "X-Long: a\n" + " b\n" * 100_000 + "\n" + APOLOGY).encode(), LINT),
    Case("angle-bracket-flood.html", lambda: (
        f"<p>{APOLOGY}" + "<" * 300_000).encode(), LINT),
    Case("unclosed-comment.html", lambda: (
        f"<p>{APOLOGY}</p><!--" + "x" * 1_000_000).encode(), LINT),
    Case("template-tag-flood.txt", lambda: (
        SUBJECT + "\n" + APOLOGY + "{% if a %}{{" * 50_000).encode(), LINT),
    Case("markdown-bracket-flood.md", lambda: (
        SUBJECT + "\n" + APOLOGY + "[a](" * 80_000).encode(), LINT),
    Case("sorry-sorry-sorry.txt", lambda: (SUBJECT + "\n" + "sorry " * 50_000).encode(), LINT),
    Case("emoji-flood.txt", lambda: (SUBJECT + "\n" + APOLOGY + "😂🙈" * 30_000).encode(), LINT),
    Case("message-12mb.eml", _twelve_mb_message, LINT),
    # -- not text at all ----------------------------------------------------------------
    Case("random-bytes.eml", lambda: _random_bytes(50_000, 1), ERROR, "binary"),
    Case("png-named.html", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(
        4000, 2), ERROR, "binary"),
    Case("gzip-named.txt", lambda: b"\x1f\x8b\x08\x00" + _random_bytes(4000, 3), ERROR,
         "binary"),
    Case("elf-named.md", lambda: b"\x7fELF\x02\x01\x01" + bytes(9) + _random_bytes(4000, 4),
         ERROR, "binary"),
    Case("nul-heavy.txt", lambda: (APOLOGY.encode() + b"\x00" * 64) * 20, ERROR, "binary"),
    Case("empty.eml", lambda: b"", EITHER),
    Case("empty.html", lambda: b"", EITHER),
    Case("empty.txt", lambda: b"", EITHER),
    Case("empty.md", lambda: b"", EITHER),
    Case("whitespace-only.eml", lambda: b" \n\t\r\n\n", EITHER),
]
BY_NAME = {case.name: case for case in CASES}


def _check_outcome(case: Case, path: Path, errors: list[str], linted: bool) -> None:
    """The rule of this module: linted, or one clear line naming the reason."""
    assert len(errors) <= 1, f"{case.name}: more than one error line: {errors}"
    for message in errors:
        assert "\n" not in message and message.strip(), f"{case.name}: {message!r}"
        assert "Traceback" not in message and len(message) < 300, message
    if case.expect == LINT:
        assert not errors and linted, f"{case.name}: expected to be linted, got {errors}"
    elif case.expect == ERROR:
        assert errors and not linted, f"{case.name}: expected an input error"
        assert case.reason in errors[0], f"{case.name}: {errors[0]!r} lacks {case.reason!r}"
    else:
        assert bool(errors) != linted, f"{case.name}: neither linted nor refused"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_input_is_linted_or_refused_in_one_line(
    case: Case, tmp_path: Path
) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.make())
    start = time.perf_counter()
    run = lint_paths([path])
    elapsed = time.perf_counter() - start
    report = run.report
    errors = [e.message for e in report.errors if e.path == str(path)]
    _check_outcome(case, path, errors, linted=str(path) in report.languages)
    if not errors:  # every character the rules read maps to a place in the file
        for draft in load_path(path):
            size = len(draft.source.text)
            assert len(draft.prose.origins) == len(draft.prose.text)
            assert all(-1 <= o <= size for o in draft.prose.origins), case.name
    # not a benchmark: a guard against a hang or a quadratic blow-up (wide margin)
    assert elapsed < 60, f"{case.name} took {elapsed:.0f} s"


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for case in CASES:
        (folder / case.name).write_bytes(case.make())
    # two good drafts among them: they must be linted as if they were alone
    (folder / "zz-good-noreply.txt").write_text(NOREPLY_DRAFT, encoding="utf-8")
    (folder / "aa-good-polish.txt").write_text(POLISH_NOREPLY_DRAFT, encoding="utf-8")
    return folder


def _run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("APOLOGYLINT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "apologylint", *args],
        capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=timeout, env=env, check=False,
    )


def test_a_folder_of_hostile_inputs_through_the_cli(hostile_folder: Path) -> None:
    """One run over everything (two jobs; one job is the in-process test above): exit 2,
    one clear stderr line per refused file naming it and the reason, every other file
    linted (``-v`` names each linted draft), the good drafts' findings present, and no
    traceback anywhere."""
    result = _run_cli("--isolated", "-v", "--format", "json", "--jobs", "2",
                      str(hostile_folder))
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    assert result.returncode == 2, result.stderr[-2000:]
    findings = json.loads(result.stdout)
    stderr = result.stderr.splitlines()
    for case in CASES:
        path = str(hostile_folder / case.name)
        errors = [line[len(path) + len(": error: "):] for line in stderr
                  if line.startswith(f"{path}: error: ")]
        linted = any(line.startswith(f"{path}: language ") for line in stderr)
        _check_outcome(case, hostile_folder / case.name, errors, linted)
        refused = [f for f in findings if f["path"] == path and f["rule"] == "input-error"]
        assert len(refused) == len(errors)
    for good, code in (("zz-good-noreply.txt", "AL101"), ("aa-good-polish.txt", "AL101")):
        path = str(hostile_folder / good)
        assert any(f["path"] == path and f["code"] == code and f["line"] == 2
                   for f in findings), good


# -- limits --------------------------------------------------------------------------------


def test_max_mime_depth_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "deep.eml"
    path.write_bytes(_nested_mime(60))
    [error] = lint_paths([path]).report.errors
    assert "more than 50 levels deep" in error.message and "max-mime-depth" in error.message
    run = lint_paths([path], config={"max-mime-depth": 70})
    assert not run.report.errors and str(path) in run.report.languages
    # the body 60 levels down is read: the draft apologises, so no missing-apology
    assert not run.report.by_rule("missing-apology")
    shallow = tmp_path / "shallow.eml"
    shallow.write_bytes(_nested_mime(3))
    [error] = lint_paths([shallow], config={"max-mime-depth": 2}).report.errors
    assert "more than 2 levels deep" in error.message
    # each message of an mbox too, named by its number
    mbox = tmp_path / "box.mbox"
    mbox.write_bytes(b"From a@b Mon Jan  1 00:00:00 2024\n" + _nested_mime(1) + b"\n"
                     b"From a@b Mon Jan  1 00:00:01 2024\n" + _nested_mime(9) + b"\n")
    [error] = lint_paths([mbox], config={"max-mime-depth": 5}).report.errors
    assert error.message.startswith("message 2: MIME parts nested more than 5 levels deep")


def test_max_mime_depth_applies_to_stdin_and_the_cli(tmp_path: Path) -> None:
    (tmp_path / ".apologylint.toml").write_text("max-mime-depth = 5\n", encoding="utf-8")
    path = tmp_path / "deep.eml"
    path.write_bytes(_nested_mime(8))
    result = _run_cli(str(path), timeout=120)
    assert result.returncode == 2
    [line] = [ln for ln in result.stderr.splitlines() if "error" in ln]
    assert line.startswith(f"{path}: error: MIME parts nested more than 5 levels deep")
    piped = subprocess.run(
        [sys.executable, "-m", "apologylint", "--isolated", "-"], input=_nested_mime(60),
        capture_output=True, timeout=120, check=False,
    )
    assert piped.returncode == 2
    assert b"-: error: MIME parts nested more than 50 levels deep" in piped.stderr


def test_max_input_bytes_refuses_in_one_line(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(_html("<p>" + "lorem ipsum " * 200_000 + "</p>").encode())
    run = lint_paths([big], config={"max-input-bytes": 1_000_000})
    [error] = run.report.errors
    assert error.path == str(big)
    assert re.fullmatch(r"too large: 2\.\d MB \(limit 1 MB\)", error.message), error.message
    assert not lint_paths([big]).report.errors  # the default (25 MiB) reads it


def test_decoding_of_hostile_charsets_is_right(tmp_path: Path) -> None:
    for name in ("windows-1250-unlabelled.txt", "windows-1250-unlabelled.eml",
                 "wrong-charset-label.eml", "unknown-charset.html"):
        path = tmp_path / name
        path.write_bytes(BY_NAME[name].make())
        [draft] = load_path(path)
        assert "Przepraszamy za błąd" in draft.prose.text, name
    for name in ("utf16-bom.html", "utf16-be-bom.txt"):
        path = tmp_path / name
        path.write_bytes(BY_NAME[name].make())
        [draft] = load_path(path)
        assert "discount code we sent you" in draft.prose.text, name


# -- regular expressions -------------------------------------------------------------------

SRC = ROOT / "src" / "apologylint"
#: Methods that only ever try one starting position (so ``x{3,}$`` stays linear).
_ANCHORED = frozenset({"match", "fullmatch"})
_RE_FUNCTIONS = frozenset({"search", "match", "fullmatch", "finditer", "findall", "split",
                           "sub", "subn"})


def _method_uses() -> dict[str, set[str]]:
    """For every name in src/, the methods called on it (``?``: passed on, unknown)."""
    uses: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                uses.setdefault(func.value.id, set()).add(func.attr)
            for arg in node.args:
                if isinstance(arg, ast.Name):
                    uses.setdefault(arg.id, set()).add("?")
    return uses


def _inline_patterns() -> Iterator[tuple[re.Pattern[str] | re.Pattern[bytes], str, bool]]:
    """``re.search("literal", ...)`` and friends written inline in src/."""
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_FUNCTIONS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str | bytes)):
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                yield re.compile(node.args[0].value), where, node.func.attr in _ANCHORED


def _module_patterns() -> Iterator[tuple[re.Pattern[str] | re.Pattern[bytes], str, bool]]:
    """Every compiled pattern held by a module of the package (constants, and patterns
    built from others such as ``_WORD_SPLIT``)."""
    import apologylint

    uses = _method_uses()
    for info in pkgutil.walk_packages(apologylint.__path__, "apologylint."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                methods = uses.get(name, {"?"})
                yield value, f"{info.name}.{name}", bool(methods) and methods <= _ANCHORED


def _characters(pattern: re.Pattern[str] | re.Pattern[bytes]) -> list[str]:
    """Characters the pattern mentions (literals, class members and edges, a sample of
    each category): the material its worst inputs are made of."""
    import re._constants as c
    import re._parser as parser

    text = pattern.pattern
    source = text.decode("latin-1") if isinstance(text, bytes) else text
    flags = pattern.flags & ~(re.UNICODE | re.ASCII) if isinstance(text, bytes) else pattern.flags
    categories = {
        c.CATEGORY_SPACE: " \t\n", c.CATEGORY_NOT_SPACE: "a", c.CATEGORY_DIGIT: "1",
        c.CATEGORY_NOT_DIGIT: "a", c.CATEGORY_WORD: "a_1", c.CATEGORY_NOT_WORD: "!-",
    }
    found: set[str] = set(" a1\n")

    def walk(items: object) -> None:
        for op, av in items:  # type: ignore[attr-defined]
            if op is c.LITERAL:
                found.add(chr(av))
            elif op is c.NOT_LITERAL:
                found.add("b" if av == ord("a") else "a")
            elif op is c.IN:
                for iop, iav in av:
                    if iop is c.LITERAL:
                        found.add(chr(iav))
                    elif iop is c.RANGE:
                        found.update((chr(iav[0]), chr(iav[1])))
                    elif iop is c.CATEGORY:
                        found.update(categories.get(iav, ""))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op is c.SUBPATTERN:
                walk(av[-1])
            elif op is c.ATOMIC_GROUP:
                walk(av)
            elif op is c.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(av[1])
            elif op is c.GROUPREF_EXISTS:
                walk(av[1])
                if av[2] is not None:
                    walk(av[2])

    walk(parser.parse(source, flags))
    return sorted(found)


def _adversarial(chars: list[str], n: int, seed: int) -> Iterator[str]:
    """Runs of one character and of pairs, each ending in a character that spoils a
    match at the last moment, and a random mix: where backtracking hides."""
    rng = random.Random(seed)
    chars = chars[:24]
    for ch in chars:
        yield ch * n + "\x00"
    pairs = list(itertools.combinations(chars, 2))
    rng.shuffle(pairs)
    for a, b in pairs[:12]:
        yield (a + b) * (n // 2) + "\x00"
    yield "".join(rng.choice(chars) for _ in range(n))


def _time_once(pattern: re.Pattern[str] | re.Pattern[bytes], text: str, anchored: bool) -> float:
    data: str | bytes = text.encode("latin-1", "replace") if isinstance(
        pattern.pattern, bytes) else text
    start = time.perf_counter()
    if anchored:
        pattern.match(data)  # type: ignore[arg-type]
        pattern.fullmatch(data)  # type: ignore[arg-type]
    else:
        for _ in pattern.finditer(data):  # type: ignore[arg-type]
            pass
    return time.perf_counter() - start


def audit_regexes(n: int = 4000) -> list[str]:
    """Every regex of src/ on its adversarial strings of length n and 2n: a pattern is
    reported when doubling the input more than triples the time (quadratic or worse)
    and the time is not negligible. Patterns used only with ``match``/``fullmatch`` are
    timed that way (one start position); all others through ``finditer`` (every start
    position), the worst way they can be used."""
    seen: set[tuple[object, int]] = set()
    problems: list[str] = []
    for pattern, where, anchored in itertools.chain(_module_patterns(), _inline_patterns()):
        key = (pattern.pattern, pattern.flags)
        if key in seen:
            continue
        seen.add(key)
        print(f"checking {where}: {pattern.pattern!r}", flush=True)  # names a hang
        for text in _adversarial(_characters(pattern), n, seed=len(seen)):
            double = text[:-1] * 2 + text[-1] if text.endswith("\x00") else text * 2
            small = min(_time_once(pattern, text, anchored) for _ in range(2))
            large = min(_time_once(pattern, double, anchored) for _ in range(2))
            if large > 0.05 and large > 3.0 * small:
                # measure again before blaming: another process may have had the CPU
                small = min(_time_once(pattern, text, anchored) for _ in range(3))
                large = min(_time_once(pattern, double, anchored) for _ in range(3))
                if large > 0.05 and large > 3.0 * small:
                    problems.append(f"{where} {pattern.pattern!r}: {small:.3f}s for {n} "
                                    f"characters, {large:.3f}s for {2 * n} ({text[:12]!r}...)")
                    break
    return problems


def test_no_regex_in_src_backtracks_catastrophically() -> None:
    """Run in a child process with a timeout: an exponential pattern must fail the test,
    not hang it (the last 'checking' line names it)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_hostile_inputs as t; "
        "problems = t.audit_regexes(); print('PROBLEMS', len(problems)); "
        "print('\\n'.join(problems))"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent)],
            capture_output=True, text=True, timeout=600, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        pytest.fail("a regex did not finish: " + out.strip().splitlines()[-1])
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout.split("PROBLEMS", 1)[1]
    count, _, details = report.partition("\n")
    assert count.strip() == "0", "super-linear regular expressions:\n" + details
    assert result.stdout.count("checking ") > 50  # it did find the patterns


def test_the_regex_audit_catches_backtracking() -> None:
    """The audit itself: a nested quantifier and an unanchored quadratic scan are caught
    (small inputs: the exponential one must not run long)."""
    # Best of several runs and inputs large enough to dwarf timer noise: a busy machine
    # must not make the self-check flaky (expected: 64x and 16x; asserted: 8x and 6x).
    nested = re.compile(r"(?:a+)+b")
    short = min(_time_once(nested, "a" * 12 + "\x00", anchored=False) for _ in range(3))
    long = min(_time_once(nested, "a" * 18 + "\x00", anchored=False) for _ in range(3))
    assert long > 8 * short
    quadratic = re.compile(r"\s*x")  # every start position scans the rest
    small = min(_time_once(quadratic, " " * 4000, False) for _ in range(5))
    large = min(_time_once(quadratic, " " * 16000, False) for _ in range(5))
    assert large > 6.0 * small  # 4x the input: 16x the time (a linear pattern: 4x)
    assert " " in _characters(quadratic) and "x" in _characters(quadratic)


def test_superscript_digits_are_not_numbers_to_the_rules() -> None:
    """Found by the fuzzer: "³³³³" passes ``str.isdigit`` and then breaks ``int()``."""
    from apologylint.rules.breach import _is_year
    from apologylint.rules.templates import _dimension

    assert not _is_year("³³³³") and _is_year("2024")
    assert _dimension("³³") is None and _dimension("12px") == 12
    report = apologylint.lint(
        "Subject: Data breach on 3 May ³³³³\nFrom: a@shop.example\n\nOn 3 May ³³³³ someone "
        "copied your password. We are sorry. Call ¹⁸⁰⁰ 555 0100 or a(1.\n".encode(),
        config={"incident": "breach", "jurisdiction": ["us-ca", "us-hipaa", "eu", "pl"]},
    )
    assert not [e for e in report.errors if "internal error" in e.message], report.errors
