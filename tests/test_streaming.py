"""The batching layer and the recorder between a provider and the page."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from interviewkit.errors import KitError
from interviewkit.kit.stream import Recorder, approx_tokens, coalesce


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


def _timed(deltas: list[tuple[float, str]], arrivals: dict[str, float]) -> Iterator[str]:
    """Yield ``(sleep_before, text)`` pairs, noting when each text was produced."""
    for pause, text in deltas:
        time.sleep(pause)
        arrivals[text] = time.monotonic()
        yield text


def test_coalesce_sends_the_second_delta_one_frame_later_not_a_whole_interval() -> None:
    # "###" is invisible on its own: the first *visible* word is the second delta.
    out = coalesce(iter(["###", " 1. Tell me"]), interval=0.5)
    first = next(out)
    start = time.monotonic()
    second = next(out)
    assert (first, second) == ("###", " 1. Tell me")
    assert time.monotonic() - start < 0.25, "the second delta waited for the full interval"


def test_coalesce_never_holds_text_longer_than_the_interval() -> None:
    arrivals: dict[str, float] = {}
    deltas = [(0.004, f"w{i} ") for i in range(150)]  # ~250 tokens/s for 0.6 s
    held: list[float] = []
    for chunk in coalesce(_timed(deltas, arrivals), interval=0.05):
        now = time.monotonic()
        held += [now - arrivals[word + " "] for word in chunk.split()]
    assert max(held) < 0.05 + 0.1, f"text waited {max(held) * 1000:.0f} ms"  # slack: busy CI


def test_coalesce_ramps_up_to_the_interval_for_a_fast_source() -> None:
    deltas = [(0.001, f"w{i} ") for i in range(600)]  # ~1000 tokens/s or as fast as sleep allows
    start = time.monotonic()
    chunks = list(coalesce(_timed(deltas, {}), interval=0.1))
    seconds = time.monotonic() - start
    assert "".join(chunks) == "".join(text for _, text in deltas)
    steady = seconds / 0.1  # what a fixed 100 ms interval would send
    assert len(chunks) <= steady + 8, f"{len(chunks)} updates in {seconds:.2f} s"


def test_coalesce_passes_a_slow_source_through_delta_by_delta() -> None:
    deltas = [(0.0 if i == 0 else 0.25, f"w{i} ") for i in range(5)]  # slower than the interval
    chunks = list(coalesce(_timed(deltas, {}), interval=0.1))
    assert chunks == [text for _, text in deltas]
