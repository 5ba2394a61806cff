"""The JupyterLab explorer: ipywidgets controls (region, agencies, years, metric, language) redraw a comparison
chart and the table beneath it. Notebooks stay thin: ``Explorer(data_dir).show()``."""

from __future__ import annotations

from pathlib import Path

from . import charts as C
from . import metrics as M
from .frames import summarise, with_region


class Explorer:
    def __init__(self, data_dir: str | Path, level: str = "county", lang: str = "zh"):
        import ipywidgets as w

        self.tables = M.Tables.load(data_dir)
        self.metrics = M.compute(self.tables)
        self.level = level
        regions = summarise(self.tables.reports, level)
        self.region = w.Dropdown(description="地区 Region",
                                 options=[(f"{r['region']} ({r['reports']})", r["region_code"])
                                          for r in regions.iter_rows(named=True)])
        self.agencies = w.SelectMultiple(description="机关 Agencies", rows=6)
        self.years = w.IntRangeSlider(description="年度 Years", step=1)
        self.metric = w.Dropdown(description="指标 Metric",
                                 options=[(f"{m.zh} · {m.en}", m.code) for m in M.METRICS.values()],
                                 value="new_requests")
        self.lang = w.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang)
        self.output = w.Output()
        self._quiet = False
        self.region.observe(self._region_changed, "value")
        for control in (self.agencies, self.years, self.metric, self.lang):
            control.observe(lambda _change: None if self._quiet else self.redraw(), "value")
        self._region_changed()

    def _in_region(self):
        import polars as pl

        return with_region(self.tables.reports, self.level).filter(pl.col("region_code") == self.region.value)

    def _region_changed(self, _change=None) -> None:
        reports = self._in_region()
        agencies = sorted(a for a in reports["agency"].unique().to_list() if a)
        years = reports["year"].drop_nulls()
        self._quiet = True  # one redraw for the whole change, not one per control
        try:
            self.agencies.options = agencies
            self.agencies.value = tuple(agencies)
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
        """The metric rows behind the current view."""
        import polars as pl

        low, high = self.years.value
        return self.metrics.filter(
            (pl.col("metric") == self.metric.value) & pl.col("agency").is_in(list(self.agencies.value))
            & pl.col("year").is_between(low, high)
        ).select("agency", "year", "metric", "template", "numerator", "denominator", "value").sort("agency", "year")

    def chart(self):
        selection = self.selection()
        return C.trend(selection, self.metric.value, self.lang.value) if selection.height else None

    def redraw(self) -> None:
        from IPython.display import display

        self.output.clear_output(wait=True)
        with self.output:
            chart = self.chart()
            if chart is None:
                print("没有符合条件的数据 · nothing to show for this selection")
                return
            display(chart)
            display(self.selection())

    def show(self):
        import ipywidgets as w

        return w.VBox([w.HBox([self.region, self.lang]), w.HBox([self.agencies, w.VBox([self.years, self.metric])]),
                       self.output])

    def _ipython_display_(self):  # displaying the explorer itself shows the controls
        from IPython.display import display

        display(self.show())

