"""KitRun: one generation's life, from request to a kept, labelled outcome."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

import pytest

from interviewkit.config import REPO_PROMPTS_DIR as PROMPTS_DIR
from interviewkit.errors import LLMError
from interviewkit.kit.pipeline import new_run
from interviewkit.kit.run import KitRun
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.providers.base import GenParams, Message, Provider, Usage
from tests.conftest import FakeProvider

KIT = ["### 1. Why Go?", "\n**Listen for:**\n- concurrency", "\n**Follow-up:** And Rust?\n"]


@pytest.fixture
def run() -> KitRun:
    prompt = load_prompt(PROMPTS_DIR / "technical_screen.yaml")
    return new_run(prompt, cv_text="Jane Roe, Go developer", cv_name="jane.pdf",
                   raw_values={"num_questions": "3"}, model="m-1")


def test_new_run_renders_the_prompt_with_inputs(run: KitRun) -> None:
    assert run.values["num_questions"] == 3
    assert run.params.model == "m-1"
    assert "Jane Roe, Go developer" in run.messages[-1]["content"]
    assert run.status == "pending"


def test_a_complete_stream(run: KitRun) -> None:
    provider = FakeProvider(model="fake-1")
    provider.enqueue(KIT)
    assert "".join(run.stream(provider)) == "".join(KIT)
    assert run.status == "done" and run.text == "".join(KIT) and not run.partial
    stats = run.stats()
    assert stats["Model"] == "m-1" and stats["Status"] == "Complete"
    assert float(stats["First token"].split()[0]) >= 0


def test_an_upstream_error_keeps_the_text_and_says_why(run: KitRun) -> None:
    provider = FakeProvider()
    provider.enqueue([KIT[0], LLMError("The connection dropped.", code="cut")])
    assert "".join(run.stream(provider)) == KIT[0]
    assert run.status == "failed" and run.error_code == "cut" and run.partial
    assert run.stats()["Status"] == "Failed"


def test_a_bug_in_a_provider_is_reported_without_a_traceback(run: KitRun) -> None:
    class Broken(Provider):
        label, model, offline = "broken", "b", False

        def execute(self, messages: Sequence[Message], params: GenParams,
                    usage: Usage | None = None) -> Iterator[str]:
            yield "partial"
            raise ZeroDivisionError("boom")

    assert "".join(run.stream(Broken())) == "partial"
    assert run.status == "failed" and run.error_code == "internal"
    assert "ZeroDivisionError" in (run.error or "") and "Traceback" not in (run.error or "")


def test_an_interrupted_run_is_marked_stopped_and_kept(run: KitRun) -> None:
    provider = FakeProvider(delay=0.2)
    provider.enqueue(KIT)
    stream = run.stream(provider)
    first = next(stream)
    stream.close()  # what a Stop click does to the page's stream
    run.mark_interrupted()
    assert run.status == "stopped" and run.text.startswith(first)
    deadline = time.monotonic() + 5
    while not provider.calls[0].closed_early and time.monotonic() < deadline:
        time.sleep(0.05)
    assert provider.calls[0].closed_early, "the provider's stream is closed, not drained"
    assert run.text != "".join(KIT)


def test_again_repeats_exactly_the_same_request(run: KitRun) -> None:
    provider = FakeProvider()
    provider.enqueue(LLMError("429", code="rate_limit"), KIT)
    list(run.stream(provider))
    retry = run.again()
    assert retry.status == "pending" and retry.text == ""
    list(retry.stream(provider))
    assert retry.status == "done"
    assert provider.calls[0].messages == provider.calls[1].messages
    assert provider.calls[0].params == provider.calls[1].params
