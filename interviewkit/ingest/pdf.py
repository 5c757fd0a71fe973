"""Read the text layer of a PDF with pypdf, in a worker process with hard limits.

pypdf is pure Python and cannot be interrupted from a thread, and hostile files
can make it loop for minutes or allocate gigabytes.  So every extraction runs in
a child of a *forkserver* (safe to use from Streamlit's threads, and fast: the
server has pypdf preloaded, so a job costs a fork, not an interpreter start).
The child caps its address space (``RLIMIT_AS``), the parent kills it after
``limits.timeout_s``.  Only plain data (str/int/list/dict) crosses the pipe.

Failures come back as :class:`PdfFailure` (a stable ``code`` plus a message for
the person who uploaded the file); :mod:`interviewkit.ingest.cv` turns them into
``CVError``.  This module never imports ``cv`` so the child stays small.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import resource
import signal
import time
import warnings
from dataclasses import dataclass
from multiprocessing import forkserver, spawn
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import pypdf
from pypdf import PasswordType
from pypdf.errors import (
    DependencyError,
    FileNotDecryptedError,
    LimitReachedError,
    PyPdfError,
)

from interviewkit.config import Limits
from interviewkit.ingest.hidden import HiddenTextProbe

_CTX = multiprocessing.get_context("forkserver")
_WORKER_NAME = "interviewkit-pdftext"
_preload_set = False


def _skip_main_in_workers() -> None:
    """Stop our workers from re-running the parent's ``__main__`` script.

    Under Streamlit, ``__main__`` is the page script (a module with a
    ``__file__`` and no ``__spec__``), and every forkserver child would re-run it
    before the job: slow, and it would execute the app in the worker.  The
    worker needs nothing from ``__main__``, so processes named ``_WORKER_NAME``
    skip that step; every other process keeps the stdlib behaviour.  Effective
    in the forkserver because it preloads this module.
    """
    original = getattr(spawn, "_fixup_main_from_path", None)
    if original is None or getattr(original, "_interviewkit", False):
        return

    def fixup(main_path: str) -> None:
        if multiprocessing.current_process().name != _WORKER_NAME:
            original(main_path)

    setattr(fixup, "_interviewkit", True)  # noqa: B010 - marks our wrapper
    setattr(spawn, "_fixup_main_from_path", fixup)  # noqa: B010 - private stdlib hook


_skip_main_in_workers()

DAMAGED = (
    "This PDF is damaged and could not be read ({detail}). "
    "Try re-saving it, or printing it to a new PDF, and upload that."
)


@dataclass(frozen=True)
class PdfPages:
    """Raw per-page text of the pages that were read (all, or until the text cap)."""

    page_count: int
    texts: tuple[str, ...]
    unreadable_pages: tuple[int, ...] = ()
    hidden: tuple[tuple[str, int, str], ...] = ()  # (kind, page, text), see hidden.py

    @property
    def complete(self) -> bool:
        """True when every page was read (none skipped for the text cap)."""
        return len(self.texts) >= self.page_count


@dataclass(frozen=True)
class PdfFailure:
    """Why a PDF could not be read; ``cacheable`` is False for transient crashes."""

    code: str
    message: str
    cacheable: bool = True


PdfResult = PdfPages | PdfFailure


# --------------------------------------------------------------------------- child side


def _open(data: bytes, password: str | None) -> pypdf.PdfReader | PdfFailure:
    """Open and decrypt; an empty user password ("owner-only" protection) just opens."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    if not reader.is_encrypted:
        return reader
    if reader.decrypt("") != PasswordType.NOT_DECRYPTED:
        return reader
    if not password:
        return PdfFailure("needs_password", "This PDF is password-protected; enter its password.")
    if reader.decrypt(password) == PasswordType.NOT_DECRYPTED:
        return PdfFailure(
            "wrong_password", "That password does not open this PDF; check it and try again."
        )
    return reader


