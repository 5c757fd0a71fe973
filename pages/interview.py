"""Interview mode: open a saved kit on the interview day and fill in a scorecard.

Layout only: the pieces are in ``interviewkit.ui.interview_view``, the scorecards
in ``interviewkit.interview`` (saved as typed, submitted once, amended on record).
"""

from __future__ import annotations

import streamlit as st

from interviewkit.errors import KitError
from interviewkit.ui import interview_view as view
from interviewkit.ui import resources


def main() -> None:
    st.title("Interview mode")
    st.caption("Notes, a 1–5 score and asked / skipped for each question, saved as you type; "
               "then an overall recommendation. Each interviewer scores on their own and "
               "sees the others' scores once they have submitted.")
    scope = resources.scope_or_stop(resources.settings_or_stop())
    kit_col, who_col = st.columns([3, 2])
    with kit_col:
        kit_id = view.pick_kit(scope)
    with who_col:
        cards = view.interviewer(scope)
    if kit_id is None or cards is None:
        return
    try:
        kit = scope.kit(kit_id)
        card = cards.current(kit_id)
    except KitError as exc:
        st.error(str(exc), icon=":material/lock:")
        return
    view.header(cards, kit, card)
    if not kit.questions:
        st.info("No questions could be read from this kit.", icon=":material/help:")
    for q in kit.questions:
        if card.read_only:
            view.answered(q, card)
        else:
            view.question(cards, q, card)
    st.subheader("Overall")
    if card.read_only:
        view.overall_read(card)
        view.amendments(card)
        view.amend(cards, kit, card)
    else:
        view.overall(cards, card)
        view.submit(cards, kit_id)
        view.autosave()
    view.downloads(cards, kit, card)
    st.divider()
    view.others(cards, kit, card)


main()
