"""The command line: ``apologylint [OPTIONS] PATH...``, ``apologylint rules``,
``apologylint explain SLUG|CODE``.

Sub-commands are recognised only as the *first* argument: ``apologylint rules`` lists
the rules even where a folder named ``rules`` exists. To lint a path literally named
``rules``, ``explain`` or ``check``, write ``./rules`` or ``apologylint check rules``
(``check`` is the default sub-command and may always be written).

Start-up stays fast: the loaders, the rules, textstat and email-validator are imported only
when a draft is linted. Exit status: 0 nothing at or above ``--fail-on``; 1 findings at
or above it; 2 a usage or configuration error, or an input that could not be read.
No traceback, ever: an unexpected error is one line and exit 2
(``APOLOGYLINT_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__

if TYPE_CHECKING:
    from .api import RunResult
    from .rules.base import Rule

PROG = "apologylint"
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("check", "rules", "explain")


class UsageError(Exception):
    """A bad command line that argparse cannot see (e.g. an unknown rule name)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but raising instead of exiting so that ``main`` stays in control."""

    def error(self, message: str) -> Any:  # argparse declares NoReturn
        raise UsageError(f"{message} (see `{self.prog} --help`)")


#: C0 and C1 control characters other than tab and newline, shown as escapes: a file name
#: or a draft with an ANSI escape must not drive the terminal (or a CI log) it is shown
#: in. The ``\\u00XX`` form is also a valid escape inside a JSON or SARIF string.
_CONTROLS = {c: f"\\u{c:04x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))
             if c not in (0x09, 0x0A)}


def _write(stream: TextIO, text: str) -> None:
    if not text:
        return
    text = text.translate(_CONTROLS)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a file name that is not UTF-8):
        # "\udcff", readable and a valid escape in JSON, never a raw byte
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def _err(message: str) -> None:
    _write(sys.stderr, message.rstrip("\n") + "\n")


def _formats() -> list[str]:
    from .output import available_formats

    return available_formats()


def _comma_list(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


# -- parsers -----------------------------------------------------------------------------


def _check_parser() -> _Parser:
    from .loaders import SUPPORTED_EXTENSIONS

    kinds = ", ".join(sorted(SUPPORTED_EXTENSIONS))
    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [OPTIONS] PATH...\n       {PROG} rules [--format text|json]\n"
        f"       {PROG} explain SLUG|CODE",
        description="Lint apology and incident-notification email drafts "
        f"({kinds}) before they are sent.",
        epilog="Exit status: 0 nothing at or above --fail-on; 1 findings at or above it; "
        "2 usage or configuration error, or an input that could not be read. "
        "Docs: docs/usage.md and docs/configuration.md.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files or folders to lint; '-' reads standard input")
    out = parser.add_argument_group("output")
    out.add_argument("--format", default="text", choices=_formats(),
                     help="output format (default: text)")
    out.add_argument("-q", "--quiet", action="store_true",
                     help="print the findings only, no summary")
    out.add_argument("-o", "--output-file", metavar="FILE",
                     help="write the output to FILE (UTF-8) instead of standard output")
    out.add_argument("--statistics", action="store_true",
                     help="print how many findings each rule made instead of the findings "
                     "(text, or json with --format json)")
    out.add_argument("--report", metavar="FILE.html",
                     help="also write the visual HTML report (each draft rendered with its "
                     "findings highlighted) to FILE.html")
    out.add_argument("-v", "--verbose", action="store_true",
                     help="also tell, on standard error, each draft's language and incident "
                     "and the rules that could not be checked")
    sel = parser.add_argument_group("rule selection")
    sel.add_argument("--select", action="append", metavar="RULES",
                     help="comma list of slugs, codes, code prefixes (AL1) or families to "
                     "run, instead of the config's 'select'")
    sel.add_argument("--ignore", action="append", metavar="RULES",
                     help="comma list of rules not to run (added to the config's 'ignore')")
    sel.add_argument("--extend-select", action="append", metavar="RULES",
                     help="comma list of rules to run in addition to 'select'")
    sel.add_argument("--fail-on", choices=("error", "warning", "info"),
                     help="lowest severity that makes the exit status 1 (default: error)")
    sel.add_argument("--exit-zero", action="store_true",
                     help="exit 0 even when there are findings (2 still means an error)")
    ctx = parser.add_argument_group("the incident")
    ctx.add_argument("--incident", metavar="KIND",
                     help="wrong-segment, wrong-content, broken-personalization, "
                     "duplicate-send, outage, breach, suppression-list, other or auto")
    ctx.add_argument("--jurisdiction", metavar="LIST",
                     help="comma list of us-ca, us-hipaa, eu, pl (breach notice duties)")
    ctx.add_argument("--lang", metavar="LANG",
                     help="language of the drafts: auto (default), en, pl, ...")
    ctx.add_argument("--subject", metavar="TEXT", help="the subject, for templates")
    ctx.add_argument("--from", dest="sender", metavar="ADDRESS",
                     help="the sender address, for templates")
    ctx.add_argument("--recipients", metavar="FILE",
                     help="text or CSV file of the addresses the draft will go to")
    ctx.add_argument("--affected", metavar="FILE",
                     help="text or CSV file of the addresses the incident affected")
    ctx.add_argument("--suppressed", metavar="FILE",
                     help="text or CSV file of suppressed (opted-out) addresses")
    ctx.add_argument("--dpo", metavar="CONTACT",
                     help="your data protection officer (name and/or address): breach "
                     "notices under --jurisdiction eu/pl must then name them")
    cfg = parser.add_argument_group("configuration")
    cfg.add_argument("--config", metavar="FILE",
                     help="config file to use instead of the discovered one "
                     "(pyproject.toml or .apologylint.toml)")
    cfg.add_argument("--isolated", action="store_true",
                     help="ignore every config file")
    cfg.add_argument("--force-exclude", action="store_true",
                     help="apply 'exclude' to files named on the command line too "
                     "(for pre-commit)")
    cfg.add_argument("--stdin-filename", metavar="NAME",
                     help="name for standard input ('-'): its format and config lookup")
    cfg.add_argument("--jobs", type=_jobs, default=0, metavar="N",
                     help="lint files in N processes (default: the number of cores); "
                     "the output is the same, in the same order")
    cfg.add_argument("--no-cache", action="store_true",
                     help="neither read nor write the compiled language packs in the cache "
                     "folder (APOLOGYLINT_CACHE_DIR, else the user's cache folder)")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _rules_parser() -> _Parser:
    parser = _Parser(prog=f"{PROG} rules", description="List every rule.")
    parser.add_argument("--format", default="text", choices=("text", "json"),
                        help="output format (default: text)")
    return parser


def _explain_parser() -> _Parser:
    parser = _Parser(prog=f"{PROG} explain",
                     description="Explain a rule: what fires it, why, examples, options.")
    parser.add_argument("rule", metavar="SLUG|CODE")
    return parser


# -- sub-commands ------------------------------------------------------------------------


def _rule_suggestion(name: str, rules: Sequence[type[Rule]]) -> str:
    import difflib

    choices = [r.slug for r in rules] + [r.code.lower() for r in rules]
    close = difflib.get_close_matches(name.strip().lower(), choices, n=1, cutoff=0.5)
    if not close:
        return ""
    match = next(r for r in rules if close[0] in (r.slug, r.code.lower()))
    return f" (did you mean '{match.slug}' ({match.code})?)"


def cmd_rules(argv: Sequence[str]) -> int:
    import json

    from .rules import all_rules

    args = _rules_parser().parse_args(argv)
    rules = all_rules()
    if args.format == "json":
        data = [
            {"code": r.code, "slug": r.slug, "family": r.family,
             "severity": r.severity.label, "summary": r.summary}
            for r in rules
        ]
        _write(sys.stdout, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    header = ("CODE", "SLUG", "FAMILY", "SEVERITY", "SUMMARY")
    rows = [(r.code, r.slug, r.family, r.severity.label, " ".join(r.summary.split()))
            for r in rules]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4]))
                     + "  " + row[4])
    _write(sys.stdout, "\n".join(lines) + "\n")
    return EXIT_OK


def cmd_explain(argv: Sequence[str]) -> int:
    from .rules import all_rules, find_rule

    args = _explain_parser().parse_args(argv)
    rule = find_rule(args.rule)
    if rule is None:
        hint = _rule_suggestion(args.rule, all_rules())
        raise UsageError(f"unknown rule {args.rule!r}{hint}; see `{PROG} rules`")
    _write(sys.stdout, rule.describe().rstrip("\n") + "\n")
    return EXIT_OK


def _cli_values(args: argparse.Namespace) -> dict[str, Any]:
    """The command-line options that map to config keys, as config keys."""
    values: dict[str, Any] = {}
    for key, value in (
        ("select", _comma_list(args.select)),
        ("ignore", _comma_list(args.ignore)),
        ("extend-select", _comma_list(args.extend_select)),
        ("incident", args.incident),
        ("jurisdiction", args.jurisdiction),
        ("language", args.lang),
        ("subject", args.subject),
        ("from", args.sender),
        ("recipients", args.recipients),
        ("affected", args.affected),
        ("suppressed", args.suppressed),
        ("dpo", args.dpo),
        ("fail-on", args.fail_on),
    ):
        if value is not None:
            values[key] = value
    return values


def _verbose(run: RunResult) -> None:
    report = run.report
    for path in sorted(set(report.languages) | set(report.incidents)):
        lang = report.languages.get(path, "?")
        incident = report.incidents.get(path)
        _err(f"{path}: language {lang}" + (f", incident {incident}" if incident else ""))
    for path, slug, reason in sorted(report.not_checked):
        _err(f"{path}: not checked: {slug}: {reason}")
    for path, reason in report.skipped:
        _err(f"{path}: not a message: {reason}")


def _warn_missing_packs(run: RunResult) -> None:
    """One line per language without a pack: its wording rules silently did not run."""
    report = run.report
    missing = sorted({
        report.languages.get(path, "?")
        for path, _slug, reason in report.not_checked
        if reason.startswith("no language pack")
    })
    for lang in missing:
        _err(f"{PROG}: warning: no language pack for {lang!r}: the rules that read "
             "wording were not checked (see `--lang` and the config key 'packs')")


def _output(path: str | None, text: str) -> bool:
    """Write ``text`` to standard output, or to the file ``path`` (False: it failed)."""
    if path is None or path == "-":
        _write(sys.stdout, text)
        return True
    try:
        # backslashreplace: a lone surrogate (an undecodable byte of an .eml) stays visible
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else str(exc)
        _err(f"{PROG}: error: cannot write {path}: {reason}")
        return False
    return True


def _output_over_input(run: RunResult, *outputs: str | None) -> str | None:
    """The first output file (``-o``, ``--report``) that is one of the run's inputs (the
    same path, or the same file by another name), else None."""
    for path in outputs:
        if path is None or path == "-":
            continue
        if os.path.abspath(path) in run.inputs:
            return path
        try:
            target = os.stat(path)
        except OSError:
            continue  # not there yet: it cannot be an input
        for name in run.inputs:  # the same file by a symlink or a hard link
            with contextlib.suppress(OSError):
                if os.path.samestat(target, os.stat(name)):
                    return path
    return None


def _jobs(value: str) -> int:
    """``--jobs``: a count of processes, 0 for one per core."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of processes, not {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("expected 0 (one per core) or more processes")
    return jobs


