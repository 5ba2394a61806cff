"""PDF to text with pypdfium2: the same lines and cell boxes as ``decoding.pdf_text`` (pdfplumber), ten times faster.

pdfplumber reads a PDF through pdfminer, which interprets every page's content in Python and builds an object per
character; that is most of the time a PDF takes. Here PDFium (C++) parses the file and lays out the characters, and
this module rebuilds from its objects exactly the characters and ruling lines pdfminer gives pdfplumber, then finds
the tables, cells and text lines as pdfplumber's table finder and text extraction do (their algorithms, rewritten
for the few settings govlib uses).

Exact means bit for bit: a box is printed rounded to the point, and a coordinate pdfminer computes as
184.49999999999997 prints 184 where 184.5 would print 184 or 185 by luck. So the numbers PDFium holds in single
precision are taken back to the decimals written in the file (85.05, not 85.05000305), and every coordinate is
computed from them in the order pdfminer computes it, in double precision:

- a character's box: origin = the text position plus the advances of the characters before it (width / 1000 ×
  font size, as pdfminer multiplies), height = the font size above the font descriptor's descent;
- a ruling line: its points through the transformation matrix, as pdfminer applies it.

What PDFium does not report is worked out: the widths of the characters from their advances, the kerning of TJ
arrays from the gaps between characters, and the spaces PDFium leaves out of its text (it drops the space glyphs a
PDF draws and inserts its own): a gap of a space's width is a space, as pdfminer sees it. PDFium also does not give
the font descriptor's descent pdfminer uses (it substitutes metrics from the font program when the descriptor says
0), so descriptors are read from the file itself.

What cannot be worked out exactly — fractional glyph widths (PDFium keeps whole numbers), Type 3 fonts, character
spacing and horizontal scaling, text PDFium drops as a duplicate, a cross-reference table PDFium would repair —
raises ``Inexact``, and the caller reads that PDF with pdfplumber::

    try:
        text, positions = pdf.pdf_text(data, path, continues)
    except pdf.Inexact:
        text, positions = decoding.pdf_text(data, path, continues)

as ``decoding.read_document`` does (``continues``, the test for a table row broken across a page, is the caller's).
"""

from __future__ import annotations

import ctypes
import math
import re
import struct
import threading
import zlib
from ctypes import POINTER, byref, c_float, c_int, c_uint, c_ulong, c_ushort, c_void_p
from bisect import bisect_left, bisect_right
from itertools import compress, filterfalse, groupby, repeat
from operator import itemgetter

from .errors import ParseError
from .text import fold


class Inexact(Exception):
    """The PDF uses something this module cannot rebuild exactly as pdfminer would (a font it cannot match to its
    descriptor, a Type 3 font, fractional widths, character spacing, a cross-reference table PDFium had to repair,
    ...): read it with ``decoding.pdf_text`` instead. Never a different answer, only a slower one."""


_MIN_TEXT_CHARS = 20  # fewer characters of text than this on all pages is a scan without a text layer
# what a scanner or a printer stamps on a page: its number ("- 5 -", "第 3 页", "第2页 共5页", "3/12", "Page 3 of 12")
_PAGE_STAMP = re.compile(r"[-—–]*\s*\d{1,4}\s*[-—–]*|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|"
                         r"\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?")
_SCALING = 1.0  # horizontal scaling (Tz) 100 %, which PDFium does not report: pdfminer's 100 * 0.01
_GENERATED = re.compile("[ \r\n\x02\ufffe]")  # what PDFium inserts between characters (marked generated)
_SURROGATE = re.compile("[\ud800-\udfff]")


# --- PDFium ---------------------------------------------------------------------------------------------------------

class _Pdfium:
    """The PDFium functions used, declared with plain pointer types: pypdfium2's declarations wrap every handle in a
    ctypes object, which costs more than the call itself when made for every character."""

    def __init__(self) -> None:
        import pypdfium2  # noqa: F401  (initialises the library)
        import pypdfium2.raw as raw

        def fn(name, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(getattr(raw, name), c_void_p).value)

        vp = c_void_p
        self.raw = raw
        self.load = fn("FPDF_LoadMemDocument64", vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p)
        self.close_doc = fn("FPDF_CloseDocument", None, vp)
        self.last_error = fn("FPDF_GetLastError", c_ulong)
        self.page_count = fn("FPDF_GetPageCount", c_int, vp)
        self.load_page = fn("FPDF_LoadPage", vp, vp, c_int)
        self.close_page = fn("FPDF_ClosePage", None, vp)
        self.rotation = fn("FPDFPage_GetRotation", c_int, vp)
        self.mediabox = fn("FPDFPage_GetMediaBox", c_int, vp, POINTER(c_float), POINTER(c_float),
                           POINTER(c_float), POINTER(c_float))
        self.count_objects = fn("FPDFPage_CountObjects", c_int, vp)
        self.form_count = fn("FPDFFormObj_CountObjects", c_int, vp)
        self.form_object = fn("FPDFFormObj_GetObject", vp, vp, c_ulong)
        self.obj_type = fn("FPDFPageObj_GetType", c_int, vp)
        self.font_name = fn("FPDFFont_GetBaseFontName", c_ulong, vp, ctypes.c_char_p, c_ulong)
        self.glyph_width = fn("FPDFFont_GetGlyphWidth", c_int, vp, c_uint, c_float, POINTER(c_float))
        self.text_page = fn("FPDFText_LoadPage", vp, vp)
        self.close_text_page = fn("FPDFText_ClosePage", None, vp)
        self.count_chars = fn("FPDFText_CountChars", c_int, vp)
        self.get_text = fn("FPDFText_GetText", c_int, vp, c_int, c_int, POINTER(c_ushort))

        # For calls made by the hundred: no declared arguments (pointers passed as c_void_p objects, which ctypes
        # hands on as they are), handles returned as ints. A third cheaper per call.
        def fast(name, restype):
            f = ctypes.CFUNCTYPE(restype)(ctypes.cast(getattr(raw, name), c_void_p).value)
            f.argtypes = None
            return f

        size_t = ctypes.c_size_t
        self.get_object_v = fast("FPDFPage_GetObject", size_t)
        self.obj_type_v = fast("FPDFPageObj_GetType", c_int)
        self.obj_matrix_v = fast("FPDFPageObj_GetMatrix", c_int)
        self.obj_bounds_v = fast("FPDFPageObj_GetBounds", c_int)
        self.font_size_v = fast("FPDFTextObj_GetFontSize", c_int)
        self.text_font_v = fast("FPDFTextObj_GetFont", size_t)
        self.segments_v = fast("FPDFPath_CountSegments", c_int)
        self.segment_v = fast("FPDFPath_GetPathSegment", size_t)
        self.segment_point_v = fast("FPDFPathSegment_GetPoint", c_int)
        self.segment_type_v = fast("FPDFPathSegment_GetType", c_int)
        self.segment_close_v = fast("FPDFPathSegment_GetClose", c_int)
        self.char_object_v = fast("FPDFText_GetTextObject", size_t)
        self.loose_box_v = fast("FPDFText_GetLooseCharBox", c_int)
        self.generated_v = fast("FPDFText_IsGenerated", c_int)
        self.unicode_v = fast("FPDFText_GetUnicode", c_uint)
        self.TEXT, self.PATH, self.FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
        self.MOVETO, self.LINETO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO
        self.c = _c_calls()
        if self.c is not None:  # the same calls from C loops: the address of each function
            self.at = {name: ctypes.cast(getattr(raw, name), c_void_p).value for name in (
                "FPDFPage_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix", "FPDFTextObj_GetFontSize",
                "FPDFTextObj_GetFont", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
                "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose", "FPDFText_GetTextObject",
                "FPDFText_GetLooseCharBox")}

    # Batches: PDFium's calls made by the hundred (each object, segment, character of a page), handles as ints. In C
    # loops where govlib.pdfium_calls is built, else one ctypes call each (handles passed as c_void_p objects).

    def objects(self, page: int, n: int) -> list[int]:
        if self.c is not None:
            return self.c.pointers_at(self.at["FPDFPage_GetObject"], page, range(n))
        return list(map(self.get_object_v, repeat(c_void_p(page), n), range(n)))

    def types(self, handles: list[int]) -> list[int]:
        if self.c is not None:
            return self.c.ints_of(self.at["FPDFPageObj_GetType"], handles)
        return list(map(self.obj_type_v, map(c_void_p, handles)))

    def matrices(self, handles: list[int]) -> list[float]:
        """a, b, c, d, e, f of each object's matrix, one after the other."""
        k = len(handles)
        if self.c is not None:
            self.c.floats_of(self.at["FPDFPageObj_GetMatrix"], handles, _FLOATS.address(6 * k), 6)
        else:
            list(map(self.obj_matrix_v, map(c_void_p, handles), _FLOATS.take(6 * k)[0:6 * k:6]))
        return _FLOATS.read(6 * k)

    def font_sizes(self, handles: list[int]) -> list[float]:
        k = len(handles)
        if self.c is not None:
            self.c.floats_of(self.at["FPDFTextObj_GetFontSize"], handles, _FLOATS.address(k), 1)
        else:
            list(map(self.font_size_v, map(c_void_p, handles), _FLOATS.take(k)[:k]))
        return _FLOATS.read(k)

    def fonts(self, handles: list[int]) -> list[int]:
        if self.c is not None:
            return self.c.pointers_of(self.at["FPDFTextObj_GetFont"], handles)
        return list(map(self.text_font_v, map(c_void_p, handles)))

    def segment_counts(self, handles: list[int]) -> list[int]:
        if self.c is not None:
            return self.c.ints_of(self.at["FPDFPath_CountSegments"], handles)
        return list(map(self.segments_v, map(c_void_p, handles)))

    def segments(self, owners: list[int], places: list[int]) -> list[int]:
        if self.c is not None:
            return self.c.pointers_of_each(self.at["FPDFPath_GetPathSegment"], owners, places)
        return list(map(self.segment_v, map(c_void_p, owners), places))

    def points(self, segments: list[int]) -> list[float]:
        """x, y of each segment's point, one after the other."""
        k = len(segments)
        if self.c is not None:
            self.c.points_of(self.at["FPDFPathSegment_GetPoint"], segments, _FLOATS.address(2 * k))
        else:
            pointers = _FLOATS.take(2 * k)
            list(map(self.segment_point_v, map(c_void_p, segments), pointers[0:2 * k:2], pointers[1:2 * k:2]))
        return _FLOATS.read(2 * k)

    def segment_kinds(self, segments: list[int]) -> tuple[list[int], list[int]]:
        """The type of each segment, and whether it closes its subpath."""
        if self.c is not None:
            return (self.c.ints_of(self.at["FPDFPathSegment_GetType"], segments),
                    self.c.ints_of(self.at["FPDFPathSegment_GetClose"], segments))
        pointers = list(map(c_void_p, segments))
        return list(map(self.segment_type_v, pointers)), list(map(self.segment_close_v, pointers))

    def char_objects(self, tp: int, indices) -> list[int]:
        """The text object of each character (0 for a character of none)."""
        if self.c is not None:
            return self.c.pointers_at(self.at["FPDFText_GetTextObject"], tp, indices)
        return list(map(self.char_object_v, repeat(c_void_p(tp), len(indices)), indices))

    def loose_boxes(self, tp: int, indices, n: int) -> None:
        """Each character's box (left, top, right, bottom) at 4 × its index in ``_FLOATS`` (of ``n`` characters)."""
        if self.c is not None:
            self.c.floats_at(self.at["FPDFText_GetLooseCharBox"], tp, indices, _FLOATS.address(4 * n), 4)
        else:
            pointers = _FLOATS.take(4 * n)
            list(map(self.loose_box_v, repeat(c_void_p(tp), len(indices)), indices,
                     map(pointers.__getitem__, map((4).__mul__, indices))))


