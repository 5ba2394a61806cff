"""Seconds per regional brief beside the floor of Papermill running an empty notebook; sequential and with
--jobs 2; and the time of a no-change re-run. Not a test: it prints figures.

Targets (issue 4): a brief costs at most 2x the empty-notebook floor; a no-change re-run takes under a second.

    python benchmarks/briefs.py
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from govlib import briefs, corpus, paths


def empty_notebook_floor(tmp: Path, runs: int = 5) -> float:
    import papermill

    nb = tmp / "empty.ipynb"
    nb.write_text(json.dumps({
        "cells": [{"id": "x", "cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [], "execution_count": None,
                   "source": "x = 1"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        papermill.execute_notebook(str(nb), str(tmp / "out.ipynb"), kernel_name="python3", progress_bar=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        processed = tmp / "processed"
        corpus.parse_to([paths.RAW], processed, progress=False)
        floor = empty_notebook_floor(tmp)
        results = {}
        for jobs in (1, 2):
            out = tmp / f"reports-{jobs}"
            t0 = time.perf_counter()
            summary = briefs.run(processed, out, jobs=jobs, progress=False, force=True)
            results[jobs] = (time.perf_counter() - t0, summary.count("done"),
                             [o.seconds for o in summary.outcomes if o.status == "done"])
        t0 = time.perf_counter()
        summary = briefs.run(processed, tmp / "reports-2", jobs=2, progress=False)
        rerun = time.perf_counter() - t0
    n = results[1][1]
    each = statistics.median(results[1][2])
    seq = results[1][0] / n
    par = results[2][0] / n
    print(f"empty notebook under Papermill (floor): {floor:6.2f} s")
    print(f"one brief (Papermill run + HTML):       {each:6.2f} s   (median of {n}; "
          f"from {min(results[1][2]):.2f} to {max(results[1][2]):.2f} s)")
    print(f"all briefs, sequential:                 {seq:6.2f} s each ({n} regions, {results[1][0]:.1f} s with the "
          f"planning and the index)")
    print(f"all briefs, --jobs 2:                   {par:6.2f} s each ({results[2][0]:.1f} s, "
          f"{results[1][0] / results[2][0]:.2f}x faster)")
    print(f"ratio brief / floor:                    {each / floor:6.2f}x   (target: at most 2x)")
    print(f"no-change re-run of every region:       {rerun:6.2f} s   ({summary.count('skipped')} skipped; "
          f"target: under 1 s)")


if __name__ == "__main__":
    main()
