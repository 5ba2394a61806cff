"""The fitting layer on its own: readings, identities, and what happens when they cannot decide."""

from govlib.cells import Token, VALUE
from govlib.fitting import Constraint, fit_table, readings

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
