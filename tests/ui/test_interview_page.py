"""Interview mode under ``streamlit.testing.v1.AppTest``, on a real SQLite store: notes
reach the database without a submit, a fresh session reads them back, submitting makes
the scorecard read-only, and the others' scores stay hidden until then."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.access.model import LOCAL_USER, Role, User
from interviewkit.access.scope import Scope
from interviewkit.config import load_settings
from interviewkit.history import Store, open_store
from interviewkit.history.audit import Action, entries
from interviewkit.interview import Recommendation, Scorecards, interviewer_for
from interviewkit.kit.model import Question, Visibility
from interviewkit.ui.interview_view import NOTES_PREFIX, _base
from interviewkit.ui.resources import USER_KEY
from tests.conftest import ROOT, Downloads, texts
from tests.kit.test_kit import make_kit

ANA = User("ana@team.example", "Ana", Role.RECRUITER)
IVY = User("ivy@team.example", "Ivy", Role.INTERVIEWER)
OTTO = User("otto@team.example", "Otto", Role.INTERVIEWER)  # nothing shared with him
NAME = "Sam Smith"


@pytest.fixture
def store() -> Store:
    """The store the page opens (same process, same INTERVIEWKIT_HOME)."""
    return open_store(load_settings())


@pytest.fixture
def kit_id(store: Store) -> int:
    """A private kit of Ana's, shared with Ivy; the first question has a rating guide."""
    kit = make_kit("Jane Q. Doe", owner=ANA.key, visibility=Visibility.PRIVATE)
    first = kit.questions[0]
    kit.questions[0] = Question(first.number, first.text, first.listen_for, first.follow_up,
                                rating=["Vague", "Some numbers", "Measured trade-offs"])
    ident = store.save(kit)
    Scope(store, ANA).share(ident, IVY.email)
    return ident


def interview(*, kit: int | None = None, name: str | None = None,
              user: User | None = None) -> AppTest:
    """A fresh session of the page (a reload), deep-linked as the browser would be."""
    at = AppTest.from_file(str(ROOT / "pages" / "interview.py"), default_timeout=30)
    if kit is not None:
        at.query_params["kit"] = str(kit)
    if name is not None:
        at.query_params["interviewer"] = name
    if user is not None:
        at.session_state[USER_KEY] = user
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def keys(kit_id: int, who: User | None = None) -> str:
    """The widget-key stem of ``who``'s scorecard on the kit (default: the named one)."""
    return _base(kit_id, who or interviewer_for(LOCAL_USER, NAME))


def test_without_kits_the_page_says_where_they_come_from() -> None:
    at = interview()
    assert at.title[0].value == "Interview mode"
    assert "No saved kits you can open" in texts(at.info)


def test_pick_a_kit_and_a_name_type_notes_and_a_fresh_session_has_them(store: Store,
                                                                      kit_id: int) -> None:
    at = interview()
    ok(at.selectbox(key="iv_kit").select(kit_id).run())
    assert "Type your name" in texts(at.info), "open mode: who is scoring?"
    ok(at.text_input(key="iv_name").input(NAME).run())
    assert at.query_params == {"kit": str(kit_id), "interviewer": NAME}, "a reload keeps both"
    assert "How did you scale the Django service" in texts(at.markdown)
    guide = " ".join(texts(at.caption).split())
    assert "Rating guide:** 1: Vague · 3: Some numbers · 5: Measured trade-offs" in guide
    part = keys(kit_id)
    ok(at.text_area(key=f"{NOTES_PREFIX}{part}_1").input("Sharded by tenant, 40k rps").run())
    ok(at.segmented_control(key=f"iv_score_{part}_1").set_value(4).run())
    ok(at.segmented_control(key=f"iv_state_{part}_2").set_value("skipped").run())
    ok(at.segmented_control(key=f"iv_rec_{part}").set_value(Recommendation.YES).run())
    ok(at.text_area(key=f"{NOTES_PREFIX}{part}_summary").input("Hire.").run())
    assert texts(at.caption).count("Saved ") == 3, "each part says when it was saved"
    card = Scorecards(Scope(store, LOCAL_USER), interviewer_for(LOCAL_USER, NAME)).current(
        kit_id)
    assert card.item(1).notes == "Sharded by tenant, 40k rps" and card.item(1).score == 4
    assert card.item(2).state.value == "skipped" and card.summary == "Hire."

    again = interview(kit=kit_id, name=NAME)  # a reload: a new session, only the database
    assert again.text_area(key=f"{NOTES_PREFIX}{part}_1").value == "Sharded by tenant, 40k rps"
    assert again.segmented_control(key=f"iv_score_{part}_1").value == 4
    assert again.segmented_control(key=f"iv_rec_{part}").value == Recommendation.YES
    assert again.text_area(key=f"{NOTES_PREFIX}{part}_summary").value == "Hire."
    updates = [e for e in entries(store.engine)
               if e.target_kind == "scorecard" and e.action is Action.UPDATE]
    assert updates == [], "one session created it: no update row per keystroke"


