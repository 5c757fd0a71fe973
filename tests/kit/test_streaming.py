"""The batching layer and the recorder between a provider and the page."""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Iterator

import pytest

from interviewkit.errors import KitError
from interviewkit.kit.stream import FRAME_S, Pacer, Recorder, approx_tokens, coalesce


def burst(n: int) -> Iterator[str]:
    for i in range(n):
        yield f"t{i} "


def test_coalesce_keeps_every_character_and_batches_a_burst() -> None:
    # The clock stands still: no flush is ever due again, so the burst waits for the end.
    chunks = list(coalesce(burst(2000), interval=0.05, clock=lambda: 0.0))
    assert "".join(chunks) == "".join(burst(2000))
    assert chunks[0] == "t0 ", "the first delta is never held back or joined"
    assert chunks[1:] == ["".join(burst(2000))[len("t0 "):]], "the rest is one update"


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
    # "###" is invisible on its own: the first *visible* word is the second delta.  With a
    # 60 s interval, the second delta can only come out before the source ends if it went
    # out after one frame (the source then stays open for up to 30 s, never that long).
    release, ended = threading.Event(), threading.Event()

    def heading_then_silence() -> Iterator[str]:
        yield "###"
        yield " 1. Tell me"
        release.wait(30)
        ended.set()

    out = coalesce(heading_then_silence(), interval=60.0)
    first, second = next(out), next(out)
    assert not ended.is_set(), "the second delta waited for the end of the stream"
    release.set()
    assert (first, second) == ("###", " 1. Tell me")
    assert list(out) == []


def test_pacing_starts_at_one_frame_and_grows_to_the_interval_never_beyond() -> None:
    now = [0.0]
    pacer = Pacer(FRAME_S, 0.1, 1.5, clock=lambda: now[0])
    assert pacer.due() and pacer.timeout(waiting=True) is None, "the first text goes at once"
    gaps: list[float] = []
    for _ in range(12):
        pacer.flushed()
        assert pacer.timeout(waiting=False) is None, "nothing buffered: wait for the source"
        gap = pacer.timeout(waiting=True)
        assert gap is not None and not pacer.due()
        gaps.append(gap)
        now[0] += gap + 1e-9  # (float sums: a nanosecond past the gap)
        assert pacer.due() and pacer.timeout(waiting=True) == 0.0
    assert gaps[0] == pytest.approx(FRAME_S), "the second update one frame after the first"
    for before, after in itertools.pairwise(gaps):
        assert after == pytest.approx(min(0.1, before * 1.5))
    assert max(gaps) == pytest.approx(0.1), "no text waits longer than the interval"
    assert gaps[-1] == pytest.approx(0.1), "a steady stream settles at the interval"


def test_a_delta_after_a_quiet_spell_is_due_at_once() -> None:
    now = [0.0]
    pacer = Pacer(FRAME_S, 0.1, 1.5, clock=lambda: now[0])
    pacer.flushed()
    now[0] += 5.0
    assert pacer.due() and pacer.timeout(waiting=True) == 0.0


def test_coalesce_ramps_up_to_the_interval_for_a_fast_source() -> None:
    # A fake clock the source moves on by 1 ms per delta: 600 deltas are 0.6 s of stream
    # time however fast or slow this machine runs them.
    now = [0.0]
    words = [f"w{i} " for i in range(600)]

    def fast() -> Iterator[str]:
        for word in words:
            now[0] += 0.001
            yield word

    chunks = list(coalesce(fast(), interval=0.1, clock=lambda: now[0]))
    assert "".join(chunks) == "".join(words)
    ramp = math.ceil(math.log(0.1 / FRAME_S, 1.5))  # updates before the gap reaches 0.1 s
    steady = 0.6 / 0.1  # what a fixed 100 ms interval would send in 0.6 s
    assert len(chunks) <= 1 + ramp + steady + 1, f"{len(chunks)} updates in 0.6 s"


def test_coalesce_passes_a_slow_source_through_delta_by_delta() -> None:
    deltas = [(0.0 if i == 0 else 0.25, f"w{i} ") for i in range(5)]  # slower than the interval
    chunks = list(coalesce(_timed(deltas, {}), interval=0.1))
    assert chunks == [text for _, text in deltas]
