"""What every export format prints: title, facts, status, and a question's lines."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from interviewkit.kit.grammar import LEVELS, rating_block
from interviewkit.kit.model import STATUS_TEXT, Kit, Question, Status

SCORE_LABEL = "Score (1–5)"
RATING_TITLE = "Rating guide"


def title(kit: Kit) -> str:
    return f"Interview kit — {kit.candidate}"


def status_line(kit: Kit) -> str | None:
    """Why a kit is incomplete, or None for a complete one."""
    if not kit.partial and kit.status == Status.DONE:
        return None
    reason = f" ({kit.error})" if kit.error else ""
    return f"Partial kit — {STATUS_TEXT.get(kit.status, kit.status)}{reason}"


def meta(kit: Kit) -> list[tuple[str, str]]:
    """The facts printed under the title, in order."""
    rows = [("Candidate", kit.candidate), ("Role", kit.role or "—"),
            ("Interview", kit.prompt_name), ("CV", kit.cv_name),
            ("Model", kit.model or kit.provider or "—"),
            ("Generated", f"{kit.created:%Y-%m-%d %H:%M} UTC")]
    status = status_line(kit)
    return [*rows, ("Status", status)] if status else rows


def question_lines(q: Question) -> list[str]:
    """One question in the kit's canonical Markdown (what :func:`parse_kit` reads best)."""
    lines = [f"### {q.number}. {q.text}"]
    if q.listen_for:
        lines += ["**Listen for:**", *(f"- {point}" for point in q.listen_for)]
    if q.follow_up:  # the blank line keeps Markdown from folding it into the last point
        lines += ["", f"**Follow-up:** {q.follow_up}"] if q.listen_for else [
            f"**Follow-up:** {q.follow_up}"]
    lines += [f"**{label}:** {value}" for label, value in grounds(q)]
    return [*lines, "", *rating_block(q.rating)] if q.rating else lines


def rating_rows(q: Question) -> list[tuple[str, str]]:
    """(score, what an answer of that score sounds like) for the 1/3/5 table; [] without a
    guide (a question's guide is all three anchors or none)."""
    return [(str(n), text) for n, text in zip(LEVELS, q.rating, strict=True)] if q.rating else []


NOT_FOUND = "not found in the CV"


def grounds(q: Question) -> list[tuple[str, str]]:
    """What a question stands on: its CV passage (flagged when not in the CV) and the job
    requirement it covers, as (label, text) rows for every format."""
    rows: list[tuple[str, str]] = []
    if q.evidence:
        flag = f" ({NOT_FOUND})" if q.evidence_found is False else ""
        rows.append(("Based on", f"{q.evidence}{flag}"))
    if q.covers:
        rows.append(("Covers", q.covers))
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A value a spreadsheet shows as written: text it would run as a formula (a name or a
    summary typed by people) gets a leading ``'``; None is an empty cell."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV for spreadsheets: UTF-8 with a BOM (Excel otherwise reads Hangul as the local
    code page), CRLF lines, and every cell through :func:`spreadsheet_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(h) for h in header])
    writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xml_safe(text: str) -> str:
    """Drop control characters that DOCX (XML) cannot hold; a model may emit them."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def coverage_rows(kit: Kit) -> list[tuple[str, str]]:
    """(requirement, the questions that cover it) for a kit planned against a job."""
    rows = []
    for requirement in kit.requirements:
        numbers = [f"Q{q.number}" for q in kit.questions if q.covers == requirement]
        rows.append((requirement, ", ".join(numbers) or "not covered"))
    return rows
