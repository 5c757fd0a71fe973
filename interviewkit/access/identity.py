"""From the identity provider's claims to a :class:`User` with a role, or a refusal.

``st.login`` (OpenID Connect) only proves who the user is.  Whether they may use
this instance at all is the allow-list (addresses and/or domains); their role is
the admin list first, then the recruiter list, then an optional ID-token claim,
then the configured default (interviewer: least privilege).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from interviewkit.access.model import Role, User
from interviewkit.config import TeamConfig
from interviewkit.errors import NotSignedIn


def allowed(email: str, team: TeamConfig) -> bool:
    """On the allow-list (an empty list admits everyone the provider signs in)."""
    key = email.strip().casefold()
    if not team.allowed_emails and not team.allowed_domains:
        return True
    return key in team.allowed_emails or key.rpartition("@")[2] in team.allowed_domains


def _claimed_roles(claims: Mapping[str, Any], claim: str | None) -> set[str]:
    if not claim:
        return set()
    value = claims.get(claim)
    values = [value] if isinstance(value, str) else list(value or [])
    return {str(v).strip().casefold() for v in values}


def role_for(email: str, claims: Mapping[str, Any], team: TeamConfig) -> Role:
    """The strongest role any source grants (the admin list always wins)."""
    key = email.strip().casefold()
    if key in team.admins:
        return Role.ADMIN
    claimed = _claimed_roles(claims, team.role_claim)
    for role in Role:  # strongest first
        if role.value in claimed or (role is Role.RECRUITER and key in team.recruiters):
            return role
    return Role(team.default_role)


def resolve_user(claims: Mapping[str, Any], team: TeamConfig) -> User:
    """The signed-in user, or :class:`NotSignedIn` when they are not allowed here.

    An account whose provider says its e-mail is not verified is refused: an
    unverified address would let anyone claim an allowed domain.
    """
    email = str(claims.get("email") or "").strip()
    if not email:
        raise NotSignedIn("Your identity provider did not send an e-mail address, so this "
                          "app cannot tell whether you are allowed in.", code="no_email")
    if claims.get("email_verified") is False:
        raise NotSignedIn(f"The e-mail address {email} is not verified by your identity "
                          "provider.", code="unverified")
    if not allowed(email, team):
        raise NotSignedIn(f"{email} is not authorised to use this Interview Kit. Ask an "
                          "administrator to add you.", code="not_authorised")
    name = str(claims.get("name") or claims.get("preferred_username") or email)
    return User(email=email, name=name, role=role_for(email, claims, team))
