"""Kit quality, whole-kit vs planned, on every text CV of ../shared/corpus/cv.

    python bench/kit_quality.py                 # offline model, both modes, all text CVs
    python bench/kit_quality.py --limit 3       # the first three CVs only
    python bench/kit_quality.py --mock-only     # remote strategies through the mock server

Per mode it prints the figures of the issue's table (format-valid questions, evidence
found in the CV, questions naming something from their evidence, distinct questions,
good "Listen for" points, CV entries covered, first question visible, a 5-question kit),
then Korean (Hangul share of the question text), then the planned mode's two remote
strategies through the local mock server at a realistic 0.8 s TTFT and 40 tok/s.  Both
modes run in the same process, one after the other per CV, so the comparison is fair
on a noisy machine.  No test asserts any of this; it is the evidence.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality import KitQuality, measure, pct
from interviewkit.config import REPO_PROMPTS_DIR, load_settings, model_cache_dir
from interviewkit.errors import CVError
from interviewkit.ingest.cv import CVText, read_cv
from interviewkit.ingest.structure import parse_structure
from interviewkit.kit.evidence import normalise
from interviewkit.kit.pipeline import build_run, prepare_cv
from interviewkit.kit.plan import candidates
from interviewkit.kit.run import KitRun
from interviewkit.promptfiles.loader import load_prompt
from interviewkit.providers.base import Provider

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cv"
FIRST_QUESTION = re.compile(r"###\s*1\.[^\n]*[?？]")
_HANGUL = re.compile("[\uac00-\ud7a3]")
_LATIN = re.compile("[A-Za-z]")


@dataclass
class ModeResult:
    """One mode's figures over all CVs."""

    quality: KitQuality = field(default_factory=KitQuality)
    first_question_s: list[float] = field(default_factory=list)
    kit_s: list[float] = field(default_factory=list)
    entries: int = 0


def text_cvs(limit: int | None) -> list[CVText]:
    """Every CV of the corpus that has a text layer."""
    found: list[CVText] = []
    for path in sorted(CORPUS.glob("*.pdf")):
        try:
            found.append(read_cv(path.read_bytes(), path.name))
        except CVError:
            continue
    return found[:limit]


def timed(run: KitRun, provider: Provider) -> tuple[float | None, float]:
    """(first question visible, whole kit) in seconds, streaming as the page would."""
    start = time.monotonic()
    first: float | None = None
    for _ in run.stream(provider, interval=0.05):
        if first is None and FIRST_QUESTION.search(run.text):
            first = time.monotonic() - start
    return first, time.monotonic() - start


def entries_covered(cv: CVText, questions: Sequence[object]) -> int:
    """Distinct CV entries the questions' evidence comes from."""
    pool = [(normalise(c.text), c.entry) for c in candidates(parse_structure(cv.text))]
    hit: set[int] = set()
    for question in questions:
        evidence = normalise(getattr(question, "evidence", None) or "")
        for text, entry in pool:
            if evidence and (evidence in text or text in evidence):
                hit.add(entry)
                break
    return len(hit)


def run_mode(cv: CVText, provider: Provider, planned: bool, questions: int,
             result: ModeResult, prompt_key: str = "technical_screen",
             values: dict[str, object] | None = None) -> KitRun:
    prompt = load_prompt(REPO_PROMPTS_DIR / f"{prompt_key}.yaml")
    prepared = prepare_cv(cv, provider)
    run = build_run(prompt, prepared, offline=provider.offline, planned=planned,
                    raw_values={"num_questions": questions, **(values or {})})
    first, total = timed(run, provider)
    kit = run.to_kit(cv)
    covered = entries_covered(cv, kit.questions)
    result.quality = result.quality.add(measure(kit.questions, cv.text, covered))
    result.entries += len({c.entry for c in candidates(parse_structure(cv.text))})
    if first is not None:
        result.first_question_s.append(first)
    result.kit_s.append(total)
    return run


def hangul_share(run: KitRun, cv: CVText) -> float:
    text = " ".join(q.text for q in run.to_kit(cv).questions)
    hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
    return hangul / (hangul + latin) if hangul + latin else 0.0


