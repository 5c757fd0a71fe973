"""Benchmark 4, extraction: pypdf per CV against pdftotext, and the hostile worst case.

Per CV of ``../shared/corpus/cv``: pypdf in this process (``pdftext.read_pdf``,
the work the app's worker does), ``pdftotext`` (poppler) as the reference,
and the app's real path (``cv.read_cv``: forkserver worker, 5 s bound, text
cleanup, cache cleared).  Over ``../shared/corpus/hostile`` only the app's
path is timed: that is the bound a recruiter can meet (raw pypdf needs ~24 s
on one of those files).
"""

from __future__ import annotations

import functools
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import CORPUS


@dataclass
class ExtractionResult:
    files: int
    pypdf_median_s: float
    pdftotext_median_s: float
    ratio_median: float  # pypdf / pdftotext, per file
    slowest_cv: tuple[str, float]  # app path
    hostile_worst: tuple[str, float, str]  # app path: file, seconds, outcome


def _best_of(action: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` runs: the least disturbed by the other work on the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _app_path(path: Path) -> tuple[float, str]:
    from interviewkit.ingest import cv

    cv.clear_cache()
    start = time.perf_counter()
    try:
        cv.read_cv(path.read_bytes(), path.name)
        outcome = "read"
    except cv.CVError as exc:
        outcome = exc.code
    return time.perf_counter() - start, outcome


def _pypdf(path: Path) -> None:
    from interviewkit.config import Limits
    from interviewkit.ingest.pdf import read_pdf

    limits = Limits()
    read_pdf(path.read_bytes(), None, limits.max_pages, limits.max_chars)


def _pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, check=False)


def run(repeat: int = 3, hostile: bool = True, limit: int | None = None, log: Any = print
        ) -> ExtractionResult:
    """Every corpus CV three ways (the first ``limit`` for --quick), then every hostile
    file through the app's path."""
    from interviewkit.ingest import pdf as pdftext

    pdftext.warm_up()
    rows = []
    for path in sorted((CORPUS / "cv").glob("*.pdf"))[:limit]:
        ours = _best_of(functools.partial(_pypdf, path), repeat)
        ref = _best_of(functools.partial(_pdftotext, path), repeat)
        app, _ = _app_path(path)
        rows.append((path.name, ours, ref, app))
        log(f"  extraction {path.name:45} pypdf {ours * 1000:6.0f} ms, pdftotext "
            f"{ref * 1000:5.0f} ms, app {app * 1000:6.0f} ms")
    worst = ("-", 0.0, "-")
    for path in sorted((CORPUS / "hostile").glob("*.pdf")) if hostile else []:
        seconds, outcome = _app_path(path)
        log(f"  extraction hostile {path.name:40} {seconds * 1000:6.0f} ms  {outcome}")
        worst = max(worst, (path.name, seconds, outcome), key=lambda row: row[1])
    slowest = max(rows, key=lambda row: row[3])
    return ExtractionResult(
        len(rows), statistics.median(r[1] for r in rows), statistics.median(r[2] for r in rows),
        statistics.median(r[1] / r[2] for r in rows), (slowest[0], slowest[3]), worst)
