"""Every generated kit, kept: a SQLite file by default, PostgreSQL via ``DATABASE_URL``.

Recruiters come back days later, so kits outlive the browser session.  The store
is SQLAlchemy Core, so one code path serves SQLite (a file under
``INTERVIEWKIT_HOME``) and PostgreSQL (several app replicas).

Many Streamlit sessions write at once; :mod:`.engine` holds the engine set-up
(WAL, ``BEGIN IMMEDIATE``) and :mod:`.migrations` the recorded migrations that
make that safe.

Privacy: API keys are never stored (all text is passed through
:func:`interviewkit.safety.secrets.scrub`); the CV is kept as text, its file only when the
caller opts in; deleting is real - SQLite overwrites freed pages
(``secure_delete``) and checkpoints the WAL afterwards.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from interviewkit.config import Settings, database_url, normalize_url
from interviewkit.errors import HistoryError, KitNotFound
from interviewkit.history.engine import make_engine, write
from interviewkit.history.migrations import migrate
from interviewkit.history.schema import KITS
from interviewkit.kit.model import Kit, Question, Status, Visibility
from interviewkit.safety.secrets import scrub

if TYPE_CHECKING:
    from interviewkit.ingest.cv import CVText
    from interviewkit.kit.run import KitRun

__all__ = ["KitSummary", "Store", "close_shared", "open_store", "save_run"]


# --- the store ---------------------------------------------------------------

@dataclass(frozen=True)
class KitSummary:
    """One line of the history list (no large text columns)."""

    id: int
    created: datetime
    candidate: str
    cv_name: str
    prompt_name: str
    prompt_key: str
    model: str
    status: str
    partial: bool
    question_count: int
    owner: str = ""
    visibility: str = "team"
    role_id: int | None = None

    def label(self) -> str:
        flag = " · partial" if self.partial else ""
        return (f"#{self.id} · {self.created:%Y-%m-%d %H:%M} · {self.candidate} · "
                f"{self.prompt_name}{flag}")


def candidate_key(label: str) -> str:
    """Candidates are grouped case- and space-insensitively."""
    return " ".join(label.split()).casefold()


_SUMMARY_COLS = (KITS.c.id, KITS.c.created_at, KITS.c.candidate, KITS.c.cv_name,
                 KITS.c.prompt_name, KITS.c.prompt_key, KITS.c.model, KITS.c.status,
                 KITS.c.partial, KITS.c.question_count, KITS.c.owner, KITS.c.visibility,
                 KITS.c.role_id)
_SEARCHED = (KITS.c.candidate, KITS.c.cv_name, KITS.c.prompt_name, KITS.c.job_description,
             KITS.c.markdown, KITS.c.cv_text, KITS.c.model)


class Store:
    """The kit history behind one database URL; safe to share between threads."""

    def __init__(self, url: str, *, secrets: Sequence[str | None] = ()) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self._secrets = tuple(s for s in secrets if s)
        try:
            migrate(self.engine)
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            where = sa.make_url(self.url).render_as_string(hide_password=True)
            raise HistoryError(f"Cannot open the history database {where}: "
                               f"{str(exc.orig).strip().splitlines()[0]}",
                               code="db_unavailable") from None
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clean(self, text: str) -> str:
        """``text`` scrubbed of this store's secrets (API keys), as everything it keeps is."""
        return scrub(text, *self._secrets)

    def _row(self, kit: Kit) -> dict[str, Any]:
        questions = [q.__dict__ for q in kit.questions]
        return {
            "created_at": kit.created, "candidate": kit.candidate,
            "candidate_key": candidate_key(kit.candidate), "cv_name": kit.cv_name,
            "cv_sha256": kit.cv_sha256, "cv_text": self.clean(kit.cv_text),
            "job_description": self.clean(kit.job_description),
            "prompt_name": kit.prompt_name, "prompt_key": kit.prompt_key,
            "prompt_text": self.clean(kit.prompt_text),
            "inputs": self.clean(json.dumps(kit.inputs, ensure_ascii=False)),
            "provider": kit.provider, "model": kit.model, "status": kit.status,
            "partial": kit.partial, "error": self.clean(kit.error) if kit.error else None,
            "elapsed_s": kit.elapsed_s, "ttft_s": kit.ttft_s, "tokens": kit.tokens,
            "markdown": self.clean(kit.markdown),
            "questions": self.clean(json.dumps(questions, ensure_ascii=False)),
            "question_count": len(kit.questions), "cv_file": kit.cv_file,
            "requirements": self.clean(json.dumps(kit.requirements, ensure_ascii=False)),
            "owner": kit.owner, "visibility": str(kit.visibility), "role_id": kit.role_id,
        }

    def save(self, kit: Kit, *, run_key: str | None = None) -> int:
        """Insert the kit (or update the one saved earlier under ``run_key``); return its id."""
        row = self._row(kit)
        for attempt in range(2):
            try:
                with write(self.engine) as conn:
                    return self._upsert(conn, row, run_key)
            except sa.exc.IntegrityError:
                if attempt or run_key is None:  # a concurrent save of the same run won
                    raise
        raise AssertionError("unreachable")

    def _upsert(self, conn: Connection, row: dict[str, Any], run_key: str | None) -> int:
        existing = None if run_key is None else conn.scalar(
            sa.select(KITS.c.id).where(KITS.c.run_key == run_key))
        if existing is None:
            key = conn.execute(KITS.insert().values(**row, run_key=run_key)).inserted_primary_key
            assert key is not None
            return int(key[0])
        for kept in ("candidate", "candidate_key", "created_at", "owner", "visibility"):
            # a rename, a share setting and the owner survive re-saves
            row.pop(kept)
        conn.execute(KITS.update().where(KITS.c.id == existing).values(**row))
        return int(existing)

    def update_questions(self, kit_id: int, questions: Sequence[Question],
                         markdown: str) -> None:
        """Replace a saved kit's questions and text (a rating guide added afterwards…)."""
        data = json.dumps([q.__dict__ for q in questions], ensure_ascii=False)
        with write(self.engine) as conn:
            done = conn.execute(KITS.update().where(KITS.c.id == kit_id).values(
                questions=self.clean(data), markdown=self.clean(markdown),
                question_count=len(questions)))
        if not done.rowcount:
            raise KitNotFound(f"No kit #{kit_id} in the history (deleted?).")

    def get(self, kit_id: int) -> Kit:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(KITS).where(KITS.c.id == kit_id)).mappings().first()
        if row is None:
            raise KitNotFound(f"No kit #{kit_id} in the history (deleted?).")
        return _kit(row)

    def search(self, text: str = "", *, candidate: str | None = None,
               prompt_key: str | None = None, since: date | None = None,
               until: date | None = None, limit: int = 500, role_id: int | None = None,
               where: ColumnElement[bool] | None = None) -> list[KitSummary]:
        """Newest first; every word of ``text`` must appear somewhere (case-insensitive).

        ``where`` is the access clause (:func:`interviewkit.access.policy.kit_visible`).
        """
        query = sa.select(*_SUMMARY_COLS).order_by(KITS.c.created_at.desc(), KITS.c.id.desc())
        if where is not None:
            query = query.where(where)
        if role_id is not None:
            query = query.where(KITS.c.role_id == role_id)
        for word in text.split():
            query = query.where(sa.or_(*(c.icontains(word, autoescape=True) for c in _SEARCHED)))
        if candidate:
            query = query.where(KITS.c.candidate_key == candidate_key(candidate))
        if prompt_key:
            query = query.where(KITS.c.prompt_key == prompt_key)
        if since:
            query = query.where(KITS.c.created_at >= datetime.combine(since, time(), UTC))
        if until:
            end = datetime.combine(until + timedelta(days=1), time(), UTC)
            query = query.where(KITS.c.created_at < end)
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(limit)).mappings().all()
        return [_summary(row) for row in rows]

    def candidates(self, where: ColumnElement[bool] | None = None) -> list[str]:
        """Distinct candidate labels, alphabetically (one spelling per candidate)."""
        query = (sa.select(sa.func.min(KITS.c.candidate)).where(where if where is not None
                                                                else sa.true())
                 .group_by(KITS.c.candidate_key).order_by(KITS.c.candidate_key))
        with self.engine.connect() as conn:
            return list(conn.scalars(query))

    def prompts(self, where: ColumnElement[bool] | None = None) -> dict[str, str]:
        """Prompt key → name for every prompt that has kits."""
        query = sa.select(KITS.c.prompt_key, sa.func.max(KITS.c.prompt_name)).where(
            where if where is not None else sa.true()).group_by(
            KITS.c.prompt_key).order_by(KITS.c.prompt_key)
        with self.engine.connect() as conn:
            return {key: name for key, name in conn.execute(query)}

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(KITS)) or 0)

    def rename_candidate(self, kit_id: int, label: str) -> None:
        """Correct the candidate label guessed from the CV."""
        label = " ".join(label.split())
        if not label:
            raise HistoryError("The candidate name cannot be empty.", code="empty_label")
        with write(self.engine) as conn:
            done = conn.execute(KITS.update().where(KITS.c.id == kit_id).values(
                candidate=label, candidate_key=candidate_key(label)))
        if not done.rowcount:
            raise KitNotFound(f"No kit #{kit_id} in the history (deleted?).")

    def delete(self, kit_id: int) -> bool:
        """Delete one kit for good; False if it was not there."""
        with write(self.engine) as conn:
            gone = conn.execute(KITS.delete().where(KITS.c.id == kit_id)).rowcount
        self.scrub_free_pages()
        return bool(gone)

    def delete_candidate(self, label: str) -> int:
        """Delete every kit of this candidate, and of any CV file they were made from."""
        key = candidate_key(label)
        with write(self.engine) as conn:
            shas = list(conn.scalars(sa.select(KITS.c.cv_sha256).distinct().where(
                KITS.c.candidate_key == key)))
            gone = conn.execute(KITS.delete().where(
                sa.or_(KITS.c.candidate_key == key, KITS.c.cv_sha256.in_(shas)))).rowcount
        self.scrub_free_pages()
        return int(gone)

    def scrub_free_pages(self) -> None:
        """Move SQLite's zeroed pages out of the WAL into the file (best effort)."""
        if self.engine.dialect.name != "sqlite":
            return
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def _summary(row: sa.RowMapping) -> KitSummary:
    return KitSummary(id=row["id"], created=row["created_at"], candidate=row["candidate"],
                      cv_name=row["cv_name"], prompt_name=row["prompt_name"],
                      prompt_key=row["prompt_key"], model=row["model"], status=row["status"],
                      partial=bool(row["partial"]), question_count=row["question_count"],
                      owner=row["owner"], visibility=row["visibility"], role_id=row["role_id"])


