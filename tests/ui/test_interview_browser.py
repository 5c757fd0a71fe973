"""Interview mode in real headless Chromium against ``streamlit run app.py``: notes typed
reach the database without a click, a reload brings them back (even one within the
debounce, and even when the commit never reached the server: the tab's draft is put
back), and so does a dropped connection to a server that is restarted meanwhile.

Reuses the server and browser helpers of ``tests/ui/test_browser.py``.  The kit is saved
in the server's history file before it starts; the server runs in open mode (no
sign-in), so the interviewer is the name in the address bar.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from interviewkit.access.model import LOCAL_USER
from interviewkit.history import Store
from interviewkit.history.schema import SCORECARD_ITEMS, SCORECARDS
from interviewkit.interview import interviewer_for
from interviewkit.kit.model import Question
from interviewkit.ui.interview_view import DEBOUNCE_MS, NOTES_PREFIX, _base
from tests.kit.test_kit import make_kit
from tests.ui.test_browser import StreamlitServer, _server_env
from tests.ui.test_browser import browser_page as browser_page  # the shared fixture

pytestmark = pytest.mark.browser
NAME = "Jane Doe"
NOTES = "Scaled the ledger to 40k rps; weighed caching against sharding."
KOREAN = "결제 장애를 직접 해결함"


def _kit(home: Path) -> tuple[str, int]:
    """A saved two-question kit (the first with a rating guide) in the server's database."""
    url = f"sqlite:///{home / 'history.sqlite3'}"
    kit = make_kit("Jane Q. Doe")
    first = kit.questions[0]
    kit.questions[0] = Question(first.number, first.text, first.listen_for, first.follow_up,
                                rating=["Vague", "Some numbers", "Measured trade-offs"])
    with Store(url) as store:
        return url, store.save(kit)


def _items(url: str) -> dict[int, tuple[str, int | None, str]]:
    with Store(url) as store, store.engine.connect() as conn:
        rows = conn.execute(sa.select(SCORECARD_ITEMS)).mappings().all()
    return {r["number"]: (r["notes"], r["score"], r["state"]) for r in rows}


def _wait_db(page: Any, url: str, check: Any, timeout: float = 15.0) -> float:
    """Poll the database until ``check(items)`` holds; returns the moment it did.

    Waits through ``page``: Playwright's sync API runs the websocket route (``Socket``)
    only inside its own calls, so a bare sleep would hold the browser's messages back.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check(_items(url)):
            return time.monotonic()
        page.wait_for_timeout(20)
    raise AssertionError(f"not in the database: {_items(url)}")


def _server(home: Path, log: Path, port: int | None = None) -> StreamlitServer:
    env = _server_env(home.parent, OPENAI_BASE_URL="http://127.0.0.1:9/v1",
                      OPENAI_API_KEY="sk-test", INTERVIEWKIT_MODEL="unused")
    if port is None:
        return StreamlitServer(env, log)
    with mock.patch("bench.common.free_port", return_value=port):  # the same address again
        return StreamlitServer(env, log)


def _open(page: Any, server: StreamlitServer, kit_id: int) -> None:
    page.goto(server.url)  # a deep link on a fresh server would run the page in MPA-v1 mode
    page.get_by_role("link", name="Interview mode").wait_for(timeout=30_000)
    page.goto(f"{server.url}/interview?kit={kit_id}&interviewer={NAME.replace(' ', '%20')}")
    page.get_by_text("How did you scale the Django service").wait_for(timeout=30_000)


class Socket:
    """Streamlit's websocket through Playwright, able to lose what the browser sends."""

    def __init__(self, page: Any) -> None:
        self.lose = False
        self.lost = 0
        page.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws: Any) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda message: self._send(server, message))

    def _send(self, server: Any, message: str | bytes) -> None:
        if self.lose:
            self.lost += 1
        else:
            server.send(message)


def _assert_all_back(page: Any, part: str, notes_1: str) -> None:
    """The notes, the score and asked/skipped typed before are on the page again."""
    page.get_by_text("How did you scale the Django service").wait_for(timeout=30_000)
    notes = page.locator(f".st-key-{NOTES_PREFIX}{part}_1 textarea")
    notes.wait_for(timeout=15_000)
    expect(notes).to_have_value(notes_1, timeout=10_000)  # a draft is put back at mount
    assert page.locator(f".st-key-{NOTES_PREFIX}{part}_2 textarea").input_value() == KOREAN
    score = page.locator(f".st-key-iv_score_{part}_1 [aria-checked='true']")
    assert score.inner_text().strip() == "4", "the score is selected again"
    state = page.locator(f".st-key-iv_state_{part}_1 [aria-checked='true']")
    assert state.inner_text().strip() == "Asked"
    assert page.get_by_text("Saved ").count() >= 2


