"""OpenAIProvider against a real local server through the real SDK, plus FakeProvider."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Generator, Iterator

import httpx2
import pytest

from interviewkit.config import DEFAULT_OPENAI_MODEL, Settings, load_settings
from interviewkit.errors import LLMError
from interviewkit.providers.base import GenParams, Message, Provider
from interviewkit.providers.factory import provider_from_settings
from interviewkit.providers.remote import OpenAIProvider
from interviewkit.safety.secrets import scrub as redact
from interviewkit.testing.mockserver import MockOpenAIServer, Reply
from tests.conftest import FakeProvider

KEY = "sk-test-SECRET-0123456789abcdef"
MESSAGES: list[Message] = [{"role": "system", "content": "You write interview kits."},
                           {"role": "user", "content": "CV: ten years of Python."}]
MakeProvider = Callable[..., OpenAIProvider]


@pytest.fixture
def server() -> Iterator[MockOpenAIServer]:
    with MockOpenAIServer(max_lifetime_s=60) as srv:
        yield srv


@pytest.fixture
def make(server: MockOpenAIServer) -> Iterator[MakeProvider]:
    """Build providers pointed at the server (no retries, short timeout); closed afterwards."""
    made: list[OpenAIProvider] = []

    def build(**overrides: object) -> OpenAIProvider:
        options: dict[str, object] = {"model": "mock-model", "api_key": KEY,
                                      "base_url": server.base_url, "timeout": 5.0,
                                      "max_retries": 0}
        options.update(overrides)
        provider = OpenAIProvider(**options)  # type: ignore[arg-type]
        made.append(provider)
        return provider

    yield build
    for provider in made:
        provider.close()


def run(provider: Provider, params: GenParams | None = None) -> tuple[list[str], LLMError | None]:
    """All deltas a consumer received, and the error that ended the stream (if any)."""
    received: list[str] = []
    try:
        for delta in provider.execute(MESSAGES, params or GenParams()):
            received.append(delta)
    except LLMError as err:
        return received, err
    return received, None


def fail(provider: Provider) -> LLMError:
    received, err = run(provider)
    assert err is not None, f"expected an LLMError, got text {received!r}"
    return err


def test_stream_yields_the_text_in_pieces(server: MockOpenAIServer, make: MakeProvider) -> None:
    text = "Question 1: Tell me about a hard bug.\n\nQuestion 2: Why Python?"
    server.enqueue(Reply(text))
    received, err = run(make())
    assert err is None
    assert "".join(received) == text
    assert len(received) == len(Reply(text).pieces()) and all(received)


def test_request_body_and_auth_are_sent(server: MockOpenAIServer, make: MakeProvider) -> None:
    run(make(), GenParams(temperature=0.1, max_tokens=321))
    (seen,) = server.requests
    assert seen.path == "/v1/chat/completions"
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert seen.body["model"] == "mock-model"
    assert seen.body["temperature"] == 0.1
    assert seen.body["max_tokens"] == 321
    assert seen.body["stream"] is True
    assert seen.body["messages"] == MESSAGES


def test_params_model_overrides_provider_model(server: MockOpenAIServer,
                                               make: MakeProvider) -> None:
    run(make(), GenParams(model="other-model"))
    assert server.requests[0].body["model"] == "other-model"


def test_local_server_without_key_gets_placeholder(server: MockOpenAIServer,
                                                   make: MakeProvider) -> None:
    provider = make(api_key=None)
    received, err = run(provider)
    assert err is None and received
    assert server.requests[0].headers["authorization"] == "Bearer not-needed"
    assert provider.label == f"mock-model · 127.0.0.1:{server.port}"
    assert provider.offline is False
    assert isinstance(provider, Provider)


def test_no_key_and_no_base_url_is_missing_key() -> None:
    with pytest.raises(LLMError) as info:
        OpenAIProvider(model="gpt-4o-mini", api_key=None, base_url=None)
    assert info.value.code == "missing_key"
    assert "OPENAI_API_KEY" in str(info.value) and "OPENAI_BASE_URL" in str(info.value)
    assert info.value.retryable is False


@pytest.mark.parametrize(("status", "code", "needle"), [
    (401, "auth", "Check OPENAI_API_KEY"),
    (403, "permission", "no permission"),
    (404, "not_found", 'Model "mock-model" was not found'),
    (400, "bad_request", "Invalid request."),
    (422, "bad_request", "HTTP 422"),
    (500, "server", "server error 500"),
    (503, "server", "server error 503"),
])
def test_status_errors_are_specific(server: MockOpenAIServer, make: MakeProvider,
                                    status: int, code: str, needle: str) -> None:
    server.enqueue(Reply(status=status))
    err = fail(make())
    assert err.code == code
    assert needle in str(err)
    assert f"127.0.0.1:{server.port}" in str(err)
    assert err.retryable is (code == "server")
    assert len(server.requests) == 1  # max_retries=0: exactly one attempt


def test_bad_request_quotes_the_server(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply.failure(400, "max_tokens must be at most 4096"))
    err = fail(make())
    assert err.code == "bad_request"
    assert "rejected the request" in str(err)
    assert "max_tokens must be at most 4096" in str(err)


def test_rate_limit_with_retry_after(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply(status=429, headers={"Retry-After": "7"}))
    err = fail(make())
    assert err.code == "rate_limit" and err.retryable
    assert err.retry_after == 7.0
    assert "retry in 7 s" in str(err)


def test_rate_limit_without_retry_after(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply.failure(429, "You exceeded your current quota"))
    err = fail(make())
    assert err.code == "rate_limit"
    assert err.retry_after is None
    assert "retry in" not in str(err)
    assert "You exceeded your current quota" in str(err)


def test_sdk_retries_a_503_then_succeeds(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply(status=503, headers={"Retry-After-Ms": "10"}), Reply("Second time lucky"))
    received, err = run(make(max_retries=2))
    assert err is None
    assert "".join(received) == "Second time lucky"
    assert [r.wait() for r in server.requests] == ["error", "complete"]


def test_connection_refused(make: MakeProvider) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    err = fail(make(base_url=f"http://127.0.0.1:{port}/v1"))
    assert err.code == "connection" and err.retryable
    assert f"Cannot connect to 127.0.0.1:{port}" in str(err)
    assert "is the server running?" in str(err)


def test_read_timeout_before_any_text(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply("too late", stall=30.0))
    err = fail(make(timeout=0.5))
    assert server.requests[0].outcome == "pending", "the client gave up, the server never answered"
    assert err.code == "timeout"
    assert "within 0.5 s" in str(err)


def test_timeout_mid_stream_keeps_partial(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply("quick then very slow", delay=2.0))
    received, err = run(make(timeout=0.5))
    assert received == ["quick"]
    assert err is not None and err.code == "timeout"
    assert "after 5 characters; the partial text is kept" in str(err)


def test_cut_after_n_chunks(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply("one two three four five", cut_after=3))
    received, err = run(make())
    assert "".join(received) == "one two three"
    assert err is not None and err.code == "cut" and err.retryable
    assert "dropped after 13 characters; the partial text is kept" in str(err)


def test_cut_before_any_text(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply("never arrives", cut_after=0))
    received, err = run(make())
    assert received == []
    assert err is not None and err.code == "cut"
    assert "before any text arrived" in str(err)


def test_clean_end_without_finish_reason_is_cut(server: MockOpenAIServer,
                                                make: MakeProvider) -> None:
    server.enqueue(Reply("all words arrive", finish_reason=""))  # [DONE] but no finish signal
    received, err = run(make())
    assert "".join(received) == "all words arrive"
    assert err is not None and err.code == "cut"
    assert "ended without a finish signal after 16 characters" in str(err)


def test_malformed_sse_line(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply("good words then garbage", malformed_after=2))
    received, err = run(make())
    assert "".join(received) == "good words"
    assert err is not None and err.code == "malformed"
    assert "malformed" in str(err) and "partial text is kept" in str(err)


def test_empty_completion(server: MockOpenAIServer, make: MakeProvider) -> None:
    server.enqueue(Reply(""))
    received, err = run(make())
    assert received == []
    assert err is not None and err.code == "empty"
    assert 'Model "mock-model"' in str(err) and "without any text" in str(err)


def test_closing_the_generator_closes_the_response(server: MockOpenAIServer,
                                                   make: MakeProvider) -> None:
    responses: list[httpx2.Response] = []
    server.enqueue(Reply.tokens(500, rate_per_s=200))
    with httpx2.Client(event_hooks={"response": [responses.append]}) as http_client:
        stream = make(http_client=http_client).execute(MESSAGES, GenParams())
        assert isinstance(stream, Generator)
        first = [next(stream) for _ in range(3)]
        assert not responses[0].is_closed
        stream.close()  # what a Stop button does
        assert responses[0].is_closed
        # 500 tokens at 200/s take 2.5 s: "disconnected" means the server saw the hang-up
        # mid-stream (a response left open would have run to "complete")
        assert server.requests[0].wait(timeout=10) == "disconnected"
    assert len(first) == 3 and all(first)


def test_api_key_never_appears_in_errors_or_logs(server: MockOpenAIServer, make: MakeProvider,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server.enqueue(Reply.failure(401, f"Incorrect API key provided: {KEY}."),
                   Reply.failure(400, f"bad header Authorization: Bearer {KEY}"))
    provider = make()
    errors = [fail(provider), fail(provider)]
    for err in errors:
        assert KEY not in str(err) and KEY not in repr(err.args)
        assert "[redacted]" in str(err)
        assert err.__cause__ is None and err.__suppress_context__
    assert KEY not in caplog.text
    assert KEY not in repr(provider)


def test_redact_masks_key_like_strings() -> None:
    assert redact("key sk-abc123456789 bad", None) == "key sk-[redacted] bad"
    assert redact("token=hunter2hunter2", "hunter2hunter2") == "token=[redacted]"
    assert redact("Authorization: Bearer abcdefgh12") == "Authorization: Bearer [redacted]"


def test_provider_from_settings_remote(server: MockOpenAIServer) -> None:
    settings = Settings(api_key=KEY, base_url=server.base_url, request_timeout_s=12.5)
    provider = provider_from_settings(settings)
    assert isinstance(provider, OpenAIProvider)
    try:
        assert provider.model == DEFAULT_OPENAI_MODEL
        assert provider.timeout == 12.5
        assert provider.label == f"{DEFAULT_OPENAI_MODEL} · 127.0.0.1:{server.port}"
        server.enqueue(Reply("from settings"))
        assert "".join(provider.execute(MESSAGES, GenParams())) == "from settings"
        assert server.requests[0].body["model"] == DEFAULT_OPENAI_MODEL
    finally:
        provider.close()


def test_provider_from_env_uses_model_and_default_host() -> None:
    provider = provider_from_settings(load_settings(env={"OPENAI_API_KEY": KEY,
                                                         "INTERVIEWKIT_MODEL": "gpt-4.1"}))
    assert isinstance(provider, OpenAIProvider)
    try:
        assert provider.label == "gpt-4.1 · api.openai.com"
    finally:
        provider.close()


def test_provider_openai_without_key_is_missing_key() -> None:
    with pytest.raises(LLMError) as info:
        provider_from_settings(Settings(provider="openai"))
    assert info.value.code == "missing_key"


def test_fake_provider_replays_scripts_and_records_calls() -> None:
    fake = FakeProvider()
    fake.enqueue(["Hel", "lo"], ["partial ", LLMError("dropped", code="cut")],
                 LLMError("no key", code="missing_key"))
    assert "".join(fake.execute(MESSAGES, GenParams(temperature=0.9))) == "Hello"
    received, err = run(fake)
    assert received == ["partial "] and err is not None and err.code == "cut"
    received, err = run(fake)
    assert received == [] and err is not None and err.code == "missing_key"
    assert "".join(fake.execute(MESSAGES, GenParams())) == "Fake reply."
    assert len(fake.calls) == 4
    assert fake.calls[0].messages == MESSAGES and fake.calls[0].params.temperature == 0.9
    assert isinstance(fake, Provider) and fake.offline


def test_fake_provider_notices_early_close() -> None:
    fake = FakeProvider(delay=0.001)
    fake.enqueue(["a", "b", "c"])
    stream = fake.execute(MESSAGES, GenParams())
    assert isinstance(stream, Generator)
    assert next(stream) == "a"
    stream.close()
    assert fake.calls[0].closed_early
