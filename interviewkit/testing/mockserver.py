"""A real, local OpenAI-compatible chat server for tests, demos and benchmarks.

It speaks plain HTTP/1.1 + SSE on 127.0.0.1 exactly like ``/v1/chat/completions``
so the real ``openai`` SDK can be exercised end to end: normal streams, error
statuses, stalls, dropped connections and broken SSE lines are all scripted
with :class:`Reply`.  Streams use chunked transfer encoding, so a cut stream is
visible to the client as an incomplete body, never as a silent clean end.
Standard library only.

Hook: ``MockOpenAIServer(on_event=f)`` calls ``f(payload)`` right after each SSE
event has been written (benchmarks time the tokens with it); nothing else needs
the private handler classes.  The server sets TCP_NODELAY, as the servers
people deploy do (uvicorn: vLLM, llama.cpp server, Ollama).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from interviewkit.testing.replies import DEFAULT_MODEL, RecordedRequest, Reply, usage


class _Stopped(Exception):
    """The server is shutting down; abandon the reply."""


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    mock: MockOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up are normal here; only real bugs get a traceback."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # each SSE event leaves at once, as from a real server
    timeout = 30.0  # socket timeout: a wedged client can never pin a thread forever

    @property
    def mock(self) -> MockOpenAIServer:
        return cast(_Httpd, self.server).mock

    def setup(self) -> None:
        super().setup()
        self.mock._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.mock._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.mock.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self.close_connection = True
        record = self._record(None)
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "mock"}
                    for m in self.mock.models]
            record.finish(self._send_json(200, {"object": "list", "data": data}))
        else:
            record.finish(self._reject(404, f"Unknown path {self.path}"))

    def do_POST(self) -> None:
        self.close_connection = True
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        record = self._record(body)
        try:
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                record.finish(self._reject(404, f"Unknown path {self.path}"))
            elif not isinstance(body, dict):
                record.finish(self._reject(400, "The request body must be a JSON object."))
            else:
                record.finish(self._answer(body))
        except _Stopped:
            record.finish("stopped")
        except OSError:
            record.finish("disconnected")
        except BaseException:
            record.finish("crashed")
            raise

    def _record(self, body: Any) -> RecordedRequest:
        record = RecordedRequest(self.command, self.path,
                                 {k.lower(): v for k, v in self.headers.items()}, body)
        self.mock._record(record)
        return record

    def _answer(self, body: dict[str, Any]) -> str:
        reply = self.mock._next_reply(body)
        self._wait(reply.stall)
        if reply.status != 200:
            self._send_json(reply.status, reply.error_body(), reply.headers)
            return "error"
        if body.get("stream"):
            return _Stream(self, reply, body).run()
        self._wait(reply.first_delay)
        pieces = reply.pieces()
        text = "".join(pieces if reply.cut_after is None else pieces[: reply.cut_after])
        return self._send_json(200, {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion",
            "created": int(time.time()), "model": body.get("model", DEFAULT_MODEL),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "logprobs": None, "finish_reason": reply.finish_reason}],
            "usage": usage(body, len(pieces)),
        }, reply.headers, cut=reply.cut_after is not None)

    def _wait(self, seconds: float) -> None:
        """Sleep, but give up at once when the server stops."""
        if self.mock._stop_event.wait(seconds) if seconds > 0 else self.mock._stop_event.is_set():
            raise _Stopped

    def _reject(self, status: int, message: str) -> str:
        self._send_json(status, {"error": {"message": message, "type": "invalid_request_error",
                                           "param": None, "code": None}})
        return "error"

    def _send_json(self, status: int, payload: Any, headers: Mapping[str, str] | None = None,
                   *, cut: bool = False) -> str:
        """Send JSON; ``cut`` promises the whole body, delivers half and hangs up."""
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if cut:
            self.wfile.write(data[: len(data) // 2])
            _hang_up(self.connection)
            return "cut"
        self.wfile.write(data)
        return "complete"


class _Stream:
    """Writes one SSE reply as chunked HTTP, honouring the reply's script."""

    def __init__(self, handler: _Handler, reply: Reply, body: dict[str, Any]) -> None:
        self.h = handler
        self.reply = reply
        self.body = body
        self.id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self.created = int(time.time())

    def run(self) -> str:
        self.h.send_response(200)
        for name, value in {"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                            "Transfer-Encoding": "chunked", "Connection": "close",
                            **self.reply.headers}.items():
            self.h.send_header(name, value)
        self.h.end_headers()
        self.h._wait(self.reply.first_delay)
        self.event(self.chunk({"role": "assistant", "content": ""}))
        pieces = self.reply.pieces()
        cut, bad = (None if n is None else min(n, len(pieces))
                    for n in (self.reply.cut_after, self.reply.malformed_after))
        started = time.monotonic()  # pace against the clock so the rate does not drift
        for sent in range(len(pieces) + 1):
            if sent == cut:
                _hang_up(self.h.connection)
                return "cut"
            if sent == bad:
                self.raw(b'data: {"id": "broken", "choices": [\n\n')
                return self.end("malformed")
            if sent < len(pieces):
                self.h._wait(started + sent * self.reply.delay - time.monotonic())
                self.event(self.chunk({"content": pieces[sent]}))
        self.event(self.chunk({}, finish=self.reply.finish_reason))
        options = self.body.get("stream_options")
        if isinstance(options, dict) and options.get("include_usage"):
            self.event({**self.chunk({}, usage=usage(self.body, len(pieces))), "choices": []})
        self.raw(b"data: [DONE]\n\n")
        return self.end("complete")

    def chunk(self, delta: dict[str, Any], *, finish: str | None = None,
              usage: dict[str, int] | None = None) -> dict[str, Any]:
        return {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                "model": self.body.get("model", DEFAULT_MODEL), "system_fingerprint": None,
                "choices": [{"index": 0, "delta": delta, "logprobs": None,
                             "finish_reason": finish}],
                "usage": usage}

    def event(self, payload: dict[str, Any]) -> None:
        self.raw(b"data: " + json.dumps(payload).encode() + b"\n\n")
        hook = self.h.mock.on_event
        if hook is not None:
            hook(payload)

    def raw(self, data: bytes) -> None:
        """One HTTP chunk, flushed at once."""
        self.h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.h.wfile.flush()

    def end(self, outcome: str) -> str:
        self.h.wfile.write(b"0\r\n\r\n")
        self.h.wfile.flush()
        return outcome


