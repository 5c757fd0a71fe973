"""Build test PDFs at test time: hostile text overlaid onto real corpus CVs, bombs, and
long or slow made-up CVs (also used by ``bench/extraction.py``).

Nothing here is committed as a binary: each test makes the file it needs.
"""

from __future__ import annotations

import io
import random
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


CV_WORDS = tuple(" ".join((
    "designed built led migrated platform service latency throughput Kubernetes PostgreSQL",
    "pipeline reliability customers revenue team engineers mentored reduced improved automated",
    "observability incidents architecture streaming Kafka Python Go Rust testing release",
    "quarterly roadmap stakeholders budget vendors security compliance audits dashboards",
    "analytics onboarding documentation hiring partners contracts forecasting")).split(" "))
CV_HEADINGS = ("Professional experience", "Projects", "Education", "Publications and talks",
               "Skills", "Languages", "Volunteering", "Certifications")


def _kerned(text: str, x: float, y: float, font: str, size: float) -> str:
    """One line as word processors write it: a TJ array with a kerning number per glyph."""
    glyphs = "".join(f"({_escape(c).decode('latin-1')}){(i % 7) * 3 - 9}"
                     for i, c in enumerate(text))
    return f"BT /{font} {size} Tf 1 0 0 1 {x} {y} Tm [{glyphs}] TJ ET\n"


def _cv_page_ops(rnd: random.Random, number: int, chars: int) -> tuple[str, int]:
    """Content of one CV page: a heading, then bullet lines of about 95 characters."""
    heading = f"{CV_HEADINGS[number % len(CV_HEADINGS)]} (page {number + 1})"
    ops, written, y = [_kerned(heading, 50, 800, "F2", 12)], len(heading), 780.0
    while written < chars and y > 50:
        line = "- "
        while len(line) < 92:
            line += rnd.choice(CV_WORDS) + " "
        ops.append(_kerned(line[:2] + line[2].upper() + line[3:].rstrip() + ".", 50, y, "F1",
                           9.5))
        written, y = written + len(line), y - 11.5
    return "".join(ops), written


def _text_pdf(contents: list[bytes]) -> bytes:
    """A PDF with one A4 page per content stream, Helvetica as /F1 and Helvetica-Bold as /F2."""
    writer = PdfWriter()
    fonts = DictionaryObject({NameObject(f"/{key}"): writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject(f"/{base}"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
        for key, base in (("F1", "Helvetica"), ("F2", "Helvetica-Bold"))})
    for ops in contents:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(ops)
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def long_cv(pages: int = 9, chars: int = 35_000, seed: int = 7) -> bytes:
    """A legitimate long, text-heavy CV: ``pages`` pages, about ``chars`` characters.

    Every glyph is kerned, as Word or LaTeX write text, because that (one operand per
    glyph) is what makes pypdf slow on real long CVs while pdftotext stays fast.
    """
    rnd = random.Random(seed)
    contents = []
    for number in range(pages):
        ops, _ = _cv_page_ops(rnd, number, chars // pages)
        contents.append(ops.encode("latin-1"))
    return _text_pdf(contents)


def slow_page_pdf(pages: int = 3, slow_page: int = 3, glyphs: int = 600_000) -> bytes:
    """Short quick pages, except page ``slow_page``: ``glyphs`` kerned glyphs that pypdf needs
    seconds for (a stand-in for a hostile page; the file is small, the text repeats)."""
    rnd = random.Random(1)
    contents = [_cv_page_ops(rnd, n, 300)[0].encode("latin-1") for n in range(pages)]
    line = _kerned("slow page " * 10, 50, 400, "F1", 9.5)
    contents[slow_page - 1] = (line * (glyphs // 100)).encode("latin-1")
    return _text_pdf(contents)
