"""Who sees which candidate, end to end: real Chromium, the real OIDC provider, the real app.

One ``streamlit run app.py`` and one ``oidc-provider`` for the module
(:class:`tests.oidc.harness.AuthApp`), the history seeded before the server starts:
recruiter Rita owns two kits filed under one role, one **private** (and frozen as the
role's kit), one **team**-visible.  Each user signs in through the provider's own login
form in a browser context of their own, and every websocket frame the server sends them
is kept, so "not shown" is checked as "never sent": a candidate a user may not open
appears neither in the page's HTML (the grids' accessible cells included) nor in
anything the browser received.

The tests are one story, in file order: a colleague probes the private kit, its owner
shares it with an interviewer, the interviewer scores it, an admin reads the trail.
A test run on its own (``-k``) first plays the steps it builds on (:func:`_after`).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from interviewkit.access.model import Role, User
from interviewkit.access.scope import Scope
from interviewkit.config import DB_FILENAME
from interviewkit.history import Store
from interviewkit.history.audit import candidate_ref
from interviewkit.history.schema import AUDIT, SCORECARD_ITEMS, SCORECARDS, SHARES
from interviewkit.history.store import candidate_key
from interviewkit.kit.model import Visibility
from interviewkit.roles import RoleBook
from interviewkit.ui.interview_view import NOTES_PREFIX, _base
from tests.kit.test_kit import make_kit
from tests.oidc.harness import ALLOWED_DOMAIN, USERS, Account, AuthApp
from tests.ui.test_auth_browser import _sign_in
from tests.ui.test_browser import CHROMIUM, LAUNCH_ARGS, _need_browser, _server_env, idle

pytestmark = pytest.mark.browser

OWNER, COLLEAGUE, INTERVIEWER, ADMIN = (USERS[n] for n in ("rita", "bruno", "ines", "ada"))

PRIVATE = "Octavia Brennerman"  # Rita's private kit: only Rita, those she shares with, admins
PRIVATE_CV = (f"{PRIVATE}\noctavia.b@example.org · +44 7700 900777\n\n"
              "Principal engineer at Quillfeather Payments (2018-2025).")
PRIVATE_KIT = ("### 1. Walk me through the Quillfeather settlement outage you led.\n"
               "**Listen for:**\n- a timeline\n- who was paged\n"
               "**Follow-up:** Which alert fired first?\n\n"
               "### 2. How did you size the settlement batch window?\n"
               "**Listen for:**\n- numbers\n**Follow-up:** What would you measure today?\n")
PRIVATE_SECRETS = (PRIVATE, "octavia.b@example.org", "Quillfeather")
TEAM = "Teodor Lindqvist"  # Rita's team kit: every recruiter and admin, not interviewers
TEAM_CV = f"{TEAM}\nteodor.l@example.org · +46 70 123 45 67\n\nStaff engineer at Initrode."
TEAM_SECRETS = (TEAM, "teodor.l@example.org", "Initrode", "scale the Django service")
ROLE_TITLE = "Platform Engineer"
NOTES = "Paged within four minutes; rolled back the batch job first."
NOT_YOURS = "that you can open (deleted, or not shared with you)"


@dataclass(frozen=True)
class Seeded:
    private_id: int
    team_id: int


@dataclass
class World:
    """The module's server, its database, the seeded ids and the steps already played."""

    app: AuthApp
    db: str
    ids: Seeded
    browser: Any
    done: set[str] = field(default_factory=set)


@dataclass
class Session:
    """One signed-in browser context, with every websocket frame the server sent it."""

    page: Any
    world: World
    frames: list[bytes]

    def goto(self, path: str, marker: str) -> None:
        """Open ``/path``, wait for ``marker`` and for the script run to finish."""
        self.page.goto(f"{self.world.app.url}/{path}")
        self.page.get_by_text(marker).first.wait_for(timeout=30_000)
        idle(self.page)

    def leaked(self, secrets: tuple[str, ...]) -> list[str]:
        """Which of ``secrets`` the browser was sent or shows (case-insensitive)."""
        seen = (b"".join(self.frames).decode("utf-8", "replace") + self.page.content()
                + self.page.locator("body").inner_text()).casefold()
        return [s for s in secrets if s.casefold() in seen]


