"""Batch page: many CVs (files or one ZIP) for a role and a prompt, a kit for each.

Layout only.  The batch runs on threads of its own (``interviewkit.batch``):
a rerun, another page or a closed tab stops nothing, and the view below
re-attaches to it (``interviewkit.ui.batch_view``).  Kits go to History as
each one ends; "Download all" packs them into one ZIP with ``summary.csv``.
"""

from __future__ import annotations

import streamlit as st

from interviewkit.batch import Request
from interviewkit.ui import batch_view, resources, widgets


def main() -> None:
    settings = resources.settings_or_stop()
    scope = resources.scope_or_stop(settings)
    batch_view.creators_only(scope)
    provider = resources.provider_or_stop(settings)
    st.title("Batch")
    st.caption("Upload many CVs — PDF, .txt or .md files, or one ZIP of them — for a role "
               "and an interview prompt: every candidate gets a kit, saved to History, and "
               "one ZIP holds them all.")
    widgets.provider_banner(provider)
    cv_col, prompt_col = st.columns([3, 2], gap="large")
    with prompt_col:
        prompt, values = widgets.prompt_picker()
    with cv_col:
        role = batch_view.role_picker(scope)
        job = batch_view.job_input(role)
        frozen = batch_view.frozen_choice(scope, role)
        files = batch_view.uploader(settings)
    skip = st.checkbox("Skip CVs that already have a complete kit for this prompt and role",
                       value=True, key="batch_skip_done")
    if provider.offline:
        st.caption("The offline model writes one kit at a time; the others wait in a queue.")
    else:
        st.caption(f"A remote model writes up to {settings.batch_concurrency} kits at a time "
                   "(INTERVIEWKIT_BATCH_CONCURRENCY).")
    if st.button("Start", type="primary", key="batch_start", icon=":material/play_arrow:",
                 disabled=not files or batch_view.busy()):
        request = Request(prompt, values, job, role_id=role.id if role else None,
                          model=settings.model, limits=settings.limits, skip_done=skip,
                          frozen=frozen)
        batch_view.start(files, request, provider, scope, settings)
    batch_view.live(scope)


main()
