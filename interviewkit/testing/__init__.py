"""Test support that ships with the package: a real local OpenAI-compatible server."""

from interviewkit.testing.mockserver import MockOpenAIServer, RecordedRequest, Reply

__all__ = ["MockOpenAIServer", "RecordedRequest", "Reply"]
