"""The automatic purge behind every page's store: due once a day, the limit looked up at
most once a minute, and a limit an admin changes applies on the next page run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interviewkit.config import load_settings
from interviewkit.history import Store
from interviewkit.history.retention import set_days
from interviewkit.ui import resources
from tests.kit.test_kit import make_kit


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path}/h.sqlite3") as opened:
        yield opened


def _old_kit(store: Store) -> int:
    kit = make_kit("Old Olga")
    kit.created = datetime.now(UTC) - timedelta(days=400)
    return store.save(kit)


def test_the_limit_is_read_once_a_minute_and_a_change_applies_at_once(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(resources.time, "monotonic", lambda: clock[0])
    reads: list[int | None] = []
    real = resources.effective_days

    def counted(s: Store, configured: int | None) -> int | None:
        reads.append(configured)
        return real(s, configured)

    monkeypatch.setattr(resources, "effective_days", counted)
    settings = load_settings()
    _old_kit(store)
    for _ in range(5):  # five page runs within a minute: one look-up, no limit, no purge
        resources._auto_purge(store, settings)
    assert len(reads) == 1 and store.count() == 1
    set_days(store, 365, "ada@team.example", "admin")
    resources.retention_changed(store)
    resources._auto_purge(store, settings)  # the next run: looked up, purged at once
    assert len(reads) == 2 and store.count() == 0
    clock[0] += 61
    _old_kit(store)
    resources._auto_purge(store, settings)  # looked up again, but the purge is daily
    assert len(reads) == 3 and store.count() == 1
    clock[0] += 24 * 3600
    resources._auto_purge(store, settings)
    assert store.count() == 0
