"""Named schema migrations, registered in order by a decorator (as simonw/llm does).

``@migration def m0004_something(conn)`` adds step ``0004_something``.  Steps
run in order under a lock (the SQLite write lock, a PostgreSQL advisory lock)
and are recorded in ``schema_migrations``: concurrent first starts migrate
exactly once, and a database written by a newer version is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from interviewkit.errors import HistoryError
from interviewkit.history.engine import write
from interviewkit.history.schema import MIGRATIONS_TABLE, _v1_columns, team_tables

_PG_LOCK_ID = 0x1A7E61C7  # any constant: serialises migrations across replicas

Step = Callable[[Connection], None]
Migration = tuple[str, Step]
MIGRATIONS: list[Migration] = []


def migration(step: Step) -> Step:
    """Register ``m<NNNN>_<name>`` as the next migration, named ``<NNNN>_<name>``."""
    name = step.__name__.removeprefix("m")
    if MIGRATIONS and name <= MIGRATIONS[-1][0]:
        raise ValueError(f"migration {name} is out of order")
    MIGRATIONS.append((name, step))
    return step


@migration
def m0001_create_kits(conn: Connection) -> None:
    """The first schema, exactly as version 1 shipped it."""
    sa.Table("kits", sa.MetaData(), *_v1_columns()).create(conn)


def _add_column(conn: Connection, name: str, type_: sa.types.TypeEngine[Any],
                extra: str = "") -> None:
    ddl = type_.compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE kits ADD COLUMN {name} {ddl} {extra}".rstrip())


@migration
def m0002_cv_file(conn: Connection) -> None:
    """The uploaded CV file itself, stored only when the user opts in."""
    _add_column(conn, "cv_file", sa.LargeBinary())


@migration
def m0003_run_key_and_indexes(conn: Connection) -> None:
    """Saving the same generation twice updates it; list, search and delete stay fast."""
    _add_column(conn, "run_key", sa.Text())
    table = sa.Table("kits", sa.MetaData(), autoload_with=conn)
    sa.Index("ix_kits_run_key", table.c.run_key, unique=True).create(conn)
    sa.Index("ix_kits_candidate_key", table.c.candidate_key).create(conn)
    sa.Index("ix_kits_created_at", table.c.created_at).create(conn)
    sa.Index("ix_kits_cv_sha256", table.c.cv_sha256).create(conn)


@migration
def m0004_grounded_kits(conn: Connection) -> None:
    """The job's requirements a kit was planned against (its questions carry their own
    evidence and coverage in the questions JSON; kits saved before still open)."""
    _add_column(conn, "requirements", sa.Text())


_APPEND_ONLY_SQLITE = [
    f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]
_APPEND_ONLY_PG = [
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
]


@migration
def m0005_team(conn: Connection) -> None:
    """Owners and visibility on kits, roles, sharing, scorecards and the append-only audit log.

    Kits saved before have no owner (``""``) and team visibility: an admin and the
    team's recruiters still see them once sign-in is configured.
    """
    _add_column(conn, "owner", sa.Text(), "NOT NULL DEFAULT ''")
    _add_column(conn, "visibility", sa.String(16), "NOT NULL DEFAULT 'team'")
    _add_column(conn, "role_id", sa.Integer())
    metadata = sa.MetaData()
    sa.Table("kits", metadata, autoload_with=conn)
    tables = team_tables(metadata)
    metadata.create_all(conn, tables=tables)
    kits = metadata.tables["kits"]
    sa.Index("ix_kits_owner", kits.c.owner).create(conn)
    sa.Index("ix_kits_role_id", kits.c.role_id).create(conn)
    triggers = _APPEND_ONLY_PG if conn.dialect.name == "postgresql" else _APPEND_ONLY_SQLITE
    for ddl in triggers:
        conn.exec_driver_sql(ddl)


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
