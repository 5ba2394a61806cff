"""A national-scale run on one machine: `govlib parse` over N generated reports (100,000 by default), each of its own
agency and year (a real township of the division table, over consecutive years, so that C1 compares agencies'
years and duplicates are as rare as in real corpora); prints the time and the peak memory of the parsing process
and of its workers. Not a test: it prints figures.

Target: memory bounded by the batch, not the corpus (under 1 GB for 100,000 reports).

    python benchmarks/scale.py [--reports 100000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from parse import cached  # benchmarks/parse.py: generated corpora kept in benchmarks/.corpus

from govlib.regions import divisions
from govlib.testing import synth

HERE = Path(__file__).resolve().parent


def make_corpus(n: int, seed: int) -> Path:
    def build(folder: Path) -> None:
        rng = random.Random(seed)
        towns = [d for d in divisions().by_code.values() if d.level == 4]
        layouts = ["tab_rows", "pipe", "cells", "markdown", "glued"]
        for i in range(n):
            year = 2020 + i // len(towns)  # each township once a year
            rep = synth.generate(rng, "2019" if year < 2021 else "2021")
            town = towns[i % len(towns)]
            county = divisions().by_code[town.parent]
            rep.agency, rep.year = f"{county.name}{town.name}人民政府", year
            layout = layouts[i % len(layouts)]
            shard = folder / f"{i // 1000:03d}"
            shard.mkdir(exist_ok=True)
            (shard / f"{i:06d}-{layout}.txt").write_text(synth.render_text(rep, layout, rng), encoding="utf-8")

    recipe = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]  # this file makes the corpus too
    return cached(f"scale-{n}-{seed}-{recipe}", build)


def tree_rss(pid: int) -> tuple[int, int]:
    """Resident memory in bytes of a process, and of it with every process under it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return rss.get(pid, 0), total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    t0 = time.perf_counter()
    folder = make_corpus(args.reports, args.seed)
    print(f"corpus: {args.reports:,} generated reports in {folder} ({time.perf_counter() - t0:.0f} s to make or find)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "processed"
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "govlib", "parse", str(folder), "--out", str(out), "--quiet",
                                 "--jobs", str(args.jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peaks = [0, 0]

        def watch() -> None:
            while proc.poll() is None:
                own, tree = tree_rss(proc.pid)
                peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], tree)
                time.sleep(0.25)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        stdout, stderr = proc.communicate()
        seconds = time.perf_counter() - started
        watcher.join()
        sizes = sum(p.stat().st_size for p in out.glob("*.parquet")) if out.exists() else 0
    print(stdout.strip() or stderr.strip()[-500:])
    print(f"govlib parse --jobs {args.jobs}: {seconds:.0f} s, {args.reports / seconds:.0f} reports/s")
    print(f"peak memory: {peaks[0] / 2**20:.0f} MB the parsing process, {peaks[1] / 2**20:.0f} MB with its "
          f"{args.jobs} workers (sampled every 0.25 s; target: under 1 GB)")
    print(f"tables written: {sizes / 2**20:.0f} MB of Parquet")


if __name__ == "__main__":
    main()
