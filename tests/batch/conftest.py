"""What the batch tests share: a History scope, distinct text CVs, a kit-shaped mock reply,
and a server-side count of the requests in flight."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from interviewkit.access.model import CLI_ADMIN
from interviewkit.access.scope import Scope
from interviewkit.batch import Batch, HistoryLink, Request, ScopeLink, Upload
from interviewkit.config import REPO_PROMPTS_DIR, load_settings
from interviewkit.history import open_store
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.promptfiles.schema import PromptSpec
from interviewkit.providers.remote import OpenAIProvider
from interviewkit.testing.mockserver import MockOpenAIServer, Reply

KIT = ("### 1. How did you keep the payment service up during the migration?\n"
       "**Listen for:**\n- Explains the rollout plan\n- Quantifies the downtime\n"
       "**Follow-up:** What would you change next time?\n")


FIRST = ("Ana", "Bruno", "Chloe", "Dmitri", "Esther", "Farid", "Grace", "Hiro", "Ines", "Jonas")
LAST = ("Alvarez", "Becker", "Chen", "Dubois", "Eriksen")


def cv_name(n: int) -> str:
    """The name heading CV ``n`` (a name has no digits, so ``n`` picks a pair)."""
    return f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]}"


def text_cv(n: int, name: str | None = None) -> bytes:
    """A distinct, plannable CV (its bytes, so its sha256, differ with ``n``)."""
    name = name or cv_name(n)
    return f"""{name}
Backend engineer

EXPERIENCE
Senior engineer, Acme{n} Payments (2019-2024)
- Built a payment service in Python handling {n * 1000 + 7} requests a second
- Led the migration of {n + 3} services to PostgreSQL with zero downtime
- Cut the p99 latency of the checkout API from {n + 400} ms to 90 ms

Engineer, Beta{n} Logistics (2015-2019)
- Wrote a route planner in Go used by {n + 20} depots
- Introduced Kubernetes deployments for {n + 5} teams

EDUCATION
BSc Computer Science, University of Town{n} (2011-2015)
""".encode()


def text_uploads(count: int, start: int = 0) -> list[Upload]:
    return [Upload(f"cv{n}.txt", text_cv(n)) for n in range(start, start + count)]


def question(n: int) -> str:
    """A planned answer whose words no other answer shares (no "too alike" rewrite)."""
    words = " ".join(f"term{n}x{i}" for i in range(8))
    return (f"How did you handle {words}?\n**Listen for:**\n- Explains step{n}\n"
            f"**Follow-up:** Why{n}?\n")


@pytest.fixture
def scope() -> Scope:
    """History as the CLI's admin sees it (each test has its own INTERVIEWKIT_HOME)."""
    return Scope(open_store(load_settings()), CLI_ADMIN)


@pytest.fixture
def prompt() -> PromptSpec:
    return load_prompt(REPO_PROMPTS_DIR / "technical_screen.yaml")


def whole(prompt: PromptSpec, **extra: Any) -> Request:
    """The whole-kit mode: one request per CV, so requests count CVs."""
    return Request(prompt, {"num_questions": 1}, planned=False, **extra)


class InFlight:
    """Requests in flight at the mock server: +1 when a request arrives, -1 when its usage
    chunk is written - before ``[DONE]``, so before the client can send its next request."""

    def __init__(self) -> None:
        self.now = self.peak = 0
        self._lock = threading.Lock()

    def arrived(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def on_event(self, payload: dict[str, Any]) -> None:
        if payload.get("usage") and not payload.get("choices"):
            with self._lock:
                self.now -= 1


@pytest.fixture
def mock() -> Iterator[MockOpenAIServer]:
    with MockOpenAIServer(default=Reply(text=KIT, delay=0.002)) as server:
        yield server


def remote(server: MockOpenAIServer) -> OpenAIProvider:
    return OpenAIProvider(model="mock-model", api_key="sk-batch-test", base_url=server.base_url)


def run(uploads: list[Upload], request: Request, provider: Any, link: HistoryLink,
        concurrency: int = 2, timeout: float = 60) -> Batch:
    batch = Batch(uploads, request, provider, link, concurrency=concurrency).start()
    assert batch.wait(timeout), "the batch did not end"
    return batch


__all__ = ["KIT", "InFlight", "ScopeLink", "question", "remote", "run", "text_cv",
           "text_uploads", "whole"]
