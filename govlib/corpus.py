"""Many reports at once: parse each within bounds (in worker processes for a large batch, or on a Dask cluster),
keep each as rows of every table, check across reports, and write the tables atomically.

A parsed report travels as a ``Record``: its row of ``reports`` (its region resolved where it was parsed) and the
columns of its rows of every other table. A batch appends records to column lists and, when it writes a folder,
flushes them to Parquet parts every ``FLUSH_EVERY`` reports, so that memory is bounded by the batch, not the corpus;
the checks across reports (``across``) and the final tables then read the parts lazily.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import shutil
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import code_fingerprint, limits, outputs
from .across import check as check_across
from .decoding import SUFFIXES, read_file
from .errors import GovlibError, ParseError
from .files import Found, readable, scan
from .frames import REGION_COLUMNS, SCHEMAS, polars_schema, report_columns
from .frames import codes as frame_codes
from .report import Report, parse_report

TABLES = ("reports", "applications", "proactive", "review_litigation", "findings", "failures")
CELL_TABLES = ("applications", "proactive", "review_litigation")
FLUSH_EVERY = 2000  # reports a batch holds before it writes them to a part of each table
# the reports table: what parsing gives, then the counts and duplicate_of the batch adds
REPORT_SCHEMA = [("report_id", "str"), ("file", "str"), ("agency", "str"), ("year", "int"), ("template", "str"),
                 ("doc_number", "str"), ("published", "date"), ("title", "str"), ("encoding", "str"),
                 ("format", "str"), ("layout", "str"), ("sha256", "str"),
                 *[(c, "str") for c in REGION_COLUMNS],
                 # what the checks across reports need of each, worked out where it was parsed: not written
                 ("_printed", "int"), ("_errors", "int"), ("_truncated", "bool"), ("_digest", "str")]
_CODES = {"applications": 2, "proactive": 2, "review_litigation": 1, "findings": 0}  # code columns of each table


@dataclass(slots=True)
class Record:
    """One parsed report as a batch keeps it: its row of ``reports`` (``REPORT_SCHEMA`` without the id) and, for
    each other table, the columns of its rows without the code columns, which follow from the template."""

    row: tuple
    columns: dict[str, list[list]]
    rows: tuple[str, ...] | None = None  # section 三's rows as printed, where a group is in the other template's form

    @property
    def sha256(self) -> str:
        return self.row[10]

    @property
    def template(self) -> str:
        return self.row[3]


def record(report: Report, mapped: str | None = None) -> Record:
    """A report as a ``Record``, placed in its region (``mapped``: a region code a mapping file gives it), with what
    the checks across reports need of it: how complete its reading is and a digest of its cells."""
    from .across import PRINTED
    from .regions import resolve

    m = report.meta
    region = resolve(m.agency, report.context, mapped).columns()
    columns = {t: report_columns(report, t)[_CODES[t]:] for t in _CODES}
    printed = sum(c.state in PRINTED for grid in report.cells.values() for c in grid.values())
    errors = [f.rule for f in report.finding_list if f.severity == "error"]
    # the value and the state of every cell, in the frames' order: two reports with one digest read the same
    read = [(columns[t][0], columns[t][2 if t == "proactive" else 1]) for t in CELL_TABLES]
    digest = hashlib.blake2b(repr(read).encode(), digest_size=16).hexdigest()
    row = (m.source, m.agency, m.year, m.template, m.doc_number, m.published, m.title, m.encoding, m.format,
           m.layout, m.sha256, *(region[c] for c in REGION_COLUMNS), printed, len(errors), "truncated" in errors,
           digest)
    return Record(row, columns, report.frame_rows)


class Tables:
    """The rows of a batch, table by table and column by column, as records come in: in memory, or flushed to
    Parquet parts in ``parts`` every ``FLUSH_EVERY`` reports."""

    def __init__(self, parts: Path | None = None):
        self.parts = parts
        self.written: dict[str, list[Path]] = {t: [] for t in (*_CODES, "reports")}
        self.frames: dict[str, list] = {t: [] for t in (*_CODES, "reports")}
        self.failures: list[tuple[str, str]] = []
        self.count = 0
        self._seen: dict[str, int] = {}
        self._start()

    def _start(self) -> None:
        self.rows: list[tuple] = []
        self.columns = {t: [[] for _ in range(len(SCHEMAS[t]) + 1)] for t in _CODES}  # report_id first

    def add(self, rec: Record) -> None:
        rid = rec.sha256[:16]
        seen = self._seen[rid] = self._seen.get(rid, 0) + 1
        if seen > 1:  # the same file twice: two reports all the same
            rid = f"{rid}-{seen}"
        self.rows.append((rid, *rec.row))
        for table, mine in rec.columns.items():
            columns = self.columns[table]
            n = len(mine[0]) if mine else 0
            columns[0] += [rid] * n
            codes = frame_codes(rec.template, table, rec.rows if table == "applications" else None) \
                if _CODES[table] else ()
            for into, values in zip(columns[1:], (*codes, *mine)):
                into += values
        self.count += 1
        if self.parts is not None and len(self.rows) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """The rows held so far as frames: kept, or written as parts."""
        import polars as pl

        if not self.rows:
            return
        frames = {"reports": pl.DataFrame(self.rows, schema=_schema(REPORT_SCHEMA), orient="row")}
        for table, columns in self.columns.items():
            frames[table] = pl.DataFrame([pl.Series(n, c, dtype=d) for (n, d), c in
                                          zip(polars_schema(table, [("report_id", "str")]).items(), columns)])
        self._start()
        for table, df in frames.items():
            if self.parts is None:
                self.frames[table].append(df)
                continue
            path = self.parts / f"{table}-{len(self.written[table]):05d}.parquet"
            df.write_parquet(path)
            self.written[table].append(path)

    def lazy(self, table: str):
        """Every row of ``table`` so far (after ``flush``), as a lazy frame."""
        import polars as pl

        if self.parts is not None:
            found = self.written[table]
            if found:
                return pl.scan_parquet(found)
        elif self.frames[table]:
            return pl.concat(self.frames[table]).lazy()
        schema = _schema(REPORT_SCHEMA) if table == "reports" else polars_schema(table, [("report_id", "str")])
        return pl.LazyFrame(schema=schema)


def _schema(columns: list[tuple[str, str]]) -> dict:
    import polars as pl

    types = {"str": pl.String, "int": pl.Int64, "float": pl.Float64, "date": pl.Date, "bool": pl.Boolean}
    return {name: types[t] for name, t in columns}


def finish(tables: Tables) -> dict:
    """The final tables of a batch, as lazy frames: the checks across reports run (their findings after the
    others), and each report's ``errors``, ``warnings`` and ``duplicate_of`` added."""
    import polars as pl

    tables.flush()
    lazy = {t: tables.lazy(t) for t in (*_CODES, "reports")}
    across = check_across(lazy["reports"], lazy["applications"], lazy["review_litigation"], lazy["proactive"])
    extra = pl.DataFrame([(rid, f.rule, f.severity, f.cells, f.expected, f.found, f.message)
                          for rid, f in across.findings],
                         schema=polars_schema("findings", [("report_id", "str")]), orient="row")
    findings = pl.concat([lazy["findings"], extra.lazy()])
    counts = findings.group_by("report_id").agg(errors=(pl.col("severity") == "error").sum().cast(pl.Int64),
                                                warnings=(pl.col("severity") == "warning").sum().cast(pl.Int64))
    left_out = pl.DataFrame({"report_id": list(across.duplicate_of), "duplicate_of": list(across.duplicate_of.values())},
                            schema={"report_id": pl.String, "duplicate_of": pl.String})
    reports = (lazy["reports"].join(counts, on="report_id", how="left", maintain_order="left")
               .join(left_out.lazy(), on="report_id", how="left", maintain_order="left")
               .with_columns(pl.col("errors").fill_null(0), pl.col("warnings").fill_null(0))
               .select(*[c for c, _ in REPORT_SCHEMA[:12]], "errors", "warnings", "duplicate_of", *REGION_COLUMNS))
    # (the columns the checks across reports needed are left out)
    failures = pl.LazyFrame(tables.failures, schema={"file": pl.String, "error": pl.String}, orient="row")
    return {"reports": reports, "applications": lazy["applications"], "proactive": lazy["proactive"],
            "review_litigation": lazy["review_litigation"], "findings": findings, "failures": failures}


