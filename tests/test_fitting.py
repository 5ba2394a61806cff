"""The fitting layer on its own: readings, identities, and what happens when they cannot decide."""

import re

from govlib.cells import Token, VALUE
from govlib.fitting import fit_table, readings
from govlib.identities import Constraint

COLS = ("a", "b", "total")
I2 = {"r": [Constraint("I2", (("r", "total"),), (("r", "a"), ("r", "b")))]}


def _glued(text):
    return [Token(VALUE, text, 1, glued=True)]


def test_glued_digits_that_fit_one_way_only_are_inferred_by_the_identity():
    fitted = fit_table({"r": _glued("3710")}, {"r": COLS}, I2, [])
    cells = [fitted.cells[("r", c)] for c in COLS]
    assert [(c.value, c.state, c.rule) for c in cells] == [(3, "inferred", "I2"), (7, "inferred", "I2"),
                                                          (10, "inferred", "I2")]


def test_glued_digits_that_fit_two_ways_stay_empty_with_the_readings_listed():
    fitted = fit_table({"r": _glued("11213")}, {"r": COLS}, I2, [])  # 1|12|13 and 11|2|13
    assert [fitted.cells[("r", c)].state for c in COLS] == ["unresolved", "unresolved", "inferred"]
    assert fitted.cells[("r", "total")].value == 13
    assert [n.rule for n in fitted.notes] == ["ambiguous"]
    assert "1|12|13" in fitted.notes[0].message and "11|2|13" in fitted.notes[0].message


def test_glued_digits_that_fit_no_way_stay_empty_and_say_so():
    fitted = fit_table({"r": _glued("1124")}, {"r": COLS}, I2, [])  # 1|1|24, 1|12|4, 11|2|4: none sums up
    assert {fitted.cells[("r", c)].state for c in COLS} == {"unresolved"}
    assert fitted.notes[0].rule == "unreadable" and "none of the 3 readings" in fitted.notes[0].message


def test_a_single_reading_that_breaks_the_identity_is_kept_as_printed():
    tokens = [Token(VALUE, "1", 1), Token(VALUE, "2", 2), Token(VALUE, "4", 3)]
    fitted = fit_table({"r": tokens}, {"r": COLS}, I2, [])
    assert [fitted.cells[("r", c)].value for c in COLS] == [1, 2, 4]
    assert {fitted.cells[("r", c)].state for c in COLS} == {"read"}


def test_too_many_ways_to_cut_is_unreadable_not_a_guess():
    found = readings(_glued("1" * 80), 7)
    assert found.overflow and found.readings == []
    fitted = fit_table({"r": _glued("1" * 80)}, {"r": tuple("abcdefg")}, {}, [])
    assert {c.state for c in fitted.cells.values()} == {"unresolved"}
    assert fitted.notes[0].rule == "unreadable" and "too many ways" in fitted.notes[0].message


def test_a_missing_row_is_filled_only_through_a_stated_identity():
    rows = {"in": [Token(VALUE, "5", 1)], "out": [Token(VALUE, "3", 2)], "left": None}
    constraint = [Constraint("I1", (("in", "x"),), (("out", "x"), ("left", "x")))]
    fitted = fit_table(rows, {r: ("x",) for r in rows}, {}, constraint)
    cell = fitted.cells[("left", "x")]
    assert (cell.value, cell.state, cell.rule, cell.text) == (2, "inferred", "I1", None)
    assert [n.rule for n in fitted.notes] == ["missing_row"]


# The glued search prunes cuts that cannot add up and counts pieces in one pass; both must agree with listing every
# cut (``splits``) and checking the sum, on any digits.
from hypothesis import example, given, settings, strategies as st  # noqa: E402

from govlib.cells import splits  # noqa: E402
from govlib.fitting import _part_counts  # noqa: E402


@settings(max_examples=300, deadline=None)
@example(runs=["10010"], k=3)  # 10|0|10 adds up: a 0 among the cells before the total
@example(runs=["563123212222", "175"], k=7)  # a long row, the costly case the pruning is for
@given(runs=st.lists(st.text(st.sampled_from("000011112223456789"), min_size=1, max_size=9), min_size=1, max_size=3),
       k=st.integers(2, 7))  # mostly 0s and 1s: many cuts, and many that add up
