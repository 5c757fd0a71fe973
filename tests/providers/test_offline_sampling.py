"""OfflineProvider's sampling loop without the real model: a stand-in for ``llama_cpp.Llama``.

The stand-in has the two methods the provider calls (``tokenize`` and a streaming
``create_completion``) and records what happened to its stream, so the wiring around
llama.cpp (loop guard, closing the stream, token counts, the FIFO gate) is tested on any
machine; the real model is exercised by the ``offline_model`` tests in test_offline.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interviewkit.providers.base import GenParams, Message, Usage
from interviewkit.providers.offline import QWEN_05B, LoopGuard, OfflineProvider

LOOP = "- The candidate explains the design of the system.\n"
KIT = "".join(f"### {n}. Why Rust for part {n} of the ledger?\n**Listen for:**\n- ownership\n"
              "- a point\n**Follow-up:** why?\n\n" for n in range(1, 7))  # short lines repeat
MESSAGES: list[Message] = [{"role": "user", "content": "Write interview questions."}]


def tokens(text: str) -> list[str]:
    """Word-sized pieces (newlines on their own), as llama.cpp streams one token per chunk."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        words = line.rstrip("\n").split(" ")
        out += [w if i == 0 else " " + w for i, w in enumerate(words)]
        if line.endswith("\n"):
            out.append("\n")
    return out


class FakeLlama:
    """What OfflineProvider uses of ``llama_cpp.Llama``, streaming a scripted text."""

    def __init__(self, text: str) -> None:
        self.pieces = tokens(text)
        self.pulled = 0
        self.closed = False
        self.finished = False
        self.kwargs: dict[str, Any] = {}

    def tokenize(self, data: bytes, special: bool = False) -> list[int]:
        return list(range(len(data.split())))

    def create_completion(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self.kwargs = kwargs
        return self._stream()

    def _stream(self) -> Iterator[dict[str, Any]]:
        try:
            for piece in self.pieces:
                self.pulled += 1
                yield {"choices": [{"text": piece, "index": 0, "finish_reason": None}]}
            self.finished = True
        finally:
            self.closed = True


@pytest.fixture
def provider(tmp_path: Path) -> OfflineProvider:
    return OfflineProvider(QWEN_05B, tmp_path / "models")


def run_with(provider: OfflineProvider, llama: FakeLlama, monkeypatch: pytest.MonkeyPatch,
             usage: Usage | None = None) -> str:
    monkeypatch.setattr(provider, "_llama", lambda: llama)  # instead of loading the GGUF
    return "".join(provider.execute(MESSAGES, GenParams(max_tokens=800), usage))


def test_the_fake_loops_the_way_the_guard_detects() -> None:
    guard = LoopGuard()
    assert not guard.feed("".join(tokens(LOOP * 2))) and guard.feed("".join(tokens(LOOP)))


def test_a_looping_generation_is_stopped_and_its_stream_closed(
        provider: OfflineProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    llama = FakeLlama("### 1. Tell me about the ledger.\n**Listen for:**\n" + LOOP * 200)
    usage = Usage()
    text = run_with(provider, llama, monkeypatch, usage)
    assert text == "### 1. Tell me about the ledger.\n**Listen for:**\n" + LOOP * 3, (
        "the text stops right after the third copy of the line")
    assert llama.closed and not llama.finished, "llama.cpp's stream was closed, not drained"
    assert llama.pulled == len(tokens(text)) < len(llama.pieces)
    assert usage.measured and usage.completion_tokens == llama.pulled
    assert provider.queue_length() == 0, "the gate is released after a stopped generation"


def test_a_kit_with_repeated_short_lines_runs_to_the_end(
        provider: OfflineProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    llama = FakeLlama(KIT)
    usage = Usage()
    assert run_with(provider, llama, monkeypatch, usage) == KIT
    assert llama.finished and llama.closed
    assert usage.completion_tokens == len(llama.pieces) and usage.prompt_tokens is not None
    assert llama.kwargs["stream"] is True and llama.kwargs["max_tokens"] == 800
    assert provider.queue_length() == 0


def test_stopping_the_consumer_closes_the_llama_stream(
        provider: OfflineProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    llama = FakeLlama(KIT)
    monkeypatch.setattr(provider, "_llama", lambda: llama)
    stream = provider.execute(MESSAGES, GenParams(max_tokens=800))
    first = [next(stream) for _ in range(3)]
    assert provider.queue_length() == 1, "this generation holds the gate"
    stream.close()  # what Stop does
    assert llama.closed and not llama.finished and llama.pulled == 3
    assert "".join(first) == "### 1. Why"
    assert provider.queue_length() == 0


def test_a_long_bullet_reused_in_different_questions_is_not_a_loop() -> None:
    guard = LoopGuard()
    kit = "".join(f"### {n}. How did you scale service {n}?\n**Listen for:**\n"
                  "- Specific examples from past experience with numbers\n- trade-offs\n"
                  for n in range(1, 6))
    assert not guard.feed(kit), "the same long bullet under five questions is a style, not a loop"


def test_a_block_of_lines_repeated_three_times_is_a_loop() -> None:
    block = ("### 2. How did you design the fraud detection pipeline?\n**Listen for:**\n"
             "- Kafka\n")
    guard = LoopGuard()
    assert not guard.feed(block * 2)
    assert guard.feed(block), "the third copy of the whole block"
