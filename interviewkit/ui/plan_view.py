"""The planned mode on the page: what the kit can ask about, the plan, and coverage.

The plan is made once per CV, job description and prompt settings, and kept in
the session so the recruiter's edits - an anchor unticked, a topic of their own
added - survive reruns.  After the kit, a coverage table shows which job
requirement each question probes, with an "add a question" action for the
ones no question covers.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from interviewkit.ingest.job import Requirement
from interviewkit.kit.model import Question
from interviewkit.kit.pipeline import PreparedCV, plan_cv, plan_size, seniority_of
from interviewkit.kit.plan import Plan, uncovered
from interviewkit.promptfiles.schema import PromptSpec
from interviewkit.safety.markdown import inert
from interviewkit.ui.state import GenerateState

PLANNED, WHOLE = "Planned: one question per CV passage", "Whole kit: one request"


def mode_picker(prompt: PromptSpec) -> bool:
    """True for the planned mode (the default whenever the prompt supports it)."""
    if not prompt.planned:
        st.caption("This prompt writes the whole kit in one request.")
        return False
    choice = st.radio("How to write the kit", [PLANNED, WHOLE], key="kit_mode",
                      help="Planned: the questions are planned from passages of the CV (and "
                           "the job), then written one by one, each with its evidence.")
    return choice == PLANNED


def plan_box(page: GenerateState, prepared: PreparedCV, job_text: str, prompt: PromptSpec,
             values: dict[str, object]) -> Plan:
    """'What this kit can ask about', then the plan to tick, untick and add to."""
    key = hashlib.sha256(repr((prepared.text, job_text, prompt.key, plan_size(values),
                               seniority_of(values))).encode()).hexdigest()[:16]
    if page.plan is None or page.plan_key != key:
        page.structure, page.plan = plan_cv(prepared.text, job_text, plan_size(values),
                                            seniority_of(values))
        page.plan_key = key
    structure, plan = page.structure, page.plan
    if structure is not None:
        with st.expander(f"What this kit can ask about — {len(structure.sections)} section(s), "
                         f"{len(structure.entries())} entries"):
            rows = [f"| {inert(str(r['section']))} | {r['kind']} | {r['entries']} | "
                    f"{inert(str(r['first entry']))} |" for r in structure.summary_rows()]
            st.markdown("\n".join(["| section | kind | entries | first entry |",
                                    "|---|---|---|---|", *rows]))
    st.markdown("**Interview plan** — one question per passage; untick what not to ask about.")
    for index, anchor in enumerate(plan.anchors):
        where = f"*{inert(anchor.where or anchor.section)}* — " if not anchor.custom else \
            "*your topic* — "
        covers = f" (covers: {inert(anchor.requirement)})" if anchor.requirement else ""
        anchor.enabled = st.checkbox(f"{where}{inert(anchor.text[:220])}{covers}",
                                     value=anchor.enabled, key=f"plan_{key}_{index}")
    topic_col, add_col = st.columns([4, 1], vertical_alignment="bottom")
    topic = topic_col.text_input("Add your own topic", key="plan_topic",
                                 placeholder='e.g. "ask about the gap in 2021"')
    if add_col.button("Add", key="plan_add", disabled=not topic.strip()):
        plan.add(topic)
        st.rerun()
    return plan


def coverage(questions: list[Question], plan: Plan | None) -> None:
    """Requirements x questions, and an "add a question" action for the uncovered ones."""
    if plan is None or not plan.requirements:
        return
    st.markdown("**Coverage of the job's requirements**")
    rows = []
    for req in plan.requirements:
        covering = [str(q.number) for q in questions if q.covers and q.covers == req.text]
        rows.append({"requirement": req.text, "level": req.level,
                     "questions": ", ".join(covering) or "not covered"})
    st.dataframe(rows, hide_index=True, key="coverage")
    missing = [req for req in uncovered(plan) if not any(q.covers == req.text for q in questions)]
    for index, req in enumerate(missing[:8]):
        st.button(f"Add a question about: {inert(req.text[:80])}", key=f"cov_add_{index}",
                  on_click=_add, args=(plan, req), icon=":material/add:")


def _add(plan: Plan, req: Requirement) -> None:
    anchor = plan.add(req.text)
    anchor.requirement = req.text
