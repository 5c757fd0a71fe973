"""Read an uploaded or pasted CV into clean text, or fail with a message a person can act on.

Entry points: :func:`read_cv` (file bytes: PDF, .txt, .md) and
:func:`read_pasted`.  PDFs are read in a worker process (see
:mod:`interviewkit.ingest.pdf`); the text is cleaned by :mod:`interviewkit.ingest.clean`.

Results *and* failures are cached in-process by (sha256 of the bytes, password,
kind, limits), so a Streamlit rerun never re-parses the same upload.  Timeouts
(of a step or of the whole file, see :class:`~interviewkit.config.Limits`) are
cached too: the same bytes would only burn the same seconds again on every
rerun.  Worker crashes are not cached, they may be transient (e.g. the OOM
killer).  :func:`clear_cache` empties it (tests, or a "try again" button).
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import PurePath

from interviewkit.config import Limits
from interviewkit.errors import CV_CODES, CVError
from interviewkit.ingest import pdf as pdftext
from interviewkit.ingest.clean import clean_text, quality_warnings
from interviewkit.ingest.injection import Suspicion, suspicions

CODES = CV_CODES
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
ACCEPTED = "a PDF (.pdf) or a text file (.txt, .md), or paste the text"
CACHE_SIZE = 32
_DEFAULT_LIMITS = Limits()
# Windows-1252 differs from Latin-1 only in 0x80-0x9F; its 5 undefined bytes pass through.
_CP1252_C1 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}


@dataclass(frozen=True)
class CVText:
    """The CV as clean text; ``warnings`` are sentences to show next to it.

    ``pages`` is the PDF's page count (1 for text files and pasted text).
    """

    text: str
    pages: int
    warnings: tuple[str, ...]
    filename: str
    digest: str  # sha256 hex of the uploaded bytes (of the UTF-8 text when pasted)
    truncated: bool = False
    suspicious: tuple[Suspicion, ...] = ()  # hidden text and text addressed to an AI


@dataclass(frozen=True)
class _Failure:
    code: str
    message: str
    cacheable: bool = True


_CacheKey = tuple[str, str | None, str, Limits]
_cache: OrderedDict[_CacheKey, CVText | _Failure] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached result and failure."""
    with _lock:
        _cache.clear()


def cache_len() -> int:
    """How many uploads are cached (for tests and diagnostics)."""
    with _lock:
        return len(_cache)


def _cache_get(key: _CacheKey) -> CVText | _Failure | None:
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
        return hit


def _cache_put(key: _CacheKey, value: CVText | _Failure) -> None:
    with _lock:
        _cache[key] = value
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"


def _kind(data: bytes, filename: str) -> str:
    """'pdf' or 'text' from the magic bytes and suffix; raise for anything else."""
    suffix = PurePath(filename).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if suffix == ".pdf":
        raise CVError(
            f"'{filename}' is not a PDF (it has no PDF header). If it is a Word or text file, "
            "save it as PDF or upload it as .txt, or paste the text.",
            code="not_pdf",
        )
    if suffix in TEXT_SUFFIXES:
        return "text"
    hint = " Save Word documents as PDF first." if suffix in {".doc", ".docx", ".odt"} else ""
    raise CVError(
        f"Unsupported file type '{suffix or filename}': upload {ACCEPTED}.{hint}",
        code="unsupported",
    )


def read_cv(
    data: bytes, filename: str, *, password: str | None = None, limits: Limits = _DEFAULT_LIMITS
) -> CVText:
    """Read an uploaded CV; raise :class:`CVError` with a specific message on failure."""
    if not data:
        raise CVError(f"'{filename}' is empty (0 bytes).", code="empty")
    if len(data) > limits.max_bytes:
        raise CVError(
            f"'{filename}' is {_mb(len(data))}; the upload limit is {_mb(limits.max_bytes)}. "
            "Upload a smaller file (a CV is rarely over 2 MB) or paste the text.",
            code="too_large",
        )
    kind = _kind(data, filename)
    digest = hashlib.sha256(data).hexdigest()
    key: _CacheKey = (digest, password or None, kind, limits)
    hit = _cache_get(key)
    if hit is None:
        hit = _read_pdf(data, password, limits) if kind == "pdf" else _read_text_file(data, limits)
        if not isinstance(hit, _Failure) or hit.cacheable:
            _cache_put(key, hit)
    if isinstance(hit, _Failure):
        raise CVError(hit.message, code=hit.code)
    return dataclasses.replace(hit, filename=filename, digest=digest)


