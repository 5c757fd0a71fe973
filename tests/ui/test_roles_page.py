"""The Roles & comparison page under ``streamlit.testing.v1.AppTest``, on a real SQLite store
with scorecard rows: create a role, see the matrix, its chart and its downloads."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.access.model import LOCAL_USER
from interviewkit.access.scope import Scope
from interviewkit.config import load_settings
from interviewkit.history import Store, open_store
from interviewkit.history.audit import Action, entries
from interviewkit.roles import RoleBook
from interviewkit.testing.mockserver import Reply
from interviewkit.ui import resources
from tests.conftest import Downloads, app_on_mock, generate_state, open_page, texts
from tests.roles.seed import IVAN, NEW_CV, RECRUITER, demo_role, save_kit


@pytest.fixture
def store() -> Store:
    """The store the page opens (same process, same INTERVIEWKIT_HOME)."""
    return open_store(load_settings())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def test_create_a_role_and_open_it(store: Store) -> None:
    at = open_page("roles")
    assert at.title[0].value == "Roles & comparison"
    assert "No roles yet" in texts(at.info)
    at.text_input(key="roles_new_title").input("  Data   Engineer ")
    at.text_area(key="roles_new_job").input("Required: Spark, SQL")
    ok(at.button(key="roles_new_go").click().run())
    assert "Role “Data Engineer” created." in texts(at.success)
    assert at.subheader[0].value == "Data Engineer"
    assert at.selectbox(key="roles_pick").value is not None
    assert "No candidates in this role yet" in texts(at.info)
    assert [r.title for r in RoleBook(Scope(store, LOCAL_USER)).all()] == ["Data Engineer"]


def test_the_matrix_chart_and_downloads(store: Store, downloads: Downloads) -> None:
    role_id, kits = demo_role(store)
    at = ok(open_page("roles"))
    assert at.subheader[0].value == "Senior Backend Engineer"
    (frame,) = [d.value for d in at.dataframe][:1]
    assert list(frame["Candidate"]) == [f"Ana Lima (#{kits['ana']})", f"Zoe Park (#{kits['zoe']})",
                                        f"김민수 (#{kits['kim']})"]
    ana, zoe, kim = frame.to_dict("records")
    assert (ana["Q1"], ana["Q2"], ana["Overall"]) == ("3.0 (2–4, n=2)", "4.5 (4–5, n=2)",
                                                      "3.5 (3.0–4.0)")
    assert ana["Missing"] == "⚠ draft only: Ines Interviewer"
    assert zoe["Q1"] == "—" and zoe["Missing"].startswith("⚠ no submitted scorecard")
    assert kim["Recommendations"] == "1 mixed" and kim["Missing"] == ""
    assert len(at.get("vega_lite_chart")) == 2, "candidate means and the heatmap"
    buttons = at.get("download_button")
    assert [b.key for b in buttons] == ["roles_dl_csv", "roles_dl_xlsx"]
    views = [e for e in entries(store.engine, action=Action.VIEW) if e.target_kind == "role"]
    assert [(e.target_id, e.detail) for e in views] == [(str(role_id), "comparison")]
    assert not entries(store.engine, action=Action.EXPORT), "recorded when fetched"
    assert downloads.fetch(buttons[1])[:2] == b"PK"  # what the browser gets: an XLSX
    exports = entries(store.engine, action=Action.EXPORT)
    assert [(e.target_kind, e.target_id, e.detail) for e in exports] == [
        ("role", str(role_id), "xlsx")]
    ok(at.button_group(key="roles_align").set_value("competency").run())
    assert list(at.dataframe[0].value.columns)[:4] == ["Candidate", "Overall",
                                                       "Python services at scale",
                                                       "Incident response"]


def test_assign_and_freeze_a_kit(store: Store) -> None:
    _, kits = demo_role(store)
    loose = save_kit(store, "Olu Ade", RECRUITER)
    at = ok(open_page("roles"))
    ok(at.selectbox(key="roles_assign_kit").select(loose).run())
    ok(at.button(key="roles_assign").click().run())
    assert f"Kit #{loose} added to Senior Backend Engineer." in texts(at.success)
    assert any(str(loose) in c for c in at.dataframe[0].value["Candidate"])
    at.selectbox(key="roles_freeze_kit").select(kits["kim"])
    ok(at.button(key="roles_freeze").click().run())
    assert f"Kit #{kits['kim']} is now the role's kit." in texts(at.success)
    assert f"frozen kit #{kits['kim']}" in texts(at.caption)
    assert list(at.dataframe[1].value["frozen"]).count("★ role kit") == 1


def test_an_interviewer_sees_hidden_scores_and_no_editing(store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Signed in as an interviewer (the sign-in gate itself has its own tests)."""
    demo_role(store)
    monkeypatch.setattr(resources, "current_user", lambda: IVAN)
    at = ok(open_page("roles"))
    frame = at.dataframe[0].value
    zoe = frame[frame["Candidate"].str.startswith("Zoe")].to_dict("records")[0]
    assert zoe["Q1"].startswith("hidden") and zoe["Overall"].startswith("hidden")
    assert not [b for b in at.button if b.key in {"roles_new_go", "roles_freeze",
                                                  "roles_assign", "roles_archive"}]
    assert "Recruiters and admins edit roles." in texts(at.caption)


def _follow_up(body: dict[str, Any]) -> Reply:
    """A follow-up about whatever CV passage the request carries."""
    passage = body["messages"][-1]["content"].split("<cv_passage>\n")[1].split("\n")[0]
    return Reply(text=["How did ", f"“{passage[:30]}” hold up a year later?"])


def test_generate_offers_a_roles_frozen_kit(store: Store, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    role_id, kits = demo_role(store, frozen=True)
    with app_on_mock(monkeypatch, _follow_up, key="sk-frozen-test") as mock:
        at = ok(open_page())
        ok(at.selectbox(key="gen_role").select(role_id).run())
        assert at.toggle(key="gen_frozen").value, "on by default for a role with a frozen kit"
        ok(at.radio(key="cv_mode").set_value("Paste text").run())
        ok(at.text_area(key="cv_paste").input(NEW_CV).run())
        ok(at.button(key="generate").click().run())
        assert len(mock.requests) == 3, "one follow-up request per frozen question"
        job = generate_state(at).job
        assert job is not None and job.wait(10) and isinstance(job.result, int)
    saved = store.get(job.result)
    frozen = store.get(kits["ana"])
    assert saved.role_id == role_id and saved.candidate == "Bo Chen"
    assert [q.text for q in saved.questions] == [q.text for q in frozen.questions]
    assert all(q.follow_up and q.follow_up.endswith("hold up a year later?")
               for q in saved.questions)
    assert all(q.evidence_found for q in saved.questions)
    page = ok(open_page("roles"))
    assert any(c.startswith("Bo Chen") for c in page.dataframe[0].value["Candidate"])
