"""Who may see which candidate, on SQLite and on a real PostgreSQL.

Each test is one attempt a user might make: open someone else's private kit by
id, list the team's kits as an interviewer, delete or share what they do not
own.  The refusals must read like a missing kit, and each one is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa

from interviewkit.access.model import CLI_ADMIN, Role, User
from interviewkit.access.scope import Scope
from interviewkit.errors import AccessDenied
from interviewkit.history import Store
from interviewkit.history.audit import Action, entries
from interviewkit.history.schema import AUDIT
from interviewkit.kit.model import Visibility
from interviewkit.roles import RoleBook
from tests.kit.test_kit import finished_run, make_kit

ANA = User("ana@team.example", "Ana", Role.RECRUITER)
BEN = User("ben@team.example", "Ben", Role.RECRUITER)
IVY = User("ivy@team.example", "Ivy", Role.INTERVIEWER)
ADA = User("ada@team.example", "Ada", Role.ADMIN)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened


def _save(store: Store, owner: User, candidate: str,
          visibility: Visibility = Visibility.TEAM) -> int:
    kit = make_kit(candidate, owner=owner.key, visibility=visibility)
    return store.save(kit)


def _actions(store: Store, actor: User) -> list[str]:
    return [e.action.value for e in reversed(entries(store.engine, actor=actor.key))]


def test_a_user_cannot_open_someone_elses_private_kit_by_id(store: Store) -> None:
    private = _save(store, ANA, "Private Pat", Visibility.PRIVATE)
    with pytest.raises(AccessDenied, match=f"No kit #{private} that you can open"):
        Scope(store, BEN).kit(private)
    missing = Scope(store, BEN)
    with pytest.raises(AccessDenied) as gone:
        missing.kit(private + 1000)
    assert str(gone.value).replace(str(private + 1000), "N") == \
        "No kit #N that you can open (deleted, or not shared with you)."
    assert "Private Pat" not in {s.candidate for s in Scope(store, BEN).search()}
    assert "Private Pat" not in Scope(store, BEN).candidates()
    assert Scope(store, ANA).kit(private).candidate == "Private Pat"
    assert Scope(store, ADA).kit(private).candidate == "Private Pat"
    assert _actions(store, BEN) == ["denied", "denied"]


def test_recruiters_see_the_teams_kits_and_interviewers_only_whats_shared(store: Store) -> None:
    team = _save(store, ANA, "Team Tia")
    private = _save(store, ANA, "Private Pat", Visibility.PRIVATE)
    assert {s.id for s in Scope(store, BEN).search()} == {team}
    assert Scope(store, IVY).search() == []
    with pytest.raises(AccessDenied):
        Scope(store, IVY).kit(team)
    Scope(store, ANA).share(private, "IVY@team.example ")
    assert {s.id for s in Scope(store, IVY).search()} == {private}
    assert Scope(store, IVY).kit(private).candidate == "Private Pat"
    assert Scope(store, ANA).shared_with(private) == ["ivy@team.example"]
    Scope(store, ANA).unshare(private, "ivy@team.example")
    assert Scope(store, IVY).search() == []


def test_only_the_owner_or_an_admin_changes_a_kit(store: Store) -> None:
    team = _save(store, ANA, "Team Tia")
    for attempt in (lambda s: s.delete(team), lambda s: s.share(team, "x@team.example"),
                    lambda s: s.rename(team, "Someone"),
                    lambda s: s.set_visibility(team, Visibility.PRIVATE),
                    lambda s: s.delete_candidate("Team Tia")):
        with pytest.raises(AccessDenied):
            attempt(Scope(store, BEN))
    assert Scope(store, BEN).kit(team).candidate == "Team Tia"  # still there
    Scope(store, ADA).rename(team, "Tia T.")
    assert Scope(store, ADA).delete(team)
    assert store.count() == 0


def test_interviewers_cannot_create_kits_or_roles(store: Store) -> None:
    run, cv = finished_run()
    with pytest.raises(AccessDenied, match="Interviewers cannot create kits"):
        Scope(store, IVY).save_run(run, cv)
    with pytest.raises(AccessDenied, match="Interviewers cannot create roles"):
        RoleBook(Scope(store, IVY)).create("Backend engineer")
    assert store.count() == 0


def test_roles_an_interviewer_sees_are_those_of_kits_shared_with_them(store: Store) -> None:
    book = RoleBook(Scope(store, ANA))
    backend, design = book.create("Backend engineer", "Python"), book.create("Designer")
    kit = _save(store, ANA, "Team Tia")
    book.assign(kit, backend)
    assert [r.title for r in RoleBook(Scope(store, IVY)).all()] == []
    Scope(store, ANA).share(kit, IVY.email)
    assert [r.id for r in RoleBook(Scope(store, IVY)).all()] == [backend]
    with pytest.raises(AccessDenied):
        RoleBook(Scope(store, IVY)).get(design)
    with pytest.raises(AccessDenied):
        RoleBook(Scope(store, IVY)).archive(backend)


def test_every_kind_of_action_is_audited_without_content(store: Store) -> None:
    ana = Scope(store, ANA)
    run, cv = finished_run()
    kit_id = ana.save_run(run, cv, "Backend engineer")
    assert kit_id is not None
    assert ana.save_run(run, cv, "Backend engineer") == kit_id  # a re-save is not a create
    kit = ana.kit(kit_id)
    ana.kit(kit_id)  # a second view in the same session is not recorded again
    ana.exported(kit, "docx")
    ana.rerun(kit)
    ana.share(kit_id, IVY.email)
    ana.unshare(kit_id, IVY.email)
    ana.update_questions(kit, kit.questions[:1], kit.markdown, detail="rating guide")
    label = kit.candidate
    ana.delete_candidate(label)
    assert _actions(store, ANA) == ["create", "view", "export", "rerun", "share", "unshare",
                                    "update", "delete"]
    rows = entries(store.engine, actor=ANA.key)
    assert all(label not in e.line() and cv.text[:40] not in e.line() for e in rows)
    deleted = next(e for e in rows if e.action is Action.DELETE)
    assert deleted.target_kind == "candidate" and deleted.candidate_ref is not None
    viewed = next(e for e in rows if e.action is Action.VIEW)
    assert viewed.candidate_ref == deleted.candidate_ref  # one pseudonym per candidate


def test_the_audit_log_is_append_only_in_the_database(store: Store) -> None:
    Scope(store, CLI_ADMIN).audit(Action.VIEW, "kit", 1)
    for statement in (AUDIT.update().values(actor="someone else"), AUDIT.delete()):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(statement)
    assert [e.actor for e in entries(store.engine)] == ["cli-admin"]


def test_the_cli_admin_is_named_in_the_trail(store: Store) -> None:
    kit = _save(store, ANA, "Private Pat", Visibility.PRIVATE)
    Scope(store, CLI_ADMIN).kit(kit)
    (row,) = entries(store.engine)
    assert (row.actor, row.actor_role, row.action) == ("cli-admin", "admin", Action.VIEW)


def test_a_changed_role_takes_effect_on_the_next_read(store: Store) -> None:
    kit = _save(store, ANA, "Team Tia")
    demoted = replace(BEN, role=Role.INTERVIEWER)
    assert [s.id for s in Scope(store, BEN).search()] == [kit]
    assert Scope(store, demoted).search() == []
