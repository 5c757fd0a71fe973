"""A kit as a file for the hiring panel: Markdown, DOCX, PDF or JSON.

All four come from the typed :class:`~interviewkit.kit.model.Kit`, so they carry
the same title, candidate, role and questions.  DOCX and PDF add room for the
interviewer's notes and a 1-5 score per question, because that is what a panel
prints.  :data:`FORMATS` is the one table of formats: label, MIME type,
extension and writer, in the order the download row shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interviewkit.errors import ExportError
from interviewkit.export.common import meta, question_lines, status_line, title
from interviewkit.export.docxfile import to_docx
from interviewkit.export.jsonfile import JSON_SCHEMA, kit_from_dict, kit_to_dict, to_json
from interviewkit.export.markdown import to_markdown
from interviewkit.export.pdffile import PDF_FONTS, PdfFont, find_pdf_font, to_pdf
from interviewkit.kit.model import Kit


@dataclass(frozen=True)
class Format:
    """One export format: how the page labels it, its MIME type and file extension."""

    key: str
    label: str
    mime: str
    extension: str
    write: Callable[[Kit, Sequence[PdfFont]], bytes]


FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("docx", "Word (DOCX)",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
           lambda kit, _fonts: to_docx(kit)),
    Format("pdf", "PDF", "application/pdf", "pdf",
           lambda kit, fonts: to_pdf(kit, find_pdf_font(fonts))),
    Format("md", "Markdown", "text/markdown", "md",
           lambda kit, _fonts: to_markdown(kit).encode("utf-8")),
    Format("json", "JSON", "application/json", "json",
           lambda kit, _fonts: to_json(kit).encode("utf-8")),
)}


def export(kit: Kit, fmt: str, *, fonts: Sequence[PdfFont] = PDF_FONTS) -> bytes:
    """The kit as the bytes of a ``fmt`` file (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.",
                          code="bad_format")
    return FORMATS[fmt].write(kit, fonts)


def mime_type(fmt: str) -> str:
    return FORMATS[fmt].mime


def file_name(kit: Kit, fmt: str) -> str:
    """``interview-kit-<candidate>-<prompt>-<id or date>.<ext>``, safe on every OS."""
    stem = re.sub(r"[^\w]+", "-", kit.candidate).strip("-_")[:40] or "candidate"
    tail = str(kit.id) if kit.id is not None else f"{kit.created:%Y%m%d-%H%M}"
    return f"interview-kit-{stem}-{kit.prompt_key}-{tail}.{FORMATS[fmt].extension}"


def pdf_problem() -> str | None:
    """Why PDF export cannot work here (no Hangul font), or None when it can."""
    try:
        find_pdf_font()
    except ExportError as exc:
        return str(exc)
    return None


__all__ = ["FORMATS", "JSON_SCHEMA", "PDF_FONTS", "ExportError", "Format", "PdfFont", "export",
           "file_name", "find_pdf_font", "kit_from_dict", "kit_to_dict", "meta", "mime_type",
           "pdf_problem", "question_lines", "status_line", "title", "to_docx", "to_json",
           "to_markdown", "to_pdf"]
