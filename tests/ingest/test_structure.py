"""CV structure: sections, entries and bullets from CV text (interviewkit.ingest.structure).

Two kinds of evidence:

* small CVs written here in the seven heading languages (English, Korean, Japanese, Chinese,
  German, Spanish, French), checked field by field;
* every text CV of ``../shared/corpus/cv`` against a hand-checked expectation file in
  ``tests/data/structure/<pdf stem>.json`` (written by reading the extracted text, not by
  running the parser).  The tolerance, per CV:

  - sections: the expected kinds other than "other" appear in the parsed kinds in the same
    order (a subsequence; "other" marks headings no vocabulary can know, such as "A DAY OF
    MY LIFE", so it is reported but not required), with at most 2 extra named sections;
  - entries: for each of experience / projects / education the parsed count (summed over the
    sections of that kind) is within ±1 of the expected count;
  - every "must_find" string occurs in some entry's title or organisation (case and spaces
    ignored).

``python -m pytest tests/ingest/test_structure.py -s`` prints the per-CV table README.md quotes.
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from interviewkit.ingest.cv import read_cv
from interviewkit.ingest.headings import KINDS, date_in, heading_kind, is_date_fragment
from interviewkit.ingest.structure import CVStructure, Entry, Passage, parse_structure
from tests.conftest import corpus_file

EXPECTED = sorted((Path(__file__).parents[1] / "data" / "structure").glob("*.json"))
COUNTED = ("experience", "projects", "education")


def kinds(structure: CVStructure) -> list[str]:
    return [section.kind for section in structure.sections]


def section(structure: CVStructure, kind: str) -> list[Entry]:
    """The entries of every section of ``kind``, in order."""
    return [e for s in structure.sections if s.kind == kind for e in s.entries]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence: how many expected sections were found in
    order."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1],
                                                                     table[i + 1][j])
    return table[-1][-1]


def assert_spans(structure: CVStructure, text: str) -> None:
    """Every passage lies inside the text, and its words are the words of its source."""
    assert set(kinds(structure)) <= set(KINDS)
    passages: list[Passage] = []
    for s in structure.sections:
        passages.append(s.passage)
        for e in s.entries:
            passages += [e.passage, *e.bullets, *e.lines]
    passages += [a.passage for a in structure.passages()]
    for p in passages:
        assert 0 <= p.start <= p.end <= len(text), p
        source = text[p.start:p.end]
        missing = [w for w in re.findall(r"\w+", p.text) if w not in source]
        assert not missing, (p.text, missing, source[:200])
        assert "\n" not in p.text


# ------------------------------------------------------------------------- seven languages

ENGLISH = """\
Jane Smith
jane.smith@example.com | +1 555 123 4567 | linkedin.com/in/janesmith

PROFESSIONAL SUMMARY
Backend engineer with eight years of experience building payment systems at scale.

WORK EXPERIENCE
Senior Software Engineer | Acme Corp | San Francisco, CA
Jan 2020 – Present
• Led the migration of the billing platform from virtual machines to Kubernetes, cutting
  hosting costs by 30% across three regions.
• Mentored four engineers.
Software Engineer, Globex Inc. 06/2016 - 12/2019
- Built the fraud scoring service in Go.
- Reduced p99 latency from 800 ms to 120 ms.

EDUCATION
B.Sc. Computer Science, University of Toronto, 2012 – 2016

SKILLS
Languages: Go, Python, SQL
Tools: Docker, Kubernetes, Terraform

PROJECTS
Ledger — an open-source double-entry accounting library (2021)
"""

KOREAN = """\
홍길동
이메일: gildong@example.kr | 010-1234-5678

경력사항
주식회사 네이버 | 백엔드 개발자
2019.03 ~ 현재
- 검색 API 서버 설계 및 운영
- 트래픽 2배 증가에 대응하는 캐시 계층 도입
카카오 · 서버 엔지니어 (2016.07 ~ 2019.02)
- 결제 시스템 개발