def cmd_check(argv: Sequence[str]) -> int:
    from .api import lint_paths
    from .config import ConfigError, cli_layer
    from .model import Severity
    from .output import OutputOptions, get_formatter

    args = _check_parser().parse_args(argv)
    config: Any = None
    try:
        layer = cli_layer(_cli_values(args))
        if args.isolated:
            from .settings import Settings

            config = Settings()
        elif args.config:
            from .config import load_config_file

            config = load_config_file(args.config)
        stdin = getattr(sys.stdin, "buffer", None)
        if args.statistics and args.format not in ("text", "json"):
            raise UsageError("--statistics works with --format text or json")
        from .parallel import default_jobs, prepare_process

        if args.no_cache:  # an environment variable, so that worker processes see it too
            from .packcache import NO_CACHE_ENV

            os.environ[NO_CACHE_ENV] = "1"
        prepare_process()  # this process only lints from here on
        run = lint_paths(args.paths, config=config, overrides=layer,
                         force_exclude=args.force_exclude, stdin=stdin,
                         stdin_filename=args.stdin_filename,
                         keep_drafts=args.format == "html" or bool(args.report),
                         jobs=args.jobs or default_jobs())
    except ConfigError as exc:
        _err(f"{PROG}: error: {exc}")
        return EXIT_ERROR
    report = run.report
    for error in sorted(report.errors, key=lambda e: (e.path, e.message)):
        _err(f"{error.path}: error: " + " ".join(error.message.splitlines()))
    if args.verbose:
        _verbose(run)
    if not args.quiet:
        _warn_missing_packs(run)
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    options = OutputOptions(
        quiet=args.quiet,
        fail_on=Severity.parse(args.fail_on) if args.fail_on else Severity.ERROR,
        ascii_only=not encoding.startswith("utf") and not args.output_file,
        drafts=tuple(run.drafts),
    )
    if args.statistics:
        from .output import _statistics

        render = _statistics.render_json if args.format == "json" else _statistics.render_text
        text = render(report, options)
    else:
        text = get_formatter(args.format).render(report, options)
    clash = _output_over_input(run, args.output_file, args.report)
    if clash is not None:  # checked before anything is written
        _err(f"{PROG}: error: refusing to write {clash}: it is one of the inputs of this run")
        return EXIT_ERROR
    if not _output(args.output_file, text):
        return EXIT_ERROR
    if args.report and not _output(args.report, get_formatter("html").render(
            report, OutputOptions(quiet=args.quiet, drafts=tuple(run.drafts)))):
        return EXIT_ERROR
    if report.errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    # --fail-on is part of the command-line layer, so each file's settings carry it
    return EXIT_FINDINGS if run.failing() else EXIT_OK


# -- entry point -------------------------------------------------------------------------


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        command, rest = argv[0], argv[1:]
        if command == "rules":
            return cmd_rules(rest)
        if command == "explain":
            return cmd_explain(rest)
        return cmd_check(rest)
    return cmd_check(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (never raises, never a traceback)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = os.environ.get("APOLOGYLINT_DEBUG", "") not in ("", "0")
    try:
        with warnings.catch_warnings():
            if not debug:  # library warnings are not the user's business
                warnings.simplefilter("ignore")
            return _dispatch(args)
    except UsageError as exc:
        _err(f"{PROG}: error: {exc}")
        return EXIT_ERROR
    except SystemExit as exc:  # --help and --version
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_ERROR)
    except KeyboardInterrupt:
        _err(f"{PROG}: interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (``apologylint ... | head``): not an error of ours
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_ERROR
    except Exception as exc:
        if debug:
            import traceback

            traceback.print_exc()
        else:
            reason = str(exc) or type(exc).__name__
            _err(f"{PROG}: internal error: {type(exc).__name__}: {reason} "
                 "(set APOLOGYLINT_DEBUG=1 to see the traceback)")
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
