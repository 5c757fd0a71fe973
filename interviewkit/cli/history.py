"""``history`` and ``export``: saved kits from a shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interviewkit.cli.common import EXIT_INPUT, EXIT_UPSTREAM, SubParsers, fail
from interviewkit.config import Settings


def register(sub: SubParsers) -> None:
    hist = sub.add_parser("history", help="list or delete saved kits")
    hist_sub = hist.add_subparsers(dest="history_command", required=True)
    lst = hist_sub.add_parser("list", help="one kit per line: id, date, candidate, prompt…")
    lst.set_defaults(handler=cmd_history_list)
    lst.add_argument("--search", default="", help="words to find anywhere in a kit")
    lst.add_argument("--candidate", help="only this candidate's kits")
    lst.add_argument("--limit", type=int, default=500)
    rm = hist_sub.add_parser("delete", help="delete one kit, or everything about a candidate")
    rm.set_defaults(handler=cmd_history_delete)
    target = rm.add_mutually_exclusive_group(required=True)
    target.add_argument("kit_id", nargs="?", type=int, help="the kit's id (see history list)")
    target.add_argument("--candidate", help="delete every kit of this candidate")
    exp = sub.add_parser("export", help="write a saved kit as DOCX, PDF, Markdown or JSON")
    exp.set_defaults(handler=cmd_export)
    exp.add_argument("kit_id", type=int)
    exp.add_argument("--format", dest="fmt", choices=["docx", "pdf", "md", "json"],
                     required=True)
    exp.add_argument("--output", type=Path, required=True, help="file to write ('-': stdout)")


def cmd_history_list(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.errors import HistoryError
    from interviewkit.history import open_store
    try:
        kits = open_store(settings).search(args.search, candidate=args.candidate,
                                           limit=args.limit)
    except HistoryError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    for kit in kits:
        state = f"{kit.status} (partial)" if kit.partial else kit.status
        print(f"{kit.id}\t{kit.created:%Y-%m-%d %H:%M}\t{kit.candidate}\t{kit.prompt_key}"
              f"\t{kit.model}\t{state}")
    return 0


def cmd_history_delete(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.errors import HistoryError
    from interviewkit.history import open_store
    try:
        store = open_store(settings)
        if args.candidate:
            print(f"deleted {store.delete_candidate(args.candidate)} kit(s) of "
                  f"{args.candidate}")
            return 0
        if not store.delete(args.kit_id):
            return fail(f"no kit #{args.kit_id} in the history", EXIT_INPUT)
    except HistoryError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    print(f"deleted kit #{args.kit_id}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.errors import ExportError, HistoryError, KitNotFound
    from interviewkit.export import export
    from interviewkit.history import open_store
    try:
        data = export(open_store(settings).get(args.kit_id), args.fmt)
    except (KitNotFound, ExportError) as exc:
        return fail(str(exc), EXIT_INPUT)
    except HistoryError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    if str(args.output) == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        return fail(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_INPUT)
    return 0
