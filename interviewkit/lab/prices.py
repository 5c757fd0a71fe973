"""Approximate cost of a run: OpenAI list prices per million tokens.

Approximate on purpose: prices change, and without the server's own ``usage``
token counts are estimated from characters; a guide, not a bill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens, input and output."""

    input: float
    output: float

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1e6


# OpenAI list prices (standard tier, USD per 1M tokens) as published in 2025. Approximate on
# purpose: token counts are estimated from characters and prices change; a guide, not a bill.
PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60), "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00), "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40), "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00), "gpt-5-nano": Price(0.05, 0.40),
    "o3": Price(2.00, 8.00), "o3-mini": Price(1.10, 4.40), "o4-mini": Price(1.10, 4.40),
    "gpt-4-turbo": Price(10.00, 30.00), "gpt-3.5-turbo": Price(0.50, 1.50),
}


def price_for(model: str | None) -> Price | None:
    """The list price of a model name, dated snapshots included (``gpt-4o-2024-08-06``)."""
    name = re.sub(r"-\d{4}-\d{2}-\d{2}$", "", (model or "").strip().lower())
    return PRICES.get(name.removeprefix("openai/"))
