"""A filled scorecard as DOCX and PDF, read back with python-docx and pypdf (Hangul too)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import pytest
from pypdf import PdfReader

from interviewkit.errors import ExportError
from interviewkit.export.pdffile import PDF_FONTS
from interviewkit.export.scorecard import (
    export_scorecard,
    facts,
    scorecard_docx,
    scorecard_file_name,
    scorecard_pdf,
)
from interviewkit.interview import (
    Amendment,
    Field,
    Item,
    ItemState,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from interviewkit.kit.model import Kit, Question
from tests.conftest import require
from tests.kit.test_kit import make_kit

AT = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
RATING = ["Vague, no numbers", "One example with numbers", "Measured trade-offs"]


def kit() -> Kit:
    made = make_kit("김민수", id=7)
    first = made.questions[0]
    made.questions[0] = Question(first.number, first.text, first.listen_for, first.follow_up,
                                 rating=list(RATING))
    made.questions.append(Question(3, "가장 어려웠던 프로젝트는 무엇이었나요?"))
    return made


def card(*, submitted: bool = True) -> Scorecard:
    items = {1: Item(1, "Scaled to 40k rps; weighed\ncaching vs sharding.", 4, ItemState.ASKED),
             2: Item(2, "", None, ItemState.SKIPPED),
             3: Item(3, "결제 시스템 장애를 해결함", 5, ItemState.ASKED)}
    amendments = (Amendment(1, AT, "Jane Doe", 1, Field.SCORE, "3", "4",
                            "Re-read my notes after the debrief"),)
    return Scorecard(
        id=3, kit_id=7, interviewer="Jane Doe", interviewer_key="jane doe",
        status=ScorecardStatus.SUBMITTED if submitted else ScorecardStatus.DRAFT,
        recommendation=Recommendation.STRONG_YES, summary="Hire: 강력 추천.",
        submitted=AT if submitted else None, clock_elapsed_s=2712.0, items=items,
        amendments=amendments if submitted else ())


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows
              for cell in row.cells]
    return "\n".join(parts)


EXPECTED = ["Scorecard — 김민수", "Senior Backend Engineer", "Jane Doe", "Submitted 2026-05-04",
            "45:12", "Strong yes", "1. How did you scale the Django service", "4 / 5", "Asked",
            "Skipped", "Scaled to 40k rps", "1: Vague, no numbers", "5: Measured trade-offs",
            "3. 가장 어려웠던 프로젝트는", "결제 시스템 장애를 해결함", "Hire: 강력 추천.",
            "Q1 score “3” → “4”", "Re-read my notes after the debrief"]


def test_docx_holds_every_filled_field() -> None:
    text = docx_text(scorecard_docx(kit(), card()))
    for expected in EXPECTED:
        assert expected in text, expected
    assert "Amendments after submission" in text


def test_a_draft_says_so_and_has_no_amendments() -> None:
    text = docx_text(scorecard_docx(kit(), card(submitted=False)))
    assert "Draft — not submitted" in text and "Amendments" not in text
    assert dict(facts(kit(), card(submitted=False)))["Status"] == "Draft — not submitted"


def test_pdf_holds_every_filled_field_in_hangul_too() -> None:
    require(any(f.regular.is_file() for f in PDF_FONTS),
            "no Hangul font for PDF export (apt-get install fonts-nanum)")
    data = scorecard_pdf(kit(), card())
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())
    for expected in EXPECTED:
        assert " ".join(expected.split()) in flat, expected
    assert reader.metadata is not None and reader.metadata.title == "Scorecard — 김민수"


def test_formats_and_file_names() -> None:
    assert export_scorecard(kit(), card(), "docx")[:2] == b"PK"
    with pytest.raises(ExportError):
        export_scorecard(kit(), card(), "md")
    assert scorecard_file_name(kit(), card(), "pdf") == "scorecard-김민수-Jane-Doe-7.pdf"
