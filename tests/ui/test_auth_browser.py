"""Sign-in end to end: real headless Chromium, a real OpenID Connect provider, the real app.

``tests/oidc/provider.js`` (``oidc-provider`` from npm) runs on 127.0.0.1; Streamlit
runs ``app.py`` with a temporary secrets.toml whose ``[auth]`` points at it, and the
browser signs in through the provider's own form, exactly as with Google or Entra.
The history database holds a kit before the first request, so "nothing is shown"
is checked against data that exists.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interviewkit.access.identity import EXPIRY_LEEWAY_S
from interviewkit.config import load_settings
from interviewkit.history import close_shared, open_store
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.kit.test_kit import make_kit
from tests.oidc.harness import ALLOWED, ALLOWED_DOMAIN, OUTSIDER, UNVERIFIED, Account, AuthApp
from tests.ui.test_browser import _server_env
from tests.ui.test_browser import browser_page as browser_page  # the shared fixture

pytestmark = pytest.mark.browser

CANDIDATE = "Zebulon Quartermaine"  # the seeded kit's candidate: must never show signed out
PAGE_PATHS = ("", "history", "prompt_lab", "batch", "roles", "interview", "admin")
NAV_NAMES = ("Generate", "Prompt Lab", "History", "Batch", "Audit & retention")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return _server_env(tmp_path, INTERVIEWKIT_ALLOWED_DOMAINS=ALLOWED_DOMAIN,
                       INTERVIEWKIT_RECRUITERS=ALLOWED.email, **extra)


def _seed_history(tmp_path: Path) -> None:
    """A saved kit in the app's own database, as a team's history would have."""
    store = open_store(load_settings(env={"INTERVIEWKIT_HOME": str(tmp_path / "home")}))
    store.save(make_kit(CANDIDATE, cv_text=f"{CANDIDATE}\nStaff engineer at Initech."))
    close_shared()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[AuthApp]:
    _seed_history(tmp_path)
    with AuthApp(tmp_path, _env(tmp_path)) as started:
        yield started


ICONS = {"login", "logout", "block"}  # Material icon names, drawn as text by the icon font


def _main(page: Any) -> str:
    return str(page.locator("[data-testid='stMain']").inner_text())


def _lines(page: Any) -> list[str]:
    """The main area's text, line by line, without the icons' names."""
    return [s for line in _main(page).splitlines() if (s := line.strip()) and s not in ICONS]


def _everything(page: Any) -> str:
    return str(page.locator("body").inner_text())


def _assert_signed_out_screen(page: Any, where: str) -> None:
    """Only the title, the one line and the sign-in button: no page, name or data."""
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    page.wait_for_timeout(300)  # anything else the run would draw has arrived
    lines = _lines(page)
    assert lines == ["Interview Kit",
                     "Sign in with your organisation's account to use Interview Kit.",
                     "Sign in"], f"{where}: {lines}"
    shown = _everything(page)
    assert CANDIDATE not in shown and "Staff engineer" not in shown, where
    assert not [name for name in NAV_NAMES if page.get_by_role("link", name=name).count()]
    assert page.locator("[data-testid='stSidebar']").count() == 0, f"{where}: a sidebar"
    assert page.get_by_role("dialog").count() == 0, f"{where}: a 'page not found' dialog"


def _sign_in(page: Any, app: AuthApp, user: Account) -> None:
    """The sign-in button, the provider's own form, and back to the app."""
    page.get_by_role("button", name=re.compile("^Sign in")).first.click()
    page.wait_for_url(f"{app.provider.issuer}/interaction/**", timeout=30_000)
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{app.url}/**", timeout=30_000)


def test_signed_out_every_page_and_deep_link_shows_only_the_sign_in(
        browser_page: Any, app: AuthApp) -> None:
    page = browser_page
    # A deep link as the server's very first request: Streamlit's legacy pages/ mode
    # would run pages/history.py without app.py (interviewkit/ui/__init__.py).
    for path in PAGE_PATHS[1:2] + PAGE_PATHS:
        page.goto(f"{app.url}/{path}")
        _assert_signed_out_screen(page, f"/{path}")
    for path in ("history?kit=1", "?page=history"):
        page.goto(f"{app.url}/{path}")
        _assert_signed_out_screen(page, f"/{path}")


def test_an_allowed_user_signs_in_sees_the_pages_and_signs_out(browser_page: Any,
                                                               app: AuthApp) -> None:
    page = browser_page
    page.goto(f"{app.url}/history")
    _sign_in(page, app, ALLOWED)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text(f"Signed in as {ALLOWED.name} (recruiter)").wait_for(timeout=30_000)
    assert sidebar.get_by_text(ALLOWED.email).count() == 1
    for name in NAV_NAMES:
        assert page.get_by_role("link", name=name).count() == 1, name
    page.get_by_role("heading", name="Interview Kit").wait_for()  # Generate, the default
    page.get_by_role("link", name="History").click()
    page.get_by_role("heading", name="History").wait_for(timeout=30_000)
    page.goto(f"{app.url}/history")  # a new session: the identity cookie signs it in
    page.get_by_role("heading", name="History").wait_for(timeout=30_000)
    sidebar.get_by_text("Signed in as").wait_for()

    sidebar.get_by_role("button", name="Sign out").click()
    # The provider offers an end_session_endpoint, so Streamlit ends its session too.
    page.wait_for_url(f"{app.provider.issuer}/session/end**", timeout=30_000)
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{app.url}/**", timeout=30_000)
    _assert_signed_out_screen(page, "after sign-out")
    assert not [c for c in page.context.cookies(app.url) if c["name"] == "_streamlit_user"]
    page.goto(f"{app.url}/history")
    _assert_signed_out_screen(page, "/history after sign-out")


@pytest.mark.parametrize(("user", "why"), [(OUTSIDER, "not authorised to use"),
                                           (UNVERIFIED, "is not verified")])
def test_a_user_not_on_the_allow_list_sees_not_authorised_and_nothing_else(
        browser_page: Any, app: AuthApp, user: Account, why: str) -> None:
    page = browser_page
    page.goto(app.url)
    _sign_in(page, app, user)
    page.get_by_text("Not authorised.").wait_for(timeout=30_000)
    page.get_by_role("button", name="Sign out").wait_for()
    page.wait_for_timeout(300)
    lines = _lines(page)
    assert lines[0] == "Interview Kit" and lines[-1] == "Sign out", lines
    assert len(lines) == 3 and why in lines[1] and user.email in lines[1], lines
    for path in ("history", "admin", ""):  # deep links, same browser, same cookie
        page.goto(f"{app.url}/{path}")
        page.get_by_text("Not authorised.").wait_for(timeout=30_000)
        page.wait_for_timeout(300)
        shown = _everything(page)
        assert CANDIDATE not in shown and "Signed in as" not in shown, path
        assert not [name for name in NAV_NAMES if page.get_by_role("link", name=name).count()]
        assert page.locator("[data-testid='stSidebar']").count() == 0
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{app.url}/**", timeout=30_000)
    _assert_signed_out_screen(page, "after the refused user signed out")


def test_an_expired_id_token_asks_for_a_new_sign_in(browser_page: Any,
                                                    tmp_path: Path) -> None:
    """Streamlit keeps the cookie for 30 days; the gate honours the token's own ``exp``."""
    ttl = 8  # long enough for a sign-in to render on a busy machine, short enough to wait for
    _seed_history(tmp_path)
    with AuthApp(tmp_path, _env(tmp_path), id_token_ttl=ttl) as app:
        page = browser_page
        page.goto(app.url)
        _sign_in(page, app, ALLOWED)
        page.get_by_text("Signed in as").wait_for(timeout=30_000)
        issued_by = time.time()  # the token was issued before the page said "Signed in as"
        time.sleep(max(0.0, issued_by + ttl + EXPIRY_LEEWAY_S + 1 - time.time()))
        assert [c for c in page.context.cookies(app.url) if c["name"] == "_streamlit_user"]
        page.goto(f"{app.url}/history")  # the cookie is still there, the token is not valid
        page.get_by_text("Your sign-in has expired").wait_for(timeout=30_000)
        page.wait_for_timeout(300)
        shown = _everything(page)
        assert CANDIDATE not in shown and "Signed in as" not in shown
        assert page.get_by_role("button", name="Sign in again").count() == 1
        _sign_in(page, app, ALLOWED)  # a fresh token: back in
        page.get_by_text("Signed in as").wait_for(timeout=30_000)


CV = (f"{CANDIDATE}\nzebulon.q@example.org · +44 7700 900456\n\nExperience\n"
      "Staff engineer, Initech (2019-2024)\n- Rebuilt the ledger service in Rust, cutting "
      "p99 latency from 900 ms to 60 ms\n- Led the migration of 40 services to Kubernetes\n")
API_KEY = "sk-test-LEAKCHECK-8f3a1c9e5b7d"
KIT = ("### 1. How did you cut the ledger's p99 latency?\n**Listen for:**\n- numbers\n"
       "**Follow-up:** What would you measure first?\n")


def test_the_app_log_of_a_sign_in_and_a_kit_holds_no_cv_address_or_key(
        browser_page: Any, tmp_path: Path) -> None:
    """Everything a recruiter's session puts through the server, then grep its log."""
    with MockOpenAIServer(default=Reply(text=KIT)) as mock:
        env = _env(tmp_path, OPENAI_BASE_URL=mock.base_url, OPENAI_API_KEY=API_KEY,
                   INTERVIEWKIT_MODEL="mock-model")
        with AuthApp(tmp_path, env, log_level="debug") as app:
            page = browser_page
            page.goto(app.url)
            _sign_in(page, app, OUTSIDER)  # a refusal is logged too, if anything is
            page.get_by_text("Not authorised.").wait_for(timeout=30_000)
            page.get_by_role("button", name="Sign out").click()
            page.get_by_role("button", name="Yes, sign me out").click()
            page.wait_for_url(f"{app.url}/**", timeout=30_000)
            _sign_in(page, app, ALLOWED)
            page.get_by_text("Paste text").click(timeout=30_000)
            page.get_by_label("CV text").fill(CV)
            page.get_by_label("CV text").press("Control+Enter")
            page.get_by_text("Whole kit: one request").click()
            page.wait_for_timeout(500)
            page.get_by_role("button", name="Generate interview kit").click()
            page.get_by_text("Status: Complete").wait_for(timeout=60_000)
            assert "ledger" in _main(page)
            secret = (tmp_path / "secrets.toml").read_text(encoding="utf-8")
        assert len(mock.requests) == 1, "the kit came from the mock model"
    log = app.log.read_text(encoding="utf-8", errors="replace")
    assert "Uvicorn running" in log or "You can now view" in log, "the log was captured"
    cookie_secret = re.search(r'cookie_secret = "(\w+)"', secret)
    assert cookie_secret is not None
    needles = {
        "API key": API_KEY, "client secret": app.provider.client_secret,
        "cookie secret": cookie_secret[1], "candidate name": CANDIDATE,
        "candidate e-mail": "zebulon.q@example.org", "candidate phone": "7700 900456",
        "CV line": "Rebuilt the ledger service", "CV line 2": "migration of 40 services",
        **{f"{u.login}'s e-mail": u.email for u in (ALLOWED, OUTSIDER, UNVERIFIED)},
        **{f"{u.login}'s e-mail (local part)": u.email.split("@")[0]
           for u in (ALLOWED, OUTSIDER)},
        **{f"{u.login}'s name": u.name for u in (ALLOWED, OUTSIDER)},
    }
    leaked = {what: value for what, value in needles.items() if value.casefold() in
              log.casefold()}
    assert leaked == {}, f"the app log of {app.log} contains {sorted(leaked)}"
