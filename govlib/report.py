"""One report: locate its tables, fit their cells, validate, and present the result as Polars frames."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from operator import itemgetter
from pathlib import Path

from . import codebook
from .cells import Token, label_view, spaced_layout, tokenize
from .codebook import REVIEW_ROW
from .decoding import Document, read_document
from .errors import ParseError
from .fitting import BLANK_STATE, DASH, FAIL, KNOWN, Cell, Constraint, Note, evaluate, fit_table, place_aligned
from .narrative import claims
from .sections import detect_template, find_meta, find_sections

MONEY_MEASURES = ("fee_amount", "procurement_amount")
SIGNED_MEASURES = ("items_change",)
_HEADER_UNIT = re.compile(r"单\s*位\s*[:：]\s*(万\s*元|元)")  # "（单位：万元，保留4位小数）" in a header
_REVIEW_HEADER_CHARS = re.compile(r"[维持纠正其他结果尚未审结总计起诉复议行政诉讼经直接后]")


@dataclass(frozen=True)
class ReportMeta:
    """What a report says about itself, and where it was read from."""

    agency: str | None
    year: int | None
    template: str
    doc_number: str | None
    published: dt.date | None
    source: str
    sha256: str
    title: str | None = None
    encoding: str = "utf-8"
    format: str = "text"
    layout: str = "cells"

    @property
    def report_id(self) -> str:
        return self.sha256[:16]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    cells: str
    expected: float | None
    found: float | None
    message: str


@dataclass
class Report:
    """A parsed report: metadata, the three tables (as Polars frames) and the findings."""

    meta: ReportMeta
    cells: dict[str, dict[tuple[str, str], Cell]]  # table → (row, column) → cell
    finding_list: list[Finding] = field(default_factory=list)
    positions: tuple | None = None  # for PDF: (page, cell box) of each line of the flattened text

    def where(self, c: Cell) -> tuple[int | None, int | None, str | None]:
        """A cell's provenance: (line, None, None) in a text, HTML or Word file; (None, page, box) in a PDF."""
        if self.positions is None or c.line is None:
            return c.line, None, None
        pos = self.positions[c.line - 1] if 0 < c.line <= len(self.positions) else None
        return (None, pos[0], pos[1]) if pos else (None, None, None)
    context: str = ""  # the title, opening and closing text: where a report names its own places

    @cached_property
    def region(self):
        """Where the agency sits (``govlib.regions.Region``), from its name and its own text."""
        from .regions import resolve

        return resolve(self.meta.agency, self.context)

    # each frame's columns (in SCHEMAS order), so that a corpus can build one frame for all reports at once
    def columns(self, table: str) -> list[Sequence]:
        """The values of each column of ``table``'s frame (``applications``, ``review_litigation``, ``proactive``,
        ``findings``) for this report."""
        if table == "findings":
            rows = [(f.rule, f.severity, f.cells, f.expected, f.found, f.message) for f in self.finding_list]
            return [list(c) for c in zip(*rows)] if rows else [[] for _ in SCHEMAS[table]]
        keys = _keys(self.meta.template, table)
        cells = list(map(self.cells[table].__getitem__, keys))
        values = list(map(_float if table == "proactive" else _int, map(_VALUE, cells)))
        if self.positions is None:  # text, HTML, Word: a line, no page
            where = [list(map(_LINE, cells)), list(map(_TEXT, cells)), [None] * len(cells), [None] * len(cells)]
        else:
            where = [list(c) for c in zip(*map(self._provenance, cells))]
        units = [_units(self.meta.template)] if table == "proactive" else []
        return [*_codes(self.meta.template, table), values, *units, list(map(_STATE, cells)), list(map(_RULE, cells)),
                *where]

    def proactive_rows(self) -> list[tuple]:
        """Section 二 as rows (item, measure, value, unit, …), for laying it out as printed."""
        return list(zip(*self.columns("proactive")))

    def _provenance(self, c: Cell) -> tuple:
        line, page, box = self.where(c)
        return line, c.text, page, box

    @cached_property
    def applications(self):
        return frame("applications", self.columns("applications"))

    @cached_property
    def review_litigation(self):
        return frame("review_litigation", self.columns("review_litigation"))

    @cached_property
    def proactive(self):
        return frame("proactive", self.columns("proactive"))

    @cached_property
    def findings(self):
        return frame("findings", self.columns("findings"))

    def value(self, table: str, row: str, column: str) -> int | float | None:
        """One cell's value, e.g. ``report.value("applications", "new_received", "total")``."""
        return self.cells[table][(row, column)].value


