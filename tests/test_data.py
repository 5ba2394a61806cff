"""data/raw is kept as obtained: every file has its provenance row in data/raw/SOURCES.csv, byte for byte."""

import csv
import hashlib

from .conftest import AGENCIES, RAW


def _sources() -> dict[str, dict]:
    with open(RAW / "SOURCES.csv", encoding="utf-8", newline="") as f:
        return {row["file"]: row for row in csv.DictReader(f)}


def test_every_bundled_file_has_one_provenance_row_whose_sha256_matches_its_bytes():
    sources = _sources()
    files = sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file()
                   and p.name != "SOURCES.csv")
    assert sorted(sources) == files
    for name, row in sources.items():
        assert hashlib.sha256((RAW / name).read_bytes()).hexdigest() == row["sha256"], name
        assert row["agency"] and row["year"].isdigit() and row["source"], name


def test_the_pingtan_agencies_are_106_reports_of_18_agencies_with_their_crawl_record_beside_them():
    sources = {k: v for k, v in _sources().items() if k.startswith("pingtan-agencies/")}
    assert len(sources) == 106
    assert len({row["agency"] for row in sources.values()}) == 18
    assert {row["year"] for row in sources.values()} == {str(y) for y in range(2019, 2026)}
    with open(AGENCIES / "SOURCES.csv", encoding="utf-8", newline="") as f:  # the crawl's own record, as copied
        crawled = {row["file"]: row["sha256"] for row in csv.DictReader(f)}
    assert {f"pingtan-agencies/{k}": v for k, v in crawled.items()} == {k: v["sha256"] for k, v in sources.items()}