def _user(account: Account, role: Role) -> User:
    return User(account.email, account.name, role)


def _seed(db: str) -> Seeded:
    """Rita's role and her two kits in the app's database, before the server starts."""
    owner = _user(OWNER, Role.RECRUITER)
    with Store(db) as store:
        book = RoleBook(Scope(store, owner))
        role_id = book.create(ROLE_TITLE, f"{ROLE_TITLE}\nGo, Kubernetes, payments")
        private_id = store.save(make_kit(
            PRIVATE, markdown=PRIVATE_KIT, cv_text=PRIVATE_CV, cv_name="cv-1.pdf",
            cv_sha256="a1" * 32, owner=owner.key, visibility=Visibility.PRIVATE,
            role_id=role_id))
        team_id = store.save(make_kit(
            TEAM, cv_text=TEAM_CV, cv_name="cv-2.pdf", cv_sha256="b2" * 32, owner=owner.key,
            visibility=Visibility.TEAM, role_id=role_id))
        book.freeze(role_id, private_id)  # the role's kit: Generate offers its questions
    return Seeded(private_id, team_id)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    sync_playwright = _need_browser()
    tmp = tmp_path_factory.mktemp("access")
    (tmp / "home").mkdir()
    db = f"sqlite:///{tmp / 'home' / DB_FILENAME}"
    ids = _seed(db)
    env = _server_env(tmp, INTERVIEWKIT_ALLOWED_DOMAINS=ALLOWED_DOMAIN,
                      INTERVIEWKIT_RECRUITERS=f"{OWNER.email},{COLLEAGUE.email}",
                      INTERVIEWKIT_ADMINS=ADMIN.email)
    with AuthApp(tmp, env) as app, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield World(app, db, ids, browser)
        finally:
            browser.close()


@contextmanager
def signed_in(world: World, account: Account, role: Role) -> Iterator[Session]:
    """A fresh browser context (no cookies) signed in through the provider's form."""
    context = world.browser.new_context(viewport={"width": 1400, "height": 1000})
    frames: list[bytes] = []

    def keep(payload: bytes | str) -> None:
        frames.append(payload if isinstance(payload, bytes) else payload.encode())

    page = context.new_page()
    page.on("websocket", lambda ws: ws.on("framereceived", keep))
    try:
        page.goto(world.app.url)
        _sign_in(page, world.app, account)
        page.locator("[data-testid='stSidebar']").get_by_text(
            f"Signed in as {account.name} ({role.value})").wait_for(timeout=30_000)
        idle(page)
        yield Session(page, world, frames)
    finally:
        context.close()


def _options(page: Any, key: str) -> list[str]:
    """The choices a selectbox (widget key ``key``) offers, read from its open list."""
    page.locator(f".st-key-{key} button[aria-label='Open']").click()
    page.get_by_role("option").first.wait_for(timeout=10_000)
    texts = [t.strip() for t in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    return texts


def _cells(page: Any, column: str) -> list[str]:
    """The cells of the dataframe with a ``column`` header, as its accessible table has them."""
    grid = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").filter(
        has=page.locator("th", has_text=column))
    grid.locator("td").first.wait_for(state="attached", timeout=30_000)
    return [t.strip() for t in grid.locator("td").all_inner_texts()]


def _audit(db: str, **where: str) -> list[dict[str, Any]]:
    with Store(db) as store, store.engine.connect() as conn:
        query = sa.select(AUDIT).order_by(AUDIT.c.id)
        for column, value in where.items():
            query = query.where(AUDIT.c[column] == value)
        return [dict(r) for r in conn.execute(query).mappings()]


def _label(kit_id: int, candidate: str) -> str:
    """How the kit pickers name a seeded kit."""
    return f"#{kit_id} · 2025-03-14 09:26 · {candidate} · Technical screen"


