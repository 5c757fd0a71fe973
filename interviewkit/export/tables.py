"""A role's comparison matrix as files: CSV and XLSX for whoever decides.

CSV is UTF-8 with a byte-order mark, because Excel opens a BOM-less UTF-8 file as
the local code page and Hangul names turn into mojibake.  XLSX (openpyxl, imported
only when one is written) has the matrix, one row per interviewer's scorecard, the
recommendation counts and the questions behind each column.

Both are made from the same rows (:func:`matrix_table`, :func:`interviewer_table`).
Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first: a
candidate name or an interviewer's summary is typed by people) is kept as text: CSV
cells get a leading ``'``, XLSX cells are stored as strings.
"""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from interviewkit.errors import ExportError
from interviewkit.export.common import csv_bytes, xml_safe
from interviewkit.roles.compare import HIDDEN, RECOMMENDATIONS, Matrix

__all__ = ["TABLE_FORMATS", "TableFormat", "export_table", "interviewer_table",
           "matrix_table", "recommendation_table", "table_file_name", "to_csv", "to_xlsx"]

Table = tuple[list[str], list[list[Any]]]


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _range(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{low:g}–{high:g}" if low != high else f"{low:g}"


def matrix_table(matrix: Matrix) -> Table:
    """One row per candidate: overall figures, recommendation counts, then per column the
    mean, the min–max range and how many submitted scorecards scored it."""
    header = ["Candidate", "Kit", "Overall mean", "Interviewer means (min–max)",
              "Std dev across interviewers", "Submitted scorecards", "Missing",
              *RECOMMENDATIONS.values()]
    for col in matrix.columns:
        header += [f"{col.key} mean", f"{col.key} range", f"{col.key} n"]
    rows: list[list[Any]] = []
    for row in matrix.rows:
        if row.hidden:
            line: list[Any] = [row.candidate, row.kit_id, row.hidden, "", "", row.submitted,
                               row.missing_note(), *([""] * len(RECOMMENDATIONS))]
            line += [HIDDEN, "", ""] * len(matrix.columns)
        else:
            line = [row.candidate, row.kit_id, _number(row.mean), _range(row.low, row.high),
                    _number(row.std), row.submitted, row.missing_note(),
                    *(row.recommendations.get(k, 0) for k in RECOMMENDATIONS)]
            for col in matrix.columns:
                cell = row.cells[col.key]
                line += [_number(cell.mean), _range(cell.low, cell.high), cell.cards]
        rows.append(line)
    return header, rows


def interviewer_table(matrix: Matrix) -> Table:
    """One row per scorecard the user may see: status, recommendation, each score."""
    numbers = sorted({n for s in matrix.sheets for n in s.scores})
    header = ["Candidate", "Kit", "Interviewer", "Status", "Recommendation", "Submitted (UTC)",
              "Mean", *(f"Q{n}" for n in numbers), "Summary"]
    rows = [[s.candidate, s.kit_id, s.interviewer, s.status,
             RECOMMENDATIONS.get(s.recommendation or "", ""),
             f"{s.submitted_at:%Y-%m-%d %H:%M}" if s.submitted_at else "", _number(s.mean),
             *(s.scores.get(n) for n in numbers), s.summary] for s in matrix.sheets]
    return header, rows


def recommendation_table(matrix: Matrix) -> Table:
    header = ["Candidate", "Kit", *RECOMMENDATIONS.values()]
    rows: list[list[Any]] = [
        [r.candidate, r.kit_id, *(HIDDEN if r.hidden else r.recommendations.get(k, 0)
                                  for k in RECOMMENDATIONS)] for r in matrix.rows]
    totals = matrix.recommendation_totals()
    rows.append(["All candidates", "", *(totals[k] for k in RECOMMENDATIONS)])
    return header, rows


def question_table(matrix: Matrix) -> Table:
    """What each column asks (per kit, when the kits differ)."""
    rows: list[list[Any]] = []
    for col in matrix.columns:
        texts = set(col.texts.values())
        if len(texts) <= 1:
            rows.append([col.key, col.title, "all", next(iter(texts), col.title)])
        else:
            rows += [[col.key, col.title, f"#{kit_id}", text]
                     for kit_id, text in sorted(col.texts.items())]
    return ["Column", "Title", "Kit", "Question"], rows


# --- CSV -----------------------------------------------------------------------

def to_csv(matrix: Matrix) -> bytes:
    """The matrix table as CSV, UTF-8 with a BOM (Excel then reads Hangul correctly)."""
    return csv_bytes(*matrix_table(matrix))


# --- XLSX ----------------------------------------------------------------------

MISSING_FILL, HEADER_FILL = "FFF2CC", "DDEBF7"


def _xl(module: str) -> Any:
    """An openpyxl module, imported only when a workbook is written (it has no type hints,
    so it is used as ``Any`` whether or not stubs are installed)."""
    return importlib.import_module(f"openpyxl{module}")


def _sheet(book: Any, title: str, table: Table, *, first: bool = False) -> Any:
    styles = _xl(".styles")
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    header, rows = table
    for r, values in enumerate([header, *rows], 1):
        for c, value in enumerate(values, 1):
            text = isinstance(value, str)
            cell = sheet.cell(row=r, column=c, value=xml_safe(value) if text else value)
            if text:
                cell.data_type = "s"  # never a formula, whatever the text starts with
    for cell in sheet[1]:
        cell.font = styles.Font(bold=True)
        cell.fill = styles.PatternFill("solid", fgColor=HEADER_FILL)
    sheet.freeze_panes = "C2"
    for c, name in enumerate(header, 1):
        width = max([len(str(name)), *(len(str(row[c - 1] or "")) for row in rows[:200])])
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = \
            min(60, max(8, width + 2))
    return sheet


def _format_matrix(sheet: Any, header: Sequence[str], rows: int) -> None:
    """Means to one decimal on a red–yellow–green scale; missing and hidden cells shaded."""
    if rows == 0:
        return
    fill = _xl(".styles").PatternFill("solid", fgColor=MISSING_FILL)
    scale = _xl(".formatting.rule").ColorScaleRule
    for c, name in enumerate(header, 1):
        letter = sheet.cell(row=1, column=c).column_letter
        if name.endswith("mean") or name == "Mean":
            for r in range(2, rows + 2):
                sheet.cell(row=r, column=c).number_format = "0.0"
            sheet.conditional_formatting.add(f"{letter}2:{letter}{rows + 1}", scale(
                start_type="num", start_value=1, start_color="F8696B", mid_type="num",
                mid_value=3, mid_color="FFEB84", end_type="num", end_value=5,
                end_color="63BE7B"))
    for r in range(2, rows + 2):
        for c in range(1, len(header) + 1):
            cell = sheet.cell(row=r, column=c)
            missing = header[c - 1] == "Missing" and cell.value
            if missing or (isinstance(cell.value, str) and cell.value.startswith("hidden")):
                cell.fill = fill


def to_xlsx(matrix: Matrix) -> bytes:
    """A workbook: Matrix, Interviewers, Recommendations, Questions."""
    book = _xl("").Workbook()
    header, rows = matrix_table(matrix)
    _format_matrix(_sheet(book, "Matrix", (header, rows), first=True), header, len(rows))
    people = interviewer_table(matrix)
    _format_matrix(_sheet(book, "Interviewers", people), people[0], len(people[1]))
    _sheet(book, "Recommendations", recommendation_table(matrix))
    _sheet(book, "Questions", question_table(matrix))
    book.properties.title = f"Comparison — {matrix.role.title}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- formats -------------------------------------------------------------------

@dataclass(frozen=True)
class TableFormat:
    """One comparison export: its label on the page, MIME type, extension and writer."""

    key: str
    label: str
    mime: str
    extension: str
    write: Callable[[Matrix], bytes]


TABLE_FORMATS: dict[str, TableFormat] = {f.key: f for f in (
    TableFormat("csv", "CSV", "text/csv", "csv", to_csv),
    TableFormat("xlsx", "Excel (XLSX)",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
                to_xlsx),
)}


def export_table(matrix: Matrix, fmt: str) -> bytes:
    if fmt not in TABLE_FORMATS:
        raise ExportError(f"Unknown comparison format {fmt!r}; choose one of "
                          f"{', '.join(TABLE_FORMATS)}.", code="bad_format")
    return TABLE_FORMATS[fmt].write(matrix)


def table_file_name(matrix: Matrix, fmt: str) -> str:
    """``comparison-<role>-<id>-<by>.<ext>``, safe on every OS."""
    stem = re.sub(r"[^\w]+", "-", matrix.role.title).strip("-_")[:40] or "role"
    return (f"comparison-{stem}-{matrix.role.id}-{matrix.align.value}."
            f"{TABLE_FORMATS[fmt].extension}")
