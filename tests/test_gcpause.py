"""The collector pause around one file: scoped, nested, shared by threads, never left off."""

from __future__ import annotations

import gc
import threading

import pytest

import apologylint
from apologylint.gcpause import gc_paused


@pytest.fixture(autouse=True)
def _restore_gc() -> object:
    was = gc.isenabled()
    yield None
    if was:
        gc.enable()
    else:
        gc.disable()


def test_pause_turns_the_collector_off_and_back_on() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_pause_restores_on_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_end_with_the_collector_on() -> None:
    gc.enable()
    inside = threading.Barrier(2)
    leave_first = threading.Event()
    states: list[bool] = []

    def first() -> None:
        with gc_paused():
            inside.wait()
        leave_first.set()

    def second() -> None:
        with gc_paused():
            inside.wait()
            leave_first.wait()
            states.append(gc.isenabled())  # the first thread left: still paused for us

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert states == [False]
    assert gc.isenabled()


def test_lint_leaves_the_collector_as_it_found_it() -> None:
    gc.enable()
    report = apologylint.lint(b"Subject: Sorry\nFrom: team@acme-mail.com\n\nWe are sorry.")
    assert report.errors == []
    assert gc.isenabled()
    gc.disable()
    apologylint.lint(b"Subject: Sorry\nFrom: team@acme-mail.com\n\nWe are sorry.")
    assert not gc.isenabled()


def test_a_linted_draft_leaves_no_cycles_behind() -> None:
    """Every object of a draft (words, matches, views, the context) is freed when the lint
    returns, not left to the cyclic collector: a cycle (a cached analysis holding its
    view) made each draft's ~2,000 objects wait for a collection that walked them all."""
    from conftest import EXAMPLES, POLISH_NOREPLY_DRAFT

    sources: list[bytes] = [POLISH_NOREPLY_DRAFT.encode()]
    sources += [p.read_bytes() for p in sorted(EXAMPLES.glob("*.eml"))]
    assert len(sources) >= 3
    apologylint.lint(sources[0])  # packs loaded, caches warm
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for data in sources:
            assert apologylint.lint(data).diagnostics is not None
        gc.collect()
        ours = [o for o in gc.garbage if type(o).__module__.startswith("apologylint")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert ours == []
