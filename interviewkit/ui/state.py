"""Typed session state: what a session keeps between reruns, under one key per page.

Widget values stay under their widget keys (Streamlit owns those); everything
else a page remembers - the generation job it follows, the CV it was made
from, the History page's re-run hand-off - is a typed object here, so no
module outside ``ui`` knows a widget key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from interviewkit.errors import HistoryError
from interviewkit.ingest.cv import CVText
from interviewkit.kit.jobs import Job
from interviewkit.kit.model import Kit
from interviewkit.ui.widgets import PASTE

if TYPE_CHECKING:
    from interviewkit.ingest.structure import CVStructure
    from interviewkit.kit.plan import Plan

T = TypeVar("T")


class GenerateKeys:
    """The Generate page's widget keys that the re-run hand-off fills in."""

    CV_MODE = "cv_mode"
    CV_PASTE = "cv_paste"
    JOB = "job"
    PROMPT = "prompt_key"


@dataclass
class GenerateState:
    """The Generate page's memory: the job it follows and what the kit was made from."""

    job: Job | None = None
    cv: CVText | None = None
    job_description: str = ""
    retry_requested: bool = False
    regenerate: int | None = None  # a planned question to write again (0-based)
    plan: Plan | None = None  # the planned mode's anchors, with the recruiter's edits
    plan_key: str = ""  # what the plan was made from (CV, job, prompt settings)
    structure: CVStructure | None = None
    role_id: int | None = None  # the role the kit is filed under


@dataclass(frozen=True)
class RerunRequest:
    """A saved kit's inputs, handed from History to the Generate page to generate again.

    ``prompt_key``/``model`` are what the user picked for the re-run (``model``
    None: the configured default); ``inputs`` are the saved kit's input values,
    meaningful when the prompt is the same one.
    """

    kit_id: int
    cv_text: str
    cv_name: str
    cv_sha256: str
    job_description: str
    prompt_key: str
    inputs: dict[str, object]
    model: str | None

    @classmethod
    def from_kit(cls, kit: Kit, prompt_key: str, model: str | None = None) -> RerunRequest:
        if kit.id is None:
            raise HistoryError("Only a saved kit can be re-run.", code="not_saved")
        return cls(kit_id=kit.id, cv_text=kit.cv_text, cv_name=kit.cv_name,
                   cv_sha256=kit.cv_sha256, job_description=kit.job_description,
                   prompt_key=prompt_key, inputs=dict(kit.inputs),
                   model=(model or "").strip() or None)

    def widget_values(self) -> dict[str, object]:
        """Generate-page widget values that put this CV, job and prompt in place."""
        return {GenerateKeys.CV_MODE: PASTE, GenerateKeys.CV_PASTE: self.cv_text,
                GenerateKeys.JOB: self.job_description, GenerateKeys.PROMPT: self.prompt_key}


_GENERATE = "ik_generate"
RERUN_KEY = "ik_rerun"  # a RerunRequest waiting to be taken by the Generate page
RERUN_ACTIVE_KEY = "ik_rerun_active"  # the request being shown until Generate is pressed


def _get(key: str, kind: type[T]) -> T:
    value = st.session_state.get(key)
    if not isinstance(value, kind):
        value = kind()
        st.session_state[key] = value
    return value


def generate_state() -> GenerateState:
    """This session's Generate state (created on first use)."""
    return _get(_GENERATE, GenerateState)


def hand_off_rerun(request: RerunRequest) -> None:
    """Fill the Generate page's widgets from a saved kit and leave the request for it."""
    st.session_state[RERUN_KEY] = request
    for key, value in request.widget_values().items():
        st.session_state[key] = value


def active_rerun() -> RerunRequest | None:
    """The re-run being prepared on the Generate page, if any (taken from History once)."""
    request = st.session_state.pop(RERUN_KEY, None)
    if isinstance(request, RerunRequest):
        st.session_state[RERUN_ACTIVE_KEY] = request
    active = st.session_state.get(RERUN_ACTIVE_KEY)
    return active if isinstance(active, RerunRequest) else None


def rerun_used() -> None:
    """Generate was pressed: the hand-off is used up."""
    st.session_state.pop(RERUN_ACTIVE_KEY, None)
