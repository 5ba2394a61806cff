"""`govlib parse`: tables written atomically, Excel-ready CSVs, cheap re-runs, an honest exit status."""

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

import govlib
from govlib import corpus
from govlib.cli import cli

from .conftest import RAW, SAMPLE


@pytest.fixture
def raw_copy(tmp_path):
    dst = tmp_path / "raw"
    for folder in SAMPLE:
        shutil.copytree(folder, dst / folder.name)
    return dst


def test_parse_writes_every_table_joined_on_report_id(raw_copy, tmp_path):
    out = tmp_path / "processed"
    result = CliRunner().invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "parsed 12 reports" in result.output
    tables = {t: pl.read_parquet(out / f"{t}.parquet") for t in corpus.TABLES}
    reports = tables["reports"]
    assert reports.height == 12
    assert reports.filter(pl.col("agency") == "平潭综合实验区")["year"].sort().to_list() == list(range(2019, 2026))
    apps = tables["applications"]
    assert reports["template"].to_list().count("2019") == 6
    assert apps.height == 6 * 23 * 7 + 6 * 25 * 7
    joined = apps.join(reports.select("report_id", "agency", "year"), on="report_id")
    cell = joined.filter((pl.col("agency") == "平潭综合实验区") & (pl.col("year") == 2025)
                         & (pl.col("row") == "new_received") & (pl.col("applicant") == "total"))
    assert cell["value"].to_list() == [154]
    assert tables["failures"].height == 0
    assert set(tables["findings"]["rule"]) >= {"I3", "ambiguous", "layout", "missing_row", "blank_table"}
    assert json.loads((out / "manifest.json").read_text())["reports"] == 12