학력
서울대학교 컴퓨터공학과 학사 2012.03 ~ 2016.02

기술
Java, Spring, Kotlin, MySQL

자격증
정보처리기사 (2015)
"""

JAPANESE = """\
山田 太郎
メール: taro@example.jp

職務経歴
2018年4月～現在 株式会社サンプル ソフトウェアエンジニア
・決済システムの設計と開発
・チームリーダーとして5名を管理
2015年4月～2018年3月 株式会社テスト 開発者
・社内ツールの開発

学歴
2011年4月～2015年3月 東京大学 工学部

スキル
Python、Go、AWS
"""

CHINESE = """\
李明
电话：138-0000-0000 邮箱：liming@example.cn

工作经历
2019.07 - 至今 腾讯科技 高级工程师
• 负责微信支付后台服务的架构设计
• 带领 6 人团队完成核心系统重构
2016.07 - 2019.06 百度 软件工程师
• 参与搜索推荐算法开发

教育背景
2012.09 - 2016.06 北京大学 计算机科学与技术 本科

专业技能
熟练掌握 Java、Go、MySQL、Redis
"""

GERMAN = """\
Max Mustermann
Musterstraße 1, 12345 Berlin · max@example.de · +49 170 1234567

Berufserfahrung
seit 03/2019 Senior Entwickler, Beispiel GmbH, Berlin
– Aufbau einer Microservice-Plattform mit Kubernetes
– Leitung eines Teams von fünf Entwicklern
01/2015 – 02/2019 Softwareentwickler, Muster AG, München
– Entwicklung von Webanwendungen mit Java

Ausbildung
10/2010 – 09/2014 B.Sc. Informatik, Technische Universität München

Kenntnisse
Java, Python, SQL
Sprachen: Deutsch (Muttersprache), Englisch (fließend)
"""

SPANISH = """\
María García
maria.garcia@example.es | +34 600 123 456

EXPERIENCIA PROFESIONAL
Desarrolladora Full Stack – Empresa Ejemplo S.L.
Marzo 2020 – actualidad
• Desarrollo de APIs REST con Node.js
• Migración de la base de datos a PostgreSQL
Programadora Junior – Otra Empresa S.A.
Enero 2017 – Febrero 2020
• Mantenimiento de aplicaciones web

FORMACIÓN
Grado en Ingeniería Informática – Universidad de Sevilla (2012 – 2016)

HABILIDADES
JavaScript, Node.js, PostgreSQL

IDIOMAS
Español (nativo), Inglés (C1)
"""

FRENCH = """\
Claire Dubois
claire.dubois@example.fr · 06 12 34 56 78

Expérience professionnelle
Ingénieure logiciel, Société Exemple, Paris — depuis septembre 2019
• Conception d'une plateforme de paiement
• Encadrement de deux stagiaires
Développeuse, Startup SAS, Lyon — 2016 – 2019
• Développement d'applications mobiles

Formation
Diplôme d'ingénieur, École Centrale de Lyon, 2013 – 2016

Compétences
Python, Kotlin, Docker

