"""Interview mode: each interviewer's scorecard on a kit, saved as typed, scored
independently, submitted once and amended only on record."""

from interviewkit.interview.model import (
    SCORES,
    Amendment,
    Field,
    Item,
    ItemState,
    Others,
    Recommendation,
    Scorecard,
    ScorecardStatus,
    clock_text,
    interviewer_for,
)
from interviewkit.interview.store import Scorecards

__all__ = ["SCORES", "Amendment", "Field", "Item", "ItemState", "Others", "Recommendation",
           "Scorecard", "ScorecardStatus", "Scorecards", "clock_text", "interviewer_for"]
