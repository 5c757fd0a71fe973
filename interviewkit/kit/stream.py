"""Between a provider's deltas and a viewer: record everything, paint sparingly.

``st.write_stream`` re-sends the whole accumulated text on every chunk, so the
page must not hand it one chunk per token.  :func:`coalesce` joins deltas that
arrive close together into one update (the first delta is never held back,
the next ones follow at paint rate, then ~10 updates/s; see ``bench/``), and
:class:`Recorder` keeps every delta it saw, so text survives a Stop click or a
dropped connection even if the browser never painted it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

Clock = Callable[[], float]
FRAME_S = 1 / 60  # a browser paints at most this often
MAX_HOLD_S = 0.1  # no text waits longer than this before it is sent

_END = object()


def close_quietly(iterator: object) -> None:
    """Close a generator (or anything with ``close``); plain iterators have nothing to close.

    The one closing helper: a consumer that stops early must close its source now,
    so an HTTP response is released at once rather than at garbage collection.
    """
    close = getattr(iterator, "close", None)
    if callable(close):
        close()


@dataclass
class _Failure:
    error: BaseException


def _pump(source: Iterable[str], out: queue.Queue[object], stop: threading.Event) -> None:
    """Read ``source`` on a worker thread so the consumer can flush on time."""
    iterator = iter(source)
    try:
        for delta in iterator:
            if stop.is_set():
                break
            out.put(delta)
    except BaseException as exc:  # handed to the consumer, which re-raises it
        out.put(_Failure(exc))
        return
    finally:
        close_quietly(iterator)
    out.put(_END)


def _drain(items: queue.Queue[object], buffer: list[str]) -> object | None:
    """Move every delta already queued into ``buffer``; return an end or failure met."""
    while True:
        try:
            item = items.get_nowait()
        except queue.Empty:
            return None
        if not isinstance(item, str):
            return item
        buffer.append(item)


@dataclass
class Pacer:
    """When the next flush may happen: gaps grow from one frame to the cap."""

    gap: float
    cap: float
    growth: float
    clock: Clock
    last: float | None = None

    def timeout(self, waiting: bool) -> float | None:
        if not waiting or self.last is None:
            return None
        return max(0.0, self.last + self.gap - self.clock())

    def due(self) -> bool:
        return self.last is None or self.clock() - self.last >= self.gap

    def flushed(self) -> None:
        if self.last is not None:
            self.gap = min(self.cap, self.gap * self.growth)
        self.last = self.clock()


def coalesce(source: Iterable[str], interval: float = MAX_HOLD_S, clock: Clock = time.monotonic,
             *, first_interval: float = FRAME_S, growth: float = 1.5) -> Iterator[str]:
    """Yield ``source``'s text in batches: the first delta at once, the next one frame
    (``first_interval``) later, then gaps growing by ``growth`` up to ``interval``.

    Why: the first words decide how fast the page feels (after ``###`` the first
    visible word is the *second* delta); once text flows nobody can tell 10
    updates/s from 60, while each update re-sends its element and the browser
    re-renders it.  A flush takes all that has arrived; no text waits longer than
    ``interval``, and a delta after a quiet spell goes out at once.  Errors from
    ``source`` are re-raised after the buffered text; closing this stops the reader.
    """
    items: queue.Queue[object] = queue.Queue()
    stop = threading.Event()
    threading.Thread(target=_pump, args=(source, items, stop), daemon=True,
                     name="interviewkit-coalesce").start()
    pacer = Pacer(min(first_interval, interval), interval, growth, clock)
    buffer: list[str] = []
    try:
        while True:
            try:
                item = items.get(timeout=pacer.timeout(bool(buffer)))
            except queue.Empty:
                item = None
            if isinstance(item, str):
                buffer.append(item)
                item = None
            due = pacer.due()
            if due and item is None and pacer.last is not None:
                item = _drain(items, buffer)  # everything that has arrived goes out together
            if buffer and (due or item is not None):
                yield "".join(buffer)
                buffer.clear()
                pacer.flushed()
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
    finally:
        stop.set()


@dataclass
class Recorder:
    """Wraps a delta stream and keeps the text and timings as they happen.

    Token counts are approximate (about four characters per token) because
    the providers stream text, not token ids.
    """

    clock: Clock = time.monotonic
    text: str = ""
    deltas: int = 0
    started: float | None = None
    first_token_at: float | None = None
    finished_at: float | None = None

    def wrap(self, source: Iterable[str]) -> Iterator[str]:
        """Yield ``source`` unchanged while recording it; closing this closes ``source``."""
        self.started = self.clock()
        iterator = iter(source)
        try:
            for delta in iterator:
                if self.first_token_at is None:
                    self.first_token_at = self.clock()
                self.text += delta
                self.deltas += 1
                yield delta
        finally:
            self.finished_at = self.clock()
            close_quietly(iterator)  # a Stop must reach the HTTP response now, not at GC

    @property
    def elapsed_s(self) -> float | None:
        if self.started is None:
            return None
        end = self.finished_at if self.finished_at is not None else self.clock()
        return end - self.started

    @property
    def ttft_s(self) -> float | None:
        if self.started is None or self.first_token_at is None:
            return None
        return self.first_token_at - self.started

    @property
    def approx_tokens(self) -> int:
        return approx_tokens(self.text)


def approx_tokens(text: str) -> int:
    """A provider-independent token estimate: ~4 chars/token, CJK ~1 char/token."""
    cjk = sum(1 for ch in text if "\u1100" <= ch <= "\ud7ff" or "\u3040" <= ch <= "\u9fff")
    return cjk + max(0, len(text) - cjk) // 4 + (1 if text and cjk == 0 else 0)