def _kit(row: sa.RowMapping) -> Kit:
    questions = [Question(**q) for q in json.loads(row["questions"])]
    return Kit(
        id=row["id"], created=row["created_at"], candidate=row["candidate"],
        cv_name=row["cv_name"], cv_sha256=row["cv_sha256"], cv_text=row["cv_text"],
        job_description=row["job_description"], prompt_name=row["prompt_name"],
        prompt_key=row["prompt_key"], prompt_text=row["prompt_text"],
        inputs=json.loads(row["inputs"]), provider=row["provider"], model=row["model"],
        status=Status(row["status"]), partial=bool(row["partial"]), error=row["error"],
        elapsed_s=row["elapsed_s"], ttft_s=row["ttft_s"], tokens=row["tokens"],
        markdown=row["markdown"], questions=questions,
        cv_file=bytes(row["cv_file"]) if row["cv_file"] is not None else None,
        requirements=json.loads(row["requirements"]) if row["requirements"] else [],
        owner=row["owner"], visibility=Visibility(row["visibility"]), role_id=row["role_id"],
    )


# --- one store per database per process ------------------------------------

_shared: dict[str, Store] = {}
_shared_lock = threading.Lock()


def open_store(settings: Settings, env: Mapping[str, str] | None = None,
               secrets: Mapping[str, Any] | None = None) -> Store:
    """The process-wide store for the configured database (pages and CLI share it)."""
    url = database_url(settings, env, secrets)
    with _shared_lock:
        store = _shared.get(url)
        if store is None:
            store = _shared[url] = Store(url, secrets=(settings.api_key,))
        return store


def close_shared() -> None:
    """Dispose every shared store (tests, shutdown)."""
    with _shared_lock:
        for store in _shared.values():
            store.close()
        _shared.clear()


def run_key(run: KitRun, cv: CVText) -> str:
    """Identifies one generation, so saving it again (Stop, then rerun) updates one row."""
    return f"{run.created.isoformat()}|{cv.digest}|{run.prompt_key}"


def save_run(store: Store, run: KitRun, cv: CVText, job_description: str = "",
             prompt_text: str | None = None, partial: bool | None = None, *,
             candidate: str | None = None, cv_file: bytes | None = None) -> int | None:
    """Save a finished or stopped generation; None when it produced no text at all.

    Safe to call on every rerun: the same run updates its row instead of
    adding another.  ``cv_file`` is stored only if passed (the user opted in).
    """
    if not run.text.strip():
        return None
    kit = run.to_kit(cv, job_description, prompt_text=prompt_text, partial=partial,
                     candidate=candidate, cv_file=cv_file)
    return store.save(kit, run_key=run_key(run, cv))
