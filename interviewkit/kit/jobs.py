"""A generation is a job, not a script run.

Streamlit reruns the page script whenever any widget changes; if the kit were
streamed by the script itself, typing into the job description mid-stream
would cut the upstream connection.  So each generation runs on a worker
thread that the session owns (:class:`Job`), recording the stream as it
arrives; the page is only a view that re-attaches on every rerun
(:meth:`Job.follow` from any offset).  Only :meth:`Job.stop` stops a kit.

Jobs live in a bounded :class:`JobRegistry`, one per process: a server never
runs more generation threads than ``max_running``, and finished jobs are
forgotten oldest first.  The Generate page, the Prompt Lab's two columns and
batch mode all use the same jobs.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Generator

from interviewkit.errors import JobError
from interviewkit.kit.run import KitRun
from interviewkit.kit.stream import FRAME_S, MAX_HOLD_S, Clock, Pacer
from interviewkit.providers.base import Provider

log = logging.getLogger(__name__)

OnEnd = Callable[["Job"], None]


class Job:
    """One :class:`KitRun` streaming on its own thread; any number of viewers follow it."""

    def __init__(self, run: KitRun, provider: Provider, *, on_end: OnEnd | None = None,
                 on_delta: Callable[[], None] | None = None,
                 close_provider: bool = False) -> None:
        self.id = uuid.uuid4().hex[:12]
        self.run, self.provider = run, provider
        self._on_end, self._on_delta, self._close_provider = on_end, on_delta, close_provider
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._work, daemon=True,
                                        name=f"interviewkit-job-{self.id}")
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.result: object = None  # what ``on_end`` returned (the History kit id…)
        self.result_error: str | None = None

    # -- lifecycle ----------------------------------------------------------------
    def start(self) -> Job:
        self.started_at = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the kit; the text so far is kept.  Takes effect at the next delta."""
        self._stop.set()
        self.run.mark_interrupted()
        with self._changed:
            self._changed.notify_all()

    @property
    def finished(self) -> bool:
        """The worker has ended (and ``on_end`` has run)."""
        return self._finished.is_set()

    @property
    def ended(self) -> bool:
        """Nothing more will be shown: finished, or stopped by the user."""
        return self._finished.is_set() or self._stop.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker has finished; True if it has."""
        return self._finished.wait(timeout)

    def _work(self) -> None:
        deltas = self.run.deltas(self.provider)
        try:
            for _ in deltas:
                with self._changed:
                    self._changed.notify_all()
                if self._on_delta is not None:
                    self._on_delta()
                if self._stop.is_set():
                    break
        except Exception as exc:  # KitRun turns errors into a status; this is a last resort
            log.exception("job %s failed", self.id)
            self.run.fail(f"Unexpected error ({type(exc).__name__}).", "internal")
        finally:
            deltas.close()  # a Stop must reach the HTTP response now, not at garbage collection
            if self._stop.is_set():
                self.run.mark_interrupted()
            self._end()

    def _end(self) -> None:
        if self._close_provider:
            self.provider.close()
        if self._on_end is not None:
            try:
                self.result = self._on_end(self)
            except Exception as exc:  # reported next to the kit, never lost silently
                log.exception("job %s: on_end failed", self.id)
                self.result_error = str(exc) or type(exc).__name__
        self.finished_at = time.monotonic()
        self._finished.set()
        with self._changed:
            self._changed.notify_all()

    # -- viewing ------------------------------------------------------------------
    def follow(self, offset: int = 0, *, interval: float = MAX_HOLD_S,
               first_interval: float = FRAME_S, growth: float = 1.5,
               heartbeat: float | None = None,
               clock: Clock = time.monotonic) -> Generator[str, None, None]:
        """The text after ``offset`` as it arrives, batched for ``st.write_stream``.

        The first batch goes out at once (everything that has already arrived,
        for a view re-attaching mid-stream), the next one a frame later, then
        gaps grow by ``growth`` up to ``interval``; a delta after a quiet spell
        goes out at once.  With ``heartbeat``, an empty string comes every
        ``heartbeat`` seconds that nothing arrives.  Ends when the job ends;
        closing it stops nothing.
        """
        pacer = Pacer(min(first_interval, interval), interval, growth, clock)
        while True:
            with self._changed:
                arrived = self._changed.wait_for(self._news(offset), timeout=heartbeat)
            if not arrived:
                yield ""  # a heartbeat: nothing new yet
                continue
            with self._changed:
                wait = pacer.timeout(True) or 0.0
                if wait > 0 and not self.ended:  # let more text gather, but wake for the end
                    self._changed.wait_for(lambda: self.ended, timeout=wait)
                text, ended = self.run.text, self.ended
            if len(text) > offset:
                yield text[offset:]
                offset = len(text)
                pacer.flushed()
            if ended:
                return


    def _news(self, offset: int) -> Callable[[], bool]:
        """The wait condition of :meth:`follow`: text past ``offset``, or the end."""
        return lambda: len(self.run.text) > offset or self.ended


class JobRegistry:
    """The process's jobs: at most ``max_running`` at once, the last ``max_kept`` remembered."""

    def __init__(self, max_running: int = 64, max_kept: int = 256) -> None:
        self.max_running, self.max_kept = max_running, max_kept
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, run: KitRun, provider: Provider, *, on_end: OnEnd | None = None,
              on_delta: Callable[[], None] | None = None, close_provider: bool = False) -> Job:
        """Start a job for ``run``; refuse with :class:`JobError` when the server is full."""
        with self._lock:
            running = sum(1 for job in self._jobs.values() if not job.finished)
            if running >= self.max_running:
                raise JobError(f"This server is already generating {running} kits; try again "
                               "in a minute.", code="busy")
            job = Job(run, provider, on_end=on_end, on_delta=on_delta,
                      close_provider=close_provider)
            self._jobs[job.id] = job
            self._forget_old()
        return job.start()

    def _forget_old(self) -> None:
        for job_id in list(self._jobs):
            if len(self._jobs) <= self.max_kept:
                return
            if self._jobs[job_id].finished:
                del self._jobs[job_id]


JOBS = JobRegistry()

