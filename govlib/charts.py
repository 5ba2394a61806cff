"""Altair charts over Polars frames: one theme, Chinese labels (English available), exact numbers in tooltips.

Only this module imports Altair. Fonts: a font that is named but not installed makes vl-convert drop text
silently, so the theme names only CJK fonts that fontconfig reports as installed.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from functools import cache

from . import codebook
from . import metrics as M

OUTCOME_NAMES = {g.code: (g.zh, g.en) for g in codebook.outcome_groups()}  # in printed order
APPLICANT_NAMES = {code: (a.zh, a.en) for code, a in codebook.applicant_labels().items() if code != "total"}
WORDS = {
    "agency": ("机关", "Agency"), "year": ("年度", "Year"), "share": ("占比", "Share"), "count": ("件数", "Count"),
    "change": ("较上年变化", "Change from the previous year"), "value": ("数值", "Value"),
    "outcome": ("办理结果", "Outcome"), "applicant": ("申请人", "Applicant"), "metric": ("指标", "Metric"),
    "break": ("2021年起适用新模板，第二部分数据不可直接比较", "Template change in 2021: section 二 series not comparable"),
    "rule": ("规则", "Rule"), "severity": ("级别", "Severity"), "findings": ("数据质量问题", "Data-quality findings"),
    "outcomes_title": ("依申请公开办理结果", "How requests ended"),
    "volumes_title": ("主动公开情况", "Proactive disclosure"),
    "mix_title": ("申请人构成", "Who asked"),
    "review_title": ("行政复议和行政诉讼", "Administrative review and litigation"),
}
PALETTE = ["#1b6ca8", "#6cb4e4", "#e07b39", "#f2c14e", "#9b6a97", "#8c8c8c"]


def word(key: str, lang: str = "zh") -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


@cache
def cjk_fonts() -> tuple[str, ...]:
    """Installed CJK font families, preferred first (none when fontconfig is absent)."""
    if shutil.which("fc-list") is None:
        return ()
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    families = {f.strip() for line in out.splitlines() for f in line.split(",") if f.strip()}
    preferred = [f for f in ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "Source Han Sans SC",
                             "Noto Serif CJK SC") if f in families]
    return tuple(preferred or sorted(families)[:1])


def theme() -> dict:
    font = ", ".join([f"'{f}'" for f in cjk_fonts()] + ["sans-serif"])
    return {"config": {
        "font": font,
        "view": {"stroke": None, "continuousWidth": 420, "continuousHeight": 260},
        "range": {"category": PALETTE},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#eeeeee"},
        "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
        "title": {"fontSize": 14, "anchor": "start"},
    }}


EMBED = "govlib"  # the renderer for pages that draw their charts themselves (see ``embed_html``)


def embed_html(spec: dict) -> str:
    """A chart as a placeholder and its Vega-Lite spec in a data-only script tag; a page that carries the Vega
    bundle (the brief template) draws every such chart, with tooltips, without the network. "<" is escaped in the
    JSON, so text from reports (agency names) can never close the tag."""
    import json

    data = json.dumps(_finite(spec), ensure_ascii=False, allow_nan=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<div class="govlib-chart"></div><script type="application/json" class="govlib-spec">{data}</script>'


def _finite(value):
    """JSON has no NaN: a missing share (0 of 0) is null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _embed_renderer(spec: dict, **kwargs) -> dict:
    bundle = {"text/html": embed_html(spec), "text/plain": "<govlib chart>"}
    return {**lab_view(spec), **bundle} if _in_lab() else bundle  # JupyterLab draws the widget (end of module)


def use(renderer: str | None = None):
    """Enable the govlib theme, and optionally a renderer ("govlib" for briefs, "svg" for static images)."""
    import altair as alt

    alt.theme.register("govlib", enable=True)(lambda: alt.theme.ThemeConfig(theme()))
    alt.renderers.register(EMBED, _embed_renderer)  # (not `names()`: it scans every package's entry points)
    if renderer:
        alt.renderers.enable(renderer)
    return alt


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one script (from vl-convert), safe to inline in a <script> element.

    Bundling takes seconds, so the bundle is kept in the user's cache, one file per vl-convert version.
    """
    import os
    from pathlib import Path

    import vl_convert

    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govlib"
    path = cache_dir / f"vega-bundle-{vl_convert.__version__}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle().replace("</script", "<\\/script")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # no cache: the next process bundles again
    return bundle


def draw_without_validation() -> None:
    """In an IPython kernel, draw charts from their spec without validating it against the Vega-Lite schema again:
    validation was 80% of drawing a chart (50 ms a brief). Only for specs these builders made, which the test suite
    validates by drawing them the ordinary way."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    import altair as alt

    def draw(chart, include=None, exclude=None):
        return alt.renderers.get()(chart.to_dict(validate=False, context={"pre_transform": False}))

    shell.display_formatter.mimebundle_formatter.for_type(alt.TopLevelMixin, draw)


