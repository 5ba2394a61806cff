"""The identities a correct report satisfies (I1–I4 of the spec) as constraints over cells, and the one evaluation of
a constraint that fitting (to choose between readings) and validation (to report breaches) both use.

A constraint says sum(lhs) == sum(rhs) over cell keys (row, column). Cells that are not known (blank, dash,
missing, unresolved) are non-negative unknowns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import codebook
from .cells import KNOWN, MISSING, Cell
from .codebook import REVIEW_ROW, SUBTOTAL

IDENTITY_TEXT = {
    "I1": "new + carried over = handled + carried forward",
    "I2": "total = the sum of the six applicant columns",
    "I3": "total handled = the sum of all outcome rows",
    "I4": "total = upheld + corrected + other + pending",
}


@dataclass(frozen=True, slots=True)
class Constraint:
    """sum(lhs) == sum(rhs), over cell keys (row, column); ``what`` says it in words where the rule's own text
    (``IDENTITY_TEXT``) does not fit."""

    rule: str
    lhs: tuple[tuple[str, str], ...]
    rhs: tuple[tuple[str, str], ...]
    what: str = ""

    @property
    def text(self) -> str:
        return self.what or IDENTITY_TEXT[self.rule]


OK, FAIL, OPEN = "ok", "fail", "open"


def evaluate(c: Constraint, grid: dict[tuple[str, str], Cell]) -> tuple[str, tuple[tuple[str, str], int] | None]:
    """Whether a constraint holds on ``grid``; with exactly one missing cell and nothing else unknown, its value.

    Unknown cells (blank, dash, missing, unresolved) are non-negative unknowns: the result is ``open`` when some
    values would satisfy the constraint, ``fail`` when none would.
    """
    diff = 0
    for key in c.rhs:  # most identities: every cell known, a plain sum either side
        cell = grid.get(key)
        if cell is None or cell.value is None or cell.state not in KNOWN:
            break
        diff += cell.value
    else:
        for key in c.lhs:
            cell = grid.get(key)
            if cell is None or cell.value is None or cell.state not in KNOWN:
                break
            diff -= cell.value
        else:
            return (OK if diff == 0 else FAIL), None
    return decide(*accumulate([(-1, key, grid.get(key)) for key in c.lhs] +
                                [(1, key, grid.get(key)) for key in c.rhs]))


def accumulate(*sides, diff=0, missing=(), free_l=False, free_r=False):
    """Add cells (sign, key, cell) to a running sum: ``diff`` (rhs − lhs over known cells), the ``missing`` cells,
    and whether an unknown cell sits on the left or the right."""
    missing = list(missing)
    for side in sides:
        for sign, key, cell in side:
            if cell is not None and cell.state in KNOWN and cell.value is not None:
                diff += sign * cell.value
            elif cell is not None and cell.state == MISSING:
                missing.append((sign, key))
            elif sign < 0:
                free_l = True
            else:
                free_r = True
    return diff, missing, free_l, free_r


def decide(diff, missing, free_l, free_r) -> tuple[str, tuple[tuple[str, str], int] | None]:
    # lhs = rhs  <=>  rhs_known - lhs_known + (unknown rhs) - (unknown lhs) = 0
    if not missing and not free_l and not free_r:
        return (OK if diff == 0 else FAIL), None
    if len(missing) == 1 and not free_l and not free_r:
        sign, key = missing[0]
        value = diff if sign < 0 else -diff
        if value < 0 or value != int(value):
            return FAIL, None
        return OK, (key, int(value))
    left = free_l or any(s < 0 for s, _ in missing)
    right = free_r or any(s > 0 for s, _ in missing)
    if left and right:
        return OPEN, None
    if left:
        return (OPEN if diff >= 0 else FAIL), None
    return (OPEN if diff <= 0 else FAIL), None


GROUP_TOTAL = "a group's total = the sum of its sub-rows"


def zeros(c: Constraint, grid: dict[tuple[str, str], Cell]) -> tuple[tuple[str, str], ...]:
    """The cells a constraint forces to 0: where every unknown cell is one not printed (``missing``), all on one
    side, and the known cells leave nothing for them (counts are never negative: N)."""
    diff, missing, free_l, free_r = accumulate([(-1, key, grid.get(key)) for key in c.lhs] +
                                               [(1, key, grid.get(key)) for key in c.rhs])
    if len(missing) < 2 or free_l or free_r or diff != 0 or len({sign for sign, _ in missing}) != 1:
        return ()
    return tuple(key for _, key in missing)


@cache
def application_constraints(name: str, columns: tuple[str, ...] | None = None, rows: tuple[str, ...] | None = None,
                            printed: tuple[str, ...] | None = None
                            ) -> tuple[dict[str, list[Constraint]], list[Constraint]]:
    """The identities of section 三 for template ``name``, the printed applicant columns and, where a group is
    printed in the other template's form (``rows``: every row of the table, ``printed``: the rows printed, a group
    in one form), that form's rows: I3 sums the outcome rows as printed, and the group's total is the sum of its
    sub-rows."""
    t = codebook.template(name)
    cols = list(columns or [a.code for a in t.applicants])
    parts = [c for c in cols if c not in ("total", SUBTOTAL)]
    orgs = [c for c in parts if c != "natural_person"]
    own = [r.code for r in t.applications]
    rows = list(rows or own)
    extra = [r for r in rows if r not in own]
    groups = {}
    for r in extra:
        groups.setdefault(codebook.code("application", r).group, []).append(r)
    per_row = {r: [Constraint("I2", ((r, "total"),), tuple((r, c) for c in parts))] for r in rows}
    if SUBTOTAL in cols:
        for r in rows:
            per_row[r].append(Constraint("I2", ((r, SUBTOTAL),), tuple((r, c) for c in orgs)))
    table = []
    for c in cols:
        table.append(Constraint("I1", (("new_received", c), ("carried_over", c)),
                                (("total_handled", c), ("carried_forward", c))))
        outcomes = [r for r in (printed or t.outcome_rows) if r in t.outcome_rows or r in extra]
        table.append(Constraint("I3", (("total_handled", c),), tuple((r, c) for r in outcomes)))
        for group in groups:  # （六） printed as one row (the 2019 form) and as sub-rows (the 2021 form)
            form = [r.code for r in codebook.codes() if r.table == "application" and r.group == group and
                    r.code in rows]
            total = next(r for r in form if r == group)
            table.append(Constraint("I3", ((total, c),), tuple((r, c) for r in form if r != total), GROUP_TOTAL))
    return per_row, table


@cache
def review_constraints(name: str) -> list[Constraint]:
    """I4 for each of section 四's three groups: 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    t = codebook.template(name)
    groups: dict[str, list[str]] = {}
    for m in t.review_litigation:
        groups.setdefault(m.group, []).append(m.code)
    out = []
    for codes in groups.values():
        total = next(c for c in codes if c.endswith("_total"))
        out.append(Constraint("I4", ((REVIEW_ROW, total),), tuple((REVIEW_ROW, c) for c in codes if c != total)))
    return out
