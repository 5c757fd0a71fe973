"""Every corpus file through the CLI and through the page: text or one specific
message, never a traceback, never past the extraction kill bound.  Prints file → outcome →
seconds (figures to read, not to assert: timings live in bench/extraction.py)."""

from __future__ import annotations

import time
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from interviewkit.cli import main
from interviewkit.config import Limits
from interviewkit.ingest.cv import clear_cache
from tests.conftest import CORPUS, ROOT, corpus_manifest

FILES = [(kind, row["file"]) for kind in ("cv", "hostile") for row in corpus_manifest(kind)]
# The worker is killed when a step or the whole file overruns, at the latest after timeout_s
# (the cap, 20 s).  Only that kill is asserted, with generous slack for a busy machine.
BOUND_S = 2 * Limits().timeout_s
TABLE: list[tuple[str, str, str, float]] = []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not next to the repo")


@pytest.mark.parametrize(("kind", "name"), FILES, ids=[f"{k}/{n}" for k, n in FILES])
def test_cli_extract_gives_text_or_one_error_line(kind: str, name: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    clear_cache()
    started = time.monotonic()
    code = main(["extract", str(CORPUS / kind / name)])
    seconds = time.monotonic() - started
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    TABLE.append(("cli", f"{kind}/{name}", "text" if code == 0 else errors[0][7:60], seconds))
    assert seconds < BOUND_S
    assert "Traceback" not in err
    if code == 0:
        assert out.strip() and not errors
        assert all(line.startswith("warning: ") for line in err.splitlines())
    else:
        assert code == 2 and len(errors) == 1 and len(errors[0]) > 30 and not out


@pytest.mark.parametrize(("kind", "name"), FILES, ids=[f"{k}/{n}" for k, n in FILES])
def test_page_upload_gives_text_or_one_message(kind: str, name: str) -> None:
    clear_cache()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    data = (CORPUS / kind / name).read_bytes()
    started = time.monotonic()
    at.file_uploader(key="cv_file").set_value((name, data, "application/pdf")).run()
    seconds = time.monotonic() - started
    assert not at.exception, at.exception
    shown = any("Extracted CV text" in e.label for e in at.expander)
    errors = [e.value for e in at.error]
    TABLE.append(("page", f"{kind}/{name}", "text" if shown else errors[0][:53], seconds))
    assert seconds < BOUND_S
    assert shown != bool(errors), "exactly one of: the text, or one error message"


def test_upload_limit_in_streamlit_config_matches_the_app() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == Limits().max_bytes


def test_zz_print_corpus_table() -> None:
    if not TABLE:
        pytest.skip("run with the walk tests to see the table")
    print(f"\n{'via':5} {'file':52} {'seconds':>7}  outcome")
    for via, name, outcome, seconds in TABLE:
        print(f"{via:5} {name:52} {seconds:7.2f}  {outcome}")
    worst = max(seconds for *_, seconds in TABLE)
    print(f"{len(TABLE)} runs, worst {worst:.2f} s (kill bound {Limits().timeout_s:g} s)")
