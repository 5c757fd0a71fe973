"""From the identity provider's claims to a :class:`User` with a role, or a refusal.

``st.login`` (OpenID Connect) only proves who the user is.  Whether they may use
this instance at all is the allow-list (addresses and/or domains); their role is
the admin list first, then the recruiter list, then an optional ID-token claim,
then the configured default (interviewer: least privilege).

Two more checks Streamlit leaves to the app, kept here so they are tested without
a browser: :func:`auth_providers` reads the ``[auth]`` secrets (a malformed section
must close the app, not open it), and :func:`token_expired` reads the ID token's
``exp``, which Streamlit copies into ``st.user`` but never checks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from interviewkit.access.model import Role, User
from interviewkit.config import TeamConfig
from interviewkit.errors import ConfigError, NotSignedIn


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


# --- Streamlit's [auth] secrets and the ID token's lifetime ----------------------

DEFAULT_PROVIDER = "default"  # st.login() with no name: client_id etc. directly in [auth]
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
MIN_COOKIE_SECRET = 32  # characters; the identity cookie is only as strong as its key
EXPIRY_LEEWAY_S = 10.0  # clock skew allowed between the identity provider and this server


def _absolute_url(value: object, key: str, where: str) -> str:
    url = str(value or "").strip()
    parsed = urlparse(url.replace("{port}", "1"))
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{where} {key} must be an absolute http(s) URL", code="bad_auth")
    return url


def auth_providers(section: object) -> tuple[str, ...]:
    """The providers ``[auth]`` configures (``"default"`` for an unnamed one), or ConfigError.

    Checks what ``st.login`` would otherwise only find out on the first click, and
    more: a short ``cookie_secret`` would let someone forge the identity cookie.  The
    messages name keys, never values.
    """
    if not isinstance(section, Mapping):
        raise ConfigError("[auth] in .streamlit/secrets.toml must be a table of settings",
                          code="bad_auth")
    if not str(section.get("redirect_uri") or "").strip():
        raise ConfigError("[auth] needs redirect_uri (this app's URL + /oauth2callback)",
                          code="bad_auth")
    redirect = _absolute_url(section["redirect_uri"], "redirect_uri", "[auth]")
    if not urlparse(redirect).path.endswith("/oauth2callback"):
        raise ConfigError("[auth] redirect_uri must end with /oauth2callback", code="bad_auth")
    secret = section.get("cookie_secret")
    if not isinstance(secret, str) or len(secret.strip()) < MIN_COOKIE_SECRET:
        raise ConfigError(f"[auth] cookie_secret must be a random string of at least "
                          f"{MIN_COOKIE_SECRET} characters (python -c \"import secrets; "
                          f"print(secrets.token_hex(32))\")", code="bad_auth")
    sections = {DEFAULT_PROVIDER: section} if any(k in section for k in PROVIDER_KEYS) else {}
    sections |= {str(name): value for name, value in section.items()
                 if isinstance(value, Mapping) and any(k in value for k in PROVIDER_KEYS)}
    if not sections:
        raise ConfigError("[auth] names no identity provider: add client_id, client_secret "
                          "and server_metadata_url (or an [auth.<name>] table with them)",
                          code="bad_auth")
    for name, provider in sections.items():
        where = "[auth]" if name == DEFAULT_PROVIDER else f"[auth.{name}]"
        if "_" in name:
            raise ConfigError(f"{where}: Streamlit does not allow '_' in a provider name",
                              code="bad_auth")
        missing = [k for k in PROVIDER_KEYS if not str(provider.get(k) or "").strip()]
        if missing:
            raise ConfigError(f"{where} is missing {', '.join(missing)}", code="bad_auth")
        _absolute_url(provider["server_metadata_url"], "server_metadata_url", where)
    return tuple(sections)


def token_expired(claims: Mapping[str, Any], now: float) -> bool:
    """True once the ID token's ``exp`` (seconds since the epoch) has passed.

    Streamlit keeps the identity cookie for 30 days and never looks at ``exp``;
    checked here, a sign-in lasts as long as the provider says.  A token without
    a readable ``exp`` counts as expired: OpenID Connect requires the claim.
    """
    raw = claims.get("exp")
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return True
    try:
        exp = float(raw)
    except (TypeError, ValueError):
        return True
    return not math.isfinite(exp) or now > exp + EXPIRY_LEEWAY_S