def test_glued_rows_read_total_last_give_exactly_the_cuts_that_add_up(runs, k):
    columns = tuple(f"c{i}" for i in range(k - 1)) + ("total",)
    constraint = Constraint("I2", (("r", "total"),), tuple(("r", c) for c in columns[:-1]))
    toks = [Token(VALUE, run, 1 + i, glued=True) for i, run in enumerate(runs)]
    found = readings(toks, k, ([constraint], columns))
    # brute force: every way to give each run some of the k cells, every cut of each run
    cuts = []

    def place(i, left, acc):
        if i == len(runs):
            if left == 0:
                cuts.append(acc)
            return
        for parts in range(1, left + 1):
            for cut in splits(runs[i], parts):
                place(i + 1, left - parts, acc + tuple((i + 1, x) for x in cut))

    place(0, k, ())
    if not cuts and sum(max(_part_counts(r, k), default=0) for r in runs) < k:
        # fewer numbers than cells: a row that lost a cell or two, each reading with those cells not printed
        assert found.remark.startswith("printed ")
        assert all(c.state == "missing" for r in found.readings for c in r if c.text is None)
        return
    assert found.total == len(cuts)
    assert found.agree == [len({c[i] for c in cuts}) == 1 for i in range(k)]
    if len(cuts) > 1:  # several readings: those that add up; a single one is kept as printed
        cuts = [c for c in cuts if sum(int(x) for _, x in c[:-1]) == int(c[-1][1])]
    assert sorted(tuple((c.line, c.text) for c in r) for r in found.readings) == sorted(cuts)


@settings(max_examples=300, deadline=None)
@given(text=st.from_regex(r"\A[+\-]?[0-9]{1,12}(元|万元)?\Z"), k=st.integers(1, 8))
def test_part_counts_are_the_counts_splits_finds_a_cut_for(text, k):
    assert _part_counts(text, k) == tuple(p for p in range(1, k + 1) if splits(text, p, 1))


# --- tables aligned by spaces (text laid out from a PDF) ---------------------------------------------------------

from govlib.cells import Aligned, tokenize  # noqa: E402
from govlib.fitting import Unplaced, place_aligned  # noqa: E402

SEVEN = tuple("abcdefg")


def _aligned(text, first_col=0):
    tokens = tokenize(text, 10, False, first_col)
    assert isinstance(tokens, Aligned)
    return tokens


def test_a_value_printed_on_the_wrapped_label_line_goes_to_its_column():
    #             （一）予以公            3      2     0     0     5     35
    #             开           25
    # (the row's text starts after its label, in column 18)
    row = _aligned("            3      2     0     0     5     35\n            开           25\n", first_col=18)
    assert [(t.text, t.line) for t in row if t.kind == VALUE] == [
        ("25", 11), ("3", 10), ("2", 10), ("0", 10), ("0", 10), ("5", 10), ("35", 10)]


def _grid_rows():
    return {"one": _aligned("       1     2     3     4     5     6     21\n"),
            "two": _aligned("       0     0     1     0     0     0      1\n")}


def test_a_blank_cell_of_an_aligned_table_is_placed_by_the_columns_of_complete_rows():
    rows = _grid_rows() | {"gaps": _aligned("       7           1                       8\n")}
    placed = place_aligned(rows, 7)
    assert [(t.kind, t.text) for t in placed["gaps"]] == [
        (VALUE, "7"), ("blank", ""), (VALUE, "1"), ("blank", ""), ("blank", ""), ("blank", ""), (VALUE, "8")]
    fitted = fit_table(placed, {r: SEVEN for r in placed}, {}, [])
    assert [fitted.cells[("gaps", c)].state for c in SEVEN] == ["read", "blank", "read", "blank", "blank", "blank",
                                                               "read"]


def test_values_run_together_from_two_rows_leave_the_row_unplaced():
    # the next row's label broke apart, its values joined this row's: two values in one column
    rows = _grid_rows() | {"joined": _aligned("       7     1     0     0     0     0      8\n         2        3\n")}
    placed = place_aligned(rows, 7)
    assert isinstance(placed["joined"], Unplaced)
    fitted = fit_table(placed, {r: SEVEN for r in placed}, {}, [])
    assert {fitted.cells[("joined", c)].state for c in SEVEN} == {"unresolved"}
    assert [n.rule for n in fitted.notes] == ["unreadable"]


