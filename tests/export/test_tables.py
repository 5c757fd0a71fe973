"""The comparison matrix as CSV (read back with csv) and XLSX (read back with openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from interviewkit.access.scope import Scope
from interviewkit.errors import ExportError
from interviewkit.export.tables import export_table, table_file_name, to_csv, to_xlsx
from interviewkit.history import Store
from interviewkit.roles import RoleBook
from interviewkit.roles.compare import HIDDEN, Matrix, compare
from tests.roles.seed import INES, RECRUITER, demo_role, scorecard, share


@pytest.fixture
def matrix(store: Store) -> Matrix:
    role_id, kits = demo_role(store)
    scorecard(store, kits["kim"], RECRUITER, {1: 4, 2: 4, 3: 4}, recommendation="no",
              summary="=HYPERLINK(\"http://evil.test\",\"click\") and +1 more")
    return compare(RoleBook(Scope(store, RECRUITER)), role_id)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'history.sqlite3'}") as opened:
        yield opened


def test_csv_has_a_bom_hangul_and_one_row_per_candidate(matrix: Matrix) -> None:
    data = to_csv(matrix)
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8 Hangul"
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["Candidate"] for r in table] == ["Ana Lima", "Zoe Park", "김민수"]
    ana, zoe, kim = table
    assert (ana["Overall mean"], ana["Q1 mean"], ana["Q1 range"], ana["Q1 n"]) == (
        "3.5", "3.0", "2–4", "2")
    assert (ana["Strong yes"], ana["Yes"], ana["Missing"]) == ("1", "1",
                                                               "draft only: Ines Interviewer")
    assert zoe["Overall mean"] == "" and zoe["Submitted scorecards"] == "0"
    assert zoe["Missing"].startswith("no submitted scorecard")
    assert (kim["No"], kim["Mixed"], kim["Q3 n"], kim["Q3 mean"]) == ("1", "1", "1", "4.0")


def test_csv_keeps_formula_like_text_as_text() -> None:
    from interviewkit.export.common import spreadsheet_cell as _csv_safe

    assert _csv_safe("=1+1") == "'=1+1" and _csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert _csv_safe("Ana") == "Ana" and _csv_safe(3.5) == 3.5 and _csv_safe(None) == ""


def test_xlsx_has_the_matrix_interviewers_and_recommendations(matrix: Matrix) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(matrix)))
    assert book.sheetnames == ["Matrix", "Interviewers", "Recommendations", "Questions"]
    sheet = book["Matrix"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Ana Lima"]["Q2 mean"] == 4.5 and rows["Ana Lima"]["Overall mean"] == 3.5
    assert rows["김민수"]["Q1 n"] == 2
    mean_col = header.index("Q1 mean") + 1
    assert sheet.cell(row=2, column=mean_col).number_format == "0.0"
    assert sheet.conditional_formatting, "means on a colour scale"
    missing = sheet.cell(row=3, column=header.index("Missing") + 1)
    assert missing.value.startswith("no submitted") and missing.fill.fgColor.rgb.endswith(
        "FFF2CC")
    people = book["Interviewers"]
    head = [c.value for c in people[1]]
    lines = [dict(zip(head, r, strict=True)) for r in people.iter_rows(min_row=2,
                                                                       values_only=True)]
    assert [(r["Candidate"], r["Interviewer"], r["Status"]) for r in lines][:3] == [
        ("Ana Lima", "Ivan Interviewer", "submitted"), ("Ana Lima", "Ada Admin", "submitted"),
        ("Ana Lima", "Ines Interviewer", "draft")]
    rita = next(r for r in lines if r["Interviewer"] == "Rita Recruiter")
    assert (rita["Recommendation"], rita["Q3"], rita["Mean"]) == ("No", 4, 4.0)
    summary = people.cell(row=lines.index(rita) + 2, column=head.index("Summary") + 1)
    assert summary.data_type == "s" and summary.value.startswith("=HYPERLINK"), \
        "text, never a formula"
    recs = list(book["Recommendations"].iter_rows(values_only=True))
    assert recs[0] == ("Candidate", "Kit", "Strong no", "No", "Mixed", "Yes", "Strong yes")
    assert recs[-1] == ("All candidates", None, 0, 1, 1, 1, 1)
    questions = list(book["Questions"].iter_rows(min_row=2, values_only=True))
    assert questions[0][:3] == ("Q1", "Question 1", "all")


def test_hidden_scores_stay_hidden_in_the_files(store: Store) -> None:
    role_id, kits = demo_role(store)
    share(store, kits["ana"], RECRUITER, INES)
    hidden = compare(RoleBook(Scope(store, INES)), role_id)
    table = list(csv.DictReader(io.StringIO(to_csv(hidden).decode("utf-8-sig"))))
    assert table[0]["Q1 mean"] == HIDDEN and table[0]["Yes"] == ""
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(hidden)))
    assert book["Interviewers"].max_row == 1, "no other interviewer's row"


def test_formats_and_file_names(matrix: Matrix) -> None:
    assert export_table(matrix, "csv") == to_csv(matrix)
    assert table_file_name(matrix, "xlsx") == (
        f"comparison-Senior-Backend-Engineer-{matrix.role.id}-question.xlsx")
    with pytest.raises(ExportError, match="Unknown comparison format"):
        export_table(matrix, "ods")
