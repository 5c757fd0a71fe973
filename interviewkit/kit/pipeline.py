"""One pipeline for every front-end: what the model sees, and the run that asks it.

Generate, the Prompt Lab and every CLI command call :func:`prepare_cv` and
:func:`new_run`, so the policy is written once: hidden text (white, tiny,
off-page…) is left out by default, personal data is redacted by default for
remote models, and the suspicious passages are reported to whoever asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO, cast

from interviewkit.errors import KitError
from interviewkit.ingest.cv import CVText
from interviewkit.ingest.injection import Suspicion, without_hidden
from interviewkit.kit.grammar import (
    ENGLISH_STARTS,
    ENGLISH_VERBS,
    is_korean,
    question_grammar,
    starts_for,
)
from interviewkit.kit.plan import Anchor, Plan, anchor_terms
from interviewkit.kit.run import KitRun
from interviewkit.kit.steps import Step
from interviewkit.promptfiles.render import render_messages, render_question, resolve_inputs
from interviewkit.promptfiles.schema import PromptSpec
from interviewkit.providers.base import GenParams, Message, Provider
from interviewkit.safety.pii import Redaction, redact_pii

if TYPE_CHECKING:
    from interviewkit.ingest.structure import CVStructure


@dataclass(frozen=True)
class PreparedCV:
    """The CV text the model will see, and how and why it differs from the extracted text."""

    cv: CVText
    text: str
    hidden_dropped: bool
    redaction: Redaction | None

    @property
    def hidden(self) -> tuple[Suspicion, ...]:
        """Passages a human reader would not see (white, tiny, invisible, off-page)."""
        return tuple(item for item in self.cv.suspicious if item.kind != "instruction")

    @property
    def instructions(self) -> tuple[Suspicion, ...]:
        """Passages addressed to an AI ("ignore previous instructions…")."""
        return tuple(item for item in self.cv.suspicious if item.kind == "instruction")

    def warnings(self) -> list[str]:
        """One line per suspicious passage, then what was done about hidden text."""
        lines = [f"hidden text ({item.label}): {item.text}" for item in self.hidden]
        lines += [f"text addressed to an AI: {item.text}" for item in self.instructions]
        if self.hidden:
            lines.append(f"{len(self.hidden)} hidden passage(s) left out of what the model sees"
                         if self.hidden_dropped else
                         f"{len(self.hidden)} hidden passage(s) kept in what the model sees")
        return lines


def redacts_by_default(provider: Provider) -> bool:
    """Personal data stays on this machine unless the user says otherwise."""
    return not provider.offline


def prepare_cv(cv: CVText, provider: Provider, *, drop_hidden: bool = True,
               redact: bool | None = None) -> PreparedCV:
    """Decide what the model sees of ``cv``: hidden text out, PII out for remote models."""
    dropping = drop_hidden and any(item.kind != "instruction" for item in cv.suspicious)
    text = without_hidden(cv.text, cv.suspicious) if dropping else cv.text
    redaction = None
    if redacts_by_default(provider) if redact is None else redact:
        redaction = redact_pii(text)
        text = redaction.text
    return PreparedCV(cv, text, dropping, redaction)


def new_run(prompt: PromptSpec, *, cv_text: str, cv_name: str, job_description: str = "",
            raw_values: Mapping[str, object] | None = None, model: str | None = None) -> KitRun:
    """Validate inputs and render the prompt into a ready-to-stream run."""
    values = resolve_inputs(prompt, raw_values or {})
    messages = render_messages(prompt, cv=cv_text, job_description=job_description,
                               values=values)
    params = GenParams(temperature=prompt.temperature, max_tokens=prompt.max_tokens,
                       model=model or prompt.model)
    return KitRun(prompt_name=prompt.name, prompt_key=prompt.key, values=values,
                  cv_name=cv_name, messages=cast(list[Message], messages), params=params)




def drain(stream: Iterator[str], sink: TextIO) -> None:
    """Write a stream to ``sink`` as it arrives (the CLI's ``st.write_stream``)."""
    for chunk in stream:
        sink.write(chunk)
        sink.flush()


def new_planned_run(prompt: PromptSpec, plan: Plan, *, cv_name: str, offline: bool,
                    raw_values: Mapping[str, object] | None = None, model: str | None = None,
                    concurrency: int = 3) -> KitRun:
    """One short request per active anchor; the offline model's answers follow a grammar."""
    if prompt.question is None:
        raise KitError(f'"{prompt.name}" has no question: template, so it cannot plan a kit '
                       "question by question; choose the whole-kit mode.", code="not_planned")
    anchors = plan.active()
    if not anchors:
        raise KitError("The plan has no question left: tick at least one anchor.",
                       code="empty_plan")
    values = resolve_inputs(prompt, raw_values or {})
    steps = [_step(prompt, anchor, number, values, offline, model or prompt.model)
             for number, anchor in enumerate(anchors, 1)]
    return KitRun(prompt_name=prompt.name, prompt_key=prompt.key, values=values,
                  cv_name=cv_name, messages=steps[0].messages, params=steps[0].params,
                  steps=steps, concurrency=1 if offline else max(1, concurrency),
                  requirements=[req.text for req in plan.requirements])


def _step(prompt: PromptSpec, anchor: Anchor, number: int, values: Mapping[str, object],
          offline: bool, model: str | None) -> Step:
    assert prompt.question is not None
    messages = render_question(prompt, anchor=anchor.text, number=number,
                               section=anchor.section, requirement=anchor.requirement or "",
                               values=values)
    language = str(values.get("language", "")) or prompt.system
    english, korean = _english(language), is_korean(language)
    grammar = None
    if offline:  # remote models get the same shape in words (the prompt), not a grammar
        grammar = question_grammar(
            korean=korean, terms=anchor_terms(anchor.text, korean) if not anchor.custom
            else anchor.terms,
            starts=starts_for(number, prompt.question.starts or ENGLISH_STARTS) if english
            else (), verbs=ENGLISH_VERBS if english else ())
    params = GenParams(temperature=prompt.temperature, max_tokens=prompt.question.max_tokens,
                       model=None if offline else model, grammar=grammar)
    tail = "" if anchor.custom else f"\n**Based on:** {anchor.text}"
    tail += f"\n**Covers:** {anchor.requirement}" if anchor.requirement else ""
    return Step(cast(list[Message], messages), params, head=f"### {number}. ",
                tail=tail + "\n\n")


def _english(language: str) -> bool:
    return language.strip().casefold() in {"english", "en"} or not language.strip()


def plan_cv(cv_text: str, job_text: str, count: int, seniority: str = ""
            ) -> tuple[CVStructure, Plan]:
    """The CV's structure and a plan of ``count`` anchors for it (and for the job)."""
    from interviewkit.ingest.job import parse_job
    from interviewkit.ingest.structure import parse_structure
    from interviewkit.kit.plan import candidates, make_plan

    structure = parse_structure(cv_text)
    job = parse_job(job_text) if job_text.strip() else None
    return structure, make_plan(candidates(structure), job, count, seniority)


def plan_size(values: Mapping[str, object]) -> int:
    """How many questions the plan has: the prompt's number of questions, else 5."""
    number = values.get("num_questions", 5)
    return number if isinstance(number, int) and number > 0 else 5


def seniority_of(values: Mapping[str, object]) -> str:
    return str(values.get("seniority") or values.get("career_level") or "")


def build_run(prompt: PromptSpec, prepared: PreparedCV, *, offline: bool,
              job_description: str = "", raw_values: Mapping[str, object] | None = None,
              model: str | None = None, planned: bool | None = None,
              concurrency: int = 3) -> KitRun:
    """A whole-kit or a planned run (planned by default when the prompt can plan), for the
    CLI, the Lab and the benchmarks; the page builds its plan first so it can be edited."""
    if not (prompt.planned if planned is None else planned):
        return new_run(prompt, cv_text=prepared.text, cv_name=prepared.cv.filename,
                       job_description=job_description, raw_values=raw_values, model=model)
    values = resolve_inputs(prompt, raw_values or {})
    _, plan = plan_cv(prepared.text, job_description, plan_size(values), seniority_of(values))
    return new_planned_run(prompt, plan, cv_name=prepared.cv.filename, offline=offline,
                           raw_values=values, model=model, concurrency=concurrency)
