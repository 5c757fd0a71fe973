"""The comparison matrix from real scorecard rows: submitted only, missing marked, and the
independence rule (no one sees others' scores on a kit while their own is a draft)."""

from __future__ import annotations

import pytest

from interviewkit.access.model import User
from interviewkit.access.scope import Scope
from interviewkit.errors import AccessDenied
from interviewkit.history import Store
from interviewkit.history.audit import Action, entries
from interviewkit.kit.model import Visibility
from interviewkit.roles import RoleBook
from interviewkit.roles.compare import HIDDEN, HIDDEN_NO_CARD, OTHER, Align, Matrix, Row, compare
from interviewkit.roles.frozen import role_frozen_kit
from tests.roles.seed import (
    ADMIN,
    INES,
    IVAN,
    OTHER_RECRUITER,
    RECRUITER,
    demo_role,
    save_kit,
    scorecard,
    share,
)

OTHER_MD = """### 1. What did you learn from the Porto thesis?
**Listen for:**
- Reflects on the method
**Follow-up:** What would you do differently?

### 2. How do you review code?
**Listen for:**
- Names concrete habits
**Follow-up:** Give an example.
"""


def matrix(store: Store, user: User, role_id: int, align: Align = Align.QUESTION) -> Matrix:
    return compare(RoleBook(Scope(store, user)), role_id, align)


def rows(m: Matrix) -> dict[str, Row]:
    return {r.candidate: r for r in m.rows}


def test_mean_spread_and_count_come_from_submitted_scorecards_only(any_store: Store) -> None:
    role_id, kits = demo_role(any_store)
    m = matrix(any_store, RECRUITER, role_id)
    assert [c.key for c in m.columns] == ["Q1", "Q2", "Q3"] and not m.frozen
    assert [r.candidate for r in m.rows] == ["Ana Lima", "Zoe Park", "김민수"]
    ana, zoe, kim = m.rows
    q1 = ana.cells["Q1"]
    assert (q1.mean, q1.low, q1.high, q1.std, q1.cards) == (3.0, 2, 4, 1.0, 2)
    assert q1.label() == "3.0 (2–4, n=2)", "Ines's draft (all 1s) is not counted"
    assert ana.cells["Q2"].label() == "4.5 (4–5, n=2)"
    assert ana.cells["Q3"].label() == "3.0 (n=2)"
    assert (ana.mean, ana.low, ana.high, ana.std, ana.submitted) == (3.5, 3.0, 4.0, 0.5, 2)
    assert ana.recommendations == {"strong_no": 0, "no": 0, "mixed": 0, "yes": 1,
                                   "strong_yes": 1}
    assert ana.missing and ana.missing_note() == "draft only: Ines Interviewer"
    assert kim.cells["Q3"].label() == "—", "a skipped question has no score"
    assert (kim.mean, kim.submitted, kim.missing) == (2.5, 1, False)
    assert zoe.mean is None and zoe.cells["Q1"].label() == "—"
    assert zoe.missing_note() == ("no submitted scorecard; draft only: Ines Interviewer; "
                                  "not started: ivan@acme.test")
    assert m.recommendation_totals() == {"strong_no": 0, "no": 0, "mixed": 1, "yes": 1,
                                         "strong_yes": 1}
    assert [(s.candidate, s.interviewer, s.status) for s in m.sheets] == [
        ("Ana Lima", "Ivan Interviewer", "submitted"), ("Ana Lima", "Ada Admin", "submitted"),
        ("Ana Lima", "Ines Interviewer", "draft"), ("Zoe Park", "Ines Interviewer", "draft"),
        ("김민수", "Ivan Interviewer", "submitted")]
    draft = m.sheets[2]
    assert draft.scores == {} and draft.recommendation is None, "a draft's scores stay private"
    assert m.sheets[4].scores == {1: 3, 2: 2, 3: None}
    assert m.columns[0].texts[kits["kim"]].startswith("How did you scale the Django")


def test_a_frozen_role_titles_its_columns_with_the_shared_questions(store: Store) -> None:
    role_id, _ = demo_role(store, frozen=True)
    m = matrix(store, RECRUITER, role_id)
    assert m.frozen
    assert m.columns[1].title == ("Walk me through the incident review after the billing API "
                                  "release failed.")


