"""The command line: thin commands over the library; a failure is one line starting with "Error:" and exit 1."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, paths
from .codebook import LANGS
from .errors import GovlibError
from .regions import REGION_LEVELS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govlib")
def cli() -> None:
    """govlib: government information disclosure annual reports (政府信息公开工作年度报告) as exact tables."""


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=paths.PROCESSED, show_default=True,
              help="Folder for the Parquet tables (replaced atomically).")
@click.option("--csv", "csv_", is_flag=True, help="Also write UTF-8 CSVs with a BOM, which open correctly in Excel.")
@click.option("--force", is_flag=True, help="Parse again even when the inputs and govlib's code are unchanged.")
@click.option("--jobs", type=click.IntRange(1, 64), default=min(2, os.cpu_count() or 1), show_default=True,
              help="Worker processes for a batch of 200 files or more (fewer are parsed in one process).")
@click.option("--scheduler", metavar="ADDRESS", help="Parse on a Dask cluster (tcp://host:8786) instead of here; its "
              "workers must see the files by the same paths. Needs pip install 'govlib[dask]'.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def parse(sources: tuple[Path, ...], out: Path, csv_: bool, force: bool, jobs: int, scheduler: str | None,
          quiet: bool) -> None:
    """Parse report files or folders (default: data/raw) into tables in --out.

    Writes reports, applications, proactive, review_litigation, findings and failures, joined on report_id.
    Exits with status 1 when any file could not be parsed (it is listed in failures).
    """
    from .corpus import parse_to

    try:
        done = parse_to(list(sources) or [paths.RAW], out, csv=csv_, force=force, progress=False if quiet else None,
                        jobs=jobs, scheduler=scheduler)
    except (GovlibError, OSError) as e:
        raise click.ClickException(str(e)) from None
    skipped = f" ({done.skipped_count} of them skipped: not regular files or not readable)" \
        if done.skipped_count else ""
    for name in done.damaged:
        click.echo(f"{out / name} was damaged (its checksum is not the manifest's): parsed again", err=True)
    if done.up_to_date:
        click.echo(f"{out}: up to date ({done.reports} reports; use --force to parse again)")
    else:
        click.echo(f"parsed {done.reports} reports into {out}: {done.findings('error')} errors and "
                   f"{done.findings('warning')} warnings reported as findings")
    for _, error in done.failures:
        click.echo(f"failed: {error}", err=True)
    if done.failure_count:
        click.echo(f"Error: {done.failure_count} file(s) could not be parsed{skipped}; see "
                   f"{out / 'failures.parquet'}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def show(file: Path) -> None:
    """Print one parsed report: metadata, its three tables as laid out in the report, and its findings."""
    from .corpus import read_report
    from .display import render

    try:
        report = read_report(file)  # within govlib's limits; never waits on a pipe
    except GovlibError as e:
        raise click.ClickException(str(e)) from None
    click.echo(render(report))


@cli.command()
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=paths.PROCESSED, show_default=True,
              help="Folder written by `govlib parse`.")
@click.option("--level", type=click.Choice(REGION_LEVELS), default="county", show_default=True,
              help="What counts as one region.")
def regions(data: Path, level: str) -> None:
    """List the regions of the parsed reports: report counts, years covered, and reports that could not be placed."""
    from .metrics import list_regions

    try:
        listing = list_regions(data, level)
    except GovlibError as e:
        raise click.ClickException(str(e)) from None
    for row in listing.regions.iter_rows(named=True):
        years = str(row["first_year"]) if row["first_year"] == row["last_year"] else \
            f"{row['first_year']}–{row['last_year']}"
        click.echo(f"{row['region_code']}  {row['region']}  {row['reports']} reports, "
                   f"{row['agencies']} agencies, {years}")
    unplaced = listing.unplaced
    click.echo(f"{listing.regions.height} regions ({level}); {len(unplaced)} of {listing.reports} reports could not be "
               f"placed" + (": " + ", ".join(unplaced[:5]) if unplaced else ""))


@cli.command()
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=paths.PROCESSED, show_default=True,
              help="Folder written by `govlib parse`.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=paths.REPORTS, show_default=True,
              help="Where the HTML briefs and index.html go.")
@click.option("--region", "regions", multiple=True, help="A region code (repeatable); default: every region.")
@click.option("--year", "years", multiple=True, type=int,
              help="A report year (repeatable); default: every year each region has reports for.")
@click.option("--level", type=click.Choice(REGION_LEVELS), default="county", show_default=True,
              help="What counts as one region.")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help="The language of the briefs.")
@click.option("--jobs", type=click.IntRange(1, 64), default=min(2, os.cpu_count() or 1), show_default=True,
              help="Briefs run at once.")
@click.option("--scheduler", metavar="ADDRESS", help="Run the briefs on a Dask cluster (tcp://host:8786); its "
              "workers must see --data, --out and the notebook by the same paths. Needs pip install 'govlib[dask]'.")
@click.option("--force", is_flag=True, help="Run again even when nothing changed.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def briefs(data, out, regions, years, level, lang, jobs, scheduler, force, quiet) -> None:
    """Run the brief notebook for every region and export each run to reports/<year>/<region>.html.

    Unchanged briefs (same data, notebook, parameters and govlib) are skipped. A run that fails keeps its executed
    notebook beside its page, is marked in reports/index.html, and makes the exit status 1.
    """
    from .briefs.runner import run

    try:
        summary = run(data, out, list(regions) or None, list(years) or None, jobs=jobs, level=level, lang=lang,
                      progress=False if quiet else None, force=force, scheduler=scheduler)
    except GovlibError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"briefs in {out}: {summary.count('done')} made, {summary.count('skipped')} unchanged, "
               f"{summary.count('failed')} failed; index: {out / 'index.html'}")
    for o in summary.failed:
        click.echo(f"failed: {o.job.region} {o.job.year}: {o.error} (executed notebook kept in "
                   f"{out / str(o.job.year) / (o.job.region + '.ipynb')})", err=True)
    if summary.failed:
        sys.exit(1)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a run as Ctrl-C does: temporary files removed, workers stopped


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, _stop)
    cli(prog_name="govlib")


if __name__ == "__main__":
    main()
