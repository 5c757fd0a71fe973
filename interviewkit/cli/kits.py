"""``extract`` and ``generate``: the Generate page's work from a shell."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from interviewkit.cli.common import (
    EXIT_INPUT,
    EXIT_UPSTREAM,
    NOTHING_LEFT,
    NoModel,
    SubParsers,
    fail,
    hidden_flag,
    read,
    set_values,
    warn,
)
from interviewkit.compliance import check_kit, guard_notice, load_rules
from interviewkit.config import Settings
from interviewkit.errors import KitError
from interviewkit.ingest.cv import CVText
from interviewkit.kit.model import Status
from interviewkit.kit.pipeline import build_run, drain, prepare_cv
from interviewkit.kit.run import KitRun
from interviewkit.promptfiles.loader import find_prompt, load_prompt
from interviewkit.providers.factory import provider_from_settings


def register(sub: SubParsers) -> None:
    ext = sub.add_parser("extract", help="print a CV's text and extraction warnings")
    ext.set_defaults(handler=cmd_extract)
    ext.add_argument("file", type=Path)
    ext.add_argument("--password", help="password of an encrypted PDF")
    hidden_flag(ext)
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
    gen.add_argument("--mode", choices=["auto", "planned", "whole"], default="auto",
                     help="planned: one question per CV passage, each with its evidence; whole: "
                          "one request for the kit (default: planned when the prompt can)")
    gen.add_argument("--rules", default="us_eeoc",
                     help="fair-hiring rules to check the questions with (a name, a path, or off)")
    gen.add_argument("--redact", action=argparse.BooleanOptionalAction, default=None,
                     help="replace personal data before sending (default: on for remote models)")
    hidden_flag(gen)



def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """The text the model would see (hidden passages left out unless ``--keep-hidden``)."""
    try:
        cv = read(args.file, args.password, settings)
    except KitError as exc:
        return fail(str(exc), EXIT_INPUT)
    prepared = prepare_cv(cv, NoModel(), drop_hidden=not args.keep_hidden)
    warn(prepared)
    if not prepared.text.strip():
        return fail(NOTHING_LEFT, EXIT_INPUT)
    sys.stdout.write(prepared.text.rstrip("\n") + "\n")
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    if args.offline:
        settings = replace(settings, provider="offline")
    try:
        cv = read(args.file, args.password, settings)
        job = args.job.read_text(encoding="utf-8") if args.job else ""
        prompt = load_prompt(find_prompt(args.prompt))
        values = set_values(args.values)
    except (KitError, OSError) as exc:
        return fail(str(exc), EXIT_INPUT)
    try:
        provider = provider_from_settings(settings)
    except KitError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    prepared = prepare_cv(cv, provider, drop_hidden=not args.keep_hidden, redact=args.redact)
    warn(prepared)
    if not prepared.text.strip():
        return fail(NOTHING_LEFT, EXIT_INPUT)
    try:
        run = build_run(prompt, prepared, offline=provider.offline, job_description=job,
                        raw_values=values, model=args.model or settings.model,
                        planned=None if args.mode == "auto" else args.mode == "planned")
    except KitError as exc:
        return fail(str(exc), EXIT_INPUT)
    for number, step in enumerate(run.steps, 1):
        print(f"info: plan: question {number} is about: {_about(step.tail)}", file=sys.stderr)
    drain(run.stream(provider), sys.stdout)
    sys.stdout.write("\n")
    _print_findings(run.text, args.rules)
    _save_to_history(settings, run, cv, job)
    stats = ", ".join(f"{k.lower()}: {v}" for k, v in run.stats().items())
    print(f"info: {stats}", file=sys.stderr)
    provider.close()
    if run.status != Status.DONE:
        return fail(run.error or "generation did not finish", EXIT_UPSTREAM)
    return 0


def _about(tail: str) -> str:
    """The anchor of a planned step, from its "Based on:" line (or the recruiter's topic)."""
    for line in tail.splitlines():
        if line.startswith("**Based on:**"):
            return line.removeprefix("**Based on:**").strip()[:160]
    return "(a topic of your own)"


def _save_to_history(settings: Settings, run: KitRun, cv: CVText, job: str) -> None:
    from interviewkit.cli.history import admin_scope
    from interviewkit.errors import HistoryError

    try:
        kit_id = admin_scope(settings).save_run(run, cv, job)
    except HistoryError as exc:
        print(f"warning: not saved to history: {exc}", file=sys.stderr)
        return
    if kit_id is not None:
        print(f"info: saved to history as kit {kit_id}", file=sys.stderr)


def _print_findings(text: str, rules_name: str) -> None:
    """Fair-hiring findings for a generated kit, as ``finding:`` lines on stderr."""
    if rules_name == "off":
        return
    try:
        rules = load_rules(rules_name)
    except KitError as exc:
        print(f"warning: fair-hiring guard off: {exc}", file=sys.stderr)
        return
    if (notice := guard_notice()) is not None:
        print(f"warning: {notice}", file=sys.stderr)
    for checked in check_kit(text, rules):
        for found in checked.findings:
            rewrite = f" — instead: {found.rewrite}" if found.rewrite else ""
            print(f"finding: line {checked.line}: {rules.label(found.ground)}: "
                  f"\"{found.phrase}\": {found.why}{rewrite}", file=sys.stderr)
