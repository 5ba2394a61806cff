"""The JupyterLab explorer: agencies compared on one metric over the years.

Choose a region (or all of them), its agencies, a metric and the years; a chart draws the agencies side by side and
over the years, a table gives the numbers beneath, and a button exports the selection to CSV and Excel beside the
notebook. Charts draw offline (``charts.lab_chart``). Notebooks stay thin: ``Explorer(data_dir).show()``.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from . import charts as C
from . import metrics as M
from .frames import with_region

ALL_REGIONS = ""  # the region choice that stands for every region
DEFAULT_AGENCIES = 6  # agencies chosen at first: those with the most reports (the palette has six colours)
DEFAULT_METRIC = "new_requests"
EXPORT_DIR = "exports"  # beside the notebook (a kernel started by JupyterLab runs in the notebook's folder)

# the exported and tabled columns, in Chinese with English beside
COLUMNS = {
    "agency": "机关 Agency", "region": "地区 Region", "year": "年度 Year", "metric": "指标 Metric",
    "value": "数值 Value", "numerator": "分子 Numerator", "denominator": "分母 Denominator",
    "summed": "各类申请人之和（与所印总计不符时） Sum of applicant columns (where the printed total disagrees)",
    "template": "模板 Template",
}


class Explorer:
    def __init__(self, data_dir: str | Path, level: str = "county", lang: str = "zh",
                 export_dir: str | Path = EXPORT_DIR):
        import ipywidgets as w
        import polars as pl

        self.tables = M.Tables.load(data_dir)
        self.level = level
        self.export_dir = Path(export_dir)
        reports = with_region(self.tables.reports, level)
        self.agencies_frame = (reports.filter(pl.col("agency").is_not_null())
                               .group_by("agency").agg(pl.col("region_code").first(), pl.col("region").first(),
                                                       reports=pl.len())
                               .sort("agency"))
        computed = M.compute(self.tables)
        # where a report's printed total disagrees with its applicant columns, the sum goes beside it
        sums = pl.concat([M.total_disagreements(computed, code).select("report_id", "summed",
                                                                        metric=pl.lit(code))
                          for code in M.SUMMED_VARIANT])
        self.metrics = computed.join(sums, on=["report_id", "metric"], how="left").join(
            self.agencies_frame.select("agency", "region", "region_code"), on="agency", how="left")
        covering = set(reports.filter(pl.col("report_id").is_in(M.covering(reports)))["agency"].to_list())
        self.names = {}  # agency → its name within its region (without the region's own names), for display
        for code, group in reports.filter(pl.col("region_code").is_not_null()).group_by("region_code"):
            prefixes = [v for c in ("province", "prefecture", "county", "zone") if c in group.columns
                        for v in group[c].drop_nulls().unique().to_list()]
            self.names.update(M.short_names(group["agency"].drop_nulls().unique().to_list(), prefixes))
        self.own = covering  # governments' reports that other reports sit inside (a county's own, 全县)
        regions = (self.agencies_frame.filter(pl.col("region_code").is_not_null())
                   .group_by("region_code", "region").agg(reports=pl.col("reports").sum()).sort("region_code"))
        wide = {"description_width": "7.5em"}
        self.region = w.Dropdown(
            description="地区 Region", style=wide, layout=w.Layout(width="36em"),
            options=[(f"全部地区 · All regions ({reports.height})", ALL_REGIONS)]
            + [(f"{r['region']} ({r['reports']})", r["region_code"]) for r in regions.iter_rows(named=True)])
        self.agencies = w.SelectMultiple(description="机关 Agencies", rows=8, style=wide,
                                         layout=w.Layout(width="36em"))
        self.metric = w.Dropdown(description="指标 Metric", style=wide, layout=w.Layout(width="30em"),
                                 options=[(f"{m.zh} · {m.en}", m.code) for m in M.METRICS.values()],
                                 value=DEFAULT_METRIC)
        self.years = w.IntRangeSlider(description="年度 Years", step=1, style=wide, layout=w.Layout(width="30em"))
        self.lang = w.ToggleButtons(options=[("中文图表 · Chinese", "zh"), ("英文图表 · English", "en")], value=lang,
                                    style={"button_width": "11em"}, layout=w.Layout(margin="0 0 0 8.5em"))
        self.chart_view = C.lab_chart()
        self.table_view = w.HTML()
        self.export_button = w.Button(description="导出 CSV 和 Excel · Export CSV and Excel", icon="download",
                                      layout=w.Layout(width="26em", min_width="26em"))
        self.export_message = w.HTML()
        self._quiet = False
        self.region.observe(self._region_changed, "value")
        for control in (self.agencies, self.years, self.metric, self.lang):
            control.observe(lambda _change: None if self._quiet else self.redraw(), "value")
        self.export_button.on_click(lambda _button: self.export())
        self._region_changed()

    # --- the selection ---------------------------------------------------------------------------------------------
    def _region_changed(self, _change=None) -> None:
        import polars as pl

        agencies = self.agencies_frame
        if self.region.value != ALL_REGIONS:
            agencies = agencies.filter(pl.col("region_code") == self.region.value)
        chosen = agencies.sort(["reports", "agency"], descending=[True, False]).head(DEFAULT_AGENCIES)["agency"]
        years = self.metrics.filter(pl.col("agency").is_in(agencies["agency"].implode()))["year"].drop_nulls()
        self._quiet = True  # one redraw for the whole change, not one per control
        try:
            self.agencies.options = [(self._option(a), a["agency"]) for a in agencies.iter_rows(named=True)]
            self.agencies.value = tuple(a for a in agencies["agency"] if a in set(chosen))
            if years.len():
                low, high = int(years.min()), int(years.max())
                self.years.max = max(high, self.years.max)  # widen before narrowing: min may never pass max
                self.years.min = low
                self.years.max = high
                self.years.value = (low, high)
        finally:
            self._quiet = False
        self.redraw()

    def _option(self, a: dict) -> str:
        """An agency as the list offers it: its name within the region chosen (its whole name among all
        regions), the region, its number of reports; a government's own report that may include others marked."""
        name = a["agency"] if self.region.value == ALL_REGIONS else self.names.get(a["agency"], a["agency"])
        own = " · 本级报告，可能包含其他机关 its own report, may include the others" if a["agency"] in self.own else ""
        where = "" if self.region.value != ALL_REGIONS else f" · {a['region'] or '—'}"
        return f"{name}{where} ({a['reports']}){own}"

    def selection(self):
        """The metric rows behind the current view: one per agency and year (agencies by their whole names)."""
        import polars as pl

        low, high = self.years.value
        return self.metrics.filter(
            (pl.col("metric") == self.metric.value) & pl.col("agency").is_in(list(self.agencies.value))
            & pl.col("year").is_between(low, high)
        ).select("agency", "region", "year", "metric", "template", "numerator", "denominator", "value", "summed"
                 ).sort("agency", "year")

    def _shown(self, frame):
        """``frame`` with the agencies named as the view shows them: within one region, without its names."""
        import polars as pl

        if self.region.value == ALL_REGIONS:
            return frame
        return frame.with_columns(agency=pl.col("agency").replace(self.names))

    def table(self):
        """The selection with Chinese and English column names, as exported (counts as whole numbers)."""
        import polars as pl

        m = M.metric(self.metric.value)
        frame = self.selection().with_columns(metric=pl.lit(f"{m.zh} · {m.en}"))
        if not m.is_rate and (frame["value"].drop_nulls() % 1 == 0).all():  # a count printed as a fraction stays one
            frame = frame.with_columns(pl.col("value", "numerator", "summed").cast(pl.Int64))
        return frame.select(list(COLUMNS)).rename(COLUMNS)

    # --- drawing ---------------------------------------------------------------------------------------------------
    def chart(self):
        selection = self.selection()
        if not selection["value"].is_not_null().any():
            return None
        return C.compare(self._shown(selection), self.metric.value, self.lang.value)

    def table_html(self) -> str:
        """The numbers as a table: agencies down, years across; rates with their numerator and denominator."""
        selection = self._shown(self.selection())
        m = M.metric(self.metric.value)
        if selection.height == 0:
            return "<p>没有符合条件的数据 · nothing to show for this selection</p>"
        years = sorted(set(selection["year"].to_list()))
        cells = {(r["agency"], r["year"]): r for r in selection.iter_rows(named=True)}
        head = "".join(f"<th style='{_CELL}'>{y}</th>" for y in years)
        rows = []
        for agency in dict.fromkeys(selection["agency"].to_list()):
            values = "".join(f"<td style='{_CELL}text-align:right'>{_number(m, cells.get((agency, y)))}</td>"
                             for y in years)
            rows.append(f"<tr><td style='{_CELL}'>{html.escape(agency)}</td>{values}</tr>")
        caption = f"{html.escape(m.zh)} · {html.escape(m.en)}" + (f" — {html.escape(m.note)}" if m.note else "")
        note = ""
        if selection["summed"].is_not_null().any():
            note = ("<p style='color:#777;font-size:85%'>⚠ 报告所印总计与各类申请人之和不符，⚠后为各类申请人之和 · "
                    "the printed total disagrees with the sum of the applicant columns, which follows the ⚠</p>")
        return (f"<table class='govlib-compare' style='border-collapse:collapse;font-variant-numeric:tabular-nums'>"
                f"<caption style='text-align:left;font-weight:bold;padding:0.3em 0'>{caption}</caption>"
                f"<tr><th style='{_CELL}'>{COLUMNS['agency']}</th>{head}</tr>{''.join(rows)}</table>{note}")

    def redraw(self) -> None:
        self.chart_view.chart = self.chart()
        self.table_view.value = self.table_html()
        self.export_message.value = ""

    # --- export ----------------------------------------------------------------------------------------------------
    def export(self) -> tuple[Path, Path]:
        """Write the selection to CSV (UTF-8 with a byte-order mark, which Excel opens with the Chinese intact) and
        to Excel in the export folder, say where, and offer both for download."""
        frame = self.table()
        low, high = self.years.value
        stem = f"govlib_{self.metric.value}_{self.region.value or 'all'}_{low}-{high}"
        self.export_dir.mkdir(parents=True, exist_ok=True)
        csv, xlsx = self.export_dir / f"{stem}.csv", self.export_dir / f"{stem}.xlsx"
        frame.write_csv(csv, include_bom=True)
        value_format = "0.0%" if M.metric(self.metric.value).is_rate else "#,##0"
        frame.write_excel(xlsx, worksheet=self.metric.value, autofit=True,
                          column_formats={COLUMNS["value"]: value_format})
        links = " ".join(
            f"<a download='{path.name}' href='data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}'"
            f" style='color:#1b6ca8;text-decoration:underline'>{path.suffix[1:].upper()}</a>"
            for path, mime in ((csv, "text/csv"), (xlsx, "application/vnd.openxmlformats-officedocument"
                                                        ".spreadsheetml.sheet")))
        self.export_message.value = (
            f"已导出 {frame.height} 行 · Exported {frame.height} rows to "
            f"<code>{html.escape(str(csv.resolve()))}</code> and <code>{html.escape(xlsx.name)}</code> beside it; "
            f"下载 · download: {links}")
        return csv, xlsx

    # --- display ---------------------------------------------------------------------------------------------------
    def show(self):
        import ipywidgets as w

        controls = w.HBox([w.VBox([self.region, self.agencies]), w.VBox([self.metric, self.years, self.lang])])
        return w.VBox([controls, self.chart_view, self.table_view,
                       w.HBox([self.export_button, self.export_message])])

    def _ipython_display_(self):  # displaying the explorer itself shows the controls
        from IPython.display import display

        display(self.show())


_CELL = "border-bottom:1px solid #ddd;padding:0.25em 0.7em;"


def _number(m: M.Metric, row: dict | None) -> str:
    """A table cell: "—" where the report gives no number; a rate with its numerator and denominator."""
    if row is None or row["value"] is None:
        return "—"
    if not m.is_rate:
        text = f"{row['value']:,.0f}" if row["value"] % 1 == 0 else f"{row['value']:,}"
        if row.get("summed") is not None:
            text += f" <span style='color:#c0392b' title='各类申请人之和 · sum of applicant columns'>⚠ {row['summed']:,.0f}</span>"
        return text
    return (f"{row['value'] * 100:.1f}%<br><span style='color:#777;font-size:85%'>"
            f"{row['numerator']:,.0f} / {row['denominator']:,.0f}</span>")
