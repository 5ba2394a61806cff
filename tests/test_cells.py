"""Quirks met in real reports, one line each (scrapinghub/price-parser style)."""

import pytest
from hypothesis import given, settings, strategies as st

from govlib.cells import BLANK, SEP, TEXT, VALUE, parse_number, splits, tokenize
from govlib.text import FOLD as _FOLD, fold


@pytest.mark.parametrize("text,value,unit", [
    ("0", 0, ""),
    ("12975800元", 12975800, "元"),  # 镇坪县 2020: money in yuan inside the cell
    ("0元", 0, "元"),  # 晋江市紫帽镇 2020
    ("+207", 207, ""),  # signed change
    ("-111", -111, ""),
    ("24252.311082", 24252.311082, ""),  # 平潭 2021 fees, 万元 with six decimals
    ("1,234", 1234, ""),
    ("5件", 5, "件"),
    ("0.5万元", 0.5, "万元"),
])
def test_parse_number(text, value, unit):
    n = parse_number(text)
    assert (n.value, n.unit) == (value, unit)


@pytest.mark.parametrize("text", ["", "-", "—", "无", "信息内容", "第二十条第（五）项", "12 975"])
def test_no_number_rather_than_a_wrong_one(text):
    assert parse_number(text) is None


def test_full_width_and_no_break_spaces_fold_to_ascii_without_moving_offsets():
    text = "　　０\u00a0（一）"
    assert fold(text) == "  0 (一)"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize("glued,parts,readings", [
    ("0000000", 7, {("0",) * 7}),
    ("7000007", 7, {("7", "0", "0", "0", "0", "0", "7")}),
    ("35-15", 2, {("35", "-15")}),  # a sign always starts a number
    ("00", 2, {("0", "0")}),
    ("023", 2, {("0", "23")}),  # no number starts with 0
    ("350", 2, {("35", "0"), ("3", "50")}),
    ("0.50元", 1, {("0.50元",)}),
])
def test_every_way_to_cut_glued_digits(glued, parts, readings):
    assert set(splits(glued, parts)) == readings


def test_a_decimal_point_is_never_a_cut():
    assert all(not p.startswith(".") and not p.endswith(".") for r in splits("1357.52元", 2) for p in r)


def _kinds(text, glued=False):
    return [(t.kind, t.text) for t in tokenize(text, 1, glued)]


def test_tab_separated_row_with_structural_empty_fields():
    assert [k for k in _kinds("\t\t0\t1\t\t2\t") if k[0] == VALUE] == [(VALUE, "0"), (VALUE, "1"), (VALUE, "2")]


def test_one_cell_per_line_with_leading_tab_and_blank_cells():
    assert _kinds("\n\t11\n\t\n\t \n\t11\n") == [(VALUE, "11"), (BLANK, ""), (BLANK, ""), (VALUE, "11")]


def test_cells_ending_in_bars_and_merged_runs():
    assert _kinds(" |\n0 |\n |\n0 | ||\n") == [(VALUE, "0"), (BLANK, ""), (VALUE, "0")]


def test_markdown_row_and_rule_line():
    assert _kinds("| 0 | - |  |\n|---|---|---|\n") == [(VALUE, "0"), (VALUE, "-"), ("empty", "")]


@pytest.mark.parametrize("footer", ["— 5 —", "- 12 -", "第 3 页", "第2页 共5页"])
def test_page_footers_never_become_values(footer):
    assert _kinds(f"\t0\n{footer}\n\t1\n") == [(VALUE, "0"), (VALUE, "1")]


def test_a_tab_row_of_dashes_is_not_a_page_footer():
    assert [k[1] for k in _kinds("\t\t-\t427\t-\t")] == ["", "", "-", "427", "-", ""]


def test_glued_crawler_text_keeps_spaces_as_boundaries_and_drops_headings():
    assert _kinds("230 000023三、本年度办理结果（一）", glued=True) == [(VALUE, "230"), (VALUE, "000023")]


def test_parenthesised_notes_with_digits_are_not_values():
    assert _kinds("采购总金额（单位：万元，保留4位小数）", glued=True) == []
    assert _kinds("\t采购总金额（单位：万元，保留4位小数）\n") == [(TEXT, "采购总金额")]


def test_an_empty_line_ends_a_row():
    assert _kinds("\t0\n\n\t\n")[1][0] == SEP


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.sampled_from("ａ１（）：，\u3000\u00a0\u2212\ufe63\u200b\u3001 a1-政府\n\t")
                    | st.characters(), max_size=60))
def test_folding_changes_only_full_width_forms_and_spaces_one_for_one(text):
    assert fold(text) == text.translate(_FOLD)  # the table itself, character by character
    assert len(fold(text)) == len(text)
