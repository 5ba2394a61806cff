"""The notebooks in a real JupyterLab, run in a real headless Chromium with the network cut off: every chart draws
from installed packages, the explorer's controls, table and export work, nothing is requested from outside the
machine, and a notebook saved after running leaves git nothing to commit. And `make lab` as root and as a user."""

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from govlib import corpus

from .browser import offline_chromium
from .conftest import RAW, ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
NOTEBOOKS = ROOT / "notebooks"
TOKEN = "govlib-test"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


# --- JupyterLab and the browser --------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(root, *args) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True,
                          timeout=60).stdout


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory):
    """The layout the notebooks expect (notebooks/ beside data/processed): a git repository holding copies of the
    committed notebooks, .gitignore and .gitattributes, with the notebook filter as `make setup` defines it."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "exports"))
    for name in (".gitignore", ".gitattributes"):
        shutil.copy(ROOT / name, root / name)
    corpus.parse_to([RAW], root / "data" / "processed", progress=False)  # as `make run` parses it: 117 reports
    _git(root, "init", "-q")
    for key, value in (("user.name", "govlib tests"), ("user.email", "tests@govlib.invalid"),
                       ("commit.gpgsign", "false"), ("filter.nbstripout.clean", shlex.join(_nbstripout())),
                       ("filter.nbstripout.smudge", "cat")):
        _git(root, "config", key, value)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "the notebooks as committed")
    return root


@pytest.fixture(scope="module")
def lab(lab_root, tmp_path_factory):
    """JupyterLab on a free localhost port, with its settings, workspaces and runtime files in a temporary folder."""
    home = tmp_path_factory.mktemp("jupyter")
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)  # no news toast over the screenshots, no update check
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                           "checkForUpdates": False}))
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               IPYTHONDIR=str(home / "ipython"))
    env.pop("GOVLIB_BRIEF_KERNEL", None)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={lab_root}",
               "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: its commands run the notebook
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = home / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=lab_root)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with status {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"JupyterLab did not answer on {url} within 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = offline_chromium(tmp_path_factory.mktemp("chromium"), "1280,1700", performance_log=True)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


# --- running a notebook ----------------------------------------------------------------------------------------------

# the state of the notebook in view: its kernel, the errors in its outputs, and what each output area drew
STATE = """
const panel = jupyterapp.shell.currentWidget;
if (!panel || !panel.content || !panel.content.model) return null;
const errors = [];
const cells = panel.content.model.cells;
for (let i = 0; i < cells.length; i++) {
  const cell = cells.get(i);
  if (cell.type !== 'code') continue;
  for (let j = 0; j < cell.outputs.length; j++) {
    const o = cell.outputs.get(j).toJSON();
    if (o.output_type === 'error') errors.push(`cell ${i + 1}: ${o.ename}: ${o.evalue}`);
  }
}
const node = panel.content.node;
const charts = [...node.querySelectorAll('.jp-OutputArea-output .vega-embed')].map(e => ({
  marks: e.querySelectorAll('svg g.role-mark > path, svg g.role-mark > rect, canvas').length,
  texts: [...e.querySelectorAll('svg text')].map(t => t.textContent),
}));
const failed = [...node.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText)
  .filter(t => /JavaScript Error|Error displaying widget|Error loading script|chart failed/.test(t));
return {kernel: panel.sessionContext.session?.kernel?.status ?? 'none', errors, charts, failed};
"""


def _run_all(driver, lab: str, name: str, charts: int, timeout: float = 60) -> dict:
    """Open notebooks/<name> in JupyterLab (in the same page when it is open already), run every cell with
    JupyterLab's own "Run All" command, and wait until ``charts`` charts have drawn marks; fail saying what drew."""
    from selenium.webdriver.support.wait import WebDriverWait

    path = f"notebooks/{name}"
    if not driver.current_url.startswith(lab):
        driver.get(f"{lab}/lab/tree/{path}?token={TOKEN}")
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return !!window.jupyterapp"),
                                    "JupyterLab did not start in the browser")
    outcome = driver.execute_async_script("""
        const [path, done] = arguments;
        (async () => {
          await jupyterapp.started; await jupyterapp.restored;
          const panel = await jupyterapp.commands.execute('docmanager:open', {path});
          jupyterapp.shell.activateById(panel.id);
          if (!jupyterapp.shell.leftCollapsed) jupyterapp.commands.execute('application:toggle-left-area');
          await panel.context.ready; await panel.sessionContext.ready;
          const ran = await jupyterapp.commands.execute('notebook:run-all-cells');
          done({ran});
        })().catch(error => done({error: String(error)}));
    """, path)
    assert "error" not in outcome, f"{name}: JupyterLab could not run the notebook: {outcome['error']}"
    state = {}

    def drawn(d):
        nonlocal state
        state = d.execute_script(STATE) or {}
        if state.get("errors") or state.get("failed"):
            return True  # no point waiting
        done = [c for c in state.get("charts", []) if c["marks"] > 0]
        return len(done) >= charts and state.get("kernel") == "idle"

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.25).until(drawn)
    except Exception:  # the message below says what did draw
        pass
    assert not state.get("errors"), f"{name}: cells raised {state['errors']}"
    assert not state.get("failed"), f"{name}: outputs show errors: {state['failed']}"
    marks = [c["marks"] for c in state.get("charts", [])]
    assert len([m for m in marks if m > 0]) >= charts, (
        f"{name}: {charts} charts should have drawn within {timeout:.0f} s; found {len(marks)} chart areas with "
        f"{marks} marks (kernel {state.get('kernel')!r}); browser log: {_severe(driver)}")
    return state


