"""Each cleanup rule on real strings from the corpus, including what it must not touch."""

from __future__ import annotations

import pytest

from interviewkit.ingest.clean import (
    Cleaned,
    clean_text,
    garble_ratio,
    merge_fake_bold,
    normalise_chars,
    quality_warnings,
    repair_mojibake,
    tidy_whitespace,
)

# --------------------------------------------------------------------------- mojibake


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("EXÃ‰CUTIVE CHEF", "EXÉCUTIVE CHEF"),  # livecareer_chef_mojibake_3p.pdf
        ("exÃ©cutive", "exécutive"),
        ("2010 â€“ 2014", "2010 – 2014"),
        ("â€œquotedâ€\x9d", "“quoted”"),  # 0x9D is undefined in cp1252: passed through
        ("Ã\x89COLE", "ÉCOLE"),  # decoded as Latin-1 instead of cp1252
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"),
        ("å\xad¦ä½\x8d", "学位"),
    ],
)
def test_repair_mojibake_fixes_double_encoded_utf8(broken: str, fixed: str) -> None:
    text, count = repair_mojibake(broken)
    assert text == fixed
    assert count >= 1


@pytest.mark.parametrize(
    "fine",
    ["café", "Größe", "Straße»", "Åddrésş", "naïve Noël", "±5 °C", "© 2024", "Título, Formación"],
)
def test_repair_mojibake_leaves_real_accents_alone(fine: str) -> None:
    assert repair_mojibake(fine) == (fine, 0)


# ------------------------------------------------------------------ characters and space


def test_quartz_tab_cr_nbsp_junk_becomes_single_spaces() -> None:
    raw = "Leo\t\r \xa0Leopard\t\r \xa0\n(909)\t\r \xa0555-\xad‐5555\t\r \xa0\non-\xad‐campus"
    assert clean_text(raw).text == "Leo Leopard\n(909) 555-5555\non-campus"


def test_invisible_characters_are_dropped_but_joiners_kept() -> None:
    raw = "a\u200bb\ufeffc\u00add\u2060e 👩\u200d💻 می\u200cخواهم"
    text, icons, controls = normalise_chars(raw)
    assert text == "abcde 👩\u200d💻 می\u200cخواهم"
    assert (icons, controls) == (0, 0)


def test_private_use_icons_are_dropped_and_counted() -> None:
    text, icons, controls = normalise_chars("\uf003 xxx@yuanbin.me ·\uf10b (+86)")
    assert text == " xxx@yuanbin.me · (+86)"
    assert (icons, controls) == (2, 0)


def test_control_characters_are_dropped_and_counted() -> None:
    text, _icons, controls = normalise_chars("a\x00b\x07c\nd\x1b")
    assert text == "abc\nd"
    assert controls == 3


def test_nfc_composes_decomposed_accents() -> None:
    text, _, _ = normalise_chars("Jose\u0301 Mu\u0308ller")
    assert text == "José Müller"


def test_page_breaks_and_unicode_line_separators_become_newlines() -> None:
    assert normalise_chars("a\fb\u2028c\r\nd")[0] == "a\nb\nc\nd"


def test_tidy_whitespace_collapses_korean_double_spaces_and_blank_runs() -> None:
    raw = "프로덕트  엔지니어  · 모바일   \n\n\n\n  다음 줄  \n\nend"
    assert tidy_whitespace(raw) == "프로덕트 엔지니어 · 모바일\n\n다음 줄\n\nend"


def test_tidy_whitespace_keeps_single_blank_lines_and_line_structure() -> None:
    assert tidy_whitespace("a\nb\n\nc") == "a\nb\n\nc"


# -------------------------------------------------------------------------- fake bold


@pytest.mark.parametrize(
    ("doubled", "merged"),
    [
        ("学学学位位位, 院校", "学位, 院校"),  # moderncv_template_zh.pdf
        ("학학학위위위", "학위"),  # the Korean example
        ("水水水平平平 评价", "水平 评价"),
        ("学学学位位位院校", "学位院校"),  # bold stretch inside a longer run
        ("HHHeeellllllooo", "Hello"),  # 'll' in bold is 6 glyphs
        ("SSkkiillllss", "Skills"),  # doubled (not tripled) over >= 4 groups
    ],
)
def test_fake_bold_is_merged(doubled: str, merged: str) -> None:
    text, count = merge_fake_bold(doubled)
    assert text == merged
    assert count == 1


