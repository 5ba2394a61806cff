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


class MeasuredPopen(subprocess.Popen):
    """A Popen whose wait records the child's peak resident set (``os.wait4``)."""

    _govlib_rss = 0.0

    def _try_wait(self, wait_flags):
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            pid, status = self.pid, 0
        else:
            if pid:
                self._govlib_rss = usage.ru_maxrss / 1024
        return pid, status


def run_measured(args: list[str], env: dict | None = None, timeout: float = 300, cwd=ROOT,
                 preexec_fn=None) -> Done:
    """Run ``args`` to the end; its exit status, output, peak memory (``wait4``: the process or its largest
    child) and time."""
    started = time.monotonic()
    proc = MeasuredPopen(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=preexec_fn)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return Done(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), proc._govlib_rss,
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
