"""One batch of every hostile kind of file, made here, with good reports among them, parsed by `govlib parse` in a
process of its own with two workers: every good report exactly as parsed alone, every bad file listed with a one-line
reason, exit status 1, and the whole run under 1 GB of memory."""

import ctypes
import os
import shutil

import polars as pl

from govlib import corpus

from . import hostile
from .conftest import RAW
from .processes import python, run_measured, tagged_env, wait_until_gone

GOOD = ["pingtan/pingtan-2024.txt", "pingtan/pingtan-2025.txt", "seeds/003_c7348176eda313db.txt",
        "seeds/004_1ca4751f2c2053c2.txt"]


def _without_root_override():
    """Run the child as root without the power to read what permissions forbid (this suite runs as root, whom a
    mode of 000 does not stop): drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from what it may execute with."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_batch_of_hostile_files_lists_each_bad_one_parses_the_good_ones_exactly_in_bounded_memory(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    good = []
    for name in GOOD:
        good.append(raw / f"good-{name.split('/')[-1]}")
        shutil.copy(RAW / name, good[-1])
    word = hostile.docx_report()
    good.append(raw / "good-word.docx")
    good[-1].write_bytes(word)
    bad = {  # file → what its failure row must say
        "bomb.docx": "its XML unpacks to 40 MB",
        "broken.docx": "its XML is damaged",
        "laughs.docx": "declares a DTD",
        "nested.docx": "nests deeper than any real report's",
        "huge-text.docx": "a single text of over ten million characters",
        "paragraphs.docx": "paragraphs, more than any annual report has",
        "scan.pdf": "it needs OCR",
        "empty.txt": "the file is empty",
        "binary.txt": "this is a binary file",
        "huge.txt": "more than any annual report",
        "oom.txt": "the worker process parsing it was killed by SIGKILL",
        "pipe.txt": "not a regular file but a FIFO",
        "gone.txt": "which does not exist",
        "locked": "a folder that cannot be read (Permission denied)",
    }
    for name, make in [("bomb.docx", lambda word: hostile.xml_bomb(word, mib=40)), ("broken.docx", hostile.broken_markup),
                       ("laughs.docx", hostile.entity_amplification), ("nested.docx", hostile.nested_tables),
                       ("huge-text.docx", hostile.huge_text_node), ("paragraphs.docx", hostile.many_paragraphs)]:
        (raw / name).write_bytes(make(word))
    (raw / "scan.pdf").write_bytes(hostile.scanned_pdf_with_page_numbers())
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x89PNG\x00\x01" * 1000)
    (raw / "huge.txt").write_bytes(b"9" * (17 * 2 ** 20))
    shutil.copy(RAW / "seeds" / "000_081dc9eb37983e65.txt", raw / "oom.txt")  # its worker dies, as if out of memory
    os.mkfifo(raw / "pipe.txt")
    (raw / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (raw / "locked").mkdir()
    shutil.copy(RAW / "seeds" / "001_4760a96778e8f996.txt", raw / "locked" / "hidden-from-us.txt")
    (raw / "locked").chmod(0)
    # files that parse, with what is wrong with them as findings
    (raw / os.fsdecode(b"name-\xe9.txt")).write_bytes((RAW / "seeds" / "002_c3db75ac4ce109b2.txt").read_bytes())
    (raw / "glued-1000-digits.txt").write_bytes(hostile.glued_digits(1000))
    text = (RAW / "pingtan" / "pingtan-2023.txt").read_text(encoding="utf-8")
    (raw / "cut-off.txt").write_text(text[: text.index("（四）无法提供")], encoding="utf-8")
    (raw / "regions.csv").write_bytes("file,region_code\r\ngood-pingtan-2025.txt,350128\r\n".encode("gbk"))

    env, tag = tagged_env(GOVLIB_PARALLEL_FROM="2", GOVLIB_KILL_AT="parse:oom.txt")
    out = tmp_path / "out"
    try:
        done = run_measured(python("-m", "govlib", "parse", str(raw), "--out", str(out), "--jobs", "2", "--quiet"),
                            env=env, timeout=300, preexec_fn=_without_root_override)
    finally:
        (raw / "locked").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert done.max_rss_mb < 1024, done.max_rss_mb
    assert wait_until_gone(tag) == []

    failures = dict(pl.read_parquet(out / "failures.parquet").iter_rows())
    assert sorted(failures) == sorted(str(raw / name) for name in bad)
    for name, words in bad.items():
        reason = failures[str(raw / name)]
        assert words in reason and reason.startswith(f"{raw / name}: ") and "\n" not in reason, reason
    assert f"Error: {len(bad)} file(s) could not be parsed (3 of them skipped" in done.stderr

    reports = pl.read_parquet(out / "reports.parquet")
    apps = pl.read_parquet(out / "applications.parquet")
    for path in good:  # exactly as parsed on their own
        alone = corpus.read_report(path)
        row = reports.filter(pl.col("file") == str(path))
        assert row.height == 1, path
        mine = apps.filter(pl.col("report_id") == row["report_id"].item()).drop("report_id")
        assert mine.equals(alone.applications), path
    assert reports.filter(pl.col("file") == str(raw / "good-pingtan-2025.txt"))["region_method"].item() == "manifest"
    findings = pl.read_parquet(out / "findings.parquet").join(reports.select("report_id", "file"), on="report_id")
    rules = lambda name: set(findings.filter(pl.col("file") == str(raw / name))["rule"])  # noqa: E731
    assert "unreadable" in rules("glued-1000-digits.txt")
    assert "truncated" in rules("cut-off.txt")
    assert str(raw) + "/name-\\xe9.txt" in reports["file"].to_list()