def _a_foreign_draft_is_dropped(page: Any, part: str) -> None:
    """A tab draft from a text the database never held (changed elsewhere since) is not
    put back over the saved notes: it is dropped."""
    key = f"interviewkit.draft:st-key-{NOTES_PREFIX}{part}_2"
    page.evaluate("k => sessionStorage.setItem(k, JSON.stringify("
                  "{value: 'From another device', seen: ['0'], at: Date.now()}))", key)
    page.reload()
    _assert_all_back(page, part, NOTES + " More. Lost.")
    page.wait_for_function("k => sessionStorage.getItem(k) === null", arg=key,
                           timeout=10_000)
    assert page.locator(f".st-key-{NOTES_PREFIX}{part}_2 textarea").input_value() == KOREAN


def test_typed_notes_survive_a_reload_and_a_server_restart(browser_page: Any,
                                                           tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url, kit_id = _kit(home)
    part = _base(kit_id, interviewer_for(LOCAL_USER, NAME))
    server = _server(home, tmp_path / "streamlit.log")
    page = browser_page
    socket = Socket(page)
    try:
        _open(page, server, kit_id)
        notes = page.locator(f".st-key-{NOTES_PREFIX}{part}_1 textarea")
        notes.click()
        notes.press_sequentially(NOTES, delay=25)
        typed = time.monotonic()
        saved = _wait_db(page, url, lambda items: items.get(1, ("",))[0] == NOTES)
        latency = saved - typed
        print(f"\nkeystroke -> database row: {latency * 1000:.0f} ms "
              f"(debounce {DEBOUNCE_MS} ms)")
        assert latency < DEBOUNCE_MS / 1000 + 3.0
        assert notes.evaluate("el => el === document.activeElement"), "the cursor stayed"
        page.locator(f".st-key-{NOTES_PREFIX}{part}_1").locator("..").get_by_text(
            "Saved ").first.wait_for(timeout=10_000)
        page.locator(f".st-key-iv_score_{part}_1").get_by_role("radio", name="4").click()
        page.locator(f".st-key-iv_state_{part}_1").get_by_role("radio", name="Asked").click()
        other = page.locator(f".st-key-{NOTES_PREFIX}{part}_2 textarea")
        other.click()
        other.press_sequentially(KOREAN, delay=25)
        _wait_db(page, url, lambda items: items.get(1, ("", 0, ""))[1:] == (4, "asked")
                 and items.get(2, ("",))[0] == KOREAN)
        notes.click()
        notes.press("End")
        notes.press_sequentially(" More.", delay=10)
        page.reload()  # before the debounce: the unload commit or the tab's draft saves it
        _assert_all_back(page, part, NOTES + " More.")
        _wait_db(page, url, lambda items: items[1][0] == NOTES + " More.")
        page.screenshot(path=str(tmp_path / "interview.png"), full_page=True)

        notes = page.locator(f".st-key-{NOTES_PREFIX}{part}_1 textarea")
        notes.click()
        notes.press("End")
        socket.lose = True  # the commit is sent and lost on the way, as at an unload
        notes.press_sequentially(" Lost.", delay=10)
        page.wait_for_timeout(DEBOUNCE_MS + 1_500)
        assert socket.lost, "the commit was sent"
        assert _items(url)[1][0] == NOTES + " More.", "and never reached the server"
        socket.lose = False
        page.reload()
        _assert_all_back(page, part, NOTES + " More. Lost.")
        _wait_db(page, url, lambda items: items[1][0] == NOTES + " More. Lost.")
        _a_foreign_draft_is_dropped(page, part)

        notes = page.locator(f".st-key-{NOTES_PREFIX}{part}_1 textarea")
        notes.click()
        notes.press("End")
        notes.press_sequentially(" Offline.", delay=10)
        port = server.port
        server.proc.kill()  # the server dies, the connection drops: nothing committed yet
        server.stop()
        assert _items(url)[1][0] == NOTES + " More. Lost."
        server = _server(home, tmp_path / "streamlit-2.log", port)  # restarted, same address
        _wait_db(page, url, lambda items: items[1][0] == NOTES + " More. Lost. Offline.",
                 timeout=60)
        page.reload()
        _assert_all_back(page, part, NOTES + " More. Lost. Offline.")
        page.screenshot(path=str(tmp_path / "interview-restarted.png"), full_page=True)
    finally:
        server.stop()
    with Store(url) as store, store.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(SCORECARDS)) == 1
