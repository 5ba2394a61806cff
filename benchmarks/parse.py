"""Parse throughput on a few thousand generated reports, beside the floor of reading and decoding the same files.

Not a test: it prints figures. Target (issue 2): at least 500 reports/s on one core, within 10x of the floor.

    python benchmarks/parse.py [--reports 3000] [--seed 1]
    python benchmarks/parse.py --baseline b63ef57 [--rounds 3]   # the working tree against an older commit

With ``--baseline REF`` the commit REF is checked out in a temporary worktree, and each measurement (the layout mix,
glued text alone, ``parse_corpus`` with its frames, and the same with two workers) runs in a fresh process of the
older tree and of the working tree in turn, rounds interleaved, since this machine's speed drifts by a third from
minute to minute; the ratio of the medians is printed.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from govlib import parse_corpus, parse_report
from govlib.testing import synth
from govlib.decoding import decode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def cached(name: str, build) -> Path:
    """A generated corpus kept in benchmarks/.corpus/<name>-<generator> (``build(folder)`` writes it the first time);
    a change to the generator (govlib/testing/synth.py) makes a new one."""
    generator = hashlib.sha256(Path(synth.__file__).read_bytes()).hexdigest()[:10]
    folder = HERE / ".corpus" / f"{name}-{generator}"
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        build(folder)
        (folder / ".complete").touch()
    return folder


def make_corpus(n: int, seed: int) -> list[Path]:
    """``n`` generated reports in the five text layouts in turn, each of an agency of its own (a township of the
    division table): in a real corpus two reports of one agency and year are rare, and the checks across reports
    compare the cells of every such pair (the generator's five agencies would make nearly every report a duplicate
    of another)."""
    def build(folder: Path) -> None:
        from govlib.regions import divisions

        rng = random.Random(seed)
        towns = [d for d in divisions().by_code.values() if d.level == 4]
        layouts = ["tab_rows", "pipe", "cells", "markdown", "glued"]
        for i in range(n):
            rep = synth.generate(rng)
            town = towns[(i * 7919) % len(towns)]  # spread over the country
            rep.agency = f"{divisions().by_code[town.parent].name}{town.name}人民政府"
            layout = layouts[i % len(layouts)]
            (folder / f"{i:05d}-{layout}.txt").write_text(synth.render_text(rep, layout, rng), encoding="utf-8")

    return sorted(cached(f"{n}-{seed}-agencies", build).glob("*.txt"))


def make_pdf_corpus(n: int, seed: int) -> list[Path]:
    def build(folder: Path) -> None:
        rng = random.Random(seed)
        docx = []
        for i in range(n):
            path = folder / f"{i:04d}.docx"
            path.write_bytes(synth.render_docx(synth.generate(rng), rng))
            docx.append(path)
        synth.convert(docx, "pdf", folder)
        for path in docx:
            path.unlink()

    return sorted(cached(f"pdf-{n}-{seed}", build).glob("*.pdf"))


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


STEPS = {  # the steps parse_report takes: (module, function) as govlib.report (and govlib.rows) call them
    ("report", "read_document"): "read and decode the file",
    ("report", "find_sections"): "find the sections",
    ("report", "detect_template"): "detect the template",
    ("report", "find_meta"): "read title, agency, year",
    ("report", "locate_rows"): "find the row labels",
    ("rows", "tokenize"): "cut rows into cells",
    ("report", "fit_table"): "fit cells to columns, glued cuts",
    ("report", "validate"): "check the identities",
    ("report", "narrative_findings"): "check the prose",
}


WHAT = {name: what for (_, name), what in STEPS.items()}


def steps(files: list[Path]) -> dict[str, float]:
    """Milliseconds per report in each step of ``parse_report``, timed by wrapping the functions govlib.report and
    govlib.rows call (``locate_rows`` without the ``tokenize`` it calls); "everything else" is the rest of the
    time."""
    import importlib

    spent: Counter = Counter()
    modules = {name: importlib.import_module(f"govlib.{name}") for name, _ in STEPS}
    originals = {step: getattr(modules[step[0]], step[1]) for step in STEPS}

    def timed(name, f):
        def step(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0
        return step

    for (module, name), f in originals.items():
        setattr(modules[module], name, timed(name, f))
    try:
        t0 = time.perf_counter()
        for p in files:
            parse_report(p)
        total = time.perf_counter() - t0
    finally:
        for (module, name), f in originals.items():
            setattr(modules[module], name, f)
    spent["locate_rows"] -= spent["tokenize"]
    out = {name: spent[name] * 1e3 / len(files) for _, name in STEPS}
    out["everything else"] = total * 1e3 / len(files) - sum(out.values())
    return out


def timed(tree: Path, what: str, listing: Path, runs: int) -> float:
    """Files per second of one measurement (``benchmarks/timing.py``) in a fresh process importing govlib from
    ``tree``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, str(HERE / "timing.py"), what, str(listing), str(runs)], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    if Path(out[1]).resolve() != (tree / "govlib").resolve():
        raise SystemExit(f"timing imported govlib from {out[1]}, not from {tree}")
    return float(out[0])