def report(results: dict[str, ModeResult]) -> None:
    rows = [
        ("format-valid questions", lambda r: pct(r.quality.valid, r.quality.questions), "100 %"),
        ("evidence found in the CV",
         lambda r: pct(r.quality.evidence_found, r.quality.questions), "≥ 95 %"),
        ("questions naming something from their evidence",
         lambda r: pct(r.quality.named, r.quality.questions), "≥ 90 %"),
        ("distinct questions (no pair with Jaccard > 0.5)",
         lambda r: pct(r.quality.distinct_pairs, r.quality.pairs), "100 %"),
        ("good 'Listen for' points", lambda r: pct(r.quality.good_points, r.quality.points),
         "≥ 95 %"),
        ("CV entries covered / questions asked",
         lambda r: f"{r.quality.entries_covered} / {r.quality.questions}", "printed"),
        ("first question visible, median",
         lambda r: _median(r.first_question_s), "≤ 3 s"),
        ("a 5-question kit, median", lambda r: _median(r.kit_s), "≤ 40 s"),
    ]
    print("\n| figure | " + " | ".join(results) + " | target (planned) |")
    print("|---|" + "---|" * len(results) + "---|")
    for label, value, target in rows:
        print(f"| {label} | " + " | ".join(value(r) for r in results.values())
              + f" | {target} |")


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} s" if values else "—"


def offline(limit: int | None, questions: int, model: str | None = None,
            modes: Sequence[str] = ("whole kit", "planned"), with_korean: bool = True) -> None:
    from interviewkit.providers.offline import MODELS, OfflineProvider

    settings = load_settings()
    spec = MODELS[model or settings.offline_model]
    provider = OfflineProvider(spec, model_cache_dir(settings))
    started = time.monotonic()
    provider.prepare()
    print(f"offline model {spec.display}: loaded in {time.monotonic() - started:.1f} s",
          flush=True)
    cvs = text_cvs(limit)
    results = {mode: ModeResult() for mode in modes}
    for cv in cvs:
        for mode, result in results.items():
            run = run_mode(cv, provider, mode == "planned", questions, result)
            print(f"{cv.filename}: {mode}: {len(run.to_kit(cv).questions)} questions, "
                  f"{result.kit_s[-1]:.1f} s", flush=True)
    report(results)
    if with_korean:
        korean(provider, cvs, questions, modes)


def korean(provider: Provider, cvs: list[CVText], questions: int,
           modes: Sequence[str] = ("whole kit", "planned")) -> None:
    """The Korean prompt on a Korean CV, and language=Korean on an English CV."""
    korean_cvs = [cv for cv in cvs if len(_HANGUL.findall(cv.text)) > 200]
    english_cvs = [cv for cv in cvs if not _HANGUL.search(cv.text)]
    cases = [(cv, "korean_interview", {}) for cv in korean_cvs[:2]]
    cases += [(cv, "technical_screen", {"language": "Korean"}) for cv in english_cvs[:2]]
    print("\n| Korean | mode | Hangul share of the question text | target |\n|---|---|---|---|")
    for cv, key, values in cases:
        for planned in [mode == "planned" for mode in modes]:
            run = run_mode(cv, provider, planned, questions, ModeResult(), key, values)
            mode = "planned" if planned else "whole kit"
            print(f"| {key} on {cv.filename} | {mode} | {hangul_share(run, cv) * 100:.0f} % "
                  "| ≥ 80 % |", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N text CVs")
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--mock-only", action="store_true",
                        help="only the remote strategies through the mock server")
    parser.add_argument("--model", help="an embedded model key (default: the configured one)")
    parser.add_argument("--modes", nargs="+", choices=["whole kit", "planned"],
                        default=["whole kit", "planned"])
    parser.add_argument("--no-korean", action="store_true")
    parser.add_argument("--no-mock", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("INTERVIEWKIT_MODEL_CACHE", "/tmp/ikmodels")
    if not args.mock_only:
        offline(args.limit, args.questions, args.model, args.modes, not args.no_korean)
    if args.no_mock:
        return 0
    from bench.remote_strategies import compare

    compare(text_cvs(args.limit or 5), args.questions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
