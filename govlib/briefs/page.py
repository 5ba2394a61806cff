"""A regional brief: the headline figures in sentences, the agencies ranked, the charts, the data-quality findings.

The brief notebook is a parameters cell and one call per section into this module; every number in its prose
comes from the frames. Text that comes from reports (agency names) is escaped before it reaches HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import charts as C
from .. import metrics as M
from ..codebook import check_lang
from ..errors import BriefError
from ..frames import with_region
from ..regions import check_level
from . import kernel

kernel.prepare()  # before altair (and with it jsonschema) is imported: charts imports it when it draws the first chart


def percent(x: float | None) -> str:
    """A rate as a brief prints it: "48.0%", or "—" where there is none."""
    return "—" if x is None else f"{x * 100:.1f}%"


def number(x: float | None) -> str:
    """A count as a brief prints it: "1,234", or "—" where there is none."""
    return "—" if x is None else f"{x:,.0f}"


def regions_and_years(reports, level: str) -> dict[str, tuple[str, list[int]]]:
    """Each region the ``reports`` frame places reports in at ``level``: its name and the years it has reports for."""
    import polars as pl

    placed = with_region(reports, level).filter(pl.col("region_code").is_not_null())
    grouped = placed.group_by("region_code", "region").agg(pl.col("year").drop_nulls().unique().sort())
    return {code: (name, list(years)) for code, name, years in grouped.iter_rows()}


def check_selection(available: dict[str, tuple[str, list[int]]], region: str, year: int | None, level: str) -> None:
    """Raise ``BriefError`` naming what the data does not have: the region at ``level``, or its ``year``."""
    if region not in available:
        raise BriefError(f"unknown region {region!r} at {level} level; `govlib regions --level {level}` lists them")
    years = available[region][1]
    if year is not None and year not in years:
        raise BriefError(f"region {region} has no reports for {year}; it has {', '.join(map(str, years))}")


class HTML:
    """Shown as HTML by Jupyter."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


