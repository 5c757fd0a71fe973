"""A filled scorecard as a file: DOCX (python-docx) and PDF (fpdf2, Hangul included).

What the hiring panel files after an interview: the candidate, role and interviewer;
each question with its score, whether it was asked, the interviewer's notes and
the kit's rating guide; the overall recommendation and summary; and every
amendment made after submission, so a changed score is never silent.  Both formats
print the same rows (:func:`facts`, :func:`question_rows`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime

import docx
from docx.document import Document as DocxDocument

from interviewkit.errors import ExportError
from interviewkit.export import FORMATS
from interviewkit.export.common import xml_safe
from interviewkit.export.docxfile import docx_fonts
from interviewkit.export.pdffile import KitPdf, PdfFont, find_pdf_font
from interviewkit.interview.model import Scorecard, clock_text
from interviewkit.kit.model import Kit, Question

__all__ = ["SCORECARD_FORMATS", "export_scorecard", "facts", "question_rows",
           "scorecard_docx", "scorecard_file_name", "scorecard_pdf"]

LEVELS = (1, 3, 5)  # the anchors of a rating guide, in Question.rating order


def title(kit: Kit) -> str:
    return f"Scorecard — {kit.candidate}"


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC" if at else "—"


def facts(kit: Kit, card: Scorecard) -> list[tuple[str, str]]:
    """The facts under the title, in order."""
    status = (f"Submitted {_when(card.submitted)}" if card.read_only
              else "Draft — not submitted")
    return [("Candidate", kit.candidate), ("Role", kit.role or "—"),
            ("Interview", kit.prompt_name), ("Interviewer", card.interviewer),
            ("Status", status), ("Interview time", clock_text(card.elapsed())),
            ("Recommendation", card.recommendation.label if card.recommendation else "—")]


def rating_guide(q: Question) -> str:
    return "   ·   ".join(f"{n}: {text}" for n, text in zip(LEVELS, q.rating, strict=False))


def question_rows(q: Question, card: Scorecard) -> list[tuple[str, str]]:
    """One question's filled rows: score, asked or skipped, rating guide, notes."""
    item = card.item(q.number)
    rows = [("Score", f"{item.score} / 5" if item.score else "—"),
            ("Asked or skipped", item.state.label)]
    if q.rating:
        rows.append(("Rating guide", rating_guide(q)))
    return [*rows, ("Notes", item.notes.strip() or "—")]


def _table(doc: DocxDocument, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, xml_safe(value)


def scorecard_docx(kit: Kit, card: Scorecard) -> bytes:
    """Title, the facts, each question's filled rows, the overall part, the amendments."""
    doc = docx.Document()
    docx_fonts(doc)
    doc.core_properties.title = xml_safe(title(kit))
    doc.add_heading(xml_safe(title(kit)), level=0)
    _table(doc, facts(kit, card))
    doc.add_heading("Questions", level=1)
    for q in kit.questions:
        doc.add_heading(xml_safe(f"{q.number}. {q.text}"), level=2)
        _table(doc, question_rows(q, card))
    doc.add_heading("Overall", level=1)
    _table(doc, [("Recommendation", card.recommendation.label if card.recommendation
                  else "—"), ("Summary", card.summary.strip() or "—")])
    if card.amendments:
        doc.add_heading("Amendments after submission", level=1)
        for amendment in card.amendments:
            doc.add_paragraph(xml_safe(amendment.line()), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


BLOCKS = ("Notes", "Summary")  # free text: printed under its label, not beside it


def _pdf_rows(pdf: KitPdf, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        if label in BLOCKS:
            pdf.para(label, size=10, bold=True, height=5.5)
            pdf.para(value, size=10.5, height=5.5, indent=4)
        else:
            pdf.para(f"{label}: {value}", size=10, height=5.5)
    pdf.ln(3)


def scorecard_pdf(kit: Kit, card: Scorecard, font: PdfFont | None = None) -> bytes:
    """The same content as the DOCX, printable, Korean drawn with a Hangul font."""
    pdf = KitPdf(font or find_pdf_font())
    pdf.set_title(pdf.fit(title(kit)))
    pdf.add_page()
    pdf.para(title(kit), size=18, bold=True, height=10)
    pdf.ln(2)
    for label, value in facts(kit, card):
        pdf.para(f"{label}: {value}", size=10, height=5.5)
    pdf.ln(4)
    for q in kit.questions:
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.para(f"{q.number}. {q.text}", size=12.5, bold=True, height=7)
        _pdf_rows(pdf, question_rows(q, card))
    pdf.para("Overall", size=12.5, bold=True, height=7)
    _pdf_rows(pdf, [("Recommendation", card.recommendation.label if card.recommendation
                     else "—"), ("Summary", card.summary.strip() or "—")])
    if card.amendments:
        pdf.para("Amendments after submission", size=12.5, bold=True, height=7)
        for amendment in card.amendments:
            pdf.para(f"•  {amendment.line()}", size=10, indent=4)
    return bytes(pdf.output())


SCORECARD_FORMATS: dict[str, Callable[[Kit, Scorecard], bytes]] = {
    "docx": scorecard_docx,
    "pdf": scorecard_pdf,
}


def export_scorecard(kit: Kit, card: Scorecard, fmt: str) -> bytes:
    """The scorecard as the bytes of a ``fmt`` file (``docx`` or ``pdf``)."""
    if fmt not in SCORECARD_FORMATS:
        raise ExportError(f"A scorecard exports as {' or '.join(SCORECARD_FORMATS)}, not "
                          f"{fmt!r}.", code="bad_format")
    return SCORECARD_FORMATS[fmt](kit, card)


def scorecard_file_name(kit: Kit, card: Scorecard, fmt: str) -> str:
    """``scorecard-<candidate>-<interviewer>-<kit id>.<ext>``, safe on every OS."""
    def part(text: str) -> str:
        return re.sub(r"[^\w]+", "-", text).strip("-_")[:40] or "x"
    return (f"scorecard-{part(kit.candidate)}-{part(card.interviewer)}-{kit.id or 'kit'}."
            f"{FORMATS[fmt].extension}")
