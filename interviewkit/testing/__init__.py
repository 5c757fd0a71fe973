"""Test support that ships with the package: a real local OpenAI-compatible server."""

from interviewkit.testing.mockserver import MockOpenAIServer
from interviewkit.testing.replies import RecordedRequest, Reply

__all__ = ["MockOpenAIServer", "RecordedRequest", "Reply"]
