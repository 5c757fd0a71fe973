"""A kit as a file for the hiring panel: Markdown, DOCX, PDF or JSON.

All four come from the typed :class:`~interviewkit.kit.Kit`, so they carry the
same title, candidate, role and questions.  DOCX and PDF add room for the
interviewer's notes and a 1-5 score per question, because that is what a panel
prints.  The PDF is drawn by fpdf2 (pure Python, no browser) with a font that
has Hangul - Debian's ``fonts-nanum`` - so Korean kits print; without such a
font the PDF export fails with :class:`ExportError` saying what to install,
while the other formats still work.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from interviewkit.errors import KitError
from interviewkit.generation import STATUS_TEXT
from interviewkit.kit import Kit, Question

JSON_SCHEMA = "interviewkit.kit/1"
SCORE_LABEL = "Score (1–5)"
FORMATS: dict[str, tuple[str, str]] = {  # format → (MIME type, file extension)
    "md": ("text/markdown", "md"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
    "json": ("application/json", "json"),
}


class ExportError(KitError):
    """An export that cannot be made here; the message says what to do."""

    code = "export"


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


def export(kit: Kit, fmt: str, *, fonts: Sequence[PdfFont] = PDF_FONTS) -> bytes:
    """The kit as the bytes of a ``fmt`` file (one of :data:`FORMATS`)."""
    if fmt == "md":
        return to_markdown(kit).encode("utf-8")
    if fmt == "json":
        return to_json(kit).encode("utf-8")
    if fmt == "docx":
        return to_docx(kit)
    if fmt == "pdf":
        return to_pdf(kit, find_pdf_font(fonts))
    raise ExportError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.",
                      code="bad_format")


def mime_type(fmt: str) -> str:
    return FORMATS[fmt][0]


def file_name(kit: Kit, fmt: str) -> str:
    """``interview-kit-<candidate>-<prompt>-<id or date>.<ext>``, safe on every OS."""
    stem = re.sub(r"[^\w]+", "-", kit.candidate).strip("-_")[:40] or "candidate"
    tail = str(kit.id) if kit.id is not None else f"{kit.created:%Y%m%d-%H%M}"
    return f"interview-kit-{stem}-{kit.prompt_key}-{tail}.{FORMATS[fmt][1]}"


# --- shared content ----------------------------------------------------------

def title(kit: Kit) -> str:
    return f"Interview kit — {kit.candidate}"


def status_line(kit: Kit) -> str | None:
    """Why a kit is incomplete, or None for a complete one."""
    if not kit.partial and kit.status == "done":
        return None
    reason = f" ({kit.error})" if kit.error else ""
    return f"Partial kit — {STATUS_TEXT.get(kit.status, kit.status)}{reason}"


def meta(kit: Kit) -> list[tuple[str, str]]:
    """The facts printed under the title, in order."""
    rows = [("Candidate", kit.candidate), ("Role", kit.role or "—"),
            ("Interview", kit.prompt_name), ("CV", kit.cv_name),
            ("Model", kit.model or kit.provider or "—"),
            ("Generated", f"{kit.created:%Y-%m-%d %H:%M} UTC")]
    status = status_line(kit)
    return [*rows, ("Status", status)] if status else rows


def question_lines(q: Question) -> list[str]:
    """One question in the kit's canonical Markdown (what :func:`parse_kit` reads best)."""
    lines = [f"### {q.number}. {q.text}"]
    if q.listen_for:
        lines += ["**Listen for:**", *(f"- {point}" for point in q.listen_for)]
    if q.follow_up:  # the blank line keeps Markdown from folding it into the last point
        lines += ["", f"**Follow-up:** {q.follow_up}"] if q.listen_for else [
            f"**Follow-up:** {q.follow_up}"]
    return lines


# --- Markdown and JSON -------------------------------------------------------

def to_markdown(kit: Kit) -> str:
    """Title, facts, then the questions (the raw text when none could be parsed)."""
    lines = [f"# {title(kit)}", ""]
    lines += [f"- {label}: {value}" for label, value in meta(kit)[1:]]
    lines.append("")
    if kit.questions:
        for q in kit.questions:
            lines += [*question_lines(q), ""]
    else:
        lines += [kit.markdown.strip(), ""]
    return "\n".join(lines)