def test_kits_with_different_questions_align_by_number_with_their_own_texts(
        store: Store) -> None:
    role_id, kits = demo_role(store)
    other = save_kit(store, "Olu Ade", RECRUITER, role_id=role_id, markdown=OTHER_MD)
    scorecard(store, other, IVAN, {1: 5, 2: 4})
    m = matrix(store, RECRUITER, role_id)
    q1 = m.columns[0]
    assert q1.title == "Question 1"
    assert q1.texts[other] == "What did you learn from the Porto thesis?"
    assert q1.texts[kits["ana"]].startswith("How did you scale")
    assert rows(m)["Olu Ade"].cells["Q3"].label() == "—"
    assert rows(m)["Olu Ade"].cells["Q1"].label() == "5.0 (n=1)"


def test_competencies_group_the_questions_by_the_requirement_they_cover(store: Store) -> None:
    role_id, _ = demo_role(store)
    other = save_kit(store, "Olu Ade", RECRUITER, role_id=role_id, markdown=OTHER_MD)
    scorecard(store, other, IVAN, {1: 5, 2: 4})
    m = matrix(store, RECRUITER, role_id, Align.COMPETENCY)
    assert m.competencies
    assert [c.key for c in m.columns] == ["Python services at scale", "Incident response", OTHER]
    by = rows(m)
    ana, kim, olu = by["Ana Lima"], by["김민수"], by["Olu Ade"]
    assert ana.cells["Python services at scale"].label() == "3.0 (2–4, n=2)"
    assert ana.cells["Incident response"].mean == 4.5
    assert kim.cells["Python services at scale"].label() == "3.0 (n=1)"
    assert olu.cells[OTHER].label() == "4.5 (4–5, n=1)"
    assert m.columns[0].texts[ana.kit_id].startswith("Q1. How did you scale")
    assert " / Q3. Why did you choose PostgreSQL" in m.columns[0].texts[ana.kit_id]


def test_an_interviewer_sees_others_scores_only_after_submitting(store: Store) -> None:
    role_id, kits = demo_role(store)
    by = rows(matrix(store, IVAN, role_id))
    assert set(by) == {"Ana Lima", "Zoe Park", "김민수"}, "the kits shared with him"
    assert by["Ana Lima"].cells["Q1"].mean == 3.0
    zoe = by["Zoe Park"]
    assert zoe.hidden == HIDDEN_NO_CARD
    share(store, kits["ana"], RECRUITER, INES)
    share(store, kits["zoe"], RECRUITER, INES)
    m = matrix(store, INES, role_id)
    assert [r.candidate for r in m.rows] == ["Ana Lima", "Zoe Park"]
    for row in m.rows:
        assert row.hidden == HIDDEN and row.mean is None and row.recommendations == {}
        assert {c.label() for c in row.cells.values()} == {HIDDEN}
    assert m.sheets == [], "nothing of a hidden kit, not even the others' recommendations"
    assert m.recommendation_totals() == dict.fromkeys(m.recommendation_totals(), 0)


def test_a_recruiter_with_a_draft_of_their_own_waits_too(store: Store) -> None:
    role_id, kits = demo_role(store)
    scorecard(store, kits["kim"], RECRUITER, {1: 4}, status="draft")
    by = rows(matrix(store, RECRUITER, role_id))
    assert by["김민수"].hidden == HIDDEN
    assert by["Ana Lima"].hidden is None
    assert rows(matrix(store, ADMIN, role_id))["김민수"].mean == 2.5


def test_a_role_the_user_cannot_see_is_refused(store: Store) -> None:
    role_id, _ = demo_role(store)
    with pytest.raises(AccessDenied, match=f"No role #{role_id}"):
        matrix(store, INES, role_id)


def test_a_frozen_kit_the_user_cannot_read_is_not_used_and_not_audited(store: Store) -> None:
    role_id, _ = demo_role(store)
    private = save_kit(store, "Zed Private", OTHER_RECRUITER, visibility=Visibility.PRIVATE)
    RoleBook(Scope(store, ADMIN)).freeze(role_id, private)
    rita = RoleBook(Scope(store, RECRUITER))
    assert rita.frozen_kit_id(rita.get(role_id)) is None
    assert not compare(rita, role_id).frozen
    assert role_frozen_kit(rita, role_id) is None
    assert entries(store.engine, action=Action.DENIED) == [], "no refusal on every page run"
    admin = RoleBook(Scope(store, ADMIN))
    assert compare(admin, role_id).frozen
