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


def team_tables(metadata: sa.MetaData) -> list[sa.Table]:
    """Roles, sharing, scorecards and the audit log, frozen as migration 0005 made them.

    A scorecard belongs to one interviewer on one kit and has one row per question
    (``scorecard_items``); a change after submission is an ``amendments`` row, never
    a silent edit.  ``audit`` is append-only (triggers refuse UPDATE and DELETE) and
    names ids and a pseudonymous candidate reference, never CV content.
    """
    utc, text = UTCDateTime, sa.Text

    def kit_fk() -> sa.ForeignKey:
        return sa.ForeignKey("kits.id", ondelete="CASCADE")
    return [
        sa.Table("roles", metadata,
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                 sa.Column("created_at", utc, nullable=False),
                 sa.Column("owner", text, nullable=False),
                 sa.Column("title", text, nullable=False),
                 sa.Column("job_description", text, nullable=False),
                 sa.Column("prompt_key", text),
                 sa.Column("frozen_kit_id", sa.Integer,
                           sa.ForeignKey("kits.id", ondelete="SET NULL")),
                 sa.Column("archived", sa.Boolean, nullable=False, default=False)),
        sa.Table("shares", metadata,
                 sa.Column("kit_id", sa.Integer, kit_fk(), primary_key=True),
                 sa.Column("grantee", sa.String(320), primary_key=True),
                 sa.Column("granted_by", text, nullable=False),
                 sa.Column("granted_at", utc, nullable=False)),
        sa.Table("scorecards", metadata,
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                 sa.Column("kit_id", sa.Integer, kit_fk(), nullable=False),
                 sa.Column("interviewer", text, nullable=False),
                 sa.Column("interviewer_key", sa.String(320), nullable=False),
                 sa.Column("status", sa.String(16), nullable=False),
                 sa.Column("recommendation", sa.String(16)),
                 sa.Column("summary", text, nullable=False, default=""),
                 sa.Column("created_at", utc, nullable=False),
                 sa.Column("updated_at", utc, nullable=False),
                 sa.Column("submitted_at", utc),
                 sa.Column("clock_started_at", utc),
                 sa.Column("clock_elapsed_s", sa.Float, nullable=False, default=0.0),
                 sa.UniqueConstraint("kit_id", "interviewer_key",
                                     name="uq_scorecards_kit_interviewer")),
        sa.Table("scorecard_items", metadata,
                 sa.Column("scorecard_id", sa.Integer,
                           sa.ForeignKey("scorecards.id", ondelete="CASCADE"),
                           primary_key=True),
                 sa.Column("number", sa.Integer, primary_key=True),
                 sa.Column("notes", text, nullable=False, default=""),
                 sa.Column("score", sa.Integer),
                 sa.Column("state", sa.String(16), nullable=False, default="pending"),
                 sa.Column("updated_at", utc, nullable=False)),
        sa.Table("amendments", metadata,
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                 sa.Column("scorecard_id", sa.Integer,
                           sa.ForeignKey("scorecards.id", ondelete="CASCADE"), nullable=False),
                 sa.Column("at", utc, nullable=False),
                 sa.Column("by", text, nullable=False),
                 sa.Column("number", sa.Integer),  # the question, or None for the overall part
                 sa.Column("field", sa.String(32), nullable=False),
                 sa.Column("old", text),
                 sa.Column("new", text),
                 sa.Column("reason", text, nullable=False)),
        sa.Table("audit", metadata,
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                 sa.Column("at", utc, nullable=False, index=True),
                 sa.Column("actor", sa.String(320), nullable=False, index=True),
                 sa.Column("actor_role", sa.String(16), nullable=False),
                 sa.Column("action", sa.String(32), nullable=False),
                 sa.Column("target_kind", sa.String(32), nullable=False),
                 sa.Column("target_id", text),
                 sa.Column("candidate_ref", sa.String(16)),
                 sa.Column("detail", text, nullable=False, default="")),
        sa.Table("app_settings", metadata,
                 sa.Column("key", sa.String(64), primary_key=True),
                 sa.Column("value", text, nullable=False),
                 sa.Column("updated_by", text, nullable=False),
                 sa.Column("updated_at", utc, nullable=False)),
    ]


_METADATA = sa.MetaData()
KITS = sa.Table("kits", _METADATA, *_v1_columns(),
                sa.Column("cv_file", sa.LargeBinary), sa.Column("run_key", sa.Text),
                sa.Column("requirements", sa.Text),
                sa.Column("owner", sa.Text, nullable=False, server_default=""),
                sa.Column("visibility", sa.String(16), nullable=False, server_default="team"),
                sa.Column("role_id", sa.Integer))
ROLES, SHARES, SCORECARDS, SCORECARD_ITEMS, AMENDMENTS, AUDIT, APP_SETTINGS = team_tables(
    _METADATA)
MIGRATIONS_TABLE = sa.Table(
    "schema_migrations", _METADATA,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)
