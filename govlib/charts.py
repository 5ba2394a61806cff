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


def warm() -> None:
    """Import what drawing a chart needs (Altair, Polars) and set the theme, ahead of the first chart."""
    import polars  # noqa: F401

    _alt()


def _alt():
    import altair as alt

    if alt.theme.active != "govlib":
        use()
    return alt


# Layered and concatenated charts are given every property as they are made (``alt.layer(*layers, title=...)``), not
# through ``.properties()`` or ``.resolve_scale()`` afterwards: each such method copies the whole chart, and copying
# a compound chart makes each sub-chart anew, which copies its own sub-charts again. Channels are given as classes
# (``alt.X("value:Q")``), not as strings, which Altair matches against every class of its schema (6 ms each). Data
# rows are grouped in the order they come (``maintain_order``), so the same data makes the same spec.
def _resolve(**scales):
    """How the views of a compound chart share their scales (``resolve_scale``'s argument, made directly)."""
    return _alt().Resolve(scale=_alt().ScaleResolveMap(**scales))


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


def applicant_counts(tables: M.Tables):
    import polars as pl

    apps = tables.applications.filter((pl.col("row") == "new_received") & (pl.col("applicant") != "total"))
    return apps.select("report_id", "applicant", pl.col("value").cast(pl.Float64).alias("count")).join(
        tables.reports.select("report_id", "agency", "year"), on="report_id")


# --- charts of many agencies ------------------------------------------------------------------------------------------
# Every builder returns None where it would draw nothing (no agency with a number, one agency to rank, one year to
# follow): the brief says in a sentence what is not shown and why. Counts are drawn on integer ticks; a chart of
# agencies names at most TOP of them and draws the rest as one bar ("其他 N 个机关"); a heat map names every agency,
# one row each, so that 19 or 60 agencies stay legible without a legend of their names.

TOP = 20  # agencies named in a bar chart of agencies; beyond that, the smallest become one bar
ROW = 18  # pixels per agency
YEAR = 40  # pixels per year in a heat map


def others(n: int, lang: str = "zh") -> str:
    """The label of the bar that stands for the agencies not named."""
    return f"其他{n}个机关" if lang == "zh" else f"{n} other agencies"


def _ordered(frame, by: str = "value"):
    """Agencies by ``by``, largest first (no number last), then by name: a stable order for every chart."""
    import polars as pl

    order = frame.group_by("agency", maintain_order=True).agg(pl.col(by).sum().alias("_v"),
                                                              pl.col(by).is_not_null().any().alias("_k"))
    return order.sort(["_k", "_v", "agency"], descending=[True, True, False])["agency"].to_list()


def _top(frame, order: list[str], lang: str, top: int = TOP):
    """``frame`` with the agencies after the first ``top - 1`` of ``order`` named as one, when more than ``top``;
    and the order of the agencies drawn."""
    import polars as pl

    if len(order) <= top:
        return frame, order
    kept, rest = order[: top - 1], order[top - 1:]
    label = others(len(rest), lang)
    return frame.with_columns(agency=pl.when(pl.col("agency").is_in(kept)).then(pl.col("agency"))
                              .otherwise(pl.lit(label))), kept + [label]


def _count_axis(title, high: float | None = None, low: float = 0, **kwargs):
    """An axis of counts: whole numbers only. Vega spaces ticks by the pixels it has, so over a range of a few
    requests it would tick 0, 0.5, 1 (printed "0, 1, 1"): there the ticks are given, one per whole number."""
    alt = _alt()
    if high is not None and high == high and high - min(low, 0) <= 6:
        kwargs.setdefault("values", list(range(math.floor(min(low, 0)), math.ceil(max(high, 1)) + 1)))
    return alt.Axis(title=title, **{"format": ",d", "tickMinStep": 1, **kwargs})


def _high(series) -> float | None:
    """The largest number of a column (None when it has none)."""
    v = series.drop_nulls()
    return float(v.max()) if v.len() else None


