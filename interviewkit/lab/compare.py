"""Prompt Lab, comparing half: A and B on the same CV at the same time, with their figures.

Each side is a generation job (:mod:`interviewkit.kit.jobs`), so neither side waits for the
other (except two offline sides: the embedded model serves one generation at a time) and a
page rerun re-attaches instead of stopping them; :meth:`Comparison.events` merges their text
into one iterator, and the CLI simply runs to the end.  Costs use the server's token counts
when it sends them (else character-based estimates) and a small table of list prices.
"""

from __future__ import annotations

import functools
import queue
import threading
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from interviewkit.config import DEFAULT_OPENAI_MODEL, Settings
from interviewkit.ingest.cv import CVText
from interviewkit.kit.jobs import JOBS, Job
from interviewkit.kit.pipeline import PreparedCV, build_run, prepare_cv
from interviewkit.kit.run import KitRun
from interviewkit.kit.stream import approx_tokens
from interviewkit.lab.prices import price_for
from interviewkit.promptfiles.schema import PromptSpec
from interviewkit.providers.base import Provider
from interviewkit.providers.factory import provider_from_settings

# -- comparing -------------------------------------------------------------------------------
REMOTE, OFFLINE = "remote", "offline"


def endpoints(settings: Settings) -> dict[str, str]:
    """Configured providers (key → label), the default one first."""
    found: dict[str, str] = {}
    if settings.api_key or settings.base_url:
        netloc = urlsplit(settings.base_url or "https://api.openai.com/v1").netloc
        found[REMOTE] = f"OpenAI-compatible · {netloc.rpartition('@')[2]}"
    found[OFFLINE] = "Offline model (embedded, CPU)"
    if REMOTE in found and not settings.uses_remote:
        found = {OFFLINE: found[OFFLINE], REMOTE: found[REMOTE]}
    return found


@dataclass(frozen=True)
class SideConfig:
    """What one column runs: a prompt on a provider with a model and temperature."""

    name: str
    spec: PromptSpec
    endpoint: str = REMOTE
    model: str | None = None
    temperature: float | None = None
    planned: bool = False  # one question per CV passage, instead of the whole kit at once


@dataclass
class Side:
    """One column of a comparison: its run (text, timings, status) and its own provider."""

    name: str
    run: KitRun
    provider: Provider
    prepared: PreparedCV | None = None

    @property
    def prompt_tokens(self) -> int:
        """The server's count when it sent one, else an estimate from the characters."""
        usage = self.run.usage
        if usage.measured and usage.prompt_tokens is not None:
            return usage.prompt_tokens
        return approx_tokens("\n".join(m["content"] for m in self.run.messages))

    def figures(self) -> dict[str, str]:
        """The run's stats plus an approximate cost where the model's price is known."""
        out = self.run.stats()
        price = price_for(self.run.model or self.provider.model)
        if self.provider.offline:
            out["Cost"] = "free (local)"
        elif price is not None:
            usd = price.cost(self.prompt_tokens, self.run.output_tokens)
            label = "Cost" if self.run.usage.measured else "Cost (approx.)"
            out[label] = f"${usd:.4f}"
        return out


def build_side(config: SideConfig, settings: Settings, *, cv: CVText,
               job_description: str = "", values: Mapping[str, object] | None = None,
               drop_hidden: bool = True) -> Side:
    """Make the side's provider, decide what it sees of the CV (the one pipeline: hidden
    text out, personal data out for a remote model) and render the prompt.  Input values
    the prompt does not declare are ignored, so one set of values can serve two prompts."""
    declared = {item.name for item in config.spec.inputs}
    raw = {k: v for k, v in (values or {}).items() if k in declared}
    offline = config.endpoint == OFFLINE
    model = None if offline else config.model or config.spec.model or settings.model
    chosen = (replace(settings, provider="offline") if offline else
              replace(settings, provider="openai", model=model or DEFAULT_OPENAI_MODEL))
    provider = provider_from_settings(chosen)
    prepared = prepare_cv(cv, provider, drop_hidden=drop_hidden)
    run = build_run(config.spec, prepared, offline=offline, job_description=job_description,
                    raw_values=raw, model=model, planned=config.planned and config.spec.planned)
    if config.temperature is not None:
        run.params = replace(run.params, temperature=config.temperature)
        run.steps = [replace(step, params=replace(step.params, temperature=config.temperature))
                     for step in run.steps]
    run.params = replace(run.params, model=model)
    return Side(config.name, run, provider, prepared)


@dataclass(frozen=True)
class LabEvent:
    """Text for one side, that side's end (``done``), or a tick (``side`` None) to refresh
    clocks while nothing arrives."""

    side: str | None
    text: str = ""
    done: bool = False


class Comparison:
    """Every side streams at once as its own job; :meth:`events` merges what they write."""

    def __init__(self, sides: Sequence[Side], *, tick: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if len({side.name for side in sides}) != len(sides):
            raise ValueError("side names must be unique")
        self.sides = list(sides)
        self.tick, self.clock = tick, clock
        self.started: float | None = None
        self.finished: float | None = None
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[LabEvent] = queue.Queue()
        self._sent: dict[str, int] = {}
        self._done_sides: set[str] = set()
        self._lock = threading.Lock()

    def side(self, name: str) -> Side:
        return next(side for side in self.sides if side.name == name)

    @property
    def wall_s(self) -> float | None:
        """Seconds from the start until every side had finished."""
        if self.started is None or self.finished is None:
            return None
        return self.finished - self.started

    @property
    def ended(self) -> bool:
        """Every side has finished or been stopped (False before :meth:`start`)."""
        return bool(self.jobs) and all(job.ended for job in self.jobs.values())

    def start(self) -> None:
        """Start one job per side (a comparison runs once)."""
        if self.started is not None:
            raise RuntimeError("a comparison runs once")
        self.started = self.clock()
        for side in self.sides:
            self._sent[side.name] = 0
            self.jobs[side.name] = JOBS.start(
                side.run, side.provider, close_provider=True,
                on_delta=functools.partial(self._forward, side.name),
                on_end=functools.partial(self._done, side.name))

    def _forward(self, name: str) -> None:
        """On a side's worker: queue the text that side has added since the last event."""
        with self._lock:
            text = self.side(name).run.text
            new, self._sent[name] = text[self._sent[name]:], len(text)
        if new:
            self._queue.put(LabEvent(name, new))

    def _done(self, name: str, job: Job) -> None:
        self._forward(name)
        with self._lock:
            self._done_sides.add(name)
            if len(self._done_sides) == len(self.sides):
                self.finished = self.clock()
        self._queue.put(LabEvent(name, done=True))

    def events(self) -> Generator[LabEvent, None, None]:
        """Start every side and yield their text as it comes; closing this stops them all."""
        self.start()
        pending = {side.name for side in self.sides}
        try:
            while pending:
                try:
                    event = self._queue.get(timeout=self.tick)
                except queue.Empty:
                    yield LabEvent(None)
                    continue
                if event.done:
                    pending.discard(event.side or "")
                yield event
        finally:
            self.stop()

    def run(self) -> None:
        """Run to the end without a consumer (the CLI)."""
        self.start()
        for job in self.jobs.values():
            job.wait()

    def stop(self) -> None:
        """Stop every side still running; their text so far is kept."""
        for job in self.jobs.values():
            if not job.finished:
                job.stop()
        for side in self.sides:
            side.run.mark_interrupted()
