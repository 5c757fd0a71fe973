"""Per-process resources the pages share, created once and cached across reruns.

A provider holds an HTTP connection pool (or the loaded llama.cpp model) and
a store holds a database engine: building them on every rerun cost 21-38 ms
(``bench/rerun.py``), so they are cached per configuration.
"""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from interviewkit.config import Settings, load_settings
from interviewkit.errors import HistoryError, KitError
from interviewkit.history import Store, open_store
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


def store_or_none(settings: Settings) -> Store | None:
    """The history store, or None with a warning (a kit can still be generated)."""
    try:
        return open_store(settings, secrets=secrets())
    except HistoryError as exc:
        st.warning(f"History is unavailable, kits will not be saved: {exc}",
                   icon=":material/warning:")
        return None


def store_or_stop(settings: Settings) -> Store:
    """The history store, or a plain message and the end of the page."""
    try:
        return open_store(settings, secrets=secrets())
    except KitError as exc:
        st.error(f"History is unavailable: {exc}", icon=":material/database:")
        st.stop()
