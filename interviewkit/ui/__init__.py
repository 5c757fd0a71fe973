"""The Streamlit layer: the only package that imports streamlit.

Importing it reroutes a page that Streamlit ran *without* ``app.py``.  A
``pages/`` folder next to the entry point makes Streamlit start in its legacy
multipage mode, and until ``app.py`` has called ``st.navigation`` once in the
process, a deep link (``/history`` as a fresh server's first request) runs
``pages/history.py`` directly, past the sign-in gate.  Every page imports from
here before it renders anything, so :func:`require_entry` sends that run back
through ``app.py`` (same URL) instead; it costs one extra rerun per process.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def require_entry() -> None:
    """Rerun through ``app.py`` when this run is Streamlit's legacy ``pages/`` mode.

    ``st.navigation`` switches the legacy mode off for the whole process; until it
    has been called, any script run may be a page file run on its own.
    """
    if get_script_run_ctx(suppress_warning=True) is None or not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    st.rerun()


require_entry()
