"""A scoped pause of the cyclic garbage collector around the work on one file."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["gc_paused"]

#: How many threads are inside :func:`gc_paused`, and whether to re-enable the collector
#: when the last one leaves (it was enabled when the first one came in).
_pause_lock = threading.Lock()
_pause_depth = 0
_resume_gc = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while one file is loaded and linted.

    Why: a collection in the middle of a file walks everything the file has built so
    far, so on a 2 MB draft of nested elements the collections alone made the time grow
    as the square of the size, and on the benchmark corpus a quarter of the lint time
    went to them. A finished draft's cycles are collected by the first collection after
    the pause. The collector is process-wide, so the pause is counted across threads:
    the first thread in turns it off (if it was on) and the last one out turns it back
    on; the library never leaves it off.
    """
    global _pause_depth, _resume_gc
    with _pause_lock:
        if _pause_depth == 0:
            _resume_gc = gc.isenabled()
            gc.disable()
        _pause_depth += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause_depth -= 1
            if _pause_depth == 0 and _resume_gc:
                gc.enable()
