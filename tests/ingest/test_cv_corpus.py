"""Every corpus file gives text or a known CVError, in bounded time, never a traceback.

Prints a table (file → outcome → chars → seconds) at the end of the session.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from interviewkit.config import Limits
from interviewkit.errors import CVError
from interviewkit.ingest import cv
from interviewkit.ingest.cv import CODES, read_cv
from tests.conftest import corpus_file, corpus_manifest, require

LIMITS = Limits()
TEXT = "text"

# Outcomes the manifests' notes state (or that follow from them with pypdf + brotli).
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("cv", "image_only_resume_jennifer.pdf"): {"no_text"},
    ("cv", "livecareer_business_development_blank.pdf"): {"no_text"},
    ("hostile", "arabic_rtl_habibi.pdf"): {TEXT},
    ("hostile", "broken_pages_tree_unreadable_metadata.pdf"): {"corrupt"},
    # 25 pages of Brotli streams take pypdf ~17 s here; a much faster machine may finish
    ("hostile", "brotli_filter_pdf20.pdf"): {"timeout", TEXT},
    ("hostile", "cjk_vertical_japanese.pdf"): {TEXT},
    ("hostile", "corrupt_mojibake_binary.pdf"): {TEXT},
    ("hostile", "corrupt_trailer_missing_endobj.pdf"): {"corrupt"},
    ("hostile", "cyclic_pages_tree.pdf"): {"corrupt"},
    ("hostile", "enc_aes256_empty_user_password.pdf"): {"no_text"},  # opens; blank page
    ("hostile", "enc_aes256_user_and_owner_password.pdf"): {"needs_password"},
    ("hostile", "enc_rc4_owner_password_only.pdf"): {TEXT},
    ("hostile", "image_only_ccitt_fax.pdf"): {"no_text"},
    ("hostile", "js_autoprint.pdf"): {"no_text"},
    ("hostile", "js_openaction_no_xref_191b.pdf"): {"corrupt"},
    ("hostile", "many_pages_freeculture_352p.pdf"): {"too_many_pages"},
    ("hostile", "not_a_pdf_oops.pdf"): {"not_pdf"},
    ("hostile", "slow_parse_bug1978317.pdf"): {"timeout"},
    ("hostile", "zero_pages.pdf"): {"no_pages"},
}
MIN_CV_CHARS = 300
KILL_SLACK_S = 5.0

ROWS = [(kind, row["file"]) for kind in ("cv", "hostile") for row in corpus_manifest(kind)]
_table: list[tuple[str, str, int, float]] = []


class _Summary:
    """Writes the collected table in pytest's terminal summary."""

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not _table:
            return
        terminalreporter.section("CV corpus: file → outcome → chars → seconds")
        for name, outcome, chars, seconds in _table:
            terminalreporter.write_line(f"{name:<52} {outcome:<15} {chars:>7} {seconds:>6.2f}")


@pytest.fixture(scope="module", autouse=True)
def _summary(request: pytest.FixtureRequest) -> Iterator[None]:
    manager = request.config.pluginmanager
    if not manager.has_plugin("cv-corpus-summary"):
        manager.register(_Summary(), "cv-corpus-summary")
    yield


def test_manifests_are_present_and_expectations_match_them() -> None:
    require(bool(ROWS), "../shared/corpus is not next to the repo")
    assert set(EXPECTED) <= set(ROWS), "EXPECTED names a file the manifests no longer list"


@pytest.mark.parametrize(("kind", "name"), ROWS, ids=[f"{k}/{n}" for k, n in ROWS])
def test_corpus_file(kind: str, name: str) -> None:
    data = corpus_file(kind, name).read_bytes()
    cv.clear_cache()  # measure a real parse, not a hit from another test
    start = time.monotonic()
    try:
        result = read_cv(data, name, limits=LIMITS)
        outcome, chars = TEXT, len(result.text)
    except CVError as error:
        assert error.code in CODES, f"unknown code {error.code!r}"
        assert str(error) and "Traceback" not in str(error)
        outcome, chars = error.code, 0
    seconds = time.monotonic() - start
    _table.append((f"{kind}/{name}", outcome, chars, seconds))

    # The hard kill is the behaviour: a file pypdf chews on for 17 s+ must be stopped near
    # the limit.  The slack is generous (worker start-up on a busy two-core machine).
    assert seconds <= LIMITS.timeout_s + KILL_SLACK_S, f"{seconds:.1f} s: not killed in time"
    expected = EXPECTED.get((kind, name), {TEXT} if kind == "cv" else None)
    if expected is not None:
        assert outcome in expected
    if kind == "cv" and outcome == TEXT:
        assert chars > MIN_CV_CHARS