def _alt():
    import altair as alt

    if alt.theme.active != "govlib":
        use()
    return alt


def outcome_counts(tables: M.Tables):
    """Per report: requests by outcome group (at the 总计 column), null where a cell was not a number."""
    import polars as pl

    sums = M.sum_known([(outcome, "applications", r, "total") for outcome, rows in M.OUTCOMES.items() for r in rows],
                       tables.cells(), by=("outcome",))
    return sums.select("report_id", pl.col("v").alias("count"), "outcome").join(
        tables.reports.select("report_id", "agency", "year"), on="report_id")


def reason_counts(tables: M.Tables):
    """Per report: requests withheld, not provided or not processed, by reason (at the 总计 column)."""
    import polars as pl

    rows = {r: g for g, rs in (("withheld", M.DENIED), ("unable", M.UNABLE), ("not_processed", M.REJECTED))
            for r in rs}
    apps = tables.applications.filter(pl.col("row").is_in(list(rows)) & (pl.col("applicant") == "total"))
    return apps.select("report_id", pl.col("row").alias("reason"),
                       pl.col("row").replace_strict(rows).alias("outcome"),
                       pl.col("value").cast(pl.Float64).alias("count")).join(
        tables.reports.select("report_id", "agency", "year"), on="report_id")


def reasons(frame, lang: str = "zh"):
    """Why requests were withheld, not provided or not processed: counts by reason, one bar per agency."""
    import polars as pl

    from .codebook import code

    alt = _alt()
    i = 0 if lang == "zh" else 1
    names = {r: (code("application", r).leaf if lang == "zh" else code("application", r).label_en)
             for r in frame["reason"].unique().to_list()}
    data = frame.filter(pl.col("count") > 0).with_columns(
        label=pl.col("reason").replace_strict(names),
        group=pl.col("outcome").replace_strict({k: v[i] for k, v in OUTCOME_NAMES.items()}))
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort="-x"),
        x=alt.X("sum(count):Q", title=word("count", lang)),
        color=alt.Color("group:N", title=word("outcome", lang),
                        scale=alt.Scale(domain=[OUTCOME_NAMES[k][i] for k in ("withheld", "unable", "not_processed")],
                                        range=[PALETTE[2], PALETTE[3], PALETTE[4]])),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("label:N", title=""),
                 alt.Tooltip("sum(count):Q", title=word("count", lang), format=",.0f")],
    ).properties(title="不予公开、无法提供和不予处理的理由" if lang == "zh" else
                 "Why requests were withheld, not provided or not processed", width=420)


def applicant_counts(tables: M.Tables):
    import polars as pl

    apps = tables.applications.filter((pl.col("row") == "new_received") & (pl.col("applicant") != "total"))
    return apps.select("report_id", "applicant", pl.col("value").cast(pl.Float64).alias("count")).join(
        tables.reports.select("report_id", "agency", "year"), on="report_id")


def outcomes(frame, lang: str = "zh"):
    """Stacked shares of how requests ended, one bar per agency; tooltips give counts and shares."""
    import polars as pl

    alt = _alt()
    i = 0 if lang == "zh" else 1
    order = list(OUTCOME_NAMES)
    data = frame.with_columns(
        label=pl.col("outcome").replace_strict({k: v[i] for k, v in OUTCOME_NAMES.items()}),
        order=pl.col("outcome").replace_strict({k: n for n, k in enumerate(order)}),
        share=pl.when(pl.col("count").sum().over("agency", "year") > 0)
        .then(pl.col("count") / pl.col("count").sum().over("agency", "year")),
    )
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("agency:N", title=word("agency", lang)),
        x=alt.X("count:Q", stack="normalize", title=word("share", lang), axis=alt.Axis(format="%")),
        color=alt.Color("label:N", title=word("outcome", lang), sort=[OUTCOME_NAMES[k][i] for k in order]),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("label:N", title=word("outcome", lang)),
                 alt.Tooltip("count:Q", title=word("count", lang), format=",.0f"),
                 alt.Tooltip("share:Q", title=word("share", lang), format=".1%")],
    ).properties(title=word("outcomes_title", lang), width=420)