def _c_calls():
    """``govlib.pdfium_calls`` where it is built and runs (see ``govlib/__init__.py``), else None."""
    try:
        from . import pdfium_calls
    except ImportError:
        return None
    return pdfium_calls


_PDFIUM: _Pdfium | None = None
_LOCK = threading.Lock()  # PDFium is not thread-safe: one document at a time (ctypes lets go of the GIL in calls)


def _pdfium() -> _Pdfium:
    global _PDFIUM
    if _PDFIUM is None:
        _PDFIUM = _Pdfium()
    return _PDFIUM


# --- numbers as written ----------------------------------------------------------------------------------------------

_F32 = struct.Struct("f")
_DECIMAL: dict[float, float] = {}


def _written(x: float) -> float:
    """The shortest decimal that PDFium's single-precision ``x`` was parsed from (85.05 for 85.05000305175781): the
    number as written in the file, which pdfminer parses to a double."""
    v = _DECIMAL.get(x)
    if v is None:
        pack, unpack = _F32.pack, _F32.unpack
        v = x
        for digits in (6, 7, 8, 9):
            d = float("%.*g" % (digits, x))
            if unpack(pack(d))[0] == x:
                v = d
                break
        if v == int(v):  # pdfminer keeps "11" an int; the arithmetic is the same, but -0.0 is not 0
            v = float(int(v))
        if len(_DECIMAL) < 1 << 16:
            _DECIMAL[x] = v
    return v


# --- what the file says of its fonts ---------------------------------------------------------------------------

_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/\[\]<>(){}%]+)")
_DESCENT = re.compile(rb"/Descent\s+(-?[0-9]*\.?[0-9]+)(?![0-9.]*\s+[0-9]+\s+R)")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_FIRST = re.compile(rb"/First\s+([0-9]+)")
_WIDTHS = re.compile(rb"/W(?:idths)?\s*(?:\[|([0-9]+)\s+[0-9]+\s+R)")
_TYPE0 = re.compile(rb"/Subtype\s*/Type0\b")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>(){}%]+)")


def _name(raw: bytes) -> bytes:
    """A PDF name with its #xx escapes resolved, as PDFium and pdfminer read it."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw


def _without_streams(data: bytes) -> bytes:
    """The file with the data of its streams left out (font programs, page contents, images: any bytes), so that
    only dictionaries are searched."""
    parts = []
    pos = 0
    while True:
        opened = data.find(b"stream", pos)
        if opened < 0:
            parts.append(data[pos:])
            break
        parts.append(data[pos:opened])
        closed = data.find(b"endstream", opened + 6)
        if closed < 0:
            break
        pos = closed + 9
    return b"\n".join(parts)


class _FontFacts:
    """What pdfminer reads of the fonts and PDFium does not report, read from the file itself (and from its
    compressed object streams): each descriptor's /Descent by /FontName (PDFium substitutes the font program's
    metrics where a descriptor says 0), whether a subset tag came with a name, whether any width is fractional
    (PDFium keeps whole numbers), and whether a composite font lacks a /ToUnicode map (pdfminer then prints
    "(cid:N)" where PDFium guesses)."""

    def __init__(self, data: bytes) -> None:
        self.descents: dict[bytes, float | None] = {}
        self.tagged: set[bytes] = set()  # names seen with a subset tag (ABCDEF+Name), without it
        self.untagged: set[bytes] = set()  # fonts' names (/BaseFont) seen without one
        self.fractional_widths = False
        self.untranslated = False
        texts = [(_without_streams(data), self._in_file)]
        for m in _OBJSTM.finditer(data):
            unpacked = self._object_stream(data, m)
            if unpacked:
                texts.append(unpacked)
        for text, bounds in texts:
            self._scan(text, bounds)

    @staticmethod
    def _in_file(text: bytes, pos: int) -> tuple[int, int]:
        """The dictionary part of the object around ``pos`` in the file."""
        start = max(text.rfind(b"endobj", 0, pos), text.rfind(b"stream", 0, pos), 0)
        end = text.find(b"endobj", pos)
        stream = text.find(b"stream", pos)
        if end < 0:
            end = len(text)
        if 0 <= stream < end:
            end = stream
        return start, end

    @staticmethod
    def _object_stream(data: bytes, m: re.Match) -> tuple[bytes, object] | None:
        head_end = data.find(b"stream", m.end())
        if head_end < 0:
            return None
        first = _FIRST.search(data, max(data.rfind(b"obj", 0, m.start()), 0), head_end)
        body = head_end + 6
        body += 2 if data[body:body + 2] == b"\r\n" else 1
        try:
            text = zlib.decompressobj().decompress(data[body:body + (1 << 24)])
        except zlib.error:
            return None
        if first is None:
            return None
        head = int(first.group(1))
        offsets = sorted(int(x) + head for x in text[:head].split()[1::2] if x.isdigit())

        def in_stream(text: bytes, pos: int) -> tuple[int, int]:
            at = bisect_right(offsets, pos)
            return (offsets[at - 1] if at else 0), (offsets[at] if at < len(offsets) else len(text))

        return text, in_stream

    def _scan(self, text: bytes, bounds) -> None:
        for m in _FONT_NAME.finditer(text):
            start, end = bounds(text, m.start())
            d = _DESCENT.search(text, start, end)
            if d:
                value: float | None = float(d.group(1))
            else:  # pdfminer: a descriptor without /Descent has 0; one given by reference is not read here
                value = None if b"/Descent" in text[start:end] else 0.0
            name = _name(m.group(1))
            bare = name.split(b"+", 1)[-1]  # PDFium names a font without its subset tag
            if bare != name:
                self.tagged.add(bare)
            for key in {name, bare}:
                if key in self.descents and self.descents[key] != value:
                    self.descents[key] = None
                else:
                    self.descents[key] = value
        for m in _BASE_FONT.finditer(text):
            name = _name(m.group(1))
            bare = name.split(b"+", 1)[-1]
            if bare != name:
                self.tagged.add(bare)
            else:
                self.untagged.add(name)
        for m in _WIDTHS.finditer(text):
            if m.group(1):  # an indirect array: the object it names
                ref = re.search(rb"(?<![0-9])%s\s+[0-9]+\s+obj\s*\[" % m.group(1), text)
                if ref is None:
                    continue
                at = ref.end()
            else:
                at = m.end()
            depth, i = 1, at
            while depth:  # to the bracket that closes the array (/W nests arrays)
                close = text.find(b"]", i)
                if close < 0:
                    close = len(text)
                    break
                opened = text.find(b"[", i, close)
                if opened >= 0:
                    depth, i = depth + 1, opened + 1
                else:
                    depth, i = depth - 1, close + 1
            if b"." in text[at:i]:
                self.fractional_widths = True
        for m in _TYPE0.finditer(text):
            start, end = bounds(text, m.start())
            if b"/ToUnicode" not in text[start:end]:
                self.untranslated = True


# --- matrices, as pdfminer multiplies them ---------------------------------------------------------------------------

def _mult(m1, m0):
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _page_ctm(box, rotation: int):
    """pdfminer's initial transformation of a page (PDFPageInterpreter.process_page)."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotation == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


