"""Bad and unusual inputs: each a clear error naming the file, or a finding; a batch always goes on."""

import polars as pl
import pytest

from govlib import GovlibError, ParseError, UnsupportedFormatError, parse_corpus, parse_report

from .conftest import RAW

SEED = RAW / "seeds" / "003_c7348176eda313db.txt"


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_parse_error_is_a_govlib_error():
    assert issubclass(ParseError, GovlibError)


def test_empty_file(tmp_path):
    with pytest.raises(ParseError, match=r"empty\.txt: the file is empty"):
        parse_report(_write(tmp_path, "empty.txt", b"  \n"))


def test_binary_file(tmp_path):
    with pytest.raises(ParseError, match=r"blob\.txt: this is a binary file \(NUL bytes at offset 4\)"):
        parse_report(_write(tmp_path, "blob.txt", b"\x89PNG\x00\x01\x02\x03" * 50))


def test_undecodable_bytes_name_the_offset(tmp_path):
    data = "报告".encode("utf-8") + b"\xff\xfe\xfd\x80\x80"
    with pytest.raises(ParseError, match=r"not UTF-8 \(invalid byte at offset 6\) and decoding as GB18030 also failed"):
        parse_report(_write(tmp_path, "bad.txt", data))


def test_a_document_that_is_not_a_report(tmp_path):
    text = "关于做好2021年防汛工作的通知\n各乡镇人民政府：\n现将有关事项通知如下。\n"
    with pytest.raises(ParseError, match=r"notice\.txt: not an annual report on government information disclosure"):
        parse_report(_write(tmp_path, "notice.txt", text.encode()))


def test_unsupported_format(tmp_path):
    with pytest.raises(UnsupportedFormatError, match=r"report\.xlsx: files ending in '\.xlsx' are not read; "
                                                     r"convert the report to one of \.txt"):
        parse_report(_write(tmp_path, "report.xlsx", b"PK\x03\x04"))


def test_corrupt_docx(tmp_path):
    with pytest.raises(ParseError, match=r"broken\.docx: not a readable Word \(\.docx\) file"):
        parse_report(_write(tmp_path, "broken.docx", b"PK\x03\x04 not really a zip"))


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_encodings_give_the_same_numbers(tmp_path, encoding):
    text = SEED.read_text(encoding="utf-8")
    report = parse_report(_write(tmp_path, "seed.txt", text.encode(encoding)))
    original = parse_report(SEED)
    assert report.applications.equals(original.applications)
    assert report.proactive["value"].to_list() == original.proactive["value"].to_list()
    assert report.meta.agency == "晋江市紫帽镇人民政府"


def test_a_truncated_report_keeps_what_it_printed_and_says_what_is_missing(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.index("(二) 部分公开")]
    report = parse_report(_write(tmp_path, "cut.txt", cut.encode()))
    assert report.value("applications", "new_received", "total") == 0
    assert report.value("proactive", "regulations", "published_total") == 5
    handled = [c for (row, _), c in report.cells["applications"].items() if row == "total_handled"]
    # not printed; but 0 new and 0 carried over leave nothing to handle (I1, counts never negative)
    assert {(c.value, c.state, c.rule) for c in handled} == {(0, "inferred", "I1,N")}
    rules = {f.rule for f in report.finding_list}
    assert "missing_row" in rules
    review = {c.state for c in report.cells["review_litigation"].values()}
    assert review == {"missing"}


