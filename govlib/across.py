"""Checks across the reports of a corpus, over its frames: a report of the same agency, place and year as another
(``duplicate``), and an agency's years against each other (C1, C2). They run on frames (lazy or not), so a corpus
of any size is checked in bounded memory once its tables are written; what each finding says is ``validate``'s.

An agency is its printed name in its place (the finest region code a report is placed in): two 城关镇 in two
counties are two agencies.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cells import BLANK_STATE, DASH, KNOWN
from .validate import Finding, c1_finding, c2_finding, duplicate_finding

_PLACE_CODES = ("township_code", "county_code", "prefecture_code", "province_code")
PRINTED = (*KNOWN, BLANK_STATE, DASH)  # a cell read, or printed empty: what a complete reading has
_CELL_TABLES = {"applications": ("row", "applicant"), "review_litigation": (None, "measure"),
                "proactive": ("item", "measure")}


@dataclass
class Across:
    """What the checks found: findings by ``report_id`` (in report order, duplicates first, then C1 and C2), and
    for each report left out of figures the report counted in its place."""

    findings: list[tuple[str, Finding]]
    duplicate_of: dict[str, str]


def check(reports, applications, review_litigation, proactive) -> Across:
    """Run every check on a corpus's frames (``reports`` in the corpus's order, with ``report_id``, ``file``,
    ``agency``, ``year``, ``template``, ``sha256``, the region code columns and what ``corpus.record`` worked out
    of each: ``_printed``, ``_errors``, ``_truncated``, ``_digest``; the cell tables). Each may be a
    ``polars.LazyFrame``; only the rows a check needs are read."""
    import polars as pl

    reports = (reports.lazy().with_row_index("order")
               .with_columns(place=pl.coalesce(*[pl.col(c) for c in _PLACE_CODES]))
               .select("order", "report_id", "file", "agency", "year", "template", "sha256", "place", "_printed",
                       "_errors", "_truncated", "_digest"))
    tables = {"applications": applications.lazy(), "review_litigation": review_litigation.lazy(),
              "proactive": proactive.lazy()}
    out = Across([], {})
    dated = reports.filter(pl.col("agency").is_not_null() & pl.col("year").is_not_null())
    _duplicates(dated, tables, out)
    first = dated.sort("order").unique(["agency", "place", "year"], keep="first", maintain_order=True)
    pairs = first.join(first.select("agency", "place", pl.col("year") + 1, prev_id="report_id",
                                    prev_template="template"),
                       on=["agency", "place", "year"], nulls_equal=True).collect(engine="streaming")
    if pairs.height:
        _c1(pairs, tables["applications"], out)
        _c2(pairs.filter((pl.col("template") == "2021") & (pl.col("prev_template") == "2021")),
            tables["proactive"], out)
    order = dict(reports.select("report_id", "order").collect(engine="streaming").iter_rows())
    rank = {"duplicate": 0, "C1": 1, "C2": 2}
    out.findings.sort(key=lambda f: (order[f[0]], rank[f[1].rule]))  # stable: C1 by column, C2 by item
    return out


def _duplicates(dated, tables: dict, out: Across) -> None:
    """The most complete reading of each agency, place and year is counted (not cut off, then the most cells read
    or printed empty, then the fewest errors, then the earliest file); every other one gets a ``duplicate``
    finding naming it."""
    import polars as pl

    groups = (dated.filter(pl.len().over("agency", "place", "year") > 1)
              .sort(["_truncated", "_printed", "_errors", "order"], descending=[False, True, False, False])
              .collect(engine="streaming"))
    if not groups.height:
        return
    kept = groups.unique(["agency", "place", "year"], keep="first", maintain_order=True).select(
        "agency", "place", "year", kept_id="report_id", kept_file="file", kept_sha="sha256", kept_digest="_digest")
    left_out = (groups.join(kept, on=["agency", "place", "year"], nulls_equal=True)
                .filter(pl.col("report_id") != pl.col("kept_id")).sort("order"))
    # the cells of two readings are compared only where their digests differ: most copies read the same
    differing = left_out.filter((pl.col("sha256") != pl.col("kept_sha")) & (pl.col("_digest") != pl.col("kept_digest")))
    differ: dict[str, list[tuple[str, str]]] = {}
    for start in range(0, differing.height, DIFFERENCES_AT_ONCE):
        differ |= _differences(differing.slice(start, DIFFERENCES_AT_ONCE).select("report_id", "kept_id"), tables)
    for r in left_out.iter_rows(named=True):
        cells = None if r["sha256"] == r["kept_sha"] else differ.get(r["report_id"], [])
        out.duplicate_of[r["report_id"]] = r["kept_id"]
        out.findings.append((r["report_id"], duplicate_finding(r["agency"], r["place"], r["year"], r["kept_file"],
                                                               r["kept_id"], cells)))


DIFFERENCES_AT_ONCE = 500  # pairs of readings whose cells are compared in one pass over the tables


def _differences(pairs, tables: dict) -> dict[str, list[tuple[str, str]]]:
    """For each (report_id, kept_id): the cells (table.row, column) the two read differently, in the frames'
    order. Only the rows of these reports are read."""
    import polars as pl

    ids = pl.concat([pairs["report_id"], pairs["kept_id"]]).unique().implode()
    found: dict[str, list[tuple[str, str]]] = {}
    for table, (row, column) in _CELL_TABLES.items():
        key = [row, column] if row else [column]
        cells = (tables[table].filter(pl.col("report_id").is_in(ids)).select("report_id", *key, "value", "state")
                 .collect(engine="streaming"))
        mine = cells.join(pairs, on="report_id", maintain_order="left")
        theirs = cells.rename({"report_id": "kept_id", "value": "their_value", "state": "their_state"})
        joined = mine.join(theirs, on=["kept_id", *key], how="left", maintain_order="left")
        same = (pl.col("value").eq_missing(pl.col("their_value")) & pl.col("state").eq_missing(pl.col("their_state")))
        for rid, *where in joined.filter(~same).select("report_id", *key).iter_rows():
            found.setdefault(rid, []).append((f"{table}.{where[0] if row else table}", where[-1]))
    return found


def _known(applications, row: str):
    """The cells of section 三's ``row`` that were read or inferred."""
    import polars as pl

    return applications.filter((pl.col("row") == row) & pl.col("state").is_in(KNOWN) & pl.col("value").is_not_null())


