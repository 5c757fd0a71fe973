"""Between a provider's deltas and the page: record everything, paint sparingly.

``st.write_stream`` re-sends the whole accumulated text on every chunk, so the
page must not hand it one chunk per token.  :func:`coalesce` joins deltas that
arrive close together into one update (the first delta is never held back),
and :class:`Recorder` keeps every delta it saw, so text survives a Stop click
or a dropped connection even if the browser never painted it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

Clock = Callable[[], float]

_END = object()


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
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    out.put(_END)


def coalesce(source: Iterable[str], interval: float = 0.1, clock: Clock = time.monotonic
             ) -> Iterator[str]:
    """Yield ``source``'s text in batches at most every ``interval`` seconds.

    The first delta is yielded as soon as it arrives; after that, text that
    arrived during the interval is joined and yielded when the interval has
    passed (even if nothing new arrives), so nothing waits longer than
    ``interval``.  Errors from ``source`` are re-raised after the buffered
    text has been yielded.  Closing this generator stops the reader.
    """
    items: queue.Queue[object] = queue.Queue()
    stop = threading.Event()
    reader = threading.Thread(target=_pump, args=(source, items, stop), daemon=True,
                              name="interviewkit-coalesce")
    reader.start()
    buffer: list[str] = []
    last_flush: float | None = None
    try:
        while True:
            timeout = None
            if buffer and last_flush is not None:
                timeout = max(0.0, last_flush + interval - clock())
            try:
                item = items.get(timeout=timeout)
            except queue.Empty:
                item = None
            if isinstance(item, str):
                buffer.append(item)
            due = last_flush is None or clock() - last_flush >= interval
            if buffer and (due or item is _END or isinstance(item, _Failure)):
                yield "".join(buffer)
                buffer.clear()
                last_flush = clock()
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
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # a Stop must reach the HTTP response now, not at garbage collection

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
