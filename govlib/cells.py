"""Reading cells: a region of report text becomes tokens (values, blanks, text), printed numbers become values, and
a table cell as read is a ``Cell`` with its state.

Pure functions over strings. A ``Token`` keeps the printed text and its line. In the glued layout (cells run
together without separators) a value token may hold several cells; ``splits`` lists every way to cut it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache, partial

from .limits import MAX_NUMBER_CHARS

VALUE = "value"
BLANK = "blank"  # a printed cell with nothing in it
EMPTY = "empty"  # an empty field that may be structural (merged cells in tab-separated rows)
TEXT = "text"
SEP = "sep"  # an empty line: the end of a row in cell-per-line layouts

_UNIT = r"(?:万元|元|件|个|项|次|条)"
_NUMBER = re.compile(r"[+\-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+\-]?\d+(?:\.\d+)?")
_CELL_VALUE = re.compile(rf"[+\-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?\s*{_UNIT}?")
_DASH = re.compile(r"[-—–/\\~～]+|无")
_GLUED_RUN = re.compile(rf"(?:[+\-]?\d+(?:\.\d+)?)+{_UNIT}?|(?<![\d])[—–]+(?![\d])")
_MD_RULE = re.compile(r":?-{3,}:?")
_CJK_PAREN = re.compile(r"[(（][^()（）\n]*[\u4e00-\u9fff][^()（）\n]*[)）]")
_PAGE_OF = r"第 *\d{1,3} *页(?: *[,，]? *共 *\d{1,3} *页)?"  # "第 3 页", "第2页 共5页"
_PAGE_NUMBER = re.compile(r"[-—–] *\d{1,3} *[-—–]|" + _PAGE_OF)
_GLUED_PAGE = re.compile(_PAGE_OF)
_FOOTER_LINE = re.compile(r"(?m)^[ \t]*(?:" + _PAGE_NUMBER.pattern + r")[ \t]*$|" + _PAGE_OF)


def blank_page_footers(text: str) -> str:
    """``text`` with its page footers ("— 5 —" on a line of its own, "第 3 页" anywhere) blanked out by spaces, so
    that offsets stay offsets: a footer between a table's values is neither a value nor the text after the table."""
    if "页" not in text and "-" not in text and "—" not in text and "–" not in text:
        return text
    return _FOOTER_LINE.sub(lambda m: " " * len(m.group(0)), text)


class Token(NamedTuple):
    """A piece of a table region: a value, a blank cell, an empty field, text, or the end of a row."""

    kind: str
    text: str
    line: int
    glued: bool = False


@dataclass(frozen=True, slots=True)
class Number:
    """A printed number: its value in the unit it was printed in, and that unit ("元", "万元" or "")."""

    value: int | float
    unit: str


def parse_number(text: str) -> Number | None:
    """The number a cell prints ("12975800元", "+207", "1,234", "0.5万元"), or None if it prints none."""
    t = text.strip()
    if t.isascii() and t.isdigit():
        return Number(int(t), "")
    unit = ""
    for u in ("万元", "元", "件", "个", "项", "次", "条"):
        if t.endswith(u):
            unit, t = u, t[: -len(u)].strip()
            break
    if not _NUMBER.fullmatch(t):
        return None
    t = t.replace(",", "")
    if "." in t:
        return Number(float(t), unit)
    return Number(int(t), unit)


def is_dash(text: str) -> bool:
    return bool(_DASH.fullmatch(text.strip()))


def is_value(text: str) -> bool:
    """Whether a cell prints a value: a number (with its unit) or a placeholder, nothing else."""
    text = text.strip()
    return bool(_CELL_VALUE.fullmatch(text) or _DASH.fullmatch(text))


_token = partial(tuple.__new__, Token)  # Token((kind, text, line, glued)) without NamedTuple's Python-level __new__


def _classify(tokens: list[Token], cell: str, line: int, glued: bool, empty: str | None = None) -> None:
    """Add the tokens of one printed cell to ``tokens``; an empty one gives a token of kind ``empty``, if one is
    given."""
    cell = cell.strip()
    if not cell:
        if empty:
            tokens.append(_token((empty, "", line, False)))
    elif cell.isascii() and cell.isdigit():  # most cells: a plain count
        tokens.append(_token((VALUE, cell, line, glued)))
    else:
        tokens += [_token((kind, text, line, g)) for kind, text, g in _kinds(cell, glued)]


