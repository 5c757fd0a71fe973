"""Widgets the pages share: CV input, prompt inputs, guard, findings, downloads.

Each exists once, so the Generate page and the Prompt Lab read a CV the same
way (password prompt, size limit, the same messages), and every download row
has the same labels in the same order (:data:`interviewkit.export.FORMATS`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import streamlit as st

from interviewkit.access.model import User
from interviewkit.access.policy import can_create
from interviewkit.access.scope import Scope
from interviewkit.compliance import RuleSet, available_rules, check_kit, guard_notice, load_rules
from interviewkit.config import Settings, prompts_dir
from interviewkit.errors import PASSWORD_CODES, CVError, KitError
from interviewkit.export import FORMATS, export, file_name, pdf_problem
from interviewkit.ingest.cv import CVText, read_cv, read_pasted
from interviewkit.kit.model import Kit
from interviewkit.kit.pipeline import PreparedCV, prepare_cv, redacts_by_default
from interviewkit.promptfiles.loader import load_prompts
from interviewkit.promptfiles.schema import InputSpec, PromptSpec
from interviewkit.providers.base import Provider
from interviewkit.roles.store import JobRole, RoleBook
from interviewkit.safety.markdown import inert

PASTE, UPLOAD = "Paste text", "Upload a file"
DEFAULT_PROMPT = "technical_screen"


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


# --- the CV ----------------------------------------------------------------------

def _upload(settings: Settings, prefix: str) -> CVText | None:
    limit_mb = max(1, settings.limits.max_bytes // 2**20)
    upload = st.file_uploader(f"CV (PDF, .txt or .md, up to {limit_mb} MB)",
                              type=["pdf", "txt", "md"], key=f"{prefix}cv_file",
                              max_upload_size=limit_mb)
    if upload is None:
        return None
    password_key = f"{prefix}cv_password"
    if st.session_state.get(password_key):
        st.text_input("PDF password", type="password", key=password_key)
    try:
        return read_cv(upload.getvalue(), upload.name,
                       password=st.session_state.get(password_key) or None,
                       limits=settings.limits)
    except CVError as exc:
        if exc.code in PASSWORD_CODES and not st.session_state.get(password_key):
            st.text_input("PDF password", type="password", key=password_key)
        raise


def cv_input(settings: Settings, prefix: str = "", height: int = 220) -> CVText | None:
    """Upload or paste a CV; a bad file is a specific message, never a traceback."""
    mode = st.radio("CV source", [UPLOAD, PASTE], horizontal=True, key=f"{prefix}cv_mode",
                    label_visibility="collapsed")
    try:
        if mode == PASTE:
            text = st.text_area("CV text", key=f"{prefix}cv_paste", height=height,
                                placeholder="Paste the candidate's CV here")
            return read_pasted(text, settings.limits) if text.strip() else None
        return _upload(settings, prefix)
    except CVError as exc:
        st.error(str(exc), icon=":material/description:")
        return None


def show_cv(cv: CVText) -> None:
    title = f"Extracted CV text — {cv.filename}: {cv.pages} page(s), {len(cv.text):,} characters"
    with st.expander(title, expanded=bool(cv.warnings)):
        for warning in cv.warnings:
            st.warning(warning, icon=":material/warning:")
        st.text(cv.text)


def what_the_model_sees(cv: CVText, provider: Provider, prefix: str = "") -> PreparedCV:
    """Suspicious passages and redaction, shown; the policy itself is the pipeline's."""
    if cv.suspicious:
        st.warning(f"**Possible prompt injection:** this CV contains {len(cv.suspicious)} "
                   "passage(s) hidden from human readers or addressed to an AI. The CV always "
                   "reaches the model as fenced data, but read these before trusting the kit.",
                   icon=":material/gpp_maybe:")
        with st.expander("Suspicious passages", expanded=True):
            for item in cv.suspicious:
                st.markdown(f"- **{inert(item.label)}:** {inert(item.text)}")
    drop = True
    if any(item.kind != "instruction" for item in cv.suspicious):
        drop = st.checkbox("Leave the hidden text out of what the model sees", value=True,
                           key=f"{prefix}drop_hidden")
    redact = st.checkbox("Redact personal data before sending",
                         value=redacts_by_default(provider), key=f"{prefix}redact",
                         help="Emails, phone numbers, addresses, dates of birth, national ID "
                              "numbers and profile URLs become placeholders.")
    prepared = prepare_cv(cv, provider, drop_hidden=drop, redact=redact)
    if prepared.redaction is not None and prepared.redaction.items:
        counts = ", ".join(f"{n} {kind.lower()}"
                           for kind, n in prepared.redaction.counts().items())
        with st.expander(f"Redacted before sending: {counts}"):
            st.table([{"kind": r.kind, "original": r.original, "sent as": r.placeholder}
                      for r in prepared.redaction.items])
    return prepared


