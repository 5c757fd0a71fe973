"""Any OpenAI-compatible chat server (OpenAI, vLLM, Ollama, llama.cpp, LM Studio).

Consumers read ``provider.execute(...)`` as a plain iterator and may stop early
(closing the generator closes the HTTP response).  Every SDK failure surfaces
as :class:`~interviewkit.errors.LLMError` through one mapping
(:meth:`OpenAIProvider._error`, with the status table in
:mod:`interviewkit.errors`); text already yielded stays with the consumer, and
the API key never appears in any message.  Token counts come from the
server's own ``usage`` (``stream_options.include_usage``) when it sends them.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import openai

from interviewkit.errors import LLMError, llm_code_for_status
from interviewkit.providers.base import GenParams, Message, Provider, Usage
from interviewkit.safety.secrets import scrub

if TYPE_CHECKING:
    import httpx2
    from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

OPENAI_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "not-needed"
_MAX_DETAIL = 300


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


def _note_usage(chunk: ChatCompletionChunk, usage: Usage | None) -> None:
    """The server's token counts (the last chunk, with ``include_usage``), when sent."""
    reported: Any = getattr(chunk, "usage", None)
    if usage is None or reported is None:
        return
    prompt, completion = (getattr(reported, name, None)
                          for name in ("prompt_tokens", "completion_tokens"))
    if isinstance(prompt, int) and isinstance(completion, int):
        usage.report(prompt, completion)


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


class OpenAIProvider(Provider):
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

    def execute(self, messages: Sequence[Message], params: GenParams,
                usage: Usage | None = None) -> Iterator[str]:
        """Stream text deltas; raise :class:`LLMError` (after any text already yielded)."""
        model = params.model or self.model
        state = _StreamState()
        try:
            stream = self._client.chat.completions.create(
                model=model, messages=cast("list[ChatCompletionMessageParam]",
                                           [dict(m) for m in messages]),
                temperature=params.temperature, max_tokens=params.max_tokens, stream=True,
                stream_options={"include_usage": True})
            state.opened = True
            with stream:  # closes the HTTP response even when the consumer stops early
                for chunk in stream:
                    _note_usage(chunk, usage)
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
        return LLMError(scrub(message, self._api_key), code=code, retry_after=retry_after)

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
        status, code = err.status_code, llm_code_for_status(err.status_code)
        detail = _server_detail(err.body)
        wait = _retry_after(err.response.headers) if code == "rate_limit" else None
        when = f"retry in {math.ceil(wait)} s" if wait is not None else "wait a moment"
        message = _STATUS_MESSAGES[code].format(
            host=self.host, model=model, status=status, when=when,
            detail=detail or "no reason given", said=f" Server said: {detail}" if detail else "")
        return self._fail(message, code, retry_after=wait)


# What each status code means for the recruiter (codes: errors.SDK_STATUS_CODES).
_STATUS_MESSAGES = {
    "auth": "{host} rejected the API key (HTTP 401). Check OPENAI_API_KEY.{said}",
    "permission": 'The API key has no permission to use model "{model}" on {host} '
                  "(HTTP 403).{said}",
    "not_found": 'Model "{model}" was not found on the server {host} (HTTP 404). Check '
                 "INTERVIEWKIT_MODEL, or OPENAI_BASE_URL if the server lives elsewhere.{said}",
    "rate_limit": "Rate limited by {host} (HTTP 429); {when}.{said}",
    "server": "{host} had a server error {status}; try again shortly.{said}",
    "bad_request": "{host} rejected the request (HTTP {status}): {detail}",
}
