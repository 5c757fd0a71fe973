"""The kit on the page: a view that re-attaches to its job on every rerun.

The job (:mod:`interviewkit.kit.jobs`) streams on its own thread whatever the
page does.  On each script run the view paints the questions that have
already settled, then streams the rest with ``st.write_stream``, one element
per question, so a rerun caused by any widget only re-draws - it never stops
the kit.  While nothing arrives (the model reading the CV, a queue) the view
wakes twice a second to update its status line; that also lets Streamlit
interrupt the script promptly for the next rerun.  A settled question's rating
guide is drawn apart, as a small 1/3/5 table in a collapsed expander.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from interviewkit.compliance import RuleSet
from interviewkit.export.common import NOT_FOUND, RATING_TITLE
from interviewkit.kit.evidence import check
from interviewkit.kit.grammar import LEVELS
from interviewkit.kit.jobs import Job
from interviewkit.kit.model import Status
from interviewkit.kit.run import KitRun
from interviewkit.kit.sections import (
    paragraphs,
    parse_kit,
    parse_questions,
    sections,
    split_sections,
)
from interviewkit.safety.markdown import inert
from interviewkit.ui.widgets import findings

HEARTBEAT_S = 0.5


def _checks(part: str, rules: RuleSet | None, cv_text: str | None) -> None:
    """What a finished question gets: a warning when its evidence is not in the CV (a guard
    against invented facts, whatever model wrote it), then the fair-hiring badges."""
    for question in parse_kit(part):
        if cv_text is not None and check(question.evidence, cv_text) is False:
            st.warning(f"**Based on** text {NOT_FOUND}: check this question before asking it.",
                       icon=":material/report:")
    findings(part, rules)


def rating_guide(rating: list[str], label: str = RATING_TITLE) -> None:
    """A question's guide, compact: what a 1, a 3 and a 5 answer sound like, as a table in a
    collapsed expander (nothing for a question without one)."""
    if not rating:
        return
    cells = [inert(text).replace("|", "\\|") for text in rating]
    rows = "\n".join(f"| **{n}** | {cell} |" for n, cell in zip(LEVELS, cells, strict=True))
    with st.expander(label, icon=":material/star_half:"):
        st.markdown(f"| score | what the answer sounds like |\n|:-:|---|\n{rows}")


def _section(part: str, rules: RuleSet | None, cv_text: str | None) -> None:
    """A settled question: its text (without the guide's lines), then its guide and checks."""
    located = parse_questions(part)
    drop = {n for item in located if item.question.rating for n in item.rating_lines}
    text = "\n".join(line for n, line in enumerate(part.split("\n"), 1) if n not in drop)
    st.markdown(inert("".join(paragraphs([text]))))
    for item in located:  # one section may hold several questions (a whole kit's odd format)
        q = item.question
        label = RATING_TITLE if len(located) == 1 else f"{RATING_TITLE} — Q{q.number}"
        rating_guide(q.rating, label)
    _checks(part, rules, cv_text)


def _beats(stream: Iterator[str], job: Job, status: DeltaGenerator) -> Iterator[str]:
    """Drop the heartbeats (``""``), refreshing the status line on each."""
    for chunk in stream:
        if chunk:
            yield chunk
            continue
        rec = job.run.recorder
        waited = rec.elapsed_s or 0.0
        status.caption(f"Waiting for the first words… {waited:.0f} s" if not rec.text
                       else f"Generating… {waited:.0f} s")


def _keep(chunks: Iterator[str], into: list[str], hint: DeltaGenerator) -> Iterator[str]:
    """Pass chunks on, keeping a copy; the first one clears the waiting hint."""
    for chunk in chunks:
        if not into:
            hint.empty()
        into.append(chunk)
        yield chunk


def show_job(job: Job, rules: RuleSet | None, *, cv_text: str | None = None,
             waiting_hint: str = "", stop_key: str = "stop",
             regenerate: Callable[[int], None] | None = None) -> None:
    """Everything that has arrived, then (while the job runs) the rest as it streams.

    With ``regenerate``, a finished planned kit offers to write each question again.
    """
    parts = sections(job.run.text)
    live = not job.ended
    settled = parts[:-1] if live and parts else parts
    if job.run.partial and not live:
        st.caption("Partial kit")
    for index, part in enumerate(settled):
        _section(part, rules, cv_text)
        if regenerate is not None and not live and job.run.status == Status.DONE:
            st.button("Write this question again", key=f"regen_{index}", on_click=regenerate,
                      args=(index,), icon=":material/autorenew:", type="tertiary")
    if not live:
        return
    stop_slot = st.empty()
    stop_slot.button("Stop", key=stop_key, icon=":material/stop_circle:", on_click=job.stop,
                     help="Stop generating; the text so far is kept")
    hint = st.empty()
    if not job.run.text:
        hint.caption(f"Waiting for the first words… {waiting_hint}".strip())
    stream = job.follow(sum(len(p) for p in settled), heartbeat=HEARTBEAT_S)
    try:
        for section in split_sections(_beats(stream, job, hint)):
            raw: list[str] = []
            st.write_stream(inert(chunk) for chunk in paragraphs(_keep(section, raw, hint)))
            _checks("".join(raw), rules, cv_text)  # as soon as each question has finished
    finally:
        stream.close()
        hint.empty()
    # Hand the GIL to Streamlit's event loop so the last words are sent before the page
    # saves and exports the kit (bench: 150-175 ms lag spikes without this pause).
    time.sleep(0.02)
    stop_slot.empty()
    if not job.finished:
        job.wait(2.0)  # a Stop: let the worker close the stream and save what arrived
    if regenerate is not None and job.finished and job.run.status == Status.DONE:
        st.rerun()  # draw the finished kit settled, with a "write again" under each question


def outcome(run: KitRun) -> None:
    """How the run ended, its figures, and the message to act on."""
    if run.status == Status.FAILED:
        kept = " The partial kit above is kept." if run.text else ""
        st.error(f"{run.error}{kept}", icon=":material/error:")
    elif run.status == Status.STOPPED:
        st.warning("Stopped before the end. The partial kit above is kept.",
                   icon=":material/stop_circle:")
    st.caption(" · ".join(f"{k}: **{v}**" for k, v in run.stats().items()))


def saved_note(job: Job) -> None:
    """Where the finished kit went (History), or why it did not."""
    if job.result_error is not None:
        st.warning(f"This kit was not saved to History: {job.result_error}",
                   icon=":material/warning:")
    elif isinstance(job.result, int):
        st.caption(f"Saved to History as kit #{job.result}.")
