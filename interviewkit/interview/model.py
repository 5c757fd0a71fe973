"""A scorecard as data: one interviewer's notes, scores and verdict on one kit.

A scorecard belongs to an interviewer - the signed-in user, or in open mode the
name typed on the page (:func:`interviewer_for`) - so several people can score
the same candidate independently.  Submitted, it is read-only; a later change
is an :class:`Amendment`, kept and listed, never a silent edit.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from interviewkit.access.model import Role, User
from interviewkit.errors import ScorecardError
from interviewkit.kit.model import Question

SCORES = (1, 2, 3, 4, 5)
MAX_TEXT = 20_000  # characters of notes or summary: pages of notes, not a pasted CV


class ScorecardStatus(enum.StrEnum):
    """A draft saves as it is typed; a submitted scorecard only takes amendments."""

    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return "Draft" if self is ScorecardStatus.DRAFT else "Submitted"


class ItemState(enum.StrEnum):
    """Whether a question was put to the candidate."""

    PENDING = "pending"
    ASKED = "asked"
    SKIPPED = "skipped"

    @property
    def label(self) -> str:
        return {"pending": "Not yet", "asked": "Asked", "skipped": "Skipped"}[self.value]


class Recommendation(enum.StrEnum):
    """The overall verdict, on the five-point scale hiring teams use."""

    STRONG_NO = "strong_no"
    NO = "no"
    MIXED = "mixed"
    YES = "yes"
    STRONG_YES = "strong_yes"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Field(enum.StrEnum):
    """What an amendment changes: a question's notes, score or state, or the overall part."""

    NOTES = "notes"
    SCORE = "score"
    STATE = "state"
    RECOMMENDATION = "recommendation"
    SUMMARY = "summary"

    @property
    def per_question(self) -> bool:
        return self in {Field.NOTES, Field.SCORE, Field.STATE}

    @property
    def label(self) -> str:
        return "asked / skipped" if self is Field.STATE else self.value


@dataclass(frozen=True)
class Item:
    """One question's part of a scorecard (a question not touched yet has the defaults)."""

    number: int
    notes: str = ""
    score: int | None = None
    state: ItemState = ItemState.PENDING
    updated: datetime | None = None


@dataclass(frozen=True)
class Amendment:
    """A recorded change to a submitted scorecard: who, when, what, from, to, and why."""

    id: int
    at: datetime
    by: str
    number: int | None
    field: Field
    old: str | None
    new: str | None
    reason: str

    def target(self) -> str:
        return f"Q{self.number} {self.field.label}" if self.number else self.field.label

    def line(self) -> str:
        return (f"{self.at:%Y-%m-%d %H:%M} UTC, {self.by}: {self.target()} "
                f"“{self.old or '—'}” → “{self.new or '—'}” (reason: {self.reason})")


@dataclass(frozen=True)
class Scorecard:
    """One interviewer's scorecard on one kit; ``id`` is None until something is saved."""

    id: int | None
    kit_id: int
    interviewer: str
    interviewer_key: str
    status: ScorecardStatus = ScorecardStatus.DRAFT
    recommendation: Recommendation | None = None
    summary: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    submitted: datetime | None = None
    clock_started: datetime | None = None
    clock_elapsed_s: float = 0.0
    items: dict[int, Item] = field(default_factory=dict)
    amendments: tuple[Amendment, ...] = ()

    def item(self, number: int) -> Item:
        return self.items.get(number) or Item(number)

    @property
    def read_only(self) -> bool:
        return self.status is ScorecardStatus.SUBMITTED

    @property
    def running(self) -> bool:
        return self.clock_started is not None

    def elapsed(self, now: datetime | None = None) -> float:
        """Seconds on the clock: what accumulated, plus the running stretch (which keeps
        counting through a reload or a server restart, as the interview does)."""
        if self.clock_started is None:
            return self.clock_elapsed_s
        now = now or datetime.now(UTC)
        return self.clock_elapsed_s + max(0.0, (now - self.clock_started).total_seconds())

    def last_saved(self) -> datetime | None:
        """When anything of this scorecard was last written."""
        times = [t for t in (self.updated, *(i.updated for i in self.items.values())) if t]
        return max(times) if times else None


@dataclass(frozen=True)
class Others:
    """The other interviewers' scorecards on a kit, as much as this interviewer may see.

    ``visible`` False: only how many exist (``count``), as Greenhouse hides them
    until you have submitted your own.  Drafts never show their content, only
    who is still writing.
    """

    visible: bool
    count: int
    submitted: tuple[Scorecard, ...] = ()
    drafts: tuple[str, ...] = ()

    def message(self) -> str:
        if not self.count:
            return "No other interviewer has a scorecard on this kit yet."
        if not self.visible:
            return (f"{self.count} other scorecard(s) on this kit, hidden until you submit "
                    "yours, so that your scores stay your own.")
        drafts = f"; still writing: {', '.join(self.drafts)}" if self.drafts else ""
        return f"{len(self.submitted)} submitted scorecard(s) from other interviewers{drafts}."


def amend_targets(questions: Sequence[Question]) -> dict[str, tuple[int | None, Field]]:
    """What an amendment can change, by label: each question's score, notes and state,
    then the recommendation and the summary."""
    found: dict[str, tuple[int | None, Field]] = {
        f"Q{q.number} {what.label}": (q.number, what)
        for q in questions for what in (Field.SCORE, Field.NOTES, Field.STATE)}
    return {**found, "Recommendation": (None, Field.RECOMMENDATION),
            "Summary": (None, Field.SUMMARY)}


def amend_choices(what: Field) -> dict[str, str] | None:
    """The values an amendment may set, stored value -> label (None: free text)."""
    if what is Field.SCORE:
        return {str(n): str(n) for n in SCORES}
    if what is Field.STATE:
        return {s.value: s.label for s in ItemState}
    if what is Field.RECOMMENDATION:
        return {r.value: r.label for r in Recommendation}
    return None


def name_key(name: str) -> str:
    """An interviewer's name as a key: case- and space-insensitive."""
    return " ".join(name.split()).casefold()


def interviewer_for(user: User, name: str = "") -> User:
    """Who scores: the signed-in user, or in open mode (no sign-in) the name typed on
    the page, keyed by its casefolded form.  The one place that decides it.

    A named open-mode interviewer counts as an interviewer for independent scoring
    (everyone is the local admin there, who would otherwise see every score before
    writing a word); reading the kit is still checked as the signed-in (local) user.
    """
    if user.signed_in:
        return user
    clean = " ".join(name.split())
    if not clean:
        raise ScorecardError("Type your name: each interviewer keeps their own scorecard.",
                             code="no_interviewer")
    return User(email=name_key(clean), name=clean, role=Role.INTERVIEWER, signed_in=False)


def clock_text(seconds: float) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` from then on."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
