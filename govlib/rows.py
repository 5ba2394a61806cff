"""Locating the rows of a table region: where each row label stands and the tokens of its row, the applicant
columns a header prints, the one row of section 四 after its header, the money unit section 二 declares, and a PDF
table row broken across a page.

Pure functions over the folded report text; labels come from the codebook.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from . import codebook
from .cells import (BLANK, EMPTY, SEP, TEXT, VALUE, Aligned, Token, Wrapped, blank_page_footers, is_value,
                    label_view, node_lines, spaced_layout, tokenize)
from .codebook import SUBTOTAL, row_start
from .text import fold

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
def row_labels(name: str, other_forms: bool = False) -> list[tuple[str, re.Pattern[str]]]:
    """Section 三's row labels for template ``name``, in printed order; with ``other_forms``, also the rows of a
    group the other template prints otherwise (（六）其他处理 as one row, or as three sub-rows), in their place."""
    own = {r.code for r in codebook.template(name).applications}
    groups = {codebook.code("application", r).group for r in own}
    rows = [r for r in codebook.codes() if r.table == "application" and
            (r.code in own or other_forms and r.group in groups and r.group not in ("intake", "carry", "total"))]
    return _patterns([(r.code, (r.leaf,)) for r in rows])


def other_form_rows(name: str) -> tuple[str, ...]:
    """The rows the other template prints for a group that template ``name`` prints otherwise."""
    own = {r.code for r in codebook.template(name).applications}
    return tuple(code for code, _ in row_labels(name, True) if code not in own)


def group_headings(name: str, rows: dict[str, list[Token] | None], label_lines: dict[str, int], k: int
                   ) -> tuple[dict[str, list[Token] | None], tuple[str, ...]]:
    """A group's one row printed as the heading of its sub-rows (（六）其他处理 above 1. 2. 3., in a 2021 report, or
    in a 2019 report printing the 2021 sub-rows): a heading, not a row, unless it prints values on its own line.
    Rows of values on later lines are a sub-row's, printed before its label or with its label lost (a small table
    per group, its heading in the header): they are given back to the rows before, so that ``place_value_lines``
    reads them in the table's order. Only rows of ``k`` values, each a line of its own, are moved (a table printed
    one cell a line puts every row's values below its label). Returns the rows and the headings."""
    out = dict(rows)
    names = list(rows)
    headings = []
    for total in {codebook.code("application", r).group for r in other_form_rows(name)}:
        toks = rows.get(total)
        subs = [r.code for r in codebook.codes() if r.table == "application" and r.group == total and r.code != total]
        if not toks or total not in label_lines or all(rows.get(r) is None for r in subs):
            continue  # no sub-row printed: the group's one row, in either template
        lines: dict[int, int] = {}
        for t in toks:
            if t.kind in (VALUE, BLANK):
                lines[t.line] = lines.get(t.line, 0) + 1
        if label_lines[total] in lines:
            continue  # values on its own line: the group's one row
        if lines and set(lines.values()) == {k}:  # rows of values, each a line of its own
            before = next((n for n in reversed(names[:names.index(total)]) if out.get(n) is not None), None)
            if before is None:
                continue
            out[before] = list(out[before]) + list(toks)
        elif lines:
            continue  # one cell a line: its values are its own
        out[total] = None
        headings.append(total)
    return out, tuple(headings)


@cache
def _variant_groups() -> tuple[str, ...]:
    """The groups of section 三 the two templates print in different forms (（六）其他处理), from the codebook."""
    return tuple(sorted({c.group for c in codebook.codes() if c.table == "application" and len(c.templates) == 1}))


