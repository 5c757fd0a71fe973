"""``batch``: a kit for each of many CVs, one prompt (and role), one ZIP of results.

The Batch page's work from a shell, acting as the CLI's local admin through a
:class:`~interviewkit.access.scope.Scope`, so kits land in History owned and
audited like the page's.  One line per CV on stdout as it ends (tab-separated:
status, file, candidate, kit id, questions, seconds, message) and a summary on
stderr.  Exit codes: ``0`` every CV done (or already done), ``1`` some failed or
were stopped (the rest are in the ZIP all the same), ``2`` bad arguments, ``3``
History cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from interviewkit.cli.common import EXIT_INPUT, EXIT_UPSTREAM, SubParsers, fail, set_values
from interviewkit.config import Settings

if TYPE_CHECKING:  # the batch layer (SQLAlchemy, the SDK) loads only when the command runs
    from interviewkit.access.scope import Scope
    from interviewkit.batch import Batch, Request, Row, Upload
    from interviewkit.promptfiles.schema import PromptSpec

EXIT_SOME_FAILED = 1


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {raw!r}")
    return value


def register(sub: SubParsers) -> None:
    cmd = sub.add_parser("batch", help="a kit for each of many CVs (files, folders, ZIPs), "
                                       "written into one ZIP with summary.csv")
    cmd.set_defaults(handler=cmd_batch)
    cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                     help="CV files (.pdf, .txt, .md), ZIPs of them, or folders")
    cmd.add_argument("--prompt", required=True,
                     help="a prompt YAML file, or the name of one in prompts/")
    about = cmd.add_mutually_exclusive_group()
    about.add_argument("--job", type=Path, help="a text file with the job description")
    about.add_argument("--role", type=int, help="file the kits under this role (its job "
                                                "description is used)")
    cmd.add_argument("--output", type=Path, required=True, help="the ZIP to write")
    cmd.add_argument("--concurrency", type=_positive,
                     help="CVs in flight for a remote model (default: "
                          "INTERVIEWKIT_BATCH_CONCURRENCY, 4); the offline model runs one")
    cmd.add_argument("--set", dest="values", action="append", default=[],
                     metavar="NAME=VALUE", help="set a prompt input (repeatable)")
    cmd.add_argument("--model", help="model name for an OpenAI-compatible server")
    cmd.add_argument("--offline", action="store_true", help="force the embedded offline model")
    cmd.add_argument("--mode", choices=["auto", "planned", "whole"], default="auto",
                     help="as for generate (default: planned when the prompt can)")
    cmd.add_argument("--frozen", action=argparse.BooleanOptionalAction, default=True,
                     help="with --role: ask the role's frozen kit's questions of every CV, when "
                          "it has one (default: on)")
    cmd.add_argument("--skip-done", action=argparse.BooleanOptionalAction, default=True,
                     help="skip CVs History already has a complete kit of, for this prompt "
                          "and role (default: on)")


def _line(row: Row) -> str:
    return "\t".join([row.status.value, row.file, row.candidate or "-",
                      "-" if row.kit_id is None else str(row.kit_id),
                      str(row.questions), "-" if row.elapsed_s is None else f"{row.elapsed_s:.1f}",
                      " ".join(row.message.split()) or "-"])


class _Printer:
    """One stdout line per CV as it ends (workers call it from their threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __call__(self, row: Row) -> None:
        with self._lock:
            print(_line(row), flush=True)


class _Inputs(NamedTuple):
    prompt: PromptSpec
    values: dict[str, object]
    job: str
    uploads: list[Upload]


def _inputs(args: argparse.Namespace, settings: Settings) -> _Inputs:
    """Everything a bad argument can spoil, checked before any model is asked."""
    from interviewkit.batch import from_paths
    from interviewkit.promptfiles.loader import find_prompt, load_prompt
    from interviewkit.promptfiles.render import resolve_inputs

    prompt = load_prompt(find_prompt(args.prompt))
    values = set_values(args.values)
    resolve_inputs(prompt, values)
    job = args.job.read_text(encoding="utf-8") if args.job else ""
    output: Path = args.output
    if output.is_dir() or not output.parent.is_dir():
        raise OSError(f"cannot write {output}: no such folder, or it is a folder")
    return _Inputs(prompt, values, job, from_paths(args.paths, settings.limits))


def _request(args: argparse.Namespace, settings: Settings, scope: Scope,
             inputs: _Inputs) -> Request:
    """What every CV is asked with; a role brings its job description and frozen kit."""
    from interviewkit.batch import Request
    from interviewkit.roles.frozen import role_frozen_kit
    from interviewkit.roles.store import RoleBook

    job, frozen = inputs.job, None
    if args.role is not None:  # an unknown role raises: a bad argument
        book = RoleBook(scope)
        job = book.get(args.role).job_description
        frozen = role_frozen_kit(book, args.role) if args.frozen else None
    if frozen is not None:
        print(f"info: the role's frozen kit #{frozen.id}: its {len(frozen.questions)} questions "
              "for every CV, follow-ups written for each (--no-frozen: the prompt instead)",
              file=sys.stderr)
    return Request(inputs.prompt, inputs.values, job, role_id=args.role,
                   model=args.model or settings.model,
                   planned=None if args.mode == "auto" else args.mode == "planned",
                   limits=settings.limits, skip_done=args.skip_done, frozen=frozen)


def cmd_batch(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.batch import Batch, ScopeLink
    from interviewkit.cli.history import admin_scope
    from interviewkit.errors import HistoryError, KitError
    from interviewkit.providers.factory import provider_from_settings

    if args.offline:
        settings = replace(settings, provider="offline")
    try:
        inputs = _inputs(args, settings)
    except (KitError, OSError, UnicodeDecodeError) as exc:
        return fail(str(exc), EXIT_INPUT)
    try:
        scope = admin_scope(settings)
    except HistoryError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    try:
        request = _request(args, settings, scope, inputs)
        provider = provider_from_settings(settings)
    except KitError as exc:
        return fail(str(exc), EXIT_INPUT)
    batch = Batch(inputs.uploads, request, provider, ScopeLink(scope, args.role),
                  concurrency=args.concurrency or settings.batch_concurrency, on_end=_Printer())
    with provider:
        return _run(batch, args.output)


def _run(batch: Batch, output: Path) -> int:
    from interviewkit.batch import ItemStatus, results_zip

    how = "the offline model, one at a time" if batch.offline else f"{batch.workers} at a time"
    print(f"info: {len(batch.uploads)} CV(s), {how}", file=sys.stderr)
    batch.start()
    try:
        while not batch.wait(0.5):
            pass
    except KeyboardInterrupt:  # Ctrl-C: keep what finished, as the page's Stop does
        print("info: stopping: running CVs end now, queued ones are not started",
              file=sys.stderr)
        batch.stop()
        batch.wait()
    try:
        output.write_bytes(results_zip(batch))
    except OSError as exc:
        return fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_INPUT)
    counts = batch.counts()
    summary = ", ".join(f"{counts[status]} {status.value}" for status in ItemStatus
                        if counts[status])
    print(f"info: {summary} in {batch.elapsed_s:.1f} s; wrote {output}", file=sys.stderr)
    bad = counts[ItemStatus.FAILED] + counts[ItemStatus.STOPPED]
    return EXIT_SOME_FAILED if bad else 0
