"""Interview Kit: turn a candidate's CV into a tailored, streamed interview kit.

The public surface, in the order of the pipeline (README "Architecture")::

    cv = interviewkit.read_cv(data, "cv.pdf")            # ingest
    provider = interviewkit.provider_from_settings(interviewkit.load_settings())
    prepared = interviewkit.prepare_cv(cv, provider)     # what the model sees
    run = interviewkit.new_run(interviewkit.load_prompt(path), cv_text=prepared.text,
                               cv_name=cv.filename)
    for text in run.stream(provider): ...                # or JOBS.start(run, provider)

Names are imported on first use (PEP 562), so ``import interviewkit`` stays cheap:
the PDF worker process, which imports :mod:`interviewkit.ingest.pdf`, never loads
the OpenAI SDK, SQLAlchemy or llama.cpp.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS: dict[str, str] = {
    # configuration and errors
    "Settings": "interviewkit.config", "Limits": "interviewkit.config",
    "load_settings": "interviewkit.config",
    "KitError": "interviewkit.errors", "CVError": "interviewkit.errors",
    "LLMError": "interviewkit.errors", "PromptError": "interviewkit.errors",
    "HistoryError": "interviewkit.errors", "ExportError": "interviewkit.errors",
    # ingest
    "CVText": "interviewkit.ingest.cv", "read_cv": "interviewkit.ingest.cv",
    "read_pasted": "interviewkit.ingest.cv",
    # prompt files
    "PromptSpec": "interviewkit.promptfiles.schema", "load_prompt": "interviewkit.promptfiles",
    "load_prompts": "interviewkit.promptfiles",
    # providers
    "Provider": "interviewkit.providers.base", "GenParams": "interviewkit.providers.base",
    "Message": "interviewkit.providers.base", "Usage": "interviewkit.providers.base",
    "provider_from_settings": "interviewkit.providers.factory",
    # the kit
    "PreparedCV": "interviewkit.kit.pipeline", "prepare_cv": "interviewkit.kit.pipeline",
    "new_run": "interviewkit.kit.pipeline", "KitRun": "interviewkit.kit.run",
    "Status": "interviewkit.kit.model", "Job": "interviewkit.kit.jobs",
    "JOBS": "interviewkit.kit.jobs", "Kit": "interviewkit.kit.model",
    "Question": "interviewkit.kit.model", "parse_kit": "interviewkit.kit.sections",
    # after the kit
    "check_kit": "interviewkit.compliance", "load_rules": "interviewkit.compliance",
    "Store": "interviewkit.history", "open_store": "interviewkit.history",
    "export": "interviewkit.export", "FORMATS": "interviewkit.export",
}

__all__ = [
    "FORMATS",
    "JOBS",
    "CVError",
    "CVText",
    "ExportError",
    "GenParams",
    "HistoryError",
    "Job",
    "Kit",
    "KitError",
    "KitRun",
    "LLMError",
    "Limits",
    "Message",
    "PreparedCV",
    "PromptError",
    "PromptSpec",
    "Provider",
    "Question",
    "Settings",
    "Status",
    "Store",
    "Usage",
    "check_kit",
    "export",
    "load_prompt",
    "load_prompts",
    "load_rules",
    "load_settings",
    "new_run",
    "open_store",
    "parse_kit",
    "prepare_cv",
    "provider_from_settings",
    "read_cv",
    "read_pasted",
]

if TYPE_CHECKING:
    from interviewkit.compliance import check_kit, load_rules
    from interviewkit.config import Limits, Settings, load_settings
    from interviewkit.errors import (
        CVError,
        ExportError,
        HistoryError,
        KitError,
        LLMError,
        PromptError,
    )
    from interviewkit.export import FORMATS, export
    from interviewkit.history import Store, open_store
    from interviewkit.ingest.cv import CVText, read_cv, read_pasted
    from interviewkit.kit.jobs import JOBS, Job
    from interviewkit.kit.model import Kit, Question, Status
    from interviewkit.kit.pipeline import PreparedCV, new_run, prepare_cv
    from interviewkit.kit.run import KitRun
    from interviewkit.kit.sections import parse_kit
    from interviewkit.promptfiles import load_prompt, load_prompts
    from interviewkit.promptfiles.schema import PromptSpec
    from interviewkit.providers.base import GenParams, Message, Provider, Usage
    from interviewkit.providers.factory import provider_from_settings


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'interviewkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
