"""The sign-in gate under AppTest, and the checks it stands on.

``AppTest.secrets`` supplies ``[auth]`` and ``AppTest.user`` what ``st.user`` reads
(the ID token's claims, ``is_logged_in``), so every branch of
:func:`interviewkit.ui.auth.gate` runs here without a provider; the real provider
and browser are ``test_auth_browser.py``.  A kit is saved before each run, so "no
candidate data" is checked against data the app could have shown.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Element
from streamlit.testing.v1.util import patch_config_options

from interviewkit.access.identity import EXPIRY_LEEWAY_S, auth_providers, token_expired
from interviewkit.access.model import LOCAL_USER, Role, User
from interviewkit.config import load_settings
from interviewkit.errors import ConfigError
from interviewkit.history import open_store
from interviewkit.ui import auth
from interviewkit.ui.resources import USER_KEY
from tests.conftest import ROOT
from tests.kit.test_kit import make_kit

AUTH = {"redirect_uri": "https://kits.example.com/oauth2callback",
        "cookie_secret": "c0ffee" * 8, "client_id": "interviewkit",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://idp.example.com/.well-known/openid-configuration"}
CANDIDATE = "Zebulon Quartermaine"


def claims(email: str = "alice@allowed.example", **extra: Any) -> dict[str, Any]:
    """What Streamlit puts in ``st.user`` after a sign-in: the ID token's claims."""
    now = int(time.time())
    return {"is_logged_in": True, "iss": "https://idp.example.com", "aud": "interviewkit",
            "sub": "u-1", "email": email, "email_verified": True, "name": "Alice Allowed",
            "iat": now, "exp": now + 3600, "provider": "default", "tokens": {}, **extra}


