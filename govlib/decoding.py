"""Bytes to text: encodings, HTML, Word and PDF tables, folded (``text.fold``) and cleaned of Word artefacts.

Every input becomes one text in which tables are laid out one cell per line, each cell line starting with a tab
(a blank cell is a line holding only a tab) and rows separated by an empty line — one of the layouts real text files
already use, so that a single reader serves text, HTML and DOCX alike.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import limits
from . import pdf as fast_pdf
from .charsets import DecodeError, decode_text
from .errors import ParseError, UnsupportedFormatError
from .text import fold

TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIXES = (".docx",)
DOC_SUFFIXES = (".doc",)
PDF_SUFFIXES = (".pdf",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES + DOC_SUFFIXES + PDF_SUFFIXES
# Whether a PDF page's first table row is the rest of the row the previous page ended with: given that last row (its
# first line, its cells' texts and boxes) and the new row's cells (box, text). The caller knows what a label is.
Continues = Callable[[tuple[int, list[str], list], list[tuple[tuple, str]]], bool]

_ARTEFACT = re.compile(r"\[bookmark:[^\]\n]*\]|\{#[^}\n]*\}|<!--.*?-->")


def _blank_out(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


@dataclass(frozen=True)
class Document:
    """A decoded, folded report text, with where each of its lines came from."""

    path: str
    text: str
    encoding: str
    format: str
    source_lines: tuple[int, ...] | None = None  # for HTML: the source line of each text line
    positions: tuple[tuple[int, str] | None, ...] | None = None  # for PDF: (page, cell box) of each text line

    def source_line(self, line: int) -> int:
        if self.source_lines is None or line < 1 or line > len(self.source_lines):
            return line
        return self.source_lines[line - 1]


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-byte pattern), GB18030/GBK."""
    try:
        return decode_text(data, path)
    except DecodeError as e:
        raise ParseError(str(e)) from None


def _clean(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = fold(text)
    if "[bookmark:" in text or "{#" in text or "<!--" in text:  # Word artefacts are rare: no scan without one
        text = _ARTEFACT.sub(_blank_out, text)
    return text


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def kind_of(mode: int) -> str:
    """What a file system object that is not a regular file is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def size_limit(path: str | Path) -> int:
    """The largest report file govlib reads (``limits``): text and web pages are smaller than PDF and Word."""
    suffix = Path(path).suffix.lower()
    return limits.MAX_TEXT_BYTES if suffix in TEXT_SUFFIXES + HTML_SUFFIXES or suffix == "" else limits.MAX_FILE_BYTES


def _mb(size: int) -> str:
    return f"{size / limits.MIB:.0f} MB" if size >= limits.MIB else f"{size} bytes"


def read_file(path: str | Path) -> bytes:
    """The bytes of a report file, read without ever blocking: a FIFO, a device or a socket is refused before it is
    read (opened non-blocking, checked with ``fstat``), and so is a file larger than any report (``size_limit``)."""
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise ParseError(f"{p}: cannot be read ({e.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ParseError(f"{p}: not a regular file but {kind_of(st.st_mode)}; govlib reads only files, "
                             f"never waits on a pipe or a device")
        limit = size_limit(p)
        if st.st_size > limit:
            raise ParseError(f"{p}: {_mb(st.st_size)}, more than any annual report (govlib reads files of at most "
                             f"{_mb(limit)} of this kind); check that this is the report, not an archive or a scan")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise ParseError(f"{p}: cannot be read ({e.strerror})") from None
    finally:
        os.close(fd)
    if size > limit:  # it grew while it was read
        raise ParseError(f"{p}: more than {_mb(limit)}, more than any annual report; govlib does not read it")
    return b"".join(chunks)


def read_document(path: str | Path, data: bytes | None = None, continues: Continues | None = None) -> Document:
    """Read a report file of any supported format into a ``Document``; ``continues`` tells a PDF table row broken
    across a page (see ``pdf_text``)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if data is None:
        data = read_file(p)
    if suffix in DOCX_SUFFIXES:
        return Document(str(p), _clean(docx_text(data, str(p))), "docx", "docx")
    if suffix in DOC_SUFFIXES:
        return Document(str(p), _clean(docx_text(doc_to_docx(data, str(p)), str(p))), "doc", "doc")
    if suffix in PDF_SUFFIXES:
        try:  # PDFium, ten times faster; what it cannot rebuild exactly, pdfplumber reads
            text, positions = fast_pdf.pdf_text(data, str(p), continues)
        except fast_pdf.Inexact:
            text, positions = pdf_text(data, str(p), continues)
        return Document(str(p), _clean(text), "pdf", "pdf", positions=positions)
    if suffix in HTML_SUFFIXES:
        text, encoding = decode(data, str(p))
        lines, origin = html_text(text, str(p))
        return Document(str(p), _clean(lines), encoding, "html", origin)
    if suffix in TEXT_SUFFIXES or suffix == "":
        text, encoding = decode(data, str(p))
        if _HTML_TABLE_START.search(text):  # Markdown with its tables written in HTML, as PDF-to-Markdown tools do
            text, origin = _html_tables_in_text(text, str(p))
            return Document(str(p), _clean(text), encoding, "text", origin)
        return Document(str(p), _clean(text), encoding, "text")
    raise UnsupportedFormatError(
        f"{p}: files ending in {suffix!r} are not read; convert the report to one of {', '.join(SUFFIXES)}")


# --- HTML -----------------------------------------------------------------------------------------------------------

_HTML_TABLE_START = re.compile(r"<table[\s>]", re.I)
_HTML_TABLE = re.compile(r"<table[\s>].*?</table\s*>", re.I | re.S)


def _html_tables_in_text(text: str, path: str) -> tuple[str, tuple[int, ...]]:
    """A text (Markdown, say) whose tables are HTML: each table flattened as a web page's is, one cell a line, and
    the rest of the text left as it is; with the line of the file each line comes from."""
    lines: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _HTML_TABLE.finditer(text):
        first = text.count("\n", 0, pos) + 1
        for i, line in enumerate(text[pos:m.start()].split("\n")):
            lines.append(line)
            origin.append(first + i)
        start = text.count("\n", 0, m.start()) + 1
        flat, where = html_text(m.group(0), path)
        for line, source in zip(flat.split("\n"), where):
            lines.append(line)
            origin.append(start + max(source, 1) - 1)
        pos = m.end()
    first = text.count("\n", 0, pos) + 1
    for i, line in enumerate(text[pos:].split("\n")):
        lines.append(line)
        origin.append(first + i)
    return "\n".join(lines), tuple(origin)

# a table that holds another table lays out the page (a site's frame around the article): its cells are blocks
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "section", "article", "header",
          "footer", "blockquote", "pre", "title", "ul", "ol", "dl", "dt", "dd", "hr", "center", "table"}
