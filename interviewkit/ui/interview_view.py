"""Interview mode's pieces: kit and interviewer, clock, each question's scorecard, the
overall part, submit, amend, downloads and the other interviewers' scorecards.

**Saving as typed** (README, *Interview mode*).  A text area sends its value only
when committed (blur, Ctrl+Enter); :func:`autosave` mounts ``autosave.js``, which
commits a notes area (key :data:`NOTES_PREFIX`...) once typing pauses for
:data:`DEBOUNCE_MS` and when the page is hidden.  Each question is a fragment, so a
commit reruns it alone and :func:`_sync` writes what changed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from interviewkit.access.model import User
from interviewkit.access.scope import Scope
from interviewkit.errors import KitError
from interviewkit.export import FORMATS, pdf_problem
from interviewkit.export.scorecard import (
    SCORECARD_FORMATS,
    export_scorecard,
    rating_guide,
    scorecard_file_name,
)
from interviewkit.interview import (
    SCORES,
    Field,
    Item,
    ItemState,
    Recommendation,
    Scorecard,
    Scorecards,
    clock_text,
    interviewer_for,
)
from interviewkit.interview.model import MAX_TEXT, amend_choices, amend_targets
from interviewkit.kit.model import Kit, Question
from interviewkit.safety.markdown import inert

KIT_PARAM, NAME_PARAM = "kit", "interviewer"  # ?kit=<id>&interviewer=<name> (open mode)
STATE_KEY = "ik_interview"
NOTES_PREFIX = "iv_notes_"  # the autosave script watches the text areas with these keys
DEBOUNCE_MS = 800


@functools.cache
def _autosave_component() -> Callable[..., object]:
    """Registered once per process (Streamlit warns when a component is registered twice)."""
    js = (files("interviewkit.interview") / "autosave.js").read_text("utf-8")
    return st.components.v2.component("interviewkit.autosave", js=js)


@dataclass
class InterviewState:
    """What the page remembers in a session, under :data:`STATE_KEY`."""

    updated: set[int] = field(default_factory=set)  # scorecards whose update is audited
    known: dict[str, object] = field(default_factory=dict)  # widget key -> value saved
    saved: dict[str, datetime] = field(default_factory=dict)  # part -> last save
    confirm_submit: bool = False
    flash: str | None = None


def state() -> InterviewState:
    found = st.session_state.get(STATE_KEY)
    if not isinstance(found, InterviewState):
        found = st.session_state[STATE_KEY] = InterviewState()
    return found


def autosave() -> None:
    """Mount the debounced commit script once per page run (it renders nothing)."""
    _autosave_component()(data={"delay": DEBOUNCE_MS, "prefix": NOTES_PREFIX},
                          key="iv_autosave")


# --- who and which kit ------------------------------------------------------------

def _param(name: str) -> str:
    return str(st.query_params.get(name) or "")


def _link(name: str, value: str) -> None:
    """Keep ``?name=value`` in the address bar, so a reload opens the same scorecard."""
    if _param(name) != value:
        st.query_params[name] = value


def pick_kit(scope: Scope) -> int | None:
    """A saved kit this user may read: from the list, or deep-linked as ``?kit=<id>``."""
    found = {s.id: s for s in scope.search(limit=500)}
    linked = int(_param(KIT_PARAM)) if _param(KIT_PARAM).isdigit() else None
    ids = list(found)
    if linked is not None and linked not in found:
        try:
            scope.check(linked)  # older than the list, perhaps; a refusal is audited
            ids.insert(0, linked)
        except KitError as exc:
            st.error(str(exc), icon=":material/lock:")
            linked = None
    if not ids:
        st.info("No saved kits you can open. Kits appear here once generated (or, for "
                "an interviewer, once shared with you).", icon=":material/history:")
        return None
    choice: int | None = st.selectbox(
        "Kit", ids, index=ids.index(linked) if linked in ids else None, key="iv_kit",
        placeholder="Choose the candidate's kit",
        format_func=lambda i: found[i].label() if i in found else f"#{i}")
    _link(KIT_PARAM, str(choice) if choice is not None else "")
    return choice


def interviewer(scope: Scope) -> Scorecards | None:
    """The scorecards of the signed-in user, or in open mode of the name typed here (kept
    in the address bar)."""
    if scope.user.signed_in:
        st.caption(f"Scoring as **{inert(scope.user.name)}**")
        return Scorecards(scope, interviewer_for(scope.user), updated=state().updated)
    name = st.text_input("Your name (interviewer)", value=_param(NAME_PARAM), key="iv_name",
                         help="Each interviewer keeps their own scorecard; sign-in is not "
                              "configured, so your name tells the scorecards apart.")
    _link(NAME_PARAM, " ".join(name.split()))
    try:
        return Scorecards(scope, interviewer_for(scope.user, name), updated=state().updated)
    except KitError as exc:
        st.info(str(exc), icon=":material/badge:")
        return None


def _base(kit_id: int, who: User) -> str:
    """Widget keys differ per kit and interviewer, so switching either starts clean."""
    return f"{kit_id}_{hashlib.sha256(who.key.encode()).hexdigest()[:10]}"


# --- saving -----------------------------------------------------------------------

def _local(at: datetime) -> str:
    """A time in the browser's time zone."""
    try:
        return f"{at.astimezone(ZoneInfo(st.context.timezone or 'UTC')):%H:%M:%S}"
    except (ZoneInfoNotFoundError, ValueError):
        return f"{at:%H:%M:%S} UTC"