@dataclass
class Dataset:
    """The parsed corpus: one Polars frame per table, joined on ``report_id``."""

    reports: object = None
    applications: object = None
    proactive: object = None
    review_litigation: object = None
    findings: object = None
    failures_list: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, tables: Tables) -> "Dataset":
        frames = {name: lf.collect() for name, lf in finish(tables).items() if name != "failures"}
        return cls(**frames, failures_list=list(tables.failures))

    @property
    def failures(self):
        import polars as pl

        return pl.DataFrame(self.failures_list, schema={"file": pl.String, "error": pl.String}, orient="row")

    def frames(self) -> dict:
        return {name: getattr(self, name) for name in TABLES}

    def sources(self) -> list[str]:
        """Every file this dataset was read from (parsed or failed)."""
        return self.reports["file"].to_list() + [f for f, _ in self.failures_list]

    def write(self, out: str | Path, csv: bool = False, manifest: dict | None = None, inputs=()) -> Path:
        """Write every table as Parquet (and CSV with a BOM, for Excel) into ``out``, replacing it atomically.

        ``out`` must be new, empty or written by govlib, and must neither be, hold nor lie inside an input (the
        files read and the ``inputs`` given): an ``OutputError`` says so otherwise. Returns the folder written (the
        target of ``out`` where it is a symbolic link).
        """
        folder = outputs.claim(out, [*inputs, *self.sources()], "parse")
        with outputs.locked(folder, "parse"):
            outputs.clean_leftovers(folder)
            tmp = outputs.new_folder(folder)
            try:
                write_tables({name: df.lazy() for name, df in self.frames().items()}, tmp, csv, manifest)
                outputs.checkpoint("before-swap")
                outputs.replace_folder(tmp, folder)
            finally:
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
        return folder


