"""The Roles page's pieces: pick or create a role, compare its candidates, manage its kits.

The matrix comes from :func:`interviewkit.roles.compare.compare` (submitted scorecards
only, the independence rule applied there); this module only lays it out - a styled
table with missing scorecards marked, an Altair chart of each candidate's mean with the
spread across interviewers, and CSV/XLSX downloads whose clicks are audited.
:func:`frozen_offer` is what the Generate page calls when the chosen role has a
frozen kit.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import streamlit as st

from interviewkit.access import policy
from interviewkit.access.scope import Scope
from interviewkit.errors import KitError
from interviewkit.export.tables import TABLE_FORMATS, export_table, table_file_name
from interviewkit.history.audit import Action
from interviewkit.history.store import KitSummary
from interviewkit.kit.model import Kit
from interviewkit.kit.run import KitRun
from interviewkit.roles import JobRole, RoleBook
from interviewkit.roles.compare import RECOMMENDATIONS, Align, Column, Matrix, Row, compare
from interviewkit.roles.frozen import frozen_run, role_frozen_kit
from interviewkit.ui.widgets import audited

FLASH = "roles_flash"
NEW = "roles_new_id"  # a role just created: the picker opens it on the next run
VIEWED = "ik_roles_viewed"  # roles whose comparison this session has audited
NO_SCORE, GOOD, BAD, MUTED = "—", "#d9f2d9", "#f9d6d5", "#fff2cc"
ALIGN_LABELS = {Align.QUESTION: "Questions", Align.COMPETENCY: "Competencies"}
Layered = alt.LayerChart | alt.FacetChart  # what alt.layer() is typed to return
pd: Any = importlib.import_module("pandas")  # for its Styler; it ships no type hints


def _done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def flash() -> None:
    if message := st.session_state.pop(FLASH, None):
        st.success(message, icon=":material/check_circle:")


# --- choosing and creating ---------------------------------------------------------

def picker(book: RoleBook) -> JobRole | None:
    """The role to work on (archived ones on request)."""
    archived = st.toggle("Show archived roles", key="roles_archived")
    roles = {r.id: r for r in book.all(include_archived=archived)}
    if not roles:
        return None
    if (new := st.session_state.pop(NEW, None)) in roles:
        st.session_state["roles_pick"] = new
    role_id = st.selectbox("Role", list(roles), key="roles_pick",
                           format_func=lambda i: roles[i].label() if i in roles else str(i))
    return roles.get(role_id)


def create_form(book: RoleBook) -> None:
    if not policy.can_create(book.scope.user):
        return
    with st.expander("New role", icon=":material/add:"), st.form("roles_new", border=False):
        title = st.text_input("Job title", key="roles_new_title",
                              placeholder="Senior Backend Engineer")
        job = st.text_area("Job description", key="roles_new_job", height=120,
                           placeholder="Paste the job ad: its requirements become competencies")
        if st.form_submit_button("Create role", type="primary", key="roles_new_go"):
            try:
                role_id = book.create(title, job)
            except KitError as exc:
                st.error(str(exc))
                return
            st.session_state[NEW] = role_id
            _done(f"Role “{' '.join(title.split())}” created.")


def header(book: RoleBook, role: JobRole) -> None:
    st.subheader(role.title)
    frozen = (f"frozen kit #{role.frozen_kit_id}: every candidate gets the same questions"
              if role.frozen_kit_id else "no frozen kit: each candidate has their own questions")
    st.caption(f"Role #{role.id} · created {role.created:%Y-%m-%d} by {role.owner or 'local'}"
               f" · {frozen}" + (" · **archived**" if role.archived else ""))
    viewed = st.session_state.setdefault(VIEWED, set())
    if role.id not in viewed:  # a look at the scores of a role's candidates is recorded once
        book.scope.audit(Action.VIEW, "role", role.id, detail="comparison")
        viewed.add(role.id)


# --- the comparison ----------------------------------------------------------------

def _recommendations(row: Row) -> str:
    return " · ".join(f"{n} {RECOMMENDATIONS[k].lower()}" for k, n in row.recommendations.items()
                      if n) or ("" if row.hidden else NO_SCORE)


def _overall(row: Row) -> str:
    if row.hidden:
        return row.hidden
    if row.mean is None:
        return NO_SCORE
    spread = f" ({row.low:.1f}–{row.high:.1f})" if row.low != row.high else ""
    return f"{row.mean:.1f}{spread}"


def frame(matrix: Matrix) -> Any:
    """The matrix as display text: one row per candidate, one column per question."""
    records = []
    for row in matrix.rows:
        record: dict[str, Any] = {"Candidate": row.label, "Overall": _overall(row)}
        record.update({col.key: row.cells[col.key].label() for col in matrix.columns})
        record.update({"Submitted": row.submitted, "Recommendations": _recommendations(row),
                       "Missing": ("⚠ " + row.missing_note()) if row.missing else ""})
        records.append(record)
    return pd.DataFrame(records)


def _shade(matrix: Matrix, data: Any) -> Any:
    """Background per cell: green for a strong mean, red for a weak one, amber for missing."""
    styles = pd.DataFrame("", index=data.index, columns=data.columns)
    for i, row in enumerate(matrix.rows):
        for col in matrix.columns:
            cell = row.cells[col.key]
            colour = (MUTED if cell.hidden or cell.mean is None else
                      GOOD if cell.mean >= 3.5 else BAD if cell.mean < 2.5 else "")
            styles.loc[i, col.key] = f"background-color: {colour}" if colour else ""
        if row.missing:
            styles.loc[i, "Missing"] = f"background-color: {MUTED}"
    return styles


def _asks(matrix: Matrix, col: Column) -> str:
    """A column's header help: its question, or each kit's own when the kits differ."""
    texts = set(col.texts.values())
    if len(texts) <= 1:
        return next(iter(texts), col.title) if matrix.align is Align.QUESTION else col.title
    return "\n".join(f"#{kit_id}: {text[:90]}" for kit_id, text in col.texts.items())[:800]


def table(matrix: Matrix) -> None:
    data = frame(matrix)
    config: dict[str, Any] = {col.key: st.column_config.TextColumn(
        col.key if matrix.align is Align.QUESTION else col.key[:28], help=_asks(matrix, col))
        for col in matrix.columns}
    config["Candidate"] = st.column_config.TextColumn(pinned=True)
    st.dataframe(data.style.apply(lambda d: _shade(matrix, d), axis=None), hide_index=True,
                 column_config=config, key="roles_matrix")
    st.caption("Each cell: mean of the submitted scores (min–max, n = submitted scorecards "
               "that scored it). Overall: mean of every submitted score (lowest–highest "
               "interviewer mean). ⚠ marks missing scorecards; drafts never count.")


def chart(matrix: Matrix) -> Layered | None:
    """Each candidate's mean with the range of their interviewers' means."""
    shown = [r for r in matrix.rows if r.mean is not None]
    if not shown:
        return None
    data = pd.DataFrame([{"candidate": r.label, "mean": round(r.mean or 0, 2),
                          "low": r.low, "high": r.high, "scorecards": r.submitted}
                         for r in shown])
    base = alt.Chart(data).encode(y=alt.Y("candidate:N", sort="-x", title=None))
    bars = base.mark_bar(color="#4c78a8").encode(
        x=alt.X("mean:Q", scale=alt.Scale(domain=[0, 5]), title="Mean score (1–5)"),
        tooltip=["candidate", "mean", "low", "high", "scorecards"])
    spread = base.mark_rule(color="#222", strokeWidth=2).encode(x="low:Q", x2="high:Q")
    return alt.layer(bars, spread).properties(height=max(120, 36 * len(shown)))


def heatmap(matrix: Matrix) -> Layered | None:
    """Candidates × columns, coloured by mean (missing cells labelled, not coloured)."""
    cells = [{"candidate": r.label, "column": c.key, "title": c.title,
              "mean": r.cells[c.key].mean, "label": (r.cells[c.key].label().split(" (")[0])}
             for r in matrix.rows for c in matrix.columns]
    if not cells:
        return None
    base = alt.Chart(pd.DataFrame(cells)).encode(
        x=alt.X("column:N", sort=[c.key for c in matrix.columns], title=None),
        y=alt.Y("candidate:N", title=None))
    rects = base.mark_rect().encode(
        color=alt.Color("mean:Q", scale=alt.Scale(domain=[1, 5], scheme="redyellowgreen"),
                        title="Mean"), tooltip=["candidate", "title", "label"])
    return alt.layer(rects, base.mark_text().encode(text="label:N")).properties(
        height=max(120, 36 * len(matrix.rows)))


def charts(matrix: Matrix) -> None:
    bars, heat = chart(matrix), heatmap(matrix)
    if bars is None:
        st.info("No submitted scorecards to chart yet.", icon=":material/bar_chart:")
        return
    means, grid = st.tabs(["Candidate means", "Heatmap"])
    with means:
        st.altair_chart(bars, key="roles_chart", width="stretch")
    with grid:
        if heat is not None:
            st.altair_chart(heat, key="roles_heatmap", width="stretch")


def downloads(scope: Scope, matrix: Matrix) -> None:
    """CSV and XLSX, built only when clicked; each download is an audited export."""
    for column, spec in zip(st.columns(len(TABLE_FORMATS)), TABLE_FORMATS.values(),
                            strict=True):
        with column:
            st.download_button(
                spec.label, audited(functools.partial(export_table, matrix, spec.key),
                                    functools.partial(scope.audit, Action.EXPORT, "role",
                                                      matrix.role.id, detail=spec.key)),
                file_name=table_file_name(matrix, spec.key), mime=spec.mime,
                key=f"roles_dl_{spec.key}", icon=":material/download:", on_click="ignore")


def comparison(book: RoleBook, role: JobRole) -> Matrix | None:
    """The matrix, its chart and its downloads; the matrix (by question) for the kits tab."""
    by_question = compare(book, role.id)
    options = [Align.QUESTION, *([Align.COMPETENCY] if by_question.competencies else [])]
    align = st.segmented_control("Columns", options, default=Align.QUESTION, key="roles_align",
                                 format_func=lambda a: ALIGN_LABELS[Align(a)],
                                 help="Competencies group questions by the job requirement "
                                      "they cover")
    matrix = (compare(book, role.id, Align.COMPETENCY) if align == Align.COMPETENCY
              else by_question)
    if not matrix.rows:
        st.info("No candidates in this role yet: generate kits with this role chosen, or add "
                "an existing kit under **Candidates & kits**.", icon=":material/group_add:")
        return by_question
    table(matrix)
    charts(matrix)
    downloads(book.scope, matrix)
    return by_question


# --- candidates and kits -------------------------------------------------------------

def kits_table(role: JobRole, kits: Sequence[KitSummary], matrix: Matrix | None) -> None:
    rows = {r.kit_id: r for r in matrix.rows} if matrix else {}
    st.dataframe([{"kit": k.id, "candidate": k.candidate, "created (UTC)":
                   f"{k.created:%Y-%m-%d %H:%M}", "prompt": k.prompt_name,
                   "questions": k.question_count,
                   "scorecards": rows[k.id].submitted if k.id in rows else NO_SCORE,
                   "frozen": "★ role kit" if k.id == role.frozen_kit_id else ""}
                  for k in kits], hide_index=True, key="roles_kits")


def open_kit(kits: Sequence[KitSummary]) -> None:
    """Open one kit in History, or interview with it."""
    by_id = {k.id: k for k in kits}
    pick, history, interview = st.columns([3, 1, 1], vertical_alignment="bottom")
    kit_id = pick.selectbox("Kit", list(by_id), key="roles_kit",
                            format_func=lambda i: by_id[i].label() if i in by_id else str(i))
    if history.button("Open in History", key="roles_open_history", icon=":material/history:"):
        st.session_state["hist_open"] = kit_id  # the History page's kit picker
        st.switch_page("pages/history.py")
    interview.page_link("pages/interview.py", label="Interview mode",
                        icon=":material/record_voice_over:", query_params={"kit": str(kit_id)})


def _act(action: Any, message: str) -> None:
    try:
        action()
    except KitError as exc:
        st.error(str(exc))
        return
    _done(message)


def freeze(book: RoleBook, role: JobRole, kits: Sequence[KitSummary]) -> None:
    by_id = {k.id: k for k in kits}
    pick, go, undo = st.columns([3, 1, 1], vertical_alignment="bottom")
    kit_id = pick.selectbox("The role's kit", list(by_id), key="roles_freeze_kit",
                            format_func=lambda i: by_id[i].label() if i in by_id else str(i),
                            help="Every new candidate gets its questions; only the follow-ups "
                                 "are written for their CV")
    if go.button("Freeze", key="roles_freeze", icon=":material/ac_unit:"):
        _act(lambda: book.freeze(role.id, kit_id), f"Kit #{kit_id} is now the role's kit.")
    if undo.button("Unfreeze", key="roles_unfreeze", disabled=role.frozen_kit_id is None):
        _act(lambda: book.freeze(role.id, None), "The role has no frozen kit any more.")


def assign(book: RoleBook, role: JobRole, kits: Sequence[KitSummary]) -> None:
    """File an existing kit under this role, or take one out."""
    scope = book.scope
    others = {k.id: k for k in scope.search(limit=500)
              if k.role_id != role.id and scope.can_change(k)}
    add, add_go = st.columns([4, 1], vertical_alignment="bottom")
    kit_id = add.selectbox("Add an existing kit", list(others), key="roles_assign_kit",
                           index=None, placeholder="Choose one of your kits",
                           format_func=lambda i: others[i].label() if i in others else str(i))
    if add_go.button("Add", key="roles_assign", disabled=kit_id is None) and kit_id:
        _act(lambda: book.assign(kit_id, role.id), f"Kit #{kit_id} added to {role.title}.")
    mine = {k.id: k for k in kits}
    out, out_go = st.columns([4, 1], vertical_alignment="bottom")
    gone = out.selectbox("Take a kit out of this role", list(mine), key="roles_unassign_kit",
                         index=None, placeholder="Choose a kit",
                         format_func=lambda i: mine[i].label() if i in mine else str(i))
    if out_go.button("Remove", key="roles_unassign", disabled=gone is None) and gone:
        _act(lambda: book.assign(gone, None), f"Kit #{gone} taken out of {role.title}.")


def candidates(book: RoleBook, role: JobRole, matrix: Matrix | None) -> None:
    kits = book.kits(role.id)
    if kits:
        kits_table(role, kits, matrix)
        open_kit(kits)
    else:
        st.caption("No kits in this role yet.")
    if not policy.can_create(book.scope.user):
        return
    if kits:
        freeze(book, role, kits)
    assign(book, role, kits)


# --- editing -----------------------------------------------------------------------

def edit(book: RoleBook, role: JobRole) -> None:
    if not policy.can_create(book.scope.user):
        st.caption("Recruiters and admins edit roles.")
        return
    with st.form(f"roles_edit_{role.id}", border=False):
        title = st.text_input("Job title", value=role.title, key=f"roles_title_{role.id}")
        job = st.text_area("Job description", value=role.job_description, height=160,
                           key=f"roles_job_{role.id}")
        if st.form_submit_button("Save", type="primary", key=f"roles_save_{role.id}"):
            _act(lambda: book.update(role.id, title=title, job_description=job,
                                     prompt_key=role.prompt_key), "Role saved.")
    label = "Restore role" if role.archived else "Archive role"
    if st.button(label, key="roles_archive", icon=":material/archive:",
                 help="Archived roles are hidden from the lists; nothing is deleted"):
        _act(lambda: book.archive(role.id, not role.archived),
             f"Role {'restored' if role.archived else 'archived'}.")


# --- for the Generate page ------------------------------------------------------------

FrozenBuilder = Callable[..., KitRun]  # (prepared, *, offline, model) -> the frozen-kit run


def frozen_toggle(scope: Scope, role_id: int, *, key: str, each: str) -> Kit | None:
    """The role's frozen kit when it has one and the toggle (on by default) is left on.

    ``each`` says whose follow-ups are written ("this CV", "each CV"); Generate and
    Batch ask the same question the same way.
    """
    try:
        frozen = role_frozen_kit(RoleBook(scope), role_id)
    except KitError:
        return None
    if frozen is None:
        return None
    use = st.toggle(f"Ask the role's frozen questions (kit #{frozen.id}, "
                    f"{len(frozen.questions)} questions)", value=True, key=key,
                    help="The same core questions for every candidate of this role; only the "
                         f"follow-ups are written for {each}.")
    return frozen if use else None


def frozen_offer(scope: Scope | None, role_id: int | None) -> FrozenBuilder | None:
    """When the chosen role has a frozen kit: a toggle (on by default) to ask its questions.

    On, it returns the run builder for Generate to call on "Generate" as
    ``frozen(prepared, offline=..., model=...)``
    (:func:`interviewkit.roles.frozen.frozen_run` with the kit and role filled in).
    """
    if scope is None or role_id is None:
        return None
    frozen = frozen_toggle(scope, role_id, key="gen_frozen",
                           each="this CV (the plan below is not used)")
    return None if frozen is None else functools.partial(frozen_run, frozen, role_id=role_id)
