"""Interview prompts: YAML files in ``prompts/``, checked strictly at load, rendered safely.

A prompt file is a YAML mapping; unknown keys anywhere are errors, to catch typos::

    name: Technical screen          # required, one line: shown in the dropdown
    description: One line.          # required, one line: shown under the dropdown
    version: 1                      # optional positive int (default 1)
    model: {temperature: 0.4, max_tokens: 1400, name: gpt-4o-mini}
                                    # optional: 0..2, 1..8192, preferred remote model
    inputs:                         # optional; each becomes a control in the app
      num_questions: {type: integer, default: 6, min: 1, max: 15, label: Number of questions}
      seniority: {type: choice, default: mid, choices: [junior, mid, senior]}
      focus: {type: text, default: "", max_length: 200, help: Shown as a tooltip}
      coding: {type: boolean, default: false}
    system: "... {{ seniority }} ..."            # required
    user: "... {{cv}} ... {{job_description}}"   # required; {{cv}} exactly once, only here
    rating: true                    # optional (default false): each question gets a rating
                                    # guide, what a 1, a 3 and a 5 answer sound like

Inputs: ``label``/``help`` are optional; ``default`` must be valid (integers need one, the
rest fall back to the first choice, ``""`` or false).  Names are ASCII identifiers other
than the built-ins ``cv`` and ``job_description``, and every declared input must be used.
Placeholders are plain ``{{ name }}`` only: expressions, filters and ``{% %}`` are refused,
since prompt files are data, not a template language.  All of this fails at load time as
``path:line: field: message``, never halfway through an interview.  Rendering is one regex
pass, so values (a CV containing ``{{x}}``) are never re-scanned.  ``{{cv}}`` and
``{{job_description}}`` become fenced data blocks whose look-alike tags are neutralised, so a
CV cannot close its fence and pose as instructions.  Booleans render as yes/no, an empty
text input as ``(none)``.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from interviewkit.errors import PromptError
from interviewkit.promptfiles.yamldoc import Doc

MAX_PROMPT_BYTES = 256 * 1024
DEFAULT_TEMPERATURE = 0.4
DEFAULT_MAX_TOKENS = 1400

InputType = Literal["integer", "choice", "text", "boolean"]
BUILTINS = ("cv", "job_description")
QUESTION_BUILTINS = ("anchor", "section", "requirement", "number")  # question.user only
_REQUIRED = ("name", "description", "system", "user")
_TOP_KEYS = (*_REQUIRED, "version", "model", "inputs", "question", "rating")
_INPUT_KEYS: dict[str, tuple[str, ...]] = {
    "integer": ("min", "max"), "choice": ("choices",), "text": ("max_length",), "boolean": (),
}
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# A full {{…}} token, else a stray opener; group 1 is None for strays.
_TOKEN_RE = re.compile(r"\{\{([^{}\n]*)\}\}|\{\{|\{%")
PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass(frozen=True)
class InputSpec:
    """One declared input: the app draws a control for it, the CLI takes ``--set name=value``."""

    name: str
    type: InputType
    default: int | str | bool
    label: str
    help: str = ""
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class QuestionTemplate:
    """The planned mode's request for one question: ``system`` is the same for every
    question of a kit (llama.cpp reuses it), ``user`` carries ``{{anchor}}``."""

    system: str
    user: str
    max_tokens: int = 320
    starts: tuple[str, ...] = ()  # how questions may open (English; the grammar enforces it)


@dataclass(frozen=True)
class PromptSpec:
    """A validated prompt file; :func:`render_messages` turns it into chat messages."""

    path: Path
    name: str
    description: str
    version: int
    system: str
    user: str
    inputs: tuple[InputSpec, ...]
    temperature: float
    max_tokens: int
    model: str | None
    question: QuestionTemplate | None = None
    rating: bool = False  # each question also gets a rating guide (1, 3 and 5 anchors)

    @property
    def planned(self) -> bool:
        """The prompt can write a kit question by question, one CV passage each."""
        return self.question is not None

    @property
    def key(self) -> str:
        """Stable identifier (the file stem) for selection, history and the CLI."""
        return self.path.stem


def _text(doc: Doc, data: Mapping[str, Any], key: str, *, one_line: bool,
          prefix: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise doc.error(prefix + key, f"must be a non-empty string, got {value!r}")
    if one_line and "\n" in value.strip():
        raise doc.error(prefix + key, "must be a single line")
    return value.strip() if one_line else value


def _int_in(doc: Doc, field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise doc.error(field, f"must be an integer, got {value!r}")
    if not low <= value <= high:
        raise doc.error(field, f"{value} is outside {low}..{high}")
    return value


def _check_keys(doc: Doc, prefix: str, data: Mapping[Any, Any], allowed: tuple[str, ...]) -> None:
    """Unknown keys are errors: a misspelt ``tempreature`` must not be silently ignored."""
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(allowed)}"
            raise doc.error(f"{prefix}.{key}" if prefix else str(key), f"unknown key '{key}'{hint}")


def _model(doc: Doc, raw: object) -> tuple[float, int, str | None]:
    if raw is None:
        return DEFAULT_TEMPERATURE, DEFAULT_MAX_TOKENS, None
    if not isinstance(raw, dict):
        raise doc.error("model", "must be a mapping of model parameters")
    _check_keys(doc, "model", raw, ("temperature", "max_tokens", "name"))
    temperature = raw.get("temperature", DEFAULT_TEMPERATURE)
    if isinstance(temperature, bool) or not isinstance(temperature, int | float):
        raise doc.error("model.temperature", f"must be a number, got {temperature!r}")
    if not 0 <= temperature <= 2:
        raise doc.error("model.temperature", f"{temperature} is outside 0..2")
    max_tokens = _int_in(doc, "model.max_tokens", raw.get("max_tokens", DEFAULT_MAX_TOKENS),
                         1, 8192)
    name = raw.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise doc.error("model.name", f"must be a non-empty string, got {name!r}")
    return float(temperature), max_tokens, name.strip() if name else None


def _typed(doc: Doc, field: str, raw: dict[str, Any], spec: InputSpec) -> InputSpec:
    """Apply the type-specific keys (choices, min/max, max_length) to a bare spec."""
    if spec.type == "choice":
        choices = raw.get("choices")
        if not isinstance(choices, list) or not choices:
            raise doc.error(f"{field}.choices", "must be a non-empty list of strings")
        if len(choices) > 100:
            raise doc.error(f"{field}.choices", f"has {len(choices)} entries; the limit is 100")
        for i, choice in enumerate(choices):
            if not isinstance(choice, str) or not choice.strip() or choice in choices[:i]:
                raise doc.error(f"{field}.choices.{i}", f"{choice!r} must be a unique, "
                                "non-empty string (quote values such as yes, no or 1)")
        return replace(spec, default=choices[0], choices=tuple(choices))
    if spec.type == "integer":
        low, high = (_int_in(doc, f"{field}.{key}", raw[key], -10**9, 10**9)
                     if key in raw else None for key in ("min", "max"))
        if low is not None and high is not None and low > high:
            raise doc.error(f"{field}.min", f"min {low} is greater than max {high}")
        if "default" not in raw:
            raise doc.error(field, "integer inputs need a default")
        return replace(spec, min=low, max=high)
    if spec.type == "text" and raw.get("max_length") is not None:
        limit = _int_in(doc, f"{field}.max_length", raw["max_length"], 1, 10_000)
        return replace(spec, max_length=limit)
    return spec


def _input(doc: Doc, name: object, raw: object) -> InputSpec:
    """Validate one input spec; its default must itself pass :func:`resolve_inputs`."""
    field = f"inputs.{name}"
    builtins = (*BUILTINS, *QUESTION_BUILTINS)
    if not isinstance(name, str) or not _NAME_RE.match(name) or name in builtins:
        reserved = f" and not a built-in ({', '.join(builtins)})" if name in builtins else ""
        raise doc.error(field, f"input name {name!r} must be a plain identifier{reserved}")
    if not isinstance(raw, dict):
        raise doc.error(field, "must be a mapping with at least 'type'")
    kind = raw.get("type")
    if kind not in _INPUT_KEYS:
        raise doc.error(f"{field}.type", f"{kind!r} is not one of {', '.join(_INPUT_KEYS)}")
    _check_keys(doc, field, raw, ("type", "default", "label", "help", *_INPUT_KEYS[kind]))
    for key in ("label", "help"):
        if not isinstance(raw.get(key, ""), str):
            raise doc.error(f"{field}.{key}", f"must be a string, got {raw[key]!r}")
    label = raw.get("label", "").strip() or name.replace("_", " ").capitalize()
    bare = InputSpec(name, kind, False if kind == "boolean" else "", label, raw.get("help", ""))
    spec = _typed(doc, field, raw, bare)
    if "default" not in raw:
        return spec
    try:
        return replace(spec, default=coerce(spec, raw["default"], from_text=False))
    except ValueError as exc:
        raise doc.error(f"{field}.default", str(exc)) from None


def coerce(spec: InputSpec, value: object, *, from_text: bool) -> int | str | bool:
    """Check one value against its spec; ``from_text`` also accepts CLI strings like ``5``."""
    if spec.type == "integer":
        if from_text and isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
            value = int(value)
        if from_text and isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{value!r} is not a whole number")
        if spec.min is not None and value < spec.min:
            raise ValueError(f"{value} is below the minimum {spec.min}")
        if spec.max is not None and value > spec.max:
            raise ValueError(f"{value} is above the maximum {spec.max}")
        return value
    if spec.type == "boolean":
        if from_text and isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a string")
    if spec.type == "choice":
        match = [c for c in spec.choices if c.casefold() == value.strip().casefold()]
        if not match:
            raise ValueError(f"{value!r} is not one of {', '.join(spec.choices)}")
        return match[0]
    if spec.max_length is not None and len(value.strip()) > spec.max_length:
        raise ValueError(f"is {len(value.strip())} characters long; the limit is "
                         f"{spec.max_length}")
    return value.strip()


def _scan(doc: Doc, field: str, template: str, known: set[str]
          ) -> list[tuple[str, re.Match[str]]]:
    """Check one template's tokens and return each placeholder name with its match."""
    found: list[tuple[str, re.Match[str]]] = []
    for match in _TOKEN_RE.finditer(template):
        token, inner = match.group(0), (match.group(1) or "").strip()
        if match.group(1) is None or not _NAME_RE.match(inner):
            what = token if match.group(1) is not None else f"unclosed or invalid '{token}'"
            raise doc.error(field, f"{what}: only plain {{{{name}}}} placeholders are allowed",
                            doc.token_line(field, template, match))
        if inner not in known:
            close = difflib.get_close_matches(inner, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise doc.error(field, f"unknown placeholder {token}{hint}; declare it under inputs "
                            f"or use one of: {', '.join(sorted(known))}",
                            doc.token_line(field, template, match))
        found.append((inner, match))
    return found


def _check_placeholders(doc: Doc, system: str, user: str, inputs: tuple[InputSpec, ...],
                        question: QuestionTemplate | None) -> None:
    """Every token must be a known plain name; ``cv`` exactly once, in ``user``."""
    known = {spec.name for spec in inputs} | set(BUILTINS)
    in_system, in_user = _scan(doc, "system", system, known), _scan(doc, "user", user, known)
    for name, match in in_system:
        if name == "cv":
            raise doc.error("system", "{{cv}} may only appear in user, not in system",
                            doc.token_line("system", system, match))
    cv_matches = [match for name, match in in_user if name == "cv"]
    if not cv_matches:
        raise doc.error("user", "{{cv}} is missing: user must contain it exactly once")
    if len(cv_matches) > 1:
        raise doc.error("user", "{{cv}} must appear exactly once in user",
                        doc.token_line("user", user, cv_matches[1]))
    used = {name for name, _ in in_system + in_user}
    if question is not None:
        used |= _check_question(doc, question, {spec.name for spec in inputs})
    for spec in inputs:
        if spec.name not in used:
            raise doc.error(f"inputs.{spec.name}", "declared but never used in system or user")


def _check_question(doc: Doc, question: QuestionTemplate, inputs: set[str]) -> set[str]:
    """``question.system`` takes kit-level inputs only (it must be the same for every
    question); ``question.user`` carries ``{{anchor}}`` exactly once."""
    in_system = _scan(doc, "question.system", question.system, inputs)
    in_user = _scan(doc, "question.user", question.user, inputs | set(QUESTION_BUILTINS))
    anchors = [match for name, match in in_user if name == "anchor"]
    if len(anchors) != 1:
        raise doc.error("question.user", "{{anchor}} (the CV passage) must appear exactly once"
                        if anchors else "{{anchor}} is missing: question.user must contain it")
    return {name for name, _ in in_system + in_user}


def _question(doc: Doc, raw: object, max_tokens: int) -> QuestionTemplate | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise doc.error("question", "must be a mapping with system and user")
    _check_keys(doc, "question", raw, ("system", "user", "max_tokens", "starts"))
    system, user = (_text(doc, raw, key, one_line=False, prefix="question.")
                    for key in ("system", "user"))
    limit = _int_in(doc, "question.max_tokens", raw.get("max_tokens", min(max_tokens, 320)),
                    32, 2048)
    starts = raw.get("starts") or []
    if not isinstance(starts, list) or not all(
            isinstance(s, str) and s.strip() and "\n" not in s for s in starts):
        raise doc.error("question.starts", "must be a list of one-line question openings")
    return QuestionTemplate(system, user, limit, tuple(s.strip() for s in starts))


def parse_prompt(text: str, path: Path | str = "<string>") -> PromptSpec:
    """Validate prompt YAML held in memory (the file loader and a future editor share it)."""
    path = Path(path)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PROMPT_BYTES:
        raise PromptError(f"prompt is larger than the {MAX_PROMPT_BYTES // 1024} KB limit",
                          path=path, code="prompt_too_large")
    doc = Doc(text.lstrip("\ufeff"), path)
    data = doc.data
    if data is None:
        raise PromptError("file is empty; expected a mapping with name, description, system "
                          "and user", path=path, line=1)
    if not isinstance(data, dict):
        raise PromptError(f"top level must be a mapping, got {type(data).__name__}", path=path,
                          line=1)
    _check_keys(doc, "", data, _TOP_KEYS)
    for key in _REQUIRED:
        if key not in data:
            raise PromptError("required field is missing", path=path, field=key)
    name, description = (_text(doc, data, key, one_line=True) for key in ("name", "description"))
    version = _int_in(doc, "version", data.get("version", 1), 1, 10**6)
    temperature, max_tokens, model = _model(doc, data.get("model"))
    if data.get("inputs") is not None and not isinstance(data["inputs"], dict):
        raise doc.error("inputs", "must be a mapping of input name to spec")
    inputs = tuple(_input(doc, key, raw) for key, raw in (data.get("inputs") or {}).items())
    system, user = (_text(doc, data, key, one_line=False) for key in ("system", "user"))
    question = _question(doc, data.get("question"), max_tokens)
    _check_placeholders(doc, system, user, inputs, question)
    rating = data.get("rating", False)
    if not isinstance(rating, bool):
        raise doc.error("rating", f"must be true or false, got {rating!r}")
    return PromptSpec(path, name, description, version, system, user, inputs, temperature,
                      max_tokens, model, question, rating)
