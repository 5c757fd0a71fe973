"""What every command shares: exit codes, the one error line, reading the CV and --set."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from interviewkit.config import Settings
from interviewkit.errors import KitError
from interviewkit.ingest.cv import CVText, read_cv
from interviewkit.kit.pipeline import PreparedCV
from interviewkit.providers.base import Provider

EXIT_INPUT = 2
EXIT_UPSTREAM = 3
NOTHING_LEFT = ("all of this CV's text is hidden from human readers, so nothing is left once "
                "it is left out; --keep-hidden keeps it")


EXIT_FINDINGS = 1  # lint: at least one question was flagged
Handler = Callable[[argparse.Namespace, Settings], int]
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def hidden_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep-hidden", action="store_true",
                        help="keep text a reader would not see (white, tiny, off-page); "
                             "by default it is left out and each passage is reported")


def fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def read(path: Path, password: str | None, settings: Settings) -> CVText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KitError(f"cannot read {path}: {exc.strerror or exc}", code="io") from None
    return read_cv(data, path.name, password=password, limits=settings.limits)


def set_values(pairs: Sequence[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise KitError(f"--set expects NAME=VALUE, got {pair!r}", code="usage")
        values[name.strip()] = value
    return values


class NoModel(Provider):
    """``extract`` sends nothing anywhere: no redaction, only the hidden-text policy."""

    offline = True


def warn(prepared: PreparedCV) -> None:
    """Extraction warnings, then each suspicious passage, on stderr."""
    for warning in prepared.cv.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for line in prepared.warnings():
        print(f"warning: {line}", file=sys.stderr)
    redaction = prepared.redaction
    if redaction is not None and redaction.items:
        counts = ", ".join(f"{n} {kind.lower()}" for kind, n in redaction.counts().items())
        print(f"info: redacted before sending: {counts}", file=sys.stderr)