def _int(v):
    if v is None or type(v) is int:
        return v
    return int(v) if float(v).is_integer() else None


def _float(v):
    return None if v is None else float(v)


_VALUE, _STATE, _LINE, _TEXT, _RULE = (itemgetter(i) for i in range(5))  # fields of a Cell


@cache
def _codes(template: str, table: str) -> tuple[tuple[str, ...], ...]:
    """The code columns of a table's frame: (row, applicant), (measure,) or (item, measure)."""
    keys = _keys(template, table)
    if table == "review_litigation":
        return (tuple(m for _, m in keys),)
    return tuple(r for r, _ in keys), tuple(c for _, c in keys)


@cache
def _keys(template: str, table: str) -> tuple[tuple[str, str], ...]:
    """The cells of a table in the frame's order: the template's rows, each with its columns."""
    t = codebook.template(template)
    if table == "applications":
        return tuple((r.code, a.code) for r in t.applications for a in t.applicants)
    if table == "review_litigation":
        return tuple((REVIEW_ROW, m.code) for m in t.review_litigation)
    return tuple((item.code, m.code) for item, measures in t.proactive for m in measures)


@cache
def _units(template: str) -> tuple[str, ...]:
    return tuple(m.unit for _, measures in codebook.template(template).proactive for m in measures)


SCHEMAS = {
    "applications": [("row", "str"), ("applicant", "str"), ("value", "int"), ("state", "str"), ("rule", "str"),
                     ("line", "int"), ("text", "str"), ("page", "int"), ("position", "str")],
    "review_litigation": [("measure", "str"), ("value", "int"), ("state", "str"), ("rule", "str"), ("line", "int"),
                          ("text", "str"), ("page", "int"), ("position", "str")],
    "proactive": [("item", "str"), ("measure", "str"), ("value", "float"), ("unit", "str"), ("state", "str"),
                  ("rule", "str"), ("line", "int"), ("text", "str"), ("page", "int"), ("position", "str")],
    "findings": [("rule", "str"), ("severity", "str"), ("cells", "str"), ("expected", "float"), ("found", "float"),
                 ("message", "str")],
}


def polars_schema(table: str, prefix: list[tuple[str, str]] = ()):
    import polars as pl

    types = {"str": pl.String, "int": pl.Int64, "float": pl.Float64}
    return {name: types[t] for name, t in list(prefix) + SCHEMAS[table]}


def frame(table: str, columns: list[Sequence], prefix: list[tuple[str, str]] = ()):
    """A frame from the values of each column (the ``prefix`` columns first): Polars reads a column of Python values
    several times faster than rows."""
    import polars as pl

    schema = polars_schema(table, prefix)
    return pl.DataFrame([pl.Series(name, column, dtype=dtype)
                         for (name, dtype), column in zip(schema.items(), columns)])


# --- locating rows --------------------------------------------------------------------------------------------------

