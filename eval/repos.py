"""Measure apologylint on real template repositories against blind labels.

``eval/repos/manifest.toml`` lists public email-template repositories (commit, where their
templates live) and, labelled without the tool, every message each defines (its files,
its subject) and the files that are no message (layouts, partials, documents ...). This
script runs apologylint over each repository *as its team's pre-commit hook would*: every
file under the repository's ``email_globs`` that the hook's ``files`` pattern matches,
README/licence excluded, named explicitly, from the repository's root. It reports per
repository:

* files given, messages labelled, messages linted once (found), twice (split: a text
  part linted on its own), missed, and drafts that are no message (a layout, a partial);
* subjects: of the labelled messages whose subject is written in the repository, how
  many drafts have that subject;
* findings, errors, and a reproducible sample of findings (for blind judging).

It uses only the public API (``apologylint.api.lint_paths``), so the same script measures
an older version installed in another virtual environment. The repositories are not part
of this project (their code is not ours to commit): fetch each at the commit the manifest
gives and check it out under ``--repos`` as ``<owner>+<name>``.

    python eval/repos.py --repos /work/repos [--json out.json] [--sample 30]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
import tomllib
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
HOOK_FILES = re.compile(
    r"(?i)(\.(eml|mbox|html?|xhtml|mjml|txt|text|md|markdown|hbs|handlebars|mustache|liquid|j2"
    r"|jinja2?|njk|nunjucks|twig|erb|tmpl|gohtml|gotmpl|tpl|template|json)|\.blade\.php)$"
)
HOOK_EXCLUDE = re.compile(
    r"(?i)(^|/)((readme|licen[cs]e|copying)([-_][a-z0-9]+)?|changelog|changes|contributing"
    r"|contributors|code_of_conduct|security|authors|notice)(\.(md|markdown|txt|rst|adoc))?$"
)
_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)
_PLACEHOLDER = re.compile(r"%\{\w+\}|\{\{.*?\}\}|<%=.*?%>|(?<![\w/]):[a-z_]\w*|\ufffc|%s|%d")


def _glob_match(path: str, pattern: str) -> bool:
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
    regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return re.fullmatch(regex, path) is not None


def hook_files(root: Path, globs: list[str], pattern: re.Pattern[str] = HOOK_FILES) -> list[str]:
    """The files the hook would be given: under the email globs, matching its pattern."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            rel = PurePosixPath(Path(dirpath, name).relative_to(root).as_posix()).as_posix()
            if not pattern.search(rel) or HOOK_EXCLUDE.search(rel):
                continue
            if any(_glob_match(rel, g) for g in globs):
                found.append(rel)
    return found


def normal_subject(text: str) -> str:
    """A subject as compared: control tags dropped, placeholders alike, spaces squeezed."""
    text = _TAG.sub(" ", text)
    text = _PLACEHOLDER.sub("•", text)
    return " ".join(text.split()).strip().lower()


def run_repo(repo: dict, root: Path, sample: int, pattern: re.Pattern[str],
             seed: int = 0) -> dict:
    from apologylint.api import lint_paths

    files = hook_files(root, repo["email_globs"], pattern)
    os.chdir(root)
    started = time.perf_counter()
    run = lint_paths(files, keep_drafts=True, force_exclude=True, jobs=1)
    seconds = time.perf_counter() - started
    report = run.report
    drafts: dict[str, list[str | None]] = {}
    for draft in run.drafts:
        drafts.setdefault(os.path.normpath(draft.path), []).append(draft.subject)
    labelled = repo.get("message", [])
    not_messages = {os.path.normpath(n["path"]): n["why"] for n in repo.get("not_message", [])}
    found = split = missed = 0
    subjects_written = subjects_found = 0
    claimed: set[str] = set()
    missed_ids: list[str] = []
    wrong_subjects: list[tuple[str, str, str]] = []
    for msg in labelled:
        bodies = [os.path.normpath(p) for p in (msg.get("html"), msg.get("text")) if p]
        hits = [b for b in bodies if b in drafts]
        claimed.update(hits)
        if not hits:
            missed += 1
            missed_ids.append(msg["id"])
        elif len(hits) == 1:
            found += 1
        else:
            split += 1
        if msg.get("subject"):
            subjects_written += 1
            got = [s for b in hits for s in drafts[b]]
            want = normal_subject(msg["subject"])
            if any(s is not None and normal_subject(s) == want for s in got):
                subjects_found += 1
            else:
                wrong_subjects.append((msg["id"], msg["subject"], repr(got[:1])))
    pieces = sorted(p for p in drafts if p in not_messages)
    others = sorted(p for p in drafts if p not in claimed and p not in not_messages)
    diags = [d.to_dict() for d in report.diagnostics]
    rng = random.Random(repo["name"] + str(seed))
    chosen = rng.sample(diags, min(sample, len(diags)))
    return {
        "name": repo["name"], "files_given": len(files), "messages": len(labelled),
        "found": found, "split": split, "missed": missed, "missed_ids": missed_ids[:10],
        "pieces_linted": pieces, "unlabelled_drafts": others[:20],
        "subjects_written": subjects_written, "subjects_found": subjects_found,
        "wrong_subjects": wrong_subjects[:8],
        "findings": len(diags), "errors": sum(d["severity"] == "error" for d in diags),
        "input_errors": [(e.path, e.message) for e in report.errors][:10],
        "rules": _counts(diags), "sample": chosen, "seconds": round(seconds, 2),
    }


def _counts(diags: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in diags:
        key = f"{d['rule']} ({d['severity']})"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=Path, required=True,
                        help="folder with a checkout of each repository as <owner>+<name>")
    parser.add_argument("--manifest", type=Path, default=HERE / "repos" / "manifest.toml")
    parser.add_argument("--json", type=Path, help="write every figure and the samples here")
    parser.add_argument("--sample", type=int, default=30, help="findings sampled per repo")
    parser.add_argument("--seed", type=int, default=0, help="another sample of findings")
    parser.add_argument("--only", help="comma list of repository names")
    parser.add_argument("--hook-files", default=HOOK_FILES.pattern,
                        help="the hook's `files` pattern (to measure an older version as "
                        "its own hook ran: that version's .pre-commit-hooks.yaml)")
    args = parser.parse_args()
    with args.manifest.open("rb") as fh:
        manifest = tomllib.load(fh)
    results = []
    only = set(args.only.split(",")) if args.only else None
    for repo in manifest["repo"]:
        if only and repo["name"] not in only:
            continue
        root = (args.repos / repo["name"].replace("/", "+")).resolve()
        if not root.is_dir():
            print(f"{repo['name']}: not checked out under {args.repos}", file=sys.stderr)
            continue
        results.append(run_repo(repo, root, args.sample, re.compile(args.hook_files),
                                args.seed))
    print(f"{'repository':42} {'given':>5} {'msgs':>4} {'found':>5} {'split':>5} {'missed':>6} "
          f"{'pieces':>6} {'subj':>9} {'finds':>5} {'errs':>4}")
    for r in results:
        print(f"{r['name']:42} {r['files_given']:5} {r['messages']:4} {r['found']:5} "
              f"{r['split']:5} {r['missed']:6} {len(r['pieces_linted']):6} "
              f"{r['subjects_found']:4}/{r['subjects_written']:<4} {r['findings']:5} "
              f"{r['errors']:4}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
