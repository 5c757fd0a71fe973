"""Fair-hiring guard: flag interview questions that touch a protected ground.

A model (or a person) can write "When did you graduate?" or "Where are you
originally from?".  :func:`check_question` returns one :class:`Finding` per
ground a question touches (age, religion, disability before an offer…), with
the phrase that triggered it, why it is risky and a lawful rewrite when one
exists.  It is an aid for the recruiter, not legal advice.  Regexes miss paraphrases, so a
text the rules leave clean goes to the semantic layer (:mod:`.semantic`, a small multilingual
sentence encoder shipped in a pinned wheel), whose findings say they are paraphrase matches;
without that package the guard is rules only and :func:`guard_notice` says so.  Kits are checked
whole: questions, "Listen for" points and follow-ups.

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

from interviewkit.compliance import semantic as paraphrase
from interviewkit.compliance.loader import Ground, Localised, Rule, RuleSet, load_rules
from interviewkit.kit.sections import Located, looks_like_kit, parse_questions


@dataclass(frozen=True)
class Finding:
    """One protected ground touched by a question."""

    ground: str
    phrase: str  # the words of the question that matched, as written
    why: str
    rewrite: str | None
    source: str = "rules"  # or "semantic": a paraphrase match, no rule's words

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class Checked:
    """One question of a kit or file, where it was, and what was found."""

    line: int
    question: str
    findings: tuple[Finding, ...]
    part: str = "question"  # "question", "listen_for", "follow_up" or "rating"

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "question": self.question, "part": self.part,
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


def _hit(ground: Ground, norm: str, *also: str) -> tuple[Rule, re.Match[str]] | None:
    """The first rule of ``ground`` that fires on ``norm``; an ``unless`` found in ``norm``
    or in any of ``also`` (the text as written, for its addressed view) vetoes it."""
    texts = (norm, *also)
    if any(p.search(t) for p in ground.unless for t in texts):
        return None
    for rule in ground.rules:
        found = rule.match.search(norm)
        if found is None or (rule.near is not None and not rule.near.search(norm)):
            continue
        if not any(p.search(t) for p in rule.unless for t in texts):
            return rule, found
    return None


# "Listen for" points and notes speak of the candidate in the third person; the rules are
# written for a question put to them ("your weight", "near: you"). So the rules also run on
# the text as if addressed to the candidate: "whether the candidate is attractive",
# "their health" read as "you are attractive", "your health".
_THIRD = re.compile(r"\b(?:(?P<own>(?:the )?(?:candidates|applicants|interviewees)|their|"
                    r"his|her)|(?:the )?(?:candidate|applicant|interviewee)|they|them|he|she|"
                    r"him)\b(?! (?:is|are|was|were|has|have) (?:asked|told|shown|given)\b)")


def addressed(norm: str) -> tuple[str, list[int]]:
    """``norm`` with the candidate in the second person, and each character's index in it."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _THIRD.finditer(norm):
        out.extend(norm[pos:m.start()])
        where.extend(range(pos, m.start()))
        word = "your" if m.group("own") else "you"
        out.extend(word)
        where.extend(min(m.start() + i, m.end() - 1) for i in range(len(word)))
        pos = m.end()
    out.extend(norm[pos:])
    where.extend(range(pos, len(norm)))
    return "".join(out), where


def _rule_findings(text: str, rules: RuleSet) -> list[Finding]:
    norm, where = normalise(text)
    second, back = addressed(norm)
    second_at = [where[i] for i in back] if second != norm else None  # into ``text``
    lang = language(text)
    found: list[tuple[int, Finding]] = []
    for ground in rules.grounds:
        hit = _hit(ground, norm)
        at = where
        if hit is None and second_at is not None:
            hit, at = _hit(ground, second, norm), second_at
        if hit is None:
            continue
        rule, match = hit
        phrase = text[at[match.start()]:at[match.end() - 1] + 1].strip()
        why = _pick(rule.why if rule.why is not None else ground.why, lang) or ""
        rewrite = rule.rewrite if rule.rewrite is not None else ground.rewrite
        found.append((match.start(), Finding(ground.key, phrase, why, _pick(rewrite, lang))))
    return [finding for _, finding in sorted(found, key=lambda pair: pair[0])]


_PARAPHRASE = {
    "en": "Paraphrase match (no rule's words, the semantic check): this reads like a question "
          "about {label}, close to “{nearest}”. ",
    "ko": "의미 유사 탐지(규칙 문구에는 걸리지 않음): {label} 관련 질문으로 보입니다. "
          "비슷한 예: “{nearest}”. ",
}


def _paraphrase_findings(texts: list[str], rules: RuleSet) -> list[Finding | None]:
    """The semantic layer's finding per text (None: no match, or the layer is off)."""
    layer = paraphrase.layer()
    if layer is None or not texts:
        return [None] * len(texts)
    by_key = {ground.key: ground for ground in rules.grounds}
    out: list[Finding | None] = []
    for text, match in zip(texts, layer.match(texts, by_key), strict=True):
        if match is None:
            out.append(None)
            continue
        ground, lang = by_key[match.ground], language(text)
        why = _PARAPHRASE[lang].format(label=ground.label, nearest=match.nearest)
        out.append(Finding(ground.key, paraphrase.prepare(text), why + (_pick(ground.why, lang)
                           or ""), _pick(ground.rewrite, lang), source="semantic"))
    return out


