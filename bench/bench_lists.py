"""apologylint benchmark: address lists (AL801/AL802) at a million addresses.

Usage::

    python bench/bench_lists.py                     # 1,000,000 recipients vs 100,000 affected
    python bench/bench_lists.py --recipients 200000 --affected 20000

It generates (seeded) a recipient list of plain addresses with some display-name forms,
mixed case, a few thousand domains and a handful of invalid lines, and an affected list
that is a subset of it; then, each in a fresh process so that memory figures are clean:

(a) reading the recipient list alone (parse + normalise, no set): time;
(b) ``AddressLists.audience()``: the affected list into a set, the recipient list streamed
    against it (what AL801 does): time and peak memory (max RSS) above the process's
    baseline after imports;
(c) the command line, one draft with ``--recipients``/``--affected``/``--suppressed``
    (``--select AL801,AL802``): wall time and max RSS.

Nothing here is a pass/fail test; figures go to ``bench/README.md`` or the change's notes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DRAFT = (
    "Subject: Sorry: Tuesday's sale email had the wrong code\n"
    "From: Maya at Fernleaf <maya@fernleaf.example>\n\n"
    "We're sorry: the code in Tuesday's email did not work. Use SPRING20 instead.\n"
)


def generate(folder: Path, recipients: int, affected: int, seed: int) -> tuple[Path, Path, Path]:
    """Recipient, affected and suppressed lists (affected and suppressed: subsets)."""
    rng = random.Random(seed)
    domains = [f"mail{i}.example.{rng.choice(['com', 'pl', 'net', 'org', 'co.uk'])}"
               for i in range(4000)]
    domains += ["gmail.com", "wp.pl", "onet.pl", "outlook.com", "yahoo.com"] * 800
    rec_path, aff_path, sup_path = (folder / "recipients.txt", folder / "affected.csv",
                                    folder / "suppressed.txt")
    chosen = set(rng.sample(range(recipients), affected))
    suppressed = set(rng.sample(range(recipients), max(1, recipients // 200)))
    with rec_path.open("w", encoding="utf-8") as rec, aff_path.open("w", encoding="utf-8") as aff, \
            sup_path.open("w", encoding="utf-8") as sup:
        aff.write("customer_id;Adres e-mail;segment\n")
        for i in range(recipients):
            address = f"user.{i}.{rng.randrange(10**6)}@{rng.choice(domains)}"
            roll = rng.random()
            if roll < 0.02:
                line = f"Customer {i} <{address.upper()}>"
            elif roll < 0.03:
                line = f"  {address}  "
            elif roll < 0.0301:
                line = address.replace("@", "")  # invalid: reported, not dropped
            else:
                line = address
            rec.write(line + "\n")
            if i in chosen:
                aff.write(f"{i};{address.lower() if roll < 0.5 else address};spring\n")
            if i in suppressed:
                sup.write(address + "\n")
    return rec_path, aff_path, sup_path


_CHILD = r"""
import json, resource, sys, time
from apologylint import audience
mode, rec, aff = sys.argv[1], sys.argv[2], sys.argv[3]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
audience.normalize_address("warm.up@example.com", {})
start = time.perf_counter()
if mode == "read":
    n = sum(1 for _ in audience.read_list(rec))
    extra = {"lines": n}
else:
    found = audience.AddressLists().audience(rec, aff, None, keep=5)
    extra = {"recipients": found.total, "unaffected": found.unaffected.count,
             "invalid": found.bad_count}
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "base_kb": base, "peak_kb": peak, **extra}))
"""


def _child(mode: str, rec: Path, aff: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(rec), str(aff)],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def _cli(args: list[str]) -> tuple[float, int | None]:
    exe = shutil.which("apologylint")
    cmd = [exe] if exe else [sys.executable, "-m", "apologylint"]
    time_bin = shutil.which("time") or "/usr/bin/time"
    start = time.perf_counter()
    if Path(time_bin).exists():
        proc = subprocess.run([time_bin, "-f", "%M", *cmd, *args], capture_output=True,
                              text=True, check=False)
        elapsed = time.perf_counter() - start
        try:
            return elapsed, int(proc.stderr.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return elapsed, None
    subprocess.run(cmd + args, capture_output=True, check=False)
    return time.perf_counter() - start, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--affected", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        rec, aff, sup = generate(folder, args.recipients, args.affected, args.seed)
        print(f"generated in {time.perf_counter() - start:.1f} s: "
              f"{rec.stat().st_size / 1e6:.1f} MB recipients, "
              f"{aff.stat().st_size / 1e6:.1f} MB affected (CSV), "
              f"{sup.stat().st_size / 1e6:.2f} MB suppressed")
        print(f"python {sys.version.split()[0]} on {os.uname().machine}")

        read = _child("read", rec, aff)
        print(f"\n(a) read + normalise {read['lines']:,.0f} recipient lines: "
              f"{read['seconds']:.2f} s ({read['lines'] / read['seconds']:,.0f} lines/s)")
        both = _child("audience", rec, aff)
        grown = (both["peak_kb"] - both["base_kb"]) / 1024
        print(f"(b) {both['recipients']:,.0f} recipients vs {args.affected:,} affected: "
              f"{both['seconds']:.2f} s, {both['unaffected']:,.0f} unaffected, "
              f"{both['invalid']:,.0f} invalid lines; peak RSS {both['peak_kb'] / 1024:.0f} MB "
              f"(+{grown:.0f} MB over {both['base_kb'] / 1024:.0f} MB after imports)")

        draft = folder / "draft.txt"
        draft.write_text(DRAFT, encoding="utf-8")
        seconds, rss = _cli([str(draft), "--recipients", str(rec), "--affected", str(aff),
                             "--suppressed", str(sup), "--select", "AL801,AL802", "-q"])
        shown = f", max RSS {rss / 1024:.0f} MB" if rss else ""
        print(f"(c) CLI, one draft, AL801+AL802: {seconds:.2f} s{shown}")
        _ = resource  # (b) measures in the child; the parent's own RSS is not the figure
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