def _hang_up(sock: socket.socket) -> None:
    """Really end the TCP connection so the client sees the cut immediately."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


ReplySource = Reply | Callable[[dict[str, Any]], Reply]


class MockOpenAIServer:
    """Local OpenAI-compatible server on 127.0.0.1 with a FIFO of scripted replies.

    Stops itself after ``max_lifetime_s`` (``None``: never) so a forgotten
    server cannot outlive a test run.
    """

    def __init__(self, default: ReplySource | None = None, max_lifetime_s: float | None = 600,
                 *, port: int = 0, models: Sequence[str] = (DEFAULT_MODEL,),
                 verbose: bool = False,
                 on_event: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.default = default
        self.on_event = on_event
        self.max_lifetime_s = max_lifetime_s
        self.models = list(models)
        self.verbose = verbose
        self._port = port
        self._lock = threading.Lock()
        self._queue: collections.deque[Reply] = collections.deque()
        self._requests: list[RecordedRequest] = []
        self._active: set[socket.socket] = set()
        self._stop_event = threading.Event()
        self._stopped = threading.Event()
        self._httpd: _Httpd | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    # lifecycle -----------------------------------------------------------
    def start(self) -> MockOpenAIServer:
        if self._httpd is not None:
            raise RuntimeError("MockOpenAIServer can only be started once")
        httpd = _Httpd(("127.0.0.1", self._port), _Handler)
        httpd.mock = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="mock-openai", daemon=True)
        self._thread.start()
        if self.max_lifetime_s is not None:
            self._timer = threading.Timer(self.max_lifetime_s, self.stop)
            self._timer.daemon = True
            self._timer.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving, abort streams in flight and close every socket; idempotent."""
        with self._lock:
            if self._httpd is None or self._stop_event.is_set():
                return
            self._stop_event.set()
        if self._timer is not None:
            self._timer.cancel()
        httpd = self._httpd
        httpd.shutdown()
        httpd.server_close()
        deadline = time.monotonic() + timeout
        while self._active and time.monotonic() < deadline:  # replies see the stop event
            time.sleep(0.005)
        with self._lock:
            stuck = list(self._active)
        for sock in stuck:  # a thread still blocked on socket I/O: unblock it
            _hang_up(sock)
        if self._thread is not None:
            self._thread.join(timeout)
        self._stopped.set()

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Block until the server has stopped (Ctrl-C, stop() or lifetime)."""
        return self._stopped.wait(timeout)

    def __enter__(self) -> MockOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # scripting -----------------------------------------------------------
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def enqueue(self, *replies: Reply) -> None:
        """Queue replies; each chat request consumes one, in order."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request seen so far, oldest first (a snapshot)."""
        with self._lock:
            return list(self._requests)

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if callable(self.default):
            return self.default(body)
        return self.default or Reply("Hello from the mock server.")

    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(record)

    def _track(self, sock: socket.socket, *, add: bool) -> None:
        with self._lock:
            (self._active.add if add else self._active.discard)(sock)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve one scripted reply for every request until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m interviewkit.mockserver",
                                     description="Local OpenAI-compatible mock server.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--tokens", type=int, default=300, help="tokens per reply")
    parser.add_argument("--rate", type=float, default=100.0, help="tokens per second")
    parser.add_argument("--first-delay", type=float, default=0.2, help="seconds to first token")
    parser.add_argument("--text", help="fixed reply text instead of filler tokens")
    parser.add_argument("--lifetime", type=float, default=3600.0,
                        help="stop by itself after this many seconds (0: never)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    reply = Reply.tokens(args.tokens, args.rate, first_delay=args.first_delay)
    if args.text is not None:
        reply = replace(reply, text=args.text)
    server = MockOpenAIServer(reply, args.lifetime or None, port=args.port, verbose=args.verbose)
    server.start()
    print(server.base_url, flush=True)
    try:
        server.wait_stopped()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["DEFAULT_MODEL", "MockOpenAIServer", "RecordedRequest", "Reply", "main"]
