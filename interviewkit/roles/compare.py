"""A role's candidates side by side: scores per question (or competency) from scorecards.

Only **submitted** scorecards count; a draft is an interviewer's work in progress.
Every kit is read through the user's access clause (:func:`policy.kit_visible`), and
independent scoring holds: someone with a draft of their own on a kit sees none of the
other scores on it until they submit (:func:`policy.sees_others_scores`), so their row
reads "hidden until you submit".  The scorecard tables are read here directly and
read-only, by the column names and status strings of :mod:`interviewkit.history.schema`,
so the comparison does not depend on the interview package's Python API.
"""

from __future__ import annotations

import enum
import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from interviewkit.access import policy
from interviewkit.errors import KitError
from interviewkit.history.schema import KITS, SCORECARD_ITEMS, SCORECARDS, SHARES
from interviewkit.kit.model import Question
from interviewkit.roles.store import JobRole, RoleBook

__all__ = ["HIDDEN", "RECOMMENDATIONS", "Align", "Cell", "Column", "Matrix", "Row", "Sheet",
           "compare"]

SUBMITTED, DRAFT = "submitted", "draft"
RECOMMENDATIONS: dict[str, str] = {"strong_no": "Strong no", "no": "No", "mixed": "Mixed",
                                   "yes": "Yes", "strong_yes": "Strong yes"}
HIDDEN = "hidden until you submit"
HIDDEN_NO_CARD = "hidden (interviewers see scores after submitting their own)"
OTHER = "Other questions (no requirement)"


class Align(enum.StrEnum):
    """What the matrix's columns are: question numbers, or the requirements questions cover."""

    QUESTION = "question"
    COMPETENCY = "competency"


@dataclass(frozen=True)
class Column:
    """One column: a question number (or a competency) and each kit's question texts in it."""

    key: str  # "Q1", or the requirement text
    title: str  # the frozen question's text, "Question 1", or the requirement
    number: int | None = None
    texts: Mapping[int, str] = field(default_factory=dict)  # kit id -> its question text(s)


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _std(values: Sequence[float]) -> float | None:
    return statistics.pstdev(values) if len(values) >= 2 else None


@dataclass(frozen=True)
class Cell:
    """The submitted scores one candidate got under one column."""

    scores: tuple[int, ...] = ()
    cards: int = 0  # submitted scorecards that scored it
    hidden: bool = False

    @property
    def mean(self) -> float | None:
        return None if self.hidden else _mean(self.scores)

    @property
    def low(self) -> int | None:
        return min(self.scores) if self.scores and not self.hidden else None

    @property
    def high(self) -> int | None:
        return max(self.scores) if self.scores and not self.hidden else None

    @property
    def std(self) -> float | None:
        return None if self.hidden else _std(self.scores)

    def label(self) -> str:
        """``4.0 (3–5, n=2)``; ``—`` for no score yet; the hidden note."""
        if self.hidden:
            return HIDDEN
        if self.mean is None:
            return "—"
        spread = f"{self.low}–{self.high}, " if self.low != self.high else ""
        return f"{self.mean:.1f} ({spread}n={self.cards})"


@dataclass(frozen=True)
class Sheet:
    """One interviewer's scorecard on one kit, as the per-interviewer export lists it."""

    kit_id: int
    candidate: str
    interviewer: str
    status: str
    recommendation: str | None
    submitted_at: datetime | None
    summary: str
    scores: Mapping[int, int | None]  # question number -> score

    @property
    def mean(self) -> float | None:
        return _mean([s for s in self.scores.values() if s is not None])


@dataclass(frozen=True)
class Row:
    """One candidate (one kit) of the role."""

    kit_id: int
    candidate: str
    created: datetime
    cells: Mapping[str, Cell]
    card_means: tuple[float, ...] = ()  # one per submitted scorecard with a score
    scores: tuple[int, ...] = ()
    recommendations: Mapping[str, int] = field(default_factory=dict)
    submitted: int = 0
    drafts: tuple[str, ...] = ()  # interviewers with a draft only
    awaiting: tuple[str, ...] = ()  # shared with, no scorecard started
    hidden: str | None = None  # why this user may not see the scores yet

    @property
    def label(self) -> str:
        return f"{self.candidate} (#{self.kit_id})"

    @property
    def mean(self) -> float | None:
        """The mean of every submitted score of this candidate."""
        return None if self.hidden else _mean(self.scores)

    @property
    def low(self) -> float | None:
        """The lowest interviewer's mean: with :attr:`high`, the spread across interviewers."""
        return min(self.card_means) if self.card_means and not self.hidden else None

    @property
    def high(self) -> float | None:
        return max(self.card_means) if self.card_means and not self.hidden else None

    @property
    def std(self) -> float | None:
        return None if self.hidden else _std(self.card_means)

    @property
    def missing(self) -> bool:
        """No submitted scorecard yet, or an interviewer still has a draft only (or has not
        started one on a kit shared with them)."""
        return self.submitted == 0 or bool(self.drafts) or bool(self.awaiting)

    def missing_note(self) -> str:
        """What is still missing, for the matrix and the exports ("" when nothing)."""
        parts = ["no submitted scorecard"] if self.submitted == 0 else []
        if self.drafts:
            parts.append("draft only: " + ", ".join(self.drafts))
        if self.awaiting:
            parts.append("not started: " + ", ".join(self.awaiting))
        return "; ".join(parts)