@pytest.mark.parametrize(
    "normal",
    ["committee", "2011", "www", "1100", "111000", "bookkeeper", "Mississippi", "高高兴兴",
     "III", "Hmmm", "aabb", "Zzz"],
)
def test_fake_bold_leaves_normal_words_alone(normal: str) -> None:
    assert merge_fake_bold(normal) == (normal, 0)


def test_fake_bold_digits_only_merged_when_document_shows_fake_bold() -> None:
    assert merge_fake_bold("222000111888")[0] == "222000111888"
    text, count = merge_fake_bold("学学学位位位 职职职位位位 222000111888")
    assert text == "学位 职位 2018"
    assert count == 3


# ----------------------------------------------------------------------------- quality


def test_garble_ratio_zero_for_real_text_in_several_scripts() -> None:
    assert garble_ratio("履 歴 書 ふりがな ねこ たろう 氏名 猫 太郎 E-mail ソフトウェア") == 0.0
    assert garble_ratio("حَبيبي habibi حَبيبي") == 0.0
    assert garble_ratio("신한국 프로덕트 엔지니어 · Android / Kotlin") == 0.0


def test_garble_ratio_flags_broken_cid_mapping() -> None:
    # start of billryan_resume_zh_cn_broken_tounicode.pdf as pypdf extracts it
    broken = ("\u0b46֥ն\u0b00\n xxx@yuanbin.me · (+86) 131-221-87xxx\n ࢝ტМࣟ\nഈࢌݚ๙ն࿐, ഈݚ 2013 – "
              "ᇀࣂ\nᄝ\u0600ණൖ\u0ff9࣮ള ྐ༏ა๙ྐ۽ӱ, ყ࠹ 2016 ୍ 3 ᄅиြ\n")
    assert garble_ratio(broken) > 0.2


def test_garble_ratio_counts_replacement_and_orphan_marks() -> None:
    assert garble_ratio("\ufffd\ufffd ok") == pytest.approx(0.5)
    assert garble_ratio(" ͍͋͏ ab") > 0.5  # combining marks with no base letter
    assert garble_ratio("abcd", dropped_controls=4) == pytest.approx(0.5)


def test_clean_text_reports_what_it_did() -> None:
    cleaned = clean_text("EXÃ‰CUTIVE \uf0c0 学学学位位位\x00")
    assert cleaned == Cleaned("EXÉCUTIVE 学位", mojibake_fixed=1, bold_merged=1,
                              icons_dropped=1, controls_dropped=1)


def test_quality_warnings_are_sentences_for_each_problem() -> None:
    cleaned = Cleaned("x" * 100, mojibake_fixed=2, bold_merged=3)
    notes = quality_warnings(cleaned, pages=1)
    assert any("Repaired 2" in note for note in notes)
    assert any("Merged 3" in note and "fake bold" in note for note in notes)
    assert any("Very little text: 100 characters from 1 page" in note for note in notes)


def test_little_text_warning_blames_scans_only_for_pdfs() -> None:
    pdf_note = quality_warnings(Cleaned("x" * 300), pages=2)
    assert pdf_note and "images or scans" in pdf_note[0]
    pasted_note = quality_warnings(Cleaned("x" * 150), pages=0)
    assert pasted_note and "short for a CV" in pasted_note[0]
    assert quality_warnings(Cleaned("x" * 300), pages=0) == []


def test_quality_warnings_silent_for_a_normal_cv() -> None:
    assert quality_warnings(Cleaned("Experienced engineer. " * 20), pages=1) == []


def test_quality_warning_for_garbled_text() -> None:
    notes = quality_warnings(Cleaned("\ufffd" * 50 + " ok" * 200), pages=1)
    assert any("garbled" in note for note in notes)
