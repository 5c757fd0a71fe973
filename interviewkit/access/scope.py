"""The history as one user may see it: every page, CLI command and export reads here.

A :class:`Scope` binds a :class:`~interviewkit.history.store.Store` to a
:class:`~interviewkit.access.model.User`.  Each read is filtered or checked by
:mod:`interviewkit.access.policy` and each access to candidate data is written
to the audit trail, so no page holds an access rule or forgets a record.
"""

from __future__ import annotations

from collections.abc import MutableSet, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from interviewkit.access import policy
from interviewkit.access.model import User
from interviewkit.errors import AccessDenied, HistoryError
from interviewkit.history.audit import Action, record
from interviewkit.history.engine import write
from interviewkit.history.schema import KITS, SHARES
from interviewkit.history.store import KitSummary, Store, candidate_key, run_key
from interviewkit.kit.model import Kit, Question, Visibility

if TYPE_CHECKING:
    from interviewkit.ingest.cv import CVText
    from interviewkit.kit.run import KitRun

__all__ = ["Scope"]


class Scope:
    """What ``user`` may do with the history; ``viewed`` de-duplicates view records
    across reruns of one browser session (the page passes a set kept in its state)."""

    def __init__(self, store: Store, user: User, *,
                 viewed: MutableSet[int] | None = None) -> None:
        self.store, self.user = store, user
        self._viewed: MutableSet[int] = set() if viewed is None else viewed

    # --- audit -------------------------------------------------------------

    def audit(self, action: Action, kind: str, target: object = None, *,
              candidate: str | None = None, detail: str = "") -> None:
        """Record an action of this user (exports call it from the download button)."""
        with write(self.store.engine) as conn:
            record(conn, self.user.key, self.user.role.value, action, kind, target,
                   candidate_key=candidate_key(candidate) if candidate else None,
                   detail=detail)

    # --- reads -------------------------------------------------------------

    def search(self, text: str = "", *, candidate: str | None = None,
               prompt_key: str | None = None, since: date | None = None,
               until: date | None = None, limit: int = 500,
               role_id: int | None = None) -> list[KitSummary]:
        return self.store.search(text, candidate=candidate, prompt_key=prompt_key,
                                 since=since, until=until, limit=limit, role_id=role_id,
                                 where=policy.kit_visible(self.user))

    def candidates(self) -> list[str]:
        return self.store.candidates(policy.kit_visible(self.user))

    def prompts(self) -> dict[str, str]:
        return self.store.prompts(policy.kit_visible(self.user))

    def kit(self, kit_id: int, *, record_view: bool = True) -> Kit:
        """The kit, if this user may read it; the first read per session is audited."""
        self.check(kit_id)
        kit = self.store.get(kit_id)
        if record_view and kit_id not in self._viewed:
            self.audit(Action.VIEW, "kit", kit_id, candidate=kit.candidate)
            self._viewed.add(kit_id)
        return kit

    def check(self, kit_id: int, *, change: bool = False) -> None:
        with self.store.engine.connect() as conn:
            try:
                policy.require_kit(conn, self.user, kit_id, change=change)
            except AccessDenied:
                conn.rollback()
                self.audit(Action.DENIED, "kit", kit_id,
                           detail="change" if change else "read")
                raise

    def can_change(self, kit: Kit | KitSummary) -> bool:
        return self.user.is_admin or kit.owner == self.user.key

    # --- writes ------------------------------------------------------------

    def save_run(self, run: KitRun, cv: CVText, job_description: str = "",
                 prompt_text: str | None = None, partial: bool | None = None, *,
                 candidate: str | None = None, cv_file: bytes | None = None,
                 role_id: int | None = None,
                 visibility: Visibility = Visibility.TEAM) -> int | None:
        """Save a generation owned by this user (safe on every rerun, like ``save_run``)."""
        policy.require_create(self.user)
        if not run.text.strip():
            return None
        kit = run.to_kit(cv, job_description, prompt_text=prompt_text, partial=partial,
                         candidate=candidate, cv_file=cv_file)
        kit.owner, kit.role_id, kit.visibility = self.user.key, role_id, visibility
        key = run_key(run, cv)
        with self.store.engine.connect() as conn:
            existed = conn.scalar(sa.select(KITS.c.id).where(KITS.c.run_key == key))
        kit_id = self.store.save(kit, run_key=key)
        if existed is None:
            self.audit(Action.CREATE, "kit", kit_id, candidate=kit.candidate,
                       detail=f"prompt {kit.prompt_key}")
        return kit_id

    def exported(self, kit: Kit | KitSummary, fmt: str) -> None:
        """Record a download or an export of ``kit`` as ``fmt``."""
        self.audit(Action.EXPORT, "kit", kit.id, candidate=kit.candidate, detail=fmt)

    def rerun(self, kit: Kit) -> None:
        """Record that ``kit`` is being generated again (its inputs go back to Generate)."""
        policy.require_create(self.user, "kits (re-run)")
        self.audit(Action.RERUN, "kit", kit.id, candidate=kit.candidate)

    def update_questions(self, kit: Kit, questions: Sequence[Question], markdown: str,
                         *, detail: str = "questions") -> None:
        """Replace a kit's questions (a rating guide added…): recruiters and admins."""
        assert kit.id is not None
        self.check(kit.id)
        policy.require_create(self.user, "or change kits")
        self.store.update_questions(kit.id, questions, markdown)
        self.audit(Action.UPDATE, "kit", kit.id, candidate=kit.candidate, detail=detail)

    def rename(self, kit_id: int, label: str) -> None:
        self.check(kit_id, change=True)
        self.store.rename_candidate(kit_id, label)
        self.audit(Action.UPDATE, "kit", kit_id, candidate=label, detail="candidate renamed")

    def set_visibility(self, kit_id: int, visibility: Visibility) -> None:
        self.check(kit_id, change=True)
        with write(self.store.engine) as conn:
            conn.execute(KITS.update().where(KITS.c.id == kit_id)
                         .values(visibility=visibility.value))
            record(conn, self.user.key, self.user.role.value, Action.SHARE, "kit", kit_id,
                   detail=f"visibility {visibility.value}")

    def share(self, kit_id: int, email: str) -> None:
        """Let ``email`` (an interviewer, usually) read this kit and score it."""
        grantee = email.strip().casefold()
        if "@" not in grantee:
            raise HistoryError(f"{email!r} is not an e-mail address.", code="bad_email")
        self.check(kit_id, change=True)
        with write(self.store.engine) as conn:
            if conn.scalar(sa.select(SHARES.c.kit_id).where(
                    SHARES.c.kit_id == kit_id, SHARES.c.grantee == grantee)) is None:
                conn.execute(SHARES.insert().values(
                    kit_id=kit_id, grantee=grantee, granted_by=self.user.key,
                    granted_at=sa.func.now()))
            record(conn, self.user.key, self.user.role.value, Action.SHARE, "kit", kit_id,
                   detail="shared with a user")

    def unshare(self, kit_id: int, email: str) -> None:
        self.check(kit_id, change=True)
        with write(self.store.engine) as conn:
            conn.execute(SHARES.delete().where(SHARES.c.kit_id == kit_id,
                                               SHARES.c.grantee == email.strip().casefold()))
            record(conn, self.user.key, self.user.role.value, Action.UNSHARE, "kit", kit_id)

    def shared_with(self, kit_id: int) -> list[str]:
        self.check(kit_id)
        with self.store.engine.connect() as conn:
            return list(conn.scalars(sa.select(SHARES.c.grantee)
                                     .where(SHARES.c.kit_id == kit_id)
                                     .order_by(SHARES.c.grantee)))

    def delete(self, kit_id: int) -> bool:
        self.check(kit_id, change=True)
        summary = self.store.search(where=KITS.c.id == kit_id, limit=1)
        gone = self.store.delete(kit_id)
        if gone:
            self.audit(Action.DELETE, "kit", kit_id,
                       candidate=summary[0].candidate if summary else None)
        return gone

    def delete_candidate(self, label: str) -> int:
        """Everything about a candidate: the owner of all their kits, or an admin."""
        kits = self.store.search(candidate=label, limit=100_000)
        if not self.user.is_admin and any(k.owner != self.user.key for k in kits):
            raise AccessDenied("Only an admin can delete a candidate whose kits other "
                               "users made.")
        gone = self.store.delete_candidate(label)
        self.audit(Action.DELETE, "candidate", candidate=label, detail=f"{gone} kit(s)")
        return gone

    def deletes_on(self, kit: Kit | KitSummary, retention_days: int | None) -> date | None:
        """When retention deletes this kit (None without a limit)."""
        if retention_days is None:
            return None
        return (kit.created + timedelta(days=retention_days)).date()
