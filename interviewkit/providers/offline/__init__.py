"""The embedded offline model: files inside PyPI packages, run by llama.cpp on the CPU."""

from interviewkit.providers.offline.engine import FifoLock, LoopGuard, OfflineProvider, load_llama
from interviewkit.providers.offline.model import (
    MODELS,
    QWEN_05B,
    EmbeddedModel,
    chatml,
    model_file,
    package_files,
)

__all__ = ["MODELS", "QWEN_05B", "EmbeddedModel", "FifoLock", "LoopGuard", "OfflineProvider",
           "chatml", "load_llama", "model_file", "package_files"]
