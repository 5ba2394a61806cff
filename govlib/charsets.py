"""Bytes of a text file to one string: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-byte pattern), GB18030/GBK —
the encodings Chinese reports and the tables beside them (an Excel CSV saved on Chinese Windows) come in."""

from __future__ import annotations

import codecs


class DecodeError(ValueError):
    """Bytes that are not text in any encoding govlib reads (callers turn it into their own error)."""


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Decode the bytes of a text file: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-byte pattern), GB18030/GBK;
    with the encoding found."""
    if not data.strip():
        raise DecodeError(f"{path}: the file is empty; expected the text of an annual report")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    head = data[:4000]
    if 0 in head:  # UTF-16 without a BOM, or not text at all
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            sample = text[:2000]
            plausible = sum(" " <= ch <= "~" or ch in "\t\n\r" or "\u4e00" <= ch <= "\u9fff"
                            or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" for ch in sample)
            if plausible >= 0.9 * len(sample):
                return text, enc
        raise DecodeError(f"{path}: this is a binary file (NUL bytes at offset {head.index(0)}), not a report text; "
                         f"export the report as text, HTML or DOCX")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_error:
            raise DecodeError(
                f"{path}: not UTF-8 (invalid byte at offset {utf8_error.start}) and decoding as GB18030 also failed "
                f"(offset {gb_error.start}); save the file as UTF-8 or GB18030 and try again") from None


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise DecodeError(f"{path}: looks like {encoding} but byte {e.start} is invalid in it; "
                         f"re-save the file as UTF-8") from None
