"""Findings: what a parsed report says against itself — the identities I1–I4 and N, tables printed without a
number, a template the year does not use, missing metadata, figures its prose states that its tables contradict —
and, across a corpus (found by ``across``), duplicates and C1 and C2 between an agency's years. Findings report;
they never change a cell.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from . import codebook
from .cells import BLANK_STATE, DASH, KNOWN, MISSING, Cell
from .codebook import REVIEW_ROW, SIGNED_MEASURES
from .decoding import Document
from .identities import FAIL, Constraint, evaluate
from .narrative import claims


@dataclass(frozen=True)
class Finding:
    """Something a report says against itself, or that its reading could not settle: the rule, ``error`` (an
    identity or N breached) or ``warning``, the cells it names (``cells_text``), the expected and found figures, and
    a sentence."""

    rule: str
    severity: str
    cells: str
    expected: float | None
    found: float | None
    message: str


def cells_text(keys) -> str:
    """Cell keys (table.row, column) as a finding names them: "applications.granted×total; review_litigation.
    review_total"."""
    return "; ".join(f"{r}×{c}" if not r.endswith(REVIEW_ROW) else f"review_litigation.{c}" for r, c in keys)


def _sum(keys, grid) -> tuple[int, int]:
    known = unknown = 0
    for k in keys:
        c = grid.get(k)
        if c is not None and c.state in KNOWN and c.value is not None:
            known += c.value
        else:
            unknown += 1
    return known, unknown


def validate(cells: dict[str, dict[tuple[str, str], Cell]], meta, row_c: dict[str, list[Constraint]],
             table_c: list[Constraint], review_c: list[Constraint]) -> list[Finding]:
    """Every breach of I1–I4 and N as a finding, and a table printed without a number, a template the year does not
    use and metadata not found (``meta``: a report's ``ReportMeta``); the cells are never changed."""
    out: list[Finding] = []
    apps = cells["applications"]
    review = cells["review_litigation"]
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
        out.append(Finding(c.rule, "error", cells_text(keys), float(expected), float(found),
                           f"{c.rule} fails in {table} {where}: {c.text}, but the report prints "
                           f"{found} against {expected}{extra}"))
    # N: non-negative integers, and no more handled than there was to handle
    for table, grid in cells.items():
        for (r, col), cell in grid.items():
            v = cell.value
            if v is None or (type(v) is int and v >= 0) or col in SIGNED_MEASURES:  # most cells: a plain count
                continue
            if cell.value < 0:
                out.append(Finding("N", "error", cells_text([(f"{table}.{r}", col)]), 0.0, float(cell.value),
                                   f"N: {table} {r}×{col} is negative ({cell.text})"))
            elif type(cell.value) is float and table != "proactive" and not cell.value.is_integer():
                out.append(Finding("N", "error", cells_text([(f"{table}.{r}", col)]), None, float(cell.value),
                                   f"N: {table} {r}×{col} is not a whole number ({cell.text})"))
    for col in {k[1] for k in apps}:
        h, n, o = (apps[(r, col)] for r in ("total_handled", "new_received", "carried_over"))
        if all(x.state in KNOWN and x.value is not None for x in (h, n, o)) and h.value > n.value + o.value:
            out.append(Finding("N", "error", cells_text([("applications.total_handled", col),
                                                          ("applications.new_received", col),
                                                          ("applications.carried_over", col)]),
                               float(n.value + o.value), float(h.value),
                               f"N: column {col} handles {h.value} requests but only {n.value + o.value} "
                               f"were received or carried over"))
    for table, grid in cells.items():
        states = {c.state for c in grid.values()}
        if states <= {BLANK_STATE, DASH}:
            out.append(Finding("blank_table", "warning", table, None, None,
                               f"the {table} table is printed without a single number"))
    year, tpl = meta.year, meta.template
    if year is not None and ((tpl == "2019" and year >= 2021) or (tpl == "2021" and year <= 2020)):
        out.append(Finding("template", "warning", "", None, None,
                           f"a {year} report in the {tpl} template (fingerprints decide the template, not the year)"))
    if year is None:
        out.append(Finding("metadata", "warning", "", None, None, "no report year found in the title"))
    if meta.agency is None:
        out.append(Finding("metadata", "warning", "", None, None, "no reporting agency found in the title"))
    return out


