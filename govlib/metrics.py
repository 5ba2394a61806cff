"""Metrics with explicit definitions: each registered once, with Chinese and English names, numerator,
denominator and the variants other authors use. Counts are summed for regions, rates are never averaged; a rate
with a zero denominator is null, not 0; a cell that is blank or unresolved makes the metric null, not smaller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import codebook
from .errors import GovlibError, UnknownCodeError
from .regions import check_level

DENIED, UNABLE, REJECTED, OTHER = map(codebook.outcome_rows, ("withheld", "unable", "not_processed", "other"))
OUTCOMES = {g.code: codebook.outcome_rows(g.code) for g in codebook.outcome_groups()}  # in printed order


@dataclass(frozen=True)
class Metric:
    """One metric: ``numerator`` / ``denominator`` over cells (table, row, column); a count has no denominator."""

    code: str
    zh: str
    en: str
    numerator: tuple[tuple[str, str, str], ...]
    denominator: tuple[tuple[str, str, str], ...] = ()
    variant_of: str | None = None
    across_break: bool = True  # False: the series changes meaning at the 2020→2021 template change
    note: str = ""
    basis: tuple[str, str] = ("", "")  # how a metric with variants counts, in Chinese and English ("printed total")

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def basis_name(self, lang: str = "zh") -> str:
        return self.basis[0] if lang == "zh" else self.basis[1]


def _apps(rows, col: str = "total") -> tuple[tuple[str, str, str], ...]:
    return tuple(("applications", r, col) for r in rows)


def _review(measures) -> tuple[tuple[str, str, str], ...]:
    return tuple(("review_litigation", "review_litigation", m) for m in measures)


def _applicants(row: str) -> tuple[tuple[str, str, str], ...]:
    """The applicant columns of a section 三 row (自然人 … 其他), without its 总计."""
    return tuple(("applications", row, a) for a in APPLICANTS)


APPLICANTS = tuple(a.code for a in codebook.template("2021").applicants if a.code != "total")
PRINTED = ("所印总计", "printed total")
SUMMED = ("各类申请人之和", "sum of applicant columns")
HANDLED = _apps(["total_handled"])
METRICS: dict[str, Metric] = {m.code: m for m in [
    Metric("new_requests", "本年新收申请", "New requests", _apps(["new_received"]), basis=PRINTED,
           note="一、本年新收 · 总计"),
    Metric("new_requests_applicants", "本年新收申请（各类申请人之和）", "New requests (sum of applicant columns)",
           _applicants("new_received"), variant_of="new_requests", basis=SUMMED,
           note="一、本年新收: 自然人 + 法人或其他组织（五栏）"),
    Metric("carried_over", "上年结转申请", "Carried over", _apps(["carried_over"])),
    Metric("handled", "本年办理申请", "Requests handled", HANDLED, basis=PRINTED, note="（七）总计 · 总计"),
    Metric("handled_applicants", "本年办理申请（各类申请人之和）", "Requests handled (sum of applicant columns)",
           _applicants("total_handled"), variant_of="handled", basis=SUMMED,
           note="（七）总计: 自然人 + 法人或其他组织（五栏）"),
    Metric("carried_forward", "结转下年申请", "Carried forward", _apps(["carried_forward"])),
    Metric("natural_person_share", "自然人申请占比", "Share of requests from natural persons",
           _apps(["new_received"], "natural_person"), _apps(["new_received"])),
    Metric("full_grant_rate", "全部公开率", "Full-grant rate", _apps(["granted"]), HANDLED,
           note="（一）予以公开 / （七）总计"),
    Metric("grant_rate", "公开率", "Grant rate", _apps(["granted", "partially_granted"]), HANDLED,
           note="（（一）+（二））/（七）"),
    Metric("grant_rate_decided", "公开率（不含不予处理和其他处理）", "Grant rate of decided requests",
           _apps(["granted", "partially_granted"]),
           _apps(("granted", "partially_granted") + DENIED + UNABLE), variant_of="grant_rate",
           note="（（一）+（二））/（（一）+（二）+（三）+（四））"),
    Metric("withheld_rate", "不予公开率", "Withheld rate", _apps(DENIED), HANDLED),
    Metric("unable_rate", "无法提供率", "Cannot-provide rate", _apps(UNABLE), HANDLED),
    Metric("not_processed_rate", "不予处理率", "Not-processed rate", _apps(REJECTED), HANDLED),
    Metric("other_rate", "其他处理率", "Other-handling rate", _apps(OTHER), HANDLED),
    Metric("reviews", "行政复议案件", "Administrative reviews", _review(["review_total"])),
    Metric("review_correction_rate", "行政复议纠错率", "Review correction rate", _review(["review_corrected"]),
           _review(["review_upheld", "review_corrected", "review_other"]), note="纠正 /（维持+纠正+其他）; 尚未审结 excluded"),
    Metric("review_correction_rate_all", "行政复议纠错率（含未审结）", "Review correction rate, pending included",
           _review(["review_corrected"]), _review(["review_total"]), variant_of="review_correction_rate"),
    Metric("lawsuits", "行政诉讼案件", "Lawsuits", _review(["suit_direct_total", "suit_after_review_total"])),
    Metric("normative_documents", "行政规范性文件（新公开/制发）", "Normative documents published or issued",
           (("proactive", "normative_documents", "published"), ("proactive", "normative_documents", "issued")),
           across_break=False, note="2019 template: 本年新公开数量; 2021 template: 本年制发件数"),
    Metric("licensing_decisions", "行政许可处理决定", "Licensing decisions",
           (("proactive", "licensing", "decisions"),)),
    Metric("penalty_decisions", "行政处罚处理决定", "Penalty decisions", (("proactive", "penalty", "decisions"),)),
]}


def metric(code: str) -> Metric:
    try:
        return METRICS[code]
    except KeyError:
        raise UnknownCodeError(f"unknown metric {code!r}; choose one of {', '.join(METRICS)}") from None


def variants(code: str) -> list[Metric]:
    """The metric ``code`` and its registered variants, the metric itself first."""
    base = metric(code).variant_of or code
    return [METRICS[base]] + [m for m in METRICS.values() if m.variant_of == base]


SUMMED_VARIANT = {"new_requests": "new_requests_applicants", "handled": "handled_applicants"}  # printed → summed


# --- tables ---------------------------------------------------------------------------------------------------------

TABLES = ("reports", "applications", "proactive", "review_litigation", "findings")  # what figures are made of


def read_tables(folder: str | Path, names) -> list:
    """The tables ``names`` that ``govlib parse`` wrote into ``folder``, as frames; an error naming a table that is
    missing, or damaged (its checksum is not the one the manifest recorded, or Polars cannot read it)."""
    import polars as pl

    from .outputs import check_tables, recover_if_idle

    folder = Path(folder)
    recover_if_idle(folder)  # a run killed while replacing the folder
    check_tables(folder, [f"{t}.parquet" for t in names])
    frames = []
    for t in names:
        try:
            frames.append(pl.read_parquet(folder / f"{t}.parquet"))
        except Exception as e:  # Polars raises several types for a damaged file
            raise GovlibError(f"{folder / (t + '.parquet')} is damaged ({type(e).__name__}: "
                              f"{str(e).splitlines()[0] if str(e) else ''}); run `govlib parse --force` to write "
                              f"the tables again") from None
    return frames


@dataclass
class Tables:
    """The parsed corpus as written by ``govlib parse`` (or held by a ``Dataset``), for figures: ``reports`` holds
    the reports that count, without duplicates (the same agency, place and year as an earlier file; they stay in
    the parquet tables, with a ``duplicate`` finding)."""

    reports: object
    applications: object
    proactive: object
    review_litigation: object
    findings: object

    def __post_init__(self):
        import polars as pl

        if "duplicate_of" in self.reports.columns:
            self.reports = self.reports.filter(pl.col("duplicate_of").is_null())
        self.reports = _distinct_agencies(self.reports)

    @classmethod
    def load(cls, folder: str | Path) -> "Tables":
        """The tables ``govlib parse`` wrote into ``folder``."""
        return cls(*read_tables(folder, TABLES))

    @classmethod
    def of(cls, dataset) -> "Tables":
        return cls(dataset.reports, dataset.applications, dataset.proactive, dataset.review_litigation,
                   dataset.findings)

    def cells(self):
        """Every cell as (report_id, table, row, column, value), values as Float64."""
        import polars as pl

        def part(df, table, row, col):
            return df.select("report_id", pl.lit(table).alias("table"), pl.col(row).alias("row") if row else
                             pl.lit("review_litigation").alias("row"), pl.col(col).alias("column"),
                             pl.col("value").cast(pl.Float64))

        return pl.concat([part(self.applications, "applications", "row", "applicant"),
                          part(self.review_litigation, "review_litigation", None, "measure"),
                          part(self.proactive, "proactive", "item", "measure")])


def read_metrics(folder: str | Path):
    """The metrics written beside the tables in ``folder`` (a brief's slice of the corpus), or None."""
    import polars as pl

    path = Path(folder) / "metrics.parquet"
    return pl.read_parquet(path) if path.exists() else None


def sum_known(keys, cells, by: tuple[str, ...] = ()):
    """Sum of the cells ``keys`` per report: null when one that the report's template has is null.

    With ``by``, each key starts with that many group values, (*groups, table, row, column), and the sums are per
    report and group: one join and one group-by for any number of sums.
    """
    import polars as pl

    schema = {**{b: pl.String for b in by}, "table": pl.String, "row": pl.String, "column": pl.String}
    frame = pl.DataFrame(list(keys), schema=schema, orient="row")
    hit = cells.join(frame, on=["table", "row", "column"])
    return hit.group_by("report_id", *by, maintain_order=True).agg(
        pl.when(pl.col("value").null_count() == 0).then(pl.col("value").sum()).otherwise(None).alias("v"))


def compute(tables: Tables, codes=None):
    """One row per report and metric: numerator, denominator, value, with the metric's names."""
    import polars as pl

    chosen = [METRICS[c] for c in (codes or METRICS)]
    sums = sum_known([(m.code, part, *key) for m in chosen
                      for part, keys in (("numerator", m.numerator), ("denominator", m.denominator))
                      for key in keys], tables.cells(), by=("metric", "part"))

    def part(name):
        return sums.filter(pl.col("part") == name).select("report_id", "metric", pl.col("v").alias(name))

    grid = pl.DataFrame({"metric": [m.code for m in chosen]}).join(tables.reports.select("report_id"), how="cross")
    frame = (grid.join(part("numerator"), on=["report_id", "metric"], how="left", maintain_order="left")
             .join(part("denominator"), on=["report_id", "metric"], how="left", maintain_order="left")
             .select("report_id", "numerator", "denominator", "metric"))
    rate = pl.col("metric").is_in([m.code for m in chosen if m.is_rate])
    frame = frame.with_columns(value=pl.when(~rate).then(pl.col("numerator"))  # a count
                               .when(pl.col("denominator").is_null() | (pl.col("denominator") == 0)).then(None)
                               .otherwise(pl.col("numerator") / pl.col("denominator")))
    return frame.join(tables.reports.select("report_id", "agency", "year", "template", place=_place(tables.reports)),
                      on="report_id", maintain_order="left")


def _distinct_agencies(reports):
    """Agencies of one name in several places (two 城关镇 in two counties) named with their place, "城关镇（临洮县）", so
    that charts, counts and tables never put them together."""
    import polars as pl

    places = [c for c in ("county", "prefecture", "province") if c in reports.columns]
    if "agency" not in reports.columns or not places:
        return reports
    place = _place(reports)
    shared = pl.col("agency").is_not_null() & (place.n_unique().over("agency") > 1)
    where = pl.coalesce(*places, place)
    return reports.with_columns(agency=pl.when(shared).then(pl.format("{}（{}）", "agency", where))
                                .otherwise(pl.col("agency")))


def _place(reports):
    """Where each report's agency sits: its finest region code ("" when unplaced). An agency is its name in its
    place: two 城关镇 in two counties are two agencies."""
    import polars as pl

    codes = [c for c in ("township_code", "county_code", "prefecture_code", "province_code") if c in reports.columns]
    return pl.coalesce(*codes, pl.lit("")) if codes else pl.lit("")


def regional(metrics, reports, level: str = "county"):
    """Region totals per metric and year: counts summed over reports with data; rates from the sums. A
    government's report that other reports of the region sit inside (``covering``) is not added to them: ``reports``
    counts every report, ``counted`` those summed, ``reports_with_data`` those summed that had the numbers."""
    import polars as pl

    from .frames import with_region

    regions = with_region(reports, level).select("report_id", "region_code", "region")
    joined = metrics.join(regions, on="report_id").filter(pl.col("region_code").is_not_null())
    counted = ~pl.col("report_id").is_in(covering(reports))
    known = counted & pl.col("numerator").is_not_null() & (
        pl.col("denominator").is_not_null() | ~pl.col("metric").is_in([m.code for m in METRICS.values()
                                                                       if m.is_rate]))
    agg = joined.group_by("region_code", "region", "year", "metric").agg(
        numerator=pl.col("numerator").filter(known).sum(),
        denominator=pl.col("denominator").filter(known).sum(),
        reports=pl.len(), counted=counted.sum(), reports_with_data=known.sum())
    rate = pl.col("metric").is_in([m.code for m in METRICS.values() if m.is_rate])
    return agg.with_columns(
        value=pl.when(pl.col("reports_with_data") == 0).then(None)
        .when(~rate).then(pl.col("numerator"))
        .when(pl.col("denominator") == 0).then(None)
        .otherwise(pl.col("numerator") / pl.col("denominator")),
        denominator=pl.when(rate).then(pl.col("denominator")).otherwise(None),
    ).sort("region_code", "metric", "year")


def year_over_year(metrics):
    """Change per agency (its name in its place) and metric from the year before; not joined across the 2020→2021
    template change for series that change meaning there (``break`` is true on such rows)."""
    import polars as pl

    cur = metrics.select("agency", "place", "year", "metric", "template", "value")
    prev = cur.rename({"value": "previous", "template": "previous_template"}).with_columns(
        year=pl.col("year") + 1)
    joined = cur.join(prev, on=["agency", "place", "year", "metric"], how="left")
    breaks = [m.code for m in METRICS.values() if not m.across_break]
    crosses = pl.col("previous_template").is_not_null() & (pl.col("previous_template") != pl.col("template"))
    broken = crosses & pl.col("metric").is_in(breaks)
    return joined.with_columns(
        previous=pl.when(broken).then(None).otherwise(pl.col("previous")),
        template_break=crosses,
        **{"break": broken},
    ).with_columns(
        change=pl.col("value") - pl.col("previous"),
        relative_change=pl.when(pl.col("previous") == 0).then(None)
        .otherwise((pl.col("value") - pl.col("previous")) / pl.col("previous")),
    ).sort("agency", "place", "metric", "year")


def total_disagreements(metrics, code: str = "new_requests"):
    """Reports whose printed 总计 of ``code`` ("new_requests" or "handled") is not the sum of their applicant
    columns (I2 breaks): report_id, agency, year, ``printed`` and ``summed``. Where one of the two is not a number,
    nothing is said."""
    import polars as pl

    summed = SUMMED_VARIANT[code]
    pair = metrics.filter(pl.col("metric").is_in([code, summed])).pivot(
        on="metric", index=["report_id", "agency", "year"], values="value", aggregate_function="first")
    for c in (code, summed):
        if c not in pair.columns:
            pair = pair.with_columns(pl.lit(None, pl.Float64).alias(c))
    return pair.rename({code: "printed", summed: "summed"}).filter(
        pl.col("printed").is_not_null() & pl.col("summed").is_not_null() & (pl.col("printed") != pl.col("summed")))


def missing_cells(tables: "Tables", report_ids, code: str):
    """Why ``code`` is null for these reports: the cells of its numerator and denominator that hold no number
    (report_id, agency, table, row, column, state: blank, dash, unresolved or missing), in the metric's order."""
    import polars as pl

    m = metric(code)
    keys = pl.DataFrame([(*k, n) for n, k in enumerate(dict.fromkeys(m.numerator + m.denominator))],
                        schema={"table": pl.String, "row": pl.String, "column": pl.String, "n": pl.Int64},
                        orient="row")
    ids = pl.Series(list(report_ids), dtype=pl.String).implode()
    apps = tables.applications.filter(pl.col("report_id").is_in(ids) & pl.col("value").is_null()).select(
        "report_id", pl.lit("applications").alias("table"), "row", pl.col("applicant").alias("column"), "state")
    cases = tables.review_litigation.filter(pl.col("report_id").is_in(ids) & pl.col("value").is_null()).select(
        "report_id", pl.lit("review_litigation").alias("table"), pl.lit("review_litigation").alias("row"),
        pl.col("measure").alias("column"), "state")
    return (pl.concat([apps, cases]).join(keys, on=["table", "row", "column"])
            .join(tables.reports.select("report_id", "agency"), on="report_id")
            .sort("n", "agency").select("report_id", "agency", "table", "row", "column", "state"))


GOVERNMENTS = ("township", "county", "prefecture", "province")  # admin_level of a division's own government
_CHAIN = ("township_code", "county_code", "prefecture_code", "province_code")


def covering(reports):
    """The report_ids of governments' reports that other reports of the same year sit inside: a county's own
    report beside its departments' and townships' reports. Such a report often states the whole county's figures
    (平潭综合实验区's says 全区共收到…154件), so adding it to the reports inside it would count requests twice."""
    import polars as pl

    codes = [c for c in _CHAIN if c in reports.columns]
    if "admin_level" not in reports.columns or not codes:
        return []
    own = pl.coalesce(*codes)
    governments = reports.filter(pl.col("admin_level").is_in(GOVERNMENTS)).select(
        "report_id", "year", own.alias("code")).drop_nulls("code")
    inside = reports.select("report_id", "year", pl.concat_list(codes).alias("code"),
                            pl.when(pl.col("admin_level").is_in(GOVERNMENTS)).then(own).alias("self"))
    inside = inside.explode("code").drop_nulls("code").filter(pl.col("code") != pl.col("self").fill_null(""))
    hit = governments.join(inside.select("year", "code").unique(), on=["year", "code"], how="semi")
    return hit["report_id"].to_list()


def own_reports(reports, level: str = "county"):
    """The reports of each region's own government (the county's own report at county level): report_id,
    region_code."""
    import polars as pl

    from .frames import with_region

    placed = with_region(reports, level)
    return placed.filter((pl.col("admin_level") == level) & (pl.col(f"{level}_code") == pl.col("region_code"))
                         ).select("report_id", "region_code")


def short_names(agencies, prefixes) -> dict[str, str]:
    """Each agency's name without the leading names of its region (``prefixes``: the province, prefecture,
    county or zone), where the region is named already: 平潭综合实验区交通与建设局 → 交通与建设局. A name that
    would be left empty (平潭综合实验区 itself) or the same as another agency's stays whole."""
    prefixes = sorted({p for p in prefixes if p}, key=len, reverse=True)
    out = {}
    for name in agencies:
        short = name
        while True:
            cut = next((p for p in prefixes if short.startswith(p) and len(short) > len(p)), None)
            if cut is None:
                break
            short = short[len(cut):]
        out[name] = short
    clash = {s for s in out.values() if list(out.values()).count(s) > 1}
    return {name: (name if short in clash else short) for name, short in out.items()}


# --- regions --------------------------------------------------------------------------------------------------------

@dataclass
class RegionList:
    """The regions of a parsed corpus at one level (``frames.summarise``), and the reports that could not be
    placed."""

    level: str
    regions: object  # region_code, region, reports, agencies, first_year, last_year
    unplaced: list[str]  # their files
    reports: int


def list_regions(data_dir: str | Path, level: str = "county") -> RegionList:
    """The regions of the reports ``govlib parse`` wrote into ``data_dir``."""
    import polars as pl

    from .frames import summarise

    check_level(level)
    (reports,) = read_tables(data_dir, ["reports"])
    unplaced = reports.filter(pl.col("region_method").is_in(["ambiguous", "unresolved"]))["file"].to_list()
    return RegionList(level, summarise(reports, level), unplaced, reports.height)