def _agency_axis(order: list[str]):
    alt = _alt()
    return alt.Y("agency:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelPadding=6))


def _fmt(m: M.Metric) -> str:
    return ".1%" if m.is_rate else ",.2~f"  # a count as printed: 154, or 11.5 where a report prints a fraction


def ranking(frame, metric_code: str, lang: str = "zh", median: float | None = None):
    """The agencies of one year ranked on a metric, largest first, the region's median marked; where a report's
    printed total disagrees with its applicant columns (``summed`` not null), a diamond marks the sum beside the
    printed bar. ``frame``: agency, value, summed. None for fewer than two agencies with a number."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter(pl.col("value").is_not_null())
    if data["agency"].n_unique() < 2:
        return None
    if "summed" not in data.columns:
        data = data.with_columns(summed=pl.lit(None, pl.Float64))
    data, order = _top(data, _ordered(data), lang)
    data = data.group_by("agency", maintain_order=True).agg(pl.col("value").sum(), pl.col("summed").first(), n=pl.len())
    data = data.with_columns(summed=pl.when(pl.col("n") == 1).then(pl.col("summed")))
    y = _agency_axis(order)
    x_axis = alt.Axis(format=".0%", title=m.name(lang)) if m.is_rate else \
        _count_axis(m.name(lang), max(_high(data["value"]) or 0, _high(data["summed"]) or 0))
    tip = [alt.Tooltip("agency:N", title=word("agency", lang)),
           alt.Tooltip("value:Q", title=f"{m.name(lang)}" + (f"（{m.basis_name(lang)}）" if m.basis[0] else ""),
                       format=_fmt(m))]
    base = alt.Chart(data)
    bars = base.mark_bar(color=PALETTE[0], height={"band": 0.75}).encode(
        y=y, x=alt.X("value:Q", axis=x_axis), tooltip=tip)
    labels = base.mark_text(align="left", dx=4, fontSize=10, color="#333333").encode(
        y=y, x="value:Q", text=alt.Text("value:Q", format=_fmt(m)))
    layers = [bars, labels]
    subtitle = []
    if m.basis[0]:
        subtitle.append(f"按{m.basis_name(lang)}" if lang == "zh" else f"As the {m.basis_name(lang)}")
    if median is not None:
        shown = f"{median:.1%}" if m.is_rate else f"{median:,.0f}" if float(median).is_integer() else \
            f"{median:,.1f}"
        rule = pl.DataFrame({"median": [float(median)],
                             "label": [f"中位数 {shown}" if lang == "zh" else f"median {shown}"]})
        layers.append(alt.Chart(rule).mark_rule(color=PALETTE[5], strokeDash=[4, 3]).encode(
            x="median:Q", tooltip=alt.Tooltip("label:N", title="")))
        subtitle.append(("虚线：各机关中位数 " if lang == "zh" else "Dashed line: the agencies' median, ")
                        + rule["label"][0].split(" ", 1)[1])
    flagged = data.filter(pl.col("summed").is_not_null())
    if flagged.height:
        layers.append(alt.Chart(flagged).mark_point(shape="diamond", filled=True, size=90, color=PALETTE[2]).encode(
            y=y, x=alt.X("summed:Q"),
            tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)),
                     alt.Tooltip("value:Q", title=M.PRINTED[0] if lang == "zh" else M.PRINTED[1], format=_fmt(m)),
                     alt.Tooltip("summed:Q", title=M.SUMMED[0] if lang == "zh" else M.SUMMED[1], format=_fmt(m))]))
        subtitle.append("◆ 各类申请人之和：报告所印总计与之不符" if lang == "zh" else
                        "◆ Sum of the applicant columns, where the printed total disagrees with it")
    title = {"text": m.name(lang)}
    if subtitle:
        title["subtitle"] = subtitle
    return alt.layer(*layers, title=title, width=420, height={"step": ROW})


def requests(handled, outcome, lang: str = "zh"):
    """Each agency's requests handled (bars) beside how they ended (shares), one row per agency, busiest first.
    ``handled``: agency, value; ``outcome``: agency, outcome, count. None where no agency handled a request."""
    import polars as pl

    alt = _alt()
    i = 0 if lang == "zh" else 1
    if not (handled["value"].fill_null(0) > 0).any() and not (outcome["count"].fill_null(0) > 0).any():
        return None
    every = _ordered(handled)
    every += sorted(set(outcome["agency"].to_list()) - set(every))
    handled, order = _top(handled, every, lang)
    outcome, _ = _top(outcome, every, lang)
    if "summed" not in handled.columns:
        handled = handled.with_columns(summed=pl.lit(None, pl.Float64))
    handled = handled.group_by("agency", maintain_order=True).agg(
        pl.col("value").sum(), pl.col("summed").first(), n=pl.len()).with_columns(
        summed=pl.when(pl.col("n") == 1).then(pl.col("summed")))
    outcome = outcome.filter(pl.col("count") > 0).group_by("agency", "outcome", maintain_order=True).agg(
        pl.col("count").sum())
    names = list(OUTCOME_NAMES)
    outcome = outcome.with_columns(
        label=pl.col("outcome").replace_strict({k: v[i] for k, v in OUTCOME_NAMES.items()}),
        order=pl.col("outcome").replace_strict({k: n for n, k in enumerate(names)}),
        share=pl.col("count") / pl.col("count").sum().over("agency"))
    y = _agency_axis(order)
    volume_title = M.metric("handled").name(lang)
    left = alt.Chart(handled).mark_bar(color=PALETTE[0], height={"band": 0.75}).encode(
        y=y, x=alt.X("value:Q", axis=_count_axis(volume_title, max(_high(handled["value"]) or 0,
                                                                  _high(handled["summed"]) or 0))),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)),
                 alt.Tooltip("value:Q", title=volume_title, format=",.2~f")])
    layers = [left, left.mark_text(align="left", dx=4, fontSize=10, color="#333333").encode(
        text=alt.Text("value:Q", format=",.2~f"))]
    flagged = handled.filter(pl.col("summed").is_not_null())
    if flagged.height:
        layers.append(alt.Chart(flagged).mark_point(shape="diamond", filled=True, size=80, color=PALETTE[2]).encode(
            y=y, x=alt.X("summed:Q"), tooltip=[
                alt.Tooltip("agency:N", title=word("agency", lang)),
                alt.Tooltip("value:Q", title=M.PRINTED[0] if lang == "zh" else M.PRINTED[1]),
                alt.Tooltip("summed:Q", title=M.SUMMED[0] if lang == "zh" else M.SUMMED[1])]))
    left = alt.layer(*layers, width=150, height={"step": ROW})
    right = alt.Chart(outcome).mark_bar(height={"band": 0.75}).encode(
        y=alt.Y("agency:N", sort=order, axis=None),
        x=alt.X("count:Q", stack="normalize", axis=alt.Axis(format="%", title=word("share", lang))),
        color=alt.Color("label:N", title=word("outcome", lang), sort=[OUTCOME_NAMES[k][i] for k in names],
                        scale=alt.Scale(domain=[OUTCOME_NAMES[k][i] for k in names], range=PALETTE)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)),
                 alt.Tooltip("label:N", title=word("outcome", lang)),
                 alt.Tooltip("count:Q", title=word("count", lang), format=",.2~f"),
                 alt.Tooltip("share:Q", title=word("share", lang), format=".1%")],
    ).properties(width=330, height={"step": ROW})
    title = {"text": word("outcomes_title", lang)}
    if flagged.height:
        title["subtitle"] = ("◆ 各类申请人之和：报告所印的办理总计与之不符" if lang == "zh" else
                             "◆ Sum of the applicant columns, where the printed total handled disagrees with it")
    return alt.hconcat(left, right, spacing=8, resolve=_resolve(y="shared"), title=title)


def heatmap(frame, metric_code: str, lang: str = "zh", order: list[str] | None = None, title=None,
            names: bool = True):
    """Agencies down, years across, each cell the agency's number that year (a dash where its report gives none,
    nothing where there is no report). The 2020→2021 template change is marked only for a series that changes
    meaning there, and only where both years are drawn. None where no cell has a number. ``names``: False leaves
    the agencies' names to a heat map drawn beside this one. Where a report's printed total disagrees with the sum
    of its applicant columns (``summed`` not null), the cell reads "0≠1", outlined."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter(pl.col("metric") == metric_code) if "metric" in frame.columns else frame
    if not data["value"].is_not_null().any():
        return None
    for c in ("numerator", "denominator", "summed"):
        if c not in data.columns:
            data = data.with_columns(pl.lit(None, pl.Float64).alias(c))
    order = order or _ordered(data)
    top = data["value"].max()
    data = data.select("agency", "year", "value", "numerator", "denominator", "summed").with_columns(
        dark=(pl.col("value") > (0.55 if m.is_rate else top * 0.45)).fill_null(False))
    flagged = data["summed"].is_not_null().any()
    years = sorted(data["year"].unique().to_list())
    x = alt.X("year:O", sort=years, title=None,
              axis=alt.Axis(labelAngle=0, orient="top", domain=False, ticks=False, grid=False))
    y = alt.Y("agency:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=260, domain=False, ticks=False, grid=False) if names else None)
    # a rate above 100% (a report granting more than it handled) takes the darkest colour, its number as printed
    scale = alt.Scale(scheme="blues", domain=[0, 1], clamp=True) if m.is_rate else \
        alt.Scale(scheme="blues", type="sqrt", domain=[0, max(top, 1)])
    tip = [alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("year:O", title=word("year", lang)),
           alt.Tooltip("value:Q", title=m.name(lang), format=_fmt(m))]
    if m.is_rate:
        tip += [alt.Tooltip("numerator:Q", title="分子" if lang == "zh" else "numerator", format=",.2~f"),
                alt.Tooltip("denominator:Q", title="分母" if lang == "zh" else "denominator", format=",.2~f")]
    if flagged:
        tip += [alt.Tooltip("summed:Q", title=M.SUMMED[0] if lang == "zh" else M.SUMMED[1], format=",.2~f")]
    number = "'.0%'" if m.is_rate else "',.2~f'"
    base = alt.Chart(data).transform_calculate(
        shown=f"datum.value === null ? '—' : format(datum.value, {number})"
              f" + (datum.summed === null ? '' : '≠' + format(datum.summed, {number}))")
    # conditions given as channel objects, not alt.condition(): Altair validates those against the schema as it
    # builds the chart, two thirds of a heat map's cost
    flag = {"test": "datum.summed !== null"}
    cells = base.mark_rect(strokeWidth=1).encode(
        x=x, y=y, tooltip=tip,
        color=alt.Color("value:Q", scale=scale, legend=None,
                        condition={"test": "datum.value === null", "value": "#f2f2f2"}),
        stroke=alt.StrokeValue("white", condition={**flag, "value": PALETTE[2]}),
        strokeWidth=alt.StrokeWidthValue(1, condition={**flag, "value": 2}))
    text = base.mark_text(fontSize=10).encode(
        x=x, y=y, text=alt.Text("shown:N"), tooltip=tip,
        color=alt.ColorValue("#222222", condition={"test": "datum.dark", "value": "white"}))
    layers = [cells, text]
    if not m.across_break and 2020 in years and 2021 in years:
        rule = pl.DataFrame({"year": [2021], "label": [word("break", lang)]})
        layers.append(alt.Chart(rule).mark_rule(color="#d62728", strokeDash=[4, 3], strokeWidth=1.5,
                                                xOffset=-YEAR / 2).encode(
            x=alt.X("year:O", sort=years), tooltip=alt.Tooltip("label:N", title="")))
    heading = {"text": title or m.name(lang)}
    notes = []
    if not m.across_break and 2020 in years and 2021 in years:
        notes.append(("红色虚线：" if lang == "zh" else "Red dashed line: ") + word("break", lang))
    if flagged:
        notes.append("“0≠1”：报告所印总计与各类申请人之和不符（前为所印总计）" if lang == "zh" else
                     "“0≠1”: the printed total, and the sum of the applicant columns it disagrees with")
    if notes:
        heading["subtitle"] = notes
    return alt.layer(*layers, title=heading, width={"step": YEAR}, height={"step": ROW})


def line(frame, metric_code: str, lang: str = "zh"):
    """One agency's metric over the years: points on the years it has numbers, the years as whole numbers on the
    axis. None for fewer than two years with a number."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter(pl.col("value").is_not_null())
    if "metric" in data.columns:
        data = data.filter(pl.col("metric") == metric_code)
    years = sorted(data["year"].unique().to_list())
    if len(years) < 2:
        return None
    high = max(_high(data["value"]) or 0, _high(data["summed"]) or 0) if "summed" in data.columns else \
        _high(data["value"])
    y_axis = alt.Axis(format=".0%", title=m.name(lang)) if m.is_rate else _count_axis(m.name(lang), high)
    x = alt.X("year:Q", title=word("year", lang), scale=alt.Scale(domain=[years[0] - 0.3, years[-1] + 0.3], nice=False),
              axis=alt.Axis(values=years, format="d", grid=False))
    tip = [alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("year:Q", title=word("year", lang)),
           alt.Tooltip("value:Q", title=m.name(lang), format=_fmt(m))]
    base = alt.Chart(data.select("agency", "year", "value"))
    chart = base.mark_line(point=True, color=PALETTE[0]).encode(x=x, y=alt.Y("value:Q", axis=y_axis), tooltip=tip)
    labels = base.mark_text(dy=-9, fontSize=10, color="#333333").encode(
        x=x, y="value:Q", text=alt.Text("value:Q", format=".1%" if m.is_rate else ",.2~f"))
    layers = [chart, labels]
    title = {"text": f"{m.name(lang)} · {data['agency'][0]}"}
    if "summed" in data.columns and data["summed"].is_not_null().any():
        layers.append(alt.Chart(data.filter(pl.col("summed").is_not_null()).select("agency", "year", "value", "summed"))
                      .mark_point(shape="diamond", filled=True, size=90, color=PALETTE[2]).encode(
            x=x, y=alt.Y("summed:Q"), tooltip=tip + [alt.Tooltip("summed:Q", title=M.SUMMED[0] if lang == "zh" else
                                                          M.SUMMED[1], format=",.2~f")]))
        title["subtitle"] = ("◆ 各类申请人之和：报告所印总计与之不符" if lang == "zh" else
                             "◆ Sum of the applicant columns, where the printed total disagrees with it")
    if not m.across_break and 2020 in years and 2021 in years:
        layers.append(_break_rule(lang))
    return alt.layer(*layers, title=title, width=420, height=220)


def _break_rule(lang: str):
    alt = _alt()
    import polars as pl

    rule = pl.DataFrame({"x": [2020.5], "label": [word("break", lang)]})
    return alt.Chart(rule).mark_rule(strokeDash=[4, 4], color="#d62728").encode(
        x=alt.X("x:Q"), tooltip=alt.Tooltip("label:N", title=""))


def trend(frame, metric_code: str, lang: str = "zh", order: list[str] | None = None):
    """A metric over the years: a heat map of agencies × years, or one agency's line. None for a single year."""
    import polars as pl

    data = frame.filter(pl.col("metric") == metric_code) if "metric" in frame.columns else frame
    known = data.filter(pl.col("value").is_not_null())
    if known["year"].n_unique() < 2:
        return None
    if known["agency"].n_unique() == 1:
        return line(known, metric_code, lang)
    return heatmap(data, metric_code, lang, order)


def change(frame, metric_code: str, year: int, lang: str = "zh", top: int = 12):
    """The largest changes from the previous year (``metrics.year_over_year`` rows), at most ``top`` agencies,
    largest first. None where no agency has both years."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter((pl.col("metric") == metric_code) & (pl.col("year") == year) & pl.col("change").is_not_null()
                        & (pl.col("change") != 0))
    if data.height == 0:
        return None
    data = data.sort([pl.col("change").abs(), "agency"], descending=[True, False]).head(top).with_columns(
        direction=pl.when(pl.col("change") >= 0).then(pl.lit("up")).otherwise(pl.lit("down")))
    order = data["agency"].to_list()
    flags = "flag" in data.columns and bool(data["flag"].fill_null(False).any())
    data = data.with_columns(mark=pl.when(pl.col("flag").fill_null(False)).then(pl.lit(" ⚠")).otherwise(pl.lit(""))
                             if flags else pl.lit(""))
    fmt = "+.1%" if m.is_rate else "+,.2~f"
    y = _agency_axis(order)
    x_axis = alt.Axis(format="+.0%", title=word("change", lang)) if m.is_rate else \
        _count_axis(word("change", lang), _high(data["change"]), float(data["change"].min()), format="+,d")
    tip = [alt.Tooltip("agency:N", title=word("agency", lang)),
           alt.Tooltip("previous:Q", title=str(year - 1), format=fmt.lstrip("+")),
           alt.Tooltip("value:Q", title=str(year), format=fmt.lstrip("+")),
           alt.Tooltip("change:Q", title=word("change", lang), format=fmt)]
    base = alt.Chart(data.select("agency", "previous", "value", "change", "direction", "mark")).transform_calculate(
        label=f"format(datum.change, '{fmt}') + datum.mark")
    bars = base.mark_bar(height={"band": 0.75}).encode(
        y=y, x=alt.X("change:Q", axis=x_axis), tooltip=tip,
        color=alt.Color("direction:N", scale=alt.Scale(domain=["up", "down"], range=[PALETTE[0], PALETTE[2]]),
                        legend=None))
    up = base.transform_filter("datum.change >= 0").mark_text(fontSize=10, color="#333333", align="left", dx=4)
    down = base.transform_filter("datum.change < 0").mark_text(fontSize=10, color="#333333", align="right", dx=-4)
    labels = [t.encode(y=y, x=alt.X("change:Q"), text=alt.Text("label:N")) for t in (up, down)]
    zero = alt.Chart(pl.DataFrame({"x": [0]})).mark_rule(color="#999999").encode(x=alt.X("x:Q"))
    n = len(order)
    text = (f"{m.name(lang)}：{year - 1}→{year}，变化最大的{n}个机关" if lang == "zh" else
            f"{m.name(lang)}: {year - 1}→{year}, the {n} largest " + ("change" if n == 1 else "changes"))
    title = {"text": text}
    if flags:
        title["subtitle"] = ("⚠ 本年或上年报告所印总计与各类申请人之和不符，变化按所印总计" if lang == "zh" else
                             "⚠ This or last year's printed total disagrees with the applicant columns; the change "
                             "is between printed totals")
    return alt.layer(bars, *labels, zero, title=title, width=380, height={"step": ROW})


def applicant_mix(frame, lang: str = "zh"):
    """Who asked: new requests by kind of applicant, one bar per agency, busiest first. None where nobody asked."""
    import polars as pl

    alt = _alt()
    i = 0 if lang == "zh" else 1
    data = frame.filter(pl.col("count") > 0)
    if data.height == 0:
        return None
    data, order = _top(data, _ordered(data, "count"), lang)
    data = data.group_by("agency", "applicant", maintain_order=True).agg(pl.col("count").sum()).with_columns(
        label=pl.col("applicant").replace_strict({k: v[i] for k, v in APPLICANT_NAMES.items()}))
    kinds = [APPLICANT_NAMES[k][i] for k in APPLICANT_NAMES]
    high = _high(data.group_by("agency", maintain_order=True).agg(pl.col("count").sum())["count"])
    return alt.Chart(data).mark_bar(height={"band": 0.75}).encode(
        y=_agency_axis(order),
        x=alt.X("count:Q", axis=_count_axis(word("count", lang), high)),
        color=alt.Color("label:N", title=word("applicant", lang), sort=kinds,
                        scale=alt.Scale(domain=kinds, range=PALETTE)),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)),
                 alt.Tooltip("label:N", title=word("applicant", lang)),
                 alt.Tooltip("count:Q", title=word("count", lang), format=",.2~f")],
    ).properties(title=word("mix_title", lang), width=420, height={"step": ROW})


def reasons(frame, lang: str = "zh"):
    """Why requests were withheld, not provided or not processed: counts by reason over the agencies (hover for
    each agency's part). None where no request ended so."""
    import polars as pl

    from .codebook import code

    alt = _alt()
    i = 0 if lang == "zh" else 1
    data = frame.filter(pl.col("count") > 0)
    if data.height == 0:
        return None
    names = {r: (code("application", r).leaf if lang == "zh" else code("application", r).label_en)
             for r in data["reason"].unique().to_list()}
    data = data.with_columns(
        label=pl.col("reason").replace_strict(names),
        group=pl.col("outcome").replace_strict({k: v[i] for k, v in OUTCOME_NAMES.items()}))
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
        x=alt.X("sum(count):Q", axis=_count_axis(word("count", lang),
                                                 _high(data.group_by("label", maintain_order=True).agg(pl.col("count").sum())["count"]))),
        color=alt.Color("group:N", title=word("outcome", lang),
                        scale=alt.Scale(domain=[OUTCOME_NAMES[k][i] for k in ("withheld", "unable", "not_processed")],
                                        range=[PALETTE[2], PALETTE[3], PALETTE[4]])),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("label:N", title=""),
                 alt.Tooltip("sum(count):Q", title=word("count", lang), format=",.2~f")],
    ).properties(title="不予公开、无法提供和不予处理的理由" if lang == "zh" else
                 "Why requests were withheld, not provided or not processed", width=420)


