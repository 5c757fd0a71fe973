"""The mock server speaks real HTTP + SSE the way OpenAI does (raw client and SDK)."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from interviewkit.testing.mockserver import MockOpenAIServer, Reply

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> Iterator[MockOpenAIServer]:
    with MockOpenAIServer(max_lifetime_s=60) as srv:
        yield srv


def post(srv: MockOpenAIServer, body: dict[str, Any], *, timeout: float = 5.0,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP POST to /v1/chat/completions; returns status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    try:
        conn.request("POST", "/v1/chat/completions", body=json.dumps(body),
                     headers={"Content-Type": "application/json", **(headers or {})})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def events(raw: bytes) -> list[str]:
    """The ``data:`` payloads of an SSE body, in order."""
    return [block[len("data: "):] for block in raw.decode().split("\n\n")
            if block.startswith("data: ")]


CHAT = {"model": "my-model", "messages": [{"role": "user", "content": "hi there"}], "stream": True}


def test_stream_is_openai_shaped_sse(server: MockOpenAIServer) -> None:
    server.enqueue(Reply("Hello brave  new world"))
    status, headers, raw = post(server, CHAT)
    assert status == 200
    assert headers["content-type"] == "text/event-stream"
    assert headers["transfer-encoding"] == "chunked"
    payloads = events(raw)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "my-model" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    contents = [c["choices"][0]["delta"]["content"] for c in chunks[1:-1]]
    assert contents == ["Hello", " brave", "  new", " world"]
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert server.requests[0].wait() == "complete"


def test_usage_chunk_only_when_asked(server: MockOpenAIServer) -> None:
    server.enqueue(Reply("a b c"), Reply("a b c"))
    _, _, plain = post(server, CHAT)
    _, _, with_usage = post(server, {**CHAT, "stream_options": {"include_usage": True}})
    assert all('"usage": null' in p for p in events(plain)[:-1])
    last = json.loads(events(with_usage)[-2])
    assert last["choices"] == []
    assert last["usage"]["completion_tokens"] == 3
    assert last["usage"]["prompt_tokens"] == 2


def test_non_stream_returns_chat_completion(server: MockOpenAIServer) -> None:
    server.enqueue(Reply("Plain answer.", finish_reason="length"))
    status, headers, raw = post(server, {**CHAT, "stream": False})
    body = json.loads(raw)
    assert status == 200 and headers["content-type"] == "application/json"
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "Plain answer."}
    assert body["choices"][0]["finish_reason"] == "length"


def test_sdk_non_stream_and_models(server: MockOpenAIServer) -> None:
    with openai.OpenAI(api_key="sk-x", base_url=server.base_url, max_retries=0) as client:
        server.enqueue(Reply("Via the SDK."))
        done = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "q"}])
        models = client.models.list()
    assert done.choices[0].message.content == "Via the SDK."
    assert [m.id for m in models.data] == ["mock-model"]
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/v1/chat/completions"), ("GET", "/v1/models")]


def test_error_status_has_openai_body_and_headers(server: MockOpenAIServer) -> None:
    server.enqueue(Reply(status=429, headers={"Retry-After": "12"}),
                   Reply.failure(400, "max_tokens is too large"))
    status, headers, raw = post(server, CHAT)
    assert status == 429 and headers["retry-after"] == "12"
    assert json.loads(raw)["error"]["code"] == "rate_limit_exceeded"
    status, _, raw = post(server, CHAT)
    error = json.loads(raw)["error"]
    assert status == 400
    assert error["message"] == "max_tokens is too large"
    assert set(error) >= {"message", "type", "code"}
    assert [r.wait() for r in server.requests] == ["error", "error"]


def test_queue_is_fifo_then_default() -> None:
    with MockOpenAIServer(default=lambda body: Reply(f"default for {body['model']}")) as srv:
        srv.enqueue(Reply("first"), Reply("second"))
        texts = [json.loads(post(srv, {**CHAT, "stream": False})[2])
                 ["choices"][0]["message"]["content"] for _ in range(3)]
    assert texts == ["first", "second", "default for my-model"]


def test_without_default_a_short_fixed_reply(server: MockOpenAIServer) -> None:
    _, _, raw = post(server, {**CHAT, "stream": False})
    assert json.loads(raw)["choices"][0]["message"]["content"] == "Hello from the mock server."


def test_records_headers_and_body(server: MockOpenAIServer) -> None:
    post(server, {**CHAT, "temperature": 0.2}, headers={"Authorization": "Bearer sk-abc"})
    (seen,) = server.requests
    assert seen.headers["authorization"] == "Bearer sk-abc"
    assert seen.body["temperature"] == 0.2
    assert seen.body["messages"] == CHAT["messages"]


def test_cut_after_closes_mid_body(server: MockOpenAIServer) -> None:
    server.enqueue(Reply("one two three four", cut_after=2))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("POST", "/v1/chat/completions", body=json.dumps(CHAT))
        resp = conn.getresponse()
        with pytest.raises(http.client.IncompleteRead) as info:
            resp.read()
    finally:
        conn.close()
    partial = events(info.value.partial)
    assert [json.loads(p)["choices"][0]["delta"]["content"] for p in partial[1:]] == ["one", " two"]
    assert "[DONE]" not in partial
    assert server.requests[0].wait() == "cut"


def test_malformed_line_after_n_chunks(server: MockOpenAIServer) -> None:
    server.enqueue(Reply("one two three", malformed_after=1))
    _, _, raw = post(server, CHAT)
    payloads = events(raw)
    assert json.loads(payloads[1])["choices"][0]["delta"]["content"] == "one"
    with pytest.raises(json.JSONDecodeError):
        json.loads(payloads[2])
    assert server.requests[0].wait() == "malformed"


def test_stall_delays_the_headers(server: MockOpenAIServer) -> None:
    server.enqueue(Reply("late", stall=30.0))
    with pytest.raises(TimeoutError):
        post(server, CHAT, timeout=0.3)
    server.stop()  # the reply is still stalling: stop() aborts it before it writes anything
    assert [r.outcome for r in server.requests] == ["stopped"]


def test_tokens_are_deterministic_and_paced(server: MockOpenAIServer) -> None:
    reply = Reply.tokens(20, rate_per_s=100, first_delay=0.05)
    assert reply.pieces() == Reply.tokens(20, rate_per_s=100).pieces()
    assert len(reply.pieces()) == 20 and reply.delay == pytest.approx(0.01)
    assert not reply.pieces()[0].startswith(" ") and reply.pieces()[1].startswith(" ")
    server.enqueue(reply)
    started = time.monotonic()
    _, _, raw = post(server, CHAT)
    elapsed = time.monotonic() - started
    assert len(events(raw)) == 1 + 20 + 1 + 1  # role, tokens, finish, [DONE]
    # Pacing is a minimum (the server sleeps), so only the lower bound is the behaviour:
    # 50 ms to the first token + 19 gaps of 10 ms.  A slow machine can only add to it.
    assert elapsed >= 0.05 + 19 * 0.01


def test_text_split_keeps_whitespace() -> None:
    text = "  Line one.\n\nLine  two\ttabbed "
    assert "".join(Reply(text).pieces()) == text.rstrip()
    assert Reply(["as", "given"]).pieces() == ["as", "given"]


def test_stop_mid_stream_is_prompt(server: MockOpenAIServer) -> None:
    server.enqueue(Reply.tokens(1000, rate_per_s=20))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("POST", "/v1/chat/completions", body=json.dumps(CHAT))
        resp = conn.getresponse()
        resp.read1(100)
        server.stop()  # a 50 s stream that hears the stop ends itself: "stopped" below
        # (a reply deaf to it would be hung up after stop()'s grace period: "disconnected")
        with pytest.raises(http.client.IncompleteRead):
            resp.read()
    finally:
        conn.close()
    assert server.requests[0].outcome == "stopped"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1).close()


def test_stops_itself_after_max_lifetime() -> None:
    srv = MockOpenAIServer(max_lifetime_s=0.2).start()
    port = srv.port
    assert srv.wait_stopped(timeout=3)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    srv.stop()  # idempotent


def test_unknown_path_is_404(server: MockOpenAIServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", "/v1/nope")
        resp = conn.getresponse()
        assert resp.status == 404
        assert "nope" in json.loads(resp.read())["error"]["message"]
    finally:
        conn.close()


def test_command_line_serves_until_interrupted() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = [sys.executable, "-m", "interviewkit.testing.mockserver", "--port", str(port),
           "--tokens", "5", "--rate", "1000", "--first-delay", "0"]
    with subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            base_url = proc.stdout.readline().strip()
            assert base_url == f"http://127.0.0.1:{port}/v1"
            with openai.OpenAI(api_key="x", base_url=base_url, max_retries=0) as client:
                stream = client.chat.completions.create(
                    model="m", messages=[{"role": "user", "content": "q"}], stream=True)
                with stream:
                    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
            assert len(text.split()) == 5
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=5) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
