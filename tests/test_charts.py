"""Chart builders draw only what the data can show: never an empty chart (a builder gives None, and the brief a
sentence), no legend of agency names, whole-number ticks for counts; legible at one agency, at 19 and at 60."""

import polars as pl
import pytest

from govlib import charts as C
from govlib import corpus
from govlib import metrics as M
from govlib.briefs.page import HTML, Brief

from .conftest import RAW

CHARTS = ("ranking_chart", "requests_chart", "reasons_chart", "mix_chart", "trend_chart", "change_chart",
          "volumes_chart", "review_chart")


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    corpus.parse_to([RAW], out, progress=False)
    return M.Tables.load(out)


def units(spec: dict):
    """Every single view of a spec (layers and concatenations opened), with the rows of data it draws."""
    datasets = spec.get("datasets", {})

    def walk(node, data):
        data = node.get("data", data)
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for child in node.get(key, []):
                yield from walk(child, data)
        if "mark" in node:
            rows = datasets.get(data["name"], []) if data and "name" in data else (data or {}).get("values", [])
            yield node, rows

    yield from walk(spec, None)


def fields(unit) -> list[str]:
    return [e["field"] for e in unit.get("encoding", {}).values()
            if isinstance(e, dict) and e.get("type") == "quantitative" and "field" in e]


def assert_drawn(chart):
    """Validated against the Vega-Lite schema, and every view draws at least one number."""
    spec = chart.to_dict()
    seen = list(units(spec))
    assert seen
    for unit, rows in seen:
        assert rows, unit.get("mark")
        quantities = [r.get(f) for r in rows for f in fields(unit)]
        assert any(q is not None for q in quantities) or not fields(unit), unit.get("mark")
    return spec


def legends_of_agencies(spec) -> list:
    return [e for unit, _ in units(spec) for channel, e in unit.get("encoding", {}).items()
            if channel == "color" and isinstance(e, dict) and e.get("field") == "agency"]


# --- one agency, one year ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("region,year,drawn", [
    # 紫帽镇 2020: no request at all; one licensing decision
    ("350582", 2020, {"volumes_chart"}),
    # 镇坪县 2020: eleven requests, every one granted; nothing withheld; no review table
    ("610927", 2020, {"requests_chart", "mix_chart", "volumes_chart"}),
])
def test_a_region_of_one_agency_and_one_year_gets_no_empty_chart(tables, region, year, drawn):
    brief = Brief(tables, region, year)
    made = {}
    for name in CHARTS:
        out = getattr(brief, name)()
        if isinstance(out, HTML):
            if name != "ranking_chart":  # (the ranking table says why there is no ranking)
                assert out.text.startswith("<p>") and out.text.endswith("。</p>"), (name, out.text)
            else:
                assert out.text == ""
        else:
            made[name] = assert_drawn(out)
    assert set(made) == drawn
    for spec in made.values():
        assert not legends_of_agencies(spec)


def test_a_single_year_has_no_trend_and_no_change_and_says_why(tables):
    brief = Brief(tables, "610927", 2020)
    assert "本地区只有2020年的数字，不画本年新收申请的逐年变化图。" in brief.trend_chart().text
    assert "没有机关同时有2019年和2020年的数字，不画与上年相比的变化图。" in brief.change_chart().text


@pytest.mark.parametrize("build", [
    lambda: C.ranking(pl.DataFrame({"agency": ["甲"], "value": [3.0]}), "new_requests"),
    lambda: C.trend(pl.DataFrame({"agency": ["甲", "乙"], "year": [2020, 2020], "metric": ["new_requests"] * 2,
                                  "value": [3.0, 1.0]}), "new_requests"),
    lambda: C.line(pl.DataFrame({"agency": ["甲"], "year": [2020], "value": [3.0]}), "new_requests"),
    lambda: C.heatmap(pl.DataFrame({"agency": ["甲"], "year": [2020], "value": [None]}, schema_overrides={
        "value": pl.Float64}), "new_requests"),
    lambda: C.change(pl.DataFrame({"agency": ["甲"], "year": [2020], "metric": ["new_requests"], "value": [3.0],
                                   "previous": [3.0], "change": [0.0]}), "new_requests", 2020),
    lambda: C.requests(pl.DataFrame({"agency": ["甲"], "value": [0.0]}),
                       pl.DataFrame({"agency": ["甲"], "outcome": ["granted"], "count": [0.0]})),
    lambda: C.applicant_mix(pl.DataFrame({"agency": ["甲"], "applicant": ["natural_person"], "count": [0.0]})),
    lambda: C.reasons(pl.DataFrame({"agency": ["甲"], "reason": ["unable_not_held"], "outcome": ["unable"],
                                    "count": [0.0]})),
    lambda: C.review(pl.DataFrame({"agency": ["甲", "甲"], "year": [2020, 2020], "metric": ["reviews", "lawsuits"],
                                   "value": [0.0, None]})),
    lambda: C.volumes(pl.DataFrame({"agency": ["甲"], "year": [2020], "metric": ["licensing_decisions"],
                                    "value": [None]}, schema_overrides={"value": pl.Float64})),
], ids=["ranking of one", "trend of one year", "line of one year", "heat map of no number", "change of none",
        "requests of none", "applicants of none", "reasons of none", "review of none", "proactive of no number"])
