"""The brief's words, as one-line examples: the region as a whole, English plurals, changes, why a figure is
missing; then the sentences of real briefs."""

import re

import pytest

from govlib import corpus
from govlib import metrics as M
from govlib.briefs.page import (Brief, arithmetic_detail, change_phrase, finding_detail, listing, missing_cell, number,
                                percent, plural, possessive, whole, year_span)

from .conftest import RAW, ROOT


@pytest.mark.parametrize("name,word", [
    ("平潭县", "全县"), ("晋江市", "全市"), ("綦江区", "全区"), ("平潭综合实验区", "全区"), ("福建省", "全省"),
    ("重庆市", "全市"), ("新疆维吾尔自治区", "全区"), ("延边朝鲜族自治州", "全州"), ("长白朝鲜族自治县", "全县"),
    ("阿里地区", "全地区"), ("神农架林区", "全区"), ("锡林郭勒盟", "全盟"), ("鄂伦春自治旗", "全旗"), ("正蓝旗", "全旗"),
])
def test_the_whole_region_in_its_own_word(name, word):
    assert whole(name) == word


@pytest.mark.parametrize("n,noun,text", [
    (1, "report", "1 report"), (2, "report", "2 reports"), (0, "report", "0 reports"),
    (1, "agency", "1 agency"), (19, "agency", "19 agencies"), (3, "more agency", "3 more agencies"),
    (1, "new information request", "1 new information request"), (1234, "request", "1,234 requests"),
    (1, "annual report", "1 annual report"), (12, "finding", "12 findings"),
])
def test_english_counts_agree_with_their_nouns(n, noun, text):
    assert plural(n, noun) == text


@pytest.mark.parametrize("words,text", [("1 agency", "1 agency's"), ("14 agencies", "14 agencies'")])
def test_english_possessives(words, text):
    assert possessive(words) == text


@pytest.mark.parametrize("now,before,lang,text", [
    (154, 218, "zh", "（上年218件，减少29.4%）"), (218, 81, "zh", "（上年81件，增加169.1%）"),
    (5, 5, "zh", "（与上年持平，均为5件）"), (3, 0, "zh", "（上年为0件）"), (3, None, "zh", ""),
    (154, 218, "en", " (218 the year before, down 29.4%)"), (5, 5, "en", " (as many as the year before)"),
    (3, 0, "en", " (none the year before)"),
])
def test_the_change_from_the_year_before(now, before, lang, text):
    assert change_phrase(now, before, lang) == text


@pytest.mark.parametrize("x,text", [(None, "—"), (0, "0"), (1234, "1,234"), (11.5, "11.5"), (2.25, "2.25")])
def test_a_count_is_printed_as_the_report_prints_it(x, text):
    assert number(x) == text


@pytest.mark.parametrize("x,text", [(None, "—"), (0.48, "48.0%"), (71 / 148, "48.0%"), (1.0, "100.0%")])
def test_a_rate_is_printed_with_one_decimal(x, text):
    assert percent(x) == text


@pytest.mark.parametrize("args,text", [
    (("镇坪县", "partially_granted", "total", "blank", "zh"), "镇坪县的报告中“（二）部分公开”的总计栏为空白"),
    (("镇坪县", "partially_granted", "total", "blank", "en"),
     "镇坪县's report leaves the total of “Granted in part” blank"),
    (("甲局", "granted", "natural_person", "dash", "zh"), "甲局的报告中“（一）予以公开”的自然人栏印为“-”"),
    (("甲局", "granted", "natural_person", "dash", "en"),
     "in 甲局's report, the natural persons column of “Granted in full” is printed as a dash"),
    (("甲局", "total_handled", "total", "unresolved", "zh"), "甲局的报告中“（七）总计”的总计栏有多种读法、无法确定"),
    (("甲局", "review_litigation", "review_total", "missing", "zh"), "甲局的报告中“行政复议 总计”栏未印出"),
])
def test_why_a_figure_is_missing_names_the_cell(args, text):
    assert missing_cell(*args) == text


@pytest.mark.parametrize("items,lang,text", [
    (["甲"], "zh", "甲"), (["甲", "乙"], "zh", "甲和乙"), (["甲", "乙", "丙"], "zh", "甲、乙和丙"),
    (["a", "b", "c"], "en", "a, b and c"), (list("abcdefgh"), "en", "a, b, c, d, e, f and 2 more"),
    (list("甲乙丙丁戊己庚"), "zh", "甲、乙、丙、丁、戊、己等7个"),
])
def test_lists_in_sentences(items, lang, text):
    assert listing(items, lang) == text


