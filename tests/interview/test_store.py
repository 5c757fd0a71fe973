"""The scorecard store on SQLite and on a real PostgreSQL: autosave, clock, submit,
amendments, independent scoring and access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from interviewkit.access.model import LOCAL_USER
from interviewkit.access.scope import Scope
from interviewkit.errors import AccessDenied, ScorecardError
from interviewkit.history import Store
from interviewkit.history.audit import Action, entries
from interviewkit.history.schema import AMENDMENTS, SCORECARD_ITEMS, SCORECARDS
from interviewkit.interview import (
    Field,
    ItemState,
    Recommendation,
    Scorecards,
    ScorecardStatus,
    clock_text,
    interviewer_for,
)
from tests.interview.conftest import ADMIN, ALICE, BOB, EVE, RECRUITER, save_kit

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


class Clock:
    """A settable ``now`` for the store."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def tick(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def cards(store: Store, user: object = ALICE, **kwargs: object) -> Scorecards:
    return Scorecards(Scope(store, user), **kwargs)  # type: ignore[arg-type]


def scorecard_audit(store: Store) -> list[tuple[str, str]]:
    return [(e.action.value, e.actor) for e in reversed(entries(store.engine))
            if e.target_kind == "scorecard"]


def count(store: Store, table: sa.Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_opening_creates_one_draft_and_records_it_once(store: Store, kit_id: int) -> None:
    alice = cards(store)
    blank = alice.current(kit_id)
    assert blank.id is None and blank.interviewer == ALICE.name, "viewing creates nothing"
    assert count(store, SCORECARDS) == 0
    card = alice.open(kit_id)
    again = cards(store).open(kit_id)
    assert card.id == again.id and card.status is ScorecardStatus.DRAFT
    assert card.interviewer_key == ALICE.key and card.kit_id == kit_id
    assert scorecard_audit(store) == [("create", ALICE.key)]


def test_autosave_upserts_one_row_per_question_and_audits_one_update_per_session(
        store: Store, kit_id: int) -> None:
    clock = Clock()
    session: set[int] = set()
    alice = cards(store, updated=session, now=clock)
    first = alice.save_notes(kit_id, 1, "Talked about the")
    clock.tick(2)
    second = alice.save_notes(kit_id, 1, "Talked about the ledger, key sk-abcdef1234567890 "
                                         "and hunter2-secret")
    alice.save_score(kit_id, 1, 4)
    alice.save_state(kit_id, 1, ItemState.ASKED)
    alice.save_notes(kit_id, 2, "")
    alice.save_state(kit_id, 2, ItemState.SKIPPED)
    alice.save_recommendation(kit_id, Recommendation.YES)
    alice.save_summary(kit_id, "Solid.")
    assert second > first
    card = alice.current(kit_id)
    one = card.item(1)
    assert one.notes == "Talked about the ledger, key sk-[redacted] and [redacted]"
    assert (one.score, one.state) == (4, ItemState.ASKED)
    assert card.item(2).state is ItemState.SKIPPED and card.item(2).score is None
    assert (card.recommendation, card.summary) == (Recommendation.YES, "Solid.")
    assert count(store, SCORECARD_ITEMS) == 2, "an upsert, not a row per keystroke"
    assert card.last_saved() == T0 + timedelta(seconds=2)
    assert scorecard_audit(store) == [("create", ALICE.key)], "the first session is the create"
    later = cards(store, updated=set())  # another browser session
    later.save_notes(kit_id, 1, "Talked about the ledger.")
    later.save_score(kit_id, 1, 5)
    assert scorecard_audit(store) == [("create", ALICE.key), ("update", ALICE.key)]


@pytest.mark.parametrize("score", [0, 6, "x", 2.5])
def test_scores_are_one_to_five(store: Store, kit_id: int, score: object) -> None:
    with pytest.raises(ScorecardError) as err:
        cards(store).save_score(kit_id, 1, score)  # type: ignore[arg-type]
    assert err.value.code == "bad_score"
    cards(store).save_score(kit_id, 1, None)  # clearing a score is fine
    assert cards(store).current(kit_id).item(1).score is None


def test_questions_the_kit_does_not_have_and_huge_notes_are_refused(store: Store,
                                                                   kit_id: int) -> None:
    alice = cards(store)
    with pytest.raises(ScorecardError, match="no question 3"):
        alice.save_notes(kit_id, 3, "hi")
    with pytest.raises(ScorecardError, match="too long"):
        alice.save_notes(kit_id, 1, "x" * 20_001)


def test_the_clock_accumulates_across_pauses_and_restarts(store: Store, kit_id: int) -> None:
    clock = Clock()
    alice = cards(store, now=clock)
    alice.start_clock(kit_id)
    clock.tick(90)
    assert alice.current(kit_id).elapsed(clock()) == 90
    alice.start_clock(kit_id)  # starting a running clock changes nothing
    alice.pause_clock(kit_id)
    clock.tick(600)  # a break
    paused = alice.current(kit_id)
    assert not paused.running and paused.elapsed(clock()) == 90
    alice.start_clock(kit_id)
    clock.tick(30)
    restarted = cards(store, now=clock)  # a new process: only the database remembers
    card = restarted.current(kit_id)
    assert card.running and card.elapsed(clock()) == 120
    assert clock_text(card.elapsed(clock())) == "2:00" and clock_text(3725) == "1:02:05"
    restarted.save_recommendation(kit_id, Recommendation.MIXED)
    clock.tick(5)
    done = restarted.submit(kit_id)
    assert not done.running and done.clock_elapsed_s == 125, "submitting stops the clock"


def test_submitted_is_read_only(store: Store, kit_id: int) -> None:
    alice = cards(store)
    alice.save_notes(kit_id, 1, "Good answer")
    with pytest.raises(ScorecardError) as err:
        alice.submit(kit_id)
    assert err.value.code == "no_recommendation"
    alice.save_recommendation(kit_id, Recommendation.STRONG_YES)
    card = alice.submit(kit_id)
    assert card.read_only and card.submitted is not None
    saves = [lambda: alice.save_notes(kit_id, 1, "changed"),
             lambda: alice.save_score(kit_id, 1, 2),
             lambda: alice.save_state(kit_id, 2, ItemState.ASKED),
             lambda: alice.save_recommendation(kit_id, Recommendation.NO),
             lambda: alice.save_summary(kit_id, "changed"),
             lambda: alice.start_clock(kit_id),
             lambda: alice.submit(kit_id)]
    for save in saves:
        with pytest.raises(ScorecardError) as err:
            save()
        assert err.value.code == "submitted"
    assert alice.current(kit_id).item(1).notes == "Good answer"
    assert ("submit", ALICE.key) in scorecard_audit(store)


def test_an_amendment_is_recorded_changes_the_value_and_is_listed(store: Store,
                                                                  kit_id: int) -> None:
    alice = cards(store)
    alice.save_score(kit_id, 1, 3)
    alice.save_recommendation(kit_id, Recommendation.MIXED)
    with pytest.raises(ScorecardError, match="draft is changed directly"):
        alice.amend(kit_id, Field.SCORE, 4, "re-read my notes", number=1)
    alice.submit(kit_id)
    with pytest.raises(ScorecardError, match="needs a reason"):
        alice.amend(kit_id, Field.SCORE, 4, "  ", number=1)
    with pytest.raises(ScorecardError, match="already the value"):
        alice.amend(kit_id, Field.SCORE, 3, "no change", number=1)
    with pytest.raises(ScorecardError, match="not a value"):
        alice.amend(kit_id, Field.RECOMMENDATION, "maybe", "typo")
    amended = alice.amend(kit_id, Field.SCORE, "4", "Re-read my notes: the numbers were real",
                          number=1)
    alice.amend(kit_id, Field.RECOMMENDATION, Recommendation.YES, "Team debrief")
    alice.amend(kit_id, Field.NOTES, "Asked late, answered well", "Forgot to note it", number=2)
    card = alice.current(kit_id)
    assert card.read_only, "still submitted"
    assert card.item(1).score == 4 and card.recommendation is Recommendation.YES
    assert card.item(2).notes == "Asked late, answered well"
    assert [(a.number, a.field, a.old, a.new) for a in card.amendments] == [
        (1, Field.SCORE, "3", "4"), (None, Field.RECOMMENDATION, "mixed", "yes"),
        (2, Field.NOTES, "", "Asked late, answered well")]
    assert card.amendments[0] == amended and amended.by == ALICE.name
    assert "Q1 score “3” → “4” (reason: Re-read my notes" in amended.line()
    assert count(store, AMENDMENTS) == 3
    assert scorecard_audit(store).count(("amend", ALICE.key)) == 3


def test_interviewers_score_independently_until_they_submit(store: Store, kit_id: int) -> None:
    alice, bob = cards(store, ALICE), cards(store, BOB)
    assert alice.others(kit_id).count == 0
    bob.save_score(kit_id, 1, 2)
    bob.save_recommendation(kit_id, Recommendation.NO)
    bob.submit(kit_id)
    hidden = alice.others(kit_id)
    assert not hidden.visible and hidden.count == 1 and hidden.submitted == ()
    assert "hidden until you submit yours" in hidden.message()
    alice.save_score(kit_id, 1, 5)  # a draft of her own: still hidden
    assert not alice.others(kit_id).visible
    assert bob.others(kit_id).visible, "Bob has submitted: he sees Alice's card exists"
    assert bob.others(kit_id).submitted == () and bob.others(kit_id).drafts == (ALICE.name,)
    alice.save_recommendation(kit_id, Recommendation.YES)
    alice.submit(kit_id)
    seen = alice.others(kit_id)
    assert seen.visible and [c.interviewer for c in seen.submitted] == [BOB.name]
    assert seen.submitted[0].item(1).score == 2
    assert alice.current(kit_id).item(1).score == 5, "two cards, not one"


def test_admins_and_recruiters_without_a_card_see_submitted_cards(store: Store,
                                                                  kit_id: int) -> None:
    bob = cards(store, BOB)
    bob.save_recommendation(kit_id, Recommendation.STRONG_NO)
    bob.submit(kit_id)
    cards(store, ALICE).save_notes(kit_id, 1, "draft notes nobody else reads")
    for user in (ADMIN, RECRUITER):
        others = cards(store, user).others(kit_id)
        assert others.visible and [c.interviewer for c in others.submitted] == [BOB.name]
        assert others.drafts == (ALICE.name,), "a draft shows who, never what"
    rita = cards(store, RECRUITER)
    rita.save_notes(kit_id, 1, "I interview too")  # now she has a card of her own
    assert not rita.others(kit_id).visible


def test_an_interviewer_without_a_share_cannot_open_or_score(store: Store, kit_id: int) -> None:
    eve = cards(store, EVE)
    for attempt in (lambda: eve.current(kit_id), lambda: eve.open(kit_id),
                    lambda: eve.save_notes(kit_id, 1, "sneaky"), lambda: eve.others(kit_id)):
        with pytest.raises(AccessDenied):
            attempt()
    assert count(store, SCORECARDS) == 0
    denied = [e for e in entries(store.engine) if e.action is Action.DENIED]
    assert denied and all(e.actor == EVE.key for e in denied)
    team_kit = save_kit(store, RECRUITER, candidate="Team Kit")  # private by default here
    with pytest.raises(AccessDenied):
        cards(store, ALICE).save_notes(team_kit, 1, "not shared with me")


def test_open_mode_names_are_separate_interviewers(store: Store, kit_id: int) -> None:
    jane = interviewer_for(LOCAL_USER, "  Jane   Doe ")
    assert (jane.key, jane.name) == ("jane doe", "Jane Doe")
    assert interviewer_for(LOCAL_USER, "JANE DOE").key == jane.key
    assert interviewer_for(ALICE, "ignored") is ALICE, "signed in: the user, not a name"
    with pytest.raises(ScorecardError):
        interviewer_for(LOCAL_USER, "   ")
    scope = Scope(store, LOCAL_USER)
    janes = Scorecards(scope, jane)
    janes.save_notes(kit_id, 1, "Jane's notes")
    sam = Scorecards(scope, interviewer_for(LOCAL_USER, "Sam"))
    assert sam.current(kit_id).id is None
    assert not Scorecards(scope, interviewer_for(LOCAL_USER, "jane doe")).others(kit_id).count
    assert not sam.others(kit_id).visible, "a named interviewer, not the local admin"
    sam.save_notes(kit_id, 1, "Sam's notes")
    assert not sam.others(kit_id).visible and sam.others(kit_id).count == 1
    janes.save_recommendation(kit_id, Recommendation.YES)
    janes.submit(kit_id)
    assert janes.others(kit_id).visible and janes.others(kit_id).drafts == ("Sam",)
    detail = [e.detail for e in entries(store.engine) if e.target_kind == "scorecard"]
    assert any("as Jane Doe" in d for d in detail) and any("as Sam" in d for d in detail)


def test_deleting_the_kit_deletes_its_scorecards(store: Store, kit_id: int) -> None:
    alice = cards(store)
    alice.save_notes(kit_id, 1, "notes")
    alice.save_recommendation(kit_id, Recommendation.YES)
    alice.submit(kit_id)
    alice.amend(kit_id, Field.SUMMARY, "Later thought", "debrief")
    Scope(store, RECRUITER).delete(kit_id)
    assert (count(store, SCORECARDS), count(store, SCORECARD_ITEMS),
            count(store, AMENDMENTS)) == (0, 0, 0)