# --- one page's objects ----------------------------------------------------------------------------------------------

class _Font:
    """What pdfminer knows of a font that PDFium does not report: the descriptor's descent (as written; pdfminer
    makes it negative) and the widths of its whitespace glyphs (for spaces PDFium drops)."""

    __slots__ = ("descent", "spaces", "afm")

    def __init__(self, descent: float, spaces: tuple[float, ...], afm: dict | None = None) -> None:
        self.descent = descent
        self.spaces = spaces
        self.afm = afm  # a standard font's widths from pdfminer's tables, by character


_STANDARD: dict[bytes, tuple[float, dict]] | None = None


def _standard_metrics(name: bytes) -> tuple[float, dict] | None:
    """pdfminer takes the metrics of the standard fonts (and of Arial, Times New Roman, Courier New) from its AFM
    tables, whatever the file says: (descent, widths by character)."""
    global _STANDARD
    if _STANDARD is None:
        from pdfminer.fontmetrics import FONT_METRICS

        _STANDARD = {k.encode(): (float(v[0].get("Descent", 0)), v[1]) for k, v in FONT_METRICS.items()}
    return _STANDARD.get(name)


class _Floats(threading.local):
    """A buffer of single-precision numbers for PDFium to write into, with a pointer to each: a batch of calls
    (``map`` over the pointers) fills it, and one ``tolist`` reads it back. Grown as needed, kept per thread."""

    def __init__(self) -> None:
        self.buffer = (c_float * 0)()
        self.pointers: list[c_void_p] = []

    def take(self, n: int) -> list[c_void_p]:
        if n > len(self.pointers):
            size = max(n, 2 * len(self.pointers), 1 << 14)
            self.buffer = (c_float * size)()
            base = ctypes.addressof(self.buffer)
            self.pointers = [c_void_p(a) for a in range(base, base + 4 * size, 4)]
        return self.pointers

    def address(self, n: int) -> int:
        """The address of the buffer, made to hold at least ``n`` numbers."""
        self.take(n)
        return ctypes.addressof(self.buffer)

    def read(self, n: int, step: int = 1, first: int = 0) -> list[float]:
        """The numbers at ``first``, ``first + step``, … below ``n``."""
        return memoryview(self.buffer).cast("B").cast("f")[first:n:step].tolist()


_FLOATS = _Floats()


