"""The history tables as SQLAlchemy Core objects (the current shape; migrations build it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa


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


# --- tables ------------------------------------------------------------------

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
                sa.Column("cv_file", sa.LargeBinary), sa.Column("run_key", sa.Text),
                sa.Column("requirements", sa.Text))
MIGRATIONS_TABLE = sa.Table(
    "schema_migrations", _METADATA,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)
