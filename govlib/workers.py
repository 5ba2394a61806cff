"""Worker processes that never outlive their parent, and a batch that survives a worker's death.

``map_in_workers`` runs a function over many items in ``jobs`` fresh Python processes and yields the results in the
items' order. Each worker is a plain ``python`` process (no multiprocessing: no resource tracker, no re-import of the
caller's ``__main__``) that reads items from a pipe and writes results to another, so the parent always knows which
item each worker is on. When a worker dies — the kernel's out-of-memory killer, a crash — only that item is lost
with it: it is tried again alone, in a fresh process, and if that one dies too, ``on_lost`` turns it into a result
(for ``govlib parse``, a row of ``failures``). The rest of the batch goes on.

A worker exits when its parent does, however the parent ends: the kernel sends it SIGKILL when the parent dies
(Linux ``PR_SET_PDEATHSIG``), and between items it finds the pipe from its parent closed. When the parent stops the
batch (an error, Ctrl-C, SIGTERM) it kills its workers and waits for them.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import os
import signal
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

AHEAD = 2  # items sent to a worker before its results come back: it never waits for the parent between items
COLLECT_EVERY = 200  # items a worker handles between two runs of Python's cyclic garbage collector
_PR_SET_PDEATHSIG = 1


def death_reason(returncode: int) -> str:
    """How a worker ended, in words."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        why = " (the kernel's out-of-memory killer sends it)" if -returncode == signal.SIGKILL else ""
        return f"was killed by {name}{why}"
    return f"exited with status {returncode}"


class _Worker:
    def __init__(self, function: str, env: dict | None):
        from_parent, to_worker = os.pipe()
        from_worker, to_parent = os.pipe()
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ if env is None else env)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from govlib.workers import serve; serve()", function, str(from_parent),
                 str(to_parent), str(os.getpid())],
                pass_fds=(from_parent, to_parent), stdin=subprocess.DEVNULL, env=env)
        finally:
            os.close(from_parent)
            os.close(to_parent)
        self.inbox = Connection(to_worker, readable=False)
        self.outbox = Connection(from_worker, writable=False)
        self.pending: deque[int] = deque()  # the items sent, in order; the first is the one it works on
        self.alone: int | None = None  # an item it must finish before it gets another

    def give(self, i: int, item) -> bool:
        """Send item ``i``; False if the worker is gone (its death is seen on its pipe and dealt with there)."""
        try:
            self.inbox.send((i, item))
        except OSError:
            return False
        self.pending.append(i)
        return True

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.inbox.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        with contextlib.suppress(OSError):
            self.outbox.close()


def map_in_workers(function: str, items: list, jobs: int, on_lost: Callable[[object, str], object],
                   env: dict | None = None, started: Callable[[], None] | None = None) -> Iterator:
    """``function(item)`` (``function`` named "module:name", importable by a fresh interpreter) for every item, in
    ``jobs`` worker processes; the results in the items' order.

    An item whose worker dies is tried again alone in a fresh worker; when that one dies too, its result is
    ``on_lost(item, how it died)``. An exception the function raises gives ``on_lost(item, "raised …")`` at once.
    ``started`` is called once the first result is in (for tests that stop the run there).
    """
    queue = deque(range(len(items)))
    retried: set[int] = set()
    results: dict[int, object] = {}
    workers: list[_Worker] = []
    done = 0
    try:
        workers = [_Worker(function, env) for _ in range(min(jobs, len(items)))]
        while done < len(items):
            for w in workers:  # keep every worker busy, but one that tries an item again holds it alone
                while w.alone is None and len(w.pending) < AHEAD and queue:
                    i = queue.popleft()
                    if not w.give(i, items[i]):
                        queue.appendleft(i)
                        break
            if not workers:  # cannot happen: every item is done, queued or held by a worker
                raise RuntimeError(f"no worker left with {len(items) - done} items not done")
            for conn in wait([w.outbox for w in workers]):
                w = next(w for w in workers if w.outbox is conn)
                try:
                    i, outcome = conn.recv()
                except (EOFError, OSError):
                    _replace(w, workers, queue, retried, results, items, on_lost, function, env)
                    continue
                w.pending.remove(i)
                w.alone = None
                results[i] = on_lost(items[i], f"raised {outcome.text}") if isinstance(outcome, _Raised) else outcome
            while done in results:
                yield results.pop(done)
                done += 1
                if done == 1 and started is not None:
                    started()
    finally:
        for w in workers:
            w.stop()


def _replace(w: _Worker, workers: list[_Worker], queue: deque, retried: set, results: dict, items: list,
             on_lost, function: str, env) -> None:
    """A worker died. The item it was on is tried again alone in a fresh worker, or given up if it was being tried
    again; the other items it held go back to the front of the queue."""
    how = death_reason(w.proc.wait())
    w.stop()
    workers.remove(w)
    again = None
    if w.pending:
        i = w.pending.popleft()
        queue.extendleft(reversed(w.pending))
        if i in retried:
            results[i] = on_lost(items[i], f"{how}, and so did a fresh one that tried it alone")
        else:
            retried.add(i)
            again = i
    if again is not None or queue:
        fresh = _Worker(function, env)
        workers.append(fresh)
        if again is not None:
            fresh.alone = again
            if not fresh.give(again, items[again]):  # gone at once: the item comes to the next fresh one
                fresh.alone = None
                queue.appendleft(again)


class _Raised:
    """An exception a worker's function raised, as text (the exception itself may not pickle)."""

    def __init__(self, text: str):
        self.text = text


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies; exit now if it already has."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def serve() -> None:
    """A worker's life (``python -c 'from govlib.workers import serve; serve()' FUNCTION IN OUT PARENT``): read an
    item, write its result, until the parent closes the pipe or dies."""
    function, read_fd, write_fd, parent = sys.argv[1:5]
    _die_with_parent(int(parent))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    module, name = function.split(":")
    fn = getattr(importlib.import_module(module), name)
    inbox = Connection(int(read_fd), writable=False)
    outbox = Connection(int(write_fd), readable=False)
    # The collector runs every COLLECT_EVERY items, not whenever allocations outnumber frees: a parse allocates
    # much and frees most of it, and the collector's own passes made a worker 10% slower than the same parse in
    # the parent. Its few reference cycles are freed at the next pass; what importing made is never walked again.
    gc.freeze()
    gc.disable()
    handled = 0
    while True:
        try:
            i, item = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = fn(item)
        except Exception as e:
            outcome = _Raised(f"{type(e).__name__}: {e}")
        outbox.send((i, outcome))
        handled += 1
        if handled % COLLECT_EVERY == 0:
            gc.collect()
