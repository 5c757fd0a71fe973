"""Issue #12's "Done when", end to end in real headless Chromium against ``streamlit run
app.py`` in open mode (no sign-in), through the pages only.

A recruiter creates a role and batch-generates kits for 10 CVs for it (the local mock
model serves short planned kits); one candidate is interviewed by two interviewers in
their own browser contexts - the first one's notes and scores survive a reload, the
second sees none of them until their own scorecard is submitted; the comparison page
shows the scored candidate's mean, marks the missing scorecards of the other nine and
draws the chart; and everything is exported: the batch ZIP, the filled scorecard
(DOCX) and the matrix (CSV, XLSX), each read back.

The database is only read, to wait for an autosave and to learn what the page already
showed; every write goes through the pages.
"""

from __future__ import annotations

import csv
import importlib
import io
import itertools
import re
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from interviewkit.access.model import LOCAL_USER
from interviewkit.config import DB_FILENAME
from interviewkit.history import Store
from interviewkit.history.schema import SCORECARD_ITEMS, SCORECARDS
from interviewkit.interview import interviewer_for
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from interviewkit.ui.interview_view import NOTES_PREFIX, _base
from tests.batch.conftest import question, text_cv
from tests.conftest import CORPUS, corpus_manifest
from tests.ui.test_browser import StreamlitServer, _server_env
from tests.ui.test_browser import browser_page as browser_page  # the shared fixture

pytestmark = pytest.mark.browser

ROLE = "Platform Engineer"
JOB = """Platform Engineer
Requirements:
- 5+ years building backend services in Python or Go
- Experience with PostgreSQL and distributed systems
Nice to have:
- Kubernetes
"""
# Corpus CVs with a text layer and enough passages for a 3-question plan, quick to read.
CVS = ("sb2nov_resume_one_column.pdf", "rendercv_classic_2p.pdf",
       "deedy_resume_two_column_openfont.pdf", "awesomecv_resume_en.pdf",
       "altacv_sample_two_column.pdf", "resumematcher_modern_two_column.pdf",
       "openresume_laverne_quartz.pdf", "rendercv_skill_icons.pdf",
       "moderncv_template_es.pdf", "korean_resume_chrome_hanguk.pdf")
COUNT, QUESTIONS = 10, 3
LOG = "streamlit.log"  # the server's log, in the test's tmp_path
DEFERRED_LOST = "Deferred file"  # Streamlit: "Deferred file <id> not found"


@dataclass(frozen=True)
class Interviewer:
    name: str
    scores: dict[int, int]  # question number -> score
    notes: dict[int, str]  # question number -> notes typed
    recommendation: str
    summary: str


FIRST = Interviewer("Jane Roe", {1: 4, 2: 5, 3: 3},
                    {1: "Walked through the ledger sharding; clear about the trade-offs.",
                     2: "결제 장애를 직접 해결함, measured p99 before and after."},
                    "Yes", "Strong on systems design.")
SECOND = Interviewer("Sam Lee", {1: 2, 2: 3, 3: 4},
                     {1: "Vague on the rollout plan."}, "Mixed", "Needs a second look.")
# Every submitted score of the candidate pooled, and each interviewer's own mean.
MEAN = sum([*FIRST.scores.values(), *SECOND.scores.values()]) / 6  # 3.5
LOW, HIGH = sorted(sum(i.scores.values()) / QUESTIONS for i in (FIRST, SECOND))  # 3.0, 4.0


def _cvs(folder: Path) -> list[Path]:
    """Ten CVs: the corpus PDFs above where present, topped up with generated text CVs."""
    listed = {row["file"] for row in corpus_manifest("cv")}
    found = [CORPUS / "cv" / name for name in CVS
             if name in listed and (CORPUS / "cv" / name).exists()]
    folder.mkdir()
    for n in range(COUNT - len(found)):
        path = folder / f"generated-cv-{n}.txt"
        path.write_bytes(text_cv(n))
        found.append(path)
    return found


def _answers() -> Callable[[dict[str, Any]], Reply]:
    """A short planned answer per request, its own words each time (no "too alike")."""
    counter, lock = itertools.count(1), threading.Lock()

    def answer(body: dict[str, Any]) -> Reply:
        with lock:
            n = next(counter)
        return Reply(text=question(n), delay=0.002)
    return answer