def _sync(key: str, part: str, stored: object, save: Callable[..., datetime],
          convert: Callable[[object], object] = lambda value: value) -> Callable[[], None]:
    """Saves widget ``key`` if it differs from what the session knows is saved (at first the
    database's ``stored``: a new session writes what the browser holds, a stale tab nothing
    it did not touch). Also the widget's on_change: a click that blurs another part's notes
    comes as one rerun of that part's fragment, which runs this on_change but not this part."""
    def sync() -> None:
        page, value = state(), convert(st.session_state[key])
        if value == page.known.setdefault(key, stored):
            return
        try:
            page.saved[part] = save(value)
        except KitError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        page.known[key] = value
    return sync


def _saved(part: str, stored: datetime | None, syncs: Sequence[Callable[[], None]]) -> None:
    """Save what changed in the part, then say when it was last saved."""
    for sync in syncs:
        sync()
    at = state().saved.get(part) or stored
    st.caption(f":material/cloud_done: Saved {_local(at)}" if at
               else "Not saved yet · saves as you type")


# --- the clock and the header --------------------------------------------------------

def _clock(cards: Scorecards, card: Scorecard) -> None:
    st.markdown(f"**:material/timer: {clock_text(card.elapsed())}**"
                + (" · running" if card.running else " · paused" if card.elapsed() else ""))
    if card.read_only:
        return
    if card.running:
        if st.button("Pause clock", key="iv_clock_pause", icon=":material/pause:"):
            cards.pause_clock(card.kit_id)
            st.rerun()
    elif st.button("Resume clock" if card.elapsed() else "Start clock", key="iv_clock_start",
                   icon=":material/play_arrow:"):
        cards.start_clock(card.kit_id)
        st.rerun()


def _tick(card: Scorecard) -> float | None:
    """Every second while running, else every 10 s: a page with a timed fragment is rerun
    by the browser when it reconnects, which saves what it committed while offline."""
    return None if card.read_only else 1.0 if card.running else 10.0


def header(cards: Scorecards, kit: Kit, card: Scorecard) -> None:
    """Candidate, role, interviewer and status; the clock ticks in its own fragment,
    never rerunning the page."""
    if flash := state().flash:
        st.success(flash, icon=":material/check_circle:")
        state().flash = None
    left, right = st.columns([3, 1])
    left.subheader(kit.candidate)
    status = (f"Submitted {_local(card.submitted)}" if card.submitted else card.status.label)
    left.caption(" · ".join(inert(p) for p in (kit.role or kit.prompt_name, card.interviewer,
                                               status)))
    with right:
        st.fragment(_clock, run_every=_tick(card))(cards, card)


# --- one question -------------------------------------------------------------------

def _guide(q: Question) -> None:
    if q.listen_for:
        st.markdown("**Listen for:**\n" + "\n".join(f"- {inert(p)}" for p in q.listen_for))
    if q.follow_up:
        st.markdown(f"**Follow-up:** {inert(q.follow_up)}")
    if q.rating:
        st.caption(f"**Rating guide:** {inert(rating_guide(q))}")


