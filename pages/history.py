"""History page: find a saved kit, read it, hand it to the panel, re-run it, or delete it.

Layout only: the pieces are in ``interviewkit.ui.history_view``, the store in
``interviewkit.history``.
"""

from __future__ import annotations

import streamlit as st

from interviewkit.access.policy import can_create
from interviewkit.errors import KitError
from interviewkit.ui import history_view, rating_view, resources


def main() -> None:
    st.title("History")
    st.caption("Every generated kit is kept here, stopped ones marked partial. Find one, "
               "download it for the panel, re-run it, or delete a candidate's data.")
    settings = resources.settings_or_stop()
    store = resources.scope_or_stop(settings)
    retention = resources.retention_days(settings, store.store)
    if flash := st.session_state.pop("hist_flash", None):
        st.success(flash, icon=":material/check_circle:")
    found = history_view.filters(store)
    st.caption(f"{len(found)} kit(s)")
    if not found:
        st.info("No saved kits match. Kits are saved when a generation completes or is "
                "stopped on the Generate page.", icon=":material/history:")
        return
    history_view.table(found, store, retention)
    by_id = {s.id: s for s in found}
    kit_id = st.selectbox("Open a kit", list(by_id), key="hist_open",
                          format_func=lambda i: by_id[i].label())
    try:
        kit = store.kit(kit_id)
    except KitError as exc:
        st.error(str(exc))
        return
    st.divider()
    history_view.show(kit, store, retention)
    st.divider()
    history_view.actions(store, kit)
    if can_create(store.user):  # interviewers read and score; they do not change kits
        rating_view.offer(kit, resources.provider_or_stop(settings),
                          lambda k: store.update_questions(k, k.questions, k.markdown,
                                                           detail="rating guide added"))


main()
