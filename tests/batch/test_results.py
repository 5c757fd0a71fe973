"""The "Download all" archive: a DOCX and a Markdown per candidate, and summary.csv."""

from __future__ import annotations

import csv
import io
import zipfile

import docx

from interviewkit.access.scope import Scope
from interviewkit.batch import ItemStatus, ScopeLink, Upload, results_zip
from interviewkit.batch.results import COLUMNS, SUMMARY, _Names
from interviewkit.kit.model import UNKNOWN_CANDIDATE
from interviewkit.promptfiles.schema import PromptSpec
from tests.batch.conftest import KIT, run, text_cv, whole
from tests.conftest import FakeProvider


def read_zip(data: bytes) -> tuple[zipfile.ZipFile, list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    text = archive.read(SUMMARY).decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so spreadsheets read any script"
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return archive, list(reader)


def test_summary_and_kits_even_when_some_failed(scope: Scope, prompt: PromptSpec) -> None:
    jane = text_cv(1, "Jane Doe")
    uploads = [Upload("jane.txt", jane), Upload("bad.pdf", b"oops"),
               Upload("kim.txt", text_cv(2, "김민수")), Upload("jane again.txt", jane),
               Upload("other jane.txt", text_cv(3, "Jane Doe")), Upload("cvs.zip", problem="bad")]
    batch = run(uploads, whole(prompt), FakeProvider(offline=False, default=[KIT]),
                ScopeLink(scope))
    archive, rows = read_zip(results_zip(batch))
    assert sorted(archive.namelist()) == sorted([
        "Jane-Doe.docx", "Jane-Doe.md", "김민수.docx", "김민수.md", "Jane-Doe-2.docx",
        "Jane-Doe-2.md", SUMMARY])
    assert [(r["file"], r["status"]) for r in rows] == [
        ("jane.txt", "done"), ("bad.pdf", "failed"), ("kim.txt", "done"),
        ("jane again.txt", "skipped"), ("other jane.txt", "done"), ("cvs.zip", "failed")]
    jane, bad, kim, again, other, broken = rows
    assert jane["candidate"] == "Jane Doe" and jane["questions"] == "1"
    assert jane["kit id"] == str(batch.rows()[0].kit_id) and jane["kit file"] == "Jane-Doe"
    assert float(jane["elapsed (s)"]) >= 0
    assert "is not a PDF" in bad["message"] and bad["kit id"] == "" and bad["kit file"] == ""
    assert kim["kit file"] == "김민수" and other["kit file"] == "Jane-Doe-2"
    assert again["message"] == "the same file as row 1 (jane.txt)"
    assert broken["message"] == "bad" and broken["elapsed (s)"] == ""
    markdown = archive.read("Jane-Doe.md").decode("utf-8")
    assert "How did you keep the payment service up" in markdown
    document = docx.Document(io.BytesIO(archive.read("Jane-Doe.docx")))
    assert any("payment service" in p.text for p in document.paragraphs)


def test_a_stopped_batch_still_makes_an_archive(scope: Scope, prompt: PromptSpec) -> None:
    batch = run([Upload("a.txt", text_cv(1))], whole(prompt), FakeProvider(default=[KIT]),
                ScopeLink(scope))
    batch.stop()
    archive, rows = read_zip(results_zip(batch))
    assert [r["status"] for r in rows] == [ItemStatus.DONE.value]
    assert len(archive.namelist()) == 3


def test_file_names_are_safe_and_unique() -> None:
    names = _Names()
    claimed = [names.claim(label) for label in [
        "../../etc/passwd", "CON", "con", "Jane Doe", "jane doe", "JANE  DOE", "  ", "a/b\\c:d",
        "Ｆｕｌｌｗｉｄｔｈ", "x" * 200, "summary"]]
    assert claimed == ["etc-passwd", "kit-CON", "kit-con-2", "Jane-Doe", "jane-doe-2",
                       "JANE-DOE-3", "candidate", "a-b-c-d", "Fullwidth", "x" * 60,
                       "kit-summary"]


def test_cells_that_a_spreadsheet_would_run_are_quoted(scope: Scope,
                                                       prompt: PromptSpec) -> None:
    formula = "=SUM(A1,A2)*CMD"
    batch = run([Upload("=cmd.txt", text_cv(1, formula)), Upload("@x.pdf", b"nope")],
                whole(prompt), FakeProvider(default=[KIT]), ScopeLink(scope))
    _, rows = read_zip(results_zip(batch))
    assert rows[0]["file"] == "'=cmd.txt"
    assert rows[0]["candidate"] == UNKNOWN_CANDIDATE, "a formula is not taken for a name"
    assert rows[1]["file"] == "'@x.pdf"
