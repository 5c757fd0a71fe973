"""Language-model providers: each turns chat messages into a stream of text deltas.

Pages consume ``provider.execute(...)`` as a plain iterator and may stop early
(a Stop button closes the generator, which closes the HTTP response).  Every
failure surfaces as :class:`LLMError` with a short ``code`` and a message a
person can act on; text already yielded stays with the consumer, and the API
key never appears in any message.
"""

from __future__ import annotations

import collections
import email.utils
import math
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypedDict, cast, runtime_checkable
from urllib.parse import urlsplit

import openai

from interviewkit.config import DEFAULT_OPENAI_MODEL, Settings
from interviewkit.errors import KitError

if TYPE_CHECKING:
    import httpx2
    from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

OPENAI_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"
RETRYABLE_CODES = frozenset({"rate_limit", "server", "timeout", "connection", "cut"})
_SECRET_PATTERNS = (re.compile(r"\bsk-[A-Za-z0-9_\-*]{6,}"),
                    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9_\-.=]{6,}"))
_MAX_DETAIL = 300


class Message(TypedDict):
    role: str
    content: str


@dataclass(frozen=True)
class GenParams:
    """Sampling settings for one request; ``model`` overrides the provider default."""

    temperature: float = 0.4
    max_tokens: int = 1200
    model: str | None = None


@runtime_checkable
class Provider(Protocol):
    """Anything that streams text deltas for chat messages."""

    label: str
    model: str
    offline: bool

    def execute(self, messages: Sequence[Message], params: GenParams) -> Iterator[str]: ...


