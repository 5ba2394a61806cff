"""Locating the rows of a table region: where each row label stands and the tokens of its row, the applicant
columns a header prints, the one row of section 四 after its header, the money unit section 二 declares, and a PDF
table row broken across a page.

Pure functions over the folded report text; labels come from the codebook.
"""

from __future__ import annotations

import re
from functools import cache

from . import codebook
from .cells import Token, is_value, label_view, spaced_layout, tokenize
from .codebook import SUBTOTAL, row_start

_HEADER_UNIT = re.compile(r"单\s*位\s*[:：]\s*(万\s*元|元)")  # "（单位：万元，保留4位小数）" in a header
_REVIEW_HEADER_CHARS = re.compile(r"[维持纠正其他结果尚未审结总计起诉复议行政诉讼经直接后]")


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
        rows[name] = tokenize(text[stop:nxt], lines.line_of(stop), glued, stop - text.rfind("\n", 0, stop) - 1,
                              words=layout == "inline")
    return rows, (found[0][1] if found else end)


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


def locate_review_row(text: str, region: tuple[int, int] | None, lines: LineIndex, glued: bool) -> list[Token] | None:
    """The tokens of section 四's one row of fifteen values: what follows the last header word of the region (None
    when there is no region or no header)."""
    if region is None:
        return None
    start, end = region
    header = None
    for header in _REVIEW_HEADER_CHARS.finditer(text, start, end):
        pass
    if header is None:
        return None
    start = header.end()
    return tokenize(text[start:end], lines.line_of(start), glued, start - text.rfind("\n", 0, start) - 1)


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
