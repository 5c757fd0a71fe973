"""Benchmark 2, concurrency: N sessions generating at once against one Streamlit process.

Each session is a :class:`bench.stclient.Session` (the frontend's protocol, no
browser) with a CV uploaded; all N click Generate together and each one's
completion time (click to ``script_finished``) is divided by the solo time.
The mock runs in its own process so its CPU is not billed to the client.
Server CPU seconds and peak resident memory come from /proc.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench import common
from bench.common import (
    CORPUS,
    END_MARK,
    StreamlitServer,
    kit_pieces,
    mock_process,
    pct,
    server_env,
)
from bench.stclient import Session, app_session_with_cv

CV = CORPUS / "cv" / "rendercv_classic_2p.pdf"


@dataclass
class ConcurrencyResult:
    variant: str
    sessions: int
    solo_s: float
    p50: float  # completion / solo
    p95: float
    worst: float
    cpu_s: float
    peak_mb: float
    failed: int


async def _generate_all(sessions: Sequence[Session], timeout: float) -> list[float | None]:
    async def one(session: Session) -> float | None:
        result = await session.run(trigger="Generate interview kit", watch=END_MARK,
                                   timeout=timeout)
        ok = result.status == 0 and result.text_first_s is not None
        return result.elapsed_s if ok else None

    return list(await asyncio.gather(*(one(s) for s in sessions)))


async def _round(server: StreamlitServer, n: int, timeout: float) -> tuple[list[float | None],
                                                                           float, float]:
    sessions = list(await asyncio.gather(*(app_session_with_cv(server.url, CV)
                                           for _ in range(n))))
    try:
        await asyncio.sleep(0.5)
        server.reset_peak()
        before = server.stats()
        times = await _generate_all(sessions, timeout)
        after = server.stats()
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return times, after.cpu_s - before.cpu_s, after.peak_mb


async def _run(variant: str, env: dict[str, str], counts: Sequence[int], solo_runs: int,
               flags: Sequence[str], timeout: float, log: Any) -> list[ConcurrencyResult]:
    results: list[ConcurrencyResult] = []
    with StreamlitServer(common.APP_ROOT / "app.py", env, flags) as server:
        await _round(server, 1, timeout)  # warm-up: imports, the CV parse
        solo = [t for _ in range(solo_runs) for t in (await _round(server, 1, timeout))[0]]
        solo_s = statistics.median([t for t in solo if t is not None])
        for n in counts:
            times, cpu, peak = await _round(server, n, timeout)
            done = [t / solo_s for t in times if t is not None] or [float("inf")]
            result = ConcurrencyResult(variant, n, solo_s, pct(done, 50), pct(done, 95),
                                       max(done), cpu, peak, len(times) - len(done))
            log(f"  concurrency [{variant}] N={n:2}: solo {solo_s:.2f} s, p50 {result.p50:.3f}x, "
                f"p95 {result.p95:.3f}x, worst {result.worst:.3f}x, cpu {cpu:.1f} s, "
                f"peak {peak:.0f} MB, failed {result.failed}")
            results.append(result)
    return results


def run(counts: Sequence[int] = (1, 10, 20, 40), tokens: int = 600, rate: float = 40,
        solo_runs: int = 3, variant: tuple[str, Sequence[str], dict[str, str]] = ("as is", (), {}),
        log: Any = print) -> list[ConcurrencyResult]:
    """N sessions x ``tokens`` at ``rate`` tokens/s, one Streamlit process.

    ``variant`` is (name, extra streamlit flags, extra environment), as in ``rerun``.
    """
    name, flags, extra_env = variant
    text = "".join(kit_pieces(tokens))
    with mock_process(text, rate) as base_url:
        timeout = tokens / rate * 10 + 60
        env = server_env(base_url, **extra_env)
        return asyncio.run(_run(name, env, counts, solo_runs, flags, timeout, log))
