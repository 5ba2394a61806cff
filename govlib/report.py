"""One report, from its file to its cells and findings: ``parse_report`` conducts the layers below (decoding,
sections, rows, fitting, validation) and ``Report`` holds the result, with its tables as Polars frames (made by
``frames``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import codebook
from .cells import MISSING, UNRESOLVED, Cell, Token, in_10k_yuan, node_lines, tokenize
from .codebook import MONEY_MEASURES, REVIEW_ROW
from .decoding import Document, read_document
from .errors import ParseError
from .fitting import Note, Unplaced, fit_table, in_reading_order, place_aligned
from .frames import frame, report_columns
from .identities import application_constraints, review_constraints
from .rows import (LineIndex, applicant_columns, continues_row, flat_blanks, flat_review_blanks, group_headings,
                   item_labels,
                   locate_review_row, locate_rows, money_header_unit, other_form_rows, place_value_lines, printed_forms,
                   row_labels, unknown_forms, unprinted_form)
from .sections import (HEADING_WORDS, detect_template, find_meta, find_sections, fingerprint_words,
                       template_from_rows)
from .validate import Finding, cells_text, narrative_findings, truncation_findings, validate


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


@dataclass
class Report:
    """A parsed report: metadata, the three tables (as Polars frames) and the findings."""

    meta: ReportMeta
    cells: dict[str, dict[tuple[str, str], Cell]]  # table → (row, column) → cell
    finding_list: list[Finding] = field(default_factory=list)
    positions: tuple | None = None  # for PDF: (page, cell box) of each line of the flattened text
    frame_rows: tuple[str, ...] | None = None  # section 三's rows as printed, where a group is in the other form

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

    def columns(self, table: str) -> list[Sequence]:
        """The values of each column of ``table``'s frame (``applications``, ``review_litigation``, ``proactive``,
        ``findings``) for this report, in ``frames.SCHEMAS`` order: a corpus builds one frame of all reports."""
        return report_columns(self, table)

    def proactive_rows(self) -> list[tuple]:
        """Section 二 as rows (item, measure, value, unit, …), for laying it out as printed."""
        return list(zip(*self.columns("proactive")))

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
    doc = read_document(p, data, continues_row)
    return parse_document(doc, hashlib.sha256(data).hexdigest())


def parse_document(doc: Document, sha256: str) -> Report:
    """Find a decoded report's sections and template, read its three tables, and validate them."""
    text = doc.text
    sections = find_sections(text)
    name, counts = detect_template(text[sections.proactive[0]:sections.end_of_tables] if sections.proactive else text)
    if name is None and sections.proactive:
        name, counts = detect_template(text)
    meta = find_meta(text, sections.end_of_tables)
    template_notes: list[Note] = []
    if name is None and sections.applications and sections.review:
        # 三 and 四 are there: a report, whatever its section 二 shows. The template is the one group （六） is printed
        # in, else the one of the report's year
        name = template_from_rows(text[slice(*sections.applications)])
        how = "section 三 prints group （六） in its form"
        if name is None:
            name, how = ("2019" if meta.year is not None and meta.year <= 2020 else "2021"), (
                f"the report's year is {meta.year}" if meta.year else "the year is not printed either")
        template_notes.append(Note("template", "warning", (), f"the table headings that tell the templates apart "
                                   f"are not printed ({fingerprint_words(counts)}): read as the {name} template, "
                                   f"since {how}"))
    if name is None or (sections.proactive is None and sections.applications is None):
        if not sections.tables and not any(counts.values()) and meta.title is not None:
            raise ParseError(f"{doc.path}: the statistics tables are not in this file — they may be images or an "
                             f"attachment")
        missing = [s for s, r in (("二、主动公开政府信息情况", sections.proactive),
                                  ("三、收到和处理政府信息公开申请情况", sections.applications)) if r is None]
        what = " and ".join(f"the section {m}" for m in missing) if missing else "the table headings of section 二"
        raise ParseError(f"{doc.path}: not an annual report on government information disclosure: {what} "
                         f"could not be found, nor the tables' own words, and the text carries "
                         f"{fingerprint_words(counts)}; check that this is a 政府信息公开工作年度报告 and that its "
                         f"tables were not lost in conversion")
    t = codebook.template(name)
    for numeral in sections.unheaded:
        template_notes.append(Note("heading", "warning", (), f"no heading of section {numeral} stands before its "
                                   f"table (as {HEADING_WORDS[numeral]}, whatever its numeral): the section was "
                                   f"found by the words only its table prints"))
    lines = LineIndex(text)
    glued = sections.applications is not None and text.count("\n", *sections.applications) < 10
    notes: list[Note] = template_notes
    cells: dict[str, dict[tuple[str, str], Cell]] = {}

    # section 三
    three = _read_applications(text, sections, t, lines, glued)
    row_c, table_c, flat, node = three.row_c, three.table_c, three.flat, three.node
    cells["applications"], notes = three.cells, notes + _in_table("applications", three.notes)

    # section 四: one row of fifteen values after the header
    review_cols = tuple(m.code for m in t.review_litigation)
    review_row = locate_review_row(text, sections.review, lines, glued, node)
    review_rows: dict[str, list[Token] | None] = {REVIEW_ROW: flat_review_blanks(review_row, len(review_cols))
                                                  if flat else review_row}
    review_rows = place_aligned(review_rows, len(review_cols))
    fitted = fit_table(review_rows, {REVIEW_ROW: review_cols}, {REVIEW_ROW: review_constraints(t.name)}, [])
    cells["review_litigation"], notes = fitted.cells, notes + _in_table("review_litigation", fitted.notes)

    # section 二
    item_cols = {item.code: tuple(m.code for m in measures) for item, measures in t.proactive}
    labels = item_labels(t.name)
    if sections.proactive:
        rows, _, retyped, rests, _ = locate_rows(text, sections.proactive, labels, lines, glued, blank_lines=node)
        region = text[slice(*sections.proactive)]
        own = None if "\t" in region and "|" not in region else False  # 三's finding, else 二's own
        rows, _ = flat_blanks(rows, {r: len(item_cols[r]) for r in rows}, flat if sections.applications else own,
                              rests)
        notes += [Note("label", "warning", tuple(("proactive." + row, c) for c in item_cols[row]), message)
                  for row, message in retyped]
    else:
        rows = {item.code: None for item, _ in t.proactive}
    fitted = fit_table(rows, item_cols, {}, [])
    header_unit = money_header_unit(text, sections.proactive)
    cells["proactive"] = {k: in_10k_yuan(c, header_unit) if k[1] in MONEY_MEASURES else c
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
                    positions=doc.positions, frame_rows=three.frame_rows)
    report.finding_list = [Finding(n.rule, n.severity, cells_text(n.cells), None, None, n.message) for n in notes]
    report.finding_list += validate(cells, meta_out, row_c, table_c, review_constraints(t.name))
    starts = [r[0] for r in (sections.proactive, sections.applications, sections.review) if r]
    if starts:
        report.finding_list += narrative_findings(cells, text[:min(starts)], doc)
    report.finding_list += truncation_findings(cells, t.name, report.context)
    return report


