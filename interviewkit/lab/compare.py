"""Prompt Lab, comparing half: A and B on the same CV at the same time, with their figures.

Each side's provider stream is consumed on its own thread into one queue, so neither side
waits for the other (except two offline sides: the embedded model serves one generation at a
time); :meth:`Comparison.events` merges them into one iterator that the page drains into two
columns and the CLI simply runs to the end.  Costs use a small table of OpenAI list prices and
character-based token estimates: approximate by design.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from interviewkit.config import DEFAULT_OPENAI_MODEL, Settings
from interviewkit.kit.pipeline import new_run
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


@dataclass
class Side:
    """One column of a comparison: its run (text, timings, status) and its own provider."""

    name: str
    run: KitRun
    provider: Provider

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


def build_side(config: SideConfig, settings: Settings, *, cv_text: str, cv_name: str,
               job_description: str = "", values: Mapping[str, object] | None = None) -> Side:
    """Render the prompt and make the side's provider; input values it does not declare are
    ignored, so one set of values can serve two different prompts."""
    declared = {item.name for item in config.spec.inputs}
    raw = {k: v for k, v in (values or {}).items() if k in declared}
    offline = config.endpoint == OFFLINE
    run = new_run(config.spec, cv_text=cv_text, cv_name=cv_name, job_description=job_description,
                  raw_values=raw, model=None if offline else config.model)
    temperature = run.params.temperature if config.temperature is None else config.temperature
    run.params = replace(run.params, temperature=temperature,
                         model=None if offline else run.params.model or settings.model)
    chosen = (replace(settings, provider="offline") if offline else
              replace(settings, provider="openai",
                      model=run.params.model or DEFAULT_OPENAI_MODEL))
    return Side(config.name, run, provider_from_settings(chosen))


@dataclass(frozen=True)
class LabEvent:
    """Text for one side, that side's end (``done``), or a tick (``side`` None) to refresh
    clocks while nothing arrives."""

    side: str | None
    text: str = ""
    done: bool = False


class Comparison:
    """Every side streams at once, each on its own thread; :meth:`events` merges them."""

    def __init__(self, sides: Sequence[Side], *, interval: float = 0.1, tick: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if len({side.name for side in sides}) != len(sides):
            raise ValueError("side names must be unique")
        self.sides = list(sides)
        self.interval, self.tick, self.clock = interval, tick, clock
        self.started: float | None = None
        self.finished: float | None = None
        self._queue: queue.Queue[LabEvent] = queue.Queue()
        self._stop = threading.Event()

    def side(self, name: str) -> Side:
        return next(side for side in self.sides if side.name == name)

    @property
    def wall_s(self) -> float | None:
        """Seconds from the start until every side had finished."""
        if self.started is None or self.finished is None:
            return None
        return self.finished - self.started

    def events(self) -> Generator[LabEvent, None, None]:
        """Start every side and yield their text as it comes; closing this stops them all."""
        if self.started is not None:
            raise RuntimeError("a comparison runs once")
        self.started = self.clock()
        for side in self.sides:
            threading.Thread(target=self._work, args=(side,), daemon=True,
                             name=f"interviewkit-lab-{side.name}").start()
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
            self.finished = self.clock()
        finally:
            self.stop()

    def run(self) -> None:
        """Run to the end without a consumer (the CLI)."""
        for _ in self.events():
            pass

    def stop(self) -> None:
        """Stop every side still running; their text so far is kept."""
        self._stop.set()
        for side in self.sides:
            side.run.mark_interrupted()

    def _work(self, side: Side) -> None:
        stream = side.run.stream(side.provider, self.interval)
        try:
            for chunk in stream:
                self._queue.put(LabEvent(side.name, chunk))
                if self._stop.is_set():
                    break
        except Exception as exc:  # KitRun turns errors into a status; this is a last resort
            side.run.fail(f"Unexpected error ({type(exc).__name__}).", "internal")
        finally:
            if isinstance(stream, Generator):
                stream.close()
            if not self._stop.is_set():  # a stopped stream may still be closing on its
                side.provider.close()  # reader thread: let it, and leave the pool to the GC
            self._queue.put(LabEvent(side.name, done=True))
