"""Run the five benchmarks and print one table: every figure next to its target.

    python bench/run.py            # the targets' cases, about 10 minutes on 2 cores
    python bench/run.py --quick    # a reduced version of all five, under a minute
    python bench/run.py --all      # the full 3 x 3 render matrix as well (+5 minutes)

Comparisons are made side by side in the same run, as ratios, because the
machine is shared; the load average before and after is printed with the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

Row = tuple[str, str, str, str, str]  # benchmark, measure, measured, target, met
RENDER_DEFAULT: list[tuple[int, float]] = [(3000, 1000), (3000, 100), (1500, 20)]
RENDER_QUICK: list[tuple[int, float]] = [(300, 1000), (60, 20)]
RENDER_ALL: list[tuple[int, float]] = [(n, r) for n in (300, 1500, 3000) for r in (1000, 100, 20)]


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _bytes_target(tokens: int, rate: float) -> float | None:
    """The issue's targets are for the 3000-token answer.  At 20 tokens/s the default run
    uses 1500 tokens (half the time); that is the harder case, since naive bytes grow with
    the square of the length and the app's only linearly."""
    if rate >= 1000 and tokens >= 3000:
        return 1 / 15
    if rate <= 20 and tokens >= 1500:
        return 1 / 3
    return None


def render_rows(results: Sequence[Any]) -> list[Row]:
    """Bytes ratios for the target cases, worst lag and worst added first-token time."""
    pairs: dict[tuple[int, float], dict[str, Any]] = {(r.tokens, r.rate): {} for r in results}
    for r in results:
        pairs[(r.tokens, r.rate)][r.page] = r
    rows: list[Row] = []
    for (tokens, rate), pages in pairs.items():
        app, naive = pages["app"], pages["naive"]
        ratio = app.bytes / naive.bytes
        target = _bytes_target(tokens, rate)
        rows.append(("render", f"ws bytes {tokens} tok @ {rate:g}/s (app / naive)",
                     f"{app.bytes / 1e3:,.0f} / {naive.bytes / 1e3:,.0f} KB = 1/{1 / ratio:.0f}",
                     f"≤ 1/{1 / target:.0f}" if target else "-",
                     _met(ratio <= target) if target else "-"))
        rows.append(("render", f"frames; on the wire; busy main thread {tokens} @ {rate:g}/s "
                     "(app / naive)", f"{app.frames} / {naive.frames}; {app.wire_bytes / 1e3:,.0f}"
                     f" / {naive.wire_bytes / 1e3:,.0f} KB; {app.busy_s:.2f} / "
                     f"{naive.busy_s:.2f} s", "-", "-"))
    apps = [r for r in results if r.page == "app"]
    naive_lag = max(r.lag_ms for r in results if r.page == "naive")
    lag = max(apps, key=lambda r: r.lag_ms)
    ttft = max(apps, key=lambda r: r.added_ttft_ms)
    rows.append(("render", "lag last token → complete text, worst case (app; naive)",
                 f"{lag.lag_ms:.0f} ms at {lag.tokens} @ {lag.rate:g}/s; naive {naive_lag:.0f} ms",
                 "≤ 150 ms", _met(lag.lag_ms <= 150)))
    rows.append(("render", "added time to first visible token, worst case (app)",
                 f"{ttft.added_ttft_ms:.0f} ms at {ttft.tokens} @ {ttft.rate:g}/s", "≤ 100 ms",
                 _met(ttft.added_ttft_ms <= 100)))
    return rows


def concurrency_rows(results: Sequence[Any]) -> list[Row]:
    rows: list[Row] = []
    for r in results:
        target = r.sessions == 40 and r.variant == "as is"
        tag = "" if r.variant == "as is" else f" [{r.variant}]"
        rows.append(("concurrency", f"N={r.sessions}{tag}: completion / solo p50, p95 (failed)",
                     f"{r.p50:.2f}×, {r.p95:.2f}× ({r.failed})", "p95 ≤ 1.15×" if target else "-",
                     _met(r.p95 <= 1.15 and not r.failed) if target else "-"))
        rows.append(("concurrency", f"N={r.sessions}{tag}: server CPU, peak RSS",
                     f"{r.cpu_s:.1f} s, {r.peak_mb:.0f} MB", "-", "-"))
    return rows


