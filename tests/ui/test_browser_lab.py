"""A Prompt Lab comparison in real headless Chromium against ``streamlit run app.py``.

Reuses the server and browser helpers of ``tests/ui/test_browser.py``; the prompts folder is a
tmp copy (``INTERVIEWKIT_PROMPTS_DIR``), the model is the local mock server answering
``model-a`` and ``model-b`` with different texts and speeds.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.lab.test_lab import CV, GOOD
from tests.ui.test_browser import StreamlitServer, _server_env, idle
from tests.ui.test_browser import browser_page as browser_page  # the shared fixture
from tests.ui.test_prompt_lab_page import KIT_A, KIT_B

pytestmark = pytest.mark.browser
# A streams for about 3.6 s, B starts writing after 1 s: a slow browser still sees both at once.
REPLIES = {"model-a": Reply(text=KIT_A, first_delay=0.3, delay=0.15),
           "model-b": Reply(text=KIT_B, first_delay=1.0, delay=0.07)}


def _paste_cv(page: Any, url: str) -> Any:
    """Open the Lab, choose *Paste text* and paste the CV at once; the Run button once the
    CV's rerun has drawn the page."""
    page.goto(url)  # a deep link on a fresh server would run the page in MPA-v1 mode
    page.get_by_role("link", name="Prompt Lab").click()
    page.get_by_role("heading", name="Prompt Lab").wait_for(timeout=30_000)
    page.get_by_text("Paste text").click()
    cv = page.get_by_label("CV text")
    cv.fill(CV)
    cv.press("Control+Enter")
    run = page.get_by_role("button", name="Run A and B")
    expect(run).to_be_enabled(timeout=30_000)
    idle(page)
    return run


def _start_run(page: Any, url: str) -> None:
    run = _paste_cv(page, url)
    expect(page.get_by_role("textbox", name="Prompt YAML")).to_have_value(
        re.compile(r"name:"), timeout=30_000)  # the editor holds the file
    model_b = page.get_by_label("Model", exact=True).nth(1)
    model_b.fill("model-b")  # committed as the click moves the focus, as a user does
    run.click()


def test_a_compare_run_streams_both_columns_at_once(browser_page: Any, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "technical_screen.yaml").write_text(GOOD, encoding="utf-8")
    with MockOpenAIServer(default=lambda body: REPLIES.get(body["model"], Reply("?"))) as mock:
        env = _server_env(tmp_path, OPENAI_BASE_URL=mock.base_url, OPENAI_API_KEY="sk-browser",
                          INTERVIEWKIT_MODEL="model-a", INTERVIEWKIT_PROMPTS_DIR=str(prompts))
        server = StreamlitServer(env, tmp_path / "streamlit.log")
        try:
            page = browser_page
            _start_run(page, server.url)
            page.get_by_text("Walk me through").first.wait_for(timeout=30_000)
            # B's first words are on screen (about 1 s in) while A (about 3.6 s) still streams.
            generating = page.get_by_text(re.compile(r"^Generating…"))
            deadline = time.monotonic() + 2.5  # a status line may be mid-repaint (busy cores)
            while generating.count() != 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert generating.count() == 2, "both columns stream at the same time"
            assert page.get_by_text("payments ledger").count() >= 1
            page.get_by_text(re.compile(r"^Both finished after")).wait_for(timeout=30_000)
            page.get_by_text(re.compile(r"^Both finished after")).scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / "lab.png"))
            nav = page.locator("[data-testid='stSidebarNav']").inner_text()
            assert "Generate" in nav and "Prompt Lab" in nav
            main = page.locator("[data-testid='stMain']").inner_text()
        finally:
            server.stop()
        models = sorted(r.body["model"] for r in mock.requests)
    assert models == ["model-a", "model-b"]
    assert KIT_A.splitlines()[-1].split("** ")[-1] in main, "A's last line arrived"
    assert KIT_B.splitlines()[-1].split("** ")[-1] in main, "B's last line arrived"
    assert main.count("Status: Complete") == 2
    found = re.search(r"Both finished after (\d+\.\d) s", main)
    assert found, main  # that both streamed at once is asserted above, by what the page showed


def test_pasting_a_cv_at_once_keeps_the_editors_text(browser_page: Any, tmp_path: Path) -> None:
    """Choosing *Paste text* and pasting straight away, as the page first draws, once sent
    the YAML box's empty browser default back and wiped the editor: before the fix, 2 runs
    of 3 failed here (4 fresh browsers each). The box now gets its text as its value
    (``lab_editor.text_key``)."""
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "technical_screen.yaml").write_text(GOOD, encoding="utf-8")
    env = _server_env(tmp_path, OPENAI_BASE_URL="http://127.0.0.1:9/v1",
                      OPENAI_API_KEY="sk-browser", INTERVIEWKIT_MODEL="model-a",
                      INTERVIEWKIT_PROMPTS_DIR=str(prompts))
    server = StreamlitServer(env, tmp_path / "streamlit.log")
    browser = browser_page.context.browser
    try:
        for _ in range(4):  # a fresh browser each time: nothing cached, the widest window
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            _paste_cv(page, server.url)
            box = page.get_by_role("textbox", name="Prompt YAML")
            assert box.input_value() == GOOD.replace("\r\n", "\n")
            assert page.get_by_text("Changes against the saved").count() == 0
            context.close()
    finally:
        server.stop()