def unprinted_form(name: str, rows: dict[str, list[Token] | None]) -> tuple[str, ...]:
    """The rows of a group's form that the table does not print at all: the other template's form where none of
    its rows is found, and the template's own sub-rows where the other template's one row stands in their place.
    Not rows whose label was lost: the template's one row whose sub-rows are not printed either is one of those."""
    out: list[str] = []
    for group in _variant_groups():
        subs = tuple(r.code for r in codebook.codes() if r.table == "application" and r.group == group and
                     r.code != group)
        no_subs, no_one = all(rows.get(r) is None for r in subs), rows.get(group) is None
        if group in {r.code for r in codebook.template(name).applications}:  # its form: the one row
            out += subs if no_subs else ((group,) if no_one else ())  # a heading of printed sub-rows: no row
        else:  # its form: the sub-rows; the one row is the other form
            out += (group,) if no_one else (subs if no_subs else ())
    return tuple(out)


def unknown_forms(rows: dict[str, list[Token] | None]) -> tuple[str, ...]:
    """The rows of a group no label of which, in either form, is found: which form it is printed in is not known."""
    out: list[str] = []
    for group in _variant_groups():
        form = [r.code for r in codebook.codes() if r.table == "application" and r.group == group]
        if all(rows.get(r) is None for r in form):
            out += form
    return tuple(out)


def printed_forms(name: str, rows: dict[str, list[Token] | None]
                  ) -> tuple[dict[str, list[Token] | None], tuple[str, ...], set[str], list[str]]:
    """Which form each group of section 三 is printed in, where a report prints a group in the other template's
    (a 2021 report printing （六）其他处理 as one row, a 2019 report printing its three sub-rows): the rows to fit,
    the rows that hold the group in the tables govlib writes (the printed form), the rows printed only as a group's
    heading (not missing), and what to say in findings."""
    own = [r.code for r in codebook.template(name).applications]
    extra = [r for r in other_form_rows(name) if r in rows]
    out = dict(rows)

    def values(row: str) -> bool:
        return out.get(row) is not None and any(t.kind == VALUE for t in out[row])

    heading_only: set[str] = set()
    saying: list[str] = []
    frame = list(own)
    for group in {codebook.code("application", r).group for r in extra}:
        total = group  # the group's one row has the group's code ("other")
        subs = [r.code for r in codebook.codes() if r.table == "application" and r.group == group and r.code != total]
        if total in extra:  # a 2021 report: （六）其他处理 heads the sub-rows, or is printed as one row
            if not values(total):
                del out[total]
            elif all(rows.get(r) is None for r in subs):
                frame = [total if r == subs[0] else r for r in frame if r not in subs[1:]]
                saying.append(f"group {total} is printed as one row (the 2019 template's form) in a 2021 report: "
                              f"read as the group's total; its sub-rows {', '.join(subs)} are not printed, and are "
                              f"inferred only where the identities leave them one value")
            else:
                saying.append(f"group {total} prints its total on its own row as well as its sub-rows: the total "
                              f"is checked against them")
        else:  # a 2019 report: the sub-rows of the 2021 template, or nothing
            if all(rows.get(r) is None for r in subs):
                for r in subs:
                    del out[r]
                continue
            if not values(total):
                out[total] = None
                heading_only.add(total)
                frame = [r2 for r in frame for r2 in (subs if r == total else [r])]
                saying.append(f"group {total} is printed as the sub-rows of the 2021 template ({', '.join(subs)}) "
                              f"in a 2019 report: its one row is their sum")
            else:
                saying.append(f"group {total} prints its total on its own row as well as the 2021 template's "
                              f"sub-rows: the total is checked against them")
    return out, tuple(frame), heading_only, saying


