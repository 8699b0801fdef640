"""How the per-flow work runs: with the garbage collector paused, on one or more cores.

Parsing and modelling a flow allocates hundreds of thousands of objects that all
live until the flow is done and are freed by reference counting; the cyclic
collector would walk them again and again (a sixth of a large flow's lint) and
find nothing. So it pauses while one flow is worked on and resumes between flows.

Many flows (``--jobs``) are spread over forked worker processes; results come back
in input order, so output and exit code are those of one process.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from functools import cache


@contextmanager
def paused_gc():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def map_large_blocks() -> None:
    """Have glibc map each block of 128 KiB or more on its own and unmap it when it is freed
    (``mallopt(M_MMAP_THRESHOLD)``; elsewhere nothing).

    glibc raises that threshold to the size of the largest mapped block freed so far: once
    orjson's own copy of a 10 MB document is freed, the multi-megabyte texts a patch makes
    next come from its heap, which keeps their pages when they are freed (5 MiB over lint's
    peak, for a patch of a 10 MB flow). Set, the threshold stays where it is."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD


def trim_heap() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A large flow's texts are single allocations of megabytes. Once one is freed, glibc serves the
    next ones from its heap instead of mapping them apart, and keeps their pages when they are
    freed in turn: a patch of a 10 MB flow would hold 20 MB it no longer uses while it lints."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


@cache
def _libc():
    """The C library's functions (ctypes), or None where it cannot be loaded."""
    try:
        import ctypes

        return ctypes.CDLL(None)
    except (ImportError, OSError):
        return None


# Set by the command (``__main__.run``), which ends with ``leave``: what the process still holds
# then is given back by the system at once.
LEAVING = False
_held: list = []


def keep_to_the_end(value) -> None:
    """Hold ``value`` (a flow just linted, the last of the run) until the process leaves,
    instead of freeing its hundreds of thousands of objects one by one now (a fiftieth of a
    10 MB flow's lint), and out of the collector's sight (frozen, as start-up's objects are)."""
    _held.append(value)
    gc.freeze()


def leave(code) -> None:
    """End the process with ``code`` (as ``sys.exit`` takes it) once its output is flushed,
    without the interpreter's teardown.

    Tearing down frees every module and object one by one and runs a last collection: a
    seventh of a small flow's lint, a tenth of a large one's, for memory the system takes
    back at once anyway (mypy ends the same way). Everything connectflow writes is written
    and closed by then (files are replaced atomically, worker pools are shut down); only
    the standard streams are still buffered."""
    if code is not None and not isinstance(code, int):  # sys.exit("message"): printed, status 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: what it did not take is lost either way
            pass
    os._exit(code or 0)


# -- many flows on every core -----------------------------------------------------------------

_task = None  # the function the forked workers call (they inherit it; closures need no pickling)

AUTO_JOBS_FROM = 8  # fewer flows than this run in-process: forking would cost more than it saves


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def jobs_for(jobs: int | None, count: int) -> int:
    """Worker processes for ``count`` flows: ``jobs`` when given (0: the cores), else the cores
    when there are more than a few flows, else 1."""
    if jobs is None:
        jobs = cores() if count >= AUTO_JOBS_FROM else 1
    elif jobs == 0:
        jobs = cores()
    return max(1, min(jobs, count))


def _call(item):
    return _task(item)


def ordered_map(function, items: list, jobs: int) -> list:
    """``[function(i) for i in items]``, on ``jobs`` forked processes when there is more than one.

    Results come back in the order of ``items`` and the first item (in that order) that
    raises re-raises its exception, so the outcome is the one of a single process.
    Where processes cannot be forked (Windows), everything runs here."""
    if jobs <= 1 or len(items) < 2:
        return [function(item) for item in items]
    import multiprocessing  # only for more than one process
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _task
    _task = function
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return list(pool.map(_call, items, chunksize=max(1, len(items) // (jobs * 8))))
    finally:
        _task = None
