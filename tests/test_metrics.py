"""Metric definitions: exact numerators and denominators, null rather than 0, sums rather than averages."""

import polars as pl
import pytest

from govlib import metrics as M
from govlib import parse_corpus

from .conftest import AGENCIES, RAW, SAMPLE


@pytest.fixture(scope="module")
def tables():
    return M.Tables.of(parse_corpus(SAMPLE, progress=False))


@pytest.fixture(scope="module")
def computed(tables):
    return M.compute(tables)


def _value(computed, agency, year, code):
    row = computed.filter((pl.col("agency") == agency) & (pl.col("year") == year) & (pl.col("metric") == code))
    return row.row(0, named=True)


def test_every_metric_has_names_in_both_languages():
    for m in M.METRICS.values():
        assert m.zh and m.en and m.numerator
        assert m.variant_of is None or m.variant_of in M.METRICS


def test_rates_are_the_stated_fractions(computed):
    r = _value(computed, "平潭综合实验区", 2025, "grant_rate")
    assert (r["numerator"], r["denominator"]) == (33 + 38, 148)
    assert r["value"] == pytest.approx(71 / 148)
    r = _value(computed, "平潭综合实验区", 2025, "grant_rate_decided")
    assert r["denominator"] == 33 + 38 + (3 + 2 + 3 + 3) + (50 + 3)
    r = _value(computed, "平潭综合实验区", 2025, "review_correction_rate")
    assert (r["numerator"], r["denominator"]) == (3, 25 + 3 + 8)  # pending excluded
    assert _value(computed, "平潭综合实验区", 2025, "lawsuits")["value"] == 6 + 3


def test_a_zero_denominator_is_null_not_zero(computed):
    r = _value(computed, "平潭综合实验区", 2019, "review_correction_rate")
    assert (r["denominator"], r["value"]) == (0, None)


def test_a_blank_cell_makes_the_metric_null_not_smaller(computed):
    r = _value(computed, "镇坪县", 2020, "grant_rate")  # 部分公开 printed blank
    assert r["value"] is None
    assert _value(computed, "镇坪县", 2020, "new_requests")["value"] == 11


def test_region_totals_sum_counts_and_never_average_rates(tables):
    # every report an agency of one made-up county (none of them its government, whose report would cover the rest)
    reports = tables.reports.with_columns(county_code=pl.lit("000000"), province_code=pl.lit("000000"),
                                          county=pl.lit("x"), province=pl.lit("x"), prefecture=pl.lit(None),
                                          township_code=pl.lit(None), admin_level=pl.lit("department-of-county"))
    metrics = M.compute(M.Tables(reports, tables.applications, tables.proactive, tables.review_litigation,
                                 tables.findings))
    total = M.regional(metrics, reports).filter((pl.col("metric") == "grant_rate") & (pl.col("year") == 2020))
    # 2020: Pingtan 13/21, 博爱县柏山镇 0/1, 紫帽镇 0/0, 镇坪县 unknown → (13+0+0)/(21+1+0), not a mean of rates
    row = total.row(0, named=True)
    assert (row["numerator"], row["denominator"], row["reports"], row["reports_with_data"]) == (13, 22, 4, 3)
    assert row["value"] == pytest.approx(13 / 22)


def test_year_over_year_is_not_joined_across_the_template_change_where_the_series_changes_meaning(computed):
    yoy = M.year_over_year(computed)
    row = yoy.filter((pl.col("agency") == "平潭综合实验区") & (pl.col("year") == 2021)
                     & (pl.col("metric") == "new_requests")).row(0, named=True)
    assert (row["previous"], row["change"], row["template_break"], row["break"]) == (21, 49, True, False)
    row = yoy.filter((pl.col("agency") == "平潭综合实验区") & (pl.col("year") == 2021)
                     & (pl.col("metric") == "normative_documents")).row(0, named=True)
    assert (row["break"], row["previous"], row["change"]) == (True, None, None)
    row = yoy.filter((pl.col("agency") == "平潭综合实验区") & (pl.col("year") == 2025)
                     & (pl.col("metric") == "new_requests")).row(0, named=True)
    assert row["relative_change"] == pytest.approx((154 - 218) / 218)


def test_unknown_metric_names_the_choices():
    with pytest.raises(KeyError, match="unknown metric 'grants'; choose one of new_requests"):
        M.metric("grants")


# --- the real region: nineteen agencies of 平潭综合实验区 -------------------------------------------------------------

@pytest.fixture(scope="module")
def region():
    tables = M.Tables.of(parse_corpus(SAMPLE + [AGENCIES], progress=False))
    return tables, M.compute(tables)


def test_printed_totals_and_applicant_sums_are_named_variants_in_both_languages():
    assert [m.code for m in M.variants("new_requests")] == ["new_requests", "new_requests_applicants"]
    assert [m.code for m in M.variants("handled_applicants")] == ["handled", "handled_applicants"]
    for code in ("new_requests", "handled"):
        printed, summed = M.variants(code)
        assert (printed.basis, summed.basis) == (("所印总计", "printed total"),
                                                ("各类申请人之和", "sum of applicant columns"))
        assert summed.zh.endswith("（各类申请人之和）") and summed.en.endswith("(sum of applicant columns)")


