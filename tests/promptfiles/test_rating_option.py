"""``rating: true`` in a prompt file: validated like every field, rendered in both modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.config import REPO_PROMPTS_DIR as PROMPTS_DIR
from interviewkit.errors import PromptError
from interviewkit.kit.steps import asks_for_rating
from interviewkit.promptfiles.loader import load_prompt, load_prompt_dir
from interviewkit.promptfiles.render import render_messages, render_question
from interviewkit.promptfiles.schema import parse_prompt
from tests.promptfiles.test_prompts import CV, VALID, line_of, load_error

QUESTION = """\
question:
  system: One question for a {{seniority}} candidate.
  user: |
    {{anchor}}
"""


def test_rating_is_off_unless_the_prompt_asks() -> None:
    spec = parse_prompt(VALID)
    assert spec.rating is False
    system = render_messages(spec, cv=CV)[0]["content"]
    assert "**Rating:**" not in system


@pytest.mark.parametrize("value", ["true", "yes"])
def test_rating_true_asks_for_the_guide_in_the_whole_kit_prompt(value: str) -> None:
    spec = parse_prompt(VALID + f"rating: {value}\n")
    assert spec.rating is True
    system, user = (m["content"] for m in render_messages(spec, cv=CV))
    assert system.startswith("Ask 4 questions for a mid candidate.")
    assert "After each question's Follow-up, a rating guide: what a 1, a 3 and a 5" in system
    assert system.endswith("**Rating:**\n- 1: Stays vague about <…>\n- 3: Describes <…>, "
                           "but <…>\n- 5: Quantifies <…> and compares <…>")
    assert "**Rating:**" not in user


def test_rating_true_asks_for_the_guide_in_every_planned_request() -> None:
    spec = parse_prompt(VALID + QUESTION + "rating: true\n")
    first = render_question(spec, anchor="Built a ledger in Go", number=1)
    second = render_question(spec, anchor="Led 4 engineers", number=2)
    assert first[0] == second[0], "one system prompt per kit: llama.cpp reuses its cache"
    assert "After the follow-up, a rating guide" in first[0]["content"]
    assert asks_for_rating(first), "the planned step recognises the request"
    assert not asks_for_rating(render_question(parse_prompt(VALID + QUESTION), anchor="x",
                                               number=1))


def test_a_korean_kit_is_asked_in_korean() -> None:
    spec = parse_prompt(VALID.replace("  coding:", "  language: {type: choice, default: "
                                      "English, choices: [English, Korean]}\n  coding:")
                        .replace("Focus: {{focus}}.", "Focus: {{focus}}. In {{language}}.")
                        + "rating: true\n")
    korean = render_messages(spec, cv=CV, values={"language": "Korean"})[0]["content"]
    assert "평가 척도를 씁니다" in korean and "**Rating:**\n- 1: 막연하게 <…>함" in korean
    english = render_messages(spec, cv=CV)[0]["content"]
    assert "평가 척도" not in english


@pytest.mark.parametrize(("value", "shown"), [
    ("'yes please'", "'yes please'"), ("1", "1"), ("{max_words: 12}", "{'max_words': 12}"),
])
def test_a_bad_rating_value_names_its_file_line_and_field(tmp_path: Path, value: str,
                                                          shown: str) -> None:
    error, path = load_error(tmp_path, VALID + f"rating: {value}\n")
    assert error.field == "rating" and error.line == line_of(path, "rating:")
    assert f"must be true or false, got {shown}" in error.reason
    assert str(error).startswith(f"{path}:{error.line}: rating: ")


def test_a_misspelt_rating_key_suggests_it(tmp_path: Path) -> None:
    error, path = load_error(tmp_path, VALID + "ratng: true\n")
    assert error.field == "ratng" and error.line == line_of(path, "ratng")
    assert "did you mean 'rating'" in str(error)
    with pytest.raises(PromptError):
        parse_prompt(VALID + "rating: [true]\n")


def test_a_shipped_prompt_has_the_guide_on() -> None:
    specs, errors = load_prompt_dir(PROMPTS_DIR)
    assert not errors
    rated = {spec.key for spec in specs if spec.rating}
    assert "behavioural_star" in rated
    star = load_prompt(PROMPTS_DIR / "behavioural_star.yaml")
    assert asks_for_rating(render_question(star, anchor="Led the migration", number=1))
