"""The kit structure and the tolerant parser of streamed Markdown.

``make_kit`` and ``finished_run`` are shared with the history and export tests.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interviewkit.config import REPO_PROMPTS_DIR as PROMPTS_DIR
from interviewkit.errors import LLMError
from interviewkit.ingest.cv import CVText, read_pasted
from interviewkit.kit.model import UNKNOWN_CANDIDATE, Kit, Question, guess_candidate
from interviewkit.kit.pipeline import drain, new_run
from interviewkit.kit.run import KitRun
from interviewkit.kit.sections import parse_kit
from interviewkit.promptfiles.loader import load_prompt
from tests.conftest import FakeProvider

CANONICAL = """### 1. How did you scale the Django service you describe?
**Listen for:**
- concrete numbers
- trade-offs they weighed
**Follow-up:** What would you change today?

### 2. Tell me about a time a release went wrong.
**Listen for:**
- Situation: the context
- Result: what they learned
**Follow-up:** How did you prevent it happening again?
"""

KOREAN = """### 1. 가장 어려웠던 프로젝트는 무엇이었나요?
**Listen for:**
- 구체적인 수치와 결과
**Follow-up:** 다시 한다면 무엇을 바꾸겠습니까?
"""

CV_TEXT = "Jane Q. Doe\njane@example.com · +44 7700 900123\n\nSenior engineer at Acme."


def make_kit(candidate: str = "Jane Q. Doe", *, markdown: str = CANONICAL,
             job: str = "Senior Backend Engineer\nPython, PostgreSQL", **changes: object) -> Kit:
    """A complete kit with every field set (tests override what they need)."""
    kit = Kit(
        candidate=candidate, cv_name="jane_doe.pdf", cv_sha256="ab" * 32, cv_text=CV_TEXT,
        job_description=job, prompt_name="Technical screen", prompt_key="technical_screen",
        prompt_text="[system]\nYou are an interviewer.\n\n[user]\n<candidate_cv>…",
        inputs={"num_questions": 2, "seniority": "senior", "coding": False},
        provider="OpenAI-compatible (127.0.0.1)", model="mock-model", status="done",
        partial=False, markdown=markdown, questions=parse_kit(markdown), error=None,
        elapsed_s=3.25, ttft_s=0.5, tokens=123,
        created=datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC),
    )
    for name, value in changes.items():
        setattr(kit, name, value)
    return kit


def finished_run(text: str = CANONICAL, *, error: LLMError | None = None,
                 cv_text: str = CV_TEXT) -> tuple[KitRun, CVText]:
    """A real KitRun streamed through FakeProvider, and the pasted CV it was made from."""
    cv = read_pasted(cv_text)
    run = new_run(load_prompt(PROMPTS_DIR / "technical_screen.yaml"), cv_text=cv.text,
                  cv_name=cv.filename, job_description="Backend engineer")
    provider = FakeProvider(model="fake-model")
    provider.enqueue([text[: len(text) // 2], text[len(text) // 2:], *([error] if error else [])])

    class Sink:
        def write(self, _chunk: str) -> None: ...
        def flush(self) -> None: ...

    drain(run.stream(provider, interval=0), Sink())  # type: ignore[arg-type]
    return run, cv


def test_canonical_kit_parses_every_field() -> None:
    questions = parse_kit(CANONICAL)
    assert questions == [
        Question(1, "How did you scale the Django service you describe?",
                 ["concrete numbers", "trade-offs they weighed"], "What would you change today?"),
        Question(2, "Tell me about a time a release went wrong.",
                 ["Situation: the context", "Result: what they learned"],
                 "How did you prevent it happening again?"),
    ]


def test_korean_text_is_kept_intact() -> None:
    (q,) = parse_kit(KOREAN)
    assert q.text == "가장 어려웠던 프로젝트는 무엇이었나요?"
    assert q.listen_for == ["구체적인 수치와 결과"]
    assert q.follow_up == "다시 한다면 무엇을 바꾸겠습니까?"


@pytest.mark.parametrize("cut", [10, 60, 95, 140, len(CANONICAL) - 20])
def test_a_stream_cut_anywhere_yields_what_arrived(cut: int) -> None:
    questions = parse_kit(CANONICAL[:cut])
    full = parse_kit(CANONICAL)
    assert 1 <= len(questions) <= 2
    last = questions[-1]
    assert full[len(questions) - 1].text.startswith(last.text)
    assert all(any(f.startswith(p) for f in full[last.number - 1].listen_for)
               for p in last.listen_for)


def test_question_heading_variants_and_bold_questions() -> None:
    text = ("## Interview kit for Jane\n\nSome intro the model added.\n\n"
            "### Question 1: Explain cache invalidation?\nListen for: TTLs\nFollow up: Where?\n"
            "### Question 2\nWhat is the CAP theorem?\n**Listen for**\n1. consistency\n"
            "2. availability\n---\n"
            "**3. Walk me through your last incident.**\n- **Listen for:** calm\n"
            "#### Q4) Why this team?\n")
    questions = parse_kit(text)
    assert [q.number for q in questions] == [1, 2, 3, 4]
    assert [q.text for q in questions] == [
        "Explain cache invalidation?", "What is the CAP theorem?",
        "Walk me through your last incident.", "Why this team?"]
    assert questions[0].listen_for == ["TTLs"] and questions[0].follow_up == "Where?"
    assert questions[1].listen_for == ["consistency", "availability"]
    assert questions[1].follow_up is None
    assert questions[2].listen_for == ["calm"]


def test_plain_numbered_questions_without_follow_ups() -> None:
    text = "1. First question?\nListen for:\n- a point\n2. Second question?\nListen for:\n- b\n"
    assert [(q.number, q.text, q.listen_for) for q in parse_kit(text)] == [
        (1, "First question?", ["a point"]), (2, "Second question?", ["b"])]


def test_wrapped_lines_join_and_unnumbered_titles_are_skipped() -> None:
    text = ("### 1. Tell me about a time\nyou disagreed with a lead.\n**Listen for:**\n"
            "- a concrete situation\n  that they describe\n### 2024 roadmap\n"
            "**Follow-up:**\nWhat did you learn?\n")
    (q,) = parse_kit(text)
    assert q.text == "Tell me about a time you disagreed with a lead."
    assert q.listen_for == ["a concrete situation that they describe"]
    assert q.follow_up == "What did you learn?"


def test_text_without_structure_gives_no_questions() -> None:
    assert parse_kit("") == []
    assert parse_kit("The model refused: I can't help with that.") == []


@pytest.mark.parametrize(("cv", "name", "expected"), [
    ("Jane Q. Doe\njane@example.com", "cv.pdf", "Jane Q. Doe"),
    ("CURRICULUM VITAE\n\n# **김민수**\n010-1234-5678", "x.pdf", "김민수"),
    ("jane@example.com\nhttps://jane.dev", "jane_doe-2024.pdf", "Jane Doe"),
    ("A very long first line that is clearly a sentence about many things at once", "",
     UNKNOWN_CANDIDATE),
])
def test_candidate_label_is_guessed_from_the_first_lines(cv: str, name: str,
                                                         expected: str) -> None:
    assert guess_candidate(cv, name) == expected


def test_kit_from_a_finished_run_keeps_everything() -> None:
    run, cv = finished_run()
    kit = run.to_kit(cv, "Senior Backend Engineer")
    assert kit.status == "done" and kit.partial is False
    assert kit.candidate == "Jane Q. Doe" and kit.cv_sha256 == cv.digest
    assert kit.cv_text == cv.text and kit.role == "Senior Backend Engineer"
    assert kit.markdown == CANONICAL and len(kit.questions) == 2
    assert kit.provider == "Fake model (tests)" and kit.model == "fake-model"
    assert kit.inputs == run.values and kit.tokens > 0 and kit.elapsed_s is not None
    assert kit.prompt_text == run.prompt_text()
    assert kit.prompt_text.startswith("[system]\n") and "<candidate_cv>" in kit.prompt_text


def test_a_failed_run_is_partial_with_its_reason() -> None:
    run, cv = finished_run(error=LLMError("Rate limited", code="rate_limit"))
    kit = run.to_kit(cv, prompt_text="exact prompt")
    assert kit.status == "failed" and kit.partial is True
    assert kit.error == "Rate limited" and kit.prompt_text == "exact prompt"
    assert kit.role == ""
