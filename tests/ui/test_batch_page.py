"""The Batch page under ``streamlit.testing.v1.AppTest``: real uploads, the real mock
server and a real SQLite History; the batch runs on its own threads meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.access.model import CLI_ADMIN, Role, User
from interviewkit.access.scope import Scope
from interviewkit.batch import Batch, ItemStatus, ScopeLink
from interviewkit.config import REPO_PROMPTS_DIR, load_settings
from interviewkit.history import open_store
from interviewkit.history.audit import Action, entries
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.providers.base import GenParams, Message, Usage
from interviewkit.roles.store import RoleBook
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from interviewkit.ui.batch_view import LABELS, BatchState
from interviewkit.ui.resources import USER_KEY
from tests.batch.conftest import KIT, cv_name, text_cv, text_uploads, whole
from tests.batch.test_runner import until
from tests.conftest import (
    ROOT,
    Downloads,
    FakeProvider,
    app_on_mock,
    corpus_file,
    open_page,
    texts,
)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def the_batch(at: AppTest) -> Batch:
    state = at.session_state["ik_batch"]
    assert isinstance(state, BatchState) and state.batch is not None
    return state.batch


def statuses(at: AppTest) -> list[str]:
    return [str(row["status"]) for row in table(at)]


def upload(at: AppTest, files: Sequence[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="batch_files").set_value(
        [(name, data, "application/octet-stream") for name, data in files])
    return ok(at.run())


def finished(at: AppTest) -> AppTest:
    assert the_batch(at).wait(60)
    return ok(at.run())


def table(at: AppTest) -> list[dict[str, Any]]:
    """The per-candidate table, its status badges read back as statuses."""
    records: list[dict[str, Any]] = at.table[0].value.to_dict("records")
    by_label = {label: status for status, label in LABELS.items()}
    return [{**r, "status": by_label[r["status"]]} for r in records]


@pytest.fixture
def mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MockOpenAIServer]:
    def answer(body: dict[str, Any]) -> Reply:  # a slow CV for the Stop test
        slow = "Slowpoke" in str(body["messages"][-1]["content"])
        # a question line first: the planned mode holds a line until it is complete
        return Reply(text=["How slow?", "\n**Listen for:**\n-", *[" more"] * 3000],
                     delay=0.01) if slow else Reply(text=KIT)

    with app_on_mock(monkeypatch, answer, key="sk-batch-page") as server:
        yield server


def test_the_page_takes_a_role_a_prompt_and_many_files() -> None:
    role = RoleBook(Scope(open_store(load_settings()), CLI_ADMIN)).create(
        "Data engineer", "Spark, Airflow and a lot of SQL")
    at = open_page("batch")
    assert at.title[0].value == "Batch"
    uploader = at.file_uploader(key="batch_files")
    assert uploader.accept_multiple_files
    assert sorted(uploader.allowed_type) == [".md", ".pdf", ".txt", ".zip"]
    assert at.selectbox(key="prompt_key").value == "technical_screen"
    assert at.button(key="batch_start").disabled, "nothing to start without files"
    assert at.text_area(key="batch_job").value == ""
    ok(at.selectbox(key="batch_role").select(role).run())
    assert "batch_job" not in [t.key for t in at.text_area]
    assert "Spark, Airflow" in texts(at.text)
    assert "one kit at a time" in texts(at.caption), "the offline model (nothing configured)"


def test_a_row_per_candidate_history_and_download_all(mock: MockOpenAIServer,
                                                       downloads: Downloads) -> None:
    hostile = corpus_file("hostile", "not_a_pdf_oops.pdf")
    at = upload(open_page("batch"), [("a.txt", text_cv(1)), (hostile.name, hostile.read_bytes()),
                                     ("b.txt", text_cv(2))])
    ok(at.button(key="batch_start").click().run())
    assert "A remote model writes up to 4 kits at a time" in texts(at.caption)
    at = finished(at)
    rows = table(at)
    assert [r["file"] for r in rows] == ["a.txt", hostile.name, "b.txt"]
    assert statuses(at) == ["done", "failed", "done"]
    assert "is not a PDF" in rows[1]["message"]
    assert rows[0]["candidate"] == cv_name(1) and rows[0]["kit"].startswith("#")
    assert at.get("progress")[0].proto.text.startswith("3 of 3 CV(s) ended — 2 done, 1 failed")
    download = at.download_button(key="batch_download")
    assert not download.disabled and download.label == "Download all (ZIP)"
    assert downloads.fetch(download)[:2] == b"PK"  # the ZIP the browser gets
    store = open_store(load_settings())
    [export] = entries(store.engine, action=Action.EXPORT)
    assert export.target_kind == "batch" and export.detail.startswith("zip of 2 kit(s)")
    assert {k.owner for k in store.search()} == {"local"} and store.count() == 2
    asked = len(mock.requests)
    ok(at.button(key="batch_again").click().run())
    at = finished(at)
    assert statuses(at) == ["skipped", "failed", "skipped"]
    assert len(mock.requests) == asked, "Run again skipped what was done"


def test_navigation_does_not_stop_a_batch_and_stop_keeps_what_finished(
        mock: MockOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWKIT_BATCH_CONCURRENCY", "1")
    slow = text_cv(2, "Slowpoke Jones").replace(b"- ", b"- Slowpoke ").replace(
        b"BSc", b"Slowpoke BSc")  # every passage the plan may ask about is slow
    at = upload(open_page("batch"), [("fast.txt", text_cv(1)), ("slow.txt", slow),
                                     ("later.txt", text_cv(3))])
    ok(at.button(key="batch_start").click().run())
    batch = the_batch(at)
    assert batch.workers == 1, "INTERVIEWKIT_BATCH_CONCURRENCY"
    ok(at.switch_page("pages/history.py").run())
    until(lambda: batch.rows()[1].message.startswith("writing question"))
    ok(at.switch_page("pages/batch.py").run())
    assert the_batch(at) is batch and batch.running, "the page re-attached to the same batch"
    assert statuses(at) == ["done", "running", "queued"]
    assert at.download_button(key="batch_download").disabled, "while it runs"
    ok(at.button(key="batch_stop").click().run())
    at = finished(at)
    assert statuses(at) == ["done", "stopped", "stopped"]
    assert "partial kit is in History" in table(at)[1]["message"]
    assert not at.download_button(key="batch_download").disabled


class Held(FakeProvider):
    """An offline model that waits until the test lets it answer."""

    def __init__(self) -> None:
        super().__init__(offline=True, default=[KIT])
        self.gate = threading.Event()

    def execute(self, messages: Sequence[Message], params: GenParams,
                usage: Usage | None = None) -> Iterator[str]:
        self.gate.wait(20)
        yield from super().execute(messages, params, usage)


def test_the_offline_model_shows_its_queue() -> None:
    at = open_page("batch")
    provider = Held()
    scope = Scope(open_store(load_settings()), CLI_ADMIN)
    prompt = load_prompt(REPO_PROMPTS_DIR / "technical_screen.yaml")
    batch = Batch(text_uploads(3), whole(prompt), provider, ScopeLink(scope),
                  concurrency=4).start()
    at.session_state["ik_batch"] = BatchState(batch)
    until(lambda: batch.rows()[0].status is ItemStatus.RUNNING)
    ok(at.run())
    assert "Offline model: one at a time, 2 queued." in texts(at.info)
    provider.gate.set()
    at = finished(at)
    assert "queued" not in texts(at.info)
    assert statuses(at) == ["done"] * 3


def test_interviewers_do_not_run_batches() -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "batch.py"), default_timeout=30)
    at.session_state[USER_KEY] = User("ivy@example.com", "Ivy", Role.INTERVIEWER)
    ok(at.run())
    assert "batches are for recruiters and admins" in texts(at.info)
    assert not at.file_uploader


def test_a_role_with_a_frozen_kit_offers_its_questions(mock: MockOpenAIServer) -> None:
    from tests.roles.seed import save_kit

    scope = Scope(open_store(load_settings()), CLI_ADMIN)
    book = RoleBook(scope)
    role = book.create("Senior Backend Engineer", "Python, PostgreSQL")
    frozen_id = save_kit(scope.store, "Ana Lima", CLI_ADMIN, role_id=role)
    book.freeze(role, frozen_id)
    at = ok(open_page("batch").selectbox(key="batch_role").select(role).run())
    toggle = at.toggle(key="batch_frozen")
    assert toggle.value and f"kit #{frozen_id}, 3 questions" in toggle.label
    at = upload(at, [("a.txt", text_cv(1))])
    ok(at.button(key="batch_start").click().run())
    at = finished(at)
    assert statuses(at) == ["done"]
    made = scope.kit(the_batch(at).rows()[0].kit_id or 0)
    assert made.role_id == role
    assert [q.text for q in made.questions] == [q.text for q in scope.kit(frozen_id).questions]