def _question(cards: Scorecards, kit_id: int, q: Question, item: Item, base: str) -> None:
    n, part = q.number, f"{base}_{q.number}"
    keys = f"{NOTES_PREFIX}{part}", f"iv_score_{part}", f"iv_state_{part}"
    syncs = (_sync(keys[0], part, item.notes, functools.partial(cards.save_notes, kit_id, n)),
             _sync(keys[1], part, item.score, functools.partial(cards.save_score, kit_id, n)),
             _sync(keys[2], part, item.state, functools.partial(cards.save_state, kit_id, n),
                   lambda asked: ItemState(str(asked)) if asked else ItemState.PENDING))
    with st.container(border=True):
        st.markdown(f"#### {n}. {inert(q.text)}")
        _guide(q)
        st.text_area("Notes", value=item.notes, key=keys[0], height=130, max_chars=MAX_TEXT,
                     on_change=syncs[0], placeholder="What the candidate said; saved as you type")
        left, right = st.columns([3, 2])
        left.segmented_control("Score (1–5)", SCORES, default=item.score, key=keys[1],
                               on_change=syncs[1])
        right.segmented_control(
            "Asked or skipped", (ItemState.ASKED, ItemState.SKIPPED), key=keys[2],
            default=None if item.state is ItemState.PENDING else item.state,
            format_func=lambda s: ItemState(s).label, on_change=syncs[2])
        _saved(part, item.updated, syncs)


def question(cards: Scorecards, q: Question, card: Scorecard) -> None:
    """One question to fill in, in its own fragment (a change reruns only it)."""
    base = _base(card.kit_id, cards.interviewer)
    st.fragment(_question)(cards, card.kit_id, q, card.item(q.number), base)


def answered(q: Question, card: Scorecard) -> None:
    """One question of a submitted scorecard, read-only."""
    item = card.item(q.number)
    with st.container(border=True):
        st.markdown(f"#### {q.number}. {inert(q.text)}")
        _guide(q)
        score = f"{item.score} / 5" if item.score else "no score"
        st.markdown(f"**{score}** · {item.state.label}\n\n" + (inert(item.notes) or "*No notes.*"))


# --- the overall part, submit ---------------------------------------------------------

def _overall(cards: Scorecards, card: Scorecard, base: str) -> None:
    kit_id, part = card.kit_id, f"{base}_overall"
    keys = f"iv_rec_{base}", f"{NOTES_PREFIX}{base}_summary"
    syncs = (_sync(keys[0], part, card.recommendation,
                   functools.partial(cards.save_recommendation, kit_id)),
             _sync(keys[1], part, card.summary, functools.partial(cards.save_summary, kit_id)))
    st.segmented_control("Overall recommendation", list(Recommendation),
                         default=card.recommendation, key=keys[0], on_change=syncs[0],
                         format_func=lambda r: Recommendation(r).label)
    st.text_area("Summary", value=card.summary, key=keys[1], height=130, max_chars=MAX_TEXT,
                 on_change=syncs[1], placeholder="Strengths, concerns, what to probe next")
    _saved(part, card.updated if card.summary or card.recommendation else None, syncs)


def overall(cards: Scorecards, card: Scorecard) -> None:
    st.fragment(_overall)(cards, card, _base(card.kit_id, cards.interviewer))


def _ask_submit(ask: bool) -> None:
    state().confirm_submit = ask


def submit(cards: Scorecards, kit_id: int) -> None:
    """Submit, after a confirmation: the scorecard becomes read-only."""
    page = state()
    if not page.confirm_submit:
        st.button("Submit scorecard", key="iv_submit", type="primary", icon=":material/send:",
                  on_click=_ask_submit, args=(True,),
                  help="Read-only afterwards; a later change is a recorded amendment")
        return
    st.warning("Submit for good? Your scorecard becomes read-only, and then you see the "
               "other interviewers' scores.", icon=":material/send:")
    yes, no = st.columns(2)
    if yes.button("Yes, submit", key="iv_submit_yes", type="primary"):
        page.confirm_submit = False
        try:
            cards.submit(kit_id)
        except KitError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        page.flash = "Scorecard submitted."
        st.rerun()
    no.button("Cancel", key="iv_submit_no", on_click=_ask_submit, args=(False,))


