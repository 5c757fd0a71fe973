"""read_cv / read_pasted behaviour on real corpus files and small made-up inputs."""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from interviewkit.config import Limits
from interviewkit.errors import CVError
from interviewkit.ingest import cv
from interviewkit.ingest import pdf as pdftext
from interviewkit.ingest.cv import CODES, CVText, read_cv, read_pasted
from tests.conftest import corpus_file
from tests.pdfmaker import long_cv, slow_page_pdf


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cv.clear_cache()
    yield
    cv.clear_cache()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every worker process started during the test (the real ones, just recorded)."""
    processes: list[Any] = []
    real: Callable[..., Any] = pdftext._CTX.Process

    def record(*args: Any, **kwargs: Any) -> Any:
        process = real(*args, **kwargs)
        processes.append(process)
        return process

    monkeypatch.setattr(pdftext._CTX, "Process", record)
    return processes


def _read(kind: str, name: str, **kwargs: Any) -> CVText:
    path = corpus_file(kind, name)
    return read_cv(path.read_bytes(), name, **kwargs)


def _error(kind: str, name: str, **kwargs: Any) -> CVError:
    with pytest.raises(CVError) as info:
        _read(kind, name, **kwargs)
    assert info.value.code in CODES
    return info.value


# ---------------------------------------------------------------------------- passwords

AES = "enc_aes256_user_and_owner_password.pdf"


@pytest.mark.parametrize("password", ["foo", "bar"])  # user and owner password both open it
def test_encrypted_pdf_opens_with_its_password(password: str) -> None:
    result = _read("hostile", AES, password=password)
    assert "pdf encryption test" in result.text


def test_encrypted_pdf_without_password_asks_for_it() -> None:
    error = _error("hostile", AES)
    assert error.code == "needs_password"
    assert "password-protected; enter its password" in str(error)


def test_encrypted_pdf_with_wrong_password() -> None:
    assert _error("hostile", AES, password="nope").code == "wrong_password"


def test_owner_password_only_pdfs_just_open() -> None:
    assert "pdf encryption test" in _read("hostile", "enc_rc4_owner_password_only.pdf").text
    # AES-256 with an empty user password opens too; it only has no text
    assert _error("hostile", "enc_aes256_empty_user_password.pdf").code == "no_text"


# ------------------------------------------------------------------------ broken files


def test_zero_pages() -> None:
    assert _error("hostile", "zero_pages.pdf").code == "no_pages"


def test_text_file_named_pdf_is_not_a_pdf(started: list[Any]) -> None:
    error = _error("hostile", "not_a_pdf_oops.pdf")
    assert error.code == "not_pdf"
    assert "not a PDF" in str(error)
    assert started == []


@pytest.mark.parametrize(
    ("kind", "name"),
    [("cv", "image_only_resume_jennifer.pdf"), ("cv", "livecareer_business_development_blank.pdf"),
     ("hostile", "image_only_ccitt_fax.pdf")],
)
def test_image_only_and_blank_pdfs_have_no_text(kind: str, name: str) -> None:
    error = _error(kind, name)
    assert error.code == "no_text"
    assert "scanned or image-only" in str(error)
    assert "paste the text" in str(error)


@pytest.mark.parametrize(
    "name",
    ["cyclic_pages_tree.pdf", "corrupt_trailer_missing_endobj.pdf",
     "js_openaction_no_xref_191b.pdf", "broken_pages_tree_unreadable_metadata.pdf"],
)
def test_corrupt_structure_says_damaged(name: str) -> None:
    error = _error("hostile", name)
    assert error.code == "corrupt"
    assert "damaged" in str(error) and "re-saving" in str(error)
    assert "Traceback" not in str(error) and "NumberObject" not in str(error)


# ------------------------------------------------------------------------------ limits


def test_too_large_is_refused_before_parsing(started: list[Any]) -> None:
    error = _error("hostile", "many_pages_freeculture_352p.pdf", limits=Limits(max_bytes=2**20))
    assert error.code == "too_large"
    assert "2.5 MB" in str(error) and "limit is 1 MB" in str(error)
    assert started == []


def test_too_many_pages_names_both_numbers() -> None:
    error = _error("hostile", "many_pages_freeculture_352p.pdf")
    assert error.code == "too_many_pages"
    assert "352 pages" in str(error) and "40 pages" in str(error)


def test_text_is_capped_at_max_chars() -> None:
    limits = Limits(max_pages=400, max_chars=3000)
    result = _read("hostile", "many_pages_freeculture_352p.pdf", limits=limits)
    assert result.truncated
    assert 0 < len(result.text) <= 3000
    assert any("3,000-character limit" in note for note in result.warnings)
    assert not any("Very little text" in note for note in result.warnings)
    assert result.pages == 352


def test_fifteen_page_german_application_reads_with_default_limits() -> None:
    result = _read("cv", "bewerbung_komplett_de_15p.pdf")
    assert result.pages == 15
    assert not result.truncated
    assert any(umlaut in result.text for umlaut in "äöüß")


def test_a_file_slow_to_open_is_stopped_at_the_per_step_bound() -> None:
    """pypdf spends 10 s+ just counting this file's pages: opening gets one step's budget."""
    error = _error("hostile", "slow_parse_bug1978317.pdf")
    assert error.code == "timeout"
    assert "This PDF took longer than 3 s to open" in str(error)
    assert "Re-export it as PDF" in str(error)


def test_the_overall_cap_applies_while_a_file_is_still_opening() -> None:
    error = _error("hostile", "slow_parse_bug1978317.pdf", limits=Limits(timeout_s=1.0))
    assert error.code == "timeout"
    assert "This PDF took longer than 1 s to read" in str(error)


def test_a_slow_page_is_stopped_by_the_per_page_bound() -> None:
    with pytest.raises(CVError) as info:  # pages 1-2 take milliseconds, page 3 seconds
        read_cv(slow_page_pdf(pages=3, slow_page=3), "slow.pdf", limits=Limits(page_timeout_s=1))
    assert info.value.code == "timeout"
    assert "Page 3 of this PDF took longer than 1 s to read" in str(info.value)
    assert "Re-export it as PDF" in str(info.value)


def test_the_whole_file_bound_names_its_limit_and_the_page_count() -> None:
    limits = Limits(timeout_s=1.0, page_timeout_s=30.0)  # no single page is too slow
    with pytest.raises(CVError) as info:
        read_cv(slow_page_pdf(pages=3, slow_page=3), "slow.pdf", limits=limits)
    assert info.value.code == "timeout"
    assert "Reading took longer than the 1 s limit for this 3-page PDF" in str(info.value)


def test_the_whole_file_allowance_grows_with_the_page_count_up_to_the_cap() -> None:
    limits = Limits()
    assert (limits.page_timeout_s, limits.per_page_s, limits.timeout_s) == (3.0, 1.0, 20.0)
    assert [limits.read_allowance_s(n) for n in (1, 9, 17, 40)] == [4.0, 12.0, 20.0, 20.0]
    assert limits.read_allowance_s(None) == limits.timeout_s  # page count not known yet


def test_a_long_legitimate_cv_reads_within_the_default_limits() -> None:
    result = read_cv(long_cv(pages=9, chars=35_000), "long-cv.pdf")
    assert result.pages == 9 and not result.truncated
    assert len(result.text) > 33_000
    assert "Professional experience" in result.text and "Certifications" in result.text
    assert result.suspicious == ()


def test_memory_limit_turns_into_a_clear_error() -> None:
    from tests.pdfmaker import decompression_bomb

    data = decompression_bomb()  # ~70 KB that inflates to 70 MB
    with pytest.raises(CVError) as info:
        read_cv(data, "bomb.pdf", limits=Limits(memory_mb=64))
    assert info.value.code == "too_large"
    assert "more than 64 MB of memory" in str(info.value)


def test_a_bomb_beyond_pypdfs_own_cap_is_refused_with_default_limits() -> None:
    from tests.pdfmaker import decompression_bomb

    started = time.monotonic()
    with pytest.raises(CVError) as info:
        read_cv(decompression_bomb(200_000_000), "bomb.pdf")
    assert info.value.code in {"too_large", "timeout"}, info.value
    assert time.monotonic() - started < Limits().timeout_s + 3


def test_worker_that_dies_gives_a_specific_message(started: list[Any]) -> None:
    data = corpus_file("hostile", "slow_parse_bug1978317.pdf").read_bytes()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            read_cv(data, "slow.pdf")
        except BaseException as exc:  # recorded for the main thread
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 3
    while not (started and started[0].pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    os.kill(started[0].pid, signal.SIGKILL)
    thread.join(timeout=10)
    assert isinstance(outcome[0], CVError)
    assert outcome[0].code == "corrupt"
    assert "crashed" in str(outcome[0]) and "SIGKILL" in str(outcome[0])
    assert cv.cache_len() == 0  # a crash may be transient: not cached


def test_workers_do_not_rerun_a_streamlit_style_main_script(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Streamlit installs the page script as a spec-less ``__main__`` module."""
    marker = tmp_path / "main-was-run"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    page = ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    data = corpus_file("hostile", "enc_rc4_owner_password_only.pdf").read_bytes()
    assert "pdf encryption test" in read_cv(data, "cv.pdf").text
    assert not marker.exists()


