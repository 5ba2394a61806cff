"""Synthetic reports: consistent (or deliberately inconsistent) values rendered in every layout seen in real files.

Used by the property tests and the benchmark. ``render_text`` writes the layouts text files come in;
``render_html`` and ``render_docx`` write the formats agencies publish. Each renderer returns what a correct parser
must read back: for every cell, the value and state as printed (a zero may be printed blank or as a dash).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from .. import codebook

LAYOUTS = ("tab_rows", "pipe", "cells", "markdown", "glued", "flat_html", "node_lines", "md_fragments")
PADDING = ("", " ", "\u3000\u3000", "\u00a0", " \u00a0")


@dataclass
class Synthetic:
    """A report's true values and how each cell is printed."""

    template: str
    agency: str
    year: int
    applications: dict[tuple[str, str], int]
    review: dict[str, int]
    proactive: dict[tuple[str, str], float]
    printed: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (table, row, col) → cell text

    def expected(self, table: str, row: str, col: str) -> tuple[float | None, str]:
        """(value, state) a parser must return for a cell, from how it was printed."""
        text = self.printed.get((table, row, col), "")
        truth_value = None
        if text is None:
            text, truth_value = "dropped", True
        stripped = text.replace("[bookmark: _GoBack]", "").strip(" \u3000\u00a0")
        truth = {"applications": lambda: self.applications[(row, col)], "review_litigation": lambda: self.review[col],
                 "proactive": lambda: self.proactive[(row, col)]}[table]()
        if truth_value:
            return truth, "dropped"
        if stripped == "":
            return None, "blank"
        if stripped in ("-", "—"):
            return None, "dash"
        return truth, "read"


