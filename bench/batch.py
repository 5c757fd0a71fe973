"""Batch throughput: 20 CVs through the local mock server at a hosted model's pace.

``python bench/batch.py [--cvs 20] [--questions 3] [--concurrency 4]``

The mock (``interviewkit.testing.mockserver``, in this process) answers like a hosted
model: 0.8 s to the first token, then 40 tokens a second, a question-sized answer to
each planned request (the technical screen, planned, ``num_questions`` questions a CV).
The same CVs - the corpus PDFs that have text (``../shared/corpus/cv``), topped up
with generated text CVs - go through :class:`interviewkit.batch.Batch` exactly as the
page runs them (read, prepared, planned, streamed, saved to a fresh SQLite History),
once at concurrency 1 and once at ``--concurrency``.  Printed: the wall time of each,
their ratio (target: at most 1/3), the most requests the mock had in flight, and peak
memory - the Python heap (``tracemalloc``, on for both runs, so both pay its cost)
and the process's resident peak (``ru_maxrss``, a high-water mark for the process).
A benchmark, never a test.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the package importable
    sys.path.insert(0, str(ROOT))

from interviewkit.access.model import CLI_ADMIN  # noqa: E402
from interviewkit.access.scope import Scope  # noqa: E402
from interviewkit.batch import Batch, ItemStatus, Request, ScopeLink, Upload  # noqa: E402
from interviewkit.config import REPO_PROMPTS_DIR  # noqa: E402
from interviewkit.errors import CVError  # noqa: E402
from interviewkit.history import Store  # noqa: E402
from interviewkit.ingest.cv import clear_cache, read_cv  # noqa: E402
from interviewkit.promptfiles.loader import load_prompt  # noqa: E402
from interviewkit.providers.base import GenParams  # noqa: E402
from interviewkit.providers.remote import OpenAIProvider  # noqa: E402
from interviewkit.testing.mockserver import MockOpenAIServer, Reply  # noqa: E402

TTFT_S, RATE = 0.8, 40.0
CORPUS_CVS = ROOT.parent / "shared" / "corpus" / "cv"
TARGET = 1 / 3


def _answer(number: int) -> list[str]:
    """A question-sized answer (~45 tokens); its own words, so no "too alike" rewrite."""
    own = " ".join(f"topic{number}w{i}" for i in range(6))
    text = (f"How did you decide on {own}, and what would you change now?\n**Listen for:**\n"
            "- Explains the constraints that shaped the design and the options weighed\n"
            "- Quantifies the result with a figure from the work itself\n"
            "**Follow-up:** What broke first when the load grew?\n")
    return [("" if i == 0 else " ") + word for i, word in enumerate(text.split(" "))]


class Mock:
    """Replies at the hosted pace; counts requests in flight (+1 on arrival, -1 when the
    usage chunk goes out, before ``[DONE]``)."""

    def __init__(self) -> None:
        self.now = self.peak = self.seen = 0
        self._lock = threading.Lock()

    def reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.now, self.seen = self.now + 1, self.seen + 1
            self.peak, number = max(self.peak, self.now), self.seen
        return Reply(text=_answer(number), first_delay=TTFT_S, delay=1.0 / RATE)

    def on_event(self, payload: dict[str, Any]) -> None:
        if payload.get("usage") and not payload.get("choices"):
            with self._lock:
                self.now -= 1

    def reset(self) -> None:
        with self._lock:
            self.peak = self.seen = 0


def _text_cv(n: int) -> bytes:
    return (f"Generated Candidate{n}\nBackend engineer\n\nEXPERIENCE\n"
            f"Senior engineer, Acme{n} Payments (2019-2024)\n"
            f"- Built a payment service in Python handling {n * 1000 + 7} requests a second\n"
            f"- Led the migration of {n + 3} services to PostgreSQL with zero downtime\n"
            f"- Cut the p99 latency of the checkout API from {n + 400} ms to 90 ms\n\n"
            f"EDUCATION\nBSc Computer Science, University of Town{n} (2011-2015)\n").encode()


def cvs(count: int) -> tuple[list[Upload], int]:
    """``count`` CVs: corpus PDFs with a text layer first, then generated text CVs."""
    uploads: list[Upload] = []
    for path in sorted(CORPUS_CVS.glob("*.pdf")) if CORPUS_CVS.is_dir() else []:
        data = path.read_bytes()
        try:
            read_cv(data, path.name)
        except CVError:  # image-only or blank: nothing to ask about
            continue
        uploads.append(Upload(path.name, data))
    from_corpus = min(len(uploads), count)
    uploads = uploads[:count]
    uploads += [Upload(f"generated{n}.txt", _text_cv(n)) for n in range(count - len(uploads))]
    return uploads, from_corpus


@dataclass(frozen=True)
class Figures:
    concurrency: int
    wall_s: float
    per_cv_s: float
    done: int
    requests: int
    in_flight: int
    heap_mb: float
    rss_mb: float


def measure(uploads: Sequence[Upload], concurrency: int, questions: int,
            mock: Mock, server: MockOpenAIServer) -> Figures:
    """One batch of ``uploads`` into a fresh History; nothing cached from the run before."""
    prompt = load_prompt(REPO_PROMPTS_DIR / "technical_screen.yaml")
    with tempfile.TemporaryDirectory(prefix="ikbench-batch-") as home:
        store = Store(f"sqlite:///{home}/history.sqlite3")
        provider = OpenAIProvider(model="mock-model", api_key="sk-bench", base_url=server.base_url)
        clear_cache()
        mock.reset()
        tracemalloc.start()
        start = time.monotonic()
        batch = Batch(uploads, Request(prompt, {"num_questions": questions}, skip_done=False),
                      provider, ScopeLink(Scope(store, CLI_ADMIN)),
                      concurrency=concurrency).start()
        batch.wait()
        wall = time.monotonic() - start
        heap = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows = batch.rows()
        provider.close()
        store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures(concurrency, wall, statistics.median(r.elapsed_s or 0 for r in rows),
                   sum(r.status is ItemStatus.DONE for r in rows), mock.seen, mock.peak,
                   heap, rss)


def _warm_up(server: MockOpenAIServer) -> None:
    """The PDF worker and the SDK's first-use costs, paid before anything is timed."""
    provider = OpenAIProvider(model="mock-model", api_key="sk-bench", base_url=server.base_url)
    for _ in provider.execute([{"role": "user", "content": "hi"}], GenParams(max_tokens=16)):
        pass
    provider.close()
    uploads, _ = cvs(1)
    clear_cache()
    read_cv(uploads[0].data, uploads[0].filename)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cvs", type=int, default=20)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    uploads, from_corpus = cvs(args.cvs)
    mock = Mock()
    print(f"Batch: {len(uploads)} CVs ({from_corpus} corpus PDFs, "
          f"{len(uploads) - from_corpus} generated), technical screen planned, "
          f"{args.questions} questions each; mock {TTFT_S} s TTFT, {RATE:.0f} tok/s\n",
          flush=True)
    with MockOpenAIServer(default=mock.reply, on_event=mock.on_event,
                          max_lifetime_s=3600) as server:
        _warm_up(server)
        runs = [measure(uploads, c, args.questions, mock, server)
                for c in (1, args.concurrency)]
    print("| concurrency | wall time | per CV (median) | kits done | requests | most in "
          "flight at the server | Python heap peak | RSS peak (process, so far) |")
    print("|---|---|---|---|---|---|---|---|")
    for f in runs:
        print(f"| {f.concurrency} | {f.wall_s:.1f} s | {f.per_cv_s:.1f} s | {f.done} / "
              f"{len(uploads)} | {f.requests} | {f.in_flight} | {f.heap_mb:.1f} MB | "
              f"{f.rss_mb:.0f} MB |")
    ratio = runs[1].wall_s / runs[0].wall_s
    met = "met" if ratio <= TARGET else "NOT met"
    print(f"\nratio c={args.concurrency} / c=1: {ratio:.2f} (1/{1 / ratio:.1f}); "
          f"target <= 1/3: {met}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
