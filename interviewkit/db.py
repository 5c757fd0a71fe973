"""The history database: engine set-up, schema and migrations (used by :mod:`history`).

One code path serves SQLite (a file under ``INTERVIEWKIT_HOME``) and PostgreSQL.
SQLite runs in WAL mode with a busy timeout, and every write transaction starts
with ``BEGIN IMMEDIATE``, so concurrent writers queue for the lock up front
instead of failing on a lock upgrade.  Schema changes are the named functions in
:data:`MIGRATIONS`, applied in order under a lock (the SQLite write lock, a
PostgreSQL advisory lock) and recorded in ``schema_migrations``: concurrent
first starts migrate exactly once, and a database from a newer version is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from interviewkit.errors import KitError

BUSY_TIMEOUT_S = 30.0
_PG_LOCK_ID = 0x1A7E61C7  # any constant: serialises migrations across replicas


class HistoryError(KitError):
    """The history store cannot do what was asked; the message says why."""

    code = "history"


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (same on both engines)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None,
                             dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# --- schema ------------------------------------------------------------------

def _v1_columns() -> list[sa.Column[Any]]:
    """The first schema, frozen: migration 0001 must always create exactly this."""
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("candidate", sa.Text, nullable=False),
        sa.Column("candidate_key", sa.Text, nullable=False),
        sa.Column("cv_name", sa.Text, nullable=False),
        sa.Column("cv_sha256", sa.String(64), nullable=False),
        sa.Column("cv_text", sa.Text, nullable=False),
        sa.Column("job_description", sa.Text, nullable=False),
        sa.Column("prompt_name", sa.Text, nullable=False),
        sa.Column("prompt_key", sa.Text, nullable=False),
        sa.Column("prompt_text", sa.Text, nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("partial", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("elapsed_s", sa.Float),
        sa.Column("ttft_s", sa.Float),
        sa.Column("tokens", sa.Integer, nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        sa.Column("questions", sa.Text, nullable=False),
        sa.Column("question_count", sa.Integer, nullable=False),
    ]


_METADATA = sa.MetaData()
KITS = sa.Table("kits", _METADATA, *_v1_columns(),
                sa.Column("cv_file", sa.LargeBinary), sa.Column("run_key", sa.Text))
MIGRATIONS_TABLE = sa.Table(
    "schema_migrations", _METADATA,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)


def _m0001_create_kits(conn: Connection) -> None:
    sa.Table("kits", sa.MetaData(), *_v1_columns()).create(conn)


def _add_column(conn: Connection, name: str, type_: sa.types.TypeEngine[Any]) -> None:
    ddl = type_.compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE kits ADD COLUMN {name} {ddl}")


def _m0002_cv_file(conn: Connection) -> None:
    """The uploaded CV file itself, stored only when the user opts in."""
    _add_column(conn, "cv_file", sa.LargeBinary())


def _m0003_run_key_and_indexes(conn: Connection) -> None:
    """Saving the same generation twice updates it; list, search and delete stay fast."""
    _add_column(conn, "run_key", sa.Text())
    table = sa.Table("kits", sa.MetaData(), autoload_with=conn)
    sa.Index("ix_kits_run_key", table.c.run_key, unique=True).create(conn)
    sa.Index("ix_kits_candidate_key", table.c.candidate_key).create(conn)
    sa.Index("ix_kits_created_at", table.c.created_at).create(conn)
    sa.Index("ix_kits_cv_sha256", table.c.cv_sha256).create(conn)


Migration = tuple[str, Callable[[Connection], None]]
MIGRATIONS: list[Migration] = [
    ("0001_create_kits", _m0001_create_kits),
    ("0002_cv_file", _m0002_cv_file),
    ("0003_run_key_and_indexes", _m0003_run_key_and_indexes),
]


# --- engine ------------------------------------------------------------------

def normalize_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _on_sqlite_connect(dbapi_conn: Any, _record: object) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_sqlite_begin)
    cursor = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON",
                   "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("ik_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _prepare_sqlite_file(url: sa.URL) -> None:
    """Create the folder, and the file readable by its owner only (it holds CVs)."""
    if not url.database or url.database == ":memory:":
        return
    path = Path(url.database).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def make_engine(url: str) -> Engine:
    """An engine tuned for the dialect; errors name the database without its password."""
    try:
        parsed = sa.make_url(normalize_url(url))
    except sa.exc.ArgumentError:
        raise HistoryError("DATABASE_URL is not a database URL (expected sqlite:///path or "
                           "postgresql://user:password@host/db)", code="bad_url") from None
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    _prepare_sqlite_file(parsed)
    engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S,
                                                    "check_same_thread": False})
    sa.event.listen(engine, "connect", _on_sqlite_connect)
    sa.event.listen(engine, "begin", _on_sqlite_begin)
    return engine


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction that takes the write lock first (SQLite ``BEGIN IMMEDIATE``)."""
    with engine.connect() as conn:
        conn.execution_options(ik_write=True)
        with conn.begin():
            yield conn


def migrate(engine: Engine, upto: int | None = None) -> list[str]:
    """Apply the pending migrations (the first ``upto`` only, for tests); return their names."""
    known = {name for name, _ in MIGRATIONS}
    with write(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
        MIGRATIONS_TABLE.create(conn, checkfirst=True)
        done = set(conn.scalars(sa.select(MIGRATIONS_TABLE.c.name)))
        if done - known:
            raise HistoryError("The history database was written by a newer Interview Kit "
                               f"(migrations {', '.join(sorted(done - known))}); upgrade the "
                               "app.", code="schema_too_new")
        applied: list[str] = []
        for name, step in MIGRATIONS[:upto]:
            if name not in done:
                step(conn)
                conn.execute(MIGRATIONS_TABLE.insert().values(name=name,
                                                              applied_at=datetime.now(UTC)))
                applied.append(name)
    return applied