@pytest.mark.parametrize("years,lang,text", [
    ([2024], "zh", "2024"), ([2019, 2021, 2024], "zh", "2019、2021、2024"), ([2020, 2021, 2022, 2023], "zh", "2020–2023"),
    ([2019, 2021, 2022, 2023], "en", "2019, 2021–2023"),
])
def test_years_in_a_sentence(years, lang, text):
    assert year_span(years, lang) == text


@pytest.mark.parametrize("rule,cells,expected,found,text", [
    ("I2", "applications.new_received×total; applications.new_received×natural_person", 1, 0,
     "“一、本年新收政府信息公开申请数量”：总计印为0，各类申请人之和为1"),
    ("I3", "applications.total_handled×total; applications.granted×total", 6, 0,
     "总计栏：办理总计印为0，各办理结果之和为6"),
    ("I1", "applications.new_received×total; applications.carried_over×total", 0, 4,
     "总计栏：新收 + 上年结转 = 4，办理 + 结转下年 = 0"),
    ("I4", "review_litigation.review_total; review_litigation.review_upheld", 1, 0, "行政复议：总计印为0，各结果之和为1"),
    ("N", "applications.total_handled×natural_person; applications.new_received×natural_person", 0, 1,
     "自然人栏：办理1件，但收到和上年结转只有0件"),
])
def test_a_broken_identity_in_the_briefs_words(rule, cells, expected, found, text):
    assert arithmetic_detail(rule, cells, expected, found) == text


def test_every_rule_the_parser_can_report_has_the_briefs_words():
    from govlib.briefs.page import RULES
    from govlib.identities import IDENTITY_TEXT

    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "govlib").glob("*.py"))
    named = set(re.findall(r"\b(?:Note|Finding)\(\s*\"(\w+)\"", sources)) | set(IDENTITY_TEXT)
    assert {"ambiguous", "label", "narrative", "truncated", "I1"} <= named  # the search finds them
    assert sorted(named - set(RULES)) == []


@pytest.mark.parametrize("rule,cells,expected,found,text", [  # as the bundled reports' findings give them
    ("ambiguous", "proactive.normative_documents×made; proactive.normative_documents×published", None, None,
     "“规范性文件”：有多种读法，读法不一致的单元格留空"),
    ("unreadable", "proactive.procurement×procurement_items; proactive.procurement×procurement_amount", None, None,
     "“政府集中采购”：无法确定读法，留空"),
    ("missing_row", "proactive.regulations×issued; proactive.regulations×repealed", None, None,
     "表格中没有“规章”这一行的数字"),
    ("layout", "applications.new_received×natural_person; applications.new_received×total", None, None,
     "“一、本年新收政府信息公开申请数量”：印法与模板的行列不一一对应，读法如下"),
    ("label", "applications.denied_prohibited_by_law×natural_person", None, None,
     "读作模板的“2.其他法律行政法规禁止公开”一行"),
    ("narrative", "applications.new_received×total", 74.0, 75.0,
     "正文称75，表格中“一、本年新收政府信息公开申请数量”总计栏为74（正文所指的范围可能更广）"),
    ("narrative", "applications.granted×total; applications.partially_granted×total", 9.0, 12.0,
     "正文称12，表格中“（一）予以公开”、“（二）部分公开”中2个单元格之和为9（正文所指的范围可能更广）"),
    ("narrative", "review_litigation.review_total", 3.0, 4.0, "正文称4，表格中“行政复议 总计”为3（正文所指的范围可能更广）"),
    ("C1", "applications.carried_over×total; 2022:applications.carried_forward×total", 0.0, 7.0,
     "总计栏：本年报告的上年结转为7，上年报告的结转下年为0"),
    ("C2", "proactive.normative_documents×in_force; 2021:proactive.normative_documents×in_force", 11.0, 8.0,
     "“规范性文件”现行有效件数印为8，上年现行有效件数加本年制发、减本年废止得11"),
    ("template", "", None, None, None),  # no cell to name: the parser's message stands alone
    ("ambiguous", "proactive.no_such_row×made", None, None, None),
])
def test_a_finding_in_the_briefs_words(rule, cells, expected, found, text):
    assert finding_detail(rule, cells, expected, found) == text


# --- sentences of real briefs ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    corpus.parse_to([RAW], out, progress=False)  # the sample and the nineteen agencies of 平潭综合实验区
    return M.Tables.load(out)


