"""``history``, ``export`` and ``audit``: saved kits and their trail from a shell.

The CLI acts as a named local admin (:data:`interviewkit.access.model.CLI_ADMIN`),
says so on stderr, and goes through the same access-checked, audited
:class:`~interviewkit.access.scope.Scope` as the pages.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from interviewkit.cli.common import EXIT_INPUT, EXIT_UPSTREAM, SubParsers, fail
from interviewkit.config import Settings, parse_age
from interviewkit.errors import KitError

if TYPE_CHECKING:
    from interviewkit.access.scope import Scope

ACTING = ("info: acting as cli-admin (the local admin of the command line); "
          "recorded in the audit trail")


def admin_scope(settings: Settings) -> Scope:
    """The history as the CLI's local admin sees it (announced once on stderr)."""
    from interviewkit.access.model import CLI_ADMIN
    from interviewkit.access.scope import Scope
    from interviewkit.history import open_store
    print(ACTING, file=sys.stderr)
    return Scope(open_store(settings), CLI_ADMIN)


def register(sub: SubParsers) -> None:
    hist = sub.add_parser("history", help="list, delete or purge saved kits")
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
    purge = hist_sub.add_parser("purge", help="delete candidate data older than an age")
    purge.set_defaults(handler=cmd_history_purge)
    purge.add_argument("--older-than", required=True, metavar="AGE",
                       help="180d, 26w or 180 (days)")
    purge.add_argument("--dry-run", action="store_true", help="list what would go, delete nothing")
    exp = sub.add_parser("export", help="write a saved kit as DOCX, PDF, Markdown or JSON")
    exp.set_defaults(handler=cmd_export)
    exp.add_argument("kit_id", type=int)
    exp.add_argument("--format", dest="fmt", choices=["docx", "pdf", "md", "json"],
                     required=True)
    exp.add_argument("--output", type=Path, required=True, help="file to write ('-': stdout)")
    aud = sub.add_parser("audit", help="the audit trail: who did what to candidate data")
    aud.set_defaults(handler=cmd_audit)
    aud.add_argument("--since", help="a date (2026-11-01) or an age (7d, 2w)")
    aud.add_argument("--user", help="only this user's actions (their e-mail address)")
    aud.add_argument("--action", help="only this action (view, export, delete…)")
    aud.add_argument("--limit", type=int, default=1000)


def cmd_history_list(args: argparse.Namespace, settings: Settings) -> int:
    try:
        kits = admin_scope(settings).search(args.search, candidate=args.candidate,
                                            limit=args.limit)
    except KitError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    for kit in kits:
        state = f"{kit.status} (partial)" if kit.partial else kit.status
        print(f"{kit.id}\t{kit.created:%Y-%m-%d %H:%M}\t{kit.candidate}\t{kit.prompt_key}"
              f"\t{kit.model}\t{state}")
    return 0


def cmd_history_delete(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.errors import AccessDenied
    try:
        scope = admin_scope(settings)
        if args.candidate:
            print(f"deleted {scope.delete_candidate(args.candidate)} kit(s) of "
                  f"{args.candidate}")
            return 0
        scope.delete(args.kit_id)
    except AccessDenied:
        return fail(f"no kit #{args.kit_id} in the history", EXIT_INPUT)
    except KitError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    print(f"deleted kit #{args.kit_id}")
    return 0


def cmd_history_purge(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.history.retention import purge
    try:
        days = parse_age(args.older_than)
    except KitError as exc:
        return fail(str(exc), EXIT_INPUT)
    try:
        scope = admin_scope(settings)
        report = purge(scope.store, days, actor=scope.user.key,
                       actor_role=scope.user.role.value, dry_run=args.dry_run)
    except KitError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    for kit_id in report.kit_ids:
        print(f"{'would delete' if args.dry_run else 'deleted'} kit #{kit_id}")
    print(report.summary())
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.errors import AccessDenied, ExportError, HistoryError, KitNotFound
    from interviewkit.export import export
    try:
        scope = admin_scope(settings)
        kit = scope.kit(args.kit_id, record_view=False)
        data = export(kit, args.fmt)
        scope.exported(kit, args.fmt)
    except (KitNotFound, AccessDenied, ExportError) as exc:
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


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=UTC)
    except ValueError:
        return datetime.now(UTC) - timedelta(days=parse_age(raw))


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.history.audit import Action, entries
    try:
        since = _since(args.since)
        action = Action(args.action) if args.action else None
    except (KitError, ValueError):
        return fail(f"--since takes a date or an age (7d), --action one of "
                    f"{', '.join(a.value for a in Action)}", EXIT_INPUT)
    try:
        rows = entries(admin_scope(settings).store.engine, since=since, actor=args.user,
                       action=action, limit=args.limit)
    except KitError as exc:
        return fail(str(exc), EXIT_UPSTREAM)
    for row in rows:
        print(row.line())
    print(f"{len(rows)} audit row(s)", file=sys.stderr)
    return 0
