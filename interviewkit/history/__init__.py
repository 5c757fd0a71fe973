"""Every generated kit, kept: SQLite by default, PostgreSQL via ``DATABASE_URL``."""

from interviewkit.config import DB_FILENAME, database_url
from interviewkit.errors import HistoryError, KitNotFound
from interviewkit.history.store import KitSummary, Store, close_shared, open_store, save_run

__all__ = ["DB_FILENAME", "HistoryError", "KitNotFound", "KitSummary", "Store", "close_shared",
           "database_url", "open_store", "save_run"]