class _Reader:
    """The objects of one document's pages, as pdfminer gives them to pdfplumber: characters (text, x0, x1, top,
    bottom, upright) and painted paths, in the order of the content stream. PDFium is asked in batches: a call
    through ctypes costs more than the work it does."""

    def __init__(self, pd: _Pdfium, data: bytes) -> None:
        self.pd = pd
        self.data = data
        self.facts: _FontFacts | None = None
        self.fonts: dict[int, _Font] = {}
        self.fx = c_float()
        self.matrices: dict[tuple, tuple] = {}
        self.plain: dict[tuple, tuple] = {}  # matrices (1 0 0 1 e f), by (e, f)
        self.states: dict[tuple, tuple] = {}
        self.skewed = False
        self.name = ctypes.create_string_buffer(256)

    def font(self, handle: int) -> _Font:
        font = self.fonts.get(handle)
        if font is None:
            pd = self.pd
            n = pd.font_name(handle, self.name, 256)
            name = self.name.raw[:max(n - 1, 0)]
            if self.facts is None:
                self.facts = _FontFacts(self.data)
                if self.facts.fractional_widths:
                    raise Inexact("a font's widths are fractional; PDFium rounds them")
                if self.facts.untranslated:
                    raise Inexact("a composite font has no /ToUnicode map")
            standard = _standard_metrics(name)
            if standard is not None and name in self.facts.tagged and name in self.facts.untagged:
                raise Inexact(f"font {name.decode('latin-1')!r}: a standard font and a subset of one by that name")
            if standard is not None and name not in self.facts.tagged:
                descent, afm = standard  # pdfminer takes a standard font's metrics from its own tables
            else:
                descent, afm = self.facts.descents.get(name), None
                if descent is None or not name:
                    raise Inexact(f"font {name.decode('latin-1')!r}: no single font descriptor of that name "
                                  f"(a Type 3 font has none)")
            spaces = []
            for u in (0x20, 0xA0, 0x3000):
                if pd.glyph_width(handle, u, c_float(1000.0), byref(self.fx)) and self.fx.value > 0:
                    w = round(self.fx.value, 3)
                    if w not in spaces:
                        spaces.append(w)
            font = self.fonts[handle] = _Font(descent, tuple(spaces), afm)
        return font

    def read(self, page: int, tp: int, geometry: tuple) -> tuple[list[tuple], list[tuple]]:
        """A page's characters and painted paths."""
        pd = self.pd
        height, mb_top, mb_x0, ctm = geometry
        n = pd.count_objects(page)
        self.skewed = False  # set by _matrices on a matrix other than (1 0 0 1 e f)
        handles = pd.objects(page, n)
        kinds = pd.types(handles)
        TEXT, PATH = pd.TEXT, pd.PATH
        if pd.FORM in kinds:  # forms (XObjects) opened, their objects in place
            entries = self._walk(handles, kinds)
        else:
            picked = [i for i, k in enumerate(kinds) if k == TEXT or k == PATH]
            matrices = self._matrices([handles[i] for i in picked])
            entries = [(kinds[i], handles[i], m) for i, m in zip(picked, matrices)]
        paths = [(h, m) for k, h, m in entries if k == PATH]
        items = self._paths(paths, ctm) if paths else []
        texts = [(h, m) for k, h, m in entries if k == TEXT]
        return self._chars(tp, texts, ctm, height, mb_top, mb_x0, self.skewed), items

    def _matrices(self, objects: list[int]) -> list[tuple]:
        """Each object's matrix, as written in the file."""
        if not objects:
            return []
        values = self.pd.matrices(objects)
        cache, plain, decimal = self.matrices, self.plain, _DECIMAL.get
        out = []
        for a, b, c, d, e, f in zip(*(values[i::6] for i in range(6))):
            if a == 1.0 and b == 0.0 and c == 0.0 and d == 1.0:
                m = plain.get((e, f))
                if m is None:
                    we, wf = decimal(e), decimal(f)
                    m = plain[(e, f)] = (1.0, 0.0, 0.0, 1.0, _written(e) if we is None else we,
                                         _written(f) if wf is None else wf)
            else:
                raw = (a, b, c, d, e, f)
                m = cache.get(raw)
                if m is None:
                    m = cache[raw] = tuple(_written(v) for v in raw)
                self.skewed = True
            out.append(m)
        return out

    def _walk(self, handles: list[int], kinds: list[int]) -> list[tuple]:
        """Text and path objects in content order with forms opened: (kind, handle, matrix to the page's user
        space), the matrix of an object in a form composed with the form's."""
        pd = self.pd
        TEXT, PATH, FORM = pd.TEXT, pd.PATH, pd.FORM
        out: list[tuple] = []
        self.skewed = True  # a matrix composed with a form's is not checked: the characters' boxes are all read

        def visit(handle: int, kind: int, outer) -> None:
            if kind == TEXT or kind == PATH:
                m = self._matrices([handle])[0]
                out.append((kind, handle, m if outer is None else _mult(m, outer)))
            elif kind == FORM:
                m = self._matrices([handle])[0]
                m = m if outer is None else _mult(m, outer)
                for j in range(pd.form_count(handle)):
                    inner = pd.form_object(handle, j)
                    visit(inner, pd.obj_type(inner), m)

        for handle, kind in zip(handles, kinds):
            visit(handle, kind, None)
        return out

    def _paths(self, paths: list[tuple], ctm) -> list[tuple]:
        """Painted paths as pdfminer paints them (PDFLayoutAnalyzer.paint_path): ("line" | "rect" | "curve",
        points in pdfminer's page space), in content order. ``paths``: (handle, matrix) of each path object."""
        pd = self.pd
        objects = [h for h, _ in paths]
        counts = pd.segment_counts(objects)
        owners = [o for o, c in zip(objects, counts) for _ in range(c)]
        places = [j for c in counts for j in range(c)]
        segments = pd.segments(owners, places)
        values = pd.points(segments)
        points = [w if w is not None else _written(v) for v, w in zip(values, map(_DECIMAL.get, values))]
        kinds, closes = pd.segment_kinds(segments)
        MOVETO, LINETO = pd.MOVETO, pd.LINETO
        out: list[tuple] = []
        at = 0
        for (_, m_obj), count in zip(paths, counts):
            ops: list[tuple] = []
            bezier = 0
            for s in range(at, at + count):
                pt = (points[2 * s], points[2 * s + 1])
                kind = kinds[s]
                if kind == MOVETO:
                    ops.append(("m", pt))
                    continue  # a move closes nothing
                if kind == LINETO:
                    ops.append(("l", pt))
                else:  # a Bézier curve: two control points, then its end, as pdfminer keeps it
                    bezier += 1
                    if bezier < 3:
                        continue
                    ops.append(("c", pt))
                    bezier = 0
                if closes[s]:
                    ops.append(("h", None))
            at += count
            if ops:
                _paint(ops, _mult(m_obj, ctm), out)
        return out

    def _chars(self, tp: int, texts: list[tuple], ctm, height, mb_top, mb_x0, skewed: bool = True) -> list[tuple]:
        """The characters of a page as pdfminer lays them out (LTChar boxes): (text, x0, x1, top, bottom, upright)
        in content order. ``texts``: (handle, matrix) of each text object, in content order; ``skewed``:
        whether any of their matrices is other than (1 0 0 1 e f)."""
        pd = self.pd
        n = pd.count_chars(tp)
        plain = ctm[:4] == (1, 0, 0, 1) and ctm[4] == 0 and ctm[5] == 0 and mb_x0 == 0
        by_object: dict[int, list[int]] = {}
        text = ""
        box: list[float] = []
        lefts: list[float] = []
        rights: list[float] = []
        if n > 0:
            buf = (c_ushort * (n + 1))()
            got = pd.get_text(tp, 0, n, buf)
            text = bytes(buf)[:2 * max(got - 1, 0)].decode("utf-16-le", "surrogatepass")
            tp_v = c_void_p(tp)
            if len(text) != n:  # characters outside the BMP take two code units: one character at a time
                text = "".join(map(chr, map(pd.unicode_v, repeat(tp_v, n), range(n))))
            # the characters PDFium made up (spaces and line breaks between the PDF's own) are left out
            maybe = [m.start() for m in _GENERATED.finditer(text)]
            made = set(compress(maybe, map(pd.generated_v, repeat(tp_v, len(maybe)), maybe)))
            real = list(filterfalse(made.__contains__, range(n))) if made else range(n)
            owners = pd.char_objects(tp, real)
            pd.loose_boxes(tp, real, n)
            lefts, rights = _FLOATS.read(4 * n, 4, 0), _FLOATS.read(4 * n, 4, 2)  # of each character, user space
            if not plain or skewed:
                box = _FLOATS.read(4 * n)  # left, top, right, bottom: for rotated or scaled text
            start = 0
            for handle, same in groupby(owners):  # an object's characters come together
                end = start + len(list(same))
                if handle:
                    run = real[start:end]
                    if handle in by_object:
                        by_object[handle] += run
                    else:
                        by_object[handle] = list(run)
                start = end
        objects = [h for h, _ in texts]
        empty = [h for h, _ in texts if h not in by_object]
        if empty:  # objects PDFium reads no character of must draw nothing: spaces, whose glyphs have no ink
            pointers = _FLOATS.take(4 * len(empty))
            known = list(map(pd.obj_bounds_v, map(c_void_p, empty), *(pointers[i::4] for i in range(4))))
            l, b, r, t = (_FLOATS.read(4 * len(empty), 4, i) for i in range(4))
            if any(ok and max(r - l, t - b) > 0.5 for ok, l, b, r, t in zip(known, l, b, r, t)):
                raise Inexact("PDFium leaves out the characters of a text object that has ink (a duplicate?)")
        sizes = pd.font_sizes(objects)
        fonts = pd.fonts(objects)
        out: list[tuple] = []
        append = out.append
        states = self.states
        for (handle, m_obj), size, font in zip(texts, sizes, fonts):
            glyphs = by_object.get(handle, ())
            state = states.get((font, size)) or self._state(font, size)
            if not glyphs and plain and state[6] is None and m_obj[:4] == (1.0, 0.0, 0.0, 1.0):
                # PDFium reads no character of it: spaces only (no ink), as far as PDFium can tell
                fs, yb0, yb1, _, spaces, _, _ = state
                e, f = m_obj[4], m_obj[5]
                adv = spaces[0] if spaces else 0.0
                append((" ", 0 + e, adv + (0 + e), (height - (yb1 + f)) + mb_top, (height - (yb0 + f)) + mb_top,
                        True))
                continue
            if not plain or m_obj[0] != 1.0 or m_obj[1] != 0.0 or m_obj[2] != 0.0 or m_obj[3] != 1.0 \
                    or state[6] is not None or not glyphs:
                self._object_chars(state, handle, m_obj, glyphs, text, box, ctm, plain, height, mb_top, mb_x0,
                                   out)
                continue
            # upright, unscaled text on a page at the origin: nearly every character, so inline
            fs, yb0, yb1, dx, spaces, advances, _ = state
            e, f = m_obj[4], m_obj[5]
            top, bottom = (height - (yb1 + f)) + mb_top, (height - (yb0 + f)) + mb_top
            x = 0
            prev_left = prev_right = None
            kerns = None
            for i in glyphs:
                left = lefts[i]
                right = rights[i]
                if left == prev_left and right == prev_right and right > left:
                    out[-1] = (out[-1][0] + text[i],) + out[-1][1:]  # one glyph that reads as several characters
                    continue
                gap = left - e - x
                if gap > 0.001 or gap < -0.001:
                    x, kern = _fill_gap(x, gap, dx, spaces, _plain_emitter(e, top, bottom, append))
                    if kern and prev_left is not None:
                        kerns = (kerns or []) + [kern]
                prev_left = left
                prev_right = right
                adv = advances.get(right - left)
                if adv is None:
                    adv = advances[right - left] = _advance(right - left, fs)
                e2 = x + e
                append((text[i], e2, adv + e2, top, bottom, True))
                x += adv
            if kerns:
                _spaced(kerns, len(glyphs))
        if _SURROGATE.search(text):  # PDFium gives a character outside the BMP as two halves (one glyph): one
            out = [(c[0].encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace"),) + c[1:]
                   if _SURROGATE.search(c[0]) else c for c in out]
        return out

    def _state(self, font_handle: int, size: float) -> tuple:
        """What the characters of one font at one size share: the size as written, the bottom and top of a box
        above the baseline, the kerning unit (a thousandth of the size), advances of spaces, and a cache of
        advances."""
        fs = _written(size)
        font = self.font(font_handle)
        descent = font.descent
        if descent > 0:  # pdfminer: "PDF RM 9.8.1 specifies /Descent should always be a negative number"
            descent = -descent
        descent = (descent * 0.001) * fs
        yb0 = descent + 0
        yb1 = yb0 + fs
        if fs <= 0:
            raise Inexact(f"a font size of {fs}")
        spaces = tuple(((w * 0.001) * fs) * _SCALING for w in font.spaces)
        state = (fs, yb0, yb1, 0.001 * fs * _SCALING, spaces, {}, font.afm)
        self.states[(font_handle, size)] = state
        return state

    def _object_chars(self, state: tuple, handle: int, m_obj, glyphs, text: str, box: list[float], ctm,
                      plain: bool, height, mb_top, mb_x0, out: list[tuple]) -> None:
        """The characters of a text object under any matrix (rotated, scaled or mirrored text, a rotated page), as
        LTChar computes them: from the text position, each character's advance (width / 1000 × size) added in
        turn, with the kerning and the spaces PDFium leaves out put back."""
        fs, yb0, yb1, dx, spaces, advances, afm = state
        a, b, c, d, e, f = m_obj
        m = m_obj if plain else _mult(m_obj, ctm)
        ma, mb, mc, md, me, mf = m
        upright = ma * md * _SCALING > 0 and mb * mc <= 0

        def emit(ch: str, x, adv: float) -> None:
            e2 = x * ma + 0 * mc + me
            f2 = x * mb + 0 * md + mf
            xs, ys = [], []
            for px, py in ((0, yb0), (adv, yb0), (adv, yb1), (0, yb1)):
                xs.append(ma * px + mc * py + e2)
                ys.append(mb * px + md * py + f2)
            x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
            if mb_x0 != 0:
                x0, x1 = x0 + mb_x0, x1 + mb_x0
            out.append((ch, x0, x1, (height - y1) + mb_top, (height - y0) + mb_top, upright))

        if not glyphs:  # PDFium reads no character of it: spaces only (no ink), as far as PDFium can tell
            emit(" ", 0, spaces[0] if spaces else 0.0)
            return
        if abs(math.hypot(a, b) - math.hypot(c, d)) > 1e-6 * math.hypot(a, b):
            raise Inexact("text stretched across (horizontal scaling, Tz): pdfminer scales the advance, PDFium the "
                          "matrix")
        horizontal = abs(a) >= abs(b)
        x = 0
        prev_left = prev_right = None
        kerns: list = []
        for i in glyphs:
            j = 4 * i
            left, top_, right, bottom_ = box[j], box[j + 1], box[j + 2], box[j + 3]
            if horizontal:
                at = ((left if a > 0 else right) - e) / a if a else 0.0
                width = (right - left) / abs(a)
            else:
                at = ((bottom_ if b > 0 else top_) - f) / b
                width = (top_ - bottom_) / abs(b)
            if at == prev_left and width == prev_right and width > 0:
                out[-1] = (out[-1][0] + text[i],) + out[-1][1:]  # one glyph that reads as several characters
                continue
            gap = at - x
            if gap > 0.001 or gap < -0.001:
                x, kern = _fill_gap(x, gap, dx, spaces, emit)
                if kern and prev_left is not None:
                    kerns.append(kern)
            prev_left, prev_right = at, width
            adv = advances.get(width)
            if adv is None:
                adv = advances[width] = _advance(width, fs)
            if afm is not None and afm.get(text[i], 0) != round(width / fs * 1000):
                raise Inexact(f"a standard font's width for {text[i]!r} is not pdfminer's")
            emit(text[i], x, adv)
            x += adv
        if kerns:
            _spaced(kerns, len(glyphs))


def _paint(ops: list[tuple], m, out: list[tuple]) -> None:
    """pdfminer's PDFLayoutAnalyzer.paint_path of one path: each subpath a line, a rect or a curve."""
    if len(ops) == 2 and ops[0][0] == "m" and ops[1][0] == "l":  # a ruling line, most paths
        if m == (1, 0, 0, 1, 0, 0):  # 1 x + 0 y + 0 is x
            out.append(("line", ops[0][1], ops[1][1]))
        else:
            out.append(("line", _apply(m, *ops[0][1]), _apply(m, *ops[1][1])))
        return
    shape = "".join([op for op, _ in ops])
    if shape[:1] != "m":
        return
    identity = m == (1, 0, 0, 1, 0, 0)
    subpaths = [ops[mt.start():mt.end()] for mt in re.finditer(r"m[^m]+", shape)] if shape.count("m") > 1 \
        else [ops]
    for sub in subpaths:
        start = sub[0][1]
        if identity:  # 1 x + 0 y + 0 is x
            pts = [p if op != "h" else start for op, p in sub]
        else:
            pts = [_apply(m, *(p if op != "h" else start)) for op, p in sub]
        shape = "".join([op for op, _ in sub])
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:  # a redundant "l" dropped
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            out.append(("line", pts[0], pts[1]))
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
                out.append(("rect", pts[0], pts[2]))
            else:
                out.append(("curve", *pts))
        else:
            out.append(("curve", *pts))


def _advance(width: float, fs) -> float:
    """pdfminer's advance of a glyph PDFium measures ``width`` wide: its width in thousandths of an em as the font
    gives it (a whole number unless PDFium's measure says otherwise) × 0.001 × size × horizontal scaling."""
    w = width / fs * 1000
    rw = round(w)
    if abs(w - rw) >= 0.02:  # a fractional width, or horizontal scaling (Tz), which PDFium does not report
        raise Inexact(f"a glyph {w:.3f} thousandths of an em wide")
    return ((rw * 0.001) * fs) * _SCALING


def _plain_emitter(e, top, bottom, append):
    def emit(ch: str, x, adv: float) -> None:
        e2 = x + e
        append((ch, e2, adv + e2, top, bottom, True))

    return emit


def _fill_gap(x, gap, dx, spaces, emit) -> tuple:
    """The characters between two that PDFium reports, worked out from the gap: spaces it dropped (a gap of k space
    widths), the kerning of a TJ array (a whole number of thousandths of the font size), or both. pdfminer's ``x``
    after them, and the kerning (in thousandths of the size)."""
    tol = 0.002  # PDFium computes positions in single precision: a few ten-thousandths off
    if gap > 0:
        for adv in spaces:
            k = round(gap / adv)
            if 1 <= k <= 16 and abs(gap - k * adv) < tol:
                for _ in range(k):
                    emit(" ", x, adv)
                    x += adv
                return x, 0
    n = -gap / dx
    if abs(n - round(n)) * dx < tol:
        return x - round(n) * dx, round(n)
    if gap > 0:
        for adv in spaces:
            for k in range(1, 17):
                rest = gap - k * adv
                if rest < -1:
                    break
                n = -rest / dx
                if abs(n - round(n)) * dx < tol:
                    for _ in range(k):
                        emit(" ", x, adv)
                        x += adv
                    return x - round(n) * dx, round(n)
    raise Inexact(f"a gap of {gap:.3f} between two characters of a text object (character or word spacing?)")


def _spaced(kerns: list, glyphs: int) -> None:
    """The same kerning before every character of a string but the first is character spacing (Tc), not TJ
    kerning: pdfminer adds it between characters, PDFium after each, and the next string starts elsewhere."""
    if len(kerns) >= 2 and len(kerns) >= glyphs - 1 and len(set(kerns)) == 1:
        raise Inexact("character spacing")


# --- edges and tables, as pdfplumber finds them ------------------------------------------------------------------

# An edge is a list [orientation, x0, x1, top, bottom, width, height]: pdfplumber's edge dict, with the keys its
# table finder reads.
_O, _X0, _X1, _TOP, _BOTTOM, _W, _H = range(7)


def _edges(items: list[tuple], height, mb_top, mb_x0) -> list[list]:
    """pdfplumber's ``page.edges``: the edges of its lines, then of its rects (top, bottom, left, right), then of its
    curves, each kind in content order."""
    lines: list[list] = []
    rects: list[list] = []
    curves: list[list] = []
    for kind, *pts in items:
        if kind == "line":  # min and max of the two points, as get_bound takes them
            (ax, ay), (bx, by) = pts
            x0, x1 = (bx, ax) if bx < ax else (ax, bx)
            y0, y1 = (by, ay) if by < ay else (ay, by)
            top, bottom = (height - y1) + mb_top, (height - y0) + mb_top
            w, h = x1 - x0, y1 - y0
            if mb_x0 != 0:
                x0, x1 = x0 + mb_x0, x1 + mb_x0
            lines.append(["h" if top == bottom else "v", x0, x1, top, bottom, w, h])
            continue
        if kind == "curve":
            top0 = mb_top + height
            pts = [(mb_x0 + x, top0 - y) for x, y in pts]
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                o = "v" if ax == bx else ("h" if ay == by else None)
                curves.append([o, min(ax, bx), max(ax, bx), min(ay, by), max(ay, by), abs(ax - bx), abs(ay - by)])
            continue
        (ax, ay), (bx, by) = pts  # a rect: LTRect's four corners, bounded as get_bound does
        pts = [(ax, ay), (bx, ay), (bx, by), (ax, by)]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        w, h = x1 - x0, y1 - y0
        top, bottom = (height - y1) + mb_top, (height - y0) + mb_top
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        rects += [["h", x0, x1, top, top, w, 0], ["h", x0, x1, top + h, bottom, w, 0],
                  ["v", x0, x0, top, bottom, 0, h], ["v", x1, x1, top, bottom, 0, h]]
    return lines + rects + curves


def _cluster(values, tolerance):
    """pdfplumber's cluster_list over the distinct values: value → cluster index."""
    xs = sorted(set(values))
    out = {}
    if not xs:
        return out
    i = 0
    last = xs[0]
    for x in xs:
        if x > last + tolerance:
            i += 1
        out[x] = i
        last = x
    return out


def _snap(edges: list[list], key: int, tolerance) -> list[list]:
    """pdfplumber's snap_objects: edges within ``tolerance`` of one another moved to their average, in its order
    (clusters in order, each cluster's edges in the order given)."""
    ids = _cluster([e[key] for e in edges], tolerance)
    clusters: dict[int, list] = {}
    for e in edges:
        clusters.setdefault(ids[e[key]], []).append(e)
    out = []
    if key == _X0:
        for i in sorted(clusters):
            cluster = clusters[i]
            avg = sum(e[_X0] for e in cluster) / len(cluster)
            for e in cluster:
                shift = avg - e[_X0]
                out.append([e[_O], e[_X0] + shift, e[_X1] + shift, e[_TOP], e[_BOTTOM], e[_W], e[_H]])
    else:
        for i in sorted(clusters):
            cluster = clusters[i]
            avg = sum(e[_TOP] for e in cluster) / len(cluster)
            for e in cluster:
                shift = avg - e[_TOP]
                out.append([e[_O], e[_X0], e[_X1], e[_TOP] + shift, e[_BOTTOM] + shift, e[_W], e[_H]])
    return out


def _join(edges: list[list], orientation: str, tolerance) -> list[list]:
    """pdfplumber's join_edge_group: edges on one line that touch or overlap (within ``tolerance``) made one."""
    lo, hi = (_X0, _X1) if orientation == "h" else (_TOP, _BOTTOM)
    ordered = sorted(edges, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                new = list(last)
                if orientation == "h":
                    new[_X1] = e[_X1]
                    new[_W] = e[_X1] - last[_X0]
                else:
                    new[_H] = last[_H] + (e[_BOTTOM] - last[_BOTTOM])
                    new[_BOTTOM] = e[_BOTTOM]
                joined[-1] = new
        else:
            joined.append(e)
    return joined


def _table_edges(edges: list[list]) -> list[list]:
    """The edges pdfplumber's table finder works with (settings "lines", snap and join tolerance 3, edges at least 3
    long): TableFinder.get_edges."""
    v = [e for e in edges if e[_O] == "v" and e[_H] >= 1]
    h = [e for e in edges if e[_O] == "h" and e[_W] >= 1]
    snapped = _snap(v, _X0, 3) + _snap(h, _TOP, 3)

    def group(e):
        return ("h", e[_TOP]) if e[_O] == "h" else ("v", e[_X0])

    merged: list[list] = []
    for (o, _), items in groupby(sorted(snapped, key=group), key=group):
        merged += _join(list(items), o, 3)
    return [e for e in merged if (e[_H] if e[_O] == "v" else e[_W]) >= 3]


def _intersections(edges: list[list]) -> tuple[dict, dict]:
    """pdfplumber's edges_to_intersections (tolerance 3): the vertices where a vertical and a horizontal edge meet,
    each with the numbers of its vertical and of its horizontal edges (edges with equal boxes share a number, as
    pdfplumber compares edges by their boxes)."""
    numbers: dict[tuple, int] = {}

    def number(e) -> int:
        return numbers.setdefault((e[_X0], e[_TOP], e[_X1], e[_BOTTOM]), len(numbers))

    v_edges = [(e[_X0], e[_TOP], e[_BOTTOM], number(e)) for e in edges if e[_O] == "v"]
    h_edges = sorted((e[_TOP], e[_X0], e[_X1], number(e)) for e in edges if e[_O] == "h")
    tops = [h[0] for h in h_edges]
    vsets: dict[tuple, set] = {}
    hsets: dict[tuple, set] = {}
    for vx, vtop, vbottom, vn in v_edges:
        # the horizontal edges near the vertical one's span (a little wider, then pdfplumber's test exactly)
        for htop, hx0, hx1, hn in h_edges[bisect_left(tops, vtop - 4):bisect_right(tops, vbottom + 4)]:
            if vtop <= htop + 3 and vbottom >= htop - 3 and vx >= hx0 - 3 and vx <= hx1 + 3:
                vertex = (vx, htop)
                if vertex in vsets:
                    vsets[vertex].add(vn)
                    hsets[vertex].add(hn)
                else:
                    vsets[vertex] = {vn}
                    hsets[vertex] = {hn}
    return vsets, hsets


def _cells(grid: tuple[dict, dict]) -> list[tuple]:
    """pdfplumber's intersections_to_cells: for each vertex, the smallest cell it is the top left corner of — the
    first point below it joined to it by a vertical edge for which there is a first point right of it joined by a
    horizontal edge, and the fourth corner joined to both.

    Joined means an edge through both points. An edge passes through the points of its column (or row) within a
    range of y (of x), so the points joined to a point form a run after it: the scans stop at the first point not
    joined, where pdfplumber goes on to find nothing more."""
    vsets, hsets = grid
    points = sorted(vsets)
    columns: dict = {}
    rows: dict = {}
    for p in points:  # in sorted order: a column's points top to bottom, a row's left to right
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    place: dict = {}
    for column in columns.values():
        for i, p in enumerate(column):
            place[p] = i
    across: dict = {}
    for row in rows.values():
        for i, p in enumerate(row):
            across[p] = i
    cells = []
    for pt in points:
        column, row = columns[pt[0]], rows[pt[1]]
        i, j = place[pt] + 1, across[pt] + 1
        if i == len(column) or j == len(row):
            continue
        v, h = vsets[pt], hsets[pt]
        found = None
        for below_pt in column[i:]:
            if v.isdisjoint(vsets[below_pt]):
                break
            below_h = hsets[below_pt]
            for right_pt in row[j:]:
                if h.isdisjoint(hsets[right_pt]):
                    break
                corner = (right_pt[0], below_pt[1])
                if corner in vsets and not vsets[corner].isdisjoint(vsets[right_pt]) \
                        and not hsets[corner].isdisjoint(below_h):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's cells_to_tables: cells grouped by shared corners, tables top to bottom, single cells dropped."""
    remaining = list(cells)
    corners: set = set()
    current: list = []
    tables = []
    while remaining:  # each pass takes, in order, the cells sharing a corner with those taken
        count = len(current)
        left = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            cc = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or cc[0] in corners or cc[1] in corners or cc[2] in corners or cc[3] in corners:
                corners.update(cc)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == count:
            tables.append(current)
            corners = set()
            current = []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list[tuple]) -> list[list]:
    """pdfplumber's Table.rows: for each distinct top, its cells at each distinct x0 of the table (None where a
    merged cell covers that place)."""
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, row_cells in groupby(sorted(cells, key=itemgetter(1, 0)), itemgetter(1)):
        at = {c[0]: c for c in row_cells}
        rows.append([at.get(x) for x in xs])
    return rows


# --- words and lines, as pdfplumber's WordExtractor and TextMap make them ------------------------------------------

# A character is a tuple (text, x0, x1, top, bottom, upright).
_T, _CX0, _CX1, _CTOP, _CBOTTOM, _UP = range(6)
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_LIGATURE_KEYS = frozenset(_LIGATURES)


def _cluster_objects(objs: list, key, tolerance, preserve_order: bool = False) -> list[list]:
    ids = _cluster([key(o) for o in objs], tolerance)
    tagged = [(o, ids[key(o)]) for o in objs]
    if not preserve_order:
        tagged.sort(key=itemgetter(1))
    return [[o for o, _ in group] for _, group in groupby(tagged, key=itemgetter(1))]


def _upright_words(chars: list[tuple]) -> list[tuple]:
    """``_words`` of upright characters only (nearly every page and cell), without the steps that change nothing for
    them: lines by top (within 3 points of the next), each read left to right, words split at spaces and at gaps of
    more than 3 points."""
    ids = _cluster([c[_CTOP] for c in chars], 3)
    if len(set(ids.values())) == 1:
        lines = [chars]
    else:  # the lines in order of their cluster, each's characters in their order
        buckets: dict[int, list] = {}
        for c in chars:
            i = ids[c[_CTOP]]
            if i in buckets:
                buckets[i].append(c)
            else:
                buckets[i] = [c]
        lines = [buckets[i] for i in sorted(buckets)]
    out: list[tuple] = []
    x0key = itemgetter(_CX0)
    for line in lines:
        word: list[tuple] = []
        wx0 = wx1 = wtop = wbottom = px0 = px1 = ptop = 0.0
        for c in sorted(line, key=x0key) if len(line) > 1 else line:
            t, x0, x1, top, bottom, _ = c
            if t.isspace() or t == "":
                if word:
                    out.append(_word(word, wx0, wx1, wtop, wbottom))
                    word = []
                if t == "":  # pdfplumber: `text in split_at_punctuation`, which "" always is
                    out.append(_word([c], x0, x1, top, bottom))
                continue
            if word:
                if x0 < px0 or x0 > px1 + 3 or abs(top - ptop) > 3:
                    out.append(_word(word, wx0, wx1, wtop, wbottom))
                    word = [c]
                    wx0, wx1, wtop, wbottom = x0, x1, top, bottom
                else:
                    word.append(c)
                    if x0 < wx0:
                        wx0 = x0
                    if x1 > wx1:
                        wx1 = x1
                    if top < wtop:
                        wtop = top
                    if bottom > wbottom:
                        wbottom = bottom
            else:
                word = [c]
                wx0, wx1, wtop, wbottom = x0, x1, top, bottom
            px0, px1, ptop = x0, x1, top
        if word:
            out.append(_word(word, wx0, wx1, wtop, wbottom))
    return out


def _word(chars: list[tuple], x0, x1, top, bottom) -> tuple:
    texts = [c[_T] for c in chars]
    if _LIGATURE_KEYS.isdisjoint(texts):
        return "".join(texts), x0, x1, top, bottom, chars
    return "".join(_LIGATURES.get(t, t or "") for t in texts), x0, x1, top, bottom, chars


def _words(chars: list[tuple]) -> list[tuple]:
    """pdfplumber's WordExtractor (default settings) over characters in content order: (text, x0, x1, top, bottom,
    chars) for each word, in its order — upright runs as they come, each run's lines top to bottom, left to right."""
    for c in chars:
        if not c[_UP]:
            break
    else:
        return _upright_words(chars)
    out: list[tuple] = []
    for upright, run in groupby(chars, key=itemgetter(_UP)):
        run = list(run)
        if upright:
            lines = _cluster_objects(run, itemgetter(_CTOP), 3)
            sort_key = itemgetter(_CX0)
        else:  # rotated text: lines are columns (by x0), read top to bottom
            lines = _cluster_objects(run, itemgetter(_CX0), 3)
            sort_key = itemgetter(_CTOP, _CBOTTOM)
        for line in lines:
            word: list[tuple] = []
            for ch in sorted(line, key=sort_key):
                text = ch[_T]
                if text.isspace():
                    if word:
                        out.append(_merge(word))
                    word = []
                elif text == "":  # pdfplumber: `text in split_at_punctuation`, which "" always is
                    if word:
                        out.append(_merge(word))
                    out.append(_merge([ch]))
                    word = []
                elif word:
                    prev = word[-1]
                    if upright:
                        new = (ch[_CX0] < prev[_CX0] or ch[_CX0] > prev[_CX1] + 3
                               or abs(ch[_CTOP] - prev[_CTOP]) > 3)
                    else:
                        new = (ch[_CTOP] < prev[_CTOP] or ch[_CTOP] > prev[_CBOTTOM] + 3
                               or abs(ch[_CX0] - prev[_CX0]) > 3)
                    if new:
                        out.append(_merge(word))
                        word = [ch]
                    else:
                        word.append(ch)
                else:
                    word = [ch]
            if word:
                out.append(_merge(word))
    return out


def _merge(chars: list[tuple]) -> tuple:
    """A word of characters: its text (ligatures spelt out), box and characters."""
    texts, x0s, x1s, tops, bottoms, _ = zip(*chars)
    if _LIGATURE_KEYS.isdisjoint(texts):
        text = "".join(texts)
    else:
        text = "".join(_LIGATURES.get(t, t or "") for t in texts)
    return text, min(x0s), max(x1s), min(tops), max(bottoms), chars


def _apart_lines(chars: list[tuple], breaker: str) -> list[list[tuple]] | None:
    """The characters of each line, top to bottom, where every character is upright, prints something and holds no
    ``breaker`` (if one is given), and the lines (characters of one top) stand more than 3 points apart: then each is
    read as a line of words, left to right, as pdfplumber's clustering would read it. None otherwise."""
    lines: dict = {}
    for c in chars:
        if not c[_UP] or c[_T] == "" or breaker and breaker in c[_T]:
            return None
        top = c[_CTOP]
        if top in lines:
            lines[top].append(c)
        else:
            lines[top] = [c]
    tops = sorted(lines)
    if all(b - a > 3 for a, b in zip(tops, tops[1:])):
        return [lines[top] for top in tops]
    return None


def _cell_text(chars: list[tuple]) -> str:
    """pdfplumber's extract_text (no layout) of a cell's characters."""
    if not chars:
        return ""
    if len(chars) == 1:  # a single character (many a value): itself, unless a space
        t = chars[0][_T]
        if chars[0][_UP] and t != "":
            return "" if t.isspace() else _LIGATURES.get(t, t)
    top = chars[0][_CTOP]
    for c in chars:
        if c[_CTOP] != top or not c[_UP] or c[_T] == "":
            break
    else:  # one line of upright characters (most cells): its words, as below
        return _line_text(chars)
    lines = _apart_lines(chars, "")
    if lines is not None:  # wrapped text: each line its words, as below
        texts = [_line_text(line) for line in lines]
        return "\n".join([t for t in texts if t])
    words = _words(chars)
    ids = _cluster([w[3] for w in words], 3)
    if len(set(ids.values())) == 1:
        return " ".join([w[0] for w in words])
    grouped: dict[int, list] = {}
    for w in words:
        i = ids[w[3]]
        if i in grouped:
            grouped[i].append(w[0])
        else:
            grouped[i] = [w[0]]
    return "\n".join(" ".join(grouped[i]) for i in sorted(grouped))


def _word_chars(chars: list[tuple]) -> list[list[tuple]]:
    """The words of upright characters on one top, left to right, each as its characters: split at spaces (left
    out) and at gaps of more than 3 points."""
    words = []
    word: list[tuple] = []
    prev = None
    for c in sorted(chars, key=itemgetter(_CX0)) if len(chars) > 1 else chars:
        if c[_T].isspace():
            if word:
                words.append(word)
                word = []
            prev = None
            continue
        if prev is not None and (c[_CX0] < prev[_CX0] or c[_CX0] > prev[_CX1] + 3):
            words.append(word)
            word = []
        word.append(c)
        prev = c
    if word:
        words.append(word)
    return words


def _line_words(chars: list[tuple]) -> tuple | None:
    """``_line_text`` with the box of the characters in its words: (text, x0, top, x1, bottom), or None if the line
    holds no word."""
    words = _word_chars(chars)
    if not words:
        return None
    inked = [c for w in words for c in w]
    return (_line_text_of(words).strip(" "), min(c[_CX0] for c in inked), min(c[_CTOP] for c in inked),
            max(c[_CX1] for c in inked), max(c[_CBOTTOM] for c in inked))


def _line_text(chars: list[tuple]) -> str:
    """The words of upright characters on one top, left to right, split at spaces and gaps of more than 3 points."""
    return _line_text_of(_word_chars(chars))


def _line_text_of(words: list[list[tuple]]) -> str:
    """Words (``_word_chars``) as text, a space between two; ligatures spelt out character by character, as
    pdfplumber does."""
    text = " ".join(["".join([c[_T] for c in w]) for w in words])
    if _LIGATURE_KEYS.isdisjoint(text):
        return text
    return " ".join(["".join([_LIGATURES.get(c[_T], c[_T]) for c in w]) for w in words])


def _text_lines(chars: list[tuple]) -> list[tuple]:
    """pdfplumber's extract_text_lines (no layout): (text, x0, top, x1, bottom) for each line of words."""
    out: list[tuple] = []
    if not chars:
        return out
    # (a line break in a character: pdfplumber's regex splits there)
    lines = _apart_lines(chars, "\n")
    if lines is not None:  # most pages: each line its words, top to bottom
        for chars_of_line in lines:
            line = _line_words(chars_of_line)
            if line:
                out.append(line)
        return out
    words = _words(chars)
    for line in _cluster_objects(words, itemgetter(3), 3, preserve_order=True):
        text = " ".join(w[0] for w in line)
        stripped = text.strip(" ")
        if not stripped or "\n" in text:
            for part in _split_lines(line):
                out.append(part)
            continue
        out.append((stripped, min([w[1] for w in line]), min([w[3] for w in line]), max([w[2] for w in line]),
                    max([w[4] for w in line])))
    return out


def _split_lines(line: list[tuple]) -> list[tuple]:
    """A line whose words hold line breaks (characters whose text has one): matched as pdfplumber's regex over the
    text map does."""
    tuples: list[tuple[str, tuple | None]] = []
    for i, w in enumerate(line):
        if i:
            tuples.append((" ", None))
        for c in w[5]:
            for letter in _LIGATURES.get(c[_T], c[_T]):
                tuples.append((letter, c))
    string = "".join(t[0] for t in tuples)
    out = []
    for m in re.finditer(r" *([^\n]+?) *(\n|$)", string):
        if not m.group(1).strip():
            continue
        cs = [c for _, c in tuples[m.start(1):m.end(1)] if c is not None]
        out.append((m.group(1), min(c[_CX0] for c in cs), min(c[_CTOP] for c in cs), max(c[_CX1] for c in cs),
                    max(c[_CBOTTOM] for c in cs)))
    return out


# --- the cross-reference table --------------------------------------------------------------------------------

_STARTXREF = re.compile(rb"startxref\s+([0-9]+)")
_XREF_SECTION = re.compile(rb"([0-9]+)\s+([0-9]+)[ \t]*\r?\n")
_XREF_ENTRY = re.compile(rb"([0-9]{10}) ([0-9]{5}) ([nf])")
_OBJ_AT = re.compile(rb"\s*([0-9]+)\s+([0-9]+)\s+obj\b")


def _xref_sound(data: bytes) -> bool:
    """Whether the file's last startxref leads to a cross-reference table whose entries point at their objects, or
    to a cross-reference stream. PDFium repairs a broken table without a word, where pdfminer may fail or read
    another object: such a file is pdfminer's to read."""
    at = data.rfind(b"startxref")
    m = _STARTXREF.match(data, at) if at >= 0 else None
    if m is None:
        return False
    pos = int(m.group(1))
    if _OBJ_AT.match(data, pos):  # a cross-reference stream (PDF 1.5): PDFium and pdfminer both read it
        return True
    seen = 0
    while True:  # a table and the tables before it (/Prev), each section checked entry by entry
        while pos < len(data) and data[pos] in b" \t\r\n":
            pos += 1
        if not data.startswith(b"xref", pos):
            return False
        pos += 4
        while True:
            while pos < len(data) and data[pos] in b" \t\r\n":
                pos += 1
            section = _XREF_SECTION.match(data, pos)
            if section is None:
                break
            first, count = int(section.group(1)), int(section.group(2))
            pos = section.end()
            for number in range(first, first + count):
                entry = _XREF_ENTRY.match(data, pos)
                if entry is None:
                    return False
                pos = entry.end()
                while pos < len(data) and data[pos] in b" \r\n":
                    pos += 1
                if entry.group(3) == b"n":
                    obj = _OBJ_AT.match(data, int(entry.group(1)))
                    if obj is None or int(obj.group(1)) != number:
                        return False
        trailer = data.find(b"trailer", pos)
        if trailer < 0:
            return False
        closed = data.find(b">>", trailer)
        prev = re.search(rb"/Prev\s+([0-9]+)", data[trailer:closed + 2 if closed >= 0 else len(data)])
        seen += 1
        if prev is None or seen > 64:
            return prev is None
        pos = int(prev.group(1))


# --- the document -------------------------------------------------------------------------------------------------

_BREAK = re.compile(r"\s*\n\s*")  # a line break inside a cell, as decoding joins it
_LOAD_ERRORS = {1: "unknown error", 2: "file not found or could not be opened", 3: "data format error",
                4: "incorrect password", 5: "unsupported security scheme", 6: "page not found"}


def _page_geometry(pd: _Pdfium, page: int):
    """pdfplumber's page height, the top and left of its media box, and pdfminer's initial transformation."""
    rotation = pd.rotation(page) * 90 % 360
    l, b, r, t = c_float(), c_float(), c_float(), c_float()
    if not pd.mediabox(page, byref(l), byref(b), byref(r), byref(t)):
        raw = (0.0, 0.0, 612.0, 792.0)  # pdfminer's default: US Letter
    else:
        raw = tuple(_written(v.value) for v in (l, b, r, t))
    x0, x1 = sorted((raw[0], raw[2]))
    y0, y1 = sorted((raw[1], raw[3]))
    box = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    mb_height = box[3] - box[1]
    mediabox = (box[0], mb_height - box[3], box[2], mb_height - box[1])
    height = mediabox[3] - mediabox[1]
    return height, mediabox[1], mediabox[0], _page_ctm(raw, rotation)


def _read_page(reader: _Reader, page: int, tp: int) -> tuple[list[tuple], list[tuple], tuple]:
    """A page's characters and painted paths as pdfminer makes them, and its geometry."""
    geometry = _page_geometry(reader.pd, page)
    chars, items = reader.read(page, tp, geometry)
    return chars, items, geometry


def _find_tables(items: list[tuple], geometry: tuple) -> list[list[tuple]]:
    """The tables pdfplumber's table finder finds among a page's paths (default settings): each a list of cells."""
    if not items:
        return []
    height, mb_top, mb_x0, _ = geometry
    edges = _table_edges(_edges(items, height, mb_top, mb_x0))
    return _tables(_cells(_intersections(edges))) if edges else []


def _page_lines(chars: list[tuple], tables: list[list[tuple]]) -> list[tuple]:
    """A page in reading order, as decoding lays it out: ("line", text, box) for each line of text outside the
    tables and ("row", [(cell box, text), ...]) for each table row, the tables placed among the lines by their
    top."""
    boxes = [_bbox(t) for t in tables]
    outside = chars
    middles: tuple = ()
    if boxes:  # characters outside the tables, by their middle: a heading touching a table stays
        hs = [(ch[_CX0] + ch[_CX1]) / 2 for ch in chars]
        vs = [(ch[_CTOP] + ch[_CBOTTOM]) / 2 for ch in chars]
        order = sorted(range(len(chars)), key=vs.__getitem__)
        sorted_vs = [vs[i] for i in order]
        middles = (hs, vs, order, sorted_vs)
        inside: set[int] = set()
        for x0, top, x1, bottom in boxes:
            inside.update(i for i in order[bisect_left(sorted_vs, top):bisect_right(sorted_vs, bottom)]
                          if x0 <= hs[i] <= x1)
        if inside:
            outside = [ch for i, ch in enumerate(chars) if i not in inside]
    items = [(line[2], 0, line) for line in _text_lines(outside)]
    items += [(box[1], 1, cells) for cells, box in zip(tables, boxes)]
    out: list[tuple] = []
    for _, kind, item in sorted(items, key=itemgetter(0, 1)):
        if kind == 0:
            text, x0, top, x1, bottom = item
            out.append(("line", text, (x0, top, x1, bottom)))
            continue
        rows = _rows(item)
        for row, texts in zip(rows, _extract(chars, middles, rows)):
            out.append(("row", [(box, (_BREAK.sub("", text) if "\n" in text else text).strip())
                                for box, text in zip(row, texts) if box is not None]))
    return out


def _bbox(cells) -> tuple:
    return (min([c[0] for c in cells]), min([c[1] for c in cells]), max([c[2] for c in cells]),
            max([c[3] for c in cells]))


def _extract(chars: list[tuple], middles: tuple, rows: list[list]) -> list[list[str | None]]:
    """pdfplumber's Table.extract (default text settings): each cell's characters are those whose middle is in it
    (top and left edges in, bottom and right out), in content order. ``middles``: each character's horizontal
    and vertical middle, and the characters' indices sorted by the latter, with their vertical middles."""
    hs, vs, order, sorted_vs = middles
    out = []
    for row in rows:
        present = [c for c in row if c is not None]
        # a row's cells share their top and come left to right: its box starts at its first cell
        x0, top = present[0][0], present[0][1]
        x1, bottom = max([c[2] for c in present]), max([c[3] for c in present])
        candidates = sorted([(hs[i], i) for i in order[bisect_left(sorted_vs, top):bisect_left(sorted_vs, bottom)]
                             if x0 <= hs[i] < x1])
        at = [h for h, _ in candidates]
        texts: list[str | None] = []
        for cell in row:
            if cell is None:
                texts.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            inside = [i for _, i in candidates[bisect_left(at, cx0):bisect_left(at, cx1)] if ctop <= vs[i] < cbottom]
            if inside:
                inside.sort()  # in content order
                texts.append(_cell_text([chars[i] for i in inside]))
            else:
                texts.append("")
        out.append(texts)
    return out


class PageLines:
    """A PDF's text as both PDF readers give it (``pdf_text`` here and ``decoding.pdf_text``), page by page: a text
    line outside tables is a line, a table row is its cells, one a line with a tab before each and an empty line
    after the row, and each line keeps where it stands (page, "x0,top,x1,bottom"). A page's first table row that
    ``continues`` the previous page's last row (Word lets a row break across pages) is joined to it, not a new
    row."""

    def __init__(self, continues=None):
        self.lines: list[str] = []
        self.where: list[tuple[int, str] | None] = []
        self.continues = continues
        self._last_row: tuple[int, list[str], list] | None = None  # its first line, its texts, its boxes
        self._number = 0
        self._first_table = True

    def page(self, number: int) -> None:
        """The lines that follow are page ``number``'s."""
        self._number, self._first_table = number, True

    def line(self, text: str, box) -> None:
        self.lines.append(text)
        self.where.append((self._number, "%.0f,%.0f,%.0f,%.0f" % tuple(box)))

    def row(self, cells: list[tuple[tuple, str]]) -> None:
        """A table row: (box, text) for each of its cells."""
        first, self._first_table = self._first_table, False
        last = self._last_row
        if first and last is not None and self.continues is not None and self.continues(last, cells):
            start, before, _ = last
            for i, (box, text) in enumerate(cells):
                if text:
                    self.lines[start + i] = "\t" + before[i] + text
                    if not before[i]:
                        self.where[start + i] = (self._number, "%.0f,%.0f,%.0f,%.0f" % tuple(box))
            return
        self._last_row = (len(self.lines), [t for _, t in cells], [b for b, _ in cells])
        for box, text in cells:
            self.lines.append("\t" + text)
            self.where.append((self._number, "%.0f,%.0f,%.0f,%.0f" % tuple(box)))
        self.lines.append("")
        self.where.append(None)

    def text(self) -> tuple[str, tuple[tuple[int, str] | None, ...]]:
        return "\n".join(self.lines), tuple(self.where)


def pdf_text(data: bytes, path: str, continues=None) -> tuple[str, tuple[tuple[int, str] | None, ...]]:
    """Flatten a PDF as ``decoding.pdf_text`` does — text lines outside tables as lines, ruled tables as
    cell-per-line rows, page by page in reading order, each line with its page and box — and give exactly what it
    gives. ``continues(last_row, cells)`` says whether a page's first table row is the rest of the row the previous
    page's table ended with (``decoding._continues``); by default a row never continues."""
    with _LOCK:
        return _pdf_text(data, path, continues)


def _pdf_text(data: bytes, path: str, continues) -> tuple[str, tuple[tuple[int, str] | None, ...]]:
    pd = _pdfium()
    doc = pd.load(data, len(data), None) if data else None
    if not doc:
        code = pd.last_error() if data else 3
        raise ParseError(f"{path}: not a readable PDF (PdfiumError: Failed to load document (PDFium: "
                         f"{_LOAD_ERRORS.get(code, f'error {code}')})); the file may be damaged or incomplete — "
                         f"download it again")
    out = PageLines(continues)
    try:
        if not _xref_sound(data):
            raise Inexact("the cross-reference table does not lead to the objects; PDFium would repair it")
        pages = pd.page_count(doc)
        reader = _Reader(pd, data)
        for number in range(1, pages + 1):
            page = pd.load_page(doc, number - 1)
            if not page:
                raise RuntimeError(f"page {number} could not be loaded")
            tp = None
            try:
                tp = pd.text_page(page)
                if not tp:
                    raise RuntimeError(f"the text of page {number} could not be read")
                chars, items, geometry = _read_page(reader, page, tp)
            finally:
                if tp:
                    pd.close_text_page(tp)
                pd.close_page(page)
            out.page(number)
            for entry in _page_lines(chars, _find_tables(items, geometry)):
                if entry[0] == "line":
                    out.line(entry[1], entry[2])
                else:
                    out.row(entry[1])
    except (ParseError, Inexact):
        raise
    except Exception as e:  # not foreseen here: pdfplumber reads it, or says what is wrong with the file
        raise Inexact(f"{type(e).__name__}: {e}") from None
    finally:
        pd.close_doc(doc)
    check_text_layer(out.lines, pages, path)
    return out.text()


def check_text_layer(lines: list[str], pages: int, path: str) -> None:
    """Raise ``ParseError`` where a PDF's flattened text has almost no characters, or none but the page numbers a
    scanner or a printer stamped ("- 2 -", "Page 2 of 4"): a scan, which needs OCR (table cells, lines that start
    with a tab, are never taken for page numbers)."""
    text = stamps = 0  # characters other than white space: of text, of page numbers
    for line in lines:
        n = len("".join(line.split()))
        if not n:
            continue
        if line.startswith("\t") or not _PAGE_STAMP.fullmatch(fold(line).strip()):
            text += n
            if text >= _MIN_TEXT_CHARS:
                return  # a text layer (most PDFs, after their first lines)
        else:
            stamps += n
    if text < _MIN_TEXT_CHARS:
        only = " but page numbers" if stamps else ""
        raise ParseError(f"{path}: this PDF has no text layer{only} ({pages} page(s) of images, as from a "
                         f"scanner); it needs OCR before govlib can read it — govlib never guesses numbers from images")
