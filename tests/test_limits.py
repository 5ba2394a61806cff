"""Memory and time are bounded: glued digits, oversized Word files and slow reports each end in a finding or a
one-line error, never in gigabytes or a hang. The limits are those ``govlib.limits`` holds and the README publishes."""

import textwrap

import pytest

from govlib import limits, parse_report
from govlib.cells import count_splits, splits

from . import hostile
from .conftest import ROOT
from .processes import python, run_measured

GIB = 2 ** 30


def _parse_in_a_child(path, memory: int = GIB, timeout: float = 120):
    """Parse one file in a child process limited to ``memory`` bytes of address space; its findings printed."""
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
        from govlib import parse_report
        r = parse_report({str(path)!r})
        for f in r.finding_list:
            print(f.rule, f.cells, "|", f.message)
    """)
    return run_measured(python("-c", code), timeout=timeout)


@pytest.mark.parametrize("digits, sign", [(1000, ""), (1000, "-"), (100, "")])
def test_a_long_run_of_glued_digits_is_left_empty_in_bounded_memory_and_time(tmp_path, digits, sign):
    # before: 1,000 digits took over 6 GB (with a sign among them) or ran for hours; 100 digits took 72 s
    path = tmp_path / "glued.txt"
    path.write_bytes(hostile.glued_digits(digits, sign))
    done = _parse_in_a_child(path, timeout=30)
    assert done.returncode == 0, done.stderr[-2000:]
    other = [line for line in done.stdout.splitlines() if "applications.other×" in line]
    # left empty, with a finding that says why: beyond the limits, or too many cuts that fit (100 digits)
    assert [line for line in other if line.startswith(("unreadable", "ambiguous"))], done.stdout
    assert done.max_rss_mb < 300
    if digits > 7 * limits.MAX_NUMBER_CHARS:
        assert f"its glued digits run {digits + len(sign)} characters long, more than its 7 cells can print" in \
            other[0]


def test_the_other_rows_of_a_report_with_an_endless_run_are_still_read(tmp_path):
    path = tmp_path / "glued.txt"
    path.write_bytes(hostile.glued_digits(1000))
    report = parse_report(path)
    assert all(c.value is None for (row, _), c in report.cells["applications"].items() if row == "other")
    assert report.value("applications", "new_received", "total") == 315


def test_cuts_are_listed_without_building_the_ones_that_cannot_finish():
    # forty ones into seven numbers of at most 15 digits: 2,322,215 cuts, counted; the first three listed
    assert count_splits("1" * 40, 7) == 2322215
    assert [tuple(map(len, cut)) for cut in splits("1" * 40, 7, 3)] == [
        (1, 1, 1, 1, 6, 15, 15), (1, 1, 1, 1, 7, 14, 15), (1, 1, 1, 1, 7, 15, 14)]
    assert splits("1" * 200, 7) == ()  # 200 digits cannot be seven numbers of at most 15 characters
    assert splits("12975800元", 2)[-1] == ("1297580", "0元")


def test_a_report_that_takes_longer_than_its_budget_is_a_failure_row_and_the_batch_goes_on(tmp_path, monkeypatch):
    import time

    from govlib import corpus

    for name in ("a_slow.txt", "b_good.txt"):
        (tmp_path / name).write_bytes((ROOT / "data" / "raw" / "pingtan" / "pingtan-2025.txt").read_bytes())
    real = corpus.parse_report

    def parse(path, data=None):
        if path.name == "a_slow.txt":
            time.sleep(60)  # as a report that never ends would
        return real(path, data)

    monkeypatch.setattr(corpus, "parse_report", parse)
    monkeypatch.setenv("GOVLIB_REPORT_SECONDS", "0.5")
    started = time.monotonic()
    ds = corpus.parse_corpus(tmp_path, progress=False)
    assert time.monotonic() - started < 30
    assert ds.reports["file"].to_list() == [str(tmp_path / "b_good.txt")]
    assert ds.failures_list == [(str(tmp_path / "a_slow.txt"),
                                 f"{tmp_path / 'a_slow.txt'}: parsing took longer than 0.5 s, the limit for one report "
                                 f"(a real report takes well under a second); it was given up — please report this "
                                 f"file")]


def test_the_readme_publishes_the_limits_govlib_holds():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Limits"):]
    section = section[: section.index("\n## ", 1)]
    for figure in (f"{limits.MAX_FILE_BYTES // limits.MIB} MB", f"{limits.MAX_TEXT_BYTES // limits.MIB} MB",
                   f"{limits.MAX_DOCX_XML_BYTES // limits.MIB} MB", f"{limits.MAX_DOCX_PARAGRAPHS:,}",
                   f"{limits.MAX_NUMBER_CHARS} characters", f"{limits.GLUED_STEPS:,}",
                   f"{limits.REPORT_SECONDS:g} s"):
        assert figure in section, figure
