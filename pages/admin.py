"""Audit & retention page (admins): the retention limit, a purge, and the audit trail.

Layout only: the pieces are in ``interviewkit.ui.admin_view``.
"""

from __future__ import annotations

import streamlit as st

from interviewkit.ui import admin_view, resources


def main() -> None:
    st.title("Audit & retention")
    settings = resources.settings_or_stop()
    scope = resources.scope_or_stop(settings)
    admin_view.guard(scope)
    st.subheader("Retention")
    admin_view.retention(scope, settings)
    st.subheader("Audit trail")
    st.caption("Every create, view, export, re-run, share and delete of candidate data: who, "
               "what, which kit or candidate (a pseudonymous reference), and when.")
    admin_view.audit_trail(scope)


main()
