"""A regional brief: the headline figures in sentences, the agencies ranked and compared, the charts, the
data-quality findings.

The brief notebook is a parameters cell and one call per section into this module; every number in its prose
comes from the frames. Each section draws only what the data can show and says in a sentence what it leaves out and
why (one year: no change; one agency: no ranking). Text that comes from reports (agency names) is escaped before
it reaches HTML.

A county's own report often states the whole county's figures (平潭综合实验区's says 全区共收到…154件): where the
reports of its departments are there too, it is shown beside them, never added to them (``metrics.covering``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import charts as C
from .. import metrics as M
from ..codebook import check_lang
from ..errors import BriefError
from ..frames import with_region
from ..regions import check_level, zones
from . import kernel

kernel.prepare()  # before altair (and with it jsonschema) is imported: charts imports it when it draws the first chart


# the rates a sentence on requests states where they are known: (metric, Chinese, English)
_RATE_PHRASES = (("grant_rate", "公开率（予以公开与部分公开之和占办理总数）为{}",
                  "the grant rate (granted in full or in part, of all handled) was {}"),
                 ("full_grant_rate", "全部公开率为{}", "the full-grant rate {}"))


def percent(x: float | None) -> str:
    """A rate as a brief prints it: "48.0%", or "—" where there is none."""
    return "—" if x is None else f"{x * 100:.1f}%"


def number(x: float | None) -> str:
    """A count as a brief prints it: "1,234", "11.5" where a report prints a fraction, or "—" where there is none."""
    if x is None:
        return "—"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0")

# --- words ------------------------------------------------------------------------------------------------------------
# Small pure functions that turn numbers into the brief's words; tests/test_wording.py holds their examples.

_WHOLE = (("自治州", "全州"), ("自治县", "全县"), ("自治旗", "全旗"), ("地区", "全地区"), ("林区", "全区"),
          ("省", "全省"), ("市", "全市"), ("县", "全县"), ("区", "全区"), ("旗", "全旗"), ("盟", "全盟"), ("州", "全州"))


def whole(name: str) -> str:
    """"The whole region" as its own name says it: 平潭县 → 全县, 晋江市 → 全市, 平潭综合实验区 → 全区, 福建省 → 全省."""
    for suffix, word in _WHOLE:
        if name.endswith(suffix):
            return word
    return "全地区"


_PLURALS = {"agency": "agencies", "report": "reports", "request": "requests", "case": "cases", "lawsuit": "lawsuits",
            "review": "reviews", "finding": "findings", "change": "changes"}


def plural(n: float | None, singular: str) -> str:
    """An English count with its noun (the last word takes the plural): "1 report", "2 reports", "3 more
    agencies", "1,234 new requests"."""
    if n == 1:
        return f"{number(n)} {singular}"
    *before, last = singular.split(" ")
    return f"{number(n)} {' '.join([*before, _PLURALS.get(last, last + 's')])}"


def possessive(words: str) -> str:
    """English possessive of a counted noun: "1 agency's", "14 agencies'"."""
    return words + ("'" if words.endswith("s") else "'s")


def change_phrase(now: float | None, before: float | None, lang: str = "zh") -> str:
    """The change from the year before, in brackets after a count of requests: "（上年218件，减少29.4%）"."""
    if now is None or before is None:
        return ""
    if lang == "zh":
        if now == before:
            return f"（与上年持平，均为{number(now)}件）"
        if before == 0:
            return "（上年为0件）"
        return f"（上年{number(before)}件，{'增加' if now > before else '减少'}{abs(now - before) / before * 100:.1f}%）"
    if now == before:
        return " (as many as the year before)"
    if before == 0:
        return " (none the year before)"
    way = "up" if now > before else "down"
    return f" ({number(before)} the year before, {way} {abs(now - before) / before * 100:.1f}%)"


_STATES = {  # how a cell that holds no number was printed, for a sentence that says why a figure is missing
    "blank": ("为空白", "blank"), "dash": ("印为“-”", "printed as a dash"),
    "unresolved": ("有多种读法、无法确定", "unresolved, several readings fitting"),
    "missing": ("未印出", "not printed"),
}


def missing_cell(agency: str, row: str, column: str, state: str, lang: str = "zh") -> str:
    """Why a report gives no number for a figure, naming the cell: "镇坪县的报告中“（二）部分公开”的总计栏为空白"."""
    from ..codebook import code

    if row == "review_litigation":
        label, col = code("review_litigation", column), None
    else:
        label, col = code("application", row), code("applicant", column)
    zh, en = _STATES.get(state, (f"没有数字（{state}）", f"without a number ({state})"))
    name = re.sub(r"（[^（）]*）$", "", label.leaf) if label.table == "application" else label.label_zh
    if lang == "zh":
        where = f"“{name}”的{col.label_zh}栏" if col else f"“{name}”栏"
        return f"{agency}的报告中{where}{zh}"
    where = f"the {col.label_en.lower()} column of “{label.label_en}”" if col and col.code != "total" else \
        f"the total of “{label.label_en}”" if col else f"“{label.label_en}”"
    return f"{agency}'s report leaves {where} {en}" if state in ("blank", "unresolved") else \
        f"in {agency}'s report, {where} is {en}"


def year_span(years: list[int], lang: str = "zh") -> str:
    """Years in a sentence, runs joined: [2019, 2021, 2022, 2023] → "2019、2021–2023" ("2019, 2021–2023")."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    return ("、" if lang == "zh" else ", ").join(parts)


def listing(items: list[str], lang: str = "zh", most: int = 6) -> str:
    """Items as a list in a sentence, at most ``most`` of them: "甲、乙和丙", "A, B and C", "… and 4 more"."""
    shown = items[:most]
    rest = len(items) - len(shown)
    if lang == "zh":
        if rest:
            return "、".join(shown) + f"等{len(items)}个"
        return "、".join(shown[:-1]) + "和" + shown[-1] if len(shown) > 1 else "".join(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else "".join(shown)


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


# The brief's tables and figures, styled in JupyterLab as in the exported page: the title carries this style. The
# selectors start with JupyterLab's output class so that they win over its own table style.
STYLE = """
.jp-RenderedHTMLCommon table.govlib { border-collapse: collapse; margin: 0.5rem 0 0.5rem; font-size: 13px; }
.jp-RenderedHTMLCommon table.govlib th, .jp-RenderedHTMLCommon table.govlib td {
  border-bottom: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: right; vertical-align: top; }