def test_csv_files_open_in_excel(raw_copy, tmp_path):
    out = tmp_path / "processed"
    CliRunner().invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--csv", "--quiet"])
    data = (out / "reports.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert "博爱县柏山镇人民政府" in data.decode("utf-8-sig")


def test_a_rerun_with_unchanged_inputs_does_nothing(raw_copy, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    runner = CliRunner()
    runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    before = (out / "applications.parquet").stat().st_mtime_ns
    monkeypatch.setattr(corpus, "parse_corpus", lambda *a, **k: pytest.fail("parsed again"))
    result = runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert result.exit_code == 0 and "up to date" in result.output
    assert (out / "applications.parquet").stat().st_mtime_ns == before


def test_tables_made_by_other_govlib_code_are_parsed_again(raw_copy, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    runner = CliRunner()
    runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert json.loads((out / "manifest.json").read_text())["govlib"] == govlib.code_fingerprint()
    monkeypatch.setattr(corpus, "code_fingerprint", lambda: "0.1.0+other")  # e.g. after a pull, same version
    result = runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert "parsed 12 reports" in result.output
    assert json.loads((out / "manifest.json").read_text())["govlib"] == "0.1.0+other"


def test_the_code_fingerprint_follows_every_file_of_the_package(tmp_path):
    package = tmp_path / "govlib"
    shutil.copytree(Path(govlib.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    digest = govlib.files_digest(package)
    assert govlib.code_fingerprint() == f"{govlib.__version__}+{digest}"
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.pyc").write_bytes(b"bytecode")
    assert govlib.files_digest(package) == digest  # caches are not code
    codebook = package / "data" / "codebook.csv"
    codebook.write_bytes(codebook.read_bytes() + b"\n")
    assert govlib.files_digest(package) != digest


def _township(out, agency):
    row = pl.read_parquet(out / "reports.parquet").filter(pl.col("agency") == agency).row(0, named=True)
    return row["township_code"], row["region_method"]


def test_a_mapping_at_the_top_of_the_folder_places_reports_and_a_changed_one_is_applied(raw_copy, tmp_path):
    out = tmp_path / "processed"
    runner = CliRunner()
    runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert _township(out, "永正镇") == ("621025104", "text")  # placed by the places its own text names
    # the reports sit in seeds/ and pingtan/; the mapping beside them, one folder up, still wins
    (raw_copy / "regions.csv").write_text("file,region_code\nseeds/002_c3db75ac4ce109b2.txt,621025100\n",
                                          encoding="utf-8")
    result = runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert "parsed 12 reports" in result.output  # a new mapping is a changed input, not "up to date"
    assert _township(out, "永正镇") == ("621025100", "manifest")
    (raw_copy / "regions.csv").write_text("file,region_code\nseeds/002_c3db75ac4ce109b2.txt,621025101\n",
                                          encoding="utf-8")
    runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert _township(out, "永正镇") == ("621025101", "manifest")


def test_a_changed_input_is_parsed_again(raw_copy, tmp_path):
    out = tmp_path / "processed"
    runner = CliRunner()
    runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    (raw_copy / "seeds" / "000_081dc9eb37983e65.txt").unlink()
    result = runner.invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert "parsed 11 reports" in result.output
    assert pl.read_parquet(out / "reports.parquet").height == 11


def test_failures_are_listed_and_the_exit_status_says_so(raw_copy, tmp_path):
    (raw_copy / "broken.txt").write_bytes(b"")
    out = tmp_path / "processed"
    result = CliRunner().invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    assert result.exit_code == 1
    assert "Error: 1 file(s) could not be parsed" in result.output
    failures = pl.read_parquet(out / "failures.parquet")
    assert failures["file"].to_list() == [str(raw_copy / "broken.txt")]
    assert pl.read_parquet(out / "reports.parquet").height == 12  # the rest of the batch


def test_an_interrupted_write_leaves_the_previous_output_intact(raw_copy, tmp_path, monkeypatch):
    out = tmp_path / "processed"
    CliRunner().invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--quiet"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def crash(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pl.DataFrame, "write_parquet", crash)
    with pytest.raises(KeyboardInterrupt):
        corpus.parse_to([raw_copy], out, force=True, progress=False)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".processed")] == []


def test_an_unreadable_source_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_worker_processes_give_the_same_tables_in_the_same_order(raw_copy, tmp_path, monkeypatch):
    # every bundled report, a file that is not a report, a file in a format not read: parsed in this process and by
    # two spawned workers (a batch this small is parsed in workers only because the threshold is lowered)
    (raw_copy / "not-a-report.txt").write_text("会议纪要\n今天天气很好。", encoding="utf-8")
    (raw_copy / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    from govlib import workers

    started = []

    class Worker(workers._Worker):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self.proc.pid)

    monkeypatch.setattr(workers, "_Worker", Worker)
    serial = corpus.parse_corpus(raw_copy, progress=False, jobs=2)  # 14 files: fewer than PARALLEL_FROM
    assert started == []
    monkeypatch.setattr(corpus, "PARALLEL_FROM", 2)
    parallel = corpus.parse_corpus(raw_copy, progress=False, jobs=2)
    assert len(started) == 2
    assert parallel.reports.height == 12 and len(parallel.failures_list) == 2
    for name in corpus.TABLES:
        assert getattr(parallel, name).equals(getattr(serial, name)), name


def test_the_command_takes_a_number_of_workers(raw_copy, tmp_path):
    result = CliRunner().invoke(cli, ["parse", str(raw_copy), "--out", str(tmp_path / "out"), "--quiet",
                                      "--jobs", "2"])
    assert result.exit_code == 0 and "parsed 12 reports" in result.output  # 12 files: parsed in this process


def test_every_csv_reads_back_with_polars_default_settings(raw_copy, tmp_path):
    # before: could not parse '0元' as dtype f64 at column 'text'
    out = tmp_path / "processed"
    CliRunner().invoke(cli, ["parse", str(raw_copy), "--out", str(out), "--csv", "--quiet"])
    for table in corpus.TABLES:
        csv = pl.read_csv(out / f"{table}.csv")
        assert csv.height == pl.read_parquet(out / f"{table}.parquet").height, table
    proactive = pl.read_csv(out / "proactive.csv")
    assert proactive.schema["text"] == pl.String and proactive.schema["value"] == pl.Float64
    # the printed text where it says more than the value; empty where it prints exactly the value
    money = proactive.filter(pl.col("text") == "12975800元")
    assert money["value"].to_list() == [1297.58]
    plain = pl.read_parquet(out / "proactive.parquet").filter(pl.col("text") == "5")
    assert plain.height and proactive.filter(pl.col("text") == "5").height == 0


def test_csv_cells_a_spreadsheet_would_run_are_neutralised_but_parquet_keeps_them(tmp_path, monkeypatch):
    # before: "=HYPERLINK(…)" from a file name went into the CSV as is, for Excel to run
    raw = tmp_path / "raw"
    raw.mkdir()
    names = ["=HYPERLINK(evil).txt", "+cmd.txt", "-2+3.txt", "@SUM(A1).txt", "plain.txt"]
    for name in names:
        (raw / name).write_bytes((RAW / "pingtan" / "pingtan-2025.txt").read_bytes())
    monkeypatch.chdir(raw)  # files named relative to here: the names start the cells
    result = CliRunner().invoke(cli, ["parse", ".", "--out", "../out", "--csv", "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(pl.read_parquet(tmp_path / "out" / "reports.parquet")["file"]) == sorted(names)
    csv = pl.read_csv(tmp_path / "out" / "reports.csv")
    assert sorted(csv["file"]) == sorted(["'=HYPERLINK(evil).txt", "'+cmd.txt", "'-2+3.txt", "'@SUM(A1).txt",
                                          "plain.txt"])
    # a cell that starts with one of the characters is marked, a signed number or a dash is data
    frame = corpus.for_excel(pl.DataFrame({"file": ["=HYPERLINK(evil)", "+cmd", "-2+3", "@SUM(A1)", "\tx",
                                                    "+207", "-", "平潭"]}))
    assert frame["file"].to_list() == ["'=HYPERLINK(evil)", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "+207", "-",
                                       "平潭"]
    # in a column of words, a text polars would read as a number is marked as text too
    frame = corpus.for_excel(pl.DataFrame({"text": ["12.50", "-5", "0元", None]}))
    assert frame["text"].to_list() == ["'12.50", "'-5", "0元", None]
