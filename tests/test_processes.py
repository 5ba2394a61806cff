"""Processes: a worker killed by the kernel costs only its file, and killing `govlib parse` or `govlib briefs` (SIGKILL
or SIGTERM) leaves no process behind and the previous output as it was, byte for byte. Real processes, killed by
pid at a chosen point (``GOVLIB_KILL_AT``)."""

import shutil
import signal
from pathlib import Path

import polars as pl
import pytest

from govlib import corpus

from .conftest import SAMPLE
from .processes import python, run_measured, tagged_env, wait_until_gone
from .test_outputs import snapshot

VICTIM = "pingtan-2023.txt"


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """The sample reports in one folder, and the tables they give when parsed in one process."""
    folder = tmp_path_factory.mktemp("raw")
    for p in sorted(p for sample in SAMPLE for p in sample.rglob("*.txt")):
        shutil.copy(p, folder / p.name)
    return folder, corpus.parse_corpus(folder, progress=False)


def parse_in_workers(folder: Path, out: Path, **env: str):
    """`govlib parse --jobs 2` in a process of its own, its two workers started even for a dozen files."""
    env, tag = tagged_env(GOVLIB_PARALLEL_FROM="2", **env)
    done = run_measured(python("-m", "govlib", "parse", str(folder), "--out", str(out), "--jobs", "2", "--quiet",
                               "--force"), env=env, timeout=240)
    return done, tag


def test_a_worker_killed_on_a_file_costs_that_file_only_and_leaves_no_process(raw, tmp_path):
    # before: BrokenProcessPool, and no output at all
    folder, serial = raw
    out = tmp_path / "out"
    done, tag = parse_in_workers(folder, out, GOVLIB_KILL_AT=f"parse:{VICTIM}")  # the file kills every worker
    assert done.returncode == 1, done.stderr
    failures = pl.read_parquet(out / "failures.parquet")
    assert failures.rows() == [(str(folder / VICTIM), (
        f"{folder / VICTIM}: the worker process parsing it was killed by SIGKILL (the kernel's out-of-memory killer "
        f"sends it), and so did a fresh one that tried it alone; it was left out (a report that needs more memory "
        f"than the machine has, or a crash: please report this file)"))]
    kept = [f for f in serial.reports["file"] if not f.endswith(VICTIM)]
    reports = pl.read_parquet(out / "reports.parquet")
    assert reports["file"].to_list() == kept
    apps = pl.read_parquet(out / "applications.parquet")
    expected = serial.applications.filter(pl.col("report_id").is_in(reports["report_id"].to_list()))
    assert apps.equals(expected)  # every other report exactly as parsed in one process
    assert wait_until_gone(tag) == []


def test_a_file_whose_worker_was_killed_once_is_parsed_again_alone(raw, tmp_path):
    folder, serial = raw
    out = tmp_path / "out"
    done, tag = parse_in_workers(folder, out, GOVLIB_KILL_AT=f"parse:{VICTIM}",
                                 GOVLIB_KILL_ONCE=str(tmp_path / "killed-once"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "killed-once").exists()  # a worker did die on it
    assert pl.read_parquet(out / "failures.parquet").height == 0
    for table in ("reports", "applications", "proactive", "review_litigation", "findings"):
        assert pl.read_parquet(out / f"{table}.parquet").equals(getattr(serial, table)), table
    assert wait_until_gone(tag) == []


@pytest.mark.parametrize("how", ["KILL", "TERM"])
def test_killing_parse_leaves_the_previous_tables_and_no_process(raw, tmp_path, how):
    # before: pool workers and the resource tracker kept running for good
    folder, _ = raw
    out = tmp_path / "out"
    parse_in_workers(folder, out)
    before = snapshot(out)
    (folder / ".keep").touch()
    done, tag = parse_in_workers(folder, out, GOVLIB_KILL_AT="parsing", GOVLIB_KILL_SIGNAL=how)
    if how == "KILL":
        assert done.returncode == -signal.SIGKILL
    else:  # stopped like Ctrl-C: temporary folder and lock removed
        assert done.returncode == 1 and done.stderr.strip().endswith("Aborted!"), done.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert wait_until_gone(tag) == []
    assert snapshot(out) == before


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    corpus.parse_to(SAMPLE, out, progress=False)
    return out


def test_killing_briefs_stops_its_workers_and_their_kernels(processed, tmp_path):
    # before: brief workers went on and overwrote pages after the main process died
    out = tmp_path / "briefs"
    env, tag = tagged_env(GOVLIB_KILL_AT="briefs-running")
    done = run_measured(python("-m", "govlib", "briefs", "--data", str(processed), "--out", str(out), "--jobs", "2",
                               "--quiet"), env=env, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert wait_until_gone(tag, 60) == []  # workers at once; their kernels within a second or two
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert 1 <= len(pages) < 6  # the first brief was made when the run was killed, not all six


def test_workers_give_results_in_order_and_lose_only_the_item_that_kills_or_raises():
    from govlib.workers import map_in_workers

    items = [1, 2, 13, 3, -4, 5, 6]
    results = list(map_in_workers("tests.processes:square_or_fail", items, 2, lambda item, how: f"lost {item}: {how}"))
    assert results == [1, 4, "lost 13: was killed by SIGKILL (the kernel's out-of-memory killer sends it), and so did "
                              "a fresh one that tried it alone", 9, "lost -4: raised ValueError: negative: -4", 25, 36]


def test_a_worker_frees_the_reference_cycles_parsing_leaves_every_so_many_items():
    # the collector is paused in workers (it made them 10% slower than the same parse in the parent) and runs every
    # COLLECT_EVERY items, so memory stays bounded however long the batch
    from govlib.workers import COLLECT_EVERY, map_in_workers

    alive = list(map_in_workers("tests.processes:make_a_cycle", list(range(2 * COLLECT_EVERY + 5)), 1,
                                lambda item, how: how))
    assert alive[:COLLECT_EVERY] == list(range(1, COLLECT_EVERY + 1))  # the cycles build up ...
    assert alive[COLLECT_EVERY] == 1  # ... and the pass after item COLLECT_EVERY freed all of them
    assert max(alive) == COLLECT_EVERY


def test_a_batch_parsed_in_process_frees_reference_cycles_every_so_many_reports():
    import gc
    import weakref

    from govlib.corpus import _collector_paused
    from govlib.workers import COLLECT_EVERY

    class Node:
        pass

    refs = []
    with _collector_paused() as now_and_then:
        for _ in range(COLLECT_EVERY - 1):
            a, b = Node(), Node()
            a.other, b.other = b, a
            refs.append(weakref.ref(a))
            del a, b
            now_and_then()
        assert not gc.isenabled() and all(r() is not None for r in refs)  # no pass yet
        now_and_then()
        assert all(r() is None for r in refs)
    assert gc.isenabled()
