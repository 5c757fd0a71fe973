"""Benchmark 1, render cost: the app's Generate page against the naive page, in Chromium.

Both pages stream the same kit-shaped reply from one in-process mock, case by
case (tokens x rate), each in a fresh browser context, one after the other.
The figures per page are websocket frames and bytes, main-thread busy time
(CDP ``TaskDuration``), added time to first visible token (first visible
token on screen minus the moment the mock sent it) and the lag from the last
token sent to the complete text on screen.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench import common
from bench.browser import Probe, chromium, probed_page
from bench.common import ROOT, StreamlitServer, kit_reply, server_env

CV = common.CORPUS / "cv" / "sb2nov_resume_one_column.pdf"
NAIVE_APP = ROOT / "bench" / "naive_app.py"
SETTLE_S = 0.3
MAX_QUESTIONS = 15  # kit_pieces makes ~250-token questions: 3000 tokens are 12


@dataclass
class RenderResult:
    page: str
    tokens: int
    rate: float
    frames: int
    bytes: int
    wire_bytes: int
    busy_s: float
    script_s: float
    added_ttft_ms: float
    lag_ms: float


def _prepare(probe: Probe, page_name: str, url: str) -> None:
    page = probe.page
    page.goto(url)
    if page_name == "app":
        page.get_by_text("Upload a CV (PDF, .txt or .md)").first.wait_for(timeout=60_000)
        page.locator("input[type=file]").set_input_files(str(CV))
        page.get_by_text("Extracted CV text").wait_for(timeout=60_000)
        # The app stops a kit after the requested number of questions; 15 fits 3000 tokens.
        questions = page.get_by_label("Number of questions")
        questions.fill(str(MAX_QUESTIONS))
        questions.press("Enter")
    else:
        page.get_by_role("button", name="Generate").wait_for(timeout=60_000)
    time.sleep(SETTLE_S)


def _click_and_wait(probe: Probe, page_name: str, timeout_s: float) -> None:
    page = probe.page
    name, done = (("Generate interview kit", "Status: Complete") if page_name == "app"
                  else ("Generate", "Naive stream finished"))
    page.get_by_role("button", name=name, exact=True).click()
    try:
        page.wait_for_function("window.__ik.lastAt !== null", polling=50,
                               timeout=timeout_s * 1000)
    except Exception as exc:  # say what the page shows instead of a bare timeout
        shown = page.locator("[data-testid='stMain']").inner_text()[-600:]
        raise RuntimeError(f"{page_name}: the complete text never appeared; the page "
                           f"ends with:\n{shown}") from exc
    page.get_by_text(done).wait_for(timeout=timeout_s * 1000)
    time.sleep(SETTLE_S)


def run_case(browser: Any, server: StreamlitServer, mock: Any, page_name: str, tokens: int,
             rate: float, count_with_cdp: bool = False) -> RenderResult:
    """One page, one reply: arm the probes, click, wait for the end, read."""
    with probed_page(browser, count_with_cdp) as probe:
        _prepare(probe, page_name, server.url)
        mock.enqueue(kit_reply(tokens, rate))
        common.SENT.clear()
        wire0 = server.wire_bytes_sent()
        probe.arm()
        _click_and_wait(probe, page_name, tokens / rate + 120)
        got = probe.read()
        wire = sum(n - wire0.get(peer, 0) for peer, n in server.wire_bytes_sent().items())
    sent = list(common.SENT)
    return RenderResult(
        page_name, tokens, rate, int(got["frames"]), int(got["bytes"]), wire,
        got["TaskDuration"], got["ScriptDuration"],
        added_ttft_ms=got["first_ms"] - sent[1] * 1000, lag_ms=got["last_ms"] - sent[-1] * 1000)


def run(cases: Sequence[tuple[int, float]], flags: Sequence[str] = (),
        count_with_cdp: bool = False, warm_up: bool = True, log: Any = print
        ) -> list[RenderResult]:
    """Every case on both pages, app and naive alternating, in one browser."""
    results: list[RenderResult] = []
    with common.timed_mock(kit_reply(10, 100)) as mock, chromium() as browser:
        env = server_env(mock.base_url)
        pages = {"app": common.APP_ROOT / "app.py", "naive": NAIVE_APP}
        servers = {name: StreamlitServer(script, env, flags) for name, script in pages.items()}
        try:
            for page_name in servers if warm_up else ():  # first generation pays imports
                run_case(browser, servers[page_name], mock, page_name, 20, 1000)
            for tokens, rate in cases:
                for page_name, server in servers.items():
                    result = run_case(browser, server, mock, page_name, tokens, rate,
                                      count_with_cdp)
                    log(f"  render {page_name:5} {tokens:5} tok @ {rate:g}/s: "
                        f"{result.bytes / 1e6:7.3f} MB in {result.frames:5} frames, "
                        f"busy {result.busy_s:6.2f} s, +ttft {result.added_ttft_ms:6.0f} ms, "
                        f"lag {result.lag_ms:6.0f} ms")
                    results.append(result)
        finally:
            for server in servers.values():
                server.stop()
    return results