@cache
def item_labels(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """Section 二's item labels (every printed variant) for template ``name``, in printed order."""
    return _patterns([(item.code, item.variants) for item, _ in codebook.template(name).proactive])


_compiled_cache: dict[tuple[str, ...], re.Pattern[str]] = {}
_variants_of: dict[re.Pattern[str], tuple[str, ...]] = {}


def _compiled(variants: tuple[str, ...]) -> re.Pattern[str]:
    p = _compiled_cache.get(variants)
    if p is None:
        ordered = sorted(variants, key=len, reverse=True)
        p = re.compile("|".join(f"(?:{codebook.label_pattern(v)})" for v in ordered))
        _compiled_cache[variants] = p
        _variants_of[p] = variants
    return p


class Located(NamedTuple):
    """The rows of a table region: each row's tokens (None for a row whose label is missing), where the first row
    label starts, and the rows whose label was found as typed differently (row, message)."""

    rows: dict[str, list[Token] | None]
    first: int
    retyped: list[tuple[str, str]]
    rests: dict[str, str] = {}  # the rest of each label's line after the label
    label_lines: dict[str, int] = {}  # the line each label starts on


def locate_rows(text: str, region: tuple[int, int], labels: list[tuple[str, re.Pattern[str]]], lines: LineIndex,
                glued: bool, optional: tuple[str, ...] = (), blank_lines: bool | None = None) -> Located:
    """Each row's tokens, found by its label.

    Labels are taken in the template's order: where a label is also printed elsewhere in the region (prose after
    the table repeating 规章, a note before it quoting 予以公开), the places that keep the most labels in order, and
    the closest together, are the table's. A label not found as printed in the codebook is looked for among the text
    between its neighbours, typed as people type it (a character wrong, missing or doubled): the closest label by a
    small edit distance, only when one text is clearly closest (``retyped`` says so).

    In text taken from a PDF (``spaced_layout``), a row's values stand on the lines its label is printed on, beside
    and between the label's pieces: labels are looked for in ``label_view`` and a row runs from its label's first line
    to the next's.
    """
    start, end = region
    layout = None if glued else spaced_layout(text[start:end])
    where = text if layout is None else text[:start] + label_view(text[start:end], layout) + text[end:]
    found: list[tuple[str, int, int]] = []
    pos = start
    for name, pattern in labels:  # most tables: every label once, in order
        m = pattern.search(where, pos, end)
        if m:
            found.append((name, m.start(), m.end()))
            pos = m.end()
    retyped: list[tuple[str, str]] = []
    required = len(labels) - len(optional)
    if sum(name not in optional for name, _, _ in found) < required:
        found = _in_order(where, start, end, labels)
        if sum(name not in optional for name, _, _ in found) < required:
            found, retyped = _retyped(where, start, end, labels, found, optional)
    if layout is not None:  # whole lines: a row runs from the line its label starts on
        found = [(name, line, line) for name, at, _ in found for line in [text.rfind("\n", start, at) + 1 or start]]
    elif not glued:  # a label found inside its cell ("1.的信访…" as typed): the row above ends where the cell starts
        found = [(name, _cell_start(text, at, found[i - 1][2] if i else start), stop)
                 for i, (name, at, stop) in enumerate(found)]
    rows: dict[str, list[Token] | None] = {name: None for name, _ in labels}
    if blank_lines is None:
        blank_lines = layout is None and not glued and node_lines(text[start:end])
    for i, (name, _, stop) in enumerate(found):
        nxt = found[i + 1][1] if i + 1 < len(found) else end
        if glued:
            nxt = glued_row_end(text, stop, nxt)
        rows[name] = tokenize(text[stop:nxt], lines.line_of(stop), glued, stop - text.rfind("\n", 0, stop) - 1,
                              words=layout == "inline", blank_lines=blank_lines)
    rests = {name: text[stop:text.find("\n", stop, end) if "\n" in text[stop:end] else end]
             for name, _, stop in found}
    return Located(rows, found[0][1] if found else end, retyped, rests,
                   {name: lines.line_of(at) for name, at, _ in sorted(found, key=lambda f: f[1])})


def _cell_start(text: str, at: int, floor: int) -> int:
    """Where the cell a label is found in starts: after the separator (a bar, a tab, a line end) before it, not
    before ``floor``."""
    cell = max(text.rfind("|", floor, at), text.rfind("\t", floor, at), text.rfind("\n", floor, at)) + 1
    return cell if cell > floor else at


def _in_order(where: str, start: int, end: int, labels) -> list[tuple[str, int, int]]:
    """Of every place each label is printed, one place per label, in the labels' order: as many labels as can be,
    then the places closest together (a label repeated in prose before or after the table is not the table's)."""
    places = [(i, m.start(), m.end()) for i, (_, pattern) in enumerate(labels) for m in pattern.finditer(where, start,
                                                                                                           end)]
    places.sort(key=lambda p: (p[1], p[0]))
    best: list[tuple[int, int, int]] = []  # for each place: (labels kept, -span, previous place) ending there
    for j, (i, a, b) in enumerate(places):
        mine = (1, 0, -1)
        for q in range(j):
            pi, pa, pb = places[q]
            if pi < i and pb <= a:
                count, span, _ = best[q]
                cand = (count + 1, span - (a - pb), q)
                if cand[:2] > mine[:2]:
                    mine = cand
        best.append(mine)
    if not best:
        return []
    j = max(range(len(best)), key=lambda q: best[q][:2])
    chain = []
    while j >= 0:
        i, a, b = places[j]
        chain.append((labels[i][0], a, b))
        j = best[j][2]
    return chain[::-1]


_MARK = r"(?:[1-9]\s*[.、]|[(\[【〔]\s*[一二三四五六七八九十]{1,2}\s*[)\]】〕]|[一二三四五六七八九十]{1,2}\s*[、.])"
# a piece of text that may be a label: from a numbering (or any text) to the next numbering, digit or separator
_SEGMENT = re.compile(rf"(?:{_MARK}\s*)?[^\d\t|]+?(?={_MARK}|[\d\t|]|$)", re.S)
_NUMBERING = re.compile(r"^\s*(?:[1-9]\s*[.、]|[(\[【〔]\s*[一二三四五六七八九十]{1,2}\s*[)\]】〕]|"
                        r"[一二三四五六七八九十]{1,2}\s*[、.])\s*")
_PAREN_TAIL = re.compile(r"[(（][^()（）]*[)）]?\s*$")
_NOT_LABEL = re.compile(r"[\s“”\"'‘’「」『』:：,，.。;；]")


def _core(label: str) -> str:
    """A label without its numbering, its parenthesised tail, quotes, punctuation and spaces."""
    label = _NUMBERING.sub("", fold(label))
    label = _PAREN_TAIL.sub("", label)
    return _NOT_LABEL.sub("", label)


def edit_distance(a: str, b: str, cap: int = 99) -> int:
    """Levenshtein distance (a character inserted, deleted or replaced), or ``cap`` when it is at least that."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) >= cap:
            return cap
    return min(row[-1], cap)


_NUMBER = re.compile(r"[1-9]|[一二三四五六七八九十]{1,2}")
_FUZZY_SHORTEST = 4  # labels shorter than this (其他, 总计, 规章) are found only as printed
FAR = 99  # a label that cannot be the text, whatever its words


def _number(label: str) -> str | None:
    """The numbering a label is printed with ("2" of "2.", "六" of "（六）"), or None."""
    m = _NUMBERING.match(label)
    return _NUMBER.search(m.group(0)).group(0) if m else None


def _distance(variant: str, segment: str) -> int:
    """How far a label is from a piece of text: the whole text, or (for a long label) its end or start of about the
    label's length (a group label or the rest of a wrapped cell printed beside it). A label numbered otherwise than
    the text (3. against （六）) is far, whatever its words."""
    core = _core(variant)
    cap = len(core) // 2 + 3  # at least two more than any distance accepted
    if len(core) < _FUZZY_SHORTEST:
        return FAR
    mine, theirs = _number(fold(variant)), _number(fold(segment))
    if theirs is not None and mine is not None and mine != theirs:
        return FAR
    if mine is not None and theirs is None and len(core) < 6:
        return FAR
    text = _core(segment)
    best = edit_distance(core, text, cap)
    if len(core) >= 6:
        for n in range(len(core) - 2, len(core) + 3):
            if n < len(text):
                best = min(best, edit_distance(core, text[-n:], cap), edit_distance(core, text[:n], cap))
    return best


def _retyped(where: str, start: int, end: int, labels, found, optional=()) -> tuple[list[tuple[str, int, int]],
                                                                                    list[tuple[str, str]]]:
    """The labels not found, looked for as typed differently between the labels found either side of them."""
    at = {name: i for i, (name, _) in enumerate(labels)}
    out = list(found)
    retyped = []
    bounds = [(-1, start)] + [(at[name], b) for name, _, b in found]
    nexts = [(at[name], a) for name, a, _ in found] + [(len(labels), end)]
    for (lo, a), (hi, b) in zip(bounds, nexts):
        missing = [labels[i] for i in range(lo + 1, hi) if labels[i][0] not in optional]
        if not missing or b <= a:
            continue
        segments = [(m.start(), m.end(), m.group(0)) for m in _SEGMENT.finditer(where, a, b)]
        segments = [x for x in segments if len(_core(x[2])) >= 2]
        if not segments:
            continue
        variants = {name: _variants_of.get(pattern, ()) for name, pattern in missing}
        cores = {name: [_core(v) for v in vs] for name, vs in variants.items()}
        scores = {(name, k): min((_distance(v, seg[2]) for v in variants[name]), default=99)
                  for name, _ in missing for k, seg in enumerate(segments)}
        taken = set()
        last = -1
        for name, _ in missing:
            ranked = sorted((scores[(name, k)], k) for k in range(len(segments)) if k > last and k not in taken)
            if not ranked:
                continue
            d, k = ranked[0]
            core = min(cores[name], key=len) if cores[name] else ""
            limit = max(1, len(core) // 5)
            others = [scores[(other, k)] for other, _ in missing if other != name]
            if d > limit or (len(ranked) > 1 and ranked[1][0] < d + 2) or any(o < d + 2 for o in others):
                continue  # not close enough, or not clearly the closest: the row stays unplaced
            a0, b0, _ = segments[k]
            out.append((name, a0, b0))
            taken.add(k)
            last = k
            shown = where[a0:b0].strip()
            retyped.append((name, f"row {name}: its label is printed “{shown}”, {d} character"
                                  f"{'s' if d > 1 else ''} from the template's “{core}”; read as that row"))
    out.sort(key=lambda f: f[1])
    return out, retyped


_GLUED_VALUE = re.compile(r"[\d\-—–]")
_GLUED_TEXT = re.compile(r"[^\d\s+\-—–.,/\\~～无万元件个项次条]")  # after a row's values: the end of the row
_GLUED_YEAR = re.compile(r"(?:19|20)\d\d\s*年")
_GLUED_NUMBERING = re.compile(r"[1-9]\s*(?:、|\.(?!\d))")


def glued_row_end(text: str, start: int, end: int) -> int:
    """Where a row of glued text ends: at the first text after its values ("…继续办理20000022025年，我局共收到…" ends
    before the year; "行政事业性收费7816 (二)主动公开…" before the text). What follows a table's last row up to the
    next heading is prose, and its digits are not the row's."""
    first = _GLUED_VALUE.search(text, start, end)
    if first is None:
        return end
    after = _GLUED_TEXT.search(text, first.start(), end)
    stop = after.start() if after else end
    numbering = _GLUED_NUMBERING.search(text, first.start(), stop)
    if numbering is not None:  # the next label's numbering ("…00000003.补正后…", "4、"): not the row's digits
        stop = numbering.start()
    year = _GLUED_YEAR.search(text, first.start(), stop + 2)
    if year is not None and year.start() < stop:
        stop = year.start()  # a year run into the row's digits: the prose after it begins with it
    return stop


def flat_blanks(rows: dict[str, list[Token] | None], widths: dict[str, int], flat: bool | None = None,
                rests: dict[str, str] | None = None) -> tuple[dict, bool]:
    """A table flattened to text without its merged cells (a web page's rows as tab-separated lines, a label spanning
    rows given once, no field for a merged cell): an empty field is then a blank cell, not a merged one. That is so
    when every row printed in full gives exactly as many fields after its label as it has columns, and none gives a
    field more (the empty field a merged label column leaves, as tab-separated tables print). Then a row of that
    many fields has its empty fields blank; the rows and whether the table is flattened so."""
    if flat is False:
        return rows, False
    fields: dict[str, list[Token]] = {}
    whole = extra = 0
    for name, toks in rows.items():
        if not toks or not isinstance(toks, list) or isinstance(toks, (Aligned, Wrapped)) or \
                any(t.glued for t in toks):
            continue  # none, unplaced, laid out by spaces, or glued
        first = toks[0].line
        if any(t.line != first and t.kind in (VALUE, BLANK) for t in toks):
            continue  # cells on several lines: not a row of fields
        mine = [t for t in toks if t.line == first]  # the next group's label on a line of its own is not the row's
        mine = mine[1:] if mine[0].kind in (EMPTY, TEXT) else mine  # the rest of the label's own field
        if any(t.kind not in (VALUE, EMPTY) for t in mine):
            continue
        k = widths[name]
        if len(mine) == k and all(t.kind == VALUE for t in mine):
            whole += 1
        elif len(mine) == k + 1 and mine[0].kind == EMPTY and all(t.kind == VALUE for t in mine[1:]):
            extra += 1
        fields[name] = mine
    if flat is None and (whole < 2 or extra):
        return rows, False
    out = dict(rows)
    for name, rest in (rests or {}).items():  # a label's line of empty fields only: every cell blank
        if name in out and not fields.get(name) and "\t" in rest and not rest.replace("\t", "").strip() and \
                rest.count("\t") in (widths[name], widths[name] + 1):
            line = out[name][0].line - 1 if out[name] else None
            out[name] = [Token(BLANK, "", line)] * widths[name]
    for name, mine in fields.items():
        if len(mine) == widths[name] and any(t.kind == EMPTY for t in mine):
            out[name] = [t._replace(kind=BLANK) if t.kind == EMPTY else t for t in mine]
        elif len(mine) == widths[name] + 1 and mine[-1].kind == EMPTY and any(t.kind == EMPTY for t in mine[:-1]):
            out[name] = [t._replace(kind=BLANK) if t.kind == EMPTY else t for t in mine[:-1]]  # a tab at the end
    return out, True


def flat_review_blanks(tokens: list[Token] | None, k: int, group: int = 5) -> list[Token] | None:
    """Section 四's row in a table flattened without its merged cells (``flat_blanks``): a line of exactly ``k``
    fields (or of ``group``, one of three small tables) has its empty fields blank."""
    if not tokens or isinstance(tokens, (Aligned, Wrapped)) or any(t.glued for t in tokens):
        return tokens
    by_line: dict[int, list[Token]] = {}
    for t in tokens:
        by_line.setdefault(t.line, []).append(t)
    out: list[Token] = []
    for line_tokens in by_line.values():
        fields = [t for t in line_tokens if t.kind in (VALUE, EMPTY, BLANK)]
        if len(fields) in (k, group) and any(t.kind == EMPTY for t in fields):
            out += [t._replace(kind=BLANK) if t.kind == EMPTY else t for t in fields]
        else:
            out += line_tokens
    return out


def place_value_lines(rows: dict[str, list[Token] | None], k: int, skip: tuple[str, ...] = (),
                      label_lines: dict[str, int] | None = None, unknown: tuple[str, ...] = ()
                      ) -> tuple[dict[str, list[Token] | None], list[str], list[str]]:
    """Rows of values printed apart from their labels, as PDF-to-Markdown conversions break a table apart: a tall
    label's lines emitted around or after its row of values, a row of values whose label is lost. Each row's lines
    of exactly ``k`` cells are counted; where, over consecutive rows, as many such lines as rows are printed but not
    one a row (a row with two, the next with none), the lines are read in the table's order, one a row — only where
    each line stands between the labels of its row's neighbours (a conversion keeps the rows of a table in order;
    the lines of a tall label drift around its own row only). A row printing part of a line leaves its neighbours
    as they are; so does a row of ``unknown`` (a group whose form is not known: no label of either form found).
    Returns the rows, the rows placed so, and the rows whose label prints no values beside a row that prints two
    rows of them (which row those are cannot be told: not blank, unplaced)."""
    if all(toks is not None and sum(t[0] in (VALUE, BLANK) for t in toks) == k for n, toks in rows.items()
           if n not in skip):
        return rows, [], []  # every row prints its cells once (most tables): nothing stands apart
    names = [n for n in rows if not (n in skip and not any(t.kind == VALUE for t in rows[n] or ()))]
    lines_of: dict[str, list[list[Token]] | None] = {}
    full: dict[str, int] = {}  # each row's lines of exactly k cells, also where it prints other lines too
    for name in names:
        toks = rows[name]
        if toks is None:
            lines_of[name] = None if name in unknown else []
            full[name] = 0
            continue
        if isinstance(toks, (Aligned, Wrapped)) or any(t.glued for t in toks):
            return rows, [], []
        by_line: dict[int, list[Token]] = {}
        for t in toks:
            if t.kind in (VALUE, BLANK):
                by_line.setdefault(t.line, []).append(t)
        counts = {len(v) for v in by_line.values()}
        lines_of[name] = list(by_line.values()) if counts <= {k} else None
        full[name] = sum(len(v) == k for v in by_line.values())
    out = dict(rows)
    moved: list[str] = []
    i = 0
    while i < len(names):
        if lines_of[names[i]] is None or len(lines_of[names[i]]) == 1:
            i += 1
            continue
        balance, placed = 0, False
        for j in range(i, len(names)):
            if lines_of[names[j]] is None:
                break
            balance += len(lines_of[names[j]]) - 1
            if balance == 0:
                run = names[i:j + 1]
                flat = [line for r in run for line in lines_of[r]]
                if all(_between(names, r, line[0].line, label_lines or {}) for r, line in zip(run, flat)):
                    for r, line in zip(run, flat):
                        out[r] = line
                        lines_of[r] = [line]
                    moved += [r for r in run if r not in moved]
                    placed = True
                    i = j + 1
                break
        if not placed:
            i += 1
    # where rows of values stand apart from their labels and could not all be placed, any row reached while lines
    # are in excess or short (a row before printed two, or none) may hold a neighbour's values: none of them is read.
    # A row's lines are counted also where it prints other lines among them (a label broken over its values)
    unsure: list[str] = []
    if any(full[name] > 1 for name in names if name not in moved):
        balance = 0
        for name in names:
            count = len(lines_of[name]) if name in moved else full[name]
            if rows[name] is not None and count <= 1 and (balance != 0 or count == 0):
                unsure.append(name)
            balance += count - 1
    return out, moved, unsure


def _between(names: list[str], row: str, line: int, label_lines: dict[str, int]) -> bool:
    """Whether a line stands between the labels of a row's nearest neighbours whose labels were found."""
    i = names.index(row)
    before = next((label_lines[n] for n in reversed(names[:i]) if n in label_lines), 0)
    after = next((label_lines[n] for n in names[i + 1:] if n in label_lines), 10 ** 9)
    return before < line < after


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
def _review_words() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """Section 四's header words (行政复议, 未经复议直接起诉, 结果维持 …, from the codebook) as a pattern, longest first,
    a pattern for the column words only that table prints (结果维持, 尚未审结, 复议后起诉 …), and every character of
    the header words."""
    words = {part for m in codebook.template("2021").review_litigation for part in m.label_zh.split(" ")}
    words |= {"合计"}
    own = sorted((w for w in words if w not in ("总计", "合计", "其他结果", "行政复议", "行政诉讼")), key=len,
                 reverse=True)
    anchor = re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in own))
    return re.compile("|".join(sorted(words, key=len, reverse=True))), anchor, frozenset("".join(words))


