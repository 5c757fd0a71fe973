"""The comparison page in a real headless Chromium against ``streamlit run app.py``: the
matrix grid and the chart are drawn (Debian's chromium, as tests/ui/test_browser.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interviewkit.config import DB_FILENAME
from interviewkit.history import Store
from tests.roles.seed import demo_role
from tests.ui.test_browser import StreamlitServer, _server_env, browser_page

__all__ = ["browser_page"]  # the Chromium fixture of the browser tests
pytestmark = pytest.mark.browser


def test_the_comparison_page_draws_the_matrix_and_the_chart(browser_page: Any,
                                                            tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with Store(f"sqlite:///{home / DB_FILENAME}") as store:
        demo_role(store)
    server = StreamlitServer(_server_env(tmp_path), tmp_path / "streamlit.log")
    try:
        page = browser_page
        page.goto(server.url)  # the root first: st.navigation then owns the page URLs
        page.get_by_role("link", name="Roles & comparison").click()
        page.get_by_role("heading", name="Senior Backend Engineer").wait_for(timeout=30_000)
        grid = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").first
        grid.wait_for(timeout=30_000)
        chart = page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']").first
        chart.locator("canvas, svg").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)  # let the grid and vega-embed paint
        page.screenshot(path=str(tmp_path / "roles.png"), full_page=True)
        box, chart_box = grid.bounding_box(), chart.bounding_box()
        assert box and box["height"] > 100, "the matrix grid has rows"
        assert chart_box and chart_box["height"] > 100 and chart_box["width"] > 300
        # the grid draws on a canvas and mirrors the visible cells in an accessible table
        cells = grid.locator("td").all_inner_texts()
        assert cells[:3] == ["Ana Lima (#1)", "3.5 (3.0–4.0)", "3.0 (2–4, n=2)"], cells
        assert "김민수 (#2)" in cells and "—" in cells, "Zoe's empty cells are marked"
        assert any(c.startswith("⚠ no submitted scorecard") for c in cells), cells
        bars = chart.locator("svg g.mark-rect path")
        assert bars.count() == 2, "a bar for each candidate with submitted scores"
        assert chart.locator("svg g.mark-rule line, svg g.mark-rule path").count() >= 1, \
            "the spread across interviewers"
        assert page.get_by_role("button", name="Excel (XLSX)").is_enabled()
        assert page.get_by_role("button", name="CSV", exact=True).is_enabled()
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Traceback" not in body and "Error" not in body
    finally:
        server.stop()
