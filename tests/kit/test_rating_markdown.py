"""The rating guide in a kit's Markdown: the parser's tolerance, the grammar, the planned step."""

from __future__ import annotations

import importlib.util

import pytest

from interviewkit.kit.grammar import (
    question_grammar,
    rating_block,
    rating_grammar,
    rating_tokens,
    with_rating,
)
from interviewkit.kit.sections import parse_kit, parse_questions
from interviewkit.kit.steps import Step, asks_for_rating, run_steps
from interviewkit.providers.base import GenParams, Usage
from tests.conftest import FakeProvider

HEAD = "### 1. How did you keep the Kafka pipeline fast?\n**Listen for:**\n- Quantifies it\n"
WANT = ["vague about it", "one figure, no trade-off", "target, bottleneck and trade-off"]


@pytest.mark.parametrize("guide", [
    "**Rating:**\n- 1: vague about it\n- 3: one figure, no trade-off\n"
    "- 5: target, bottleneck and trade-off\n",
    "**Rating guide (1–5):**\n- **1:** vague about it\n- **3** — one figure, no trade-off\n"
    "- **5**: target, bottleneck\n  and trade-off\n",  # bold levels, a wrapped anchor
    "Rating scale:\n1. vague about it\n3. one figure, no trade-off\n"
    "5. target, bottleneck and trade-off\n",
    "**Scoring:**\n- Poor (1): vague about it\n- Average (3): one figure, no trade-off\n"
    "- Excellent (5): target, bottleneck and trade-off\n",
    "**Rating:**\n- 5 = target, bottleneck and trade-off\n- 3 = one figure, no trade-off\n"
    "- 1 = vague about it\n",  # written from the top
    "**Rating:**\n- 1: vague about it\n- 2: a little\n- 3: one figure, no trade-off\n- 4: most\n"
    "- 5: target, bottleneck and trade-off\n",  # all five levels: 1, 3 and 5 are kept
    "**Rating:** 1: vague about it; 3: one figure, no trade-off; 5: target, bottleneck and "
    "trade-off\n",  # on one line
    "**Rating (1-5):**\n- Score 1: vague about it\n- Score 3 (fair): one figure, no trade-off\n"
    "- Score 5 (strong): target, bottleneck and trade-off\n",
    "**평가 척도:**\n- 1점: vague about it\n- 3점: one figure, no trade-off\n"
    "- 5점: target, bottleneck and trade-off\n",
    "**채점 기준**\n- 약함: vague about it\n- 보통: one figure, no trade-off\n"
    "- 우수: target, bottleneck and trade-off\n",
])
def test_small_model_variations_of_the_guide_are_read(guide: str) -> None:
    text = HEAD + "**Follow-up:** Why Kafka?\n" + guide + "**Based on:** Built it in Go\n"
    [question] = parse_kit(text)
    assert question.rating == WANT
    assert question.follow_up == "Why Kafka?" and question.evidence == "Built it in Go"
    assert question.listen_for == ["Quantifies it"], "the guide is not a Listen-for point"


def test_a_guide_before_the_next_question_does_not_swallow_it() -> None:
    text = (HEAD + "**Rating:**\n1. a\n3. b\n5. c\n2. Tell me about the migration?\n"
            "**Listen for:**\n- Explains it\n\n**3. What did the rollout teach you?**\n")
    questions = parse_kit(text)
    assert [q.number for q in questions] == [1, 2, 3]
    assert questions[0].rating == ["a", "b", "c"] and questions[1].rating == []
    assert questions[1].listen_for == ["Explains it"]


@pytest.mark.parametrize("guide", [
    "**Rating:**\n- 1: vague\n- 3: some",  # a stream cut before the 5
    "**Rating:**\n- 1: vague\n- 5: strong\n",  # no 3
    "**Rating:**\n",
])
def test_an_incomplete_guide_is_no_guide(guide: str) -> None:
    [question] = parse_kit(HEAD + guide)
    assert question.rating == [] and question.listen_for == ["Quantifies it"]


def test_the_parser_says_which_lines_the_guide_took() -> None:
    text = HEAD + "**Follow-up:** Why?\n" + "\n".join(rating_block(WANT)) + "\n"
    [located] = parse_questions(text)
    assert located.rating_lines == (5, 6, 7, 8)
    assert located.follow_up_line == 4