@dataclass
class Brief:
    tables: M.Tables
    region: str
    year: int
    level: str = "county"
    lang: str = "zh"
    computed: object = None  # metrics of the whole corpus (``metrics.compute``), when the caller has them already

    @classmethod
    def load(cls, data_dir: str | Path, region: str, year: int, level: str = "county", lang: str = "zh",
             renderer: str | None = C.EMBED) -> "Brief":
        tables = M.Tables.load(data_dir)
        brief = cls(tables, str(region), int(year), level, lang)
        brief.check()
        if renderer:
            C.use(renderer)
            if kernel.in_brief_kernel():
                C.draw_without_validation()
        return brief

    # --- selections ---------------------------------------------------------------------------------------------
    def check(self) -> None:
        """Raise an error naming what the data does not have: the level, language, region or year asked for."""
        check_level(self.level)
        check_lang(self.lang)
        check_selection(regions_and_years(self.tables.reports, self.level), self.region, self.year, self.level)

    def region_reports(self, all_years: bool = False):
        import polars as pl

        r = self._in_region
        return r if all_years else r.filter(pl.col("year") == self.year)

    @cached_property
    def _in_region(self):
        import polars as pl

        return with_region(self.tables.reports, self.level).filter(pl.col("region_code") == self.region)

    @property
    def region_name(self) -> str:
        return self.region_reports(all_years=True)["region"][0]

    def metrics(self):
        return self._metrics

    @cached_property
    def _metrics(self):
        import polars as pl

        ids = self.region_reports(all_years=True)["report_id"]
        computed = M.compute(self.tables) if self.computed is None else self.computed
        return computed.filter(pl.col("report_id").is_in(ids.implode()))

    def totals(self):
        return self._totals

    @cached_property
    def _totals(self):
        import polars as pl

        return M.regional(self.metrics(), self.tables.reports, self.level).filter(pl.col("region_code") == self.region)

    def _total(self, code: str, year: int | None = None):
        import polars as pl

        t = self.totals().filter((pl.col("metric") == code) & (pl.col("year") == (year or self.year)))
        return t.row(0, named=True) if t.height else None

    # --- sections -----------------------------------------------------------------------------------------------
    def title(self) -> HTML:
        name = html.escape(self.region_name)
        text = (f"{name} · {self.year}年政府信息公开工作年度报告分析" if self.lang == "zh" else
                f"{name} · government information disclosure in {self.year}")
        return HTML(f"<h1>{text}</h1>")

    def headline_figures(self) -> dict:
        """The numbers the headline sentences state (for the index page and for tests)."""
        def value(code, year=None):
            row = self._total(code, year)
            return None if row is None else row["value"]

        return {
            "reports": self.region_reports().height,
            "agencies": self.region_reports()["agency"].n_unique(),
            "new_requests": value("new_requests"),
            "new_requests_previous": value("new_requests", self.year - 1),
            "handled": value("handled"),
            "grant_rate": value("grant_rate"),
            "full_grant_rate": value("full_grant_rate"),
            "reviews": value("reviews"),
            "lawsuits": value("lawsuits"),
        }

    def headline(self) -> HTML:
        f = self.headline_figures()
        name = html.escape(self.region_name)
        prev = f["new_requests_previous"]
        if self.lang == "zh":
            parts = [f"{self.year}年，{name}共有{f['agencies']}个机关的{f['reports']}份年度报告纳入分析。"]
            if f["new_requests"] is not None:
                s = f"全区新收政府信息公开申请{number(f['new_requests'])}件"
                if prev:
                    diff = f["new_requests"] - prev
                    s += f"（上年{number(prev)}件，{'增加' if diff >= 0 else '减少'}{abs(diff) / prev * 100:.1f}%）"
                s += f"，办理{number(f['handled'])}件，公开率（予以公开与部分公开之和占办理总数）为{percent(f['grant_rate'])}，" \
                     f"全部公开率为{percent(f['full_grant_rate'])}。"
                parts.append(s)
            else:
                parts.append("申请数据未以数字填报，无法计算申请量和公开率。")
            parts.append(f"行政复议{number(f['reviews'])}件，行政诉讼{number(f['lawsuits'])}件。")
        else:
            parts = [f"In {self.year}, {f['reports']} annual reports from {f['agencies']} agencies of {name} are covered."]
            if f["new_requests"] is not None:
                s = f"They received {number(f['new_requests'])} new information requests"
                if prev:
                    diff = f["new_requests"] - prev
                    s += f" ({number(prev)} the year before, {'up' if diff >= 0 else 'down'} {abs(diff) / prev * 100:.1f}%)"
                s += (f" and handled {number(f['handled'])}; the grant rate (granted in full or in part, of all handled) was "
                      f"{percent(f['grant_rate'])}, the full-grant rate {percent(f['full_grant_rate'])}.")
                parts.append(s)
            else:
                parts.append("The request tables were not filled in with numbers, so no request volume or grant rate.")
            parts.append(f"Administrative reviews: {number(f['reviews'])}; lawsuits: {number(f['lawsuits'])}.")
        return HTML("<p>" + " ".join(parts) + "</p>")

    def ranking(self):
        """The region's agencies this year, ranked by new requests."""
        import polars as pl

        m = self.metrics().filter(pl.col("year") == self.year)
        wide = m.pivot(on="metric", index="agency", values="value", aggregate_function="first")
        cols = [c for c in ("new_requests", "handled", "grant_rate", "full_grant_rate", "reviews", "lawsuits")
                if c in wide.columns]
        return wide.select("agency", *cols).sort("new_requests", descending=True, nulls_last=True)

    def ranking_table(self) -> HTML:
        frame = self.ranking()
        heads = [C.word("agency", self.lang)] + [M.metric(c).name(self.lang) for c in frame.columns[1:]]
        rows = []
        for r in frame.iter_rows():
            cells = [html.escape(str(r[0]))]
            for code, v in zip(frame.columns[1:], r[1:]):
                cells.append(percent(v) if M.metric(code).is_rate else number(v))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        head = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in heads) + "</tr>"
        return HTML(f"<table class='govlib'>{head}{''.join(rows)}</table>")

    def outcomes_chart(self):
        import polars as pl

        ids = self.region_reports()["report_id"].implode()
        return C.outcomes(C.outcome_counts(self.tables).filter(pl.col("report_id").is_in(ids)), self.lang)

    def volumes_chart(self):
        return C.volumes(self.metrics(), self.lang)

    def trend_chart(self, metric: str = "new_requests"):
        return C.trend(self.metrics(), metric, self.lang)

    def change_chart(self, metric: str = "new_requests"):
        return C.change(M.year_over_year(self.metrics()), metric, self.year, self.lang)

    def reasons_chart(self):
        import polars as pl

        ids = self.region_reports()["report_id"].implode()
        return C.reasons(C.reason_counts(self.tables).filter(pl.col("report_id").is_in(ids)), self.lang)

    def mix_chart(self):
        import polars as pl

        ids = self.region_reports()["report_id"].implode()
        return C.applicant_mix(C.applicant_counts(self.tables).filter(pl.col("report_id").is_in(ids)), self.lang)

    def review_chart(self):
        return C.review(self.metrics(), self.lang)

    def findings(self):
        import polars as pl

        reports = self.region_reports().select("report_id", "agency", "year")
        return self.tables.findings.join(reports, on="report_id").select(
            "agency", "rule", "severity", "message").sort(pl.col("severity"), "agency", "rule")

    def findings_table(self) -> HTML:
        frame = self.findings()
        if frame.height == 0:
            return HTML("<p>" + ("本年度报告未发现数据质量问题。" if self.lang == "zh" else
                                  "No data-quality findings in this year's reports.") + "</p>")
        head = "".join(f"<th>{html.escape(C.word(k, self.lang))}</th>" for k in ("agency", "rule", "severity")) + \
            f"<th>{'说明' if self.lang == 'zh' else 'Message'}</th>"
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
                       for r in frame.iter_rows())
        return HTML(f"<table class='govlib'><tr>{head}</tr>{rows}</table>")
