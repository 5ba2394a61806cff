"""The prose check: figures 总体情况 states, read only from plain statements, held against the tables."""

import pytest

from govlib import parse_report
from govlib.narrative import claims


def _read(text):
    """(rows, columns, figure) of each claim; a claim about a sum of cells joins its rows and its columns by +."""
    return [("+".join(dict.fromkeys(r for r, _ in c.keys)), "+".join(dict.fromkeys(col for _, col in c.keys)), c.value)
            for c in claims(text)]


@pytest.mark.parametrize("text, expected", [
    # sentences of the bundled reports (Pingtan 2020–2025, 晋江市紫帽镇, 镇坪县)
    ("2020年共收到政府信息公开申请0件，共处理政府信息公开申请0件。",
     [("new_received", "total", 0), ("total_handled", "total", 0)]),
    ("2020年，全县共受理依申请公开11件，全部依法依规按时办结，无因申请政府信息公开引起的行政复议或行政诉讼。",
     [("new_received", "total", 11)]),
    ("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。",
     [("new_received", "total", 70), ("total_handled", "total", 69), ("carried_forward", "total", 1)]),
    ("2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。",
     [("new_received", "total", 81), ("new_received", "natural_person", 80), ("new_received", "commercial", 1)]),
    ("办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%；无法提供31件，占38.27%。",
     [("total_handled", "total", 81), ("granted+partially_granted", "total", 42),
      ("denied_state_secret+denied_prohibited_by_law+denied_security_stability+denied_third_party+"
       "denied_internal_affairs+denied_process_info+denied_enforcement_file+denied_query_matter", "total", 5),
      ("unable_not_held+unable_needs_creation+unable_unclear", "total", 31)]),
    ("2025年，全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。",
     [("new_received", "total", 154), ("total_handled", "total", 148), ("carried_forward", "total", 6)]),
    ("因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。",
     [("review_litigation", "review_total", 2), ("review_litigation", "suit_direct_total+suit_after_review_total", 7)]),
    ("全年办理因政府信息公开申请引发的行政复议36起，行政诉讼9起。",
     [("review_litigation", "review_total", 36), ("review_litigation", "suit_direct_total+suit_after_review_total", 9)]),
    # applicants break down the total the sentence stated before them; alone they say nothing
    ("共办结申请70件，其中自然人申请60件，法人或其他组织申请10件。",
     [("total_handled", "total", 70), ("total_handled", "natural_person", 60),
      ("total_handled", "commercial+research+social_org+legal_service+other_org", 10)]),
    ("收到自然人申请5件。", []),
    # not read: comparisons, parts, other measures, 办理 (received or handled?), a year where a count would be
    ("收到政府信息公开申请数量较上年增加20件。", []),
    ("本年度收到申请同比增长12件。", []),
    # how requests ended: never read as a total handled ("不予处理" is not "处理"); 其他处理 in either template
    ("政府信息公开申请中不予处理3件，其他处理2件。",
     [("rejected_petition+rejected_duplicate+rejected_publication+rejected_excessive+rejected_confirmation", "total", 3),
      ("other+other_no_correction+other_no_fee+other_misc", "total", 2)]),
    ("全年办理政府信息公开申请218件。", []),
    ("行政许可处理决定12件。", []),
    ("收到2021年度申请的答复。", []),
    ("受理行政复议申请3件。", [("review_litigation", "review_total", 3)]),
    ("本年新收政府信息公开申请20件，上年结转2件。", [("new_received", "total", 20), ("carried_over", "total", 2)]),
    ("上年结转申请较去年减少2件。", []),
    ("收到申请数量较上年增加20件，涉及自然人12件。", []),
    # after 其中 the sentence speaks of parts, even in a clause of its own: not totals
    ("全年共收到政府信息公开申请75件，其中，通过网络平台收到申请60件，通过信函收到申请15件。", [("new_received", "total", 75)]),
])
def test_plain_statements_are_read_and_nothing_else(text, expected):
    assert _read(text) == expected


def test_a_claim_keeps_where_it_was_printed():
    text = "一、总体情况\n本年度全区共收到70件申请，及时依法依规办结69件。"
    first, second = claims(text)
    assert text[first.offset:first.offset + 2] == "70" and first.quote == "本年度全区共收到70件申请"
    assert text[second.offset:second.offset + 2] == "69" and second.quote == "及时依法依规办结69件"


def test_pingtan_2022_prose_disagrees_with_its_table(raw):
    # the prose: 收到政府信息公开申请75件，涉及自然人72件、商业企业3件; the table: 71 + 3 = 74 new requests
    # and 涉及自然人72件 where the table prints 71: the one column the two disagree on
    report = parse_report(raw / "pingtan" / "pingtan-2022.txt")
    total, person = [f for f in report.finding_list if f.rule == "narrative"]
    assert (total.severity, total.cells, total.expected, total.found) == \
        ("warning", "applications.new_received×total", 74.0, 75.0)
    assert "line 10" in total.message and "全区收到政府信息公开申请75件" in total.message
    assert (person.cells, person.expected, person.found) == ("applications.new_received×natural_person", 71.0, 72.0)
    assert "72 new requests from natural persons" in person.message
    assert report.value("applications", "new_received", "total") == 74  # the text never changes a table value


def test_pingtan_2023_states_eleven_figures_and_the_tables_agree_with_all(raw):
    # received 81 (80 natural persons, 1 enterprise), handled 81: granted in full or in part 42, withheld 5,
    # could not be provided 31, not processed 1, other 2; 2 reviews, 7 lawsuits. The glued tables give the same.
    text = (raw / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")
    stated = claims(text.split("二、主动公开")[0])
    assert [c.value for c in stated] == [81, 80, 1, 81, 42, 5, 31, 1, 2, 2, 7]
    report = parse_report(raw / "pingtan" / "pingtan-2023.txt")
    for c in stated:  # each held against known cells of the table (the 2021 template's rows of a group)
        cells = [report.cells[c.table][k] for k in c.keys if k in report.cells[c.table]]
        assert cells and all(x.state in ("read", "inferred") for x in cells), c
        assert sum(x.value for x in cells) == c.value, c
    assert [f for f in report.finding_list if f.rule == "narrative"] == []


def test_prose_that_agrees_gives_no_finding(raw):
    # Pingtan 2025 states received 154, handled 148, carried forward 6, reviews 36, lawsuits 9 (6 + 3): all as printed
    report = parse_report(raw / "pingtan" / "pingtan-2025.txt")
    assert [f for f in report.finding_list if f.rule == "narrative"] == []
    assert len(claims(open(raw / "pingtan" / "pingtan-2025.txt", encoding="utf-8").read().split("二、")[0])) == 5


def test_one_measure_stated_for_several_scopes_is_held_against_the_table_once(raw, tmp_path):
    text = (raw / "pingtan" / "pingtan-2025.txt").read_text(encoding="utf-8")
    stated = "2025年，全区共收到政府信息公开申请154件"
    assert stated in text

    def narrative(prose):
        path = tmp_path / "report.txt"
        path.write_text(text.replace(stated, prose), encoding="utf-8")
        return [(f.expected, f.found) for f in parse_report(path).finding_list if f.rule == "narrative"]

    # the whole district's departments, then the report's own figure, which its table prints: nothing to report
    assert narrative("全区各级行政机关共收到申请300件。2025年，全区共收到政府信息公开申请154件") == []
    # neither figure is the table's: both are reported
    assert narrative("全区各级行政机关共收到申请300件。2025年，全区共收到政府信息公开申请150件") == [
        (154.0, 300.0), (154.0, 150.0)]
