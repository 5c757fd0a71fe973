"""A planned kit is several small requests, shown as one stream in order.

Each question of a planned kit is its own short request (:class:`Step`): small
models do much better on a narrow task, and the system prefix is identical
across steps, so llama.cpp reuses its cache for it.  :func:`run_steps` yields
each step's fixed head ("### 2. "), the model's text, then its fixed tail (the
"Based on:" line), so the page and the parser see an ordinary kit.  Remote
models may run ``concurrency`` steps at once; their text is still shown in
order, each step buffered until the ones before it are done.

A step whose system prompt shows the rating-guide format (``**Rating:**`` then
``- 1: …``, written by :mod:`interviewkit.promptfiles.render` when a prompt asks
for a guide) gets the room for it: the guide's tokens on top of its budget and,
on the embedded model, the guide's shape in its grammar.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from interviewkit.kit.grammar import LEVELS, RATING_LABEL, is_korean, rating_tokens, with_rating
from interviewkit.kit.stream import close_quietly
from interviewkit.providers.base import GenParams, Message, Provider, Usage

_END = object()


@dataclass(frozen=True)
class Step:
    """One request of a run, and the text the run shows before and after its answer."""

    messages: list[Message]
    params: GenParams
    head: str = ""
    tail: str = ""
    fixed: str | None = None  # kept text (regenerating another question): no request


def _without_heading(deltas: Iterator[str]) -> Iterator[str]:
    """Drop a leading "### N." / "Question N:" the model wrote despite the head."""
    start: str | None = ""
    try:
        for delta in deltas:
            if start is None:
                yield delta
                continue
            start += delta
            if "\n" in start or len(start) > 24:
                yield _heading_dropped(start)
                start = None
    except Exception:
        if start:  # what arrived before a failure is kept
            yield start.lstrip()
        raise
    if start:
        yield _heading_dropped(start)


def _heading_dropped(start: str) -> str:
    stripped = start.lstrip()
    for prefix in ("###", "**Question", "Question"):
        if stripped.startswith(prefix):
            return stripped[len(prefix):].lstrip(" 0123456789.:*)")
    return stripped


RATING_FORMAT = f"{RATING_LABEL}\n- {LEVELS[0]}: "  # how a request shows the guide it asks for


def asks_for_rating(messages: Sequence[Message]) -> bool:
    """The request's system prompt asks for a rating guide after the follow-up."""
    return any(RATING_FORMAT in m["content"] for m in messages if m["role"] == "system")


def _params(step: Step) -> GenParams:
    """The step's sampling settings, with room (and on the embedded model, a shape) for the
    rating guide its prompt asks for."""
    if not asks_for_rating(step.messages):
        return step.params
    grammar = with_rating(step.params.grammar) if step.params.grammar else None
    korean = any(is_korean(m["content"]) for m in step.messages if m["role"] == "system")
    return replace(step.params, max_tokens=step.params.max_tokens + rating_tokens(korean),
                   grammar=grammar)


def _one(provider: Provider, step: Step, usage: Usage) -> Iterator[str]:
    if step.fixed is not None:
        yield step.fixed
        return
    deltas = provider.execute(step.messages, _params(step), usage)
    head, last = step.head, ""
    try:
        for delta in _without_heading(deltas):  # a model may write "### 2." itself
            if delta:  # the head goes out with the model's first words: TTFT stays honest
                yield head + delta
                head, last = "", delta
        tail = step.tail[1:] if last.endswith("\n") and step.tail.startswith("\n") else step.tail
        yield head + tail
    finally:
        close_quietly(deltas)


def _distinct(provider: Provider, step: Step, usage: Usage, asked: list[str]
              ) -> Iterator[str]:
    """The step's text; a question too like one already asked is written again, once and a
    little warmer.  The question line is held until it is complete so it can be compared
    (the rest of the answer streams as it comes)."""
    for attempt in (0, 1):
        params = step.params if attempt == 0 else replace(
            step.params, temperature=min(1.3, step.params.temperature + 0.5))
        source = _one(provider, replace(step, params=params), usage)
        held: str | None = ""
        try:
            for chunk in source:
                if held is None:
                    yield chunk
                    continue
                held += chunk
                line, ended, _ = held.partition("\n")
                if not ended:
                    continue
                if attempt == 0 and step.fixed is None and _too_alike(line, asked):
                    close_quietly(source)
                    break
                asked.append(line)
                yield held
                held = None
            else:
                if held:
                    asked.append(held.partition("\n")[0])
                    yield held
                return
        except Exception:
            if held:  # what arrived before a failure is kept
                yield held
            raise


_WORDS = re.compile(r"\w+")


def _too_alike(line: str, asked: Sequence[str], limit: float = 0.5) -> bool:
    """Token overlap (Jaccard) above ``limit`` with an earlier question of the kit."""
    words = {w.casefold() for w in _WORDS.findall(line.partition(". ")[2] or line)}
    for other in asked:
        theirs = {w.casefold() for w in _WORDS.findall(other.partition(". ")[2] or other)}
        if words and theirs and len(words & theirs) / len(words | theirs) > limit:
            return True
    return False


def _pump(source: Iterator[str], out: queue.Queue[object], stop: threading.Event) -> None:
    try:
        for delta in source:
            if stop.is_set():
                break
            out.put(delta)
    except BaseException as exc:  # handed to the consumer in order
        out.put(exc)
    finally:
        close_quietly(source)
        out.put(_END)


def run_steps(provider: Provider, steps: Sequence[Step], usage: Usage,
              concurrency: int = 1) -> Iterator[str]:
    """Every step's text in order; ``concurrency`` steps may be in flight at once."""
    usages = [Usage() for _ in steps]
    asked: list[str] = []
    try:
        if concurrency <= 1:
            for step, used in zip(steps, usages, strict=True):
                yield from _distinct(provider, step, used, asked)
        else:
            yield from _ordered(provider, steps, usages, concurrency)
    finally:
        for used in usages:  # what was counted, also when the run was stopped
            usage.add(used)


def _ordered(provider: Provider, steps: Sequence[Step], usages: list[Usage],
             concurrency: int) -> Iterator[str]:
    stop = threading.Event()
    queues: list[queue.Queue[object]] = [queue.Queue() for _ in steps]
    started = 0

    def start_next() -> None:
        nonlocal started
        if started < len(steps):
            source = _one(provider, steps[started], usages[started])
            threading.Thread(target=_pump, args=(source, queues[started], stop), daemon=True,
                             name=f"interviewkit-step-{started}").start()
            started += 1

    for _ in range(concurrency):
        start_next()
    try:
        for index in range(len(steps)):
            while (item := queues[index].get()) is not _END:
                if isinstance(item, BaseException):
                    raise item
                assert isinstance(item, str)
                yield item
            start_next()
    finally:
        stop.set()
