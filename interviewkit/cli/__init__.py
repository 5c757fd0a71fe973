"""``python -m interviewkit``: the pages' work from a shell, for scripts.

Contract: ``extract`` prints the CV text on stdout and each warning on stderr
as ``warning: …``; bad input exits 2 with one ``error: …`` line; a model or
upstream failure during ``generate`` exits 3 with an ``error: …`` line (the
partial text already printed stays on stdout).  ``check`` prints one
``path:line: field: message`` line per broken prompt and exits 1 on any;
``compare`` exits 3 when either side failed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from interviewkit.cli import batch, history, kits, lab, lint
from interviewkit.cli.common import EXIT_INPUT, Handler, fail
from interviewkit.config import load_settings
from interviewkit.errors import KitError

# Each module adds its subcommands (with ``set_defaults(handler=...)``) to the parser.
REGISTRARS = [kits.register, lab.register, history.register, lint.register, batch.register]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m interviewkit",
                                     description="Turn a CV into a tailored interview kit.")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except KitError as exc:
        return fail(str(exc), EXIT_INPUT)
    handler: Handler = args.handler
    return handler(args, settings)


__all__ = ["main"]
