"""A batch: many CVs through the Generate pipeline, a few at a time, on threads of its own.

Like a generation job (:mod:`interviewkit.kit.jobs`), a :class:`Batch` lives
outside the Streamlit script run: the page keeps a reference, re-attaches on
every rerun and shows :meth:`Batch.rows`; navigating away stops nothing.  Each
CV is read with the app's own reader (its limits, its worker process for PDFs),
prepared by ``prepare_cv`` and asked with ``build_run`` exactly as Generate and
the CLI do (or, for a role with a frozen kit, with its questions: ``frozen_run``),
then saved through the :class:`~interviewkit.batch.history.HistoryLink`.

Remote models get ``concurrency`` CVs in flight, one request each (the planned
steps of one CV go one after the other), so the model server never sees more
than ``concurrency`` requests from a batch.  The embedded model runs one
generation at a time whatever is asked.  A CV that cannot be read fails only
its own row; :meth:`Batch.stop` ends the running ones cleanly (their partial
kits are saved, as Generate saves a stopped kit), marks the queued ones stopped
and keeps what finished; :meth:`Batch.again` runs the rest.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interviewkit.batch.history import HistoryLink
from interviewkit.batch.items import Upload
from interviewkit.batch.model import ItemStatus, Request, Row
from interviewkit.errors import BatchError, CVError, KitError
from interviewkit.ingest.cv import CVText, read_cv
from interviewkit.kit.model import Kit, Status
from interviewkit.kit.pipeline import PreparedCV, build_run, prepare_cv
from interviewkit.kit.run import KitRun
from interviewkit.providers.base import Provider
from interviewkit.roles.frozen import frozen_run

if TYPE_CHECKING:
    from interviewkit.history.store import KitSummary

log = logging.getLogger(__name__)

ALL_HIDDEN = ("All of this CV's text is hidden from human readers (white, tiny or off-page), "
              "so nothing is left to ask about.")


@dataclass
class _Item:
    index: int
    upload: Upload
    status: ItemStatus = ItemStatus.QUEUED
    message: str = ""
    candidate: str = ""
    kit_id: int | None = None
    questions: int = 0
    started: float | None = None
    ended: float | None = None
    kit: Kit | None = None
    run: KitRun | None = None

    def row(self, now: float) -> Row:
        message = self.message
        if self.status is ItemStatus.RUNNING and self.run is not None:
            message = _progress(self.run)
        elapsed = None if self.started is None else (self.ended or now) - self.started
        return Row(self.index, self.upload.name, self.status, message, self.candidate,
                   self.kit_id, self.questions, elapsed)


def _progress(run: KitRun) -> str:
    if not run.text:
        return "waiting for the model…"
    if run.steps:
        count = len(run.steps)
        return f"writing question {max(1, min(run.text.count('### '), count))} of {count}"
    return "writing the kit…"


OnEnd = Callable[[Row], None]


class Batch:
    """Many CVs, one :class:`Request`, a bounded pool of worker threads."""

    def __init__(self, uploads: Sequence[Upload], request: Request, provider: Provider,
                 history: HistoryLink, *, concurrency: int = 4, on_end: OnEnd | None = None,
                 previous: Batch | None = None) -> None:
        if not uploads:
            raise BatchError("A batch needs at least one CV.", code="no_files")
        self.id = uuid.uuid4().hex[:12]
        self.uploads, self.request = list(uploads), request
        self.provider, self.history = provider, history
        self.concurrency = max(1, concurrency)
        self.workers = 1 if provider.offline else self.concurrency
        self._on_end = on_end
        self._items = [_Item(n, upload) for n, upload in enumerate(self.uploads)]
        self._lock = threading.Lock()
        self._stop, self._finished = threading.Event(), threading.Event()
        self._pending: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._alive = 0
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self._settle(previous._done() if previous is not None else {})

    def _settle(self, done: Mapping[str, _Item]) -> None:
        """Rows decided before anything runs: unreadable uploads, duplicates, done before."""
        first: dict[str, _Item] = {}
        for item in self._items:
            upload = item.upload
            if upload.problem is not None:
                item.status, item.message = ItemStatus.FAILED, upload.problem
            elif (prior := done.get(upload.digest)) is not None:
                item.status, item.kit, item.kit_id = ItemStatus.SKIPPED, prior.kit, prior.kit_id
                item.candidate, item.questions = prior.candidate, prior.questions
                item.message = "done in the previous run" + (
                    f" (kit #{prior.kit_id})" if prior.kit_id is not None else "")
            elif (original := first.get(upload.digest)) is not None:
                item.status = ItemStatus.SKIPPED
                item.message = f"the same file as row {original.index + 1} ({original.upload.name})"
            else:
                first[upload.digest] = item

    def _done(self) -> dict[str, _Item]:
        with self._lock:
            return {item.upload.digest: item for item in self._items
                    if item.status is ItemStatus.DONE
                    or (item.status is ItemStatus.SKIPPED and item.kit_id is not None)}

    # -- lifecycle ----------------------------------------------------------------
    def start(self) -> Batch:
        with self._lock:
            if self.started_at is not None:
                raise BatchError("This batch has already started.", code="started")
            self.started_at = time.monotonic()
            queued = [item for item in self._items if item.status is ItemStatus.QUEUED]
            for item in queued:
                self._pending.put(item)
            self._alive = min(self.workers, len(queued))
            settled = [item.row(self.started_at) for item in self._items if item.status.ended]
        for row in settled:
            self._report(row)
        if not self._alive:
            self._finish()
        for number in range(self._alive):
            threading.Thread(target=self._work, daemon=True,
                             name=f"interviewkit-batch-{self.id}-{number}").start()
        return self

    def stop(self) -> None:
        """Running CVs stop at their next delta (partial kits saved); queued ones never start."""
        self._stop.set()
        now = time.monotonic()
        with self._lock:
            stopped = [item for item in self._items if item.status is ItemStatus.QUEUED]
            for item in stopped:
                item.status, item.message, item.ended = (ItemStatus.STOPPED,
                                                          "stopped before it started", now)
            rows = [item.row(now) for item in stopped]
            idle = self.started_at is None or not self._alive
        for row in rows:
            self._report(row)
        if idle:
            self._finish()

    def again(self) -> Batch:
        """A new batch of the same CVs and request; what is done here is skipped there."""
        return Batch(self.uploads, self.request, self.provider, self.history,
                     concurrency=self.concurrency, on_end=self._on_end, previous=self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every worker has ended; True if they have."""
        return self._finished.wait(timeout)

    @property
    def started(self) -> bool:
        return self.started_at is not None

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    @property
    def running(self) -> bool:
        return self.started and not self.finished

    @property
    def stopping(self) -> bool:
        return self._stop.is_set() and not self.finished

    @property
    def offline(self) -> bool:
        return self.provider.offline

    @property
    def elapsed_s(self) -> float:
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.monotonic()) - self.started_at

    # -- what the page and the CLI show ---------------------------------------------
    def rows(self) -> list[Row]:
        now = time.monotonic()
        with self._lock:
            return [item.row(now) for item in self._items]

    def counts(self) -> Counter[ItemStatus]:
        with self._lock:
            return Counter(item.status for item in self._items)

    def progress(self) -> float:
        """The share of CVs that have ended (0..1)."""
        counts = self.counts()
        return sum(n for status, n in counts.items() if status.ended) / len(self._items)

    def kits(self) -> list[tuple[Row, Kit | None]]:
        """Every row with its kit: complete ones, and those skipped as done before."""
        now = time.monotonic()
        with self._lock:
            pairs = [(item.row(now), item.kit) for item in self._items]
        out: list[tuple[Row, Kit | None]] = []
        for row, kit in pairs:
            if row.status is ItemStatus.SKIPPED and kit is None and row.kit_id is not None:
                kit = self._load(row.kit_id)
            out.append((row, kit if row.status in {ItemStatus.DONE, ItemStatus.SKIPPED}
                        else None))
        return out

    def _load(self, kit_id: int) -> Kit | None:
        try:
            return self.history.kit(kit_id)
        except KitError as exc:
            log.warning("batch %s: kit %s not loaded: %s", self.id, kit_id, exc)
            return None

    # -- the workers --------------------------------------------------------------
    def _work(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    item = self._pending.get_nowait()
                except queue.Empty:
                    break
                self._run_item(item)
        finally:
            with self._lock:
                self._alive -= 1
                last = self._alive == 0
            if last:
                self._finish()

    def _finish(self) -> None:
        with self._lock:
            if self.finished_at is None:
                self.finished_at = time.monotonic()
        self._finished.set()

    def _run_item(self, item: _Item) -> None:
        with self._lock:
            if item.status is not ItemStatus.QUEUED:  # stopped meanwhile
                return
            item.status, item.started, item.message = (ItemStatus.RUNNING, time.monotonic(),
                                                       "reading the CV…")
        try:
            status, message = self._process(item)
        except Exception as exc:  # a bug must fail one row, never the batch
            log.exception("batch %s: %s failed", self.id, item.upload.name)
            status, message = ItemStatus.FAILED, f"Unexpected error ({type(exc).__name__})."
        now = time.monotonic()
        with self._lock:
            item.status, item.message, item.ended, item.run = status, message, now, None
            row = item.row(now)
        self._report(row)

    def _report(self, row: Row) -> None:
        if self._on_end is None:
            return
        try:
            self._on_end(row)
        except Exception:  # a printer failing must not stop the batch
            log.exception("batch %s: on_end failed", self.id)

    def _process(self, item: _Item) -> tuple[ItemStatus, str]:
        request, upload = self.request, item.upload
        if request.skip_done and (found := self._in_history(upload)) is not None:
            item.kit_id, item.candidate, item.questions = (found.id, found.candidate,
                                                           found.question_count)
            return ItemStatus.SKIPPED, f"already in History as kit #{found.id}"
        try:
            cv = read_cv(upload.data, upload.filename, limits=request.limits)
        except CVError as exc:
            return ItemStatus.FAILED, str(exc)
        if self._stop.is_set():
            return ItemStatus.STOPPED, "stopped before the model was asked"
        return self._generate(item, cv)

    def _in_history(self, upload: Upload) -> KitSummary | None:
        try:
            return self.history.find_done(upload.digest, self.request.prompt_key,
                                          self.request.job_description, self.request.inputs())
        except KitError as exc:
            log.warning("batch %s: History lookup failed: %s", self.id, exc)
            return None

    def _generate(self, item: _Item, cv: CVText) -> tuple[ItemStatus, str]:
        request = self.request
        prepared = prepare_cv(cv, self.provider)
        if not prepared.text.strip():
            return ItemStatus.FAILED, ALL_HIDDEN
        try:
            run = self._build(prepared)
        except KitError as exc:
            return ItemStatus.FAILED, str(exc)
        item.run = run
        self._stream(run)
        kit = run.to_kit(cv, request.job_description)
        kit.id, kit.role_id = None, request.role_id
        notes = _suspicions(prepared)
        try:
            kit.id = self.history.save(run, cv, request.job_description)
        except KitError as exc:
            notes.append(f"not saved to History: {exc}")
        item.kit, item.kit_id = kit, kit.id
        item.candidate, item.questions = kit.candidate, len(kit.questions)
        return _outcome(run, kit.id, "; ".join(notes))

    def _build(self, prepared: PreparedCV) -> KitRun:
        """The run Generate would make: the role's frozen questions, else the prompt's
        planned or whole kit; one request at a time per CV (the pool is the bound)."""
        request, offline = self.request, self.provider.offline
        if request.frozen is not None:
            return frozen_run(request.frozen, prepared, offline=offline, model=request.model,
                              concurrency=1, role_id=request.role_id)
        return build_run(request.prompt, prepared, offline=offline,
                         job_description=request.job_description, raw_values=request.values,
                         model=request.model, planned=request.planned, concurrency=1)

    def _stream(self, run: KitRun) -> None:
        deltas = run.deltas(self.provider)
        try:
            for _ in deltas:
                if self._stop.is_set():
                    break
        finally:
            deltas.close()  # a Stop reaches the HTTP response now
        if self._stop.is_set():
            run.mark_interrupted()


def _suspicions(prepared: PreparedCV) -> list[str]:
    """What Generate would show next to the CV, in a few words for its row."""
    notes = []
    if prepared.hidden:
        notes.append(f"{len(prepared.hidden)} hidden passage(s) "
                     + ("left out" if prepared.hidden_dropped else "kept"))
    if prepared.instructions:
        notes.append(f"{len(prepared.instructions)} passage(s) addressed to an AI: check "
                     "the kit")
    return notes


def _outcome(run: KitRun, kit_id: int | None, note: str) -> tuple[ItemStatus, str]:
    saved = f"; the partial kit is in History as #{kit_id}" if kit_id is not None else ""
    if note and run.status is not Status.DONE:
        saved += f" ({note})"
    if run.status is Status.DONE:
        return ItemStatus.DONE, note
    if run.status is Status.STOPPED:
        return ItemStatus.STOPPED, (f"stopped{saved}" if run.text.strip() else
                                    "stopped before any text arrived")
    return ItemStatus.FAILED, f"{run.error or 'the generation failed'}{saved}"


__all__ = ["Batch", "OnEnd"]
