"""A parsed report as text for the terminal (``govlib show``): the tables laid out as printed, then the findings."""

from __future__ import annotations

import unicodedata

from . import codebook
from .cells import BLANK_STATE, DASH, INFERRED, MISSING, UNRESOLVED
from .codebook import REVIEW_ROW, SIGNED_MEASURES
from .report import Report

LEGEND = "legend: n read · n* inferred by an identity · ·  blank · -  dash · ?  unresolved · ∅  not printed"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, right: bool = True) -> str:
    gap = " " * max(0, width - _width(s))
    return gap + s if right else s + gap


def _show(cell) -> str:
    if cell.state == BLANK_STATE:
        return "·"
    if cell.state == DASH:
        return "-"
    if cell.state == UNRESOLVED:
        return "?"
    if cell.state == MISSING:
        return "∅"
    v = cell.value
    text = f"{v:g}" if isinstance(v, float) else str(v)
    return text + ("*" if cell.state == INFERRED else "")


def _grid(header: list[str], rows: list[tuple[str, list[str], str]]) -> list[str]:
    """Rows of (code, cells, Chinese label): codes and numbers line up; the Chinese label ends the line."""
    code_w = max([len(h) for h in header[:1]] + [len(r[0]) for r in rows])
    widths = [max([_width(h) for h in [header[i + 1]]] + [_width(r[1][i]) for r in rows])
              for i in range(len(header) - 1)]
    out = ["  " + _pad(header[0], code_w, False) + "  " + "  ".join(_pad(h, w) for h, w in zip(header[1:], widths))]
    for code, cells, label in rows:
        out.append("  " + _pad(code, code_w, False) + "  " + "  ".join(_pad(c, w) for c, w in zip(cells, widths))
                   + "  " + label)
    return out


def render(report: Report) -> str:
    m = report.meta
    t = codebook.template(m.template)
    lines = [
        f"{m.agency or '(agency not found)'} · {m.year or '(year not found)'} · template {m.template}",
        f"  title: {m.title or '—'}",
        f"  document number: {m.doc_number or '—'} · published: {m.published or '—'}",
        f"  source: {m.source} ({m.format}, {m.encoding}, {m.layout} layout) sha256 {m.sha256[:12]}…",
        "",
        "二、主动公开政府信息情况 · proactive disclosure",
    ]
    values = {(r[0], r[1]): r for r in report.proactive_rows()}
    width = max(len(item.code) for item, _ in t.proactive)
    for item, measures in t.proactive:
        parts = []
        for ms in measures:
            cell = report.cells["proactive"][(item.code, ms.code)]
            value = values[(item.code, ms.code)][2]
            shown = _show(cell) if value is None or cell.state not in ("read", INFERRED) else \
                (f"{value:+g}" if ms.code in SIGNED_MEASURES and value else f"{value:g}") + \
                ("*" if cell.state == INFERRED else "")
            unit = " 万元" if ms.unit == "10k_yuan" and value is not None else ""
            parts.append(f"{ms.code} {shown}{unit}")
        lines.append(f"  {item.code:<{width}}  " + ", ".join(parts) + f"  {item.variants[-1]}")
    lines += ["", "三、收到和处理政府信息公开申请情况 · requests (columns: applicants)"]
    cols = [a.code for a in t.applicants]
    short = {code: label.abbr for code, label in codebook.applicant_labels().items()}
    rows = [(r.code, [_show(report.cells["applications"][(r.code, c)]) for c in cols], r.leaf)
            for r in t.applications]
    lines += _grid(["row"] + [short.get(c, c) for c in cols], rows)
    lines += ["", "四、行政复议、行政诉讼情况 · administrative review and litigation"]
    groups: dict[str, list] = {}
    for ms in t.review_litigation:
        groups.setdefault(ms.group, []).append(ms)
    rows = []
    for group, ms in groups.items():
        cells = [_show(report.cells["review_litigation"][(REVIEW_ROW, x.code)]) for x in ms]
        rows.append((group, cells, " ".join(ms[0].label_zh.split(" ")[:-1])))
    lines += _grid(["group", "upheld", "corrected", "other", "pending", "total"], rows)
    lines += ["", LEGEND, ""]
    findings = report.finding_list
    lines.append(f"findings: {sum(f.severity == 'error' for f in findings)} errors, "
                 f"{sum(f.severity == 'warning' for f in findings)} warnings")
    for f in findings:
        lines.append(f"  {f.severity:<7} {f.rule:<11} {f.message}")
    return "\n".join(lines)
