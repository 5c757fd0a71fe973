"""RoleBook: roles as each kind of user may see and change them, with the audit trail."""

from __future__ import annotations

import pytest

from interviewkit.access.scope import Scope
from interviewkit.errors import AccessDenied, HistoryError
from interviewkit.history import Store
from interviewkit.history.audit import Action, entries
from interviewkit.kit.model import Visibility
from interviewkit.roles import RoleBook
from tests.roles.seed import ADMIN, IVAN, OTHER_RECRUITER, RECRUITER, save_kit, share


def book(store: Store, user: object) -> RoleBook:
    return RoleBook(Scope(store, user))  # type: ignore[arg-type]


def test_a_recruiter_creates_edits_archives_and_restores_a_role(store: Store) -> None:
    rita = book(store, RECRUITER)
    role_id = rita.create("  Senior   Backend Engineer ", "Python\nPostgreSQL\n")
    role = rita.get(role_id)
    assert (role.title, role.job_description, role.owner) == (
        "Senior Backend Engineer", "Python\nPostgreSQL", RECRUITER.key)
    rita.update(role_id, title="Staff Backend Engineer", job_description="Go", prompt_key="x")
    assert rita.get(role_id).title == "Staff Backend Engineer"
    rita.archive(role_id)
    assert rita.all() == []
    assert [r.label() for r in rita.all(include_archived=True)] == [
        "Staff Backend Engineer · archived"]
    rita.archive(role_id, archived=False)
    assert [r.id for r in book(store, OTHER_RECRUITER).all()] == [role_id], "team-wide"
    trail = [(e.action, e.target_kind, e.detail) for e in entries(store.engine)
             if e.target_kind == "role"]
    assert trail == [(Action.UPDATE, "role", "restored"), (Action.UPDATE, "role", "archived"),
                     (Action.UPDATE, "role", "edited"), (Action.CREATE, "role", "")]


def test_a_role_needs_a_title(store: Store) -> None:
    with pytest.raises(HistoryError, match="job title"):
        book(store, RECRUITER).create("   ")
    role_id = book(store, RECRUITER).create("QA")
    with pytest.raises(HistoryError, match="job title"):
        book(store, RECRUITER).update(role_id, title="", job_description="")


def test_an_interviewer_sees_only_the_roles_of_kits_shared_with_them(store: Store) -> None:
    rita = book(store, RECRUITER)
    shared_role, other_role = rita.create("Backend"), rita.create("Designer")
    kit_id = save_kit(store, "Ana Lima", RECRUITER, role_id=shared_role)
    save_kit(store, "Zoe Park", RECRUITER, role_id=other_role)
    ivan = book(store, IVAN)
    assert ivan.all() == []
    share(store, kit_id, RECRUITER, IVAN)
    assert [r.title for r in ivan.all()] == ["Backend"]
    assert [k.candidate for k in ivan.kits(shared_role)] == ["Ana Lima"]
    with pytest.raises(AccessDenied, match=f"No role #{other_role} that you can open"):
        ivan.get(other_role)
    with pytest.raises(AccessDenied, match="Interviewers cannot create roles"):
        ivan.create("Mine")
    with pytest.raises(AccessDenied, match="Only recruiters and admins"):
        ivan.archive(shared_role)


def test_kits_of_a_role_follow_visibility_and_assigning_needs_ownership(store: Store) -> None:
    rita, rob, ada = book(store, RECRUITER), book(store, OTHER_RECRUITER), book(store, ADMIN)
    role_id = rita.create("Backend")
    team = save_kit(store, "Ana Lima", RECRUITER)
    private = save_kit(store, "김민수", OTHER_RECRUITER, visibility=Visibility.PRIVATE)
    rita.assign(team, role_id)
    with pytest.raises(AccessDenied):
        rita.assign(private, role_id)  # not even readable: reads as missing
    rob.assign(private, role_id)
    assert [k.candidate for k in rita.kits(role_id)] == ["Ana Lima"], "private stays private"
    assert {k.candidate for k in ada.kits(role_id)} == {"Ana Lima", "김민수"}
    with pytest.raises(AccessDenied, match="Only the owner"):
        rob.assign(team, None)  # readable (team) but not his
    ada.assign(team, None)
    assert [k.candidate for k in ada.kits(role_id)] == ["김민수"]


def test_freezing_needs_a_readable_kit(store: Store) -> None:
    rita = book(store, RECRUITER)
    role_id = rita.create("Backend")
    kit_id = save_kit(store, "Ana Lima", RECRUITER, role_id=role_id)
    private = save_kit(store, "Zoe Park", OTHER_RECRUITER, visibility=Visibility.PRIVATE)
    rita.freeze(role_id, kit_id)
    assert rita.get(role_id).frozen_kit_id == kit_id
    with pytest.raises(AccessDenied):
        rita.freeze(role_id, private)
    rita.freeze(role_id, None)
    assert rita.get(role_id).frozen_kit_id is None
