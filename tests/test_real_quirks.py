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
