"""The configured provider: an OpenAI-compatible server, else the embedded model."""

from __future__ import annotations

from interviewkit.config import DEFAULT_OPENAI_MODEL, Settings, model_cache_dir
from interviewkit.providers.base import Provider


def provider_from_settings(settings: Settings) -> Provider:
    """The configured provider: an OpenAI-compatible server, else the embedded model."""
    if settings.uses_remote:
        from interviewkit.providers.remote import OpenAIProvider  # the SDK: only when needed

        return OpenAIProvider(model=settings.model or DEFAULT_OPENAI_MODEL,
                              api_key=settings.api_key, base_url=settings.base_url,
                              timeout=settings.request_timeout_s)
    from interviewkit.providers.offline import OfflineProvider  # llama.cpp: only when needed

    return OfflineProvider.from_settings(settings, model_cache_dir(settings))


