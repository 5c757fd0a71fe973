"""Where a batch's kits go, and how it knows a CV is already done.

A batch never holds an access rule: it talks to a :class:`HistoryLink`, and the
one the page and the CLI use, :class:`ScopeLink`, saves through
``Scope.save_run(..., role_id=...)`` (owned by the current user, audited) and
reads through the scope's visibility clause.  "Already done" means a complete,
non-partial kit of the same CV bytes (sha256), prompt, prompt inputs (language,
number of questions…) and role - for a batch without a role, the same job
description - so running a batch again, even from a new page or a new shell, skips
what is finished, and a batch in another language does not.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from interviewkit.access import policy
from interviewkit.history.schema import KITS
from interviewkit.kit.model import Kit, Status

if TYPE_CHECKING:
    from interviewkit.access.scope import Scope
    from interviewkit.history.store import KitSummary
    from interviewkit.ingest.cv import CVText
    from interviewkit.kit.run import KitRun


class HistoryLink(Protocol):
    """What a batch needs from History."""

    def save(self, run: KitRun, cv: CVText, job_description: str) -> int | None:
        """Keep a finished (or stopped) generation; its kit id, None when it had no text."""
        ...

    def find_done(self, digest: str, prompt_key: str, job_description: str,
                  inputs: Mapping[str, object]) -> KitSummary | None:
        """A complete kit already made from these CV bytes with this prompt, these
        inputs (and role)."""
        ...

    def kit(self, kit_id: int) -> Kit:
        """A saved kit, to put in the results archive."""
        ...


class ScopeLink:
    """History as one user sees it, for kits filed under ``role_id`` (or no role)."""

    def __init__(self, scope: Scope, role_id: int | None = None) -> None:
        self.scope, self.role_id = scope, role_id

    def save(self, run: KitRun, cv: CVText, job_description: str) -> int | None:
        return self.scope.save_run(run, cv, job_description, role_id=self.role_id)

    def find_done(self, digest: str, prompt_key: str, job_description: str,
                  inputs: Mapping[str, object]) -> KitSummary | None:
        same_role = (KITS.c.role_id == self.role_id if self.role_id is not None else
                     sa.and_(KITS.c.role_id.is_(None),
                             KITS.c.job_description == job_description))
        clause = sa.and_(policy.kit_visible(self.scope.user), KITS.c.cv_sha256 == digest,
                         KITS.c.status == Status.DONE.value, KITS.c.partial == sa.false(),
                         KITS.c.prompt_key == prompt_key, same_role)
        wanted = json.loads(json.dumps(dict(inputs), ensure_ascii=False, default=str))
        query = (sa.select(KITS.c.id, KITS.c.inputs).where(clause)
                 .order_by(KITS.c.created_at.desc(), KITS.c.id.desc()).limit(50))
        with self.scope.store.engine.connect() as conn:
            rows = conn.execute(query).all()
        match = next((row.id for row in rows if _decoded(row.inputs) == wanted), None)
        if match is None:
            return None
        found = self.scope.store.search(where=sa.and_(clause, KITS.c.id == match), limit=1)
        return found[0] if found else None

    def kit(self, kit_id: int) -> Kit:
        return self.scope.kit(kit_id, record_view=False)  # the export itself is audited


def _decoded(stored: str) -> object:
    try:
        return json.loads(stored)
    except ValueError:
        return None  # never equal to a batch's inputs


__all__ = ["HistoryLink", "ScopeLink"]