class _Lines:
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
def _row_labels(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """Section 三's row labels for template ``name``, in printed order."""
    return _patterns([(r.code, (r.leaf,)) for r in codebook.template(name).applications])


@cache
def _item_labels(name: str) -> list[tuple[str, re.Pattern[str]]]:
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


def locate_rows(text: str, region: tuple[int, int], labels: list[tuple[str, re.Pattern[str]]], lines: _Lines,
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


# --- the tables -----------------------------------------------------------------------------------------------------

SUBTOTAL = "subtotal"  # 小计 of the 法人或其他组织 columns, printed by some reports; checked, not kept
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
def application_constraints(name: str, columns: tuple[str, ...] | None = None
                            ) -> tuple[dict[str, list[Constraint]], list[Constraint]]:
    """The identities of section 三 for template ``name`` and the printed applicant columns."""
    t = codebook.template(name)
    cols = list(columns or [a.code for a in t.applicants])
    parts = [c for c in cols if c not in ("total", SUBTOTAL)]
    orgs = [c for c in parts if c != "natural_person"]
    rows = [r.code for r in t.applications]
    per_row = {r: [Constraint("I2", ((r, "total"),), tuple((r, c) for c in parts))] for r in rows}
    if SUBTOTAL in cols:
        for r in rows:
            per_row[r].append(Constraint("I2", ((r, SUBTOTAL),), tuple((r, c) for c in orgs)))
    table = []
    for c in cols:
        table.append(Constraint("I1", (("new_received", c), ("carried_over", c)),
                                (("total_handled", c), ("carried_forward", c))))
        table.append(Constraint("I3", (("total_handled", c),), tuple((r, c) for r in t.outcome_rows)))
    return per_row, table


@cache
def review_constraints(name: str) -> list[Constraint]:
    t = codebook.template(name)
    groups: dict[str, list[str]] = {}
    for m in t.review_litigation:
        groups.setdefault(m.group, []).append(m.code)
    out = []
    for codes in groups.values():
        total = next(c for c in codes if c.endswith("_total"))
        out.append(Constraint("I4", ((REVIEW_ROW, total),), tuple((REVIEW_ROW, c) for c in codes if c != total)))
    return out


def parse_report(path: str | Path, data: bytes | None = None) -> Report:
    """Parse one annual report file (text, Markdown, HTML or DOCX; UTF-8, UTF-16 or GB18030).

    Raises ``ParseError`` naming the file when it is not a report that can be read.
    """
    p = Path(path)
    if data is None:
        try:
            data = p.read_bytes()
        except OSError as e:
            raise ParseError(f"{p}: cannot be read ({e.strerror})") from None
    doc = read_document(p, data)
    return parse_document(doc, hashlib.sha256(data).hexdigest())


def parse_document(doc: Document, sha256: str) -> Report:
    text = doc.text
    sections = find_sections(text)
    name, counts = detect_template(text[sections.proactive[0]:sections.end_of_tables] if sections.proactive else text)
    if name is None and sections.proactive:
        name, counts = detect_template(text)
    missing = [s for s, r in (("二、主动公开政府信息情况", sections.proactive),
                              ("三、收到和处理政府信息公开申请情况", sections.applications)) if r is None]
    if name is None or len(missing) == 2:
        what = " and ".join(f"the section {m}" for m in missing) if missing else "the table headings of section 二"
        raise ParseError(f"{doc.path}: not an annual report on government information disclosure: {what} "
                         f"could not be found (template fingerprints: {counts}); check that this is a "
                         f"政府信息公开工作年度报告 and that its tables were not lost in conversion")
    t = codebook.template(name)
    meta = find_meta(text, sections.end_of_tables)
    lines = _Lines(text)
    glued = sections.applications is not None and text.count("\n", *sections.applications) < 10
    notes: list[Note] = []
    cells: dict[str, dict[tuple[str, str], Cell]] = {}

    # section 三
    columns = tuple(a.code for a in t.applicants)
    labels = _row_labels(t.name)
    if sections.applications:
        rows, first_row = locate_rows(text, sections.applications, labels, lines, glued)
        columns = applicant_columns(t, text[sections.applications[0]:first_row])
    else:
        rows = {r.code: None for r in t.applications}
    row_c, table_c = application_constraints(t.name, columns)
    rows = place_aligned(rows, len(columns))
    fitted = fit_table(rows, {r: columns for r in rows}, row_c, table_c)
    cells["applications"], notes = fitted.cells, notes + _in_table("applications", fitted.notes)

    # section 四: one row of fifteen values after the header
    review_cols = tuple(m.code for m in t.review_litigation)
    review_rows: dict[str, list[Token] | None] = {REVIEW_ROW: None}
    if sections.review:
        start, end = sections.review
        header = None
        for header in _REVIEW_HEADER_CHARS.finditer(text, start, end):
            pass
        if header is not None:
            start = header.end()
            review_rows[REVIEW_ROW] = tokenize(text[start:end], lines.line_of(start), glued,
                                               start - text.rfind("\n", 0, start) - 1)
    review_rows = place_aligned(review_rows, len(review_cols))
    fitted = fit_table(review_rows, {REVIEW_ROW: review_cols}, {REVIEW_ROW: review_constraints(t.name)}, [])
    cells["review_litigation"], notes = fitted.cells, notes + _in_table("review_litigation", fitted.notes)

    # section 二
    item_cols = {item.code: tuple(m.code for m in measures) for item, measures in t.proactive}
    labels = _item_labels(t.name)
    if sections.proactive:
        rows, _ = locate_rows(text, sections.proactive, labels, lines, glued)
    else:
        rows = {item.code: None for item, _ in t.proactive}
    fitted = fit_table(rows, item_cols, {}, [])
    header_unit = _money_header_unit(text, sections.proactive)
    cells["proactive"] = {k: _in_10k_yuan(c, header_unit) if k[1] in MONEY_MEASURES else c
                          for k, c in fitted.cells.items()}
    notes += _in_table("proactive", fitted.notes)
    if header_unit == "元":
        converted = tuple(("proactive." + r, m) for (r, m), c in fitted.cells.items()
                          if m in MONEY_MEASURES and c.value is not None and not c.unit)
        if converted:
            notes.append(Note("unit", "warning", converted,
                              "section 二 declares its money in 元 (单位：元), not the template's 万元: amounts "
                              "printed without a unit were read as 元 and converted to 万元"))

    if doc.source_lines is not None:
        cells = {tbl: {k: _relined(c, doc) for k, c in cs.items()} for tbl, cs in cells.items()}
    meta_out = ReportMeta(meta.agency, meta.year, name, meta.doc_number, meta.published, doc.path, sha256,
                          meta.title, doc.encoding, doc.format, "glued" if glued else "cells")
    head = text[: sections.proactive[0]] if sections.proactive else text[:1500]
    report = Report(meta_out, cells, context=head[:3000] + "\n" + text[sections.end_of_tables:][-1500:],
                    positions=doc.positions)
    report.finding_list = [Finding(n.rule, n.severity, _cells_text(n.cells), None, None, n.message) for n in notes]
    report.finding_list += validate(report, row_c, table_c, review_constraints(t.name), sections)
    starts = [r[0] for r in (sections.proactive, sections.applications, sections.review) if r]
    if starts:
        report.finding_list += narrative_findings(report, text[:min(starts)], doc)
    return report


def narrative_findings(report: Report, prose: str, doc: Document) -> list[Finding]:
    """The figures the prose before the tables states (``narrative.claims``) that the tables contradict.

    Prose that states one measure several times with different figures speaks of several scopes ("全区各级行政机关共收到
    申请300件，本机关收到申请75件"): when one of them is what the table prints, the others are not held against it.
    """
    out = []
    checked = []
    for claim in claims(prose):
        grid = report.cells[claim.table]
        keys = [k for k in claim.keys if k in grid]  # a claim about a group of rows: those of this template
        cells = [grid[k] for k in keys]
        if any(c.state not in KNOWN or c.value is None for c in cells):
            continue  # a table value not known: nothing to hold the text against
        checked.append((claim, keys, sum(c.value for c in cells)))
    agreed = {(claim.table, claim.keys) for claim, _, printed in checked if printed == claim.value}
    for claim, keys, printed in checked:
        if (claim.table, claim.keys) in agreed:
            continue
        line = prose.count("\n", 0, claim.offset) + 1
        page = doc.positions[line - 1] if doc.positions and line <= len(doc.positions) else None
        place = f"page {page[0]}" if page else f"line {doc.source_line(line)}"  # a PDF has pages, not lines
        names = [f"{claim.table} {r}×{c}" if r != REVIEW_ROW else f"{claim.table} {c}" for r, c in keys]
        where = " + ".join(names) if len(names) <= 3 else f"the sum of {len(names)} cells, {names[0]} … {names[-1]}"
        out.append(Finding("narrative", "warning", _cells_text([(f"{claim.table}.{r}", c) for r, c in keys]),
                           float(printed), float(claim.value),
                           f"narrative: the text says {claim.value} {claim.label} ({place}: “{claim.quote}”), "
                           f"but the table prints {printed:g} ({where}); the text may speak of a wider scope"))
    return out


def _money_header_unit(text: str, region: tuple[int, int] | None) -> str:
    """The money unit section 二's header declares ("元" or "万元"), or "" when it declares none."""
    units = {re.sub(r"\s", "", m.group(1)) for m in (_HEADER_UNIT.finditer(text, *region) if region else ())}
    return units.pop() if len(units) == 1 else ""  # none, or headers that disagree: the template's 万元


def _in_10k_yuan(c: Cell, header_unit: str = "") -> Cell:
    """Money in the template's unit, 万元; the printed text ("12975800元") stays as provenance. A number printed
    without a unit is in the unit the header declares, 万元 unless it says 元."""
    if c.value is None or (c.unit or header_unit) != "元":
        return c
    return c._replace(value=c.value / 10000, unit="万元")


def _relined(c: Cell, doc: Document) -> Cell:
    return c if c.line is None else c._replace(line=doc.source_line(c.line))


def _in_table(table: str, notes: list[Note]) -> list[Note]:
    return [Note(n.rule, n.severity, tuple((f"{table}.{r}", c) for r, c in n.cells), n.message) for n in notes]


def _cells_text(keys) -> str:
    return "; ".join(f"{r}×{c}" if not r.endswith(REVIEW_ROW) else f"review_litigation.{c}" for r, c in keys)


# --- validation -----------------------------------------------------------------------------------------------------

_IDENTITY_TEXT = {
    "I1": "new + carried over = handled + carried forward",
    "I2": "total = the sum of the six applicant columns",
    "I3": "total handled = the sum of all outcome rows",
    "I4": "total = upheld + corrected + other + pending",
}


def _sum(keys, grid) -> tuple[int, int]:
    known = unknown = 0
    for k in keys:
        c = grid.get(k)
        if c is not None and c.state in KNOWN and c.value is not None:
            known += c.value
        else:
            unknown += 1
    return known, unknown


def validate(report: Report, row_c, table_c, review_c, sections) -> list[Finding]:
    """Every breach of I1–I4 and N as a finding; the cells are never changed."""
    out: list[Finding] = []
    apps = report.cells["applications"]
    review = report.cells["review_litigation"]
    checks = [("applications", c, apps) for c in itertools.chain(*row_c.values(), table_c)]
    checks += [("review_litigation", c, review) for c in review_c]
    for table, c, grid in checks:
        status, _ = evaluate(c, grid)
        if status != FAIL:
            continue
        found, unknown_l = _sum(c.lhs, grid)
        expected, unknown_r = _sum(c.rhs, grid)
        keys = [(f"{table}.{r}", col) for r, col in c.lhs + c.rhs]
        where = f"row {c.lhs[0][0]}" if c.rule in ("I2",) else (
            f"column {c.lhs[0][1]}" if c.rule in ("I1", "I3") else f"group {c.lhs[0][1].rsplit('_', 1)[0]}")
        extra = f" ({unknown_l + unknown_r} cells not printed as numbers; no non-negative values for them fit)" \
            if unknown_l + unknown_r else ""
        out.append(Finding(c.rule, "error", _cells_text(keys), float(expected), float(found),
                           f"{c.rule} fails in {table} {where}: {_IDENTITY_TEXT[c.rule]}, but the report prints "
                           f"{found} against {expected}{extra}"))
    # N: non-negative integers, and no more handled than there was to handle
    for table, grid in report.cells.items():
        for (r, col), cell in grid.items():
            v = cell.value
            if v is None or (type(v) is int and v >= 0) or col in SIGNED_MEASURES:  # most cells: a plain count
                continue
            if cell.value < 0:
                out.append(Finding("N", "error", _cells_text([(f"{table}.{r}", col)]), 0.0, float(cell.value),
                                   f"N: {table} {r}×{col} is negative ({cell.text})"))
            elif type(cell.value) is float and table != "proactive" and not cell.value.is_integer():
                out.append(Finding("N", "error", _cells_text([(f"{table}.{r}", col)]), None, float(cell.value),
                                   f"N: {table} {r}×{col} is not a whole number ({cell.text})"))
    for col in {k[1] for k in apps}:
        h, n, o = (apps[(r, col)] for r in ("total_handled", "new_received", "carried_over"))
        if all(x.state in KNOWN and x.value is not None for x in (h, n, o)) and h.value > n.value + o.value:
            out.append(Finding("N", "error", _cells_text([("applications.total_handled", col),
                                                          ("applications.new_received", col),
                                                          ("applications.carried_over", col)]),
                               float(n.value + o.value), float(h.value),
                               f"N: column {col} handles {h.value} requests but only {n.value + o.value} "
                               f"were received or carried over"))
    for table, grid in report.cells.items():
        states = {c.state for c in grid.values()}
        if states <= {BLANK_STATE, DASH}:
            out.append(Finding("blank_table", "warning", table, None, None,
                               f"the {table} table is printed without a single number"))
    year, tpl = report.meta.year, report.meta.template
    if year is not None and ((tpl == "2019" and year >= 2021) or (tpl == "2021" and year <= 2020)):
        out.append(Finding("template", "warning", "", None, None,
                           f"a {year} report in the {tpl} template (fingerprints decide the template, not the year)"))
    if year is None:
        out.append(Finding("metadata", "warning", "", None, None, "no report year found in the title"))
    if report.meta.agency is None:
        out.append(Finding("metadata", "warning", "", None, None, "no reporting agency found in the title"))
    return out

