"""Roles & comparison page: a role's candidates side by side, and the role's kits.

Layout only: the pieces are in ``interviewkit.ui.roles_view``, the matrix in
``interviewkit.roles.compare``, the files in ``interviewkit.export.tables``.
"""

from __future__ import annotations

import streamlit as st

from interviewkit.errors import KitError
from interviewkit.roles import RoleBook
from interviewkit.ui import resources, roles_view


def main() -> None:
    st.title("Roles & comparison")
    st.caption("A role (a job title and its description) groups candidates and their kits. "
               "Compare them question by question from the submitted scorecards, freeze one "
               "kit so every candidate is asked the same, and export the matrix.")
    book = RoleBook(resources.scope_or_stop(resources.settings_or_stop()))
    roles_view.flash()
    pick_col, new_col = st.columns([3, 2], gap="large")
    with pick_col:
        role = roles_view.picker(book)
    with new_col:
        roles_view.create_form(book)
    if role is None:
        st.info("No roles yet. Create one with **New role**, then generate kits with it "
                "chosen on the Generate page.", icon=":material/groups:")
        return
    st.divider()
    try:
        roles_view.header(book, role)
        compare_tab, kits_tab, edit_tab = st.tabs(["Comparison", "Candidates & kits",
                                                   "Edit role"])
        with compare_tab:
            matrix = roles_view.comparison(book, role)
        with kits_tab:
            roles_view.candidates(book, role, matrix)
        with edit_tab:
            roles_view.edit(book, role)
    except KitError as exc:
        st.error(str(exc), icon=":material/error:")


main()