def rerun_rows(results: Sequence[Any], breakdown: dict[str, float], floors: Sequence[float]
               ) -> list[Row]:
    also = "; runner.postScriptGC=false" if len(floors) > 1 else ""
    rows: list[Row] = [("rerun", "Streamlit's floor: rerun of the naive page (title, button), "
                        f"default config{also}",
                        " ; ".join(_ms(s) for s in floors), "-", "-")]
    for r in results:
        main = r.variant == "as is"
        rows.append(("rerun", f"widget rerun, 5-page CV [{r.variant}]: median (p95)",
                     f"{r.median_s * 1000:.0f} ms ({r.p95_s * 1000:.0f} ms); first run with the "
                     f"CV {_ms(r.cold_s)}", "≤ 30 ms" if main else "-",
                     _met(r.median_s <= 0.030) if main else "-"))
    rows += [("rerun", f"per rerun: {name}", f"{ms:.0f} ms", "-", "-")
             for name, ms in breakdown.items()]
    return rows


def extraction_rows(r: Any) -> list[Row]:
    worst_name, worst_s, outcome = r.hostile_worst
    long = r.long_cv
    slow = "; ".join(f"{name} {seconds:.2f} s ({how})" for name, seconds, how in r.hostile_slow)
    return [
        ("extraction", f"pypdf vs pdftotext, median per CV ({r.files} CVs)",
         f"{_ms(r.pypdf_median_s)} vs {_ms(r.pdftotext_median_s)} ({r.ratio_median:.1f}×)",
         "-", "-"),
        ("extraction", "slowest CV through the app (worker, cleanup)",
         f"{r.slowest_cv[1]:.2f} s ({r.slowest_cv[0]}; its bound {r.slowest_cv[2]:g} s)",
         "≤ 5 s", _met(r.slowest_cv[1] <= 5)),
        ("extraction", f"long CV, generated ({long.pages} pages, {long.chars:,} chars): app / "
         "pypdf + probe / pypdf alone / pdftotext",
         f"{long.app_s:.2f} / {long.probe_s:.2f} / {long.pypdf_s:.2f} / {long.pdftotext_s:.2f} s",
         f"≤ {long.allowance_s:g} s (its bound)", _met(long.app_s <= long.allowance_s)),
        ("extraction", "what the app adds on the long CV over pypdf alone (probe, worker, "
         "cleanup)", f"{_ms(long.app_s - long.pypdf_s)} "
         f"({(long.app_s / long.pypdf_s - 1) * 100:+.0f} %)", "-", "-"),
        ("extraction", f"hidden-text probe over the {r.files} CVs: pypdf + probe vs pypdf alone",
         f"{r.corpus_probe_s:.2f} vs {r.corpus_pypdf_s:.2f} s "
         f"({(r.corpus_probe_s / r.corpus_pypdf_s - 1) * 100:+.0f} %)", "-", "-"),
        ("extraction", "worker overhead per job (app path − read_pdf in-process, 1-page PDF)",
         f"{r.worker_overhead_s * 1000:.1f} ms", "-", "-"),
        ("extraction", "hostile worst case through the app",
         f"{worst_s:.2f} s ({worst_name}: {outcome})", f"≤ {r.cap_s:g} s (the cap)",
         _met(worst_s <= r.cap_s + 0.5) + (" (stopped by a bound)" if outcome == "timeout"
                                            else "")),
        ("extraction", "the slow hostile files through the app (pypdf alone: 14–16 s each)",
         slow or "-", "-", "-"),
    ]


def offline_rows(r: Any) -> list[Row]:
    return [("offline", "first token (prompt tokens/s); speed (typical kit, 2 threads)",
             f"{r.ttft_s:.2f} s for a {r.prompt_tokens}-token prompt "
             f"({r.prompt_tokens / r.ttft_s:.0f}/s); {r.tokens_per_s:.1f} tokens/s over "
             f"{r.tokens} tokens; load {r.load_s:.1f} s", "-", "-")]


