"""Per-process resources the pages share, created once and cached across reruns.

A provider holds an HTTP connection pool (or the loaded llama.cpp model) and
a store holds a database engine: building them on every rerun cost 21-38 ms
(``bench/rerun.py``), so they are cached per configuration.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

import streamlit as st

from interviewkit.access.model import LOCAL_USER, User
from interviewkit.access.scope import Scope
from interviewkit.config import Settings, load_settings
from interviewkit.errors import HistoryError, KitError
from interviewkit.history import Store, open_store
from interviewkit.history.audit import Action
from interviewkit.history.retention import SYSTEM_ACTOR, effective_days, purge
from interviewkit.providers.base import Provider
from interviewkit.providers.factory import provider_from_settings


def secrets() -> dict[str, Any]:
    """``st.secrets`` as a plain dict; no secrets.toml is the normal case."""
    try:
        return dict(st.secrets)
    except Exception:  # Streamlit raises its own FileNotFoundError subclass, or a parse error
        return {}


def settings_or_stop() -> Settings:
    """The configuration, or a plain message and the end of the page."""
    try:
        return load_settings(secrets=secrets())
    except KitError as exc:
        st.error(f"Configuration problem: {exc}", icon=":material/settings:")
        st.stop()


@st.cache_resource(show_spinner=False)
def _provider(key: str, _settings: Settings) -> Provider:
    return provider_from_settings(_settings)


def provider_or_stop(settings: Settings) -> Provider:
    """One provider (and HTTP client) per configuration and process, not one per rerun."""
    try:
        return _provider(hashlib.sha256(repr(settings).encode()).hexdigest(), settings)
    except KitError as exc:
        st.error(f"Configuration problem: {exc}", icon=":material/settings:")
        st.stop()


_PURGE_EVERY_S = 24 * 3600.0
_CHECK_EVERY_S = 60.0  # how often a page run may look up the limit (an admin may set one)
_last_purge: dict[str, float] = {}
_last_check: dict[str, float] = {}
_purge_lock = threading.Lock()


def _auto_purge(store: Store, settings: Settings) -> Store:
    """With a retention limit, purge at start-up and then at most once a day per process;
    the limit itself is looked up at most once a minute, not on every page run."""
    now = time.monotonic()
    with _purge_lock:
        if now - _last_check.get(store.url, -_CHECK_EVERY_S) < _CHECK_EVERY_S:
            return store
        _last_check[store.url] = now
    days = effective_days(store, settings.retention_days)
    with _purge_lock:
        due = bool(days) and now - _last_purge.get(store.url, -_PURGE_EVERY_S) >= _PURGE_EVERY_S
        if due:
            _last_purge[store.url] = now
    if due and days:
        report = purge(store, days, actor=SYSTEM_ACTOR, actor_role="admin")
        log.info("retention: %s", report.summary())
    return store


def retention_changed(store: Store) -> None:
    """An admin changed the limit: the next page run looks it up and purges at once."""
    with _purge_lock:
        _last_check.pop(store.url, None)
        _last_purge.pop(store.url, None)


def retention_days(settings: Settings, store: Store) -> int | None:
    """The retention limit in force (the admin's setting, else the configured one)."""
    return effective_days(store, settings.retention_days)


def store_or_none(settings: Settings) -> Store | None:
    """The history store, or None with a warning (a kit can still be generated)."""
    try:
        return _auto_purge(open_store(settings, secrets=secrets()), settings)
    except HistoryError as exc:
        st.warning(f"History is unavailable, kits will not be saved: {exc}",
                   icon=":material/warning:")
        return None


def store_or_stop(settings: Settings) -> Store:
    """The history store, or a plain message and the end of the page."""
    try:
        return _auto_purge(open_store(settings, secrets=secrets()), settings)
    except KitError as exc:
        st.error(f"History is unavailable: {exc}", icon=":material/database:")
        st.stop()


log = logging.getLogger(__name__)
USER_KEY = "ik_user"  # the signed-in User, set by the sign-in gate in app.py
VIEWED_KEY = "ik_viewed"  # kit ids whose view this session has already audited
SIGNED_IN_KEY = "ik_signed_in_audited"


def current_user() -> User:
    """Who this session acts as: the gate's signed-in user, else the open-mode local user.

    With ``[auth]`` configured and no user in the session (a page reached without
    the gate), the page stops: nothing about a candidate is shown unsigned.
    """
    user = st.session_state.get(USER_KEY)
    if isinstance(user, User):
        return user
    if _auth_maybe_configured():
        st.info("Please sign in first.", icon=":material/login:")
        st.stop()
    return LOCAL_USER


def _auth_maybe_configured() -> bool:
    """``[auth]`` is there, or the secrets cannot be read (then fail closed, not open)."""
    try:
        return "auth" in st.secrets.to_dict()
    except FileNotFoundError as exc:  # Streamlit's: no secrets at all, or an unreadable file
        return getattr(exc, "error_id", None) != "no-secrets-found"
    except Exception:  # a parse error: sign-in may be configured, so do not run open
        return True


def _scope(store: Store) -> Scope:
    """A Scope for this session; a signed-in user's first one is audited as a sign-in."""
    scope = Scope(store, current_user(), viewed=st.session_state.setdefault(VIEWED_KEY, set()))
    if scope.user.signed_in and not st.session_state.get(SIGNED_IN_KEY):
        st.session_state[SIGNED_IN_KEY] = True
        scope.audit(Action.SIGN_IN, "user")
    return scope


def scope_or_stop(settings: Settings) -> Scope:
    """The history as the current user may see it (every read checked and audited)."""
    return _scope(store_or_stop(settings))


def scope_or_none(settings: Settings) -> Scope | None:
    """Like :func:`scope_or_stop`, but a kit can still be generated without history."""
    store = store_or_none(settings)
    return None if store is None else _scope(store)
