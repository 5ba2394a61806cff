"""PDF throughput: decoding.pdf_text (pdfplumber) against govlib.pdf.pdf_text (PDFium), side by side.

Not a test: it prints figures. Target (issue "Speed where it matters"): at least 10x pdfplumber's PDFs/s on one core,
the output identical. The corpus is generated reports made PDF by LibreOffice, as published reports are (ruled
tables, and every third without rules), kept in benchmarks/.corpus. The two paths are timed in interleaved rounds
(this machine's speed drifts by a third between minutes), in CPU time of this one process.

    python benchmarks/pdf.py [--pdfs 40] [--seed 1] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from govlib import decoding, parse_report, pdf
from govlib.rows import continues_row
from govlib.testing import synth

HERE = Path(__file__).resolve().parent


def make_corpus(n: int, seed: int) -> list[Path]:
    """``n`` generated reports of both templates as LibreOffice PDFs, every third with tables without rules (a
    generator change makes a new corpus)."""
    import docx

    generator = hashlib.sha256(Path(synth.__file__).read_bytes()).hexdigest()[:10]
    folder = HERE / ".corpus" / f"pdf-mixed-{n}-{seed}-{generator}"
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(seed)
        sources = []
        for i in range(n):
            rep = synth.generate(rng, ("2019", "2021")[i % 2])
            data = synth.render_docx(rep, rng)
            kind = "ruled"
            if i % 3 == 2:
                document = docx.Document(io.BytesIO(data))
                for table in document.tables:
                    table.style = document.styles["Normal Table"]
                buf = io.BytesIO()
                document.save(buf)
                data, kind = buf.getvalue(), "borderless"
            sources.append(folder / f"{i:04d}-{kind}.docx")
            sources[-1].write_bytes(data)
        synth.convert(sources, "pdf", folder)  # one LibreOffice call
        for path in sources:
            path.unlink()
        (folder / ".complete").touch()
    return sorted(folder.glob("*.pdf"))


class Split:
    """CPU time spent inside some functions, by label, while switched on."""

    def __init__(self) -> None:
        self.spent: Counter = Counter()
        self.undo: list = []

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)
        spent = self.spent

        def timed(*args, **kwargs):
            t0 = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - t0

        setattr(owner, name, timed)
        self.undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)


def read_fast(data: bytes, name: str):
    """govlib.pdf, and pdfplumber for a PDF it hands back (as decoding.read_document is to call it)."""
    try:
        return pdf.pdf_text(data, name, continues_row)
    except pdf.Inexact:
        return decoding.pdf_text(data, name, continues_row)


def split_fast(files: list[tuple[bytes, str]]) -> dict[str, float]:
    split = Split()
    split.wrap(pdf, "_read_page", "extraction: PDFium page objects -> characters, ruling lines")
    split.wrap(pdf, "_find_tables", "table building: rulings -> tables and cells")
    split.wrap(pdf, "_page_lines", "cells' text and text lines")
    try:
        t0 = time.process_time()
        for data, name in files:
            read_fast(data, name)
        total = time.process_time() - t0
    finally:
        split.restore()
    out = {k: v * 1e3 / len(files) for k, v in split.spent.items()}
    out["PDFium opening the file and pages, assembling the lines"] = total * 1e3 / len(files) - sum(out.values())
    return out


def split_slow(files: list[tuple[bytes, str]]) -> dict[str, float]:
    import pdfplumber.page
    import pdfplumber.table

    split = Split()
    split.wrap(pdfplumber.page.Page, "parse_objects", "extraction: pdfminer -> characters, ruling lines")
    split.wrap(pdfplumber.table.TableFinder, "__init__", "table building: rulings -> tables and cells")
    split.wrap(pdfplumber.table.Table, "extract", "cells' text and text lines")
    split.wrap(pdfplumber.page.Page, "extract_text_lines", "cells' text and text lines")
    try:
        t0 = time.process_time()
        for data, name in files:
            decoding.pdf_text(data, name, continues_row)
        total = time.process_time() - t0
    finally:
        split.restore()
    out = {k: v * 1e3 / len(files) for k, v in split.spent.items()}
    out["opening the file and pages, assembling the lines"] = total * 1e3 / len(files) - sum(out.values())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    paths = make_corpus(args.pdfs, args.seed)
    files = [(p.read_bytes(), str(p)) for p in paths]
    kinds = Counter(p.stem.split("-")[1] for p in paths)

    same = back = 0
    pages = 0
    for data, name in files:  # first: the same answer, which also warms both paths up
        slow = decoding.pdf_text(data, name, continues_row)
        pages += len({w[0] for w in slow[1] if w})
        try:
            fast = pdf.pdf_text(data, name, continues_row)
        except pdf.Inexact:
            back += 1
            continue
        same += fast == slow
    print(f"corpus: {len(files)} LibreOffice-made PDFs ({kinds['ruled']} ruled, {kinds['borderless']} without rules),"
          f" {pages / len(files):.1f} pages each, {sum(len(d) for d, _ in files) / 1e6:.1f} MB")
    print(f"identical output (text, pages and boxes): {same} of {len(files)}"
          + (f"; {back} handed back to pdfplumber (Inexact)" if back else ""))

    slow_times, fast_times = [], []
    for _ in range(args.rounds):  # interleaved: each round times both on the same files, one after the other
        for times, read in ((slow_times, lambda d, n: decoding.pdf_text(d, n, continues_row)),
                            (fast_times, read_fast)):
            gc.collect()
            t0 = time.process_time()
            for data, name in files:
                read(data, name)
            times.append(time.process_time() - t0)
    n = len(files)
    slow, fast = min(slow_times), min(fast_times)
    ratios = [s / f for s, f in zip(slow_times, fast_times)]
    print(f"{'':34}{'PDFs/s':>9}{'ms/PDF':>9}   (CPU time, best of {args.rounds} interleaved rounds)")
    print(f"{'pdfplumber (decoding.pdf_text)':34}{n / slow:9.1f}{slow * 1e3 / n:9.1f}")
    print(f"{'PDFium (govlib.pdf.pdf_text)':34}{n / fast:9.1f}{fast * 1e3 / n:9.1f}")
    print(f"{'ratio':34}{slow / fast:8.1f}x   (per round: {', '.join(f'{r:.1f}' for r in ratios)}; median "
          f"{statistics.median(ratios):.1f}x)   target: 10x — {'met' if slow / fast >= 10 else 'NOT met'}")

    fast_split = split_fast(files)
    slow_split = split_slow(files)
    print("where the time goes, ms per PDF (one more pass each, timed by function):")
    print("  pdfplumber")
    for label, ms in slow_split.items():
        print(f"    {label:<58}{ms:8.2f}")
    print("  PDFium")
    for label, ms in fast_split.items():
        print(f"    {label:<58}{ms:8.2f}")

    whole = []
    for timed in (False, True):  # the whole report: its text taken out, its tables read and checked (once to warm)
        for path in paths:
            t0 = time.process_time()
            parse_report(path)
            if timed:
                whole.append(time.process_time() - t0)
    print(f"a whole report from a PDF (parse_report): {statistics.mean(whole) * 1e3:.1f} ms on average, "
          f"{statistics.median(whole) * 1e3:.1f} the median, {max(whole) * 1e3:.0f} the slowest "
          f"(taking the text out: {fast * 1e3 / n:.1f})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