# ------------------------------------------------------------------------------- cache


def test_cache_hit_does_not_start_a_process(started: list[Any]) -> None:
    data = corpus_file("cv", "sb2nov_resume_one_column.pdf").read_bytes()
    first = read_cv(data, "a.pdf")
    second = read_cv(data, "renamed.pdf")
    assert len(started) == 1
    assert second.text == first.text
    assert second.filename == "renamed.pdf"
    assert second.digest == hashlib.sha256(data).hexdigest()
    cv.clear_cache()
    read_cv(data, "a.pdf")
    assert len(started) == 2


def test_errors_are_cached_per_password(started: list[Any]) -> None:
    for _ in range(2):
        assert _error("hostile", AES).code == "needs_password"
    assert len(started) == 1
    assert "pdf encryption test" in _read("hostile", AES, password="foo").text
    assert len(started) == 2


def test_cache_is_bounded() -> None:
    for number in range(cv.CACHE_SIZE + 5):
        read_cv(f"CV number {number}".encode(), "cv.txt")
    assert cv.cache_len() == cv.CACHE_SIZE


# --------------------------------------------------------------------- cleanup via read_cv


def test_fake_bold_merged_in_moderncv_zh() -> None:
    result = _read("cv", "moderncv_template_zh.pdf")
    assert "学位" in result.text and "学学学位位位" not in result.text
    assert any("fake bold" in note for note in result.warnings)


