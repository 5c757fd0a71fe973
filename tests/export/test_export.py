"""Exports, each opened again by its own library: python-docx, pypdf, json, parse_kit."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from interviewkit.errors import ExportError
from interviewkit.export import (
    FORMATS,
    PDF_FONTS,
    PdfFont,
    export,
    file_name,
    find_pdf_font,
    kit_from_dict,
    mime_type,
    to_markdown,
)
from interviewkit.export.pdffile import NO_FONT_MESSAGE
from interviewkit.kit.model import Kit
from interviewkit.kit.sections import parse_kit
from tests.kit.test_kit import KOREAN, make_kit


def korean_kit() -> Kit:
    return make_kit("김민수", markdown=KOREAN, job="백엔드 개발자\n파이썬")


@pytest.fixture
def hangul_font() -> None:
    """The PDF tests need Debian's fonts-nanum (installed by .ci/run)."""
    try:
        find_pdf_font()
    except ExportError:
        if os.environ.get("CI") == "true":
            pytest.fail("no Hangul font: .ci/run must install fonts-nanum")
        pytest.skip("no Hangul font installed (apt-get install fonts-nanum)")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_markdown_reads_back_to_the_same_questions() -> None:
    kit = make_kit()
    text = to_markdown(kit)
    assert text.startswith("# Interview kit — Jane Q. Doe\n")
    assert "- Role: Senior Backend Engineer" in text and "- Interview: Technical screen" in text
    assert parse_kit(text) == kit.questions
    assert export(kit, "md") == text.encode("utf-8")


def test_markdown_of_an_unparsed_partial_kit_keeps_the_raw_text() -> None:
    kit = make_kit(markdown="The model wrote prose only", status="stopped", partial=True)
    kit.questions = []
    text = to_markdown(kit)
    assert "The model wrote prose only" in text
    assert "- Status: Partial kit — Stopped — partial kit kept" in text


def test_json_is_the_typed_structure() -> None:
    kit = korean_kit()
    kit.id, kit.cv_file = 42, b"%PDF-1.7"
    data = json.loads(export(kit, "json"))
    assert data["schema"] == "interviewkit.kit/2"
    assert data["candidate"] == "김민수" and data["role"] == "백엔드 개발자"
    assert data["questions"][0] == {"number": 1, "text": "가장 어려웠던 프로젝트는 무엇이었나요?",
                                    "listen_for": ["구체적인 수치와 결과"],
                                    "follow_up": "다시 한다면 무엇을 바꾸겠습니까?",
                                    "evidence": None, "covers": None, "evidence_found": None,
                                    "rating": []}
    assert data["has_cv_file"] is True and "cv_file" not in data
    assert data["created"] == "2025-03-14T09:26:53.589793+00:00"
    back = kit_from_dict(data)
    kit.cv_file = None
    assert back == kit
    with pytest.raises(ExportError, match="Not an Interview Kit JSON"):
        kit_from_dict({"schema": "other"})


def test_docx_has_title_candidate_role_questions_and_room_to_score() -> None:
    kit = korean_kit()
    document = docx.Document(io.BytesIO(export(kit, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Interview kit — 김민수"
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Candidate"] == "김민수" and facts["Role"] == "백엔드 개발자"
    assert facts["Interview"] == "Technical screen" and "Status" not in facts
    assert "1. 가장 어려웠던 프로젝트는 무엇이었나요?" in paragraphs
    assert "구체적인 수치와 결과" in paragraphs
    assert "Follow-up: 다시 한다면 무엇을 바꾸겠습니까?" in paragraphs
    notes = document.tables[1]
    assert notes.rows[0].cells[0].text == "Interviewer notes"
    assert notes.rows[1].cells[0].text == "Score (1–5)"
    assert notes.rows[1].cells[1].text.count("☐") == 5
    assert len(document.tables) == 1 + len(kit.questions) + 1, "facts, one per question, overall"
    assert document.core_properties.title == "Interview kit — 김민수"


def test_docx_survives_control_characters_and_marks_partial_kits() -> None:
    kit = make_kit(markdown="### 1. Bell\x07 and form\x0cfeed?\n", status="failed",
                   partial=True, error="Rate limited")
    document = docx.Document(io.BytesIO(export(kit, "docx")))
    assert "1. Bell and formfeed?" in [p.text for p in document.paragraphs]
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Status"] == "Partial kit — Failed (Rate limited)"


@pytest.mark.usefixtures("hangul_font")
def test_pdf_renders_korean_that_reads_back() -> None:
    data = export(korean_kit(), "pdf")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Interview kit — 김민수" in text
    assert "Role: 백엔드 개발자" in text
    assert "1. 가장 어려웠던 프로젝트는 무엇이었나요?" in text
    assert "구체적인 수치와 결과" in text and "다시 한다면 무엇을 바꾸겠습니까?" in text
    assert text.count("Interviewer notes") == 2 and "Score (1–5)" in text


@pytest.mark.usefixtures("hangul_font")
def test_pdf_of_a_long_kit_spans_pages_and_replaces_missing_glyphs() -> None:
    markdown = "".join(f"### {n}. Question {n} with an emoji 🚀?\n**Listen for:**\n- point\n"
                       f"**Follow-up:** more {n}?\n" for n in range(1, 13))
    data = export(make_kit(markdown=markdown), "pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    text = pdf_text(data)
    assert "12. Question 12 with an emoji ??" in text


def test_pdf_without_a_hangul_font_says_what_to_install(tmp_path: Path) -> None:
    missing = PdfFont(tmp_path / "none.ttf", tmp_path / "none-bold.ttf")
    with pytest.raises(ExportError) as info:
        export(make_kit(), "pdf", fonts=[missing])
    assert info.value.code == "no_font" and str(info.value) == NO_FONT_MESSAGE
    assert "fonts-nanum" in NO_FONT_MESSAGE
    assert export(make_kit(), "docx").startswith(b"PK"), "other formats need no font"


@pytest.mark.usefixtures("hangul_font")
def test_bold_face_falls_back_to_regular(tmp_path: Path) -> None:
    regular = find_pdf_font().regular
    font = find_pdf_font([PdfFont(regular, tmp_path / "missing-bold.ttf")])
    assert font.bold == regular
    assert "Jane" in pdf_text(export(make_kit(), "pdf", fonts=[font]))


def test_file_names_and_types() -> None:
    kit = korean_kit()
    assert file_name(kit, "pdf") == "interview-kit-김민수-technical_screen-20250314-0926.pdf"
    kit.id, kit.candidate = 7, "Jane / Doe: <CTO>"
    assert file_name(kit, "docx") == "interview-kit-Jane-Doe-CTO-technical_screen-7.docx"
    assert mime_type("json") == "application/json" and set(FORMATS) == {"md", "docx", "pdf",
                                                                       "json"}
    with pytest.raises(ExportError, match="Unknown export format 'odt'"):
        export(kit, "odt")
    assert PDF_FONTS[0].regular.name == "NanumBarunGothic.ttf"