@lru_cache(maxsize=16384)
def _kinds(cell: str, glued: bool) -> tuple[tuple[str, str, bool], ...]:
    """What a stripped cell holds, whatever line it is on: (kind, text, glued) for each token."""
    dash = is_dash(cell)
    if dash or _CELL_VALUE.fullmatch(cell):
        return ((VALUE, cell, glued and not dash),)
    if glued:
        return tuple((VALUE, m.group(0), not is_dash(m.group(0))) for m in _GLUED_RUN.finditer(cell))
    parts = cell.split()
    if len(parts) > 1 and all(_CELL_VALUE.fullmatch(p) or is_dash(p) for p in parts):
        return tuple((VALUE, p, False) for p in parts)
    return ((TEXT, cell, False),)


_ALIGNED = re.compile(r"\S[^\S\n]{2,}[+\-]?\d")  # a value after a run of spaces: columns aligned by spaces
_FIELD = re.compile(r"\S+(?: \S+)*")  # in a line aligned by spaces: what one space joins is one cell


def tokenize(text: str, first_line: int, glued: bool, first_col: int = 0, words: bool = False,
             blank_lines: bool = False) -> list[Token]:
    """Tokens of a table region. ``first_line`` is the 1-based line number of the region's first line, ``first_col``
    the column its first character stands in on that line. With ``words`` (a row of text taken from a PDF in reading
    order, its label included), each word of a line is a cell of its own; with ``blank_lines`` (one text node per
    line, ``node_lines``), an empty line is a blank cell."""
    tokens: list[Token] = []
    if "(" in text or "（" in text:
        text = _CJK_PAREN.sub(lambda m: " " * len(m.group(0)), text)
    lines = text.split("\n")
    last = len(lines) - 1
    # text taken from a PDF: no cell separated by a tab or a bar. Where a value stands after a run of spaces, the
    # columns are aligned by spaces, and a value's column is where it stands on its line.
    spaced = not glued and "\t" not in text and "|" not in text
    aligned = spaced and last > 0 and _ALIGNED.search(text) is not None
    at: dict[int, int] = {}  # aligned: the column of each value token, by its index
    for offset, line in enumerate(lines):
        n = first_line + offset
        if not glued and line.isdigit() and line.isascii() and 0 < offset < last:  # a plain count on its own line
            at[len(tokens)] = len(line)
            tokens.append(_token((VALUE, line, n, False)))
            continue
        if (offset == 0 or offset == last) and not line.strip(" \t|"):
            continue  # the rest of a label's cell, or the empty cells before the next label
        if offset == 0 and line.lstrip().startswith("|"):
            line = line.lstrip()  # the rest of a Markdown row after its label cell
        if glued:  # page footers cannot be told from signed numbers run together; only "第 3 页" is dropped
            for chunk in _GLUED_PAGE.sub(" ", line).split():
                _classify(tokens, chunk, n, True)
            continue
        stripped = line.strip()
        if not stripped:
            tokens.append(_token((BLANK if "\t" in line or blank_lines else SEP, "", n, False)))
        elif "\t" not in line and (stripped[0] in "-—–" or "页" in stripped) and _PAGE_NUMBER.fullmatch(stripped):
            continue  # "— 5 —", "第 3 页": a page footer, never a value
        elif "\t" in line and line.startswith("\t") and line.count("\t") == 1:  # one cell per line, leading tab
            _classify(tokens, stripped, n, False)
        elif "|" in line:
            if line.startswith("|") and line.count("|") >= 2:  # a Markdown table row
                fields = [f.strip() for f in line.strip().strip("|").split("|")]
                if any(fields) and all(_MD_RULE.fullmatch(f) for f in fields if f):
                    continue  # the |---|---| line under a Markdown header
                for field in line.strip().strip("|").split("|"):
                    _classify(tokens, field, n, False, EMPTY)
            else:  # one cell per line, each ending in " |"; further bars are merged cells
                first, *rest = line.split("|")
                _classify(tokens, first, n, False, BLANK)
                for field in rest:
                    _classify(tokens, field, n, False)
        elif "\t" in line:  # tab-separated row: empty fields may be merged cells
            for field in line.split("\t"):
                _classify(tokens, field, n, False, EMPTY)
        elif aligned:  # each run of text is a cell: "开           25" is the label's end and a value
            for m in _FIELD.finditer(line):
                before = len(tokens)
                _classify(tokens, m.group(0), n, False)
                for i in range(before, len(tokens)):  # the middle of the cell's text: cells are centred
                    at[i] = 2 * m.start() + len(m.group(0)) + (2 * first_col if offset == 0 else 0)
        elif words:
            for word in line.split():
                _classify(tokens, word, n, False)
        else:
            _classify(tokens, line, n, False)
    if aligned:
        return _in_column_order(tokens, at)
    if spaced:  # in reading order, with single spaces: wrapped onto several lines, the columns are not shown
        per_line = Counter(t[2] for t in tokens if t[0] == VALUE)
        if len(per_line) > 1 and max(per_line.values()) > 1:
            return Wrapped(tokens)
    return tokens


