"""Precision and recall of the fair-hiring guard on the labelled question set.

``python bench/compliance.py [--rules us_eeoc] [--split dev|holdout|all] [--misses]``

The set is ``tests/data/questions.tsv`` (id, split, lang, label, ground, question).
The holdout rows were written before any rule and are never used for tuning:
tune with ``--split dev`` and read holdout only to report.  A question counts
as flagged when it has any finding; per ground, a finding of ground G on a
question not labelled G is a false positive for G (even if the question is
risky for another ground), so per-ground figures are stricter than overall.
Runs in well under a second.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the package importable
    sys.path.insert(0, str(ROOT))

from interviewkit.compliance import RuleSet, check_question, load_rules  # noqa: E402

DATA = ROOT / "tests" / "data" / "questions.tsv"


@dataclass(frozen=True)
class Row:
    id: str
    split: str
    lang: str
    label: str
    ground: str
    question: str


@dataclass
class Scored:
    row: Row
    grounds: tuple[str, ...]  # grounds found, in order

    @property
    def flagged(self) -> bool:
        return bool(self.grounds)


def read_rows(path: Path = DATA) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [Row(**r) for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def score(rows: Sequence[Row], rules: RuleSet) -> list[Scored]:
    return [Scored(r, tuple(f.ground for f in check_question(r.question, rules, semantic=False)))
            for r in rows]


def pct(num: int, den: int) -> str:
    return f"{100 * num / den:5.1f}%" if den else "    - "


def overall(scored: Sequence[Scored]) -> tuple[int, int, int]:
    """(true positives, flagged, risky) with "flagged" meaning any finding."""
    tp = sum(1 for s in scored if s.flagged and s.row.label == "risky")
    return tp, sum(1 for s in scored if s.flagged), sum(1 for s in scored if s.row.label == "risky")


def per_ground(scored: Sequence[Scored]) -> dict[str, tuple[int, int, int]]:
    """ground -> (TP, FP, FN)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for s in scored:
        for ground in set(s.grounds):
            (tp if ground == s.row.ground else fp)[ground] += 1
        if s.row.ground and s.row.ground not in s.grounds:
            fn[s.row.ground] += 1
    keys = sorted(set(tp) | set(fp) | set(fn))
    return {k: (tp[k], fp[k], fn[k]) for k in keys}


def print_split(name: str, scored: Sequence[Scored]) -> None:
    tp, flagged, risky = overall(scored)
    fine = len(scored) - risky
    langs = Counter(s.row.lang for s in scored)
    print(f"\n== {name}: {len(scored)} questions ({risky} risky, {fine} fine; "
          + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())) + ")")
    print(f"overall   precision {pct(tp, flagged)}  recall {pct(tp, risky)}  "
          f"(flagged {flagged}, false alarms {flagged - tp}, missed {risky - tp})")
    for lang in sorted(langs):
        part = [s for s in scored if s.row.lang == lang]
        ltp, lflag, lrisky = overall(part)
        print(f"  {lang:7} precision {pct(ltp, lflag)}  recall {pct(ltp, lrisky)}")
    print(f"{'ground':20} {'n':>3} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} {'recall':>7}")
    for ground, (gtp, gfp, gfn) in per_ground(scored).items():
        print(f"{ground:20} {gtp + gfn:3} {gtp:3} {gfp:3} {gfn:3} "
              f"{pct(gtp, gtp + gfp):>9} {pct(gtp, gtp + gfn):>7}")


def print_misses(scored: Sequence[Scored]) -> None:
    for s in scored:
        wrong_ground = s.row.ground and s.flagged and s.row.ground not in s.grounds
        if (s.row.label == "risky") != s.flagged or wrong_ground or len(set(s.grounds)) > 1:
            kind = ("MISSED" if not s.flagged else "FALSE ALARM" if s.row.label == "fine"
                    else "GROUND")
            print(f"  {kind:11} {s.row.id} [{s.row.ground or 'fine'} -> "
                  f"{','.join(s.grounds) or '-'}] {s.row.question}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", default="us_eeoc", help="rule name or YAML path")
    parser.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    parser.add_argument("--misses", action="store_true", help="list every error")
    args = parser.parse_args(argv)
    rules = load_rules(args.rules)
    rows = read_rows()
    started = time.perf_counter()
    scored = score([r for r in rows if args.split in ("all", r.split)], rules)
    elapsed = time.perf_counter() - started
    print(f"Fair-hiring guard, rules: {rules.name}; set: {DATA.relative_to(ROOT)}; "
          f"{len(scored)} questions checked in {elapsed * 1000:.0f} ms")
    splits = ["dev", "holdout"] if args.split == "all" else [args.split]
    for split in splits:
        part = [s for s in scored if s.row.split == split]
        print_split(split, part)
        if args.misses:
            print_misses(part)
    if args.split == "all":
        print_split("all", scored)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
