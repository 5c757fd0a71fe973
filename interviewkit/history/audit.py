"""The audit trail: who did what to which candidate's data, and when.

Append-only by construction: the table's triggers (migration 0005) refuse
UPDATE and DELETE on both SQLite and PostgreSQL, so even a purge cannot rewrite
it.  A row names ids and a pseudonymous candidate reference (a short hash of the
candidate key), never the CV, the kit or the candidate's name, so deleting a
candidate leaves a row that says what happened, not what was deleted.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from interviewkit.history.schema import AUDIT

__all__ = ["Action", "AuditEntry", "candidate_ref", "entries", "record"]


class Action(enum.StrEnum):
    """Every kind of access to candidate data that is recorded."""

    CREATE = "create"
    VIEW = "view"
    EXPORT = "export"
    RERUN = "rerun"
    SHARE = "share"
    UNSHARE = "unshare"
    UPDATE = "update"
    DELETE = "delete"
    PURGE = "purge"
    SUBMIT = "submit"
    AMEND = "amend"
    SIGN_IN = "sign_in"
    DENIED = "denied"
    SETTINGS = "settings"


@dataclass(frozen=True)
class AuditEntry:
    """One row of the trail, as the audit page and the CLI show it."""

    id: int
    at: datetime
    actor: str
    actor_role: str
    action: Action
    target_kind: str
    target_id: str | None
    candidate_ref: str | None
    detail: str

    def line(self) -> str:
        target = f"{self.target_kind} #{self.target_id}" if self.target_id else self.target_kind
        cand = f" candidate {self.candidate_ref}" if self.candidate_ref else ""
        extra = f" ({self.detail})" if self.detail else ""
        return (f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} [{self.actor_role}] "
                f"{self.action} {target}{cand}{extra}")


def candidate_ref(candidate_key: str) -> str:
    """A stable pseudonym for a candidate: lets the trail group actions, names nobody."""
    return hashlib.sha256(candidate_key.encode()).hexdigest()[:12]


def record(conn: Connection, actor: str, actor_role: str, action: Action, target_kind: str,
           target_id: object = None, *, candidate_key: str | None = None,
           detail: str = "") -> None:
    """Append one row inside the caller's transaction (so the action and its record
    commit or roll back together)."""
    conn.execute(AUDIT.insert().values(
        at=datetime.now(UTC), actor=actor, actor_role=actor_role, action=action.value,
        target_kind=target_kind, target_id=None if target_id is None else str(target_id),
        candidate_ref=candidate_ref(candidate_key) if candidate_key else None,
        detail=detail[:200]))


def entries(engine: Engine, *, since: datetime | None = None, actor: str | None = None,
            action: Action | None = None, limit: int = 1000) -> list[AuditEntry]:
    """Newest first, filtered by time, actor (case-insensitive) and action."""
    query = sa.select(AUDIT).order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(AUDIT.c.at >= since)
    if actor:
        query = query.where(AUDIT.c.actor == actor.strip().casefold())
    if action is not None:
        query = query.where(AUDIT.c.action == action.value)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [AuditEntry(id=r["id"], at=r["at"], actor=r["actor"], actor_role=r["actor_role"],
                       action=Action(r["action"]), target_kind=r["target_kind"],
                       target_id=r["target_id"], candidate_ref=r["candidate_ref"],
                       detail=r["detail"]) for r in rows]
