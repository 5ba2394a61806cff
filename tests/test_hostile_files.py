"""Files that are not what they seem — names that are not UTF-8, pipes, dangling links, unreadable folders, Word files
whose XML is broken or built to exhaust memory: each is listed with a one-line reason, and the batch goes on."""

import os
import shutil

import polars as pl
import pytest
from click.testing import CliRunner

from govlib import ParseError, corpus, limits, parse_report
from govlib.cli import cli

from . import hostile
from .conftest import RAW
from .processes import python, run_measured

GOOD = RAW / "seeds" / "003_c7348176eda313db.txt"


def govlib(*args: str, timeout: float = 120):
    """The command line in a process of its own: a command that blocked would fail the test, not hang it."""
    return run_measured(python("-m", "govlib", *args), timeout=timeout)


def test_a_file_name_that_is_not_utf8_is_stored_readably_and_listed_like_any_other(tmp_path):
    # before: UnicodeEncodeError … surrogates not allowed, and nothing written
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / "good.txt")
    (raw / os.fsdecode(b"bad_\xe9.txt")).write_bytes(GOOD.read_bytes())
    (raw / os.fsdecode(b"empty_\xff.txt")).write_bytes(b"")
    done = govlib("parse", str(raw), "--out", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 1, done.stderr
    reports = pl.read_parquet(tmp_path / "out" / "reports.parquet")
    assert sorted(reports["file"].to_list()) == [f"{raw}/bad_\\xe9.txt", f"{raw}/good.txt"]
    failures = pl.read_parquet(tmp_path / "out" / "failures.parquet")
    assert failures.rows() == [(f"{raw}/empty_\\xff.txt",
                                f"{raw}/empty_\\xff.txt: the file is empty; expected the text of an annual report")]
    assert f"failed: {raw}/empty_\\xff.txt: the file is empty" in done.stderr


def test_a_fifo_given_directly_is_refused_without_waiting_on_it(tmp_path):
    # before: `govlib parse FIFO` and `govlib show FIFO` waited for a writer forever
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    shown = govlib("show", str(fifo), timeout=60)
    assert shown.returncode == 1
    assert shown.stderr.strip() == (f"Error: {fifo}: not a regular file but a FIFO (named pipe); govlib reads only "
                                    f"files, never waits on a pipe or a device")
    parsed = govlib("parse", str(fifo), "--out", str(tmp_path / "out"), timeout=60)
    assert parsed.returncode == 1
    assert f"no report files in {fifo}" in parsed.stderr and "a FIFO (named pipe)" in parsed.stderr


def test_pipes_dangling_links_and_unreadable_folders_in_a_folder_are_listed_with_their_reason(tmp_path, monkeypatch):
    # before: skipped without a word (and a FIFO named like a report blocked the batch)
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "locked").mkdir()
    (raw / "elsewhere").mkdir()
    shutil.copy(GOOD, raw / "sub" / "good.txt")
    os.mkfifo(raw / "pipe.txt")
    (raw / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (raw / "linked").symlink_to(raw / "elsewhere", target_is_directory=True)
    (raw / "notes.csv").write_text("not a report", encoding="utf-8")  # not a report's suffix: not looked at
    real_scandir = os.scandir

    def scandir(path="."):  # this test runs as root, whom permissions do not stop: the folder refuses here
        if not isinstance(path, int) and os.fspath(path) == str(raw / "locked"):  # (shutil.rmtree passes fds)
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = corpus.scan([raw])
    assert found.files == [raw / "sub" / "good.txt"]
    assert found.skipped == [
        (f"{raw}/gone.txt", f"{raw}/gone.txt: a symbolic link to {tmp_path}/nowhere.txt, which does not exist; "
                            f"skipped"),
        (f"{raw}/linked", f"{raw}/linked: a symbolic link to a folder, not followed; give that folder itself to "
                          f"parse it"),
        (f"{raw}/locked", f"{raw}/locked: a folder that cannot be read (Permission denied); the reports in it, if "
                          f"any, are not parsed"),
        (f"{raw}/pipe.txt", f"{raw}/pipe.txt: not a regular file but a FIFO (named pipe); skipped, never read"),
    ]
    result = CliRunner().invoke(cli, ["parse", str(raw), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    assert "parsed 1 reports" in result.output
    assert "Error: 4 file(s) could not be parsed (4 of them skipped: not regular files or not readable)" in \
        result.output
    failures = pl.read_parquet(tmp_path / "out" / "failures.parquet")
    assert failures["file"].to_list() == [path for path, _ in found.skipped]


def test_a_folder_without_reports_is_an_error_and_nothing_is_written(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "raw"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: no report files in {tmp_path / 'raw'} (govlib reads files ending in "
                                    f".txt, .md, .text, .html, .htm, .docx, .doc, .pdf); nothing was written")
    assert not (tmp_path / "out").exists()


KINDS = {  # hostile Word XML → the sentence that names what is wrong with it
    "broken_markup": r"its XML is damaged \(.*line 2, column \d+\); open it in Word and save it again",
    "entity_amplification": r"its XML \(word/document\.xml\) declares a DTD \(<!DOCTYPE …>\), which Word never "
                            r"writes and which entity expansion attacks need; the file is refused, not read",
    "nested_tables": r"its XML nests deeper than any real report's \(tables inside tables inside tables …\); the "
                     r"file is refused, not read",
    "huge_text_node": r"its XML holds a single text of over ten million characters, more than any real report; the "
                      r"file is refused, not read",
    "xml_bomb": r"its XML unpacks to 14\d MB, more than any annual report's \(govlib reads at most 32 MB\); the "
                r"file is refused, not read",
    "many_paragraphs": r"30,\d{3} paragraphs, more than any annual report has \(govlib reads at most 20,000\); the "
                       r"file is refused, not read",
}


@pytest.fixture(scope="module")
def word_file():
    return hostile.docx_report()


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_word_xml_is_a_one_line_error_naming_the_file(word_file, kind, tmp_path):
    # before: "unexpected XMLSyntaxError … (please report this)", or 4 GB and a minute for 148 MB of XML
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(getattr(hostile, kind)(word_file))
    with pytest.raises(ParseError, match=rf"^{path}: {KINDS[kind]}$"):
        corpus.read_report(path)


def test_show_prints_one_line_and_no_traceback_for_broken_word_xml(word_file, tmp_path):
    # before: a 63-line traceback
    path = tmp_path / "broken.docx"
    path.write_bytes(hostile.broken_markup(word_file))
    result = CliRunner().invoke(cli, ["show", str(path)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith(f"Error: {path}: its XML is damaged (")


def test_the_word_file_the_hostile_ones_are_made_from_reads_normally(word_file, tmp_path):
    path = tmp_path / "good.docx"
    path.write_bytes(word_file)
    assert parse_report(path).meta.format == "docx"


def test_a_file_larger_than_any_report_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes(GOOD.read_bytes())
    with pytest.raises(ParseError, match=rf"^{big}: \d+ bytes, more than any annual report \(govlib reads files of "
                                         r"at most 1000 bytes of this kind\)"):
        corpus.read_report(big)


def test_a_scanned_pdf_whose_only_text_is_its_page_numbers_says_it_needs_ocr(tmp_path):
    # before: "not an annual report … the section 二 … could not be found"
    path = tmp_path / "scan.pdf"
    path.write_bytes(hostile.scanned_pdf_with_page_numbers())
    with pytest.raises(ParseError, match=rf"^{path}: this PDF has no text layer but page numbers \(4 page\(s\) of "
                                         r"images, as from a scanner\); it needs OCR before govlib can read it"):
        corpus.read_report(path)


def test_word_xml_is_parsed_without_entity_expansion_or_lxmls_huge_tree():
    # python-docx's parser is the one that reads Word XML: a dependency upgrade must not turn these limits off
    from docx.oxml.parser import oxml_parser
    from lxml import etree

    doc = etree.fromstring(b'<!DOCTYPE r [<!ENTITY e "expanded">]><r>&e;</r>', oxml_parser)
    assert "expanded" not in etree.tostring(doc).decode()
    with pytest.raises(etree.XMLSyntaxError, match="Text node too long|huge text node"):
        etree.fromstring(b"<r>" + b"9" * 11_000_000 + b"</r>", oxml_parser)