def _break_rule(lang: str):
    alt = _alt()
    import polars as pl

    rule = pl.DataFrame({"x": [2020.5], "label": [word("break", lang)]})
    return alt.Chart(rule).mark_rule(strokeDash=[4, 4], color="#999999").encode(
        x=alt.X("x:Q"), tooltip=alt.Tooltip("label:N", title=""))


def trend(frame, metric_code: str, lang: str = "zh"):
    """A metric over the years, one line per agency, with the 2020→2021 template change marked."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter(pl.col("metric") == metric_code)
    fmt = ".1%" if m.is_rate else ",.0f"
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("year:Q", title=word("year", lang), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value:Q", title=m.name(lang), axis=alt.Axis(format=".0%" if m.is_rate else ",.0f")),
        color=alt.Color("agency:N", title=word("agency", lang)),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("year:Q", title=word("year", lang)),
                 alt.Tooltip("value:Q", title=m.name(lang), format=fmt),
                 alt.Tooltip("numerator:Q", format=",.0f"), alt.Tooltip("denominator:Q", format=",.0f")],
    )
    return (lines + _break_rule(lang)).properties(title=m.name(lang), width=420)


def change(frame, metric_code: str, year: int, lang: str = "zh"):
    """Change from the previous year per agency (from ``metrics.year_over_year``)."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter((pl.col("metric") == metric_code) & (pl.col("year") == year) & pl.col("change").is_not_null())
    data = data.with_columns(direction=pl.when(pl.col("change") >= 0).then(pl.lit("up")).otherwise(pl.lit("down")))
    fmt = ".1%" if m.is_rate else "+,.0f"
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("agency:N", title=word("agency", lang)),
        x=alt.X("change:Q", title=f"{m.name(lang)} · {word('change', lang)}"),
        color=alt.Color("direction:N", scale=alt.Scale(domain=["up", "down"], range=[PALETTE[0], PALETTE[2]]),
                        legend=None),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)),
                 alt.Tooltip("previous:Q", title=str(year - 1), format=fmt.lstrip("+")),
                 alt.Tooltip("value:Q", title=str(year), format=fmt.lstrip("+")),
                 alt.Tooltip("change:Q", title=word("change", lang), format=fmt),
                 alt.Tooltip("relative_change:Q", format="+.1%")],
    ).properties(title=f"{m.name(lang)}：{year - 1}→{year}" if lang == "zh" else f"{m.name(lang)}: {year - 1}→{year}",
                 width=420)


def _yearly_bars(frame, codes, lang: str, by: str):
    """Bars of count metrics per year, side by side by ``by`` ("agency" or "label", the metric's name)."""
    import polars as pl

    alt = _alt()
    names = {c: M.metric(c).name(lang) for c in codes}
    data = frame.filter(pl.col("metric").is_in(list(codes))).with_columns(
        label=pl.col("metric").replace_strict(names))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title=word("year", lang)),
        y=alt.Y("value:Q", title=word("count", lang)),
        color=alt.Color(f"{by}:N", title=word("agency" if by == "agency" else "metric", lang)),
        xOffset=alt.XOffset(f"{by}:N"),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("year:O", title=word("year", lang)),
                 alt.Tooltip("label:N", title=word("metric", lang)),
                 alt.Tooltip("value:Q", title=word("count", lang), format=",.0f")],
    )


def volumes(frame, lang: str = "zh"):
    """Proactive disclosure volumes by agency and year; section 二 series are not comparable across 2021."""
    alt = _alt()
    bars = _yearly_bars(frame, ("normative_documents", "licensing_decisions", "penalty_decisions"), lang, "agency")
    return bars.properties(width=200, height=180).facet(column=alt.Column("label:N", title=None)).properties(
        title={"text": word("volumes_title", lang), "subtitle": word("break", lang)})


def applicant_mix(frame, lang: str = "zh"):
    """Who asked: new requests by kind of applicant, one bar per agency."""
    import polars as pl

    alt = _alt()
    i = 0 if lang == "zh" else 1
    data = frame.with_columns(label=pl.col("applicant").replace_strict({k: v[i] for k, v in APPLICANT_NAMES.items()}))
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("agency:N", title=word("agency", lang)),
        x=alt.X("count:Q", title=word("count", lang)),
        color=alt.Color("label:N", title=word("applicant", lang)),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("label:N", title=word("applicant", lang)),
                 alt.Tooltip("count:Q", title=word("count", lang), format=",.0f")],
    ).properties(title=word("mix_title", lang), width=420)


