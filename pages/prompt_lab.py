"""Prompt Lab page: edit a prompt's YAML, check and preview it, save it, and compare A and B.

Thin on purpose: widgets → ``interviewkit.lab`` → results.  The editor is a plain text area:
the maintained code-editor components (streamlit-code-editor, streamlit-ace) are iframes that
``AppTest`` cannot type into, so line numbers come from the error excerpt instead.  Saves run
in button callbacks (before the widgets are drawn) so the picker can switch to the new file; a
comparison lives in session state like the Generate page's run, so a Stop keeps both texts.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import streamlit as st

from interviewkit.promptfiles import library as lab
from interviewkit.config import DEFAULT_OPENAI_MODEL, Settings, load_settings
from interviewkit.errors import CVError
from interviewkit.ingest.cv import CVText, read_cv, read_pasted
from interviewkit.safety.markdown import inert
from interviewkit.kit.sections import sections
from interviewkit.errors import KitError
from interviewkit.kit.run import STATUS_TEXT
from interviewkit.ingest.injection import without_hidden
from interviewkit.lab.compare import OFFLINE, Comparison, Side, SideConfig, build_side, endpoints
from interviewkit.config import PROMPTS_DIR
from interviewkit.promptfiles.schema import InputSpec, PromptSpec
from interviewkit.errors import PromptError
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.ui.widgets import input_widget, secrets

ss = st.session_state
BLANK, EDITOR = "__blank__", "__editor__"
Form = tuple[str, str, str, float]  # one side's prompt source, endpoint, model, temperature



def _notice(kind: str, message: str) -> None:
    ss["lab_notice"] = (kind, message)


def _load(path: Path | None) -> None:
    """Put a file (or the blank template) in the editor; it becomes the saved version."""
    text = lab.TEMPLATE if path is None else lab.read_text(path)
    ss["lab_yaml"] = ss["lab_text"] = text
    ss["lab_base"] = (str(path) if path else None, text)
    ss.pop("lab_confirm", None)


def _on_source() -> None:
    choice = ss["lab_source"]
    try:
        _load(None if choice == BLANK else Path(choice))
    except lab.LabError as exc:
        _notice("error", str(exc))


def _init(files: list[lab.Source]) -> None:
    """First visit: open technical_screen (or the first file); later visits keep the text."""
    if "lab_text" in ss:
        if "lab_yaml" not in ss:  # widget state is dropped while another page is shown
            ss["lab_yaml"] = ss["lab_text"]
        return
    current = [s for s in files if not s.archived]
    first = next((s for s in current if s.path.stem == "technical_screen"),
                 current[0] if current else None)
    _load(first.path if first else None)


def _show_check(text: str, result: PromptSpec | PromptError) -> None:
    if isinstance(result, PromptError):
        field = f", field `{inert(result.field)}`" if result.field else ""
        st.error(f"**Line {result.line or '—'}{field}:** {inert(result.reason)}",
                 icon=":material/error:")
        if result.line:
            st.code(lab.excerpt(text, result.line), language=None)
        return
    st.success(f"Valid: **{inert(result.name)}**, version {result.version}, "
               f"{len(result.inputs)} input(s), temperature {result.temperature:g}, "
               f"at most {result.max_tokens} tokens.", icon=":material/check_circle:")


def _editor(files: list[lab.Source]) -> tuple[str, PromptSpec | PromptError]:
    labels = {str(s.path): s.label for s in files} | {BLANK: "New prompt (blank template)"}
    base_path = ss["lab_base"][0]
    if ss.get("lab_source") not in labels:
        ss["lab_source"] = base_path if base_path in labels else BLANK
    st.selectbox("Start from", list(labels), key="lab_source", on_change=_on_source,
                 format_func=lambda k: labels.get(k, k),
                 help="Loads that file into the editor (unsaved edits are discarded).")
    st.html("<style>.st-key-lab_yaml textarea {font-family: monospace;}</style>")
    text = st.text_area("Prompt YAML", key="lab_yaml", height=520,
                        help="Checked when you leave the box, press Ctrl+Enter or click Check.")
    ss["lab_text"] = text
    st.button("Check", key="lab_check", icon=":material/rule:")
    result = lab.check_text(text, Path(base_path).name if base_path else "new prompt")
    _show_check(text, result)
    return text, result


def _input_key(spec: InputSpec) -> str:
    return f"lab_in_{spec.name}_{zlib.crc32(repr(spec).encode()):x}"  # new spec, new widget


def _preview(spec: PromptSpec, cv_text: str, job: str) -> dict[str, object]:
    """Input controls and the messages as they will be sent, CV fenced."""
    st.subheader("Preview")
    values = {item.name: input_widget(item, _input_key(item)) for item in spec.inputs}
    try:
        messages = lab.preview(spec, cv=cv_text, job_description=job, values=values)
    except KitError as exc:
        st.error(inert(str(exc)))
        return values
    for message in messages:
        title = f"{message['role'].title()} message — {len(message['content']):,} characters"
        with st.expander(title, expanded=message["role"] == "user"):
            st.code(message["content"], language=None, wrap_lines=True)
    return values


def _cv(settings: Settings) -> tuple[str, str]:
    """The CV text (hidden passages left out, as on the Generate page) and its name."""
    mode = st.radio("CV source", ["Upload a file", "Paste text"], horizontal=True,
                    key="lab_cv_mode", label_visibility="collapsed")
    try:
        cv: CVText | None = None
        if mode == "Paste text":
            text = st.text_area("CV text", key="lab_cv_paste", height=150,
                                placeholder="Paste the candidate's CV here")
            cv = read_pasted(text, settings.limits) if text.strip() else None
        else:
            upload = st.file_uploader("CV (PDF, .txt or .md)", type=["pdf", "txt", "md"],
                                      key="lab_cv_file")
            cv = read_cv(upload.getvalue(), upload.name, limits=settings.limits) if upload else None
    except CVError as exc:
        st.error(str(exc), icon=":material/description:")
        return "", ""
    if cv is None:
        return "", ""
    pages = f"{cv.pages} page(s), " if cv.pages else ""
    st.caption(f"{cv.filename}: {pages}{len(cv.text):,} characters")
    if any(item.kind != "instruction" for item in cv.suspicious):
        st.warning("This CV hides text from human readers; it is left out of what the model "
                   "sees (the Generate page lists the passages).", icon=":material/gpp_maybe:")
        return without_hidden(cv.text, cv.suspicious), cv.filename
    if cv.suspicious:
        st.warning("This CV contains text addressed to an AI; it reaches the model fenced as "
                   "data (the Generate page lists the passages).", icon=":material/gpp_maybe:")
    return cv.text, cv.filename


def _save_file(directory: Path) -> None:
    try:
        path = lab.save_new_file(ss["lab_yaml"], directory, ss.get("lab_new_name", ""))
    except KitError as exc:
        _notice("error", str(exc))
        return
    _load(path)
    ss["lab_source"] = str(path)
    _notice("success", f"Saved {path.name}; it is in the Generate page's dropdown now.")


def _ask_version() -> None:
    ss["lab_confirm"] = ss["lab_yaml"]


def _cancel_version() -> None:
    ss.pop("lab_confirm", None)


def _confirm_version() -> None:
    text, (base_path, base_text) = ss["lab_yaml"], ss["lab_base"]
    if ss.pop("lab_confirm", None) != text:
        _notice("error", "The text changed after the diff was shown; nothing was saved.")
        return
    try:
        saved = lab.save_new_version(text, Path(base_path), base_text)
    except KitError as exc:
        _notice("error", str(exc))
        return
    _load(saved.path)
    _notice("success", f"Saved {saved.path.name} as version {saved.version}; the previous text "
                       f"is kept as {lab.VERSIONS_DIR}/{saved.archived.name}.")


def _confirm_box(name: str, changes: str) -> None:
    st.warning(f"Replace **{inert(name)}** with the edited text as a new version? The current "
               f"file is archived in `{lab.VERSIONS_DIR}/` first.", icon=":material/difference:")
    st.code(changes, language="diff")
    left, right = st.columns(2)
    left.button(f"Replace {name}", key="lab_confirm_replace", type="primary",
                on_click=_confirm_version)
    right.button("Cancel", key="lab_cancel_replace", on_click=_cancel_version)


def _save(directory: Path, text: str, valid: bool) -> None:
    base_path, base_text = ss["lab_base"]
    name = Path(base_path).name if base_path else ""
    changes = lab.diff(base_text, text, name or "new prompt")
    kind, message = ss.pop("lab_notice", (None, ""))
    if kind:
        (st.success if kind == "success" else st.error)(inert(message))
    if ss.get("lab_confirm") is not None and base_path and changes:
        ss["lab_confirm"] = text  # confirming saves exactly the text whose diff is shown now
        _confirm_box(name, changes)
        return
    ss.pop("lab_confirm", None)
    new_col, version_col = st.columns(2)
    with new_col:
        st.text_input("New file name", key="lab_new_name", placeholder="e.g. short_questions")
        st.button("Save as new file", key="lab_save_new", disabled=not valid,
                  on_click=_save_file, args=(directory,), icon=":material/note_add:")
    with version_col:
        archived = bool(base_path) and Path(base_path).parent.name == lab.VERSIONS_DIR
        st.button(f"Save as new version of {name or '…'}", key="lab_save_version",
                  disabled=not (valid and changes and base_path) or archived,
                  on_click=_ask_version, icon=":material/history:",
                  help="Shows the diff first; archived versions are read-only.")
    if changes:
        with st.expander(f"Changes against the saved {name or 'template'}"):
            st.code(changes, language="diff")


def _side_form(name: str, labels: dict[str, str], eps: dict[str, str],
               default: str, settings: Settings) -> Form:
    with st.container(border=True):
        st.markdown(f"**{name}**")
        source = st.selectbox("Prompt", list(labels), index=list(labels).index(default),
                              format_func=lambda k: labels.get(k, k), key=f"lab_{name}_source")
        endpoint = st.selectbox("Provider", list(eps), format_func=lambda k: eps.get(k, k),
                                key=f"lab_{name}_endpoint")
        model = st.text_input("Model", value=settings.model or "", key=f"lab_{name}_model",
                              disabled=endpoint == OFFLINE,
                              placeholder=f"the prompt's model, else {DEFAULT_OPENAI_MODEL}")
        temperature = st.slider("Temperature", 0.0, 2.0, value=0.4, step=0.1,
                                key=f"lab_{name}_temperature",
                                help="Used instead of the prompt file's temperature.")
    return source, endpoint, model, temperature


def _spec(source: str, editor: PromptSpec | PromptError) -> PromptSpec:
    if source != EDITOR:
        return load_prompt(source)
    if isinstance(editor, PromptError):
        raise editor
    return editor


def _offline_note(chosen: dict[str, Form]) -> None:
    offline = [name for name, form in chosen.items() if form[1] == OFFLINE]
    if len(offline) == 2:
        st.info("Both sides use the offline model, which runs one generation at a time: B "
                "starts when A has finished, so compare the kits, not the times.",
                icon=":material/hourglass_top:")
    elif offline:
        st.caption(f"The offline model runs one generation at a time: if the Generate page is "
                   f"using it, {offline[0]} waits its turn.")


class _Pane:
    """One result column: a header, a live status line, the kit painted per question."""

    def __init__(self, side: Side) -> None:
        model = side.run.params.model or side.provider.model
        st.markdown(f"**{side.name}** · {inert(side.run.prompt_name)} · {inert(model)}")
        self.side, self.status, self.body = side, st.empty(), st.container()
        self.slots: list[Any] = []
        self.shown: list[str] = []

    def paint(self) -> None:
        for i, part in enumerate(sections(self.side.run.text)):
            if i == len(self.slots):
                with self.body:
                    self.slots.append(st.empty())
                self.shown.append("")
            if self.shown[i] != part:
                self.slots[i].markdown(inert(part))
                self.shown[i] = part
        rec = self.side.run.recorder
        self.status.caption(f"{STATUS_TEXT[self.side.run.status]} {rec.elapsed_s or 0:.1f} s · "
                            f"~{rec.approx_tokens} tokens")

    def finish(self) -> None:
        self.paint()
        run = self.side.run
        figures = " · ".join(f"{k}: **{inert(v)}**" for k, v in self.side.figures().items())
        self.status.caption(figures)
        if run.status == "failed":
            st.error(f"{inert(run.error or '')} The text so far is kept." if run.text
                     else inert(run.error or ""), icon=":material/error:")
        elif run.status == "stopped":
            st.warning("Stopped before the end; the text so far is kept.",
                       icon=":material/stop_circle:")


def _show(comparison: Comparison, *, live: bool) -> None:
    stop_slot = st.empty()
    columns = st.columns(len(comparison.sides), gap="large")
    panes: dict[str, _Pane] = {}
    for column, side in zip(columns, comparison.sides, strict=True):
        with column:
            panes[side.name] = _Pane(side)
    if live:
        stop_slot.button("Stop", key="lab_stop", icon=":material/stop_circle:",
                         help="Stop both sides; the text so far is kept")
        events = comparison.events()
        try:
            for event in events:
                for pane in panes.values() if event.side is None else [panes[event.side]]:
                    pane.paint()
        finally:
            events.close()
        stop_slot.empty()
    for column, pane in zip(columns, panes.values(), strict=True):
        with column:
            pane.finish()
    if comparison.wall_s is not None:
        each = ", ".join(f"{side.name} {side.run.recorder.elapsed_s or 0:.1f} s"
                         for side in comparison.sides)
        st.caption(f"Both finished after **{comparison.wall_s:.1f} s** ({each}).")


def _run(settings: Settings, chosen: dict[str, Form],
         editor: PromptSpec | PromptError, cv: tuple[str, str], job: str,
         values: dict[str, object]) -> Comparison | None:
    try:
        sides = [build_side(SideConfig(name, _spec(source, editor), endpoint, model.strip() or None,
                                       temperature), settings, cv_text=cv[0], cv_name=cv[1],
                            job_description=job, values=values)
                 for name, (source, endpoint, model, temperature) in chosen.items()]
    except KitError as exc:
        st.error(inert(str(exc)), icon=":material/error:")
        return None
    return Comparison(sides)


def _compare(settings: Settings, files: list[lab.Source], editor: PromptSpec | PromptError,
             cv: tuple[str, str], job: str, values: dict[str, object]) -> None:
    st.header("Compare A and B")
    st.caption("Two prompts, two versions of one prompt, or one prompt on two models or "
               "settings: both run on the CV above at the same time, each in its own column.")
    labels = {EDITOR: "The text in the editor"} | {str(s.path): s.label for s in files}
    base = ss["lab_base"][0]
    eps = endpoints(settings)
    chosen = {}
    for column, (name, default) in zip(st.columns(2), [("A", EDITOR), ("B", base or EDITOR)],
                                       strict=True):
        with column:
            chosen[name] = _side_form(name, labels, eps, default if default in labels else EDITOR,
                                      settings)
    _offline_note(chosen)
    if not cv[0]:
        st.info("Upload or paste a CV above to compare.", icon=":material/upload_file:")
    clicked = st.button("Run A and B", type="primary", key="lab_run", disabled=not cv[0],
                        icon=":material/compare:")
    comparison: Comparison | None = ss.get("lab_comparison")
    if clicked:
        comparison = _run(settings, chosen, editor, cv, job, values)
        ss["lab_comparison"] = comparison
    elif comparison is not None:
        comparison.stop()  # a rerun (Stop, or any widget) mid-stream: keep the text
    if comparison is not None:
        _show(comparison, live=clicked)


def main() -> None:
    try:
        settings = load_settings(secrets=secrets())
    except ValueError as exc:
        st.error(f"Configuration problem: {exc}")
        st.stop()
    st.title("Prompt Lab")
    st.caption("Edit an interview prompt, check and preview it with a real CV, save it, and "
               "compare two prompts or models side by side as they stream.")
    directory = PROMPTS_DIR
    files = lab.sources(directory)
    _init(files)
    with st.container(border=True):
        st.markdown("**CV and job description** (used by the preview and the comparison)")
        cv_col, job_col = st.columns([3, 2])
        with cv_col:
            cv = _cv(settings)
        with job_col:
            job = st.text_area("Job description (optional)", key="lab_job", height=120)
    edit_col, preview_col = st.columns([3, 2], gap="large")
    with edit_col:
        text, result = _editor(files)
    values: dict[str, object] = {}
    with preview_col:
        if isinstance(result, PromptSpec):
            values = _preview(result, cv[0], job)
    _save(directory, text, isinstance(result, PromptSpec))
    _compare(settings, files, result, cv, job, values)


main()