def test_without_columns_to_go_by_a_wrapped_row_short_of_values_is_not_guessed():
    rows = {"review": _aligned("   3   1    4   0    8\n                1\n")}  # 6 values, 15 columns, two lines
    assert isinstance(place_aligned(rows, 15)["review"], Unplaced)
    rows = {"review": _aligned("   3   1    4   0    1\n                     1\n")}  # 11 wrapped within its cell
    assert "wrapped within its cell" in place_aligned(rows, 6)["review"].reason
    rows = {"row": _aligned("   3   1    4   0    8   16\n")}  # all on one line: left to the usual readings
    assert place_aligned(rows, 7)["row"] is rows["row"]


# --- rows whose values run over several lines in reading order (text taken from a PDF without its layout) ----------

def test_a_value_set_lower_in_its_row_is_never_put_in_the_wrong_column():
    # "2.重复申请 0 0 0 0 0 26" and, a line lower, "26": the natural persons' 26 comes last in reading order, and
    # reading it in the other organisations' column would still satisfy I2
    row = tokenize(" 0 0 0 0 0 26\n26\n", 10, False)
    assert type(row).__name__ == "Wrapped"
    found = readings(row, 7, ([Constraint("I2", (("r", "g"),), tuple(("r", c) for c in "abcdef"))], SEVEN))
    assert found.total == 7 and "over 2 lines" in found.remark
    fitted = fit_table({"r": row}, {"r": SEVEN}, {"r": [Constraint("I2", (("r", "g"),),
                                                                    tuple(("r", c) for c in "abcdef"))]}, [])
    cells = [fitted.cells[("r", c)] for c in SEVEN]
    # the total is 26 whichever printed 26 it is: its value is certain, its place in the text is not
    assert [c.state for c in cells] == ["unresolved"] * 6 + ["inferred"] and cells[-1].value == 26
    # a column identity with another row settles it: then 26 is the natural persons', inferred
    table = [Constraint("C", (("r", c),), (("s", c),)) for c in SEVEN]
    fitted = fit_table({"r": row, "s": [Token(VALUE, v, 20) for v in "26 0 0 0 0 0 26".split()]},
                       {"r": SEVEN, "s": SEVEN},
                       {"r": [Constraint("I2", (("r", "g"),), tuple(("r", c) for c in "abcdef"))]}, table)
    assert [fitted.cells[("r", c)].value for c in SEVEN] == [26, 0, 0, 0, 0, 0, 26]
    assert fitted.cells[("r", "a")].state == "inferred"


def test_a_label_broken_apart_by_values_and_the_column_beside_reads_whole():
    from govlib.cells import label_view
    from govlib.codebook import label_pattern

    region = ("（五    1.信访举报投      0     5     5     3  13\n"
              "）不    诉类申请\n"
              "予处\n")
    view = label_view(region, "aligned")
    assert len(view) == len(region) and view.count("\n") == region.count("\n")  # every character keeps its place
    assert [line.rstrip() for line in view.split("\n")] == ["      1.信访举报投", "      诉类申请", "予处", ""]
    assert re.search(label_pattern("1.信访举报投诉类申请"), view).start() == 6
    assert re.search(label_pattern("1.信访举报投诉类申请"), region) is None  # as printed, the values break it


def test_in_reading_order_a_label_broken_apart_is_found_and_its_row_read_word_by_word():
    from govlib.cells import label_view, spaced_layout
    from govlib.codebook import label_pattern

    region = "三、 (一)予以公 20 — 4 3 0 0 27\n本年 开\n度办\n"  # as folded: ASCII brackets
    assert spaced_layout(region) == "inline" and spaced_layout(region.replace(" ", "  ")) == "aligned"
    assert spaced_layout("\t20\n\t4\n") is None
    view = label_view(region, "inline")
    assert re.search(label_pattern("（一）予以公开"), view).start() == 3
    assert re.search(label_pattern("（一）予以公开"), region) is None
    row = tokenize(region, 1, False, words=True)
    assert [t.text for t in row if t.kind == VALUE] == ["20", "—", "4", "3", "0", "0", "27"]