def _denied(db: str, who: str, kit_id: int, detail: str | None = None) -> int:
    """How many refusals of ``who`` on kit ``kit_id`` the trail holds."""
    where = {"detail": detail} if detail else {}
    return len(_audit(db, actor=who, action="denied", target_kind="kit",
                      target_id=str(kit_id), **where))


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


# --- the story's steps (each test plays one; a test run alone plays the earlier ones) ----

def _colleague_probes(world: World) -> None:
    """Recruiter Bruno: the team kit yes, Rita's private kit through no URL at all."""
    ids, me = world.ids, COLLEAGUE.email
    p, team = ids.private_id, [_label(ids.team_id, TEAM)]
    with signed_in(world, COLLEAGUE, Role.RECRUITER) as s:
        page = s.page
        s.goto("history", "1 kit(s)")
        assert _options(page, "hist_open") == team
        assert _options(page, "hist_candidate") == ["(all)", TEAM]
        page.get_by_role("heading", name=TEAM).wait_for()  # the team kit opens
        table = _cells(page, "visibility")
        assert str(ids.team_id) in table and TEAM in table and str(p) not in table, table
        assert s.leaked(TEAM_SECRETS) == list(TEAM_SECRETS), "what is sent is seen below"
        # not his to change: no Rename or Delete (the package refuses it too, tests/access)
        assert page.get_by_role("button", name="Re-run").count() == 1
        for label in ("Delete this kit", "Delete candidate", "Save name"):
            assert page.get_by_role("button", name=label).count() == 0, label

        s.goto(f"history?kit={p}", "1 kit(s)")  # History has no ?kit=: the same list
        assert _options(page, "hist_open") == team
        for query in (f"kit={p}", f"kit={p}&interviewer=Bruno%20Colleague", f"kit=0{p}"):
            before = _denied(world.db, me, p)
            s.goto(f"interview?{query}", f"No kit #{p} {NOT_YOURS}")
            assert _denied(world.db, me, p) > before, f"{query}: the refusal is audited"
            assert page.get_by_role("heading", name=PRIVATE).count() == 0
            assert page.get_by_text("Scoring as").count() == 1  # the page, but no kit open
            assert _options(page, "iv_kit") == team, query
        assert _denied(world.db, me, p) == _denied(world.db, me, p, "read")

        quiet = _denied(world.db, me, p)  # a role pointing at the kit is not a probe
        s.goto(f"roles?kit={p}", ROLE_TITLE)  # the role is everyone's; its kits are not
        page.get_by_role("tab", name="Candidates & kits").click()
        assert _options(page, "roles_kit") == team
        kits = _cells(page, "frozen")
        assert TEAM in kits and str(p) not in kits, kits
        s.goto(f"?kit={p}", "Upload a CV")  # Generate, the role chosen: not the frozen kit
        page.locator(".st-key-gen_role button[aria-label='Open']").click()
        page.get_by_role("option", name=ROLE_TITLE).click()
        job = page.get_by_label("Job description (optional)")
        _wait_for(lambda: "Go, Kubernetes" in job.input_value(), "the role's job filled in")
        idle(page)
        assert page.get_by_text("Ask the role's frozen questions").count() == 0
        assert _denied(world.db, me, p) == quiet

        assert s.leaked(PRIVATE_SECRETS) == [], "sent to a recruiter it is not shared with"
    assert not _audit(world.db, actor=me, action="view", target_kind="kit", target_id=str(p))
    assert _audit(world.db, actor=me, action="view", target_kind="kit",
                  target_id=str(ids.team_id))
    assert _audit(world.db, actor=me, action="sign_in")
    with Store(world.db) as store:
        assert sorted(k.id for k in store.search()) == sorted([ids.team_id, p]), "deleted"
    world.done.add("probe")