def test_the_canonical_block_reads_back() -> None:
    assert rating_block(WANT) == ["**Rating:**", "- 1: vague about it",
                                  "- 3: one figure, no trade-off",
                                  "- 5: target, bottleneck and trade-off"]
    [question] = parse_kit(HEAD + "\n".join(rating_block(WANT)))
    assert question.rating == WANT


def test_the_grammar_gains_a_guide_with_openers_and_the_passages_term() -> None:
    plain = question_grammar(korean=False, verbs=["Explains"], terms=["Kafka"])
    rated = with_rating(plain)
    assert rated.startswith(plain.partition("\n")[0] + " rating\n"), "after the follow-up"
    assert ('rating ::= "**Rating:**\\n" "- 1: " weak "\\n" "- 3: " fair "\\n" "- 5: " strong'
            in rated)
    assert 'weak ::= ("Stays vague about" |' in rated and '", but"' in rated
    assert '" " term' in rated.split("strong ::=")[1], "the 5 names the passage's term"
    assert with_rating(rated) == rated, "added once"
    korean = with_rating(question_grammar(korean=True))
    assert 'weak ::= ("막연하게"' in korean and '"지만"' in korean and "aword" not in korean
    alone = rating_grammar(korean=False, terms=["Kafka", "Kafka"])
    assert alone.startswith("root ::= rating\n") and 'term ::= "Kafka"\n' in alone
    assert "strong ::=" in rating_grammar(korean=False) and "term" not in rating_grammar(
        korean=False)


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                    reason="llama-cpp-python is not installed")
def test_llama_cpp_accepts_every_rating_grammar() -> None:
    from llama_cpp.llama_grammar import LlamaGrammar

    for gbnf in (with_rating(question_grammar(korean=False, starts=["How did you"],
                                              verbs=["Explains"], terms=["Kafka"])),
                 with_rating(question_grammar(korean=True, terms=["카프카"])),
                 rating_grammar(korean=False), rating_grammar(korean=False, terms=["Go"]),
                 rating_grammar(korean=True)):
        LlamaGrammar.from_string(gbnf, verbose=False)


def _step(system: str, grammar: str | None, number: int = 1) -> Step:
    return Step([{"role": "system", "content": system}, {"role": "user", "content": "anchor"}],
                GenParams(max_tokens=260, grammar=grammar), head=f"### {number}. ",
                tail="\n**Based on:** Built it in Go\n\n")


def test_a_step_that_shows_the_guide_format_gets_its_grammar_and_budget() -> None:
    asked = "Write one question.\n" + "\n".join(rating_block(["<weak>", "<fair>", "<strong>"]))
    grammar = question_grammar(korean=False)
    provider = FakeProvider()
    guide = "\n".join(rating_block(WANT)) + "\n"
    provider.enqueue(["How did you size Kafka?\n**Listen for:**\n- Explains\n", guide],
                     ["Why Go for the consumers?\n**Listen for:**\n- Names\n"])
    text = "".join(run_steps(provider, [_step(asked, grammar), _step("Write one.", grammar, 2)],
                             Usage()))
    rated, plain = (call.params for call in provider.calls)
    assert rated.grammar == with_rating(grammar)
    assert rated.max_tokens == 260 + rating_tokens(korean=False)
    assert plain.grammar == grammar and plain.max_tokens == 260, "no guide asked, none forced"
    assert asks_for_rating(provider.calls[0].messages)
    assert not asks_for_rating([{"role": "user", "content": asked}]), "the system prompt asks"
    first, second = parse_kit(text)
    assert (first.number, second.number) == (1, 2)
    assert first.rating == WANT and first.evidence == "Built it in Go", "the tail follows it"


def test_a_remote_step_gets_the_budget_but_no_grammar() -> None:
    asked = "\n".join(rating_block(["<weak>", "<fair>", "<strong>"]))
    provider = FakeProvider(offline=False)
    list(run_steps(provider, [_step(asked, None)], Usage()))
    assert provider.calls[0].params.grammar is None
    assert provider.calls[0].params.max_tokens == 260 + rating_tokens(korean=False)


def test_a_korean_step_gets_the_room_hangul_needs() -> None:
    asked = "질문 하나.\n" + "\n".join(rating_block(["<…>", "<…>", "<…>"]))
    provider = FakeProvider()
    list(run_steps(provider, [_step(asked, question_grammar(korean=True))], Usage()))
    params = provider.calls[0].params
    assert params.max_tokens == 260 + rating_tokens(korean=True) > 260 + rating_tokens(False)
    assert params.grammar is not None and 'strong ::= ("구체적인"' in params.grammar
