"""The Generate page when something around it is wrong: a plain message, never a traceback,
and a kit whenever one can still be made.

Pages run under ``AppTest``; the model is the real ``openai`` SDK against
:class:`MockOpenAIServer` on 127.0.0.1, except for the offline queue, where a
:class:`FakeProvider` stands in for a busy embedded model.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.config import Settings
from interviewkit.providers.base import Provider
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from interviewkit.ui import resources
from tests.conftest import FakeProvider, app_on_mock, kit_run, open_page, texts, whole_kit

KIT = ("### 1. How did you make the Rust payments ledger safe to retry?\n"
       "**Listen for:**\n- idempotency keys\n- exactly-once myths\n"
       "**Follow-up:** What happened on a double charge?\n")
CV = "Jane Roe\nSenior Rust engineer at Acme, 2019-2024. Built a payments ledger."


@pytest.fixture
def mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    with app_on_mock(monkeypatch, Reply(text=KIT), key="sk-errors-test") as server:
        yield server


@pytest.fixture
def fresh_provider() -> Iterator[None]:
    """The page caches its provider per settings; a test's own provider must not leak."""
    resources._provider.clear()
    yield
    resources._provider.clear()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again on return: nobody listens


def pasted(at: AppTest, cv: str = CV) -> AppTest:
    whole_kit(at)
    at.radio(key="cv_mode").set_value("Paste text").run()
    at.text_area(key="cv_paste").input(cv).run()
    assert not at.exception, at.exception
    return at


def generated(at: AppTest) -> AppTest:
    at.button(key="generate").click().run()
    assert not at.exception, at.exception
    return at


def test_without_history_a_kit_is_still_generated(mock: MockOpenAIServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"postgresql://ik:pw-secret@127.0.0.1:{closed_port()}/kits?connect_timeout=3"
    monkeypatch.setenv("DATABASE_URL", url)
    at = pasted(open_page())
    warning = texts(at.warning)
    assert "History is unavailable, kits will not be saved" in warning
    assert "pw-secret" not in warning, "the database password is never shown"
    at = generated(at)
    assert kit_run(at).status == "done"
    assert "Rust payments ledger" in texts(at.markdown)
    assert "Rust engineer at Acme" in mock.requests[-1].body["messages"][-1]["content"]
    assert not any("Saved to History" in c for c in texts(at.caption).splitlines())
    assert "History is unavailable" in texts(at.warning), "said again on every rerun"


def test_a_broken_rule_file_turns_the_guard_off_with_a_reason(
        mock: MockOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "acme_hr.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("INTERVIEWKIT_RULES_DIR", str(tmp_path))
    mock.enqueue(Reply(text="### 1. How old are you?\n**Listen for:**\n- a number\n"))
    at = pasted(open_page())
    assert "acme_hr" in at.selectbox(key="rules").options
    at.selectbox(key="rules").set_value("acme_hr").run()
    assert not at.exception, at.exception
    warning = texts(at.warning)
    assert "Fair-hiring guard is off:" in warning and "acme_hr.yaml" in warning
    at = generated(at)
    assert kit_run(at).status == "done" and "How old are you?" in texts(at.markdown)
    assert "Age" not in texts(at.warning), "no guard, no badge"
    at.selectbox(key="rules").set_value("us_eeoc").run()
    assert "Age" in texts(at.warning), "the built-in guard still works on the same kit"


def test_no_usable_prompt_stops_the_page_with_a_message(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-prompts"
    empty.mkdir()
    monkeypatch.setenv("INTERVIEWKIT_PROMPTS_DIR", str(empty))
    at = open_page()
    assert f"No usable interview prompts in {empty}." in texts(at.error)
    assert not at.selectbox, "the page stopped before any prompt input or CV box"
    assert "generate" not in [b.key for b in at.button]


def test_only_broken_prompts_are_each_named_and_the_page_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("INTERVIEWKIT_PROMPTS_DIR", str(tmp_path))
    at = open_page()
    assert "Prompt file skipped:" in texts(at.warning) and "broken.yaml" in texts(at.warning)
    assert "No usable interview prompts" in texts(at.error)


class BusyOfflineModel(FakeProvider):
    """An embedded model with generations ahead of this one (``queue_length`` > 0)."""

    def __init__(self, waiting: int) -> None:
        super().__init__(label="Busy offline model (tests)", offline=True, default=[KIT])
        self.waiting = waiting

    def queue_length(self) -> int:
        return self.waiting


def test_a_busy_offline_model_says_how_many_are_ahead(
        fresh_provider: None, monkeypatch: pytest.MonkeyPatch) -> None:
    busy = BusyOfflineModel(waiting=2)
    made: list[Settings] = []

    def factory(settings: Settings) -> Provider:
        made.append(settings)
        return busy

    # resources imported the name, so patch it where the page looks it up
    monkeypatch.setattr(resources, "provider_from_settings", factory)
    at = pasted(open_page())
    assert "Offline mode" in texts(at.info) and busy.label in texts(at.info)
    assert "busy" not in texts(at.info), "nothing is said before Generate"
    at = generated(at)
    assert ("The offline model is busy with 2 other generation(s) on this server; "
            "yours starts as soon as they finish.") in texts(at.info)
    assert kit_run(at).status == "done" and len(busy.calls) == 1
    assert "Rust payments ledger" in texts(at.markdown)
    assert len(made) == 1, "one provider per configuration, not one per rerun"


def test_an_idle_offline_model_says_nothing_about_a_queue(
        fresh_provider: None, monkeypatch: pytest.MonkeyPatch) -> None:
    idle = BusyOfflineModel(waiting=0)
    monkeypatch.setattr(resources, "provider_from_settings", lambda settings: idle)
    at = generated(pasted(open_page()))
    assert kit_run(at).status == "done"
    assert "is busy with" not in texts(at.info)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("INTERVIEWKIT_TIMEOUT", "abc", "INTERVIEWKIT_TIMEOUT must be a positive number, got 'abc'"),
    ("INTERVIEWKIT_MAX_PAGES", "x",
     "INTERVIEWKIT_MAX_PAGES must be a positive whole number, got 'x'"),
    ("INTERVIEWKIT_PROVIDER", "openia", "INTERVIEWKIT_PROVIDER must be one of"),
])
def test_a_bad_setting_is_a_configuration_message(name: str, value: str, message: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, value)
    at = open_page()
    assert f"Configuration problem: {message}" in texts(at.error)
    assert not at.button and not at.selectbox, "the page stops at the message"
