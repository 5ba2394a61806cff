"""Regional briefs: Papermill runs the brief notebook once per region, nbconvert turns each run into a
self-contained HTML page in ``reports/<year>/<region>.html``, and ``reports/index.html`` links them all.

Only this module imports Papermill and nbconvert. Runs go in parallel (``jobs``), unchanged ones are skipped
(same data, notebook, parameters and govlib code), and a failed run keeps its executed notebook for debugging.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import code_fingerprint, outputs, paths
from ..codebook import check_lang
from ..errors import BriefError
from ..notebooks import cells_fingerprint
from ..regions import check_level
from . import kernel

kernel.keep_unused_checkers_out()  # in this process and its workers, before papermill and nbconvert import jsonschema

NOTEBOOK = paths.NOTEBOOKS / "regional_brief.ipynb"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_CODE = re.compile(r"[0-9]{2,12}")  # ASCII digits only: never a path, a newline or full-width digits


@dataclass(frozen=True)
class Job:
    region: str
    region_name: str
    year: int

    def html(self, out: Path) -> Path:
        return out / str(self.year) / f"{self.region}.html"


@dataclass
class Outcome:
    job: Job
    status: str  # "done" | "skipped" | "failed"
    seconds: float = 0.0
    error: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def plan(data_dir: Path, regions=None, years=None, level: str = "county", tables=None) -> list[Job]:
    """The briefs to make: every region (or those named) for every year it has reports for (or the years
    named); ``tables`` are those in ``data_dir``, where the caller has them already."""
    from ..metrics import Tables
    from .page import check_selection, regions_and_years

    check_level(level)
    available = regions_and_years((tables or Tables.load(data_dir)).reports, level)
    for r in regions or ():
        check_selection(available, r, None, level)
    jobs = []
    for code in sorted(regions or available):
        name, have = available[code]
        for y in [int(y) for y in years] if years else have:
            if y in have:
                jobs.append(Job(code, name, y))
            elif regions:
                check_selection(available, code, y, level)
    if years and not jobs:
        raise BriefError(f"no region has reports for {', '.join(map(str, years))}")
    return jobs


def _fingerprint(data: str, notebook: Path, parameters: dict) -> str:
    """What a brief depends on: govlib's code, the notebook's cells, its region's data (the digest of its slice)
    and its parameters."""
    h = hashlib.sha256()
    h.update(code_fingerprint().encode())  # charts and sentences change with the code, not only with the version
    h.update(cells_fingerprint(notebook).encode())  # the cells, not the metadata JupyterLab rewrites on opening
    h.update(data.encode())
    h.update(json.dumps(parameters, sort_keys=True).encode())
    return h.hexdigest()


SLICES = ".data"  # in a folder of briefs: each region's slice of the tables, which its notebook reads
SLICE_TABLES = ("reports", "applications", "proactive", "review_litigation", "findings", "metrics")


def write_slices(tables, computed, level: str, regions, out: Path) -> dict[str, tuple[Path, str]]:
    """For each region: a folder of its rows of every table and of its metrics (computed once for the whole
    corpus), which its brief reads instead of the whole corpus, and a digest of them. A brief then costs the same
    in a corpus of ten reports or of ten thousand. A slice is rewritten only when it changed."""
    import io

    import polars as pl

    from ..frames import with_region

    placed = with_region(tables.reports, level).select("report_id", "region_code")
    out_of = {}
    for code in sorted(set(regions)):
        ids = placed.filter(pl.col("region_code") == code)["report_id"].implode()
        frames = {"reports": tables.reports.filter(pl.col("report_id").is_in(ids)),
                  "metrics": computed.filter(pl.col("report_id").is_in(ids))}
        for name in ("applications", "proactive", "review_litigation", "findings"):
            frames[name] = getattr(tables, name).filter(pl.col("report_id").is_in(ids))
        folder = out / SLICES / level / code
        folder.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        for name in SLICE_TABLES:
            buffer = io.BytesIO()
            frames[name].write_parquet(buffer)
            data = buffer.getvalue()
            h.update(hashlib.sha256(data).digest())
            path = folder / f"{name}.parquet"
            if not path.exists() or path.read_bytes() != data:
                outputs.write_bytes(path, data)
        out_of[code] = (folder, h.hexdigest())
    return out_of


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """The names and default values in the notebook's cell tagged ``parameters`` (read without a kernel)."""
    import ast

    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BriefError(f"{notebook}: not a readable notebook ({e})") from None
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            return {t.id: ast.literal_eval(node.value) for node in ast.parse(source).body
                    if isinstance(node, (ast.Assign, ast.AnnAssign))
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    if isinstance(t, ast.Name)}
    raise BriefError(f"{notebook}: no cell is tagged 'parameters'")


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Reject a parameter the notebook does not declare (Papermill would only warn and run the default)."""
    declared = set(notebook_parameters(notebook))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise BriefError(f"{notebook.name} has no parameter {', '.join(unknown)}; it declares "
                          f"{', '.join(sorted(declared))}")


@contextlib.contextmanager
def _stderr_to(path: Path):
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


@functools.cache
def _exporter(with_code: bool):
    """One HTMLExporter per worker: building one compiles its Jinja templates, 0.2 s of every brief."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="govlib_brief", extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input=not with_code, exclude_input_prompt=True, exclude_output_prompt=True)


