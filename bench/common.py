"""What every benchmark shares: kit-shaped replies, a timed mock, a Streamlit process.

Replies are shaped like a real kit (``### n.`` questions with "Listen for"
bullets and a follow-up) because the app streams each question into its own
element; plain filler without headings would hide exactly that.  The last
token is a unique marker so a page can tell when the complete text is shown.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewkit.testing.mockserver import MockOpenAIServer, Reply

ROOT = Path(__file__).resolve().parent.parent
# The tree whose app.py is measured; ``run.py --app-root`` points it at another checkout.
APP_ROOT = Path(os.environ.get("IKBENCH_APP_ROOT", str(ROOT)))
CORPUS = ROOT.parent / "shared" / "corpus"
END_MARK = "omega"  # the final token; appears nowhere else in a reply
_WORDS = ("how", "did", "you", "decide", "between", "the", "two", "designs", "for", "your",
          "payment", "service", "and", "what", "would", "change", "at", "ten", "times",
          "load", "which", "metric", "told", "team", "it", "worked", "when", "rollout",
          "failed", "first", "describe", "trade-offs", "in", "caching", "layer")
_TICK = os.sysconf("SC_CLK_TCK")


def _words(count: int, start: int) -> list[str]:
    return [" " + _WORDS[(start + i) % len(_WORDS)] for i in range(count)]


def _section(number: int, size: int) -> list[str]:
    """One question of about ``size`` tokens, split like a tokenizer would."""
    head = ["###" if number == 1 else "\n\n###", f" {number}."]
    question = _words(22, number)
    question[-1] += "?"
    bullets: list[str] = []
    while len(head) + len(question) + len(bullets) + 26 < size:
        bullets += ["\n-", *_words(14, len(bullets))]
    follow = ["\n**Follow-up:**", *_words(20, number + 7)]
    follow[-1] += "?"
    return head + question + ["\n**Listen", " for:**"] + bullets + follow


def kit_pieces(n: int, section_tokens: int = 250) -> list[str]:
    """Exactly ``n`` tokens of a kit, the last one being :data:`END_MARK`."""
    pieces: list[str] = []
    number = 1
    while len(pieces) < n:
        pieces += _section(number, section_tokens)
        number += 1
    pieces = pieces[: max(1, n - 1)]
    return [*pieces, f" {END_MARK}."]


def kit_reply(n: int, rate: float, first_delay: float = 0.2) -> Reply:
    return Reply(text=kit_pieces(n), first_delay=first_delay,
                 delay=1.0 / rate if rate > 0 else 0.0)


# ---------------------------------------------------------------- timed mock
SENT: list[float] = []  # wall-clock time each content token left the mock (one stream at a time)


def _note_token(payload: dict[str, Any]) -> None:
    """The mock's ``on_event`` hook: when each content token was written."""
    choices = payload.get("choices") or [{}]
    if (choices[0].get("delta") or {}).get("content"):
        SENT.append(time.time())


@contextmanager
def timed_mock(reply: Reply) -> Iterator[MockOpenAIServer]:
    """An in-process mock whose token send times land in :data:`SENT`."""
    with MockOpenAIServer(default=reply, max_lifetime_s=3600, on_event=_note_token) as mock:
        yield mock


@contextmanager
def mock_process(text: str, rate: float, first_delay: float = 0.2) -> Iterator[str]:
    """The mock in its own process (``python -m interviewkit.mockserver``), so its
    CPU is not counted against the benchmark client."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "interviewkit.testing.mockserver", "--port", str(port),
         "--text", text,
         "--rate", str(rate), "--first-delay", str(first_delay), "--lifetime", "3600"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(10)


# ---------------------------------------------------------------- streamlit
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(base_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "INTERVIEWKIT_"))}
    env["INTERVIEWKIT_HOME"] = str(Path("/tmp") / "ikbench-home")
    env["PYTHONPATH"] = str(APP_ROOT)
    if base_url:
        env.update(OPENAI_BASE_URL=base_url, OPENAI_API_KEY="sk-test",
                   INTERVIEWKIT_MODEL="mock-model")
    env.update(extra)
    return env


@dataclass
class ProcStats:
    cpu_s: float
    rss_mb: float
    peak_mb: float


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Terminate, and kill what does not stop within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class StreamlitServer:
    """``streamlit run <script>`` on a free loopback port, with CPU and memory probes."""

    def __init__(self, script: Path, env: dict[str, str], flags: Sequence[str] = (),
                 log: Path | None = None, port: int | None = None) -> None:
        self.port = port or free_port()  # given when a URL must be known first (redirect_uri)
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = (log or Path("/tmp") / f"ikbench-streamlit-{self.port}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false", *flags],
            cwd=APP_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {self._log.name}")

    def stats(self) -> ProcStats:
        """CPU seconds so far, current and peak resident memory (from /proc)."""
        pid = self.proc.pid
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / _TICK
        status = Path(f"/proc/{pid}/status").read_text()
        rss, peak = (int(re.search(rf"{k}:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
                     for k in ("VmRSS", "VmHWM"))
        return ProcStats(cpu, rss, peak)

    def reset_peak(self) -> None:
        """Reset VmHWM so the next peak belongs to the next measurement."""
        Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")

    def wire_bytes_sent(self) -> dict[str, int]:
        """Bytes sent so far per open connection (peer address), as on the wire: after
        any websocket compression.  From the kernel (``ss``), so nothing is slowed down."""
        out = subprocess.run(["ss", "-tinH", "state", "established", "sport", "=",
                              f":{self.port}"], capture_output=True, text=True).stdout
        pairs = re.findall(r"\S+:\d+ (\S+:\d+)\n[^\n]*?bytes_sent:(\d+)", out)
        return {peer: int(sent) for peer, sent in pairs}

    def stop(self) -> None:
        stop_process(self.proc)
        self._log.close()

    def __enter__(self) -> StreamlitServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100); small samples stay honest."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]
