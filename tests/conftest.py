"""Shared fixtures and the test double: the real PDF corpus in ../shared, isolated user
state, and :class:`FakeProvider` (a scripted model, as simonw/llm keeps its mock model in
its tests' conftest)."""

from __future__ import annotations

import collections
import csv
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.errors import LLMError
from interviewkit.kit.run import KitRun
from interviewkit.providers.base import GenParams, Message, Provider, Usage
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from interviewkit.ui.state import GenerateState
from tests.pgserver import db_url, pg_url, postgres_server

__all__ = ["db_url", "pg_url", "postgres_server"]  # fixtures: PostgreSQL for every test module

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_manifest(kind: str) -> list[dict[str, str]]:
    """Rows of ``../shared/corpus/<kind>/MANIFEST.tsv`` (empty when absent)."""
    manifest = CORPUS / kind / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def corpus_file(kind: str, name: str) -> Path:
    """Path of one corpus file; when it is absent the test is skipped, or fails under CI=true
    (see :func:`require`)."""
    path = CORPUS / kind / name
    require(path.exists(), f"corpus file {kind}/{name} not found: "
            "../shared/corpus is not next to the repo")
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own INTERVIEWKIT_HOME and no real API settings."""
    monkeypatch.setenv("INTERVIEWKIT_HOME", str(tmp_path_factory.mktemp("ikhome")))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "INTERVIEWKIT_MODEL", "OPENAI_MODEL",
                 "INTERVIEWKIT_PROVIDER", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield
    from interviewkit.history import close_shared

    close_shared()  # each test's SQLite file lives in its own INTERVIEWKIT_HOME


@contextmanager
def app_on_mock(monkeypatch: pytest.MonkeyPatch,
                default: Reply | Callable[[dict[str, Any]], Reply], *, key: str,
                model: str = "mock-model") -> Iterator[MockOpenAIServer]:
    """A local OpenAI-compatible server, with the app's settings pointing at it."""
    with MockOpenAIServer(default=default) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", key)
        monkeypatch.setenv("INTERVIEWKIT_MODEL", model)
        yield server


def open_page(page: str | None = None) -> AppTest:
    """The app under AppTest, run once (and switched to ``pages/<page>.py`` if given)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def whole_kit(at: AppTest) -> AppTest:
    """Switch the Generate page to the whole-kit mode (one request for the kit), which the
    tests of the request/response contract use; the planned mode has tests of its own."""
    at.radio(key="kit_mode").set_value("Whole kit: one request").run()
    assert not at.exception, at.exception
    return at


def generate_state(at: AppTest) -> GenerateState:
    """The Generate page's typed session state (interviewkit.ui.state)."""
    page = at.session_state["ik_generate"]
    assert isinstance(page, GenerateState)
    return page


def kit_run(at: AppTest) -> KitRun:
    """The run of the job the Generate page follows."""
    page = generate_state(at)
    assert page.job is not None, "no kit has been generated"
    return page.job.run


def texts(elements: object) -> str:
    """The values of AppTest elements (markdown, error, warning…) as one string."""
    return "\n".join(str(getattr(e, "value", "")) for e in elements)  # type: ignore[attr-defined]


# --- skipped here, failed in CI ------------------------------------------------

def in_ci() -> bool:
    """True under ``CI=true`` (or ``CI=1``), as CI services such as GitHub Actions set it."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def require(condition: object, reason: str) -> None:
    """Skip the test unless ``condition`` holds; under CI fail it instead.

    For what a developer's machine may lack but CI must have (the corpus in
    ``../shared``, llama-cpp-python, the offline model packages): a skip there
    would let a whole area go untested while the run stays green.
    """
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing test dependency fails, it is not skipped)")
    pytest.skip(reason)


# --- the test double -----------------------------------------------------------

@dataclass
class FakeCall:
    """One recorded ``FakeProvider.execute`` call."""

    messages: list[Message]
    params: GenParams
    closed_early: bool = False


Script = Sequence[str | LLMError] | LLMError


class FakeProvider(Provider):
    """Scripted provider for unit tests (like ``llm``'s mock model).

    ``enqueue(["Hel", "lo"])`` makes the next call yield those chunks;
    a trailing :class:`LLMError` is raised after the chunks before it.
    """

    def __init__(self, *, label: str = "Fake model (tests)", model: str = "fake-model",
                 offline: bool = True, delay: float = 0.0,
                 default: Sequence[str] = ("Fake ", "reply.")) -> None:
        self.label = label
        self.model = model
        self.offline = offline
        self.delay = delay
        self.default = list(default)
        self.calls: list[FakeCall] = []
        self._queue: collections.deque[Script] = collections.deque()
        self._lock = threading.Lock()

    def enqueue(self, *scripts: Script) -> None:
        """Queue one script per future call; an empty queue replays ``default``."""
        with self._lock:
            self._queue.extend(scripts)

    def execute(self, messages: Sequence[Message], params: GenParams,
                usage: Usage | None = None) -> Iterator[str]:
        call = FakeCall([Message(role=m["role"], content=m["content"]) for m in messages], params)
        with self._lock:
            self.calls.append(call)
            script: Script = self._queue.popleft() if self._queue else list(self.default)
        items: Sequence[str | LLMError] = [script] if isinstance(script, LLMError) else script
        try:
            for item in items:
                if isinstance(item, LLMError):
                    raise item
                if self.delay:
                    time.sleep(self.delay)
                yield item
        except GeneratorExit:
            call.closed_early = True
            raise


class Downloads:
    """What a browser gets from a download button under AppTest: AppTest never fetches a
    deferred download (its ``click`` only reruns), so this keeps each registered builder
    and :meth:`fetch` runs it, as Streamlit does when the browser asks for the file."""

    def __init__(self) -> None:
        self.builders: dict[str, Callable[[], Any]] = {}

    def fetch(self, button: Any) -> bytes:
        data = self.builders[button.proto.deferred_file_id]()
        return data.encode() if isinstance(data, str) else bytes(data)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Downloads:
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen = Downloads()
    original = MediaFileManager.add_deferred

    def add_deferred(self: MediaFileManager, data_callable: Callable[[], Any],
                     *args: Any, **kwargs: Any) -> str:
        file_id = original(self, data_callable, *args, **kwargs)
        seen.builders[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return seen
