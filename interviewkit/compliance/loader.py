"""Fair-hiring rule files: the data :mod:`interviewkit.compliance` checks questions against.

Rules are data, one YAML file per jurisdiction in ``interviewkit/compliance/rules/``
(``us_eeoc`` is the default).  A company adds its own by passing a file path,
or by putting ``<name>.yaml`` in ``$INTERVIEWKIT_RULES_DIR`` (searched first)::

    name: US federal (EEOC guidance)   # required, one line
    description: One line.             # optional
    extends: us_eeoc                   # optional: start from another rule file
    grounds:
      age:                             # ground id: [a-z][a-z0-9_]*
        label: Age                     # required (may be inherited)
        why: {en: "...", ko: "..."}    # required (may be inherited); or one string
        rewrite: {en: "...", ko: "..."}  # optional; null = no lawful version
        unless: ['regex']              # optional: a match anywhere clears the ground
        rules:
          - match: 'regex'             # required: searched in the normalised question
            near: 'regex'              # optional: must also occur in the question
            unless: 'regex' | [...]    # optional: a match anywhere cancels this rule
            why: / rewrite:            # optional overrides for this rule

With ``extends``, a ground of the same id keeps the base's rules and adds its
own; label/why/rewrite given here replace the base's.  Regexes run on
normalised text: NFKC, lower case, apostrophes/backticks/``*`` dropped
("what's" -> "whats"), hyphens and dashes turned into spaces, white space
collapsed.  Korean spacing varies, so Korean patterns use ``\\s?``.  Texts are
picked by the question's language (Hangul -> ``ko``, else ``en``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from interviewkit.config import rules_dirs, rules_env_key
from interviewkit.errors import RulesError

RULES_DIR = Path(__file__).resolve().parent / "rules"
DEFAULT_RULES = "us_eeoc"

Localised = Mapping[str, str]


@dataclass(frozen=True)
class Rule:
    match: re.Pattern[str]
    near: re.Pattern[str] | None = None
    unless: tuple[re.Pattern[str], ...] = ()
    why: Localised | None = None  # None: the ground's
    rewrite: Localised | None = None  # None: the ground's; {}: no rewrite


@dataclass(frozen=True)
class Ground:
    key: str
    label: str
    why: Localised
    rewrite: Localised
    rules: tuple[Rule, ...]
    unless: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """A validated jurisdiction: grounds in file order, base file's first."""

    name: str
    description: str
    sources: tuple[str, ...]
    grounds: tuple[Ground, ...]

    def label(self, ground: str) -> str:
        """Human label of a ground id ("marital_status" -> "Marital status")."""
        for item in self.grounds:
            if item.key == ground:
                return item.label
        return ground.replace("_", " ").capitalize()


# --- loading rule files -----------------------------------------------------------------

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_GROUND_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"name", "description", "extends", "grounds"}
_GROUND_KEYS = {"label", "why", "rewrite", "unless", "rules"}
_RULE_KEYS = {"match", "near", "unless", "why", "rewrite"}


def search_dirs() -> list[Path]:
    """Where rule names are looked up: ``$INTERVIEWKIT_RULES_DIR`` entries, then built-ins."""
    return [*rules_dirs(), RULES_DIR]


def available_rules() -> list[str]:
    """Names that :func:`load_rules` accepts (for a dropdown or an error message)."""
    names = {p.stem for d in search_dirs() if d.is_dir() for p in d.glob("*.yaml")}
    return sorted(n for n in names if _NAME.match(n))


def _resolve(spec: str, near: Path | None = None) -> Path:
    if spec.endswith((".yaml", ".yml")) or "/" in spec or os.sep in spec:
        path = Path(spec).expanduser()
        if near is not None and not path.is_absolute():
            path = near.parent / path
        if not path.is_file():
            raise RulesError(f"rule file {path} not found")
        return path.resolve()
    if not _NAME.match(spec):
        raise RulesError(f"{spec!r} is not a rule name or a .yaml path")
    dirs = ([near.parent] if near is not None else []) + search_dirs()
    for folder in dirs:
        path = (folder / f"{spec}.yaml").resolve()
        if path.is_file() and (near is None or path != near):
            return path
    raise RulesError(f"no rule file named {spec!r}; available: {', '.join(available_rules())}")


def load_rules(jurisdiction: str = DEFAULT_RULES) -> RuleSet:
    """A rule set by name (``us_eeoc``, ``kr_fair_hiring``…) or by path to a YAML file.

    Cached per file and modification time, so an edited company file is re-read.
    """
    path = _resolve(jurisdiction)
    return _load_cached(str(path), path.stat().st_mtime_ns, rules_env_key())


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int, env_dirs: str) -> RuleSet:
    name, description, sources, specs = _read_chain(Path(path), ())
    grounds: list[Ground] = []
    for key, spec in specs.items():
        where = f"{spec.source}: grounds.{key}"
        if spec.label is None or spec.why is None or not spec.rules:
            raise RulesError(f"{where}: needs 'label', 'why' and at least one rule "
                             "(here or in the file it extends)")
        grounds.append(Ground(key, spec.label, spec.why, spec.rewrite or {}, spec.rules,
                              spec.unless))
    return RuleSet(name, description, sources, tuple(grounds))


