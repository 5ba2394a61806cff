"""Figures a report quotes in its prose (一、总体情况) against its own tables: the spec's soft narrative check.

Only plain statements are read: a verb that names the measure, then its number of 件 (or 起) in the same clause, as in
"共收到政府信息公开申请75件", "办结69件", "1件结转下年度继续办理", "行政复议案件2件". A clause that compares
(同比, 较上年, 增加 …) or speaks of a part (其中, 涉及 …) is not read, and the text's figure never changes a table
value: a disagreement is a warning for the reader, since prose sometimes covers a wider scope (全区各级行政机关) than
the agency's own table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLAUSE = re.compile(r"[^，,。；;：:\n]+")
_SENTENCE = re.compile(r"[^。；;\n]+")
_SENTENCE_ENDS = "。；;\n"
_COMPARING = re.compile(r"同比|较|比上年|比去年|上年度?|去年|增加|减少|增长|下降|持平|累计|平均|占|其中|涉及|分别|各\d")
_N = r"(\d+)\s*[件起]"
_FIGURE = re.compile(r"\d\s*[件起]")

# (table, row, column, what it is in English, pattern over one clause; group 1 is the figure)
_CLAIMS = [
    ("applications", "new_received", "total", "new requests",
     re.compile(r"(?:收到|受理|接收|新收)[^\d]*?申请[^\d]*?(?:共计|共|合计)?\s*" + _N + r"|(?:收到|受理|接收)[^\d]*?" + _N
                + r"[^\d]*?申请")),
    ("applications", "total_handled", "total", "requests handled",
     re.compile(r"(?:办结|(?<!不予)(?<!其他)处理(?!决定|结果))[^\d]*?" + _N)),
    ("applications", "carried_forward", "total", "requests carried forward",
     re.compile(r"结转(?:至|到)?(?:下一?年度?|\d{4}年度?)[^\d]*?" + _N + r"|" + _N + r"[^\d]*?结转(?:至|到)?(?:下一?年|\d{4}年)")),
    ("review_litigation", "review_litigation", "review_total", "administrative reviews",
     re.compile(r"行政复议(?:案件|申请)?(?:共计|共|合计)?\s*" + _N)),
    ("review_litigation", "review_litigation", "suit_total", "lawsuits",
     re.compile(r"行政诉讼(?:案件)?(?:共计|共|合计)?\s*" + _N)),
]
SUITS = ("suit_direct_total", "suit_after_review_total")


@dataclass(frozen=True)
class Claim:
    """A figure the prose states: which cell it speaks of, the figure, and where it is printed."""

    table: str
    row: str
    column: str
    label: str
    value: int
    offset: int
    quote: str


def _figures(text: str) -> list[int]:
    """Where a count is printed ("75件", "9 起"), in order: found by looking for the units, a fast scan, and then at
    the digit before each (a regular expression over the whole prose took longer than all the rest)."""
    out = []
    for unit in "件起":
        at = text.find(unit)
        while at != -1:
            before = at - 1
            while before >= 0 and text[before] == " ":
                before -= 1
            if before >= 0 and "0" <= text[before] <= "9":
                out.append(at)
            at = text.find(unit, at + 1)
    return sorted(out)


def claims(text: str) -> list[Claim]:
    """Every plain statement of a table figure in ``text`` (the report's prose before its tables)."""
    out: list[Claim] = []
    sentences = []  # only the sentences that print a count: found from the counts, not by reading every sentence
    for at in _figures(text):
        if sentences and at < sentences[-1].end():
            continue
        start = max(text.rfind(end, 0, at) for end in _SENTENCE_ENDS) + 1
        sentences.append(_SENTENCE.match(text, start))
    for sentence in sentences:
        s = sentence.group(0)
        about_requests = "申请" in s
        for clause in _CLAUSE.finditer(s):
            c = clause.group(0)
            if not _FIGURE.search(c) or _COMPARING.search(c):
                continue
            for table, row, column, label, pattern in _CLAIMS:
                if table == "applications" and not about_requests:
                    continue
                if table == "applications" and ("复议" in c or "诉讼" in c):
                    continue
                m = pattern.search(c)
                if m is None:
                    continue
                group = next(i for i in range(1, (m.re.groups or 0) + 1) if m.group(i) is not None)
                out.append(Claim(table, row, column, label, int(m.group(group)),
                                 sentence.start() + clause.start() + m.start(group), c.strip()))
    return out