def test_submit_asks_first_then_the_scorecard_is_read_only_and_amendable(
        store: Store, kit_id: int, downloads: Downloads) -> None:
    at = interview(kit=kit_id, name=NAME)
    part = keys(kit_id)
    ok(at.text_area(key=f"{NOTES_PREFIX}{part}_1").input("Good depth").run())
    ok(at.button(key="iv_submit").click().run())
    ok(at.button(key="iv_submit_yes").click().run())
    assert "Choose an overall recommendation" in texts(at.error)
    ok(at.segmented_control(key=f"iv_rec_{part}").set_value(Recommendation.MIXED).run())
    ok(at.button(key="iv_submit").click().run())
    assert "becomes read-only" in texts(at.warning)
    ok(at.button(key="iv_submit_yes").click().run())
    assert "Scorecard submitted." in texts(at.success)
    assert not [a for a in at.text_area if a.key.startswith(NOTES_PREFIX)], "no inputs left"
    assert "Good depth" in texts(at.markdown)
    ok(at.selectbox(key="iv_amend_target").select("Q1 score").run())
    ok(at.segmented_control(key="iv_amend_value_1_score").set_value("5").run())
    ok(at.text_input(key="iv_amend_reason").input("Re-read after the debrief").run())
    ok(at.button(key="iv_amend_save").click().run())
    assert "Amendment recorded: Q1 score." in texts(at.success)
    body = texts(at.markdown)
    assert "**5 / 5**" in body and "Q1 score “—” → “5” (reason: Re-read after the debrief)" in body
    assert [d.key for d in at.get("download_button")] == ["iv_dl_docx", "iv_dl_pdf"]
    assert downloads.fetch(at.get("download_button")[0])[:2] == b"PK"  # the DOCX itself
    exports = [e for e in entries(store.engine) if e.action is Action.EXPORT]
    assert [(e.target_kind, e.detail) for e in exports] == [("scorecard", f"docx; as {NAME}")]


def test_the_others_scores_stay_hidden_until_you_submit(store: Store, kit_id: int) -> None:
    ivy = Scorecards(Scope(store, IVY))
    ivy.save_score(kit_id, 1, 2)
    ivy.save_recommendation(kit_id, Recommendation.NO)
    ivy.submit(kit_id)
    at = interview(kit=kit_id, name=NAME)
    assert "1 other scorecard(s) on this kit, hidden until you submit yours" in texts(
        at.warning)
    assert not [e for e in at.expander if e.label.startswith("Ivy")]
    part = keys(kit_id)
    ok(at.segmented_control(key=f"iv_rec_{part}").set_value(Recommendation.YES).run())
    ok(at.button(key="iv_submit").click().run())
    ok(at.button(key="iv_submit_yes").click().run())
    assert "1 submitted scorecard(s) from other interviewers" in texts(at.info)
    assert [e.label for e in at.expander][-1].startswith("Ivy — No")
    ana = interview(kit=kit_id, user=ANA)  # a recruiter with no card of her own sees both
    assert "2 submitted scorecard(s)" in texts(ana.info)


def test_a_signed_in_interviewer_scores_as_themselves_and_sees_only_shared_kits(
        store: Store, kit_id: int) -> None:
    at = interview(kit=kit_id, user=IVY)
    assert "Scoring as **Ivy**" in texts(at.caption) and not at.text_input
    part = keys(kit_id, IVY)
    ok(at.text_area(key=f"{NOTES_PREFIX}{part}_1").input("Ivy's notes").run())
    assert Scorecards(Scope(store, IVY)).current(kit_id).item(1).notes == "Ivy's notes"
    denied = interview(kit=kit_id, user=OTTO)
    assert f"No kit #{kit_id} that you can open" in texts(denied.error)
    assert "No saved kits you can open" in texts(denied.info)
    assert any(e.action is Action.DENIED and e.actor == OTTO.key
               for e in entries(store.engine))


def test_the_clock_starts_pauses_and_keeps_its_time_in_the_database(store: Store,
                                                                    kit_id: int) -> None:
    at = interview(kit=kit_id, name=NAME)
    assert "0:00" in texts(at.markdown) and not at.button(key="iv_clock_start").disabled
    ok(at.button(key="iv_clock_start").click().run())
    assert "· running" in texts(at.markdown)
    who = interviewer_for(LOCAL_USER, NAME)
    assert Scorecards(Scope(store, LOCAL_USER), who).current(kit_id).running
    again = interview(kit=kit_id, name=NAME)  # a reload: the clock is still running
    ok(again.button(key="iv_clock_pause").click().run())
    card = Scorecards(Scope(store, LOCAL_USER), who).current(kit_id)
    assert not card.running and card.clock_elapsed_s > 0
    assert "· paused" in texts(again.markdown) and again.button(key="iv_clock_start").label == (
        "Resume clock")