def test_a_report_with_section_three_missing(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("三、收到和处理政府信息公开申请情况"), text.index("四、政府信息公开行政复议")
    report = parse_report(_write(tmp_path, "no3.txt", (text[:start] + text[end:]).encode()))
    assert report.value("proactive", "licensing", "decisions") == 1
    assert all(c.state == "missing" for c in report.cells["applications"].values())
    assert report.value("review_litigation", "review_litigation", "review_total") == 0
    assert sum(f.rule == "missing_row" for f in report.finding_list) == 23


def test_one_bad_file_never_stops_a_batch(tmp_path):
    good = _write(tmp_path, "a_good.txt", SEED.read_bytes())
    _write(tmp_path, "b_empty.txt", b"")
    _write(tmp_path, "c_binary.txt", b"\x00\x01" * 100)
    _write(tmp_path, "d_notice.txt", "通知\n请各单位做好工作。\n".encode())
    _write(tmp_path, "e_good_gbk.txt", SEED.read_text(encoding="utf-8").encode("gb18030"))
    ds = parse_corpus(tmp_path, progress=False)
    assert ds.reports["file"].to_list() == [str(good), str(tmp_path / "e_good_gbk.txt")]
    failures = dict(ds.failures_list)
    assert sorted(p.rsplit("/", 1)[-1] for p in failures) == ["b_empty.txt", "c_binary.txt", "d_notice.txt"]
    assert all(path in message for path, message in failures.items())
    # the same content twice keeps two distinct report ids
    assert len(set(ds.reports["report_id"].to_list())) == 2


@pytest.mark.parametrize("header, expected, finding", [
    ("本年收费金额（单位：万元）", 25000.0, False),  # as printed by the template
    ("本年收费金额（单 位：元）", 2.5, True),  # a header in 元: 25000 元 is 2.5 万元
    ("本年收费金额", 25000.0, False),  # no header unit: the template's 万元
])
def test_money_follows_the_unit_its_header_declares(tmp_path, header, expected, finding):
    seed = RAW / "seeds" / "002_c3db75ac4ce109b2.txt"
    text = seed.read_text(encoding="utf-8")
    fee = text.index("行政事业性收费")
    assert text.count("本年收费金额（单位：万元）") == 1 and text[fee:].startswith("行政事业性收费\n\t0\n")
    text = text.replace("本年收费金额（单位：万元）", header)
    text = text[:fee] + "行政事业性收费\n\t25000\n" + text[fee + len("行政事业性收费\n\t0\n"):]
    report = parse_report(_write(tmp_path, "fees.txt", text.encode()))
    row = report.proactive.filter((pl.col("item") == "fees") & (pl.col("measure") == "fee_amount")).row(0, named=True)
    assert (row["value"], row["unit"], row["text"], row["state"]) == (expected, "10k_yuan", "25000", "read")
    units = [f for f in report.finding_list if f.rule == "unit"]
    assert bool(units) == finding
    if finding:
        assert units[0].cells == "proactive.fees×fee_amount" and "单位：元" in units[0].message



@pytest.mark.parametrize("printed, date", [
    ("发布时间: 2026-01-20 15:22", "2026-01-20"),
    ("发布日期：2026年01月20日", "2026-01-20"),
    ("发布日期：2026/1/9", "2026-01-09"),
    ("\n某某县人民政府办公室\n2026年1月20日", "2026-01-20"),
    ("\n某某县人民政府办公室\n二〇二六年一月二十日", "2026-01-20"),
    ("\n某某县人民政府办公室\n二○二五年十二月三十一日", "2025-12-31"),
    ("\n某某县人民政府办公室\n二〇二六年十月十日", "2026-10-10"),
    ("\n某某县人民政府办公室\n二〇二六年二月三十日", ""),  # no such day: none, not a guess
    ("\n某某县人民政府办公室\n二〇二六年一二月一日", ""),  # a slip of the pen: none, and the report still parses
    ("\n某某县人民政府办公室\n二〇二六年十十月一日", ""),
])
def test_the_publication_date_as_printed(printed, date):
    from govlib.sections import find_meta

    title = "某某县2025年政府信息公开工作年度报告\n"
    text = (printed + "\n" + title if printed.startswith("发布") else title) + "表格……\n六、其他需要报告的事项\n无。" + \
        (printed if not printed.startswith("发布") else "")
    meta = find_meta(text, text.index("六、"))
    assert str(meta.published or "") == date
    assert (meta.agency, meta.year) == ("某某县", 2025)


@pytest.mark.parametrize("title, agency", [
    ("某某县人民政府关于2023年政府信息公开工作年度报告", "某某县人民政府"),
    ("关于某某县2023年政府信息公开工作年度报告", "某某县"),
    ("某某县2023年度政府信息公开工作的年度报告", "某某县"),
    ("某某县2023年政府信息公开年报", "某某县"),
    ("某某县政府信息公开工作年度报告（2023年）", "某某县"),
    ("某某县2023年政务公开工作年度报告", "某某县"),
    ("2023年某某县教育局政府信息公开工作年度报告", "某某县教育局"),
])
def test_the_agency_and_year_from_the_titles_reports_are_given(title, agency):
    from govlib.sections import find_meta

    meta = find_meta(title + "\n一、总体情况\n", 0)
    assert (meta.agency, meta.year, meta.title) == (agency, 2023, title)


def test_a_pdf_row_continued_on_the_next_page_is_told_from_a_new_row():
    from govlib.rows import continues_row as _continues

    boxes = [(0, 0, 100, 10), (100, 0, 140, 10), (140, 0, 180, 10), (180, 0, 220, 10)]
    above = (7, ["2.没有现成信息需要另", "", "0", "19"], boxes)

    def cells(*texts):
        return list(zip(boxes, texts))

    assert _continues(above, cells("行制作", "15", "", ""))  # the rest of the label, the value the row lacked
    assert not _continues(above, cells("行制作", "15", "3", ""))  # a value under a printed value: a new row
    assert not _continues(above, cells("3.补正后申请内容仍不明确", "1", "", ""))  # a label of its own
    assert not _continues(above, cells("", "自然人", "", ""))  # a header repeated on the new page
    assert not _continues(above, cells("", "", "", ""))  # nothing to join
    assert not _continues(above, cells("行制作", "15", ""))  # other cells
    shifted = [(x0 + 30, top, x1 + 30, bottom) for x0, top, x1, bottom in boxes]
    assert not _continues(above, list(zip(shifted, ["行制作", "15", "", ""])))  # other places
