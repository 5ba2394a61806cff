"""Quirks of real reports, one line each (price-parser style): each case is a short real report (``fixtures/quirks``,
cut down from one of 平潭综合实验区's departments, which reads complete) with one quirk put in, as real reports print
it, and the cells it must give. Every other cell of sections 三 and 四 must still be known: a quirk never costs its
neighbours, and a cell is ``blank`` only where the report prints it empty."""

from pathlib import Path

import pytest

from govlib import ParseError, parse_report

QUIRKS = Path(__file__).resolve().parent / "fixtures" / "quirks"
BASE = {name: (QUIRKS / f"base-{name}.txt").read_text(encoding="utf-8") for name in ("2019", "2021")}
REVIEW = "100010000000101"  # section 四 of base-2021: one review upheld, one suit after review upheld


def _report(tmp_path, template: str, edits):
    text = BASE[template]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return parse_report(path)


def _cells(report):
    for table in ("applications", "review_litigation"):
        for (row, col), cell in report.cells[table].items():
            yield (f"{row}×{col}" if table == "applications" else col), cell


def _check(report, expected: dict[str, tuple]):
    """``expected`` maps a cell ("granted×total", or a section 四 measure) to (value, state); every other cell of
    三 and 四 is read or inferred."""
    got = dict(_cells(report))
    for name, want in expected.items():
        cell = got.pop(name)
        assert (cell.value, cell.state)[: len(want)] == want, (name, cell)
    assert [(n, c) for n, c in got.items() if c.state not in ("read", "inferred")] == []


FIVE_ZERO = ["review_upheld", "review_corrected", "review_other", "review_pending", "review_total"]


@pytest.mark.parametrize("edits, expected", [
    # 四's row ends where its values end: prose after them is not the table (it used to be read as 15 blanks)
    pytest.param([("五、存在的主要问题及改进情况", "五、信息处理费收取情况通知收取件数通知收取金额（元）实际收取金额（元）000"
                                          "六、存在的主要问题和改进情况")],
                 {"review_upheld": (1, "read"), "review_total": (1, "read")}, id="a new section 五 after 四"),
    pytest.param([("五、存在的主要问题及改进情况", "五、当前存在的突出问题")], {"review_total": (1, "read")},
                 id="heading 五 not the template's"),
    pytest.param([("五、存在的主要问题及改进情况", "五、政府信息公开存在的问题及改进措施")], {"review_total": (1,)},
                 id="heading 五 worded otherwise"),
    pytest.param([(REVIEW + "五、", REVIEW + "我局2023年未发生因政府信息公开引发的行政诉讼案件。五、")],
                 {"suit_after_review_total": (1, "read")}, id="prose with digits glued after 四's values"),
    pytest.param([(REVIEW + "五、", REVIEW + "我局未发生因政府信息公开引发的行政诉讼案件。五、")],
                 {"suit_after_review_total": (1, "read")}, id="prose without digits after 四's values"),
    pytest.param([(REVIEW, "")], {m: (None, "blank") for m in FIVE_ZERO} | {
        m.replace("review", "suit_direct"): (None, "blank") for m in FIVE_ZERO} | {
        m.replace("review", "suit_after_review"): (None, "blank") for m in FIVE_ZERO}, id="四 printed empty"),
])
def test_section_four_is_read_where_its_values_are(tmp_path, edits, expected):
    _check(_report(tmp_path, "2021", edits), expected)


RENUMBERED = [("二、主动公开", "二、政务公开工作主要任务落实情况我局落实各项任务。三、主动公开"),
              ("三、收到和处理", "四、收到和处理"), ("四、政府信息公开行政复议", "五、政府信息公开行政复议"),
              ("五、存在的主要问题", "六、存在的主要问题"), ("六、其他需要", "七、其他需要")]


