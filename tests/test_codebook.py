import pytest

from govlib import codebook

from .conftest import ROOT, SHARED


def test_the_package_codebook_is_the_specs():
    spec = SHARED / "spec" / "codebook.csv"
    if not spec.exists():
        pytest.skip("shared/spec is not beside this checkout")
    assert (ROOT / "govlib" / "data" / "codebook.csv").read_bytes() == spec.read_bytes()


@pytest.mark.parametrize("name,rows", [("2019", 23), ("2021", 25)])
def test_templates_have_the_rows_of_the_spec(name, rows):
    t = codebook.template(name)
    assert len(t.applications) == rows
    assert len(t.applicants) == 7
    assert len(t.review_litigation) == 15


def test_proactive_measures_follow_the_articles():
    measures = {item.code: [m.code for m in ms] for item, ms in codebook.template("2019").proactive}
    assert measures == {
        "regulations": ["made", "published", "published_total"],
        "normative_documents": ["made", "published", "published_total"],
        "licensing": ["items_last_year", "items_change", "decisions"],
        "other_services": ["items_last_year", "items_change", "decisions"],
        "penalty": ["items_last_year", "items_change", "decisions"],
        "coercion": ["items_last_year", "items_change", "decisions"],
        "fees": ["items_last_year", "items_change"],
        "procurement": ["procurement_items", "procurement_amount"],
    }
    measures = {item.code: [m.code for m in ms] for item, ms in codebook.template("2021").proactive}
    assert measures == {"regulations": ["issued", "repealed", "in_force"],
                        "normative_documents": ["issued", "repealed", "in_force"],
                        "licensing": ["decisions"], "penalty": ["decisions"], "coercion": ["decisions"],
                        "fees": ["fee_amount"]}


@pytest.mark.parametrize("leaf,printed", [
    ("（七）总计", "(七)总计"),
    ("（七）总计", "(七) 总 计"),
    ("3.其他", "3.其他"),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1.申请人无正当理由逾期不补正,行政机关不再处理"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开(区分处理的,只计这一情形,不计其他情形)"),
    ("3.危及“三安全一稳定”", "3.危及\"三安全一稳定\""),
    ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
])
def test_labels_match_as_printed(leaf, printed):
    import re

    assert re.search(codebook.label_pattern(leaf), printed)


@pytest.mark.parametrize("leaf,text", [("（七）总计", "总计"), ("3.其他", "其他处理"), ("3.其他", "其他")])
def test_short_labels_need_their_numbering(leaf, text):
    import re

    assert not re.search(codebook.label_pattern(leaf), text)