def narrative_findings(cells: dict[str, dict[tuple[str, str], Cell]], prose: str, doc: Document) -> list[Finding]:
    """The figures the prose before the tables states (``narrative.claims``) that the tables contradict.

    Prose that states one measure several times with different figures speaks of several scopes ("全区各级行政机关共收到
    申请300件，本机关收到申请75件"): when one of them is what the table prints, the others are not held against it.
    """
    out = []
    checked = []
    for claim in claims(prose):
        grid = cells[claim.table]
        keys = [k for k in claim.keys if k in grid]  # a claim about a group of rows: those of this template
        stated = [grid[k] for k in keys]
        if any(c.state not in KNOWN or c.value is None for c in stated):
            continue  # a table value not known: nothing to hold the text against
        checked.append((claim, keys, sum(c.value for c in stated)))
    agreed = {(claim.table, claim.keys) for claim, _, printed in checked if printed == claim.value}
    for claim, keys, printed in checked:
        if (claim.table, claim.keys) in agreed:
            continue
        line = prose.count("\n", 0, claim.offset) + 1
        page = doc.positions[line - 1] if doc.positions and line <= len(doc.positions) else None
        place = f"page {page[0]}" if page else f"line {doc.source_line(line)}"  # a PDF has pages, not lines
        names = [f"{claim.table} {r}×{c}" if r != REVIEW_ROW else f"{claim.table} {c}" for r, c in keys]
        where = " + ".join(names) if len(names) <= 3 else f"the sum of {len(names)} cells, {names[0]} … {names[-1]}"
        out.append(Finding("narrative", "warning", cells_text([(f"{claim.table}.{r}", c) for r, c in keys]),
                           float(printed), float(claim.value),
                           f"narrative: the text says {claim.value} {claim.label} ({place}: “{claim.quote}”), "
                           f"but the table prints {printed:g} ({where}); the text may speak of a wider scope"))
    return out


# --- across reports (``across`` finds them in a corpus's frames) ----------------------------------------------------

def duplicate_finding(agency: str, place: str | None, year: int, kept_file: str, kept_id: str,
                      differ: list[tuple[str, str]] | None) -> Finding:
    """A report of the same agency, place and year as ``kept_file`` (counted instead): ``differ`` lists the cells
    the two read differently, or is None where the files are the same, byte for byte."""
    if differ is None:
        how, cells = "it is the same file, byte for byte", ""
    else:
        cells = cells_text(differ)
        how = ("its tables read the same in every cell" if not differ else
               f"its tables differ in {len(differ)} cells ({cells_text(differ[:5])}{' …' if len(differ) > 5 else ''})")
    return Finding("duplicate", "warning", cells, None, None,
                   f"the same agency ({agency}{', region ' + place if place else ''}) and year ({year}) as "
                   f"{kept_file}: {how}; figures count that report ({kept_id}) once and leave this one out")


def c1_finding(agency: str, year: int, column: str, now: int, before: int) -> Finding:
    """C1: an agency carried over into ``year`` (``now``) not what its report of the year before carried forward."""
    return Finding("C1", "warning", f"applications.carried_over×{column}; {year - 1}:applications.carried_forward×"
                                    f"{column}", float(before), float(now),
                   f"C1: {agency} carried over {now} requests ({column}) into {year}, but its {year - 1} report "
                   f"carried forward {before}")


def c2_finding(item: str, year: int, in_force: float, last: float, issued: float, repealed: float) -> Finding:
    """C2 (2021 template): the documents in force do not carry on from the year before."""
    expected = last + issued - repealed
    return Finding("C2", "warning", f"proactive.{item}×in_force; {year - 1}:proactive.{item}×in_force",
                   float(expected), float(in_force),
                   f"C2: {item} in force {in_force:g} in {year}, but {last:g} in force in {year - 1} + "
                   f"{issued:g} issued − {repealed:g} repealed gives {expected:g}")


# the headings of sections 五 and 六, after the tables (an opening that lists the sections names them unnumbered)
_CLOSING = re.compile(r"[五六][、.．]\s*(?:政府信息公开工作)?(?:存在的主要问题|其他需要报告的事项)")


def _rows_in_print_order(template: str) -> list[tuple[str, str]]:
    t = codebook.template(template)
    return ([("proactive", item.code) for item, _ in t.proactive] + [("applications", c.code) for c in t.applications]
            + [("review_litigation", codebook.REVIEW_ROW)])


def truncation_findings(cells: dict, template: str, context: str) -> list[Finding]:
    """An ``error`` finding when a report's file stops in the middle of its tables: the rows after some row, to the
    end of section 四, are not printed, and nothing of sections 五 and 六 follows (a download cut off, a copy
    saved half-way). Such a report is not complete, whatever its first rows say. ``cells`` are the report's
    tables, ``context`` the text before and after them (``Report.context``)."""
    order = _rows_in_print_order(template)
    # a row is printed where one of its cells is: a cell an identity fills in a row not printed has no line
    printed = {(table, row) for table, grid in cells.items() for (row, _), c in grid.items()
               if c.state != MISSING and c.line is not None}
    flags = [key in printed for key in order]
    if not any(flags) or flags[-1]:
        return []
    last = max(i for i, f in enumerate(flags) if f)
    if _CLOSING.search(context):
        return []  # the text goes on after the tables: a row the reader missed, not a file cut off
    lost = order[last + 1:]
    named = cells_text([(f"{table}.{row}", "*") for table, row in lost[:3]]) + (" …" if len(lost) > 3 else "")
    table, row = order[last]
    return [Finding("truncated", "error", named, None, None,
                    f"the file stops after row {table}.{row}: the {len(lost)} rows after it (to the end of section "
                    f"四) and sections 五 and 六 are not in it; the report looks cut off — get the complete file")]
