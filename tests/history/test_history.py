"""The kit history on SQLite (a tmp file) and on a real PostgreSQL server.

PostgreSQL is Debian's ``postgresql`` package, started here by ``initdb`` and
``pg_ctl`` in a tmp dir on 127.0.0.1 (as the ``postgres`` user when we are
root).  Without the binaries the PostgreSQL cases skip with a reason, except
under ``CI=true`` where that is a failure (``.ci/run`` installs the package).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa

from interviewkit import cli
from interviewkit.config import DB_FILENAME, database_url, load_settings
from interviewkit.errors import HistoryError, KitNotFound, LLMError
from interviewkit.history import Store, close_shared, open_store, save_run
from interviewkit.history.engine import make_engine
from interviewkit.history.migrations import MIGRATIONS, migrate
from interviewkit.history.schema import MIGRATIONS_TABLE, _v1_columns
from tests.kit.test_kit import finished_run, make_kit
from tests.pgserver import free_port


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with Store(url) as opened:
        yield opened


@pytest.fixture(autouse=True)
def _no_database_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield
    close_shared()


def test_round_trip_keeps_every_field(store: Store) -> None:
    kit = make_kit("김민수", cv_file=b"%PDF-1.7 original upload")
    kit_id = store.save(kit)
    back = store.get(kit_id)
    assert back.id == kit_id
    kit.id = kit_id
    assert back == kit
    assert back.created.tzinfo is UTC


def test_migrations_from_empty_are_recorded_once(url: str) -> None:
    engine = make_engine(url)
    try:
        assert migrate(engine) == [name for name, _ in MIGRATIONS]
        assert migrate(engine) == []
        with engine.connect() as conn:
            names = list(conn.scalars(sa.select(MIGRATIONS_TABLE.c.name)))
        assert sorted(names) == sorted(name for name, _ in MIGRATIONS)
    finally:
        engine.dispose()


def test_migration_from_the_first_schema_keeps_old_rows(url: str) -> None:
    engine = make_engine(url)
    try:
        assert migrate(engine, upto=1) == ["0001_create_kits"]
        v1 = sa.Table("kits", sa.MetaData(), *_v1_columns())
        row = {c.name: "x" for c in v1.columns if isinstance(c.type, sa.Text)}
        row.update(created_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), cv_sha256="cd" * 32,
                   status="done", partial=False, tokens=7, questions="[]", inputs="{}",
                   question_count=0, candidate="Old Timer", candidate_key="old timer")
        with engine.begin() as conn:
            conn.execute(v1.insert().values(**row))
    finally:
        engine.dispose()
    with Store(url) as store:
        (summary,) = store.search()
        old = store.get(summary.id)
        assert (old.candidate, old.cv_file, old.tokens) == ("Old Timer", None, 7)
        assert old.created == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
        store.save(make_kit(), run_key="after-upgrade")
        assert store.count() == 2


def test_a_database_from_a_newer_version_is_refused(url: str) -> None:
    Store(url).close()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(MIGRATIONS_TABLE.insert().values(name="9999_future",
                                                      applied_at=datetime.now(UTC)))
    engine.dispose()
    with pytest.raises(HistoryError, match="newer Interview Kit") as info:
        Store(url)
    assert info.value.code == "schema_too_new"


def test_concurrent_writers_lose_nothing(url: str) -> None:
    """20 sessions open the same fresh database at once and save 50 kits each."""
    threads, per_thread = 20, 50
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            with Store(url) as store:  # the first open migrates: all race for it
                for i in range(per_thread):
                    store.save(make_kit(f"Candidate {n}", markdown=f"### 1. Q{n}-{i}?\n"))
        except BaseException as exc:  # reported below, with the thread's number
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert errors == []
    with Store(url) as store:
        assert store.count() == threads * per_thread
        assert len(store.candidates()) == threads
        assert len(store.search("Q7-49")) == 1
        with store.engine.connect() as conn:
            recorded = list(conn.scalars(sa.select(MIGRATIONS_TABLE.c.name)))
    assert sorted(recorded) == sorted(name for name, _ in MIGRATIONS)


def test_search_by_text_candidate_prompt_and_date(store: Store) -> None:
    jan = datetime(2025, 1, 10, 12, tzinfo=UTC)
    a = store.save(make_kit("Jane Doe", created=jan))
    b = store.save(make_kit("김민수", markdown="### 1. 쿠버네티스 운영 경험?\n",
                            created=jan + timedelta(days=30), prompt_key="behavioural_star",
                            prompt_name="Behavioural (STAR)"))
    c = store.save(make_kit("jane  DOE", markdown="### 1. 100%_done?\n",
                            created=jan + timedelta(days=60)))
    assert [s.id for s in store.search()] == [c, b, a]  # newest first
    assert [s.id for s in store.search("django SCALE")] == [a]
    assert [s.id for s in store.search("쿠버네티스")] == [b]
    assert [s.id for s in store.search("100%_")] == [c]
    assert [s.id for s in store.search("%")] == [c], "LIKE wildcards are matched literally"
    assert {s.id for s in store.search(candidate="JANE doe")} == {a, c}
    assert [s.id for s in store.search(prompt_key="behavioural_star")] == [b]
    assert [s.id for s in store.search(since=date(2025, 2, 1), until=date(2025, 2, 9))] == [b]
    assert store.search("nothing-like-this") == []
    assert sorted(store.candidates(), key=str.casefold) in (["jane  DOE", "김민수"],
                                                            ["Jane Doe", "김민수"])
    assert store.prompts() == {"behavioural_star": "Behavioural (STAR)",
                               "technical_screen": "Technical screen"}
    summary = store.search("쿠버네티스")[0]
    assert summary.question_count == 1 and summary.label().startswith(f"#{b} · 2025-02-09")


def test_delete_one_kit_and_everything_about_a_candidate(store: Store) -> None:
    keep = store.save(make_kit("Other Person", cv_sha256="ff" * 32))
    one = store.save(make_kit("Jane Doe"))
    renamed = store.save(make_kit("J. Doe (typo)"))  # same CV file, another label
    store.save(make_kit("jane doe"))
    assert store.delete(one) is True
    assert store.delete(one) is False
    with pytest.raises(KitNotFound):
        store.get(one)
    assert store.delete_candidate("Jane Doe") == 2
    assert [s.id for s in store.search()] == [keep]
    assert renamed not in {s.id for s in store.search()}
    assert store.candidates() == ["Other Person"]


def test_rename_candidate_and_resave_keeps_the_name(store: Store) -> None:
    run, cv = finished_run()
    kit_id = save_run(store, run, cv, "Backend engineer")
    assert kit_id is not None
    store.rename_candidate(kit_id, "  Jane   Doe-Smith ")
    assert save_run(store, run, cv, "Backend engineer") == kit_id, "same run, same row"
    assert store.count() == 1
    assert store.get(kit_id).candidate == "Jane Doe-Smith"
    with pytest.raises(HistoryError, match="cannot be empty"):
        store.rename_candidate(kit_id, "   ")
    with pytest.raises(KitNotFound):
        store.rename_candidate(kit_id + 1, "Nobody")


def test_save_run_marks_stopped_runs_partial_and_skips_empty_ones(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as store:
        failed, cv = finished_run(error=LLMError("The connection dropped", code="network"))
        kit = store.get(save_run(store, failed, cv) or -1)
        assert (kit.status, kit.partial, kit.error) == ("failed", True, "The connection dropped")
        assert kit.cv_file is None, "the CV file is only stored when the user opts in"
        empty, cv = finished_run(text="")
        assert save_run(store, empty, cv) is None
        opted, cv = finished_run()
        assert store.get(save_run(store, opted, cv, cv_file=b"%PDF") or -1).cv_file == b"%PDF"


def _db_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.glob(f"{DB_FILENAME}*"))


def test_sqlite_lives_under_home_in_wal_mode_readable_by_owner_only() -> None:
    settings = load_settings()
    store = open_store(settings)
    assert store is open_store(settings), "one store per database per process"
    assert database_url(settings) == f"sqlite:///{settings.home / DB_FILENAME}"
    path = settings.home / DB_FILENAME
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_api_keys_are_never_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "sk-live-abcdef1234567890"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    settings = load_settings()
    store = open_store(settings)
    run, cv = finished_run(error=LLMError(f"401 for key {key}", code="auth"),
                           cv_text=f"Jane Doe\nmy key is {key}")
    kit_id = save_run(store, run, cv, prompt_text=f"prompt {key}")
    assert kit_id is not None
    kit = store.get(kit_id)
    assert key not in f"{kit.error}{kit.cv_text}{kit.prompt_text}"
    store.close()
    assert key.encode() not in _db_bytes(settings.home)


def test_deleted_text_is_gone_from_the_sqlite_files() -> None:
    settings = load_settings()
    store = open_store(settings)
    marker = "ZEBRA-QUOKKA-7731"
    kit = make_kit("Secret Person", markdown=f"### 1. {marker} question?\n",
                   job=f"{marker}\n" + "long job text " * 600)
    kit_id = store.save(kit)
    assert marker.encode() in _db_bytes(settings.home)
    store.delete_candidate("secret person")
    assert store.search(marker) == []
    with pytest.raises(KitNotFound):
        store.get(kit_id)
    assert marker.encode() not in _db_bytes(settings.home)


def test_database_url_from_the_environment_means_psycopg(tmp_path: Path) -> None:
    settings = load_settings()
    env = {"DATABASE_URL": "postgresql://u:p@db.internal/kits"}
    assert database_url(settings, env) == "postgresql+psycopg://u:p@db.internal/kits"
    assert database_url(settings, {}, {"DATABASE_URL": "postgres://h/db"}) == (
        "postgresql+psycopg://h/db")
    with pytest.raises(HistoryError, match="not a database URL"):
        Store("definitely not a url")


def test_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(HistoryError, match="Cannot open the history database") as info:
        Store(f"postgresql://ik:hunter22@127.0.0.1:{port}/kits?connect_timeout=3")
    assert info.value.code == "db_unavailable"
    assert "hunter22" not in str(info.value) and f"127.0.0.1:{port}" in str(info.value)


def test_cli_lists_exports_and_deletes(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    store = open_store(load_settings())
    first = store.save(make_kit("Jane Doe"))
    second = store.save(make_kit("김민수", created=datetime(2025, 4, 1, tzinfo=UTC),
                                 status="stopped", partial=True))
    assert cli.main(["history", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [str(second), str(first)]
    assert lines[0].split("\t")[1:] == ["2025-04-01 00:00", "김민수", "technical_screen",
                                        "mock-model", "stopped (partial)"]
    out = tmp_path / "kit.docx"
    assert cli.main(["export", str(first), "--format", "docx", "--output", str(out)]) == 0
    assert docx.Document(str(out)).paragraphs[0].text == "Interview kit — Jane Doe"
    assert cli.main(["export", "999", "--format", "md", "--output", str(out)]) == 2
    assert "error: No kit #999" in capsys.readouterr().err
    assert cli.main(["history", "delete", str(first)]) == 0
    assert cli.main(["history", "delete", "--candidate", "김민수"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"deleted kit #{first}",
                                                    "deleted 1 kit(s) of 김민수"]
    assert store.count() == 0
    assert cli.main(["history", "delete", str(first)]) == 2