# --- the prompt and the guard ------------------------------------------------------

def prompt_picker() -> tuple[PromptSpec, dict[str, object]]:
    """The prompt dropdown and its declared inputs; no usable prompt ends the page."""
    prompts, errors = load_prompts()
    for error in errors:
        st.warning(f"Prompt file skipped: {error}", icon=":material/warning:")
    if not prompts:
        st.error(f"No usable interview prompts in {prompts_dir()}.")
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


def guard_picker() -> RuleSet | None:
    names = available_rules()
    choice = st.selectbox("Fair-hiring guard", ["off", *names], key="rules",
                          index=1 + names.index("us_eeoc") if "us_eeoc" in names else 0,
                          help="Flags questions about protected grounds as they stream in. "
                               "An aid, not legal advice.")
    if choice == "off":
        return None
    if (notice := guard_notice()) is not None:
        st.caption(f":material/info: {inert(notice)}")
    try:
        return load_rules(choice)
    except KitError as exc:
        st.warning(f"Fair-hiring guard is off: {exc}", icon=":material/warning:")
        return None


def findings(section: str, rules: RuleSet | None) -> None:
    """A badge per protected ground a finished question touches, with a rewrite."""
    if rules is None:
        return
    for checked in check_kit(section, rules):
        for finding in checked.findings:
            rewrite = f" **Instead:** {inert(finding.rewrite)}" if finding.rewrite else ""
            st.warning(f"**{inert(rules.label(finding.ground))}** — “{inert(finding.phrase)}”: "
                       f"{inert(finding.why)}{rewrite}", icon=":material/gavel:")


# --- downloads -------------------------------------------------------------------

def audited(build: Callable[[], bytes], record: Callable[[], None] | None) -> Callable[[], bytes]:
    """A download's file builder that also records the download (in the audit trail).

    Streamlit builds a callable's file only when the button is clicked.  Recording in
    ``on_click`` instead would rerun the page, and that rerun sometimes drops the
    deferred builder before the browser fetches it ("Deferred file … not found": a click
    that downloads nothing), so every download button uses ``on_click="ignore"`` and this.
    """
    def build_and_record() -> bytes:
        data = build()
        if record is not None:
            record()
        return data

    return build_and_record


def download_row(kit: Kit, key: str, formats: Sequence[str] = tuple(FORMATS),
                 on_export: Callable[[str], None] | None = None) -> None:
    """One button per export format, built only when clicked; ``on_export(fmt)`` records
    the download in the audit trail."""
    no_pdf = pdf_problem()
    for column, fmt in zip(st.columns(len(formats)), formats, strict=True):
        spec = FORMATS[fmt]
        with column:
            record = None if on_export is None else functools.partial(on_export, fmt)
            st.download_button(spec.label, audited(functools.partial(export, kit, fmt), record),
                               file_name=file_name(kit, fmt), mime=spec.mime,
                               key=f"{key}_{fmt}", on_click="ignore",
                               icon=":material/download:",
                               disabled=fmt == "pdf" and no_pdf is not None,
                               help=no_pdf if fmt == "pdf" else None)


def provider_banner(provider: Provider) -> None:
    if provider.offline:
        st.info(
            f"**Offline mode** — {provider.label}, running on this machine's CPU. It is small: "
            "expect simpler questions. For a stronger model set `OPENAI_API_KEY` (OpenAI) or "
            "`OPENAI_BASE_URL` (vLLM, Ollama, llama.cpp, LM Studio) and restart; see the README.",
            icon=":material/computer:")
    else:
        st.caption(f"Model: **{provider.label}**")


NO_ROLE = 0


def creators_only(user: User) -> None:
    """Interviewers score kits shared with them; making kits is for recruiters and admins."""
    if not can_create(user):
        st.info("Interviewers open the kits shared with them in **Interview mode**; making "
                "kits is for recruiters and admins.", icon=":material/lock:")
        st.stop()


def _fill_job(roles: dict[int, JobRole]) -> None:
    role = roles.get(st.session_state.get("gen_role", NO_ROLE))
    if role is not None and role.job_description:
        st.session_state["job"] = role.job_description


def role_picker(scope: Scope | None) -> int | None:
    """The role this kit is for (optional); choosing one fills in its job description."""
    if scope is None:
        return None
    roles = {r.id: r for r in RoleBook(scope).all()}
    if not roles:
        return None
    choice = st.selectbox("Role (optional)", [NO_ROLE, *roles], key="gen_role",
                          format_func=lambda i: roles[i].title if i in roles else "(no role)",
                          on_change=_fill_job, args=(roles,),
                          help="File the kit under a role to compare its candidates")
    return choice if choice in roles else None