def against_baseline(ref: str, files: list[Path], rounds: int) -> None:
    """The working tree against commit ``ref``, side by side, rounds interleaved; prints rates and ratios."""
    glued = [p for p in files if p.stem.endswith("glued")]
    with tempfile.TemporaryDirectory(prefix="govlib-baseline-") as tmp:
        base = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base), ref], check=True)
        try:
            lists = {}
            for name, subset in (("mix", files), ("glued", glued)):
                lists[name] = Path(tmp) / f"{name}.txt"
                lists[name].write_text("\n".join(map(str, subset)), encoding="utf-8")
            measures = [("parse_report, layout mix", "parse", "mix", 2), ("parse_report, glued text", "parse", "glued", 2),
                        ("parse_corpus + frames", "corpus", "mix", 1), ("  with 2 worker processes", "corpus2", "mix", 1)]
            rates: dict[str, dict[str, list[float]]] = {m[0]: {"base": [], "now": []} for m in measures}
            for r in range(rounds):
                for label, what, subset, runs in measures:
                    order = (("base", base), ("now", ROOT)) if r % 2 == 0 else (("now", ROOT), ("base", base))
                    for who, tree in order:
                        rates[label][who].append(timed(tree, what, lists[subset], runs))
            print(f"against {ref} ({rounds} rounds interleaved, {len(files)} reports, {len(glued)} glued), reports/s:")
            for label, got in rates.items():
                b, n = statistics.median(got["base"]), statistics.median(got["now"])
                print(f"  {label:<28} {ref[:10]} {b:8.1f}   now {n:8.1f}   ratio {n / b:5.2f}x   "
                      f"(rounds: {' '.join(f'{x:.0f}' for x in got['base'])} | {' '.join(f'{x:.0f}' for x in got['now'])})")
            now = {label: statistics.median(got["now"]) for label, got in rates.items()}
            one, two = now["parse_corpus + frames"], now["  with 2 worker processes"]
            print(f"  two workers against one, working tree: {two / one:.2f}x")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pdfs", type=int, default=40)
    ap.add_argument("--baseline", metavar="REF", help="a commit to time the working tree against, side by side")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds with --baseline")
    args = ap.parse_args()
    files = make_corpus(args.reports, args.seed)
    if args.baseline:
        against_baseline(args.baseline, files, args.rounds)
        return
    n = len(files)
    size = sum(p.stat().st_size for p in files)
    print(f"corpus: {n} generated reports, {size / 1e6:.1f} MB, layouts {dict(Counter(p.stem.split('-')[1] for p in files))}")

    floor = best_of(args.runs, lambda: [decode(p.read_bytes(), str(p)) for p in files])
    first = best_of(1, lambda: [parse_report(p) for p in files])  # caches of cells and cuts empty, as in real use
    parse = best_of(args.runs, lambda: [parse_report(p) for p in files])
    layouts = {}
    for layout in ("tab_rows", "pipe", "cells", "markdown", "glued"):
        subset = [p for p in files if p.stem.endswith(layout)]
        layouts[layout] = len(subset) / best_of(1, lambda: [parse_report(p) for p in subset])
    whole = best_of(1, lambda: parse_corpus(files, progress=False).applications)
    workers = best_of(1, lambda: parse_corpus(files, progress=False, jobs=2).applications)

    tracemalloc.start()
    reports = [parse_report(p) for p in files]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del reports
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"read + decode floor:     {n / floor:10.0f} reports/s  ({floor * 1e3 / n:.3f} ms each)")
    print(f"parse_report, first pass:{n / first:10.0f} reports/s  ({first * 1e3 / n:.3f} ms each)")
    print(f"parse_report (one core): {n / parse:10.0f} reports/s  ({parse * 1e3 / n:.3f} ms each; best of {args.runs},"
          f" the same files again)")
    for layout, rate in layouts.items():
        print(f"  {layout:<9}              {rate:10.0f} reports/s")
    print(f"parse_corpus + frames:   {n / whole:10.0f} reports/s")
    print(f"  with 2 worker processes{n / workers:10.0f} reports/s")
    print(f"ratio parse / floor:     {parse / floor:10.1f}x   (target: within 10x)")
    print(f"target 500 reports/s:    {'met' if n / parse >= 500 else 'NOT met'}")
    print(f"peak Python memory holding all {n} parsed reports: {peak / 1e6:.1f} MB; max RSS {maxrss:.0f} MB")
    cell_steps = steps([p for p in files if not p.stem.endswith("glued")])
    glued_steps = steps([p for p in files if p.stem.endswith("glued")])
    print("where the time goes, ms per report:  cell layouts   glued")
    for name, ms in cell_steps.items():
        print(f"  {WHAT.get(name, name):<34}{ms:10.3f}{glued_steps[name]:10.3f}")
    if args.pdfs <= 0:
        return
    pdfs = make_pdf_corpus(args.pdfs, args.seed)
    pdf = best_of(1, lambda: [parse_report(p) for p in pdfs])
    text = [p for p in files if not p.stem.endswith("glued")][: len(pdfs)]
    text_time = best_of(1, lambda: [parse_report(p) for p in text])
    print(f"PDF (LibreOffice-made, ruled tables): {len(pdfs) / pdf:7.1f} reports/s  ({pdf * 1e3 / len(pdfs):.1f} ms each)"
          f" against {len(text) / text_time:.0f} reports/s for the same number of text reports")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
