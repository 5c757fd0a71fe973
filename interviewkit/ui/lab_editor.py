"""The Prompt Lab's editing half on the page: pick, edit, check, preview, save.

The state machine is :class:`interviewkit.lab.editor.Editor`; this module only
draws it.  Saves run in button callbacks (before the widgets are drawn), so
the picker can switch to the file just saved.  The editor is a plain text
area: the maintained code-editor components are iframes that ``AppTest``
cannot type into, so line numbers come from the error excerpt instead.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import streamlit as st

from interviewkit.errors import KitError, PromptError
from interviewkit.lab.editor import Editor
from interviewkit.promptfiles import library
from interviewkit.promptfiles.schema import InputSpec, PromptSpec
from interviewkit.safety.markdown import inert
from interviewkit.ui.widgets import input_widget

ss = st.session_state
BLANK = "__blank__"
_EDITOR, _TEXT, _SOURCE, _GEN = "lab_editor", "lab_yaml", "lab_source", "lab_yaml_gen"


def editor(files: list[library.Source]) -> Editor:
    """This session's editor (first visit: technical_screen); the box shows its text."""
    current = ss.get(_EDITOR)
    if not isinstance(current, Editor):
        current = ss[_EDITOR] = Editor.first(files)
    return current


def text_key() -> str:
    """The YAML box's key: a new one whenever another text is loaded into it.

    The box gets its text as ``value=``, never through session state: a box seeded through
    session state starts in the browser with an empty default, and an interaction in that
    moment (choosing *Paste text* and pasting a CV at once) sent the empty text back and
    wiped the editor. A new key is a new box with the new text.
    """
    return f"{_TEXT}_{int(ss.get(_GEN, 0))}"


def _replace(new: Editor) -> None:
    """Show another editor state: its text in a new box, its file in the picker."""
    ss[_EDITOR] = new
    ss[_GEN] = int(ss.get(_GEN, 0)) + 1
    ss[_SOURCE] = str(new.base_path) if new.base_path else BLANK


def _synced() -> Editor:
    """The editor with the text box's latest value (callbacks run before the script)."""
    current: Editor = ss[_EDITOR]
    current.text = ss.get(text_key(), current.text)
    return current


def _on_source() -> None:
    choice = ss[_SOURCE]
    current = _synced()
    new = current.switch(None if choice == BLANK else Path(choice))
    if new is not current:
        _replace(new)


def _show_check(text: str, result: PromptSpec | PromptError) -> None:
    if isinstance(result, PromptError):
        field = f", field `{inert(result.field)}`" if result.field else ""
        st.error(f"**Line {result.line or '—'}{field}:** {inert(result.reason)}",
                 icon=":material/error:")
        if result.line:
            st.code(library.excerpt(text, result.line), language=None)
        return
    st.success(f"Valid: **{inert(result.name)}**, version {result.version}, "
               f"{len(result.inputs)} input(s), temperature {result.temperature:g}, "
               f"at most {result.max_tokens} tokens.", icon=":material/check_circle:")


def edit_box(files: list[library.Source], current: Editor) -> PromptSpec | PromptError:
    """The picker, the YAML box and the check result."""
    labels = {str(s.path): s.label for s in files} | {BLANK: "New prompt (blank template)"}
    base = str(current.base_path) if current.base_path else BLANK
    if ss.get(_SOURCE) not in labels:
        ss[_SOURCE] = base if base in labels else BLANK
    st.selectbox("Start from", list(labels), key=_SOURCE, on_change=_on_source,
                 format_func=lambda k: labels.get(k, k),
                 help="Loads that file into the editor (unsaved edits are discarded).")
    st.html("<style>[class*='st-key-lab_yaml'] textarea {font-family: monospace;}</style>")
    current.text = st.text_area("Prompt YAML", value=current.text, key=text_key(), height=520,
                                help="Checked when you leave the box, press Ctrl+Enter or "
                                     "click Check.")
    st.button("Check", key="lab_check", icon=":material/rule:")
    result = library.check_text(current.text, current.name or "new prompt")
    _show_check(current.text, result)
    return result


def _input_key(spec: InputSpec) -> str:
    return f"lab_in_{spec.name}_{zlib.crc32(repr(spec).encode()):x}"  # new spec, new widget


def preview(spec: PromptSpec, cv_text: str, job: str) -> dict[str, object]:
    """Input controls and the messages as they will be sent, CV fenced."""
    st.subheader("Preview")
    values = {item.name: input_widget(item, _input_key(item)) for item in spec.inputs}
    try:
        messages = library.preview(spec, cv=cv_text, job_description=job, values=values)
    except KitError as exc:
        st.error(inert(str(exc)))
        return values
    for message in messages:
        title = f"{message['role'].title()} message — {len(message['content']):,} characters"
        with st.expander(title, expanded=message["role"] == "user"):
            st.code(message["content"], language=None, wrap_lines=True)
    return values


def _save_file(directory: Path) -> None:
    _replace(_synced().save_new_file(directory, ss.get("lab_new_name", "")))


def _ask_version() -> None:
    _synced().ask_version()


def _cancel_version() -> None:
    _synced().cancel_version()


def _confirm_version() -> None:
    current = _synced()
    new = current.confirm_version()
    if new is not current:
        _replace(new)


def _confirm_box(current: Editor, changes: str) -> None:
    current.confirm = current.text  # confirming saves exactly the text whose diff is shown now
    st.warning(f"Replace **{inert(current.name)}** with the edited text as a new version? The "
               f"current file is archived in `{library.VERSIONS_DIR}/` first.",
               icon=":material/difference:")
    st.code(changes, language="diff")
    left, right = st.columns(2)
    left.button(f"Replace {current.name}", key="lab_confirm_replace", type="primary",
                on_click=_confirm_version)
    right.button("Cancel", key="lab_cancel_replace", on_click=_cancel_version)


def save_box(directory: Path, current: Editor, valid: bool) -> None:
    """Save as a new file, or as a new version once its diff has been shown."""
    changes = current.changes
    if (notice := current.take_notice()) is not None:
        (st.success if notice[0] == "success" else st.error)(inert(notice[1]))
    if current.confirm is not None and current.base_path and changes:
        _confirm_box(current, changes)
        return
    current.confirm = None
    new_col, version_col = st.columns(2)
    with new_col:
        st.text_input("New file name", key="lab_new_name", placeholder="e.g. short_questions")
        st.button("Save as new file", key="lab_save_new", disabled=not valid,
                  on_click=_save_file, args=(directory,), icon=":material/note_add:")
    with version_col:
        st.button(f"Save as new version of {current.name or '…'}", key="lab_save_version",
                  disabled=not (valid and changes and current.base_path) or current.archived,
                  on_click=_ask_version, icon=":material/history:",
                  help="Shows the diff first; archived versions are read-only.")
    if changes:
        with st.expander(f"Changes against the saved {current.name or 'template'}"):
            st.code(changes, language="diff")
