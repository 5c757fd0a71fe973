"""The rating guide in every export: a 1/3/5 table in DOCX and PDF, a block in Markdown, a
field in JSON (files written before it still read back)."""

from __future__ import annotations

import io
import json

import docx

from interviewkit.export import export, kit_from_dict, to_markdown
from interviewkit.kit.model import Kit
from interviewkit.kit.sections import parse_kit
from tests.export.test_export import hangul_font, pdf_text
from tests.kit.test_kit import KOREAN, make_kit

GUIDE = ["Stays vague about the Django service", "Describes caching, but gives no figures",
         "Quantifies the load and compares two designs"]
KO_GUIDE = ["막연하게 어려웠다고만 말함", "문제는 설명하지만 수치가 없음",
            "문제, 해결 과정, 전후 수치를 모두 설명함"]

__all__ = ["hangul_font"]  # the fixture, used by name below


def rated_kit() -> Kit:
    kit = make_kit()
    kit.questions[0].rating = list(GUIDE)  # question 2 has no guide
    kit.questions[0].evidence = "Senior engineer at Acme."
    return kit


def test_markdown_carries_the_guide_and_reads_back() -> None:
    kit = rated_kit()
    text = to_markdown(kit)
    assert ("**Based on:** Senior engineer at Acme.\n\n**Rating:**\n"
            "- 1: Stays vague about the Django service\n"
            "- 3: Describes caching, but gives no figures\n"
            "- 5: Quantifies the load and compares two designs\n") in text
    assert text.count("**Rating:**") == 1, "a question without a guide shows none"
    assert parse_kit(text) == kit.questions


def test_json_carries_the_guide_and_old_files_read_back() -> None:
    kit = rated_kit()
    data = json.loads(export(kit, "json"))
    assert data["schema"] == "interviewkit.kit/2"
    assert data["questions"][0]["rating"] == GUIDE and data["questions"][1]["rating"] == []
    assert kit_from_dict(data).questions == kit.questions
    for question in data["questions"]:  # a file written before the guide existed
        del question["rating"]
    assert [q.rating for q in kit_from_dict(data).questions] == [[], []]
    data["questions"][0]["rating"] = ["only one"]  # hand-edited: not three anchors
    assert kit_from_dict(data).questions[0].rating == []


def test_docx_shows_a_small_table_per_guide() -> None:
    document = docx.Document(io.BytesIO(export(rated_kit(), "docx")))
    guides = [[[cell.text for cell in row.cells] for row in table.rows]
              for table in document.tables if table.rows[0].cells[0].text == "1"]
    assert guides == [[["1", GUIDE[0]], ["3", GUIDE[1]], ["5", GUIDE[2]]]], "question 1 only"
    titles = [p.text for p in document.paragraphs if p.text == "Rating guide"]
    assert titles == ["Rating guide"]
    notes = [t for t in document.tables if t.rows[0].cells[0].text == "Interviewer notes"]
    assert len(notes) == 3, "the notes and score box stay under every question and overall"


def test_pdf_shows_the_guide_in_korean_too(hangul_font: None) -> None:
    kit = make_kit("김민수", markdown=KOREAN, job="백엔드 개발자\n파이썬")
    kit.questions[0].rating = list(KO_GUIDE)
    text = pdf_text(export(kit, "pdf"))
    assert "Rating guide" in text
    for score, anchor in zip("135", KO_GUIDE, strict=True):
        assert f"{score} {anchor}" in text
    assert text.index("Rating guide") < text.index("Interviewer notes")


def test_pdf_keeps_the_title_with_its_table_across_pages(hangul_font: None) -> None:
    kit = make_kit(markdown="".join(
        f"### {n}. How did you scale service {n}?\n**Listen for:**\n- Quantifies it\n"
        f"- Compares it\n**Follow-up:** Why?\n**Rating:**\n- 1: vague {n}\n- 3: some {n}\n"
        f"- 5: all {n}\n\n" for n in range(1, 13)))
    assert all(q.rating for q in kit.questions)
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(export(kit, "pdf"))).pages]
    assert len(pages) > 2
    for page in pages:
        for line in page.splitlines():
            if line == "Rating guide":
                assert page.index(line) < len(page) - 20, "a title is never alone at the end"
    assert all(f"5 all {n}" in "\n".join(pages) for n in range(1, 13))
