"""The embedded offline model: provenance checks, chat format, serialised access."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import threading
import time
from pathlib import Path

import pytest

from interviewkit.config import Settings
from interviewkit.errors import OfflineModelError
from interviewkit.providers.base import GenParams
from interviewkit.providers.offline import (
    MODELS,
    QWEN_05B,
    EmbeddedModel,
    FifoLock,
    LoopGuard,
    OfflineProvider,
    chatml,
    model_file,
    package_files,
)
from tests.conftest import require


def fake_model(tmp_path: Path, parts: list[bytes], sha: str | None = None) -> EmbeddedModel:
    """A two-part 'model' in a throwaway package on sys.path."""
    pkg = tmp_path / "site" / "ik_fake_parts"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for i, blob in enumerate(parts, 1):
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(blob)
    joined = b"".join(parts)
    return EmbeddedModel(key="fake", display="Fake", packages=("ik_fake_parts",),
                         pattern="data/part*.bin", size=len(joined),
                         sha256=sha or hashlib.sha256(joined).hexdigest(),
                         filename="fake.gguf", n_ctx=512, max_new_tokens=64)


@pytest.fixture
def fake_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return tmp_path


def test_parts_are_joined_once_and_verified(fake_site: Path) -> None:
    model = fake_model(fake_site, [b"GGUF" + b"a" * 1000, b"b" * 777])
    cache = fake_site / "cache"
    path = model_file(model, cache)
    assert path == cache / "fake.gguf"
    assert path.read_bytes() == b"GGUF" + b"a" * 1000 + b"b" * 777
    assert not list(cache.glob("*.partial-*")), "no temporary file is left behind"


def test_a_damaged_cache_file_is_rebuilt_from_the_parts(fake_site: Path) -> None:
    model = fake_model(fake_site, [b"x" * 100, b"y" * 100])
    cache = fake_site / "cache"
    cache.mkdir()
    (cache / "fake.gguf").write_bytes(b"tampered")
    assert model_file(model, cache).read_bytes() == b"x" * 100 + b"y" * 100


def test_a_checksum_mismatch_is_refused_with_a_clear_message(fake_site: Path) -> None:
    model = fake_model(fake_site, [b"x" * 100], sha="0" * 64)
    with pytest.raises(OfflineModelError, match="Refusing to load the offline model"):
        model_file(model, fake_site / "cache")
    assert not (fake_site / "cache" / "fake.gguf").exists()


def test_a_missing_model_package_says_how_to_install_it() -> None:
    model = EmbeddedModel(key="x", display="X", packages=("ik_no_such_pkg_123",), pattern="*",
                          size=1, sha256="0" * 64, filename="x", n_ctx=1, max_new_tokens=1)
    with pytest.raises(OfflineModelError, match=re.escape("pip install -r requirements.txt")):
        package_files(model)


def test_chatml_uses_our_own_template() -> None:
    text = chatml([{"role": "system", "content": "Be brief."},
                   {"role": "user", "content": "Hi\n"}])
    assert text == ("<|im_start|>system\nBe brief.<|im_end|>\n"
                    "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")


def test_fifo_lock_serves_waiters_in_arrival_order() -> None:
    lock = FifoLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for i in range(5):
        t = threading.Thread(target=lambda i=i: (lock.acquire(), order.append(i), lock.release()))
        t.start()
        threads.append(t)
        while lock.queue_length < i + 2:  # wait until thread i holds its ticket
            time.sleep(0.001)
    assert lock.queue_length == 6
    lock.release()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3, 4]
    assert lock.queue_length == 0


def test_loop_guard_trips_on_a_repeated_long_line_only() -> None:
    guard = LoopGuard()
    kit = "### 1. Q?\n**Listen for:**\n- a point\n**Follow-up:** why?\n" * 5
    assert not guard.feed(kit), "short structural lines repeat legitimately"
    loop = "- The candidate explains the design of the system.\n"
    assert not guard.feed(loop * 2)
    assert guard.feed(loop)


def test_unknown_offline_model_name_is_a_clear_error() -> None:
    with pytest.raises(OfflineModelError, match=re.escape("qwen2.5-coder-0.5b")):
        OfflineProvider.from_settings(Settings(offline_model="gpt-99"), Path("/tmp"))


def test_pinned_model_is_the_one_measured() -> None:
    assert MODELS["qwen2.5-coder-0.5b"] is QWEN_05B
    assert QWEN_05B.size == 491_400_064
    assert QWEN_05B.sha256.startswith("1d9614638d18")


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(importlib.util.find_spec("llama_cpp") is not None,
            "llama-cpp-python is not installed (pip install -r tests/requirements.txt)")
    try:
        package_files(QWEN_05B)
    except OfflineModelError as exc:
        require(False, str(exc))
    return tmp_path_factory.mktemp("models")


@pytest.mark.offline_model
def test_the_real_offline_model_streams_an_answer(model_cache: Path) -> None:
    provider = OfflineProvider(QWEN_05B, model_cache)
    deltas = list(provider.execute(
        [{"role": "user", "content": "Write one interview question for a Django developer."}],
        GenParams(temperature=0.0, max_tokens=40)))
    text = "".join(deltas)
    assert len(deltas) > 5 and len(text) > 40
    assert "<|im_end|>" not in text
    assert provider.queue_length() == 0, "the gate is released after a generation"


@pytest.mark.offline_model
def test_too_long_a_prompt_is_refused_before_sampling(model_cache: Path) -> None:
    provider = OfflineProvider(QWEN_05B, model_cache)
    huge = "Python Django PostgreSQL Kubernetes " * 3000
    with pytest.raises(OfflineModelError, match="too long for the offline model") as info:
        list(provider.execute([{"role": "user", "content": huge}], GenParams(max_tokens=100)))
    assert info.value.code == "too_long"
    assert provider.queue_length() == 0



@pytest.mark.offline_model
@pytest.mark.parametrize(("prompt_key", "values"), [
    ("korean_interview", {"num_questions": "1"}),
    # technical_screen with language=Korean is not reliable on the 0.5B model (README)
])
def test_the_offline_model_writes_korean_when_asked(model_cache: Path, prompt_key: str,
                                                    values: dict[str, object]) -> None:
    from dataclasses import replace

    from interviewkit.config import REPO_PROMPTS_DIR as PROMPTS_DIR
    from interviewkit.kit.pipeline import new_run
    from interviewkit.promptfiles.loader import load_prompt

    prompt = replace(load_prompt(PROMPTS_DIR / f"{prompt_key}.yaml"), max_tokens=60)
    run = new_run(prompt, cv_text="김민수\n백엔드 개발자, 네이버 2019-2024\nPython, Django, Kafka",
                  cv_name="kim.txt", raw_values=values)
    provider = OfflineProvider(QWEN_05B, model_cache)
    text = "".join(run.stream(provider))
    hangul = sum("\uac00" <= ch <= "\ud7a3" for ch in text)
    assert run.status == "done", run.error
    assert hangul >= 10, text
