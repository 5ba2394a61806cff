"""Checks across years and the Dataset API."""

import polars as pl
import pytest

from govlib import metrics as M
from govlib import parse_corpus, parse_report

from .conftest import RAW, SAMPLE


def test_carried_over_matches_last_years_carried_forward_or_is_reported(tmp_path):
    ds = parse_corpus(RAW / "pingtan", progress=False)
    assert ds.findings.filter(pl.col("rule") == "C1").height == 0
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
    ds = parse_corpus(SAMPLE, progress=False)
    ids = set(ds.reports["report_id"])
    for name in ("applications", "proactive", "review_litigation", "findings"):
        assert set(getattr(ds, name)["report_id"]) <= ids
    assert ds.reports.filter(pl.col("agency") == "晋江市紫帽镇人民政府")["doc_number"].to_list() == ["晋紫政〔2021〕3号"]
    money = ds.proactive.filter(pl.col("measure") == "procurement_amount").drop_nulls("value")
    assert 1297.58 in money["value"].to_list()
    assert set(money["unit"]) == {"10k_yuan"}


def _pingtan(folder, *years, name="pingtan-{}.txt"):
    folder.mkdir(parents=True, exist_ok=True)
    for year in years:
        (folder / name.format(year)).write_bytes((RAW / "pingtan" / f"pingtan-{year}.txt").read_bytes())


def _one(frame, **equal):
    return frame.filter(*(pl.col(k) == v for k, v in equal.items())).row(0, named=True)


def _new_requests(ds, year):
    tables = M.Tables.of(ds)
    computed = M.compute(tables)
    totals = M.regional(computed, tables.reports).filter((pl.col("metric") == "new_requests") & (pl.col("year") == year))
    change = M.year_over_year(computed).filter((pl.col("metric") == "new_requests") & (pl.col("year") == year))
    return (sorted(totals.select("region_code", "value", "reports").iter_rows()),
            sorted(change.select("place", "value", "previous").iter_rows()))


def test_a_report_saved_twice_is_kept_but_counted_once(tmp_path):
    _pingtan(tmp_path / "a", 2024, 2025)
    _pingtan(tmp_path / "b", 2025, name="pingtan-{}-saved-again.txt")
    ds = parse_corpus(tmp_path, progress=False)
    assert ds.reports.height == 3  # nothing is lost
    first = _one(ds.reports, file=str(tmp_path / "a" / "pingtan-2025.txt"))
    again = _one(ds.reports, file=str(tmp_path / "b" / "pingtan-2025-saved-again.txt"))
    assert (first["duplicate_of"], again["duplicate_of"]) == (None, first["report_id"])
    found = ds.findings.filter(pl.col("rule") == "duplicate")
    assert found["report_id"].to_list() == [again["report_id"]]
    assert found["message"][0] == (
        f"the same agency (平潭综合实验区, region 350128) and year (2025) as {tmp_path / 'a' / 'pingtan-2025.txt'}: "
        f"it is the same file, byte for byte; figures count that report ({first['report_id']}) once and leave this "
        f"one out")
    # 154 new requests in 2025, not 308; one change from 2024 (218), not two
    assert _new_requests(ds, 2025) == ([("350128", 154.0, 1)], [("350128", 154.0, 218.0)])


def test_a_republished_report_that_differs_names_the_cells_it_changes(tmp_path):
    _pingtan(tmp_path, 2025)
    text = (RAW / "pingtan" / "pingtan-2025.txt").read_text(encoding="utf-8")
    (tmp_path / "pingtan-2025-republished.txt").write_text(
        text.replace("二、上年结转政府信息公开申请数量0000000", "二、上年结转政府信息公开申请数量3000003"), encoding="utf-8")
    found = parse_corpus(tmp_path, progress=False).findings.filter(pl.col("rule") == "duplicate").row(0, named=True)
    assert found["cells"] == "applications.carried_over×natural_person; applications.carried_over×total"
    assert "its tables differ in 2 cells (applications.carried_over×natural_person; " in found["message"]


