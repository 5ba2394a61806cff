"""Many reports at once: parse a corpus into joined tables, check across years, write them atomically."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import code_fingerprint, outputs
from .decoding import SUFFIXES
from .errors import GovlibError
from .frames import REGION_COLUMNS, SCHEMAS, frame
from .report import Report, parse_report
from .validate import Finding, cells_text, check_across_years

TABLES = ("reports", "applications", "proactive", "review_litigation", "findings", "failures")
_ID = [("report_id", "str")]


def find_reports(paths) -> list[Path]:
    """Report files under the given files and folders, in a stable order (SOURCES.csv and hidden files skipped)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES
                              and not any(part.startswith(".") for part in q.relative_to(p).parts)))
        else:
            out.append(p)
    return out


@dataclass
class Dataset:
    """The parsed corpus: one Polars frame per table, joined on ``report_id``."""

    reports_list: list[Report] = field(default_factory=list)
    failures_list: list[tuple[str, str]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    regions: list = field(default_factory=list)  # a govlib.regions.Region per report
    duplicate_of: dict[str, str] = field(default_factory=dict)  # report_id → the report counted in its place

    def _frame(self, table: str):
        """One frame of every report's rows, with the report_id of each."""
        columns: list[list] = [[] for _ in range(len(SCHEMAS[table]) + 1)]
        for rid, r in zip(self.ids, self.reports_list):
            mine = r.columns(table)
            columns[0] += [rid] * len(mine[0])
            for into, values in zip(columns[1:], mine):
                into += values
        return frame(table, columns, _ID)

    @property
    def reports(self):
        import polars as pl

        regions = self.regions or [r.region for r in self.reports_list]
        rows = [{
            "report_id": rid, "file": r.meta.source, "agency": r.meta.agency, "year": r.meta.year,
            "template": r.meta.template, "doc_number": r.meta.doc_number, "published": r.meta.published,
            "title": r.meta.title, "encoding": r.meta.encoding, "format": r.meta.format, "layout": r.meta.layout,
            "sha256": r.meta.sha256,
            "errors": sum(f.severity == "error" for f in r.finding_list),
            "warnings": sum(f.severity == "warning" for f in r.finding_list),
            "duplicate_of": self.duplicate_of.get(rid),
            **region.columns(),
        } for rid, r, region in zip(self.ids, self.reports_list, regions)]
        schema = {"report_id": pl.String, "file": pl.String, "agency": pl.String, "year": pl.Int64,
                  "template": pl.String, "doc_number": pl.String, "published": pl.Date, "title": pl.String,
                  "encoding": pl.String, "format": pl.String, "layout": pl.String, "sha256": pl.String,
                  "errors": pl.Int64, "warnings": pl.Int64, "duplicate_of": pl.String}
        schema.update({c: pl.String for c in REGION_COLUMNS})
        return pl.DataFrame(rows, schema=schema)

    @property
    def applications(self):
        return self._frame("applications")

    @property
    def proactive(self):
        return self._frame("proactive")

    @property
    def review_litigation(self):
        return self._frame("review_litigation")

    @property
    def findings(self):
        return self._frame("findings")

    @property
    def failures(self):
        import polars as pl

        return pl.DataFrame(self.failures_list, schema={"file": pl.String, "error": pl.String}, orient="row")

    def frames(self) -> dict:
        return {name: getattr(self, name) for name in TABLES}

    def sources(self) -> list[str]:
        """Every file this dataset was read from (parsed or failed)."""
        return [r.meta.source for r in self.reports_list] + [f for f, _ in self.failures_list]

    def write(self, out: str | Path, csv: bool = False, manifest: dict | None = None, inputs=()) -> Path:
        """Write every table as Parquet (and CSV with a BOM, for Excel) into ``out``, replacing it atomically.

        ``out`` must be new, empty or written by govlib, and must neither be, hold nor lie inside an input (the
        files read and the ``inputs`` given): an ``OutputError`` says so otherwise. Returns the folder written (the
        target of ``out`` where it is a symbolic link).
        """
        folder = outputs.claim(out, [*inputs, *self.sources()], "parse")
        with outputs.locked(folder, "parse"):
            outputs.clean_leftovers(folder)
            self._write_into(folder, csv, manifest)
        return folder

    def _write_into(self, folder: Path, csv: bool, manifest: dict | None) -> None:
        tmp = outputs.new_folder(folder)
        try:
            for name, df in self.frames().items():
                df.write_parquet(tmp / f"{name}.parquet")
                if csv:
                    df.write_csv(tmp / f"{name}.csv", include_bom=True)
            # written last: a folder with a manifest is complete
            (tmp / "manifest.json").write_text(json.dumps({outputs.MARKER_KEY: "govlib parse", **(manifest or {})},
                                                          ensure_ascii=False, indent=1), encoding="utf-8")
            outputs.checkpoint("before-swap")
            outputs.replace_folder(tmp, folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def mapping_folders(paths, files: list[Path]) -> list[Path]:
    """The folders whose ``regions.csv`` or ``SOURCES.csv`` may place the reports: each folder given and each folder
    holding a report, from the top down."""
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    folders = [Path(p) for p in given if Path(p).is_dir()] + [p.parent for p in files]
    return sorted(dict.fromkeys(f.resolve() for f in folders), key=lambda f: len(f.parts))


PARALLEL_FROM = 200  # fewer files than this are parsed in this process: starting workers would cost more


def parse_corpus(paths_or_dir, progress: bool | None = None, jobs: int = 1) -> Dataset:
    """Parse every report under the given files or folders; a file that fails is listed, never fatal.

    With ``jobs`` > 1, a batch of at least ``PARALLEL_FROM`` files is parsed by that many worker processes; the
    result is the same, in the same order.
    """
    from tqdm import tqdm

    from .regions import read_mapping

    files = find_reports(paths_or_dir)
    mapping: dict[Path, str] = {}
    for folder in mapping_folders(paths_or_dir, files):
        mapping |= read_mapping(folder)  # a mapping beside the reports overrides one further up
    ds = Dataset()
    seen: dict[str, int] = {}
    with _collector_paused(), _parsed(files, jobs) as parsed:
        for path, outcome in tqdm(zip(files, parsed), total=len(files), desc="parsing reports", unit="report",
                                  disable=None if progress is None else not progress):
            _add(ds, path, outcome, seen, mapping)
    places = [region.code for region in ds.regions]
    mark_duplicates(ds, places)
    check_across_years(ds.reports_list, places)
    return ds


@contextlib.contextmanager
def _parsed(files: list[Path], jobs: int):
    """Each file's report, or the failure (file, error), in order: here, or in ``jobs`` worker processes."""
    if jobs <= 1 or len(files) < PARALLEL_FROM:
        yield map(_parse_one, files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawned, not forked: a fork of a process with threads (Jupyter, Polars) can hang
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool.map(_parse_one, files, chunksize=max(1, min(64, len(files) // (jobs * 8))))


def _parse_one(path: Path) -> Report | tuple[str, str]:
    try:
        return parse_report(path)
    except GovlibError as e:
        return str(path), str(e)
    except Exception as e:  # a parser bug must not stop the batch either; it is recorded with its type
        return str(path), f"{path}: unexpected {type(e).__name__}: {e} (please report this)"


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector for a batch. Parsed reports live until the batch ends and hold no
    reference cycles, yet every collection of the oldest generation walks all of them again (5–12% of the time
    of parsing 3,000 reports). Reference counting still frees everything else at once."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _add(ds: "Dataset", path: Path, outcome: Report | tuple[str, str], seen: dict[str, int],
         mapping: dict[Path, str]) -> None:
    from .regions import resolve

    if not isinstance(outcome, Report):
        ds.failures_list.append(outcome)
        return
    report = outcome
    rid = report.meta.report_id
    seen[rid] = seen.get(rid, 0) + 1
    if seen[rid] > 1:
        rid = f"{rid}-{seen[rid]}"
    ds.reports_list.append(report)
    ds.ids.append(rid)
    given = mapping.get(path.resolve()) if mapping else None  # resolving a path costs system calls: only if needed
    ds.regions.append(resolve(report.meta.agency, report.context, given))


def _differences(a: Report, b: Report) -> list[tuple[str, str]]:
    """The cells (table.row, column) that two reports read differently."""
    out = []
    for table, grid in a.cells.items():
        other = b.cells.get(table, {})
        for (row, col), cell in grid.items():
            theirs = other.get((row, col))
            if theirs is None or (theirs.value, theirs.state) != (cell.value, cell.state):
                out.append((f"{table}.{row}", col))
    return out


def mark_duplicates(ds: Dataset, places: list[str | None]) -> None:
    """Reports of the same agency, place and year as an earlier file (the same report saved twice, as HTML and as
    DOCX, or published again): each keeps its tables and gets a ``duplicate`` finding, and ``duplicate_of`` names
    the report that figures count, so that a region's totals never count one agency's year twice."""
    first: dict[tuple[str, str | None, int], int] = {}
    for i, (r, place) in enumerate(zip(ds.reports_list, places)):
        if not r.meta.agency or not r.meta.year:
            continue
        j = first.setdefault((r.meta.agency, place, r.meta.year), i)
        if j == i:
            continue
        kept = ds.reports_list[j]
        ds.duplicate_of[ds.ids[i]] = ds.ids[j]
        if r.meta.sha256 == kept.meta.sha256:
            how, cells = "it is the same file, byte for byte", ""
        else:
            differ = _differences(r, kept)
            cells = cells_text(differ)
            how = ("its tables read the same in every cell" if not differ else
                   f"its tables differ in {len(differ)} cells ({cells_text(differ[:5])}{' …' if len(differ) > 5 else ''})")
        r.finding_list.append(Finding(
            "duplicate", "warning", cells, None, None,
            f"the same agency ({r.meta.agency}{', region ' + place if place else ''}) and year ({r.meta.year}) as "
            f"{kept.meta.source}: {how}; "
            f"figures count that report ({ds.ids[j]}) once and leave this one out"))


def _fingerprint(paths, files: list[Path], csv: bool) -> dict:
    from .regions import MAPPING_FILES

    mappings = [f / name for f in mapping_folders(paths, files) for name in MAPPING_FILES if (f / name).is_file()]
    return {
        "govlib": code_fingerprint(),  # the code, not just the version: tables made by other code are stale
        "csv": csv,
        "inputs": [[str(p), p.stat().st_size, p.stat().st_mtime_ns] for p in files],
        # a corrected region code changes the reports table: the files that place reports count as inputs
        "mappings": [[str(p), hashlib.sha256(p.read_bytes()).hexdigest()] for p in mappings],
    }


@dataclass
class ParseRun:
    """What ``parse_to`` did: the folder written, the dataset parsed (None when the folder was up to date) and the
    manifest in force, with the counts a summary line gives."""

    out: Path
    dataset: Dataset | None
    manifest: dict

    @property
    def up_to_date(self) -> bool:
        return self.dataset is None

    @property
    def reports(self) -> int:
        return self.manifest.get("reports", 0)

    @property
    def failures(self) -> list[tuple[str, str]]:
        """(file, one-line reason) of each file that could not be parsed (only when parsed now)."""
        return [] if self.dataset is None else self.dataset.failures_list

    @property
    def failure_count(self) -> int:
        return self.manifest.get("failures", 0)

    def findings(self, severity: str) -> int:
        """How many findings of ``severity`` (``error`` or ``warning``) the reports parsed now carry."""
        if self.dataset is None:
            return 0
        return sum(f.severity == severity for r in self.dataset.reports_list for f in r.finding_list)


def parse_to(paths, out: str | Path, csv: bool = False, force: bool = False,
             progress: bool | None = None, jobs: int = 1) -> ParseRun:
    """Parse ``paths`` into ``out`` unless the inputs, options and govlib's code are unchanged since last time."""
    folder = outputs.claim(out, [paths] if isinstance(paths, (str, os.PathLike)) else paths, "parse")
    with outputs.locked(folder, "parse"):
        outputs.clean_leftovers(folder)
        files = find_reports(paths)
        manifest = _fingerprint(paths, files, csv)
        previous = folder / "manifest.json"
        if not force and previous.exists():
            try:
                old = json.loads(previous.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = None
            if old is not None and {k: old.get(k) for k in manifest} == manifest and \
                    all((folder / f"{t}.parquet").exists() for t in TABLES):
                return ParseRun(folder, None, old)
        ds = parse_corpus(paths, progress=progress, jobs=jobs)  # the folders given, not only the files: mappings
        manifest["reports"] = len(ds.reports_list)
        manifest["failures"] = len(ds.failures_list)
        ds._write_into(folder, csv, manifest)
    return ParseRun(folder, ds, manifest)
