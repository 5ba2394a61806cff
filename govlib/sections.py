"""Locating things in a report text: its sections, its template version and its metadata."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Section headings, matched on their key words whatever their numeral (a report may number 三 as 二, add a section
# and renumber the rest, or print no numeral at all): a heading is a hint where a table starts, never a gate.
HEADING_WORDS = {"二": "主动公开政府信息情况", "三": "收到和处理政府信息公开申请情况", "四": "政府信息公开行政复议、行政诉讼情况"}
_NUMERAL = r"(?:[一二三四五六七八九十]\s*[、.]\s*)?"
_HEADINGS = {
    "二": re.compile(_NUMERAL + r"主\s*动\s*公\s*开\s*政\s*府\s*信\s*息\s*(?:的\s*)?情\s*况"),
    "三": re.compile(_NUMERAL + r"收\s*到\s*和?\s*处\s*理\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*(?:的\s*)?情\s*况"),
    "四": re.compile(_NUMERAL + r"(?:政\s*府\s*信\s*息\s*公\s*开\s*|因[^\n、。\d]{0,14})?行\s*政\s*法?\s*复\s*议\s*"
                     r"[、与和及,]?\s*(?:提\s*起\s*)?行\s*政\s*诉\s*讼\s*(?:的\s*)?情\s*况"),
}
# the old patterns, numeral first: where no table says where a section starts (a report cut short)
_NUMBERED = {
    "二": re.compile(r"二\s*[、.]\s*主\s*动\s*公\s*开"),
    "三": re.compile(r"三\s*[、.]\s*收\s*到\s*和?\s*处\s*理"),
    "四": re.compile(r"四\s*[、.]\s*政\s*府\s*信\s*息\s*公\s*开\s*行\s*政|四\s*[、.][^\n、\d]{0,16}复\s*议"),
}
_AFTER = re.compile(r"五\s*[、.]\s*(?:存\s*在|主\s*要\s*问\s*题)|六\s*[、.]\s*其\s*他\s*需\s*要")
# the table's own words, which prose does not print: where each table is
_TABLE = {
    "二": re.compile(r"第\s*二\s*十\s*条\s*第\s*\(|本\s*年\s*制\s*发\s*件\s*数|本\s*年\s*新\s*制\s*作\s*数\s*量"),
    "三": re.compile(r"本\s*年\s*新\s*收[^\d\n|\t]{0,12}申\s*请\s*数\s*量|申\s*请\s*人\s*情\s*况"),
    "四": re.compile(r"结\s*果\s*维\s*持|结\s*果\s*纠\s*正|尚\s*未\s*审\s*结|未\s*经\s*复\s*议\s*直\s*接\s*起\s*诉|复\s*议\s*后\s*起\s*诉"),
}
_HEADER_OF_3 = re.compile(r"\(?\s*本\s*列\s*数\s*据|申\s*请\s*人\s*情\s*况|自\s*然\s*人")
_REVIEW_WORD = re.compile(r"行\s*政\s*复\s*议")
_NEXT_SECTION = re.compile(r"[五六七八九十]\s*[、.]\s*[\u4e00-\u9fff]")

# Template fingerprints (whitespace removed before matching).
FINGERPRINTS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "逾期未按收费通知"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "第二十条第(九)项"),
}


@dataclass(frozen=True)
class Sections:
    """Offsets of the table regions: each runs from the end of its heading (or, without one, from where its table
    starts) to the start of the next."""

    proactive: tuple[int, int] | None
    applications: tuple[int, int] | None
    review: tuple[int, int] | None
    end_of_tables: int
    tables: tuple[str, ...] = ()  # the sections whose table's own words were found ("二", "三", "四")
    unheaded: tuple[str, ...] = ()  # of those, the sections no heading stands before: found by their table alone


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The last match in text[start:end]; of headings, the last that is numbered, if one is."""
    last = numbered = None
    for last in pattern.finditer(text, start, end):
        if last.group(0)[0] in "一二三四五六七八九十":
            numbered = last
    return numbered or last


_NEAR = 400  # a heading stands at most this far before the first words of its table


