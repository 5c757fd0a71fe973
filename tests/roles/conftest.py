"""A real history database per test: SQLite in a tmp dir, or (``any_store``) both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewkit.history import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'history.sqlite3'}") as opened:
        yield opened


@pytest.fixture
def any_store(db_url: str) -> Iterator[Store]:
    """The same test on SQLite and on a throwaway PostgreSQL (tests/pgserver.py)."""
    with Store(db_url) as opened:
        yield opened
