"""A planned kit: one request per question, shown in order; regenerating one question."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from interviewkit.kit.run import KitRun
from interviewkit.kit.sections import parse_kit
from interviewkit.kit.steps import Step, run_steps
from interviewkit.providers.base import GenParams, Message, Provider, Usage
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import FakeProvider


def steps(n: int) -> list[Step]:
    return [Step([{"role": "user", "content": f"anchor {i}"}], GenParams(), head=f"### {i}. ",
                 tail=f"\n**Based on:** passage {i}\n\n") for i in range(1, n + 1)]


def planned(n: int, concurrency: int = 1) -> KitRun:
    made = steps(n)
    return KitRun("Technical screen", "technical_screen", {}, "cv.txt", made[0].messages,
                  made[0].params, steps=made, concurrency=concurrency)


class Echo(Provider):
    """Answers each request with its own anchor, slowly, and notes overlapping requests."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay, self.lock = delay, threading.Lock()
        self.active, self.most = 0, 0
        self.release = threading.Event()

    def execute(self, messages: Sequence[Message], params: GenParams,
                usage: Usage | None = None) -> Iterator[str]:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            self.release.wait(self.delay)
            yield f"About {messages[-1]['content']}?"
            if usage is not None:
                usage.report(10, 3)
        finally:
            with self.lock:
                self.active -= 1


def test_each_step_is_a_question_with_its_evidence_in_order() -> None:
    run = planned(3)
    text = "".join(run.stream(Echo()))
    questions = parse_kit(text)
    assert [q.number for q in questions] == [1, 2, 3]
    assert [q.text for q in questions] == ["About anchor 1?", "About anchor 2?", "About anchor 3?"]
    assert [q.evidence for q in questions] == ["passage 1", "passage 2", "passage 3"]
    assert run.status == "done" and run.usage.measured
    assert (run.usage.prompt_tokens, run.usage.completion_tokens) == (30, 9), "summed per step"


def test_remote_steps_run_a_few_at_once_and_still_show_in_order() -> None:
    provider = Echo(delay=0.3)
    run = planned(6, concurrency=3)
    text = "".join(run.stream(provider))
    assert provider.most == 3, "three requests were in flight together"
    assert [q.text for q in parse_kit(text)] == [f"About anchor {i}?" for i in range(1, 7)]


def test_a_heading_the_model_writes_itself_is_dropped() -> None:
    fake = FakeProvider(default=["### 1. How did", " you scale it?"])
    text = "".join(run_steps(fake, steps(1), Usage()))
    assert text.startswith("### 1. How did you scale it?") and text.count("###") == 1


def test_regenerating_one_question_keeps_the_others_without_a_request() -> None:
    run = planned(3)
    "".join(run.stream(Echo()))
    again = run.regenerate(1)
    fake = FakeProvider(default=["A new second question?"])
    text = "".join(again.stream(fake))
    assert len(fake.calls) == 1 and fake.calls[0].messages[-1]["content"] == "anchor 2"
    assert fake.calls[0].params.temperature > run.steps[1].params.temperature, "a little warmer"
    texts = [q.text for q in parse_kit(text)]
    assert texts == ["About anchor 1?", "A new second question?", "About anchor 3?"]


def test_a_failing_step_keeps_the_questions_before_it() -> None:
    from interviewkit.errors import LLMError

    fake = FakeProvider(default=["Fine?"])
    fake.enqueue(["First?"], ["Half", LLMError("dropped", code="cut")])
    run = planned(3)
    "".join(run.stream(fake))
    assert run.status == "failed" and run.error_code == "cut"
    assert "### 1. First?" in run.text and "Half" in run.text and "### 3." not in run.text


def test_planned_requests_reach_a_real_server_one_per_question() -> None:
    from interviewkit.providers.remote import OpenAIProvider

    with MockOpenAIServer(default=Reply(text=["How", " did you?"])) as mock:
        provider = OpenAIProvider(model="m", api_key="sk-x", base_url=mock.base_url)
        run = planned(4, concurrency=2)
        "".join(run.stream(provider))
        provider.close()
    assert len(mock.requests) == 4
    assert sorted(r.body["messages"][-1]["content"] for r in mock.requests) == [
        f"anchor {i}" for i in range(1, 5)]
    assert run.usage.measured and run.usage.completion_tokens == 8


def test_a_question_like_an_earlier_one_is_written_again_once() -> None:
    fake = FakeProvider(default=["Fallback?"])
    fake.enqueue(["How did you scale the Kafka pipeline to 50K events?\n"],
                 ["How did you scale the Kafka pipeline to 50K events?\n"],  # the same again
                 ["Why did you choose Go for the billing service?\n"])
    run = planned(2)
    text = "".join(run.stream(fake))
    assert len(fake.calls) == 3, "the second question was asked twice"
    assert fake.calls[2].params.temperature > fake.calls[1].params.temperature
    assert fake.calls[1].closed_early, "the look-alike was cut as soon as its line was complete"
    assert [q.text for q in parse_kit(text)] == [
        "How did you scale the Kafka pipeline to 50K events?",
        "Why did you choose Go for the billing service?"]


def test_a_second_look_alike_is_kept_rather_than_asked_forever() -> None:
    same = ["How did you scale the Kafka pipeline?\n"]
    fake = FakeProvider(default=same)
    text = "".join(planned(2).stream(fake))
    assert len(fake.calls) == 3 and text.count("How did you scale the Kafka pipeline?") == 2
