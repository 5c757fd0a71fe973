"""Prompt files from disk: size-capped, parsed once per content, a folder at a time."""

from __future__ import annotations

import functools
from pathlib import Path

from interviewkit.config import prompts_dir
from interviewkit.errors import PromptError
from interviewkit.promptfiles.schema import MAX_PROMPT_BYTES, PromptSpec, parse_prompt

SUFFIXES = (".yaml", ".yml")


def load_prompt(path: Path | str) -> PromptSpec:
    """Read and validate one prompt file; oversized files are refused before parsing."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_PROMPT_BYTES + 1)
    except OSError as exc:
        raise PromptError(f"cannot read file: {exc.strerror or exc}", path=path,
                          code="prompt_unreadable") from None
    if len(raw) > MAX_PROMPT_BYTES:
        raise PromptError(f"file is larger than the {MAX_PROMPT_BYTES // 1024} KB limit",
                          path=path, code="prompt_too_large")
    return _parse_bytes(raw, path)


@functools.lru_cache(maxsize=128)
def _parse_bytes(raw: bytes, path: Path) -> PromptSpec:
    """Parse once per distinct file content: every page rerun reloads the folder."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PromptError("file is not valid UTF-8", path=path, code="prompt_unreadable",
                          line=raw[: exc.start].count(b"\n") + 1) from None
    return parse_prompt(text, path)


def load_prompt_dir(directory: Path | str) -> tuple[list[PromptSpec], list[PromptError]]:
    """Load every ``*.yaml``/``*.yml``; a broken file is reported and never hides the others."""
    directory = Path(directory)
    if not directory.is_dir():
        return [], [PromptError("prompt folder not found", path=directory,
                                code="prompt_unreadable")]
    specs: list[PromptSpec] = []
    errors: list[PromptError] = []
    for file in sorted(directory.iterdir()):
        if file.suffix in SUFFIXES and not file.name.startswith("."):
            try:
                specs.append(load_prompt(file))
            except PromptError as exc:
                errors.append(exc)
    specs.sort(key=lambda spec: (spec.name.casefold(), spec.key))
    return specs, errors




def load_prompts(directory: Path | None = None) -> tuple[list[PromptSpec], list[PromptError]]:
    """The configured prompt folder (``$INTERVIEWKIT_PROMPTS_DIR`` or ``prompts/``)."""
    return load_prompt_dir(directory or prompts_dir())


def find_prompt(name: str, directory: Path | None = None) -> Path:
    """A prompt given as a file path, or by name in the prompt folder."""
    path = Path(name)
    if path.suffix in SUFFIXES or path.exists():
        return path
    return (directory or prompts_dir()) / f"{name}.yaml"
