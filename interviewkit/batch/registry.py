"""The process's batches: a server never runs more than a few at once.

Each batch bounds its own model requests (its pool); this bounds the pools, as
:class:`~interviewkit.kit.jobs.JobRegistry` bounds generation threads.
"""

from __future__ import annotations

import threading

from interviewkit.batch.runner import Batch
from interviewkit.errors import BatchError


class BatchRegistry:
    """The process's batches: at most ``max_running`` at once (a server bound)."""

    def __init__(self, max_running: int = 8) -> None:
        self.max_running = max_running
        self._batches: list[Batch] = []
        self._lock = threading.Lock()

    def start(self, batch: Batch) -> Batch:
        with self._lock:
            running = sum(1 for b in self._batches if b.running)
            if running >= self.max_running:
                raise BatchError(f"This server is already running {running} batches; try "
                                 "again when one has finished.", code="busy")
            self._batches = [b for b in self._batches if not b.finished]
            self._batches.append(batch)
        return batch.start()


BATCHES = BatchRegistry()


__all__ = ["BATCHES", "BatchRegistry"]