_SKIP = {"script", "style", "head", "noscript", "template"}


def _cell_text(el) -> str:
    """A table cell's text with its line breaks removed (wrapped headers such as 商业<br>企业 join up)."""
    return re.sub(r"\s*\n\s*", "", "".join(el.itertext())).strip()


def html_text(text: str, path: str) -> tuple[str, tuple[int, ...]]:
    """Flatten an HTML page: paragraphs as lines, each table as cell-per-line rows (see the module docstring)."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(text)
    except Exception as e:  # lxml raises several types for garbage
        raise ParseError(f"{path}: not a readable HTML page ({e})") from None
    lines: list[str] = []
    origin: list[int] = []
    buf: list[str] = []
    buf_line = [0]

    def flush() -> None:
        joined = re.sub(r"[ \t]+", " ", "".join(buf)).strip()
        if joined:
            lines.append(joined)
            origin.append(buf_line[0])
        buf.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:  # scripts, styles, comments: their text is not the report's, their tail is
            if el.tail:
                buf.append(el.tail)
            return
        if tag == "table" and next(el.iterdescendants("table"), None) is None:  # a table of data
            flush()
            for tr in el.iter("tr"):
                cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
                if not cells:
                    continue
                for c in cells:
                    lines.append("\t" + _cell_text(c))
                    origin.append(c.sourceline or 0)
                lines.append("")
                origin.append(tr.sourceline or 0)
        else:
            if tag in _BLOCK:
                flush()
            if not buf:
                buf_line[0] = el.sourceline or 0
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child)
            if tag in _BLOCK:
                flush()
        if el.tail:
            if not buf:
                buf_line[0] = el.sourceline or 0
            buf.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return "\n".join(lines), tuple(origin)


# --- DOCX -----------------------------------------------------------------------------------------------------------

def docx_text(data: bytes, path: str) -> str:
    """Flatten a Word document: paragraphs as lines, tables as cell-per-line rows; merged cells counted once. Content
    controls are read through, and a table holding other tables (a layout around the document) as blocks."""
    import io
    import zipfile

    import docx
    from docx.oxml.ns import qn
    from docx.table import Table

    import lxml.etree

    check_docx(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ParseError(f"{path}: not a readable Word (.docx) file ({e}); open it in Word and save it again") from None
    except lxml.etree.LxmlError as e:  # python-docx parses without entity expansion and without lxml's huge_tree
        raise ParseError(f"{path}: {_xml_trouble(str(e))}") from None
    lines: list[str] = []
    table_tag, cell_tag = qn("w:tbl"), qn("w:tc")

    def blocks(parent) -> None:
        for child in parent.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(_paragraph_text(child))
            elif tag == "sdt":  # a content control: its paragraphs and tables are the document's
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    blocks(content)
            elif tag == "tbl" and next(child.iterdescendants(table_tag), None) is not None:
                for tr in child.iterchildren(qn("w:tr")):  # a layout table around tables: its cells are blocks
                    for cell in tr.iterchildren(cell_tag):
                        blocks(cell)
            elif tag == "tbl":
                previous: list = []
                for row in Table(child, document).rows:
                    seen: list = []
                    for i, cell in enumerate(row.cells):
                        tc = cell._tc
                        if (seen and seen[-1] is tc) or (i < len(previous) and previous[i] is tc):
                            seen.append(tc)
                            continue  # a merged cell repeats; it is one cell
                        seen.append(tc)
                        lines.append("\t" + re.sub(r"\s*\n\s*", "", _word_cell_text(tc)).strip())
                    previous = seen
                    lines.append("")

    blocks(document.element.body)
    return "\n".join(lines)


def check_docx(data: bytes, path: str) -> None:
    """Refuse a Word file before its XML is parsed when it is beyond any real report: XML that unpacks to more
    than ``limits.MAX_DOCX_XML_BYTES`` (a few hundred KB can hold 148 MB of XML), more parts than the file may
    hold unpacked, more than ``limits.MAX_DOCX_PARAGRAPHS`` paragraphs, or a DTD (Word never writes one; entity
    expansion needs one)."""
    import io
    import zipfile

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ParseError(f"{path}: not a readable Word (.docx) file ({e}); open it in Word and save it again") from None
    xml = [i for i in infos if i.filename.lower().endswith((".xml", ".rels"))]
    xml_size = sum(i.file_size for i in xml)
    if xml_size > limits.MAX_DOCX_XML_BYTES:
        raise ParseError(f"{path}: its XML unpacks to {_mb(xml_size)}, more than any annual report's (govlib reads "
                         f"at most {_mb(limits.MAX_DOCX_XML_BYTES)}); the file is refused, not read")
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_FILE_BYTES:
        raise ParseError(f"{path}: its parts unpack to {_mb(total)}, more than any annual report's (govlib reads "
                         f"at most {_mb(limits.MAX_FILE_BYTES)}); the file is refused, not read")
    paragraphs = 0
    for info in xml:
        try:
            part = z.read(info)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
            raise ParseError(f"{path}: not a readable Word (.docx) file ({info.filename}: {e}); open it in Word "
                             f"and save it again") from None
        if b"<!DOCTYPE" in part:
            raise ParseError(f"{path}: its XML ({info.filename}) declares a DTD (<!DOCTYPE …>), which Word never "
                             f"writes and which entity expansion attacks need; the file is refused, not read")
        if info.filename.startswith("word/"):
            paragraphs += part.count(b"<w:p>") + part.count(b"<w:p ") + part.count(b"<w:p/>")
    if paragraphs > limits.MAX_DOCX_PARAGRAPHS:
        raise ParseError(f"{path}: {paragraphs:,} paragraphs, more than any annual report has (govlib reads at most "
                         f"{limits.MAX_DOCX_PARAGRAPHS:,}); the file is refused, not read")


def _xml_trouble(message: str) -> str:
    """What lxml's error about a Word file's XML means, in a sentence that says what to do."""
    first = re.sub(r" \(<string>, line \d+\)$", "", message.splitlines()[0] if message else "no detail")
    if "Excessive depth" in first:
        return ("its XML nests deeper than any real report's (tables inside tables inside tables …); the file is "
                "refused, not read")
    if "Text node too long" in first or "huge text node" in first:
        return ("its XML holds a single text of over ten million characters, more than any real report; the file "
                "is refused, not read")
    return f"its XML is damaged ({first}); open it in Word and save it again"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHOWN = {_W + "t": None, _W + "tab": "\t", _W + "ptab": "\t", _W + "br": "\n", _W + "cr": "\n",
          _W + "noBreakHyphen": "-"}  # as python-docx reads a run
_NOT_SHOWN = {_W + "del", _W + "moveFrom", _W + "txbxContent", _W + "instrText", _W + "delText"}


def _paragraph_text(p) -> str:
    """A Word paragraph's text as it reads: every run, also inside tracked insertions, inline content controls,
    smart tags and fields (python-docx's ``Paragraph.text`` reads only the runs directly under the paragraph, and a
    number typed with changes tracked would read as a blank cell); deleted text and text boxes left out."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag in _NOT_SHOWN or not isinstance(tag, str):
                continue
            if tag in _SHOWN:
                shown = _SHOWN[tag]
                out.append((child.text or "") if shown is None else shown)
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _word_cell_text(tc) -> str:
    """A table cell's paragraphs (also those in a content control), one per line; a table nested in it is not."""
    out: list[str] = []

    def blocks(el) -> None:
        for child in el:
            if child.tag == _W + "p":
                out.append(_paragraph_text(child))
            elif child.tag == _W + "sdt":
                for content in child.iterchildren(_W + "sdtContent"):
                    blocks(content)

    blocks(tc)
    return "\n".join(out)