@dataclass(frozen=True)
class Matrix:
    """Candidates × questions (or competencies) for one role."""

    role: JobRole
    align: Align
    frozen: bool  # the role's kit is frozen: every column is the same question for everyone
    columns: list[Column]
    rows: list[Row]
    sheets: list[Sheet]  # visible submitted and draft scorecards, per interviewer
    competencies: bool = False  # some question covers a requirement (a competency view exists)

    def recommendation_totals(self) -> dict[str, int]:
        totals = dict.fromkeys(RECOMMENDATIONS, 0)
        for row in self.rows:
            for key, count in row.recommendations.items():
                totals[key] = totals.get(key, 0) + count
        return totals


# --- reading -------------------------------------------------------------------

@dataclass(frozen=True)
class _Kit:
    id: int
    candidate: str
    created: datetime
    questions: list[Question]


@dataclass
class _Card:
    id: int
    kit_id: int
    interviewer: str
    key: str
    status: str
    recommendation: str | None
    summary: str
    submitted_at: datetime | None
    scores: dict[int, int | None] = field(default_factory=dict)


def _questions(raw: str) -> list[Question]:
    known = set(Question.__dataclass_fields__)
    return [Question(**{k: v for k, v in q.items() if k in known}) for q in json.loads(raw)]


def _kits(conn: Connection, book: RoleBook, role_id: int) -> list[_Kit]:
    """The role's kits this user may read (the access clause applied in the query)."""
    rows = conn.execute(
        sa.select(KITS.c.id, KITS.c.candidate, KITS.c.created_at, KITS.c.questions)
        .where(KITS.c.role_id == role_id, policy.kit_visible(book.scope.user))
        .order_by(KITS.c.candidate_key, KITS.c.id)).all()
    return [_Kit(r.id, r.candidate, r.created_at, _questions(r.questions)) for r in rows]


def _cards(conn: Connection, kit_ids: Sequence[int]) -> list[_Card]:
    rows = conn.execute(sa.select(SCORECARDS).where(SCORECARDS.c.kit_id.in_(kit_ids))
                        .order_by(SCORECARDS.c.kit_id, SCORECARDS.c.id)).mappings().all()
    cards = {r["id"]: _Card(r["id"], r["kit_id"], r["interviewer"], r["interviewer_key"],
                            r["status"], r["recommendation"], r["summary"] or "",
                            r["submitted_at"]) for r in rows}
    if cards:
        items = conn.execute(sa.select(SCORECARD_ITEMS.c.scorecard_id, SCORECARD_ITEMS.c.number,
                                       SCORECARD_ITEMS.c.score, SCORECARD_ITEMS.c.state)
                             .where(SCORECARD_ITEMS.c.scorecard_id.in_(list(cards))))
        for item in items:
            valid = isinstance(item.score, int) and 1 <= item.score <= 5
            skipped = item.state == "skipped"
            cards[item.scorecard_id].scores[item.number] = (
                item.score if valid and not skipped else None)
    return list(cards.values())


