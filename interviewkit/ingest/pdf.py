"""Read the text layer of a PDF with pypdf, in a worker process with hard limits.

pypdf is pure Python and cannot be interrupted from a thread, and hostile files
can make it loop for minutes or allocate gigabytes.  So every extraction runs in
a child of a *forkserver* (safe to use from Streamlit's threads, and fast: the
server has pypdf preloaded and primed, so a job costs a fork, not an interpreter
start).  The child caps its address space (``RLIMIT_AS``) and reports after
opening the file and after each page; the parent kills it when one step takes
longer than ``limits.page_timeout_s`` or the file longer than its
``limits.read_allowance_s(pages)``, and says which.  Only plain data crosses.

Failures come back as :class:`PdfFailure` (a stable ``code`` plus a message for
the person who uploaded the file); :mod:`interviewkit.ingest.cv` turns them into
``CVError``.  This module never imports ``cv`` so the child stays small.
"""

from __future__ import annotations

import gc
import io
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver, spawn
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import pypdf
from pypdf import PasswordType, PdfWriter
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from interviewkit.config import Limits
from interviewkit.ingest.hidden import page_text

_CTX = multiprocessing.get_context("forkserver")
_WORKER_NAME = "interviewkit-pdftext"
_PRIME_ENV = "INTERVIEWKIT_PDF_FORKSERVER"  # set to the app's pid while it starts the server
_preload_set = False
Progress = Callable[[int, int], None]  # (pages done, page count); 0 done = the file is open


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

DAMAGED = ("This PDF is damaged and could not be read ({detail}). "
           "Try re-saving it, or printing it to a new PDF, and upload that.")


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
        return PdfFailure("wrong_password",
                          "That password does not open this PDF; check it and try again.")
    return reader


def _read_pages(reader: pypdf.PdfReader, max_pages: int, max_chars: int,
                progress: Progress | None = None) -> PdfResult:
    """Extract page by page, stopping once ``max_chars`` (whitespace-collapsed) is reached.

    ``progress`` hears of the open file and of every page, so the parent can
    time each step rather than only the whole file.
    """
    count = len(reader.pages)
    if count == 0:
        return PdfFailure("no_pages", "This PDF has no pages, so there is nothing to read.")
    if count > max_pages:
        return PdfFailure(
            "too_many_pages",
            f"This PDF has {count} pages; the limit is {max_pages} pages. A CV is usually "
            "1–4 pages: upload just the CV pages, or paste the text.",
        )
    if progress:
        progress(0, count)
    texts: list[str] = []
    bad: list[int] = []
    hidden: list[tuple[str, int, str]] = []
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page_text(page, number, hidden)
        except (MemoryError, RecursionError, LimitReachedError):
            raise  # the whole file is hostile, not one page: read_pdf says which way
        except Exception:  # one broken page should not lose the others
            text = ""
            bad.append(number)
        texts.append(text)
        if progress:
            progress(number, count)
        total += len(" ".join(text.split()))
        if total >= max_chars:
            break
    if bad and len(bad) == len(texts):
        return PdfFailure("corrupt", DAMAGED.format(detail="no page could be decoded"))
    return PdfPages(count, tuple(texts), tuple(bad), tuple(hidden))


def read_pdf(data: bytes, password: str | None, max_pages: int, max_chars: int,
             progress: Progress | None = None) -> PdfResult:
    """Do the whole pypdf job in this process, mapping every exception to a failure.

    Runs inside the worker; tests and the benchmark may call it directly.  The
    broad ``except`` is deliberate: corrupt files make pypdf raise
    AttributeError, KeyError, ...
    """
    try:
        opened = _open(data, password)
        if isinstance(opened, PdfFailure):
            return opened
        return _read_pages(opened, max_pages, max_chars, progress)
    except FileNotDecryptedError:
        return PdfFailure("needs_password", "This PDF is password-protected; enter its password.")
    except DependencyError as exc:
        return PdfFailure("unsupported", f"This PDF uses a feature this server cannot decode "
                          f"({exc}); re-export it as a standard PDF or paste the text.")
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
    return PdfFailure("too_large", f"This PDF needs {limit} to read: it expands to a huge size "
                      "(a 'decompression bomb' or a broken file). Re-export it as a normal PDF, "
                      "or paste the text.")


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
    """Worker entry point: limit memory, silence pypdf's log noise, send plain data back:
    ``{"done", "pages"}`` after the opening and after every page, then the result."""
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    previous = _limit_memory(limits.memory_mb)

    def progress(done: int, pages: int) -> None:
        conn.send({"done": done, "pages": pages})

    try:
        result = read_pdf(data, password, limits.max_pages, limits.max_chars, progress)
    except MemoryError:
        result = _bomb_failure(limits.memory_mb)
    resource.setrlimit(resource.RLIMIT_AS, previous)  # sending needs memory too
    conn.send(_to_wire(result))
    conn.close()


