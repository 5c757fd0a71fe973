"""The Prompt Lab's comparing half on the page: A and B streaming side by side.

Each side is a job (:mod:`interviewkit.kit.jobs`); the comparison lives in
session state, and every rerun re-attaches to it: while a side still runs,
the panes are repainted a few times a second until both have ended, so
touching a widget mid-run never stops them.  Only Stop does.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from interviewkit.config import DEFAULT_OPENAI_MODEL, Settings
from interviewkit.errors import KitError, PromptError
from interviewkit.ingest.cv import CVText
from interviewkit.kit.model import STATUS_TEXT, Status
from interviewkit.kit.sections import sections
from interviewkit.lab.compare import OFFLINE, Comparison, Side, SideConfig, build_side, endpoints
from interviewkit.promptfiles import library
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.promptfiles.schema import PromptSpec
from interviewkit.safety.markdown import inert

ss = st.session_state
EDITOR = "__editor__"
Form = tuple[str, str, str, float, bool]  # prompt source, endpoint, model, temperature, planned
MODES = {"whole": "Whole kit (one request)", "planned": "Planned (one question per passage)"}
REPAINT_S = 0.15


def _side_form(name: str, labels: dict[str, str], eps: dict[str, str],
               default: str, settings: Settings) -> Form:
    with st.container(border=True):
        st.markdown(f"**{name}**")
        source = st.selectbox("Prompt", list(labels), index=list(labels).index(default),
                              format_func=lambda k: labels.get(k, k), key=f"lab_{name}_source")
        endpoint = st.selectbox("Provider", list(eps), format_func=lambda k: eps.get(k, k),
                                key=f"lab_{name}_endpoint")
        model = st.text_input("Model", value=settings.model or "", key=f"lab_{name}_model",
                              disabled=endpoint == OFFLINE,
                              placeholder=f"the prompt's model, else {DEFAULT_OPENAI_MODEL}")
        temperature = st.slider("Temperature", 0.0, 2.0, value=0.4, step=0.1,
                                key=f"lab_{name}_temperature",
                                help="Used instead of the prompt file's temperature.")
        mode = st.selectbox("Mode", list(MODES), format_func=MODES.__getitem__,
                            key=f"lab_{name}_mode",
                            help="Planned needs a prompt with a question: template.")
    return source, endpoint, model, temperature, mode == "planned"


def _spec(source: str, editor: PromptSpec | PromptError) -> PromptSpec:
    if source != EDITOR:
        return load_prompt(source)
    if isinstance(editor, PromptError):
        raise editor
    return editor


def _offline_note(chosen: dict[str, Form]) -> None:
    offline = [name for name, form in chosen.items() if form[1] == OFFLINE]
    if len(offline) == 2:
        st.info("Both sides use the offline model, which runs one generation at a time: B "
                "starts when A has finished, so compare the kits, not the times.",
                icon=":material/hourglass_top:")
    elif offline:
        st.caption(f"The offline model runs one generation at a time: if the Generate page is "
                   f"using it, {offline[0]} waits its turn.")


class _Pane:
    """One result column: a header, a live status line, the kit painted per question."""

    def __init__(self, side: Side) -> None:
        model = side.run.params.model or side.provider.model
        st.markdown(f"**{side.name}** · {inert(side.run.prompt_name)} · {inert(model)}")
        if side.prepared is not None and side.prepared.hidden_dropped:
            st.caption("Hidden text in the CV was left out of what this side sent.")
        self.side, self.status, self.body = side, st.empty(), st.container()
        self.slots: list[DeltaGenerator] = []
        self.shown: list[str] = []

    def paint(self) -> None:
        for i, part in enumerate(sections(self.side.run.text)):
            if i == len(self.slots):
                with self.body:
                    self.slots.append(st.empty())
                self.shown.append("")
            if self.shown[i] != part:
                self.slots[i].markdown(inert(part))
                self.shown[i] = part
        rec = self.side.run.recorder
        self.status.caption(f"{STATUS_TEXT[self.side.run.status]} {rec.elapsed_s or 0:.1f} s · "
                            f"~{rec.approx_tokens} tokens")

    def finish(self) -> None:
        self.paint()
        run = self.side.run
        figures = " · ".join(f"{k}: **{inert(v)}**" for k, v in self.side.figures().items())
        self.status.caption(figures)
        if run.status == Status.FAILED:
            st.error(f"{inert(run.error or '')} The text so far is kept." if run.text
                     else inert(run.error or ""), icon=":material/error:")
        elif run.status == Status.STOPPED:
            st.warning("Stopped before the end; the text so far is kept.",
                       icon=":material/stop_circle:")


def _watch(comparison: Comparison, panes: list[_Pane]) -> None:
    """Repaint both columns until every side has ended (a rerun re-attaches here)."""
    stop_slot = st.empty()
    stop_slot.button("Stop", key="lab_stop", icon=":material/stop_circle:",
                     on_click=comparison.stop, help="Stop both sides; the text so far is kept")
    while not comparison.ended:
        for pane in panes:
            pane.paint()
        time.sleep(REPAINT_S)
    for job in comparison.jobs.values():
        job.wait(2.0)  # a Stop: let the workers close their streams
    stop_slot.empty()


def show(comparison: Comparison) -> None:
    columns = st.columns(len(comparison.sides), gap="large")
    panes: list[_Pane] = []
    for column, side in zip(columns, comparison.sides, strict=True):
        with column:
            panes.append(_Pane(side))
    if not comparison.ended:
        _watch(comparison, panes)
    for column, pane in zip(columns, panes, strict=True):
        with column:
            pane.finish()
    if comparison.wall_s is not None:
        each = ", ".join(f"{side.name} {side.run.recorder.elapsed_s or 0:.1f} s"
                         for side in comparison.sides)
        st.caption(f"Both finished after **{comparison.wall_s:.1f} s** ({each}).")


def _start(settings: Settings, chosen: dict[str, Form], editor: PromptSpec | PromptError,
           cv: CVText, job: str, values: dict[str, object]) -> Comparison | None:
    try:
        sides = [build_side(SideConfig(name, _spec(source, editor), endpoint,
                                       model.strip() or None, temperature, planned),
                            settings, cv=cv, job_description=job, values=values)
                 for name, (source, endpoint, model, temperature, planned) in chosen.items()]
    except KitError as exc:
        st.error(inert(str(exc)), icon=":material/error:")
        return None
    comparison = Comparison(sides)
    comparison.start()
    return comparison


def compare(settings: Settings, files: list[library.Source], editor: PromptSpec | PromptError,
            base: Path | None, cv: CVText | None, job: str, values: dict[str, object]) -> None:
    st.header("Compare A and B")
    st.caption("Two prompts, two versions of one prompt, or one prompt on two models or "
               "settings: both run on the CV above at the same time, each in its own column.")
    labels = {EDITOR: "The text in the editor"} | {str(s.path): s.label for s in files}
    eps = endpoints(settings)
    chosen: dict[str, Form] = {}
    defaults = [("A", EDITOR), ("B", str(base) if base else EDITOR)]
    for column, (name, default) in zip(st.columns(2), defaults, strict=True):
        with column:
            chosen[name] = _side_form(name, labels, eps, default if default in labels else EDITOR,
                                      settings)
    _offline_note(chosen)
    if cv is None:
        st.info("Upload or paste a CV above to compare.", icon=":material/upload_file:")
    clicked = st.button("Run A and B", type="primary", key="lab_run", disabled=cv is None,
                        icon=":material/compare:")
    if clicked and cv is not None:
        ss["lab_comparison"] = _start(settings, chosen, editor, cv, job, values)
    comparison = ss.get("lab_comparison")
    if isinstance(comparison, Comparison):
        show(comparison)