def _shared(conn: Connection, kit_ids: Sequence[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for kit_id, grantee in conn.execute(sa.select(SHARES.c.kit_id, SHARES.c.grantee)
                                        .where(SHARES.c.kit_id.in_(kit_ids))):
        found.setdefault(kit_id, set()).add(grantee)
    return found


# --- columns -------------------------------------------------------------------

def _question_columns(kits: Sequence[_Kit], frozen: Sequence[Question] | None,
                      scored: Iterable[int]) -> tuple[list[Column], dict[tuple[int, int], str]]:
    """Columns by question number (a question's column is ``Q<number>``: no map needed)."""
    titles = {q.number: q.text for q in frozen or ()}
    numbers = sorted({*titles, *(q.number for k in kits for q in k.questions), *scored})
    columns = [Column(f"Q{n}", titles.get(n) or f"Question {n}", n,
                      {k.id: q.text for k in kits for q in k.questions if q.number == n})
               for n in numbers]
    return columns, {}


def _competency_columns(kits: Sequence[_Kit], frozen: Sequence[Question] | None
                        ) -> tuple[list[Column], dict[tuple[int, int], str]]:
    """Columns by the requirement each question covers (first seen first)."""
    order: dict[str, dict[int, list[str]]] = {}
    where: dict[tuple[int, int], str] = {}
    for q in frozen or ():
        if q.covers:
            order.setdefault(" ".join(q.covers.split()), {})
    for kit in kits:
        for q in kit.questions:
            key = " ".join((q.covers or "").split()) or OTHER
            order.setdefault(key, {}).setdefault(kit.id, []).append(f"Q{q.number}. {q.text}")
            where[(kit.id, q.number)] = key
    if OTHER in order:  # last
        order[OTHER] = order.pop(OTHER)
    columns = [Column(key, key, None, {kid: " / ".join(t) for kid, t in texts.items()})
               for key, texts in order.items()]
    return columns, where


# --- rows ----------------------------------------------------------------------

def _row(kit: _Kit, cards: Sequence[_Card], columns: Sequence[Column],
         where: Mapping[tuple[int, int], str], hidden: str | None,
         awaiting: Iterable[str]) -> Row:
    submitted = [c for c in cards if c.status == SUBMITTED]
    drafts = tuple(c.interviewer for c in cards if c.status == DRAFT)
    per: dict[str, list[int]] = {col.key: [] for col in columns}
    per_cards: dict[str, int] = dict.fromkeys(per, 0)
    for card in submitted:
        touched: set[str] = set()
        for number, score in card.scores.items():
            key = where.get((kit.id, number), f"Q{number}")
            if score is not None and key in per:
                per[key].append(score)
                touched.add(key)
        for key in touched:
            per_cards[key] += 1
    cells = {key: Cell(tuple(v), per_cards[key], hidden=hidden is not None)
             for key, v in per.items()}
    card_means = tuple(m for c in submitted
                       if (m := _mean([s for s in c.scores.values() if s is not None]))
                       is not None)
    recs = dict.fromkeys(RECOMMENDATIONS, 0)
    for card in submitted:
        if card.recommendation in recs:
            recs[card.recommendation] += 1
    started = {c.key for c in cards}
    return Row(kit.id, kit.candidate, kit.created, cells,
               card_means=() if hidden else card_means,
               scores=() if hidden else tuple(s for v in per.values() for s in v),
               recommendations={} if hidden else recs, submitted=len(submitted),
               drafts=drafts, awaiting=tuple(sorted(set(awaiting) - started)), hidden=hidden)


def _hidden(conn: Connection, book: RoleBook, kit_id: int, cards: Sequence[_Card]) -> str | None:
    user = book.scope.user
    if policy.sees_others_scores(conn, user, kit_id):
        return None
    own = any(c.key == user.key for c in cards)
    return HIDDEN if own else HIDDEN_NO_CARD


def _sheet(kit: _Kit, card: _Card) -> Sheet:
    """A submitted card with its scores; a draft only says that it exists (not counted)."""
    if card.status != SUBMITTED:
        return Sheet(kit.id, kit.candidate, card.interviewer, card.status, None, None, "", {})
    return Sheet(kit.id, kit.candidate, card.interviewer, card.status, card.recommendation,
                 card.submitted_at, card.summary, dict(sorted(card.scores.items())))


def _frozen_questions(book: RoleBook, role: JobRole) -> list[Question] | None:
    """The frozen kit's questions; None without one this user may read (compare by number)."""
    kit_id = book.frozen_kit_id(role)
    if kit_id is None:
        return None
    try:
        return book.scope.kit(kit_id, record_view=False).questions
    except KitError:  # deleted in between
        return None


def compare(book: RoleBook, role_id: int, align: Align = Align.QUESTION) -> Matrix:
    """The comparison matrix of role ``role_id`` as ``book``'s user may see it."""
    role = book.get(role_id)
    frozen = _frozen_questions(book, role)
    with book.engine.connect() as conn:
        kits = _kits(conn, book, role_id)
        ids = [k.id for k in kits]
        cards = _cards(conn, ids) if ids else []
        shared = _shared(conn, ids) if ids else {}
        by_kit = {k.id: [c for c in cards if c.kit_id == k.id] for k in kits}
        hidden = {k.id: _hidden(conn, book, k.id, by_kit[k.id]) for k in kits}
    scored = {n for c in cards for n in c.scores}
    columns, where = (_competency_columns(kits, frozen) if align is Align.COMPETENCY
                      else _question_columns(kits, frozen, scored))
    rows = [_row(k, by_kit[k.id], columns, where, hidden[k.id], shared.get(k.id, ()))
            for k in kits]
    sheets = [_sheet(k, c) for k in kits if hidden[k.id] is None for c in by_kit[k.id]]
    competencies = any(q.covers for k in kits for q in k.questions) or any(
        q.covers for q in frozen or ())
    return Matrix(role, align, frozen is not None, columns, rows, sheets, competencies)