.jp-RenderedHTMLCommon table.govlib td, .jp-RenderedHTMLCommon table.govlib th { font-variant-numeric: tabular-nums; }
.jp-RenderedHTMLCommon table.ranking td:nth-child(2) { white-space: nowrap; }
.jp-RenderedHTMLCommon table.govlib tr > :nth-child(2),
.jp-RenderedHTMLCommon table.findings tr > * { text-align: left; }
.jp-RenderedHTMLCommon table.findings tr > :nth-child(2),
.jp-RenderedHTMLCommon table.findings tr > :nth-child(3) { text-align: right; }
.jp-RenderedHTMLCommon table.govlib tr:nth-child(even) { background: none; }
table.govlib small { color: #777; display: block; white-space: normal; font-size: 11px; }
table.govlib tr.own td { background: #eef5fb; }
table.govlib tr.absent td { color: #999; }
table.govlib tr.total td, table.govlib tr.median td { font-weight: 600; border-top: 1px solid #999; }
table.govlib tr.median td { border-top: none; font-weight: 400; font-style: italic; }
table.govlib .flag { color: #c0392b; white-space: nowrap; }
table.findings details { margin: 0.1rem 0; }
table.findings details.error summary { color: #c0392b; }
table.findings summary code { font-weight: 600; background: none; }
table.findings ul { margin: 0.2rem 0 0.4rem 1rem; padding: 0; font-size: 12px; color: #444; }
p.note { font-size: 12px; color: #666; margin-top: 0; }
.govlib-figures { display: flex; flex-wrap: wrap; gap: 0.6rem; margin: 0.4rem 0 0.8rem; }
.govlib-figures > div { border: 1px solid #dde6ee; border-radius: 6px; padding: 0.4rem 0.8rem; min-width: 8.5rem; }
.govlib-figures span.v { font-size: 26px; color: #1b6ca8; font-variant-numeric: tabular-nums; font-weight: 600; }
.govlib-figures span { display: block; font-size: 13px; }
.govlib-figures small { display: block; font-size: 11px; color: #777; }
"""


def _p(*sentences: str) -> HTML:
    return HTML("<p>" + " ".join(s for s in sentences if s) + "</p>")


COLUMNS = ("new_requests", "handled", "grant_rate", "full_grant_rate", "reviews", "lawsuits")  # of the ranking
ARITHMETIC = ("I1", "I2", "I3", "I4", "N")  # the rules a report's own numbers break
RULES = {  # what each finding means, in the brief's words
    "I1": ("收支不平：新收 + 上年结转 ≠ 办理 + 结转下年", "new + carried over ≠ handled + carried forward"),
    "I2": ("总计 ≠ 各类申请人之和", "total ≠ the sum of the applicant columns"),
    "I3": ("办理总计 ≠ 各办理结果之和", "total handled ≠ the sum of the outcomes"),
    "I4": ("复议或诉讼的总计 ≠ 各结果之和", "a review or lawsuit total ≠ the sum of its results"),
    "N": ("负数，或办理多于收到", "a negative number, or more handled than received"),
    "C1": ("上年结转 ≠ 上年报告的结转下年", "carried over ≠ last year's carried forward"),
    "C2": ("现行有效件数与上年不衔接", "documents in force do not follow from last year's"),
    "narrative": ("正文所述数字与表格不符", "the prose states another number than the table"),
    "ambiguous": ("数字连写，有多种读法，留空", "digits run together, several readings fit: left empty"),
    "unreadable": ("无法读取，留空", "could not be read: left empty"),
    "missing_row": ("表格未印出该行", "the row is not printed"),
    "blank_table": ("整张表没有数字", "a whole table without a number"),
    "template": ("报告所用模板与年度不符", "the report uses another year's template"),
    "layout": ("行的单元格数不齐，已按恒等式放置", "a row printed with too few or too many cells, placed by the identities"),
    "unit": ("金额单位已换算", "an amount converted to the template's unit"),
    "metadata": ("标题缺少年度或机关", "the title lacks the year or the agency"),
    "duplicate": ("同一机关同一年度的重复报告", "a second report of the same agency and year"),
    "label": ("行标签的印法与模板不同", "a row label printed otherwise than the template's"),
    "heading": ("未见该部分的标题，按表格内容找到该部分", "a section without its heading, found by its table"),
    "truncated": ("报告在表格中途中断", "the report stops in the middle of its tables"),
}


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
        computed = M.read_metrics(data_dir)  # computed once for the whole corpus, where `govlib briefs` made a slice
        brief = cls(tables, str(region), int(year), level, lang, computed)
        brief.check()
        if renderer:
            C.use(renderer)
            if kernel.in_brief_kernel():
                C.draw_without_validation()
        return brief

    def _(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

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
        """The region's full name, "福建省福州市平潭县"."""
        return self.region_reports(all_years=True)["region"][0]

    @cached_property
    def zone(self) -> str | None:
        """The functional zone that is the region, where every report of the region names it (平潭综合实验区 is
        平潭县): the name its agencies go by."""
        named = self._in_region["zone"].unique().to_list() if "zone" in self._in_region.columns else []
        if len(named) != 1 or named[0] is None:
            return None
        return next((z.name for z in zones() if z.name == named[0] and z.division == self.region and not z.members),
                    None)

    @property
    def display_name(self) -> str:
        """The region as the brief names it: "平潭综合实验区（福建省福州市平潭县）", or "福建省泉州市晋江市"."""
        return f"{self.zone}（{self.region_name}）" if self.zone else self.region_name

    @property
    def whole(self) -> str:
        """全县, 全市, 全区 …: the region as a whole, in its own name's word."""
        if self.zone:
            return whole(self.zone)
        r = self._in_region
        levels = ("province", "prefecture", "county")[: ("province", "prefecture", "county").index(self.level) + 1]
        names = [r[c].drop_nulls() for c in reversed(levels) if c in r.columns]  # the region's own division first
        return whole(next((n[0] for n in names if n.len()), self.region_name))

    @cached_property
    def names(self) -> dict[str, str]:
        """Each agency's name as the brief prints it: without the region's own names (交通与建设局, not
        平潭综合实验区交通与建设局), the region being named in the title."""
        r = self._in_region
        prefixes = [r[c].drop_nulls().unique().to_list() for c in ("province", "prefecture", "county")
                    if c in r.columns]
        return M.short_names(r["agency"].drop_nulls().unique().to_list(),
                             [p for ps in prefixes for p in ps] + [self.zone or ""])

    @cached_property
    def _covering(self) -> set[str]:
        return set(M.covering(self._in_region))

    @cached_property
    def _own(self) -> set[str]:
        return set(M.own_reports(self._in_region, self.level)["report_id"].to_list())

    def metrics(self):
        """``metrics.compute`` rows of the region's reports, every year, agencies by the brief's names;
        ``covering`` marks a government's report that others sit inside."""
        return self._metrics

    @cached_property
    def _metrics(self):
        import polars as pl

        ids = self.region_reports(all_years=True)["report_id"]
        computed = M.compute(self.tables) if self.computed is None else self.computed
        return computed.filter(pl.col("report_id").is_in(ids.implode())).with_columns(
            agency=pl.col("agency").replace(self.names),
            covering=pl.col("report_id").is_in(list(self._covering)))

    @cached_property
    def _compared(self):
        """The metrics of the agencies compared: every report but a government's that others sit inside."""
        import polars as pl

        return self.metrics().filter(~pl.col("covering"))

    def _year(self, frame, year: int | None = None):
        import polars as pl

        return frame.filter(pl.col("year") == (year or self.year))

    def _wide(self, frame):
        """Agencies down, metrics across (one year's rows)."""
        import polars as pl

        if frame.height == 0:
            return pl.DataFrame({"agency": [], **{c: [] for c in COLUMNS}},
                                schema={"agency": pl.String, **{c: pl.Float64 for c in COLUMNS}})
        wide = frame.filter(pl.col("metric").is_in(COLUMNS)).pivot(
            on="metric", index="agency", values="value", aggregate_function="first")
        for c in COLUMNS:
            if c not in wide.columns:
                wide = wide.with_columns(pl.lit(None, pl.Float64).alias(c))
        return wide.select("agency", *COLUMNS)

    def totals(self):
        """The region's totals per metric and year over the agencies compared (``metrics.regional``)."""
        return self._totals

    @cached_property
    def _totals(self):
        import polars as pl

        return M.regional(self.metrics(), self._in_region, self.level).filter(pl.col("region_code") == self.region)

    def _total(self, code: str, year: int | None = None):
        import polars as pl

        t = self.totals().filter((pl.col("metric") == code) & (pl.col("year") == (year or self.year)))
        return t.row(0, named=True) if t.height else None

    @cached_property
    def _own_row(self) -> dict | None:
        """The region's own government's report this year, when the region has one: its name and numbers."""
        import polars as pl

        rows = self._year(self.metrics()).filter(pl.col("report_id").is_in(list(self._own)))
        if rows.height == 0:
            return None
        values = dict(zip(rows["metric"].to_list(), rows["value"].to_list()))
        return {"agency": rows["agency"][0], "report_id": rows["report_id"][0], "covering": rows["covering"][0],
                "values": values}

    @cached_property
    def _agencies(self) -> dict[str, list[int]]:
        """Every agency compared in the region (any year), with the years it has reports for."""
        import polars as pl

        years = self._compared.group_by("agency").agg(pl.col("year").unique().sort())
        return {a: list(y) for a, y in years.sort("agency").iter_rows()}

    def _median(self, code: str, year: int | None = None) -> float | None:
        import polars as pl

        v = self._year(self._compared, year).filter(pl.col("metric") == code)["value"].drop_nulls()
        return float(v.median()) if v.len() else None

    def _disagreements(self, code: str = "new_requests", year: int | None = None) -> dict[str, tuple[float, float]]:
        """Agencies (brief names) whose printed total of ``code`` is not the sum of their applicant columns."""
        d = M.total_disagreements(self._year(self.metrics(), year), code)
        return {a: (p, s) for a, p, s in d.select("agency", "printed", "summed").iter_rows()}

    # --- sections -----------------------------------------------------------------------------------------------
    def title(self) -> HTML:
        name = html.escape(self.display_name)
        text = self._(f"{name} · {self.year}年政府信息公开工作年度报告分析",
                      f"{name} · government information disclosure in {self.year}")
        return HTML(f"<style>{STYLE}</style><h1>{text}</h1>")

    def headline_figures(self) -> dict:
        """The numbers the headline sentences state (for the index page and for tests): the region's own report's
        where it has one this year (``basis`` "own"), otherwise the sum of its agencies' reports ("sum")."""
        this = self.region_reports()
        agencies = self._year(self._compared)["agency"].n_unique()
        own = self._own_row

        def total(code, year=None):
            row = self._total(code, year)
            return None if row is None or row["value"] is None else row["value"]

        codes = ("new_requests", "handled", "grant_rate", "full_grant_rate", "reviews", "lawsuits")
        if own:
            values = {c: own["values"].get(c) for c in codes}
            before = self._year(self.metrics(), self.year - 1)
            prev = before.filter(before["report_id"].is_in(list(self._own)) & (before["metric"] == "new_requests"))
            values["new_requests_previous"] = prev["value"][0] if prev.height else None
        else:
            values = {c: total(c) for c in codes}
            now = set(self._year(self._compared)["agency"])
            then = set(self._year(self._compared, self.year - 1)["agency"])
            values["new_requests_previous"] = total("new_requests", self.year - 1) if now == then else None
        return {"reports": this.height, "agencies": this["agency"].n_unique(),
                "agencies_compared": agencies, "basis": "own" if own else "sum", **values}

    def headline(self) -> HTML:
        """The headline in sentences: how many reports; the region's own figures and its agencies' sum, never added
        together; which count of new requests is used, and the reports whose total disagrees with its parts; why a
        rate is missing."""
        f = self.headline_figures()
        n_reports, n_agencies = f["reports"], f["agencies"]
        name = html.escape(self.display_name)
        missing = [a for a, y in self._agencies.items() if a not in set(self._year(self._compared)["agency"])]
        if self.lang == "zh":
            first = f"{self.year}年，{name}有{n_agencies}个机关的{n_reports}份年度报告纳入分析"
            if missing:
                first += f"；另有{len(missing)}个机关在数据中没有{self.year}年的报告（{html.escape(listing(missing))}）"
            first += "。"
        else:
            first = (f"In {self.year}, {plural(n_reports, 'annual report')} from {plural(n_agencies, 'agency')} of "
                     f"{name} {'is' if n_reports == 1 else 'are'} covered")
            if missing:
                first += (f"; {plural(len(missing), 'more agency')} of the region "
                          f"{'has' if len(missing) == 1 else 'have'} no {self.year} report in the data "
                          f"({html.escape(listing(missing, 'en'))})")
            first += "."
        paragraphs = [first, *self._headline_figures_sentences(f), self._variant_sentence()]
        return HTML(self._cards(f) + "".join(f"<p>{t}</p>" for t in paragraphs if t))

    def _cards(self, f: dict) -> str:
        """The headline's numbers as large figures, each with what it counts beneath."""
        own = self._own_row
        n = f["agencies_compared"]
        if own:
            source = self._(f"{own['agency']}的报告", f"{own['agency']}'s report")
        elif n == 1:
            source = self._year(self._compared)["agency"][0]
        else:
            source = self._(f"{n}个机关合计", f"{plural(n, 'agency')} together")
        cards = [(number(f["new_requests"]), self._("新收申请", "new requests"), source),
                 (percent(f["grant_rate"]), self._("公开率", "grant rate"), source),
                 (number(f["reviews"]), self._("行政复议", "administrative reviews"), source),
                 (number(f["lawsuits"]), self._("行政诉讼", "lawsuits"), source)]
        if own and own["covering"] and n:
            total = self._total("new_requests")
            cards.insert(1, (number(None if total is None else total["value"]), self._("新收申请", "new requests"),
                             self._(f"其余{n}个机关合计", f"the other {plural(n, 'agency')} together")))
        return "<div class='govlib-figures'>" + "".join(
            f"<div><span class='v'>{v}</span><span>{html.escape(label)}</span><small>{html.escape(under)}</small></div>"
            for v, label, under in cards) + "</div>"

    def _requests_sentence(self, who: str, v: dict, prev: float | None, whole_word: str = "") -> str:
        """"<who>新收…件（上年…），办理…件，公开率…" — or that the tables give no such number."""
        if v.get("new_requests") is None:
            return self._(f"{who}的申请数据未以数字填报，无法给出申请量和公开率。",
                          f"{who} gives no number of requests, so no request volume or grant rate.")
        zh = self.lang == "zh"
        rates = [(phrase_zh if zh else phrase_en).format(percent(v[key]))
                 for key, phrase_zh, phrase_en in _RATE_PHRASES if v.get(key) is not None]
        if zh:
            s = (f"{who}{whole_word}新收政府信息公开申请{number(v['new_requests'])}件"
                 f"{change_phrase(v['new_requests'], prev)}，办理{number(v.get('handled'))}件")
            return s + ("，" + "，".join(rates) if rates else "") + "。"
        s = (f"{who} received {plural(v['new_requests'], 'new information request')}"
             f"{change_phrase(v['new_requests'], prev, 'en')} and handled {number(v.get('handled'))}")
        return s + ("; " + ", ".join(rates) if rates else "") + "."

    def _headline_figures_sentences(self, f: dict) -> list[str]:
        out = []
        own = self._own_row
        compared = self._year(self._compared)
        others = compared["agency"].unique().to_list()
        if own:
            who = html.escape(own["agency"])
            out.append(self._requests_sentence(
                self._(f"{who}的年度报告列出", f"{who}'s own report states that the region as a whole"), f,
                f["new_requests_previous"], self._(self.whole, "")))
            out.append(self._missing_rates([own["report_id"]], f))
            if own["covering"] and others:
                out.append(self._sum_sentence(compared, own=who))
            out.append(self._cases_sentence(f))
        else:
            if len(others) == 1:
                who = html.escape(others[0])
                out.append(self._requests_sentence(self._(f"{who}的报告列出", who), f, f["new_requests_previous"]))
                out.append(self._missing_rates(compared["report_id"].unique().to_list(), f))
            else:
                out.append(self._sum_sentence(compared, own=None, f=f))
            out.append(self._cases_sentence(f))
        return [s for s in out if s]

    def _sum_sentence(self, compared, own: str | None, f: dict | None = None) -> str:
        """The agencies' reports added up (never with a report they sit inside), with their median."""
        n = compared["agency"].n_unique()
        total = self._total("new_requests")
        value = None if total is None else total["value"]
        median = self._median("new_requests")
        partial = total is not None and total["reports_with_data"] < total["counted"]
        if self.lang == "zh":
            lead = "其余" if own else ""
            s = f"{lead}{n}个机关的报告合计新收政府信息公开申请{number(value)}件"
            if partial:
                s += f"（{total['counted']}份报告中有{total['reports_with_data']}份给出了数字）"
            rate = self._total("grant_rate")
            rate_partial = rate is not None and 0 < rate["reports_with_data"] < rate["counted"]
            if f is not None:
                s += f"{change_phrase(value, f['new_requests_previous'])}，办理{number(f['handled'])}件"
                if f["grant_rate"] is not None:
                    s += f"，合计公开率为{percent(f['grant_rate'])}"
                    if rate_partial:
                        s += f"（按{rate['counted']}份报告中数字完整的{rate['reports_with_data']}份计算）"
            s += f"；各机关新收申请的中位数为{number(median)}件。"
            if own:
                s += f"{own}报告的数字可能已包含这些机关，故两者不相加。"
            return s
        lead = "the other " if own else "the "
        s = f"Together, {lead}{possessive(plural(n, 'agency'))} reports list {plural(value, 'new request')}"
        if partial:
            s += f" ({total['reports_with_data']} of {plural(total['counted'], 'report')} give a number)"
        rate = self._total("grant_rate")
        if f is not None:
            s += f"{change_phrase(value, f['new_requests_previous'], 'en')} and {number(f['handled'])} handled"
            if f["grant_rate"] is not None:
                s += f", a combined grant rate of {percent(f['grant_rate'])}"
                if rate is not None and 0 < rate["reports_with_data"] < rate["counted"]:
                    s += (f" (from the {rate['reports_with_data']} of {plural(rate['counted'], 'report')} that give "
                          "every number it needs)")
        s += f"; the median agency received {number(median)}."
        if own:
            s += f" {own}'s own report may include these agencies' requests, so the two are not added up."
        return s[0].upper() + s[1:]

    def _cases_sentence(self, f: dict) -> str:
        if f["reviews"] is None and f["lawsuits"] is None:
            return self._("行政复议和行政诉讼：报告没有给出数字。", "Administrative reviews and lawsuits: no number given.")
        if self.lang == "zh":
            return f"行政复议{number(f['reviews'])}件，行政诉讼{number(f['lawsuits'])}件。"
        return f"Administrative reviews: {number(f['reviews'])}; lawsuits: {number(f['lawsuits'])}."

    def _missing_rates(self, report_ids: list[str], f: dict) -> str:
        """Where a figure the headline gives is missing beside one that is there, why: the cell that holds no
        number (a blank 部分公开 cell leaves the grant rate out, not the full-grant rate)."""
        reasons: dict[str, list[str]] = {}  # reason → the figures it leaves out
        for code in ("grant_rate", "full_grant_rate", "handled"):
            if f.get(code) is not None or f.get("new_requests") is None:
                continue
            m = M.metric(code)
            cells = M.missing_cells(self.tables, report_ids, code)
            if cells.height:
                reason = missing_cell(self.names.get(cells["agency"][0], cells["agency"][0]), cells["row"][0],
                                      cells["column"][0], cells["state"][0], self.lang)
            elif m.is_rate and f.get("handled") == 0:
                reason = self._("没有办理申请，分母为0", "no request was handled, so it would divide by 0")
            else:
                continue
            reasons.setdefault(reason, []).append(m.zh if self.lang == "zh" else m.en.lower())
        return " ".join(self._(f"{listing(names)}无法计算：{html.escape(reason)}。",
                               f"No {listing(names, 'en')}: {html.escape(reason)}.")
                        for reason, names in reasons.items())

    def _variant_sentence(self) -> str:
        """Which count of new requests the brief uses, and the reports whose printed total is not the sum of their
        applicant columns (both counts given)."""
        off = self._disagreements()
        if not off:
            return ""
        m = M.metric("new_requests")
        items = [f"{html.escape(a)}（所印总计{number(p)}件，各类申请人之和{number(s)}件）" if self.lang == "zh" else
                 f"{html.escape(a)} (printed total {number(p)}, applicant columns {number(s)})"
                 for a, (p, s) in off.items()]
        if self.lang == "zh":
            return (f"新收申请按各报告的{m.basis_name()}计算（另一口径是{M.SUMMED[0]}）；{len(off)}份报告的总计与"
                    f"各类申请人之和不符：{listing(items)}，下表以⚠标出。")
        return (f"New requests are counted as each report's {m.basis_name('en')} (the other count being the "
                f"{M.SUMMED[1]}); "
                f"{plural(len(off), 'report')} {'prints' if len(off) == 1 else 'print'} a total that is not the sum "
                f"of the applicant columns: "
                f"{listing(items, 'en')}, flagged ⚠ below.")

    # --- the agencies, ranked -----------------------------------------------------------------------------------
    def ranking(self):
        """The region's agencies this year, ranked by new requests (printed totals); a government's report that the
        others sit inside is left out (``headline`` gives it)."""
        return self._wide(self._year(self._compared)).sort(["new_requests", "agency"], descending=[True, False],
                                                              nulls_last=True)

    def ranking_table(self) -> HTML:
        """The agencies ranked on each headline metric, with the region's total and median beneath; the agencies
        without a report this year listed after them; a printed total that disagrees with its applicant columns
        marked, the sum beside it."""
        frame = self.ranking()
        if frame.height < 2 and not self._missing_this_year():
            who = html.escape(frame["agency"][0]) if frame.height else ""
            return _p(self._(f"本地区只有一个机关（{who}）有报告，不作排名；它的数字见上文。",
                             f"Only one agency of the region ({who}) has a report, so there is no ranking; its "
                             f"figures are given above."))
        off = {code: self._disagreements(code) for code in M.SUMMED_VARIANT}
        heads = ["#", C.word("agency", self.lang)] + [M.metric(c).name(self.lang) for c in COLUMNS]
        rows = []
        own = self._own_row
        if own and own["covering"]:
            rows.append(self._row("", html.escape(own["agency"]) + self._(
                " <small>本级报告，可能包含下列机关</small>", " <small>its own report, which may include those "
                                                          "below</small>"), own["values"], "own"))
        for k, r in enumerate(frame.iter_rows(named=True), 1):
            rows.append(self._row(str(k), html.escape(r["agency"]), r, "",
                                  {code: off[code][r["agency"]] for code in off if r["agency"] in off[code]}))
        for agency, years in self._missing_this_year().items():
            note = self._(f" <small>无{self.year}年报告（有{year_span(years)}年的）</small>",
                          f" <small>no {self.year} report (has {year_span(years, 'en')})</small>")
            rows.append(self._row("", html.escape(agency) + note, {}, "absent"))
        n = frame.height
        totals = {c: (self._total(c) or {}).get("value") for c in COLUMNS}
        rows.append(self._row("", self._(f"合计（{n}个机关）", f"Total ({plural(n, 'agency')})"), totals, "total"))
        rows.append(self._row("", self._("中位数", "Median"), {c: self._median(c) for c in COLUMNS}, "median"))
        head = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in heads) + "</tr>"
        notes = [self._("按本年新收申请（报告所印总计）排序。合计行的比率由各机关的分子、分母相加求得，不是比率的平均。",
                        "Ranked by new requests (each report's printed total). The total row's rates divide the "
                        "summed numerators by the summed denominators; they are not averages of rates.")]
        if any(off.values()):
            notes.append(self._("⚠ 报告所印总计与各类申请人之和不符（恒等式I2），⚠后为各类申请人之和。",
                                "⚠ The printed total disagrees with the sum of the applicant columns (identity I2); "
                                "the sum follows the ⚠."))
        return HTML(f"<table class='govlib ranking'>{head}{''.join(rows)}</table>"
                    f"<p class='note'>{' '.join(notes)}</p>")

    def _row(self, rank: str, label: str, values: dict, kind: str, flags: dict | None = None) -> str:
        cells = [rank, label]
        for code in COLUMNS:
            v = values.get(code)
            text = percent(v) if M.metric(code).is_rate else number(v)
            flag = (flags or {}).get(code)
            if flag:
                title = self._(f"报告所印总计{number(flag[0])}，各类申请人之和{number(flag[1])}",
                               f"printed total {number(flag[0])}, applicant columns {number(flag[1])}")
                text += f" <span class='flag' title='{html.escape(title)}'>⚠ {number(flag[1])}</span>"
            cells.append(text)
        return f"<tr class='{kind}'>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"

    def _missing_this_year(self) -> dict[str, list[int]]:
        here = set(self._year(self._compared)["agency"])
        return {a: y for a, y in self._agencies.items() if a not in here}

    def ranking_chart(self):
        """The agencies ranked by new requests, the median marked, disagreeing totals shown beside their sums."""
        import polars as pl

        off = self._disagreements()
        frame = self._wide(self._year(self._compared)).select(
            "agency", pl.col("new_requests").alias("value"),
            pl.col("agency").replace_strict({a: s for a, (_, s) in off.items()}, default=None,
                                            return_dtype=pl.Float64).alias("summed"))
        chart = C.ranking(frame, "new_requests", self.lang, self._median("new_requests"))
        return HTML("") if chart is None else chart  # the table says why there is no ranking

    def arithmetic(self) -> HTML:
        """The agencies whose reports break their own arithmetic this year, with the rules they break."""
        import polars as pl

        found = self.findings().filter(pl.col("rule").is_in(ARITHMETIC))
        if found.height == 0:
            return _p(self._("本年度各报告的表格数字都符合表格自身的恒等式。",
                             "Every report of this year adds up: no table breaks its own identities."))
        per = found.group_by("agency", "rule").len().sort("agency", "rule")
        items = []
        for agency in per["agency"].unique(maintain_order=True).to_list():
            rules = per.filter(pl.col("agency") == agency)
            parts = [f"{r}{'' if n == 1 else ' ×' + str(n)}" for r, n in rules.select("rule", "len").iter_rows()]
            items.append(f"{html.escape(agency)}（{'、'.join(parts)}）" if self.lang == "zh" else
                         f"{html.escape(agency)} ({', '.join(parts)})")
        k = len(items)
        return _p(self._(f"{k}个机关的{self.year}年报告数字自相矛盾（违反表格恒等式）：{listing(items, most=20)}。"
                         "这些数字照报告所印使用，没有改动；详见文末“数据质量”。",
                         f"{possessive(plural(k, 'agency'))} {self.year} "
                         f"{'report breaks its' if k == 1 else 'reports break their'} own arithmetic: "
                         f"{listing(items, 'en', most=20)}. Their numbers are used as printed, never corrected; "
                         f"see “Data quality” at the end."))

    # --- requests -----------------------------------------------------------------------------------------------
    def _ids(self, frame=None) -> list[str]:
        return self._year(self._compared if frame is None else frame)["report_id"].unique().to_list()

    def _named(self, frame):
        import polars as pl

        return frame.filter(pl.col("report_id").is_in(self._ids())).with_columns(
            agency=pl.col("agency").replace(self.names))

    def requests_chart(self):
        """Each agency's requests handled beside how they ended."""
        import polars as pl

        handled = self._with_sums(self._year(self._compared), "handled").filter(
            pl.col("metric") == "handled").select("agency", "value", "summed")
        chart = C.requests(handled, self._named(C.outcome_counts(self.tables)), self.lang)
        return chart if chart is not None else _p(self._(
            "本年度各机关的报告都没有办理申请（或没有给出数字），不画办理结果图。",
            "No agency's report gives a request handled this year, so there is no chart of outcomes."))

    def outcomes_chart(self):
        return self.requests_chart()

    def reasons_chart(self):
        chart = C.reasons(self._named(C.reason_counts(self.tables)), self.lang)
        return chart if chart is not None else _p(self._(
            "本年度没有申请被不予公开、无法提供或不予处理，不画理由图。",
            "No request was withheld, not provided or not processed this year, so there is no chart of reasons."))

    def mix_chart(self):
        chart = C.applicant_mix(self._named(C.applicant_counts(self.tables)), self.lang)
        return chart if chart is not None else _p(self._(
            "本年度各报告的申请人各栏都没有数字大于0，不画申请人构成图。",
            "No applicant column of this year's reports is above 0, so there is no chart of who asked."))

    # --- over the years -----------------------------------------------------------------------------------------
    def _years(self) -> list[int]:
        return sorted(self._compared.filter(self._compared["value"].is_not_null())["year"].unique().to_list())

    def _order(self, code: str) -> list[str]:
        """Agencies by this year's ``code``, largest first, then the others by name: the rows of the heat maps."""
        import polars as pl

        now = self._year(self._compared).filter(pl.col("metric") == code).sort(
            ["value", "agency"], descending=[True, False], nulls_last=True)["agency"].to_list()
        return now + [a for a in self._agencies if a not in now]

    def _with_sums(self, frame, code: str):
        """``frame`` (metrics rows) with ``summed``: the sum of the applicant columns where a report's printed
        total of ``code`` disagrees with it (null elsewhere, and for metrics without such a variant)."""
        import polars as pl

        if code not in M.SUMMED_VARIANT:
            return frame.with_columns(summed=pl.lit(None, pl.Float64))
        off = M.total_disagreements(frame, code).select("report_id", "summed", pl.lit(code).alias("metric"))
        return frame.join(off, on=["report_id", "metric"], how="left")

    def trend_chart(self, metric: str = "new_requests"):
        """The metric over the years: agencies × years as a heat map (one agency: a line)."""
        chart = C.trend(self._with_sums(self._compared, metric), metric, self.lang, self._order(metric))
        if chart is not None:
            return chart
        m = M.metric(metric)
        return _p(self._(f"本地区只有{self.year}年的数字，不画{m.zh}的逐年变化图。",
                         f"The region has {m.en.lower()} for {self.year} only, so there is no chart over the years."))

    def change_chart(self, metric: str = "new_requests"):
        """The largest changes from the previous year, and a sentence naming them."""
        import polars as pl

        yoy = M.year_over_year(self._compared)
        if metric in M.SUMMED_VARIANT:  # a total that disagrees with its applicant columns, this year or last
            off = M.total_disagreements(self._compared, metric)
            flagged = off.select("agency", "year").vstack(off.select("agency", pl.col("year") + 1)).unique()
            yoy = yoy.join(flagged.with_columns(flag=pl.lit(True)), on=["agency", "year"], how="left")
        chart = C.change(yoy, metric, self.year, self.lang)
        if chart is not None:
            return chart
        both = self._year(yoy).filter((pl.col("metric") == metric) & pl.col("change").is_not_null()).height
        if both:
            return _p(self._(f"有{self.year - 1}年数字的{both}个机关与上年相比都没有变化，不画变化图。",
                             f"None of the {plural(both, 'agency')} with a number for {self.year - 1} changed, so "
                             f"there is no chart of changes."))
        return _p(self._(f"没有机关同时有{self.year - 1}年和{self.year}年的数字，不画与上年相比的变化图。",
                         f"No agency has numbers for both {self.year - 1} and {self.year}, so there is no chart "
                         f"of changes from the year before."))

    def changes(self, metric: str = "new_requests") -> HTML:
        """The largest rises and falls from last year, in a sentence; and the agencies left out for want of a
        previous report."""
        import polars as pl

        m = M.metric(metric)
        yoy = self._year(M.year_over_year(self._compared)).filter(pl.col("metric") == metric)
        moved = yoy.filter(pl.col("change").is_not_null() & (pl.col("change") != 0))
        same = yoy.filter(pl.col("change") == 0).height
        unknown = yoy.filter(pl.col("change").is_null())["agency"].unique().sort().to_list()
        if yoy.filter(pl.col("change").is_not_null()).height == 0:
            return HTML("")  # the chart's sentence says so

        def phrase(r):
            before, now = number(r["previous"]), number(r["value"])
            return (f"{html.escape(r['agency'])}（{before}→{now}件）" if self.lang == "zh" else
                    f"{html.escape(r['agency'])} ({before} → {now})")

        up = [phrase(r) for r in moved.filter(pl.col("change") > 0).sort("change", descending=True).head(3)
              .iter_rows(named=True)]
        down = [phrase(r) for r in moved.filter(pl.col("change") < 0).sort("change").head(3).iter_rows(named=True)]
        out = []
        if self.lang == "zh":
            if up:
                out.append(f"与{self.year - 1}年相比，{m.zh}增加最多的是{listing(up)}")
            if down:
                out.append(("；" if up else f"与{self.year - 1}年相比，") + f"减少最多的是{listing(down)}")
            s = "".join(out) + ("。" if out else "")
            if same:
                s += f"{same}个机关与上年持平。"
            if unknown:
                s += f"{len(unknown)}个机关没有上年的数字，不计变化（{html.escape(listing(unknown))}）。"
            return _p(s)
        if up:
            out.append(f"From {self.year - 1}, {m.en.lower()} rose most at {listing(up, 'en')}")
        if down:
            out.append(("; they fell most at " if up else f"From {self.year - 1}, {m.en.lower()} fell most at ")
                       + listing(down, "en"))
        s = "".join(out) + ("." if out else "")
        if same:
            s += f" {plural(same, 'agency')} stayed the same."
        if unknown:
            s += (f" {plural(len(unknown), 'agency')} without a number the year before "
                  f"{'is' if len(unknown) == 1 else 'are'} left out ({html.escape(listing(unknown, 'en'))}).")
        return _p(s.strip())

    # --- proactive disclosure, review and litigation ------------------------------------------------------------
    def volumes_chart(self):
        chart = C.volumes(self._compared, self.lang)
        return chart if chart is not None else _p(self._(
            "各报告都没有给出规范性文件、行政许可或行政处罚的数字，不画主动公开图。",
            "No report gives a number of normative documents, licensing or penalty decisions, so there is no "
            "chart of proactive disclosure."))

    def review_chart(self):
        chart = C.review(self._compared, self.lang)
        return chart if chart is not None else _p(self._(
            "各报告列出的行政复议和行政诉讼都为0或没有数字，不画复议和诉讼图。",
            "Every report lists no administrative review and no lawsuit (or no number), so there is no chart of "
            "them."))

    # --- data quality -------------------------------------------------------------------------------------------
    def findings(self):
        """This year's findings of the region's reports (the region's own report included), agencies by the brief's
        names."""
        import polars as pl

        reports = self.region_reports().select("report_id", "agency", "year", "file")
        return self.tables.findings.join(reports, on="report_id").with_columns(
            agency=pl.col("agency").replace(self.names)).select(
            "report_id", "agency", "file", "rule", "severity", "cells", "expected", "found", "message"
        ).sort("agency", "rule")

    def findings_table(self) -> HTML:
        """The findings grouped by report and rule, with a count each; every finding's text one click away."""
        import polars as pl

        frame = self.findings()
        if frame.height == 0:
            return _p(self._("本年度报告未发现数据质量问题。", "No data-quality findings in this year's reports."))
        groups = frame.group_by("report_id", "agency", "file", "rule", "severity", maintain_order=True).agg(
            pl.len().alias("n"), pl.struct("cells", "expected", "found", "message").alias("items"))
        per_report = groups.group_by("report_id", "agency", "file").agg(
            errors=pl.col("n").filter(pl.col("severity") == "error").sum(),
            warnings=pl.col("n").filter(pl.col("severity") != "error").sum()).sort(
            ["errors", "warnings", "agency"], descending=[True, True, False])
        rows = []
        for r in per_report.iter_rows(named=True):
            mine = groups.filter(pl.col("report_id") == r["report_id"]).sort(
                [pl.col("severity") != "error", "rule"])
            rules = []
            for g in mine.iter_rows(named=True):
                zh, en = RULES.get(g["rule"], (g["rule"], g["rule"]))
                items = "".join(f"<li>{self._detail(i, g['rule'])}</li>" for i in g["items"])
                rules.append(f"<details class='{html.escape(g['severity'])}'><summary><code>{html.escape(g['rule'])}</code>"
                             f" ×{g['n']} · {html.escape(self._(zh, en))}</summary><ul>{items}</ul></details>")
            file = html.escape(Path(r["file"]).name)
            rows.append(f"<tr><td>{html.escape(r['agency'])}<br><small>{file}</small></td>"
                        f"<td>{r['errors']}</td><td>{r['warnings']}</td><td>{''.join(rules)}</td></tr>")
        heads = self._("报告|错误|提示|按规则归并（点开看每一处）", "Report|Errors|Warnings|By rule (open for each finding)")
        head = "".join(f"<th>{html.escape(h)}</th>" for h in heads.split("|"))
        reports = frame["report_id"].n_unique()
        intro = self._(f"{reports}份报告共{frame.height}处问题，按报告和规则归并。“错误”是报告自身数字的矛盾（数字照印使用）；"
                       "“提示”说明某个数字如何读出，或为何留空。",
                       f"{plural(frame.height, 'finding')} in {plural(reports, 'report')}, grouped by report and "
                       "rule. An error is a report contradicting itself (its numbers are used as printed); a warning "
                       "says how a number was read, or why it was left empty.")
        return HTML(f"<p>{intro}</p><table class='govlib findings'><tr>{head}</tr>{''.join(rows)}</table>")

    def _detail(self, item: dict, rule: str) -> str:
        """One finding as HTML, in the brief's language: in Chinese what its cells and numbers say, and beneath it
        the parser's message where that says more (an identity that breaks says it all in numbers); else the
        parser's message."""
        message = html.escape(item["message"])
        said = finding_detail(rule, item["cells"], item["expected"], item["found"]) if self.lang == "zh" else None
        if not said:
            return message
        return html.escape(said) if rule in ARITHMETIC else f"{html.escape(said)}<small>{message}</small>"


_ROW_AND_COLUMN = {"applications": ("application", "applicant"), "proactive": ("proactive_item", "proactive_measure"),
                   "review_litigation": ("review_litigation", None)}


def cell_names(cells: str) -> list[tuple[str, str, str, str]] | None:
    """The cells of a finding (``cells`` as the findings table gives them) as (table, row, the Chinese label of the
    row, of the column: "" where a table has none), this year's only; None where one is not in the codebook."""
    from ..codebook import code
    from ..errors import UnknownCodeError

    out = []
    for key in filter(None, cells.split("; ")):
        where, _, column = key.partition("×")
        table, _, row = where.partition(".")
        if ":" in table:  # a cell of the report of another year (C1, C2)
            continue
        if table not in _ROW_AND_COLUMN:
            return None
        row_table, column_table = _ROW_AND_COLUMN[table]
        try:
            label = code(row_table, row)
            row_label = re.sub(r"（[^（）]*）$", "", label.leaf) if table == "applications" else label.variants[0]
            out.append((table, row, row_label, code(column_table, column).label_zh if column_table else ""))
        except UnknownCodeError:
            return None
    return out


def finding_detail(rule: str, cells: str, expected: float | None, found: float | None) -> str | None:
    """A finding in Chinese, from its cells and numbers: a broken identity in its numbers (``arithmetic_detail``),
    any other where it is and what it says ("“规范性文件”：有多种读法，读法不一致的单元格留空"); None where its cells
    or numbers do not say it (the parser's message, in English, then stands alone)."""
    if rule in ARITHMETIC:
        return arithmetic_detail(rule, cells, expected, found) if found is not None else None
    names = cell_names(cells)
    if not names:
        return None
    rows = "、".join(f"“{r}”" for r in dict.fromkeys(r for _, _, r, _ in names))
    _, _, first_row, first_column = names[0]
    column = f"{first_column}栏" if first_column else ""
    if rule == "ambiguous":
        return f"{rows}：有多种读法，读法不一致的单元格留空"
    if rule == "unreadable":
        return f"{rows}：无法确定读法，留空"
    if rule == "missing_row":
        return f"表格中没有{rows}这一行的数字"
    if rule == "layout":
        return f"{rows}：印法与模板的行列不一一对应，读法如下"
    if rule == "label":
        return f"读作模板的{rows}一行"
    if rule == "narrative" and expected is not None and found is not None:
        where = f"“{first_row}”{column}" if len(names) == 1 else f"{rows}中{len(names)}个单元格之和"
        return f"正文称{number(found)}，表格中{where}为{number(expected)}（正文所指的范围可能更广）"
    if rule == "C1" and expected is not None and found is not None:
        return f"{column}：本年报告的上年结转为{number(found)}，上年报告的结转下年为{number(expected)}"
    if rule == "C2" and expected is not None and found is not None:
        return (f"“{first_row}”现行有效件数印为{number(found)}，上年现行有效件数加本年制发、减本年废止得"
                f"{number(expected)}")
    return None


def arithmetic_detail(rule: str, cells: str, expected: float | None, found: float | None) -> str | None:
    """A broken identity in Chinese, from the finding's cells and numbers ("found" is the left side of the
    identity, "expected" the right): "“一、本年新收…”：总计印为0，各类申请人之和为1"."""
    names = cell_names(cells)
    if not names or names[0][0] not in ("applications", "review_litigation"):
        return None
    table, row, row_label, col_label = names[0]
    if table == "review_litigation":
        row_label = row_label.rsplit(" ", 1)[0]  # "行政复议 总计": the group
    if rule == "I1":
        return f"{col_label}栏：新收 + 上年结转 = {number(found)}，办理 + 结转下年 = {number(expected)}"
    if rule == "I2":
        return f"“{row_label}”：总计印为{number(found)}，各类申请人之和为{number(expected)}"
    if rule == "I3":
        return f"{col_label}栏：办理总计印为{number(found)}，各办理结果之和为{number(expected)}"
    if rule == "I4":
        return f"{row_label}：总计印为{number(found)}，各结果之和为{number(expected)}"
    if rule == "N" and expected is not None and row == "total_handled" and ";" in cells:
        return f"{col_label}栏：办理{number(found)}件，但收到和上年结转只有{number(expected)}件"
    if rule == "N" and found < 0:
        return f"“{row_label}”的{col_label}栏为负数：{number(found)}"
    return None
