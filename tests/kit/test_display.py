"""Model text made inert for the page, and split into one element per question."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from interviewkit.kit.sections import sections, split_sections
from interviewkit.safety.markdown import inert

KIT = ("Here is your kit.\n\n### 1. How did you shard PostgreSQL?\n**Listen for:**\n- a\n"
       "**Follow-up:** why?\n\n### 2. Tell me about ### symbols in C#\n- b\n"
       "####not a question\n  ### indented is not a heading\n### 3. Last one?\n")


def test_sections_split_at_line_start_headings_only() -> None:
    parts = sections(KIT)
    assert parts[0] == "Here is your kit.\n\n"
    assert [p.split("\n", 1)[0] for p in parts[1:]] == [
        "### 1. How did you shard PostgreSQL?", "### 2. Tell me about ### symbols in C#",
        "### 3. Last one?"]
    assert "".join(parts) == KIT


@pytest.mark.parametrize("seed", range(25))
def test_splitting_a_stream_does_not_depend_on_chunk_boundaries(seed: int) -> None:
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(KIT)), rng.randint(1, 60)))
    chunks = [KIT[a:b] for a, b in zip([0, *cuts], [*cuts, len(KIT)], strict=True)]
    assert ["".join(s) for s in split_sections(chunks)] == sections(KIT)


def test_one_character_chunks_and_a_trailing_partial_heading() -> None:
    text = "### 1. a\n##"
    assert ["".join(s) for s in split_sections(list(text))] == ["### 1. a\n##"]


def test_only_the_held_back_prefix_waits_for_more_text() -> None:
    stream = split_sections(iter(["### 1. Question\n", "#", "## 2. Next"]))
    first = next(stream)
    assert next(first) == "### 1. Question\n", "a whole line is handed out at once"


def test_leading_white_space_stays_with_the_first_question() -> None:
    assert sections("\n\n### 1. a\n### 2. b") == ["\n\n### 1. a\n", "### 2. b"]


def test_empty_stream_has_no_sections() -> None:
    assert list(split_sections([])) == []


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "<img src=http://127.0.0.1:9/leak.png>",
    "![x](http://127.0.0.1:9/leak.png)",
    "[click me](javascript:alert(1))",
    "<http://127.0.0.1:9/autolink>",
    "\\[escaped\\](javascript:alert(1))",
    "`<b>` and ```html fences```",
])
def test_inert_leaves_no_active_markdown(payload: str) -> None:
    safe = inert(payload)
    for active in ("<", "[", "]", "`", ">"):
        # every active character is preceded by an odd number of backslashes
        i = safe.find(active)
        while i != -1:
            run = len(safe[:i]) - len(safe[:i].rstrip("\\"))
            assert run % 2 == 1, (payload, safe, i)
            i = safe.find(active, i + 1)


def test_inert_keeps_the_kit_formatting() -> None:
    kit = "### 1. Why Rust?\n**Listen for:**\n- ownership, *borrowing*\n**Follow-up:** and C++?"
    assert inert(kit) == kit



def test_at_most_questions_stops_at_the_first_extra_question() -> None:
    from interviewkit.kit.sections import at_most_questions

    closed: list[bool] = []

    def model() -> Iterator[str]:
        try:
            yield "### Interview kit\n"  # an unnumbered title does not count
            for n in range(1, 6):
                yield f"### {n}. Question {n}?\n**Listen for:**\n- x\n"
        finally:
            closed.append(True)

    text = "".join(at_most_questions(model(), 3))
    assert "Question 3?" in text and "Question 4" not in text
    assert text.startswith("### Interview kit")
    assert closed == [True], "the model's stream is closed, not drained"
    assert "".join(at_most_questions(iter(["### Question 1: a\n", "### Question 2: b"]), 1)
                   ) == "### Question 1: a\n"


@pytest.mark.parametrize("seed", range(10))
def test_paragraphs_separate_bold_lines_from_the_bullet_above(seed: int) -> None:
    from interviewkit.kit.sections import paragraphs

    text = "- a point\n**Follow-up:** why?\n- b\n*not bold*\n**Listen for:**\n"
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(text)), rng.randint(1, 20)))
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    assert "".join(paragraphs(chunks)) == (
        "- a point\n\n**Follow-up:** why?\n- b\n*not bold*\n\n**Listen for:**\n")


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_at_most_questions_counts_headings_split_into_tiny_tokens(size: int) -> None:
    from interviewkit.kit.sections import at_most_questions

    text = "".join(f"### {n}. Question {n}?\n**Listen for:**\n- x\n" for n in range(1, 6))
    tokens = [text[i:i + size] for i in range(0, len(text), size)]
    out = "".join(at_most_questions(iter(tokens), 3))
    assert out == "".join(f"### {n}. Question {n}?\n**Listen for:**\n- x\n" for n in range(1, 4))


def test_at_most_questions_keeps_text_that_arrived_before_a_failure() -> None:
    from interviewkit.kit.sections import at_most_questions

    def model() -> Iterator[str]:
        yield "### "
        yield "1"
        raise ConnectionError("cut")

    seen: list[str] = []
    with pytest.raises(ConnectionError):
        for chunk in at_most_questions(model(), 3):
            seen.append(chunk)
    assert "".join(seen) == "### 1"


def test_at_most_questions_does_not_hold_back_a_preamble() -> None:
    from interviewkit.kit.sections import at_most_questions

    stream = at_most_questions(iter(["Sure", ", here", " is the kit\n", "### 1. Q?\n"]), 3)
    assert next(stream) == "Sure", "text that cannot be a heading is passed on at once"