@pytest.mark.parametrize("edits", [
    pytest.param([("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")],
                 id="heading 四 as 因…被申请行政复议、提起行政诉讼情况"),
    pytest.param(RENUMBERED, id="sections renumbered by an extra section 二"),
    pytest.param([("三、收到和处理", "二、收到和处理")], id="三 numbered 二"),
    pytest.param([("三、收到和处理政府信息公开申请情况", "三、收到和处里政府信息公开申请情况")], id="heading 三 with a character wrong"),
    pytest.param([("三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公申请情况")], id="heading 三 with a character missing"),
    pytest.param([("三、收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况")], id="heading 三 without its numeral"),
    pytest.param([("三、收到和处理政府信息公开申请情况", "")], id="no heading 三 at all"),
    pytest.param([("四、政府信息公开行政复议、行政诉讼情况", "")], id="no heading 四 at all"),
    pytest.param([("二、主动公开政府信息情况", "")], id="no heading 二 at all"),
    pytest.param([("三、收到和处理政府信息公开申请情况", "\n## 三、收到和处理政府信息公开申请情况\n")], id="Markdown heading"),
    pytest.param([("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议与行政诉讼情况")],
                 id="heading 四 with 法 added and 与 for 、"),
])
def test_a_section_is_found_by_its_table_whatever_its_heading(tmp_path, edits):
    report = _report(tmp_path, "2021", edits)
    _check(report, {"new_received×total": (7, "read"), "review_total": (1, "read")})


def test_a_page_without_tables_says_where_they_may_be(tmp_path):
    path = tmp_path / "attachment.txt"
    path.write_text("标题: 平潭综合实验区公安局2020年政府信息公开工作年度报告\n==================== 正文 ====================\n"
                    "平潭综合实验区公安局2020年政府信息公开工作年度报告\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"attachment\.txt: the statistics tables are not in this file — they may "
                                         r"be images or an attachment$"):
        parse_report(path)


