"""The candidate's name read from a CV: the label of every kit, export and comparison row.

The synthetic cases are the shapes CVs take (a name after a page number or a form
title, cut from its contact details, after a label, with a degree, in several scripts);
the corpus cases are the real PDFs of ``../shared/corpus/cv``, their names checked by
hand against the rendered pages (MANIFEST.tsv names most of them).
"""

from __future__ import annotations

import pytest

from interviewkit.errors import CVError
from interviewkit.ingest.cv import read_cv
from interviewkit.ingest.name import candidate_name
from tests.conftest import corpus_file


@pytest.mark.parametrize(("text", "expected"), [
    ("Jane Q. Doe\njane@example.com", "Jane Q. Doe"),
    ("JANE DOE\nSoftware Engineer\n", "JANE DOE"),
    ("Page 1 of 2\nMaría García López\nMadrid", "María García López"),
    ("Last updated in March 2026\nJohn Smith\nBerlin", "John Smith"),
    ("Curriculum Vitae – Jane Doe\njane@example.com", "Jane Doe"),
    ("Sourabh Bajaj Email: sourabh@example.com\nEducation", "Sourabh Bajaj"),
    ("John Doe | Resumé title\nstreet and number", "John Doe"),
    ("Jane Doe, PhD\nData scientist", "Jane Doe"),
    ("Ahmed bin Salleh\nKuala Lumpur", "Ahmed bin Salleh"),
    ("J. Smith\nj.smith@example.com", "J. Smith"),
    ("Jean-Luc O'Brien\nDublin", "Jean-Luc O'Brien"),
    ("Name: Kim Min-su\n", "Kim Min-su"),
    ("이름\n김민수\n", "김민수"),
    ("이력서\n성명 홍길동\n010-1234-5678", "홍길동"),
    ("CURRICULUM VITAE\n\n# **김민수**\n010-1234-5678", "김민수"),
    ("履 歴 書\nふりがな ねこ たろう\n氏 名\n猫 太郎\n生年月日", "猫 太郎"),
    ("张 三\n软件工程师\n北京市海淀区", "张 三"),
    ("Иван Петров\nРазработчик", "Иван Петров"),
    ("Lebenslauf\nAnna Schmidt\nMusterstraße 5", "Anna Schmidt"),
    # no name at the top, and the one at the end is the e-mail's own (a two-column page)
    ("Senior Software Engineer\njohn.doe@example.com +1 415 555 0142\nSUMMARY\n"
     "Built things.\nSKILLS\nGo, Python\nJohn Doe", "John Doe"),
])
def test_the_name_is_found_in_the_shapes_cvs_take(text: str, expected: str) -> None:
    assert candidate_name(text) == expected


@pytest.mark.parametrize("text", [
    "Senior Software Engineer\nSUMMARY\nBuilt distributed systems for 5 years.",
    "Experience\nBackend Engineer at Acme\n2019 – 2024",
    "Resume\n\nSan Francisco, CA\nSKILLS",
    "YOUR NAME HERE\nYour Position or Tagline Here",
    "Education\nSkills\nProjects",
    "\u0b46\u05a5\u0576\u0b00\nxxx@example.me",  # mojibake from a broken ToUnicode map
    # a referee's name at the end is not the candidate's
    "EXECUTIVE SOUS CHEF\nProfessional Summary\nCooked.\n" + "Line.\n" * 20
    + "References\nProf. Gamma Delta\ng.delta@example.edu",
    "A very long first line that is clearly a sentence about many things at once",
])
def test_no_name_is_made_up(text: str) -> None:
    assert candidate_name(text) is None


@pytest.mark.parametrize(("filename", "expected"), [
    ("jane_doe-cv-2024.pdf", "Jane Doe"),
    ("Max-Mustermann_Lebenslauf.pdf", "Max Mustermann"),
    ("12632728.pdf", None),
    ("altacv_sample_two_column.pdf", None),
    ("resume.pdf", None),
])
def test_the_file_name_is_the_fallback(filename: str, expected: str | None) -> None:
    assert candidate_name("Skills\nPython, Go", filename) == expected


CORPUS_NAMES = {
    "awesomecv_resume_en.pdf": "Byungjin Park",
    "awesomecv_resume_zh.pdf": "张 三",
    "bewerbung_komplett_de_15p.pdf": "Dr. Max Mustermann",
    "deedy_resume_two_column_openfont.pdf": "Debarghya Das",
    "korean_resume_chrome_hanguk.pdf": "신한국",
    "moderncv_banking_red_4p.pdf": "John Doe",
    "moderncv_template_es.pdf": "John Doe",
    "moderncv_template_zh.pdf": "小龙 李",
    "openresume_laverne_quartz.pdf": "Leo Leopard",
    "rendercv_classic_2p.pdf": "John Doe",
    "rendercv_skill_icons.pdf": "John Doe",
    "resumematcher_modern_two_column.pdf": "John Doe",  # the name is the last line
    "sb2nov_resume_one_column.pdf": "Sourabh Bajaj",
    "typst_ja_rirekisho_resume.pdf": "猫 太郎",
    # a placeholder, an anonymised CV, and a name pypdf reads as mojibake: no name
    "altacv_sample_two_column.pdf": None,
    "livecareer_chef_mojibake_3p.pdf": None,
    "billryan_resume_zh_cn_broken_tounicode.pdf": None,
}


@pytest.mark.parametrize(("name", "expected"), sorted(CORPUS_NAMES.items()))
def test_the_real_cvs_names(name: str, expected: str | None) -> None:
    path = corpus_file("cv", name)
    try:
        text = read_cv(path.read_bytes(), name).text
    except CVError as exc:  # pragma: no cover - every file listed has a text layer
        pytest.fail(f"{name}: {exc}")
    assert candidate_name(text, name) == expected