Langues
Français (langue maternelle), anglais (courant)
"""

SAMPLES = {"en": ENGLISH, "ko": KOREAN, "ja": JAPANESE, "zh": CHINESE, "de": GERMAN,
           "es": SPANISH, "fr": FRENCH}


def test_english_cv() -> None:
    cv = parse_structure(ENGLISH)
    assert kinds(cv) == ["contact", "summary", "experience", "education", "skills", "projects"]
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, j.dates) for j in jobs] == [
        ("Senior Software Engineer", "Acme Corp", "Jan 2020 – Present"),
        ("Software Engineer", "Globex Inc", "06/2016 - 12/2019"),
    ]
    assert [b.text for b in jobs[0].bullets] == [
        "Led the migration of the billing platform from virtual machines to Kubernetes, "
        "cutting hosting costs by 30% across three regions.",
        "Mentored four engineers.",
    ]
    assert len(jobs[1].bullets) == 2
    (degree,) = section(cv, "education")
    assert (degree.title, degree.dates) == ("B.Sc. Computer Science", "2012 – 2016")
    assert "University of Toronto" in degree.organisation
    assert [e.title for e in section(cv, "skills")] == ["Languages", "Tools"]
    assert len(section(cv, "projects")) == 1


def test_korean_cv() -> None:
    cv = parse_structure(KOREAN)
    assert kinds(cv) == ["contact", "experience", "education", "skills", "certifications"]
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, j.dates) for j in jobs] == [
        ("백엔드 개발자", "주식회사 네이버", "2019.03 ~ 현재"),
        ("서버 엔지니어", "카카오", "2016.07 ~ 2019.02"),
    ]
    assert [len(j.bullets) for j in jobs] == [2, 1]
    (school,) = section(cv, "education")
    assert school.organisation == "서울대학교" and school.dates == "2012.03 ~ 2016.02"
    assert section(cv, "certifications")[0].dates == "2015"


def test_japanese_cv() -> None:
    cv = parse_structure(JAPANESE)
    assert kinds(cv) == ["contact", "experience", "education", "skills"]
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, j.dates) for j in jobs] == [
        ("ソフトウェアエンジニア", "株式会社サンプル", "2018年4月～現在"),
        ("開発者", "株式会社テスト", "2015年4月～2018年3月"),
    ]
    assert [b.text for b in jobs[0].bullets] == ["決済システムの設計と開発",
                                                 "チームリーダーとして5名を管理"]
    assert section(cv, "education")[0].organisation.startswith("東京大学")


def test_chinese_cv() -> None:
    cv = parse_structure(CHINESE)
    assert kinds(cv) == ["contact", "experience", "education", "skills"]
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, j.dates) for j in jobs] == [
        ("高级工程师", "腾讯科技", "2019.07 - 至今"),
        ("软件工程师", "百度", "2016.07 - 2019.06"),
    ]
    assert [len(j.bullets) for j in jobs] == [2, 1]
    assert section(cv, "education")[0].organisation == "北京大学"


def test_german_cv() -> None:
    cv = parse_structure(GERMAN)
    assert kinds(cv) == ["contact", "experience", "education", "skills"]
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, j.dates) for j in jobs] == [
        ("Senior Entwickler", "Beispiel GmbH", "seit 03/2019"),
        ("Softwareentwickler", "Muster AG", "01/2015 – 02/2019"),
    ]
    assert [len(j.bullets) for j in jobs] == [2, 1]
    (degree,) = section(cv, "education")
    assert degree.title == "B.Sc. Informatik" and "Universität" in degree.organisation
    assert len(section(cv, "skills")) == 2  # the "Sprachen: …" line is not a heading


def test_spanish_cv() -> None:
    cv = parse_structure(SPANISH)
    assert kinds(cv) == ["contact", "experience", "education", "skills", "languages"]
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, j.dates) for j in jobs] == [
        ("Desarrolladora Full Stack", "Empresa Ejemplo S.L", "Marzo 2020 – actualidad"),
        ("Programadora Junior", "Otra Empresa S.A", "Enero 2017 – Febrero 2020"),
    ]
    assert [len(j.bullets) for j in jobs] == [2, 1]
    (degree,) = section(cv, "education")
    assert degree.dates == "2012 – 2016" and degree.organisation == "Universidad de Sevilla"


def test_french_cv() -> None:
    cv = parse_structure(FRENCH)
    assert kinds(cv) == ["contact", "experience", "education", "skills", "languages"]
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, j.dates) for j in jobs] == [
        ("Ingénieure logiciel", "Société Exemple", "depuis septembre 2019"),
        ("Développeuse", "Startup SAS", "2016 – 2019"),
    ]
    assert [len(j.bullets) for j in jobs] == [2, 1]
    assert section(cv, "education")[0].organisation == "École Centrale de Lyon"


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_every_passage_is_a_span_of_the_text(language: str) -> None:
    assert_spans(parse_structure(SAMPLES[language]), SAMPLES[language])


# ------------------------------------------------------------------------------- headings

@pytest.mark.parametrize(("line", "kind"), [
    ("Experience", "experience"), ("WORK EXPERIENCE", "experience"),
    ("Professional Experience:", "experience"), ("Employment History", "experience"),
    ("E X P E R I E N C E", "experience"), ("2. Education", "education"),
    ("IV. Skills", "skills"), ("WorkExperience", "experience"), ("Honors & Awards", "awards"),
    ("경력", "experience"), ("경력사항", "experience"), ("프로젝트", "projects"),
    ("학력", "education"), ("기술", "skills"), ("자격증", "certifications"),
    ("職歴", "experience"), ("職務経歴", "experience"), ("学歴", "education"),
    ("スキル", "skills"), ("工作经历", "experience"), ("项目经历", "projects"),
    ("教育背景", "education"), ("专业技能", "skills"), ("Berufserfahrung", "experience"),
    ("Ausbildung", "education"), ("Kenntnisse", "skills"), ("Projekte", "projects"),
    ("Experiencia", "experience"), ("Educación", "education"), ("Formación", "education"),
    ("Habilidades", "skills"), ("Proyectos", "projects"),
    ("Expérience professionnelle", "experience"), ("Formation", "education"),
    ("Compétences", "skills"), ("Projets", "projects"), ("Centres d'intérêt", "interests"),
    ("Sprachkenntnisse", "languages"), ("Programming Languages", "skills"),
])
def test_heading_lines_in_seven_languages(line: str, kind: str) -> None:
    hit = heading_kind(line)
    assert hit is not None and hit.kind == kind, (line, hit)


@pytest.mark.parametrize("line", [
    "Experience in Python and Go", "Resort experience", "Led the education programme.",
    "Languages: Python, C++", "Technologies Stadt", "2019 – 2021 Experience",
    "• Skills", "Open Source Software Engineering at Scale and More", "毕业论文",
    "Senior Software Engineer",
])
def test_lines_that_are_not_headings(line: str) -> None:
    hit = heading_kind(line)
    assert hit is None or not hit.strong, (line, hit)


# ---------------------------------------------------------------------------------- dates

@pytest.mark.parametrize(("line", "found"), [
    ("2019–2023", "2019–2023"), ("03/2020 - present", "03/2020 - present"),
    ("Jan 2018 – Dec 2019", "Jan 2018 – Dec 2019"), ("2021.03 ~ 2022.02", "2021.03 ~ 2022.02"),
    ("2020年4月～", "2020年4月～"), ("seit 2019", "seit 2019"),
    ("Engineer Sep. 2023Mar. 2024", "Sep. 2023Mar. 2024"),
    ("REVITA 2025.10 - 현재", "2025.10 - 현재"), ("2016.07 - 至今", "2016.07 - 至今"),
    ("März 2015 – heute", "März 2015 – heute"), ("2012 – actualidad", "2012 – actualidad"),
    ("2019 - aujourd'hui", "2019 - aujourd'hui"), ("depuis mars 2018", "depuis mars 2018"),
    ("UC Berkeley | 2019", "2019"), ("Dec 2014 | Ithaca, NY", "Dec 2014"),
    ("Summer 2013 – Fall 2014", "Summer 2013 – Fall 2014"),
])
def test_dates_in_many_formats(line: str, found: str) -> None:
    hit = date_in(line)
    assert hit is not None and hit.text == found, (line, hit)


@pytest.mark.parametrize("line", [
    "Co-authored a paper accepted at NeurIPS 2022 (spotlight)", "+49 163 00 00 000",
    "10.1234/neurips.2023.1234 (NeurIPS 2023)", "Served 600 meals daily",
])
def test_a_year_in_passing_is_not_an_entry_date(line: str) -> None:
    assert date_in(line) is None


# --------------------------------------------------------------------------- layout quirks

def test_two_level_bullets_and_dates_after_the_bullets() -> None:
    text = ("Experience\n• Google Mountain View, CA\nSoftware Engineer Oct 2016 – Present\n"
            "◦ TensorFlow: worked on APIs for training models on TPUs.\n"
            "• Coursera Mountain View, CA\nSenior Software Engineer Jan 2014 – Oct 2016\n"
            "◦ Notifications: a service for email and push.\n\n"
            "Projects\nFlashInfer\n• A 2.8x speedup over baseline attention kernels.\n"
            "Jan 2023 – present\nNeuralPrune\n• Pruning toolkit with differentiable masks.\n"
            "Jan 2021\n")
    cv = parse_structure(text)
    jobs = section(cv, "experience")
    assert [(j.title, j.organisation, len(j.bullets)) for j in jobs] == [
        ("Software Engineer", "Google Mountain View", 1),
        ("Senior Software Engineer", "Coursera Mountain View", 1)]
    assert [(p.title, p.dates) for p in section(cv, "projects")] == [
        ("FlashInfer", "Jan 2023 – present"), ("NeuralPrune", "Jan 2021")]
    assert_spans(cv, text)


def test_page_footers_and_split_dates() -> None:
    text = ("Max Muster\nBerufserfahrung\n2002\nMärz\n– 2008\nMärz\nFirma – Architekt Stadt\n"
            "Lebenslauf Seite 1/2\n\n2009\nJanuar\n– heute\nBeispiel GmbH – Berater Berlin\n"
            "Lebenslauf Seite 2/2")
    cv = parse_structure(text)
    jobs = section(cv, "experience")
    assert [j.dates for j in jobs] == ["2002 März – 2008 März", "2009 Januar – heute"]
    assert not any("Seite" in p.passage.text for p in cv.passages())
    assert_spans(cv, text)


def test_europass_dates_and_descriptions_without_bullets() -> None:
    text = ("CURRICULUM VITAE\nPERSONAL INFORMATION\nAnna Rossi\nanna.rossi@email.it\n\n"
            "WORK EXPERIENCE\n01/09/2019–Present Software Developer\nExample S.p.A., Milan\n"
            "Development of microservices in Java and mentoring of two junior developers.\n"
            "01/03/2016–31/08/2019 Junior Developer\nOther S.r.l., Rome\n"
            "Maintenance of legacy applications.\n\nPROJECTS\n"
            "Tiny Compiler: a compiler for a subset of C written in Rust.\n"
            "Chess Bot: a chess engine using alpha-beta search.\n")
    cv = parse_structure(text)
    assert kinds(cv) == ["contact", "contact", "experience", "projects"]
    jobs = section(cv, "experience")
    assert [(j.title, j.dates) for j in jobs] == [
        ("Software Developer", "01/09/2019–Present"),
        ("Junior Developer", "01/03/2016–31/08/2019")]
    assert [p.text for p in jobs[0].lines] == [
        "Development of microservices in Java and mentoring of two junior developers."]
    assert [p.title for p in section(cv, "projects")] == ["Tiny Compiler", "Chess Bot"]
    assert_spans(cv, text)


def test_text_without_headings_is_one_top_section() -> None:
    cv = parse_structure("Jane Doe\njane@example.com\nI build things.")
    assert kinds(cv) == ["contact"]
    assert parse_structure("").sections == ()
    assert parse_structure("\n\n  \n").sections == ()


def test_helpers_tag_passages_and_rows() -> None:
    cv = parse_structure(ENGLISH)
    entries = cv.entries()
    assert [kind for kind, _ in entries][:3] == ["contact", "summary", "experience"]
    asked = cv.passages()
    assert asked and all(a.kind not in ("contact", "references") for a in asked)
    assert all(entries[a.entry][0] == a.kind for a in asked)
    bullets = [a.passage.text for a in asked if a.kind == "experience"]
    assert bullets[0].startswith("Led the migration") and len(bullets) == 4
    rows = cv.summary_rows()
    assert rows[2] == {"section": "WORK EXPERIENCE", "kind": "experience", "entries": 2,
                       "first entry": "Senior Software Engineer"}
    assert parse_structure(ENGLISH) == cv  # deterministic


def test_a_tagline_above_the_headings_is_askable_but_contact_details_are_not() -> None:
    text = ("신한국\n모바일 · 미디어 · 백엔드를 연결해 복잡한 제품을 처음부터 만들고 , "
            "실패 가능한 시스템이 올바른 상태로 수렴하도록 설계합니다 .\n"
            "hanguk@example.com github.com/hanguk\n경력\n"
            "REVITA · 프로덕트 엔지니어 2025.10 - 현재\n- 현장 장비 제어 백엔드 개발\n")
    cv = parse_structure(text)
    assert kinds(cv) == ["contact", "experience"]
    asked = [(a.kind, a.passage.text) for a in cv.passages()]
    assert asked[0][0] == "contact" and asked[0][1].startswith("모바일")
    assert not any("@" in p for _, p in asked)
    assert asked[1:] == [("experience", "현장 장비 제어 백엔드 개발")]


# ------------------------------------------------------------------------------- the corpus

@cache
def corpus_text(pdf: str) -> str:
    path = corpus_file("cv", pdf)
    return read_cv(path.read_bytes(), path.name).text


def cold_ms(text: str) -> float:
    """Median of three parses with the line caches emptied, as for a CV never seen."""
    times = []
    for _ in range(3):
        for cached in (date_in, heading_kind, is_date_fragment):
            cached.cache_clear()
        started = time.perf_counter()
        parse_structure(text)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[1]


def measure(expected: dict[str, Any]) -> dict[str, Any]:
    """Parse one corpus CV and compare it with its expectation file."""
    text = corpus_text(expected["pdf"])
    cv = parse_structure(text)
    found = kinds(cv)
    named = [k for k in expected["sections"] if k != "other"]
    named_found = [k for k in found if k != "other"]
    labels = [squash(e.title) + "\n" + squash(e.organisation) for _, e in cv.entries()]
    return {"cv": cv, "text": text, "found": found,
            "matched": lcs(expected["sections"], found),
            "in_order": lcs(named, named_found) == len(named),
            "extra": len(named_found) - len(named),
            "counts": {k: len(section(cv, k)) for k in expected["entries"]},
            "missing": [m for m in expected["must_find"]
                        if not any(squash(m) in label for label in labels)]}


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_corpus_cv_matches_its_hand_checked_expectation(path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    got = measure(expected)
    assert got["in_order"], (expected["sections"], got["found"])
    assert got["extra"] <= 2, got["found"]
    for kind, count in expected["entries"].items():
        assert abs(got["counts"][kind] - count) <= 1, (kind, got["counts"][kind], count)
    assert not got["missing"], got["missing"]
    assert_spans(got["cv"], got["text"])


def test_print_the_corpus_table() -> None:
    """The figures README.md quotes (run with -s to see them). Times are printed, not
    asserted: this suite keeps no wall-clock assertions."""
    rows, texts = [], []
    for path in EXPECTED:
        expected = json.loads(path.read_text(encoding="utf-8"))
        got = measure(expected)
        texts.append(got["text"])
        entries = ", ".join(f"{k} {got['counts'][k]}/{n}"
                            for k, n in expected["entries"].items()) or "—"
        rows.append(f"| {path.stem} | {got['matched']}/{len(expected['sections'])} "
                    f"(+{len(got['found']) - got['matched']}) | {entries} | "
                    f"{cold_ms(got['text']):.1f} |")
    big = "\n\n".join(sorted(texts, key=len)[-6:])  # the six longest: ~10 dense pages
    rows.append(f"| six longest CVs as one text ({len(big):,} characters) | | | "
                f"{cold_ms(big):.1f} |")
    print("\n| CV | sections found/expected (+extra) | entries found/expected | ms |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    assert len(rows) == len(EXPECTED) + 1
