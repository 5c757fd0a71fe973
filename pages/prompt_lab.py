"""Prompt Lab page: edit a prompt's YAML, check and preview it, save it, and compare A and B.

Layout only: the editor's state machine is ``interviewkit.lab.editor``, its widgets
``interviewkit.ui.lab_editor``; the comparison runs as two jobs
(``interviewkit.lab.compare``) drawn by ``interviewkit.ui.lab_compare``.  The CV is read
with the same widget as on the Generate page, and what each side sees of it is decided by
the same pipeline (hidden text left out, personal data redacted for remote models).
"""

from __future__ import annotations

import streamlit as st

from interviewkit.config import Settings, prompts_dir
from interviewkit.ingest.cv import CVText
from interviewkit.promptfiles import library
from interviewkit.promptfiles.schema import PromptSpec
from interviewkit.safety.markdown import inert
from interviewkit.ui import lab_compare, lab_editor, resources, widgets


def _cv_box(settings: Settings) -> tuple[CVText | None, str]:
    with st.container(border=True):
        st.markdown("**CV and job description** (used by the preview and the comparison)")
        cv_col, job_col = st.columns([3, 2])
        with cv_col:
            cv = widgets.cv_input(settings, prefix="lab_", height=150)
            if cv is not None:
                pages = f"{cv.pages} page(s), " if cv.pages else ""
                st.caption(f"{inert(cv.filename)}: {pages}{len(cv.text):,} characters")
                if cv.suspicious:
                    st.warning("This CV contains text hidden from human readers or addressed "
                               "to an AI; hidden text is left out of what the model sees (the "
                               "Generate page lists the passages).", icon=":material/gpp_maybe:")
        with job_col:
            job = st.text_area("Job description (optional)", key="lab_job", height=120)
    return cv, job


def main() -> None:
    settings = resources.settings_or_stop()
    st.title("Prompt Lab")
    st.caption("Edit an interview prompt, check and preview it with a real CV, save it, and "
               "compare two prompts or models side by side as they stream.")
    directory = prompts_dir()
    files = library.sources(directory)
    editor = lab_editor.editor(files)
    cv, job = _cv_box(settings)
    edit_col, preview_col = st.columns([3, 2], gap="large")
    with edit_col:
        result = lab_editor.edit_box(files, editor)
    values: dict[str, object] = {}
    with preview_col:
        if isinstance(result, PromptSpec):
            values = lab_editor.preview(result, cv.text if cv else "", job)
    lab_editor.save_box(directory, editor, isinstance(result, PromptSpec))
    lab_compare.compare(settings, files, result, editor.base_path, cv, job, values)


main()
