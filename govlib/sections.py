"""Locating things in a report text: its sections, its template version and its metadata."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Section headings, matched on the numeral and key words (the wording drifts between reports).
_HEADINGS = {
    "二": re.compile(r"二\s*[、.]\s*主\s*动\s*公\s*开"),
    "三": re.compile(r"三\s*[、.]\s*收\s*到\s*和?\s*处\s*理"),
    "四": re.compile(r"四\s*[、.]\s*政\s*府\s*信\s*息\s*公\s*开\s*行\s*政|四\s*[、.][^\n、]{0,12}复\s*议"),
    "五": re.compile(r"五\s*[、.]\s*(?:存\s*在|主\s*要\s*问\s*题)"),
    "六": re.compile(r"六\s*[、.]\s*其\s*他\s*需\s*要"),
}

# Template fingerprints (whitespace removed before matching).
FINGERPRINTS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "逾期未按收费通知"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "第二十条第(九)项"),
}


@dataclass(frozen=True)
class Sections:
    """Offsets of the table regions: each runs from the end of its heading to the start of the next heading."""

    proactive: tuple[int, int] | None
    applications: tuple[int, int] | None
    review: tuple[int, int] | None
    end_of_tables: int


def find_sections(text: str) -> Sections:
    found: dict[str, re.Match[str]] = {}
    pos = 0
    for numeral, pattern in _HEADINGS.items():
        m = pattern.search(text, pos)
        if m:
            found[numeral] = m
            pos = m.end()
    order = [k for k in _HEADINGS if k in found]

    def region(numeral: str) -> tuple[int, int] | None:
        if numeral not in found:
            return None
        start = found[numeral].end()
        # the heading's own line is not part of the table
        nl = text.find("\n", start)
        later = [found[k].start() for k in order[order.index(numeral) + 1:]]
        end = later[0] if later else len(text)
        if 0 <= nl < end and not text[start:nl].strip("情况 \t|#*").strip():
            start = nl
        return start, end

    ends = [found[k].start() for k in ("五", "六") if k in found]
    return Sections(region("二"), region("三"), region("四"), ends[0] if ends else len(text))


def detect_template(text: str) -> tuple[str | None, dict[str, int]]:
    """The template version whose fingerprints the text carries, with the counts that decided it."""
    squeezed = "".join(text.split())  # every white space out (str.split knows the same spaces as \s)
    counts = {name: sum(squeezed.count(fp) > 0 for fp in fps) for name, fps in FINGERPRINTS.items()}
    if counts["2021"] > counts["2019"]:
        return "2021", counts
    if counts["2019"] > counts["2021"]:
        return "2019", counts
    return None, counts


# --- metadata -------------------------------------------------------------------------------------------------------

_REPORT = (r"政\s*(?:府\s*信\s*息|务)\s*公\s*开\s*(?:工\s*作\s*)?(?:的\s*)?(?:年\s*度\s*)?(?:工\s*作\s*)?"
           r"(?:报\s*告|年\s*报)")  # 政府信息公开工作年度报告, …工作的年度报告, …年报, 政务公开工作年度报告
_TITLE = re.compile(
    r"^[#\s*]*(?:标题\s*[:：]\s*)?(?P<before>[^\n]*?)\s*(?P<year>(?:19|20)\d\d)\s*年\s*度?\s*(?P<after>[^\n]*?)"
    r"\s*" + _REPORT, re.M)
# the year after the title: 某某县政府信息公开工作年度报告（2023年）
_TITLE_YEAR_AFTER = re.compile(r"^[#\s*]*(?:标题\s*[:：]\s*)?(?P<before>[^\n]*?)\s*" + _REPORT +
                               r"\s*[(（]\s*(?P<year>(?:19|20)\d\d)\s*年?\s*度?\s*[)）]", re.M)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[(【]\s*(?:19|20)\d\d\s*[〕\])】]\s*\d{1,4}\s*号")
_DOC_NUMBER_FIELD = re.compile(r"^[ \t]*文[ \t]*号[ \t]*[:：][ \t]*(?P<v>\S[^\n]*)$", re.M)
_PUBLISHED_FIELD = re.compile(r"^\s*发\s*布\s*(?:时\s*间|日\s*期)\s*[:：]\s*(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*"
                              r"(?:[-/.]|月)\s*(?P<d>\d{1,2})", re.M)  # 2026-01-20, 2026/1/20, 2026年01月20日
_CN_DATE_LINE = re.compile(r"^\s*(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:印发)?\s*$", re.M)
# a date in Chinese numerals under the signature: 二〇二四年一月十五日
_HAN_DATE_LINE = re.compile(r"^\s*(?P<y>[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,2})\s*月\s*"
                            r"(?P<d>[一二三四五六七八九十]{1,3})\s*日\s*(?:印发)?\s*$", re.M)
_HAN_DIGITS = {ch: i for i, chars in enumerate(["〇○零Ｏ", "一", "二", "三", "四", "五", "六", "七", "八", "九"]) for ch in chars}


_HAN_NUMBER = re.compile(r"([一二三]?)十([一二三四五六七八九]?)|([一二三四五六七八九])")


def _han_number(text: str) -> int | None:
    """一 … 九, 十, 十一 … 十九, 二十 … 三十一, as written in dates; None for anything else ("一二", a slip)."""
    m = _HAN_NUMBER.fullmatch(text)
    if m is None:
        return None
    if m.group(3):
        return _HAN_DIGITS[m.group(3)]
    return (_HAN_DIGITS[m.group(1)] if m.group(1) else 1) * 10 + (_HAN_DIGITS[m.group(2)] if m.group(2) else 0)


@dataclass(frozen=True)
class Meta:
    agency: str | None
    year: int | None
    doc_number: str | None
    published: dt.date | None
    title: str | None


def _date(y: str, m: str | int | None, d: str | int | None) -> dt.date | None:
    if m is None or d is None:
        return None
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_meta(text: str, end_of_tables: int) -> Meta:
    """Agency, year, document number and publication date, as printed (each None when the report omits it)."""
    head = text[: min(len(text), 4000)]
    title = _TITLE.search(head) or _TITLE_YEAR_AFTER.search(head)
    agency = year = None
    if title:
        year = int(title.group("year"))
        before = title.group("before")
        if "当前位置" in before or "首页" in before:
            before = before.split()[-1] if before.split() else ""
        after = title.group("after") if "after" in title.re.groupindex else ""
        name = re.sub(r"[\s#*]+", "", before) or re.sub(r"[\s#*]+", "", after)
        agency = re.sub(r"^关于|关于$", "", name) or None  # 某某县人民政府关于2023年…, 关于某某县2023年…
    field = _DOC_NUMBER_FIELD.search(head)
    doc_number = field.group("v").strip() if field else None
    if doc_number is None:
        # a document number printed on a line of its own above the title (晋紫政〔2021〕3号)
        limit = title.start() if title else 0
        for line in head[:limit].splitlines():
            m = _DOC_NUMBER.fullmatch(line.strip())
            if m:
                doc_number = re.sub(r"\s+", "", m.group(0))
                break
    published = None
    m = _PUBLISHED_FIELD.search(head)
    if m:
        published = _date(m.group("y"), m.group("m"), m.group("d"))
    else:
        m = _CN_DATE_LINE.search(text, end_of_tables)
        if m:
            published = _date(m.group("y"), m.group("m"), m.group("d"))
        elif m := _HAN_DATE_LINE.search(text, end_of_tables):
            digits = "".join(str(_HAN_DIGITS[ch]) for ch in m.group("y"))
            published = _date(digits, _han_number(m.group("m")), _han_number(m.group("d")))
    shown = re.sub(r"^[\s#*]*(?:标题\s*[:：]\s*)?", "", title.group(0)).strip() if title else None
    return Meta(agency, year, doc_number, published, shown)