def _read_pages(reader: pypdf.PdfReader, max_pages: int, max_chars: int) -> PdfResult:
    """Extract page by page, stopping once ``max_chars`` (whitespace-collapsed) is reached."""
    count = len(reader.pages)
    if count == 0:
        return PdfFailure("no_pages", "This PDF has no pages, so there is nothing to read.")
    if count > max_pages:
        return PdfFailure(
            "too_many_pages",
            f"This PDF has {count} pages; the limit is {max_pages} pages. A CV is usually "
            "1–4 pages: upload just the CV pages, or paste the text.",
        )
    texts: list[str] = []
    bad: list[int] = []
    hidden: list[tuple[str, int, str]] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = _extract_page(page, number, hidden)
        except (MemoryError, RecursionError, LimitReachedError):
            raise  # the whole file is hostile, not one page: read_pdf says which way
        except Exception:  # one broken page should not lose the others
            text = ""
            bad.append(number)
        texts.append(text)
        total += len(" ".join(text.split()))
        if total >= max_chars:
            break
    if bad and len(bad) == len(texts):
        return PdfFailure("corrupt", DAMAGED.format(detail="no page could be decoded"))
    return PdfPages(count, tuple(texts), tuple(bad), tuple(hidden))


def _extract_page(page: pypdf.PageObject, number: int, hidden: list[tuple[str, int, str]]) -> str:
    """One page's text, noting on the way the text a reader would not see."""
    box = page.mediabox
    probe = HiddenTextProbe((float(box.left), float(box.bottom), float(box.right),
                             float(box.top)), number)
    text = page.extract_text(visitor_operand_before=probe.operand, visitor_text=probe.text)
    hidden.extend(probe.spans)
    return text


def read_pdf(data: bytes, password: str | None, max_pages: int, max_chars: int) -> PdfResult:
    """Do the whole pypdf job in this process, mapping every exception to a failure.

    Runs inside the worker; tests may call it directly.  The broad ``except`` is
    deliberate: corrupt files make pypdf raise AttributeError, KeyError, ...
    """
    try:
        opened = _open(data, password)
        if isinstance(opened, PdfFailure):
            return opened
        return _read_pages(opened, max_pages, max_chars)
    except FileNotDecryptedError:
        return PdfFailure("needs_password", "This PDF is password-protected; enter its password.")
    except DependencyError as exc:
        return PdfFailure(
            "unsupported",
            f"This PDF uses a feature this server cannot decode ({exc}); "
            "re-export it as a standard PDF or paste the text.",
        )
    except MemoryError:
        raise  # the worker reports it with the memory limit
    except LimitReachedError as exc:  # pypdf's own guards: bombs, or cycles in the structure
        if "decompress" in str(exc) or "length" in str(exc):
            return _bomb_failure()
        return PdfFailure("corrupt", DAMAGED.format(detail=str(exc).rstrip(".")[:160]))
    except RecursionError:
        return PdfFailure("corrupt", DAMAGED.format(detail="its structure is nested endlessly"))
    except PyPdfError as exc:  # pypdf's own messages name the broken part
        detail = str(exc).strip().rstrip(".") or "unreadable structure"
        return PdfFailure("corrupt", DAMAGED.format(detail=detail[:160]))
    except Exception:  # AttributeError, KeyError... from inconsistent objects
        detail = "its internal structure is inconsistent"
        return PdfFailure("corrupt", DAMAGED.format(detail=detail))


def _bomb_failure(memory_mb: int | None = None) -> PdfFailure:
    limit = f"more than {memory_mb} MB of memory" if memory_mb else "too much memory"
    return PdfFailure(
        "too_large",
        f"This PDF needs {limit} to read: it expands to a huge size "
        "(a 'decompression bomb' or a broken file). Re-export it as a normal PDF, "
        "or paste the text.",
    )


def _limit_memory(memory_mb: int) -> tuple[int, int]:
    """Cap the worker's address space so a bomb raises MemoryError instead of swapping.

    Returns the previous limits so the worker can lift the cap again to report.
    """
    previous = resource.getrlimit(resource.RLIMIT_AS)
    wanted = memory_mb * 1024 * 1024
    if previous[1] != resource.RLIM_INFINITY:
        wanted = min(wanted, previous[1])
    resource.setrlimit(resource.RLIMIT_AS, (wanted, previous[1]))
    return previous