def _yearly_bars(frame, codes, lang: str):
    """One agency's count metrics per year, side by side by metric, on the years it has reports for."""
    import polars as pl

    alt = _alt()
    names = {c: M.metric(c).name(lang) for c in codes}
    data = frame.filter(pl.col("metric").is_in(list(codes)) & pl.col("value").is_not_null()).with_columns(
        label=pl.col("metric").replace_strict(names))
    if data.height == 0 or not (data["value"] > 0).any():
        return None
    years = sorted(data["year"].unique().to_list())
    return alt.Chart(data.select("agency", "year", "label", "value")).mark_bar().encode(
        x=alt.X("year:O", sort=years, title=word("year", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", axis=_count_axis(word("count", lang), _high(data["value"]))),
        color=alt.Color("label:N", title=word("metric", lang), sort=list(names.values())),
        xOffset=alt.XOffset("label:N", sort=list(names.values())),
        tooltip=[alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("year:O", title=word("year", lang)),
                 alt.Tooltip("label:N", title=word("metric", lang)),
                 alt.Tooltip("value:Q", title=word("count", lang), format=",.2~f")],
    ).properties(width=max(120, 60 * len(years)), height=200)


PROACTIVE = ("normative_documents", "licensing_decisions", "penalty_decisions")
REVIEW = ("reviews", "lawsuits")


def _panels(frame, codes, lang: str, title: str, only_active: bool = False):
    """Heat maps of several metrics side by side, one row per agency in one order; None where none has a number.
    ``only_active``: leave out agencies whose every number is 0 (the subtitle says how many)."""
    import polars as pl

    alt = _alt()
    data = frame.filter(pl.col("metric").is_in(list(codes)))
    subtitle = []
    if only_active:
        active = data.filter(pl.col("value") > 0)["agency"].unique()
        left_out = data["agency"].n_unique() - active.len()
        data = data.filter(pl.col("agency").is_in(active.implode()))
        if left_out and active.len():
            subtitle.append(f"另有{left_out}个机关各年均为0" if lang == "zh" else
                            f"{left_out} more " + ("agency has" if left_out == 1 else "agencies have")
                            + " none in any year")
    order = _ordered(data)
    drawn = [c for c in codes if data.filter((pl.col("metric") == c) & pl.col("value").is_not_null()).height]
    if not drawn:
        return None
    maps = [heatmap(data, c, lang, order, names=k == 0) for k, c in enumerate(drawn)]
    heading = {"text": title}
    if subtitle:
        heading["subtitle"] = subtitle
    return alt.hconcat(*maps, spacing=12, resolve=_resolve(color="independent", y="shared"), title=heading)


def volumes(frame, lang: str = "zh"):
    """Proactive disclosure: normative documents, licensing and penalty decisions by agency and year (heat maps;
    bars for one agency). Section 二 series are not comparable across 2021. None where no report gives a number."""
    import polars as pl

    data = frame.filter(pl.col("metric").is_in(list(PROACTIVE)))
    known = data.filter(pl.col("value").is_not_null())
    if known["agency"].n_unique() <= 1:
        chart = _yearly_bars(data, PROACTIVE, lang)
        if chart is None:
            return None
        title = {"text": f"{word('volumes_title', lang)} · {known['agency'][0]}"}
        if {2020, 2021} <= set(known["year"].to_list()):
            title["subtitle"] = word("break", lang)
        return chart.properties(title=title)
    return _panels(data, PROACTIVE, lang, word("volumes_title", lang))


def review(frame, lang: str = "zh"):
    """Administrative reviews and lawsuits by agency and year (heat maps of the agencies with any; bars for one
    agency). None where every report gives 0 or no number."""
    import polars as pl

    data = frame.filter(pl.col("metric").is_in(list(REVIEW)))
    if not (data["value"].fill_null(0) > 0).any():
        return None
    if data["agency"].n_unique() == 1:
        chart = _yearly_bars(data, REVIEW, lang)
        return chart.properties(title=f"{word('review_title', lang)} · {data['agency'][0]}")
    return _panels(data, REVIEW, lang, word("review_title", lang), only_active=True)


def findings(frame, lang: str = "zh"):
    """Data-quality findings by rule and severity (``findings`` joined with ``reports``)."""
    alt = _alt()
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y("rule:N", title=word("rule", lang), sort="-x"),
        x=alt.X("count():Q", axis=_count_axis(word("count", lang))),
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
    give the exact numbers, and numerator and denominator for rates. ``frame`` holds ``metrics.compute`` rows;
    with ``summed``, a diamond marks the applicants' sum where a report's printed total disagrees with it. More
    agencies than the palette has colours are drawn as a heat map (agencies × years), never as colours repeated."""
    import polars as pl

    alt = _alt()
    m = M.metric(metric_code)
    data = frame.filter((pl.col("metric") == metric_code) & pl.col("value").is_not_null())
    if "summed" not in data.columns:
        data = data.with_columns(summed=pl.lit(None, pl.Float64))
    if data["agency"].n_unique() > len(PALETTE):
        latest = data.filter(pl.col("year") == data["year"].max())
        order = latest.sort(["value", "agency"], descending=[True, False])["agency"].to_list()
        order += sorted(set(data["agency"].to_list()) - set(order))
        return heatmap(frame.filter(pl.col("metric") == metric_code), metric_code, lang, order)
    fmt = ".1%" if m.is_rate else ",.2~f"  # a count as printed: 154, or 11.5 where a report prints a fraction
    high = max(_high(data["value"]) or 0, _high(data["summed"]) or 0)
    axis = alt.Axis(format=".0%") if m.is_rate else _count_axis(None, high)
    years = sorted(data["year"].unique().to_list())
    agency = alt.Color("agency:N", title=word("agency", lang), legend=alt.Legend(columns=2, labelLimit=260))
    tooltip = [alt.Tooltip("agency:N", title=word("agency", lang)), alt.Tooltip("year:O", title=word("year", lang)),
               alt.Tooltip("value:Q", title=m.name(lang), format=fmt)]
    if m.is_rate:
        tooltip += [alt.Tooltip("numerator:Q", format=",.0f"), alt.Tooltip("denominator:Q", format=",.0f")]
    flagged = data.filter(pl.col("summed").is_not_null())
    if flagged.height:
        tooltip += [alt.Tooltip("summed:Q", title=M.SUMMED[0] if lang == "zh" else M.SUMMED[1], format=fmt)]
    base = alt.Chart(data.select("agency", "year", "value", "numerator", "denominator", "summed"))
    bars = base.mark_bar().encode(
        x=alt.X("year:O", title=word("year", lang), sort=years, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("agency:N"),
        y=alt.Y("value:Q", title=m.name(lang), axis=axis),
        color=agency, tooltip=tooltip,
    ).properties(width=380, height=240)
    x = alt.X("year:Q", title=word("year", lang), axis=alt.Axis(values=years, format="d", grid=False),
              scale=alt.Scale(domain=[years[0] - 0.3, years[-1] + 0.3] if years else None, nice=False, zero=False))
    lines = base.mark_line(point=True).encode(
        x=x, y=alt.Y("value:Q", title=m.name(lang), axis=axis), color=agency, tooltip=tooltip)
    right = [lines]
    title = {"text": m.name(lang)}
    subtitle = []
    if flagged.height:
        right.append(alt.Chart(flagged.select("agency", "year", "value", "summed")).mark_point(
            shape="diamond", filled=True, size=80, color=PALETTE[2]).encode(
            x=x, y=alt.Y("summed:Q"), tooltip=tooltip[:3] + tooltip[-1:]))
        subtitle.append("◆ 各类申请人之和：报告所印总计与之不符" if lang == "zh" else
                        "◆ Sum of the applicant columns, where the printed total disagrees with it")
    if not m.across_break and 2020 in years and 2021 in years:
        subtitle.append(word("break", lang))
    if subtitle:
        title["subtitle"] = subtitle if len(subtitle) > 1 else subtitle[0]
    right = right[0].properties(width=300, height=240) if len(right) == 1 else \
        alt.layer(*right, width=300, height=240)
    return alt.hconcat(bars, right, title=title)
