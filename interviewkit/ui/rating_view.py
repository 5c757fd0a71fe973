"""A rating guide for a saved kit: one button that writes the missing guides and saves them.

The guides stream into the page as the model writes them (one small request per
question, :mod:`interviewkit.kit.rating`); the kit is saved once they are all
there - or, if the page is left midway, with the ones already written.  Then the
page reruns to show the kit with its guides, and says which guides were derived
from the Listen-for points because the model's answer could not be read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import streamlit as st

from interviewkit.errors import KitError
from interviewkit.kit.model import Kit
from interviewkit.kit.rating import RatingRun, missing
from interviewkit.kit.stream import close_quietly
from interviewkit.providers.base import Provider
from interviewkit.safety.markdown import inert

BUTTON_KEY = "rating_add"
_FLASH = "rating_flash"  # what the last run did, shown after the rerun it ends with


def summary(run: RatingRun) -> tuple[str, str | None]:
    """(what was added, which guides were derived and why) for the page to say."""
    count = len(run.written) + len(run.derived)
    done = f"Added a rating guide to {count} question(s)."
    if not run.derived:
        return done, None
    numbers = ", ".join(f"Q{n}" for n in run.derived)
    why = run.errors[-1] if run.errors else "the model's answer could not be read as 1/3/5"
    return done, (f"Derived from the Listen for points for {numbers} ({why}): check them "
                  "before the interview.")


def _flash() -> None:
    shown = st.session_state.pop(_FLASH, None)
    if shown:
        done, derived = shown
        st.success(done, icon=":material/star_half:")
        if derived:
            st.info(derived, icon=":material/info:")


def _write(kit: Kit, provider: Provider, save: Callable[[Kit], None]) -> None:
    """Stream the guides, then save them; a page left midway keeps the ones written."""
    run = RatingRun(kit)
    try:
        with st.spinner("Loading the model…"):
            provider.prepare()
    except KitError as exc:  # each guide is then derived from its Listen-for points
        st.warning(str(exc), icon=":material/warning:")
    stream, left = run.stream(provider), True
    try:
        st.write_stream(inert(chunk) for chunk in stream)
        left = False
    finally:
        close_quietly(stream)
        if left and (run.written or run.derived):
            with contextlib.suppress(KitError):
                save(kit)
    try:
        save(kit)
    except KitError as exc:
        st.error(f"The rating guide could not be saved: {exc}", icon=":material/error:")
        return
    st.session_state[_FLASH] = summary(run)
    st.rerun()


def offer(kit: Kit, provider: Provider, save: Callable[[Kit], None]) -> None:
    """The "Add a rating guide" button for a kit with questions that have none yet."""
    _flash()
    pending = missing(kit)
    if not pending:
        return
    label = ("Add a rating guide" if len(pending) == len(kit.questions)
             else f"Add a rating guide to the {len(pending)} question(s) without one")
    if st.button(label, key=BUTTON_KEY, icon=":material/star_half:",
                 help="What a 1, a 3 and a 5 answer sound like, for each question, written by "
                      "the model from its Listen for points and evidence"):
        _write(kit, provider, save)