@dataclass
class _Three:
    """Section 三 as read: its cells and notes, the applicant columns it prints, its identities, the rows that hold
    its groups as printed, and what it tells of the layout (a table flattened without its merged cells; one text
    node per line), which sections 二 and 四 share."""

    cells: dict[tuple[str, str], Cell]
    notes: list[Note]
    columns: tuple[str, ...]
    row_c: dict
    table_c: list
    frame_rows: tuple[str, ...] | None
    flat: bool
    node: bool | None


def _read_applications(text: str, sections, t: codebook.Template, lines: LineIndex, glued: bool) -> _Three:
    """Section 三: its rows found by their labels (as typed), rows of values apart from their labels placed, groups
    in the other template's form read as printed, fitted by the identities; where the labels place less than half,
    its numbers in reading order (``_last_resort``)."""
    notes: list[Note] = []
    columns = tuple(a.code for a in t.applicants)
    frame_rows = None
    node: bool | None = None  # one text node per line (``cells.node_lines``): decided on 三, for 二 and 四 too
    heading_only: set[str] = set()
    rests = None
    if sections.applications:
        node = not glued and node_lines(text[slice(*sections.applications)])
        rows, first_row, retyped, rests, label_lines = locate_rows(
            text, sections.applications, row_labels(t.name, True), lines, glued, other_form_rows(t.name), node)
        columns = applicant_columns(t, text[sections.applications[0]:first_row])
        notes += [Note("label", "warning", tuple((row, c) for c in columns), message) for row, message in retyped]
        rows, headings = group_headings(t.name, rows, label_lines, len(columns))
        rows, moved, unsure = place_value_lines(rows, len(columns), unprinted_form(t.name, rows) + headings,
                                                label_lines, unknown_forms(rows))
        for row in unsure:
            rows[row] = Unplaced(None, "its label prints no values, while a row beside it prints two rows of them "
                                       "apart from their labels: which row they belong to cannot be told")
        if moved:
            notes.append(Note("layout", "warning", tuple((r, c) for r in moved for c in columns),
                              f"rows {', '.join(moved)}: the table prints their rows of values apart from their "
                              f"labels (a conversion that broke it apart, or a label lost): read in the table's "
                              f"order, one a row"))
        rows, printed, heading_only, saying = printed_forms(t.name, rows)
        notes += [Note("template", "warning", (), message) for message in saying]
        frame_rows = printed if printed != tuple(r.code for r in t.applications) else None
    else:
        rows = {r.code: None for r in t.applications}
    row_c, table_c = application_constraints(t.name, columns, tuple(rows), frame_rows)
    region = text[slice(*sections.applications)] if sections.applications else ""
    tabbed = "\t" in region and "|" not in region  # tab-separated lines: a table flattened, maybe without merges
    rows, flat = flat_blanks(rows, {r: len(columns) for r in rows}, None if tabbed else False, rests)
    rows = place_aligned(rows, len(columns))
    fitted = fit_table(rows, {r: columns for r in rows}, row_c, table_c)
    fitted.notes[:] = [n for n in fitted.notes if not (n.rule == "missing_row" and n.cells[0][0] in heading_only)]
    for row in sorted(heading_only):
        empty = tuple((row, c) for c in columns if fitted.cells[(row, c)].state == MISSING)
        if empty:
            fitted.notes.append(Note("missing_row", "warning", empty, f"row {row} prints no value of its own (it "
                                     f"heads its sub-rows): its cells are their sum where every one is known"))
    if sections.applications and _too_little(fitted.cells):
        flat = _last_resort(text, sections.applications, t, columns, row_c, lines, glued, node, fitted) or flat
    return _Three(fitted.cells, notes + fitted.notes, columns, row_c, table_c, frame_rows, flat, node)


