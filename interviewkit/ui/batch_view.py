"""The Batch page's pieces: the role, the uploads, and a live view of a running batch.

The batch itself runs on its own threads (:mod:`interviewkit.batch`) and this
session only keeps a reference (:class:`BatchState`), so a rerun, another page
or a closed tab stops nothing.  The progress bar and the per-candidate table
are a fragment that re-runs itself every :data:`REFRESH_S` seconds while the
batch runs - the rest of the page is not re-run - and stops ticking once the
batch has ended (one full rerun then shows the final buttons).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from interviewkit.access.policy import can_create
from interviewkit.access.scope import Scope
from interviewkit.batch import BATCHES, Batch, ItemStatus, Request, ScopeLink, expand
from interviewkit.batch.results import kit_ids, results_zip
from interviewkit.config import Settings
from interviewkit.errors import KitError
from interviewkit.history.audit import Action
from interviewkit.kit.model import Kit
from interviewkit.providers.base import Provider
from interviewkit.roles.store import JobRole, RoleBook
from interviewkit.safety.markdown import inert
from interviewkit.ui.roles_view import frozen_toggle
from interviewkit.ui.widgets import audited

REFRESH_S = 1.0
NO_ROLE = 0
STATE_KEY = "ik_batch"
LABELS = {ItemStatus.QUEUED: ":gray-badge[:material/schedule: queued]",
          ItemStatus.RUNNING: ":blue-badge[:material/progress_activity: running]",
          ItemStatus.DONE: ":green-badge[:material/check_circle: done]",
          ItemStatus.FAILED: ":red-badge[:material/error: failed]",
          ItemStatus.SKIPPED: ":violet-badge[:material/skip_next: skipped]",
          ItemStatus.STOPPED: ":orange-badge[:material/stop_circle: stopped]"}


@dataclass
class BatchState:
    """This session's batch (the page re-attaches to it on every rerun)."""

    batch: Batch | None = None


def batch_state() -> BatchState:
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, BatchState):
        state = st.session_state[STATE_KEY] = BatchState()
    return state


def busy() -> bool:
    """This session's batch is still running (Start waits for it)."""
    batch = batch_state().batch
    return batch is not None and batch.running


def creators_only(scope: Scope) -> None:
    """Making kits is for recruiters and admins; interviewers score the ones shared."""
    if not can_create(scope.user):
        st.info("Interviewers open the kits shared with them in **Interview mode**; batches "
                "are for recruiters and admins.", icon=":material/lock:")
        st.stop()


# --- what the batch is for -------------------------------------------------------

def role_picker(scope: Scope) -> JobRole | None:
    """The role the kits are filed under (optional)."""
    roles = {role.id: role for role in RoleBook(scope).all()}
    if not roles:
        st.caption("No roles yet: the kits are filed under no role (add roles on the "
                   "Roles page).")
        return None
    choice = st.selectbox("Role (optional)", [NO_ROLE, *roles], key="batch_role",
                          format_func=lambda i: roles[i].title if i in roles else "(no role)",
                          help="Every kit of the batch is filed under this role, with its "
                               "job description.")
    return roles.get(choice)


def job_input(role: JobRole | None) -> str:
    """The role's job description, or one typed here (optional)."""
    if role is not None:
        with st.expander(f"Job description of {inert(role.title)}"):
            st.text(role.job_description or "(this role has no job description)")
        return role.job_description
    text: str = st.text_area("Job description (optional)", key="batch_job", height=100,
                             placeholder="Paste the job ad to tailor every kit to the role")
    return text


def frozen_choice(scope: Scope, role: JobRole | None) -> Kit | None:
    """When the role has a frozen kit: ask its questions of every CV (on by default)."""
    if role is None:
        return None
    return frozen_toggle(scope, role.id, key="batch_frozen",
                         each="each CV (the prompt below is not used)")