def print_table(rows: Sequence[Row], header: str) -> None:
    print(f"\n{header}\n")
    print("| benchmark | measure | measured | target | met |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


@dataclasses.dataclass
class Plan:
    """What one invocation runs; ``--quick`` shrinks every benchmark."""

    render_cases: list[tuple[int, float]]
    counts: tuple[int, ...] = (1, 10, 20, 40)
    conc_tokens: int = 600
    solo_runs: int = 3
    reruns: int = 40
    extraction_repeat: int = 3
    hostile: bool = True
    offline_tokens: int | None = None
    offline_cv_chars: int | None = None
    extraction_files: int | None = None
    quick: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Plan:
        if args.quick:
            return cls(RENDER_QUICK, (5,), 80, 1, 10, 1, False, 16, 300, 6, quick=True)
        return cls(RENDER_ALL if args.all else RENDER_DEFAULT)


def _variants(whatif: bool) -> list[tuple[str, Sequence[str], dict[str, str]]]:
    variants: list[tuple[str, Sequence[str], dict[str, str]]] = [("as is", (), {})]
    if whatif:  # the forced GC pass that .streamlit/config.toml turns off, for comparison
        variants += [("runner.postScriptGC=true", ("--runner.postScriptGC", "true"), {})]
    return variants


def run_all(plan: Plan, only: set[str], whatif: bool, raw: dict[str, Any]) -> list[Row]:
    """The five benchmarks in order, cheapest first; each one's rows as it finishes."""
    from bench import concurrency, extraction, offline_model, render, rerun

    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("extraction", lambda: extraction_rows(keep(raw, "extraction", extraction.run(
            plan.extraction_repeat, plan.hostile, plan.extraction_files)))),
        ("rerun", lambda: rerun_rows(keep(raw, "rerun", rerun.run(
            plan.reruns, _variants(whatif))), rerun.breakdown(), [rerun.floor(plan.reruns, flags)
                                    for _, flags, _ in _variants(True)[:1 if plan.quick else 2]])),
        ("render", lambda: render_rows(keep(raw, "render", render.run(
            plan.render_cases, warm_up=not plan.quick)))),
        ("concurrency", lambda: concurrency_rows(keep(raw, "concurrency", [
            r for i, variant in enumerate(_variants(whatif)) for r in concurrency.run(
                plan.counts if i == 0 else plan.counts[-1:], plan.conc_tokens, 40,
                plan.solo_runs, variant)]))),
        ("offline", lambda: offline_rows(keep(raw, "offline", offline_model.run(
            plan.offline_tokens, plan.offline_cv_chars)))),
    ]
    rows: list[Row] = []
    for name, step in steps:
        if name in only:
            started = time.monotonic()
            print(f"{name}…", flush=True)
            rows += step()
            print(f"{name}: {time.monotonic() - started:.0f} s", flush=True)
    return rows


def keep(raw: dict[str, Any], name: str, result: Any) -> Any:
    """Remember a benchmark's raw result for ``--json`` and pass it on."""
    items = result if isinstance(result, list) else [result]
    raw[name] = [dataclasses.asdict(item) for item in items]
    return result


def main(argv: Sequence[str] | None = None) -> int:
    names = ["extraction", "rerun", "render", "concurrency", "offline"]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="a reduced run, under a minute")
    size.add_argument("--all", action="store_true", help="the full render matrix")
    parser.add_argument("--only", nargs="+", choices=names, default=names)
    parser.add_argument("--whatif", action="store_true",
                        help="also measure reruns with Streamlit's forced post-script GC on")
    parser.add_argument("--app-root", type=Path, help="measure another checkout's app.py")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    args = parser.parse_args(argv)
    if args.app_root:
        common.APP_ROOT = args.app_root.resolve()
    before, started = os.getloadavg(), time.monotonic()
    raw: dict[str, Any] = {}
    rows = run_all(Plan.from_args(args), set(args.only), args.whatif, raw)
    after = os.getloadavg()
    header = (f"Interview Kit benchmarks ({'quick' if args.quick else 'full'}), "
              f"{os.cpu_count()} cores, {time.monotonic() - started:.0f} s; load average "
              f"{before[0]:.1f} before, {after[0]:.1f} after")
    print_table(rows, header)
    if args.json:
        args.json.write_text(json.dumps({"header": header, "results": raw}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
