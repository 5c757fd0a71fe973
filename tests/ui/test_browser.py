"""End to end in a real headless Chromium against ``streamlit run app.py``.

Debian's chromium driven by Playwright (browsers cannot be downloaded here).
Outside CI the tests skip when chromium or Playwright is missing; in CI
(``CI=true``) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench.common import StreamlitServer as BenchServer
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import ROOT, corpus_file, require

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync",
               "--disable-quic"]

pytestmark = pytest.mark.browser


def _need_browser() -> Any:
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (pip install -r tests/requirements.txt)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    return sync_playwright


class StreamlitServer(BenchServer):
    """``streamlit run app.py`` on a free loopback port (the benchmarks' runner)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        super().__init__(ROOT / "app.py", env, log=log)


def _server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "INTERVIEWKIT_"))}
    env["INTERVIEWKIT_HOME"] = str(tmp_path / "home")
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    sync_playwright = _need_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            yield page
        finally:
            browser.close()


def idle(page: Any) -> None:
    """The app's script run is over (Streamlit marks it on the app's root element)."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        timeout=30_000)


def _upload_cv(page: Any, url: str, cv: Path) -> None:
    page.goto(url)
    page.get_by_text("Upload a CV (PDF, .txt or .md) or paste its text").wait_for(timeout=30_000)
    page.locator("input[type=file]").set_input_files(str(cv))
    page.get_by_text("Extracted CV text").wait_for(timeout=30_000)


@contextmanager
def _app_on_mock(tmp_path: Path, reply: Any) -> Iterator[tuple[MockOpenAIServer, str]]:
    """The mock model server and ``streamlit run app.py`` pointed at it; both stop after."""
    with MockOpenAIServer(default=reply) as mock:
        env = _server_env(tmp_path, OPENAI_BASE_URL=mock.base_url, OPENAI_API_KEY="sk-test",
                          INTERVIEWKIT_MODEL="mock-model")
        server = StreamlitServer(env, tmp_path / "streamlit.log")
        try:
            yield mock, server.url
        finally:
            server.stop()


def _whole_kit(page: Any) -> None:
    """The whole-kit mode: one request for the kit (the planned mode has its own test)."""
    page.get_by_text("Whole kit: one request").click()
    page.wait_for_timeout(500)


def test_offline_model_streams_a_kit_into_the_page(browser_page: Any, tmp_path: Path) -> None:
    require(importlib.util.find_spec("llama_cpp") is not None,
            "llama-cpp-python is not installed (pip install -r requirements.txt)")
    cv = corpus_file("cv", "sb2nov_resume_one_column.pdf")
    server = StreamlitServer(_server_env(tmp_path), tmp_path / "streamlit.log")
    try:
        page = browser_page
        _upload_cv(page, server.url, cv)
        page.get_by_text("Offline mode").wait_for()
        questions_input = page.get_by_label("Number of questions")
        questions_input.fill("2")  # a short kit keeps the test quick on 2 cores
        questions_input.press("Enter")
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="Generate interview kit").click()
        page.get_by_text("Listen for").first.wait_for(timeout=120_000)
        page.get_by_text("Status: Complete").wait_for(timeout=180_000)
        page.screenshot(path=str(tmp_path / "offline.png"), full_page=True)
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Technical questions" in body, "the technical screen is the default prompt"
        questions = page.locator("[data-testid='stMain'] h3")
        assert questions.count() >= 2, "the kit streamed in as one element per question"
        assert questions.first.inner_text().strip()[0].isdigit(), "numbered questions"
        assert page.get_by_role("button", name="Markdown").is_enabled()
    finally:
        server.stop()


def test_stop_keeps_the_partial_kit_and_closes_the_upstream(browser_page: Any,
                                                             tmp_path: Path) -> None:
    cv = corpus_file("cv", "rendercv_classic_2p.pdf")
    reply = Reply.tokens(400, rate_per_s=25)
    with _app_on_mock(tmp_path, reply) as (mock, url):
        page = browser_page
        _upload_cv(page, url, cv)
        _whole_kit(page)
        page.get_by_role("button", name="Generate interview kit").click()
        page.get_by_text("candidate should explain").first.wait_for(timeout=30_000)
        time.sleep(1.0)  # let a few seconds of tokens arrive
        page.get_by_role("button", name="Stop").click()
        page.get_by_text("Stopped before the end").wait_for(timeout=15_000)
        kept = page.locator("[data-testid='stMain']").inner_text()
        assert "candidate should explain" in kept
        page.get_by_role("button", name="Retry").wait_for(timeout=15_000)
        outcome = mock.requests[-1].wait(timeout=10)
        assert outcome == "disconnected", "the upstream stream must be closed, not drained"


def test_a_kit_keeps_streaming_while_other_widgets_are_used(browser_page: Any,
                                                             tmp_path: Path) -> None:
    """Typing into another widget, or opening History, reruns the page, not the kit."""
    cv = corpus_file("cv", "rendercv_classic_2p.pdf")
    words = ["### 1. How did you ship the ledger?\n**Listen for:**\n- numbers\n"]
    words += [f" word{i}" for i in range(140)] + [" FINAL-WORD."]
    with _app_on_mock(tmp_path, Reply(text=words, delay=1 / 25)) as (mock, url):
        page = browser_page
        _upload_cv(page, url, cv)
        _whole_kit(page)
        page.get_by_role("button", name="Generate interview kit").click()
        page.get_by_text("How did you ship the ledger").first.wait_for(timeout=30_000)
        job = page.get_by_label("Job description (optional)")
        job.fill("Senior backend engineer, Python and Kafka")  # three words and more
        job.press("Control+Enter")  # commits the text: a rerun mid-stream
        page.wait_for_timeout(800)
        page.get_by_role("link", name="History").click()
        page.get_by_text("Every generated kit is kept here").wait_for(timeout=15_000)
        page.get_by_role("link", name="Generate").click()
        page.get_by_text("FINAL-WORD").wait_for(timeout=30_000)
        page.get_by_text("Status: Complete").wait_for(timeout=15_000)
        assert len(mock.requests) == 1, "one request: the kit was never restarted"
        assert mock.requests[0].wait(timeout=10) == "complete", "the upstream was not cut"
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "word70" in body and "Partial kit" not in body


def test_plan_edit_generate_and_evidence_in_the_browser(browser_page: Any,
                                                         tmp_path: Path) -> None:
    """Plan -> untick one anchor -> generate -> every question shows what it is based on."""
    from tests.ui.test_app_planned import CV, answer

    with _app_on_mock(tmp_path, answer) as (mock, url):
        page = browser_page
        page.goto(url)
        page.get_by_text("Paste text").click()
        page.get_by_label("CV text").fill(CV)
        page.get_by_label("CV text").press("Control+Enter")
        page.get_by_text("Interview plan").wait_for(timeout=30_000)
        page.get_by_text("What this kit can ask about").click()
        page.get_by_text("experience").first.wait_for(timeout=10_000)
        boxes = page.locator("[data-testid='stCheckbox']").filter(has_text="—")
        count = boxes.count()
        assert count == 5, "the default plan: five anchors"
        boxes.nth(1).click()  # untick the second anchor
        page.wait_for_timeout(800)
        page.get_by_role("button", name="Generate interview kit").click()
        page.get_by_text("Status: Complete").wait_for(timeout=60_000)
        body = page.locator("[data-testid='stMain']").inner_text()
        page.screenshot(path=str(tmp_path / "planned.png"), full_page=True)
    assert len(mock.requests) == count - 1, "the unticked anchor was not asked about"
    assert body.count("Based on:") == count - 1
    assert "not found in the CV" not in body


class _LeakCounter:
    """An HTTP server on loopback that counts every request a page makes to it."""

    def __init__(self) -> None:
        import http.server
        import threading

        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self.hits = hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_model_output_is_inert_in_the_browser(browser_page: Any, tmp_path: Path) -> None:
    leak = _LeakCounter()
    base = f"http://127.0.0.1:{leak.port}"
    payload = (
        f"### 1. Why <script>window.__pwned = 1</script> and "
        f"<img src={base}/img.png onerror=\"window.__pwned = 2\">?\n"
        f"**Listen for:**\n- ![tracking pixel]({base}/md.png)\n"
        f"- [click me](javascript:window.__pwned=3)\n- and <{base}/autolink>\n"
        f"**Follow-up:** <iframe src=\"{base}/frame\"></iframe> done\n")
    cv = corpus_file("cv", "sb2nov_resume_one_column.pdf")
    dialogs: list[str] = []
    requests: list[str] = []
    try:
        with MockOpenAIServer(default=Reply(text=payload)) as mock:
            env = _server_env(tmp_path, OPENAI_BASE_URL=mock.base_url, OPENAI_API_KEY="sk-t",
                              INTERVIEWKIT_MODEL="mock-model")
            server = StreamlitServer(env, tmp_path / "streamlit.log")
            try:
                page = browser_page
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.on("request", lambda r: requests.append(r.url))
                _upload_cv(page, server.url, cv)
                _whole_kit(page)
                page.get_by_role("button", name="Generate interview kit").click()
                page.get_by_text("Status: Complete").wait_for(timeout=30_000)
                page.get_by_text("done").last.wait_for()
                main = page.locator("[data-testid='stMain']")
                shown = main.inner_text()
                assert "<script>window.__pwned = 1</script>" in shown, "shown as text"
                assert "![tracking pixel]" in shown and "javascript:" in shown
                assert page.evaluate("window.__pwned") is None
                assert main.locator(f"img[src^='{base}'], iframe, script").count() == 0
                assert main.locator("a[href^='javascript']").count() == 0
                page.get_by_text("click me").first.click()
                time.sleep(0.5)
                assert page.evaluate("window.__pwned") is None
            finally:
                server.stop()
    finally:
        leak.close()
    assert leak.hits == [], f"the page fetched {leak.hits}"
    assert not [u for u in requests if f":{leak.port}" in u]
    assert dialogs == []