class LLMError(KitError):
    """A model call failed; ``code`` says how, ``retryable`` whether trying again may help.

    Codes: missing_key, auth, permission, not_found, bad_request, rate_limit,
    server, timeout, connection, cut, malformed, empty.
    """

    code = "llm"

    def __init__(self, message: str, *, code: str, retry_after: float | None = None,
                 retryable: bool | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
        self.retryable = code in RETRYABLE_CODES if retryable is None else retryable


def redact(text: str, *secrets: str | None) -> str:
    """Remove secrets (and anything shaped like an OpenAI key) from text meant for people."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    text = _SECRET_PATTERNS[0].sub("sk-[redacted]", text)
    return _SECRET_PATTERNS[1].sub(r"\1[redacted]", text)


def _host(base_url: str) -> str:
    """``host[:port]`` of a URL, never its user-info (which may hold credentials)."""
    netloc = urlsplit(base_url).netloc.rpartition("@")[2]
    return netloc or "the configured server"


def _server_detail(body: object) -> str:
    """The server's own error message, short and on one line."""
    message: object = body
    if isinstance(body, dict):
        message = body.get("message") or body.get("detail") or body.get("error") or ""
    text = " ".join(str(message or "").split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _retry_after(headers: httpx2.Headers) -> float | None:
    """Seconds from ``Retry-After-Ms`` / ``Retry-After`` (number or HTTP date)."""
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                continue
            seconds = email.utils.mktime_tz(parsed) - time.time()
        if math.isfinite(seconds):
            return max(seconds, 0.0)
    return None


@dataclass
class _StreamState:
    opened: bool = False  # the HTTP response (status 200) has started
    chars: int = 0
    finish_reason: str | None = None


def _deltas(chunk: ChatCompletionChunk, state: _StreamState) -> Iterator[str]:
    """Non-empty text of the first choice; notes finish_reason on the way."""
    for choice in getattr(chunk, "choices", None) or ():
        if getattr(choice, "index", 0) != 0:
            continue
        if getattr(choice, "finish_reason", None):
            state.finish_reason = str(choice.finish_reason)
        text = getattr(getattr(choice, "delta", None), "content", None)
        if isinstance(text, str) and text:
            state.chars += len(text)
            yield text


class OpenAIProvider:
    """Any OpenAI-compatible chat server, through the official SDK.

    The SDK's own retries are kept (``max_retries``): they only happen before a
    response starts, so a stream that already produced text is never restarted.
    """

    offline = False

    def __init__(self, *, model: str, api_key: str | None, base_url: str | None,
                 timeout: float = 60.0, max_retries: int = 2,
                 http_client: httpx2.Client | None = None) -> None:
        if not api_key and not base_url:
            raise LLMError(
                "No OpenAI API key is configured. Set OPENAI_API_KEY for api.openai.com, or "
                "OPENAI_BASE_URL for a local OpenAI-compatible server (vLLM, Ollama, llama.cpp, "
                "LM Studio), or INTERVIEWKIT_PROVIDER=offline for the embedded model.",
                code="missing_key", retryable=False)
        self.model = model
        self.base_url = base_url or OPENAI_BASE_URL
        self.host = _host(self.base_url)
        self.timeout = timeout
        self.label = f"{model} · {self.host}"
        self._api_key = api_key
        self._client = openai.OpenAI(api_key=api_key or PLACEHOLDER_KEY, base_url=self.base_url,
                                     timeout=timeout, max_retries=max_retries,
                                     http_client=http_client)

    def __repr__(self) -> str:
        return f"OpenAIProvider(model={self.model!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        """Release pooled connections."""
        self._client.close()

    def __enter__(self) -> OpenAIProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, messages: Sequence[Message], params: GenParams) -> Iterator[str]:
        """Stream text deltas; raise :class:`LLMError` (after any text already yielded)."""
        model = params.model or self.model
        state = _StreamState()
        try:
            stream = self._client.chat.completions.create(
                model=model, messages=cast("list[ChatCompletionMessageParam]",
                                           [dict(m) for m in messages]),
                temperature=params.temperature, max_tokens=params.max_tokens, stream=True)
            state.opened = True
            with stream:  # closes the HTTP response even when the consumer stops early
                for chunk in stream:
                    yield from _deltas(chunk, state)
        except openai.OpenAIError as err:
            raise self._error(err, model, state) from None
        except ValueError as err:  # an SSE line that is not JSON / not UTF-8
            if not state.opened:
                raise self._fail(f"Invalid request settings: {err}", "bad_request") from None
            raise self._fail(
                f"{self.host} sent a malformed stream line{self._after(state)} "
                f"({type(err).__name__}).", "malformed") from None
        if state.finish_reason is None:
            hint = "" if state.chars else " (is OPENAI_BASE_URL an OpenAI-compatible server?)"
            raise self._fail(f"The stream from {self.host} ended without a finish signal"
                             f"{self._after(state)}{hint}.", "cut")
        if state.chars == 0:
            hint = " (max_tokens was reached first)" if state.finish_reason == "length" else ""
            raise self._fail(f'Model "{model}" on {self.host} finished without any text '
                             f"(finish_reason={state.finish_reason}){hint}.", "empty")

    # error mapping -------------------------------------------------------
    def _fail(self, message: str, code: str, retry_after: float | None = None) -> LLMError:
        return LLMError(redact(message, self._api_key), code=code, retry_after=retry_after)

    @staticmethod
    def _after(state: _StreamState) -> str:
        if state.chars == 0:
            return " before any text arrived"
        return f" after {state.chars} characters; the partial text is kept"

    def _error(self, err: openai.OpenAIError, model: str, state: _StreamState) -> LLMError:
        if isinstance(err, openai.APIStatusError):
            return self._status_error(err, model)
        if isinstance(err, openai.APITimeoutError):
            if state.opened:
                return self._fail(f"{self.host} stopped sending for {self.timeout:g} s"
                                  f"{self._after(state)}.", "timeout")
            return self._fail(f"No answer from {self.host} within {self.timeout:g} s.", "timeout")
        if isinstance(err, openai.APIConnectionError):
            if state.opened:
                return self._fail(f"The connection to {self.host} dropped"
                                  f"{self._after(state)}.", "cut")
            return self._fail(f"Cannot connect to {self.host} (is the server running?).",
                              "connection")
        if isinstance(err, openai.APIError):  # an error event inside the stream
            return self._fail(f"{self.host} reported an error mid-stream: "
                              f"{_server_detail(err.body) or err.message} "
                              f"({self._after(state).strip()}).", "server")
        return self._fail(f"The OpenAI client refused the request: {err}", "bad_request")

    def _status_error(self, err: openai.APIStatusError, model: str) -> LLMError:
        status, host = err.status_code, self.host
        detail = _server_detail(err.body)
        said = f" Server said: {detail}" if detail else ""
        if status == 401:
            return self._fail(f"{host} rejected the API key (HTTP 401). "
                              f"Check OPENAI_API_KEY.{said}", "auth")
        if status == 403:
            return self._fail(f'The API key has no permission to use model "{model}" on {host} '
                              f"(HTTP 403).{said}", "permission")
        if status == 404:
            return self._fail(f'Model "{model}" was not found on the server {host} (HTTP 404). '
                              "Check INTERVIEWKIT_MODEL, or OPENAI_BASE_URL if the server lives "
                              f"elsewhere.{said}", "not_found")
        if status == 429:
            wait = _retry_after(err.response.headers)
            when = f"retry in {math.ceil(wait)} s" if wait is not None else "wait a moment"
            return self._fail(f"Rate limited by {host} (HTTP 429); {when}.{said}",
                              "rate_limit", retry_after=wait)
        if status >= 500:
            return self._fail(f"{host} had a server error {status}; try again shortly.{said}",
                              "server")
        return self._fail(f"{host} rejected the request (HTTP {status}): "
                          f"{detail or 'no reason given'}", "bad_request")


@dataclass
class FakeCall:
    """One recorded ``FakeProvider.execute`` call."""

    messages: list[Message]
    params: GenParams
    closed_early: bool = False


Script = Sequence[str | LLMError] | LLMError


class FakeProvider:
    """Scripted provider for unit tests (like ``llm``'s mock model).

    ``enqueue(["Hel", "lo"])`` makes the next call yield those chunks;
    a trailing :class:`LLMError` is raised after the chunks before it.
    """

    def __init__(self, *, label: str = "Fake model (tests)", model: str = "fake-model",
                 offline: bool = True, delay: float = 0.0,
                 default: Sequence[str] = ("Fake ", "reply.")) -> None:
        self.label = label
        self.model = model
        self.offline = offline
        self.delay = delay
        self.default = list(default)
        self.calls: list[FakeCall] = []
        self._queue: collections.deque[Script] = collections.deque()
        self._lock = threading.Lock()

    def enqueue(self, *scripts: Script) -> None:
        """Queue one script per future call; an empty queue replays ``default``."""
        with self._lock:
            self._queue.extend(scripts)

    def execute(self, messages: Sequence[Message], params: GenParams) -> Iterator[str]:
        call = FakeCall([Message(role=m["role"], content=m["content"]) for m in messages], params)
        with self._lock:
            self.calls.append(call)
            script: Script = self._queue.popleft() if self._queue else list(self.default)
        items: Sequence[str | LLMError] = [script] if isinstance(script, LLMError) else script
        try:
            for item in items:
                if isinstance(item, LLMError):
                    raise item
                if self.delay:
                    time.sleep(self.delay)
                yield item
        except GeneratorExit:
            call.closed_early = True
            raise


def provider_from_settings(settings: Settings) -> Provider:
    """The configured provider: an OpenAI-compatible server, else the embedded model."""
    if settings.uses_remote:
        return OpenAIProvider(model=settings.model or DEFAULT_OPENAI_MODEL,
                              api_key=settings.api_key, base_url=settings.base_url,
                              timeout=settings.request_timeout_s)
    from interviewkit.offline import (  # type: ignore[import-not-found, unused-ignore]
        OfflineProvider,
    )

    provider: Provider = OfflineProvider.from_settings(settings)
    return provider


__all__ = ["FakeCall", "FakeProvider", "GenParams", "LLMError", "Message", "OpenAIProvider",
           "Provider", "provider_from_settings", "redact"]