def node_lines(region: str) -> bool:
    """Whether a table region is printed one text node per line (a crawler's rendering of a Word table pasted into a
    web page): no tab or bar, values alone on their lines, never two on one; an empty line is then a blank cell."""
    if "\t" in region or "|" in region:
        return False
    bare = together = 0
    for line in region.split("\n"):
        parts = line.split()
        if len(parts) == 1 and is_value(parts[0]):
            bare += 1
        elif len(parts) > 1 and sum(is_value(p) for p in parts) > 1:
            together += 1
    return bare >= 5 and together == 0


class Wrapped(list):
    """The tokens of a row whose values run across lines with nothing but single spaces between them, as text taken
    from a PDF in reading order reads: a value set lower in a tall row, or on a wrapped label's second line, comes
    after the row's other values, so the columns of the values on later lines are not shown."""


_INLINE = re.compile(r"(?:\d|[-—]) (?:\d|[-—])")  # two values one space apart: text in reading order
_WORD = re.compile(r"\S+")


def spaced_layout(region: str) -> str | None:
    """How a table region that separates nothing by tabs or bars lays out its rows: "aligned" (columns aligned by
    runs of spaces: text laid out from a PDF), "inline" (values one space apart, as text taken from a PDF in reading
    order prints them), or None (values on lines of their own, or tabs or bars)."""
    if "\t" in region or "|" in region:
        return None
    if len(_ALIGNED.findall(region)) >= 3:
        return "aligned"
    return "inline" if _INLINE.search(region) else None


def label_view(region: str, layout: str) -> str:
    """A table region of text taken from a PDF (``spaced_layout``), as its row labels read: the values blanked out,
    and so the short pieces of a group label printed down the column beside ("（五" … "）不" beside "1.信访举报投" …
    "诉类申请"), so that a label the values and the column beside break apart can be found. Every character keeps
    its place."""
    out = []
    for line in region.split("\n"):
        chars = list(line)
        fields = list((_FIELD if layout == "aligned" else _WORD).finditer(line))
        texts = [m for m in fields if not is_value(m.group(0))]
        blank = [m for m in fields if is_value(m.group(0))]
        if len(texts) > 1 and len(texts[0].group(0)) <= 3:
            blank.append(texts[0])
        for m in blank:
            chars[m.start():m.end()] = " " * (m.end() - m.start())
        out.append("".join(chars))
    return "\n".join(out)


class Aligned(list):
    """The tokens of a row whose columns are aligned by spaces, its values in the order of the columns they stand
    in; ``xs`` says where each value stands (twice the column of its middle), in the same order."""

    xs: list[int]


def _in_column_order(tokens: list[Token], at: dict[int, int]) -> list[Token]:
    """The row's tokens with its values in the order of the columns they stand in: a cell whose label wraps prints
    its value on the label's second line, or lower than the row's other values in a taller row."""
    slots = [i for i, t in enumerate(tokens) if t[0] == VALUE]
    if any(i not in at for i in slots):
        return tokens
    order = sorted(slots, key=at.__getitem__)  # stable: reading order within a column
    out = Aligned(tokens)
    for i, j in zip(slots, order):
        out[i] = tokens[j]
    out.xs = [at[j] for j in order]
    return out


_PART = re.compile(r"[+\-]?(?:0|[1-9]\d*)(?:\.\d+)?")


@lru_cache(maxsize=16384)
def piece_ends(text: str) -> tuple[tuple[int, ...], ...]:
    """For each start offset, the ends of the numbers that can be printed from there (no leading zeros, at most
    ``limits.MAX_NUMBER_CHARS`` characters: no cell of a report prints a longer number)."""
    return tuple(map(tuple, _piece_ends(text)))


def _piece_ends(text: str) -> list[list[int]]:
    n = len(text)
    ends: list[list[int]] = [[] for _ in range(n + 1)]
    for i in range(n):
        j = i
        if text[j] in "+-":
            j += 1
        if j >= n or not text[j].isdigit():
            continue
        stop = min(n, i + MAX_NUMBER_CHARS)
        if text[j] == "0":
            first_ends = [j + 1]
        else:
            first_ends = []
            while j < stop and text[j].isdigit():
                j += 1
                first_ends.append(j)
        for e in first_ends:
            if e < n and text[e] == ".":  # a decimal part must follow, and the piece cannot stop at the point
                d = e + 1
                while d < stop and text[d].isdigit():
                    d += 1
                    ends[i].append(d)
            else:
                ends[i].append(e)
    return ends


