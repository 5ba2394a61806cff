"""Figures a report quotes in its prose (一、总体情况) against its own tables: the spec's soft narrative check.

Only plain statements are read: a verb that names the measure, then its number of 件 (or 起) in the same clause, as in
"共收到政府信息公开申请75件", "上年结转2件", "办结69件", "1件结转下年度继续办理", "行政复议案件2件"; the applicants a sentence then
breaks such a total into ("涉及自然人72件、商业企业3件"); and how requests ended ("予以公开及部分公开42件"). A clause
that compares (同比, 较上年, 增加 …) is not read, nor a total in a clause that speaks of a part (其中, 涉及 …) or that
follows one in its sentence ("其中，通过网络平台收到申请60件"), and the text's figure never changes a table value: a
disagreement is a warning for the reader, since prose sometimes covers a wider scope (全区各级行政机关) than the agency's
own table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import codebook

_CLAUSE = re.compile(r"[^，,。；;：:\n]+")
_SENTENCE = re.compile(r"[^。；;\n]+")
_SENTENCE_ENDS = "。；;\n"
_COMPARING = re.compile(r"同比|较|比上年|比去年|上年度?|去年|增加|减少|增长|下降|持平|累计|平均|占")
_PART = re.compile(r"其中|涉及|分别|各\d")
_N = r"(\d+)\s*[件起]"
_FIGURE = re.compile(r"\d\s*[件起]")
REVIEW = codebook.REVIEW_ROW
_APPLICANT_COLUMNS = codebook.template("2021").applicants  # the same columns in both templates
ORGS = tuple(a.code for a in _APPLICANT_COLUMNS if a.group == codebook.ORGANISATIONS)

# (table, cells whose sum it states, what it is in English, pattern over one clause; the one group that matched
# holds the figure)
_CLAIMS = [
    ("applications", (("new_received", "total"),), "new requests",
     re.compile(r"(?:收到|受理|接收|新收)[^\d]*?申请[^\d]*?(?:共计|共|合计)?\s*" + _N + r"|(?:收到|受理|接收)[^\d]*?" + _N
                + r"[^\d]*?申请")),
    ("applications", (("total_handled", "total"),), "requests handled",
     re.compile(r"(?:办结|(?<!不予)(?<!其他)处理(?!决定|结果))[^\d]*?" + _N)),
    ("applications", (("carried_forward", "total"),), "requests carried forward",
     re.compile(r"结转(?:至|到)?(?:下一?年度?|\d{4}年度?)[^\d]*?" + _N + r"|" + _N + r"[^\d]*?结转(?:至|到)?(?:下一?年|\d{4}年)")),
    ("review_litigation", ((REVIEW, "review_total"),), "administrative reviews",
     re.compile(r"行政复议(?:案件|申请)?(?:共计|共|合计)?\s*" + _N)),
    ("review_litigation", ((REVIEW, "suit_direct_total"), (REVIEW, "suit_after_review_total")), "lawsuits",
     re.compile(r"行政诉讼(?:案件)?(?:共计|共|合计)?\s*" + _N)),
]
# carried over from last year: read before the clause is judged a comparison (上年 is what it compares with)
_CARRIED_OVER = re.compile(r"(上一?年度?结转)[^\d]*?" + _N)
# the applicants a sentence breaks a total of requests into: printed name → (columns, English); 其他 alone is too
# common a word to be read as the column "other organisations"
_APPLICANTS = {a.label_zh: ((a.code,), a.label_en.lower()) for a in _APPLICANT_COLUMNS
               if a.code not in ("other_org", "total")}
_APPLICANTS[codebook.ORGANISATIONS] = (ORGS, "legal persons and other organisations")
_APPLICANT = re.compile("(" + "|".join(_APPLICANTS) + r")(?:提出的?)?(?:申请)?(?:共计|共)?\s*" + _N)
_BROKEN_DOWN = {"new_received": "new requests", "total_handled": "requests handled"}  # totals a sentence may break down
# how requests ended, as prose names them: printed words → (the row, or the codebook group of rows, English)
_OUTCOMES = {g.zh: (g.code, g.phrase) for g in codebook.outcome_groups()}
_OUTCOME_WORDS = "|".join(_OUTCOMES)
_AND = "及|和|与|、"
_OUTCOME = re.compile(rf"((?:{_OUTCOME_WORDS})(?:(?:{_AND})(?:{_OUTCOME_WORDS}))*)(?:的?申请)?(?:共计|共)?\s*" + _N)


@cache
def _outcome_keys(word: str) -> tuple[tuple[str, str], ...]:
    """The total-column cells of an outcome, in either template (a report keeps those its template has)."""
    return tuple((code, "total") for code in codebook.outcome_rows(_OUTCOMES[word][0]))


@dataclass(frozen=True)
class Claim:
    """A figure the prose states: the cells whose sum it speaks of, the figure, and where it is printed."""

    table: str
    keys: tuple[tuple[str, str], ...]
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
        total_row = None  # the total of requests this sentence has stated, which its applicants then break down
        in_parts = False  # after "其中" the sentence speaks of parts: "其中，通过网络平台收到申请60件" is not the total
        for clause in _CLAUSE.finditer(s):
            c = clause.group(0)
            in_parts = in_parts or bool(_PART.search(c))
            if not _FIGURE.search(c):
                continue
            at = sentence.start() + clause.start()
            carried = _CARRIED_OVER.search(c)
            if carried and about_requests and not _COMPARING.search(c[:carried.start(1)] + c[carried.end(1):]):
                out.append(Claim("applications", (("carried_over", "total"),), "requests carried over",
                                 int(carried.group(2)), at + carried.start(2), c.strip()))
                continue
            if _COMPARING.search(c):
                continue
            outcomes = list(_OUTCOME.finditer(c))
            if outcomes:  # "予以公开及部分公开42件", "不予处理1件": how the requests handled ended
                for m in outcomes:
                    words = re.split(_AND, m.group(1))
                    out.append(Claim("applications", tuple(k for w in words for k in _outcome_keys(w)),
                                     "requests " + " or ".join(_OUTCOMES[w][1] for w in words), int(m.group(2)),
                                     at + m.start(2), c.strip()))
                continue
            parts = list(_APPLICANT.finditer(c))
            if parts:  # "涉及自然人72件、商业企业3件": parts of the total stated before, never a total themselves
                if total_row is not None:
                    for m in parts:
                        columns, who = _APPLICANTS[m.group(1)]
                        out.append(Claim("applications", tuple((total_row, col) for col in columns),
                                         f"{_BROKEN_DOWN[total_row]} from {who}", int(m.group(2)), at + m.start(2),
                                         c.strip()))
                continue
            if in_parts:
                continue
            for table, keys, label, pattern in _CLAIMS:
                if table == "applications" and (not about_requests or "复议" in c or "诉讼" in c):
                    continue
                m = pattern.search(c)
                if m is None:
                    continue
                group = next(i for i in range(1, (m.re.groups or 0) + 1) if m.group(i) is not None)
                out.append(Claim(table, keys, label, int(m.group(group)), at + m.start(group), c.strip()))
                if keys[0][0] in _BROKEN_DOWN:
                    total_row = keys[0][0]
    return out
