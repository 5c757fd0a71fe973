"""Evidence is checked against the CV text: tolerant of layout, strict about words."""

from __future__ import annotations

import pytest

from interviewkit.export import export, to_markdown
from interviewkit.kit.evidence import check, found_in
from interviewkit.kit.grammar import question_grammar, starts_for
from interviewkit.kit.sections import parse_kit
from tests.kit.test_kit import make_kit

CV = ("Senior engineer at Acme Corp (2019–2024)\n"
      "• Designed the fraud-detection pipeline processing 50K+ transac-\n"
      "  tions per second with Kafka and Go.\n"
      "• Led the migration of the monolith to 12 micro-\nservices on Kubernetes.\n")


@pytest.mark.parametrize("evidence", [
    "Designed the fraud-detection pipeline processing 50K+ transactions per second",
    "designed   the FRAUD detection pipeline",  # case, spaces, a hyphen as a space
    "the migration of the monolith to 12 microservices on Kubernetes",  # joined at a line end
    "Led the migration of the monolith…",  # cut short by the model
    "Kafka and Go.",
    "Senior engineer at Acme Corp (2019-2024)",  # an en dash written as a hyphen
])
def test_evidence_in_the_cv_is_found(evidence: str) -> None:
    assert found_in(evidence, CV)


@pytest.mark.parametrize("evidence", [
    "Designed the payments pipeline processing 50K+ transactions per second",  # a word changed
    "RenderCV handles millions of API requests per second",  # invented
    "Kafka Go",  # too short to be matched loosely: whole words only, in order
    "",
])
def test_evidence_not_in_the_cv_is_not(evidence: str) -> None:
    assert not found_in(evidence, CV)


def test_redaction_placeholders_inside_a_quote_are_skipped() -> None:
    cv = "Contact: jane@example.com\nBuilt the billing service used by 300 clinics."
    assert found_in("Contact: [EMAIL] Built the billing service used by 300 clinics", cv)
    assert check(None, cv) is None and check("  ", cv) is None


def test_based_on_and_covers_are_parsed_and_flagged_in_exports() -> None:
    text = ("### 1. How did you build the pipeline?\n**Listen for:**\n- Explains it\n"
            "- Quantifies it\n**Follow-up:** Why Go?\n**Based on:** Designed the fraud-detection "
            "pipeline\n**Covers:** Stream processing with Kafka\n\n### 2. What is RenderCV?\n"
            "**Listen for:**\n- a\n- b\n**Follow-up:** c?\n**Evidence:** RenderCV handles "
            "millions of requests\n")
    questions = parse_kit(text)
    assert questions[0].evidence == "Designed the fraud-detection pipeline"
    assert questions[0].covers == "Stream processing with Kafka"
    assert questions[1].evidence == "RenderCV handles millions of requests", "Evidence: too"
    kit = make_kit()
    kit.questions = [q for q in questions]
    kit.questions[0].evidence_found, kit.questions[1].evidence_found = True, False
    kit.requirements = ["Stream processing with Kafka", "Terraform"]
    markdown = to_markdown(kit)
    assert "**Based on:** Designed the fraud-detection pipeline\n" in markdown
    assert "RenderCV handles millions of requests (not found in the CV)" in markdown
    assert "| Stream processing with Kafka | Q1 |" in markdown
    assert "| Terraform | not covered |" in markdown
    assert b'"evidence_found": false' in export(kit, "json")


def test_the_grammar_names_its_parts() -> None:
    starts = ["How did you", "Why did you", "What made you", "Walk me through", "Which"]
    grammar = question_grammar(korean=False, starts=starts_for(2, starts),
                               verbs=["Explains"], terms=["Kafka", 'say "hi"'])
    assert 'qstart ::= "Walk me through" | "Which" | "How did you"' in grammar, "rotated"
    assert 'term ::= "Kafka" | "say \\"hi\\""' in grammar, "literals are escaped"
    assert "point point point?" in grammar, "2 or 3 Listen for points"
    korean = question_grammar(korean=True)
    assert "qstart" not in korean and "[\uac00-\ud7a3]" in korean
    assert starts_for(1, []) == [] and len(set(starts_for(1, ["a", "b", "c", "d"]))) == 3