def test_a_text_that_is_not_a_report_says_so_in_words(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("关于做好2021年防汛工作的通知\n各乡镇人民政府：\n现将有关事项通知如下。\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"not an annual report .* carries 0 of the 2021 template's 6 table "
                                         r"headings \(本年制发件数、本年废止件数、现行有效件数 …\); 0 of the 2019") as e:
        parse_report(path)
    assert "{" not in str(e.value)


def test_a_report_whose_section_two_is_lost_is_read_in_the_template_its_rows_show(tmp_path):
    start, end = BASE["2019"].index("二、主动公开"), BASE["2019"].index("三、收到和处理")
    report = _report(tmp_path, "2019", [(BASE["2019"][start:end], "")])  # 三 prints no fingerprint of its own
    assert report.meta.template == "2019"
    _check(report, {})
    assert any(f.rule == "template" and "section 三 prints group （六） in its form" in f.message
               for f in report.finding_list)


@pytest.mark.parametrize("edits, expected", [
    # a row printing six values for seven columns: I2 (or I1, I3) gives every cell
    pytest.param([("四、结转下年度继续办理0000000", "四、结转下年度继续办理000000")],
                 {f"carried_forward×{c}": (0, "inferred") for c in ("natural_person", "total")},
                 id="six digits for seven cells"),
    pytest.param([("四、结转下年度继续办理0000000", "四、结转下年度继续办理 0 00000 ")],
                 {f"carried_forward×{c}": (0, "inferred") for c in ("natural_person", "total")},
                 id="six digits for seven cells, one space among them"),
    pytest.param([("（一）予以公开0000000", "（一）予以公开 0 0 0 0 0 0 ")],
                 {f"granted×{c}": (0, "inferred") for c in ("natural_person", "total")},
                 id="six spaced values for seven cells"),
    # prose run into the last row's digits: its year is not the row's
    pytest.param([("四、结转下年度继续办理0000000", "四、结转下年度继续办理00000002023年，我局共收到申请7件，办结率100%。")],
                 {"carried_forward×total": (0, "read")}, id="prose glued to the last row of 三"),
    # a row that breaks I2 in every reading: the table's identities place its cells, and I2's breach is reported
    pytest.param([("本年新收政府信息公开申请数量7000007", "本年新收政府信息公开申请数量120000012"),
                  ("不计其他情形）1000001", "不计其他情形）1100001"), ("（一）予以公开0000000", "（一）予以公开5000005"),
                  ("（七）总计7000007", "（七）总计121000012")],
                 {"total_handled×natural_person": (12, "inferred"), "total_handled×commercial": (1, "inferred"),
                  "total_handled×total": (12, "inferred")}, id="a row that breaks I2, placed by I3"),
])
def test_rows_the_layout_leaves_open_are_placed_by_the_identities(tmp_path, edits, expected):
    _check(_report(tmp_path, "2021", edits), expected)


def test_a_review_group_that_breaks_I4_leaves_only_its_own_cells_empty(tmp_path):
    report = _report(tmp_path, "2021", [(REVIEW, "00202000001324015")])  # shsyj-2024: 13|2|4|0|15 breaks I4
    after = [m.replace("review", "suit_after_review") for m in FIVE_ZERO]
    _check(report, {m: (None, "unresolved") for m in after} | {"review_total": (2, "inferred"),
                                                              "suit_direct_total": (0, "inferred")})
    assert any(f.rule == "ambiguous" and "suit_after_review_total" in f.cells for f in report.finding_list)


@pytest.mark.parametrize("edits, row", [
    pytest.param([("2.其他法律行政法规禁止公开", "2.其他法律和行政法规禁止公开")], "denied_prohibited_by_law",
                 id="a character added (jspq-2024)"),
    pytest.param([("7.属于行政执法案卷", "7.属于行政执法案件")], "denied_enforcement_file", id="a character wrong (scjgj-2025)"),
    pytest.param([("1.本机关不掌握相关政府信息", "1.本机不掌握相关政府信息")], "unable_not_held", id="a character missing"),
    pytest.param([("2.重复申请", "2.重复复申请")], "rejected_duplicate", id="a character doubled in a short label"),
    pytest.param([("8.属于行政查询事项", "8.属于行政查洵事项")], "denied_query_matter", id="a look-alike character"),
    pytest.param([("5.属于三类内部事务信息", "5.关于三类内部事项信息")], "denied_internal_affairs",
                 id="two characters wrong in a label of ten"),
])
def test_a_label_typed_differently_is_the_closest_unplaced_row(tmp_path, edits, row):
    report = _report(tmp_path, "2021", edits)
    _check(report, {})  # every cell known: the row above does not take the row's values
    assert [f.rule for f in report.finding_list if f.cells.startswith(f"applications.{row}×")] == ["label"]


@pytest.mark.parametrize("edits", [
    pytest.param([("2.其他法律行政法规禁止公开", "2、其他法律行政法规禁止公开")], id="1、 for 1."),
    pytest.param([("（一）予以公开", "(一)予以公开")], id="half-width brackets"),
    pytest.param([("（一）予以公开", "【一】予以公开")], id="other brackets"),
    pytest.param([("3.危及“三安全一稳定”", "3.危及「三安全一稳定」")], id="other quotes"),
    pytest.param([("3.危及“三安全一稳定”", "3.危及三安全一稳定")], id="no quotes"),
])
def test_numbering_brackets_and_quotes_as_typed_are_the_template_s(tmp_path, edits):
    report = _report(tmp_path, "2021", edits)
    _check(report, {})
    assert not [f for f in report.finding_list if f.rule in ("label", "layout", "missing_row", "unreadable")]


@pytest.mark.parametrize("edits, row", [
    pytest.param([("3.其他0000000", "3.其它0000000")], "other_misc", id="a short label typed otherwise"),
    pytest.param([("5.属于三类内部事务信息", "5.关于三种内部事项信息")], "denied_internal_affairs",
                 id="three characters wrong in a label of ten"),
])
def test_a_label_not_clearly_closest_leaves_its_row_unplaced_and_says_so(tmp_path, edits, row):
    report = _report(tmp_path, "2021", edits)
    cells = [c for (r, _), c in report.cells["applications"].items() if r == row]
    assert {c.state for c in cells} <= {"missing", "inferred"}  # never read from a neighbour's values
    assert any(f.rule == "missing_row" and f.cells.startswith(f"applications.{row}×") for f in report.finding_list)


SUBROWS_2021 = ("（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请00000002.申请人逾期未按收费通知"
                "要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他0000000")


def test_group_six_printed_as_one_row_in_a_2021_report_is_read_as_its_total(tmp_path):
    report = _report(tmp_path, "2021", [(SUBROWS_2021, "（六）其他处理0000000")])  # zhzfj-2021
    subs = {f"{r}×{c}": (0, "inferred") for r in ("other_no_correction", "other_no_fee", "other_misc")
            for c in ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")}
    _check(report, subs | {"other×total": (0, "read"), "other×natural_person": (0, "read")} | {
        f"other×{c}": (0, "read") for c in ("commercial", "research", "social_org", "legal_service", "other_org")})
    assert any(f.rule == "template" and "printed as one row" in f.message for f in report.finding_list)
    assert sorted(set(report.applications["row"]) & {"other", "other_misc"}) == ["other"]  # the printed form


def test_group_six_printed_as_one_row_with_requests_leaves_its_sub_rows_to_the_finding(tmp_path):
    report = _report(tmp_path, "2021", [(SUBROWS_2021, "（六）其他处理1000001"),
                                        ("本年新收政府信息公开申请数量7000007", "本年新收政府信息公开申请数量8000008"),
                                        ("（七）总计7000007", "（七）总计8000008")])
    assert report.value("applications", "other", "natural_person") == 1
    sub = report.cells["applications"][("other_no_fee", "natural_person")]
    assert (sub.value, sub.state) == (None, "missing")  # 1 request, three sub-rows: which one is not printed
    assert not [f for f in report.finding_list if f.severity == "error"]  # I3 holds with the printed total
    other = report.applications.filter(report.applications["row"] == "other")["value"].to_list()
    assert other == [1, 0, 0, 0, 0, 0, 1]
    report = _report(tmp_path, "2021", [(SUBROWS_2021, "（六）其他处理2000002")])
    assert any(f.rule == "I3" and f.cells.startswith("applications.total_handled×natural_person") and
               "applications.other×natural_person" in f.cells for f in report.finding_list)  # and is checked


def test_group_six_printed_as_sub_rows_in_a_2019_report_sums_to_its_one_row(tmp_path):
    report = _report(tmp_path, "2019", [("（六）其他处理0 0 0 0 0 00", "（六）其他处理1.申请人无正当理由逾期不补正、行政机关"
                                         "不再处理其政府信息公开申请0 0 0 0 0 002.申请人逾期未按收费通知要求缴纳费用、行政机关"
                                         "不再处理其政府信息公开申请0 0 0 0 0 003.其他0 0 0 0 0 00")])  # shsyj-2021
    _check(report, {f"{r}×{c}": (0,) for r in ("other", "other_no_correction", "other_no_fee", "other_misc")
                    for c in ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org",
                              "total")})
    assert report.cells["applications"][("other", "total")].rule == "I3"
    assert any(f.rule == "template" and "sub-rows of the 2021 template" in f.message for f in report.finding_list)


@pytest.mark.parametrize("title, agency", [
    ("平潭综合实验区苏平片区管理局关于报送2020年度政府信息公开工作年度报告的函", "平潭综合实验区苏平片区管理局"),  # sppq-2020
    ("平潭综合实验区行政审批局2023年政府信息公开工作年度报告", "平潭综合实验区行政审批局"),
])
def test_the_agency_is_the_name_before_what_the_title_does(tmp_path, title, agency):
    report = _report(tmp_path, "2021", [("平潭综合实验区行政审批局2023年政府信息公开工作年度报告", title)])
    assert report.meta.agency == agency
