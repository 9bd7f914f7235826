"""Instructions executed to lint emails, counted by valgrind: for comparing two versions.

Usage::

    python bench/instructions.py              # the first 50 emails of the bench corpus
    python bench/instructions.py --count 20   # fewer (each run takes ~25 s for 50)

Why: wall time on a shared virtual machine moves by a tenth from run to run, more than
most single changes gain, so a change measured by ``bench.py`` alone is noise. The number
of machine instructions the interpreter executes (valgrind's ``callgrind`` tool) is the
same from run to run; it is not time (cache misses and system calls are not in it), but
for Python code the two move together. Each figure is the difference of two processes,
one that lints the emails and one that only starts and lints the first, so imports and
pack loading are left out; the floor (``bench.floor_parse``) is counted the same way.

Compare with and without a change by running it on both (``git stash``). The figures in
``bench/README.md`` that say "instructions" were measured so.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generate_corpus

#: Run by each counted process: lint (or parse) the first email, then, with "all", every one.
_SCRIPT = """
import sys
sys.path.insert(0, {bench!r})
from pathlib import Path
paths = sorted(Path({folder!r}).glob("*.eml"))
if {floor}:
    from bench import floor_parse as run
else:
    import apologylint
    def run(files):
        for path in files:
            apologylint.lint(path)
run(paths[:1])
if sys.argv[1] == "all":
    run(paths)
"""


def count(script: str, what: str) -> int:
    """Instructions executed by ``python -c script what``."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", script, what],
        capture_output=True, text=True, check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=50, help="emails (default 50)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        generate_corpus(folder, args.count)
        bench = str(Path(__file__).resolve().parent)
        figures = {}
        for name, floor in (("floor", True), ("apologylint", False)):
            script = _SCRIPT.format(bench=bench, folder=str(folder), floor=floor)
            figures[name] = count(script, "all") - count(script, "first")
    for name, instructions in figures.items():
        print(f"{name:12} {instructions / 1e9:7.3f} G instructions for {args.count} emails")
    print(f"apologylint / floor: {figures['apologylint'] / figures['floor']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
