"""Settings from the environment (and, in the app, ``st.secrets``).

The only module that reads environment variables, so the pages, the CLI and
the tests agree.  ``INTERVIEWKIT_HOME`` relocates all user state (history,
the joined offline model), so tests run in a tmp dir.  Secrets are only ever
read from the environment or the secrets mapping; they are never written
anywhere.  A bad value raises :class:`~interviewkit.errors.ConfigError`, a
:class:`~interviewkit.errors.KitError` like every other user-facing failure.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interviewkit.errors import ConfigError

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DB_FILENAME = "history.sqlite3"
REPO_PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
PROMPTS_ENV = "INTERVIEWKIT_PROMPTS_DIR"
RULES_ENV = "INTERVIEWKIT_RULES_DIR"
MODEL_CACHE_ENV = "INTERVIEWKIT_MODEL_CACHE"


@dataclass(frozen=True)
class Limits:
    """Bounds on one CV upload; every refusal message quotes them.

    Reading time has three bounds, so a long CV gets the time it needs while a
    hostile file is still stopped early: opening the PDF and each page get
    ``page_timeout_s``; the whole file gets :meth:`read_allowance_s`, which
    grows by ``per_page_s`` per page and never exceeds ``timeout_s``.
    """

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 40
    max_chars: int = 60_000
    timeout_s: float = 20.0  # the most one PDF may take, however many pages it has
    memory_mb: int = 1024
    page_timeout_s: float = 3.0  # opening the file, and then each page
    per_page_s: float = 1.0  # what each page adds to the whole file's allowance

    def read_allowance_s(self, pages: int | None) -> float:
        """Seconds the whole file may take: one step's budget plus ``per_page_s`` a page
        (``timeout_s`` while the page count is not known yet)."""
        if pages is None:
            return self.timeout_s
        return min(self.timeout_s, self.page_timeout_s + self.per_page_s * pages)


ROLE_NAMES = ("admin", "recruiter", "interviewer")


@dataclass(frozen=True)
class TeamConfig:
    """Who may sign in and with which role (only used when ``[auth]`` is configured).

    Addresses and domains are compared case-insensitively.  An empty allow-list
    (no emails and no domains) admits every user the identity provider signs in.
    ``role_claim`` names an ID-token claim (a string or a list) whose values may
    be ``admin``, ``recruiter`` or ``interviewer``; the admin list always wins.
    """

    allowed_emails: frozenset[str] = frozenset()
    allowed_domains: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()
    recruiters: frozenset[str] = frozenset()
    role_claim: str | None = None
    default_role: str = "interviewer"  # least privilege for an allowed user with no role


@dataclass(frozen=True)
class Settings:
    """Which model to talk to and where user state lives."""

    api_key: str | None = None
    base_url: str | None = None
    model: str | None = None
    provider: str = "auto"  # "auto" | "openai" | "offline"
    offline_model: str = "qwen2.5-coder-0.5b"
    request_timeout_s: float = 60.0
    home: Path = field(default_factory=lambda: Path.home() / ".cache" / "interviewkit")
    limits: Limits = field(default_factory=Limits)
    team: TeamConfig = field(default_factory=TeamConfig)
    retention_days: int | None = None  # candidate data older than this is deleted
    batch_concurrency: int = 4  # remote generations at once in a batch (offline: one)

    @property
    def uses_remote(self) -> bool:
        """True when an OpenAI-compatible server is configured (key or base URL)."""
        if self.provider == "offline":
            return False
        if self.provider == "openai":
            return True
        return bool(self.api_key or self.base_url)


def _first(env: Mapping[str, str], secrets: Mapping[str, Any], *names: str) -> str | None:
    """The first non-blank value: environment, then secrets (a blank variable counts as unset)."""
    for name in names:
        for source in (env, secrets):
            value = source.get(name)
            if value is not None and str(value).strip():
                return str(value).strip()
    return None


def _number(raw: str | None, default: float, name: str, *, whole: bool = False) -> float:
    """A positive, finite number (a whole one when ``whole``), or a ConfigError naming it."""
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0 or value > 1e9 or (whole and not value.is_integer()):
        kind = "a positive whole number" if whole else "a positive number"
        raise ConfigError(f"{name} must be {kind}, got {raw!r}", code="bad_number")
    return value


PROVIDERS = ("auto", "openai", "offline")


def _provider(raw: str | None) -> str:
    value = (raw or "auto").lower()
    if value not in PROVIDERS:
        raise ConfigError(f"INTERVIEWKIT_PROVIDER must be one of {', '.join(PROVIDERS)}, "
                          f"got {raw!r}", code="bad_provider")
    return value


def _addresses(raw: str | None) -> frozenset[str]:
    """A comma-, space- or semicolon-separated list, lower-cased."""
    return frozenset(p.strip().casefold() for p in re.split(r"[,;\s]+", raw or "") if p.strip())


def _team(env: Mapping[str, str], secrets: Mapping[str, Any]) -> TeamConfig:
    domains = frozenset(d.lstrip("@") for d in
                        _addresses(_first(env, secrets, "INTERVIEWKIT_ALLOWED_DOMAINS")))
    default = (_first(env, secrets, "INTERVIEWKIT_DEFAULT_ROLE") or "interviewer").lower()
    if default not in ROLE_NAMES:
        raise ConfigError(f"INTERVIEWKIT_DEFAULT_ROLE must be one of {', '.join(ROLE_NAMES)}, "
                          f"got {default!r}", code="bad_role")
    return TeamConfig(
        allowed_emails=_addresses(_first(env, secrets, "INTERVIEWKIT_ALLOWED_EMAILS")),
        allowed_domains=domains,
        admins=_addresses(_first(env, secrets, "INTERVIEWKIT_ADMINS")),
        recruiters=_addresses(_first(env, secrets, "INTERVIEWKIT_RECRUITERS")),
        role_claim=_first(env, secrets, "INTERVIEWKIT_ROLE_CLAIM"),
        default_role=default,
    )


def _days(raw: str | None, name: str = "INTERVIEWKIT_RETENTION_DAYS") -> int | None:
    """``180``, ``180d`` or ``26w``: a whole number of days, or None when unset."""
    if raw is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", raw.lower())
    if not match or int(match[1]) <= 0:
        raise ConfigError(f"{name} must be a whole number of days (180, 180d or 26w), "
                          f"got {raw!r}", code="bad_retention")
    return int(match[1]) * (7 if match[2] == "w" else 1)


def parse_age(raw: str) -> int:
    """An age such as ``180d``, ``26w`` or ``180`` in days (the purge command's argument)."""
    days = _days(raw, "the age")
    assert days is not None
    return days


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> Settings:
    """Build :class:`Settings`; environment variables win over secrets."""
    env = os.environ if env is None else env
    secrets = secrets or {}
    home_raw = _first(env, secrets, "INTERVIEWKIT_HOME")
    defaults = Limits()
    limits = Limits(
        max_bytes=int(
            _number(_first(env, secrets, "INTERVIEWKIT_MAX_UPLOAD_MB"), defaults.max_bytes / 2**20,
                    "INTERVIEWKIT_MAX_UPLOAD_MB") * 2**20
        ),
        max_pages=int(_number(_first(env, secrets, "INTERVIEWKIT_MAX_PAGES"), defaults.max_pages,
                              "INTERVIEWKIT_MAX_PAGES", whole=True)),
        timeout_s=_number(_first(env, secrets, "INTERVIEWKIT_EXTRACT_TIMEOUT"), defaults.timeout_s,
                          "INTERVIEWKIT_EXTRACT_TIMEOUT"),
        page_timeout_s=_number(_first(env, secrets, "INTERVIEWKIT_PAGE_TIMEOUT"),
                               defaults.page_timeout_s, "INTERVIEWKIT_PAGE_TIMEOUT"),
    )
    return Settings(
        api_key=_first(env, secrets, "OPENAI_API_KEY"),
        base_url=_first(env, secrets, "OPENAI_BASE_URL"),
        model=_first(env, secrets, "INTERVIEWKIT_MODEL", "OPENAI_MODEL"),
        provider=_provider(_first(env, secrets, "INTERVIEWKIT_PROVIDER")),
        offline_model=_first(env, secrets, "INTERVIEWKIT_OFFLINE_MODEL") or "qwen2.5-coder-0.5b",
        request_timeout_s=_number(_first(env, secrets, "INTERVIEWKIT_TIMEOUT"), 60.0,
                                  "INTERVIEWKIT_TIMEOUT"),
        home=Path(home_raw).expanduser() if home_raw else Path.home() / ".cache" / "interviewkit",
        limits=limits,
        team=_team(env, secrets),
        retention_days=_days(_first(env, secrets, "INTERVIEWKIT_RETENTION_DAYS")),
        batch_concurrency=int(_number(_first(env, secrets, "INTERVIEWKIT_BATCH_CONCURRENCY"), 4,
                                      "INTERVIEWKIT_BATCH_CONCURRENCY", whole=True)),
    )


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def prompts_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where interview prompts live: ``$INTERVIEWKIT_PROMPTS_DIR``, else the repo's ``prompts/``.

    Read on every call (not at import), so a test or a page sees a change at once.
    """
    raw = _env(env).get(PROMPTS_ENV, "").strip()
    return Path(raw).expanduser() if raw else REPO_PROMPTS_DIR


def rules_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """Extra folders of company rule files (``$INTERVIEWKIT_RULES_DIR``, ``:``-separated)."""
    raw = _env(env).get(RULES_ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def rules_env_key(env: Mapping[str, str] | None = None) -> str:
    """The raw rules setting, part of a cache key so a change is seen."""
    return _env(env).get(RULES_ENV, "")


def model_cache_dir(settings: Settings, env: Mapping[str, str] | None = None) -> Path:
    """Where the joined offline model goes: ``$INTERVIEWKIT_MODEL_CACHE`` or ``<home>/models``."""
    raw = _env(env).get(MODEL_CACHE_ENV, "").strip()
    return Path(raw).expanduser() if raw else settings.home / "models"


def normalize_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def database_url(settings: Settings, env: Mapping[str, str] | None = None,
                 secrets: Mapping[str, Any] | None = None) -> str:
    """``DATABASE_URL`` (environment, then secrets), else SQLite under the home folder."""
    raw = _env(env).get("DATABASE_URL") or str((secrets or {}).get("DATABASE_URL") or "")
    if raw.strip():
        return normalize_url(raw.strip())
    return f"sqlite:///{settings.home / DB_FILENAME}"
