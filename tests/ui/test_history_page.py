"""The History page under ``streamlit.testing.v1.AppTest``, on a real SQLite store."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.config import load_settings
from interviewkit.history import Store, open_store
from interviewkit.ui.state import RERUN_ACTIVE_KEY, RERUN_KEY
from tests.conftest import open_page, texts
from tests.kit.test_kit import CV_TEXT, make_kit

JAN = datetime(2025, 1, 10, 12, tzinfo=UTC)


@pytest.fixture
def store() -> Store:
    """The store the page will open (same process, same INTERVIEWKIT_HOME), with 3 kits."""
    opened = open_store(load_settings())
    opened.save(make_kit("Jane Doe", created=JAN))
    korean = "### 1. 쿠버네티스 운영 경험?\n**Listen for:**\n- 장애\n"
    opened.save(make_kit("김민수", markdown=korean,
                         created=JAN + timedelta(days=30), cv_sha256="cd" * 32,
                         cv_text="김민수\n백엔드 개발자"))
    opened.save(make_kit("Jane Doe", created=JAN + timedelta(days=60), status="stopped",
                         partial=True))
    return opened


def history() -> AppTest:
    return open_page("history")



def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def test_an_empty_history_says_how_kits_get_there() -> None:
    at = history()
    assert at.title[0].value == "History"
    assert "No saved kits match" in texts(at.info)
    assert "0 kit(s)" in texts(at.caption)


def test_list_search_filter_and_open(store: Store) -> None:
    at = history()
    assert "3 kit(s)" in texts(at.caption)
    assert len(at.dataframe) == 1
    assert at.selectbox(key="hist_candidate").options == ["(all)", "Jane Doe", "김민수"]
    opened = at.selectbox(key="hist_open")
    assert opened.options[0].startswith("#3 · 2025-03-11") and "partial" in opened.options[0]
    assert "Partial kit" in texts(at.warning), "the newest kit, stopped, is open"
    ok(at.text_input(key="hist_search").input("쿠버네티스").run())
    assert "1 kit(s)" in texts(at.caption)
    assert at.subheader[0].value == "김민수"
    assert "쿠버네티스 운영 경험?" in texts(at.markdown)
    ok(at.text_input(key="hist_search").input("").run())
    ok(at.selectbox(key="hist_candidate").select("Jane Doe").run())
    assert "2 kit(s)" in texts(at.caption)
    ok(at.date_input(key="hist_to").set_value(date(2025, 1, 31)).run())
    assert "1 kit(s)" in texts(at.caption)
    assert "How did you scale the Django service" in texts(at.markdown)


def test_exports_are_offered_in_four_formats(store: Store) -> None:
    at = history()
    buttons = {b.key: b for b in at.get("download_button")}  # type: ignore[attr-defined]
    assert set(buttons) == {"hist_dl_docx", "hist_dl_pdf", "hist_dl_md", "hist_dl_json"}
    assert [buttons[k].label for k in sorted(buttons)] == ["Word (DOCX)", "JSON", "Markdown",
                                                            "PDF"]
    assert not buttons["hist_dl_pdf"].proto.disabled
    assert buttons["hist_dl_docx"].proto.deferred_file_id, "built only when clicked"
    with_file = store.save(make_kit("With File", cv_file=b"%PDF", created=JAN + timedelta(90)))
    ok(at.run().selectbox(key="hist_open").select(with_file).run())
    assert "hist_dl_cv" in {b.key for b in at.get("download_button")}  # type: ignore[attr-defined]


def test_rename_the_candidate(store: Store) -> None:
    at = history()
    ok(at.text_input(key="hist_name_3").input("Jane Doe-Smith").run())
    ok(at.button(key="hist_rename").click().run())
    assert store.get(3).candidate == "Jane Doe-Smith"
    assert "Jane Doe-Smith" in at.selectbox(key="hist_candidate").options


def test_delete_one_kit_asks_first(store: Store) -> None:
    at = ok(history().button(key="hist_delete_kit").click().run())
    assert "Delete kit #3 for good?" in texts(at.warning)
    ok(at.button(key="hist_confirm_no").click().run())
    assert store.count() == 3 and "for good" not in texts(at.warning)
    ok(at.button(key="hist_delete_kit").click().run())
    ok(at.button(key="hist_confirm_yes").click().run())
    assert store.count() == 2 and [s.id for s in store.search()] == [2, 1]
    assert "Deleted 1 kit(s)." in texts(at.success)
    assert "2 kit(s)" in texts(at.caption)


def test_delete_everything_about_a_candidate(store: Store) -> None:
    at = ok(history().button(key="hist_delete_candidate").click().run())
    assert "every kit of Jane Doe" in texts(at.warning)
    ok(at.button(key="hist_confirm_yes").click().run())
    assert [s.candidate for s in store.search()] == ["김민수"]
    assert "Deleted 2 kit(s)." in texts(at.success)
    assert at.selectbox(key="hist_candidate").options == ["(all)", "김민수"]


def test_rerun_hands_the_kit_to_the_generate_page(store: Store) -> None:
    at = history()
    ok(at.selectbox(key="hist_rerun_prompt").select("behavioural_star").run())
    ok(at.text_input(key="hist_rerun_model").input("gpt-4o").run())
    ok(at.button(key="hist_rerun").click().run())
    # the Generate page took the hand-off: kit 3, with the chosen model
    assert RERUN_KEY not in at.session_state
    active = at.session_state[RERUN_ACTIVE_KEY]
    assert (active.kit_id, active.model) == (3, "gpt-4o")
    assert "Re-running kit #3 with gpt-4o" in texts(at.info)
    assert at.text_area(key="cv_paste").value == CV_TEXT, "now on Generate, CV pasted"
    assert at.selectbox(key="prompt_key").value == "behavioural_star"
    assert at.text_area(key="job").value.startswith("Senior Backend Engineer")


def test_an_unreachable_database_is_a_message_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL",
                       f"postgresql://ik:pw-secret@127.0.0.1:{port}/kits?connect_timeout=3")
    at = history()
    assert "History is unavailable: Cannot open the history database" in texts(at.error)
    assert "pw-secret" not in texts(at.error)
