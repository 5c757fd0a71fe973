"""The benchmark code still works (never timed here: ``python bench/run.py`` measures).

The protocol client leans on Streamlit internals (``/_stcore/stream``, the
BackMsg/ForwardMsg protobufs, the upload route), so one test drives the real
app with it: a Streamlit upgrade that changes the protocol fails here, not
silently in a benchmark run.
"""

from __future__ import annotations

import asyncio
import re

from bench import run as bench_run
from bench.common import END_MARK, ROOT, StreamlitServer, kit_pieces, kit_reply, server_env
from bench.render import RenderResult
from bench.stclient import app_session_with_cv
from interviewkit.kit.sections import sections
from interviewkit.testing.mockserver import MockOpenAIServer
from tests.conftest import corpus_file


def test_kit_reply_is_kit_shaped_and_tokenised_like_the_mock_does() -> None:
    pieces = kit_pieces(600)
    text = "".join(pieces)
    assert len(pieces) == 600 and pieces[-1] == f" {END_MARK}."
    assert re.findall(r"\s*\S+", text) == pieces, "the mock CLI must split --text the same way"
    assert text.count(END_MARK) == 1
    assert len(sections(text)) == 3, "one streamed element per question"


def test_the_table_applies_the_targets_only_where_the_issue_sets_them() -> None:
    def result(page: str, size: int, lag: float = 20.0) -> RenderResult:
        return RenderResult(page, 3000, 1000, 10, size, size, 1.0, 0.5, 30.0, lag)

    rows = bench_run.render_rows([result("app", 50_000), result("naive", 1_000_000, 900)])
    assert rows[0][2:] == ("50 / 1,000 KB = 1/20", "≤ 1/15", "yes")
    assert [row[4] for row in rows[2:]] == ["yes", "yes"], "lag and first token: app only"
    assert bench_run._bytes_target(300, 1000) is None


def test_the_protocol_client_drives_the_real_app_through_a_kit() -> None:
    cv = corpus_file("cv", "sb2nov_resume_one_column.pdf")

    async def drive(url: str) -> tuple[str, int]:
        session = await app_session_with_cv(url, cv)
        try:
            result = await session.run(trigger="Generate interview kit", watch=END_MARK,
                                       timeout=60)
            rerun = await session.run(timeout=60)
        finally:
            await session.close()
        assert result.status == 0 and result.text_first_s is not None
        return "".join(result.texts), rerun.status

    reply = kit_reply(40, 1000, first_delay=0.0)
    with MockOpenAIServer(default=reply) as mock, \
            StreamlitServer(ROOT / "app.py", server_env(mock.base_url)) as server:
        text, rerun_status = asyncio.run(drive(server.url))
    assert "1." in text and END_MARK in text
    assert rerun_status == 0, "the rerun the benchmark times finishes like any other"