@dataclass(frozen=True)
class _Spec:
    """One ground as one file writes it, before inheritance is applied."""

    source: str
    label: str | None = None
    why: Localised | None = None
    rewrite: Localised | None = None
    unless: tuple[re.Pattern[str], ...] = ()
    rules: tuple[Rule, ...] = ()


def _merge(base: _Spec | None, top: _Spec) -> _Spec:
    if base is None:
        return top
    return _Spec(top.source, top.label or base.label, top.why or base.why,
                 top.rewrite if top.rewrite is not None else base.rewrite,
                 base.unless + top.unless, base.rules + top.rules)


def _read_chain(path: Path, chain: tuple[Path, ...]
                ) -> tuple[str, str, tuple[str, ...], dict[str, _Spec]]:
    if path in chain:
        raise RulesError(f"{path}: extends: circular ({' -> '.join(map(str, chain))})")
    raw = _read_yaml(path)
    specs: dict[str, _Spec] = {}
    sources: tuple[str, ...] = ()
    if raw.get("extends") is not None:
        spec = _one_line(raw["extends"], path, "extends")
        try:
            base = _resolve(spec, near=path)
        except RulesError as exc:
            raise RulesError(f"{path}: extends: {exc}") from None
        _, _, sources, specs = _read_chain(base, (*chain, path))
    name = _one_line(raw.get("name"), path, "name")
    description = "" if raw.get("description") is None else _one_line(
        raw["description"], path, "description")
    grounds = raw.get("grounds") or {}
    if not isinstance(grounds, dict):
        raise RulesError(f"{path}: grounds: must be a mapping of ground id to ground")
    for key, value in grounds.items():
        if not isinstance(key, str) or not _GROUND_KEY.match(key):
            raise RulesError(f"{path}: grounds: {key!r} is not a ground id ([a-z][a-z0-9_]*)")
        specs[key] = _merge(specs.get(key), _ground(value, path, f"grounds.{key}"))
    return name, description, (*sources, str(path)), specs


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RulesError(f"{path}{line}: YAML syntax error: {problem}") from None
    if not isinstance(raw, dict):
        raise RulesError(f"{path}: a rule file must be a YAML mapping")
    _known(raw, _TOP_KEYS, path, "")
    return raw


def _known(raw: dict[str, Any], allowed: set[str], path: Path, where: str) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise RulesError(f"{path}: {where or 'top level'}: unknown key(s) {', '.join(unknown)}; "
                         f"allowed: {', '.join(sorted(allowed))}")


def _one_line(value: object, path: Path, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        raise RulesError(f"{path}: {where}: must be a non-empty one-line string")
    return value.strip()


def _texts(value: object, path: Path, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": _one_line(value, path, where)}
    if not isinstance(value, dict) or not value:
        raise RulesError(f"{path}: {where}: must be a string or a mapping "
                         "like {en: ..., ko: ...}")
    return {str(lang): _one_line(text, path, f"{where}.{lang}") for lang, text in value.items()}


def _pattern(value: object, path: Path, where: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{path}: {where}: must be a non-empty regex string")
    try:
        pattern = re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise RulesError(f"{path}: {where}: invalid regex: {exc}") from None
    if pattern.search("") is not None:
        raise RulesError(f"{path}: {where}: regex matches empty text, so it would flag anything")
    return pattern


def _patterns(value: object, path: Path, where: str) -> tuple[re.Pattern[str], ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise RulesError(f"{path}: {where}: must be a regex or a list of regexes")
    return tuple(_pattern(item, path, f"{where}[{i}]") for i, item in enumerate(items))


def _rule(raw: object, path: Path, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise RulesError(f"{path}: {where}: must be a mapping with 'match'")
    _known(raw, _RULE_KEYS, path, where)
    if "match" not in raw:
        raise RulesError(f"{path}: {where}: 'match' is required")
    return Rule(
        match=_pattern(raw["match"], path, f"{where}.match"),
        near=_pattern(raw["near"], path, f"{where}.near") if "near" in raw else None,
        unless=_patterns(raw.get("unless", []), path, f"{where}.unless"),
        why=_texts(raw["why"], path, f"{where}.why") if "why" in raw else None,
        rewrite=_optional_texts(raw, path, where))


def _optional_texts(raw: dict[str, Any], path: Path, where: str) -> dict[str, str] | None:
    if "rewrite" not in raw:
        return None
    return {} if raw["rewrite"] is None else _texts(raw["rewrite"], path, f"{where}.rewrite")


def _ground(raw: object, path: Path, where: str) -> _Spec:
    if not isinstance(raw, dict):
        raise RulesError(f"{path}: {where}: must be a mapping")
    _known(raw, _GROUND_KEYS, path, where)
    rules = raw.get("rules", [])
    if not isinstance(rules, list):
        raise RulesError(f"{path}: {where}.rules: must be a list of rules")
    return _Spec(
        source=str(path),
        label=_one_line(raw["label"], path, f"{where}.label") if "label" in raw else None,
        why=_texts(raw["why"], path, f"{where}.why") if "why" in raw else None,
        rewrite=_optional_texts(raw, path, where),
        unless=_patterns(raw.get("unless", []), path, f"{where}.unless"),
        rules=tuple(_rule(item, path, f"{where}.rules[{i}]") for i, item in enumerate(rules)))
