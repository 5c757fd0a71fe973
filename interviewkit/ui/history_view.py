"""The History page's pieces: filters, the table, one kit shown, and its actions.

Deleting asks for a confirmation first and is final; a re-run hands the kit's
CV, job description and chosen prompt to the Generate page
(:func:`interviewkit.ui.state.hand_off_rerun`).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from interviewkit.access.policy import can_create
from interviewkit.access.scope import Scope
from interviewkit.errors import KitError
from interviewkit.export import meta, question_lines, status_line
from interviewkit.history import KitSummary
from interviewkit.kit.model import Kit, Visibility
from interviewkit.promptfiles.loader import load_prompts
from interviewkit.safety.markdown import inert
from interviewkit.ui import state
from interviewkit.ui.widgets import audited, download_row

ALL = "(all)"


def filters(store: Scope) -> list[KitSummary]:
    text_col, cand_col, prompt_col, from_col, to_col = st.columns([3, 2, 2, 1, 1])
    with text_col:
        text = st.text_input("Search", key="hist_search",
                             placeholder="Words from the kit, the CV, the job or the name")
    with cand_col:
        candidate = st.selectbox("Candidate", [ALL, *store.candidates()], key="hist_candidate")
    prompts = store.prompts()
    with prompt_col:
        prompt = st.selectbox("Interview prompt", [ALL, *prompts], key="hist_prompt",
                              format_func=lambda k: prompts.get(k, k))
    with from_col:
        since: date | None = st.date_input("From", value=None, key="hist_from")
    with to_col:
        until: date | None = st.date_input("To", value=None, key="hist_to")
    return store.search(text, candidate=None if candidate == ALL else candidate,
                        prompt_key=None if prompt == ALL else prompt, since=since, until=until)


def table(found: list[KitSummary], scope: Scope, retention_days: int | None) -> None:
    rows = [{"id": s.id, "created (UTC)": f"{s.created:%Y-%m-%d %H:%M}", "candidate": s.candidate,
             "prompt": s.prompt_name, "model": s.model, "questions": s.question_count,
             "status": "partial" if s.partial else s.status,
             "owner": s.owner or "—", "visibility": s.visibility,
             "deleted on": str(scope.deletes_on(s, retention_days) or "—")} for s in found]
    st.dataframe(rows, hide_index=True, key="hist_table")


def show(kit: Kit, scope: Scope, retention_days: int | None) -> None:
    st.subheader(kit.candidate)
    st.caption(" · ".join(f"{label}: **{inert(value)}**" for label, value in meta(kit)[1:]))
    if (deleted_on := scope.deletes_on(kit, retention_days)) is not None:
        st.caption(f":material/auto_delete: Retention: this kit and its scorecards are deleted "
                   f"automatically on **{deleted_on}** ({retention_days} days after it was made).")
    if status_line(kit):
        st.warning(f"{status_line(kit)}. The text that arrived is kept.",
                   icon=":material/stop_circle:")
    download_row(kit, key="hist_dl", on_export=lambda fmt: scope.exported(kit, fmt))
    if kit.cv_file is not None:  # only there when the user opted in to keeping the file
        cv_file = kit.cv_file
        st.download_button("Original CV file",
                           audited(lambda: cv_file, lambda: scope.exported(kit, "cv file")),
                           file_name=kit.cv_name,
                           mime="application/octet-stream", key="hist_dl_cv", on_click="ignore",
                           icon=":material/description:")
    for q in kit.questions:
        st.markdown(inert("\n".join(question_lines(q))))
    if not kit.questions:
        st.markdown(inert(kit.markdown) or "*(empty)*")
    with st.expander("CV text, job description and the exact prompt"):
        st.text(f"CV ({kit.cv_name}, sha256 {kit.cv_sha256[:12]}…):\n\n{kit.cv_text}")
        st.text(f"Job description:\n\n{kit.job_description or '(none)'}")
        st.text(f"Prompt {kit.prompt_name}, inputs {kit.inputs}:\n\n{kit.prompt_text}")


def _rename(store: Scope, kit: Kit) -> None:
    label = st.text_input("Candidate name", value=kit.candidate, key=f"hist_name_{kit.id}")
    if st.button("Save name", key="hist_rename") and kit.id is not None:
        try:
            store.rename(kit.id, label)
        except KitError as exc:
            st.error(str(exc))
            return
        st.rerun()


def _rerun(scope: Scope, kit: Kit) -> None:
    prompts, _errors = load_prompts()
    by_key = {p.key: p.name for p in prompts}
    keys = list(by_key) or [kit.prompt_key]
    index = keys.index(kit.prompt_key) if kit.prompt_key in keys else 0
    prompt_key = st.selectbox("Prompt for the re-run", keys, index=index, key="hist_rerun_prompt",
                              format_func=lambda k: by_key.get(k, k))
    model = st.text_input("Model (empty: the configured one)", key="hist_rerun_model",
                          placeholder=kit.model)
    if st.button("Re-run", key="hist_rerun", icon=":material/replay:", width="stretch",
                 help="Open the Generate page with this CV, job description and prompt"):
        scope.rerun(kit)
        state.hand_off_rerun(state.RerunRequest.from_kit(kit, prompt_key, model))
        st.switch_page("pages/generate.py")


def _ask(what: str, kit: Kit) -> None:
    st.session_state["hist_confirm"] = (what, kit.id, kit.candidate)


def _delete(store: Scope) -> None:
    """The confirmation step; the delete itself runs only on "Yes, delete"."""
    what, kit_id, candidate = st.session_state["hist_confirm"]
    target = (f"kit #{kit_id}" if what == "kit"
              else f"every kit of {candidate} (and of the same CV file)")
    st.warning(f"Delete {target} for good? This cannot be undone.", icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button("Yes, delete", type="primary", key="hist_confirm_yes"):
        try:
            gone = store.delete(kit_id) if what == "kit" else store.delete_candidate(candidate)
        except KitError as exc:
            st.session_state.pop("hist_confirm", None)
            st.error(str(exc))
            return
        st.session_state["hist_flash"] = f"Deleted {int(gone)} kit(s)."
        st.session_state.pop("hist_confirm", None)
        st.session_state.pop("hist_open", None)
        st.rerun()
    if no.button("Cancel", key="hist_confirm_no"):
        st.session_state.pop("hist_confirm", None)
        st.rerun()


def sharing(scope: Scope, kit: Kit) -> None:
    """Who besides the owner sees this kit: the team or nobody, plus named people."""
    if kit.id is None or not scope.can_change(kit):
        return
    with st.expander(f"Sharing · {kit.visibility}", icon=":material/share:"):
        options = [Visibility.TEAM, Visibility.PRIVATE]
        choice = st.radio("Visible to", options, index=options.index(kit.visibility),
                          key=f"hist_vis_{kit.id}", horizontal=True,
                          format_func=lambda v: {"team": "the team (recruiters, admins)",
                                                 "private": "only me and those I share with"}[v])
        if choice != kit.visibility:
            scope.set_visibility(kit.id, choice)
            st.rerun()
        email = st.text_input("Share with (e-mail address)", key=f"hist_share_{kit.id}",
                              placeholder="interviewer@example.com")
        if st.button("Share", key=f"hist_share_btn_{kit.id}", icon=":material/person_add:"):
            try:
                scope.share(kit.id, email)
            except KitError as exc:
                st.error(str(exc))
        for grantee in scope.shared_with(kit.id):
            cols = st.columns([4, 1])
            cols[0].markdown(f"Shared with **{inert(grantee)}**")
            if cols[1].button("Remove", key=f"hist_unshare_{kit.id}_{grantee}"):
                scope.unshare(kit.id, grantee)
                st.rerun()


def actions(store: Scope, kit: Kit) -> None:
    """Only what this user may do: the owner (or an admin) renames, shares and deletes;
    recruiters re-run; interviewers only read."""
    sharing(store, kit)
    owner, creator = store.can_change(kit), can_create(store.user)
    if not owner and not creator:
        return
    rename_col, rerun_col, delete_col = st.columns(3, gap="large")
    if owner:
        with rename_col:
            _rename(store, kit)
    if creator:
        with rerun_col:
            _rerun(store, kit)
    if not owner:
        return
    with delete_col:
        st.button("Delete this kit", key="hist_delete_kit", on_click=_ask, args=("kit", kit),
                  icon=":material/delete:", width="stretch")
        st.button("Delete candidate", key="hist_delete_candidate", on_click=_ask,
                  args=("candidate", kit), icon=":material/person_remove:", width="stretch",
                  help=f"Delete every kit of {kit.candidate}, and of the same CV file")
    if "hist_confirm" in st.session_state:
        _delete(store)
