"""Roles as one user may see them: create, list, edit, archive, freeze a role's kit.

A role is the unit recruiters compare candidates in.  Freezing a role's kit
(``frozen_kit_id``) means every candidate of the role is asked the same core
questions; only the CV-specific follow-ups change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from interviewkit.access import policy
from interviewkit.access.scope import Scope
from interviewkit.errors import HistoryError
from interviewkit.history.audit import Action, record
from interviewkit.history.engine import write
from interviewkit.history.schema import KITS, ROLES
from interviewkit.history.store import KitSummary

__all__ = ["JobRole", "RoleBook"]


@dataclass(frozen=True)
class JobRole:
    """A job being hired for."""

    id: int
    title: str
    job_description: str
    owner: str
    created: datetime
    prompt_key: str | None = None
    frozen_kit_id: int | None = None
    archived: bool = False

    def label(self) -> str:
        flag = " · archived" if self.archived else ""
        return f"{self.title}{flag}"


def _role(row: sa.RowMapping) -> JobRole:
    return JobRole(id=row["id"], title=row["title"], job_description=row["job_description"],
                   owner=row["owner"], created=row["created_at"], prompt_key=row["prompt_key"],
                   frozen_kit_id=row["frozen_kit_id"], archived=bool(row["archived"]))


class RoleBook:
    """The roles behind one :class:`Scope` (its user, its audit trail)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.engine = scope.store.engine

    def _record(self, conn: sa.Connection, action: Action, role_id: object,
                detail: str = "") -> None:
        user = self.scope.user
        record(conn, user.key, user.role.value, action, "role", role_id, detail=detail)

    def create(self, title: str, job_description: str = "",
               prompt_key: str | None = None) -> int:
        policy.require_create(self.scope.user, "roles")
        title = " ".join(title.split())
        if not title:
            raise HistoryError("A role needs a job title.", code="empty_title")
        with write(self.engine) as conn:
            key = conn.execute(ROLES.insert().values(
                created_at=datetime.now(UTC), owner=self.scope.user.key, title=title,
                job_description=job_description.strip(), prompt_key=prompt_key,
                archived=False)).inserted_primary_key
            assert key is not None
            self._record(conn, Action.CREATE, key[0])
        return int(key[0])

    def all(self, *, include_archived: bool = False) -> list[JobRole]:
        query = sa.select(ROLES).where(policy.role_visible(self.scope.user)).order_by(
            ROLES.c.archived, sa.func.lower(ROLES.c.title), ROLES.c.id)
        if not include_archived:
            query = query.where(ROLES.c.archived == sa.false())
        with self.engine.connect() as conn:
            return [_role(r) for r in conn.execute(query).mappings()]

    def get(self, role_id: int) -> JobRole:
        with self.engine.connect() as conn:
            policy.require_role(conn, self.scope.user, role_id)
            row = conn.execute(sa.select(ROLES).where(ROLES.c.id == role_id)).mappings().one()
        return _role(row)

    def _change(self, role_id: int, detail: str, **values: object) -> None:
        with write(self.engine) as conn:
            policy.require_role(conn, self.scope.user, role_id, change=True)
            conn.execute(ROLES.update().where(ROLES.c.id == role_id).values(**values))
            self._record(conn, Action.UPDATE, role_id, detail)

    def update(self, role_id: int, *, title: str, job_description: str,
               prompt_key: str | None = None) -> None:
        title = " ".join(title.split())
        if not title:
            raise HistoryError("A role needs a job title.", code="empty_title")
        self._change(role_id, "edited", title=title, job_description=job_description.strip(),
                     prompt_key=prompt_key)

    def archive(self, role_id: int, archived: bool = True) -> None:
        self._change(role_id, "archived" if archived else "restored", archived=archived)

    def freeze(self, role_id: int, kit_id: int | None) -> None:
        """Make ``kit_id`` the role's shared kit (None: every candidate gets their own)."""
        if kit_id is not None:
            self.scope.kit(kit_id, record_view=False)  # must be readable
        self._change(role_id, f"frozen kit {kit_id}" if kit_id else "unfrozen",
                     frozen_kit_id=kit_id)

    def assign(self, kit_id: int, role_id: int | None) -> None:
        """File an existing kit under a role (or take it out)."""
        self.scope.check(kit_id, change=True)
        if role_id is not None:
            self.get(role_id)
        with write(self.engine) as conn:
            conn.execute(KITS.update().where(KITS.c.id == kit_id).values(role_id=role_id))
            record(conn, self.scope.user.key, self.scope.user.role.value, Action.UPDATE,
                   "kit", kit_id, detail=f"role {role_id}")

    def frozen_kit_id(self, role: JobRole) -> int | None:
        """The role's frozen kit if this user may read it, else None.

        Checked quietly with the access clause: a role pointing at a kit the user cannot
        open is not the user probing for it, so no refusal is audited on every page run.
        """
        if role.frozen_kit_id is None:
            return None
        with self.engine.connect() as conn:
            found = conn.scalar(sa.select(KITS.c.id).where(
                KITS.c.id == role.frozen_kit_id, policy.kit_visible(self.scope.user)))
        return None if found is None else int(found)

    def kits(self, role_id: int) -> list[KitSummary]:
        """The role's kits this user may read, newest first."""
        self.get(role_id)
        return self.scope.search(role_id=role_id, limit=10_000)