def test_the_same_name_in_another_place_is_another_agency(tmp_path):
    # a report of "平潭综合实验区" placed in 晋江市 by a mapping, with 3 requests carried over (Pingtan's own 2024
    # carried none forward): neither a duplicate of Pingtan's 2025 report nor a breach of C1 against its 2024 one
    text = (RAW / "pingtan" / "pingtan-2025.txt").read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2025.txt").write_text(
        text.replace("二、上年结转政府信息公开申请数量0000000", "二、上年结转政府信息公开申请数量3000003"), encoding="utf-8")
    (tmp_path / "a" / "regions.csv").write_text("file,region_code\n2025.txt,350582\n", encoding="utf-8")
    _pingtan(tmp_path / "b", 2024, 2025)
    ds = parse_corpus(tmp_path, progress=False)
    assert ds.reports["duplicate_of"].null_count() == 3
    assert ds.findings.filter(pl.col("rule").is_in(["duplicate", "C1"])).is_empty()
    assert _new_requests(ds, 2025) == ([("350128", 154.0, 1), ("350582", 154.0, 1)],
                                       [("350128", 154.0, 218.0), ("350582", 154.0, None)])
    # for figures and charts the two are named with their place: never one bar, one line or one agency in a count
    assert sorted(set(M.Tables.of(ds).reports["agency"])) == ["平潭综合实验区（平潭县）", "平潭综合实验区（晋江市）"]
    assert set(ds.reports["agency"]) == {"平潭综合实验区"}  # the reports table keeps the name as printed


def _cut(text: str, before: str) -> str:
    return text[: text.index(before)]


@pytest.mark.parametrize("file, before, last", [
    ("seeds/003_c7348176eda313db.txt", "(二) 部分公开", "applications.granted"),  # one cell a line
    ("pingtan/pingtan-2025.txt", "（四）无法提供", "applications.denied_query_matter"),  # glued, sections listed up top
])
def test_a_report_cut_off_in_its_tables_is_an_error(tmp_path, file, before, last):
    # before: parsed as a report with only missing_row warnings
    path = tmp_path / "cut.txt"
    path.write_text(_cut((RAW / file).read_text(encoding="utf-8"), before), encoding="utf-8")
    cut = [f for f in parse_report(path).finding_list if f.rule == "truncated"]  # parse_report finds it itself
    assert [(f.severity, f.message.split(":")[0]) for f in cut] == [("error", f"the file stops after row {last}")]
    assert "sections 五 and 六 are not in it; the report looks cut off — get the complete file" in cut[0].message


def test_every_bundled_report_is_complete():
    ds = parse_corpus(RAW, progress=False)  # the real pages without tables are refused, not "truncated"
    assert ds.reports.height > 100
    assert ds.findings.filter(pl.col("rule") == "truncated").height == 0


def test_among_copies_of_one_report_the_most_complete_reading_is_counted(tmp_path):
    # before: the copy cut off, found first, was counted and the complete one left out
    text = (RAW / "pingtan" / "pingtan-2025.txt").read_text(encoding="utf-8")
    (tmp_path / "a-saved-half-way.txt").write_text(_cut(text, "（四）无法提供"), encoding="utf-8")
    (tmp_path / "b-complete.txt").write_text(text, encoding="utf-8")
    ds = parse_corpus(tmp_path, progress=False)
    cut = _one(ds.reports, file=str(tmp_path / "a-saved-half-way.txt"))
    whole = _one(ds.reports, file=str(tmp_path / "b-complete.txt"))
    assert (cut["duplicate_of"], whole["duplicate_of"]) == (whole["report_id"], None)
    assert cut["errors"] >= 1
    assert _new_requests(ds, 2025)[0] == [("350128", 154.0, 1)]
    total = M.compute(M.Tables.of(ds)).filter(pl.col("metric") == "handled")["value"].to_list()
    assert total == [148.0]  # the complete copy's, not the empty cell of the one cut off
