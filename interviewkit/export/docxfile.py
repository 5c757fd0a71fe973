"""A kit as a Word document (python-docx), with a notes box and a 1-5 score per question, and
the question's rating guide (what a 1, a 3 and a 5 answer sound like) above them."""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

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


def docx_fonts(doc: DocxDocument) -> None:
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
    rows = ([("Follow-up", q.follow_up)] if q.follow_up else []) + grounds(q)
    for label, value in rows:
        para = doc.add_paragraph()
        para.add_run(f"{label}: ").bold = True
        para.add_run(xml_safe(value))
    _docx_rating(doc, q)
    _docx_notes(doc)


def _docx_rating(doc: DocxDocument, q: Question) -> None:
    """A small table: each anchor score, and what an answer of that score sounds like."""
    rows = rating_rows(q)
    if not rows:
        return
    doc.add_paragraph().add_run(RATING_TITLE).bold = True
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for score, text in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = score, xml_safe(text)
        cells[0].width, cells[1].width = Cm(1.5), Cm(15)
    doc.add_paragraph()


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
    docx_fonts(doc)
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
    if rows := coverage_rows(kit):
        doc.add_heading("Coverage of the job's requirements", level=1)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for requirement, questions in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = xml_safe(requirement), questions
    doc.add_heading("Overall", level=1)
    _docx_notes(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