def _c1(pairs, applications, out: Across) -> None:
    """C1: an agency carries over into a year what its report of the year before carried forward."""
    import polars as pl

    # the two rows, read first (a join of lazy scans of every part took tens of GB for 100,000 reports)
    now = _known(applications, "carried_over").select("report_id", "applicant", now="value").collect(
        engine="streaming")
    before = _known(applications, "carried_forward").select(
        prev_id="report_id", applicant="applicant", before="value").collect(engine="streaming")
    breaks = (pairs.select("report_id", "prev_id", "agency", "year").join(now, on="report_id")
              .join(before, on=["prev_id", "applicant"]).filter(pl.col("now") != pl.col("before"))
              .with_columns(at=pl.col("applicant").replace_strict(_APPLICANT_ORDER, default=99))
              .sort("report_id", "at"))
    for r in breaks.iter_rows(named=True):
        out.findings.append((r["report_id"], c1_finding(r["agency"], r["year"], r["applicant"], r["now"],
                                                        r["before"])))


def _c2(pairs, proactive, out: Across) -> None:
    """C2: documents in force carry on from one year to the next (2021 template)."""
    import polars as pl

    items = ("regulations", "normative_documents")
    wide = proactive.filter(pl.col("item").is_in(items) & pl.col("state").is_in(KNOWN) & pl.col("value").is_not_null())
    now = wide.filter(pl.col("measure").is_in(["in_force", "issued", "repealed"])).collect(engine="streaming").pivot(
        on="measure", index=["report_id", "item"], values="value")
    last = wide.filter(pl.col("measure") == "in_force").select(prev_id="report_id", item="item", last="value")
    if any(m not in now.columns for m in ("in_force", "issued", "repealed")):
        return  # no report prints all three
    rows = (pairs.select("report_id", "prev_id", "agency", "year").join(now, on="report_id")
            .join(last.collect(engine="streaming"), on=["prev_id", "item"]).drop_nulls(["in_force", "issued", "repealed", "last"])
            .with_columns(expected=pl.col("last") + pl.col("issued") - pl.col("repealed"))
            .filter(pl.col("in_force") != pl.col("expected"))
            .with_columns(at=pl.col("item").replace_strict({item: i for i, item in enumerate(items)}))
            .sort("report_id", "at"))
    for r in rows.iter_rows(named=True):
        out.findings.append((r["report_id"], c2_finding(r["item"], r["year"], r["in_force"], r["last"], r["issued"],
                                                        r["repealed"])))


def _applicant_order() -> dict[str, int]:
    from . import codebook

    return {a.code: i for i, a in enumerate(codebook.template("2021").applicants)}  # the same in both templates


_APPLICANT_ORDER = _applicant_order()
