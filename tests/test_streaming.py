"""The batching layer and the recorder between a provider and the page."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from interviewkit.errors import KitError
from interviewkit.streaming import Recorder, approx_tokens, coalesce


def burst(n: int) -> Iterator[str]:
    for i in range(n):
        yield f"t{i} "


def test_coalesce_keeps_every_character_and_batches_a_burst() -> None:
    chunks = list(coalesce(burst(2000), interval=0.05))
    assert "".join(chunks) == "".join(burst(2000))
    assert chunks[0] == "t0 ", "the first delta is never held back or joined"
    assert len(chunks) < 200, f"a burst of 2000 deltas became {len(chunks)} updates"


def test_coalesce_flushes_buffered_text_while_the_source_is_silent() -> None:
    release = threading.Event()

    def stalled() -> Iterator[str]:
        yield "first"
        yield " second"
        release.wait(10)  # the source goes quiet; buffered text must still come out
        yield " third"

    out = coalesce(stalled(), interval=0.05)
    got = [next(out), next(out)]
    assert not release.is_set()
    assert "".join(got) == "first second"
    release.set()
    assert "".join(out) == " third"


def test_coalesce_reraises_source_errors_after_the_text() -> None:
    def failing() -> Iterator[str]:
        yield "partial "
        yield "text"
        raise KitError("cut", code="cut")

    out = coalesce(failing(), interval=10.0)
    seen: list[str] = []
    with pytest.raises(KitError, match="cut"):
        for chunk in out:
            seen.append(chunk)
    assert "".join(seen) == "partial text"


def test_closing_the_recorder_closes_the_source_at_once() -> None:
    closed: list[bool] = []

    def endless() -> Iterator[str]:
        try:
            while True:
                yield "x"
        finally:
            closed.append(True)

    wrapped = Recorder().wrap(endless())
    next(wrapped)
    wrapped.close()
    assert closed == [True]


def test_closing_coalesce_closes_the_source() -> None:
    closed = threading.Event()

    def endless() -> Iterator[str]:
        try:
            while True:
                yield "x"
        finally:
            closed.set()

    out = coalesce(endless(), interval=0.01)
    next(out)
    out.close()
    assert closed.wait(5), "the upstream generator was never closed"


def test_recorder_keeps_text_and_timings_even_when_the_stream_fails() -> None:
    ticks = iter([0.0, 0.5, 2.0])
    rec = Recorder(clock=lambda: next(ticks))

    def failing() -> Iterator[str]:
        yield "Hello "
        yield "world"
        raise KitError("dropped", code="cut")

    with pytest.raises(KitError):
        list(rec.wrap(failing()))
    assert rec.text == "Hello world"
    assert rec.deltas == 2
    assert rec.ttft_s == 0.5
    assert rec.elapsed_s == 2.0


@pytest.mark.parametrize(("text", "low", "high"), [
    ("", 0, 0),
    ("word " * 100, 100, 150),
    ("한국어 면접 질문입니다", 8, 12),
])
def test_approx_tokens_is_in_a_sane_range(text: str, low: int, high: int) -> None:
    assert low <= approx_tokens(text) <= high