def export_html(notebook, title: str, with_code: bool = False) -> str:
    """An executed notebook (a path or a notebook node) as one self-contained page: the Vega bundle inlined once,
    no script from the network."""
    import nbformat

    from ..charts import vega_bundle

    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:  # Papermill gives the cell it adds a random id: a page made twice is the same file
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    body, _ = _exporter(with_code).from_notebook_node(
        nb, resources={"metadata": {"name": title}, "govlib_vega": vega_bundle()})
    return body


def _trust(notebook: Path) -> None:
    """Sign a kept notebook, so that JupyterLab shows its charts instead of blanking an untrusted output."""
    if not notebook.exists():
        return
    import nbformat
    from nbformat.sign import NotebookNotary

    nb = nbformat.read(str(notebook), as_version=4)
    NotebookNotary().sign(nb)


def execute(notebook: str | Path, executed: Path, parameters: dict):
    """Run a notebook with Papermill in a brief kernel (``kernel``): the executed notebook."""
    import papermill

    with kernel.marked_environment():
        # Papermill saves the whole notebook before and after every cell unless told not to: 0.4 s a brief. It
        # still writes the executed notebook once at the end, and before raising when a cell fails.
        return papermill.execute_notebook(str(notebook), str(executed), parameters=parameters, kernel_name="python3",
                                          progress_bar=False, cwd=str(Path(notebook).parent),
                                          request_save_on_cell_execute=False,
                                          extra_arguments=[kernel.PRELOAD_ARGUMENT])


def run_one(job: Job, data_dir: str, out: str, notebook: str, lang: str, level: str) -> Outcome:
    """Execute and export one brief (in a worker process)."""
    import time

    started = time.perf_counter()
    out_dir = Path(out) / str(job.year)
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{job.region}.ipynb"
    parameters = {"region": job.region, "year": job.year, "data_dir": str(Path(data_dir).resolve()),
                  "lang": lang, "level": level}
    title = f"{job.region_name} {job.year}"
    log = out_dir / f".{job.region}.log"
    try:
        with _stderr_to(log):  # the kernel's chatter goes to a log beside the brief
            nb = execute(notebook, executed, parameters)
    except Exception as e:  # the run failed: keep the executed notebook and a page that shows the error
        _trust(executed)
        outputs.write_file(job.html(Path(out)), export_html(executed, title, with_code=True) if executed.exists() else
               f"<p>{html.escape(str(e))}</p>")
        reason = f"{e.ename}: {e.evalue}" if hasattr(e, "ename") else f"{type(e).__name__}: {e}".strip()
        return Outcome(job, "failed", time.perf_counter() - started, reason.splitlines()[0])
    outputs.write_file(job.html(Path(out)), export_html(nb, title))
    executed.unlink()  # executed notebooks (and kernel logs) are kept only when a run fails
    log.unlink(missing_ok=True)
    return Outcome(job, "done", time.perf_counter() - started)


def run_packed(args: tuple) -> Outcome:
    """``run_one`` of a worker's item (job, data_dir, out, notebook, lang, level)."""
    return run_one(*args)


def run_batch(items: list[tuple]) -> list[Outcome]:
    """``run_one`` of each item of a task on a cluster."""
    return [run_one(*args) for args in items]


def _lost(args: tuple, how: str) -> Outcome:
    return Outcome(args[0], "failed", 0.0, f"the process making this brief {how}")


