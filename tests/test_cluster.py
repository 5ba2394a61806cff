"""On a Dask cluster (here a LocalCluster of two worker processes) govlib writes the same tables as in this
process."""

import polars as pl
import pytest
from click.testing import CliRunner

from govlib import corpus
from govlib.cli import cli

from .conftest import RAW, SAMPLE

distributed = pytest.importorskip("distributed", reason="the dask extra is part of the test extra")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_a_corpus_parsed_on_a_cluster_is_the_corpus_parsed_here(cluster, tmp_path):
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01" * 50)
    paths = [*SAMPLE, tmp_path]
    here = corpus.parse_corpus(paths, progress=False)
    there = corpus.parse_corpus(paths, progress=False, scheduler=cluster.scheduler_address)
    for name in corpus.TABLES:
        assert getattr(there, name).equals(getattr(here, name)), name
    assert there.reports.height == 12 and [f for f, _ in there.failures_list] == [str(tmp_path / "broken.txt")]


def test_govlib_parse_on_a_cluster_writes_the_same_tables(cluster, tmp_path):
    runner = CliRunner()
    local = runner.invoke(cli, ["parse", *map(str, SAMPLE), "--out", str(tmp_path / "here"), "--quiet"])
    remote = runner.invoke(cli, ["parse", *map(str, SAMPLE), "--out", str(tmp_path / "there"), "--quiet",
                                 "--scheduler", cluster.scheduler_address])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert remote.output.replace("there", "here") == local.output
    for name in corpus.TABLES:
        assert pl.read_parquet(tmp_path / "there" / f"{name}.parquet").equals(
            pl.read_parquet(tmp_path / "here" / f"{name}.parquet")), name


def test_a_scheduler_that_does_not_answer_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["parse", str(RAW / "pingtan"), "--out", str(tmp_path / "out"), "--quiet",
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no Dask scheduler answers at tcp://127.0.0.1:9")
    assert not (tmp_path / "out").exists()


def test_briefs_made_on_a_cluster_are_the_same_files(cluster, tmp_path):
    data = tmp_path / "processed"
    corpus.parse_to(SAMPLE, data, progress=False)
    runner = CliRunner()
    made = {}
    for where, extra in (("here", []), ("there", ["--scheduler", cluster.scheduler_address])):
        out = tmp_path / where
        result = runner.invoke(cli, ["briefs", "--data", str(data), "--out", str(out), "--quiet", "--region", "410822",
                                     "--region", "500110", *extra])
        assert result.exit_code == 0, result.output
        made[where] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}
    assert sorted(made["there"]) == ["2019/500110.html", "2020/410822.html", "index.html"]
    assert made["there"] == made["here"]  # byte for byte
