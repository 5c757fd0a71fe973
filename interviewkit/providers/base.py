"""What every model provider is: chat messages in, a stream of text deltas out.

A provider is a class whose :meth:`Provider.execute` yields text (as
simonw/llm's models do).  Its lifecycle is part of the base class, as httpx
puts ``close``/``__enter__``/``__exit__`` on its transports: :meth:`prepare`
(load or connect ahead of the first request), :meth:`queue_length` (how many
generations are ahead of a new one) and :meth:`close` have no-op defaults, so
no page or module ever asks which class it holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypedDict


class Message(TypedDict):
    role: str
    content: str


@dataclass(frozen=True)
class GenParams:
    """Sampling settings for one request; ``model`` overrides the provider default."""

    temperature: float = 0.4
    max_tokens: int = 1200
    model: str | None = None
    grammar: str | None = None  # a llama.cpp GBNF grammar the offline model must follow


@dataclass
class Usage:
    """Token counts of one request, as the server (or llama.cpp) reported them.

    ``source`` is ``"server"`` when the numbers came from the model itself and
    ``"estimate"`` until then; the page labels estimates as such.
    """

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    source: str = "estimate"

    def report(self, prompt_tokens: int, completion_tokens: int) -> None:
        self.prompt_tokens, self.completion_tokens = prompt_tokens, completion_tokens
        self.source = "server"

    def add(self, other: Usage) -> None:
        """Count another request of the same run (a planned kit makes one per question)."""
        if not other.measured:
            return
        self.report((self.prompt_tokens or 0) + (other.prompt_tokens or 0),
                    (self.completion_tokens or 0) + (other.completion_tokens or 0))

    @property
    def measured(self) -> bool:
        return self.source == "server"


class Provider:
    """Anything that streams text deltas for chat messages."""

    label: str = "model"
    model: str = "model"
    offline: bool = False

    def execute(self, messages: Sequence[Message], params: GenParams,
                usage: Usage | None = None) -> Iterator[str]:
        """Yield text deltas; fill ``usage`` when the server reports token counts."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Get ready for a first request (load a model, warm a pool); default: nothing."""

    def queue_length(self) -> int:
        """Generations running or waiting on this provider (0: a new one starts at once)."""
        return 0

    def close(self) -> None:
        """Release connections or memory; default: nothing to release."""

    def __enter__(self) -> Provider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["GenParams", "Message", "Provider", "Usage"]