def check_texts(texts: list[str], rules: RuleSet | None = None, *,
                semantic: bool = True) -> list[list[Finding]]:
    """Findings per text: the rules first; what they leave clean goes to the semantic layer."""
    rules = rules or load_rules()
    found = [_rule_findings(text, rules) for text in texts]
    if semantic:
        clean = [i for i, items in enumerate(found)
                 if not items and paraphrase.meaningful(texts[i])]
        for i, extra in zip(clean, _paraphrase_findings([texts[i] for i in clean], rules),
                            strict=True):
            if extra is not None:
                found[i] = [extra]
    return found


def check_question(text: str, rules: RuleSet | None = None, *,
                   semantic: bool = True) -> list[Finding]:
    """Findings for one question, in the order their phrases appear (one per ground)."""
    return check_texts([text], rules, semantic=semantic)[0]


def guard_notice() -> str | None:
    """None when the whole guard runs; else why it is rules only (shown beside findings)."""
    return paraphrase.notice()


# --- questions out of a kit or a plain file ---------------------------------------------

_PREFIX = re.compile(r"^(?:[-*+•]\s+|(?:q(?:uestion)?\s*)?\d{1,3}\s*[.):]\s+)", re.IGNORECASE)


def _clean(line: str) -> str:
    text = re.sub(r"\\(.)", r"\1", line).replace("**", "").strip()
    return _PREFIX.sub("", text, count=1).strip()


def _listen_lines(lines: list[str], start: int, items: list[str]) -> list[int]:
    """Line of each "Listen for" point: the parser keeps none, so find its words after the
    question's line (the question's own line when a point was joined from several)."""
    out: list[int] = []
    at = start
    for item in items:
        head = _clean(item)[:16]
        found = next((n for n in range(at, len(lines) + 1) if head and head in _clean(
            lines[n - 1].lstrip("-*•+ "))), None)
        out.append(found if found is not None else start)
        at = found + 1 if found is not None else at
    return out


def iter_parts(text: str) -> list[tuple[int, str, str]]:
    """(line, part, text): every question, "Listen for" point and follow-up of a kit, or one
    question per non-empty line of a plain file (lines starting with ``#`` are comments)."""
    if not looks_like_kit(text):
        return [(number, "question", _clean(line)) for number, line
                in enumerate(text.splitlines(), 1)
                if _clean(line) and not line.lstrip().startswith("#")]
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[tuple[int, str, str]] = []
    for item in parse_questions(text):
        question = item.question
        if item.line is not None and _clean(question.text or ""):
            out.append((item.line, "question", _clean(question.text)))
        points = [p for p in question.listen_for if paraphrase.meaningful(_clean(p))]
        start = item.line or item.follow_up_line or 1
        out += [(line, "listen_for", _clean(point))
                for line, point in zip(_listen_lines(lines, start, points), points, strict=True)]
        if item.follow_up_line is not None and _clean(question.follow_up or ""):
            out.append((item.follow_up_line, "follow_up", _clean(question.follow_up or "")))
        out += _rating_parts(item, lines, start)
    return sorted(out, key=lambda part: part[0])


def _rating_parts(item: Located, lines: list[str], start: int) -> list[tuple[int, str, str]]:
    """A rating guide's anchors, each at the guide line that holds it: "a 5 sounds young
    and energetic" is a finding too."""
    out: list[tuple[int, str, str]] = []
    for anchor in (_clean(a) for a in item.question.rating):
        head = anchor[:24].casefold()
        where = next((n for n in item.rating_lines
                      if head and head in _clean(lines[n - 1]).casefold()),
                     item.rating_lines[0] if item.rating_lines else start)
        if paraphrase.meaningful(anchor):
            out.append((where, "rating", anchor))
    return out


def iter_questions(text: str) -> list[tuple[int, str]]:
    """(line number, question) pairs: a kit's questions and follow-ups (read by
    :func:`interviewkit.kit.sections.parse_questions`), or one question per line."""
    return [(line, part) for line, kind, part in iter_parts(text) if kind != "listen_for"]


def extract_questions(markdown: str) -> list[str]:
    """The questions of a kit (headings and follow-ups) or of one-per-line text."""
    return [question for _, question in iter_questions(markdown)]


def check_kit(text: str, rules: RuleSet | None = None, *,
              semantic: bool = True) -> list[Checked]:
    """Every question, "Listen for" point and follow-up of ``text`` with its findings; the one
    entry point of the page, the Lab, ``lint`` and ``generate`` (call it per finished section)."""
    rules = rules or load_rules()
    parts = iter_parts(text)
    found = check_texts([part for _, _, part in parts], rules, semantic=semantic)
    return [Checked(line, part, tuple(items), kind)
            for (line, kind, part), items in zip(parts, found, strict=True)]


def report_json(checked: list[Checked]) -> str:
    """The ``lint --json`` output: one object per question, in order."""
    return json.dumps([item.to_dict() for item in checked], ensure_ascii=False, indent=2)


def report_text(checked: list[Checked], rules: RuleSet) -> str:
    """The ``lint`` output for people: each question, then its findings."""
    lines: list[str] = []
    for item in checked:
        part = "" if item.part == "question" else f" ({item.part.replace('_', ' ')})"
        lines.append(f"line {item.line}{part}: {'ok' if not item.findings else 'FLAGGED'}: "
                     f"{item.question}")
        for finding in item.findings:
            lines.append(f"  {rules.label(finding.ground)} ({finding.ground}): "
                         f"\"{finding.phrase}\" - {finding.why}")
            if finding.rewrite:
                lines.append(f"  instead: {finding.rewrite}")
    flagged = sum(1 for item in checked if item.findings)
    lines.append(f"{flagged} of {len(checked)} questions flagged ({rules.name}; "
                 "an aid, not legal advice)")
    notice = guard_notice()
    if notice:
        lines.append(notice)
    return "\n".join(lines) + "\n"


