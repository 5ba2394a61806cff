"""Checks across years and the Dataset API."""

import polars as pl

from govlib import parse_corpus

from .conftest import RAW


def test_carried_over_matches_last_years_carried_forward_or_is_reported(tmp_path):
    ds = parse_corpus(RAW / "pingtan", progress=False)
    assert not [f for r in ds.reports_list for f in r.finding_list if f.rule == "C1"]
    # 2024 carried forward 0; a 2025 report claiming 3 carried over breaks C1
    text = (RAW / "pingtan" / "pingtan-2025.txt").read_text(encoding="utf-8")
    (tmp_path / "2024.txt").write_bytes((RAW / "pingtan" / "pingtan-2024.txt").read_bytes())
    (tmp_path / "2025.txt").write_text(text.replace("二、上年结转政府信息公开申请数量0000000",
                                                    "二、上年结转政府信息公开申请数量3000003"), encoding="utf-8")
    ds = parse_corpus(tmp_path, progress=False)
    c1 = ds.findings.filter(pl.col("rule") == "C1")
    assert sorted(c1["cells"].str.split("; ").list.first().to_list()) == [
        "applications.carried_over×natural_person", "applications.carried_over×total"]
    assert c1["found"].to_list() == [3.0, 3.0] and c1["expected"].to_list() == [0.0, 0.0]


def test_frames_share_report_ids():
    ds = parse_corpus(RAW, progress=False)
    ids = set(ds.reports["report_id"])
    for name in ("applications", "proactive", "review_litigation", "findings"):
        assert set(getattr(ds, name)["report_id"]) <= ids
    assert ds.reports.filter(pl.col("agency") == "晋江市紫帽镇人民政府")["doc_number"].to_list() == ["晋紫政〔2021〕3号"]
    money = ds.proactive.filter(pl.col("measure") == "procurement_amount").drop_nulls("value")
    assert 1297.58 in money["value"].to_list()
    assert set(money["unit"]) == {"10k_yuan"}
