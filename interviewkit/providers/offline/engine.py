"""The embedded offline model run by llama.cpp (its files: :mod:`.model`).

One model instance per process, one generation at a time: llama.cpp contexts
are not thread-safe and two generations on two cores would only halve each
other's speed.  Waiting generations are served in arrival order.
"""

from __future__ import annotations

import atexit
import functools
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewkit.config import Settings
from interviewkit.errors import OfflineModelError
from interviewkit.providers.base import GenParams, Message, Provider, Usage
from interviewkit.providers.offline.model import MODELS, STOP, EmbeddedModel, chatml, model_file


class FifoLock:
    """A lock that serves waiters in arrival order and says how many wait."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    @property
    def queue_length(self) -> int:
        """Generations running or waiting (0 = idle)."""
        with self._cond:
            return self._next_ticket - self._serving

    def acquire(self) -> None:
        with self._cond:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._cond.wait_for(lambda: self._serving == ticket)

    def release(self) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


class LoopGuard:
    """Stops a generation that has started repeating itself.

    Small models sometimes fall into a loop despite the repetition penalty: the
    same line, or the same block of up to ``max_block`` lines, three times in a
    row.  A block counts only if one of its lines is long (``min_len``), so the
    kit's own short structure ("**Listen for:**") and a bullet reused in two
    different questions are not loops.
    """

    def __init__(self, min_len: int = 25, limit: int = 3, max_block: int = 8) -> None:
        self.min_len, self.limit, self.max_block = min_len, limit, max_block
        self._lines: list[str] = []
        self._line = ""

    def feed(self, text: str) -> bool:
        """Add text; True when the output is looping."""
        for ch in text:
            if ch != "\n":
                self._line += ch
                continue
            line, self._line = self._line.strip(), ""
            if line:
                self._lines.append(line)
                if self._looping():
                    return True
        return False

    def _looping(self) -> bool:
        lines = self._lines
        for size in range(1, self.max_block + 1):
            if len(lines) < size * self.limit:
                return False
            block = lines[-size:]
            if not any(len(line) >= self.min_len for line in block):
                continue
            if all(lines[-size * (n + 1):len(lines) - size * n] == block
                   for n in range(1, self.limit)):
                return True
        return False


_models: dict[Path, Any] = {}
_load_lock = threading.Lock()
_gate = FifoLock()


@atexit.register
def _close_models() -> None:
    """Free llama.cpp models before the interpreter tears its modules down."""
    for model in _models.values():
        model.close()
    _models.clear()


def load_llama(path: Path, n_ctx: int) -> Any:
    """Load a GGUF once per process (llama.cpp start-up costs about a second)."""
    with _load_lock:
        if path not in _models:
            from llama_cpp import Llama

            _models[path] = Llama(
                model_path=str(path), n_ctx=n_ctx, n_threads=max(1, min(4, os.cpu_count() or 2)),
                n_batch=512, verbose=False, seed=0,
            )
        return _models[path]


class OfflineProvider(Provider):
    """Runs the embedded GGUF with llama.cpp; ``execute`` yields text deltas."""

    offline = True

    def __init__(self, model: EmbeddedModel, cache_dir: Path) -> None:
        self.spec = model
        self.cache_dir = cache_dir
        self.model = model.key
        self.label = f"{model.display} (offline, embedded)"

    @classmethod
    def from_settings(cls, settings: Settings, cache_dir: Path) -> OfflineProvider:
        key = settings.offline_model
        if key not in MODELS:
            raise OfflineModelError(
                f"Unknown offline model {key!r}; choose one of {', '.join(MODELS)} "
                "(INTERVIEWKIT_OFFLINE_MODEL)."
            )
        return cls(MODELS[key], cache_dir)

    def queue_length(self) -> int:
        """Generations running or waiting on this process's offline model."""
        return _gate.queue_length

    def prepare(self) -> None:
        """Verify and load the model now (the page calls this behind a spinner)."""
        self._llama()

    def _llama(self) -> Any:
        return load_llama(model_file(self.spec, self.cache_dir), self.spec.n_ctx)

    def execute(self, messages: Sequence[Message], params: GenParams,
                usage: Usage | None = None) -> Iterator[str]:
        llama = self._llama()
        prompt = chatml(messages)
        max_new = max(16, min(params.max_tokens, self.spec.max_new_tokens))
        _gate.acquire()
        try:
            n_prompt = len(llama.tokenize(prompt.encode("utf-8"), special=True))
            if n_prompt + max_new > self.spec.n_ctx:
                raise OfflineModelError(
                    f"This CV and prompt are too long for the offline model ({n_prompt} tokens; "
                    f"it reads at most {self.spec.n_ctx - max_new} before answering). "
                    "Shorten the CV or configure a remote model.",
                    code="too_long",
                )
            yield from self._sample(llama, prompt, params, max_new, _Counts(n_prompt, usage))
        finally:
            _gate.release()

    def _sample(self, llama: Any, prompt: str, params: GenParams, max_new: int,
                counts: _Counts) -> Iterator[str]:
        guard = LoopGuard()
        stream = llama.create_completion(
            prompt=prompt, max_tokens=max_new, temperature=params.temperature, top_p=0.9,
            top_k=40, repeat_penalty=1.1, stop=STOP, stream=True,
            **({"grammar": _grammar(params.grammar)} if params.grammar else {}),
        )
        try:
            for chunk in stream:
                counts.completion += 1  # llama.cpp streams one token per chunk
                text = chunk["choices"][0]["text"]
                if text:
                    yield text
                    if guard.feed(text):
                        return
        finally:
            counts.report()
            stream.close()


@functools.lru_cache(maxsize=16)
def _grammar(gbnf: str) -> Any:
    """A compiled GBNF grammar, once per text (every question of a kit uses the same one)."""
    from llama_cpp.llama_grammar import LlamaGrammar

    return LlamaGrammar.from_string(gbnf, verbose=False)


@dataclass
class _Counts:
    """llama.cpp's own token counts for one request, handed to the caller's Usage."""

    prompt: int
    usage: Usage | None
    completion: int = 0

    def report(self) -> None:
        if self.usage is not None:
            self.usage.report(self.prompt, self.completion)
