"""What each role sees in the pages (AppTest, real SQLite store): the same access check
as the package, so an interviewer's History lists only what is shared with them, and the
admin page and Generate turn away those who may not use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.access.model import Role, User
from interviewkit.access.scope import Scope
from interviewkit.config import load_settings
from interviewkit.history import Store, open_store
from interviewkit.history.audit import Action, entries
from interviewkit.kit.model import Visibility
from interviewkit.ui.resources import USER_KEY
from tests.conftest import ROOT, Downloads, texts
from tests.kit.test_kit import make_kit

ANA = User("ana@team.example", "Ana", Role.RECRUITER)
IVY = User("ivy@team.example", "Ivy", Role.INTERVIEWER)
ADA = User("ada@team.example", "Ada", Role.ADMIN)


@pytest.fixture
def store() -> Store:
    opened = open_store(load_settings())
    now = datetime.now(UTC)
    opened.save(make_kit("Team Tia", owner=ANA.key, created=now))
    shared = opened.save(make_kit("Shared Sam", owner=ANA.key, visibility=Visibility.PRIVATE,
                                  cv_sha256="cd" * 32, created=now))
    opened.save(make_kit("Old Olga", owner=ANA.key, cv_sha256="ef" * 32,
                         created=datetime.now(UTC) - timedelta(days=400)))
    Scope(opened, ANA).share(shared, IVY.email)
    return opened


def page_as(user: User, name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30)
    at.session_state[USER_KEY] = user
    at.run()
    assert not at.exception, at.exception
    return at


def _listed(at: AppTest) -> set[str]:
    return set(at.dataframe[0].value["candidate"])


def test_an_interviewers_history_lists_only_what_is_shared_with_them(store: Store) -> None:
    at = page_as(IVY, "history")
    assert _listed(at) == {"Shared Sam"}
    assert "1 kit(s)" in texts(at.caption)
    labels = [b.label for b in at.button]
    assert not {"Delete candidate", "Re-run", "Save name"} & set(labels)
    assert not any("rating guide" in label for label in labels)
    assert [e.action for e in entries(store.engine, actor=IVY.key)] == \
        [Action.VIEW, Action.SIGN_IN]  # newest first


def test_a_recruiter_sees_the_teams_kits_with_their_deletion_dates(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWKIT_RETENTION_DAYS", "365")
    at = page_as(User("ben@team.example", "Ben", Role.RECRUITER), "history")
    table = at.dataframe[0].value
    assert set(table["candidate"]) == {"Team Tia"}  # the private kit is not listed, Olga purged
    assert all(len(d) == 10 for d in table["deleted on"])
    assert "deleted automatically on" in texts(at.caption)
    assert [e.detail for e in entries(store.engine, action=Action.PURGE)] == \
        ["older than 365 days"]


def test_a_recruiter_re_runs_the_teams_kits_but_changes_only_their_own(store: Store) -> None:
    labels = {b.label for b in page_as(User("ben@team.example", "Ben", Role.RECRUITER),
                                       "history").button}
    assert "Re-run" in labels and not {"Delete candidate", "Save name"} & labels
    labels = {b.label for b in page_as(ANA, "history").button}
    assert {"Re-run", "Delete candidate", "Save name"} <= labels


def test_interviewers_cannot_generate(store: Store) -> None:
    at = page_as(IVY, "generate")
    assert "Interviewers open the kits shared with them" in texts(at.info)
    assert not at.file_uploader


def test_the_admin_page_is_for_admins_only(store: Store) -> None:
    assert "Only admins see the audit trail" in texts(page_as(ANA, "admin").info)
    at = page_as(ADA, "admin")
    actions = set(at.dataframe[0].value["action"])
    assert {"share", "purge"} <= actions or {"share"} <= actions
    assert "Retention limit: **none** (not set)" in at.markdown[0].value
    at.number_input(key="adm_days").set_value(365)
    at.button(key="adm_days_save").click().run()
    assert not at.exception, at.exception
    assert "Retention limit: **365 days** (set here)" in at.markdown[0].value
    # the new limit applies at once: the automatic purge removed the 400-day-old kit
    assert store.count() == 2 and "would delete 0 kit(s)" in texts(at.caption)
    (purged,) = entries(store.engine, action=Action.PURGE)
    assert purged.actor == "system:retention"


def test_a_kit_download_is_audited_when_the_browser_fetches_it(store: Store,
                                                                downloads: Downloads) -> None:
    at = page_as(IVY, "history")
    md = at.download_button(key="hist_dl_md")
    assert not entries(store.engine, action=Action.EXPORT), "rendering the button is no export"
    assert b"Shared Sam" in downloads.fetch(md)
    (export,) = entries(store.engine, action=Action.EXPORT)
    assert (export.actor, export.detail) == (IVY.key, "md")