@pytest.fixture(autouse=True)
def _app_py_runs_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run goes through app.py, as on a server where it has run once.

    AppTest resets ``PagesManager.uses_pages_directory`` before each run, so with a
    ``pages/`` folder its second run of app.py would run the last page file directly
    (Streamlit's legacy mode, which ``interviewkit.ui.require_entry`` deals with on a
    real server and ``test_a_page_run_without_app_py_is_sent_back_through_it`` tests).
    """
    init = PagesManager.__init__

    def without_legacy_mode(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", without_legacy_mode)


@pytest.fixture(autouse=True)
def _a_saved_kit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWKIT_ALLOWED_DOMAINS", "allowed.example")
    open_store(load_settings()).save(make_kit(CANDIDATE, cv_text=f"{CANDIDATE}\nStaff engineer"))


def run(*, secrets: dict[str, Any] | None = None, user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if secrets is not None:
        at.secrets = secrets
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, at.exception
    return at


def shown(block: Block) -> list[tuple[str, str]]:
    """Every element of a block (recursively): its type and its text."""
    out = []
    for node in block:
        if isinstance(node, Element):
            text = getattr(node, "label", None) or getattr(node, "value", "")
            out.append((node.type, str(text)))
    return out


def everything(at: AppTest) -> str:
    return "\n".join(text for _, text in shown(at.main) + shown(at.sidebar))


# --- open mode -------------------------------------------------------------------

def test_without_auth_the_app_runs_open_and_the_sidebar_says_so() -> None:
    at = run()
    assert at.session_state[USER_KEY] == LOCAL_USER
    notes = [text for kind, text in shown(at.sidebar) if kind == "info"]
    assert notes == [auth.OPEN_NOTE]
    assert "everyone who can reach this server sees everything" in auth.OPEN_NOTE
    assert "Interview Kit" in [t.value for t in at.title], "the Generate page ran"
    assert "Sign out" not in everything(at) and "Signed in as" not in everything(at)


# --- signed out --------------------------------------------------------------------

@pytest.mark.parametrize("user", [{}, {"email": "test@example.com"}, {"is_logged_in": False}],
                         ids=["nothing", "an unsigned e-mail", "logged out"])
def test_signed_out_shows_only_the_title_a_line_and_the_sign_in_button(
        user: dict[str, Any]) -> None:
    at = run(secrets={"auth": AUTH}, user=user)
    assert shown(at.main) == [("title", "Interview Kit"), ("markdown", auth.SIGN_IN_LINE),
                              ("button", "Sign in")]
    assert shown(at.sidebar) == []
    assert at.button(key="auth_sign_in_default").label == "Sign in"
    assert USER_KEY not in at.session_state
    assert CANDIDATE not in everything(at)


def test_named_providers_get_one_button_each() -> None:
    google = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    section = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
               "google": google, "microsoft": {**google, "client_kwargs": {"prompt": "login"}}}
    at = run(secrets={"auth": section}, user={})
    assert [b.label for b in at.button] == ["Sign in with Google", "Sign in with Microsoft"]
    assert [b.key for b in at.button] == ["auth_sign_in_google", "auth_sign_in_microsoft"]


# --- signed in ---------------------------------------------------------------------

def test_an_allowed_user_is_signed_in_with_a_role_and_can_sign_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWKIT_RECRUITERS", "Alice@Allowed.example")
    at = run(secrets={"auth": AUTH}, user=claims())
    user = at.session_state[USER_KEY]
    assert user == User("alice@allowed.example", "Alice Allowed", Role.RECRUITER)
    sidebar = shown(at.sidebar)
    assert ("markdown", "Signed in as **Alice Allowed** (recruiter)") in sidebar
    assert ("caption", "alice@allowed.example") in sidebar
    assert at.sidebar.button(key="auth_sign_out").label == "Sign out"
    assert "Interview Kit" in [t.value for t in at.title], "the page ran"

    at.sidebar.button(key="auth_sign_out").click().run()  # st.logout(): the user is gone
    assert at.user == {"is_logged_in": False}
    at.run()
    assert shown(at.main)[-1] == ("button", "Sign in")
    assert USER_KEY not in at.session_state


def test_an_admin_from_the_settings_and_a_name_that_is_markdown(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWKIT_ADMINS", "root@allowed.example")
    at = run(secrets={"auth": AUTH},
             user=claims("root@allowed.example", name="[click](javascript:x) <b>"))
    assert at.session_state[USER_KEY].role is Role.ADMIN
    line = next(t for kind, t in shown(at.sidebar) if t.startswith("Signed in as"))
    assert line == "Signed in as **\\[click\\](javascript:x) \\<b\\>** (admin)"


@pytest.mark.parametrize(("user", "why"), [
    (claims("mallory@elsewhere.example"), "mallory@elsewhere.example is not authorised"),
    (claims(email_verified=False), "is not verified"),
    (claims(email=""), "did not send an e-mail address"),
])
def test_a_user_who_is_not_allowed_sees_not_authorised_and_nothing_else(
        user: dict[str, Any], why: str) -> None:
    at = run(secrets={"auth": AUTH}, user=user)
    main = shown(at.main)
    assert [kind for kind, _ in main] == ["title", "error", "button"], main
    assert main[1][1].startswith("Not authorised.") and why in main[1][1]
    assert main[2] == ("button", "Sign out")
    assert shown(at.sidebar) == []
    assert USER_KEY not in at.session_state
    assert CANDIDATE not in everything(at)


def test_the_allow_list_is_applied_on_every_run_not_only_at_sign_in(
        monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(secrets={"auth": AUTH}, user=claims())
    assert at.session_state[USER_KEY].email == "alice@allowed.example"
    monkeypatch.setenv("INTERVIEWKIT_ALLOWED_DOMAINS", "other.example")  # removed from it
    at.run()
    assert shown(at.main)[1][1].startswith("Not authorised.")
    assert USER_KEY not in at.session_state


@pytest.mark.parametrize("exp", [-EXPIRY_LEEWAY_S - 5, -3600, None, "soon", True],
                         ids=["just expired", "an hour ago", "no exp", "not a number", "bool"])
def test_an_expired_token_asks_for_a_new_sign_in(exp: object) -> None:
    user = claims()
    if exp is None:
        del user["exp"]
    else:
        user["exp"] = time.time() + exp if isinstance(exp, float | int) and \
            not isinstance(exp, bool) else exp
    at = run(secrets={"auth": AUTH}, user=user)
    assert shown(at.main) == [("title", "Interview Kit"), ("markdown", auth.EXPIRED_LINE),
                              ("button", "Sign in again"), ("button", "Sign out")]
    assert USER_KEY not in at.session_state
    assert CANDIDATE not in everything(at)


# --- a broken configuration closes the app -----------------------------------------

@pytest.mark.parametrize(("section", "message"), [
    ("yes", "must be a table"),
    ({**AUTH, "redirect_uri": ""}, "needs redirect_uri"),
    ({**AUTH, "redirect_uri": "https://kits.example.com/"}, "must end with /oauth2callback"),
    ({**AUTH, "redirect_uri": "/oauth2callback"}, "absolute http(s) URL"),
    ({**AUTH, "cookie_secret": "short"}, "at least 32 characters"),
    ({k: v for k, v in AUTH.items() if k != "cookie_secret"}, "cookie_secret"),
    ({"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]},
     "names no identity provider"),
    ({**AUTH, "client_secret": ""}, "[auth] is missing client_secret"),
    ({**AUTH, "server_metadata_url": "idp.example.com"}, "server_metadata_url must be"),
    ({"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
      "my_idp": {"client_id": "x"}},
     "'_' in a provider name"),
])
def test_a_malformed_auth_section_closes_the_app_with_a_clear_message(
        section: object, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        auth_providers(section)
    assert message in str(raised.value)
    assert "not-a-real-secret" not in str(raised.value), "values are never quoted"
    at = run(secrets={"auth": section})
    main = shown(at.main)
    assert [kind for kind, _ in main] == ["title", "error"], main
    assert main[1][1].startswith("Sign-in is misconfigured, so the app stays closed")
    assert message in main[1][1] and CANDIDATE not in everything(at)


def test_an_unreadable_secrets_file_closes_the_app(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit reads a secrets.toml it cannot parse as "no secrets": that must not open."""
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\nredirect_uri = "https://kits.example.com/oauth2callback\n')
    monkeypatch.setattr(secrets_singleton, "_secrets", None)
    monkeypatch.setattr(st, "secrets", secrets_singleton)
    with patch_config_options({"secrets.files": [str(broken)]}):
        at = run()
    main = shown(at.main)
    assert [kind for kind, _ in main] == ["title", "error"], main
    assert "The secrets file cannot be read" in main[1][1] and str(broken) in main[1][1]
    assert USER_KEY not in at.session_state and CANDIDATE not in everything(at)