def generate(rng: random.Random, template: str | None = None, zeros: float = 0.6, big: int = 40) -> Synthetic:
    """A consistent report: I1–I4 and N hold; about ``zeros`` of the outcome cells are 0."""
    name = template or rng.choice(codebook.TEMPLATES)
    t = codebook.template(name)
    parts = [a.code for a in t.applicants if a.code != "total"]
    outcome_rows = list(t.outcome_rows)
    apps: dict[tuple[str, str], int] = {}

    def count(scale: int) -> int:
        return 0 if rng.random() < zeros else rng.randint(1, scale)

    for col in parts:
        scale = big if col == "natural_person" else max(1, big // 8)
        for r in outcome_rows:
            apps[(r, col)] = count(scale)
        handled = sum(apps[(r, col)] for r in outcome_rows)
        forward = count(max(1, scale // 4))
        carried = rng.randint(0, handled + forward) if rng.random() < 0.3 else 0
        apps.update({("total_handled", col): handled, ("carried_forward", col): forward,
                     ("carried_over", col): carried, ("new_received", col): handled + forward - carried})
    for r in t.applications:
        apps[(r.code, "total")] = sum(apps[(r.code, c)] for c in parts)
    review: dict[str, int] = {}
    groups: dict[str, list[str]] = {}
    for m in t.review_litigation:
        groups.setdefault(m.group, []).append(m.code)
    for codes in groups.values():
        *four, total = codes
        for c in four:
            review[c] = count(6)
        review[total] = sum(review[c] for c in four)
    proactive: dict[tuple[str, str], float] = {}
    for item, measures in t.proactive:
        for m in measures:
            if m.code in ("fee_amount", "procurement_amount"):
                proactive[(item.code, m.code)] = 0.0 if rng.random() < 0.3 else rng.randint(1, 9_999_999) / 100
            elif m.code == "items_change":
                proactive[(item.code, m.code)] = float(rng.randint(-300, 300))
            else:
                proactive[(item.code, m.code)] = float(count(3000))
    agency = rng.choice(["博爱县柏山镇人民政府", "万东镇人民政府", "晋江市紫帽镇人民政府", "镇坪县", "某某市发展和改革委员会"])
    year = rng.choice([2019, 2020] if name == "2019" else [2021, 2022, 2023, 2024, 2025])
    return Synthetic(name, agency, year, apps, review, proactive)


# --- the tables as rows of label cells and value cells ----------------------------------------------------------

@dataclass
class Row:
    labels: list[str]
    values: list[str]
    keys: list[tuple[str, str, str]]
    header: bool = False
    group_label: str = ""


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def _cell_text(rng: random.Random, table: str, row: str, col: str, value: float, style: dict) -> str:
    """How one value is printed: padding, blanks or dashes for zeros, units, signs, Word artefacts."""
    if col in ("fee_amount", "procurement_amount") and style.get("yuan") and rng.random() < 0.5:
        text = f"{round(value * 10000)}元"
    elif col == "items_change" and value > 0 and rng.random() < 0.5:
        text = "+" + _number(value)
    else:
        text = _number(value)
    if value == 0 and style.get("zero_blank") and rng.random() < 0.3:
        return ""
    if value == 0 and style.get("zero_dash") and rng.random() < 0.2:
        return rng.choice(["-", "—"])
    if style.get("pad"):
        text = rng.choice(PADDING) + text
    if style.get("artefact") and rng.random() < 0.05:
        text = "[bookmark: _GoBack]" + text
    return text


def table_rows(rep: Synthetic, rng: random.Random, style: dict) -> dict[str, list[Row]]:
    """The three tables as rows; with ``style["drop_cell"]`` one application row prints one cell too few."""
    t = codebook.template(rep.template)

    def printed(table: str, row: str, col: str, value: float) -> str:
        text = _cell_text(rng, table, row, col, value, style)
        rep.printed[(table, row, col)] = text
        return text

    proactive: list[Row] = []
    for item, measures in t.proactive:
        proactive.append(Row([item.group], [], [], header=True))
        labels = [m.variants[-1] if rep.template == "2021" else m.variants[0] for m in measures]
        proactive.append(Row(["信息内容"], labels, [], header=True))
        label = item.variants[-1] if rep.template == "2021" else item.variants[0]
        proactive.append(Row([label], [printed("proactive", item.code, m.code, rep.proactive[(item.code, m.code)])
                                       for m in measures],
                             [("proactive", item.code, m.code) for m in measures]))
    apps = [Row(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"], ["申请人情况"], [], header=True),
            Row([""], ["自然人", "法人或其他组织", "总计"], [], header=True),
            Row([""], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] +
                (["小计"] if style.get("subtotal") else []), [], header=True)]
    last_group = None
    rows_printed = list(t.applications)
    if style.get("other_form"):  # group （六） in the other template's form
        rows_printed = _other_form(rep, rng)
    for r in rows_printed:
        *groups, leaf = r.label_zh.split(" ")
        if style.get("typos") and rng.random() < style["typos"]:
            leaf = typo(leaf, rng)
        if r.group == "intake" or r.group in ("carry",):
            labels = [leaf]
            group_label = ""
        else:
            group_label = "三、本年度办理结果"
            g = groups[0] if groups else ""
            labels = [group_label if last_group is None else "", g if g != last_group else "", leaf] if g else \
                [group_label if last_group is None else "", leaf]
            last_group = g or leaf
        if style.get("labels_lost"):  # the row labels are images, or lost in conversion: values only
            labels, group_label = [], ""
        if style.get("other_form") and rep.template == "2019" and r.code == "other":
            apps.append(Row(labels, [], [], group_label=group_label))  # the heading of the sub-rows below it
            continue
        values = [printed("applications", r.code, a.code, rep.applications[(r.code, a.code)]) for a in t.applicants]
        keys = [("applications", r.code, a.code) for a in t.applicants]
        if style.get("subtotal"):  # 小计 of the five 法人或其他组织 columns, before 总计
            orgs = sum(rep.applications[(r.code, a.code)] for a in t.applicants[1:6])
            values.insert(6, printed("applications", r.code, "subtotal", orgs))
            keys.insert(6, ("applications", r.code, "subtotal"))
        apps.append(Row(labels, values, keys, group_label=group_label))
    if style.get("drop_cell"):
        row = rng.choice([r for r in apps if r.keys])
        i = rng.randrange(len(row.values))
        del row.values[i]
        rep.printed[row.keys[i]] = None  # not printed at all
    if style.get("drop_zero_cell"):  # a row of 0s printing one 0 too few ("000000" for seven cells)
        zero_rows = [r for r in apps if r.keys and all(v.strip() == "0" for v in r.values)]
        if zero_rows:
            row = rng.choice(zero_rows)
            i = rng.randrange(len(row.values))
            del row.values[i]
            rep.printed[row.keys[i]] = None  # not printed at all
    if style.get("extra_cell"):  # a stray number among a row's cells
        row = rng.choice([r for r in apps if r.keys])
        row.values.insert(rng.randrange(len(row.values) + 1), str(rng.randint(0, 9)))
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    values = [printed("review_litigation", "review_litigation", m.code, rep.review[m.code])
              for m in t.review_litigation]
    keys = [("review_litigation", "review_litigation", m.code) for m in t.review_litigation]
    how = style.get("review")
    if how == "three_tables":  # 复议 / 未经复议直接起诉 / 复议后起诉, each a small table of its own
        review = []
        for i, name in enumerate(["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]):
            review += [Row([], [name], [], header=True), Row([], heads, [], header=True),
                       Row([], values[5 * i:5 * i + 5], keys[5 * i:5 * i + 5])]
        return {"proactive": proactive, "applications": apps, "review": review}
    top, middle, bottom = ["行政复议", "行政诉讼"], heads + ["未经复议直接起诉", "复议后起诉"], heads + heads
    if how == "garbled":  # header cells garbled by a conversion: a character wrong, the cells out of order
        middle = [typo(h, rng) if len(h) >= 4 and rng.random() < 0.5 else h for h in middle]
        rng.shuffle(bottom)
        rng.shuffle(middle)
    if how == "glued":  # the fifteen values run together right after the header labels
        for k, m in zip(keys, t.review_litigation):
            rep.printed[k] = _number(rep.review[m.code])  # no blank or dash among digits run together
        values = ["".join(rep.printed[k] for k in keys)]
    review = [Row([], top, [], header=True), Row([], middle, [], header=True), Row([], bottom, [], header=True),
              Row([], values, keys if how != "glued" else [])]
    return {"proactive": proactive, "applications": apps, "review": review}


def _other_form(rep: Synthetic, rng: random.Random) -> list[codebook.Code]:
    """Group （六） printed in the other template's form: a 2021 report printing it as one row (the sum of its
    sub-rows, which are then not printed), a 2019 report printing the 2021 template's three sub-rows (its one row
    then printed as their heading only). The values of the rows the template lacks are added to ``rep``."""
    t = codebook.template(rep.template)
    parts = [a.code for a in t.applicants if a.code != "total"]
    one = codebook.code("application", "other")
    subs = [codebook.code("application", c) for c in ("other_no_correction", "other_no_fee", "other_misc")]
    rows = []
    if rep.template == "2021":
        for col in parts + ["total"]:
            rep.applications[("other", col)] = sum(rep.applications[(s.code, col)] for s in subs)
            for s in subs:
                rep.printed[("applications", s.code, col)] = None  # not printed
        for r in t.applications:
            if r.code == subs[0].code:
                rows.append(one)
            elif r not in subs:
                rows.append(r)
        return rows
    for col in parts:
        left = rep.applications[("other", col)]
        first = rng.randint(0, left)
        second = rng.randint(0, left - first)
        for s, v in zip(subs, (first, second, left - first - second)):
            rep.applications[(s.code, col)] = v
    for s in subs:
        rep.applications[(s.code, "total")] = sum(rep.applications[(s.code, c)] for c in parts)
    for col in parts + ["total"]:
        rep.printed[("applications", "other", col)] = None  # printed as the heading of its sub-rows only
    for r in t.applications:
        rows.append(r)
        if r.code == "other":
            rows += subs
    return rows


# --- labels and headings as people type them --------------------------------------------------------------------

_PREFIX = re.compile(r"^(?:\d+\.|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")
_STRAY = "的和与及其在为了是有"


def typo(label: str, rng: random.Random) -> str:
    """A label as someone typed it: a character of its words wrong, missing, doubled or added, its numbering "1、"
    for "1.", other brackets, other quotes, or the label broken across two lines."""
    m = _PREFIX.match(label)
    prefix, core = (m.group(0), label[m.end():]) if m else ("", label)
    kind = rng.choice(["wrong", "missing", "doubled", "added", "numbering", "quotes", "broken"])
    if kind == "broken" and len(core) > 4:  # broken across two lines
        i = rng.randrange(2, len(core) - 1)
        return prefix + core[:i] + "\n" + core[i:]
    if kind == "numbering" and prefix:
        if prefix.endswith("."):
            return prefix[:-1] + "、" + core
        if prefix.startswith("（"):
            return rng.choice(["(%s)", "【%s】", "[%s]"]) % prefix[1:-1] + core
        return prefix[:-1] + "." + core
    if kind == "quotes" and "“" in core:
        a, b = rng.choice([("\"", "\""), ("「", "」"), ("『", "』"), ("", "")])
        return prefix + core.replace("“", a).replace("”", b)
    letters = [i for i, ch in enumerate(core) if "\u4e00" <= ch <= "\u9fff"]
    if len(letters) < 4:
        return label
    i = rng.choice(letters)
    if kind == "wrong":
        core = core[:i] + rng.choice([c for c in _STRAY if c != core[i]]) + core[i + 1:]
    elif kind == "missing":
        core = core[:i] + core[i + 1:]
    elif kind == "doubled":
        core = core[:i] + core[i] + core[i:]
    else:
        core = core[:i] + rng.choice(_STRAY) + core[i:]
    return prefix + core


HEADINGS = {"proactive": "二、主动公开政府信息情况", "applications": "三、收到和处理政府信息公开申请情况",
            "review": "四、政府信息公开行政复议、行政诉讼情况"}


def heading(name: str, how: str, rng: random.Random) -> str:
    """A section heading as real reports print it: the template's, numbered otherwise (三 as 二), a character
    wrong or missing, without its numeral, as a Markdown heading, or none at all."""
    text = HEADINGS[name]
    numeral, words = text.split("、", 1)
    if how == "renumbered":
        return {"二": "三", "三": "二", "四": "五"}[numeral] + "、" + words
    if how in ("wrong", "missing"):
        i = rng.randrange(2, len(words) - 2)
        return numeral + "、" + words[:i] + (rng.choice(_STRAY) if how == "wrong" else "") + words[i + 1:]
    if how == "no_numeral":
        return words
    if how == "markdown":
        return rng.choice(["# ", "## ", "### "]) + text
    if how == "none":
        return ""
    return text


HEADING_STYLES = ("template", "renumbered", "wrong", "missing", "no_numeral", "markdown", "none", "run_in")


# --- text layouts -----------------------------------------------------------------------------------------------

def _tab_rows(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    out = []
    for row in rows:
        if style.get("page_break") and row.group_label and rng.random() < 0.1:
            out += ["", row.group_label + "\t" + "\t".join(x for x in row.labels if x)]
            out[-1] += "\t" + "\t".join(row.values)
            continue
        out.append("\t".join(row.labels + ([""] if row.labels and not row.header else []) + row.values +
                             ([""] if rng.random() < 0.5 else [])))
    return out


def _pipe(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    out = []
    for row in rows:
        cells = [x for x in row.labels if x] + row.values
        for i, c in enumerate(cells):
            tail = " |" + ("|" * rng.randint(1, 4) if row.header and i == len(cells) - 1 else "")
            out.append(c + tail)
    return out


def _wrap(text: str, rng: random.Random, vertical: bool) -> str:
    if vertical and len(text) > 4:
        return "\n".join(text)
    if 4 <= len(text) <= 8 and rng.random() < 0.5:
        cut = len(text) // 2
        return text[:cut] + "\n" + text[cut:]
    return text


def _cells(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    out = []
    for row in rows:
        for label in row.labels:
            out.append("\t" + (_wrap(label, rng, style.get("vertical", False) and label == row.group_label)
                               if label else ""))
        for v in row.values:
            out.append("\t" + (_wrap(v, rng, False) if row.header else v))
        out.append("")
    return out


def _markdown(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    width = max(len(r.labels) + len(r.values) for r in rows)
    out = []
    for i, row in enumerate(rows):
        cells = row.labels + row.values
        cells += [""] * (width - len(cells))
        out.append("| " + " | ".join(cells) + " |")
        if i == 0:
            out.append("|" + "---|" * width)
    return out


APPLICANT_HEADS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _md_fragments(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    """A PDF converted to Markdown, as such tools break table 三 apart: a small table per outcome group with its
    applicant columns renamed 数据1 … 数据6 | 总计, a tall label's lines detached from its row of values (part of it
    after the values, or all of it), a row of values whose label is lost, the header row repeated mid-table, and
    empty placeholder tables. Sections 二 and 四 are plain Markdown tables."""
    body = [r for r in rows if r.keys or (r.labels and not r.header)]  # a group's heading without values too
    if not body or not any(r.keys and r.keys[0][0] == "applications" for r in body):
        return _markdown(rows, rng, style)
    width = len(next(r for r in body if r.keys).values)
    empties = " |" * width

    def line(label: str, values: list[str]) -> str:
        return f"| {label} | " + " | ".join(values) + " |"

    def head(cells: list[str]) -> list[str]:
        return ["", "| " + " | ".join(cells) + " |", "|" + "---|" * len(cells)]

    names = APPLICANT_HEADS[:6] + (["小计"] if width == 8 else []) + ["总计"]
    out = head(["申请人情况"] + names)
    group = None
    for i, row in enumerate(body):
        label = row.labels[-1] if row.labels else ""
        g = next((x for x in row.labels[:-1][::-1] if x and x.startswith("（")), group)
        if g != group and i > 1:
            if rng.random() < 0.5:  # a small table for the group, its columns renamed
                if rng.random() < 0.3:
                    out += head(["", ""]) + ["| | |"]  # an empty placeholder table
                out += head([g] + [f"数据{n}" for n in range(1, width)] + ["总计"])
            group = g
        how = rng.choice(["plain", "plain", "detached", "after", "lost"]) if i > 0 else "plain"
        if not row.values:  # a heading printed on its own, its cells empty
            out.append(f"| {label} |{empties}")
        elif how == "detached" and len(label) > 12:
            cut = rng.randint(10, len(label) - 2)
            out += [line(label[:cut], [""] * width), line("", row.values), line(label[cut:], [""] * width)]
        elif how == "after":
            out += [line("", row.values), f"| {label} |{empties}"]
        elif how == "lost" and not row.keys[0][1].startswith("other"):  # （六）'s form must show which it is
            out.append(line("", row.values))
        else:
            out.append(line(label, row.values))
        if rng.random() < 0.05:
            out.append(line("", names))  # the header row again, mid-table
    return out


def _glued(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    parts = []
    for row in rows:
        parts += [x for x in row.labels if x]
        parts += [v + (" " if rng.random() < 0.15 else "") for v in row.values]
    return ["".join(parts)]


def _flat_html(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    """A web page's table flattened to text without expanding merged cells: each row one line of tab-separated
    fields, a label spanning several rows only on the first of them, no field for a merged cell, and a blank cell
    an empty field, so every value of a row whose group label is not repeated sits fields to the left."""
    out = []
    for row in rows:
        labels = [x for x in row.labels if x]
        values = [v for v in row.values if v] if row.header else row.values
        out.append("\t".join(labels + values))
    return out


def _node_lines(rows: list[Row], rng: random.Random, style: dict) -> list[str]:
    """A crawler's rendering of a Word table pasted into a web page: one text node per line, a label, a header or
    a value each on a line of its own, and a blank cell an empty line."""
    out = []
    for row in rows:
        out += [x for x in row.labels if x]
        out += [v for v in row.values if v] if row.header else [v.strip() for v in row.values]
    return out


RENDERERS = {"tab_rows": _tab_rows, "pipe": _pipe, "cells": _cells, "markdown": _markdown, "glued": _glued,
             "flat_html": _flat_html, "node_lines": _node_lines, "md_fragments": _md_fragments}


def style_for(layout: str, rng: random.Random) -> dict:
    """Which quirks a layout can carry without becoming ambiguous to a careful reader."""
    unambiguous_blanks = layout in ("cells", "pipe", "html", "docx", "flat_html", "node_lines")
    return {
        "zero_blank": unambiguous_blanks and rng.random() < 0.5,
        "zero_dash": layout != "glued" and rng.random() < 0.5,
        "pad": layout != "glued" and rng.random() < 0.5,
        "yuan": rng.random() < 0.5,
        "artefact": layout in ("cells", "tab_rows") and rng.random() < 0.5,
        "vertical": layout == "cells" and rng.random() < 0.5,
        "page_break": layout == "tab_rows" and rng.random() < 0.5,
        "page_numbers": layout in ("cells", "tab_rows", "pipe") and rng.random() < 0.3,
    }


def _page_numbers(lines: list[str], rng: random.Random) -> list[str]:
    out = []
    for line in lines:
        out.append(line)
        if rng.random() < 0.03:
            out.append(rng.choice(["— 3 —", "- 12 -", "第 2 页", "第2页 共5页"]))
    return out


PROSE = (  # how 总体情况 quotes the tables, phrased as real reports phrase them
    "",
    "{year}年，本机关共收到政府信息公开申请{new}件，办结{handled}件，{forward}件结转下年度继续办理。",
    "全年共受理依申请公开{new}件，上年结转{carried}件，共处理政府信息公开申请{handled}件，"
    "结转至{next_year}年{forward}件。",
    "本年度共收到{new}件申请，同比增加2件。因政府信息公开引起的行政复议案件{review}件、行政诉讼案件{suits}件。",
    "全年收到政府信息公开申请{new}件，涉及自然人{persons}件、法人或其他组织{orgs}件。",
    "办结申请{handled}件，其中：予以公开及部分公开{granted}件；不予公开{withheld}件；不予处理{rejected}件。",
)


def prose(rep: Synthetic, phrasing: int, wrong: str | None = None, delta: int = 0) -> str:
    """A sentence of 总体情况 quoting the report's own totals (phrasing 0: none); ``wrong`` names a figure it
    misstates by ``delta`` (new, handled, forward, carried, review, suits, persons, orgs, granted, withheld, rejected)."""
    a, r = rep.applications, rep.review
    figures = {"new": a[("new_received", "total")], "handled": a[("total_handled", "total")],
               "forward": a[("carried_forward", "total")], "carried": a[("carried_over", "total")],
               "review": r["review_total"],
               "suits": r["suit_direct_total"] + r["suit_after_review_total"],
               "granted": a[("granted", "total")] + a[("partially_granted", "total")],
               "withheld": sum(v for (row, col), v in a.items() if col == "total" and row.startswith("denied_")),
               "rejected": sum(v for (row, col), v in a.items() if col == "total" and row.startswith("rejected_")),
               "persons": a[("new_received", "natural_person")],
               "orgs": sum(a[("new_received", c.code)] for c in codebook.template(rep.template).applicants
                           if c.group == codebook.ORGANISATIONS)}
    if wrong:
        figures[wrong] += delta
    return PROSE[phrasing].format(year=rep.year, next_year=rep.year + 1, **figures)


def _document(rep: Synthetic, sections: dict[str, list[str]], title_style: int, quoted: str = "",
              headings: dict[str, str] | None = None, rng: random.Random | None = None) -> str:
    """The report's text; ``headings`` says how each section's heading is printed (``HEADING_STYLES``, or
    "run_in": after a sentence on its line)."""
    title = (f"{rep.agency}{rep.year}年政府信息公开工作年度报告" if title_style == 0 else
             f"{rep.year}年度{rep.agency}政府信息公开工作报告")

    def head(name: str) -> list[str]:
        how = (headings or {}).get(name, "template")
        if how == "run_in":
            return ["本年度有关情况见下表。" + HEADINGS[name]]
        text = heading(name, how, rng or random.Random(0))
        return [text] if text else []

    return "\n".join([
        title, "",
        "一、总体情况",
        f"{rep.year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。{quoted}",
        *head("proactive"), *sections["proactive"],
        *head("applications"), *sections["applications"],
        *head("review"), *sections["review"],
        "五、存在的主要问题及改进情况",
        "一是公开内容不够全面；二是公开形式较为单一。下一步将进一步加强培训。",
        "六、其他需要报告的事项", "无。", "",
    ])


def render_text(rep: Synthetic, layout: str, rng: random.Random, style: dict | None = None) -> str:
    style = style_for(layout, rng) if style is None else style
    rows = table_rows(rep, rng, style)
    render = RENDERERS[layout]
    sections = {}
    for name, rs in rows.items():
        lines = render(rs, rng, style)
        if style.get("page_numbers"):
            lines = _page_numbers(lines, rng)
        sections[name] = lines
    if style.get("prose_after"):  # a sentence with figures right after a table's last row (run into it, glued)
        for name in ("proactive", "applications"):
            sections[name].append(f"{rep.year}年，本机关共办理各类事项{rng.randint(2, 99)}件，办结率100%。")
    quoted = style.get("prose")
    if quoted is None:
        quoted = prose(rep, rng.randrange(len(PROSE)))
    text = _document(rep, sections, rng.randint(0, 1), quoted, style.get("headings"), rng)
    if layout == "glued":  # a crawler's page: a header block, then everything on one line
        body = text.replace("\n", "")
        text = (f"标题: {rep.agency}{rep.year}年度政府信息公开工作年度报告\n发布时间: {rep.year + 1}-01-20 15:22\n"
                f"文号: \n==================== 正文 ====================\n{body}\n")
    return text


# --- HTML and DOCX ----------------------------------------------------------------------------------------------

def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(rep: Synthetic, rng: random.Random, encoding: str = "utf-8", framed: bool = False) -> bytes:
    """An HTML page of the report; ``framed`` puts the article in a site's layout table, beside a menu, as older
    government sites do."""
    style = style_for("html", rng)
    rows = table_rows(rep, rng, style)

    def table(rs: list[Row]) -> str:
        trs = []
        for r in rs:
            tds = [f"<td colspan=\"2\">{_escape(x)}</td>" if i == 0 and len(r.labels) == 1 and not r.header else
                   f"<td>{_escape(x)}</td>" for i, x in enumerate(r.labels) if x]
            tag = "th" if r.header else "td"
            tds += [f"<{tag}>{_escape(v).replace(chr(10), '<br>')}</{tag}>" for v in r.values]
            trs.append("<tr>" + "".join(tds) + "</tr>")
        return "<table border=\"1\">\n" + "\n".join(trs) + "\n</table>"

    title = f"{rep.agency}{rep.year}年政府信息公开工作年度报告"
    html = (f"<!DOCTYPE html><html><head><meta charset=\"{encoding}\"><title>{title}</title>"
            f"<style>td{{padding:2px}}</style><script>var x = '二、主动公开政府信息情况 1 2 3';</script></head><body>"
            f"{FRAME_OPEN if framed else ''}"
            f"<h1>{title}</h1><p>一、总体情况</p><p>本机关依法做好政府信息公开工作。"
            f"{_escape(prose(rep, rng.randrange(len(PROSE))))}</p>"
            f"<h2>二、主动公开政府信息情况</h2>{table(rows['proactive'])}"
            f"<h2>三、收到和处理政府信息公开申请情况</h2>{table(rows['applications'])}"
            f"<h2>四、政府信息公开行政复议、行政诉讼情况</h2>{table(rows['review'])}"
            f"<h2>五、存在的主要问题及改进情况</h2><p>一是公开形式较为单一。</p>"
            f"<h2>六、其他需要报告的事项</h2><p>无。</p>{FRAME_CLOSE if framed else ''}</body></html>")
    return html.encode(encoding)


FRAME_OPEN = ("<table width=\"1000\"><tr><td colspan=\"2\">首页 &gt; 政务公开 &gt; 政府信息公开年报</td></tr>"
              "<tr><td width=\"200\"><a href=\"#\">政府信息公开指南</a><br><a href=\"#\">政府信息公开制度</a></td>"
              "<td><div class=\"article\">")
FRAME_CLOSE = "</div></td></tr><tr><td colspan=\"2\">主办单位：某某市人民政府办公室 第 1 页</td></tr></table>"


def render_docx(rep: Synthetic, rng: random.Random, quoted: str | None = None, wrap: str | None = None,
                tracked: bool = False) -> bytes:
    """A Word document of the report; ``quoted`` replaces the sentence of 总体情况 that quotes its totals; ``wrap``
    ("frame" or "control") puts the whole body in a layout table's cell or in a content control; ``tracked`` puts
    some cells' runs in tracked changes, content controls and smart tags."""
    import io

    import docx

    style = style_for("docx", rng)
    rows = table_rows(rep, rng, style)
    d = docx.Document()
    d.add_paragraph(f"{rep.agency}{rep.year}年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("本机关依法做好政府信息公开工作。" + (prose(rep, rng.randrange(len(PROSE))) if quoted is None else quoted))
    for heading, name in (("二、主动公开政府信息情况", "proactive"), ("三、收到和处理政府信息公开申请情况", "applications"),
                          ("四、政府信息公开行政复议、行政诉讼情况", "review")):
        d.add_paragraph(heading)
        rs = rows[name]
        width = max(len(r.labels) + len(r.values) for r in rs)
        table = d.add_table(rows=len(rs), cols=width)
        table.style = "Table Grid"  # ruled, as published tables are
        for i, r in enumerate(rs):
            cells = table.rows[i].cells
            labels = [x for x in r.labels if x] if not r.header else r.labels
            j = 0
            for x in labels:
                cells[j].text = x
                j += 1
            first_value = width - len(r.values) if not r.header else j
            if first_value > j:  # a label spanning the empty label columns: one merged cell
                cells[j - 1].merge(cells[first_value - 1]) if j else None
            for k, v in enumerate(r.values):
                cells[first_value + k].text = v
            if r.header and i == 0 and len(r.values) < width - len(labels):  # a header spanning the columns
                cells[first_value + len(r.values) - 1].merge(cells[width - 1])
    # page furniture that must never become a value
    d.sections[0].header.paragraphs[0].text = f"{rep.agency}政府信息公开工作年度报告"
    d.sections[0].footer.paragraphs[0].text = rng.choice(["— 5 —", "第 3 页", "- 12 -"])
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph("一是公开形式较为单一。")
    d.add_paragraph("六、其他需要报告的事项")
    if wrap:
        _wrap_body(d, wrap)
    if tracked:
        _tracked_runs(d, rng)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _tracked_runs(d, rng: random.Random) -> None:
    """Put some table cells' runs inside a tracked insertion, an inline content control or a smart tag (with a
    tracked deletion beside some), as documents edited with changes tracked, or filled in from a template, have."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    wrappers = [f"<w:ins {nsdecls('w')} w:id=\"{{}}\" w:author=\"办公室\" w:date=\"2026-01-10T09:00:00Z\"/>",
                f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>",
                f"<w:smartTag {nsdecls('w')} w:uri=\"urn:x\" w:element=\"x\"/>"]
    for n, run in enumerate(list(d.element.body.iter(qn("w:r")))):
        parent = run.getparent()
        if parent.tag != qn("w:p") or not any(a.tag == qn("w:tbl") for a in run.iterancestors()) or rng.random() > 0.3:
            continue
        outer = parse_xml(rng.choice(wrappers).format(n + 1))
        inner = outer.find(qn("w:sdtContent")) if outer.tag == qn("w:sdt") else outer
        parent.replace(run, outer)
        inner.append(run)
        if rng.random() < 0.3:  # a deleted figure before it, never part of the text
            outer.addprevious(parse_xml(f"<w:del {nsdecls('w')} w:id=\"{n + 100000}\" w:author=\"办公室\" "
                                        f"w:date=\"2026-01-10T09:00:00Z\"><w:r><w:delText>999</w:delText></w:r>"
                                        f"</w:del>"))


def _wrap_body(d, how: str) -> None:
    """Put the whole body of a Word document inside one layout table's cell ("frame") or a content control
    ("control"), as some publishers' templates do."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    body = d.element.body
    content = [el for el in body.iterchildren() if not el.tag.endswith("}sectPr")]
    if how == "frame":
        outer = parse_xml(f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>"
                          f"<w:tblGrid><w:gridCol w:w=\"9000\"/></w:tblGrid><w:tr><w:tc><w:tcPr>"
                          f"<w:tcW w:w=\"9000\" w:type=\"dxa\"/></w:tcPr></w:tc></w:tr></w:tbl>")
        inner = outer.find(".//{*}tc")
        tail = "<w:p/>"  # a cell ends with a paragraph
    else:
        outer = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
        inner = outer.find("{*}sdtContent")
        tail = ""
    for el in content:
        inner.append(el)  # moves it
    if tail:
        inner.append(parse_xml(tail.replace("<w:p/>", f"<w:p {nsdecls('w')}/>")))
    body.insert(0, outer)


def convert(files, fmt: str, outdir) -> list:
    """Convert DOCX files to ``fmt`` ("pdf" or "doc") with LibreOffice, in one call (as published files are made)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (Debian's libreoffice-writer-nogui) is needed: run `make setup`")
    files = [Path(f) for f in files]
    if not files:  # soffice given no file waits for one
        return []
    with tempfile.TemporaryDirectory(prefix="govlib-lo-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=600)
    return [Path(outdir) / f"{f.stem}.{fmt}" for f in files]
