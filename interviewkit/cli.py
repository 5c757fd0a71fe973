"""``python -m interviewkit``: the page's work from a shell, for scripts.

Contract: ``extract`` prints the CV text on stdout and each warning on stderr
as ``warning: …``; bad input exits 2 with one ``error: …`` line; a model or
upstream failure during ``generate`` exits 3 with an ``error: …`` line (the
partial text already printed stays on stdout).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from interviewkit.config import Settings, load_settings
from interviewkit.cv import CVText, read_cv
from interviewkit.errors import KitError
from interviewkit.generation import drain, new_run
from interviewkit.llm import provider_from_settings
from interviewkit.prompts import PROMPTS_DIR, load_prompt

EXIT_INPUT = 2
EXIT_UPSTREAM = 3


Handler = Callable[[argparse.Namespace, Settings], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m interviewkit",
                                     description="Turn a CV into a tailored interview kit.")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(sub)
    return parser


def _register_core(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ext = sub.add_parser("extract", help="print a CV's text and extraction warnings")
    ext.set_defaults(handler=cmd_extract)
    ext.add_argument("file", type=Path)
    ext.add_argument("--password", help="password of an encrypted PDF")
    gen = sub.add_parser("generate", help="stream an interview kit to stdout")
    gen.set_defaults(handler=cmd_generate)
    gen.add_argument("file", type=Path, help="the CV: .pdf, .txt or .md")
    gen.add_argument("--prompt", default="technical_screen",
                     help="a prompt YAML file, or the name of one in prompts/")
    gen.add_argument("--job", type=Path, help="a text file with the job description")
    gen.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE",
                     help="set a prompt input (repeatable)")
    gen.add_argument("--password", help="password of an encrypted PDF")
    gen.add_argument("--model", help="model name for an OpenAI-compatible server")
    gen.add_argument("--offline", action="store_true", help="force the embedded offline model")


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _read(path: Path, password: str | None, settings: Settings) -> CVText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KitError(f"cannot read {path}: {exc.strerror or exc}", code="io") from None
    return read_cv(data, path.name, password=password, limits=settings.limits)


def _prompt_path(name: str) -> Path:
    path = Path(name)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        return path
    return PROMPTS_DIR / f"{name}.yaml"


def _values(pairs: Sequence[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise KitError(f"--set expects NAME=VALUE, got {pair!r}", code="usage")
        values[name.strip()] = value
    return values


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    try:
        cv = _read(args.file, args.password, settings)
    except KitError as exc:
        return _fail(str(exc), EXIT_INPUT)
    for warning in cv.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    sys.stdout.write(cv.text.rstrip("\n") + "\n")
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    if args.offline:
        settings = replace(settings, provider="offline")
    try:
        cv = _read(args.file, args.password, settings)
        job = args.job.read_text(encoding="utf-8") if args.job else ""
        prompt = load_prompt(_prompt_path(args.prompt))
        run = new_run(prompt, cv_text=cv.text, cv_name=args.file.name, job_description=job,
                      raw_values=_values(args.values), model=args.model or settings.model)
    except (KitError, OSError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    for warning in cv.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    try:
        provider = provider_from_settings(settings)
    except KitError as exc:
        return _fail(str(exc), EXIT_UPSTREAM)
    drain(run.stream(provider), sys.stdout)
    sys.stdout.write("\n")
    stats = ", ".join(f"{k.lower()}: {v}" for k, v in run.stats().items())
    print(f"info: {stats}", file=sys.stderr)
    if run.status != "done":
        return _fail(run.error or "generation did not finish", EXIT_UPSTREAM)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as exc:
        return _fail(str(exc), EXIT_INPUT)
    handler: Handler = args.handler
    return handler(args, settings)


# Each entry adds subcommands (with ``set_defaults(handler=...)``) to the parser.
REGISTRARS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _register_core,
]
