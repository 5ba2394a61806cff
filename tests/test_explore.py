"""The explorer's choices, table and exports, without a browser (tests/test_lab.py drives it in JupyterLab)."""

import zipfile

import pytest

from govlib import charts as C
from govlib import corpus
from govlib.explore import COLUMNS, Explorer

from .conftest import RAW, SAMPLE


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    corpus.parse_to(SAMPLE, out, progress=False)
    return out


@pytest.fixture
def explorer(processed, tmp_path):
    return Explorer(processed, export_dir=tmp_path / "exports")


def test_the_explorer_starts_on_every_region_new_requests_and_every_year(explorer):
    assert explorer.region.value == "" and explorer.region.options[0][0] == "全部地区 · All regions (12)"
    assert explorer.metric.value == "new_requests" and explorer.years.value == (2019, 2025)
    assert len(explorer.agencies.options) == 6 and len(explorer.agencies.value) == 6  # at most six chosen
    assert ("平潭综合实验区 · 福建省福州市平潭县 (7)", "平潭综合实验区") in explorer.agencies.options
    assert explorer.selection().height == 12  # one row per agency and year


def test_the_table_gives_agencies_down_and_years_across(explorer):
    table = explorer.table_html()
    assert "<th style='border-bottom:1px solid #ddd;padding:0.25em 0.7em;'>机关 Agency</th>" in table
    assert ">218</td>" in table and ">154</td>" in table  # 平潭综合实验区, 2024 and 2025
    assert table.count("<tr>") == 7


def test_rates_are_tabled_with_their_numerator_and_denominator(explorer):
    explorer.metric.value = "grant_rate"
    table = explorer.table_html()
    assert "48.0%<br>" in table and "71 / 148" in table  # 平潭综合实验区 2025
    assert "公开率 · Grant rate — " in table  # the metric's definition beside its name


def test_a_region_narrows_the_agencies_and_the_years(explorer):
    explorer.region.value = "350582"
    assert explorer.agencies.value == ("晋江市紫帽镇人民政府",) and explorer.years.value == (2020, 2020)
    explorer.region.value = ""
    assert len(explorer.agencies.value) == 6 and explorer.years.value == (2019, 2025)


def test_nothing_to_show_draws_no_chart_and_says_so(explorer):
    explorer.agencies.value = ()
    assert explorer.chart_view.chart is None
    assert "nothing to show for this selection" in explorer.table_view.value


def test_the_comparison_draws_bars_side_by_side_and_lines_over_the_years(explorer):
    spec = explorer.chart().to_dict()  # validated against the Vega-Lite schema
    bars, lines = spec["hconcat"]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["xOffset"]["field"] == "agency"
    assert lines["mark"] == {"type": "line", "point": True} and lines["encoding"]["x"]["field"] == "year"
    assert spec["title"] == {"text": "本年新收申请"}
    explorer.metric.value, explorer.lang.value = "normative_documents", "en"
    spec = explorer.chart().to_dict()
    assert spec["title"]["subtitle"] == "Template change in 2021: section 二 series not comparable"


def test_the_export_writes_the_selection_to_csv_and_excel_with_bilingual_headers(explorer, tmp_path):
    explorer.region.value = "350128"
    csv, xlsx = explorer.export()
    assert (csv.name, xlsx.name) == ("govlib_new_requests_350128_2019-2025.csv", "govlib_new_requests_350128_2019-2025.xlsx")
    text = csv.read_bytes()
    assert text.startswith("\ufeff".encode())  # Excel opens it with the Chinese intact
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(COLUMNS.values())
    assert lines[-1] == "平潭综合实验区,福建省福州市平潭县,2025,本年新收申请 · New requests,154,154,,,2021"
    with zipfile.ZipFile(xlsx) as book:
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
        assert "机关 Agency" in strings and "平潭综合实验区" in strings
        assert 'name="new_requests"' in book.read("xl/workbook.xml").decode("utf-8")
    assert str(csv.resolve()) in explorer.export_message.value and "download=" in explorer.export_message.value


def test_outside_a_kernel_a_chart_is_only_the_page_placeholder():
    spec = {"mark": "bar", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    bundle = C._embed_renderer(spec)
    assert set(bundle) == {"text/html", "text/plain"} and 'class="govlib-spec"' in bundle["text/html"]


def test_a_count_printed_as_a_fraction_is_never_rounded(explorer):
    import polars as pl

    odd = (pl.col("agency") == "镇坪县") & (pl.col("metric") == "new_requests")
    explorer.metrics = explorer.metrics.with_columns(value=pl.when(odd).then(11.5).otherwise(pl.col("value")))
    explorer.redraw()
    assert ">11.5</td>" in explorer.table_view.value
    assert 11.5 in explorer.table()["数值 Value"].to_list()


# --- the nineteen agencies of 平潭综合实验区 ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    out = tmp_path_factory.mktemp("all")
    corpus.parse_to([RAW], out, progress=False)
    return out


def test_within_a_region_agencies_are_named_without_its_own_names(everything, tmp_path):
    explorer = Explorer(everything, export_dir=tmp_path)
    explorer.region.value = "350128"
    labels = dict((v, k) for k, v in explorer.agencies.options)
    # the zone's own report and its 18 agencies (and, while the parser reads sppq-2020's covering letter's title as
    # the agency, 苏平片区管理局关于报送)
    assert len(labels) >= 19 and {"平潭综合实验区管委会办公室", "平潭综合实验区苏平片区管理局"} <= set(labels)
    assert labels["平潭综合实验区交通与建设局"] == "交通与建设局 (6)"
    assert labels["平潭综合实验区"].startswith("平潭综合实验区 (7) · 本级报告，可能包含其他机关")
    explorer.agencies.value = ("平潭综合实验区交通与建设局", "平潭综合实验区农业农村局")
    assert ">交通与建设局</td>" in explorer.table_html()
    assert explorer.table()["机关 Agency"].to_list()[0] == "平潭综合实验区交通与建设局"  # exported whole


def test_a_printed_total_that_disagrees_with_its_applicants_is_never_shown_bare(everything, tmp_path):
    explorer = Explorer(everything, export_dir=tmp_path)
    explorer.region.value = "350128"
    explorer.agencies.value = ("平潭综合实验区农业农村局",)
    table = explorer.table_html()
    assert "0 <span style='color:#c0392b' title='各类申请人之和 · sum of applicant columns'>⚠ 1</span>" in table
    assert "⚠ 7</span>" in table and "⚠ 3</span>" in table  # 2023, 2024
    spec = explorer.chart().to_dict()
    diamonds = [u for u in spec["hconcat"][1]["layer"] if u["mark"].get("shape") == "diamond"]
    assert len(diamonds) == 1
    exported = explorer.table()
    assert exported.filter(exported["年度 Year"] == 2025).row(0, named=True)[COLUMNS["summed"]] == 1
    explorer.metric.value = "new_requests_applicants"  # the other count, as a metric of its own
    assert explorer.selection().filter(explorer.selection()["year"] == 2025)["value"].to_list() == [1]