def test_without_authlib_a_configured_app_stays_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "authlib" else real(name, *a))
    at = run(secrets={"auth": AUTH}, user=claims())
    assert "Authlib is not installed" in shown(at.main)[1][1]
    assert USER_KEY not in at.session_state


# --- the checks themselves -----------------------------------------------------------

def test_token_expired_reads_exp_with_a_small_leeway() -> None:
    now = 1_800_000_000.0
    assert not token_expired({"exp": now + 60}, now)
    assert not token_expired({"exp": now - EXPIRY_LEEWAY_S + 1}, now), "clock skew"
    assert token_expired({"exp": now - EXPIRY_LEEWAY_S - 1}, now)
    assert not token_expired({"exp": str(int(now + 60))}, now)
    for bad in ({}, {"exp": None}, {"exp": "later"}, {"exp": True}, {"exp": float("nan")},
                {"exp": [now + 60]}):
        assert token_expired(bad, now), bad


def test_auth_providers_names_the_default_and_named_providers() -> None:
    assert auth_providers(AUTH) == ("default",)
    named = {"redirect_uri": "http://localhost:{port}/oauth2callback",
             "cookie_secret": AUTH["cookie_secret"], "expose_tokens": "id",
             "okta": {k: AUTH[k] for k in ("client_id", "client_secret",
                                           "server_metadata_url")}}
    assert auth_providers(named) == ("okta",)


def test_a_page_run_without_app_py_is_sent_back_through_it() -> None:
    """Streamlit's legacy pages/ mode (a fresh server's first deep link) reruns via app.py."""

    def script() -> None:
        import streamlit as st
        from streamlit.runtime.pages_manager import PagesManager

        from interviewkit.ui import require_entry

        runs = st.session_state.setdefault("runs", [])
        if not runs:
            PagesManager.uses_pages_directory = True  # as a fresh server with pages/ starts
        runs.append(PagesManager.uses_pages_directory)
        require_entry()
        st.write(f"reached after {len(runs)} runs")

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["runs"] == [True, False]
    assert at.markdown[0].value == "reached after 2 runs"
    assert PagesManager.uses_pages_directory is False


def test_current_user_is_the_gates_user() -> None:
    def script() -> None:
        import streamlit as st

        from interviewkit.access.model import Role, User
        from interviewkit.ui import auth
        from interviewkit.ui.resources import USER_KEY

        st.session_state[USER_KEY] = User("bob@allowed.example", "Bob", Role.INTERVIEWER)
        st.write(auth.current_user().email)

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "bob@allowed.example"