def read_pasted(text: str, limits: Limits = _DEFAULT_LIMITS) -> CVText:
    """Clean pasted CV text the same way as an uploaded file (no cache: it is fast)."""
    if not text.strip():
        raise CVError("Paste the CV text first: the box is empty.", code="empty")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = _finish(text, pages=0, limits=limits, notes=[])
    if isinstance(result, _Failure):
        raise CVError(result.message, code=result.code)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return dataclasses.replace(result, filename="pasted text", digest=digest)


def _read_pdf(data: bytes, password: str | None, limits: Limits) -> CVText | _Failure:
    result = pdftext.extract_pdf(data, password, limits)
    if isinstance(result, pdftext.PdfFailure):
        return _Failure(result.code, result.message, result.cacheable)
    notes: list[str] = []
    if result.unreadable_pages:
        pages = ", ".join(map(str, result.unreadable_pages))
        notes.append(f"Page(s) {pages} could not be decoded and were skipped.")
    if not result.complete:
        notes.append(
            f"Only the first {len(result.texts)} of {result.page_count} pages were read: the text "
            f"reached the {limits.max_chars:,}-character limit."
        )
    return _finish("\n\n".join(result.texts), result.page_count, limits, notes,
                   cut=not result.complete, hidden=result.hidden)


def _finish(raw: str, pages: int, limits: Limits, notes: list[str], cut: bool = False,
            hidden: tuple[tuple[str, int, str], ...] = ()) -> CVText | _Failure:
    """Clean, cap at ``limits.max_chars`` and collect warnings."""
    raw_cut = len(raw) > 4 * limits.max_chars  # cleaning only shrinks text: bound its work
    cleaned = clean_text(raw[: 4 * limits.max_chars])
    if not cleaned.text:
        return _Failure("no_text", _no_text_message(pages))
    text = cleaned.text
    truncated = cut or raw_cut or len(text) > limits.max_chars
    if len(text) > limits.max_chars:
        text = text[: limits.max_chars]
    if truncated and not cut:  # a cut at page level already has its own note
        notes.append(
            f"The CV text was cut at the {limits.max_chars:,}-character limit; the rest is ignored."
        )
    # a capped text is long by definition: judge its length per page only when whole
    judged_pages = 1 if truncated else pages
    warnings = quality_warnings(dataclasses.replace(cleaned, text=text), judged_pages) + notes
    return CVText(text, max(pages, 1), tuple(warnings), "", "", truncated,
                  suspicions(text, hidden))


def _no_text_message(pages: int) -> str:
    plural = "page has" if pages == 1 else f"{pages} pages have"
    return (
        f"This PDF looks scanned or image-only: its {plural} no text layer. Upload a PDF "
        "with selectable text (export it from Word/Docs), or paste the text."
    )


def _read_text_file(data: bytes, limits: Limits) -> CVText | _Failure:
    decoded = decode_text(data)
    if decoded is None:
        return _Failure("unsupported", "This file is not readable text (it looks binary). "
                        f"Upload {ACCEPTED}.")
    text, encoding = decoded
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return _Failure("empty", "This text file contains only blank space.")
    notes = [] if encoding.startswith("utf") else [
        f"The file is not UTF-8; it was read as {encoding}. Check accented letters."
    ]
    result = _finish(text, 0, limits, notes)
    if isinstance(result, _Failure) and result.code == "no_text":
        return _Failure("empty", "This text file contains no readable text.")
    return result


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Decode bytes as UTF-8 (BOM or not), UTF-16 (BOM), EUC-KR/CP949 or Windows-1252.

    CP949 is chosen only when it decodes strictly and most non-ASCII characters
    are Hangul syllables, because Latin-1 text often decodes "validly" as CP949.
    Returns None for binary data (NUL bytes without a UTF-16 BOM).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        korean = data.decode("cp949")
    except UnicodeDecodeError:
        korean = ""
    high = [char for char in korean if ord(char) > 0x7F]
    if high and sum("\uac00" <= char <= "\ud7a3" for char in high) >= 0.7 * len(high):
        return korean, "EUC-KR (CP949)"
    return data.decode("latin-1").translate(_CP1252_C1), "Windows-1252"