def run(data_dir: str | Path = paths.PROCESSED, out: str | Path = paths.REPORTS, regions=None, years=None,
        jobs: int = 1, level: str = "county", lang: str = "zh", notebook: str | Path = NOTEBOOK,
        progress: bool | None = None, force: bool = False, scheduler=None) -> Summary:
    """Make the briefs, ``jobs`` at a time here, or on the Dask cluster of ``scheduler`` (its workers must see
    ``out`` and the notebook by the same paths); an unknown region or parameter is an error before any kernel
    starts."""
    from ..metrics import Tables

    data_dir, out, notebook = Path(data_dir), Path(out), Path(notebook)
    check_lang(lang)
    tables = Tables.load(data_dir)
    todo = plan(data_dir, regions, years, level, tables)
    for job in todo:
        if not _CODE.fullmatch(job.region):  # a region name can never write outside reports/
            raise BriefError(f"region code {job.region!r} is not a division code")
    check_parameters(notebook, {"region": "", "year": 0, "data_dir": "", "lang": lang, "level": level})
    folder = outputs.claim(out, [data_dir], "briefs")
    with outputs.locked(folder, "briefs"):
        folder.mkdir(parents=True, exist_ok=True)
        clean_leftovers(folder)
        (folder / outputs.BRIEFS_MARKER).touch()
        try:
            return _run(todo, tables, folder, notebook, jobs, level, lang, progress, force, scheduler)
        except BaseException:  # stopped (Ctrl-C, SIGTERM) or failed: the runs cut short leave nothing behind
            clean_leftovers(folder)
            raise


def clean_leftovers(out: Path) -> None:
    """Remove what killed runs left in a folder of briefs: temporary pages and records, and the executed notebooks
    and kernel logs of runs that did not end (a failed run's are kept, beside its record)."""
    for p in (out / SLICES).rglob(".*.tmp"):  # a slice's table, killed mid-way
        p.unlink(missing_ok=True)
    for year in (p for p in out.iterdir() if p.is_dir() and p.name.isdigit()):
        for p in year.iterdir():
            if _TEMPORARY.match(p.name):
                p.unlink(missing_ok=True)
                continue
            region = _KEPT.match(p.name)
            if region:
                try:
                    status = json.loads((year / f".{region[1]}.json").read_text(encoding="utf-8")).get("status")
                except (OSError, ValueError):
                    status = None
                if status != "failed":
                    p.unlink(missing_ok=True)


_TEMPORARY = re.compile(r"^\..+\.(html|json)\.[A-Za-z0-9_]{8}(\.tmp)?$")  # outputs.write_file's, killed mid-way
_KEPT = re.compile(r"^\.?(\d+)\.(ipynb|log)$")  # REGION.ipynb, .REGION.log


def _run(todo: list[Job], tables, out: Path, notebook: Path, jobs: int, level: str, lang: str,
         progress: bool | None, force: bool, scheduler=None) -> Summary:
    from tqdm import tqdm

    from ..metrics import compute

    computed = compute(tables)  # once for every brief and the index
    slices = write_slices(tables, computed, level, [job.region for job in todo], out)
    summary = Summary()
    pending = []
    for job in todo:
        fingerprint = _fingerprint(slices[job.region][1], notebook, {"region": job.region, "year": job.year,
                                                                     "lang": lang, "level": level})
        meta = out / str(job.year) / f".{job.region}.json"
        if not force and job.html(out).exists() and meta.exists():
            old = json.loads(meta.read_text(encoding="utf-8"))
            if old.get("fingerprint") == fingerprint and old.get("status") == "done":
                summary.outcomes.append(Outcome(job, "skipped"))
                continue
        pending.append((job, fingerprint))
    bar = tqdm(total=len(pending), desc="briefs", unit="brief", disable=None if progress is None else not progress)
    args = (str(out), str(notebook), lang, level)
    items = [(job, str(slices[job.region][0]), *args) for job, _ in pending]
    if scheduler is not None:
        from ..cluster import map_on_cluster

        outcomes = map_on_cluster(run_batch, items, scheduler, _lost, batch=1)
    elif jobs <= 1 or len(pending) <= 1:
        outcomes = map(run_packed, items)
    else:  # workers that die with this process: a brief never overwrites a page after its run was stopped
        from ..workers import map_in_workers

        outcomes = map_in_workers("govlib.briefs.runner:run_packed", items, jobs, _lost,
                                  started=lambda: outputs.checkpoint("briefs-running"))
    results = []
    try:
        for outcome in outcomes:
            results.append(outcome)
            bar.update()
    finally:
        close = getattr(outcomes, "close", None)
        if close:
            close()
    bar.close()
    if not pending and (out / "index.html").exists():
        return summary  # nothing changed: neither the briefs nor the index
    prints = dict(pending)
    for outcome in results:
        outputs.write_file(out / str(outcome.job.year) / f".{outcome.job.region}.json",
               json.dumps({"fingerprint": prints[outcome.job], "status": outcome.status, "error": outcome.error,
                           "region": outcome.job.region, "region_name": outcome.job.region_name,
                           "year": outcome.job.year}, ensure_ascii=False))
        summary.outcomes.append(outcome)
    write_index(tables, computed, out, level, lang)
    return summary


