"""The Batch page end to end in a real headless Chromium against ``streamlit run app.py``.

Several CVs are uploaded at once, one of them hostile (read from
``../shared/corpus/hostile``, never copied); the page shows a row per candidate, the
hostile one failed with its reason, and "Download all" gives the ZIP.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.batch.conftest import KIT
from tests.conftest import corpus_file, corpus_manifest, require
from tests.ui.test_browser import _app_on_mock, browser_page  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def _hostile(name: str) -> Path:
    listed = {row["file"] for row in corpus_manifest("hostile")}
    require(name in listed, f"{name} is not in ../shared/corpus/hostile/MANIFEST.tsv")
    return corpus_file("hostile", name)


def test_many_cvs_with_a_hostile_one_show_a_row_each_and_download_all(
        browser_page: Any, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    from playwright.sync_api import expect  # the fixture has checked that Playwright is here

    from interviewkit.testing.mockserver import Reply

    good = [corpus_file("cv", "sb2nov_resume_one_column.pdf"),
            corpus_file("cv", "rendercv_classic_2p.pdf")]
    hostile = [_hostile("not_a_pdf_oops.pdf"), _hostile("cyclic_pages_tree.pdf")]
    with _app_on_mock(tmp_path, Reply(text=KIT, delay=0.01)) as (mock, url):
        page = browser_page
        page.goto(url)
        page.get_by_role("link", name="Batch").click()
        page.get_by_text("CVs: PDF, .txt or .md files, or one ZIP").wait_for(timeout=30_000)
        page.locator("input[type=file]").set_input_files([str(p) for p in good + hostile])
        start = page.get_by_role("button", name="Start")
        expect(start).to_be_enabled(timeout=30_000)  # every file is uploaded
        start.click()
        page.get_by_text("4 of 4 CV(s) ended").wait_for(timeout=120_000)
        page.get_by_role("button", name="Download all (ZIP)").wait_for(timeout=15_000)
        table_element = page.locator("[data-testid='stMain'] table")
        table_element.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "batch.png"))
        table = table_element.inner_text()
        assert table.count("done") == 2 and table.count("failed") == 2, table
        assert "is not a PDF" in table and "damaged" in table
        download_button = page.get_by_role("button", name="Download all (ZIP)")
        assert download_button.is_enabled()
        with page.expect_download(timeout=30_000) as info:
            download_button.click()
        saved = tmp_path / "kits.zip"
        info.value.save_as(saved)
        assert mock.requests, "the good CVs reached the model"
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
        rows = list(csv.DictReader(io.StringIO(
            archive.read("summary.csv").decode("utf-8-sig"))))
    assert sum(name.endswith(".docx") for name in names) == 2
    assert sum(name.endswith(".md") for name in names) == 2
    assert sorted(r["status"] for r in rows) == ["done", "done", "failed", "failed"]
