"""Retention: candidate data older than the limit is deleted, for real.

The limit comes from ``INTERVIEWKIT_RETENTION_DAYS`` or, when an admin has set
one in the app, from the ``app_settings`` table (the admin's value wins).  A
purge deletes whole kits (their scorecards, items, amendments and shares go
with them through ``ON DELETE CASCADE``), zeroes SQLite's freed pages
(``secure_delete``) and checkpoints the WAL, exactly like a delete by hand, and
leaves one audit row per kit naming the action and a pseudonymous candidate
reference, never the content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from interviewkit.errors import HistoryError
from interviewkit.history.audit import Action, record
from interviewkit.history.engine import write
from interviewkit.history.schema import APP_SETTINGS, KITS
from interviewkit.history.store import Store

__all__ = ["SYSTEM_ACTOR", "PurgeReport", "effective_days", "purge", "set_days"]

SETTING = "retention_days"
SYSTEM_ACTOR = "system:retention"  # who the automatic purge is recorded as


@dataclass(frozen=True)
class PurgeReport:
    """What a purge deleted (or, dry, would delete): kit ids and candidate keys."""

    cutoff: datetime
    kit_ids: list[int] = field(default_factory=list)
    candidates: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (f"{verb} {len(self.kit_ids)} kit(s) of {self.candidates} candidate(s) "
                f"created before {self.cutoff:%Y-%m-%d %H:%M} UTC")


def effective_days(store: Store, configured: int | None) -> int | None:
    """The admin's value from the app, else the configured one, else no limit."""
    with store.engine.connect() as conn:
        raw = conn.scalar(sa.select(APP_SETTINGS.c.value).where(APP_SETTINGS.c.key == SETTING))
    if raw is None:
        return configured
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def set_days(store: Store, days: int | None, actor: str, actor_role: str) -> None:
    """Set (or with None, remove) the limit in the app; recorded in the audit trail."""
    if days is not None and days <= 0:
        raise HistoryError("The retention limit must be at least one day.", code="bad_days")
    value = "0" if days is None else str(days)
    with write(store.engine) as conn:
        conn.execute(APP_SETTINGS.delete().where(APP_SETTINGS.c.key == SETTING))
        conn.execute(APP_SETTINGS.insert().values(key=SETTING, value=value, updated_by=actor,
                                                  updated_at=datetime.now(UTC)))
        record(conn, actor, actor_role, Action.SETTINGS, "retention",
               detail=f"{days} days" if days else "no limit")


def purge(store: Store, days: int, *, actor: str, actor_role: str, dry_run: bool = False,
          now: datetime | None = None) -> PurgeReport:
    """Delete every kit created more than ``days`` days before ``now``."""
    if days <= 0:
        raise HistoryError("The retention limit must be at least one day.", code="bad_days")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    old = KITS.c.created_at < cutoff
    with write(store.engine) as conn:
        rows = conn.execute(sa.select(KITS.c.id, KITS.c.candidate_key).where(old)
                            .order_by(KITS.c.id)).all()
        report = PurgeReport(cutoff=cutoff, kit_ids=[r.id for r in rows],
                             candidates=len({r.candidate_key for r in rows}), dry_run=dry_run)
        if dry_run or not rows:
            return report
        conn.execute(KITS.delete().where(KITS.c.id.in_(report.kit_ids)))
        for row in rows:
            record(conn, actor, actor_role, Action.PURGE, "kit", row.id,
                   candidate_key=row.candidate_key, detail=f"older than {days} days")
    store.scrub_free_pages()
    return report
