"""govlib.pdf (PDFium) gives exactly what decoding.pdf_text (pdfplumber) gives: the same lines, the same pages and
boxes, the same errors — on LibreOffice-made reports of both templates, ruled and borderless, with rows broken across
pages, and on the PDFs test_pdf_doc reads; what it cannot rebuild exactly it hands back (Inexact)."""

import functools
import io
import random
from types import SimpleNamespace

import pytest

from govlib import ParseError, decoding, pdf
from govlib.rows import continues_row
from govlib.testing import synth


def _borderless(data: bytes) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        table.style = document.styles["Normal Table"]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _rare_characters() -> bytes:
    """Characters outside the BMP (PDFium reads each as two halves), in a line and in a ruled table."""
    import docx

    document = docx.Document()
    document.add_paragraph("测试𠀀字 and 𝐀𝐁 math 𩸽 and ﬁne")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for cell, text in zip((c for row in table.rows for c in row.cells), ["𠀀", "12", "a b", "𩸽3"]):
        cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@functools.lru_cache(maxsize=1)
def _documents() -> dict[str, bytes]:
    """The DOCX files to convert: test_pdf_doc's (published, broken_row, borderless), then a spread of seeds over
    both templates, ruled and borderless, bodies in a layout table or a content control, tracked changes."""
    out: dict[str, bytes] = {}
    rng = random.Random(20261121)  # test_pdf_doc.published
    for i in range(6):
        rep = synth.generate(rng)
        quoted = None
        if i == 5:
            rep.applications[("new_received", "commercial")] += 3
            quoted = synth.prose(rep, 1, "new", 4)
        out[f"published{i}"] = synth.render_docx(rep, rng, quoted)
    rng = random.Random(1)  # test_pdf_doc.broken_row: row 2.没有现成信息需要另行制作 breaks across a page
    out["broken_row"] = synth.render_docx(synth.generate(rng), rng)
    rng = random.Random(77)  # test_pdf_doc's tables without rules
    for i in range(5):
        rep = synth.generate(rng)
        data = synth.render_docx(rep, rng)
        if i >= 2:
            out[f"borderless{i}"] = _borderless(data)
    out["rare-characters"] = _rare_characters()
    for seed in range(12):
        rng = random.Random(9000 + seed)
        rep = synth.generate(rng, ("2019", "2021")[seed % 2])
        options = [{}, {"wrap": "frame"}, {"wrap": "control"}, {"tracked": True}][seed % 4]
        data = synth.render_docx(rep, rng, **options)
        name = f"seed{seed}-{rep.template}-{'-'.join(map(str, options.values())) or 'plain'}"
        if seed % 3 == 2:
            data, name = _borderless(data), name + "-borderless"
        out[name] = data
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    """The documents converted to PDF by LibreOffice in one call: name → PDF bytes."""
    folder = tmp_path_factory.mktemp("fast")
    paths = []
    for name, data in _documents().items():
        paths.append(folder / f"{name}.docx")
        paths[-1].write_bytes(data)
    return {p.stem: p.read_bytes() for p in synth.convert(paths, "pdf", folder)}


NAMES = list(_documents())


@pytest.mark.parametrize("name", NAMES)
def test_the_same_lines_pages_and_boxes_as_pdfplumber(pdfs, name):
    data = pdfs[name]
    path = f"{name}.pdf"
    assert pdf.pdf_text(data, path, continues_row) == decoding.pdf_text(data, path, continues_row)


def test_a_row_broken_across_pages_is_joined_by_the_callers_rule(pdfs):
    data = pdfs["broken_row"]
    text, where = pdf.pdf_text(data, "broken.pdf", continues_row)
    label = [i for i, line in enumerate(text.split("\n")) if "没有现成信息需要另行制作" in line]
    assert label and where[label[0]][0] == 2  # the label printed on the next page, joined into the row
    unjoined, _ = pdf.pdf_text(data, "broken.pdf")  # by default a row never continues
    assert unjoined != text and len(unjoined.split("\n")) > len(text.split("\n"))


def test_pages_turned_by_rotate_give_the_same(pdfs, tmp_path):
    import pypdfium2

    for degrees in (90, 180, 270):
        doc = pypdfium2.PdfDocument(pdfs["published1"])
        for i in range(len(doc)):
            doc[i].set_rotation(degrees)
        out = tmp_path / f"turned{degrees}.pdf"
        doc.save(out)
        doc.close()
        data = out.read_bytes()
        assert pdf.pdf_text(data, out.name, continues_row) == decoding.pdf_text(data, out.name, continues_row)


# --- errors ---------------------------------------------------------------------------------------------------------

