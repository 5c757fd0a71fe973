"""The history database engine: SQLite (WAL, ``BEGIN IMMEDIATE``) or PostgreSQL.

One code path serves SQLite (a file under ``INTERVIEWKIT_HOME``) and PostgreSQL.
SQLite runs in WAL mode with a busy timeout, and every write transaction starts
with ``BEGIN IMMEDIATE``, so concurrent writers queue for the lock up front
instead of failing on a lock upgrade.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from interviewkit.config import normalize_url
from interviewkit.errors import HistoryError

BUSY_TIMEOUT_S = 30.0


# --- engine ------------------------------------------------------------------

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


