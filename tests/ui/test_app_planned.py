"""The Generate page's planned mode under AppTest: plan, edit, generate, evidence, coverage.

Every question is one request to the local mock server (through the real SDK); the CV is
pasted text, so these run everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import app_on_mock, generate_state, kit_run, open_page, texts

CV = """Jane Roe
Senior Backend Engineer

Experience
Senior Backend Engineer, Acme Payments, Berlin — 2020 – present
• Designed a fraud detection pipeline processing 50K transactions per second with Kafka and Go.
• Led the migration of the monolith to 12 microservices on Kubernetes.
Software Engineer, Globex, Munich — 2016 – 2020
• Built a React dashboard used by 300 analysts to track marketing spend.
• Wrote the billing service in Python and PostgreSQL, cutting invoice errors by 40%.

Education
M.Sc. Computer Science, TU Munich — 2014 – 2016
• Thesis on graph neural networks for fraud detection.
"""
JOB = """Senior Backend Engineer
Requirements:
- 5+ years with Go or Python
- Experience with Kafka and stream processing
- Terraform and infrastructure as code
"""


def answer(body: dict[str, Any]) -> Reply:
    """A question about whatever passage the request carries."""
    user = body["messages"][-1]["content"]
    passage = user.split("<cv_passage>\n")[1].split("\n</cv_passage>")[0].strip()
    return Reply(text=[f"How did you approach this: {passage[:40]}?\n", "**Listen for:**\n",
                       "- Explains the design\n", "- Quantifies the result\n",
                       "**Follow-up:** What would you change?\n"])


@pytest.fixture
def mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    with app_on_mock(monkeypatch, answer, key="sk-plan-test") as server:
        yield server


def planned_page(job: str = "", questions: int = 4) -> AppTest:
    at = open_page()
    at.radio(key="cv_mode").set_value("Paste text").run()
    at.text_area(key="cv_paste").input(CV).run()
    if job:
        at.text_area(key="job").input(job).run()
    number = [n for n in at.number_input if n.key == "in_technical_screen_num_questions"]
    number[0].set_value(questions).run()
    assert not at.exception, at.exception
    return at


def plan_boxes(at: AppTest) -> list[Any]:
    return [box for box in at.checkbox if str(box.key).startswith("plan_")]


def test_the_plan_is_shown_and_each_question_stands_on_its_passage(
        mock: MockOpenAIServer) -> None:
    at = planned_page()
    assert at.radio(key="kit_mode").value.startswith("Planned"), "planned is the default"
    assert any("What this kit can ask about" in e.label for e in at.expander)
    boxes = plan_boxes(at)
    assert len(boxes) == 4 and all(box.value for box in boxes)
    at.button(key="generate").click().run()
    assert not at.exception, at.exception
    assert len(mock.requests) == 4, "one request per planned question"
    kit = kit_run(at).to_kit(generate_state(at).cv)  # type: ignore[arg-type]
    assert [q.number for q in kit.questions] == [1, 2, 3, 4]
    assert all(q.evidence and q.evidence_found for q in kit.questions), "evidence is in the CV"
    assert all(q.evidence[:30] in CV for q in kit.questions if q.evidence)
    assert len({q.evidence for q in kit.questions}) == 4, "distinct passages"
    shown = texts(at.markdown)
    assert shown.count("Based on:") == 4 and "not found in the CV" not in texts(at.warning)


def test_an_unticked_anchor_is_not_asked_and_an_own_topic_is(mock: MockOpenAIServer) -> None:
    at = planned_page()
    dropped = plan_boxes(at)[1]
    dropped_label = dropped.label
    dropped.uncheck().run()
    at.text_input(key="plan_topic").input("the gap in 2021").run()
    at.button(key="plan_add").click().run()
    assert len(plan_boxes(at)) == 5 and "your topic" in plan_boxes(at)[-1].label
    at.button(key="generate").click().run()
    users = [r.body["messages"][-1]["content"] for r in mock.requests]
    assert len(users) == 4 and any("the gap in 2021" in user for user in users)
    assert not any(dropped_label.split("— ", 1)[1][:40] in user for user in users)


def test_a_job_description_gives_coverage_and_an_add_a_question_action(
        mock: MockOpenAIServer) -> None:
    at = planned_page(job=JOB, questions=3)
    at.button(key="generate").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value  # the coverage table comes after the CV's structure
    assert list(table["requirement"]) == ["5+ years with Go or Python",
                                          "Experience with Kafka and stream processing",
                                          "Terraform and infrastructure as code"]
    covered = dict(zip(table["requirement"], table["questions"], strict=True))
    assert covered["Terraform and infrastructure as code"] == "not covered"
    assert covered["Experience with Kafka and stream processing"] != "not covered"
    adds = [b for b in at.button if str(b.key).startswith("cov_add_")]
    assert any("Terraform" in b.label for b in adds)
    next(b for b in adds if "Terraform" in b.label).click().run()
    assert any("Terraform" in box.label for box in plan_boxes(at)), "added to the plan"


def test_one_question_can_be_written_again(mock: MockOpenAIServer) -> None:
    at = planned_page(questions=3)
    at.button(key="generate").click().run()
    before = kit_run(at).text
    at.button(key="regen_1").click().run()
    assert not at.exception, at.exception
    assert len(mock.requests) == 4, "only the second question was asked again"
    after = kit_run(at)
    assert after.text != before or after.steps[1].params.temperature > 0.4
    assert after.text.split("### 2.")[0] == before.split("### 2.")[0], "the first one is kept"
