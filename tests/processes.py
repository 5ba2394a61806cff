"""Running govlib in real processes for the tests: measured (peak memory of the whole process tree), killed at a
chosen point, and searched for processes it left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

from .conftest import ROOT


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float  # the largest resident set of the process or of any child it waited for
    seconds: float


# Peak memory comes from wait4 in a small process between the test and the command: Linux starts a child's peak
# at the size of the process it was forked from, and this test process is large.
_MEASURE = """
import os, signal, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    if -code != signal.SIGKILL:
        signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def run_measured(args: list[str], env: dict | None = None, timeout: float = 300, cwd=ROOT,
                 preexec_fn=None) -> Done:
    """Run ``args`` to the end; its exit status (negative: the signal that killed it), output, peak memory (the
    largest resident set of the process or of any process under it) and time."""
    import tempfile

    started = time.monotonic()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        proc = subprocess.Popen([sys.executable, "-c", _MEASURE, rss.name, *args], env=env, cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec_fn)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        peak = int(rss.read() or 0) / 1024
    return Done(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), peak,
                time.monotonic() - started)


def python(*code_or_args: str) -> list[str]:
    return [sys.executable, *code_or_args]


def tagged_env(**extra: str) -> tuple[dict, str]:
    """The environment for a run whose processes can be found later: every process it starts inherits the tag."""
    tag = uuid.uuid4().hex
    return {**os.environ, "GOVLIB_TEST_TAG": tag, **extra}, tag


def processes_tagged(tag: str) -> list[tuple[int, str]]:
    """(pid, command line) of every live process whose environment carries ``tag``."""
    found = []
    needle = f"GOVLIB_TEST_TAG={tag}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/stat", "rb") as f:
                if f.read().rsplit(b")", 1)[-1].split()[0] == b"Z":
                    continue  # a zombie: it has exited, and waits for its parent to collect its status
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                found.append((int(entry), f.read().replace(b"\0", b" ").decode(errors="replace")))
        except OSError:
            continue
    return found


def wait_until_gone(tag: str, seconds: float = 30) -> list[tuple[int, str]]:
    """Wait up to ``seconds`` for every process tagged ``tag`` to end; those still running."""
    deadline = time.monotonic() + seconds
    while True:
        left = processes_tagged(tag)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def square_or_fail(x: int) -> int:
    """For a worker: x², or an exception for a negative x, or the worker's death (SIGKILL) for x == 13."""
    if x == 13:
        os.kill(os.getpid(), 9)
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x * x


_cycles: list = []  # weak references to the reference cycles a worker made, item by item


def make_a_cycle(i: int) -> int:
    """For a worker: leave a reference cycle behind (as parsing does), and say how many of those made so far are
    still in memory."""
    import gc
    import weakref

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    _cycles.append(weakref.ref(a))
    del a, b
    assert not gc.isenabled()  # the worker's collector runs only now and then
    return sum(r() is not None for r in _cycles)