def _severe(driver) -> list[str]:
    return [e["message"][:300] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def _outside(urls: list[str]) -> list[str]:
    """URLs that would have left the machine (data:, blob: and chrome: URLs never do)."""
    return sorted({u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(u).hostname not in LOCAL_HOSTS})


def _save(driver) -> None:
    saved = driver.execute_async_script("""
        const done = arguments[0];
        jupyterapp.commands.execute('docmanager:save').then(() => done(true), error => done(String(error)));
    """)
    assert saved is True, f"JupyterLab could not save the notebook: {saved}"


def _nbstripout() -> list[str]:
    """The git filter of `make setup` (the Makefile's NBSTRIPOUT), with this interpreter's nbstripout."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("NBSTRIPOUT :="))
    command = shlex.split(line.split(":=", 1)[1])
    command[0] = str(shutil.which("nbstripout", path=os.path.dirname(sys.executable)))
    return command


def _nothing_to_commit(root, notebook: str) -> None:
    saved = (root / "notebooks" / notebook).read_bytes()
    assert b'"output_type"' in saved  # JupyterLab saved outputs: there was something to strip
    _git(root, "add", "-A")  # (git status lists a file whose size changed until it is added; git diff does not)
    assert _git(root, "status", "--porcelain") == ""  # the notebooks as committed; checkpoints and exports ignored


# --- the explorer ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def explorer(lab, browser, lab_root):
    state = _run_all(browser, lab, "explore.ipynb", charts=1)
    return {"state": state, "urls": _requested_urls(browser)}


def test_the_explorer_draws_its_comparison_chart_offline(explorer):
    chart = next(c for c in explorer["state"]["charts"] if c["marks"])
    assert chart["marks"] >= 42  # a bar and a point for each of six agencies' seven years (lines and axes aside)
    assert "本年新收申请" in chart["texts"] and "平潭综合实验区" in chart["texts"]  # drawn as text, in Chinese


def test_the_explorer_shows_its_controls_and_the_numbers(explorer, browser):
    from selenium.webdriver.common.by import By

    node = browser.execute_script("return jupyterapp.shell.currentWidget.content.node")
    labels = [e.text for e in node.find_elements(By.CSS_SELECTOR, ".widget-label")]
    assert {"地区 Region", "机关 Agencies", "指标 Metric", "年度 Years"} <= set(labels), labels
    options = node.find_elements(By.CSS_SELECTOR, ".widget-select-multiple select option")
    assert len(options) >= 24 and len([o for o in options if o.is_selected()]) == 6  # six regions' agencies
    table = node.find_element(By.CSS_SELECTOR, "table.govlib-compare")
    rows = [r.text for r in table.find_elements(By.TAG_NAME, "tr")]
    assert rows[0].split() == ["机关", "Agency", "2019", "2020", "2021", "2022", "2023", "2024", "2025"]
    assert any(r.startswith("平潭综合实验区 23 21 70 74 81 218 154") for r in rows), rows


# every agency of the list chosen at once, as a shift-click over it does: one change for the widget
SELECT_ALL = """
const select = arguments[0].querySelector('.widget-select-multiple select');
for (const option of select.options) option.selected = true;
select.dispatchEvent(new Event('change', {bubbles: true}));
"""


def test_the_explorer_compares_the_nineteen_agencies_of_a_region(explorer, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    node = browser.execute_script("return jupyterapp.shell.currentWidget.content.node")
    region = Select(node.find_element(By.CSS_SELECTOR, ".widget-dropdown select"))
    region.select_by_value(next(o.get_attribute("value") for o in region.options if "平潭县" in o.text))
    listed = ("return [...arguments[0].querySelectorAll('.widget-select-multiple select option')]"
              ".map(o => o.text.replace(/\\u00a0/g, ' '))")  # (ipywidgets lists them with no-break spaces)
    try:
        WebDriverWait(browser, 30).until(lambda d: "交通与建设局 (6)" in d.execute_script(listed, node))
    except Exception:
        pytest.fail(f"the agencies of 平潭县 were not listed by their names within the region: "
                    f"{browser.execute_script(listed, node)[:8]}; region {region.first_selected_option.text}")
    options = node.find_elements(By.CSS_SELECTOR, ".widget-select-multiple select option")
    assert len(options) >= 19
    browser.execute_script(SELECT_ALL, node)
    rows = "return arguments[0].querySelectorAll('table.govlib-compare tr').length"
    WebDriverWait(browser, 60).until(lambda d: d.execute_script(rows, node) == len(options) + 1,
                                     "the table did not list every agency of the region")
    texts = "return [...arguments[0].querySelectorAll('.vega-embed svg text')].map(t => t.textContent)"
    WebDriverWait(browser, 60).until(lambda d: "金井片区管理局" in d.execute_script(texts, node),
                                     "the chart was not redrawn with the region's agencies")
    table = node.find_element(By.CSS_SELECTOR, "table.govlib-compare").text
    assert "农业农村局 0 0 3 0 0 ⚠ 7 0 ⚠ 3 0 ⚠ 1" in table  # printed totals, never bare beside the applicants'
    assert "平潭综合实验区交通与建设局" not in table  # names within the region
    time.sleep(1)  # the chart's last frame
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "explorer.png"))


def test_the_explorer_redraws_its_chart_in_english_when_asked(explorer, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    node = browser.execute_script("return jupyterapp.shell.currentWidget.content.node")
    next(b for b in node.find_elements(By.CSS_SELECTOR, "button") if b.text == "英文图表 · English").click()
    texts = "return [...arguments[0].querySelectorAll('.vega-embed svg text')].map(t => t.textContent)"
    WebDriverWait(browser, 20).until(lambda d: "New requests" in d.execute_script(texts, node),
                                     "the chart was not redrawn with English labels")
    # nineteen agencies are a heat map: its note on disagreeing totals is in English too
    assert any("the printed total, and the sum of the applicant columns" in t
               for t in browser.execute_script(texts, node))


def test_the_explorer_exports_the_selection_from_its_button(explorer, browser, lab_root):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    node = browser.execute_script("return jupyterapp.shell.currentWidget.content.node")
    button = next(b for b in node.find_elements(By.CSS_SELECTOR, "button") if "Export CSV and Excel" in b.text)
    button.click()
    WebDriverWait(browser, 20).until(lambda d: "已导出" in node.text, "no message after the export button was pressed")
    exports = lab_root / "notebooks" / "exports"
    assert sorted(p.name for p in exports.iterdir()) == ["govlib_new_requests_350128_2019-2025.csv",
                                                         "govlib_new_requests_350128_2019-2025.xlsx"]
    assert str(exports / "govlib_new_requests_350128_2019-2025.csv") in node.text  # says where
    csv = (exports / "govlib_new_requests_350128_2019-2025.csv").read_text(encoding="utf-8-sig")
    assert csv.startswith("机关 Agency,地区 Region,年度 Year,指标 Metric,数值 Value")
    links = node.find_elements(By.CSS_SELECTOR, "a[download]")
    assert [link.text for link in links] == ["CSV", "XLSX"]


def test_the_explorer_asks_nothing_of_the_network(explorer):
    assert explorer["urls"], "the browser's network log is empty: it did not record the page's requests"
    assert _outside(explorer["urls"]) == []


def test_the_explorer_saved_after_running_leaves_git_nothing_to_commit(explorer, browser, lab_root):
    _save(browser)
    _nothing_to_commit(lab_root, "explore.ipynb")


# --- the brief notebook ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def brief(lab, browser, explorer):  # after the explorer: the same JupyterLab page opens a second notebook
    state = _run_all(browser, lab, "regional_brief.ipynb", charts=9)  # (its requests include the explorer's clicks)
    return {"state": state, "urls": _requested_urls(browser)}


def test_the_brief_notebook_draws_the_nineteen_agencies_nine_charts_in_jupyterlab(brief, browser):
    charts = [c for c in brief["state"]["charts"] if c["marks"]]  # the notebook's own region: 平潭县, 2025
    assert len(charts) == 9 and all(c["marks"] >= 1 for c in charts)
    texts = [t for c in charts for t in c["texts"]]
    assert "依申请公开办理结果" in texts and "交通与建设局" in texts and "管委会办公室" in texts
    node = browser.execute_script("return jupyterapp.shell.currentWidget.content.node")
    ranking = browser.execute_script("return arguments[0].querySelector('table.ranking').innerText", node)
    assert "本级报告，可能包含下列机关" in ranking and "合计（14个机关）" in ranking
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "brief-in-lab.png"))


def test_the_brief_notebook_asks_nothing_of_the_network(brief):
    assert _outside(brief["urls"]) == []


def test_the_brief_notebook_saved_after_running_leaves_git_nothing_to_commit(brief, browser, lab_root):
    _save(browser)
    _nothing_to_commit(lab_root, "regional_brief.ipynb")


# --- make lab --------------------------------------------------------------------------------------------------------

@pytest.mark.skipif(not shutil.which("make"), reason="no make")
def test_make_lab_allows_root_only_to_root():
    def lab_command(*user):
        run = subprocess.run([*user, "make", "-n", "-s", "-C", str(ROOT), "lab"], capture_output=True, text=True,
                             timeout=60)
        return next(line for line in run.stdout.splitlines() if "jupyter lab" in line)

    assert ("--allow-root" in lab_command()) == (os.geteuid() == 0)
    if os.geteuid() == 0 and shutil.which("setpriv"):  # and as somebody else
        assert "--allow-root" not in lab_command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
