"""``lint``: the fair-hiring guard on hand-written questions or an exported kit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interviewkit.cli.common import EXIT_FINDINGS, EXIT_INPUT, SubParsers, fail
from interviewkit.config import Settings
from interviewkit.errors import KitError


def register(sub: SubParsers) -> None:
    lint = sub.add_parser(
        "lint", help="flag interview questions that touch a protected ground",
        description="Check interview questions (one per line, or an exported kit) against "
                    "fair-hiring rules. Exit 0: nothing flagged; 1: at least one finding; "
                    "2: bad input or rule file. An aid, not legal advice.")
    lint.set_defaults(handler=cmd_lint)
    lint.add_argument("file", type=Path, help="questions, one per line, or a kit ('-': stdin)")
    lint.add_argument("--json", action="store_true",
                      help="print a JSON list, one object per question, in order")
    lint.add_argument("--rules", default="us_eeoc",
                      help="us_eeoc (default), kr_fair_hiring, eu_gdpr, or a rule YAML file")


def cmd_lint(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.compliance import (
        check_kit,
        guard_notice,
        load_rules,
        report_json,
        report_text,
    )
    try:
        text = (sys.stdin.read() if str(args.file) == "-"
                else args.file.read_text(encoding="utf-8"))
        rules = load_rules(args.rules)
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}", EXIT_INPUT)
    except UnicodeDecodeError:
        return fail(f"{args.file} is not UTF-8 text", EXIT_INPUT)
    except KitError as exc:
        return fail(str(exc), EXIT_INPUT)
    checked = check_kit(text, rules)
    if not checked:
        return fail(f"no questions found in {args.file}", EXIT_INPUT)
    if args.json and (notice := guard_notice()) is not None:
        print(f"warning: {notice}", file=sys.stderr)  # text output ends with it
    sys.stdout.write(report_json(checked) + "\n" if args.json else report_text(checked, rules))
    return EXIT_FINDINGS if any(item.findings for item in checked) else 0