def test_a_chart_that_would_be_empty_is_not_made(build):
    assert build() is None


def test_counts_are_ticked_in_whole_numbers_and_the_axis_holds_every_bar():
    spec = C.ranking(pl.DataFrame({"agency": ["甲", "乙"], "value": [1.0, 0.0], "summed": [None, 3.0]}),
                     "new_requests").to_dict()
    bars = next(u for u, _ in units(spec) if u["mark"]["type"] == "bar")
    assert bars["encoding"]["x"]["axis"]["values"] == [0, 1, 2, 3]  # up to the applicants' sum of 3, not 0.5 steps
    assert bars["encoding"]["x"]["axis"]["format"] == ",d"


# --- nineteen and sixty agencies ---------------------------------------------------------------------------------------

def test_the_nineteen_agencies_of_pingtan_are_drawn_without_a_legend_of_their_names(tables):
    brief = Brief(tables, "350128", 2025)
    for name in CHARTS:
        chart = getattr(brief, name)()
        assert not isinstance(chart, HTML), name
        spec = assert_drawn(chart)
        assert not legends_of_agencies(spec), name
        names = {r["agency"] for _, rows in units(spec) for r in rows if "agency" in r}
        assert not any(n.startswith("平潭综合实验区") and n != "平潭综合实验区" for n in names), name  # 交通与建设局


def test_the_zones_own_report_is_not_drawn_among_its_agencies(tables):
    spec = Brief(tables, "350128", 2025).trend_chart().to_dict()
    rows = [r for _, rows in units(spec) for r in rows if "agency" in r]
    assert "平潭综合实验区" not in {r["agency"] for r in rows}
    assert {r["year"] for r in rows} == set(range(2019, 2026))


def test_the_template_change_is_marked_only_on_a_series_that_changes_meaning_where_both_years_are_drawn(tables):
    brief = Brief(tables, "350128", 2025)
    rules = lambda spec: [u for u, _ in units(spec) if u["mark"]["type"] == "rule"]  # noqa: E731
    assert not rules(brief.trend_chart("new_requests").to_dict())  # section 三 is comparable across 2021
    assert len(rules(brief.volumes_chart().to_dict())) == 1  # normative documents change meaning in 2021
    only_2021 = pl.DataFrame({"agency": ["甲", "乙"] * 2, "year": [2021, 2021, 2022, 2022],
                              "metric": ["normative_documents"] * 4, "value": [1.0, 2.0, 3.0, 4.0]})
    assert not rules(C.heatmap(only_2021, "normative_documents").to_dict())


def sixty(metric="new_requests"):
    return pl.DataFrame({"agency": [f"机关{i:02d}" for i in range(60)], "value": [float(i) for i in range(60)],
                         "metric": [metric] * 60, "year": [2025] * 60})


def test_sixty_agencies_are_ranked_as_the_nineteen_largest_and_one_bar_for_the_others():
    spec = assert_drawn(C.ranking(sixty().select("agency", "value"), "new_requests", median=29.5))
    unit, bars = next((u, rows) for u, rows in units(spec) if u["mark"]["type"] == "bar")
    assert len(bars) == C.TOP
    assert {r["agency"]: r["value"] for r in bars}["其他41个机关"] == sum(range(41))
    assert unit["encoding"]["y"]["sort"] == [f"机关{i:02d}" for i in range(59, 40, -1)] + ["其他41个机关"]


def test_sixty_agencies_over_the_years_are_a_heat_map_of_sixty_named_rows():
    frame = pl.concat([sixty(), sixty().with_columns(year=pl.lit(2024, pl.Int64))])
    spec = assert_drawn(C.trend(frame, "new_requests"))
    assert spec["height"] == {"step": C.ROW} and not legends_of_agencies(spec)
    assert len({r["agency"] for _, rows in units(spec) for r in rows}) == 60