_TOTAL_WORD = re.compile(r"[总合]\s*计\s*[)）]?$")
_TEXT_RUN = re.compile(r"[^\d\s|+\-—–/\\~～.,，、无件]+")  # text: between it, values, placeholders and separators
_VALUE_CHAR = re.compile(r"[\d\-—–/\\~～无]")  # what every value and placeholder prints one of (see cells._classify)
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _header_like(text: str) -> bool:
    """Whether text between values is section 四's header (its words, a character garbled here or there) rather than
    prose: most of its Chinese characters are the header's, or most of it is header words."""
    words, _, chars = _review_words()
    cjk = "".join(_CJK.findall(text))
    if not cjk:
        return True
    covered = len(cjk) - len(words.sub("", cjk))
    return sum(map(chars.__contains__, cjk)) >= 0.7 * len(cjk) or covered >= 0.7 * len(cjk)


def _cells_in(tokens: list[Token]) -> int:
    """At most how many cells tokens can fill: a glued run of digits one a digit."""
    return sum(len(t.text) if t.glued else 1 for t in tokens if t.kind in (VALUE, BLANK))


def locate_review_row(text: str, region: tuple[int, int] | None, lines: LineIndex, glued: bool,
                      blank_lines: bool | None = None) -> list[Token] | None:
    """The tokens of section 四's one row of fifteen values (None when there is no region or no header).

    The row is what the header block (its column words: 结果维持 …, a character garbled here or there, in any order)
    is followed by, up to the first text that is not header-like: prose after the table is not the table, whatever
    it holds. A table printed as three small tables (复议 / 未经复议直接起诉 / 复议后起诉), each its header and its
    five cells, is read as one row while fewer than fifteen cells are found.
    """
    if region is None:
        return None
    start, end = region
    scan = blank_page_footers(text[start:end])
    anchor = _review_words()[1].search(scan)
    if anchor is None:
        chars = _review_words()[2]
        pos = next((i for i, ch in enumerate(scan) if ch in chars), None)
        if pos is None:
            return None
    else:
        pos = anchor.start()
    parts: list[list[Token]] = []  # the tokens of each run of cells (a Wrapped or Aligned row keeps its kind)
    tokens: list[Token] = []
    gap = pos
    after_total = False  # whether the text before the gap ends a header: 总计, its last column
    if blank_lines is None:
        blank_lines = not glued and node_lines(scan)
    for run in [*_TEXT_RUN.finditer(scan, pos), None]:
        stop = run.start() if run is not None else len(scan)
        # a gap that prints no value (nothing but spaces, bars, commas …) adds cells only after a header's last column
        if (gap < stop and not scan[gap:stop].isspace() or "\n" in scan[gap:stop]) and (
                after_total or _VALUE_CHAR.search(text, start + gap, start + stop)):
            found = _tokens_of(text, start, (gap, stop), lines, glued, blank_lines)
            cells = [t for t in found if t.kind in (VALUE, BLANK)]
            # a block of cells: values, or blank cells right after a header's last column (总计) — not the empty
            # cells a merged header leaves between its words
            if any(t.kind == VALUE for t in cells) or (after_total and len(cells) >= 4):
                parts.append(found)
                tokens += found
        if run is None or _cells_in(tokens) >= 15:
            break
        if not _header_like(run.group(0)):
            if parts or _prose_blocks(run):
                break
        gap = run.end()
        after_total = bool(_TOTAL_WORD.search(run.group(0)))
    if not parts:  # a header followed by no cell at all
        return _tokens_of(text, start, (gap, gap), lines, glued, blank_lines)
    if len(parts) == 1:
        return parts[0]
    tokens = [t for t in tokens if t.kind != SEP]  # the end of each small table is not the end of the row
    return Wrapped(tokens) if any(isinstance(p, Wrapped) for p in parts) else tokens


def _prose_blocks(run: re.Match[str]) -> bool:
    """Whether a text run that is not header-like, before any cell, is prose (a sentence) rather than a garbled
    header cell: it is long, or ends a sentence."""
    return len(run.group(0)) > 8 or "。" in run.group(0)


def _tokens_of(text: str, start: int, piece: tuple[int, int], lines: LineIndex, glued: bool,
               blank_lines: bool = False) -> list[Token]:
    a, b = start + piece[0], start + piece[1]
    return tokenize(text[a:b], lines.line_of(a), glued, a - text.rfind("\n", 0, a) - 1, blank_lines=blank_lines)


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
