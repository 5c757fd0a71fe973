"""``python -m interviewkit``: the page's work from a shell, for scripts.

Contract: ``extract`` prints the CV text on stdout and each warning on stderr
as ``warning: …``; bad input exits 2 with one ``error: …`` line; a model or
upstream failure during ``generate`` exits 3 with an ``error: …`` line (the
partial text already printed stays on stdout).  ``check`` prints one
``path:line: field: message`` line per broken prompt and exits 1 on any;
``compare`` exits 3 when either side failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from interviewkit.compliance import check_kit, load_rules
from interviewkit.config import Settings, load_settings
from interviewkit.errors import KitError, LLMError
from interviewkit.ingest.cv import CVText, read_cv
from interviewkit.kit.pipeline import PreparedCV, drain, new_run, prepare_cv
from interviewkit.kit.run import KitRun, Status
from interviewkit.lab.compare import OFFLINE, REMOTE, Comparison, Side, SideConfig, build_side
from interviewkit.promptfiles.library import check_paths, error_line
from interviewkit.promptfiles.loader import find_prompt, load_prompt
from interviewkit.providers.base import Provider
from interviewkit.providers.factory import provider_from_settings

EXIT_INPUT = 2
EXIT_UPSTREAM = 3
NOTHING_LEFT = ("all of this CV's text is hidden from human readers, so nothing is left once "
                "it is left out; --keep-hidden keeps it")


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
    _hidden_flag(ext)
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
    gen.add_argument("--rules", default="us_eeoc",
                     help="fair-hiring rules to check the questions with (a name, a path, or off)")
    gen.add_argument("--redact", action=argparse.BooleanOptionalAction, default=None,
                     help="replace personal data before sending (default: on for remote models)")
    _hidden_flag(gen)


def _hidden_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep-hidden", action="store_true",
                        help="keep text a reader would not see (white, tiny, off-page); "
                             "by default it is left out and each passage is reported")


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _read(path: Path, password: str | None, settings: Settings) -> CVText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KitError(f"cannot read {path}: {exc.strerror or exc}", code="io") from None
    return read_cv(data, path.name, password=password, limits=settings.limits)


def _values(pairs: Sequence[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise KitError(f"--set expects NAME=VALUE, got {pair!r}", code="usage")
        values[name.strip()] = value
    return values


class _NoModel(Provider):
    """``extract`` sends nothing anywhere: no redaction, only the hidden-text policy."""

    offline = True


def _warn(prepared: PreparedCV) -> None:
    """Extraction warnings, then each suspicious passage, on stderr."""
    for warning in prepared.cv.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for line in prepared.warnings():
        print(f"warning: {line}", file=sys.stderr)
    redaction = prepared.redaction
    if redaction is not None and redaction.items:
        counts = ", ".join(f"{n} {kind.lower()}" for kind, n in redaction.counts().items())
        print(f"info: redacted before sending: {counts}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """The text the model would see (hidden passages left out unless ``--keep-hidden``)."""
    try:
        cv = _read(args.file, args.password, settings)
    except KitError as exc:
        return _fail(str(exc), EXIT_INPUT)
    prepared = prepare_cv(cv, _NoModel(), drop_hidden=not args.keep_hidden)
    _warn(prepared)
    if not prepared.text.strip():
        return _fail(NOTHING_LEFT, EXIT_INPUT)
    sys.stdout.write(prepared.text.rstrip("\n") + "\n")
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    if args.offline:
        settings = replace(settings, provider="offline")
    try:
        cv = _read(args.file, args.password, settings)
        job = args.job.read_text(encoding="utf-8") if args.job else ""
        prompt = load_prompt(find_prompt(args.prompt))
        values = _values(args.values)
    except (KitError, OSError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    try:
        provider = provider_from_settings(settings)
    except KitError as exc:
        return _fail(str(exc), EXIT_UPSTREAM)
    prepared = prepare_cv(cv, provider, drop_hidden=not args.keep_hidden, redact=args.redact)
    _warn(prepared)
    if not prepared.text.strip():
        return _fail(NOTHING_LEFT, EXIT_INPUT)
    try:
        run = new_run(prompt, cv_text=prepared.text, cv_name=args.file.name,
                      job_description=job, raw_values=values, model=args.model or settings.model)
    except KitError as exc:
        return _fail(str(exc), EXIT_INPUT)
    drain(run.stream(provider), sys.stdout)
    sys.stdout.write("\n")
    _print_findings(run.text, args.rules)
    _save_to_history(settings, run, cv, job)
    stats = ", ".join(f"{k.lower()}: {v}" for k, v in run.stats().items())
    print(f"info: {stats}", file=sys.stderr)
    provider.close()
    if run.status != Status.DONE:
        return _fail(run.error or "generation did not finish", EXIT_UPSTREAM)
    return 0


def _save_to_history(settings: Settings, run: KitRun, cv: CVText, job: str) -> None:
    from interviewkit.errors import HistoryError
    from interviewkit.history import open_store, save_run

    try:
        kit_id = save_run(open_store(settings), run, cv, job)
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
    for checked in check_kit(text, rules):
        for found in checked.findings:
            rewrite = f" — instead: {found.rewrite}" if found.rewrite else ""
            print(f"finding: line {checked.line}: {rules.label(found.ground)}: "
                  f"\"{found.phrase}\": {found.why}{rewrite}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except KitError as exc:
        return _fail(str(exc), EXIT_INPUT)
    handler: Handler = args.handler
    return handler(args, settings)


def _register_lab(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmp = sub.add_parser("compare", help="run two prompts, or one prompt on two models, at once")
    cmp.set_defaults(handler=cmd_compare)
    cmp.add_argument("file", type=Path, help="the CV: .pdf, .txt or .md")
    cmp.add_argument("--prompt", action="append", default=[], metavar="PROMPT",
                     help="prompt of A, then of B (once: both sides); a file or a name")
    cmp.add_argument("--job", type=Path, help="a text file with the job description")
    cmp.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE",
                     help="set an input on every side whose prompt declares it (repeatable)")
    cmp.add_argument("--password", help="password of an encrypted PDF")
    _hidden_flag(cmp)
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
        return _fail(str(exc), EXIT_INPUT)
    if not files:
        return _fail(f"no prompt files (*.yaml, *.yml) in {' '.join(map(str, args.paths))}",
                     EXIT_INPUT)
    for error in errors:
        print(error_line(error))
    print(f"info: {len(files)} prompt file(s) checked, {len(errors)} with errors",
          file=sys.stderr)
    return 1 if errors else 0


def _lab_sides(args: argparse.Namespace, settings: Settings) -> list[Side]:
    names = args.prompt * (2 // len(args.prompt))
    cv = _read(args.file, args.password, settings)
    _warn(prepare_cv(cv, _NoModel(), drop_hidden=not args.keep_hidden))
    job = args.job.read_text(encoding="utf-8") if args.job else ""
    specs = [load_prompt(find_prompt(name)) for name in names]
    sides = []
    for side, spec in zip(("a", "b"), specs, strict=True):
        remote = settings.uses_remote and not getattr(args, f"offline_{side}")
        config = SideConfig(side.upper(), spec, REMOTE if remote else OFFLINE,
                            getattr(args, f"model_{side}") or settings.model,
                            getattr(args, f"temperature_{side}"))
        sides.append(build_side(config, settings, cv=cv, job_description=job,
                                values=_values(args.values), drop_hidden=not args.keep_hidden))
    return sides


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    """Run A and B concurrently, then print each kit followed by its figures."""
    if len(args.prompt) not in (1, 2):
        return _fail("give --prompt once (both sides) or twice (A, then B)", EXIT_INPUT)
    try:
        sides = _lab_sides(args, settings)
    except LLMError as exc:
        return _fail(str(exc), EXIT_UPSTREAM)
    except (KitError, OSError) as exc:
        return _fail(str(exc), EXIT_INPUT)
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


def _register_history(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        return _fail(str(exc), EXIT_UPSTREAM)
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
            return _fail(f"no kit #{args.kit_id} in the history", EXIT_INPUT)
    except HistoryError as exc:
        return _fail(str(exc), EXIT_UPSTREAM)
    print(f"deleted kit #{args.kit_id}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from interviewkit.errors import ExportError, HistoryError, KitNotFound
    from interviewkit.export import export
    from interviewkit.history import open_store
    try:
        data = export(open_store(settings).get(args.kit_id), args.fmt)
    except (KitNotFound, ExportError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    except HistoryError as exc:
        return _fail(str(exc), EXIT_UPSTREAM)
    if str(args.output) == "-":
        sys.stdout.buffer.write(data)
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_INPUT)
    return 0


EXIT_FINDINGS = 1  # lint: at least one question was flagged


def _register_lint(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    from interviewkit.compliance import check_kit, load_rules, report_json, report_text
    try:
        text = (sys.stdin.read() if str(args.file) == "-"
                else args.file.read_text(encoding="utf-8"))
        rules = load_rules(args.rules)
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}", EXIT_INPUT)
    except UnicodeDecodeError:
        return _fail(f"{args.file} is not UTF-8 text", EXIT_INPUT)
    except KitError as exc:
        return _fail(str(exc), EXIT_INPUT)
    checked = check_kit(text, rules)
    if not checked:
        return _fail(f"no questions found in {args.file}", EXIT_INPUT)
    sys.stdout.write(report_json(checked) + "\n" if args.json else report_text(checked, rules))
    return EXIT_FINDINGS if any(item.findings for item in checked) else 0


# Each entry adds subcommands (with ``set_defaults(handler=...)``) to the parser.
REGISTRARS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _register_core,
    _register_lab,
    _register_history,
    _register_lint,
]
