"""Many reports at once: find the files, parse each within bounds (in worker processes for a large batch), check
across years, and write the tables atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import code_fingerprint, limits, outputs
from .decoding import SUFFIXES, kind_of, read_file
from .errors import GovlibError, ParseError
from .frames import REGION_COLUMNS, SCHEMAS, frame
from .report import Report, parse_report
from .validate import Finding, cells_text, check_across_years

TABLES = ("reports", "applications", "proactive", "review_litigation", "findings", "failures")
_ID = [("report_id", "str")]


def readable(text: str) -> str:
    """A path (or a message naming one) as text that can be written anywhere, losing nothing: a file name's bytes
    that are not UTF-8, which Python keeps as lone surrogates, are written as ``\\xe9``."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class Found:
    """What ``scan`` found: the report files to parse, and every path it skipped with the reason (as rows of
    ``failures``: a FIFO, a dangling link, a folder that cannot be read …)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def scan(paths) -> Found:
    """Report files under the given files and folders, in a stable order, and the paths skipped with their reasons.

    In a folder, files whose names end in a report suffix are taken (hidden files and folders, and SOURCES.csv, are
    not reports); anything there that is not a regular file, a link to nothing, a link to a folder (not followed)
    and a sub-folder that cannot be read are skipped and listed. A path given directly is taken as a report unless
    it is not a regular file. Nothing is opened here, and nothing ever waits on a pipe.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found = Found()
    for p in map(Path, paths):
        try:
            st = os.stat(p)
        except OSError as e:
            found.skipped.append(_skip(p, _missing(p, e)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(p, found)
        elif stat.S_ISREG(st.st_mode):
            found.files.append(p)
        else:
            found.skipped.append(_skip(p, f"not a regular file but {kind_of(st.st_mode)}; skipped, never read"))
    return found


def find_reports(paths) -> list[Path]:
    """Report files under the given files and folders, in a stable order (see ``scan``)."""
    return scan(paths).files


def _skip(path, reason: str) -> tuple[str, str]:
    shown = readable(str(path))
    return shown, f"{shown}: {reason}"


def _missing(p: Path, e: OSError) -> str:
    if os.path.islink(p):
        return f"a symbolic link to {readable(os.readlink(p))}, which does not exist; skipped"
    return f"cannot be read ({e.strerror}); skipped"


def _walk(top: Path, found: Found) -> None:
    files, skipped = [], []

    def unreadable(e: OSError) -> None:
        skipped.append(_skip(e.filename, f"a folder that cannot be read ({e.strerror}); the reports in it, if any, "
                                         f"are not parsed"))

    for folder, dirs, names in os.walk(top, onerror=unreadable):
        here = Path(folder)
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if os.path.islink(here / d):
                skipped.append(_skip(here / d, "a symbolic link to a folder, not followed; give that folder "
                                               "itself to parse it"))
            else:
                keep.append(d)
        dirs[:] = keep
        for name in names:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = here / name
            try:
                st = os.stat(path)
            except OSError as e:
                skipped.append(_skip(path, _missing(path, e)))
                continue
            if stat.S_ISREG(st.st_mode):
                files.append(path)
            else:
                skipped.append(_skip(path, f"not a regular file but {kind_of(st.st_mode)}; skipped, never read"))
    found.files += sorted(files)
    found.skipped += sorted(skipped)


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
            written = {}
            for name, df in self.frames().items():
                df.write_parquet(tmp / f"{name}.parquet")
                written[f"{name}.parquet"] = outputs.sha256_of(tmp / f"{name}.parquet")
                if csv:
                    for_excel(df).write_csv(tmp / f"{name}.csv", include_bom=True)
                    written[f"{name}.csv"] = outputs.sha256_of(tmp / f"{name}.csv")
            # written last: a folder with a manifest is complete, and its checksums tell a damaged table
            record = {outputs.MARKER_KEY: "govlib parse", **(manifest or {}), outputs.CHECKSUMS_KEY: written}
            (tmp / "manifest.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
            outputs.checkpoint("before-swap")
            outputs.replace_folder(tmp, folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


# what polars.read_csv would type from a column's first rows: integers, decimals, NaN and infinities, booleans
_NUMBER_LIKE = (r"^\s*(?:-?\d+|[+-]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+)|[+-]?(?i:nan|inf|infinity)"
                r"|(?i:true|false))\s*$")
_FORMULA_START = r"^[=+\-@\t\r]"
_PLAIN_SIGNED = r"^[+-]\d+(?:\.\d+)?$|^[-—–]+$"  # "+207", "-5", "-", "——": data, not formulas


def for_excel(df):
    """A table as its Excel-ready CSV holds it (the Parquet tables keep everything as read).

    - A cell a spreadsheet would run as a formula (a file name, title or agency starting with ``=``, ``+``, ``-``,
      ``@``, a tab or a carriage return) gets a leading ``'``, as OWASP recommends; a signed number ("+207") and a
      dash placeholder stay as printed.
    - ``text`` (what a cell printed) is left empty where it prints exactly its value, so that the column holds
      "12975800元", "-", "+207" and the like; and in a text column that also holds such words, a text that reads
      as a number is marked with a leading ``'`` too. So ``polars.read_csv`` reads every CSV with its default
      settings, never typing a column of printed texts as numbers from its first rows.
    """
    import polars as pl

    if "text" in df.columns and "value" in df.columns:
        shown = pl.col("value").cast(pl.Float64)
        canonical = (pl.when(shown == shown.round(0)).then(shown.cast(pl.Int64).cast(pl.String))
                     .otherwise(shown.cast(pl.String)))
        df = df.with_columns(pl.when(pl.col("text") == canonical).then(None).otherwise(pl.col("text")).alias("text"))
    fixes = []
    for name, dtype in df.schema.items():
        if dtype != pl.String:
            continue
        col = pl.col(name)
        formula = col.str.contains(_FORMULA_START) & ~col.str.contains(_PLAIN_SIGNED)
        number = col.str.contains(_NUMBER_LIKE)
        mixed = df.select((number.any() & (col.is_not_null() & ~number).any()).fill_null(False)).item()
        marked = formula | (number if mixed else pl.lit(False))
        fixes.append(pl.when(marked.fill_null(False)).then(pl.lit("'") + col).otherwise(col).alias(name))
    return df.with_columns(fixes) if fixes else df


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
    result is the same, in the same order. Paths skipped (see ``scan``) are listed in ``failures`` too.
    """
    return _parse_found(paths_or_dir, scan(paths_or_dir), progress, jobs)


def _parse_found(paths_or_dir, found: Found, progress: bool | None, jobs: int) -> Dataset:
    from tqdm import tqdm

    from .regions import read_mapping

    files = found.files
    mapping: dict[Path, str] = {}
    for folder in mapping_folders(paths_or_dir, files):
        mapping |= read_mapping(folder)  # a mapping beside the reports overrides one further up
    ds = Dataset()
    seen: dict[str, int] = {}
    with _collector_paused():
        parsed = _parsed(files, jobs)
        try:
            for path, outcome in tqdm(zip(files, parsed), total=len(files), desc="parsing reports", unit="report",
                                      disable=None if progress is None else not progress):
                _add(ds, path, outcome, seen, mapping)
        finally:
            close = getattr(parsed, "close", None)
            if close:
                close()  # stops the workers at once when the batch ends early (an error, Ctrl-C, SIGTERM)
    ds.failures_list += found.skipped
    places = [region.code for region in ds.regions]
    mark_duplicates(ds, places)
    check_across_years(ds.reports_list, places)
    return ds


def _parallel_from() -> int:
    return int(os.environ.get("GOVLIB_PARALLEL_FROM", PARALLEL_FROM))  # tests start workers for a few files


def _parsed(files: list[Path], jobs: int):
    """Each file's report, or the failure (file, error), in order: here, or in ``jobs`` worker processes (which
    die with this process; a file whose worker is killed is tried again alone, then listed as a failure)."""
    if jobs <= 1 or len(files) < _parallel_from():
        return map(_parse_one, files)
    from .workers import map_in_workers

    return map_in_workers("govlib.corpus:_parse_one", files, jobs, _lost,
                          started=lambda: outputs.checkpoint("parsing"))


def _lost(path: Path, how: str) -> tuple[str, str]:
    shown = readable(str(path))
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
    report.finding_list += truncation_findings(report)
    return report


# the headings of sections 五 and 六, after the tables (an opening that lists the sections names them unnumbered)
_CLOSING = re.compile(r"[五六][、.．]\s*(?:政府信息公开工作)?(?:存在的主要问题|其他需要报告的事项)")


def _rows_in_print_order(template: str) -> list[tuple[str, str]]:
    from . import codebook

    t = codebook.template(template)
    return ([("proactive", item.code) for item, _ in t.proactive] + [("applications", c.code) for c in t.applications]
            + [("review_litigation", codebook.REVIEW_ROW)])


def truncation_findings(report: Report) -> list[Finding]:
    """An ``error`` finding when a report's file stops in the middle of its tables: the rows after some row, to the
    end of section 四, are not printed, and nothing of sections 五 and 六 follows (a download cut off, a copy
    saved half-way). Such a report is not complete, whatever its first rows say."""
    from .cells import MISSING

    order = _rows_in_print_order(report.meta.template)
    printed = {(table, row) for table, grid in report.cells.items() for (row, _), c in grid.items()
               if c.state != MISSING}
    flags = [key in printed for key in order]
    if not any(flags) or flags[-1]:
        return []
    last = max(i for i, f in enumerate(flags) if f)
    if _CLOSING.search(report.context):
        return []  # the text goes on after the tables: a row the reader missed, not a file cut off
    lost = order[last + 1:]
    cells = cells_text([(f"{table}.{row}", "*") for table, row in lost[:3]]) + (" …" if len(lost) > 3 else "")
    table, row = order[last]
    return [Finding("truncated", "error", cells, None, None,
                    f"the file stops after row {table}.{row}: the {len(lost)} rows after it (to the end of section "
                    f"四) and sections 五 and 六 are not in it; the report looks cut off — get the complete file")]


def _parse_one(path: Path) -> Report | tuple[str, str]:
    outputs.checkpoint(f"parse:{path.name}")  # where a test kills a worker, as the out-of-memory killer would
    try:
        return read_report(path)
    except GovlibError as e:
        return readable(str(path)), str(e)


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


def _completeness(r: Report) -> tuple[int, int, int]:
    """How complete a reading is: not cut off, then the cells it could read (printed blank or dash included), then
    the fewer errors."""
    from .cells import BLANK_STATE, DASH, KNOWN

    cells = sum(c.state in KNOWN or c.state in (BLANK_STATE, DASH) for grid in r.cells.values() for c in grid.values())
    errors = [f.rule for f in r.finding_list if f.severity == "error"]
    return ("truncated" not in errors, cells, -len(errors))


def mark_duplicates(ds: Dataset, places: list[str | None]) -> None:
    """Reports of the same agency, place and year (the same report saved twice, as HTML and as DOCX, published
    again, or a copy cut off): each keeps its tables, the most complete reading is counted (the earliest file among
    equals), and each other one gets a ``duplicate`` finding and a ``duplicate_of`` naming the report that figures
    count, so that a region's totals never count one agency's year twice."""
    groups: dict[tuple[str, str | None, int], list[int]] = {}
    for i, (r, place) in enumerate(zip(ds.reports_list, places)):
        if r.meta.agency and r.meta.year:
            groups.setdefault((r.meta.agency, place, r.meta.year), []).append(i)
    counted = {}
    for members in groups.values():
        best = max(members, key=lambda i: (_completeness(ds.reports_list[i]), -i))  # the earliest among equals
        counted.update((i, best) for i in members)
    for i, (r, place) in enumerate(zip(ds.reports_list, places)):
        j = counted.get(i, i)
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
    """What ``parse_to`` did: the folder written, the dataset parsed (None when the folder was up to date) and the
    manifest in force, with the counts a summary line gives, and the tables found damaged (parsed again)."""

    out: Path
    dataset: Dataset | None
    manifest: dict
    damaged: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return self.dataset is None

    @property
    def reports(self) -> int:
        return self.manifest.get("reports", 0)

    @property
    def failures(self) -> list[tuple[str, str]]:
        """(file, one-line reason) of each file that could not be parsed or was skipped (only when parsed now)."""
        return [] if self.dataset is None else self.dataset.failures_list

    @property
    def failure_count(self) -> int:
        return self.manifest.get("failures", 0)

    @property
    def skipped_count(self) -> int:
        return len(self.manifest.get("skipped", []))

    def findings(self, severity: str) -> int:
        """How many findings of ``severity`` (``error`` or ``warning``) the reports parsed now carry."""
        if self.dataset is None:
            return 0
        return sum(f.severity == severity for r in self.dataset.reports_list for f in r.finding_list)


def parse_to(paths, out: str | Path, csv: bool = False, force: bool = False,
             progress: bool | None = None, jobs: int = 1) -> ParseRun:
    """Parse ``paths`` into ``out`` unless the inputs, options and govlib's code are unchanged since last time and
    every table is as written (its checksum in the manifest). Paths given that hold no report file are an error."""
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
                    return ParseRun(folder, None, old)
        ds = _parse_found(given, found, progress, jobs)  # the folders given, not only the files: mappings
        manifest["reports"] = len(ds.reports_list)
        manifest["failures"] = len(ds.failures_list)
        ds._write_into(folder, csv, manifest)
    return ParseRun(folder, ds, manifest, damaged)
