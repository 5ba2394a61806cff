"""One timing, in a process of its own, of whichever govlib is first on ``sys.path`` (``benchmarks/parse.py
--baseline`` runs it once with an older commit's tree and once with the working tree, rounds interleaved).

    python benchmarks/timing.py WHAT LIST_FILE [RUNS]

WHAT is ``parse`` (``parse_report`` over every file, one core), ``corpus`` (``parse_corpus`` with its frames built,
one process) or ``corpus2`` (the same with two worker processes). LIST_FILE holds one path a line. Prints the
files per second of the best of RUNS runs, and where govlib was imported from.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path


def main() -> None:
    what, listing = sys.argv[1], Path(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    files = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    import govlib
    from govlib import parse_corpus, parse_report

    def once() -> None:
        if what == "parse":
            for p in files:
                parse_report(p)
        else:
            ds = parse_corpus(files, progress=False, jobs=2 if what == "corpus2" else 1)
            ds.applications, ds.findings  # the frames are part of the work

    once() if what == "corpus2" else None  # workers: the first run pays for starting them
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        once()
        best = min(best, time.perf_counter() - t0)
    print(f"{len(files) / best:.2f} {Path(govlib.__file__).parent}")


if __name__ == "__main__":
    main()
