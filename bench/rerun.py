"""Benchmark 3, rerun cost: a widget interaction with a 5-page CV loaded.

A protocol client uploads a 5-page PDF (the 4-page moderncv sample plus the
first page of the rendercv sample, every page with text), then edits the job
description again and again, 0.2 s apart; each edit is a full script rerun,
timed from the ``rerun_script`` message to ``script_finished``.  The first run with the CV
(which parses it) is reported next to the reruns (which must hit the
content-hash cache).  ``breakdown`` times, in this process, the pieces a
rerun repeats, to show where the time goes.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import common
from bench.common import CORPUS, StreamlitServer, pct, server_env
from bench.stclient import Session

JOB = "Job description (optional)"
# A person does not click again within a millisecond of the page settling; a rerun sent
# back-to-back waits ~40 ms for the previous script thread to wind down (measured), which
# is not what a recruiter sees.
PAUSE_S = 0.2


@dataclass
class RerunResult:
    variant: str
    cold_s: float  # the run that parses the CV
    median_s: float
    p95_s: float
    runs: int


def five_page_cv(path: Path = Path("/tmp/ikbench-cv-5p.pdf")) -> Path:
    """Build the 5-page CV once (two corpus CVs, all pages with text)."""
    if not path.exists():
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        for page in PdfReader(CORPUS / "cv" / "moderncv_banking_red_4p.pdf").pages:
            writer.add_page(page)
        writer.add_page(PdfReader(CORPUS / "cv" / "rendercv_classic_2p.pdf").pages[0])
        writer.write(path)
    return path


async def _measure(url: str, runs: int) -> tuple[float, list[float]]:
    session = Session(url)
    await session.connect()
    try:
        await session.run()
        label = next(k for k, (kind, _) in session.widgets.items() if kind == "file_uploader")
        await session.upload(label, five_page_cv())
        cold = (await session.run()).elapsed_s
        times = []
        for i in range(runs):
            await asyncio.sleep(PAUSE_S)
            session.set_value(JOB, string_value=f"Backend engineer, revision {i}")
            times.append((await session.run()).elapsed_s)
        return cold, times
    finally:
        await session.close()


def run(runs: int = 40, variants: Sequence[tuple[str, Sequence[str], dict[str, str]]] = (
        ("as is", (), {}),), log: Any = print) -> list[RerunResult]:
    """Each variant: (name, extra streamlit flags, extra environment)."""
    results = []
    with common.timed_mock(common.kit_reply(10, 100)) as mock:
        for name, flags, extra_env in variants:
            env = server_env(mock.base_url, **extra_env)
            with StreamlitServer(common.APP_ROOT / "app.py", env, flags) as server:
                cold, times = asyncio.run(_measure(server.url, runs))
            result = RerunResult(name, cold, statistics.median(times), pct(times, 95), runs)
            log(f"  rerun [{name}]: first run with the CV {cold * 1000:.0f} ms, reruns median "
                f"{result.median_s * 1000:.1f} ms, p95 {result.p95_s * 1000:.1f} ms")
            results.append(result)
    return results


async def _floor_runs(url: str, runs: int) -> list[float]:
    session = Session(url)
    await session.connect()
    try:
        times = []
        for _ in range(runs + 1):
            await asyncio.sleep(PAUSE_S)
            times.append((await session.run()).elapsed_s)
        return times[1:]
    finally:
        await session.close()


def floor(runs: int = 40, flags: Sequence[str] = ()) -> float:
    """Median rerun of the two-element naive page: Streamlit's own floor on this machine."""
    script = common.ROOT / "bench" / "naive_app.py"
    with StreamlitServer(script, server_env(), flags) as server:
        return statistics.median(asyncio.run(_floor_runs(server.url, runs)))


def _median_ms(action: Callable[[], object], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def breakdown() -> dict[str, float]:
    """Milliseconds per call of what every rerun of the page repeats (in this process)."""
    from interviewkit.config import REPO_PROMPTS_DIR as PROMPTS_DIR
    from interviewkit.config import load_settings
    from interviewkit.promptfiles.loader import load_prompt_dir
    from interviewkit.providers.factory import provider_from_settings

    env = {**os.environ, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "sk-x"}
    settings = load_settings(env=env, secrets={})
    import streamlit  # noqa: F401  (a heap like the server's for the GC figure)

    costs = {
        "provider_from_settings (OpenAI client, TLS context)":
            _median_ms(lambda: provider_from_settings(settings)),
        "load_prompt_dir (YAML)": _median_ms(lambda: load_prompt_dir(PROMPTS_DIR)),
    }
    try:
        from interviewkit.ingest.cv import read_cv
        from interviewkit.safety.pii import redact_pii

        text = read_cv(five_page_cv().read_bytes(), "cv.pdf").text
        costs[f"redact_pii on the CV ({len(text):,} chars)"] = _median_ms(
            lambda: redact_pii(text))
    except ImportError:  # an app without PII redaction
        pass
    label = f"gc.collect(2) on {len(gc.get_objects()):,} objects (runner.postScriptGC)"
    costs[label] = _median_ms(lambda: gc.collect(2), 5)
    return costs
