"""A batch as one download: a DOCX and a Markdown file per candidate, and ``summary.csv``.

The archive is made whatever happened: ``summary.csv`` has a row for every CV
(failed, stopped and skipped ones included, with the reason), and every
complete kit - made now or found in History - gets its two files.  File names
come from the candidate's name, made safe for every OS (no separators, no
``..``, no reserved Windows names) and unique case-insensitively.  CSV cells
that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) are
quoted, since names and messages come from strangers' files.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import PurePosixPath

from interviewkit.batch.model import ItemStatus, Row
from interviewkit.batch.runner import Batch
from interviewkit.errors import KitError
from interviewkit.export import FORMATS, export
from interviewkit.export.common import csv_bytes
from interviewkit.kit.model import UNKNOWN_CANDIDATE, Kit

KIT_FORMATS = ("docx", "md")
SUMMARY = "summary.csv"
COLUMNS = ("file", "candidate", "status", "message", "kit id", "questions", "elapsed (s)",
           "kit file")
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                       *(f"lpt{n}" for n in range(1, 10)), "summary"})
_UNSAFE = re.compile(r"[^\w-]+")


class _Names:
    """Safe, unique file stems (compared case-insensitively, as Windows and macOS do)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, label: str) -> str:
        text = unicodedata.normalize("NFKC", label)
        stem = _UNSAFE.sub("-", text).strip("-_")[:60].strip("-_") or "candidate"
        if stem.casefold() in _RESERVED:
            stem = f"kit-{stem}"
        unique, n = stem, 1
        while unique.casefold() in self._taken:
            n += 1
            unique = f"{stem}-{n}"
        self._taken.add(unique.casefold())
        return unique


def summary_csv(rows: Sequence[tuple[Row, str]]) -> bytes:
    """One line per CV (UTF-8 with a BOM, so spreadsheets read names in any script)."""
    return csv_bytes(COLUMNS, ([row.file, row.candidate, row.status.value, row.message,
                                row.kit_id, row.questions or "",
                                None if row.elapsed_s is None else f"{row.elapsed_s:.1f}", stem]
                               for row, stem in rows))


def _label(row: Row, kit: Kit) -> str:
    if kit.candidate and kit.candidate != UNKNOWN_CANDIDATE:
        return kit.candidate
    return PurePosixPath(row.file.replace("\\", "/")).stem


def results_zip(batch: Batch) -> bytes:
    """The archive behind "Download all" and ``batch --output``."""
    names, listed = _Names(), []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row, kit in batch.kits():
            stem = ""
            if kit is not None:
                stem = names.claim(_label(row, kit))
                try:
                    for fmt in KIT_FORMATS:
                        archive.writestr(f"{stem}.{FORMATS[fmt].extension}", export(kit, fmt))
                except KitError as exc:  # one kit that cannot be written is a note, not a stop
                    row = Row(row.index, row.file, row.status, f"{row.message} (export: {exc})",
                              row.candidate, row.kit_id, row.questions, row.elapsed_s)
            listed.append((row, stem))
        archive.writestr(SUMMARY, summary_csv(listed))
    return buffer.getvalue()


def kit_ids(batch: Batch) -> list[int]:
    """The History kits an archive of ``batch`` contains (for the audit record)."""
    return [row.kit_id for row in batch.rows() if row.kit_id is not None
            and row.status in {ItemStatus.DONE, ItemStatus.SKIPPED}]


__all__ = ["COLUMNS", "KIT_FORMATS", "SUMMARY", "kit_ids", "results_zip", "summary_csv"]
