"""Generate page: a CV and an interview prompt in, a streamed interview kit out.

Layout only.  What the model sees is decided by ``interviewkit.kit.pipeline``;
the kit streams as a job that this session owns (``interviewkit.kit.jobs``), so
a widget touched mid-stream reruns this script without stopping the kit, and
the view below re-attaches to it (``interviewkit.ui.panes``).
"""

from __future__ import annotations

import streamlit as st

from interviewkit.access.scope import Scope
from interviewkit.compliance import RuleSet
from interviewkit.config import Settings
from interviewkit.errors import KitError
from interviewkit.kit.jobs import JOBS, Job
from interviewkit.kit.model import Status
from interviewkit.kit.pipeline import PreparedCV, new_planned_run, new_run
from interviewkit.kit.plan import Plan
from interviewkit.kit.run import KitRun
from interviewkit.promptfiles.schema import PromptSpec
from interviewkit.providers.base import Provider
from interviewkit.ui import panes, plan_view, resources, roles_view, state, widgets

OFFLINE_HINT = ("The offline model reads the CV and the prompt first (about 100 tokens/s on two "
                "cores, so 10–30 s for a typical CV), then writes about 20 tokens/s.")


def _rerun_note() -> str | None:
    """The History page's re-run hand-off: its CV, job and prompt are already filled in."""
    request = state.active_rerun()
    if request is None:
        return None
    st.info(f"Re-running kit #{request.kit_id} with {request.model or 'the configured model'}: "
            "press Generate.", icon=":material/history:")
    return request.model


def _start(run: KitRun, provider: Provider, page: state.GenerateState,
           store: Scope | None) -> None:
    """Start the kit as a job; it saves itself to History (as this user's) when it ends."""
    cv, job_text, role_id = page.cv, page.job_description, page.role_id
    if (waiting := provider.queue_length()):
        st.info(f"The offline model is busy with {waiting} other generation(s) on this "
                "server; yours starts as soon as they finish.", icon=":material/hourglass_top:")
    try:
        with st.spinner("Loading the model…"):
            provider.prepare()
        page.job = JOBS.start(run, provider, on_end=lambda job: None if store is None or cv is None
                              else store.save_run(job.run, cv, job_text, role_id=role_id))
    except KitError as exc:
        st.error(str(exc), icon=":material/error:")


def _generate(settings: Settings, prompt: PromptSpec, values: dict[str, object],
              prepared: PreparedCV, job_text: str, model: str | None, plan: Plan | None,
              offline: bool, role_id: int | None,
              frozen: roles_view.FrozenBuilder | None) -> KitRun | None:
    if not st.button("Generate interview kit", type="primary", key="generate"):
        return None
    try:
        run = (frozen(prepared, offline=offline, model=model or settings.model) if frozen else
               new_planned_run(prompt, plan, cv_name=prepared.cv.filename, offline=offline,
                               raw_values=values, model=model or settings.model) if plan else
               new_run(prompt, cv_text=prepared.text, cv_name=prepared.cv.filename,
                       job_description=job_text, raw_values=values, model=model or settings.model))
    except KitError as exc:
        st.error(str(exc))
        return None
    page = state.generate_state()
    page.cv, page.job_description, page.role_id = prepared.cv, job_text, role_id
    state.rerun_used()
    return run


def _retry() -> None:
    state.generate_state().retry_requested = True


def _regenerate(index: int) -> None:
    state.generate_state().regenerate = index


def _kit(provider: Provider, rules: RuleSet | None, store: Scope | None,
         start: KitRun | None) -> None:
    page = state.generate_state()
    if page.retry_requested and page.job is not None:
        page.retry_requested, start = False, page.job.run.again()
    if page.regenerate is not None and page.job is not None:
        index, page.regenerate = page.regenerate, None
        try:
            start = page.job.run.regenerate(index)
        except KitError as exc:
            st.error(str(exc))
    if start is not None:
        _start(start, provider, page, store)
    job: Job | None = page.job
    if job is None:
        return
    panes.show_job(job, rules, cv_text=page.cv.text if page.cv else None,
                   waiting_hint=OFFLINE_HINT if provider.offline else "",
                   regenerate=_regenerate if job.run.steps else None)
    panes.outcome(job.run)
    if job.run.status in {Status.FAILED, Status.STOPPED}:
        st.button("Retry", key="retry", on_click=_retry, icon=":material/refresh:")
    if page.cv is not None and job.run.text.strip():
        kit = job.run.to_kit(page.cv, page.job_description)
        plan_view.coverage(kit.questions, page.plan if job.run.steps else None)
        kit.id = job.result if isinstance(job.result, int) else None
        widgets.download_row(kit, key="download", on_export=None if store is None else
                             lambda fmt: store.exported(kit, fmt))
    panes.saved_note(job)


def main() -> None:
    settings = resources.settings_or_stop()
    scope = resources.scope_or_none(settings)
    widgets.creators_only(resources.current_user())
    provider = resources.provider_or_stop(settings)
    st.title("Interview Kit")
    st.caption("Upload a CV, choose an interview prompt, and watch a tailored interview kit "
               "stream in: numbered questions, what to listen for, and a follow-up.")
    widgets.provider_banner(provider)
    model = _rerun_note()
    cv_col, prompt_col = st.columns([3, 2], gap="large")
    with prompt_col:
        frozen = roles_view.frozen_offer(scope, role_id := widgets.role_picker(scope))
        prompt, values = widgets.prompt_picker()
        planned = plan_view.mode_picker(prompt)
        rules = widgets.guard_picker()
    with cv_col:
        cv = widgets.cv_input(settings)
        job_text = st.text_area("Job description (optional)", key="job", height=120,
                                placeholder="Paste the job ad to tailor the questions to the role")
    start = None
    if cv is None:
        st.info("Upload a CV (PDF, .txt or .md) or paste its text to begin.",
                icon=":material/upload_file:")
    else:
        widgets.show_cv(cv)
        prepared = widgets.what_the_model_sees(cv, provider)
        plan = (plan_view.plan_box(state.generate_state(), prepared, job_text, prompt, values)
                if planned else None)
        start = _generate(settings, prompt, values, prepared, job_text, model, plan,
                          provider.offline, role_id, frozen)
    _kit(provider, rules, scope, start)


main()
