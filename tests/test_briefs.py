"""Regional briefs: real Papermill runs, real kernels, exported pages opened offline in a real headless Chromium."""

import json
import re
import shutil

import polars as pl
import pytest
from click.testing import CliRunner

from govlib import corpus
from govlib.briefs import runner as briefs
from govlib.errors import BriefError as BriefsError
from govlib.cli import cli

from .browser import offline_chromium
from .conftest import RAW, ROOT, SAMPLE

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    corpus.parse_to(SAMPLE, out, progress=False)
    return out


@pytest.fixture(scope="module")
def made(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    summary = briefs.run(processed, out, jobs=2, progress=False)
    return out, summary


def test_every_region_and_year_gets_a_brief_and_the_index_links_them_by_region_and_year(made):
    out, summary = made
    assert summary.count("done") == 12 and not summary.failed
    pages = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*.html"))
    assert pages == sorted(["2019/500110.html", "2020/350582.html", "2020/410822.html", "2020/610927.html",
                            "2021/621025.html"] + [f"{y}/350128.html" for y in range(2019, 2026)])
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f'href="{page}"' in index
    grid = re.search(r"<tr><th>平潭综合实验区（福建省福州市平潭县）</th>(.*?)</tr>", index)  # regions down, years across
    assert grid and re.findall(r'href="(\d+)/350128.html"', grid.group(1)) == [str(y) for y in range(2019, 2026)]
    figures = index.split("<h2>各简报的概况</h2>")[1]  # then each brief's headline figures
    row = re.search(r'<td><a href="2025/350128.html">2025</a></td>(.*?)</tr>', figures)
    assert row and row.group(1) == '<td>1</td><td>154</td><td>48.0%</td><td>36</td><td class="basis">本级报告</td>'
    town = re.search(r'<td><a href="2020/350582.html">2020</a></td>(.*?)</tr>', figures)  # 紫帽镇: no request
    assert town and town.group(1) == '<td>1</td><td>0</td><td>—</td><td>0</td><td class="basis">该机关的报告</td>'
    assert not list(out.glob("*/*.ipynb"))  # executed notebooks are kept only for failed runs


def test_a_brief_states_its_figures_in_sentences_and_loads_nothing(made):
    page = (made[0] / "2025" / "350128.html").read_text(encoding="utf-8")
    assert "平潭综合实验区（福建省福州市平潭县） · 2025年政府信息公开工作年度报告分析" in page
    assert "平潭综合实验区的年度报告列出全区新收政府信息公开申请154件（上年218件，减少29.4%），办理148件" in page
    assert "公开率（予以公开与部分公开之和占办理总数）为48.0%" in page
    assert "本地区只有一个机关（平潭综合实验区）有报告，不作排名" in page  # one agency: no ranking, and why
    assert not re.search(r"<script[^>]*\ssrc=", page)  # every script is inline: the Vega bundle and the drawing
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert page.count('<script class="govlib-spec" type="application/json">') == 8  # requests, reasons, mix,
    assert "region = " not in page  # the code is not shown                           # 2 trends, change, volumes, review


def test_a_rerun_with_nothing_changed_skips_every_brief(made, processed, monkeypatch):
    out, _ = made
    monkeypatch.setattr(briefs, "run_one", lambda *a, **k: pytest.fail("ran a brief again"))
    summary = briefs.run(processed, out, jobs=2, progress=False)
    assert summary.count("skipped") == 12


def test_briefs_made_by_other_govlib_code_are_made_again(made, processed, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    shutil.copytree(made[0], out)
    ran = []
    monkeypatch.setattr(briefs, "run_one", lambda job, *args: ran.append(job.region) or briefs.Outcome(job, "done"))
    assert briefs.run(processed, out, progress=False).count("skipped") == 12  # the same code: nothing to do
    monkeypatch.setattr(briefs, "code_fingerprint", lambda: "0.1.0+other")  # e.g. after a pull, same version
    summary = briefs.run(processed, out, progress=False)
    assert summary.count("done") == 12
    assert sorted(set(ran)) == ["350128", "350582", "410822", "500110", "610927", "621025"] and ran.count("350128") == 7


def test_unknown_regions_years_and_parameters_fail_before_any_kernel(processed, tmp_path, monkeypatch):
    monkeypatch.setattr(briefs, "run_one", lambda *a, **k: pytest.fail("a kernel started"))
    with pytest.raises(BriefsError, match=r"unknown region '\.\./\.\./etc' at county level"):
        briefs.run(processed, tmp_path, regions=["../../etc"], progress=False)
    with pytest.raises(BriefsError, match="region 350128 has no reports for 2018; it has 2019, 2020"):
        briefs.run(processed, tmp_path, regions=["350128"], years=[2018], progress=False)
    with pytest.raises(BriefsError, match="regional_brief.ipynb has no parameter colour; it declares data_dir"):
        briefs.check_parameters(briefs.NOTEBOOK, {"region": "350128", "colour": "red"})
    result = CliRunner().invoke(cli, ["briefs", "--data", str(processed), "--out", str(tmp_path), "--region", "x"])
    assert result.exit_code == 1 and result.output.startswith("Error: unknown region 'x'")


def test_the_brief_notebook_declares_annotated_parameters():
    assert briefs.notebook_parameters(briefs.NOTEBOOK) == {
        "region": "350128", "year": 2025, "data_dir": "../data/processed", "lang": "zh", "level": "county"}
    nb = json.loads(briefs.NOTEBOOK.read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert all("  # " in line for line in "".join(params["source"]).splitlines())


def test_a_failed_run_keeps_its_notebook_is_listed_and_sets_the_exit_status(processed, tmp_path):
    broken = tmp_path / "broken.ipynb"
    nb = json.loads(briefs.NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].insert(3, {"id": "deliberate-failure", "cell_type": "code", "metadata": {}, "outputs": [],
                           "execution_count": None,
                           "source": "assert region != '500110', 'deliberate failure'"})
    broken.write_text(json.dumps(nb), encoding="utf-8")
    out = tmp_path / "reports"
    summary = briefs.run(processed, out, regions=["500110", "350582"], jobs=1, notebook=broken, progress=False)
    assert [o.job.region for o in summary.failed] == ["500110"]
    assert "deliberate failure" in summary.failed[0].error
    assert (out / "2019" / "500110.ipynb").exists() and (out / "2020" / "350582.html").exists()
    assert "deliberate failure" in (out / "2019" / "500110.html").read_text(encoding="utf-8")
    assert "(运行失败: " in (out / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    driver = offline_chromium(tmp_path_factory.mktemp("chromium"), "1000,3200")
    yield driver
    driver.quit()


def _drawn(driver, count: int) -> list:
    from selenium.webdriver.support.wait import WebDriverWait

    script = "return [...document.querySelectorAll('.govlib-chart')].map(d => d.querySelectorAll('svg path, svg text').length)"
    WebDriverWait(driver, 20).until(lambda d: len([n for n in d.execute_script(script) if n > 0]) >= count)
    return driver.execute_script(script)


def test_a_brief_opens_offline_in_chromium_with_every_chart_drawn(made, chromium):
    chromium.get((made[0] / "2025" / "350128.html").as_uri())
    marks = _drawn(chromium, 8)
    assert len(marks) == 8 and all(n > 10 for n in marks)
    texts = chromium.execute_script("return [...document.querySelectorAll('.govlib-chart svg text')].map(t => t.textContent)")
    assert "依申请公开办理结果" in texts and "平潭综合实验区" in texts  # Chinese labels, drawn as text
    assert chromium.execute_script("return document.fonts.check('16px \"Noto Sans CJK SC\"')")
    assert "福建省福州市平潭县" in chromium.find_element("tag name", "h1").text
    errors = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    _screenshot(chromium, "brief-pingtan-alone.png")


def _screenshot(driver, name: str) -> None:
    """The whole page, as tall as it is (tests/artifacts; the README shows copies in docs/)."""
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, 600)  # (a page shorter than the window measures as tall as the window)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height + 20, 12000))
    driver.execute_script("window.scrollTo(0, 0)")
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / name))
    finally:
        driver.set_window_size(width, 3200)
    assert (ARTIFACTS / name).stat().st_size > 50_000


# --- the real region: nineteen agencies of 平潭综合实验区, as `make run` makes them -------------------------------------

@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    """The bundled data as `make run` parses it."""
    processed = tmp_path_factory.mktemp("all")
    corpus.parse_to([RAW], processed, progress=False)
    return processed


@pytest.fixture(scope="module")
def region(everything, tmp_path_factory):
    """Two briefs of the bundled data: Pingtan's of 2025 and 镇坪县's of 2020 (one agency, one year)."""
    processed = everything
    out = tmp_path_factory.mktemp("region-reports")
    for region, years in (("350128", [2025]), ("610927", None)):
        assert not briefs.run(processed, out, regions=[region], years=years, jobs=1, progress=False).failed
    return out


def test_the_pingtan_brief_of_2025_ranks_the_nineteen_agencies_offline_in_chromium(region, chromium):
    chromium.get((region / "2025" / "350128.html").as_uri())
    marks = _drawn(chromium, 9)  # ranking, requests, reasons, mix, 2 heat maps, change, proactive, review
    assert len(marks) == 9 and all(n > 10 for n in marks)
    assert "平潭综合实验区（福建省福州市平潭县）" in chromium.find_element("tag name", "h1").text
    table = chromium.find_element("css selector", "table.ranking")
    rows = [" ".join(r.text.split()) for r in table.find_elements("tag name", "tr")]  # (notes go on a line below)
    assert rows[1].startswith("平潭综合实验区 本级报告，可能包含下列机关 154 148 48.0%")  # beside, not added
    ranked = [r for r in rows if r.split(" ")[0].isdigit()]
    assert len(ranked) == 14 and ranked[0].startswith("1 管委会办公室 32 32 46.9%")
    assert "11 农业农村局 0 ⚠ 1 0 ⚠ 1 — — 0 0" in rows  # printed 0 where one person asked: marked, the sum beside
    absent = {r.split(" ")[0] for r in rows if "无2025年报告" in r}
    assert {"公安局", "国有资产管理局", "社会事业局", "自然资源与生态环境局"} <= absent
    agencies = {r.split(" ")[1] for r in ranked} | absent | {"平潭综合实验区"}
    assert len(agencies) >= 19  # the zone's own report, 14 agencies ranked, the rest without a 2025 report
    assert any(r.startswith("合计（14个机关） 102 96 56.2%") for r in rows)
    texts = chromium.execute_script(
        "return [...document.querySelectorAll('.govlib-chart svg text')].map(t => t.textContent)")
    assert "交通与建设局" in texts and "平潭综合实验区交通与建设局" not in texts  # the region's prefix dropped
    details = chromium.find_elements("css selector", "table.findings details")
    assert details and not details[0].get_attribute("open")  # every finding one click away
    details[0].click()
    assert "各类申请人之和" in details[0].text or "各办理结果之和" in details[0].text
    assert [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"] == []
    _screenshot(chromium, "brief.png")


def test_a_brief_made_again_is_the_same_file(everything, region, tmp_path):
    # nineteen agencies: enough rows that an unordered group or unique would shuffle the charts' data or the prose
    again = briefs.run(everything, tmp_path, regions=["350128"], years=[2025], jobs=1, progress=False)
    assert again.count("done") == 1
    assert (tmp_path / "2025" / "350128.html").read_bytes() == (region / "2025" / "350128.html").read_bytes()


def test_a_chinese_brief_says_each_finding_in_chinese_with_the_parsers_words_beneath(region):
    page = (region / "2025" / "350128.html").read_text(encoding="utf-8")
    # 农业农村局's glued row of section 二: where, and what it means, in Chinese; the readings in the parser's words
    assert re.search(r"<li>“规范性文件”：有多种读法，读法不一致的单元格留空<small>row normative_documents: 2 readings fit "
                     r"\(no identity decides\): [^<]*left empty</small></li>", page)
    assert "<li>“1.本机关不掌握相关政府信息”：总计印为0，各类申请人之和为1</li>" in page  # a broken identity: its numbers say it all
    assert "<li>row " not in page  # no finding with a row of the template left in the parser's words alone


def test_a_one_agency_brief_draws_only_what_its_data_can_show(region, chromium):
    chromium.get((region / "2020" / "610927.html").as_uri())
    marks = _drawn(chromium, 3)  # requests, applicants, proactive disclosure
    assert len(marks) == 3 and all(n > 5 for n in marks)
    text = chromium.find_element("tag name", "body").text
    for sentence in ("本地区只有一个机关（镇坪县）有报告，不作排名", "本地区只有2020年的数字，不画本年新收申请的逐年变化图",
                     "没有机关同时有2019年和2020年的数字", "公开率无法计算：镇坪县的报告中“（二）部分公开”的总计栏为空白"):
        assert sentence in text
    _screenshot(chromium, "brief-one-agency.png")


def test_markup_in_an_agency_name_never_reaches_the_page_as_markup(tmp_path, chromium):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (RAW / "seeds" / "003_c7348176eda313db.txt").read_text(encoding="utf-8")
    (raw / "x.txt").write_text(text.replace("晋江市紫帽镇人民政府 2020年",
                                            "晋江市紫帽镇<script>alert(1)</script><b>人民政府 2020年"), encoding="utf-8")
    processed = tmp_path / "processed"
    corpus.parse_to([raw], processed, progress=False)
    agency = pl.read_parquet(processed / "reports.parquet")["agency"][0]
    assert "<script>" in agency  # kept as printed in the data
    out = tmp_path / "reports"
    assert not briefs.run(processed, out, progress=False).failed
    page = (out / "2020" / "350582.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;" in page
    assert "\\u003cscript\\u003ealert(1)" in page  # inside chart specs, "<" is escaped
    chromium.get((out / "2020" / "350582.html").as_uri())
    _drawn(chromium, 1)
    assert chromium.execute_script("return document.querySelectorAll('b').length") == 0
    assert chromium.execute_script("return document.querySelectorAll('script:not(.govlib-spec)').length") == 2
    assert "<script>alert(1)</script>" in chromium.find_element("tag name", "h1").text + chromium.find_element(
        "css selector", ".govlib-figures").text  # the agency's name, shown as text where a brief names it
    labels = chromium.execute_script("return [...document.querySelectorAll('.govlib-chart svg text')].map(t => t.textContent)")
    assert any("紫帽镇<script>" in t for t in labels)  # drawn as text (shortened to fit), never run


def test_both_notebooks_run_under_papermill_with_a_real_kernel(processed, tmp_path):
    import papermill

    for name in ("explore", "regional_brief"):
        nb = papermill.execute_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"), str(tmp_path / f"{name}.ipynb"),
                                        parameters={"data_dir": str(processed)}, kernel_name="python3",
                                        progress_bar=False, cwd=str(ROOT / "notebooks"))
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        if name == "explore":
            assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
        else:
            charts = [o for o in outputs if 'class="govlib-spec"' in o.get("data", {}).get("text/html", "")]
            assert len(charts) == 8


def test_committed_notebooks_have_no_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), path.name


def test_a_brief_kernel_has_imported_what_charts_need_before_its_first_cell_runs(tmp_path):
    import papermill

    from govlib.briefs import runner

    probe = tmp_path / "probe.ipynb"
    probe.write_text(json.dumps({
        "cells": [{"id": "p", "cell_type": "code", "metadata": {"tags": ["parameters"]}, "outputs": [],
                   "execution_count": None, "source": "x = 1"},
                  {"id": "q", "cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": "import sys, threading\n"
                             "print(sorted(n for n in ('polars', 'altair') if n in sys.modules),\n"
                             "      [t.name for t in threading.enumerate() if t.name == 'govlib-preload'],\n"
                             "      sys.modules.get('anywidget', 'imported'), sys.modules.get('rfc3987_syntax', 'imported'))"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")

    def printed(nb):
        return "".join(o.get("text", "") for o in nb.cells[-1].outputs).strip()

    # in a brief kernel: imported by then, the thread ended, and before Altair the widget and checkers kept out
    assert printed(runner.execute(probe, tmp_path / "brief.ipynb", {"x": 2})) == "['altair', 'polars'] [] None None"
    # an ordinary kernel has imported neither
    plain = papermill.execute_notebook(str(probe), str(tmp_path / "plain.ipynb"), kernel_name="python3",
                                       progress_bar=False)
    assert printed(plain).startswith("[] []")


@pytest.mark.parametrize("marked", [True, False])
def test_only_kernels_started_by_govlib_briefs_skip_interpreter_teardown_and_widgets(tmp_path, marked):
    import os
    import subprocess
    import sys

    from govlib.briefs.kernel import KERNEL_ENV

    # An exit handler registered before govlib.briefs.page runs after it (atexit is last-in, first-out): it runs only when
    # the process tears down normally.
    code = ("import atexit, pathlib, sys, ipykernel\n"
            f"atexit.register(pathlib.Path({str(tmp_path / 'teardown')!r}).touch)\n"
            "import govlib.briefs.page, altair\n"
            "print('done', 'ipywidgets' in sys.modules, flush=True)\n")
    env = {k: v for k, v in os.environ.items() if k != KERNEL_ENV} | ({KERNEL_ENV: "1"} if marked else {})
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"done {not marked}\n"  # a brief kernel draws no widget: it never imports ipywidgets
    assert (tmp_path / "teardown").exists() is not marked