def _prime_forkserver() -> None:
    """Run pypdf once in the forkserver and freeze its heap, so every fork starts warm.

    Without it each job paid pypdf's first-use costs again (lazy imports,
    caches, crypto set-up: a 4 ms extraction took 12 ms in a fresh fork), and
    the garbage collector walked, and so copied, the inherited objects.
    """
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")  # the server's own filters; each job sets its own
    stream = DecodedStreamObject()
    stream.set_data(b"q 1 g 0 0 9 9 re f Q BT /F1 9 Tf 9 9 Td (Ab) Tj [(c) 5 (d)] TJ ET")
    for algorithm in (None, "RC4-128", "AES-256"):
        try:
            writer, out, name = PdfWriter(), io.BytesIO(), NameObject
            page = writer.add_blank_page(99, 99)
            font = writer._add_object(DictionaryObject({name("/Subtype"): name("/Type1"),
                                                        name("/BaseFont"): name("/Helvetica")}))
            page[name("/Resources")] = DictionaryObject(
                {name("/Font"): DictionaryObject({name("/F1"): font})})
            page[name("/Contents")] = writer._add_object(stream.flate_encode())
            if algorithm:
                writer.encrypt("", "owner", algorithm=algorithm)
            writer.write(out)
            read_pdf(out.getvalue(), None, 1, 100)
        except Exception:  # only an optimisation: the jobs do the real work
            continue
    gc.collect()
    gc.freeze()


# -------------------------------------------------------------------------- parent side

_start_lock = threading.Lock()


def warm_up() -> None:
    """Start the forkserver now (pypdf preloaded, primed at its first start): uploads are fast."""
    global _preload_set
    with _start_lock:
        if not _preload_set:
            _make_package_importable_in_server()
            _CTX.set_forkserver_preload(["pypdf", "interviewkit.ingest.pdf"])
            os.environ[_PRIME_ENV] = str(os.getpid())  # the server started now primes itself
        try:
            forkserver.ensure_running()
        finally:
            if not _preload_set:
                os.environ.pop(_PRIME_ENV, None)
            _preload_set = True


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
    how = f"exit code {exitcode}"
    if exitcode is not None and exitcode < 0:
        signals = {int(sig): sig.name for sig in signal.Signals}
        how = f"signal {signals.get(-exitcode, -exitcode)}"
    return PdfFailure("corrupt", f"The PDF reader crashed on this file ({how}); the file is "
                      "probably damaged. Try re-saving or printing it to a new PDF, or paste "
                      "the text.", cacheable=False)


def _timeout_failure(limits: Limits, pages: int | None, step: int | None) -> PdfFailure:
    """Say which bound ran out: the whole file's (``step`` None), opening (0) or page ``step``."""
    if step is None and pages is not None:
        what = (f"Reading took longer than the {limits.read_allowance_s(pages):g} s limit for "
                f"this {pages}-page PDF, so it was stopped")
    elif step is None:  # the cap ran out while the file was still being opened
        what = f"This PDF took longer than {limits.timeout_s:g} s to read, so reading was stopped"
    else:
        where = f"Page {step} of this PDF" if step else "This PDF"
        what = (f"{where} took longer than {limits.page_timeout_s:g} s to "
                f"{'read' if step else 'open'}, so reading was stopped")
    return PdfFailure("timeout", f"{what}. Re-export it as PDF (e.g. 'Print → Save as PDF') "
                      "and upload that, or paste the text.")


def extract_pdf(data: bytes, password: str | None, limits: Limits) -> PdfResult:
    """Run :func:`read_pdf` in a fresh worker, killed when a step or the whole file overruns."""
    warm_up()
    recv_conn, send_conn = _CTX.Pipe(duplex=False)
    proc = _CTX.Process(target=_child, args=(send_conn, data, password, limits),
                        name=_WORKER_NAME, daemon=True)
    try:
        started = time.monotonic()
        proc.start()
        send_conn.close()  # so EOF arrives if the child dies
        return _follow(proc, recv_conn, limits, started)
    finally:
        _reap(proc)
        recv_conn.close()
        send_conn.close()


def _follow(proc: Any, conn: Connection, limits: Limits, started: float) -> PdfResult:
    """Read the worker's messages until its result, its death, or a missed deadline.

    Messages already in the pipe are read before a deadline is judged, so a
    parent that was slow to wake never blames a step the worker had finished.
    """
    pages: int | None = None  # known once the worker has opened the file
    done, step_started = 0, started
    while True:
        step_end = step_started + limits.page_timeout_s
        file_end = started + limits.read_allowance_s(pages)
        remaining = min(step_end, file_end) - time.monotonic()
        if remaining > 0:
            wait([conn, proc.sentinel], timeout=remaining)
        if conn.poll():
            try:
                msg: dict[str, Any] = conn.recv()
            except (EOFError, OSError):
                proc.join(timeout=1.0)
                return _crash_failure(proc.exitcode)
            if "done" not in msg:
                return _from_wire(msg)
            done, pages, step_started = int(msg["done"]), int(msg["pages"]), time.monotonic()
        elif not proc.is_alive():
            return _crash_failure(proc.exitcode)
        elif time.monotonic() >= min(step_end, file_end):
            return _timeout_failure(limits, pages, None if file_end <= step_end else
                                    (done + 1 if pages is not None else 0))


def _reap(proc: Any) -> None:
    """Kill the worker if it still runs; after its result it has nothing left to do.

    Not joined (that waited ~3 ms for the forkserver): multiprocessing forgets
    the finished process, closing its pipe, at the next start.
    """
    if proc.pid is not None and proc.is_alive():
        proc.kill()


if os.environ.get(_PRIME_ENV) == str(os.getppid()):  # this is the forkserver being started
    _prime_forkserver()
