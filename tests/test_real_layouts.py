"""Generated reports printed the ways real reports are (issue 13's list): headings not the template's, labels as
people type them, a group in the other template's form, section 四 in pieces, conversions that break tables apart.
Each is rendered in every text layout; the numbers that went in come back exactly where the printing allows, and
never wrong where it does not (a cell is ``blank`` only where the report prints it empty)."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlib.testing import synth

from .test_properties import FEW, SETTINGS, _parse, assert_exact, assert_never_wrong

TEXT_LAYOUTS = list(synth.LAYOUTS)


def _render(rep, layout, rng, **extra):
    style = synth.style_for(layout, rng) | extra
    return synth.render_text(rep, layout, rng, style)


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@SETTINGS
@given(rng=st.integers(0, 2**32).map(random.Random), data=st.data())
def test_sections_are_found_whatever_their_headings(tmp_path, layout, rng, data):
    rep = synth.generate(rng)
    how = st.sampled_from(synth.HEADING_STYLES)
    headings = {name: data.draw(how) for name in ("proactive", "applications", "review")}
    report = _parse(tmp_path, _render(rep, layout, rng, headings=headings).encode(), ".md")
    (assert_never_wrong if layout == "glued" else assert_exact)(rep, report)


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@SETTINGS
@given(rng=st.integers(0, 2**32).map(random.Random), share=st.sampled_from([0.15, 0.4]))
def test_labels_typed_as_people_type_them_never_give_a_wrong_number(tmp_path, layout, rng, share):
    """A character wrong, missing, doubled or added, 1、 for 1., other brackets and quotes, with the neighbouring
    rows printed: a label is matched to the closest unplaced one only when clearly closest, else its row stays
    unplaced, explained."""
    rep = synth.generate(rng)
    report = _parse(tmp_path, _render(rep, layout, rng, typos=share).encode(), ".txt")
    assert_never_wrong(rep, report)


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@SETTINGS
@given(rng=st.integers(0, 2**32).map(random.Random))
def test_group_six_in_the_other_template_s_form_is_read_as_printed(tmp_path, layout, rng):
    """（六）其他处理 as one row in a 2021 report (its sub-rows then not printed: inferred where the identities force
    them, else empty with a finding), or as the 2021 sub-rows in a 2019 report (its one row their sum)."""
    rep = synth.generate(rng)
    report = _parse(tmp_path, _render(rep, layout, rng, other_form=True).encode(), ".txt")
    (assert_never_wrong if layout == "glued" else assert_exact)(rep, report)
    assert any(f.rule == "template" and "group other" in f.message for f in report.finding_list)
    printed = {"2021": "other", "2019": "other_misc"}[rep.template]
    assert printed in set(report.applications["row"])  # the tables written hold the group as printed


@pytest.mark.parametrize("how", ["three_tables", "garbled", "glued"])
@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@FEW
@given(rng=st.integers(0, 2**32).map(random.Random))
def test_section_four_in_pieces_is_one_row_of_fifteen(tmp_path, layout, how, rng):
    """Three small tables (复议 / 直接起诉 / 复议后起诉), one row under a header garbled or out of order, or fifteen
    digits run together after the header: I4 and the group order place the values."""
    rep = synth.generate(rng)
    report = _parse(tmp_path, _render(rep, layout, rng, review=how).encode(), ".txt")
    if layout == "glued" or how == "glued":
        assert_never_wrong(rep, report)
    else:
        assert_exact(rep, report)


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@FEW
@given(rng=st.integers(0, 2**32).map(random.Random))
def test_a_table_whose_labels_are_lost_is_read_in_order_where_the_identities_hold(tmp_path, layout, rng):
    """The last resort: no row label of 三 printed (images, or lost in conversion). Its numbers in reading order
    fill the template's cells exactly and satisfy every identity, or nothing is placed and a finding says why."""
    rep = synth.generate(rng)
    report = _parse(tmp_path, _render(rep, layout, rng, labels_lost=True).encode(), ".txt")
    if layout == "glued":  # digits run together: no order can be weighed over a whole table
        assert_never_wrong(rep, report)
        assert any("reading order" in f.message for f in report.finding_list)
    else:
        assert_exact(rep, report)


@SETTINGS
@given(rng=st.integers(0, 2**32).map(random.Random), quirk=st.sampled_from(["drop_zero_cell", "prose_after"]))
def test_glued_rows_short_of_a_cell_or_run_into_prose_never_give_a_wrong_number(tmp_path, rng, quirk):
    """Crawler text: a row of 0s that lost one (six digits for seven cells: the identities give every cell), or a
    sentence with figures run into a table's last row ("…继续办理00000002025年，…"). (A glued row that lost a digit
    and still prints one digit a cell cannot be told from a report printing those digits: it is read as printed,
    and the identity it breaks reported.)"""
    rep = synth.generate(rng, zeros=0.8)
    report = _parse(tmp_path, _render(rep, "glued", rng, **{quirk: True}).encode(), ".txt")
    assert_never_wrong(rep, report)


# One example each, named by the quirk: a fixed report rendered with it, read back exactly (or never wrong where
# the printing leaves cells open).
EXAMPLES = [
    ("web page flattened, merged cells not expanded, blanks as empty fields", "flat_html", {"zero_blank": True}),
    ("one text node per line, blanks as empty lines", "node_lines", {"zero_blank": True}),
    ("PDF-to-Markdown: labels detached, lost or after their values, 数据1…数据6 columns", "md_fragments", {}),
    ("section 四 as three small tables", "cells", {"review": "three_tables"}),
    ("section 四 under a garbled, reordered header", "tab_rows", {"review": "garbled"}),
    ("section 四 as fifteen digits run together after its header", "markdown", {"review": "glued"}),
    ("group （六） in the other template's form", "pipe", {"other_form": True}),
    ("row labels lost: 三 read in order, the identities holding", "cells", {"labels_lost": True}),
    ("headings renumbered, garbled, run into a sentence", "tab_rows",
     {"headings": {"proactive": "run_in", "applications": "renumbered", "review": "wrong"}}),
    ("labels typed with typos", "markdown", {"typos": 0.3}),
    ("a row of 0s printing one 0 too few, glued", "glued", {"drop_zero_cell": True}),
    ("prose with figures run into a table's last row, glued", "glued", {"prose_after": True}),
]


@pytest.mark.parametrize("layout, style, seed", [
    pytest.param(layout, style, seed, id=f"{name} ({seed})") for name, layout, style in EXAMPLES for seed in (1, 2)])
def test_a_real_layout_example(tmp_path, layout, style, seed):
    rng = random.Random(seed)
    rep = synth.generate(rng, zeros=0.8 if style.get("drop_zero_cell") else 0.6)
    report = _parse(tmp_path, _render(rep, layout, rng, **style).encode(), ".txt")
    if layout == "glued" or style.get("review") == "glued" or style.get("typos"):
        assert_never_wrong(rep, report)
    else:
        assert_exact(rep, report)
