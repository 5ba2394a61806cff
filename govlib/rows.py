"""Locating the rows of a table region: where each row label stands and the tokens of its row, the applicant
columns a header prints, the one row of section 四 after its header, the money unit section 二 declares, and a PDF
table row broken across a page.

Pure functions over the folded report text; labels come from the codebook.
"""

from __future__ import annotations

import re
from functools import cache

from . import codebook
from .cells import BLANK, VALUE, Token, Wrapped, blank_page_footers, is_value, label_view, spaced_layout, tokenize
from .codebook import SUBTOTAL, row_start

_HEADER_UNIT = re.compile(r"单\s*位\s*[:：]\s*(万\s*元|元)")  # "（单位：万元，保留4位小数）" in a header


# --- rows --------------------------------------------------------------------------------------------------

class LineIndex:
    """Offsets to 1-based line numbers. Offsets are asked for mostly in increasing order: the newlines between the
    last offset asked for and the next are counted, not the whole text split."""

    def __init__(self, text: str):
        self.text = text
        self.offset = 0
        self.line = 1

    def line_of(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _patterns(codes: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, re.Pattern[str]]]:
    return [(name, _compiled(variants)) for name, variants in codes]


@cache
def row_labels(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """Section 三's row labels for template ``name``, in printed order."""
    return _patterns([(r.code, (r.leaf,)) for r in codebook.template(name).applications])


@cache
def item_labels(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """Section 二's item labels (every printed variant) for template ``name``, in printed order."""
    return _patterns([(item.code, item.variants) for item, _ in codebook.template(name).proactive])


_compiled_cache: dict[tuple[str, ...], re.Pattern[str]] = {}


def _compiled(variants: tuple[str, ...]) -> re.Pattern[str]:
    p = _compiled_cache.get(variants)
    if p is None:
        ordered = sorted(variants, key=len, reverse=True)
        p = re.compile("|".join(f"(?:{codebook.label_pattern(v)})" for v in ordered))
        _compiled_cache[variants] = p
    return p


def locate_rows(text: str, region: tuple[int, int], labels: list[tuple[str, re.Pattern[str]]], lines: LineIndex,
                glued: bool) -> tuple[dict[str, list[Token] | None], int]:
    """Each row's tokens (None for a row whose label is missing), and where the first row label starts.

    In text taken from a PDF (``spaced_layout``), a row's values stand on the lines its label is printed on, beside
    and between the label's pieces: labels are looked for in ``label_view`` and a row runs from its label's first line
    to the next's.
    """
    start, end = region
    layout = None if glued else spaced_layout(text[start:end])
    where = text if layout is None else text[:start] + label_view(text[start:end], layout) + text[end:]
    found: list[tuple[str, int, int]] = []
    pos = start
    for name, pattern in labels:
        m = pattern.search(where, pos, end)
        if m:
            found.append((name, m.start(), m.end()))
            pos = m.end()
    if layout is not None:  # whole lines: a row runs from the line its label starts on
        found = [(name, line, line) for name, at, _ in found for line in [text.rfind("\n", start, at) + 1 or start]]
    rows: dict[str, list[Token] | None] = {name: None for name, _ in labels}
    for i, (name, _, stop) in enumerate(found):
        nxt = found[i + 1][1] if i + 1 < len(found) else end
        if glued:
            nxt = glued_row_end(text, stop, nxt)
        rows[name] = tokenize(text[stop:nxt], lines.line_of(stop), glued, stop - text.rfind("\n", 0, stop) - 1,
                              words=layout == "inline")
    return rows, (found[0][1] if found else end)


_GLUED_VALUE = re.compile(r"[\d\-—–]")
_GLUED_TEXT = re.compile(r"[^\d\s+\-—–.,/\\~～无万元件个项次条]")  # after a row's values: the end of the row
_GLUED_YEAR = re.compile(r"(?:19|20)\d\d\s*年")


def glued_row_end(text: str, start: int, end: int) -> int:
    """Where a row of glued text ends: at the first text after its values ("…继续办理20000022025年，我局共收到…" ends
    before the year; "行政事业性收费7816 (二)主动公开…" before the text). What follows a table's last row up to the
    next heading is prose, and its digits are not the row's."""
    first = _GLUED_VALUE.search(text, start, end)
    if first is None:
        return end
    after = _GLUED_TEXT.search(text, first.start(), end)
    stop = after.start() if after else end
    year = _GLUED_YEAR.search(text, first.start(), stop + 2)
    if year is not None and year.start() < stop:
        stop = year.start()  # a year run into the row's digits: the prose after it begins with it
    return stop


# --- columns -----------------------------------------------------------------------------------------------------

_SUBTOTAL = re.compile(r"小\s*计")


def applicant_columns(t: codebook.Template, header: str) -> tuple[str, ...]:
    """The applicant columns in printed order: the template's, plus 小计 where the header prints one."""
    columns = tuple(a.code for a in t.applicants)
    m = _SUBTOTAL.search(header)
    if not m:
        return columns
    other = re.search(codebook.label_pattern("其他"), header)
    total = re.search(codebook.label_pattern("总计"), header[m.end():])
    # 小计 closes the 法人或其他组织 group: after 其他 unless the header prints it before
    if other is not None and m.start() < other.start() and total is None:
        return columns[:1] + (SUBTOTAL,) + columns[1:]
    return columns[:-1] + (SUBTOTAL,) + columns[-1:]


@cache
def _review_words() -> tuple[tuple[str, ...], re.Pattern[str], str]:
    """Section 四's header words (行政复议, 未经复议直接起诉, 结果维持 …, from the codebook), a pattern for the column
    words only that table prints (结果维持, 尚未审结, 复议后起诉 …), and every character of the header words."""
    words = {part for m in codebook.template("2021").review_litigation for part in m.label_zh.split(" ")}
    words |= {"合计"}
    own = sorted((w for w in words if w not in ("总计", "合计", "其他结果", "行政复议", "行政诉讼")), key=len,
                 reverse=True)
    anchor = re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in own))
    return tuple(sorted(words, key=len, reverse=True)), anchor, "".join(sorted(set("".join(words))))