def test_a_printed_total_of_0_beside_a_natural_person_is_told_apart_from_the_sum_of_the_applicants(region):
    _, computed = region
    assert _value(computed, "平潭综合实验区农业农村局", 2025, "new_requests")["value"] == 0
    assert _value(computed, "平潭综合实验区农业农村局", 2025, "new_requests_applicants")["value"] == 1
    off = M.total_disagreements(computed).sort("agency", "year")
    assert off.select("agency", "year", "printed", "summed").rows() == [
        ("平潭综合实验区农业农村局", 2023, 0.0, 7.0), ("平潭综合实验区农业农村局", 2024, 0.0, 3.0),
        ("平潭综合实验区农业农村局", 2025, 0.0, 1.0), ("平潭综合实验区旅游与文化体育局", 2025, 0.0, 1.0),
        ("平潭综合实验区海坛片区管理局", 2024, 0.0, 6.0), ("平潭综合实验区海坛片区管理局", 2025, 0.0, 2.0)]


def test_the_zones_own_report_is_never_added_to_the_reports_of_the_agencies_inside_it(region):
    tables, computed = region
    covering = tables.reports.filter(pl.col("report_id").is_in(M.covering(tables.reports)))
    assert sorted(covering.select("agency", "year").rows()) == [("平潭综合实验区", y) for y in range(2019, 2026)]
    total = M.regional(computed, tables.reports).filter(
        (pl.col("region_code") == "350128") & (pl.col("metric") == "new_requests") & (pl.col("year") == 2025))
    row = total.row(0, named=True)
    # 平潭综合实验区's report says 全区共收到…154件; its fourteen agencies with a 2025 report list 102 between them
    assert (row["value"], row["reports"], row["counted"], row["reports_with_data"]) == (102, 15, 14, 14)
    alone = M.regional(M.compute(M.Tables.of(parse_corpus(RAW / "pingtan", progress=False))),
                       parse_corpus(RAW / "pingtan", progress=False).reports)  # with no agency inside, it counts
    assert alone.filter((pl.col("metric") == "new_requests") & (pl.col("year") == 2025))["value"].to_list() == [154]


@pytest.mark.parametrize("name,prefixes,short", [
    ("平潭综合实验区交通与建设局", ["福建省", "福州市", "平潭县", "平潭综合实验区"], "交通与建设局"),
    ("平潭综合实验区", ["福建省", "福州市", "平潭县", "平潭综合实验区"], "平潭综合实验区"),  # nothing would be left
    ("晋江市紫帽镇人民政府", ["福建省", "泉州市", "晋江市"], "紫帽镇人民政府"),
    ("福建省福州市平潭县交通局", ["福建省", "福州市", "平潭县"], "交通局"),
    ("万东镇人民政府", ["重庆市", "綦江区"], "万东镇人民政府"),
])
def test_agency_names_drop_the_names_of_their_region(name, prefixes, short):
    assert M.short_names([name], prefixes) == {name: short}


def test_two_agencies_that_would_be_named_alike_keep_their_whole_names():
    assert M.short_names(["甲县财政局", "乙县财政局"], ["甲县", "乙县"]) == {"甲县财政局": "甲县财政局",
                                                                       "乙县财政局": "乙县财政局"}


def test_a_null_rate_names_the_cell_that_holds_no_number(tables):
    zhenping = tables.reports.filter(pl.col("agency") == "镇坪县")["report_id"].to_list()
    cells = M.missing_cells(tables, zhenping, "grant_rate")
    assert cells.select("row", "column", "state").rows() == [("partially_granted", "total", "blank")]
    assert M.missing_cells(tables, zhenping, "full_grant_rate").height == 0


def test_a_rate_whose_denominator_is_not_a_number_is_null_never_its_numerator(region):
    tables, _ = region
    # 自然资源与生态环境局 2023: 14 granted in full or in part; with its total handled unreadable, as the reader once
    # left it, the rate was shown as 1400%
    rid = tables.reports.filter((pl.col("agency") == "平潭综合实验区自然资源与生态环境局") & (pl.col("year") == 2023))
    lost = (pl.col("report_id") == rid["report_id"].item()) & (pl.col("row") == "total_handled")
    applications = tables.applications.with_columns(value=pl.when(lost).then(None).otherwise(pl.col("value")),
                                                    state=pl.when(lost).then(pl.lit("unresolved"))
                                                    .otherwise(pl.col("state")))
    computed = M.compute(M.Tables(tables.reports, applications, tables.proactive, tables.review_litigation,
                                  tables.findings))
    r = _value(computed, "平潭综合实验区自然资源与生态环境局", 2023, "grant_rate")
    assert (r["numerator"], r["denominator"], r["value"]) == (14, None, None)
    rates = computed.filter(pl.col("metric").is_in([m.code for m in M.METRICS.values() if m.is_rate]))
    assert rates.filter(pl.col("denominator").is_null() & pl.col("value").is_not_null()).height == 0