def _owner_shares(world: World) -> None:
    """Rita opens her private kit in History and shares it with Ines by e-mail."""
    p = world.ids.private_id
    with signed_in(world, OWNER, Role.RECRUITER) as s:
        page = s.page
        s.goto("history", "2 kit(s)")
        page.locator(".st-key-hist_open button[aria-label='Open']").click()
        page.get_by_role("option", name=PRIVATE).click()
        page.get_by_role("heading", name=PRIVATE).wait_for(timeout=30_000)
        page.get_by_text("Walk me through the Quillfeather").wait_for()
        idle(page)
        page.get_by_text("Sharing · private").click()
        email = page.get_by_label("Share with (e-mail address)")
        email.fill(INTERVIEWER.email.title())  # as typed: any case
        email.press("Enter")
        idle(page)
        page.get_by_role("button", name="Share", exact=True).click()
        page.get_by_text(f"Shared with {INTERVIEWER.email}").wait_for(timeout=30_000)
    with Store(world.db) as store, store.engine.connect() as conn:
        shares = conn.execute(sa.select(SHARES.c.kit_id, SHARES.c.grantee,
                                        SHARES.c.granted_by)).all()
    assert [tuple(r) for r in shares] == [(p, INTERVIEWER.email, OWNER.email)]
    shared = _audit(world.db, actor=OWNER.email, action="share", target_kind="kit",
                    target_id=str(p))
    assert [(r["actor_role"], r["detail"]) for r in shared] == [
        ("recruiter", "shared with a user")]
    assert _audit(world.db, actor=OWNER.email, action="view", target_kind="kit", target_id=str(p))
    world.done.add("share")


def _interviewer_scores(world: World) -> None:
    """Ines: only the kit shared with her; no Generate, no audit page; notes save as typed."""
    ids, me = world.ids, _user(INTERVIEWER, Role.INTERVIEWER)
    p = ids.private_id
    with signed_in(world, INTERVIEWER, Role.INTERVIEWER) as s:
        page = s.page
        page.get_by_text("making kits is for recruiters and admins").wait_for()  # Generate
        assert page.get_by_role("button", name="Generate interview kit").count() == 0
        assert page.get_by_text("Upload a CV").count() == 0

        s.goto("history", "1 kit(s)")
        assert _options(page, "hist_open") == [_label(p, PRIVATE)]
        page.get_by_role("heading", name=PRIVATE).wait_for()
        assert page.get_by_text("Sharing ·").count() == 0
        assert page.get_by_role("button", name="Delete this kit").count() == 0

        s.goto(f"interview?kit={ids.team_id}", f"No kit #{ids.team_id} {NOT_YOURS}")
        s.goto(f"interview?kit={p}", f"Scoring as {INTERVIEWER.name}")
        page.get_by_role("heading", name=PRIVATE).wait_for(timeout=30_000)
        notes = page.locator(f".st-key-{NOTES_PREFIX}{_base(p, me)}_1 textarea")
        notes.click()
        notes.press_sequentially(NOTES, delay=20)

        with Store(world.db) as store:
            def saved() -> bool:
                with store.engine.connect() as conn:
                    found = conn.execute(
                        sa.select(SCORECARDS.c.interviewer_key, SCORECARDS.c.interviewer,
                                  SCORECARD_ITEMS.c.notes)
                        .join(SCORECARD_ITEMS,
                              SCORECARD_ITEMS.c.scorecard_id == SCORECARDS.c.id)
                        .where(SCORECARDS.c.kit_id == p, SCORECARD_ITEMS.c.number == 1)).all()
                return [tuple(r) for r in found] == [(me.key, INTERVIEWER.name, NOTES)]

            _wait_for(saved, "Ines's notes in her own scorecard")  # no click: autosave
        page.get_by_text(re.compile(r"Saved \d\d:\d\d")).first.wait_for(timeout=15_000)
        assert s.leaked(PRIVATE_SECRETS) == list(PRIVATE_SECRETS), "what is sent is seen"

        s.goto("admin", "Only admins see the audit trail")
        assert page.get_by_role("heading", name="Audit trail").count() == 0
        s.goto("roles", ROLE_TITLE)  # the role of the kit shared with her, that kit only
        page.get_by_role("tab", name="Candidates & kits").click()
        assert _options(page, "roles_kit") == [_label(p, PRIVATE)]
        assert s.leaked(TEAM_SECRETS) == [], "the team kit was sent to an interviewer"
    assert _audit(world.db, actor=me.key, action="view", target_kind="kit", target_id=str(p))
    assert _denied(world.db, me.key, ids.team_id, "read")
    world.done.add("interview")