# --- small page helpers ---------------------------------------------------------------

def _main(page: Any) -> Any:
    return page.locator("[data-testid='stMain']")


def _choose(page: Any, key: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox with widget key ``key``."""
    page.locator(f".st-key-{key} [role=combobox]").click()
    page.get_by_role("option", name=option, exact=True).click()


SAVED = re.compile(r"Saved \d\d:\d\d:\d\d")  # not "Not saved yet · saves as you type"


def _saved(page: Any, base: str, part: str) -> Any:
    """The "Saved hh:mm:ss" caption of one question (or of the overall part)."""
    return page.locator(f".st-key-{NOTES_PREFIX}{base}_{part}").locator("..").get_by_text(
        SAVED)


def _download(page: Any, button: Any, target: Path) -> Path:
    """Click a download button and save the file (next to the server's log).

    Every download is built when clicked and audited by its builder, never by
    ``on_click`` (whose rerun used to drop the builder: "Deferred file … not found", a
    click that downloaded nothing); so one click must always download.
    """
    with page.expect_download(timeout=30_000) as info:
        button.click()
    info.value.save_as(target)
    log = (target.parent / LOG).read_text(errors="replace")
    assert DEFERRED_LOST not in log, "a download was lost"
    return target


def _items(url: str, name: str) -> dict[int, tuple[str, int | None]]:
    """One interviewer's saved notes and scores, by question (read only)."""
    key = interviewer_for(LOCAL_USER, name).key
    with Store(url) as store, store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(SCORECARD_ITEMS.c.number, SCORECARD_ITEMS.c.notes, SCORECARD_ITEMS.c.score)
            .join(SCORECARDS, SCORECARDS.c.id == SCORECARD_ITEMS.c.scorecard_id)
            .where(SCORECARDS.c.interviewer_key == key)).all()
    return {number: (notes, score) for number, notes, score in rows}


def _wait_saved(url: str, who: Interviewer, timeout: float = 30.0) -> None:
    """Until every note and score typed is in the database (the autosave is debounced)."""
    want = {n: (who.notes.get(n, ""), s) for n, s in who.scores.items()}
    deadline = time.monotonic() + timeout
    while (got := _items(url, who.name)) != want:
        if time.monotonic() > deadline:
            raise AssertionError(f"not saved: {got} != {want}")
        time.sleep(0.1)


# --- the steps --------------------------------------------------------------------------

def _create_role(page: Any, url: str) -> None:
    page.goto(url)  # the root first: st.navigation then owns the page URLs
    page.get_by_role("link", name="Roles & comparison").click()
    page.get_by_text("No roles yet").wait_for(timeout=30_000)
    page.get_by_test_id("stExpander").get_by_text("New role").click()
    page.get_by_label("Job title").fill(ROLE)
    page.get_by_label("Job description").fill(JOB)
    page.get_by_role("button", name="Create role").click()
    page.get_by_text(f"Role “{ROLE}” created.").wait_for(timeout=15_000)
    page.get_by_role("heading", name=ROLE).wait_for(timeout=15_000)


def _batch(page: Any, cvs: list[Path]) -> None:
    """Ten CVs for the role, 3 questions each, until every row is done."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Batch").click()
    page.get_by_text("CVs: PDF, .txt or .md files, or one ZIP").wait_for(timeout=30_000)
    _choose(page, "batch_role", ROLE)
    page.get_by_text(f"Job description of {ROLE}").wait_for(timeout=15_000)
    questions = page.get_by_label("Number of questions")
    questions.fill(str(QUESTIONS))
    questions.press("Enter")
    expect(questions).to_have_value(str(QUESTIONS))
    page.locator("input[type=file]").set_input_files([str(p) for p in cvs])
    start = page.get_by_role("button", name="Start")
    expect(start).to_be_enabled(timeout=30_000)  # every file is uploaded
    start.click()
    page.get_by_text(f"{COUNT} of {COUNT} CV(s) ended").wait_for(timeout=180_000)
    download = page.get_by_role("button", name="Download all (ZIP)")
    expect(download).to_be_enabled(timeout=15_000)
    rows = _main(page).locator("table tbody tr")
    assert rows.count() == COUNT
    for row in rows.all():
        cells = row.locator("td, th").all_inner_texts()
        assert "done" in " ".join(cells), cells
        assert re.fullmatch(r"#\d+", cells[5].strip()), cells  # the kit's id
        assert cells[6].strip() == str(QUESTIONS), cells


def _open_interview(page: Any, url: str, who: Interviewer) -> tuple[int, str, str]:
    """From the role's kits to Interview mode, as ``who``: the kit id, the widget key base
    and the candidate's name."""
    page.goto(url)
    page.get_by_role("link", name="Roles & comparison").click()
    page.get_by_role("heading", name=ROLE).wait_for(timeout=30_000)
    page.get_by_role("tab", name="Candidates & kits").click()
    _main(page).get_by_role("link", name="Interview mode").click()
    page.wait_for_url(re.compile(r"/interview\?kit=\d+"), timeout=15_000)
    match = re.search(r"kit=(\d+)", page.url)
    assert match, page.url
    kit_id = int(match.group(1))
    name = page.get_by_label("Your name (interviewer)", exact=True)
    name.fill(who.name)
    name.press("Enter")
    base = _base(kit_id, interviewer_for(LOCAL_USER, who.name))
    page.locator(f".st-key-{NOTES_PREFIX}{base}_1 textarea").wait_for(timeout=15_000)
    page.wait_for_url(re.compile(r"interviewer="), timeout=15_000)
    candidate = _main(page).locator("h3").first.inner_text().strip()
    return kit_id, base, candidate


def _fill(page: Any, base: str, who: Interviewer, url: str) -> None:
    """Notes and scores entered as an interviewer would, without waiting in between: the
    first score is clicked right after the last notes are typed, so that click blurs those
    notes, and both reach the server as one rerun of the notes' question.  Then waits for
    every question's "Saved" caption and for the database to hold all of it."""
    *first, last = who.notes.items()
    for number, text in first:
        notes = page.locator(f".st-key-{NOTES_PREFIX}{base}_{number} textarea")
        notes.click()
        notes.press_sequentially(text, delay=10)
        _saved(page, base, str(number)).wait_for(timeout=15_000)  # the autosave committed it
    notes = page.locator(f".st-key-{NOTES_PREFIX}{base}_{last[0]} textarea")
    notes.click()
    notes.press_sequentially(last[1], delay=10)
    for number, score in who.scores.items():
        page.locator(f".st-key-iv_score_{base}_{number}").get_by_role(
            "radio", name=str(score), exact=True).click()
    for number in who.scores:
        _saved(page, base, str(number)).wait_for(timeout=15_000)
    _wait_saved(url, who)


def _all_back(page: Any, base: str, who: Interviewer) -> None:
    for number, text in who.notes.items():
        notes = page.locator(f".st-key-{NOTES_PREFIX}{base}_{number} textarea")
        notes.wait_for(timeout=30_000)
        assert notes.input_value() == text
    for number, score in who.scores.items():
        chosen = page.locator(f".st-key-iv_score_{base}_{number} [aria-checked='true']")
        assert chosen.inner_text().strip() == str(score), f"Q{number}'s score is back"
    assert page.get_by_text(SAVED).count() >= QUESTIONS


def _submit(page: Any, base: str, who: Interviewer) -> None:
    page.locator(f".st-key-iv_rec_{base}").get_by_role("radio", name=who.recommendation,
                                                          exact=True).click()
    summary = page.locator(f".st-key-{NOTES_PREFIX}{base}_summary textarea")
    summary.click()
    summary.press_sequentially(who.summary, delay=5)
    summary.press("Control+Enter")
    _saved(page, base, "summary").wait_for(timeout=15_000)
    page.get_by_role("button", name="Submit scorecard").click()
    page.get_by_role("button", name="Yes, submit").click()
    page.get_by_text("Scorecard submitted.").wait_for(timeout=15_000)


def _hidden_from(page: Any, other: Interviewer) -> None:
    """Nothing of ``other``'s scorecard is on the page, only that it exists."""
    page.get_by_text("1 other scorecard(s) on this kit, hidden until you submit").wait_for(
        timeout=15_000)
    body = _main(page).inner_text()
    assert other.name not in body and other.summary not in body
    assert not any(text in body for text in other.notes.values())


def _compare(page: Any, kit_id: int, candidate: str, tmp_path: Path) -> tuple[Path, Path]:
    from playwright.sync_api import expect

    page.get_by_role("link", name="Roles & comparison").click()
    page.get_by_role("heading", name=ROLE).wait_for(timeout=30_000)
    grid = _main(page).locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=30_000)
    chart = _main(page).locator("[data-testid='stVegaLiteChart']").first
    chart.locator("canvas, svg").first.wait_for(timeout=30_000)
    box = chart.bounding_box()
    assert box and box["height"] > 50 and box["width"] > 200, "the chart is drawn"
    # the grid draws on a canvas and mirrors its visible cells in an accessible table
    mirrored = grid.locator("tbody tr:has(td)")
    expect(mirrored).to_have_count(COUNT, timeout=15_000)
    rows = [row.locator("td").all_text_contents() for row in mirrored.all()]
    scored = [r for r in rows if r[0] == f"{candidate} (#{kit_id})"]
    assert len(scored) == 1, rows
    assert scored[0][1] == f"{MEAN:.1f} ({LOW:.1f}–{HIGH:.1f})", scored
    assert "⚠" not in " ".join(scored[0]), "both scorecards are in"
    others = [r for r in rows if r is not scored[0]]
    assert all("⚠ no submitted scorecard" in r for r in others), others
    assert all(r[1] == "—" for r in others), others
    page.screenshot(path=str(tmp_path / "comparison.png"), full_page=True)
    return (_download(page, page.get_by_role("button", name="CSV", exact=True),
                      tmp_path / "matrix.csv"),
            _download(page, page.get_by_role("button", name="Excel (XLSX)"),
                      tmp_path / "matrix.xlsx"))


