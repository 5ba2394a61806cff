"""Where Polars enters: the schemas of the tables govlib writes, frames built from parsed reports' cells, and the
region columns a comparison groups by.

Everything below this layer is plain Python over strings and small dataclasses; everything above it (corpus,
metrics, charts, briefs) works on the frames made here.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from operator import itemgetter

from . import codebook
from .codebook import REVIEW_ROW
from .regions import REGION_LEVELS, check_level, divisions

REGION_COLUMNS = ("province", "province_code", "prefecture", "prefecture_code", "county", "county_code",
                  "township", "township_code", "admin_level", "zone", "region_method", "region_candidates")


def _int(v):
    if v is None or type(v) is int:
        return v
    return int(v) if float(v).is_integer() else None


def _float(v):
    return None if v is None else float(v)


_VALUE, _STATE, _LINE, _TEXT, _RULE = (itemgetter(i) for i in range(5))  # fields of a Cell


@cache
def codes(template: str, table: str, rows: tuple[str, ...] | None = None) -> tuple[tuple[str, ...], ...]:
    """The code columns of a table's frame: (row, applicant), (measure,) or (item, measure)."""
    keys = _keys(template, table, rows)
    if table == "review_litigation":
        return (tuple(m for _, m in keys),)
    return tuple(r for r, _ in keys), tuple(c for _, c in keys)


@cache
def _keys(template: str, table: str, rows: tuple[str, ...] | None = None) -> tuple[tuple[str, str], ...]:
    """The cells of a table in the frame's order: the template's rows (or, where a report prints a group in the
    other template's form, ``rows``: the rows it prints), each with its columns."""
    t = codebook.template(template)
    if table == "applications":
        return tuple((r, a.code) for r in (rows or [r.code for r in t.applications]) for a in t.applicants)
    if table == "review_litigation":
        return tuple((REVIEW_ROW, m.code) for m in t.review_litigation)
    return tuple((item.code, m.code) for item, measures in t.proactive for m in measures)


@cache
def _units(template: str) -> tuple[str, ...]:
    return tuple(m.unit for _, measures in codebook.template(template).proactive for m in measures)


SCHEMAS = {  # each table's columns after its codes, with their kinds
    "applications": [("row", "str"), ("applicant", "str"), ("value", "int"), ("state", "str"), ("rule", "str"),
                     ("line", "int"), ("text", "str"), ("page", "int"), ("position", "str")],
    "review_litigation": [("measure", "str"), ("value", "int"), ("state", "str"), ("rule", "str"), ("line", "int"),
                          ("text", "str"), ("page", "int"), ("position", "str")],
    "proactive": [("item", "str"), ("measure", "str"), ("value", "float"), ("unit", "str"), ("state", "str"),
                  ("rule", "str"), ("line", "int"), ("text", "str"), ("page", "int"), ("position", "str")],
    "findings": [("rule", "str"), ("severity", "str"), ("cells", "str"), ("expected", "float"), ("found", "float"),
                 ("message", "str")],
}


def polars_schema(table: str, prefix: list[tuple[str, str]] = ()):
    import polars as pl

    types = {"str": pl.String, "int": pl.Int64, "float": pl.Float64}
    return {name: types[t] for name, t in list(prefix) + SCHEMAS[table]}


def frame(table: str, columns: list[Sequence], prefix: list[tuple[str, str]] = ()):
    """A frame from the values of each column (the ``prefix`` columns first): Polars reads a column of Python values
    several times faster than rows."""
    import polars as pl

    schema = polars_schema(table, prefix)
    return pl.DataFrame([pl.Series(name, column, dtype=dtype)
                         for (name, dtype), column in zip(schema.items(), columns)])


def report_columns(report, table: str) -> list[Sequence]:
    """The values of each column of ``table``'s frame for one ``Report``, in ``SCHEMAS`` order after the codes."""
    if table == "findings":
        rows = [(f.rule, f.severity, f.cells, f.expected, f.found, f.message) for f in report.finding_list]
        return [list(c) for c in zip(*rows)] if rows else [[] for _ in SCHEMAS[table]]
    template = report.meta.template
    rows = getattr(report, "frame_rows", None) if table == "applications" else None
    keys = _keys(template, table, rows)
    cells = list(map(report.cells[table].__getitem__, keys))
    values = list(map(_float if table == "proactive" else _int, map(_VALUE, cells)))
    if report.positions is None:  # text, HTML, Word: a line, no page
        where = [list(map(_LINE, cells)), list(map(_TEXT, cells)), [None] * len(cells), [None] * len(cells)]
    else:
        where = [list(c) for c in zip(*(_provenance(report, c) for c in cells))]
    units = [_units(template)] if table == "proactive" else []
    return [*codes(template, table, rows), values, *units, list(map(_STATE, cells)), list(map(_RULE, cells)),
            *where]


def _provenance(report, c) -> tuple:
    line, page, box = report.where(c)
    return line, c.text, page, box


# --- regions ----------------------------------------------------------------------------------------------------------

@cache
def divisions_frame():
    """The whole division table (``regions.divisions``) as a frame: level, code, parent_code, name."""
    import polars as pl

    rows = [(d.level, d.code, d.parent or None, d.name) for d in divisions().by_code.values()]
    return pl.DataFrame(rows, schema={"level": pl.Int8, "code": pl.String, "parent_code": pl.String,
                                      "name": pl.String}, orient="row")


def with_region(reports, level: str = "county"):
    """The ``reports`` frame with ``region_code`` and ``region`` (the full name) at ``level``.

    A region at county level is the county government, its departments and its townships; an agency that sits
    higher (a prefecture's own report) forms a region of its own.
    """
    import polars as pl

    check_level(level)
    order = list(REGION_LEVELS[REGION_LEVELS.index(level):])
    code = pl.coalesce([pl.col(f"{lv}_code") for lv in order])
    names = []
    for lv in ("province", "prefecture", "county")[: 3 - REGION_LEVELS.index(level)]:
        names.append(pl.col(lv).fill_null(""))
    return reports.with_columns(region_code=code, region=pl.when(code.is_not_null())
                                .then(pl.concat_str(names)).otherwise(None))


def summarise(reports, level: str = "county"):
    """One row per region: its reports, agencies and years covered; unplaced reports are counted apart."""
    import polars as pl

    placed = with_region(reports, level).filter(pl.col("region_code").is_not_null())
    return (placed.group_by("region_code", "region")
            .agg(reports=pl.len(), agencies=pl.col("agency").n_unique(), first_year=pl.col("year").min(),
                 last_year=pl.col("year").max())
            .sort("region_code"))
