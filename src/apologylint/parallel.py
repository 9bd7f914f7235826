"""``--jobs N``: lint the files of one run in worker processes, with deterministic output.

Why processes: the work is pure Python (parsing, matching), so threads would share one
interpreter lock. Why the result is the same as with one job: the files are cut into
chunks in their walk order, :meth:`concurrent.futures.Executor.map` hands the results
back in that order, and they are merged exactly as the one-job loop appends them. The
one difference a worker makes is that each process has its own
:class:`~apologylint.audience.AddressLists`, so a finding about an address list (it
points at the list, not at a draft, and a run reports it once) can come from each worker:
such findings are merged once, where one job would have reported them.

Workers are forked where that is safe (Linux, a single-threaded parent), so they start
with the language packs the parent already compiled; elsewhere they are spawned and
compile them once each. Each worker freezes what it inherited out of the garbage
collector's sight: the collector would otherwise walk the compiled packs (~200,000
objects) again and again while drafts are linted.
"""

from __future__ import annotations

import contextlib
import copyreg
import gc
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .model import Report, Severity

if TYPE_CHECKING:
    from .api import RunResult
    from .audience import AddressLists
    from .project.conventions import MessagePlan
    from .project.repository import Repositories
    from .settings import Settings

__all__ = ["default_jobs", "lint_messages", "prepare_process", "tune_gc"]

Task = tuple["MessagePlan", "Settings"]

#: Files per chunk handed to a worker: large enough that the pickling round trip is
#: noise, small enough that the last chunks balance the workers.
_MAX_CHUNK = 16
#: Fewer files than this per worker are linted in this process.
_MIN_FILES_PER_JOB = 4

#: The worker's address lists and template repositories: one per worker process, for
#: the whole run (each list and each repository's indexes read once per worker).
_worker_lists: AddressLists | None = None
_worker_repos: Repositories | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def tune_gc() -> None:
    """Keep the cyclic garbage collector off what lives for the whole process.

    For a process that only lints (the command line, a worker): freeze everything alive
    now (modules, compiled packs, ~200,000 objects) so that no collection walks it
    again, and collect less often. Never called by the library: freezing is a decision
    for the owner of the process (the pause around each file,
    :func:`apologylint.gcpause.gc_paused`, is scoped and restores the collector's state).
    """
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def prepare_process() -> None:
    """For the command line: load the built-in packs now (a broken pack is still
    reported per draft), then :func:`tune_gc`, which freezes them."""
    from .packs import PackError, load_packs

    with contextlib.suppress(PackError):
        load_packs(())
    tune_gc()


def _mappingproxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_mappingproxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_mappingproxy, (dict(proxy),))


# ``Settings`` holds read-only mappings; a worker gets an equal copy of them.
copyreg.pickle(MappingProxyType, _reduce_mappingproxy)


def _worker_init(packs: tuple[str, ...]) -> None:
    from .audience import AddressLists
    from .packs import PackError, load_packs
    from .project.repository import Repositories

    global _worker_lists, _worker_repos
    _worker_lists = AddressLists()
    _worker_repos = Repositories()
    # Ctrl-C is the parent's to handle (one line, exit 130), not every worker's traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # spawned workers compile here, once; an error is reported per draft, as with one job
    with contextlib.suppress(PackError):
        load_packs(packs)
    tune_gc()


def _lint_task(task: Task) -> tuple[Report, dict[str, Severity]]:
    from .api import RunResult, _lint_message
    from .audience import AddressLists
    from .project.repository import Repositories

    global _worker_lists, _worker_repos
    if _worker_lists is None:
        _worker_lists = AddressLists()
    if _worker_repos is None:
        _worker_repos = Repositories()
    plan, settings = task
    run = RunResult(lists=_worker_lists, repos=_worker_repos)
    _lint_message(plan, settings, run)
    return run.report, run.fail_on


def _merge(run: RunResult, report: Report, fail_on: dict[str, Severity]) -> None:
    """Append one message's results as the one-job loop would have: a finding in a file
    shared by several drafts (a layout, an address list) is kept once per run."""
    run.add(report, set(report.languages))
    for path, threshold in fail_on.items():
        run.fail_on.setdefault(path, threshold)


def _context() -> Any:
    import multiprocessing

    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def lint_messages(tasks: Sequence[tuple[MessagePlan, Settings]], run: RunResult,
                  jobs: int) -> None:
    """Lint ``tasks`` (message, settings) into ``run``, in order, with up to ``jobs``
    processes; one job (or one message) runs here, in this process."""
    from .api import _lint_message

    # a worker costs more to start than a few files cost to lint (and pre-commit already
    # runs one process per batch): at least a handful of files per worker
    jobs = min(jobs, len(tasks) // _MIN_FILES_PER_JOB)
    if jobs <= 1 or run.keep_drafts:  # kept drafts (for the HTML report) stay in this process
        for plan, settings in tasks:
            _lint_message(plan, settings, run)
        return
    # imported here: a one-job run (pre-commit on a few files) never pays for them
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .packs import PackError, load_packs

    packs = tasks[0][1].packs
    with contextlib.suppress(PackError):
        for pack in load_packs(packs).values():
            _ = pack.matcher, pack.subject_matcher  # read once here: forked workers inherit them
    chunk = max(1, min(_MAX_CHUNK, len(tasks) // (jobs * 4)))
    payload = list(tasks)
    done = 0
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                               initializer=_worker_init, initargs=(packs,))
    try:
        for report, fail_on in pool.map(_lint_task, payload, chunksize=chunk):
            _merge(run, report, fail_on)
            done += 1
    except BrokenProcessPool:
        # a worker died (killed, out of memory): finish here, one file at a time
        pool.shutdown(wait=False, cancel_futures=True)
        for plan, settings in tasks[done:]:
            _lint_message(plan, settings, run)
        return
    except BaseException:  # Ctrl-C, or an error: do not wait for the queued files
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