def find_sections(text: str) -> Sections:
    """Where sections 二, 三 and 四 are: found by their tables' own words (第二十条第…, 申请人情况, 结果维持 …), each
    starting at the last heading that stands shortly before its table, whatever its numeral or wording (a report's
    opening may list the sections' names too, far from the tables)."""
    a3 = _TABLE["三"].search(text)
    a4 = _TABLE["四"].search(text, a3.end() if a3 else 0)
    a2 = _TABLE["二"].search(text, 0, a3.start() if a3 else (a4.start() if a4 else len(text)))
    starts: dict[str, tuple[int, bool]] = {}  # section → (start, whether a heading starts it)
    heads: dict[str, int] = {}  # section → where its heading starts
    floor = 0
    for numeral, anchor in (("二", a2), ("三", a3), ("四", a4)):
        if anchor is None:
            m = _NUMBERED[numeral].search(text, floor)
            if m is not None:
                starts[numeral] = (m.end(), True)
                heads[numeral] = m.start()
                floor = m.end()
            continue
        heading = _last(_HEADINGS[numeral], text, max(floor, anchor.start() - _NEAR), anchor.start())
        if heading is not None:
            starts[numeral] = (heading.end(), True)
            heads[numeral] = heading.start()
        elif numeral == "三":
            header = _HEADER_OF_3.search(text, max(floor, anchor.start() - _NEAR), anchor.start())
            starts[numeral] = ((header or anchor).start(), False)
        elif numeral == "四":
            word = _last(_REVIEW_WORD, text, max(floor, anchor.start() - 80), anchor.start())
            starts[numeral] = ((word or anchor).start(), False)
        else:
            starts[numeral] = (anchor.start(), False)
        floor = anchor.end()
    after = max((v[0] for v in starts.values()), default=0)
    if a4 is not None:
        end = _NEXT_SECTION.search(text, a4.end())
    else:
        end = _AFTER.search(text, after)
    end_of_tables = end.start() if end else len(text)
    order = [k for k in ("二", "三", "四") if k in starts]

    def region(numeral: str) -> tuple[int, int] | None:
        if numeral not in starts:
            return None
        start, headed = starts[numeral]
        later = [starts[k][0] for k in order[order.index(numeral) + 1:]]
        end = later[0] if later else max(end_of_tables, start)
        nxt = order[order.index(numeral) + 1] if order.index(numeral) + 1 < len(order) else None
        if nxt in heads:  # a region ends where the next section's heading starts
            end = min(end, heads[nxt])
        if headed:  # the heading's own line is not part of the table
            nl = text.find("\n", start)
            if 0 <= nl < end and not text[start:nl].strip("情况 \t|#*").strip():
                start = nl
        return start, end

    tables = tuple(k for k, a in (("二", a2), ("三", a3), ("四", a4)) if a is not None)
    unheaded = tuple(k for k in order if not starts[k][1])
    return Sections(region("二"), region("三"), region("四"), end_of_tables, tables, unheaded)


def detect_template(text: str) -> tuple[str | None, dict[str, int]]:
    """The template version whose fingerprints the text carries, with the counts that decided it."""
    squeezed = "".join(text.split())  # every white space out (str.split knows the same spaces as \s)
    counts = {name: sum(squeezed.count(fp) > 0 for fp in fps) for name, fps in FINGERPRINTS.items()}
    if counts["2021"] > counts["2019"]:
        return "2021", counts
    if counts["2019"] > counts["2021"]:
        return "2019", counts
    return None, counts


_ONE_ROW = re.compile(r"其\s*他\s*处\s*理\s*[\d\-—]")  # （六）其他处理 printed with values of its own
_SUB_ROWS = re.compile(r"其\s*他\s*处\s*理\s*[^\d]{0,3}1\s*[.、]")  # （六）其他处理 1.申请人…


def template_from_rows(region: str) -> str | None:
    """The template section 三's group （六） is printed in, where the fingerprints do not tell: one row of values
    (2019) or sub-rows 1. 2. 3. (2021); None when it shows neither."""
    one, sub = _ONE_ROW.search(region), _SUB_ROWS.search(region)
    if one and not sub:
        return "2019"
    if sub and not one:
        return "2021"
    return None


def fingerprint_words(counts: dict[str, int]) -> str:
    """The table headings the fingerprints look for, and how many of each template's the text carries, in words."""
    return "; ".join(f"{counts.get(name, 0)} of the {name} template's {len(fps)} table headings ({'、'.join(fps[:3])} …)"
                     for name, fps in FINGERPRINTS.items())


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
        # 某某县人民政府关于2023年…, 关于某某县2023年…, 某某管理局关于报送2020年度…的函
        agency = re.sub(r"^关于|关于(?:报送|印发|公布|发布|上报|提交|公开)?$", "", name) or None
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