def write_tables(lazy: dict, into: Path, csv: bool, manifest: dict | None) -> dict[str, int]:
    """Write each table (a lazy frame) as Parquet, streaming, and as an Excel-ready CSV, then the manifest (last: a
    folder with a manifest is complete, and its checksums tell a damaged table). Returns the rows of each table."""
    import polars as pl

    written, rows = {}, {}
    for name in TABLES:
        path = into / f"{name}.parquet"
        lazy[name].sink_parquet(path)
        written[path.name] = outputs.sha256_of(path)
        if csv:
            for_excel(pl.scan_parquet(path)).sink_csv(into / f"{name}.csv", include_bom=True)
            written[f"{name}.csv"] = outputs.sha256_of(into / f"{name}.csv")
        rows[name] = _rows_of(path)
    record = {outputs.MARKER_KEY: "govlib parse", **(manifest or {}), outputs.CHECKSUMS_KEY: written}
    (into / "manifest.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return rows


def _rows_of(path: Path) -> int:
    import polars as pl

    return pl.scan_parquet(path).select(pl.len()).collect().item()


# what polars.read_csv would type from a column's first rows: integers, decimals, NaN and infinities, booleans
_NUMBER_LIKE = (r"^\s*(?:-?\d+|[+-]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+)|[+-]?(?i:nan|inf|infinity)"
                r"|(?i:true|false))\s*$")
_FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN_SIGNED = r"^[+-]\d+(?:\.\d+)?$|^[-—–]+$"  # "+207", "-5", "-", "——": data, not formulas


def for_excel(table):
    """A table (a frame, or a lazy frame: the same comes back) as its Excel-ready CSV holds it (the Parquet tables keep everything as read).

    - A cell a spreadsheet would run as a formula (a file name, title or agency starting with ``=``, ``+``, ``-``,
      ``@``, a tab or a carriage return) gets a leading ``'``, as OWASP recommends; a signed number ("+207") and a
      dash placeholder stay as printed.
    - ``text`` (what a cell printed) is left empty where it prints exactly its value, so that the column holds
      "12975800元", "-", "+207" and the like; and in a text column that also holds such words, a text that reads
      as a number is marked with a leading ``'`` too. So ``polars.read_csv`` reads every CSV with its default
      settings, never typing a column of printed texts as numbers from its first rows.
    """
    import polars as pl

    eager = isinstance(table, pl.DataFrame)
    lazy = table.lazy()
    schema = lazy.collect_schema()
    if "text" in schema and "value" in schema:
        shown = pl.col("value").cast(pl.Float64)
        canonical = (pl.when(shown == shown.round(0)).then(shown.cast(pl.Int64).cast(pl.String))
                     .otherwise(shown.cast(pl.String)))
        lazy = lazy.with_columns(pl.when(pl.col("text") == canonical).then(None).otherwise(pl.col("text"))
                                 .alias("text"))
    strings = [name for name, dtype in schema.items() if dtype == pl.String]
    if not strings:
        return lazy.collect() if eager else lazy

    def number(name: str):
        return pl.col(name).str.contains(_NUMBER_LIKE)

    mixed = lazy.select([(number(n).any() & (pl.col(n).is_not_null() & ~number(n)).any()).fill_null(False).alias(n)
                         for n in strings]).collect().row(0, named=True)  # one pass over the table
    fixes = []
    for name in strings:
        col = pl.col(name)
        formula = col.str.contains(_FORMULA_START) & ~col.str.contains(_PLAIN_SIGNED)
        marked = formula | (number(name) if mixed[name] else pl.lit(False))
        fixes.append(pl.when(marked.fill_null(False)).then(pl.lit("'") + col).otherwise(col).alias(name))
    out = lazy.with_columns(fixes)
    return out.collect() if eager else out


def mapping_folders(paths, files: list[Path]) -> list[Path]:
    """The folders whose ``regions.csv`` or ``SOURCES.csv`` may place the reports: each folder given and each folder
    holding a report, from the top down."""
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    folders = dict.fromkeys([Path(p) for p in given if Path(p).is_dir()] + [p.parent for p in files])
    return sorted(dict.fromkeys(f.resolve() for f in folders), key=lambda f: len(f.parts))  # a folder resolved once


PARALLEL_FROM = 200  # fewer files than this are parsed in this process: starting workers would cost more


def parse_corpus(paths_or_dir, progress: bool | None = None, jobs: int = 1, scheduler=None) -> Dataset:
    """Parse every report under the given files or folders; a file that fails is listed, never fatal.

    With ``jobs`` > 1, a batch of at least ``PARALLEL_FROM`` files is parsed by that many worker processes; with a
    ``scheduler`` (the address of a Dask distributed scheduler, or a ``distributed.Client``), on that cluster. The
    result is the same, in the same order. Paths skipped (see ``scan``) are listed in ``failures`` too.
    """
    tables = Tables()
    parse_into(tables, paths_or_dir, scan(paths_or_dir), progress, jobs, scheduler)
    return Dataset.of(tables)


def parse_into(tables: Tables, paths_or_dir, found: Found, progress: bool | None, jobs: int,
               scheduler=None) -> None:
    """Parse the files ``found`` under ``paths_or_dir`` into ``tables``, in order; failures and skipped paths are
    listed in ``tables.failures``."""
    from tqdm import tqdm

    from .regions import read_mapping

    mapping: dict[Path, str] = {}
    for folder in mapping_folders(paths_or_dir, found.files):
        mapping |= read_mapping(folder)  # a mapping beside the reports overrides one further up
    # the region code a mapping gives each file (resolving a path costs system calls: only when there is a mapping)
    items = [(path, mapping.get(path.resolve()) if mapping else None) for path in found.files]
    with _collector_paused() as now_and_then:
        parsed = _parsed(items, jobs, scheduler)
        try:
            for outcome in tqdm(parsed, total=len(items), desc="parsing reports", unit="report",
                                disable=None if progress is None else not progress):
                now_and_then()
                if isinstance(outcome, Record):
                    tables.add(outcome)
                else:
                    tables.failures.append(outcome)
        finally:
            close = getattr(parsed, "close", None)
            if close:
                close()  # stops the workers at once when the batch ends early (an error, Ctrl-C, SIGTERM)
    tables.failures += found.skipped


def _parallel_from() -> int:
    return int(os.environ.get("GOVLIB_PARALLEL_FROM", PARALLEL_FROM))  # tests start workers for a few files


def _parsed(items: list[tuple[Path, str | None]], jobs: int, scheduler=None):
    """Each file's record, or the failure (file, error), in order: on a Dask cluster, here, or in ``jobs`` worker
    processes (which die with this process; a file whose worker is killed is tried again alone, then listed as a
    failure)."""
    if scheduler is not None:
        from .cluster import map_on_cluster

        return map_on_cluster(parse_items, items, scheduler, _lost)
    if jobs <= 1 or len(items) < _parallel_from():
        return map(parse_item, items)
    from .workers import map_in_workers

    return map_in_workers("govlib.corpus:parse_item", items, jobs, _lost,
                          started=lambda: outputs.checkpoint("parsing"))


def _lost(item: tuple[Path, str | None], how: str) -> tuple[str, str]:
    shown = readable(str(item[0]))
    return shown, (f"{shown}: the worker process parsing it {how}; it was left out (a report that needs more memory "
                   f"than the machine has, or a crash: please report this file)")


class _OutOfTime(BaseException):
    """Raised in the middle of parsing when a report's time is up: a BaseException, so that no ``except
    Exception`` on the way turns it into another error."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise ``_OutOfTime`` after ``seconds`` (a timer signal: only in the main thread; elsewhere no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def report_seconds() -> float:
    """The time one report may take (``limits.REPORT_SECONDS``; ``GOVLIB_REPORT_SECONDS`` overrides it)."""
    return float(os.environ.get("GOVLIB_REPORT_SECONDS", limits.REPORT_SECONDS))


def read_report(path: str | Path) -> Report:
    """``parse_report`` within bounds, as ``govlib parse`` and ``govlib show`` read every file: a pipe or a device
    is refused without waiting on it, a file larger than any report is refused, parsing stops after
    ``report_seconds()``, and an error govlib did not foresee becomes a ``ParseError`` naming the file."""
    path = Path(path)
    seconds = report_seconds()
    try:
        with _time_limit(seconds):
            report = parse_report(path, read_file(path))
    except _OutOfTime:
        raise ParseError(f"{readable(str(path))}: parsing took longer than {seconds:g} s, the limit for one report "
                         f"(a real report takes well under a second); it was given up — please report this "
                         f"file") from None
    except GovlibError as e:
        raise ParseError(readable(str(e))) from None
    except RecursionError:
        raise ParseError(f"{readable(str(path))}: nested deeper than any real report (tables inside tables …); "
                         f"it was given up") from None
    except MemoryError:
        raise ParseError(f"{readable(str(path))}: parsing it ran out of memory; it was given up — please report "
                         f"this file") from None
    except Exception as e:  # a parser bug must not stop the batch either; it is recorded with its type
        raise ParseError(readable(f"{path}: unexpected {type(e).__name__}: {e} (please report this)")) from None
    source = readable(report.meta.source)
    if source is not report.meta.source:  # a file name that is not UTF-8
        report.meta = dataclasses.replace(report.meta, source=source)
    return report


def parse_item(item: tuple[Path, str | None]) -> Record | tuple[str, str]:
    """One file as a batch takes it: its ``Record`` (placed, by the region code given if any), or (file, reason)."""
    path, mapped = item
    outputs.checkpoint(f"parse:{path.name}")  # where a test kills a worker, as the out-of-memory killer would
    try:
        return record(read_report(path), mapped)
    except GovlibError as e:
        return readable(str(path)), str(e)


def parse_items(items: list[tuple[Path, str | None]]) -> list[Record | tuple[str, str]]:
    """``parse_item`` of each item of a batch (a task on a cluster)."""
    return [parse_item(item) for item in items]


@contextlib.contextmanager
def _collector_paused():
    """Run Python's cyclic garbage collector every ``workers.COLLECT_EVERY`` reports of a batch (the function this
    gives is called once a report), not whenever allocations outnumber frees: parsing allocates much and frees most
    of it, and each pass of the oldest generation walked every row held so far again (5–12% of the time of parsing
    3,000 reports). Parsing leaves a few reference cycles (some 100 objects a report): they are freed at the next
    pass, so memory stays bounded by the batch."""
    from .workers import COLLECT_EVERY

    was = gc.isenabled()
    gc.disable()
    gc.freeze()  # what was there before the batch is not walked again
    count = 0

    def now_and_then() -> None:
        nonlocal count
        count += 1
        if count % COLLECT_EVERY == 0:
            gc.collect()

    try:
        yield now_and_then
    finally:
        gc.unfreeze()
        if was:
            gc.enable()


def _fingerprint(paths, found: Found, csv: bool, folder: Path) -> dict:
    """What the tables depend on. Paths are written relative to the output folder: a manifest names no absolute
    path, and stays true when a project is moved as a whole."""
    from .regions import MAPPING_FILES

    def where(p: Path) -> str:
        return readable(os.path.relpath(os.path.abspath(p), folder))

    def state(p: Path) -> list:
        try:
            st = p.stat()
            return [where(p), st.st_size, st.st_mtime_ns]
        except OSError:
            return [where(p), None, None]

    mappings = [f / name for f in mapping_folders(paths, found.files) for name in MAPPING_FILES
                if (f / name).is_file()]
    return {
        "govlib": code_fingerprint(),  # the code, not just the version: tables made by other code are stale
        "csv": csv,
        "inputs": [state(p) for p in found.files],
        "skipped": [reason for _, reason in found.skipped],  # a FIFO that became a file is parsed next time
        # a corrected region code changes the reports table: the files that place reports count as inputs
        "mappings": [[where(p), hashlib.sha256(p.read_bytes()).hexdigest()] for p in mappings],
    }


@dataclass
class ParseRun:
    """What ``parse_to`` did: the folder written, the manifest in force (with the counts a summary line gives), the
    files that failed or were skipped (only when parsed now), and the tables found damaged (parsed again)."""

    out: Path
    manifest: dict
    parsed: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return not self.parsed

    @property
    def reports(self) -> int:
        return self.manifest.get("reports", 0)

    @property
    def failure_count(self) -> int:
        return self.manifest.get("failures", 0)

    @property
    def skipped_count(self) -> int:
        return len(self.manifest.get("skipped", []))

    def findings(self, severity: str) -> int:
        """How many findings of ``severity`` (``error`` or ``warning``) the reports parsed now carry."""
        return self.manifest.get("findings", {}).get(severity, 0) if self.parsed else 0


def parse_to(paths, out: str | Path, csv: bool = False, force: bool = False,
             progress: bool | None = None, jobs: int = 1, scheduler=None) -> ParseRun:
    """Parse ``paths`` into ``out`` unless the inputs, options and govlib's code are unchanged since last time and
    every table is as written (its checksum in the manifest). Paths given that hold no report file are an error.

    The reports are written as they are parsed, ``FLUSH_EVERY`` at a time, and the tables assembled from those parts
    as streams: memory is bounded by that batch, not by the corpus.
    """
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    folder = outputs.claim(out, given, "parse")
    with outputs.locked(folder, "parse"):
        outputs.clean_leftovers(folder)
        found = scan(given)
        if not found.files:
            shown = ", ".join(readable(str(p)) for p in given)
            skipped = ("; skipped: " + "; ".join(reason for _, reason in found.skipped[:3])
                       + (" …" if len(found.skipped) > 3 else "")) if found.skipped else ""
            raise ParseError(f"no report files in {shown} (govlib reads files ending in {', '.join(SUFFIXES)})"
                             f"{skipped}; nothing was written")
        manifest = _fingerprint(given, found, csv, folder)
        damaged: list[str] = []
        previous = folder / "manifest.json"
        if not force and previous.exists():
            try:
                old = json.loads(previous.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = None
            if isinstance(old, dict) and {k: old.get(k) for k in manifest} == manifest:
                damaged = outputs.damaged_files(folder, old, [f"{t}.parquet" for t in TABLES])
                if not damaged:
                    return ParseRun(folder, old)
        tmp = outputs.new_folder(folder)
        try:
            parts = tmp / ".parts"
            parts.mkdir()
            tables = Tables(parts)
            parse_into(tables, given, found, progress, jobs, scheduler)  # the folders given, for their mappings
            final = finish(tables)
            manifest["reports"] = tables.count
            manifest["failures"] = len(tables.failures)
            manifest["findings"] = _severities(final["findings"])
            write_tables(final, tmp, csv, manifest)
            shutil.rmtree(parts)
            outputs.checkpoint("before-swap")
            outputs.replace_folder(tmp, folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return ParseRun(folder, manifest, True, tables.failures, damaged)


def _severities(findings) -> dict[str, int]:
    import polars as pl

    counts = findings.group_by("severity").agg(pl.len()).collect()
    return {severity: int(n) for severity, n in counts.iter_rows()}
