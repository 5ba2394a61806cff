"""Seconds per regional brief beside the floor of Papermill running an empty notebook; the same with 10,000 other
reports in the data (a brief must not cost more in a larger corpus); sequential and with --jobs 2; and the time of a
no-change re-run. Not a test: it prints figures.

Targets: a brief costs at most 2x the empty-notebook floor, also with 10,000 other reports in the data; a no-change
re-run takes under a second.

    python benchmarks/briefs.py [--others 10000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from parse import make_corpus  # benchmarks/parse.py: the generated corpus, cached

from govlib import corpus, paths
from govlib.briefs import runner as briefs
from govlib.metrics import Tables, compute
from govlib.regions import divisions


def empty_notebook(tmp: Path) -> Path:
    nb = tmp / "empty.ipynb"
    nb.write_text(json.dumps({
        "cells": [{"id": "x", "cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [], "execution_count": None,
                   "source": "x = 1"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return nb


def floor_run(nb: Path, tmp: Path) -> float:
    import papermill

    t0 = time.perf_counter()
    papermill.execute_notebook(str(nb), str(tmp / "out.ipynb"), kernel_name="python3", progress_bar=False)
    return time.perf_counter() - t0


def paired(processed: Path, tmp: Path, empty: Path, rounds: int, regions=None) -> list[tuple[float, float]]:
    """(empty-notebook seconds, brief seconds) pairs: each brief right after an empty-notebook run, so both see
    the machine in the same state (on this VM the speed of either drifts by a third from minute to minute). The
    briefs read their region's slice, as `govlib briefs` hands them; with ``regions``, the briefs of those regions
    only (the bundled reports' regions among the thousands of the generated ones)."""
    tables = Tables.load(processed)
    jobs = [job for job in briefs.plan(processed, tables=tables) if regions is None or job.region in regions]
    slices = briefs.write_slices(tables, compute(tables), "county", {job.region for job in jobs}, tmp)
    pairs = []
    for _ in range(rounds):
        for job in jobs:
            floor = floor_run(empty, tmp)
            outcome = briefs.run_one(job, str(slices[job.region][0]), str(tmp / "paired"), str(briefs.NOTEBOOK),
                                     "zh", "county")
            assert outcome.status == "done", outcome.error
            pairs.append((floor, outcome.seconds))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--others", type=int, default=10000, help="generated reports added to the data, in a second "
                    "measurement beside the first (0: none)")
    ap.add_argument("--rounds", type=int, default=2, help="pairs of each brief and an empty notebook, a round being "
                    "one pair a region (each pair swings by a third either way on this machine)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        processed = tmp / "processed"
        corpus.parse_to([paths.RAW], processed, progress=False)
        empty = empty_notebook(tmp)
        floor_run(empty, tmp)  # warm-up: the first kernel of a session pays for cold caches
        pairs = paired(processed, tmp / "alone", empty, args.rounds)
        if args.others:
            crowded = tmp / "crowded"
            bundled = {job.region for job in briefs.plan(processed)}
            # the same briefs with 10,000 reports of other places around them: a generated township in a bundled
            # county would add an agency to its briefs and measure a larger brief, not a larger corpus
            names = tuple(divisions().by_code[code].name for code in bundled)
            others = [p for p in make_corpus(args.others + 200, 1)
                      if not any(n in p.read_text(encoding="utf-8")[:200] for n in names)][:args.others]
            corpus.parse_to([paths.RAW, *others], crowded, progress=False, jobs=2)
            crowd = paired(crowded, tmp / "crowd", empty, args.rounds, regions=bundled)
        results = {}
        for jobs in (1, 2):
            out = tmp / f"reports-{jobs}"
            t0 = time.perf_counter()
            summary = briefs.run(processed, out, jobs=jobs, progress=False, force=True)
            results[jobs] = (time.perf_counter() - t0, summary.count("done"))
        t0 = time.perf_counter()
        summary = briefs.run(processed, tmp / "reports-2", jobs=2, progress=False)
        rerun = time.perf_counter() - t0
    n = results[1][1]
    if args.others:
        ratio = statistics.median(b / f for f, b in crowd)
        print(f"with {len(others):,} other reports in the data (none of the briefs' regions): a brief costs {ratio:.2f}x the empty notebook "
              f"(median of {len(crowd)} pairs; {statistics.median(b for _, b in crowd):.2f} s; target: at most 2x)")
    floor = statistics.median(f for f, _ in pairs)
    each = statistics.median(b for _, b in pairs)
    ratio = statistics.median(b / f for f, b in pairs)
    print(f"empty notebook under Papermill (floor): {floor:6.2f} s   (median of {len(pairs)})")
    print(f"one brief (Papermill run + HTML):       {each:6.2f} s   (median of {len(pairs)}, each run right after a "
          f"floor run; from {min(b for _, b in pairs):.2f} to {max(b for _, b in pairs):.2f} s)")
    print(f"ratio brief / floor:                    {ratio:6.2f}x   (median of the {len(pairs)} pairs; "
          f"from {min(b / f for f, b in pairs):.2f} to {max(b / f for f, b in pairs):.2f}; target: at most 2x)")
    print(f"all briefs, sequential:                 {results[1][0] / n:6.2f} s each ({n} regions, "
          f"{results[1][0]:.1f} s with the planning and the index)")
    print(f"all briefs, --jobs 2:                   {results[2][0] / n:6.2f} s each ({results[2][0]:.1f} s, "
          f"{results[1][0] / results[2][0]:.2f}x faster)")
    print(f"no-change re-run of every region:       {rerun:6.2f} s   ({summary.count('skipped')} skipped; "
          f"target: under 1 s)")


if __name__ == "__main__":
    main()
