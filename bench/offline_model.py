"""Benchmark 5, offline model: time to first token and tokens/s for a typical kit.

The embedded model exactly as the page runs it (``OfflineProvider``, 2 threads,
sha256-verified load) on a real CV with the technical-screen prompt and its
default inputs.  Tokens are counted with the model's own tokenizer.  The
joined model is taken from ``INTERVIEWKIT_MODEL_CACHE`` (default
``/tmp/ikmodels``) so nothing is joined again.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.common import CORPUS


@dataclass
class OfflineResult:
    load_s: float
    prompt_tokens: int
    ttft_s: float
    tokens: int
    tokens_per_s: float


def _kit_request(cv_path: Path, max_tokens: int | None, cv_chars: int | None) -> Any:
    from interviewkit.config import REPO_PROMPTS_DIR as PROMPTS_DIR
    from interviewkit.ingest.cv import read_cv
    from interviewkit.kit.pipeline import new_run
    from interviewkit.promptfiles.loader import load_prompt

    cv = read_cv(cv_path.read_bytes(), cv_path.name)
    run = new_run(load_prompt(PROMPTS_DIR / "technical_screen.yaml"),
                  cv_text=cv.text[:cv_chars], cv_name=cv.filename)
    params = run.params if max_tokens is None else replace(run.params, max_tokens=max_tokens)
    return run.messages, params


def run(max_tokens: int | None = None, cv_chars: int | None = None, log: Any = print
        ) -> OfflineResult:
    """One kit; ``max_tokens`` and ``cv_chars`` shrink it for --quick.  The model loads
    first, timed apart."""
    os.environ.setdefault("INTERVIEWKIT_MODEL_CACHE", "/tmp/ikmodels")
    from interviewkit.config import load_settings
    from interviewkit.providers.offline import OfflineProvider, chatml

    provider = OfflineProvider.from_settings(load_settings(secrets={}))
    start = time.perf_counter()
    llama = provider.prepare()
    load_s = time.perf_counter() - start
    cv = CORPUS / "cv" / "sb2nov_resume_one_column.pdf"
    messages, params = _kit_request(cv, max_tokens, cv_chars)
    prompt_tokens = len(llama.tokenize(chatml(messages).encode(), special=True))
    text, first, last = "", 0.0, 0.0
    start = time.perf_counter()
    for delta in provider.execute(messages, params):
        last = time.perf_counter()
        first = first or last
        text += delta
    tokens = len(llama.tokenize(text.encode(), add_bos=False, special=True))
    result = OfflineResult(load_s, prompt_tokens, first - start, tokens,
                           (tokens - 1) / (last - first) if last > first else 0.0)
    log(f"  offline: load {load_s:.1f} s, prompt {prompt_tokens} tokens, first token "
        f"{result.ttft_s:.2f} s ({prompt_tokens / result.ttft_s:.0f} prompt tokens/s), "
        f"{tokens} tokens at {result.tokens_per_s:.1f} tokens/s")
    return result