def test_mojibake_repaired_in_livecareer_chef() -> None:
    result = _read("cv", "livecareer_chef_mojibake_3p.pdf")
    assert "EXÉCUTIVE" in result.text and "Ã" not in result.text
    assert any("Repaired" in note for note in result.warnings)


def test_broken_cjk_font_map_is_flagged_as_garbled() -> None:
    result = _read("cv", "billryan_resume_zh_cn_broken_tounicode.pdf")
    assert any("garbled" in note for note in result.warnings)


def test_quartz_junk_korean_spaces_and_icons_are_cleaned() -> None:
    laverne = _read("cv", "openresume_laverne_quartz.pdf").text
    assert "Leo Leopard" in laverne and not any(c in laverne for c in "\t\r\xa0\xad")
    korean = _read("cv", "korean_resume_chrome_hanguk.pdf")
    assert "  " not in korean.text and "프로덕트 엔지니어" in korean.text
    assert korean.warnings == ()
    banking = _read("cv", "moderncv_banking_red_4p.pdf").text
    assert not any("\ue000" <= c <= "\uf8ff" for c in banking)


# ---------------------------------------------------------------- text files and pasting


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        ("Jürgen Groß\n\n\n\nPython  dev".encode(), "cv.txt", "Jürgen Groß\n\nPython dev"),
        ("\ufeff# Jürgen\r\n- Python".encode(), "CV.MD", "# Jürgen\n- Python"),
        ("Jürgen Groß, Café".encode("cp1252"), "cv.txt", "Jürgen Groß, Café"),
        ("신한국 프로덕트 엔지니어".encode("euc-kr"), "cv.txt", "신한국 프로덕트 엔지니어"),
        ("Ana Núñez".encode("utf-16"), "cv.txt", "Ana Núñez"),
    ],
)
def test_text_files_are_decoded_and_cleaned(data: bytes, name: str, expected: str) -> None:
    result = read_cv(data, name)
    assert result.text == expected
    assert result.filename == name and result.pages == 1


def test_non_utf8_text_warns_about_the_encoding() -> None:
    result = read_cv("Größe".encode("cp1252"), "cv.txt")
    assert any("Windows-1252" in note for note in result.warnings)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "cv.pdf", "empty"),
        (b"   \n\n ", "cv.txt", "empty"),
        (b"PK\x03\x04\x00\x00binary", "cv.txt", "unsupported"),
        (b"PK\x03\x04 word", "cv.docx", "unsupported"),
        (b"hello", "cv", "unsupported"),
    ],
)
def test_unusable_uploads(data: bytes, name: str, code: str) -> None:
    with pytest.raises(CVError) as info:
        read_cv(data, name)
    assert info.value.code == code


def test_unsupported_type_names_the_accepted_ones() -> None:
    with pytest.raises(CVError, match=r"\.pdf.*\.txt, \.md.*Save Word documents as PDF"):
        read_cv(b"PK\x03\x04", "cv.docx")


def test_pdf_magic_wins_over_the_suffix() -> None:
    data = corpus_file("hostile", "enc_rc4_owner_password_only.pdf").read_bytes()
    assert "pdf encryption test" in read_cv(data, "upload.txt").text


def test_pasted_text_is_cleaned_and_warned_about() -> None:
    result = read_pasted("EXÃ‰CUTIVE  CHEF\r\n\r\n\r\n\r\nParis\t\xa0France")
    assert result.text == "EXÉCUTIVE CHEF\n\nParis France"
    assert result.filename == "pasted text"
    assert any("Repaired" in note for note in result.warnings)
    assert any("Very little text" in note for note in result.warnings)


def test_pasted_text_empty_and_truncated() -> None:
    with pytest.raises(CVError) as info:
        read_pasted(" \n\t ")
    assert info.value.code == "empty"
    result = read_pasted("word " * 1000, Limits(max_chars=500))
    assert result.truncated and len(result.text) == 500
    assert any("500-character limit" in note for note in result.warnings)
