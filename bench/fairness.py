"""Fair-hiring guard, rules only vs rules + paraphrase layer, overall and per ground.

``python bench/fairness.py [--set holdout|holdout2|dev|all] [--misses] [--calibrate]
[--refresh-cache]``

Sets: ``holdout`` is ``tests/data/fairness/holdout.tsv`` (written from the ground definitions
without reading the rules, committed before the semantic layer; read only to report);
``holdout2`` is ``tests/data/fairness/holdout2.tsv`` (another author, job scenarios, committed
before its first measurement; its rule misses were fixed after it, README);
``dev`` is ``tests/data/questions.tsv`` (all of it: the rules' own dev and holdout) plus
``tests/data/fairness/dev.tsv``.  ``--calibrate`` fits the layer's k/threshold/margin on dev
only and prints them for ``interviewkit/compliance/exemplars.yaml``; ``--refresh-cache``
re-embeds the exemplars after that file changes.  Per ground, a risky text is caught when its
ground or its ``also`` ground is found; a finding of ground G on a text labelled neither G nor
``also`` G (fine or risky for another ground) is a false positive for G.  Also prints the time to
check one kit of 8 questions (question, a listen-for point and a follow-up each) after load.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the package importable
    sys.path.insert(0, str(ROOT))

from interviewkit.compliance import (  # noqa: E402
    RuleSet,
    check_kit,
    check_question,
    load_rules,
    semantic,
)

DATA = ROOT / "tests" / "data"
HOLDOUT = DATA / "fairness" / "holdout.tsv"
HOLDOUT2 = DATA / "fairness" / "holdout2.tsv"  # a second author, job scenarios (stop 16)
DEV = [DATA / "questions.tsv", DATA / "fairness" / "dev.tsv"]


@dataclass(frozen=True)
class Row:
    id: str
    lang: str
    kind: str
    label: str
    ground: str
    also: str
    text: str


def read_rows(path: Path) -> list[Row]:
    """Either file format: questions.tsv (``question`` column) or fairness/*.tsv."""
    with path.open(newline="", encoding="utf-8") as fh:
        return [Row(r["id"], r["lang"], r.get("kind", "question"), r["label"], r["ground"],
                    r.get("also", ""), r.get("text") or r["question"])
                for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def pick(name: str) -> list[Row]:
    dev = [row for path in DEV for row in read_rows(path)]
    sets = {"holdout": read_rows(HOLDOUT), "holdout2": read_rows(HOLDOUT2), "dev": dev}
    return sets.get(name, dev + sets["holdout"] + sets["holdout2"])


def by_rules(rows: Sequence[Row], rules: RuleSet) -> list[set[str]]:
    return [{f.ground for f in check_question(r.text, rules, semantic=False)} for r in rows]


def found(rows: Sequence[Row], rules: RuleSet, paraphrase: bool,
          cal: semantic.Calibration | None = None,
          base: Sequence[set[str]] | None = None) -> list[set[str]]:
    """Grounds found per row: the rules, then the layer on what they left clean."""
    out = [set(g) for g in (base if base is not None else by_rules(rows, rules))]
    layer = semantic.layer() if paraphrase else None
    if layer is not None:
        clean = [i for i, grounds in enumerate(out)
                 if not grounds and semantic.meaningful(rows[i].text)]
        keys = [g.key for g in rules.grounds]
        for i, match in zip(clean, layer.match([rows[i].text for i in clean], keys, cal),
                            strict=True):
            if match is not None:
                out[i] = {match.ground}
    return out


def tally(rows: Sequence[Row], grounds: Sequence[set[str]]) -> dict[str, tuple[int, int, int]]:
    """``"*"`` (any finding) and each ground -> (TP, FP, FN)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for row, got in zip(rows, grounds, strict=True):
        risky = row.label == "risky"
        if got:
            (tp if risky else fp)["*"] += 1
        elif risky:
            fn["*"] += 1
        for ground in got - {row.ground, row.also}:
            fp[ground] += 1
        if risky:  # caught for its ground when that or its ``also`` ground is found
            (tp if got & {row.ground, row.also} - {""} else fn)[row.ground] += 1
    keys = ["*", *sorted((set(tp) | set(fp) | set(fn)) - {"*"})]
    return {k: (tp[k], fp[k], fn[k]) for k in keys}


def pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f}%" if den else "    - "


def report(name: str, rows: Sequence[Row], rules: RuleSet, misses: bool) -> None:
    risky = sum(r.label == "risky" for r in rows)
    langs = Counter(r.lang for r in rows)
    print(f"\n== {name}: {len(rows)} texts ({risky} risky, {len(rows) - risky} fine; "
          + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())) + ")")
    modes = {"rules": found(rows, rules, False), "rules+semantic": found(rows, rules, True)}
    tallies = {mode: tally(rows, got) for mode, got in modes.items()}
    print(f"{'ground':20} {'n':>3} | " + " | ".join(f"{m:^23}" for m in modes))
    print(f"{'':24} | " + " | ".join(f"{'P':>7} {'R':>7} {'TP/FP':>7}" for _ in modes))
    for key in tallies["rules+semantic"]:
        cells = []
        for mode in modes:
            tp, fp, fn = tallies[mode].get(key, (0, 0, 0))
            cells.append(f"{pct(tp, tp + fp):>7} {pct(tp, tp + fn):>7} {f'{tp}/{fp}':>7}")
        tp, _, fn = tallies["rules+semantic"][key]
        print(f"{'OVERALL' if key == '*' else key:20} {tp + fn:3} | " + " | ".join(cells))
    for lang in sorted(langs):
        part = [i for i, r in enumerate(rows) if r.lang == lang]
        cells = []
        for mode, got in modes.items():
            tp, fp, fn = tally([rows[i] for i in part], [got[i] for i in part])["*"]
            cells.append(f"{mode} P {pct(tp, tp + fp)} R {pct(tp, tp + fn)}")
        print(f"  {lang}: " + "; ".join(cells))
    if misses:
        for row, got in zip(rows, modes["rules+semantic"], strict=True):
            if (row.label == "risky") != bool(got) or (got and row.ground not in got
                                                       and row.also not in got):
                print(f"  {'MISSED' if not got else 'WRONG':6} {row.id} "
                      f"[{row.ground or 'fine'} -> {','.join(sorted(got)) or '-'}] {row.text}")


def calibrate(rows: Sequence[Row], rules: RuleSet, floor: float) -> None:
    """Grid search on dev, judged two ways: the whole guard (rules, then the layer on what they
    leave clean: only the rules' ~20 dev misses are left to catch) and the layer alone on every
    row (all 342 risky dev texts count).  Picks the most recall of the layer alone at
    precision >= floor whose whole-guard precision also holds, then the widest margin."""
    base = by_rules(rows, rules)
    empty: list[set[str]] = [set() for _ in rows]
    best: tuple[float, float, semantic.Calibration, str] | None = None
    for k, threshold, margin in itertools.product(
            (1, 2, 3), [x / 100 for x in range(10, 62, 2)], [x / 100 for x in range(0, 22, 2)]):
        cal = semantic.Calibration(k, threshold, margin)
        alone = tally(rows, found(rows, rules, True, cal, empty))["*"]
        whole = tally(rows, found(rows, rules, True, cal, base))["*"]
        (a_p, a_r), (w_p, w_r) = (_pr(*alone), _pr(*whole))
        if a_p >= floor and w_p >= floor and (best is None or (a_r, margin) > best[:2]):
            best = (a_r, margin, cal, f"alone P {a_p:.3f} R {a_r:.3f}; "
                                      f"whole guard P {w_p:.3f} R {w_r:.3f}")
    print(f"best on dev at precision >= {floor}: {best}")


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def kit_time(rules: RuleSet) -> None:
    """Seconds to check one 8-question kit after load, first time and re-checked."""
    parts = [f"### {n}. How did you scale service {n} to ten times the traffic?\n"
             f"**Listen for:**\n- sharding choice number {n} and back-pressure\n"
             f"**Follow-up:** What would you change about design {n} now?\n" for n in range(8)]
    kit = "\n".join(parts)
    for label in ("first check", "re-check"):
        started = time.perf_counter()
        checked = check_kit(kit, rules)
        print(f"kit of {len(checked)} texts, {label}: {time.perf_counter() - started:.3f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["holdout", "holdout2", "dev", "all"], default="holdout")
    parser.add_argument("--rules", default="us_eeoc")
    parser.add_argument("--misses", action="store_true", help="list every error")
    parser.add_argument("--calibrate", action="store_true", help="fit k/threshold/margin on dev")
    parser.add_argument("--floor", type=float, default=0.97, help="dev precision to keep")
    parser.add_argument("--refresh-cache", action="store_true")
    args = parser.parse_args(argv)
    rules = load_rules(args.rules)
    started = time.perf_counter()
    layer = semantic.layer()
    print(f"rules: {rules.name}; encoder: {semantic.ENCODER_MODEL}; "
          f"loaded in {time.perf_counter() - started:.2f} s; {semantic.notice() or 'on'}")
    if layer is not None and args.refresh_cache:
        semantic.write_cache(layer.exemplars, layer.enc)
    if args.calibrate:
        calibrate(pick("dev"), rules, args.floor)
        return 0
    report(args.set, pick(args.set), rules, args.misses)
    if layer is not None:
        kit_time(rules)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
