"""Benchmark 4, extraction: pypdf per CV against pdftotext, a long CV, the worker's cost and
the hostile worst case.

Per CV of ``../shared/corpus/cv``: pypdf in this process (``pdftext.read_pdf``,
the work the app's worker does), ``pdftotext`` (poppler) as the reference,
and the app's real path (``cv.read_cv``: forkserver worker, time bounds, text
cleanup, cache cleared).  A long text-heavy CV (9 pages, ~35,000 characters,
made at run time by ``tests/pdfmaker.py``) is timed four ways: the app, pypdf
with the hidden-text probe (``read_pdf``), pypdf's plain ``extract_text`` and
pdftotext, so what the app adds on top of pypdf shows.  The worker's own cost
is the app path minus ``read_pdf`` on a one-page PDF.  Over
``../shared/corpus/hostile`` only the app's path is timed: that is the bound a
recruiter can meet (raw pypdf needs ~16 s on one of those files).
"""

from __future__ import annotations

import functools
import io
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import CORPUS


@dataclass
class LongCV:
    pages: int
    chars: int
    app_s: float  # read_cv: worker, probe, cleanup
    probe_s: float  # read_pdf in this process: pypdf + hidden-text probe
    pypdf_s: float  # pypdf's extract_text alone, in this process
    pdftotext_s: float
    allowance_s: float  # what the app's time bound allows this file


@dataclass
class ExtractionResult:
    files: int
    pypdf_median_s: float
    pdftotext_median_s: float
    ratio_median: float  # pypdf / pdftotext, per file
    slowest_cv: tuple[str, float, float]  # app path: file, seconds, its allowance
    hostile_worst: tuple[str, float, str]  # app path: file, seconds, outcome
    hostile_slow: list[tuple[str, float, str]]  # the files pypdf alone needs many seconds for
    long_cv: LongCV
    worker_overhead_s: float  # median per job, small PDF
    corpus_pypdf_s: float  # all corpus CVs, pypdf's extract_text alone
    corpus_probe_s: float  # all corpus CVs, read_pdf (pypdf + hidden-text probe)
    cap_s: float  # Limits().timeout_s: no file may take longer


SLOW_HOSTILE = ("slow_parse_bug1978317.pdf", "brotli_filter_pdf20.pdf")
# file; seconds of read_pdf, pdftotext and the app; pages; seconds of pypdf alone
CVRow = tuple[str, float, float, float, int, float]


def _best_of(action: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` runs: the least disturbed by the other work on the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _app_path(data: bytes, name: str) -> tuple[float, str, int]:
    """Seconds, outcome ("read" or the error code) and page count (0 unknown) via read_cv."""
    from interviewkit.errors import CVError
    from interviewkit.ingest import cv

    cv.clear_cache()
    start = time.perf_counter()
    try:
        pages, outcome = cv.read_cv(data, name).pages, "read"
    except CVError as exc:
        pages, outcome = 0, exc.code
    return time.perf_counter() - start, outcome, pages


def _read_pdf(data: bytes) -> object:
    from interviewkit.config import Limits
    from interviewkit.ingest.pdf import read_pdf

    limits = Limits()
    return read_pdf(data, None, limits.max_pages, limits.max_chars)


def _plain_pypdf(data: bytes) -> int:
    """pypdf's own extract_text on every page, no visitors: the floor under the app."""
    import pypdf

    return sum(len(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, check=False)


def long_cv_figures(repeat: int) -> LongCV:
    """The generated 9-page CV four ways, best of ``repeat`` each (at least 5: it is cheap,
    and the differences are tens of ms)."""
    from interviewkit.config import Limits
    from tests.pdfmaker import long_cv

    data, repeat = long_cv(pages=9, chars=35_000), max(repeat, 5)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long-cv.pdf"
        path.write_bytes(data)
        ref = _best_of(functools.partial(_pdftotext, path), repeat)
    app = min(_app_path(data, "long-cv.pdf")[0] for _ in range(repeat))
    return LongCV(9, _plain_pypdf(data), app, _best_of(functools.partial(_read_pdf, data), repeat),
                  _best_of(functools.partial(_plain_pypdf, data), repeat), ref,
                  Limits().read_allowance_s(9))


def worker_overhead(runs: int = 9) -> float:
    """Median seconds the worker adds to a job over ``read_pdf`` in this process."""
    from interviewkit.config import Limits
    from interviewkit.ingest import pdf as pdftext
    from tests.pdfmaker import long_cv

    data, limits = long_cv(pages=1, chars=3_000), Limits()
    pdftext.extract_pdf(data, None, limits)  # the forkserver is started and warm
    extra: list[float] = []
    for _ in range(runs):
        direct = _best_of(functools.partial(_read_pdf, data), 1)
        start = time.perf_counter()
        pdftext.extract_pdf(data, None, limits)
        extra.append(time.perf_counter() - start - direct)
    return statistics.median(extra)


def _corpus_cvs(repeat: int, limit: int | None, log: Any) -> list[CVRow]:
    rows: list[CVRow] = []
    for path in sorted((CORPUS / "cv").glob("*.pdf"))[:limit]:
        ours = _best_of(functools.partial(_read_pdf, path.read_bytes()), repeat)
        plain = _best_of(functools.partial(_plain_pypdf, path.read_bytes()), repeat)
        ref = _best_of(functools.partial(_pdftotext, path), repeat)
        app, _, pages = _app_path(path.read_bytes(), path.name)
        rows.append((path.name, ours, ref, app, pages, plain))
        log(f"  extraction {path.name:45} pypdf {ours * 1000:6.0f} ms, pdftotext "
            f"{ref * 1000:5.0f} ms, app {app * 1000:6.0f} ms")
    return rows


def run(repeat: int = 3, hostile: bool = True, limit: int | None = None, log: Any = print
        ) -> ExtractionResult:
    """Every corpus CV three ways (the first ``limit`` for --quick), the long CV four ways,
    the worker's overhead, then every hostile file through the app's path."""
    from interviewkit.config import Limits
    from interviewkit.ingest import pdf as pdftext

    pdftext.warm_up()
    rows = _corpus_cvs(repeat, limit, log)
    long = long_cv_figures(repeat)
    log(f"  extraction long CV {long.pages} pages {long.chars} chars: app {long.app_s:.2f} s, "
        f"pypdf+probe {long.probe_s:.2f} s, pypdf {long.pypdf_s:.2f} s, pdftotext "
        f"{long.pdftotext_s:.2f} s (allowed {long.allowance_s:g} s)")
    overhead = worker_overhead()
    log(f"  extraction worker overhead per job: {overhead * 1000:.1f} ms")
    hostile_rows = []
    for path in sorted((CORPUS / "hostile").glob("*.pdf")) if hostile else []:
        seconds, outcome, _ = _app_path(path.read_bytes(), path.name)
        log(f"  extraction hostile {path.name:40} {seconds * 1000:6.0f} ms  {outcome}")
        hostile_rows.append((path.name, seconds, outcome))
    limits = Limits()
    slowest = max(rows, key=lambda row: row[3])
    return ExtractionResult(
        len(rows), statistics.median(r[1] for r in rows), statistics.median(r[2] for r in rows),
        statistics.median(r[1] / r[2] for r in rows),
        (slowest[0], slowest[3], limits.read_allowance_s(slowest[4] or None)),
        max(hostile_rows, key=lambda row: row[1], default=("-", 0.0, "-")),
        [row for row in hostile_rows if row[0] in SLOW_HOSTILE], long, overhead,
        sum(r[5] for r in rows), sum(r[1] for r in rows), limits.timeout_s)
