"""``compare`` and ``check``: the Prompt Lab from a shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interviewkit.cli.common import (
    EXIT_INPUT,
    EXIT_UPSTREAM,
    NoModel,
    SubParsers,
    fail,
    hidden_flag,
    read,
    set_values,
    warn,
)
from interviewkit.config import Settings
from interviewkit.errors import KitError, LLMError
from interviewkit.kit.model import Status
from interviewkit.kit.pipeline import prepare_cv
from interviewkit.lab.compare import OFFLINE, REMOTE, Comparison, Side, SideConfig, build_side
from interviewkit.promptfiles.library import check_paths, error_line
from interviewkit.promptfiles.loader import find_prompt, load_prompt


def register(sub: SubParsers) -> None:
    cmp = sub.add_parser("compare", help="run two prompts, or one prompt on two models, at once")
    cmp.set_defaults(handler=cmd_compare)
    cmp.add_argument("file", type=Path, help="the CV: .pdf, .txt or .md")
    cmp.add_argument("--prompt", action="append", default=[], metavar="PROMPT",
                     help="prompt of A, then of B (once: both sides); a file or a name")
    cmp.add_argument("--job", type=Path, help="a text file with the job description")
    cmp.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE",
                     help="set an input on every side whose prompt declares it (repeatable)")
    cmp.add_argument("--password", help="password of an encrypted PDF")
    hidden_flag(cmp)
    for side in ("a", "b"):
        cmp.add_argument(f"--model-{side}", help=f"model of {side.upper()} (default: configured)")
        cmp.add_argument(f"--temperature-{side}", type=float, metavar="T",
                         help=f"temperature of {side.upper()} (default: the prompt's)")
        cmp.add_argument(f"--offline-{side}", action="store_true",
                         help=f"run {side.upper()} on the embedded offline model")
    chk = sub.add_parser("check", help="validate prompt files; exit 1 on any error (for CI)")
    chk.set_defaults(handler=cmd_check)
    chk.add_argument("paths", nargs="+", type=Path, metavar="DIR_OR_FILE")


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """One ``path:line: field: message`` line per error on stdout; exit 1 on any."""
    try:
        files, errors = check_paths(args.paths)
    except KitError as exc:
        return fail(str(exc), EXIT_INPUT)
    if not files:
        return fail(f"no prompt files (*.yaml, *.yml) in {' '.join(map(str, args.paths))}",
                     EXIT_INPUT)
    for error in errors:
        print(error_line(error))
    print(f"info: {len(files)} prompt file(s) checked, {len(errors)} with errors",
          file=sys.stderr)
    return 1 if errors else 0


def _lab_sides(args: argparse.Namespace, settings: Settings) -> list[Side]:
    names = args.prompt * (2 // len(args.prompt))
    cv = read(args.file, args.password, settings)
    warn(prepare_cv(cv, NoModel(), drop_hidden=not args.keep_hidden))
    job = args.job.read_text(encoding="utf-8") if args.job else ""
    specs = [load_prompt(find_prompt(name)) for name in names]
    sides = []
    for side, spec in zip(("a", "b"), specs, strict=True):
        remote = settings.uses_remote and not getattr(args, f"offline_{side}")
        config = SideConfig(side.upper(), spec, REMOTE if remote else OFFLINE,
                            getattr(args, f"model_{side}") or settings.model,
                            getattr(args, f"temperature_{side}"))
        sides.append(build_side(config, settings, cv=cv, job_description=job,
                                values=set_values(args.values), drop_hidden=not args.keep_hidden))
    return sides


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    """Run A and B concurrently, then print each kit followed by its figures."""
    if len(args.prompt) not in (1, 2):
        return fail("give --prompt once (both sides) or twice (A, then B)", EXIT_INPUT)
    try:
        sides = _lab_sides(args, settings)
    except LLMError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    except (KitError, OSError) as exc:
        return fail(str(exc), EXIT_INPUT)
    comparison = Comparison(sides)
    comparison.run()
    for side in sides:
        model = side.run.model or side.provider.model
        print(f"=== {side.name}: {side.run.prompt_name} · {model} ===")
        print(side.run.text.strip())
        print(f"--- {side.name}: " + " · ".join(f"{k}: {v}" for k, v in side.figures().items()))
        print()
    each = ", ".join(f"{s.name} {s.run.recorder.elapsed_s or 0:.1f} s" for s in sides)
    print(f"Both finished after {comparison.wall_s or 0:.1f} s ({each}).")
    failed = [side for side in sides if side.run.status != Status.DONE]
    for side in failed:
        print(f"error: {side.name}: {side.run.error or 'generation did not finish'}",
              file=sys.stderr)
    return EXIT_UPSTREAM if failed else 0
