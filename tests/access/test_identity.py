"""From an ID token's claims to a user with a role, or a refusal that says why."""

from __future__ import annotations

import pytest

from interviewkit.access.identity import allowed, resolve_user, role_for
from interviewkit.access.model import Role
from interviewkit.config import TeamConfig, load_settings
from interviewkit.errors import ConfigError, NotSignedIn

TEAM = load_settings({"INTERVIEWKIT_ALLOWED_EMAILS": "guest@else.example",
                      "INTERVIEWKIT_ALLOWED_DOMAINS": "@Team.Example",
                      "INTERVIEWKIT_ADMINS": "boss@team.example",
                      "INTERVIEWKIT_RECRUITERS": "rec@team.example; rec2@team.example",
                      "INTERVIEWKIT_ROLE_CLAIM": "groups"}).team


def test_the_allow_list_takes_addresses_and_domains_case_insensitively() -> None:
    assert allowed("Someone@TEAM.example", TEAM)
    assert allowed("guest@else.example", TEAM)
    assert not allowed("intruder@else.example", TEAM)
    assert not allowed("someone@team.example.evil.com", TEAM)  # a suffix is not the domain
    assert allowed("anyone@anywhere.example", TeamConfig())  # no list: the IdP decides


def test_not_allowed_users_get_a_plain_refusal() -> None:
    with pytest.raises(NotSignedIn, match=r"intruder@else\.example is not authorised") as exc:
        resolve_user({"email": "intruder@else.example", "email_verified": True}, TEAM)
    assert exc.value.code == "not_authorised"
    with pytest.raises(NotSignedIn, match="not verified"):
        resolve_user({"email": "x@team.example", "email_verified": False}, TEAM)
    with pytest.raises(NotSignedIn, match="did not send an e-mail address"):
        resolve_user({"sub": "123"}, TEAM)


def test_roles_admin_list_first_then_recruiters_claim_and_default() -> None:
    assert role_for("BOSS@team.example", {"groups": ["interviewer"]}, TEAM) is Role.ADMIN
    assert role_for("rec2@team.example", {}, TEAM) is Role.RECRUITER
    assert role_for("x@team.example", {"groups": ["Recruiter", "staff"]}, TEAM) is Role.RECRUITER
    assert role_for("x@team.example", {"groups": "admin"}, TEAM) is Role.ADMIN
    assert role_for("x@team.example", {"roles": ["admin"]}, TEAM) is Role.INTERVIEWER  # other claim
    user = resolve_user({"email": "x@team.example", "name": "Xu"}, TEAM)
    assert (user.key, user.name, user.role, user.signed_in) == \
        ("x@team.example", "Xu", Role.INTERVIEWER, True)


def test_the_default_role_is_configurable_and_checked() -> None:
    team = load_settings({"INTERVIEWKIT_DEFAULT_ROLE": "Recruiter"}).team
    assert role_for("x@a.example", {}, team) is Role.RECRUITER
    with pytest.raises(ConfigError, match="INTERVIEWKIT_DEFAULT_ROLE must be one of"):
        load_settings({"INTERVIEWKIT_DEFAULT_ROLE": "owner"})
