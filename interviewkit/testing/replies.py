"""What the mock server answers (:class:`Reply`) and what it saw (:class:`RecordedRequest`)."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_PIECE = re.compile(r"\s*\S+")
_FILLER = ("the", "candidate", "should", "explain", "how", "they", "would", "design",
           "a", "reliable", "service", "and", "why", "each", "trade-off", "matters.")
_STATUS_DEFAULTS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to use this model.", "invalid_request_error", None),
    404: ("The model does not exist or you do not have access to it.",
          "invalid_request_error", "model_not_found"),
    422: ("Unprocessable request.", "invalid_request_error", None),
    429: ("Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
}
DEFAULT_MODEL = "mock-model"


@dataclass(frozen=True)
class Reply:
    """One scripted answer; the defaults are a fast, well-formed stream."""

    text: str | Sequence[str] = ""
    status: int = 200
    error: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    first_delay: float = 0.0
    delay: float = 0.0
    cut_after: int | None = None
    malformed_after: int | None = None
    stall: float = 0.0
    finish_reason: str = "stop"

    def pieces(self) -> list[str]:
        """Text split into token-like pieces that keep their leading whitespace."""
        if isinstance(self.text, str):
            return _PIECE.findall(self.text)
        return list(self.text)

    def error_body(self) -> dict[str, Any]:
        """OpenAI-shaped error JSON for a non-200 reply."""
        message, kind, code = _STATUS_DEFAULTS.get(
            self.status, (f"The server had an error ({self.status}).", "server_error", None))
        error: dict[str, Any] = {"message": message, "type": kind, "param": None, "code": code}
        error.update(self.error or {})
        return {"error": error}

    @classmethod
    def tokens(cls, n: int, rate_per_s: float, *, first_delay: float = 0.0,
               **overrides: Any) -> Reply:
        """``n`` deterministic filler tokens streamed at ``rate_per_s`` (for benchmarks)."""
        words = [("" if i == 0 else " ") + _FILLER[i % len(_FILLER)] for i in range(n)]
        delay = 1.0 / rate_per_s if rate_per_s > 0 else 0.0
        return cls(text=words, first_delay=first_delay, delay=delay, **overrides)

    @classmethod
    def failure(cls, status: int, message: str | None = None, *,
                headers: Mapping[str, str] | None = None) -> Reply:
        """Shorthand for an error status with an optional custom message."""
        return cls(status=status, error={"message": message} if message else None,
                   headers=dict(headers or {}))


@dataclass
class RecordedRequest:
    """What the server saw; ``outcome`` is filled in when the reply finishes.

    Outcomes: ``complete``, ``error`` (non-200 sent), ``cut``, ``malformed``,
    ``disconnected`` (the client went away mid-reply), ``stopped`` (server stop).
    """

    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any
    outcome: str = "pending"
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def wait(self, timeout: float = 5.0) -> str:
        """Block until the reply is over and return its outcome."""
        self.done.wait(timeout)
        return self.outcome

    def finish(self, outcome: str) -> None:
        if not self.done.is_set():
            self.outcome = outcome
            self.done.set()


def usage(body: dict[str, Any], completion_tokens: int) -> dict[str, int]:
    messages = body.get("messages") or []
    prompt = sum(len(str(m.get("content", "")).split()) for m in messages if isinstance(m, dict))
    return {"prompt_tokens": prompt, "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens}