STEPS: dict[str, Callable[[World], None]] = {
    "probe": _colleague_probes, "share": _owner_shares, "interview": _interviewer_scores}


def _after(world: World, *steps: str) -> None:
    for step in steps:
        if step not in world.done:
            STEPS[step](world)


# --- the tests ----------------------------------------------------------------------

def test_a_recruiter_cannot_open_a_colleagues_private_kit_by_any_url(world: World) -> None:
    _colleague_probes(world)


def test_the_owner_shares_her_private_kit_from_history_on_record(world: World) -> None:
    _owner_shares(world)


def test_an_interviewer_sees_and_scores_only_the_kit_shared_with_them(world: World) -> None:
    _after(world, "share")
    _interviewer_scores(world)


def test_the_admin_reads_every_users_access_in_the_audit_trail_without_a_name(
        world: World, tmp_path: Path) -> None:
    _after(world, "probe", "share", "interview")
    users = {OWNER.email, COLLEAGUE.email, INTERVIEWER.email}
    with signed_in(world, ADMIN, Role.ADMIN) as s:
        page = s.page
        s.goto("history", "2 kit(s)")  # an admin sees every kit
        s.frames.clear()
        s.goto("admin", "Audit trail")
        caption = page.get_by_text(re.compile(r"^\d+ row\(s\)")).inner_text()
        with page.expect_download() as download:
            page.get_by_test_id("stDownloadButton").get_by_role(
                "button", name="Download as CSV").click()
        path = tmp_path / "audit.csv"
        download.value.save_as(path)
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert caption.startswith(f"{len(rows)} row(s)"), caption  # the CSV is the table
        assert len(rows) <= len(_audit(world.db))
        did = {(r["who"], r["action"]) for r in rows}
        for who, action in [(OWNER.email, "view"), (OWNER.email, "share"),
                            (OWNER.email, "sign_in"), (COLLEAGUE.email, "denied"),
                            (COLLEAGUE.email, "view"), (COLLEAGUE.email, "sign_in"),
                            (INTERVIEWER.email, "view"), (INTERVIEWER.email, "denied"),
                            (INTERVIEWER.email, "sign_in"), (ADMIN.email, "sign_in")]:
            assert (who, action) in did, (who, action)
        assert users <= {r["who"] for r in rows}
        page.get_by_label("User (e-mail)").fill(COLLEAGUE.email)  # the page's filters
        page.get_by_label("User (e-mail)").press("Enter")
        idle(page)
        page.locator(".st-key-adm_action button[aria-label='Open']").click()
        page.get_by_role("option", name="denied", exact=True).click()
        mine = len(_audit(world.db, actor=COLLEAGUE.email, action="denied"))
        page.get_by_text(re.compile(rf"^{mine} row\(s\)")).wait_for(timeout=30_000)
        idle(page)
        columns = 8  # when, who, role, action, what, id, candidate ref, detail
        _wait_for(lambda: len(_cells(page, "candidate ref")) == mine * columns,
                  "the grid's cells redrawn for the filtered rows")  # a paint behind the data
        shown = _cells(page, "candidate ref")
        assert set(shown) & users == {COLLEAGUE.email}, shown
        assert "denied" in shown and not {"view", "sign_in", "share"} & set(shown), shown
        assert s.leaked(PRIVATE_SECRETS + TEAM_SECRETS) == [], "a name on the audit page"
    trail = _audit(world.db)
    text = repr(trail).casefold()
    assert [s for s in PRIVATE_SECRETS + TEAM_SECRETS if s.casefold() in text] == []
    views = [r for r in trail if (r["action"], r["target_kind"], r["target_id"])
             == ("view", "kit", str(world.ids.private_id))]
    assert {r["candidate_ref"] for r in views} == {candidate_ref(candidate_key(PRIVATE))}
