"""One generation of an interview kit, from request to outcome.

A :class:`KitRun` is owned by a job (:mod:`interviewkit.kit.jobs`) in the app
and by the command in the CLI.  It records every delta as it arrives, so
whatever ends the stream - the model finishing, a Stop click, a dropped
connection, a 429 - the text that arrived is kept and labelled with how it
ended.  Errors never escape :meth:`KitRun.stream`: they become
``status``/``error`` for the page to show.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from interviewkit.errors import KitError
from interviewkit.kit.evidence import checked
from interviewkit.kit.model import STATUS_TEXT, Kit, Status, guess_candidate
from interviewkit.kit.sections import at_most_questions, parse_kit, sections
from interviewkit.kit.steps import Step, run_steps
from interviewkit.kit.stream import Recorder, coalesce
from interviewkit.providers.base import GenParams, Message, Provider, Usage

if TYPE_CHECKING:
    from interviewkit.ingest.cv import CVText

log = logging.getLogger(__name__)


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
    usage: Usage = field(default_factory=Usage)
    status: Status = Status.PENDING
    error: str | None = None
    error_code: str | None = None
    steps: list[Step] = field(default_factory=list)  # a planned kit: one request per question
    concurrency: int = 1  # planned steps in flight at once (remote models)
    requirements: list[str] = field(default_factory=list)  # the job's, for the coverage table

    @property
    def text(self) -> str:
        return self.recorder.text

    @property
    def partial(self) -> bool:
        return self.status in {Status.STOPPED, Status.FAILED} and bool(self.text)

    def stream(self, provider: Provider, interval: float = 0.1) -> Iterator[str]:
        """The batched text stream for stdout (the app follows a job instead)."""
        return coalesce(self.deltas(provider), interval)

    def deltas(self, provider: Provider) -> Generator[str, None, None]:
        """The provider's deltas, recorded and capped; errors become the run's status."""
        self.provider_label, self.model = provider.label, self.params.model or provider.model
        self.status = Status.RUNNING
        return self._guarded(provider)

    def _guarded(self, provider: Provider) -> Generator[str, None, None]:
        if self.steps:
            deltas = run_steps(provider, self.steps, self.usage, self.concurrency)
        else:
            deltas = provider.execute(self.messages, self.params, self.usage)
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
        if self.status == Status.RUNNING:
            self.status = Status.DONE

    def fail(self, message: str, code: str) -> None:
        self.status, self.error, self.error_code = Status.FAILED, message, code

    def again(self) -> KitRun:
        """A fresh run of exactly the same request (the Retry button)."""
        return KitRun(prompt_name=self.prompt_name, prompt_key=self.prompt_key,
                      values=dict(self.values), cv_name=self.cv_name,
                      messages=list(self.messages), params=self.params,
                      steps=list(self.steps), concurrency=self.concurrency,
                      requirements=list(self.requirements))

    def regenerate(self, index: int) -> KitRun:
        """The same planned kit with question ``index`` (0-based) written again, a little
        warmer; the other questions are kept as they are, without a request."""
        parts = sections(self.text)
        if not self.steps or len(parts) != len(self.steps) or not 0 <= index < len(parts):
            raise KitError("Only a finished planned kit can have one question written again.",
                           code="not_regenerable")
        steps = [replace(step, fixed=None if i == index else part,
                         params=replace(step.params, temperature=min(1.2,
                                        step.params.temperature + 0.3)) if i == index
                         else step.params)
                 for i, (step, part) in enumerate(zip(self.steps, parts, strict=True))]
        again = self.again()
        again.steps = steps
        return again

    def mark_interrupted(self) -> None:
        """Stopped mid-stream: keep the text, say so."""
        if self.status in {Status.RUNNING, Status.PENDING}:
            self.status = Status.STOPPED
            if self.recorder.finished_at is None:
                self.recorder.finished_at = self.recorder.clock()

    def stats(self) -> dict[str, str]:
        """Figures shown after the stream, already formatted for people."""
        rec = self.recorder
        out = {"Model": self.model or self.provider_label, "Status": STATUS_TEXT[self.status]}
        if rec.elapsed_s is not None:
            out["Elapsed"] = f"{rec.elapsed_s:.1f} s"
        out["First token"] = f"{rec.ttft_s:.2f} s" if rec.ttft_s is not None else "—"
        tokens = self.output_tokens
        if self.usage.measured:
            out["Tokens"] = f"{self.usage.prompt_tokens} in, {tokens} out"
        else:
            out["Tokens (approx.)"] = str(tokens)
        if rec.elapsed_s and rec.ttft_s is not None and rec.elapsed_s > rec.ttft_s:
            rate = tokens / (rec.elapsed_s - rec.ttft_s)
            out["Speed"] = f"{rate:.0f} tok/s"
        return out

    @property
    def output_tokens(self) -> int:
        """Tokens written: the server's count when it sent one, else an estimate."""
        if self.usage.measured and self.usage.completion_tokens is not None:
            return self.usage.completion_tokens
        return self.recorder.approx_tokens

    def prompt_text(self) -> str:
        """The exact text sent to the model, message by message (request by request)."""
        requests = [step.messages for step in self.steps] or [self.messages]
        return "\n\n".join(
            (f"[request {n}]\n" if len(requests) > 1 else "")
            + "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in messages)
            for n, messages in enumerate(requests, 1))

    def to_kit(self, cv: CVText, job_description: str = "", *, prompt_text: str | None = None,
               partial: bool | None = None, candidate: str | None = None,
               cv_file: bytes | None = None) -> Kit:
        """Freeze this run into a :class:`Kit` ready to store or export."""
        rec = self.recorder
        status = Status.STOPPED if not self.status.ended else self.status
        return Kit(
            candidate=candidate or guess_candidate(cv.text, cv.filename),
            cv_name=cv.filename, cv_sha256=cv.digest, cv_text=cv.text,
            job_description=job_description, prompt_name=self.prompt_name,
            prompt_key=self.prompt_key,
            prompt_text=prompt_text if prompt_text is not None else self.prompt_text(),
            inputs=dict(self.values), provider=self.provider_label, model=self.model,
            status=status, partial=(status != Status.DONE) if partial is None else partial,
            markdown=self.text, questions=checked(parse_kit(self.text), cv.text), error=self.error,
            elapsed_s=rec.elapsed_s, ttft_s=rec.ttft_s, tokens=self.output_tokens,
            created=self.created, cv_file=cv_file, requirements=list(self.requirements),
        )
