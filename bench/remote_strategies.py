"""Remote models, planned mode: one request per anchor (a few at once) vs one for the kit.

The local mock server answers like a hosted model (0.8 s to the first token, then 40
tokens a second); each planned request gets a question-sized answer, the whole-kit
request five of them with an ``Evidence:`` line each.  Printed: first question
visible, the whole kit, and the prompt tokens sent, per strategy.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from interviewkit.config import REPO_PROMPTS_DIR
from interviewkit.ingest.cv import CVText
from interviewkit.kit.pipeline import build_run, prepare_cv
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.providers.remote import OpenAIProvider
from interviewkit.testing.mockserver import MockOpenAIServer, Reply

TTFT_S, RATE = 0.8, 40.0
ONE = ("How did you decide on the design of this system, and what would you change now?\n"
       "**Listen for:**\n- Explains the constraints that shaped the design and the options "
       "weighed\n- Quantifies the result with a figure from the work itself\n"
       "**Follow-up:** What broke first when the load grew, and how did you find out?\n")


def _words(text: str) -> list[str]:
    return [("" if i == 0 else " ") + w for i, w in enumerate(text.split(" "))]


def _reply(body: dict[str, Any]) -> Reply:
    planned = "<cv_passage>" in str(body["messages"][-1]["content"])  # one anchor
    text = ONE if planned else "".join(
        f"### {n}. {ONE}**Evidence:** passage {n}\n\n" for n in range(1, 6))
    return Reply(text=_words(text), first_delay=TTFT_S, delay=1.0 / RATE)


def _one_cv(cv: CVText, mock: MockOpenAIServer, planned: bool, concurrency: int,
            questions: int) -> tuple[float, float, int]:
    provider = OpenAIProvider(model="mock-model", api_key="sk-bench", base_url=mock.base_url)
    prompt = load_prompt(REPO_PROMPTS_DIR / "technical_screen.yaml")
    run = build_run(prompt, prepare_cv(cv, provider), offline=False, planned=planned,
                    raw_values={"num_questions": questions}, concurrency=concurrency)
    start, first = time.monotonic(), None
    for _ in run.stream(provider, interval=0.05):
        if first is None and "?" in run.text:
            first = time.monotonic() - start
    total = time.monotonic() - start
    provider.close()
    return first or total, total, run.usage.prompt_tokens or 0


def compare(cvs: Sequence[CVText], questions: int) -> None:
    strategies = [("one request for the whole kit (Evidence: lines)", False, 1),
                  ("one request per anchor, one at a time", True, 1),
                  ("one request per anchor, 3 at once", True, 3)]
    print(f"\nRemote strategies through the mock server ({TTFT_S} s TTFT, {RATE:.0f} tok/s), "
          f"{len(cvs)} CVs, {questions} questions\n")
    print("| strategy | first question visible | whole kit | prompt tokens sent |")
    print("|---|---|---|---|")
    with MockOpenAIServer(default=_reply, max_lifetime_s=3600) as mock:
        for label, planned, concurrency in strategies:
            figures = [_one_cv(cv, mock, planned, concurrency, questions) for cv in cvs]
            first, total, tokens = (statistics.median(f[i] for f in figures) for i in range(3))
            print(f"| {label} | {first:.1f} s | {total:.1f} s | {tokens:.0f} |", flush=True)
