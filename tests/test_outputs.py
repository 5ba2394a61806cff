"""Output folders: govlib never replaces an input or a folder of the user's, and a killed run leaves a complete set."""

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from govlib import corpus, outputs
from govlib.briefs import runner as briefs
from govlib.cli import cli
from govlib.metrics import Tables

from .conftest import RAW, ROOT


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    """A small project: data/raw with three reports, a README beside data/."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    for name in ("pingtan/pingtan-2024.txt", "pingtan/pingtan-2025.txt", "seeds/004_1ca4751f2c2053c2.txt"):
        (raw / Path(name).name).write_bytes((RAW / name).read_bytes())
    (tmp_path / "README.md").write_text("my notes\n", encoding="utf-8")
    return tmp_path


def parse(*args: str):
    return CliRunner().invoke(cli, ["parse", *args, "--quiet"])


@pytest.mark.parametrize("out", ["data/raw", "data", ".", "data/raw/inside"])
def test_parse_refuses_an_output_folder_that_is_holds_or_lies_inside_its_input(project, out, monkeypatch):
    monkeypatch.chdir(project)
    before = snapshot(project)
    result = parse("data/raw", "--out", out)
    assert result.exit_code == 1
    assert "refusing to write parse output" in result.output and "input" in result.output
    assert snapshot(project) == before  # nothing deleted, nothing added


def test_parse_refuses_a_folder_of_the_users_own_files(project):
    mine = project / "results"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"chapter one")
    result = parse(str(project / "data" / "raw"), "--out", str(mine))
    assert result.exit_code == 1
    assert "holds files govlib did not write (thesis.docx)" in result.output
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]


def test_parse_writes_into_a_new_an_empty_or_its_own_folder(project):
    out = project / "processed"
    assert parse(str(project / "data" / "raw"), "--out", str(out)).exit_code == 0
    assert json.loads((out / "manifest.json").read_text())[outputs.MARKER_KEY] == "govlib parse"
    assert parse(str(project / "data" / "raw"), "--out", str(out), "--force").exit_code == 0  # its own: replaced
    empty = project / "empty"
    empty.mkdir()
    (empty / ".gitkeep").touch()
    assert parse(str(project / "data" / "raw"), "--out", str(empty)).exit_code == 0
    assert (empty / "reports.parquet").exists()


def test_an_output_that_is_a_symbolic_link_is_written_through_and_kept(project):
    real = project / "elsewhere" / "tables"
    real.mkdir(parents=True)
    link = project / "processed"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):  # a new folder, then the folder replaced
        assert parse(str(project / "data" / "raw"), "--out", str(link), "--force").exit_code == 0
        assert link.is_symlink() and link.resolve() == real.resolve()
        assert pl.read_parquet(real / "reports.parquet").height == 3


def test_the_output_folder_keeps_its_mode_or_gets_the_umasks(project):
    out = project / "processed"
    old = os.umask(0o022)
    try:
        parse(str(project / "data" / "raw"), "--out", str(out))
        assert stat.S_IMODE(out.stat().st_mode) == 0o755  # not mkdtemp's 0700
        out.chmod(0o750)
        parse(str(project / "data" / "raw"), "--out", str(out), "--force")
        assert stat.S_IMODE(out.stat().st_mode) == 0o750
    finally:
        os.umask(old)


def run_killed(project: Path, out: Path, point: str, exchange: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOVLIB_KILL_AT": point}
    if not exchange:
        env["GOVLIB_NO_EXCHANGE"] = "1"
    return subprocess.run([sys.executable, "-m", "govlib", "parse", str(project / "data" / "raw"), "--out", str(out),
                           "--quiet", "--force"], env=env, cwd=ROOT, capture_output=True, timeout=120)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.is_dir())


@pytest.mark.parametrize("point,exchange", [("before-swap", True), ("between-renames", False)])
def test_a_run_killed_while_writing_leaves_the_previous_tables_byte_for_byte(project, point, exchange):
    out = project / "processed"
    assert parse(str(project / "data" / "raw"), "--out", str(out)).exit_code == 0
    before = snapshot(out)
    (project / "data" / "raw" / "pingtan-2024.txt").unlink()  # the next run would write other tables
    killed = run_killed(project, out, point, exchange)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert leftovers(out)  # the killed run's folders are still there ...
    if point == "between-renames":
        assert not out.exists()  # ... and without an atomic exchange, the folder is gone until someone reads it
        Tables.load(out)  # a reader puts the previous set back
    assert snapshot(out) == before
    assert parse(str(project / "data" / "raw"), "--out", str(out)).exit_code == 0
    assert leftovers(out) == []  # the next run cleans up
    assert pl.read_parquet(out / "reports.parquet").height == 2


def test_a_run_killed_after_the_swap_leaves_the_new_tables_complete(project):
    out = project / "processed"
    parse(str(project / "data" / "raw"), "--out", str(out))
    (project / "data" / "raw" / "pingtan-2024.txt").unlink()
    killed = run_killed(project, out, "after-swap")
    assert killed.returncode == -signal.SIGKILL
    assert pl.read_parquet(out / "reports.parquet").height == 2
    assert json.loads((out / "manifest.json").read_text())["reports"] == 2
    parse(str(project / "data" / "raw"), "--out", str(out))
    assert leftovers(out) == []


def test_a_second_run_into_the_same_folder_says_who_is_writing_it(project):
    out = project / "processed"
    with outputs.locked(out, "parse"):
        result = parse(str(project / "data" / "raw"), "--out", str(out))
    assert result.exit_code == 1
    assert f"another govlib run is writing {out} (pid {os.getpid()}, govlib parse)" in result.output
    assert not out.exists()
    assert parse(str(project / "data" / "raw"), "--out", str(out)).exit_code == 0  # the lock died with its holder


def test_writing_a_dataset_from_python_is_guarded_too(project):
    ds = corpus.parse_corpus(project / "data" / "raw", progress=False)
    with pytest.raises(outputs.OutputError, match="it holds the input"):
        ds.write(project / "data")
    assert len(list((project / "data" / "raw").iterdir())) == 3


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    corpus.parse_to([RAW / "pingtan" / "pingtan-2025.txt"], out, progress=False)
    return out


@pytest.mark.parametrize("where", ["data", "inside", "parent"])
def test_briefs_refuse_an_output_folder_that_is_holds_or_lies_inside_their_data(processed, where):
    out = {"data": processed, "inside": processed / "briefs", "parent": processed.parent}[where]
    before = snapshot(processed)
    result = CliRunner().invoke(cli, ["briefs", "--data", str(processed), "--out", str(out), "--quiet"])
    assert result.exit_code == 1 and "refusing to write briefs output" in result.output
    assert snapshot(processed) == before


def test_briefs_refuse_a_folder_of_the_users_own_files(processed, tmp_path):
    (tmp_path / "draft.md").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["briefs", "--data", str(processed), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 1 and "holds files govlib did not write (draft.md)" in result.output


def test_leftovers_of_killed_brief_runs_are_cleaned_and_a_failed_runs_notebook_kept(tmp_path):
    year = tmp_path / "2025"
    year.mkdir()
    (year / ".350128.json").write_text(json.dumps({"status": "done"}), encoding="utf-8")
    (year / ".350582.json").write_text(json.dumps({"status": "failed"}), encoding="utf-8")
    stray = [".350128.html.ab12_x9z", ".350128.html.k2j4h5g6.tmp", "..350128.json.q1w2e3r4.tmp", ".350128.log",
             "350128.ipynb", "500110.ipynb"]
    kept = ["350128.html", "350582.ipynb", ".350582.log", "350582.html"]
    for name in stray + kept:
        (year / name).write_text("x", encoding="utf-8")
    briefs.clean_leftovers(tmp_path)
    assert sorted(p.name for p in year.iterdir()) == sorted(kept + [".350128.json", ".350582.json"])


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_damaged_table_is_not_up_to_date_and_is_written_again(project):
    # before: a truncated Parquet file was reported "up to date"
    out = project / "processed"
    assert parse(str(project / "data" / "raw"), "--out", str(out)).exit_code == 0
    before = snapshot(out)
    _truncate(out / "applications.parquet")
    result = parse(str(project / "data" / "raw"), "--out", str(out))
    assert result.exit_code == 0
    assert f"{out / 'applications.parquet'} was damaged (its checksum is not the manifest's): parsed again" in \
        result.output
    assert "up to date" not in result.output
    assert snapshot(out) == before  # the same tables, written again
    assert "up to date" in parse(str(project / "data" / "raw"), "--out", str(out)).output


def test_regions_and_briefs_name_a_damaged_table(project, tmp_path):
    # before: a Polars traceback
    out = project / "processed"
    parse(str(project / "data" / "raw"), "--out", str(out))
    _truncate(out / "reports.parquet")
    expected = (f"Error: {out / 'reports.parquet'} is damaged: its sha256 is not the one `govlib parse` recorded "
                f"in manifest.json; run `govlib parse --force` to write the tables again")
    regions = CliRunner().invoke(cli, ["regions", "--data", str(out)])
    assert regions.exit_code == 1 and regions.output.strip() == expected
    made = CliRunner().invoke(cli, ["briefs", "--data", str(out), "--out", str(tmp_path / "briefs"), "--quiet"])
    assert made.exit_code == 1 and made.output.strip() == expected


def test_the_manifest_holds_no_absolute_path_and_a_checksum_of_every_table(project):
    out = project / "processed"
    parse(str(project / "data" / "raw"), "--out", str(out), "--csv")
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert str(project) not in text
    manifest = json.loads(text)
    assert [p for p, _, _ in manifest["inputs"]] == ["../data/raw/004_1ca4751f2c2053c2.txt",
                                                     "../data/raw/pingtan-2024.txt", "../data/raw/pingtan-2025.txt"]
    assert manifest["sha256"] == {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                  for p in out.iterdir() if p.suffix in (".parquet", ".csv")}
    assert len(manifest["sha256"]) == 12
