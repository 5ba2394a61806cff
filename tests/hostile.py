"""Hostile inputs, made on the spot: each function returns the bytes of one kind of file a careless tool or an
attacker could hand govlib, built from a generated report so that everything but the hostile part is real."""

from __future__ import annotations

import io
import random
import zipfile

from govlib.testing import synth

GLUED_ROW = "（六）其他处理"  # a row of section 三 whose seven cells run together in a crawler's text


def glued_report(seed: int = 3) -> str:
    """A crawler's text of a generated report: every table on one line, cells run together."""
    rng = random.Random(seed)
    return synth.render_text(synth.generate(rng), "glued", rng)


def glued_digits(n: int, sign: str = "", seed: int = 3) -> bytes:
    """That text with the row 其他处理 printing a run of ``n`` digits (``sign`` in the middle of it, if given)."""
    text = glued_report(seed)
    digits = "".join(random.Random(n).choice("123456789") for _ in range(n))
    if sign:
        digits = digits[: n // 2] + sign + digits[n // 2:]
    i = text.index(GLUED_ROW) + len(GLUED_ROW)
    j = i
    while text[j].isdigit() or text[j] == " ":
        j += 1
    return (text[:i] + digits + text[j:]).encode()


def docx_report(seed: int = 5) -> bytes:
    rng = random.Random(seed)
    return synth.render_docx(synth.generate(rng), rng)


def with_document_xml(docx: bytes, change) -> bytes:
    """The Word file ``docx`` with its word/document.xml replaced by ``change(xml)``."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = change(data)
            z.writestr(item.filename, data)
    return out.getvalue()


def _body_insert(xml: bytes, inner: bytes) -> bytes:
    at = xml.index(b"<w:body>") + len(b"<w:body>")
    return xml[:at] + inner + xml[at:]


def broken_markup(docx: bytes) -> bytes:
    """The XML cut off in the middle, as an interrupted download or a faulty tool leaves it."""
    return with_document_xml(docx, lambda xml: xml[: len(xml) // 2])


def entity_amplification(docx: bytes) -> bytes:
    """A "billion laughs" DTD: ten levels of entities, each ten of the one below."""
    def change(xml: bytes) -> bytes:
        decl = xml.index(b"?>") + 2
        levels = [b'<!ENTITY e0 "ha">'] + [
            b"<!ENTITY e%d \"%s\">" % (i, b"".join(b"&e%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)]
        dtd = b"<!DOCTYPE w:document [" + b"".join(levels) + b"]>"
        return _body_insert(xml[:decl] + dtd + xml[decl:], b"<w:p><w:r><w:t>&e9;</w:t></w:r></w:p>")
    return with_document_xml(docx, change)


def nested_tables(docx: bytes, depth: int = 3000) -> bytes:
    """3,000 tables, each inside a cell of the one around it."""
    inner = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
    return with_document_xml(docx, lambda xml: _body_insert(xml, inner))


def huge_text_node(docx: bytes, chars: int = 12_000_000) -> bytes:
    """One paragraph of twelve million characters (small once compressed)."""
    return with_document_xml(docx, lambda xml: _body_insert(xml, b"<w:p><w:r><w:t>" + b"9" * chars +
                                                            b"</w:t></w:r></w:p>"))


def xml_bomb(docx: bytes, mib: int = 148) -> bytes:
    """A few hundred KB of Word file whose XML unpacks to ``mib`` MB (empty paragraphs compress to nothing)."""
    filler = b"<w:p><w:r><w:t>          </w:t></w:r></w:p>" * (mib * 2 ** 20 // 44)
    return with_document_xml(docx, lambda xml: _body_insert(xml, filler))


def many_paragraphs(docx: bytes, count: int = 30_000) -> bytes:
    """More paragraphs than any report has (30,000 empty ones: under a MB of XML)."""
    return with_document_xml(docx, lambda xml: _body_insert(xml, b"<w:p/>" * count))


def scanned_pdf_with_page_numbers(pages: int = 4) -> bytes:
    """A scanner's PDF — every page an image — whose only text is the page numbers it stamped ("- 2 -", "Page 2
    of 4"): more characters than a PDF of images alone, none of them the report's."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PIL import Image, ImageDraw

    images = []
    for _ in range(pages):
        image = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(image)
        for y in range(80, 700, 30):  # lines of "text" in the image
            draw.rectangle([60, y, 530, y + 12], fill="black")
        images.append(image)
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:])
    pdf = pdfium.PdfDocument(buf.getvalue())
    font = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    for n in range(pages):
        page = pdf[n]
        for text, x, y in ((f"- {n + 1} -", 280, 30), (f"Page {n + 1} of {pages}", 480, 810)):
            obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, 10.0)
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
