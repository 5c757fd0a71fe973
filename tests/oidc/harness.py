"""A real OpenID Connect provider and a signed-in ``streamlit run app.py`` for the tests.

:class:`OIDCProvider` runs ``tests/oidc/provider.js`` (panva's ``oidc-provider``,
pinned by ``package-lock.json``) on a free 127.0.0.1 port; :func:`npm_ready`
installs it with ``npm ci`` once (``tests/oidc/node_modules``, reused while the
lock file is unchanged).  :class:`AuthApp` starts Streamlit with a temporary
secrets.toml whose ``[auth]`` points at that provider: its redirect URI needs
the app's port before either process starts, so the port is chosen first.
Without node or npm the tests skip, or fail under ``CI=true`` (``require``).
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.common import StreamlitServer, free_port, stop_process
from tests.conftest import ROOT, require

OIDC_DIR = Path(__file__).resolve().parent
CLIENT_ID = "interviewkit-tests"


@dataclass(frozen=True)
class Account:
    """One account of ``users.json``."""

    login: str
    password: str
    email: str
    email_verified: bool
    name: str


USERS = {u["login"]: Account(**u)
         for u in json.loads((OIDC_DIR / "users.json").read_text(encoding="utf-8"))}
ALLOWED, OUTSIDER, UNVERIFIED = USERS["alice"], USERS["mallory"], USERS["ursula"]
ALLOWED_DOMAIN = "allowed.example"  # alice and ursula; mallory is elsewhere.example


def npm_ready() -> None:
    """``tests/oidc/node_modules`` as ``package-lock.json`` pins it (``npm ci`` when stale)."""
    require(shutil.which("node") and shutil.which("npm"),
            "node and npm are needed for the sign-in tests (apt-get install nodejs npm)")
    installed = OIDC_DIR / "node_modules" / ".package-lock.json"
    lock = OIDC_DIR / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"],
                          cwd=OIDC_DIR, capture_output=True, text=True, timeout=600)
    require(done.returncode == 0, f"npm ci in tests/oidc failed: {done.stderr[-2000:]}")


class OIDCProvider:
    """``node provider.js`` for one client; ready once its discovery document answers."""

    def __init__(self, redirect_uri: str, log: Path, *, id_token_ttl: int = 3600) -> None:
        npm_ready()
        self.client_secret = secrets.token_hex(16)
        env = {**os.environ, "OIDC_CLIENT_ID": CLIENT_ID,
               "OIDC_CLIENT_SECRET": self.client_secret, "OIDC_REDIRECT_URI": redirect_uri,
               "OIDC_ID_TOKEN_TTL": str(id_token_ttl)}
        self._log = log.open("wb")
        self.proc = subprocess.Popen(["node", "provider.js"], cwd=OIDC_DIR, env=env,
                                     stdout=subprocess.PIPE, stderr=self._log)
        try:
            self.issuer = self._ready(timeout=30)
        except BaseException:
            self.stop()
            raise
        self.metadata_url = f"{self.issuer}/.well-known/openid-configuration"
        with urllib.request.urlopen(self.metadata_url, timeout=5) as resp:
            assert json.load(resp)["issuer"] == self.issuer

    def _ready(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            raise RuntimeError(f"oidc-provider did not start; see {self._log.name}")
        return str(json.loads(line)["issuer"])

    def stop(self) -> None:
        stop_process(self.proc)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._log.close()

    def __enter__(self) -> OIDCProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def secrets_toml(redirect_uri: str, provider: OIDCProvider) -> str:
    """The ``[auth]`` section Streamlit's ``st.login`` reads, for the test provider."""
    return (f'[auth]\nredirect_uri = "{redirect_uri}"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            f'client_id = "{CLIENT_ID}"\nclient_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n')


class AuthApp:
    """The provider and ``streamlit run app.py`` with ``[auth]`` pointing at it; both stop."""

    def __init__(self, tmp: Path, env: dict[str, str], *, id_token_ttl: int = 3600,
                 log_level: str = "info") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        redirect_uri = f"{self.url}/oauth2callback"
        self.provider = OIDCProvider(redirect_uri, tmp / "oidc-provider.log",
                                     id_token_ttl=id_token_ttl)
        secrets_file = tmp / "secrets.toml"
        secrets_file.write_text(secrets_toml(redirect_uri, self.provider), encoding="utf-8")
        self.log = tmp / "streamlit.log"
        try:
            self.server = StreamlitServer(
                ROOT / "app.py", env, log=self.log, port=self.port,
                flags=["--logger.level", log_level, "--secrets.files", str(secrets_file)])
        except BaseException:
            self.provider.stop()
            raise
        self.proc = self.server.proc

    def stop(self) -> None:
        self.server.stop()
        self.provider.stop()

    def __enter__(self) -> AuthApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