# --- rows in reading order with thousands of readings (borderless PDFs: section 四's row over two lines) ----------

REVIEW = tuple(f"{g}{m}" for g in "xyz" for m in ("upheld", "corrected", "other", "pending", "total"))
I4 = [Constraint("I4", (("r", f"{g}total"),), tuple(("r", f"{g}{m}") for m in ("upheld", "corrected", "other",
                                                                                 "pending"))) for g in "xyz"]


def _row_in_reading_order(rng, k: int):
    """A row of k ± 2 values over two or three lines, as text taken from a PDF without its layout gives it."""
    from govlib.cells import Wrapped

    n = k + rng.choice([-2, -1, 0, 1, 2] if k == 7 else [-1, 0, 1])
    texts = [rng.choice(["0", "0", "1", "2", "3", "5", "12", "-"]) for _ in range(n)]
    # the values of the lines below the first: up to some 2,000 readings for 15 columns, 9,000 for 7
    later = rng.choice([[1], [2], [1, 1]] if k > 7 else [[1], [2], [3], [4], [1, 1], [2, 1]])
    lines = [10] * (n - sum(later)) + [11 + j for j, m in enumerate(later) for _ in range(m)]
    return Wrapped([Token(VALUE, t, line) for t, line in zip(texts, lines)])


def _reference_readings(row, k: int):
    """Every reading of a row in reading order, made the plain way: each order's cells built anew, then the
    distinct ones, and for each column whether they all place the same printed cell there."""
    import itertools

    from govlib.cells import MISSING, Cell, cell_from_text
    from govlib.fitting import MAX_READINGS, _interleavings

    groups = [list(g) for _, g in itertools.groupby(row, key=lambda t: t.line)]
    n, out = len(row), []
    orders = _interleavings(groups, MAX_READINGS)
    assert len(orders) < MAX_READINGS  # rows this test makes are read, not given up
    for order in orders:
        if n == k:
            out.append(tuple(cell_from_text(t.text, t.line) for t in order))
        elif n < k:
            for gaps in itertools.combinations(range(k), k - n):
                it = iter(order)
                out.append(tuple(Cell(None, MISSING, None, None) if i in gaps else
                                 cell_from_text(*(lambda t: (t.text, t.line))(next(it))) for i in range(k)))
        else:
            for drop in itertools.combinations(range(n), n - k):
                out.append(tuple(cell_from_text(t.text, t.line) for i, t in enumerate(order) if i not in drop))
    out = list(dict.fromkeys(out))
    agree = [len({(o[i].value, o[i].state, o[i].text, o[i].line) for o in out}) == 1 for i in range(k)]
    return out, agree


def test_a_row_in_reading_order_has_the_readings_made_the_plain_way():
    import random

    rng = random.Random(20261202)
    for _ in range(40):
        k = rng.choice([7, 15])
        row = _row_in_reading_order(rng, k)
        found = readings(row, k)
        expected, agree = _reference_readings(row, k)
        assert found.readings == expected and found.total == len(expected)
        assert found.agree == (agree if len(expected) > 1 else [True] * k)


def test_readings_that_break_an_identity_outright_are_set_aside_before_they_are_solved(monkeypatch):
    # the quick check of a reading's known cells (whole numbers) against the row's identities only saves time:
    # with it and without it, the same cells, states and findings
    import random

    from govlib import fitting

    rng = random.Random(4)
    rows = [_row_in_reading_order(rng, 15) for _ in range(40)]
    quick = [fit_table({"r": row}, {"r": REVIEW}, {"r": I4}, []) for row in rows]
    monkeypatch.setattr(fitting, "_whole_values", lambda reading: None)
    slow = [fit_table({"r": row}, {"r": REVIEW}, {"r": I4}, []) for row in rows]
    assert quick == slow
    states = {c.state for f in quick for c in f.cells.values()}
    assert {"inferred", "unresolved"} <= states  # rows that settle and rows that do not, both weighed
    assert any("none of the" in n.message for f in quick for n in f.notes)
