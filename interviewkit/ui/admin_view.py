"""The admin page's pieces: the retention limit and a purge, and the audit trail.

Only admins get here (:func:`guard`); the purge and the audit query are the
package's (``interviewkit.history.retention`` / ``.audit``), this module is layout.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import streamlit as st

from interviewkit.access.scope import Scope
from interviewkit.config import Settings
from interviewkit.errors import KitError
from interviewkit.export.common import csv_bytes
from interviewkit.history.audit import Action, AuditEntry, entries
from interviewkit.history.retention import effective_days, purge, set_days
from interviewkit.ui.resources import retention_changed

ANY = "(any)"


def guard(scope: Scope) -> None:
    if not scope.user.is_admin:
        st.info("Only admins see the audit trail and the retention settings.",
                icon=":material/lock:")
        st.stop()


def retention(scope: Scope, settings: Settings) -> None:
    """The limit in force, where it comes from, and a purge (previewed first)."""
    store, user = scope.store, scope.user
    days = effective_days(store, settings.retention_days)
    source = ("set here" if days != settings.retention_days else
              "INTERVIEWKIT_RETENTION_DAYS" if days else "not set")
    st.markdown(f"Retention limit: **{f'{days} days' if days else 'none'}** ({source}). "
                "Older candidate data (kits, scorecards, shares) is deleted for good at "
                "start-up and then daily.")
    new = st.number_input("Keep candidate data for (days, 0 = no limit)", min_value=0,
                          max_value=36_500, value=days or 0, step=30, key="adm_days")
    if st.button("Save limit", key="adm_days_save", icon=":material/save:") and new != days:
        set_days(store, int(new) or None, user.key, user.role.value)
        retention_changed(store)
        st.rerun()
    if not days:
        return
    preview = purge(store, days, actor=user.key, actor_role=user.role.value, dry_run=True)
    st.caption(preview.summary())
    if preview.kit_ids and st.button("Purge now", key="adm_purge", type="primary",
                                     icon=":material/auto_delete:"):
        report = purge(store, days, actor=user.key, actor_role=user.role.value)
        st.success(report.summary().capitalize() + ".", icon=":material/check_circle:")


def _rows(found: list[AuditEntry]) -> list[dict[str, object]]:
    return [{"when (UTC)": f"{e.at:%Y-%m-%d %H:%M:%S}", "who": e.actor, "role": e.actor_role,
             "action": e.action.value, "what": e.target_kind, "id": e.target_id or "",
             "candidate ref": e.candidate_ref or "", "detail": e.detail} for e in found]


def audit_trail(scope: Scope) -> None:
    """Every access to candidate data, newest first, filtered and downloadable."""
    since_col, user_col, action_col = st.columns(3)
    since: date | None = since_col.date_input("Since", value=None, key="adm_since")
    who = user_col.text_input("User (e-mail)", key="adm_user")
    action = action_col.selectbox("Action", [ANY, *(a.value for a in Action)],
                                  key="adm_action")
    try:
        found = entries(scope.store.engine, actor=who or None,
                        since=datetime.combine(since, time(), UTC) if since else None,
                        action=None if action == ANY else Action(action), limit=2000)
    except KitError as exc:
        st.error(str(exc))
        return
    rows = _rows(found)
    st.caption(f"{len(rows)} row(s) (at most 2,000 shown). The trail is append-only: the "
               "database refuses to change or delete its rows.")
    st.dataframe(rows, hide_index=True, key="adm_table")
    data = csv_bytes(list(rows[0]) if rows else ["when (UTC)"], [list(r.values()) for r in rows])
    st.download_button("Download as CSV", data, file_name="audit.csv", mime="text/csv",
                       key="adm_csv", icon=":material/download:", on_click="ignore")
