"""Build hostile test PDFs at test time by overlaying text onto real corpus CVs.

Nothing here is committed as a binary: each test makes the file it needs.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def text_ops(text: str, *, x: float = 72, y: float = 100, size: float = 10,
             fill: str = "0 g", render_mode: int = 0, cm: str = "") -> bytes:
    """A content stream that draws ``text`` in Helvetica with the given graphics state."""
    prefix = f"q {cm} cm " if cm else "q "
    ops = (f"{prefix}BT {fill} {render_mode} Tr /FH {size} Tf {x} {y} Td (").encode()
    return ops + _escape(text) + b") Tj ET Q"


def _overlay(width: float, height: float, ops: bytes) -> PageObject:
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FH"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(ops)
    page[NameObject("/Contents")] = writer._add_object(stream)
    return page


def overlay_onto(cv: Path, ops: bytes, page_index: int = 0) -> bytes:
    """The CV's bytes with ``ops`` drawn on top of one of its pages."""
    writer = PdfWriter(clone_from=PdfReader(cv))
    page = writer.pages[page_index]
    page.merge_page(_overlay(float(page.mediabox.width), float(page.mediabox.height), ops))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def decompression_bomb(expanded_bytes: int = 70_000_000) -> bytes:
    """A ~70 KB one-page PDF whose content stream inflates to ``expanded_bytes``."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf (x) Tj ET " + b" " * expanded_bytes)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
