"""Generate page: a CV and an interview prompt in, a streamed interview kit out.

Thin on purpose: read widgets, call ``interviewkit``, show results.  The kit
in progress lives in session state as a ``KitRun``, so a Stop click (which
reruns this script mid-stream) or any other rerun keeps the text that arrived.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any

import streamlit as st

from interviewkit.compliance import RuleSet, available_rules, check_kit, load_rules
from interviewkit.config import Settings, load_settings
from interviewkit.cv import CVError, CVText, read_cv, read_pasted
from interviewkit.display import inert, paragraphs, sections, split_sections
from interviewkit.errors import KitError
from interviewkit.export import FORMATS, ExportError, export, file_name, find_pdf_font
from interviewkit.generation import KitRun, new_run
from interviewkit.history import (
    RERUN_KEY,
    HistoryError,
    RerunRequest,
    Store,
    open_store,
    save_run,
)
from interviewkit.injection import without_hidden
from interviewkit.kit import kit_from_run
from interviewkit.llm import Provider, provider_from_settings
from interviewkit.offline import OfflineProvider
from interviewkit.prompts import PROMPTS_DIR, PromptSpec, load_prompt_dir
from interviewkit.redact import redact_pii
from pages._shared import input_widget, secrets

PASSWORD_CODES = {"needs_password", "wrong_password"}
DEFAULT_PROMPT = "technical_screen"
LABELS = {"md": "Markdown", "docx": "DOCX", "pdf": "PDF", "json": "JSON"}



@st.cache_resource(show_spinner=False)
def _provider(key: str, _settings: Settings) -> Provider:
    """One provider (and HTTP client) per configuration and process, not one per rerun."""
    return provider_from_settings(_settings)


def _provider_banner(provider: Provider) -> None:
    if provider.offline:
        st.info(
            f"**Offline mode** — {provider.label}, running on this machine's CPU. It is small: "
            "expect simpler questions. For a stronger model set `OPENAI_API_KEY` (OpenAI) or "
            "`OPENAI_BASE_URL` (vLLM, Ollama, llama.cpp, LM Studio) and restart; see the README.",
            icon=":material/computer:",
        )
    else:
        st.caption(f"Model: **{provider.label}**")


def _read_upload(settings: Settings) -> CVText | None:
    limit_mb = max(1, settings.limits.max_bytes // 2**20)
    upload = st.file_uploader(f"CV (PDF, .txt or .md, up to {limit_mb} MB)",
                              type=["pdf", "txt", "md"], key="cv_file",
                              max_upload_size=limit_mb)
    if upload is None:
        return None
    data = upload.getvalue()
    if st.session_state.get("cv_password"):
        st.text_input("PDF password", type="password", key="cv_password")
    try:
        return read_cv(data, upload.name, password=st.session_state.get("cv_password") or None,
                       limits=settings.limits)
    except CVError as exc:
        if exc.code in PASSWORD_CODES and not st.session_state.get("cv_password"):
            st.text_input("PDF password", type="password", key="cv_password")
        raise


def _cv_input(settings: Settings) -> CVText | None:
    mode = st.radio("CV source", ["Upload a file", "Paste text"], horizontal=True, key="cv_mode",
                    label_visibility="collapsed")
    if mode == "Paste text":
        text = st.text_area("CV text", key="cv_paste", height=220,
                            placeholder="Paste the candidate's CV here")
        return read_pasted(text, settings.limits) if text.strip() else None
    return _read_upload(settings)


def _show_cv(cv: CVText) -> None:
    title = f"Extracted CV text — {cv.filename}: {cv.pages} page(s), {len(cv.text):,} characters"
    with st.expander(title, expanded=bool(cv.warnings)):
        for warning in cv.warnings:
            st.warning(warning, icon=":material/warning:")
        st.text(cv.text)


def _show_suspicious(cv: CVText) -> str:
    """Warn about hidden or AI-addressed text; return the CV text to send."""
    if not cv.suspicious:
        return cv.text
    st.warning(f"**Possible prompt injection:** this CV contains {len(cv.suspicious)} "
               "passage(s) hidden from human readers or addressed to an AI. The CV always "
               "reaches the model as fenced data, but read these before trusting the kit.",
               icon=":material/gpp_maybe:")
    with st.expander("Suspicious passages", expanded=True):
        for item in cv.suspicious:
            st.markdown(f"- **{inert(item.label)}:** {inert(item.text)}")
    if not any(item.kind != "instruction" for item in cv.suspicious):
        return cv.text
    drop = st.checkbox("Leave the hidden text out of what the model sees", value=True,
                       key="drop_hidden")
    return without_hidden(cv.text, cv.suspicious) if drop else cv.text


def _prompt_input() -> tuple[PromptSpec, dict[str, object]]:
    prompts, errors = load_prompt_dir(PROMPTS_DIR)
    for error in errors:
        st.warning(f"Prompt file skipped: {error}", icon=":material/warning:")
    if not prompts:
        st.error(f"No usable interview prompts in {PROMPTS_DIR}.")
        st.stop()
    by_key = {p.key: p for p in prompts}
    keys = list(by_key)
    key = st.selectbox("Interview prompt", keys, key="prompt_key",
                       index=keys.index(DEFAULT_PROMPT) if DEFAULT_PROMPT in keys else 0,
                       format_func=lambda k: by_key[k].name)
    prompt = by_key[key]
    st.caption(prompt.description)
    return prompt, {spec.name: input_widget(spec, f"in_{prompt.key}_{spec.name}")
                    for spec in prompt.inputs}


def _stream(run: KitRun, provider: Provider, rules: RuleSet | None) -> None:
    stop_slot = st.empty()
    stop_slot.button("Stop", key="stop", icon=":material/stop_circle:",
                     help="Stop generating; the text so far is kept")
    if isinstance(provider, OfflineProvider):
        waiting = provider.queue_length()
        if waiting:
            st.info(f"The offline model is busy with {waiting} other generation(s) on this "
                    "server; yours starts as soon as they finish.",
                    icon=":material/hourglass_top:")
        with st.spinner("Loading the offline model…"):
            provider.prepare()
    hint = st.empty()
    hint.caption("Waiting for the first words… " + (
        "The offline model reads the CV and the prompt first (about 100 tokens/s on two "
        "cores, so 10–30 s for a typical CV), then writes about 20 tokens/s."
        if provider.offline else ""))
    stream = run.stream(provider)
    try:
        for section in split_sections(stream):
            raw: list[str] = []
            st.write_stream(inert(chunk) for chunk in paragraphs(_keep(section, raw, hint)))
            _show_findings("".join(raw), rules)  # as soon as each question has finished
    finally:
        stream.close()
        hint.empty()
    # Hand the GIL to Streamlit's event loop so the last words are sent before the page
    # saves and exports the kit (bench: 150-175 ms lag spikes without this pause).
    time.sleep(0.02)
    stop_slot.empty()


def _keep(chunks: Iterator[str], into: list[str], hint: Any) -> Iterator[str]:
    """Pass chunks on, keeping a copy; the first one clears the waiting hint."""
    for chunk in chunks:
        if not into:
            hint.empty()
        into.append(chunk)
        yield chunk


def _show_findings(section: str, rules: RuleSet | None) -> None:
    if rules is None:
        return
    for checked in check_kit(section, rules):
        for finding in checked.findings:
            rewrite = f" **Instead:** {inert(finding.rewrite)}" if finding.rewrite else ""
            st.warning(f"**{inert(rules.label(finding.ground))}** — “{inert(finding.phrase)}”: "
                       f"{inert(finding.why)}{rewrite}", icon=":material/gavel:")


def _show_kept(run: KitRun, rules: RuleSet | None) -> None:
    if run.partial:
        st.caption("Partial kit")
    for section in sections(run.text):
        st.markdown(inert("".join(paragraphs([section]))))
        _show_findings(section, rules)


def _request_retry() -> None:
    st.session_state["retry_requested"] = True


def _downloads(run: KitRun, source: tuple[CVText, str] | None) -> None:
    if source is None or not run.text.strip():
        return
    kit = kit_from_run(run, *source)
    try:
        find_pdf_font()
        no_pdf = None
    except ExportError as exc:
        no_pdf = str(exc)
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        with column:
            st.download_button(f"Download {LABELS.get(fmt, fmt)}",
                               (lambda fmt=fmt: export(kit, fmt)),  # built only when clicked
                               file_name=file_name(kit, fmt), mime=FORMATS[fmt][0],
                               key=f"download_{fmt}", on_click="ignore",
                               disabled=fmt == "pdf" and no_pdf is not None,
                               help=no_pdf if fmt == "pdf" else None)


def _outcome(run: KitRun, source: tuple[CVText, str] | None) -> None:
    if run.status == "failed":
        kept = " The partial kit above is kept." if run.text else ""
        st.error(f"{run.error}{kept}", icon=":material/error:")
    elif run.status == "stopped":
        st.warning("Stopped before the end. The partial kit above is kept.",
                   icon=":material/stop_circle:")
    st.caption(" · ".join(f"{k}: **{v}**" for k, v in run.stats().items()))
    if run.status in {"failed", "stopped"}:
        st.button("Retry", key="retry", on_click=_request_retry, icon=":material/refresh:")
    _downloads(run, source)


def _save(store: Store | None, run: KitRun, source: tuple[CVText, str] | None) -> None:
    """Every completed or stopped kit goes to History (saving again updates the same row)."""
    if store is None or source is None or run.status in {"pending", "running"}:
        return
    state = (run.created, run.status, len(run.text))  # a widget rerun changes none of these
    saved = st.session_state.get("kit_saved")
    if saved is not None and saved[0] == state:
        kit_id = saved[1]
    else:
        try:
            kit_id = save_run(store, run, *source)
        except HistoryError as exc:
            st.warning(f"This kit was not saved to History: {exc}", icon=":material/warning:")
            return
        st.session_state["kit_saved"] = (state, kit_id)
    if kit_id is not None:
        st.caption(f"Saved to History as kit #{kit_id}.")


def _run_section(provider: Provider, start: KitRun | None, rules: RuleSet | None,
                 store: Store | None) -> None:
    """Stream a new run when asked, else show the kept one (after Stop, any rerun)."""
    retry = st.session_state.pop("retry_requested", False)
    run: KitRun | None = st.session_state.get("kit_run")
    if retry and run is not None:
        start = run.again()
    if start is not None:
        st.session_state["kit_run"] = run = start
        try:
            _stream(run, provider, rules)
        except KitError as exc:
            run.fail(str(exc), exc.code)
    elif run is not None:
        run.mark_interrupted()
        _show_kept(run, rules)
    if run is not None:
        source = st.session_state.get("kit_source")
        _save(store, run, source)
        _outcome(run, source)


def _guard_input() -> RuleSet | None:
    names = available_rules()
    choice = st.selectbox("Fair-hiring guard", ["off", *names], key="rules",
                          index=1 + names.index("us_eeoc") if "us_eeoc" in names else 0,
                          help="Flags questions about protected grounds as they stream in. "
                               "An aid, not legal advice.")
    if choice == "off":
        return None
    try:
        return load_rules(choice)
    except KitError as exc:
        st.warning(f"Fair-hiring guard is off: {exc}", icon=":material/warning:")
        return None


def _redact_input(cv_text: str, provider: Provider) -> str:
    """Personal data out of what a remote model sees (on by default for remote models)."""
    on = st.checkbox("Redact personal data before sending", value=not provider.offline,
                     key="redact", help="Emails, phone numbers, addresses, dates of birth, "
                                        "national ID numbers and profile URLs become placeholders.")
    if not on:
        return cv_text
    redaction = redact_pii(cv_text)
    if redaction.items:
        counts = ", ".join(f"{n} {kind.lower()}" for kind, n in redaction.counts().items())
        with st.expander(f"Redacted before sending: {counts}"):
            st.table([{"kind": r.kind, "original": r.original, "sent as": r.placeholder}
                      for r in redaction.items])
    return redaction.text


def _new_run(settings: Settings, prompt: PromptSpec, values: dict[str, object], cv: CVText,
             cv_text: str, job: str) -> KitRun | None:
    if not st.button("Generate interview kit", type="primary", key="generate"):
        return None
    try:
        run = new_run(prompt, cv_text=cv_text, cv_name=cv.filename, job_description=job,
                      raw_values=values,
                      model=st.session_state.get("rerun_model") or settings.model)
    except KitError as exc:
        st.error(str(exc))
        return None
    st.session_state["kit_source"] = (cv, job)
    st.session_state.pop("rerun_from", None)  # the hand-off is used up
    st.session_state.pop("rerun_model", None)
    return run


def _open_store(settings: Settings) -> Store | None:
    try:
        return open_store(settings, secrets=secrets())
    except HistoryError as exc:
        st.warning(f"History is unavailable, kits will not be saved: {exc}",
                   icon=":material/warning:")
        return None


def _take_rerun_request() -> None:
    """The History page's "re-run" hand-off: its CV, job and prompt are already filled in."""
    request: RerunRequest | None = st.session_state.pop(RERUN_KEY, None)
    if request is not None:
        st.session_state["rerun_model"] = request.model
        st.session_state["rerun_from"] = request.kit_id
    if st.session_state.get("rerun_from") is not None:
        model = st.session_state.get("rerun_model") or "the configured model"
        st.info(f"Re-running kit #{st.session_state['rerun_from']} with {model}: press "
                "Generate.", icon=":material/history:")


