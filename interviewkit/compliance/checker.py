"""Fair-hiring guard: flag interview questions that touch a protected ground.

A model (or a person) can write "When did you graduate?" or "Where are you
originally from?".  :func:`check_question` returns one :class:`Finding` per
ground a question touches (age, religion, disability before an offer…), with
the phrase that triggered it, why it is risky and a lawful rewrite when one
exists.  It is an aid for the recruiter, not legal advice, and regexes miss
paraphrases: the README says what it does and does not catch.

Rules are data, one YAML file per jurisdiction in ``interviewkit/compliance/rules/``; ``us_eeoc``
is the default and a company adds its own (format and loading: :mod:`.loader`,
re-exported by the package).  Patterns run on the :func:`normalise` form of a question, and
why/rewrite texts are picked by its language (Hangul -> ``ko``, else ``en``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from interviewkit.compliance.loader import Ground, Localised, Rule, RuleSet, load_rules
from interviewkit.kit.sections import looks_like_kit, parse_questions


@dataclass(frozen=True)
class Finding:
    """One protected ground touched by a question."""

    ground: str
    phrase: str  # the words of the question that matched, as written
    why: str
    rewrite: str | None

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class Checked:
    """One question of a kit or file, where it was, and what was found."""

    line: int
    question: str
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "question": self.question,
                "findings": [f.to_dict() for f in self.findings]}


# --- checking ---------------------------------------------------------------------------

_DROP = dict.fromkeys(map(ord, "'’‘ʼ`*\\"), None)
_SPACE = dict.fromkeys(map(ord, "-‐‑‒–—―"), " ")
_HANGUL = re.compile("[\uac00-\ud7a3]")


def normalise(text: str) -> tuple[str, list[int]]:
    """The text rules run on, and for each of its characters the index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for piece in unicodedata.normalize("NFKC", ch).lower().translate(_DROP):
            piece = " " if piece.isspace() else piece.translate(_SPACE)
            if piece == " " and (not out or out[-1] == " "):
                continue
            out.append(piece)
            where.append(i)
    return "".join(out), where


def language(text: str) -> str:
    """``ko`` when the text contains Hangul, else ``en`` (picks why/rewrite texts)."""
    return "ko" if _HANGUL.search(text) else "en"


def _pick(texts: Localised, lang: str) -> str | None:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)


def _hit(ground: Ground, norm: str) -> tuple[Rule, re.Match[str]] | None:
    if any(p.search(norm) for p in ground.unless):
        return None
    for rule in ground.rules:
        found = rule.match.search(norm)
        if found is None or (rule.near is not None and not rule.near.search(norm)):
            continue
        if not any(p.search(norm) for p in rule.unless):
            return rule, found
    return None


def check_question(text: str, rules: RuleSet | None = None) -> list[Finding]:
    """Findings for one question, in the order their phrases appear (one per ground)."""
    rules = rules or load_rules()
    norm, where = normalise(text)
    lang = language(text)
    found: list[tuple[int, Finding]] = []
    for ground in rules.grounds:
        hit = _hit(ground, norm)
        if hit is None:
            continue
        rule, match = hit
        phrase = text[where[match.start()]:where[match.end() - 1] + 1].strip()
        why = _pick(rule.why if rule.why is not None else ground.why, lang) or ""
        rewrite = rule.rewrite if rule.rewrite is not None else ground.rewrite
        found.append((match.start(), Finding(ground.key, phrase, why, _pick(rewrite, lang))))
    return [finding for _, finding in sorted(found, key=lambda pair: pair[0])]


# --- questions out of a kit or a plain file ---------------------------------------------

_PREFIX = re.compile(r"^(?:[-*+•]\s+|(?:q(?:uestion)?\s*)?\d{1,3}\s*[.):]\s+)", re.IGNORECASE)


def _clean(line: str) -> str:
    text = re.sub(r"\\(.)", r"\1", line).replace("**", "").strip()
    return _PREFIX.sub("", text, count=1).strip()


def iter_questions(text: str) -> list[tuple[int, str]]:
    """(line number, question) pairs.

    A streamed or exported kit (any ``###`` heading or follow-up line) yields
    its questions and follow-ups, read by the kit parser
    (:func:`interviewkit.kit.sections.parse_questions`); anything else is one
    question per non-empty line, where lines starting with ``#`` are comments.
    """
    if looks_like_kit(text):
        out: list[tuple[int, str]] = []
        for item in parse_questions(text):
            for line, part in ((item.line, item.question.text),
                               (item.follow_up_line, item.question.follow_up)):
                question = _clean(part or "")
                if line is not None and question:
                    out.append((line, question))
        return sorted(out)
    return [(number, _clean(line)) for number, line in enumerate(text.splitlines(), 1)
            if _clean(line) and not line.lstrip().startswith("#")]


def extract_questions(markdown: str) -> list[str]:
    """The questions of a kit (headings and follow-ups) or of one-per-line text."""
    return [question for _, question in iter_questions(markdown)]


def check_kit(text: str, rules: RuleSet | None = None) -> list[Checked]:
    """Every question of ``text`` with its findings; call it on each finished section."""
    rules = rules or load_rules()
    return [Checked(line, question, tuple(check_question(question, rules)))
            for line, question in iter_questions(text)]


def report_json(checked: list[Checked]) -> str:
    """The ``lint --json`` output: one object per question, in order."""
    return json.dumps([item.to_dict() for item in checked], ensure_ascii=False, indent=2)


def report_text(checked: list[Checked], rules: RuleSet) -> str:
    """The ``lint`` output for people: each question, then its findings."""
    lines: list[str] = []
    for item in checked:
        lines.append(f"line {item.line}: {'ok' if not item.findings else 'FLAGGED'}: "
                     f"{item.question}")
        for finding in item.findings:
            lines.append(f"  {rules.label(finding.ground)} ({finding.ground}): "
                         f"\"{finding.phrase}\" - {finding.why}")
            if finding.rewrite:
                lines.append(f"  instead: {finding.rewrite}")
    flagged = sum(1 for item in checked if item.findings)
    lines.append(f"{flagged} of {len(checked)} questions flagged ({rules.name}; "
                 "an aid, not legal advice)")
    return "\n".join(lines) + "\n"


