"""Token counts come from the server's own ``usage`` when it sends it, else are estimated.

The real ``openai`` SDK asks the local mock server for ``stream_options.include_usage``
(as OpenAI, vLLM and llama.cpp's server support); the mock answers with a final usage
chunk of its own count, which must be what the run reports, labelled as measured.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interviewkit.config import REPO_PROMPTS_DIR
from interviewkit.ingest.cv import CVText, read_pasted
from interviewkit.kit.pipeline import new_run
from interviewkit.lab.compare import Side
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.providers.base import GenParams, Usage
from interviewkit.providers.remote import OpenAIProvider
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import FakeProvider

WORDS = [("" if i == 0 else " ") + f"w{i}" for i in range(37)]


@pytest.fixture
def server() -> Iterator[MockOpenAIServer]:
    with MockOpenAIServer(default=Reply(text=WORDS)) as mock:
        yield mock


def test_the_sdk_asks_for_usage_and_the_server_count_is_kept(server: MockOpenAIServer) -> None:
    usage = Usage()
    with OpenAIProvider(model="mock-model", api_key="sk-x", base_url=server.base_url) as p:
        text = "".join(p.execute([{"role": "user", "content": "four words right here"}],
                                 GenParams(), usage))
    assert text == "".join(WORDS)
    body = server.requests[-1].body
    assert body["stream_options"] == {"include_usage": True}
    assert usage.measured and usage.completion_tokens == len(WORDS)
    assert usage.prompt_tokens == 4, "the mock counts prompt words"


def test_a_run_reports_measured_tokens_and_the_lab_prices_them(server: MockOpenAIServer) -> None:
    run = new_run(load_prompt(REPO_PROMPTS_DIR / "technical_screen.yaml"),
                  cv_text="Jane Roe, Rust engineer at Acme.", cv_name="cv.txt",
                  model="gpt-4o-mini")
    provider = OpenAIProvider(model="gpt-4o-mini", api_key="sk-x", base_url=server.base_url)
    "".join(run.stream(provider))
    stats = run.stats()
    assert stats["Tokens"].endswith(f"in, {len(WORDS)} out") and "Tokens (approx.)" not in stats
    figures = Side("A", run, provider).figures()
    assert "Cost" in figures and "Cost (approx.)" not in figures, "priced from real counts"
    assert run.to_kit(_cv()).tokens == len(WORDS)
    provider.close()


def test_without_server_counts_the_estimate_is_labelled() -> None:
    run = new_run(load_prompt(REPO_PROMPTS_DIR / "technical_screen.yaml"),
                  cv_text="Jane Roe, Rust engineer at Acme.", cv_name="cv.txt")
    "".join(run.stream(FakeProvider(default=["### 1. A question", " about Rust?"])))
    stats = run.stats()
    assert "Tokens (approx.)" in stats and "Tokens" not in stats
    assert not run.usage.measured


def _cv() -> CVText:
    return read_pasted("Jane Roe, Rust engineer at Acme.")