# --- legacy Word (.doc) -----------------------------------------------------------------------------------------

def doc_to_docx(data: bytes, path: str) -> bytes:
    """Convert a Word 97–2003 file with LibreOffice (Debian's libreoffice-writer-nogui), keeping its tables."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    if not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ParseError(f"{path}: not a Word 97–2003 (.doc) file (it lacks the compound-file signature); if it "
                         f"is a newer Word file, rename it to .docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ParseError(f"{path}: reading a .doc file needs LibreOffice (Debian's libreoffice-writer-nogui); "
                         f"run `make setup`, or save the file as .docx")
    with tempfile.TemporaryDirectory(prefix="govlib-doc-") as tmp:
        src = Path(tmp) / "report.doc"
        src.write_bytes(data)
        try:
            done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                                   "--convert-to", "docx", "--outdir", tmp, str(src)],
                                  capture_output=True, text=True, timeout=180)
        except subprocess.TimeoutExpired:
            raise ParseError(f"{path}: LibreOffice did not finish converting this .doc file within 180 s") from None
        out = Path(tmp) / "report.docx"
        if done.returncode != 0 or not out.exists():
            why = (done.stderr or done.stdout or "no output").strip().splitlines()[-1:]
            raise ParseError(f"{path}: LibreOffice could not convert this .doc file ({'; '.join(why)}); "
                             f"open it in Word or LibreOffice and save it as .docx") from None
        return out.read_bytes()


# --- PDF --------------------------------------------------------------------------------------------------------

def pdf_text(data: bytes, path: str, continues: Continues | None = None
             ) -> tuple[str, tuple[tuple[int, str] | None, ...]]:
    """Flatten a PDF: text lines outside tables as lines, ruled tables as cell-per-line rows, page by page in
    reading order. Merged cells count once; each line remembers its page and box. Where ``continues`` says that a
    page's first table row is the rest of the previous page's last row (Word lets a row break across pages), the
    two are one row."""
    import io

    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except Exception as e:  # pdfminer raises many types for damaged files
        raise ParseError(f"{path}: not a readable PDF ({type(e).__name__}: {e}); the file may be damaged or "
                         f"incomplete — download it again") from None
    out = fast_pdf.PageLines(continues)
    try:
        for number, page in enumerate(pages, start=1):
            out.page(number)
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]

            def outside_tables(obj, boxes=boxes) -> bool:  # by the object's centre: a heading touching a table stays
                if "x0" not in obj or "top" not in obj:
                    return True
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

            outside = page.filter(outside_tables) if boxes else page
            items = [(line["top"], 0, line) for line in outside.extract_text_lines()]
            items += [(t.bbox[1], 1, t) for t in tables]
            for _, kind, item in sorted(items, key=lambda x: (x[0], x[1])):
                if kind == 0:
                    out.line(item["text"], (item["x0"], item["top"], item["x1"], item["bottom"]))
                    continue
                for row, texts in zip(item.rows, item.extract()):
                    out.row([(box, re.sub(r"\s*\n\s*", "", text or "").strip())
                             for box, text in zip(row.cells, texts) if box is not None])  # None: under a merged cell
    except Exception as e:
        raise ParseError(f"{path}: the PDF could not be read to the end ({type(e).__name__}: {e})") from None
    finally:
        pdf.close()
    fast_pdf.check_text_layer(out.lines, len(pages), path)
    return out.text()