# --- the files, read back ---------------------------------------------------------------

def _check_zip(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        rows = list(csv.DictReader(io.StringIO(
            archive.read("summary.csv").decode("utf-8-sig"))))
    assert len(rows) == COUNT and all(r["status"] == "done" for r in rows), rows
    assert all(r["questions"] == str(QUESTIONS) for r in rows), rows
    assert sum(n.endswith(".docx") for n in names) == COUNT
    assert sum(n.endswith(".md") for n in names) == COUNT
    assert {r["kit file"] for r in rows} <= {n.rsplit(".", 1)[0] for n in names}


def _check_scorecard(path: Path, candidate: str) -> None:
    import docx

    document = docx.Document(str(path))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert candidate in text and FIRST.name in text
    for notes in FIRST.notes.values():
        assert notes in text
    assert FIRST.summary in text and FIRST.recommendation in text


def _check_matrix(csv_path: Path, xlsx_path: Path, kit_id: int) -> None:
    openpyxl: Any = importlib.import_module("openpyxl")  # it ships no type hints

    rows = list(csv.DictReader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == COUNT
    by_kit = {int(r["Kit"]): r for r in rows}
    assert float(by_kit[kit_id]["Overall mean"]) == MEAN
    assert by_kit[kit_id]["Submitted scorecards"] == "2" and not by_kit[kit_id]["Missing"]
    assert float(by_kit[kit_id]["Q1 mean"]) == (FIRST.scores[1] + SECOND.scores[1]) / 2
    assert all(r["Missing"] == "no submitted scorecard" and r["Overall mean"] == ""
               for k, r in by_kit.items() if k != kit_id)

    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["Matrix", "Interviewers", "Recommendations", "Questions"]
    header, *table = [list(r) for r in book["Matrix"].iter_rows(values_only=True)]
    matrix = {r[header.index("Kit")]: dict(zip(header, r, strict=True)) for r in table}
    assert len(matrix) == COUNT
    assert matrix[kit_id]["Overall mean"] == MEAN
    assert matrix[kit_id]["Submitted scorecards"] == 2
    head, *people = [list(r) for r in book["Interviewers"].iter_rows(values_only=True)]
    assert sorted(r[head.index("Interviewer")] for r in people) == sorted(
        [FIRST.name, SECOND.name])
    assert {r[head.index("Status")] for r in people} == {"submitted"}


# --- the test -----------------------------------------------------------------------------

def test_issue_12_hiring_loop_from_role_to_exports(browser_page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    cvs = _cvs(tmp_path / "cvs")
    db = f"sqlite:///{tmp_path / 'home' / DB_FILENAME}"
    with MockOpenAIServer(default=_answers()) as mock:
        env = _server_env(tmp_path, OPENAI_BASE_URL=mock.base_url, OPENAI_API_KEY="sk-test",
                          INTERVIEWKIT_MODEL="mock-model")
        server = StreamlitServer(env, tmp_path / LOG)
        recruiter = browser_page
        browser = recruiter.context.browser
        contexts = [browser.new_context(viewport={"width": 1400, "height": 1000})
                    for _ in range(2)]  # each interviewer in a browser of their own
        try:
            # 1-2. the role, then a batch of 10 CVs for it (this page stays on Batch)
            _create_role(recruiter, server.url)
            _batch(recruiter, cvs)
            assert len(mock.requests) >= COUNT * QUESTIONS

            # 3. interviewer 1: notes and scores survive a reload
            first = contexts[0].new_page()
            kit_id, base_1, candidate = _open_interview(first, server.url, FIRST)
            _fill(first, base_1, FIRST, db)
            first.reload()
            _all_back(first, base_1, FIRST)
            first.get_by_text("No other interviewer has a scorecard on this kit yet.").wait_for()
            _submit(first, base_1, FIRST)
            for notes in FIRST.notes.values():  # read-only now
                first.get_by_text(notes).first.wait_for(timeout=15_000)
            scorecard = _download(first, first.get_by_role("button",
                                                           name="Scorecard (Word (DOCX))"),
                                  tmp_path / "scorecard.docx")

            # 4. interviewer 2: interviewer 1's scorecard is hidden until they submit
            other = contexts[1].new_page()
            other.goto(server.url)
            other.get_by_role("link", name="Interview mode").wait_for(timeout=30_000)
            other.goto(f"{server.url}/interview?kit={kit_id}"
                       f"&interviewer={SECOND.name.replace(' ', '%20')}")
            base_2 = _base(kit_id, interviewer_for(LOCAL_USER, SECOND.name))
            other.locator(f".st-key-{NOTES_PREFIX}{base_2}_1 textarea").wait_for(timeout=30_000)
            assert base_2 != base_1
            _hidden_from(other, FIRST)
            _fill(other, base_2, SECOND, db)
            _hidden_from(other, FIRST)  # a draft of one's own still hides them
            _submit(other, base_2, SECOND)
            other.get_by_text("1 submitted scorecard(s) from other interviewers").wait_for(
                timeout=15_000)
            seen = other.get_by_text(f"{FIRST.name} — {FIRST.recommendation}")
            seen.click()
            expect(_main(other).get_by_text(f"Summary: {FIRST.summary}")).to_be_visible()
            grid = _main(other).locator("[data-testid='stExpander'] [data-testid='stDataFrame']")
            grid.locator("td").first.wait_for(state="attached", timeout=15_000)
            cells = grid.locator("td").all_text_contents()  # the grid's accessible mirror
            assert [str(s) for s in FIRST.scores.values()] == [
                c for c in cells if c in {"1", "2", "3", "4", "5"}], cells
            other.screenshot(path=str(tmp_path / "interviewer-2.png"), full_page=True)

            # 5-6. the comparison and its files, then Batch again: its page re-attaches
            # to the session's batch, whose "Download all" gives the ZIP
            csv_path, xlsx_path = _compare(recruiter, kit_id, candidate, tmp_path)
            recruiter.get_by_role("link", name="Batch").click()
            recruiter.get_by_text(f"{COUNT} of {COUNT} CV(s) ended").wait_for(timeout=30_000)
            kits_zip = _download(recruiter, recruiter.get_by_role(
                "button", name="Download all (ZIP)"), tmp_path / "kits.zip")
            for page in (recruiter, first, other):
                assert "Traceback" not in _main(page).inner_text()
        finally:
            for context in contexts:
                context.close()
            server.stop()
    _check_zip(kits_zip)
    _check_scorecard(scorecard, candidate)
    _check_matrix(csv_path, xlsx_path, kit_id)