def review(frame, lang: str = "zh"):
    """Administrative reviews and lawsuits per agency and year."""
    return _yearly_bars(frame, ("reviews", "lawsuits"), lang, "label").properties(
        title=word("review_title", lang), width=420)


def findings(frame, lang: str = "zh"):
    """Data-quality findings by rule and severity (``findings`` joined with ``reports``)."""
    alt = _alt()
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y("rule:N", title=word("rule", lang), sort="-x"),
        x=alt.X("count():Q", title=word("count", lang)),
        color=alt.Color("severity:N", title=word("severity", lang),
                        scale=alt.Scale(domain=["error", "warning"], range=[PALETTE[2], PALETTE[5]])),
        tooltip=[alt.Tooltip("rule:N", title=word("rule", lang)), alt.Tooltip("severity:N"),
                 alt.Tooltip("count():Q", title=word("count", lang))],
    ).properties(title=word("findings", lang), width=420)


# --- JupyterLab -------------------------------------------------------------------------------------------------------
# JupyterLab draws a chart as Altair's JupyterChart widget (anywidget) in offline mode: Vega, Vega-Lite and Vega-Embed
# are bundled from the installed vl-convert, never loaded from a CDN, so charts draw without the network. The kernels
# `govlib briefs` starts make no widgets: their exported pages draw the placeholders of ``embed_html`` themselves.

LAB_EMBED_OPTIONS = {"renderer": "svg", "actions": False}
_widgets = True  # False in a kernel that makes a page (``pages_only``)


def pages_only() -> None:
    """Draw charts only as the placeholders of ``embed_html``, never as widgets: for the kernels `govlib briefs`
    starts, whose exported pages draw every placeholder themselves (``briefs.kernel.prepare`` calls this)."""
    global _widgets
    _widgets = False


def lab_chart(chart=None):
    """A chart (or none yet) as a widget JupyterLab draws offline; assign its ``chart`` to redraw it in place."""
    alt = _alt()
    alt.JupyterChart.enable_offline()  # bundles Altair's widget code with vl-convert's Vega, once a process (~1.5 s)
    return alt.JupyterChart(chart, embed_options=LAB_EMBED_OPTIONS)


def lab_view(spec: dict) -> dict:
    """A Vega-Lite spec as the mimebundle of a widget JupyterLab draws offline."""
    alt = _alt()
    data, _metadata = lab_chart(alt.Chart.from_dict(_finite(spec)))._repr_mimebundle_()
    return data


def _in_lab() -> bool:
    """In a kernel a person works in (JupyterLab), not one `govlib briefs` started to make a page."""
    if not _widgets:
        return False
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


def compare(frame, metric_code: str, lang: str = "zh"):
    """Agencies compared on one metric: side by side in each year (bars), and over the years (lines); tooltips
    give the exact numbers, and numerator and denominator for rates. ``frame`` holds ``metrics.compute`` rows."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter((pl.col("metric") == metric_code) & pl.col("value").is_not_null())
    fmt = ".1%" if m.is_rate else ",.2~f"  # a count as printed: 154, or 11.5 where a report prints a fraction
    axis = alt.Axis(format=".0%" if m.is_rate else ",.0f")
    agency = alt.Color("agency:N", title=word("agency", lang), legend=alt.Legend(columns=2, labelLimit=260))
    tooltip = [alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("year:O", title=word("year", lang)),
               alt.Tooltip("value:Q", title=m.name(lang), format=fmt)]
    if m.is_rate:
        tooltip += [alt.Tooltip("numerator:Q", format=",.0f"), alt.Tooltip("denominator:Q", format=",.0f")]
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        x=alt.X("year:O", title=word("year", lang), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("agency:N"),
        y=alt.Y("value:Q", title=m.name(lang), axis=axis),
        color=agency, tooltip=tooltip,
    ).properties(width=380, height=240)
    lines = base.mark_line(point=True).encode(
        x=alt.X("year:Q", title=word("year", lang), axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(zero=False)),
        y=alt.Y("value:Q", title=m.name(lang), axis=axis),
        color=agency, tooltip=tooltip,
    ).properties(width=300, height=240)
    title = {"text": m.name(lang)}
    if not m.across_break:
        title["subtitle"] = word("break", lang)
    return alt.hconcat(bars, lines).properties(title=title)
