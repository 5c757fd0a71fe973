"""The sign-in gate: Streamlit's ``st.login`` (OpenID Connect) in front of every page.

``app.py`` calls :func:`gate` once per run, before ``page.run()``, so every page,
deep link and download is behind it.  With an ``[auth]`` section in
``.streamlit/secrets.toml``, a visitor who is not signed in sees the app's title,
one line and a sign-in button, nothing else; a signed-in user is checked against
the allow-list and given a role (:func:`interviewkit.access.identity.resolve_user`).
Without ``[auth]`` the app runs open as the local demo, and the sidebar says so.

Streamlit's own caveats, and what is done about them here:

* it never checks the ID token's expiry: :func:`gate` reads ``exp`` from
  ``st.user`` on every run and asks for a new sign-in once it has passed;
* its identity cookie lasts 30 days: hence the expiry check (the cookie outlives
  the token), the allow-list is applied on every run rather than at sign-in, and
  "Sign out" deletes the cookie (and ends the provider's session when it offers
  an ``end_session_endpoint``);
* it has no roles: the role is ours, from the settings (and an optional claim);
* a broken ``[auth]`` or an unreadable secrets.toml would make Streamlit treat
  sign-in as unconfigured: here it closes the app with a message instead.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from interviewkit.access.identity import (
    DEFAULT_PROVIDER,
    auth_providers,
    resolve_user,
    token_expired,
)
from interviewkit.access.model import LOCAL_USER, User
from interviewkit.config import Settings
from interviewkit.errors import ConfigError, NotSignedIn
from interviewkit.safety.markdown import inert
from interviewkit.ui import require_entry, resources

TITLE = "Interview Kit"
OPEN_NOTE = ("Sign-in is not configured: everyone who can reach this server sees everything "
             "(local demo, one user). See README, *Sign-in (OpenID Connect)*.")
SIGN_IN_LINE = "Sign in with your organisation's account to use Interview Kit."
EXPIRED_LINE = ("Your sign-in has expired (your identity provider's token lifetime). "
                "Sign in again to carry on.")
# Streamlit's own keys in st.user that are not identity claims.
_NOT_CLAIMS = frozenset({"is_logged_in", "tokens", "provider"})


def _auth_section() -> Mapping[str, Any] | None:
    """``[auth]`` from the secrets, None when there is none; unreadable secrets raise.

    Streamlit reads a secrets.toml it cannot parse as "no secrets", which would run
    the app open; a file that exists but cannot be read is a ConfigError instead.
    """
    try:
        secrets = st.secrets.to_dict()
    except FileNotFoundError as exc:  # StreamlitSecretNotFoundError: none, or unreadable
        if getattr(exc, "error_id", None) == "no-secrets-found":
            return None
        raise ConfigError(f"The secrets file cannot be read, so sign-in cannot be checked: "
                          f"{exc}", code="bad_auth") from None
    section = secrets.get("auth")
    if section is None:
        return None
    auth_providers(section)
    return section  # type: ignore[no-any-return]  # checked by auth_providers


def _closed(pages: Sequence[StreamlitPage]) -> None:
    """The page list, hidden: a deep link still resolves, no page name is shown."""
    st.navigation(list(pages), position="hidden")
    st.title(TITLE)


def _sign_in_buttons(section: Mapping[str, Any], label: str = "Sign in") -> None:
    for name in auth_providers(section):
        text = label if name == DEFAULT_PROVIDER else f"{label} with {name.title()}"
        if st.button(text, key=f"auth_sign_in_{name}", type="primary",
                     icon=":material/login:"):
            st.login(None if name == DEFAULT_PROVIDER else name)


def _sign_out_button(where: Any) -> None:
    if where.button("Sign out", key="auth_sign_out", icon=":material/logout:"):
        st.session_state.pop(resources.USER_KEY, None)
        st.logout()


def _stop(pages: Sequence[StreamlitPage], message: str, *,
          section: Mapping[str, Any] | None = None, error: bool = False,
          sign_out: bool = False) -> NoReturn:
    """Title, one line and the buttons that help; nothing else, then the end of the run."""
    st.session_state.pop(resources.USER_KEY, None)
    _closed(pages)
    if error:
        st.error(message, icon=":material/block:")
    else:
        st.write(message)
    if section is not None:
        _sign_in_buttons(section, "Sign in again" if sign_out else "Sign in")
    if sign_out:
        _sign_out_button(st)
    st.stop()


def claims() -> dict[str, Any]:
    """The ID token's claims as Streamlit keeps them in ``st.user`` (its own keys left out)."""
    return {k: v for k, v in st.user.to_dict().items() if k not in _NOT_CLAIMS}


def gate(settings: Settings, pages: Sequence[StreamlitPage]) -> User:
    """The user this run acts as, or the end of the run with only the sign-in screen.

    ``pages`` is app.py's page list: on every refusal it is registered hidden, so
    Streamlit leaves its legacy ``pages/`` mode and a deep link shows this screen
    rather than "page not found".
    """
    try:
        section = _auth_section()
    except ConfigError as exc:
        _stop(pages, f"Sign-in is misconfigured, so the app stays closed: {exc}", error=True)
    if section is None:
        st.session_state[resources.USER_KEY] = LOCAL_USER
        st.sidebar.info(OPEN_NOTE, icon=":material/lock_open:")
        return LOCAL_USER
    if importlib.util.find_spec("authlib") is None:
        _stop(pages, "Sign-in is configured but Authlib is not installed, so the app stays "
              "closed: pip install -r requirements.txt (streamlit[auth]).", error=True)
    if st.user.to_dict().get("is_logged_in") is not True:
        _stop(pages, SIGN_IN_LINE, section=section)
    if token_expired(claims(), time.time()):
        _stop(pages, EXPIRED_LINE, section=section, sign_out=True)
    try:
        user = resolve_user(claims(), settings.team)
    except NotSignedIn as exc:
        _stop(pages, f"Not authorised. {exc}", error=True, sign_out=True)
    st.session_state[resources.USER_KEY] = user
    st.sidebar.markdown(f"Signed in as **{inert(user.name)}** ({user.role.value})")
    if user.name != user.email:
        st.sidebar.caption(inert(user.email))
    _sign_out_button(st.sidebar)
    return user


def current_user() -> User:
    """The user :func:`gate` let in for this session (``LOCAL_USER`` in open mode).

    A page run without app.py (Streamlit's legacy ``pages/`` mode) is first sent
    back through it, so the answer is never a stale or missing gate's.
    """
    require_entry()
    return resources.current_user()
