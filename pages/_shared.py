"""Widgets more than one page uses (the leading underscore keeps it out of the page list)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from interviewkit.prompts import InputSpec


def secrets() -> dict[str, Any]:
    """``st.secrets`` as a plain dict; no secrets.toml is the normal case."""
    try:
        return dict(st.secrets)
    except Exception:
        return {}


def input_widget(spec: InputSpec, key: str) -> object:
    """The control for one declared prompt input, starting at its default."""
    help_text = spec.help or None
    if spec.type == "integer":
        return st.number_input(spec.label, min_value=spec.min, max_value=spec.max,
                               value=int(spec.default), step=1, key=key, help=help_text)
    if spec.type == "choice":
        return st.selectbox(spec.label, spec.choices, index=spec.choices.index(str(spec.default)),
                            key=key, help=help_text)
    if spec.type == "boolean":
        return st.checkbox(spec.label, value=bool(spec.default), key=key, help=help_text)
    return st.text_input(spec.label, value=str(spec.default), max_chars=spec.max_length,
                         key=key, help=help_text)
