"""Shared fixtures: the real PDF corpus in ../shared, isolated user state."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.mockserver import MockOpenAIServer, Reply

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_manifest(kind: str) -> list[dict[str, str]]:
    """Rows of ``../shared/corpus/<kind>/MANIFEST.tsv`` (empty when absent)."""
    manifest = CORPUS / kind / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def corpus_file(kind: str, name: str) -> Path:
    """Path of one corpus file, skipping the test when the corpus is absent."""
    path = CORPUS / kind / name
    if not path.exists():
        pytest.skip(f"corpus file {kind}/{name} not found: "
                    "../shared/corpus is not next to the repo")
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own INTERVIEWKIT_HOME and no real API settings."""
    monkeypatch.setenv("INTERVIEWKIT_HOME", str(tmp_path_factory.mktemp("ikhome")))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "INTERVIEWKIT_MODEL", "OPENAI_MODEL",
                 "INTERVIEWKIT_PROVIDER", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield
    from interviewkit.history import close_shared

    close_shared()  # each test's SQLite file lives in its own INTERVIEWKIT_HOME


@contextmanager
def app_on_mock(monkeypatch: pytest.MonkeyPatch,
                default: Reply | Callable[[dict[str, Any]], Reply], *, key: str,
                model: str = "mock-model") -> Iterator[MockOpenAIServer]:
    """A local OpenAI-compatible server, with the app's settings pointing at it."""
    with MockOpenAIServer(default=default) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", key)
        monkeypatch.setenv("INTERVIEWKIT_MODEL", model)
        yield server


def open_page(page: str | None = None) -> AppTest:
    """The app under AppTest, run once (and switched to ``pages/<page>.py`` if given)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(elements: object) -> str:
    """The values of AppTest elements (markdown, error, warning…) as one string."""
    return "\n".join(str(getattr(e, "value", "")) for e in elements)  # type: ignore[attr-defined]
