"""Model providers: the base class, the OpenAI-compatible client, the embedded model."""

from interviewkit.providers.base import GenParams, Message, Provider, Usage
from interviewkit.providers.factory import provider_from_settings

__all__ = ["GenParams", "Message", "Provider", "Usage", "provider_from_settings"]