def main() -> None:
    try:
        settings = load_settings(secrets=secrets())
        provider = _provider(hashlib.sha256(repr(settings).encode()).hexdigest(), settings)
    except (KitError, ValueError) as exc:
        st.error(f"Configuration problem: {exc}")
        st.stop()
    st.title("Interview Kit")
    st.caption("Upload a CV, choose an interview prompt, and watch a tailored interview kit "
               "stream in: numbered questions, what to listen for, and a follow-up.")
    _provider_banner(provider)
    _take_rerun_request()
    cv_col, prompt_col = st.columns([3, 2], gap="large")
    with prompt_col:
        prompt, values = _prompt_input()
        rules = _guard_input()
    with cv_col:
        try:
            cv = _cv_input(settings)
        except CVError as exc:
            st.error(str(exc), icon=":material/description:")
            cv = None
        job = st.text_area("Job description (optional)", key="job", height=120,
                           placeholder="Paste the job ad to tailor the questions to the role")
    start = None
    if cv is None:
        st.info("Upload a CV (PDF, .txt or .md) or paste its text to begin.",
                icon=":material/upload_file:")
    else:
        _show_cv(cv)
        cv_text = _redact_input(_show_suspicious(cv), provider)
        start = _new_run(settings, prompt, values, cv, cv_text, job)
    _run_section(provider, start, rules, _open_store(settings))


main()
