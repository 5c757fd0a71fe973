"""Every upstream fault, through the real SDK and the page: a specific message,
the partial text kept and labelled, a Retry that works, and never the API key.

The table of what was tried is printed when the module's tests are done (``pytest -s`` or
``-rA``), by the ``tried`` fixture's finalizer: every test adds its own row, none reads them.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import ROOT, app_on_mock, corpus_file, kit_run, whole_kit

KEY = "sk-live-DO-NOT-LEAK-0123456789abcdef"
KIT = ("### 1. Walk me through the Kafka pipeline on your CV.\n**Listen for:**\n"
       "- partitions and ordering\n- back-pressure\n**Follow-up:** What broke first?\n")
Row = tuple[str, str, str, float]  # fault, code or status, message, seconds (a figure only)


@dataclass(frozen=True)
class Fault:
    name: str
    replies: tuple[Reply, ...]  # as many as the SDK's own (pre-stream) retries consume
    message: str  # a phrase the page must show
    partial: bool = False  # text arrived before the failure


FAULTS = [
    Fault("401 bad key", (Reply.failure(401, f"Incorrect API key provided: {KEY}"),),
          "rejected the API key"),
    Fault("403 forbidden", (Reply.failure(403),), "no permission"),
    Fault("404 model", (Reply.failure(404),), 'Model "mock-model" was not found'),
    Fault("429 Retry-After", (Reply.failure(429, headers={"Retry-After": "1"}),) * 3,
          "retry in 1 s"),
    Fault("429 no Retry-After", (Reply.failure(429),) * 3, "Rate limited"),
    Fault("500", (Reply.failure(500),) * 3, "server error 500"),
    Fault("503", (Reply.failure(503),) * 3, "server error 503"),
    Fault("read timeout", (Reply(text=KIT, stall=3.0),) * 3, "within 0.5 s"),
    Fault("cut after 6 tokens", (Reply(text=KIT, cut_after=6),), "partial text is kept",
          partial=True),
    Fault("malformed SSE", (Reply(text=KIT, malformed_after=5),), "malformed", partial=True),
    Fault("empty completion", (Reply(text=""),), "without any text"),
]


@pytest.fixture(scope="module")
def tried() -> Iterator[list[Row]]:
    """The rows of the table; printed once, after the last test of the module that used it."""
    rows: list[Row] = []
    yield rows
    if rows:
        print("\nfault                  code          seconds  message")
        for name, code, message, seconds in rows:
            print(f"{name:22} {code:13} {seconds:7.2f}  {message}")


@pytest.fixture
def mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    monkeypatch.setenv("INTERVIEWKIT_TIMEOUT", "0.5")
    with app_on_mock(monkeypatch, Reply(text=KIT), key=KEY) as server:
        yield server


def everything(at: AppTest) -> str:
    parts = [str(getattr(e, "value", "")) for kind in ("markdown", "error", "warning", "info",
                                                       "caption", "text")
             for e in getattr(at, kind)]
    return "\n".join(parts)


def generate(at: AppTest) -> AppTest:
    path = corpus_file("cv", "rendercv_classic_2p.pdf")
    at.run()
    whole_kit(at)
    at.file_uploader(key="cv_file").set_value((path.name, path.read_bytes(), "application/pdf"))
    at.run()
    at.button(key="generate").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_is_reported_kept_and_retryable(mock: MockOpenAIServer, fault: Fault,
                                              tried: list[Row]) -> None:
    mock.enqueue(*fault.replies)
    started = time.monotonic()
    at = generate(AppTest.from_file(str(ROOT / "app.py"), default_timeout=30))
    run = kit_run(at)
    shown = everything(at)
    tried.append((fault.name, run.error_code or run.status, (run.error or "")[:70],
                  time.monotonic() - started))
    assert run.status == "failed"
    assert fault.message in (run.error or ""), run.error
    assert fault.message in "\n".join(e.value for e in at.error)
    assert KEY not in shown and KEY[:12] not in shown and "Traceback" not in shown
    if fault.partial:
        assert run.text and KIT.startswith(run.text), "what arrived is kept, as it arrived"
        assert "partial kit above is kept" in shown
        assert len(mock.requests) == len(fault.replies), "a stream with text is not restarted"
    at.button(key="retry").click().run()
    assert kit_run(at).status == "done", "Retry sends the same request again"
    assert "Kafka pipeline" in everything(at)


def test_connection_refused_is_a_plain_message(monkeypatch: pytest.MonkeyPatch,
                                               tried: list[Row]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the request: nobody listens
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    at = generate(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    run = kit_run(at)
    tried.append(("connection refused", run.error_code or "", (run.error or "")[:70], 0.0))
    assert run.error_code == "connection"
    assert f"Cannot connect to 127.0.0.1:{port}" in (run.error or "")
    assert at.button(key="retry")
    assert KEY not in everything(at)


def test_missing_key_says_how_to_configure(monkeypatch: pytest.MonkeyPatch,
                                           tried: list[Row]) -> None:
    monkeypatch.setenv("INTERVIEWKIT_PROVIDER", "openai")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    tried.append(("missing key", "missing_key", errors[:70], 0.0))
    assert "OPENAI_API_KEY" in errors and "OPENAI_BASE_URL" in errors

