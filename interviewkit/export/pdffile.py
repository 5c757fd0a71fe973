"""A kit as a printable PDF (fpdf2), Korean included through a Hangul font.

The font is Debian's ``fonts-nanum`` (``fonts-noto-cjk`` as a fallback); without
one, PDF export fails with :class:`~interviewkit.errors.ExportError` saying what
to install, while the other formats still work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from interviewkit.errors import ExportError
from interviewkit.export.common import (
    RATING_TITLE,
    SCORE_LABEL,
    coverage_rows,
    grounds,
    meta,
    rating_rows,
    title,
    xml_safe,
)
from interviewkit.kit.model import Kit, Question


@dataclass(frozen=True)
class PdfFont:
    """A font file pair with Hangul glyphs (``collection``: face index in a .ttc)."""

    regular: Path
    bold: Path
    collection: int = 0


_NANUM = Path("/usr/share/fonts/truetype/nanum")
_NOTO = Path("/usr/share/fonts/opentype/noto")
PDF_FONTS: tuple[PdfFont, ...] = (  # Debian fonts-nanum first; fonts-noto-cjk as a fallback
    PdfFont(_NANUM / "NanumBarunGothic.ttf", _NANUM / "NanumBarunGothicBold.ttf"),
    PdfFont(_NANUM / "NanumGothic.ttf", _NANUM / "NanumGothicBold.ttf"),
    PdfFont(_NOTO / "NotoSansCJK-Regular.ttc", _NOTO / "NotoSansCJK-Bold.ttc", collection=1),
)
NO_FONT_MESSAGE = ("PDF export needs a font with Korean (Hangul) letters and none is installed. "
                   "Install Debian's fonts-nanum (apt-get install fonts-nanum) and try again; "
                   "Markdown, DOCX and JSON exports work without it.")


def find_pdf_font(candidates: Sequence[PdfFont] = PDF_FONTS) -> PdfFont:
    """The first installed candidate (bold falls back to regular), else :class:`ExportError`."""
    for font in candidates:
        if font.regular.is_file():
            bold = font.bold if font.bold.is_file() else font.regular
            return PdfFont(font.regular, bold, font.collection)
    raise ExportError(NO_FONT_MESSAGE, code="no_font")


class KitPdf(FPDF):
    """fpdf2 with a Hangul font and text limited to the glyphs that font has."""

    def __init__(self, font: PdfFont) -> None:
        super().__init__(format="A4")
        self.add_font("kit", "", font.regular, collection_font_number=font.collection)
        self.add_font("kit", "B", font.bold, collection_font_number=font.collection)
        self.set_font("kit", size=11)
        self._glyphs: set[int] = set(self.current_font.cmap)  # type: ignore[union-attr]
        self.set_auto_page_break(auto=True, margin=15)
        self.set_creator("Interview Kit")

    def fit(self, text: str) -> str:
        """Characters the font lacks (emoji…) become "?" instead of silent blanks."""
        return "".join(ch if ord(ch) in self._glyphs or ch == "\n" else "?"
                       for ch in xml_safe(text))

    def para(self, text: str, *, size: float = 11, bold: bool = False, height: float = 6,
             indent: float = 0) -> None:
        self.set_font("kit", "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, height, self.fit(text),
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rating_table(self, rows: list[tuple[str, str]]) -> None:
        """The 1/3/5 guide as a small two-column table (score, what that answer sounds like)."""
        if not rows:
            return
        if self.will_page_break(26):  # the title stays with its table
            self.add_page()
        self.para(RATING_TITLE, bold=True, size=10.5)
        self.set_font("kit", "", 9.5)
        with self.table(col_widths=(8, self.epw - 8), text_align=("CENTER", "LEFT"),
                        line_height=5, first_row_as_headings=False) as table:
            for score, text in rows:
                row = table.row()
                row.cell(score)
                row.cell(self.fit(text))
        self.ln(2)

    def notes_box(self) -> None:
        if self.will_page_break(42):
            self.add_page()
        self.set_font("kit", "", 9)
        top = self.get_y() + 1
        self.rect(self.l_margin, top, self.epw, 28)
        self.set_xy(self.l_margin + 1.5, top + 1.5)
        self.cell(text="Interviewer notes")
        self.set_xy(self.l_margin, top + 30)
        self.set_font("kit", "", 10)
        self.cell(text=self.fit(f"{SCORE_LABEL}:   ○ 1     ○ 2     ○ 3     ○ 4     ○ 5"),
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(5)


def _pdf_question(pdf: KitPdf, q: Question) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.para(f"{q.number}. {q.text}", size=12.5, bold=True, height=7)
    if q.listen_for:
        pdf.para("Listen for", bold=True, size=10.5)
        for point in q.listen_for:
            pdf.para(f"•  {point}", size=10.5, indent=4)
    if q.follow_up:
        pdf.para(f"Follow-up: {q.follow_up}", size=10.5)
    for label, value in grounds(q):
        pdf.para(f"{label}: {value}", size=9.5)
    pdf.rating_table(rating_rows(q))
    pdf.notes_box()


def to_pdf(kit: Kit, font: PdfFont) -> bytes:
    """The same content as the DOCX, printable, with Korean rendered by a Hangul font."""
    pdf = KitPdf(font)
    pdf.set_title(pdf.fit(title(kit)))
    pdf.add_page()
    pdf.para(title(kit), size=18, bold=True, height=10)
    pdf.ln(2)
    for label, value in meta(kit):
        pdf.para(f"{label}: {value}", size=10, height=5.5)
    pdf.ln(4)
    for q in kit.questions:
        _pdf_question(pdf, q)
    if not kit.questions:
        pdf.para("No questions could be read from this kit; its text follows.", bold=True)
        pdf.para(kit.markdown.strip() or "(empty)", size=10)
    if rows := coverage_rows(kit):
        pdf.para("Coverage of the job's requirements", size=12.5, bold=True, height=7)
        for requirement, questions in rows:
            pdf.para(f"•  {requirement} — {questions}", size=10, indent=4)
        pdf.ln(3)
    pdf.para("Overall", size=12.5, bold=True, height=7)
    pdf.notes_box()
    return bytes(pdf.output())
