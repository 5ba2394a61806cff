"""A Dask LocalCluster of two single-threaded worker processes against govlib's own two worker processes, on the same
generated reports, rounds interleaved (this machine's speed drifts by a third from minute to minute). Not a test: it
prints figures.

Target (issue "Speed where it matters"): ``parse_corpus(..., scheduler=)`` on a LocalCluster costs at most 1.2x
``parse_corpus(..., jobs=2)`` on the same two cores.

    python benchmarks/cluster.py [--reports 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from parse import make_corpus  # benchmarks/parse.py: the generated corpus, cached

from govlib import parse_corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    files = make_corpus(args.reports, args.seed)
    times: dict[str, list[float]] = {"pool": [], "cluster": []}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(lambda: __import__("govlib.corpus"))  # the workers' imports are not part of a run
        runs = {"pool": lambda: parse_corpus(files, progress=False, jobs=2),
                "cluster": lambda: parse_corpus(files, progress=False, scheduler=client)}
        for r in range(args.rounds):
            for name in (("pool", "cluster") if r % 2 == 0 else ("cluster", "pool")):
                t0 = time.perf_counter()
                ds = runs[name]()
                ds.applications, ds.findings  # the frames are part of the work
                times[name].append(time.perf_counter() - t0)
    pool, dask = statistics.median(times["pool"]), statistics.median(times["cluster"])
    print(f"{len(files)} generated reports, {args.rounds} rounds interleaved, two cores:")
    print(f"  parse_corpus(jobs=2), govlib's workers:   {pool:6.2f} s   {len(files) / pool:6.0f} reports/s   "
          f"(rounds: {' '.join(f'{t:.2f}' for t in times['pool'])})")
    print(f"  parse_corpus(scheduler=LocalCluster(2)): {dask:6.2f} s   {len(files) / dask:6.0f} reports/s   "
          f"(rounds: {' '.join(f'{t:.2f}' for t in times['cluster'])})")
    print(f"  cluster / pool: {dask / pool:.2f}x   target: at most 1.2x — {'met' if dask / pool <= 1.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