def uploader(settings: Settings) -> list[UploadedFile]:
    limit_mb = max(1, settings.limits.max_bytes // 2**20)
    files = st.file_uploader(f"CVs: PDF, .txt or .md files, or one ZIP of them (up to "
                             f"{limit_mb} MB each)", type=["pdf", "txt", "md", "zip"],
                             accept_multiple_files=True, key="batch_files",
                             max_upload_size=limit_mb)
    return list(files or [])


def start(files: list[UploadedFile], request: Request, provider: Provider, scope: Scope,
          settings: Settings) -> None:
    """Start Start's batch; a batch that cannot start is one message."""
    try:
        uploads = expand([(f.name, f.getvalue()) for f in files], settings.limits)
        if provider.offline:
            with st.spinner("Loading the offline model…"):
                provider.prepare()
        batch = Batch(uploads, request, provider, ScopeLink(scope, request.role_id),
                      concurrency=settings.batch_concurrency)
        batch_state().batch = BATCHES.start(batch)
    except KitError as exc:
        st.error(str(exc), icon=":material/error:")


# --- the live view ---------------------------------------------------------------

def live(scope: Scope) -> None:
    """Progress, the per-candidate table and the actions, refreshed while it runs."""
    batch = batch_state().batch
    if batch is None:
        return
    ticking = batch.running

    @st.fragment(run_every=REFRESH_S if ticking else None)
    def view() -> None:
        current = batch_state().batch
        if current is None:
            return
        _progress(current)
        _table(current)
        _actions(current, scope)
        if ticking and not current.running:
            st.rerun()  # the whole page once, so this fragment stops ticking

    view()


def _progress(batch: Batch) -> None:
    counts = batch.counts()
    total = len(batch.uploads)
    ended = sum(n for status, n in counts.items() if status.ended)
    parts = ", ".join(f"{counts[s]} {s.value}" for s in ItemStatus if counts[s])
    tail = " · stopping…" if batch.stopping else f" · {batch.elapsed_s:.0f} s"
    st.progress(batch.progress(), text=f"{ended} of {total} CV(s) ended — {parts}{tail}")
    if batch.offline and batch.running:
        others = batch.provider.queue_length()
        st.info(f"Offline model: one at a time, {counts[ItemStatus.QUEUED]} queued."
                + (f" The model is serving {others} generation(s) on this server right now."
                   if others > 1 else ""), icon=":material/hourglass_top:")
    elif batch.running:
        st.caption(f"{batch.workers} CV(s) at a time on {batch.provider.label}.")


def _table(batch: Batch) -> None:
    st.table([{"row": row.index + 1, "file": inert(row.file),
               "candidate": inert(row.candidate) or "—", "status": LABELS[row.status],
               "message": inert(row.message),
               "kit": f"#{row.kit_id}" if row.kit_id is not None else "—",
               "questions": str(row.questions) if row.questions else "",
               "elapsed": "" if row.elapsed_s is None else f"{row.elapsed_s:.1f} s"}
              for row in batch.rows()], hide_index=True)


def _again(batch: Batch) -> None:
    try:
        batch_state().batch = BATCHES.start(batch.again())
    except KitError as exc:
        st.error(str(exc), icon=":material/error:")


def _exported(scope: Scope, batch: Batch) -> None:
    ids = kit_ids(batch)
    scope.audit(Action.EXPORT, "batch", batch.id,
                detail=f"zip of {len(ids)} kit(s): " + ", ".join(f"#{i}" for i in ids))


def _actions(batch: Batch, scope: Scope) -> None:
    stop, again, download = st.columns(3)
    with stop:
        st.button("Stop", key="batch_stop", on_click=batch.stop, icon=":material/stop_circle:",
                  disabled=not batch.running or batch.stopping,
                  help="Running CVs end now (partial kits kept), queued ones do not start; "
                       "finished kits are kept.")
    with again:
        if st.button("Run again", key="batch_again", disabled=batch.running,
                     icon=":material/replay:",
                     help="The same CVs again: done ones are skipped, the rest run."):
            _again(batch)
            st.rerun()
    with download:
        st.download_button("Download all (ZIP)",
                           audited(functools.partial(results_zip, batch),
                                   functools.partial(_exported, scope, batch)),
                           file_name=f"interview-kits-{datetime.now(UTC):%Y%m%d-%H%M}.zip",
                           mime="application/zip", key="batch_download", on_click="ignore",
                           disabled=batch.running, icon=":material/download:",
                           help="One DOCX and one Markdown file per candidate, and "
                                "summary.csv with every row.")
