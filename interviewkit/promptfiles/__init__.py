"""Prompt files: schema and line-mapped validation, loading, rendering, and the library."""

from interviewkit.errors import PromptError
from interviewkit.promptfiles.loader import (
    find_prompt,
    load_prompt,
    load_prompt_dir,
    load_prompts,
)
from interviewkit.promptfiles.render import render_messages, resolve_inputs
from interviewkit.promptfiles.schema import InputSpec, PromptSpec, parse_prompt

__all__ = ["InputSpec", "PromptError", "PromptSpec", "find_prompt", "load_prompt",
           "load_prompt_dir", "load_prompts", "parse_prompt", "render_messages",
           "resolve_inputs"]