def _error(read, data: bytes, path: str) -> str:
    with pytest.raises(ParseError) as caught:
        read(data, path)
    return str(caught.value)


@pytest.mark.parametrize("damage", ["garbage", "nothing", "empty", "truncated", "cut short"])
def test_a_damaged_pdf_is_the_same_error(pdfs, damage):
    whole = pdfs["published0"]
    data = {"garbage": b"%PDF-1.7\n" + b"\x00garbage" * 50, "nothing": b"%PDF-1.7 nothing", "empty": b"",
            "truncated": whole[:len(whole) // 2], "cut short": whole[:len(whole) - 40]}[damage]
    fast, slow = _error(pdf.pdf_text, data, "broken.pdf"), _error(decoding.pdf_text, data, "broken.pdf")
    assert fast.startswith("broken.pdf: not a readable PDF (") and slow.startswith("broken.pdf: not a readable PDF (")
    assert fast.endswith("the file may be damaged or incomplete — download it again")


def test_a_pdf_whose_cross_references_pdfium_would_repair_is_handed_back(pdfs):
    """pdfminer cannot find the objects (it fails); PDFium would rebuild the table and read the file: not the same."""
    whole = pdfs["published0"]
    for data in (whole[:whole.rfind(b"xref")], whole.replace(b"startxref", b"startxxxxx")):
        with pytest.raises(pdf.Inexact):
            pdf.pdf_text(data, "repaired.pdf")


def test_a_scanned_pdf_is_the_same_error(pdfs, tmp_path):
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdfs["published1"])
    images = [doc[i].render(scale=1).to_pil().convert("RGB") for i in range(len(doc))]
    out = tmp_path / "scan.pdf"
    images[0].save(out, save_all=True, append_images=images[1:])
    data = out.read_bytes()
    fast, slow = _error(pdf.pdf_text, data, "scan.pdf"), _error(decoding.pdf_text, data, "scan.pdf")
    assert fast == slow and "needs OCR" in fast


# --- PDFs made by hand: what LibreOffice never writes ------------------------------------------------------------

def _hand_pdf(content: bytes, font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
              rotate: int = 0, form: bytes = b"", box: bytes = b"0 0 595.28 841.89") -> bytes:
    """A one-page PDF drawing ``content`` with font /F1 and, as /X1, a form XObject drawing ``form``."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Rotate %d /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>" % (box, rotate),
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream", font,
               b"<< /Type /XObject /Subtype /Form /BBox [0 0 400 400] /Matrix [1 0 0 1 20.5 30.25] "
               b"/Resources << /Font << /F1 5 0 R >> >> /Length %d >>\nstream\n" % len(form) + form + b"\nendstream"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


HAND = b"""
q 0.5 w
100 700 m 300 700 l S
100 650 200 30 re S
100 600 200 30 re f
100 500 m 150 550 200 550 250 500 c S
100 450 m 200 450 l 200 400 l h S
1 0 0 1 10.5 20.25 cm 100 250 m 300 250 l S
Q
q 0.5 w 60 100 m 60 60 l 300 60 l 300 100 l h S 60 80 m 300 80 l S 180 100 m 180 60 l S Q
BT /F1 12 Tf 100 200 Td (Hello World) Tj ET
BT /F1 12 Tf 100 180 Td [(A) -333 (B) 120 (C)] TJ ET
BT /F1 12 Tf 100 160 Td ( lead trail ) Tj ET
BT /F1 12 Tf 100 140 Td (  ) Tj ET
BT /F1 12 Tf 0 1 -1 0 400 100 Tm (Rot) Tj ET
BT /F1 9 Tf 100 120 Td (a b c) Tj ET
BT /F1 10 Tf 70 85 Td (12) Tj 120 0 Td (34) Tj 0 -20 Td (5 6) Tj ET
"""


@pytest.mark.parametrize("box", [b"0 0 595.28 841.89", b"10 20 605.28 861.89", b"595.28 841.89 -5.5 -7.25"])
@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_kerning_spaces_rotated_text_rects_and_curves_as_pdfplumber_reads_them(rotate, box):
    """A standard font (metrics from pdfminer's tables), TJ kerning, spaces PDFium drops, a space-only string,
    rotated text, rects stroked and filled, a curve, a closed path, a translated line and a small ruled table; on
    pages turned every way, with media boxes away from the origin or given corner first."""
    data = _hand_pdf(HAND, rotate=rotate, box=box)
    assert pdf.pdf_text(data, "hand.pdf", continues_row) == decoding.pdf_text(data, "hand.pdf", continues_row)


FORM = (b"BT /F1 10 Tf 10 10 Td (In a form 123) Tj ET 0.5 w 5 5 m 200 5 l S 5 5 m 5 50 l S 200 5 m 200 50 l S "
        b"5 50 m 200 50 l S 5 25 m 200 25 l S 100 5 m 100 50 l S")
FORM_DRAWN = (b"BT /F1 12 Tf 100 700 Td (Outside the form) Tj ET q 1 0 0 1 50 100 cm /X1 Do Q "
              b"q 0.5 0 0 0.5 300 400 cm /X1 Do Q")


def test_forms_placed_moved_and_scaled_as_pdfplumber_reads_them():
    """Text and a ruled table inside a form XObject, drawn twice: moved, and moved and scaled by half."""
    data = _hand_pdf(FORM_DRAWN, form=FORM)
    assert pdf.pdf_text(data, "form.pdf", continues_row) == decoding.pdf_text(data, "form.pdf", continues_row)


def test_pdfiums_calls_made_in_c_loops_read_what_the_calls_through_ctypes_read(pdfs, monkeypatch):
    """govlib.pdfium_calls (PDFium's per-object, per-segment and per-character calls in C loops) against the same
    calls through ctypes, which govlib makes where it is not built: every PDF here, and the hand-made ones with
    kerning, rotated text, curves, forms and pages turned."""
    pd = pdf._pdfium()
    if pd.c is None:
        pytest.skip("govlib.pdfium_calls is not built (no C compiler, or GOVLIB_PURE=1)")
    documents = dict(pdfs)
    for rotate in (0, 90):
        documents[f"hand-{rotate}"] = _hand_pdf(HAND, rotate=rotate, box=b"10 20 605.28 861.89")
    documents["form"] = _hand_pdf(FORM_DRAWN, form=FORM)
    from_c = {name: pdf.pdf_text(data, f"{name}.pdf", continues_row) for name, data in documents.items()}
    assert len(from_c) > 25 and all(text for text, _ in from_c.values())
    monkeypatch.setattr(pd, "c", None)
    for name, data in documents.items():
        assert pdf.pdf_text(data, f"{name}.pdf", continues_row) == from_c[name], name


@pytest.mark.parametrize("content, why", [
    (b"BT /F1 12 Tf 2 Tc 100 120 Td (spaced) Tj ET", "character spacing"),
    (b"BT /F1 12 Tf 150 Tz 100 120 Td (stretched) Tj ET", "horizontal scaling"),
])
def test_what_pdfium_does_not_report_is_handed_back(content, why):
    data = _hand_pdf(HAND + content)
    with pytest.raises(pdf.Inexact):
        pdf.pdf_text(data, "hand.pdf")
    decoding.pdf_text(data, "hand.pdf")  # which pdfplumber reads


def test_a_font_without_a_descriptor_to_match_is_handed_back():
    """A TrueType font that is not a standard one and has no descriptor: pdfminer's descent is 0, PDFium's its
    own; which one the file means cannot be told from PDFium."""
    data = _hand_pdf(HAND, font=b"<< /Type /Font /Subtype /TrueType /BaseFont /SimSun >>")
    with pytest.raises(pdf.Inexact):
        pdf.pdf_text(data, "hand.pdf")


# --- the table finder and the text, rewritten: against pdfplumber's own functions on random input ------------

def _edge_dicts(edges):
    return [{"orientation": e[0], "x0": e[1], "x1": e[2], "top": e[3], "bottom": e[4], "width": e[5],
             "height": e[6], "doctop": e[3], "object_type": "line"} for e in edges]


def _random_items(rng: random.Random) -> list[tuple]:
    """Ruling lines and rects of a few tables, on LibreOffice's 0.05 pt grid or anywhere, some lines doubled or
    broken, some a little off, some diagonal, in random order."""
    items = []
    for _ in range(rng.randint(1, 3)):
        x0, top = rng.uniform(20, 300), rng.uniform(20, 600)
        xs = [x0 + sum(rng.uniform(8, 90) for _ in range(i)) for i in range(rng.randint(2, 7))]
        ys = [top + sum(rng.uniform(4, 40) for _ in range(i)) for i in range(rng.randint(2, 9))]
        snap = rng.random() < 0.5

        def at(v, snap=snap):
            return round(v * 20) / 20 if snap else v

        for y in ys:
            for a, b in zip(xs, xs[1:]):
                if rng.random() < 0.9:
                    j = rng.choice([0, 0, 0, rng.uniform(-2.5, 2.5)])
                    items.append(("line", (at(a - rng.choice([0, 0.25])), at(y + j)), (at(b), at(y + j))))
        for x in xs:
            for a, b in zip(ys, ys[1:]):
                if rng.random() < 0.9:
                    items.append(("line", (at(x), at(a)), (at(x + rng.choice([0, 0, 1.5])), at(b))))
        if rng.random() < 0.3:
            items.append(("rect", (at(xs[0]), at(ys[0])), (at(xs[-1]), at(ys[-1]))))
        if rng.random() < 0.3:
            items.append(("curve", (at(xs[0]), at(ys[0])), (at(xs[1]), at(ys[0])), (at(xs[1]), at(ys[1]))))
    rng.shuffle(items)
    return items


@pytest.mark.parametrize("seed", range(60))
def test_the_tables_are_pdfplumbers(seed):
    from pdfplumber import table as plumber

    rng = random.Random(seed)
    height = 841.89
    edges = pdf._edges(_random_items(rng), height, 0, 0)
    settings = plumber.TableSettings()
    v = [e for e in _edge_dicts(edges) if e["orientation"] == "v" and e["height"] >= 1]
    h = [e for e in _edge_dicts(edges) if e["orientation"] == "h" and e["width"] >= 1]
    merged = plumber.merge_edges(v + h, settings.snap_x_tolerance, settings.snap_y_tolerance,
                                 settings.join_x_tolerance, settings.join_y_tolerance)
    merged = [e for e in merged if e["height" if e["orientation"] == "v" else "width"] >= settings.edge_min_length]
    cells = plumber.intersections_to_cells(plumber.edges_to_intersections(merged, 3, 3))
    expected = plumber.cells_to_tables(cells)
    ours = pdf._table_edges(edges)
    assert sorted(map(tuple, ours)) == sorted((e["orientation"], e["x0"], e["x1"], e["top"], e["bottom"],
                                               e["width"], e["height"]) for e in merged)
    found = pdf._tables(pdf._cells(pdf._intersections(ours)))
    assert found == expected
    for cells in found:
        assert pdf._rows(cells) == [row.cells for row in plumber.Table(None, cells).rows]


def _random_chars(rng: random.Random) -> list[tuple]:
    """Characters in lines and wrapped lines, words apart by about 3 points (pdfplumber's tolerance), spaces of
    several kinds, lines whose tops differ by less than 3 points, a few rotated characters and ligatures."""
    chars = []
    top = rng.uniform(50, 100)
    for _ in range(rng.randint(1, 6)):
        x = rng.uniform(40, 80)
        size = rng.choice([9, 10.5, 11, 12])
        line_top = round(top, 3)
        for _ in range(rng.randint(1, 14)):
            text = rng.choice("政府信息公开0123456789abﬁ（）") if rng.random() < 0.85 else rng.choice([" ", "\u3000", "\xa0"])
            width = size if text > "\u2fff" else size * rng.choice([0.5, 0.556, 0.278])
            t = line_top + rng.choice([0, 0, 0, 0, rng.uniform(-3.5, 3.5)])
            upright = rng.random() > 0.05
            chars.append((text, round(x, 3), round(x + width, 3), round(t, 3), round(t + size, 3), upright))
            x += width + rng.choice([0, 0, 0, 0, rng.uniform(2, 4), rng.uniform(-1, 0)])
        top += rng.choice([size + 2, size + 4, 2.5, 1])
    return chars


def _char_dicts(chars):
    return [{"text": c[0], "x0": c[1], "x1": c[2], "top": c[3], "bottom": c[4], "doctop": c[3], "upright": c[5],
             "width": c[2] - c[1], "height": c[4] - c[3]} for c in chars]


@pytest.mark.parametrize("seed", range(150))
def test_words_cells_and_lines_are_pdfplumbers(seed):
    from pdfplumber import table as plumber
    from pdfplumber import utils

    rng = random.Random(seed)
    chars = _random_chars(rng)
    dicts = _char_dicts(chars)
    assert pdf._cell_text(chars) == utils.extract_text(dicts)
    lines = utils.chars_to_textmap(dicts, layout_bbox=(0, 0, 595, 842)).extract_text_lines(return_chars=False)
    assert pdf._text_lines(chars) == [(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in lines]
    # a table over them: its cells' text as Table.extract gives it
    xs = sorted({round(rng.uniform(30, 250), 2) for _ in range(4)})
    ys = sorted({round(rng.uniform(40, 200), 2) for _ in range(4)})
    cells = [(a, b, c, d) for a, c in zip(xs, xs[1:]) for b, d in zip(ys, ys[1:]) if rng.random() < 0.85]
    if len(cells) < 2:
        return
    hs = [(c[1] + c[2]) / 2 for c in chars]
    vs = [(c[3] + c[4]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=vs.__getitem__)
    rows = pdf._rows(cells)
    expected = plumber.Table(SimpleNamespace(chars=dicts), cells).extract()
    assert pdf._extract(chars, (hs, vs, order, [vs[i] for i in order]), rows) == expected
