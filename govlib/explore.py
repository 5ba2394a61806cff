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
        self.metrics = M.compute(self.tables).join(self.agencies_frame.select("agency", "region", "region_code"),
                                                   on="agency", how="left")
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
            self.agencies.options = [(f"{a['agency']} · {a['region'] or '—'} ({a['reports']})", a["agency"])
                                     for a in agencies.iter_rows(named=True)]
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

    def selection(self):
        """The metric rows behind the current view: one per agency and year."""
        import polars as pl

        low, high = self.years.value
        return self.metrics.filter(
            (pl.col("metric") == self.metric.value) & pl.col("agency").is_in(list(self.agencies.value))
            & pl.col("year").is_between(low, high)
        ).select("agency", "region", "year", "metric", "template", "numerator", "denominator", "value"
                 ).sort("agency", "year")

    def table(self):
        """The selection with Chinese and English column names, as exported (counts as whole numbers)."""
        import polars as pl

        m = M.metric(self.metric.value)
        frame = self.selection().with_columns(metric=pl.lit(f"{m.zh} · {m.en}"))
        if not m.is_rate and (frame["value"].drop_nulls() % 1 == 0).all():  # a count printed as a fraction stays one
            frame = frame.with_columns(pl.col("value", "numerator").cast(pl.Int64))
        return frame.select(list(COLUMNS)).rename(COLUMNS)

    # --- drawing ---------------------------------------------------------------------------------------------------
    def chart(self):
        selection = self.selection()
        if not selection["value"].is_not_null().any():
            return None
        return C.compare(selection, self.metric.value, self.lang.value)

    def table_html(self) -> str:
        """The numbers as a table: agencies down, years across; rates with their numerator and denominator."""
        selection = self.selection()
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
        return (f"<table class='govlib-compare' style='border-collapse:collapse;font-variant-numeric:tabular-nums'>"
                f"<caption style='text-align:left;font-weight:bold;padding:0.3em 0'>{caption}</caption>"
                f"<tr><th style='{_CELL}'>{COLUMNS['agency']}</th>{head}</tr>{''.join(rows)}</table>")

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
        return f"{row['value']:,.0f}" if row["value"] % 1 == 0 else f"{row['value']:,}"
    return (f"{row['value'] * 100:.1f}%<br><span style='color:#777;font-size:85%'>"
            f"{row['numerator']:,.0f} / {row['denominator']:,.0f}</span>")
