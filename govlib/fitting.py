"""Fitting printed cells to the template, using the report's own identities where the layout is ambiguous.

A row's tokens can usually be read one way only. When they cannot — glued digits, a missing or an extra cell — every
reading is listed; the identities (I2 within a row, I1 and I3 across rows, I4 within a review group) keep the
readings that the rest of the table is consistent with. A cell all remaining readings agree on is ``inferred``
(naming the identity); a cell they disagree on stays null, ``unresolved``, with a finding. A single reading is never
"corrected": if it breaks an identity, that is reported by validation, not changed here.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import getitem, itemgetter
from typing import NamedTuple

from .cells import (BLANK, BLANK_STATE, DASH, EMPTY, INFERRED, KNOWN, MISSING, READ, SEP, TEXT, UNRESOLVED, VALUE,
                    Aligned, Cell, Token, Wrapped, cell_from_text, count_splits, parse_number, piece_ends, splits)
from .identities import FAIL, Constraint, accumulate, decide, evaluate, zeros
from .limits import GLUED_STEPS, MAX_NUMBER_CHARS

MAX_READINGS = 20000
SPLIT_LIMIT = 5000
MAX_COMBINATIONS = 50000


@dataclass(frozen=True, slots=True)
class Note:
    """Something the fitting noticed: becomes a finding."""

    rule: str
    severity: str
    cells: tuple[tuple[str, str], ...]
    message: str


def _plain_row(tokens: list[Token], k: int) -> tuple[Cell, ...] | None:
    """The cells of a row printed one value a column (most rows), or None.

    The row's only reading, as ``readings`` would give it: there are k values, none glued, and ``_prepare`` keeps no
    blank beside them (empty fields, row ends, text and the merged label cells around a row are all dropped).
    """
    if isinstance(tokens, Wrapped):
        return None  # values run over several lines in reading order: their columns are not shown
    values = []
    blank = False
    for t in tokens:
        kind = t[0]
        if kind == VALUE:
            if t[3]:  # glued
                return None
            values.append(t)
        elif kind == BLANK:
            blank = True
    if len(values) != k or (blank and len(_prepare(tokens)[0]) != k):
        return None
    out = []
    for _, text, line, _ in values:
        out.append(cell_from_text(text, line))
    return tuple(out)


def _prepare(tokens: list[Token]) -> tuple[list[Token], bool]:
    """Value and blank tokens of a row, without the structural blanks of the rows around it.

    In cell-per-line layouts an empty line ends a row: blanks after it are the next row's merged label cells, and
    blanks before it that no value joins (with values still to come) are the end of the row above.
    """
    out: list[Token] = []
    ended = False
    saw_empty = False
    last_value = len(tokens) - 1
    while last_value >= 0 and tokens[last_value][0] != VALUE:
        last_value -= 1
    for i, t in enumerate(tokens):
        kind = t[0]
        if kind == VALUE:
            out.append(t)
        elif kind == BLANK:
            if not ended:
                out.append(t)
        elif kind == SEP:
            if out and not ended and i < last_value and all(o[0] == BLANK for o in out):
                out.clear()
                continue
            ended = ended or bool(out)
        elif kind == EMPTY:
            saw_empty = True
    return out, saw_empty


@dataclass
class Options:
    """The readings of a row: those kept (all, or those ``accept`` let through), how many there were in all, and
    for each column whether every reading placed the same printed cell there."""

    readings: list[tuple[Cell, ...]]
    remark: str | None
    total: int
    agree: list[bool]
    overflow: bool = False  # more readings than can be weighed: none may be trusted


def _agreement(readings: list[tuple[Cell, ...]], k: int) -> list[bool]:
    return [_one_printed_cell(o[i] for o in readings) for i in range(k)]


def _one_printed_cell(cells) -> bool:
    """Whether cells are all the same printed cell: value, state, text and line (how it was weighed aside)."""
    return len({(c.value, c.state, c.text, c.line) for c in cells}) == 1


def readings(tokens: list[Token], k: int, accept=None) -> Options:
    """Every way the row's tokens can fill ``k`` cells, with a remark when the layout is not one-to-one.

    ``accept`` (a row's constraints and columns) rejects glued readings that break the row's own identities
    before their cells are built; it only ever judges a row that has several readings.
    """
    plain = _plain_row(tokens, k)
    if plain is not None:
        return Options([plain], None, 1, [True] * k)
    return _readings(tokens, k, accept)


def _readings(tokens: list[Token], k: int, accept) -> Options:
    """``readings`` of a row that is not printed one plain value a column."""
    toks, saw_empty = _prepare(tokens)
    line = tokens[0].line if tokens else None
    if not any(t.kind == VALUE for t in toks):
        if toks or saw_empty or not tokens:
            lines = [t.line for t in toks] + [None] * k
            one = tuple(Cell(None, BLANK_STATE, lines[i] if toks else line, "") for i in range(k))
            return Options([one], None, 1, [True] * k)

    def cell(t: Token, text: str | None = None) -> Cell:
        if t.kind == BLANK:
            return Cell(None, BLANK_STATE, t.line, "")
        return cell_from_text(t.text if text is None else text, t.line)

    toks = _run_together(toks, k)
    if any(t.glued for t in toks):
        too_long = _too_long(toks, k)  # before any count of cuts: more digits than the cells can print
        if too_long is not None:
            return too_long
        most = sum(max(_part_counts(t.text, k), default=0) if t.glued else 1 for t in toks)
        if most < k:  # fewer cells printed than columns: a cell lost, or a blank the text does not show
            return _short_glued(toks, k, most, cell)
        if all(t.glued and t.text.isascii() and t.text.isdigit() for t in toks):
            if sum(len(t.text) for t in toks) == k:  # one digit a cell: the only cut, kept as printed
                return Options([tuple(cell_from_text(ch, t.line) for t in toks for ch in t.text)], None, 1, [True] * k)
            if accept not in (None, EVERY) and _is_total_of_the_rest(*accept):
                return _glued_total_last(toks, k)
        check = _every if accept is EVERY else (_acceptor(*accept) if accept else None)
        return _glued_readings(toks, k, cell, check)
    n = len(toks)
    remark = f"printed {n} cells for {k} columns" if n != k else None
    orders = [toks]
    if isinstance(tokens, Wrapped) and abs(n - k) <= 2:  # the values of later lines may stand in any column
        groups = [list(g) for _, g in itertools.groupby(toks, key=lambda t: t.line)]
        orders = _interleavings(groups, MAX_READINGS)
        if len(orders) >= MAX_READINGS:
            return Options([], "too many ways to order the values printed on several lines", len(orders), [False] * k,
                           True)
        remark = (f"{remark}; " if remark else "") + (
            f"its values run over {len(groups)} lines in reading order, which does not show the columns of those "
            f"on later lines")
    # A reading is first a tuple of numbers, one for each distinct cell (equal cells, one number): the orders of a
    # row over several lines give tens of thousands of readings, and numbers are quicker to tell apart than cells.
    distinct: dict[Cell, int] = {}
    number = {t: distinct.setdefault(cell(t), len(distinct)) for t in toks}
    lost = distinct.setdefault(Cell(None, MISSING, None, None), len(distinct))
    keys: list[tuple[int, ...]] = []
    for order in orders:
        numbers = list(map(number.__getitem__, order))
        if n == k:
            keys.append(tuple(numbers))
        elif n < k and k - n <= 2:
            for gaps in itertools.combinations(range(k), k - n):
                it = iter(numbers)
                keys.append(tuple(lost if i in gaps else next(it) for i in range(k)))
        elif n > k and n - k <= 2:
            for drop in itertools.combinations(range(n), n - k):
                keys.append(_without(numbers, drop))
    if len(orders) > 1:
        keys = list(dict.fromkeys(keys))
    cells = list(distinct)
    out = [tuple(map(cells.__getitem__, key)) for key in keys]
    if len(out) <= 1:
        return Options(out, remark, len(out), [True] * k)
    # each column's distinct cells, by their numbers, then whether they are one printed cell
    agree = [_one_printed_cell(map(cells.__getitem__, set(map(itemgetter(i), keys)))) for i in range(k)]
    return Options(out, remark, len(out), agree)


def _without(cells: list, drop: tuple[int, ...]) -> tuple:
    """``cells`` but those at the places in ``drop`` (ascending)."""
    out: list = []
    start = 0
    for d in drop:
        out += cells[start:d]
        start = d + 1
    out += cells[start:]
    return tuple(out)


EVERY = object()  # ``accept`` that lists every reading, weighed by none of the row's identities


def _every(values) -> bool:
    return True


def _run_together(toks: list[Token], k: int) -> list[Token]:
    """Digits run together in a layout that otherwise separates its cells ("000000000000000" under section 四's
    header in a table of cells): a row printing fewer cells than columns whose only value is a run of at least as
    many digits as columns, or whose values include a run that starts with 0 (never one printed number), is read as
    glued digits."""
    if len(toks) >= k or any(t.glued for t in toks):
        return toks
    values = [t for t in toks if t.kind == VALUE]
    if not values or not all(t.text.isascii() and t.text.isdigit() for t in values):
        return toks
    if sum(len(t.text) for t in values) < k:
        return toks
    if len(values) == 1 or any(len(t.text) > 1 and t.text[0] == "0" for t in values):
        return [t._replace(glued=True) if t.kind == VALUE and len(t.text) > 1 else t for t in toks]
    return toks


def _short_glued(toks: list[Token], k: int, most: int, cell) -> Options:
    """Glued digits that cannot fill ``k`` cells (six 0s for seven columns): every cut into as many cells as they
    can fill, with the cells they do not fill (at most two) not printed, anywhere in the row. The identities decide
    those cells, or nothing does and they stay empty."""
    remark = f"printed {most} cells for {k} columns"
    if k - most > 2:
        return Options([], remark, 0, [False] * k)
    found = _glued_readings(toks, most, cell, _every)
    if found.overflow:
        return Options([], remark + "; " + (found.remark or ""), found.total, [False] * k, True)
    lost = Cell(None, MISSING, None, None)
    out = []
    for reading in found.readings:
        for gaps in itertools.combinations(range(k), k - most):
            it = iter(reading)
            out.append(tuple(lost if i in gaps else next(it) for i in range(k)))
    out = list(dict.fromkeys(out))
    return Options(out, remark, len(out), _agreement(out, k) if len(out) > 1 else [True] * k)


def _interleavings(groups: list[list[Token]], limit: int) -> list[list[Token]]:
    """Every order of the values that keeps each line's own order, left to right (at most ``limit``)."""
    out: list[list[Token]] = []
    taken = [0] * len(groups)
    acc: list[Token] = []

    def walk() -> None:
        if len(out) >= limit:
            return
        if len(acc) == sum(map(len, groups)):
            out.append(list(acc))
            return
        for j, group in enumerate(groups):
            if taken[j] < len(group):
                acc.append(group[taken[j]])
                taken[j] += 1
                walk()
                taken[j] -= 1
                acc.pop()

    walk()
    return out


@lru_cache(maxsize=65536)
def _number_of(text: str):
    number = parse_number(text)
    return None if number is None else number.value


def _compositions(toks: list[Token], k: int):
    """How many cells each token fills (a glued token as many as it can be cut into, any other token one)."""
    options = [_part_counts(t.text, k) if t.glued else (1,) for t in toks]
    least = [sum(min(o, default=k + 1) for o in options[i:]) for i in range(len(toks))] + [0]
    most = [sum(max(o, default=0) for o in options[i:]) for i in range(len(toks))] + [0]

    def walk(i: int, left: int, acc: tuple[int, ...]):
        if i == len(toks):
            if left == 0:
                yield acc
            return
        for parts in options[i]:
            rest = left - parts
            if least[i + 1] <= rest <= most[i + 1]:
                yield from walk(i + 1, rest, acc + (parts,))

    yield from walk(0, k, ())


@lru_cache(maxsize=8192)
def _part_counts(text: str, k: int) -> tuple[int, ...]:
    """Into how many printed numbers (at most ``k``) glued text can be cut: those ``splits`` finds a way for,
    worked out in one pass (bit p of ``reach[pos]`` set when ``text[:pos]`` can be cut into p numbers)."""
    for unit in ("万元", "元"):  # a unit stays with the last number, as in ``splits``
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if not text:
        return ()
    n = len(text)
    ends = piece_ends(text)
    reach = [0] * (n + 1)
    reach[0] = 1
    for pos in range(n):
        if reach[pos]:
            for e in ends[pos]:
                reach[e] |= reach[pos] << 1
    return tuple(p for p in range(1, k + 1) if reach[n] >> p & 1)


_TOO_MANY = "too many ways to cut the glued digits to weigh"


def _too_long(toks: list[Token], k: int) -> Options | None:
    """A row whose glued digits are longer than its ``k`` cells can print (``limits.MAX_NUMBER_CHARS`` each): left
    empty before any cut is tried (a run of 1,000 digits once took gigabytes)."""
    digits = sum(len(t.text.removesuffix("元").removesuffix("万")) for t in toks if t.glued)
    if digits <= k * MAX_NUMBER_CHARS:
        return None
    return Options([], f"its glued digits run {digits} characters long, more than its {k} cells can print (a "
                       f"number is at most {MAX_NUMBER_CHARS} characters)", 0, [False] * k, True)


def _glued_readings(toks: list[Token], k: int, cell, accept) -> Options:
    """Every cut of the glued tokens into ``k`` cells (kept when ``accept`` allows, or a sample when there is no
    identity to weigh them), with the total count and the agreement worked out per token, not per cut."""
    too_long = _too_long(toks, k)
    if too_long:
        return too_long
    layouts = []
    for comp in _compositions(toks, k):
        if any(t.glued and count_splits(t.text, p) >= SPLIT_LIMIT for t, p in zip(toks, comp)):
            return Options([], _TOO_MANY, SPLIT_LIMIT, [False] * k, True)
        choices = [splits(t.text, p, SPLIT_LIMIT) if t.glued else ((t.text,),) for t, p in zip(toks, comp)]
        if all(choices):
            layouts.append((tuple(t for t, p in zip(toks, comp) for _ in range(p)), choices))
    total = sum(math.prod(len(c) for c in choices) for _, choices in layouts)
    if total > MAX_READINGS and accept is not None:
        return Options([], _TOO_MANY, total, [False] * k, True)
    seen: list[set] = [set() for _ in range(k)]
    for owners, choices in layouts:
        i = 0
        for c in choices:
            for q in range(len(c[0])):
                seen[i].update((owners[i].line, r[q]) for r in c)
                i += 1
    agree = [len(x) == 1 for x in seen]
    found: list[tuple[tuple[Token, ...], tuple[str, ...]]] = []
    wanted = MAX_READINGS if accept is not None or total <= 1 else 8  # with nothing to weigh, a sample will do
    for owners, choices in layouts:
        for combo in itertools.product(*choices):
            found.append((owners, tuple(itertools.chain.from_iterable(combo))))
            if len(found) >= wanted:
                break
        if len(found) >= wanted:
            break
    if total > 1 and accept is not None:
        numbers: dict[str, int | float | None] = {}

        def number(o: Token, x: str):
            if o.kind == BLANK:
                return None
            v = numbers.get(x, numbers)
            if v is numbers:
                v = numbers[x] = _number_of(x)
            return v

        found = [(owners, texts) for owners, texts in found if accept([number(o, x) for o, x in zip(owners, texts)])]
    out = [tuple(cell(o, x) for o, x in zip(owners, texts)) for owners, texts in found]
    return Options(out, None, total, agree)


def _is_total_of_the_rest(constraints: list[Constraint], columns: tuple[str, ...]) -> bool:
    """Whether the row's one identity is "the last column is the sum of all the others" (I2's shape)."""
    return _total_of_the_rest(tuple(constraints), columns)


@lru_cache(maxsize=256)
def _total_of_the_rest(constraints: tuple[Constraint, ...], columns: tuple[str, ...]) -> bool:
    if len(constraints) != 1:
        return False
    c = constraints[0]
    return [k[1] for k in c.lhs] == [columns[-1]] and sorted(k[1] for k in c.rhs) == sorted(columns[:-1])


def _glued_total_last(toks: list[Token], k: int) -> Options:
    """Glued digits of a row whose last cell is the sum of the others, read total first.

    The same readings as cutting every way and checking the sum, found without listing the cuts that cannot
    add up: the total is tried at every length, and no cell before it may exceed what is left of it. A number
    never runs across the space between two glued runs.
    """
    too_long = _too_long(toks, k)
    if too_long:
        return too_long
    text = "".join(t.text for t in toks)
    n = len(text)
    owner_at = []
    ends: list = []  # where a number starting at each offset can end: plain digits, so a 0 is a number alone
    for t in toks:
        offset = len(owner_at)
        stop = offset + len(t.text)
        ends += [(i + 1,) if ch == "0" else range(i + 1, min(stop, i + MAX_NUMBER_CHARS) + 1)
                 for i, ch in enumerate(t.text, offset)]
        owner_at += [t] * len(t.text)
    ends.append(())
    # how many cuts there are in all, and which cells every cut places alike (from reachability both ways).
    # reach[pos] packs, in lanes of ``lane`` bits, how many ways text[:pos] is cut into 0, 1, … k numbers (a count
    # never exceeds 2^(n-1), the cuts of n digits, so lanes never overflow); bit j of finish[pos] is set when
    # text[pos:] can be cut into j numbers; bit i of reached[pos] is set when text[:pos] can be cut into i numbers
    lane = n + 1
    lanes = (1 << (k + 1) * lane) - 1
    bits = (1 << k + 1) - 1
    reach = [0] * (n + 1)
    reach[0] = 1
    reached = [0] * (n + 1)
    reached[0] = 1
    for pos in range(n):
        if reach[pos]:
            more = reach[pos] << lane & lanes
            also = reached[pos] << 1 & bits
            for e in ends[pos]:
                reach[e] += more
                reached[e] |= also
    finish = [0] * (n + 1)
    finish[n] = 1
    for pos in range(n - 1, -1, -1):
        f = 0
        for e in ends[pos]:
            f |= finish[e]
        finish[pos] = f << 1 & bits
    one = (1 << lane) - 1
    total = reach[n] >> k * lane & one
    if total == 1:  # one reading: kept as printed even if it breaks the identity
        pos, spans = 0, []
        for i in range(k):
            e = next(e for e in ends[pos] if finish[e] >> k - 1 - i & 1)
            spans.append((pos, e))
            pos = e
        return Options([tuple(cell_from_text(text[a:b], owner_at[a].line) for a, b in spans)], None, 1, [True] * k)
    agree = [_one_cell_at(i, k, text, owner_at, ends, reached, finish) for i in range(k)]
    found: list[tuple[tuple[int, int], ...]] = []
    budget = [GLUED_STEPS]  # steps of the search left: a row never takes more than a budget of time
    for start in range(k - 1, n):
        if reached[start] >> k - 1 & 1 and n in ends[start]:
            found += [r + ((start, n),) for r in _sums_to(text, ends, start, k - 1, int(text[start:]), budget)]
            if budget[0] < 0:
                return Options([], _TOO_MANY, total, [False] * k, True)
    return Options([tuple(cell_from_text(text[a:b], owner_at[a].line) for a, b in r) for r in found], None, total,
                   agree)


@lru_cache(maxsize=4096)
def _bounds(span: int, parts: int) -> tuple[int, int]:
    """The least and the greatest sum of ``parts`` numbers printed in ``span`` digits (no leading zeros).

    A number of d ≥ 2 digits is at least 10^(d-1) (a single digit may be 0), and that grows faster than d, so the
    least sum spreads the digits evenly; the greatest puts all it can into one number.
    """
    q, r = divmod(span, parts)
    least = r * 10 ** q + (parts - r) * (10 ** (q - 1) if q >= 2 else 0)
    most = 10 ** (span - parts + 1) - 1 + 9 * (parts - 1)
    return least, most


def _one_cell_at(i: int, k: int, text: str, owner_at, ends, reached: list[int], finish: list[int]) -> bool:
    """Whether every cut places the same printed cell (line and text) in column ``i``: one starting where i numbers
    can come before (``reached``) and ending where k-1-i numbers can follow (``finish``); stops at the first that
    does not."""
    first = None
    bit = k - 1 - i
    for s, r in enumerate(reached):
        if r >> i & 1:
            for e in ends[s]:
                if finish[e] >> bit & 1:
                    here = (owner_at[s].line, text[s:e])
                    if first is None:
                        first = here
                    elif here != first:
                        return False
    return first is not None


def _sums_to(text: str, ends: list[list[int]], stop: int, parts: int, total: int,
             budget: list[int]) -> list[tuple[tuple[int, int], ...]]:
    """Every cut of ``text[:stop]`` into ``parts`` numbers (pieces from ``ends``) that add up to ``total``, in order.

    Branches that cannot reach the total are cut short: what is left must lie between the least and the greatest
    sum that the digits left can print (``_bounds``). Each step spends one of ``budget[0]``; when it runs out the
    search stops (``budget[0]`` below 0) and what was found is incomplete.
    """
    def cuts(pos: int, left: int, remaining: int) -> list[tuple[tuple[int, int], ...]]:
        budget[0] -= 1
        if budget[0] < 0:
            return []
        if left == 1:
            return [((pos, stop),)] if stop in ends[pos] and int(text[pos:stop]) == remaining else []
        out = []
        for e in ends[pos]:
            if e >= stop:
                break
            value = int(text[pos:e])
            if value > remaining:
                break  # a longer number is larger still
            if left == 2:  # the last number is what is left, if it can be printed there
                if stop in ends[e] and int(text[e:stop]) == remaining - value:
                    out.append(((pos, e), (e, stop)))
                continue
            least, most = _bounds(stop - e, left - 1)
            if least <= remaining - value <= most:
                out += [((pos, e),) + rest for rest in cuts(e, left - 1, remaining - value)]
        return out

    least, most = _bounds(stop, parts)
    return cuts(0, parts, total) if least <= total <= most else []


def _acceptor(constraints: list[Constraint], columns: tuple[str, ...]):
    """A quick numeric check of a row's own identities, for pruning glued readings before cells are built."""
    index = {c: i for i, c in enumerate(columns)}
    checks = [([index[k[1]] for k in c.lhs], [index[k[1]] for k in c.rhs]) for c in constraints]
    if not checks:
        return None

    def accept(values) -> bool:
        for lhs, rhs in checks:
            left = [values[i] for i in lhs]
            right = [values[i] for i in rhs]
            if None in left or None in right:
                continue
            if sum(left) != sum(right):
                return False
        return True

    return accept


def _whole_values(reading: tuple[Cell, ...]) -> list | None:
    """The values of a reading's known cells (None for the others), for ``_acceptor``; None if one is not a whole
    number (``evaluate`` adds decimals in an order of its own)."""
    values = [c.value if c.state in KNOWN else None for c in reading]
    return values if all(type(v) is int for v in values if v is not None) else None


def _row_grid(row: str, columns: tuple[str, ...], cells: tuple[Cell, ...]) -> dict[tuple[str, str], Cell]:
    return {(row, col): c for col, c in zip(columns, cells)}


def _apply(reading: tuple[Cell, ...], row: str, columns: tuple[str, ...],
           constraints: list[Constraint]) -> tuple[tuple[Cell, ...], bool]:
    """Solve the missing cells a reading leaves that its row's identities fix; False if the reading breaks one."""
    cells = list(reading)
    ok = True
    changed = True
    while changed:
        changed = False
        grid = _row_grid(row, columns, tuple(cells))
        for c in constraints:
            status, solved = evaluate(c, grid)
            if status == FAIL:
                ok = False
            if solved:
                i = columns.index(solved[0][1])
                cells[i] = Cell(solved[1], INFERRED, None, None, c.rule)
                changed = True
                break
    return tuple(cells), ok


class Unplaced(NamedTuple):
    """A row whose printed values cannot be put in columns: its cells stay empty, with a finding saying why."""

    line: int | None
    reason: str


def place_aligned(rows: dict[str, list[Token] | None], k: int) -> dict[str, list[Token] | Unplaced | None]:
    """Rows of a table aligned by spaces (text laid out from a PDF), each value put in the column it stands in.

    A blank cell prints nothing there, so a row that prints fewer values than columns cannot be read in order. The
    columns are where the rows that print all ``k`` values put them (two such rows at least, agreeing); each value
    goes to the nearest column, a column without one is blank. A value that stands in no column, or in one already
    taken (the values of a row whose label the layout broke apart), leaves the row unplaced. Where there are no
    columns to go by, a row is unplaced when it prints more values than columns, when it runs over several lines
    without a value for every column, or when two of its values stand one above the other. Other rows are left as
    they are.
    """
    aligned = {name: toks for name, toks in rows.items() if isinstance(toks, Aligned)}
    if not aligned:
        return rows
    complete = [toks.xs for toks in aligned.values() if len(toks.xs) == k]
    grid = None
    if len(complete) >= 2:
        centres = [sorted(col)[len(col) // 2] for col in zip(*complete)]
        gaps = [b - a for a, b in zip(centres, centres[1:])]
        tolerance = min(gaps) / 2 if gaps else 0
        if tolerance > 0 and all(abs(x - c) < tolerance for xs in complete for x, c in zip(xs, centres)):
            grid = centres, tolerance
    out = dict(rows)
    for name, toks in aligned.items():
        values = [t for t in toks if t.kind == VALUE]
        line = values[0].line if values else None
        if grid is None:
            lines = {t.line for t in values}
            stacked = any(a.line != b.line and abs(x - y) <= 2 for (a, x), (b, y)
                          in itertools.combinations(zip(values, toks.xs), 2))
            if len(values) > k or (len(lines) > 1 and len(values) != k):
                out[name] = Unplaced(line, f"printed {len(values)} values for {k} columns on {len(lines)} lines of a "
                                           f"table aligned by spaces, where a blank cell prints nothing and a wrapped "
                                           f"row does not show which column each value is in")
            elif stacked:
                out[name] = Unplaced(line, "in a table aligned by spaces, two values stand one above the other in "
                                           "one column: a number may be wrapped within its cell")
            continue
        centres, tolerance = grid
        slots: list[Token | None] = [None] * k
        for t, x in zip(values, toks.xs):
            j = min(range(k), key=lambda j: abs(centres[j] - x))
            if abs(centres[j] - x) >= tolerance or slots[j] is not None:
                out[name] = Unplaced(line, f"in a table aligned by spaces, the value {t.text} (line {t.line}) stands "
                                           f"in no column that is free; the layout may have run two rows together")
                break
            slots[j] = t
        else:
            out[name] = [t if t is not None else Token(BLANK, "", line) for t in slots]
    return out


@dataclass
class Fitted:
    cells: dict[tuple[str, str], Cell]
    notes: list[Note]


def _describe(reading: tuple[Cell, ...]) -> str:
    return "|".join("·" if c.value is None else str(c.text if c.text else c.value) for c in reading)


def _keys(row: str, cols: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((row, c) for c in cols)


def fit_table(rows: dict[str, list[Token] | None], columns: dict[str, tuple[str, ...]],
              row_constraints: dict[str, list[Constraint]], table_constraints: list[Constraint]) -> Fitted:
    """Fit every row's tokens to its columns, then settle what the layout left open with the identities.

    ``rows`` maps a row code to its tokens (None when the row's label was not found); ``columns`` gives each row's
    column codes.
    """
    notes: list[Note] = []
    chosen: dict[str, tuple[Cell, ...]] = {}
    open_rows: dict[str, list[tuple[Cell, ...]]] = {}
    pre_agree: dict[str, list[bool]] = {}
    row_rules: dict[str, str | None] = {}
    for row, tokens in rows.items():
        cols = columns[row]
        if tokens is None:
            chosen[row] = tuple(Cell(None, MISSING, None, None) for _ in cols)
            notes.append(Note("missing_row", "warning", _keys(row, cols), f"row {row} was not found in the table"))
            continue
        if isinstance(tokens, Unplaced):
            chosen[row] = tuple(Cell(None, UNRESOLVED, tokens.line, None) for _ in cols)
            notes.append(Note("unreadable", "warning", _keys(row, cols), f"row {row}: {tokens.reason}; left empty"))
            continue
        plain = _plain_row(tokens, len(cols))
        if plain is not None:
            chosen[row] = plain
            continue
        constraints = row_constraints.get(row, [])
        found = _readings(tokens, len(cols), (constraints, cols) if constraints else None)
        options, remark = found.readings, found.remark
        if not options and (found.total <= 1 or found.overflow):
            chosen[row] = tuple(Cell(None, UNRESOLVED, tokens[0].line if tokens else None, None) for _ in cols)
            notes.append(Note("unreadable", "warning", _keys(row, cols),
                              f"row {row}: {remark or 'no reading'}; left empty"))
            continue
        if found.total == 1:
            only = options[0]
            chosen[row] = _apply(only, row, cols, constraints)[0] if any(c.state == MISSING for c in only) else only
            if remark:
                notes.append(Note("layout", "warning", _keys(row, cols), f"row {row}: {remark}"))
            continue
        agree = found.agree
        pre_agree[row] = agree
        if not constraints:  # nothing can weigh the readings: what they all agree on, and nothing else
            line = tokens[0].line if tokens else None
            chosen[row] = tuple(c if a else Cell(None, UNRESOLVED, line, None) for c, a in zip(options[0], agree))
            if not all(agree):
                shown = "; ".join(_describe(o) for o in options[:4])
                more = f" and {found.total - 4} more" if found.total > 4 else ""
                notes.append(Note("ambiguous", "warning", tuple((row, c) for c, a in zip(cols, agree) if not a),
                                  f"row {row}: {remark + '; ' if remark else ''}{found.total} readings fit "
                                  f"(no identity decides): {shown}{more}; "
                                  f"the cells they disagree on are left empty"))
            elif remark:
                notes.append(Note("layout", "warning", _keys(row, cols), f"row {row}: {remark}"))
            continue
        survivors = []
        quick = _acceptor(constraints, cols)
        for o in options:
            values = _whole_values(o) if quick is not None else None
            if values is not None and not quick(values):
                continue  # its known cells break one of the identities outright, as ``_apply`` would find
            solved, ok = _apply(o, row, cols, constraints)
            if ok:
                survivors.append(solved)
        if not survivors and not found.overflow:
            # the report breaks one of the row's own identities in every reading: those it breaks cannot choose
            # between the readings; the others, and the table's identities, still may
            every = _readings(tokens, len(cols), EVERY) if any(t.glued for t in tokens) else found
            if every.readings and not every.overflow:
                held = [c for c in constraints if any(_apply(o, row, cols, [c])[1] for o in every.readings)]
                weighed = held or any(k[0] == row for c in table_constraints for k in c.lhs + c.rhs)
                if len(held) < len(constraints) and weighed:
                    broken = sorted({c.rule for c in constraints if c not in held})
                    notes.append(Note("layout", "warning", _keys(row, cols),
                                      f"row {row}: none of its {every.total} readings satisfies "
                                      f"{', '.join(broken)} (the report breaks it), so "
                                      f"{'the other identities weigh' if held else 'only the table weighs'} them"))
                    constraints = held
                    options, agree = every.readings, every.agree
                    pre_agree[row] = agree
                    found = every
                    survivors = [solved for o in options for solved, ok in [_apply(o, row, cols, constraints)] if ok]
        fitting_count = len(survivors)
        survivors = list(dict.fromkeys(survivors))
        rules = ",".join(sorted({c.rule for c in constraints})) or None
        row_rules[row] = rules
        if not survivors:
            chosen[row] = tuple(Cell(None, UNRESOLVED, tokens[0].line, None) for _ in cols)
            notes.append(Note("unreadable", "warning", _keys(row, cols),
                              f"row {row}: none of the {found.total} readings of the printed cells satisfies "
                              f"{rules or 'the identities'} (the report may break its own arithmetic); "
                              f"left empty"))
            continue
        if remark:
            notes.append(Note("layout", "warning", _keys(row, cols), f"row {row}: {remark}; {fitting_count} of "
                                                           f"{found.total} readings fit {rules or 'the table'}"))
        merged = merge(survivors, rules, agree)
        if all(c.state != UNRESOLVED for c in merged):
            chosen[row] = merged
        else:
            open_rows[row] = survivors

    if open_rows:
        _settle(open_rows, chosen, columns, pre_agree, row_rules, table_constraints, notes,
                lambda r: _readings(rows[r], len(columns[r]), EVERY), row_constraints)
    cells = {(row, col): c for row, cs in chosen.items() for col, c in zip(columns[row], cs)}
    everything = list(itertools.chain(table_constraints, *row_constraints.values()))
    _verify(cells, {r: rows[r] for r in pre_agree}, columns, pre_agree, everything, notes)
    _propagate(cells, everything)
    for i, n in enumerate(notes):
        if n.rule == "layout":
            empty = [c for key in n.cells for c in [key[1]] if cells[key].state in (MISSING, UNRESOLVED)]
            done = "; still empty: " + ", ".join(empty) if empty else "; every cell placed"
            notes[i] = replace(n, message=n.message + done)
    return Fitted(cells, notes)


def _verify(cells: dict[tuple[str, str], Cell], chosen: dict[str, list[Token]], columns: dict[str, tuple[str, ...]],
            pre_agree: dict[str, list[bool]], constraints: list[Constraint], notes: list[Note]) -> None:
    """Check the rows whose cells were chosen among readings: where an identity fails on a cell the choice placed,
    the choice may be the report's breach taken for the truth (a row that breaks I2 in the report, cut another way
    that satisfies it, and a neighbour cut to match). Every reading of those rows is then weighed, together, by
    every identity touching them, theirs and the table's: where combinations other than the one chosen satisfy as
    many or more, the cells they disagree on are left empty. This check only ever empties cells; it never places
    another value. Where the combinations are too many to weigh, every cell the choice placed is left empty."""
    if not any(cells[(r, c)].state == INFERRED for r in chosen for c in columns[r]):
        return  # nothing a choice placed (most tables): nothing to check
    failing = [c for c in constraints if evaluate(c, cells)[0] == FAIL]
    suspects = list(dict.fromkeys(k[0] for c in failing for k in c.lhs + c.rhs
                                  if k[0] in chosen and cells.get(k) is not None and cells[k].state == INFERRED))
    if not suspects:
        return
    base = dict(cells)
    _unconfirmed(cells, suspects, failing, constraints, pre_agree, columns, notes)
    options: dict[str, list[tuple[Cell, ...]]] = {}
    for row in suspects:
        found = _readings(chosen[row], len(columns[row]), EVERY)
        options[row] = [] if found.overflow else list(dict.fromkeys(found.readings))
    rows = [r for r in suspects if len(options[r]) > 1 or not options[r]]
    if not rows:
        return
    keys = {r: [(r, col) for col in columns[r]] for r in rows}
    current = {r: tuple(base[k] for k in keys[r]) for r in rows}
    if any(not options[r] for r in rows) or math.prod(len(options[r]) for r in rows) > MAX_COMBINATIONS:
        kept_rows = {r: [current[r], tuple(Cell(None, UNRESOLVED, None, None) for _ in keys[r])] for r in rows}
        best, scored_n, relevant_n = None, None, None
    else:
        relevant = [c for c in constraints if any(k[0] in keys for k in c.lhs + c.rhs)]
        scored = []
        for combo in itertools.product(*(options[r] for r in rows)):
            grid = dict(base)
            for r, reading in zip(rows, combo):
                grid.update(zip(keys[r], reading))
            scored.append((sum(evaluate(c, grid)[0] != FAIL for c in relevant), combo))
        best = max(x for x, _ in scored)
        kept = [combo for x, combo in scored if x == best]
        mine = tuple(tuple(map(_meaning, current[r])) for r in rows)
        if len(kept) == 1 and tuple(tuple(map(_meaning, reading)) for reading in kept[0]) == mine:
            return  # the choice is the one combination that satisfies the most
        kept_rows = {r: [current[r]] + [combo[i] for combo in kept] for i, r in enumerate(rows)}
        scored_n, relevant_n = len(scored), len(relevant)
    changed = []
    for r in rows:
        merged = merge(list(dict.fromkeys(kept_rows[r])), None, pre_agree[r])
        for k, cell in zip(keys[r], merged):
            if cell.state == UNRESOLVED and cells[k].state != UNRESOLVED:
                cells[k] = Cell(None, UNRESOLVED, cells[k].line, None)
                changed.append(k)
    if changed:
        broken = sorted({c.rule for c in failing})
        how = (f"weighed together by every identity touching them, other combinations of their readings satisfy as "
               f"many ({best} of {relevant_n}, of {scored_n} combinations)" if best is not None else
               "their readings are too many to weigh together")
        notes.append(Note("ambiguous", "warning", tuple(changed),
                          f"rows {', '.join(dict.fromkeys(k[0] for k in changed))}: the readings chosen break "
                          f"{', '.join(broken)}; {how}: the cells they disagree on are left empty"))


def in_reading_order(tokens: list[Token], rows: list[str], columns: tuple[str, ...],
                     constraints: list[Constraint]) -> tuple[dict[tuple[str, str], Cell] | None, str, bool]:
    """The last resort where the labels placed too little of a table: its numbers (and blank cells) in reading
    order, row after row of the template, kept only when there are exactly as many as cells and every identity
    holds on them, each then ``inferred`` by the identities; else None, and why. The flag says the table's rows
    were lines of fields, a blank cell an empty field (``rows.flat_blanks``)."""
    fields = False
    first = next((i for i, t in enumerate(tokens) if t.kind == VALUE), len(tokens))
    header = max((i for i, t in enumerate(tokens[:first]) if t.kind == TEXT), default=-1)  # the header's last word
    cells = [t for t in tokens[header + 1:] if t.kind in (VALUE, BLANK)]
    need = len(rows) * len(columns)
    if any(t.glued for t in cells):
        return None, "its digits run together, and cutting the whole table every way cannot be weighed", False
    if len(cells) != need:  # rows as lines of fields, a blank cell an empty field: every line as many as columns
        by_line: dict[int, list[Token]] = {}
        for t in tokens[header + 1:]:
            if t.kind in (VALUE, BLANK, EMPTY):
                by_line.setdefault(t.line, []).append(t)
        lines = [ts for ts in by_line.values() if any(t.kind == VALUE for t in ts)]
        if lines and all(len(ts) == len(columns) for ts in lines):
            cells = [t._replace(kind=BLANK) if t.kind == EMPTY else t for ts in lines for t in ts]
            fields = True
    if len(cells) != need:
        return None, f"it prints {len(cells)} numbers and blank cells for {need} cells", False
    grid: dict[tuple[str, str], Cell] = {}
    for i, t in enumerate(cells):
        key = (rows[i // len(columns)], columns[i % len(columns)])
        grid[key] = Cell(None, BLANK_STATE, t.line, "") if t.kind == BLANK else cell_from_text(t.text, t.line)
        if grid[key].state not in (READ, BLANK_STATE, DASH):
            return None, f"{t.text!r} is no number", False
    broken = sorted({c.rule for c in constraints if evaluate(c, grid)[0] == FAIL})
    if broken:
        return None, f"read row after row, they break {', '.join(broken)}", False
    rule = ",".join(sorted({c.rule for c in constraints}))
    return {k: c if c.value is None else Cell(c.value, INFERRED, c.line, c.text, rule, c.unit)
            for k, c in grid.items()}, "", fields


def _unconfirmed(cells: dict[tuple[str, str], Cell], suspects: list[str], failing: list[Constraint],
                 constraints: list[Constraint], pre_agree: dict[str, list[bool]], columns: dict[str, tuple[str, ...]],
                 notes: list[Note]) -> None:
    """A cell a choice among readings placed, in an identity that fails, and in none that holds: no identity
    confirms its value (a row that lost a digit, cut into as many cells as columns every way, each of them wrong,
    has cells only the choice placed). It is left empty."""
    holding: dict[tuple[str, str], bool] = {}
    for c in constraints:
        if evaluate(c, cells)[0] == "ok" and all(cells.get(k) is not None and cells[k].value is not None
                                                 for k in c.lhs + c.rhs):
            for k in c.lhs + c.rhs:
                holding[k] = True
    in_failing = {k for c in failing for k in c.lhs + c.rhs}
    emptied = []
    for row in suspects:
        for i, col in enumerate(columns[row]):
            key = (row, col)
            cell = cells[key]
            if cell.state == INFERRED and key in in_failing and not holding.get(key) and not pre_agree[row][i]:
                cells[key] = Cell(None, UNRESOLVED, cell.line, None)
                emptied.append(key)
    if emptied:
        broken = sorted({c.rule for c in failing if set(c.lhs + c.rhs) & set(emptied)})
        notes.append(Note("ambiguous", "warning", tuple(emptied),
                          f"rows {', '.join(dict.fromkeys(k[0] for k in emptied))}: the reading chosen places these "
                          f"cells in {', '.join(broken)}, which fail, and in no identity that holds: left empty"))


def _meaning(c: Cell):
    return c.value if c.value is not None else c.state


def merge(options: list[tuple[Cell, ...]], rule: str | None, pre_agree: list[bool] | None = None) -> tuple[Cell, ...]:
    """One cell per column from several readings: what they all agree on, ``unresolved`` where they do not.

    A value every reading gives, but which the printed text alone did not place (``pre_agree`` false), is
    ``inferred`` by ``rule``.
    """
    if len(options) == 1:  # one reading: what the layout alone placed stays read, the rest is the rule's
        return tuple(c if agreed or c.state != READ or c.value is None
                     else Cell(c.value, INFERRED, c.line, c.text, rule, c.unit)
                     for c, agreed in zip(options[0], pre_agree or [True] * len(options[0])))
    out = []
    for i in range(len(options[0])):
        cells = [o[i] for o in options]
        first = cells[0]
        if len({_meaning(c) for c in cells}) > 1:
            line = next((c.line for c in cells if c.line), None)
            out.append(Cell(None, UNRESOLVED, line, None))
        elif all(c == first for c in cells) and (pre_agree is None or pre_agree[i] or first.state != READ):
            out.append(first)
        elif first.value is not None:
            same_line = len({c.line for c in cells}) == 1
            same_text = len({c.text for c in cells}) == 1
            own = {c.rule for c in cells if c.state == INFERRED} - {None}
            out.append(Cell(first.value, INFERRED, first.line if same_line else None,
                            first.text if same_text else None, rule or (own.pop() if own else None),
                            first.unit))
        else:
            out.append(first._replace(line=first.line if len({c.line for c in cells}) == 1 else None))
    return tuple(out)


def _settle(open_rows: dict[str, list[tuple[Cell, ...]]], chosen: dict[str, tuple[Cell, ...]],
            columns: dict[str, tuple[str, ...]], pre_agree: dict[str, list[bool]], row_rules: dict[str, str | None],
            constraints: list[Constraint], notes: list[Note], every=None,
            row_constraints: dict[str, list[Constraint]] | None = None) -> None:
    names = list(open_rows)
    total = 1
    for n in names:
        total *= len(open_rows[n])
    relevant = [c for c in constraints if any(k[0] in open_rows for k in c.lhs + c.rhs)]
    if total > MAX_COMBINATIONS or not relevant:
        for n in names:
            _settled(n, open_rows[n], chosen, columns, notes, row_rules.get(n), pre_agree[n],
                     "too many readings to compare" if relevant else "no identity decides")
        return
    grid = {(row, col): c for row, cs in chosen.items() for col, c in zip(columns[row], cs)}
    where = {(n, col): (i, j) for i, n in enumerate(names) for j, col in enumerate(columns[n])}
    # each identity summed once over the rows already chosen, and once over each reading of each open row it
    # touches: a combination of readings only adds up those partial sums
    parts = []
    for c in relevant:
        settled: list[tuple[int, tuple[str, str], Cell | None]] = []
        by_row: dict[int, list[tuple[int, tuple[str, str], int]]] = {}
        for sign, keys in ((-1, c.lhs), (1, c.rhs)):
            for k in keys:
                w = where.get(k)
                if w is None:
                    settled.append((sign, k, grid.get(k)))
                else:
                    by_row.setdefault(w[0], []).append((sign, k, w[1]))
        fixed = accumulate(settled)
        moving = [(i, [accumulate([(sign, k, o[j]) for sign, k, j in mine]) for o in open_rows[names[i]]])
                  for i, mine in sorted(by_row.items())]
        plain = not any(fixed[1:]) and not any(any(p[1:]) for _, partial in moving for p in partial)
        if plain:  # every cell known in every reading: the identity holds when the differences cancel
            moving = (tuple(i for i, _ in moving), tuple([p[0] for p in partial] for _, partial in moving))
        parts.append((plain, fixed, moving))
    combos = list(itertools.product(*(range(len(open_rows[n])) for n in names)))
    passes = []
    for combo in combos:
        row = []
        for plain, (diff, missing, free_l, free_r), moving in parts:
            if plain:
                rows, partials = moving
                row.append(diff + sum(map(getitem, partials, map(combo.__getitem__, rows))) == 0)
                continue
            missing = list(missing)
            for i, partial in moving:
                d, m, fl, fr = partial[combo[i]]
                diff += d
                missing += m
                free_l, free_r = free_l or fl, free_r or fr
            row.append(decide(diff, missing, free_l, free_r)[0] != FAIL)
        passes.append(row)
    # an identity no combination satisfies is the report's own breach: it cannot choose between readings
    useful = [j for j in range(len(relevant)) if any(p[j] for p in passes)]
    kept = [all(p[j] for j in useful) for p in passes]
    if useful and not any(kept) and every is not None:
        # no combination satisfies every identity some combination satisfies: the report breaks one of them. The
        # rows' own identities may then have kept only readings that are not the printed truth (a row breaking I2,
        # cut another way that satisfies it): every reading of every open row is weighed by every identity
        _weigh_every(names, chosen, columns, pre_agree, constraints, row_constraints or {}, every, notes)
        return
    if useful and not any(kept):
        # the combinations that hold the most identities are kept (an identity the report breaks cannot choose),
        # and what they agree on is placed
        held = [sum(p[j] for j in useful) for p in passes]
        best = max(held)
        kept = [h == best for h in held]
        notes.append(Note("layout", "warning", tuple((n, c) for n in names for c in columns[n]),
                          f"rows {', '.join(names)}: no reading satisfies every identity that some reading satisfies "
                          f"(the report breaks one of them); the readings that satisfy the most, {best} of "
                          f"{len(useful)}, are kept"))
    # the readings of the combinations kept (of up to MAX_COMBINATIONS, most are not)
    survivors = [tuple(open_rows[n][j] for n, j in zip(names, combo)) for combo, k in zip(combos, kept) if k]
    discriminating = sorted({relevant[j].rule for j in useful
                             if not all(p[j] for p in passes) and all(p[j] for p, k in zip(passes, kept) if k)})
    for idx, n in enumerate(names):
        options = list(dict.fromkeys(combo[idx] for combo in survivors)) or open_rows[n]
        own = {r for r in (row_rules.get(n) or "").split(",") if r} | {c.rule for c in options[0] if c.rule}
        rule = ",".join(sorted(set(discriminating) | own)) or None
        _settled(n, options, chosen, columns, notes, rule, pre_agree[n], "the identities leave more than one")


def _weigh_every(names: list[str], chosen: dict[str, tuple[Cell, ...]], columns: dict[str, tuple[str, ...]],
                 pre_agree: dict[str, list[bool]], constraints: list[Constraint],
                 row_constraints: dict[str, list[Constraint]], every, notes: list[Note]) -> None:
    """Every reading of the rows ``names`` weighed together by every identity touching them, the rows' own and the
    table's: the combinations that satisfy the most are kept and merged, the cells they disagree on left empty.
    Where the readings cannot all be listed or combined, nothing a choice would place is kept."""
    full: dict[str, list[tuple[Cell, ...]]] = {}
    for n in names:
        found = every(n)
        if found.overflow or not found.readings:
            break
        full[n] = list(dict.fromkeys(found.readings))
    keys = tuple((n, c) for n in names for c in columns[n])
    if len(full) < len(names) or math.prod(len(o) for o in full.values()) > MAX_COMBINATIONS:
        for n in names:
            chosen[n] = tuple(c if agreed else Cell(None, UNRESOLVED, c.line, None)
                              for c, agreed in zip(chosen.get(n) or (Cell(None, UNRESOLVED, None, None),) *
                                                   len(columns[n]), pre_agree[n]))
        notes.append(Note("ambiguous", "warning", keys, f"rows {', '.join(names)}: the report breaks one of the "
                          f"identities, and their readings are too many to weigh every one: the cells the layout "
                          f"does not place are left empty"))
        return
    relevant = [c for c in constraints if any(k[0] in full for k in c.lhs + c.rhs)]
    relevant += [c for n in names for c in row_constraints.get(n, [])]
    base = {(row, col): c for row, cs in chosen.items() if row not in full for col, c in zip(columns[row], cs)}
    scored = []
    for combo in itertools.product(*(full[n] for n in names)):
        grid = dict(base)
        for n, reading in zip(names, combo):
            grid.update(zip(((n, col) for col in columns[n]), reading))
        held = [evaluate(c, grid)[0] != FAIL for c in relevant]
        scored.append((sum(held), combo, held))
    best = max(x for x, _, _ in scored)
    kept = [(combo, held) for x, combo, held in scored if x == best]
    rule = ",".join(sorted({c.rule for j, c in enumerate(relevant) if all(h[j] for _, h in kept) and
                            not all(h[j] for _, _, h in scored)})) or None
    for i, n in enumerate(names):
        chosen[n] = merge(list(dict.fromkeys(combo[i] for combo, _ in kept)), rule, pre_agree[n])
    empty = tuple((n, c) for n in names for c, cell in zip(columns[n], chosen[n]) if cell.state == UNRESOLVED)
    notes.append(Note("ambiguous" if empty else "layout", "warning", empty or keys,
                      f"rows {', '.join(names)}: no reading satisfies every identity (the report breaks one); "
                      f"weighing every reading by every identity, {len(kept)} of {len(scored)} combinations satisfy "
                      f"the most ({best} of {len(relevant)})"
                      + ("; the cells they disagree on are left empty" if empty else "")))


def _settled(row: str, options: list[tuple[Cell, ...]], chosen: dict[str, tuple[Cell, ...]],
             columns: dict[str, tuple[str, ...]], notes: list[Note], rule: str | None, pre_agree: list[bool],
             why: str) -> None:
    cells = merge(options, rule, pre_agree)
    chosen[row] = cells
    keys = tuple((row, c) for c, cell in zip(columns[row], cells) if cell.state == UNRESOLVED)
    if keys:
        shown = "; ".join(_describe(o) for o in options[:4])
        more = f" and {len(options) - 4} more" if len(options) > 4 else ""
        notes.append(Note("ambiguous", "warning", keys,
                          f"row {row}: {len(options)} readings fit ({why}): {shown}{more}; the cells they disagree "
                          f"on are left empty"))


def _propagate(cells: dict[tuple[str, str], Cell], constraints: list[Constraint]) -> None:
    """Fill cells that were not printed at all where an identity has them as its only unknown, or leaves nothing
    for them (several such cells summing to 0 are each 0: counts are never negative)."""
    changed = MISSING in {c.state for c in cells.values()}
    while changed:
        changed = False
        for c in constraints:
            status, solved = evaluate(c, cells)
            if solved:
                cells[solved[0]] = Cell(solved[1], INFERRED, None, None, c.rule)
                changed = True
            elif status != FAIL:
                for key in zeros(c, cells):
                    cells[key] = Cell(0, INFERRED, None, None, f"{c.rule},N")
                    changed = True
