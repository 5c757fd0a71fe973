"""A rating guide added afterwards to an existing kit (interviewkit.kit.rating)."""

from __future__ import annotations

import importlib.util

import pytest

from interviewkit.errors import LLMError
from interviewkit.export import to_markdown
from interviewkit.kit.grammar import rating_block
from interviewkit.kit.model import Kit
from interviewkit.kit.rating import (
    DERIVED_NOTE,
    RatingRun,
    derived_rating,
    missing,
    rating_messages,
    with_ratings,
)
from interviewkit.kit.sections import parse_kit
from tests.conftest import FakeProvider, require
from tests.kit.test_kit import KOREAN, make_kit

KIT = """### 1. How did you keep the Kafka pipeline fast at 50K events/s?
**Listen for:**
- Quantifies the throughput target and the bottleneck
- Compares the design chosen with an alternative
**Follow-up:** What happened when a consumer fell behind?
**Based on:** Built a fraud pipeline in Go and Kafka, 50K events/s; jane@example.com

### 2. Why did you move the ledger to PostgreSQL?
**Listen for:**
- Explains the consistency problem
**Follow-up:** What would you do differently?
"""
GUIDE = ["Stays vague about the pipeline", "Describes Kafka, but gives no figures",
         "Quantifies 50K events/s and compares two designs"]


def kit(markdown: str = KIT) -> Kit:
    return make_kit(markdown=markdown)


def reply(anchors: list[str] = GUIDE) -> list[str]:
    """A model's answer, in a few deltas."""
    text = "\n".join(rating_block(anchors)) + "\n"
    return [text[:10], text[10:40], text[40:]]


def test_every_question_without_a_guide_gets_one_from_the_model() -> None:
    target = kit()
    provider = FakeProvider()
    provider.enqueue(reply(), reply(["a", "b", "c"]))
    run = RatingRun(target)
    text = "".join(run.stream(provider))
    assert run.written == [1, 2] and run.derived == [] and run.errors == []
    assert [q.rating for q in target.questions] == [GUIDE, ["a", "b", "c"]]
    assert "### 1. How did you keep" in text and "- 5: Quantifies 50K" in text, "it streams"
    assert parse_kit(target.markdown) == target.questions, "the stored text reads back"
    assert parse_kit(to_markdown(target)) == target.questions, "and so does the export"
    assert missing(target) == []


def test_the_request_carries_the_question_its_points_and_fenced_evidence() -> None:
    provider = FakeProvider(offline=True)
    provider.enqueue(reply())
    target = kit()
    target.questions = target.questions[:1]
    list(RatingRun(target).stream(provider))
    [call] = provider.calls
    system, user = (m["content"] for m in call.messages)
    assert "rating guide" in system and "**Rating:**\n- 1: " in system
    assert "Question: How did you keep the Kafka pipeline fast" in user
    assert "- Compares the design chosen with an alternative" in user
    assert "Follow-up: What happened when a consumer fell behind?" in user
    assert "<cv_passage>\nBuilt a fraud pipeline in Go and Kafka" in user
    assert "jane@example.com" in user, "the embedded model sees the text as it is"
    assert call.params.grammar is not None and 'term ::= "Kafka"' in call.params.grammar


def test_a_remote_model_gets_no_grammar_and_no_personal_data() -> None:
    provider = FakeProvider(offline=False)
    provider.enqueue(reply())
    target = kit()
    target.questions = target.questions[:1]
    list(RatingRun(target).stream(provider))
    [call] = provider.calls
    assert call.params.grammar is None
    assert "jane@example.com" not in call.messages[1]["content"]
    assert "[EMAIL]" in call.messages[1]["content"]


def test_an_unreadable_answer_or_a_failed_request_is_derived_and_said_so() -> None:
    target = kit()
    provider = FakeProvider()
    provider.enqueue(["The candidate should be good."],
                     [LLMError("The model server is overloaded.", code="server")])
    run = RatingRun(target)
    text = "".join(run.stream(provider))
    assert run.written == [] and run.derived == [1, 2]
    assert run.errors == ["The model server is overloaded."]
    assert text.count(DERIVED_NOTE) == 2
    first, second = (q.rating for q in target.questions)
    assert first == derived_rating(kit().questions[0])
    assert "quantifies the throughput target and the bottleneck" in first[2]
    assert second[1].startswith("Some of the points (e.g. explains the consistency problem)")
    assert all(len(guide) == 3 for guide in (first, second)), "every question ends with one"


def test_questions_that_have_a_guide_are_left_alone() -> None:
    target = kit()
    target.questions[0].rating = ["x", "y", "z"]
    provider = FakeProvider()
    provider.enqueue(reply())
    run = RatingRun(target)
    list(run.stream(provider))
    assert len(provider.calls) == 1 and run.written == [2]
    assert target.questions[0].rating == ["x", "y", "z"]
    assert [q.number for q in missing(kit())] == [1, 2]


def test_a_stop_midway_keeps_the_guides_written() -> None:
    target = kit()
    provider = FakeProvider()
    provider.enqueue(reply(), reply())
    stream = RatingRun(target).stream(provider)
    for chunk in stream:
        if "### 2." in chunk:
            break
    stream.close()
    assert target.questions[0].rating == GUIDE and target.questions[1].rating == []
    assert parse_kit(target.markdown)[0].rating == GUIDE


def test_derived_guides_for_korean_and_pointless_questions() -> None:
    [korean] = parse_kit(KOREAN)
    guide = derived_rating(korean)
    assert "평가 포인트" in guide[0] and "구체적인 수치와 결과" in guide[2]
    assert rating_messages(korean, redact=False)[0]["content"].startswith("면접 질문 하나의")
    [bare] = parse_kit("### 1. What did you learn?\n")
    assert len(derived_rating(bare)) == 3 and "Specific" in derived_rating(bare)[2]


def test_guides_go_into_the_text_where_their_question_is() -> None:
    questions = parse_kit(KIT)
    questions[1].rating = ["a", "b", "c"]
    text = with_ratings(KIT, questions)
    assert text.startswith(KIT.split("### 2.")[0]), "a question without a guide is untouched"
    assert text.endswith("**Rating:**\n- 1: a\n- 3: b\n- 5: c\n\n")
    assert [q.rating for q in parse_kit(text)] == [[], ["a", "b", "c"]]
    unsectioned = "**1. Why Go?**\n**Listen for:**\n- Explains\n"
    assert with_ratings(unsectioned, parse_kit(unsectioned)) == unsectioned


@pytest.mark.offline_model
def test_the_embedded_model_writes_a_guide_that_reads_back() -> None:
    from interviewkit.config import load_settings, model_cache_dir
    from interviewkit.errors import OfflineModelError
    from interviewkit.providers.offline import QWEN_05B, OfflineProvider, package_files

    require(importlib.util.find_spec("llama_cpp") is not None,
            "llama-cpp-python is not installed (pip install -r tests/requirements.txt)")
    try:
        package_files(QWEN_05B)
    except OfflineModelError as exc:
        require(False, str(exc))
    provider = OfflineProvider(QWEN_05B, model_cache_dir(load_settings()))
    target = kit()
    target.questions = target.questions[:1]
    run = RatingRun(target)
    "".join(run.stream(provider))
    assert run.written == [1], "the grammar makes the answer readable"
    weak, fair, strong = target.questions[0].rating
    assert weak.startswith(("Stays vague", "Cannot", "Only", "Gives no", "Talks"))
    assert ", but" in fair and any(term in strong for term in ("Kafka", "Go", "50K"))
