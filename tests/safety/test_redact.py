"""Personal data out of CVs before a remote model sees them: unit cases, real CVs, the wire."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from interviewkit.ingest.cv import read_cv
from interviewkit.providers.base import GenParams, Message
from interviewkit.providers.remote import OpenAIProvider
from interviewkit.safety.pii import KINDS, Redacted, redact_pii
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import corpus_file

# Independent of the module under test: what an email or a phone number looks like.
EMAIL_LEAK = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_LEAK = re.compile(r"(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,4}\b")

FOUND = [
    ("Email: jane.doe+cv@example.co.uk", "EMAIL", "jane.doe+cv@example.co.uk"),
    ("mail: jane [at] example [dot] com", "EMAIL", "jane [at] example [dot] com"),
    ("Mobile: 010-1234-5678", "PHONE", "010-1234-5678"),
    ("휴대폰 01012345678", "PHONE", "01012345678"),
    ("Call +82 10-1234-5678.", "PHONE", "+82 10-1234-5678"),
    ("Telefon +49 (0)30 12345678", "PHONE", "+49 (0)30 12345678"),
    ("Tel. 02-123-4567", "PHONE", "02-123-4567"),
    ("(555) 123-4567", "PHONE", "(555) 123-4567"),
    ("+44 20 7946 0958", "PHONE", "+44 20 7946 0958"),
    ("221B Baker Street, London", "ADDRESS", "221B Baker Street, London"),
    ("Anschrift: Hauptstraße 5a, 10115 Berlin", "ADDRESS", "Hauptstraße 5a, 10115 Berlin"),
    ("Calle Mayor 5, 28013 Madrid", "ADDRESS", "Calle Mayor 5, 28013 Madrid"),
    ("주소: 서울특별시 마포구 월드컵북로 396", "ADDRESS", "서울특별시 마포구 월드컵북로 396"),
    ("경기도 성남시 분당구 판교역로 235, 3층", "ADDRESS", "경기도 성남시 분당구 판교역로 235, 3층"),
    ("東京都渋谷区渋谷2-21-1", "ADDRESS", "東京都渋谷区渋谷2-21-1"),
    ("Date of birth: March 5, 1990", "DOB", "March 5, 1990"),
    ("DOB: 1985-03-12", "DOB", "1985-03-12"),
    ("Born 12 March 1985 in Leeds", "DOB", "12 March 1985 in Leeds"),
    ("Geburtsdatum: 05.09.1990", "DOB", "05.09.1990"),
    ("생년월일: 1990년 3월 5일", "DOB", "1990년 3월 5일"),
    ("Fecha de nacimiento: 5 de mayo de 1990", "DOB", "5 de mayo de 1990"),
    ("Age: 34", "DOB", "34"),
    ("주민등록번호: 900101-1234567", "NATIONAL_ID", "900101-1234567"),
    ("RRN 900101-1******", "NATIONAL_ID", "900101-1******"),
    ("身份证 110105199003078765", "NATIONAL_ID", "110105199003078765"),
    ("NINO: QQ 12 34 56 C", "NATIONAL_ID", "QQ 12 34 56 C"),
    ("Passport No: M12345678", "NATIONAL_ID", "M12345678"),
    ("SSN: 123-45-6789", "NATIONAL_ID", "123-45-6789"),
    ("https://www.linkedin.com/in/jane-doe/.", "URL", "https://www.linkedin.com/in/jane-doe/"),
    ("github.com/jane", "URL", "github.com/jane"),
    ("Twitter: @jane_doe", "URL", "@jane_doe"),
    ("GITHUB-SQUARE janedoe", "URL", "janedoe"),
    ("![Portrait of Jane Doe](jane.jpg)", "PHOTO", "![Portrait of Jane Doe](jane.jpg)"),
    ('<img src="me.png" alt="Jane smiling">', "PHOTO", '<img src="me.png" alt="Jane smiling">'),
]

UNTOUCHED = [
    "Software Engineer, Stripe, 2018 - 2022",
    "2021.06-2021.09 Beijing",
    "Aug 2012 – Dec 2013, GPA: 3.83 / 4.0",
    "doi 10.1234/neurips.2023.1234",
    "ISBN 978-3-16-148410-0",
    "grew from 1000 - 5000 users, 10 000 000 requests a day",
    "Deployed to 192.168.100.200 on 15.03.2024",
    "8,500+ GitHub stars, GitHub Actions, LinkedIn Learning",
    "Born and raised in Ohio",
    "Led groups of 9 junior high students; 3 major AI labs",
    "Mapo-gu, Seoul, Republic of Korea",
    "Ich war nie: 12345 mal dort",
    "Worked on box.com integrations",
]


@pytest.mark.parametrize(("text", "kind", "original"), FOUND)
def test_each_kind_is_found(text: str, kind: str, original: str) -> None:
    result = redact_pii(text)
    assert result.items == [Redacted(kind, original, f"[{kind}]")]
    assert result.text == text.replace(original, f"[{kind}]")


@pytest.mark.parametrize("text", UNTOUCHED)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert redact_pii(text).text == text


def test_items_say_exactly_what_was_replaced_in_order() -> None:
    text = "Jane Doe\njane@example.com | +1 (415) 555-0142 | janedoe.dev\nPython, Go"
    result = redact_pii(text)
    assert result.text == "Jane Doe\n[EMAIL] | [PHONE] | [URL]\nPython, Go"
    assert [(i.kind, i.original) for i in result.items] == [
        ("EMAIL", "jane@example.com"), ("PHONE", "+1 (415) 555-0142"), ("URL", "janedoe.dev")]
    assert result.counts() == {"EMAIL": 1, "PHONE": 1, "URL": 1}


def test_kinds_can_be_chosen() -> None:
    result = redact_pii("jane@example.com +1 (415) 555-0142", kinds=["PHONE"])
    assert result.text == "jane@example.com [PHONE]"
    with pytest.raises(ValueError, match="unknown kinds"):
        redact_pii("x", kinds=["SSN"])
    assert set(KINDS) == {"PHOTO", "EMAIL", "URL", "NATIONAL_ID", "DOB", "PHONE", "ADDRESS"}


# What redaction finds in the real CVs of ../shared/corpus/cv (extracted with read_cv).
CORPUS_COUNTS = {
    "altacv_sample_two_column.pdf": {"EMAIL": 3, "PHONE": 1, "URL": 7, "ADDRESS": 4},
    "awesomecv_resume_en.pdf": {"PHONE": 1, "EMAIL": 1, "URL": 3},
    "awesomecv_resume_zh.pdf": {"PHONE": 1, "EMAIL": 1},
    "bewerbung_komplett_de_15p.pdf": {"ADDRESS": 6, "PHONE": 3, "EMAIL": 2, "DOB": 1},
    "billryan_resume_zh_cn_broken_tounicode.pdf": {"EMAIL": 1, "PHONE": 1, "URL": 4},
    "deedy_resume_two_column_openfont.pdf": {"URL": 8, "EMAIL": 2, "PHONE": 1},
    "korean_resume_chrome_hanguk.pdf": {"EMAIL": 1, "URL": 2},
    "livecareer_chef_mojibake_3p.pdf": {},
    "moderncv_banking_red_4p.pdf": {"PHONE": 6, "EMAIL": 2, "URL": 2},
    "moderncv_template_es.pdf": {"PHONE": 6, "EMAIL": 2, "URL": 2},
    "moderncv_template_zh.pdf": {"PHONE": 6, "EMAIL": 2, "URL": 2},
    "openresume_laverne_quartz.pdf": {"ADDRESS": 1, "EMAIL": 1, "PHONE": 1},
    "rendercv_classic_2p.pdf": {"EMAIL": 1, "URL": 1},
    "rendercv_skill_icons.pdf": {"EMAIL": 1, "URL": 1},
    "resumematcher_modern_two_column.pdf": {"EMAIL": 1, "PHONE": 1, "URL": 4},
    "sb2nov_resume_one_column.pdf": {"EMAIL": 1, "URL": 1, "PHONE": 1},
    "typst_ja_rirekisho_resume.pdf": {"DOB": 1, "PHONE": 1, "ADDRESS": 2, "EMAIL": 1},
}


def _cv_text(name: str) -> str:
    path = corpus_file("cv", name)
    return read_cv(path.read_bytes(), path.name).text


@pytest.mark.parametrize(("name", "counts"), CORPUS_COUNTS.items())
def test_real_cvs(name: str, counts: dict[str, int]) -> None:
    text = _cv_text(name)
    result = redact_pii(text)
    assert result.counts() == counts
    assert not EMAIL_LEAK.search(result.text)
    assert not PHONE_LEAK.search(result.text), PHONE_LEAK.search(result.text)
    for item in result.items:
        if item.kind in ("EMAIL", "PHONE"):
            assert item.original not in result.text


def test_the_leak_patterns_do_see_the_originals() -> None:
    """Guards the guard: the leak checks above would catch the real contact data."""
    text = _cv_text("awesomecv_resume_en.pdf")
    assert EMAIL_LEAK.search(text) and PHONE_LEAK.search(text)
    assert "posquit0.bj@gmail.com" in text and "[EMAIL]" not in text


def test_specific_contact_data_is_gone() -> None:
    german = redact_pii(_cv_text("bewerbung_komplett_de_15p.pdf")).text
    assert "Geboren [DOB]" in german and "Kükennest" not in german
    assert "Musterstr" not in german and "+49" not in german
    korean = redact_pii(_cv_text("korean_resume_chrome_hanguk.pdf")).text
    assert "[EMAIL] [URL] [URL]" in korean and "hanguk0726" not in korean
    japanese = redact_pii(_cv_text("typst_ja_rirekisho_resume.pdf")).text
    assert "平成7年" not in japanese and "東京都豊島区" not in japanese


@pytest.fixture
def server() -> Iterator[MockOpenAIServer]:
    with MockOpenAIServer(max_lifetime_s=60) as srv:
        yield srv


def test_what_reaches_the_model_server_has_no_contact_data(server: MockOpenAIServer) -> None:
    cvs = [name for name, counts in CORPUS_COUNTS.items() if counts.get("EMAIL")]
    provider = OpenAIProvider(model="mock-model", api_key="sk-test", base_url=server.base_url,
                              timeout=5.0, max_retries=0)
    try:
        for name in cvs:
            server.enqueue(Reply("### 1. Tell me about your last project."))
            redacted = redact_pii(_cv_text(name))
            messages: list[Message] = [
                {"role": "system", "content": "You write interview kits."},
                {"role": "user", "content": f"CV:\n{redacted.text}"}]
            assert "".join(provider.execute(messages, GenParams())).startswith("### 1.")
    finally:
        provider.close()
    assert len(server.requests) == len(cvs)
    for seen in server.requests:
        wire = json.dumps(seen.body, ensure_ascii=False)
        assert "[EMAIL]" in wire
        assert not EMAIL_LEAK.search(wire)
        assert not PHONE_LEAK.search(wire)