def _text(brief, section="headline") -> str:
    """A section's text as a reader sees it: without the tags, entities read."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", getattr(brief, section)().text))


@pytest.mark.parametrize("region,year,lang,sentence", [
    # a rate missing beside one that is there: the blank cell that leaves it out
    ("610927", 2020, "zh", "镇坪县的年度报告列出全县新收政府信息公开申请11件，办理11件，全部公开率为100.0%。"),
    ("610927", 2020, "zh", "公开率无法计算：镇坪县的报告中“（二）部分公开”的总计栏为空白。"),
    ("610927", 2020, "en", "No grant rate: 镇坪县's report leaves the total of “Granted in part” blank."),
    # one agency, no request: no rate to give, and why
    ("350582", 2020, "zh", "2020年，福建省泉州市晋江市有1个机关的1份年度报告纳入分析。"),
    ("350582", 2020, "zh", "紫帽镇人民政府的报告列出新收政府信息公开申请0件，办理0件。"),
    ("350582", 2020, "zh", "公开率和全部公开率无法计算：没有办理申请，分母为0。"),
    ("350582", 2020, "en", "In 2020, 1 annual report from 1 agency of 福建省泉州市晋江市 is covered."),
    ("350582", 2020, "en", "No grant rate and full-grant rate: no request was handled, so it would divide by 0."),
    # the region's own words: 全县, 全区
    ("410822", 2020, "zh", "2020年，河南省焦作市博爱县有1个机关的1份年度报告纳入分析。"),
    # nineteen agencies: the zone's own report beside its agencies' sum, never added
    ("350128", 2025, "zh", "平潭综合实验区的年度报告列出全区新收政府信息公开申请154件（上年218件，减少29.4%），办理148件"),
    ("350128", 2025, "zh", "其余14个机关的报告合计新收政府信息公开申请102件；各机关新收申请的中位数为2.5件。"
                           "平潭综合实验区报告的数字可能已包含这些机关，故两者不相加。"),
    ("350128", 2025, "zh", "另有4个机关在数据中没有2025年的报告（公安局、国有资产管理局、社会事业局和自然资源与生态环境局）"),
    ("350128", 2025, "zh", "新收申请按各报告的所印总计计算（另一口径是各类申请人之和）；3份报告的总计与各类申请人之和不符："
                           "海坛片区管理局（所印总计0件，各类申请人之和2件）"),
    ("350128", 2025, "en", "Together, the other 14 agencies' reports list 102 new requests; the median agency "
                           "received 2.5."),
    ("350128", 2025, "en", "3 reports print a total that is not the sum of the applicant columns"),
    ("350128", 2023, "en", "1 report prints a total that is not the sum of the applicant columns"),
])
def test_headline_sentences(tables, region, year, lang, sentence):
    assert sentence in _text(Brief(tables, region, year, lang=lang))


@pytest.mark.parametrize("region,year,lang,section,sentence", [
    ("350582", 2020, "zh", "ranking_table", "本地区只有一个机关（紫帽镇人民政府）有报告，不作排名；它的数字见上文。"),
    ("350582", 2020, "en", "ranking_table", "Only one agency of the region (紫帽镇人民政府) has a report, so there is "
                                            "no ranking"),
    ("350582", 2020, "zh", "arithmetic", "本年度各报告的表格数字都符合表格自身的恒等式。"),
    ("350128", 2025, "zh", "arithmetic", "4个机关的2025年报告数字自相矛盾（违反表格恒等式）：农业农村局（I2 ×4、I3）"),
    ("350128", 2025, "en", "arithmetic", "4 agencies' 2025 reports break their own arithmetic: 农业农村局 (I2 ×4, I3)"),
    ("350128", 2025, "zh", "changes", "与2024年相比，本年新收申请增加最多的是市场监督管理局（4→21件）、管委会办公室（19→32件）"
                                      "和金井片区管理局（8→11件）；减少最多的是交通与建设局（58→21件）"),
    ("350128", 2025, "en", "changes", "4 agencies stayed the same."),
    ("350128", 2025, "zh", "ranking_table", "合计（14个机关）1029656.2%30.2%230"),
    ("350128", 2025, "zh", "ranking_table", "农业农村局0 ⚠ 10 ⚠ 1——00"),
    ("350128", 2025, "zh", "ranking_table", "公安局 无2025年报告（有2019、2021、2024年的）"),
    ("350128", 2020, "en", "ranking_table", "投资促进局 no 2020 report (has 2024–2025)"),
    ("350128", 2025, "zh", "findings_table", "12份报告共39处问题，按报告和规则归并。"),
    ("350128", 2025, "en", "findings_table", "39 findings in 12 reports, grouped by report and rule."),
])
def test_section_sentences(tables, region, year, lang, section, sentence):
    assert sentence in _text(Brief(tables, region, year, lang=lang), section)