def _without_unit(text: str) -> tuple[str, str]:
    for u in ("万元", "元"):
        if text.endswith(u):
            return text[: -len(u)], u
    return text, ""


@lru_cache(maxsize=4096)
def count_splits(text: str, parts: int) -> int:
    """How many ways ``splits`` has to cut ``text`` into ``parts`` numbers, counted without listing them."""
    text, _ = _without_unit(text)
    n = len(text)
    if parts < 1 or not text:
        return 0
    ends = piece_ends(text)
    ways = [[0] * (parts + 1) for _ in range(n + 1)]  # ways[pos][j]: cuts of text[pos:] into j numbers
    ways[n][0] = 1
    for pos in range(n - 1, -1, -1):
        here = ways[pos]
        for e in ends[pos]:
            there = ways[e]
            for j in range(1, parts + 1):
                here[j] += there[j - 1]
    return ways[0][parts]


_CACHED_SPLITS = 64  # lists of cuts up to this long are kept for the next row that prints the same digits


def splits(text: str, parts: int, limit: int = 5000) -> tuple[tuple[str, ...], ...]:
    """Every way to cut glued digits into ``parts`` printed numbers (no leading zeros; a sign starts a number).

    A unit suffix ("元") stays with the last number. At most ``limit`` ways are returned, found without listing
    any cut that cannot be finished: memory and time grow with the ways returned, not with the digits.
    """
    if count_splits(text, parts) <= _CACHED_SPLITS:
        return _splits_cached(text, parts, limit)
    return _splits(text, parts, limit)


@lru_cache(maxsize=4096)
def _splits_cached(text: str, parts: int, limit: int) -> tuple[tuple[str, ...], ...]:
    return _splits(text, parts, limit)


def _splits(text: str, parts: int, limit: int) -> tuple[tuple[str, ...], ...]:
    text, unit = _without_unit(text)
    n = len(text)
    if parts < 1 or not text:
        return ()
    ends = piece_ends(text)
    finish = [0] * (n + 1)  # bit j of finish[pos]: text[pos:] can be cut into j numbers
    finish[n] = 1
    mask = (1 << parts + 1) - 1
    for pos in range(n - 1, -1, -1):
        f = 0
        for e in ends[pos]:
            f |= finish[e]
        finish[pos] = f << 1 & mask
    out: list[tuple[str, ...]] = []
    acc: list[str] = []

    def walk(i: int, left: int) -> None:
        if left == 1:
            out.append((*acc, text[i:] + unit))
            return
        for e in ends[i]:
            if e < n and finish[e] >> left - 1 & 1:
                acc.append(text[i:e])
                walk(e, left - 1)
                acc.pop()
                if len(out) >= limit:
                    return

    if finish[0] >> parts & 1:
        walk(0, parts)
    return tuple(out[:limit])


# --- cells as read --------------------------------------------------------------------------------------------------

# How a cell's value was obtained: read as printed, inferred by an identity; or why it has none: printed blank or as a
# dash, not printed at all (its row is missing), or unresolved (several readings fit, or none).
READ, BLANK_STATE, DASH, INFERRED, MISSING, UNRESOLVED = "read", "blank", "dash", "inferred", "missing", "unresolved"
KNOWN = (READ, INFERRED)


class Cell(NamedTuple):
    """One table cell as read: its value, how it was obtained, and where it was printed."""

    value: int | float | None
    state: str
    line: int | None
    text: str | None
    rule: str | None = None
    unit: str = ""


@lru_cache(maxsize=65536)
def read_cell_text(text: str) -> tuple[int | float | None, str, str]:
    """What one printed cell holds: (value, state, unit)."""
    number = parse_number(text)
    if number is not None:
        return number.value, READ, number.unit
    return None, (DASH if is_dash(text) else UNRESOLVED), ""


_cell = partial(tuple.__new__, Cell)  # Cell((value, state, line, text, rule, unit)) without the Python-level __new__


def cell_from_text(text: str, line: int) -> Cell:
    """The cell printed as ``text`` on ``line``: a number read, a dash, or text that is no value (unresolved)."""
    value, state, unit = read_cell_text(text)
    return _cell((value, state, line, text, None, unit))


def in_10k_yuan(c: Cell, header_unit: str = "") -> Cell:
    """Money in the template's unit, 万元; the printed text ("12975800元") stays as provenance. A number printed
    without a unit is in the unit the header declares, 万元 unless it says 元."""
    if c.value is None or (c.unit or header_unit) != "元":
        return c
    return c._replace(value=c.value / 10000, unit="万元")
