"""Retention deletes exactly what is older than the limit, on SQLite and PostgreSQL,
with the kit's scorecards and shares, and leaves an audit row per kit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from interviewkit import cli
from interviewkit.config import load_settings
from interviewkit.errors import ConfigError, HistoryError
from interviewkit.history import Store, open_store
from interviewkit.history.audit import Action, entries
from interviewkit.history.engine import write
from interviewkit.history.retention import effective_days, purge, set_days
from interviewkit.history.schema import SCORECARD_ITEMS, SCORECARDS, SHARES
from tests.kit.test_kit import make_kit

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened


def _kit_aged(store: Store, days: float, candidate: str) -> int:
    return store.save(make_kit(candidate, created=NOW - timedelta(days=days)))


def _scorecard(store: Store, kit_id: int) -> None:
    with write(store.engine) as conn:
        card = conn.execute(SCORECARDS.insert().values(
            kit_id=kit_id, interviewer="Ivy", interviewer_key="ivy", status="draft",
            summary="", created_at=NOW, updated_at=NOW, clock_elapsed_s=0.0)).inserted_primary_key
        assert card is not None
        conn.execute(SCORECARD_ITEMS.insert().values(scorecard_id=card[0], number=1,
                                                     notes="strong", state="asked",
                                                     updated_at=NOW))
        conn.execute(SHARES.insert().values(kit_id=kit_id, grantee="ivy@x.example",
                                            granted_by="ana", granted_at=NOW))


def _count(store: Store, table: sa.Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_purge_deletes_exactly_what_is_older_than_the_limit(store: Store) -> None:
    old = _kit_aged(store, 181, "Old Olga")
    edge = _kit_aged(store, 180 - 1 / 24, "Edge Ed")  # an hour inside the limit: kept
    new = _kit_aged(store, 3, "New Nia")
    _scorecard(store, old)
    _scorecard(store, new)
    dry = purge(store, 180, actor="ada", actor_role="admin", dry_run=True, now=NOW)
    assert dry.kit_ids == [old] and store.count() == 3
    report = purge(store, 180, actor="ada", actor_role="admin", now=NOW)
    assert report.kit_ids == [old] and report.candidates == 1
    assert {s.id for s in store.search()} == {edge, new}
    assert _count(store, SCORECARDS) == 1 and _count(store, SCORECARD_ITEMS) == 1
    assert _count(store, SHARES) == 1
    (row,) = entries(store.engine, action=Action.PURGE)
    assert (row.target_id, row.detail) == (str(old), "older than 180 days")
    assert "Olga" not in row.line()


def test_the_admins_limit_wins_over_the_configured_one(store: Store) -> None:
    assert effective_days(store, 90) == 90
    set_days(store, 30, "ada", "admin")
    assert effective_days(store, 90) == 30
    set_days(store, None, "ada", "admin")
    assert effective_days(store, 90) is None
    with pytest.raises(HistoryError, match="at least one day"):
        set_days(store, 0, "ada", "admin")
    assert [e.detail for e in entries(store.engine, action=Action.SETTINGS)] == \
        ["no limit", "30 days"]


def test_retention_setting_is_parsed_and_bad_values_are_refused() -> None:
    assert load_settings({"INTERVIEWKIT_RETENTION_DAYS": "26w"}).retention_days == 182
    assert load_settings({"INTERVIEWKIT_RETENTION_DAYS": "180d"}).retention_days == 180
    assert load_settings({}).retention_days is None
    for bad in ("-3", "six months", "0", "1.5"):
        with pytest.raises(ConfigError, match="INTERVIEWKIT_RETENTION_DAYS must be a whole"):
            load_settings({"INTERVIEWKIT_RETENTION_DAYS": bad})


def test_cli_purge_dry_run_then_for_real(capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(load_settings())
    old = store.save(make_kit("Old Olga", created=datetime.now(UTC) - timedelta(days=400)))
    store.save(make_kit("New Nia", created=datetime.now(UTC)))
    assert cli.main(["history", "purge", "--older-than", "365d", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert f"would delete kit #{old}" in out.out and "would delete 1 kit(s)" in out.out
    assert "acting as cli-admin" in out.err
    assert store.count() == 2
    assert cli.main(["history", "purge", "--older-than", "52w"]) == 0
    assert f"deleted kit #{old}" in capsys.readouterr().out
    assert [s.candidate for s in store.search()] == ["New Nia"]
    assert cli.main(["history", "purge", "--older-than", "soon"]) == 2
    assert "the age must be a whole number of days" in capsys.readouterr().err


def test_cli_audit_filters_by_user_and_age(capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(load_settings())
    kit = store.save(make_kit("Team Tia"))
    assert cli.main(["export", str(kit), "--format", "md", "--output", "-"]) == 0
    capsys.readouterr()
    assert cli.main(["audit", "--since", "1d", "--user", "CLI-admin"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and "cli-admin [admin] export kit #" in out[0] and "(md)" in out[0]
    assert cli.main(["audit", "--user", "nobody@x.example"]) == 0
    assert capsys.readouterr().out == ""
    assert cli.main(["audit", "--action", "teleport"]) == 2