def write_index(tables, computed, out: Path, level: str, lang: str) -> Path:
    """``reports/index.html``: the briefs by region and year (every year a region has a brief, linked), then each
    brief's headline figures; failed runs marked."""
    from .page import Brief, number, percent, plural

    zh = lang == "zh"
    briefs = []
    for meta_path in out.glob("*/.*.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        try:
            brief = Brief(tables, meta["region"], int(meta["year"]), level, lang, computed)
            figures = brief.headline_figures()
            name = brief.display_name
        except Exception:  # a region that no longer has data still gets its row
            figures, name = {}, meta["region_name"]
        briefs.append((meta["region"], int(meta["year"]), name, meta, figures))
    briefs.sort(key=lambda b: (b[0], -b[1]))
    years = sorted({b[1] for b in briefs})
    regions = {}
    for region, year, name, meta, figures in briefs:
        regions.setdefault(region, (name, {}))[1][year] = (meta, figures)

    def link(region, year, text):
        return f'<a href="{year}/{html.escape(region)}.html">{text}</a>'

    def failed(meta):
        return "" if meta["status"] == "done" else \
            f" <strong>({'运行失败' if zh else 'failed'}: {html.escape(meta.get('error') or '')})</strong>"

    grid = []  # regions down, years across: every brief one click away
    for region, (name, by_year) in regions.items():
        cells = "".join(f"<td>{link(region, y, str(y)) + ('' if by_year[y][0]['status'] == 'done' else ' ✗')}</td>"
                        if y in by_year else "<td></td>" for y in years)
        grid.append(f"<tr><th>{html.escape(name)}</th>{cells}</tr>")
    rows = []  # each brief's headline figures
    for region, (name, by_year) in regions.items():
        for k, year in enumerate(sorted(by_year, reverse=True)):
            meta, f = by_year[year]
            n = f.get("agencies_compared")
            basis = {"own": "本级报告" if zh else "its own report",
                     "sum": (f"{n}个机关合计" if zh else f"{plural(n, 'agency')} together") if n != 1 else
                     ("该机关的报告" if zh else "the agency's report")}.get(f.get("basis"), "")
            head = f"<td rowspan=\"{len(by_year)}\">{html.escape(name)}</td>" if k == 0 else ""
            rows.append(f"<tr>{head}<td>{link(region, year, str(year))}{failed(meta)}</td>"
                        f"<td>{number(f.get('agencies'))}</td>"
                        f"<td>{number(f.get('new_requests'))}</td><td>{percent(f.get('grant_rate'))}</td>"
                        f"<td>{number(f.get('reviews'))}</td><td class=\"basis\">{html.escape(basis)}</td></tr>")
    heads = ("地区", "年度", "机关", "新收申请", "公开率", "行政复议", "依据") if zh else \
        ("Region", "Year", "Agencies", "New requests", "Grant rate", "Reviews", "Figures from")
    page = ("<!DOCTYPE html><html lang=\"" + ("zh" if zh else "en") + "\"><head><meta charset=\"utf-8\">"
            "<title>govlib briefs</title><style>"
            "body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;max-width:64rem;margin:2rem auto}"
            "td,th{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
            "table.years td{text-align:center}td.basis{color:#777;font-size:90%}a{color:#1b6ca8}</style></head><body>"
            f"<h1>{'政府信息公开年报区域简报' if zh else 'Regional briefs'}</h1>"
            f"<h2>{'按地区和年度' if zh else 'By region and year'}</h2>"
            "<table class=\"years\"><tr><th></th>" + "".join(f"<th>{y}</th>" for y in years) + "</tr>"
            + "".join(grid) + "</table>"
            f"<h2>{'各简报的概况' if zh else 'The headline figures of each brief'}</h2><table><tr>"
            + "".join(f"<th>{h}</th>" for h in heads) + "</tr>" + "".join(rows) + "</table></body></html>")
    path = out / "index.html"
    outputs.write_file(path, page)
    return path
