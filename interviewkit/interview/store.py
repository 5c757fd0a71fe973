"""Scorecards as one interviewer keeps them: saved as typed, submitted once, amended on record.

Every call reads the kit through the access policy (the Scope's user must be
able to open it; :func:`interviewkit.access.policy.require_kit`), and whether
the others' scores are shown is :func:`~interviewkit.access.policy.sees_others_scores`
- this module holds no access rule of its own.  Each save is one short write
transaction (an upsert), so a keystroke-debounced autosave costs a few
milliseconds.  The audit trail gets create, submit, amend and export, and at most
one "update" per scorecard per session (``updated`` is a set the page keeps in
its session), never a row per keystroke.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableSet
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from interviewkit.access import policy
from interviewkit.access.model import User
from interviewkit.access.scope import Scope
from interviewkit.errors import ScorecardError
from interviewkit.history.audit import Action, record
from interviewkit.history.engine import write
from interviewkit.history.schema import AMENDMENTS, KITS, SCORECARD_ITEMS, SCORECARDS
from interviewkit.history.store import candidate_key
from interviewkit.interview.model import (
    MAX_TEXT,
    SCORES,
    Amendment,
    Field,
    Item,
    ItemState,
    Others,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from interviewkit.kit.model import Kit

__all__ = ["Scorecards"]

KIND = "scorecard"  # the audit rows' target_kind


def _now() -> datetime:
    return datetime.now(UTC)


def _insert(conn: Connection, table: sa.Table) -> Any:
    """An INSERT that knows ON CONFLICT on both engines (SQLite and PostgreSQL)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def _score(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        score = int(str(value))
    except ValueError:
        score = 0
    if score not in SCORES:
        raise ScorecardError(f"A score is a whole number from 1 to 5, not {value!r}.",
                             code="bad_score")
    return score


@dataclass
class _Tx:
    """An open write on one scorecard: the connection, its id, the kit's facts."""

    conn: Connection
    card_id: int
    candidate: str
    questions: int
    audited: set[int] = dc_field(default_factory=set)  # card ids audited as changed


def _card(row: sa.RowMapping, items: dict[int, Item] | None = None,
          amendments: tuple[Amendment, ...] = ()) -> Scorecard:
    rec = row["recommendation"]
    return Scorecard(
        id=row["id"], kit_id=row["kit_id"], interviewer=row["interviewer"],
        interviewer_key=row["interviewer_key"], status=ScorecardStatus(row["status"]),
        recommendation=Recommendation(rec) if rec else None, summary=row["summary"] or "",
        created=row["created_at"], updated=row["updated_at"], submitted=row["submitted_at"],
        clock_started=row["clock_started_at"], clock_elapsed_s=row["clock_elapsed_s"] or 0.0,
        items=items or {}, amendments=amendments)


def _load(conn: Connection, row: sa.RowMapping) -> Scorecard:
    items = {r["number"]: Item(r["number"], r["notes"] or "", r["score"], ItemState(r["state"]),
                               r["updated_at"])
             for r in conn.execute(sa.select(SCORECARD_ITEMS).where(
                 SCORECARD_ITEMS.c.scorecard_id == row["id"])).mappings()}
    amendments = tuple(
        Amendment(r["id"], r["at"], r["by"], r["number"], Field(r["field"]), r["old"], r["new"],
                  r["reason"])
        for r in conn.execute(sa.select(AMENDMENTS).where(
            AMENDMENTS.c.scorecard_id == row["id"]).order_by(AMENDMENTS.c.id)).mappings())
    return _card(row, items, amendments)


class Scorecards:
    """The scorecards of ``interviewer`` (default: the Scope's user) on the kits the Scope's
    user may read.  ``now`` is injectable so the clock can be tested without sleeping."""

    def __init__(self, scope: Scope, interviewer: User | None = None, *,
                 updated: MutableSet[int] | None = None,
                 now: Callable[[], datetime] = _now) -> None:
        self.scope, self.interviewer = scope, interviewer or scope.user
        self.engine = scope.store.engine
        self._updated: MutableSet[int] = set() if updated is None else updated
        self._now = now

    # --- reads -------------------------------------------------------------

    def _own_row(self, conn: Connection, kit_id: int) -> sa.RowMapping | None:
        return conn.execute(sa.select(SCORECARDS).where(
            SCORECARDS.c.kit_id == kit_id,
            SCORECARDS.c.interviewer_key == self.interviewer.key)).mappings().first()

    def current(self, kit_id: int) -> Scorecard:
        """This interviewer's scorecard on the kit, or a blank one (saved at the first
        change, so merely opening a kit does not hide the others' scores)."""
        self.scope.check(kit_id)
        with self.engine.connect() as conn:
            row = self._own_row(conn, kit_id)
            if row is not None:
                return _load(conn, row)
        return Scorecard(None, kit_id, self.interviewer.name, self.interviewer.key)

    def open(self, kit_id: int) -> Scorecard:
        """This interviewer's scorecard on the kit, created (and audited) if need be."""
        with self._writing(kit_id, draft_only=False) as tx:
            return _load(tx.conn, tx.conn.execute(sa.select(SCORECARDS).where(
                SCORECARDS.c.id == tx.card_id)).mappings().one())

    def others(self, kit_id: int) -> Others:
        """The other interviewers' scorecards, shown only when the policy allows it."""
        self.scope.check(kit_id)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(SCORECARDS).where(
                SCORECARDS.c.kit_id == kit_id,
                SCORECARDS.c.interviewer_key != self.interviewer.key)
                .order_by(SCORECARDS.c.created_at, SCORECARDS.c.id)).mappings().all()
            if not policy.sees_others_scores(conn, self.interviewer, kit_id):
                return Others(visible=False, count=len(rows))
            submitted = tuple(_load(conn, r) for r in rows
                              if r["status"] == ScorecardStatus.SUBMITTED.value)
        drafts = tuple(r["interviewer"] for r in rows
                       if r["status"] != ScorecardStatus.SUBMITTED.value)
        return Others(visible=True, count=len(rows), submitted=submitted, drafts=drafts)

    # --- the write path ------------------------------------------------------

    def _record(self, conn: Connection, action: Action, card_id: int | None, candidate: str,
                detail: str = "") -> None:
        user = self.scope.user
        if self.interviewer.key != user.key:  # open mode: who typed their name
            detail = f"{detail}; as {self.interviewer.name}".lstrip("; ")
        record(conn, user.key, user.role.value, action, KIND, card_id,
               candidate_key=candidate_key(candidate), detail=detail)

    @contextmanager
    def _writing(self, kit_id: int, *, draft_only: bool = True) -> Iterator[_Tx]:
        """One write transaction on this interviewer's scorecard (created if missing),
        after the access check; ``draft_only`` refuses a submitted scorecard."""
        self.scope.check(kit_id)  # outside the transaction: a refusal is audited
        with write(self.engine) as conn:
            kit = conn.execute(sa.select(KITS.c.candidate, KITS.c.question_count)
                               .where(KITS.c.id == kit_id)).one()
            tx = _Tx(conn, 0, kit.candidate, kit.question_count)
            tx.card_id = self._ensure(tx, kit_id)
            if draft_only and conn.scalar(sa.select(SCORECARDS.c.status).where(
                    SCORECARDS.c.id == tx.card_id)) == ScorecardStatus.SUBMITTED.value:
                raise ScorecardError("This scorecard is submitted and read-only; record an "
                                     "amendment to change it.", code="submitted")
            yield tx
        self._updated |= tx.audited  # only once the transaction has committed

    def _ensure(self, tx: _Tx, kit_id: int) -> int:
        """The id of this interviewer's scorecard on the kit, inserted if missing (the
        usual case, a save on an existing card, costs one indexed read)."""
        def own_id() -> int | None:
            return tx.conn.scalar(sa.select(SCORECARDS.c.id).where(
                SCORECARDS.c.kit_id == kit_id,
                SCORECARDS.c.interviewer_key == self.interviewer.key))
        if (found := own_id()) is not None:
            return found
        now = self._now()
        inserted = tx.conn.scalar(_insert(tx.conn, SCORECARDS).values(
            kit_id=kit_id, interviewer=self.interviewer.name,
            interviewer_key=self.interviewer.key, status=ScorecardStatus.DRAFT.value,
            summary="", created_at=now, updated_at=now, clock_elapsed_s=0.0,
        ).on_conflict_do_nothing(index_elements=["kit_id", "interviewer_key"])
            .returning(SCORECARDS.c.id))  # None: another tab created it meanwhile
        if inserted is None:
            return int(own_id() or 0)
        self._record(tx.conn, Action.CREATE, inserted, tx.candidate)
        tx.audited.add(inserted)  # the first session's changes are part of the creation
        return int(inserted)

    def _touch(self, tx: _Tx, **values: Any) -> datetime:
        """Stamp the scorecard as changed (with ``values``); its first change in this
        session is audited as one "update"."""
        now = self._now()
        tx.conn.execute(SCORECARDS.update().where(SCORECARDS.c.id == tx.card_id)
                        .values(updated_at=now, **values))
        if tx.card_id not in self._updated and tx.card_id not in tx.audited:
            self._record(tx.conn, Action.UPDATE, tx.card_id, tx.candidate)
            tx.audited.add(tx.card_id)
        return now

    def _clean(self, text: str, what: str) -> str:
        if len(text) > MAX_TEXT:
            raise ScorecardError(f"The {what} is too long ({len(text):,} characters; at "
                                 f"most {MAX_TEXT:,}).", code="too_long")
        return self.scope.store.clean(text)  # the kit store's scrub: the same secrets

    @staticmethod
    def _question(tx: _Tx, number: int | None) -> int:
        if number is None or not 1 <= number <= tx.questions:
            raise ScorecardError(f"This kit has no question {number}.", code="bad_question")
        return number

    def _item(self, kit_id: int, number: int, **values: Any) -> datetime:
        with self._writing(kit_id) as tx:
            self._question(tx, number)
            now = self._now()
            defaults = {"notes": "", "score": None, "state": ItemState.PENDING.value}
            tx.conn.execute(_insert(tx.conn, SCORECARD_ITEMS).values(
                scorecard_id=tx.card_id, number=number, **{**defaults, **values},
                updated_at=now).on_conflict_do_update(
                    index_elements=["scorecard_id", "number"],
                    set_={**values, "updated_at": now}))
            return self._touch(tx)

    # --- saves (a draft only) ------------------------------------------------

    def save_notes(self, kit_id: int, number: int, notes: str) -> datetime:
        """Autosave one question's notes; returns when it was saved."""
        return self._item(kit_id, number, notes=self._clean(notes, "notes"))

    def save_score(self, kit_id: int, number: int, score: int | None) -> datetime:
        return self._item(kit_id, number, score=_score(score))

    def save_state(self, kit_id: int, number: int, state: ItemState) -> datetime:
        return self._item(kit_id, number, state=ItemState(state).value)

    def save_recommendation(self, kit_id: int, rec: Recommendation | None) -> datetime:
        value = Recommendation(rec).value if rec else None
        with self._writing(kit_id) as tx:
            return self._touch(tx, recommendation=value)

    def save_summary(self, kit_id: int, summary: str) -> datetime:
        summary = self._clean(summary, "summary")
        with self._writing(kit_id) as tx:
            return self._touch(tx, summary=summary)

    # --- the clock -------------------------------------------------------------

    def start_clock(self, kit_id: int) -> None:
        """Start (or resume) the interview clock; the start time is stored, so a reload
        or a restarted server finds it still running."""
        with self._writing(kit_id) as tx:
            if tx.conn.scalar(sa.select(SCORECARDS.c.clock_started_at)
                              .where(SCORECARDS.c.id == tx.card_id)) is None:
                self._touch(tx, clock_started_at=self._now())

    def pause_clock(self, kit_id: int) -> None:
        """Pause the clock: the stretch since it started is added to the elapsed time."""
        with self._writing(kit_id) as tx:
            self._stop_clock(tx)

    def _stop_clock(self, tx: _Tx, **values: Any) -> None:
        row = tx.conn.execute(sa.select(SCORECARDS.c.clock_started_at,
                                        SCORECARDS.c.clock_elapsed_s)
                              .where(SCORECARDS.c.id == tx.card_id)).one()
        if row.clock_started_at is not None:
            ran = max(0.0, (self._now() - row.clock_started_at).total_seconds())
            values.update(clock_started_at=None, clock_elapsed_s=row.clock_elapsed_s + ran)
        if values:
            self._touch(tx, **values)

    # --- submit, amend, export ------------------------------------------------------

    def submit(self, kit_id: int) -> Scorecard:
        """Submit the scorecard (the clock stops); from then on it is read-only."""
        with self._writing(kit_id) as tx:
            if tx.conn.scalar(sa.select(SCORECARDS.c.recommendation)
                              .where(SCORECARDS.c.id == tx.card_id)) is None:
                raise ScorecardError("Choose an overall recommendation before submitting.",
                                     code="no_recommendation")
            self._stop_clock(tx, status=ScorecardStatus.SUBMITTED.value,
                             submitted_at=self._now())
            self._record(tx.conn, Action.SUBMIT, tx.card_id, tx.candidate)
        return self.current(kit_id)

    def amend(self, kit_id: int, field: Field, new: object, reason: str, *,
              number: int | None = None) -> Amendment:
        """Change a submitted scorecard, on record: the old and new value and the reason."""
        field, reason = Field(field), " ".join(reason.split())
        if not reason:
            raise ScorecardError("An amendment needs a reason.", code="no_reason")
        reason = self._clean(reason, "reason")
        with self._writing(kit_id, draft_only=False) as tx:
            card = _load(tx.conn, tx.conn.execute(sa.select(SCORECARDS).where(
                SCORECARDS.c.id == tx.card_id)).mappings().one())
            if not card.read_only:
                raise ScorecardError("A draft is changed directly; amendments are for a "
                                     "submitted scorecard.", code="draft")
            number = self._question(tx, number) if field.per_question else None
            old, value, shown = self._amended(card, field, new, number)
            if shown == old:
                raise ScorecardError("That is already the value; nothing to amend.",
                                     code="unchanged")
            now = self._now()
            if number is None:
                self._touch(tx, **{field.value: value})
            else:
                self._upsert_amended(tx, number, field, value, now)
            key = tx.conn.execute(AMENDMENTS.insert().values(
                scorecard_id=tx.card_id, at=now, by=self.interviewer.name, number=number,
                field=field.value, old=old, new=shown, reason=reason)).inserted_primary_key
            assert key is not None
            self._record(tx.conn, Action.AMEND, tx.card_id, tx.candidate,
                         detail=field.value + (f" Q{number}" if number else ""))
        return Amendment(int(key[0]), now, self.interviewer.name, number, field, old, shown,
                         reason)

    def _upsert_amended(self, tx: _Tx, number: int, field: Field, value: object,
                        now: datetime) -> None:
        defaults = {"notes": "", "score": None, "state": ItemState.PENDING.value}
        tx.conn.execute(_insert(tx.conn, SCORECARD_ITEMS).values(
            scorecard_id=tx.card_id, number=number, **{**defaults, field.value: value},
            updated_at=now).on_conflict_do_update(
                index_elements=["scorecard_id", "number"],
                set_={field.value: value, "updated_at": now}))
        self._touch(tx)

    def _amended(self, card: Scorecard, field: Field, new: object,
                 number: int | None) -> tuple[str | None, object, str | None]:
        """(old as text, new as stored, new as text) for an amendment."""
        item = card.item(number or 0)
        if field in (Field.NOTES, Field.SUMMARY):
            text = self._clean(str(new or ""), field.value)
            return (item.notes if field is Field.NOTES else card.summary), text, text
        if field is Field.SCORE:
            score = _score(new)
            return (str(item.score) if item.score else None), score, (
                str(score) if score else None)
        try:
            if field is Field.STATE:
                state = ItemState(str(new))
                return item.state.value, state.value, state.value
            rec = Recommendation(str(new))
        except ValueError:
            raise ScorecardError(f"{new!r} is not a value for {field.label}.",
                                 code="bad_value") from None
        return (card.recommendation.value if card.recommendation else None), rec.value, rec.value

    def exported(self, kit: Kit, card: Scorecard, fmt: str) -> None:
        """Record a download of the scorecard as ``fmt``."""
        with write(self.engine) as conn:
            self._record(conn, Action.EXPORT, card.id, kit.candidate, detail=fmt)