def kit_to_dict(kit: Kit) -> dict[str, Any]:
    """The typed structure as JSON-ready data (the CV file's bytes are left out)."""
    data = asdict(kit)
    data.pop("cv_file")
    data["created"] = kit.created.isoformat()
    data["role"] = kit.role
    data["has_cv_file"] = kit.cv_file is not None
    return {"schema": JSON_SCHEMA, **data}


def kit_from_dict(data: dict[str, Any]) -> Kit:
    """Read :func:`kit_to_dict` output back (for scripts that consume the JSON export)."""
    if data.get("schema") != JSON_SCHEMA:
        raise ExportError(f"Not an Interview Kit JSON export ({JSON_SCHEMA}).", code="bad_json")
    fields = {k: v for k, v in data.items()
              if k not in {"schema", "role", "has_cv_file", "questions", "created"}}
    return Kit(**fields, created=datetime.fromisoformat(data["created"]),
               questions=[Question(**q) for q in data["questions"]])


def to_json(kit: Kit) -> str:
    return json.dumps(kit_to_dict(kit), ensure_ascii=False, indent=2) + "\n"


def xml_safe(text: str) -> str:
    """Drop control characters that DOCX (XML) cannot hold; a model may emit them."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


# --- DOCX --------------------------------------------------------------------

def _docx_fonts(doc: DocxDocument) -> None:
    """Tell Word which font to use for Hangul/CJK runs (it has none by default on Linux)."""
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), "Malgun Gothic")


def _docx_question(doc: DocxDocument, q: Question) -> None:
    doc.add_heading(xml_safe(f"{q.number}. {q.text}"), level=2)
    if q.listen_for:
        doc.add_paragraph().add_run("Listen for").bold = True
        for point in q.listen_for:
            doc.add_paragraph(xml_safe(point), style="List Bullet")
    if q.follow_up:
        para = doc.add_paragraph()
        para.add_run("Follow-up: ").bold = True
        para.add_run(xml_safe(q.follow_up))
    _docx_notes(doc)


def _docx_notes(doc: DocxDocument) -> None:
    """A two-row box: free space for notes, and the 1-5 score to tick."""
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    notes, score = table.rows
    notes.height = Cm(3)
    notes.cells[0].text, notes.cells[1].text = "Interviewer notes", ""
    score.cells[0].text = SCORE_LABEL
    score.cells[1].text = "☐ 1    ☐ 2    ☐ 3    ☐ 4    ☐ 5"
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(4), Cm(12.5)
    doc.add_paragraph()


def to_docx(kit: Kit) -> bytes:
    """Title, a facts table, then each question with its assessment points and a notes box."""
    doc = docx.Document()
    _docx_fonts(doc)
    doc.core_properties.title = xml_safe(title(kit))
    doc.add_heading(xml_safe(title(kit)), level=0)
    facts = doc.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in meta(kit):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, xml_safe(value)
    doc.add_heading("Questions", level=1)
    for q in kit.questions:
        _docx_question(doc, q)
    if not kit.questions:
        doc.add_paragraph("No questions could be read from this kit; its text follows.")
        for line in kit.markdown.splitlines():
            doc.add_paragraph(xml_safe(line))
    doc.add_heading("Overall", level=1)
    _docx_notes(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------

class _KitPdf(FPDF):
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


def _pdf_question(pdf: _KitPdf, q: Question) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.para(f"{q.number}. {q.text}", size=12.5, bold=True, height=7)
    if q.listen_for:
        pdf.para("Listen for", bold=True, size=10.5)
        for point in q.listen_for:
            pdf.para(f"•  {point}", size=10.5, indent=4)
    if q.follow_up:
        pdf.para(f"Follow-up: {q.follow_up}", size=10.5)
    pdf.notes_box()


def to_pdf(kit: Kit, font: PdfFont) -> bytes:
    """The same content as the DOCX, printable, with Korean rendered by a Hangul font."""
    pdf = _KitPdf(font)
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
    pdf.para("Overall", size=12.5, bold=True, height=7)
    pdf.notes_box()
    return bytes(pdf.output())
