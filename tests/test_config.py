"""``interviewkit.config``: where each setting comes from, and what a bad value does.

Every function takes an explicit ``env`` mapping, so these tests never touch the real
environment; the one test of ``os.environ`` goes through ``monkeypatch``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.config import (
    DB_FILENAME,
    REPO_PROMPTS_DIR,
    Limits,
    Settings,
    database_url,
    load_settings,
    model_cache_dir,
    prompts_dir,
    rules_dirs,
    rules_env_key,
)
from interviewkit.errors import ConfigError, KitError


def test_nothing_configured_gives_the_defaults() -> None:
    settings = load_settings(env={}, secrets={})
    assert settings == Settings()
    assert settings.home == Path.home() / ".cache" / "interviewkit"
    assert settings.provider == "auto" and not settings.uses_remote
    assert settings.request_timeout_s == 60.0 and settings.limits == Limits()
    assert settings.model is None and settings.api_key is None


def test_every_variable_is_read() -> None:
    env = {"OPENAI_API_KEY": "sk-env", "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1",
           "INTERVIEWKIT_MODEL": "llama3.1", "INTERVIEWKIT_PROVIDER": "OpenAI",
           "INTERVIEWKIT_OFFLINE_MODEL": "other-gguf", "INTERVIEWKIT_TIMEOUT": "12.5",
           "INTERVIEWKIT_HOME": "/srv/ik", "INTERVIEWKIT_MAX_UPLOAD_MB": "2",
           "INTERVIEWKIT_MAX_PAGES": "7", "INTERVIEWKIT_EXTRACT_TIMEOUT": "1.5",
           "INTERVIEWKIT_PAGE_TIMEOUT": "0.75"}
    settings = load_settings(env=env, secrets={})
    assert (settings.api_key, settings.base_url, settings.model) == (
        "sk-env", "http://127.0.0.1:8080/v1", "llama3.1")
    assert settings.provider == "openai", "the provider name is not case-sensitive"
    assert settings.offline_model == "other-gguf" and settings.request_timeout_s == 12.5
    assert settings.home == Path("/srv/ik")
    assert settings.limits == Limits(max_bytes=2 * 2**20, max_pages=7, timeout_s=1.5,
                                     page_timeout_s=0.75)


def test_environment_wins_over_secrets() -> None:
    secrets = {"OPENAI_API_KEY": "sk-secret", "INTERVIEWKIT_MODEL": "from-secrets",
               "INTERVIEWKIT_TIMEOUT": 30, "INTERVIEWKIT_PROVIDER": "offline"}
    env = {"OPENAI_API_KEY": "sk-env", "INTERVIEWKIT_TIMEOUT": "5"}
    settings = load_settings(env=env, secrets=secrets)
    assert settings.api_key == "sk-env" and settings.request_timeout_s == 5.0
    assert settings.model == "from-secrets", "a secret fills in what the environment lacks"
    assert settings.provider == "offline"
    only_secrets = load_settings(env={}, secrets=secrets)
    assert only_secrets.api_key == "sk-secret" and only_secrets.request_timeout_s == 30.0


def test_interviewkit_model_wins_over_openai_model_and_blanks_are_unset() -> None:
    both = {"INTERVIEWKIT_MODEL": "ours", "OPENAI_MODEL": "theirs"}
    assert load_settings(env=both, secrets={}).model == "ours"
    assert load_settings(env={"OPENAI_MODEL": " theirs "}, secrets={}).model == "theirs"
    blank = load_settings(env={"OPENAI_API_KEY": "   ", "INTERVIEWKIT_TIMEOUT": ""}, secrets={})
    assert blank.api_key is None and blank.request_timeout_s == 60.0


def test_the_real_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWKIT_MODEL", "from-os-environ")
    assert load_settings().model == "from-os-environ"


@pytest.mark.parametrize(("name", "value"), [
    ("INTERVIEWKIT_TIMEOUT", "abc"),
    ("INTERVIEWKIT_MAX_PAGES", "x"),
    ("INTERVIEWKIT_MAX_UPLOAD_MB", "ten"),
    ("INTERVIEWKIT_EXTRACT_TIMEOUT", "5s"),
])
def test_a_bad_number_is_a_config_error_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={name: value}, secrets={})
    assert isinstance(info.value, KitError), "pages show it like any other user-facing error"
    assert name in str(info.value) and repr(value) in str(info.value)
    assert info.value.code == "bad_number"


def test_a_bad_number_in_secrets_is_a_config_error_too() -> None:
    with pytest.raises(ConfigError, match="INTERVIEWKIT_TIMEOUT"):
        load_settings(env={}, secrets={"INTERVIEWKIT_TIMEOUT": "soon"})


@pytest.mark.parametrize("value", ["openia", "remote", "on"])
def test_a_bad_provider_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(env={"INTERVIEWKIT_PROVIDER": value}, secrets={})
    message = str(info.value)
    assert "INTERVIEWKIT_PROVIDER" in message and repr(value) in message
    assert "auto, openai, offline" in message and info.value.code == "bad_provider"


@pytest.mark.parametrize(("provider", "key", "url", "remote"), [
    ("auto", None, None, False),
    ("auto", "sk-x", None, True),
    ("auto", None, "http://127.0.0.1:11434/v1", True),
    ("offline", "sk-x", None, False),
    ("openai", None, None, True),
])
def test_uses_remote(provider: str, key: str | None, url: str | None, remote: bool) -> None:
    assert Settings(api_key=key, base_url=url, provider=provider).uses_remote is remote


def test_prompts_dir_reads_its_variable(tmp_path: Path) -> None:
    assert prompts_dir({}) == REPO_PROMPTS_DIR
    assert prompts_dir({"INTERVIEWKIT_PROMPTS_DIR": "  "}) == REPO_PROMPTS_DIR
    assert prompts_dir({"INTERVIEWKIT_PROMPTS_DIR": str(tmp_path)}) == tmp_path
    assert prompts_dir({"INTERVIEWKIT_PROMPTS_DIR": "~/p"}) == Path.home() / "p"


def test_rules_dirs_reads_a_path_list(tmp_path: Path) -> None:
    assert rules_dirs({}) == [] and rules_env_key({}) == ""
    raw = f"{tmp_path / 'a'}::{tmp_path / 'b'}: "
    assert rules_dirs({"INTERVIEWKIT_RULES_DIR": raw}) == [tmp_path / "a", tmp_path / "b"]
    assert rules_env_key({"INTERVIEWKIT_RULES_DIR": raw}) == raw, "a change changes the key"


def test_model_cache_dir_reads_its_variable(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    assert model_cache_dir(settings, {}) == tmp_path / "home" / "models"
    env = {"INTERVIEWKIT_MODEL_CACHE": str(tmp_path / "models")}
    assert model_cache_dir(settings, env) == tmp_path / "models"


def test_database_url_reads_env_then_secrets_else_sqlite(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert database_url(settings, {}) == f"sqlite:///{tmp_path / DB_FILENAME}"
    env = {"DATABASE_URL": "postgresql://ik:pw@db:5432/kits"}
    secrets = {"DATABASE_URL": "postgres://other@db/kits"}
    assert database_url(settings, env, secrets) == "postgresql+psycopg://ik:pw@db:5432/kits"
    assert database_url(settings, {}, secrets) == "postgresql+psycopg://other@db/kits"
    sqlite = "sqlite:////var/lib/ik/kits.sqlite3"
    assert database_url(settings, {"DATABASE_URL": f" {sqlite} "}) == sqlite


@pytest.mark.parametrize(("name", "value"), [
    ("INTERVIEWKIT_MAX_PAGES", "inf"), ("INTERVIEWKIT_MAX_PAGES", "nan"),
    ("INTERVIEWKIT_MAX_PAGES", "2.5"), ("INTERVIEWKIT_MAX_PAGES", "-3"),
    ("INTERVIEWKIT_MAX_UPLOAD_MB", "1e400"), ("INTERVIEWKIT_MAX_UPLOAD_MB", "-1"),
    ("INTERVIEWKIT_TIMEOUT", "nan"), ("INTERVIEWKIT_EXTRACT_TIMEOUT", "0"),
])
def test_numbers_must_be_positive_and_finite(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name) as info:
        load_settings(env={name: value}, secrets={})
    assert info.value.code == "bad_number" and "positive" in str(info.value)


def test_a_blank_variable_falls_back_to_secrets_like_an_unset_one() -> None:
    settings = load_settings(env={"OPENAI_API_KEY": "  "}, secrets={"OPENAI_API_KEY": "sk-s"})
    assert settings.api_key == "sk-s"
    assert database_url(settings, {"DATABASE_URL": ""}, {"DATABASE_URL": "postgres://h/db"}) == (
        "postgresql+psycopg://h/db")
