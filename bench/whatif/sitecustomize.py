"""What-if for the benchmarks only: the three per-rerun costs removed, without editing the app.

Loaded at interpreter start when ``bench/whatif`` is put on PYTHONPATH of the
Streamlit process (``run.py --whatif``).  It stands in for changes the app
could make: build the OpenAI client once per settings (``st.cache_resource``),
parse the prompt folder only when a file changed, redact a CV's text once, and ``gc.freeze()`` after
imports (again whenever a run imported more) so Streamlit's post-run
``gc.collect(2)`` only walks what the runs created.  Never imported by the app itself.
"""

from __future__ import annotations

import functools
import gc
import sys
from pathlib import Path
from typing import Any

import interviewkit.llm
import interviewkit.prompts

_provider = interviewkit.llm.provider_from_settings
_load = interviewkit.prompts.load_prompt_dir
_modules_at_freeze = 0


@functools.lru_cache(maxsize=8)
def _cached_provider(settings: Any) -> Any:
    return _provider(settings)


def provider_from_settings(settings: Any) -> Any:
    global _modules_at_freeze
    if len(sys.modules) > _modules_at_freeze:  # new imports since: freeze them too
        gc.freeze()
        _modules_at_freeze = len(sys.modules)
    return _cached_provider(settings)


@functools.lru_cache(maxsize=8)
def _cached_load(directory: Path, stamp: tuple[tuple[str, int], ...]) -> Any:
    return _load(directory)


def load_prompt_dir(directory: Path | str) -> Any:
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(Path(directory).glob("*")))
    return _cached_load(Path(directory), stamp)


interviewkit.llm.provider_from_settings = provider_from_settings
interviewkit.prompts.load_prompt_dir = load_prompt_dir
try:  # PII redaction of the CV on every rerun (when the app has it): once per text
    import interviewkit.redact

    interviewkit.redact.redact_pii = functools.lru_cache(maxsize=32)(  # type: ignore[assignment]
        interviewkit.redact.redact_pii)
except ImportError:
    pass
