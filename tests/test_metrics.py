"""Metric definitions: exact numerators and denominators, null rather than 0, sums rather than averages."""

import polars as pl
import pytest

from govlib import metrics as M
from govlib import parse_corpus

from .conftest import SAMPLE


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
    reports = tables.reports.with_columns(county_code=pl.lit("000000"), province_code=pl.lit("000000"),
                                          county=pl.lit("x"), province=pl.lit("x"), prefecture=pl.lit(None))
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