_DIGIT = re.compile(r"\d")
_NOT_VALUE = re.compile(r"[^\d\s|+\-—–/\\~～.,，、无件]")  # text: where a run of values ends
_RUN = re.compile(r"[^\s|]+")


def _header_like(text: str) -> bool:
    """Whether text between values is section 四's header (its words, a character garbled here or there) rather than
    prose: most of its Chinese characters are the header's, or most of it is header words."""
    words, _, chars = _review_words()
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return True
    covered = len(cjk) - len(re.sub("|".join(words), "", "".join(cjk)))
    return sum(ch in chars for ch in cjk) >= 0.7 * len(cjk) or covered >= 0.7 * len(cjk)


def _prose_start(text: str) -> int | None:
    """The offset of the first run of text (between separators) that is not header-like, or None."""
    for m in _RUN.finditer(text):
        if not _header_like(m.group(0)):
            return m.start()
    return None


def _cells_in(tokens: list[Token]) -> int:
    """At most how many cells tokens can fill: a glued run of digits one a digit."""
    return sum(len(t.text) if t.glued else 1 for t in tokens if t.kind in (VALUE, BLANK))


def locate_review_row(text: str, region: tuple[int, int] | None, lines: LineIndex, glued: bool) -> list[Token] | None:
    """The tokens of section 四's one row of fifteen values (None when there is no region or no header).

    The row starts after the header block (its column words: 结果维持 …, a character garbled here or there, in any
    order) and ends where its values end: the first text after them that is not header-like is prose, not the table,
    whatever it holds. A table printed as three small tables (复议 / 未经复议直接起诉 / 复议后起诉), each its header and
    its five values, is read as one row while fewer than fifteen cells are found.
    """
    if region is None:
        return None
    start, end = region
    scan = blank_page_footers(text[start:end])
    anchor = _review_words()[1].search(scan)
    if anchor is None:
        chars = _review_words()[2]
        first = next((i for i, ch in enumerate(scan) if ch in chars), None)
        if first is None:
            return None
        pos = first
    else:
        pos = anchor.start()
    slices: list[tuple[int, int]] = []
    parts: list[list[Token]] = []  # the tokens of each run of values (a Wrapped or Aligned row keeps its kind)
    tokens: list[Token] = []
    while _cells_in(tokens) < 15:
        d = _DIGIT.search(scan, pos)
        limit = d.start() if d else len(scan)
        between = scan[pos:limit]
        prose = _prose_start(between)
        if prose is not None or d is None:
            if not slices:  # no number before the prose (or at all): the cells the header is followed by
                stop = pos + prose if prose is not None else limit
                slices.append((_after_text(scan, pos, stop), stop))
                parts.append(_tokens_of(text, start, slices[-1], lines, glued))
            break
        stop = m.start() if (m := _NOT_VALUE.search(scan, d.start())) else len(scan)
        slices.append((_after_text(scan, pos, d.start()), stop))
        parts.append(_tokens_of(text, start, slices[-1], lines, glued))
        tokens += parts[-1]
        pos = stop
    if len(parts) == 1:
        return parts[0]
    return Wrapped(tokens) if any(isinstance(p, Wrapped) for p in parts) else tokens


def _tokens_of(text: str, start: int, piece: tuple[int, int], lines: LineIndex, glued: bool) -> list[Token]:
    a, b = start + piece[0], start + piece[1]
    return tokenize(text[a:b], lines.line_of(a), glued, a - text.rfind("\n", 0, a) - 1)


def _after_text(scan: str, pos: int, stop: int) -> int:
    """Where the header text before ``stop`` ends: after its last character that is text, not a value, a
    placeholder ("-", "—") or a separator."""
    i = stop
    while i > pos and not _NOT_VALUE.match(scan, i - 1):
        i -= 1
    return i if i > pos else pos


def money_header_unit(text: str, region: tuple[int, int] | None) -> str:
    """The money unit section 二's header declares ("元" or "万元"), or "" when it declares none."""
    units = {re.sub(r"\s", "", m.group(1)) for m in (_HEADER_UNIT.finditer(text, *region) if region else ())}
    return units.pop() if len(units) == 1 else ""  # none, or headers that disagree: the template's 万元


# --- PDF rows broken across a page ---------------------------------------------------------------------------------

def continues_row(last_row: tuple[int, list[str], list], cells: list[tuple[tuple, str]]) -> bool:
    """Whether the first table row of a page is the rest of the row the previous page's table ended with (Word lets
    a row break across pages): the same cells at the same places, no row label of its own, values only where the row
    above printed nothing, and text only under its label or nothing."""
    _, texts, boxes = last_row
    if len(cells) != len(texts) or not any(text for _, text in cells):
        return False
    if any(abs(box[0] - old[0]) > 2 or abs(box[2] - old[2]) > 2 for (box, _), old in zip(cells, boxes)):
        return False
    labels = max((i for i, above in enumerate(texts) if above and not is_value(above)), default=-1)
    for i, ((_, text), above) in enumerate(zip(cells, texts)):
        if not text:
            continue
        numeric = is_value(text)
        if above and (numeric or is_value(above)) or not numeric and i > labels:
            return False  # a value under a printed cell, or text among the values: a new row, or a header repeated
        if not numeric and row_start().match(text):
            return False  # a label of its own: a new row
    return True
