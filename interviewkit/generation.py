"""One generation of an interview kit, from request to outcome.

A :class:`KitRun` lives in the page's session state (and in the CLI for one
command).  It records every delta as it arrives, so whatever ends the stream
- the model finishing, a Stop click, a dropped connection, a 429 - the text
that arrived is kept and labelled with how it ended.  Errors never escape
:meth:`KitRun.stream`: they become ``status``/``error`` for the page to show.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO, cast

from interviewkit.display import at_most_questions
from interviewkit.errors import KitError
from interviewkit.llm import GenParams, Message, Provider
from interviewkit.prompts import PromptSpec, render_messages, resolve_inputs
from interviewkit.streaming import Recorder, coalesce

log = logging.getLogger(__name__)

STATUS_TEXT = {
    "pending": "Not started",
    "running": "Generating…",
    "done": "Complete",
    "stopped": "Stopped — partial kit kept",
    "failed": "Failed",
}


@dataclass
class KitRun:
    """What was asked, what came back, and how it ended."""

    prompt_name: str
    prompt_key: str
    values: dict[str, object]
    cv_name: str
    messages: list[Message]
    params: GenParams
    provider_label: str = ""
    model: str = ""
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    recorder: Recorder = field(default_factory=Recorder)
    status: str = "pending"
    error: str | None = None
    error_code: str | None = None

    @property
    def text(self) -> str:
        return self.recorder.text

    @property
    def partial(self) -> bool:
        return self.status in {"stopped", "failed"} and bool(self.text)

    def stream(self, provider: Provider, interval: float = 0.1) -> Iterator[str]:
        """The batched text stream for ``st.write_stream`` (or stdout)."""
        self.provider_label, self.model = provider.label, self.params.model or provider.model
        self.status = "running"
        return coalesce(self._guarded(provider), interval)

    def _guarded(self, provider: Provider) -> Iterator[str]:
        deltas = provider.execute(self.messages, self.params)
        limit = self.values.get("num_questions")
        if isinstance(limit, int) and limit > 0:
            deltas = at_most_questions(deltas, limit)
        try:
            yield from self.recorder.wrap(deltas)
        except KitError as exc:
            self.fail(str(exc), exc.code)
            return
        except Exception as exc:  # a bug, not the user's problem: log it, say little
            log.exception("generation failed")
            self.fail(f"Unexpected error ({type(exc).__name__}); the partial text is kept.",
                      "internal")
            return
        if self.status == "running":
            self.status = "done"

    def fail(self, message: str, code: str) -> None:
        self.status, self.error, self.error_code = "failed", message, code

    def again(self) -> KitRun:
        """A fresh run of exactly the same request (the Retry button)."""
        return KitRun(prompt_name=self.prompt_name, prompt_key=self.prompt_key,
                      values=dict(self.values), cv_name=self.cv_name,
                      messages=list(self.messages), params=self.params)

    def mark_interrupted(self) -> None:
        """The script was rerun mid-stream (Stop, or another widget): keep the text."""
        if self.status == "running":
            self.status = "stopped"
            if self.recorder.finished_at is None:
                self.recorder.finished_at = self.recorder.clock()

    def stats(self) -> dict[str, str]:
        """Figures shown after the stream, already formatted for people."""
        rec = self.recorder
        out = {"Model": self.model or self.provider_label, "Status": STATUS_TEXT[self.status]}
        if rec.elapsed_s is not None:
            out["Elapsed"] = f"{rec.elapsed_s:.1f} s"
        out["First token"] = f"{rec.ttft_s:.2f} s" if rec.ttft_s is not None else "—"
        out["Tokens (approx.)"] = str(rec.approx_tokens)
        if rec.elapsed_s and rec.ttft_s is not None and rec.elapsed_s > rec.ttft_s:
            rate = rec.approx_tokens / (rec.elapsed_s - rec.ttft_s)
            out["Speed"] = f"{rate:.0f} tok/s"
        return out


def new_run(prompt: PromptSpec, *, cv_text: str, cv_name: str, job_description: str = "",
            raw_values: Mapping[str, object] | None = None, model: str | None = None) -> KitRun:
    """Validate inputs and render the prompt into a ready-to-stream run."""
    values = resolve_inputs(prompt, raw_values or {})
    messages = render_messages(prompt, cv=cv_text, job_description=job_description,
                               values=values)
    params = GenParams(temperature=prompt.temperature, max_tokens=prompt.max_tokens,
                       model=model or prompt.model)
    return KitRun(prompt_name=prompt.name, prompt_key=prompt.key, values=values,
                  cv_name=cv_name, messages=cast(list[Message], messages), params=params)


def drain(stream: Iterator[str], sink: TextIO) -> None:
    """Write a stream to ``sink`` as it arrives (the CLI's ``st.write_stream``)."""
    for chunk in stream:
        sink.write(chunk)
        sink.flush()