def _last_resort(text: str, region: tuple[int, int], t: codebook.Template, columns: tuple[str, ...], row_c,
                 lines: LineIndex, glued: bool, node: bool | None, fitted) -> bool:
    """Where the labels placed too little of 三: its numbers in reading order, placed when they fill the template's
    cells exactly and every identity holds (``fitting.in_reading_order``), else a finding saying why. Whether its
    rows were lines of fields, a blank cell an empty field."""
    region_tokens = tokenize(text[region[0]:region[1]], lines.line_of(region[0]), glued, blank_lines=bool(node))
    own = [r.code for r in t.applications]
    found, why, fields = in_reading_order(region_tokens, own, columns, [c for r in own for c in row_c.get(r, [])]
                                          + list(application_constraints(t.name, columns)[1]))
    empty = tuple((r, c) for r in own for c in columns)
    if found is not None:
        fitted.cells.update(found)
        fitted.notes[:] = [n for n in fitted.notes if n.rule not in ("missing_row", "unreadable", "ambiguous",
                                                                       "label", "layout")]
        fitted.notes.append(Note("layout", "warning", empty, "the rows of section 三 were not found by their "
                                 "labels: its numbers, read in order row after row, fill its cells exactly and "
                                 "satisfy I1, I2 and I3, so they are placed so"))
    else:
        fitted.notes.append(Note("layout", "warning", tuple(k for k in empty if fitted.cells[k].state in
                                                            (MISSING, UNRESOLVED)),
                                 f"the rows of section 三 were mostly not found by their labels; its numbers in "
                                 f"reading order were not placed either: {why}"))
    return fields


def _too_little(cells: dict[tuple[str, str], Cell]) -> bool:
    """Whether the labels placed less than half of a table's cells."""
    known = sum(c.state not in (MISSING, UNRESOLVED) for c in cells.values())
    return known * 2 < len(cells)


def _relined(c: Cell, doc: Document) -> Cell:
    return c if c.line is None else c._replace(line=doc.source_line(c.line))


def _in_table(table: str, notes: list[Note]) -> list[Note]:
    return [Note(n.rule, n.severity, tuple((f"{table}.{r}", c) for r, c in n.cells), n.message) for n in notes]


