"""Every value of every bundled report, against values checked by hand (tests/expected/*.expected)."""

from collections import Counter

import pytest

from govlib import codebook, parse_report
from govlib.codebook import REVIEW_ROW

from .conftest import EXPECTED, RAW, SAMPLE
from .expected_files import load, mark

CASES = sorted(EXPECTED.glob("*.expected"))


def test_every_bundled_report_has_hand_checked_values():
    bundled = sorted(p.relative_to(RAW).as_posix() for folder in SAMPLE for p in folder.rglob("*.txt"))
    assert sorted(load(p).file for p in CASES) == bundled
    assert len(bundled) == 12


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.stem)
def case(request):
    exp = load(request.param)
    return exp, parse_report(RAW / exp.file)


def test_metadata(case):
    exp, report = case
    m = report.meta
    assert m.agency == exp.meta["agency"]
    assert m.year == int(exp.meta["year"])
    assert m.template == exp.meta["template"]
    assert (m.doc_number or "") == exp.meta["doc_number"]
    assert str(m.published or "") == exp.meta["published"]


def test_proactive_values(case):
    exp, report = case
    t = codebook.template(report.meta.template)
    rows = {(r[0], r[1]): (r[2], r[4]) for r in report.proactive_rows()}
    got = {item.code: [mark(*rows[(item.code, m.code)]) for m in measures] for item, measures in t.proactive}
    assert got == exp.tables["proactive"]


def test_application_values(case):
    exp, report = case
    t = codebook.template(report.meta.template)
    got = {r.code: [mark(report.cells["applications"][(r.code, a.code)].value,
                         report.cells["applications"][(r.code, a.code)].state) for a in t.applicants]
           for r in t.applications}
    assert got == exp.tables["applications"]


def test_review_litigation_values(case):
    exp, report = case
    t = codebook.template(report.meta.template)
    got: dict[str, list[str]] = {}
    for m in t.review_litigation:
        c = report.cells["review_litigation"][(REVIEW_ROW, m.code)]
        got.setdefault(m.group, []).append(mark(c.value, c.state))
    assert got == exp.tables["review_litigation"]


def test_findings(case):
    exp, report = case
    got = Counter((f.rule, f.severity, f.cells.split("; ")[0]) for f in report.finding_list)
    assert got == Counter(exp.findings)


def test_frames_carry_the_same_values(case):
    _, report = case
    apps = report.applications
    assert apps.height == len(codebook.template(report.meta.template).applications) * 7
    assert apps.columns == ["row", "applicant", "value", "state", "rule", "line", "text", "page", "position"]
    assert apps["page"].null_count() == apps.height  # pages are for PDFs
    assert set(apps["state"].unique()) <= {"read", "blank", "dash", "inferred", "missing", "unresolved"}
    # a blank is null, never 0; a read value keeps the text it was read from
    assert apps.filter(apps["state"] == "blank")["value"].null_count() == apps.filter(apps["state"] == "blank").height
    read = apps.filter(apps["state"] == "read")
    assert read["text"].null_count() == 0 and read["line"].null_count() == 0


def test_provenance_points_at_the_printed_cell():
    report = parse_report(RAW / "seeds" / "004_1ca4751f2c2053c2.txt")
    lines = (RAW / "seeds" / "004_1ca4751f2c2053c2.txt").read_text(encoding="utf-8").splitlines()
    amount = report.cells["proactive"][("procurement", "procurement_amount")]
    assert amount.text == "12975800元"
    assert "12975800元" in lines[amount.line - 1]
    change = report.cells["proactive"][("penalty", "items_change")]
    assert (change.value, change.text, lines[change.line - 1].strip()) == (-111, "-111", "-111")
    total = report.cells["applications"][("new_received", "total")]
    assert (total.line, lines[total.line - 1].strip()) == (116, "11")


def test_identity_that_fixed_an_inferred_value_is_named():
    report = parse_report(RAW / "pingtan" / "pingtan-2021.txt")
    cell = report.cells["applications"][("granted", "natural_person")]
    # 2|7|0|0|20|1|30 also fits I2; only I3 (the outcome column sums) rules it out
    assert (cell.value, cell.state, cell.rule) == (27, "inferred", "I2,I3")
    unique = report.cells["applications"][("partially_granted", "total")]
    assert (unique.value, unique.state, unique.rule) == (5, "read", None)
    review = report.cells["review_litigation"][(REVIEW_ROW, "suit_direct_total")]
    assert (review.value, review.state, review.rule) == (12, "inferred", "I4")