def _to_wire(result: PdfResult) -> dict[str, Any]:
    if isinstance(result, PdfFailure):
        return {"ok": False, "code": result.code, "message": result.message}
    return {"ok": True, "pages": result.page_count, "texts": list(result.texts),
            "bad": list(result.unreadable_pages), "hidden": [list(h) for h in result.hidden]}


def _from_wire(msg: dict[str, Any]) -> PdfResult:
    if not msg.get("ok"):
        return PdfFailure(str(msg["code"]), str(msg["message"]))
    hidden = tuple((str(k), int(p), str(t)) for k, p, t in msg.get("hidden", []))
    return PdfPages(int(msg["pages"]), tuple(msg["texts"]), tuple(msg["bad"]), hidden)


def _child(conn: Connection, data: bytes, password: str | None, limits: Limits) -> None:
    """Worker entry point: limit memory, silence pypdf's log noise, send plain data back."""
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    previous = _limit_memory(limits.memory_mb)
    try:
        result = read_pdf(data, password, limits.max_pages, limits.max_chars)
    except MemoryError:
        result = _bomb_failure(limits.memory_mb)
    resource.setrlimit(resource.RLIMIT_AS, previous)  # sending needs memory too
    conn.send(_to_wire(result))
    conn.close()


# -------------------------------------------------------------------------- parent side


def warm_up() -> None:
    """Start the forkserver now (with pypdf preloaded) so the first upload is fast."""
    global _preload_set
    if not _preload_set:
        _make_package_importable_in_server()
        _CTX.set_forkserver_preload(["pypdf", "interviewkit.ingest.pdf"])
        _preload_set = True
    forkserver.ensure_running()


def _make_package_importable_in_server() -> None:
    """Put this package's parent directory on PYTHONPATH for the forkserver.

    Python 3.11's forkserver ignores the parent's ``sys.path`` while preloading,
    so when the app was started from another directory the preload (and with it
    :func:`_skip_main_in_workers`) would silently not happen.
    """
    root = str(Path(__file__).resolve().parents[2])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *paths])


def _crash_failure(exitcode: int | None) -> PdfFailure:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    return PdfFailure(
        "corrupt",
        f"The PDF reader crashed on this file ({how}); the file is probably damaged. "
        "Try re-saving or printing it to a new PDF, or paste the text.",
        cacheable=False,
    )


def _timeout_failure(limits: Limits) -> PdfFailure:
    return PdfFailure(
        "timeout",
        f"This PDF took longer than {limits.timeout_s:g} s to read, so reading was stopped. "
        "Re-export it as PDF (e.g. 'Print → Save as PDF') and upload that, or paste the text.",
    )


def extract_pdf(data: bytes, password: str | None, limits: Limits) -> PdfResult:
    """Run :func:`read_pdf` in a fresh worker, killed after ``limits.timeout_s``."""
    warm_up()
    recv_conn, send_conn = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(send_conn, data, password, limits),
                        name=_WORKER_NAME, daemon=True)
    try:
        proc.start()
        send_conn.close()  # so EOF arrives if the child dies
        if not wait([recv_conn, proc.sentinel], timeout=limits.timeout_s):
            return _timeout_failure(limits)
        msg: dict[str, Any] | None = None
        if recv_conn.poll():
            try:
                msg = recv_conn.recv()
            except (EOFError, OSError):
                msg = None
        proc.join(timeout=1.0)
        return _from_wire(msg) if msg is not None else _crash_failure(proc.exitcode)
    finally:
        _reap(proc)
        recv_conn.close()
        send_conn.close()


def _reap(proc: Any) -> None:
    """Kill the worker if it still runs and release its resources."""
    if proc.pid is None:
        return
    if proc.is_alive():
        proc.kill()
    proc.join(timeout=5.0)
    if not proc.is_alive():
        proc.close()


def measure_overhead(data: bytes, runs: int = 3, limits: Limits | None = None) -> float:
    """Median seconds a worker adds over reading ``data`` in this process."""
    limits = limits or Limits()
    warm_up()
    extra: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        read_pdf(data, None, limits.max_pages, limits.max_chars)
        direct = time.perf_counter() - start
        start = time.perf_counter()
        extract_pdf(data, None, limits)
        extra.append(time.perf_counter() - start - direct)
    return sorted(extra)[len(extra) // 2]