def overall_read(card: Scorecard) -> None:
    rec = card.recommendation.label if card.recommendation else "—"
    st.markdown(f"**Recommendation:** {rec}\n\n" + (inert(card.summary) or "*No summary.*"))


# --- amend a submitted scorecard ---------------------------------------------------------

def _new_value(card: Scorecard, number: int | None, what: Field) -> object:
    """The input for an amendment's new value, starting from the current one."""
    key, item = f"iv_amend_value_{number}_{what}", card.item(number or 0)
    if (options := amend_choices(what)) is None:
        return st.text_area("New text", key=key, value=item.notes if number else card.summary)
    now = {Field.SCORE: item.score, Field.STATE: item.state,
           Field.RECOMMENDATION: card.recommendation}[what]
    return st.segmented_control("New value", list(options), format_func=options.__getitem__,
                                default=str(now) if now else None, key=key)


def amend(cards: Scorecards, kit: Kit, card: Scorecard) -> None:
    """Change a submitted scorecard on record: what, the new value, and why."""
    with st.expander("Amend this scorecard (recorded, with your reason)",
                     icon=":material/edit_note:"):
        targets = amend_targets(kit.questions)
        label = st.selectbox("What to change", list(targets), key="iv_amend_target")
        number, what = targets[label]
        value = _new_value(card, number, what)
        reason = st.text_input("Reason", key="iv_amend_reason",
                               placeholder="Why it changes, e.g. re-read after the debrief")
        if st.button("Record amendment", key="iv_amend_save", icon=":material/save:"):
            try:
                cards.amend(card.kit_id, what, value, reason, number=number)
            except KitError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            state().flash = f"Amendment recorded: {label}."
            st.rerun()


def amendments(card: Scorecard) -> None:
    if card.amendments:
        st.markdown("**Amendments after submission**\n" + "\n".join(
            f"- {inert(a.line())}" for a in card.amendments))


# --- downloads and the other interviewers ----------------------------------------------

def downloads(cards: Scorecards, kit: Kit, card: Scorecard) -> None:
    """The filled scorecard as DOCX or PDF, built from the database when clicked (so
    notes typed since the page last ran are in it); each download is audited."""
    no_pdf = pdf_problem()

    def build(fmt: str) -> bytes:  # builds and records (widgets.audited says why)
        current = cards.current(card.kit_id)
        data = export_scorecard(kit, current, fmt)
        cards.exported(kit, current, fmt)
        return data

    for column, fmt in zip(st.columns(len(SCORECARD_FORMATS) + 2), SCORECARD_FORMATS,
                           strict=False):
        column.download_button(
            f"Scorecard ({FORMATS[fmt].label})", functools.partial(build, fmt),
            file_name=scorecard_file_name(kit, card, fmt), mime=FORMATS[fmt].mime,
            key=f"iv_dl_{fmt}", on_click="ignore",
            icon=":material/download:", disabled=fmt == "pdf" and no_pdf is not None,
            help=no_pdf if fmt == "pdf" else None)


def _other(card: Scorecard, kit: Kit) -> None:
    rec = card.recommendation.label if card.recommendation else "—"
    with st.expander(f"{card.interviewer} — {rec}", icon=":material/person:"):
        items = [card.item(q.number) for q in kit.questions]
        st.dataframe([{"question": f"Q{i.number}", "score": i.score, "asked": i.state.label,
                       "notes": i.notes} for i in items], hide_index=True,
                     key=f"iv_other_{card.id}")
        st.markdown(f"**Summary:** {inert(card.summary) or '—'}")
        amendments(card)


def others(cards: Scorecards, kit: Kit, card: Scorecard) -> None:
    """The others' scorecards, or how many are hidden until this one is submitted."""
    found = cards.others(card.kit_id)
    st.subheader("Other interviewers")
    (st.info if found.visible or not found.count else st.warning)(
        found.message(), icon=":material/group:" if found.visible else ":material/lock:")
    for other in found.submitted:
        _other(other, kit)
