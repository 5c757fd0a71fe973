"""An interview plan: before anything is written, choose which CV passages to ask about.

Small models need small, concrete tasks, and every model writes a better kit when
each question stands on evidence.  :func:`make_plan` picks N *anchors* - distinct
CV passages spread across entries and sections - preferring the ones that match
a job requirement and the ones with something concrete to ask about (a
technology, a figure, a product), pitched to the seniority chosen.  The recruiter
can untick an anchor or add their own ("ask about the gap in 2021") before the
questions are written, one request per anchor (:mod:`interviewkit.kit.steps`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from interviewkit.ingest.job import JobRequirements, Requirement
from interviewkit.ingest.skills import find_skills
from interviewkit.ingest.structure import CVStructure

ASKABLE = {"experience": 1.0, "projects": 0.95, "publications": 0.7, "volunteering": 0.6,
           "education": 0.5, "awards": 0.45, "certifications": 0.35, "summary": 0.3,
           "other": 0.3, "skills": 0.15}
SENIOR_WORDS = re.compile(r"\b(led|lead|architect\w*|owned|own|scal\w*|mentor\w*|strateg\w*|"
                          r"managed|manage|drove|designed|roadmap|hired|stakeholder\w*)\b", re.I)
JUNIOR_WORDS = re.compile(r"\b(built|implemented|developed|learn\w*|intern\w*|course\w*|"
                          r"thesis|project|assisted|contributed|wrote)\b", re.I)
_FIGURE = re.compile(r"(?<![\w.])(?:[$€£₩¥]\s?)?\d[\d,.]*\s?(?:[kKmMbB]\+?|%|\+|x|×)?"
                     r"(?:\s(?:users|customers|requests|transactions|engineers|people|countries|"
                     r"ms|hours|days|million|billion|TPS|QPS|RPS))?(?![\w])")
_NAME = re.compile(r"(?<=[\s(,/])(?:[A-Z][a-z]+[A-Z]\w*|[A-Z]{2,}[\w+#.]*|[A-Z][\w+#.-]*"
                   r"(?:\s[A-Z][\w+#.-]*)+)")
_WORD = re.compile(r"\w+")
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_HANGUL = re.compile("[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Candidate:
    """A CV passage that a question could stand on."""

    text: str
    section: str  # a structure section kind ("experience", "projects"…)
    entry: int  # index of its entry within the CV (passages of one entry share it)
    where: str = ""  # the entry's title / organisation, for the plan table


@dataclass
class Anchor:
    """One planned question: the passage it stands on and the requirement it covers."""

    text: str
    section: str
    where: str = ""
    requirement: str | None = None
    terms: tuple[str, ...] = ()
    custom: bool = False  # the recruiter's own topic, not a CV passage
    enabled: bool = True
    entry: int = -1


@dataclass
class Plan:
    """The anchors in order, and the job's requirements they were chosen against."""

    anchors: list[Anchor] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)

    def active(self) -> list[Anchor]:
        return [anchor for anchor in self.anchors if anchor.enabled]

    def add(self, topic: str) -> Anchor:
        """The recruiter's own anchor ("ask about the gap in 2021"); it is not CV evidence."""
        anchor = Anchor(topic.strip(), "custom", "your topic", custom=True,
                        terms=key_terms(topic), requirement=_best_requirement(
                            topic, self.requirements)[0])
        self.anchors.append(anchor)
        return anchor


def key_terms(text: str) -> tuple[str, ...]:
    """Concrete things a passage names - technologies, figures, products - as written in it."""
    found = [*find_skills(text), *(m.group(0).strip() for m in _FIGURE.finditer(text)),
             *(m.group(0) for m in _NAME.finditer(f" {text}"))]
    terms: list[str] = []
    for term in found:
        term = term.strip(" ,.;:()")
        written = _as_written(term, text)
        if written and len(written) >= 2 and not _YEARS.fullmatch(written):
            terms.append(written)
    return tuple(dict.fromkeys(terms))


def anchor_terms(text: str, korean: bool = False) -> tuple[str, ...]:
    """What a question about this passage must mention: its concrete terms, else its longest
    content words; for a Korean kit, Hangul terms and short Latin names only (so the
    question stays Korean)."""
    terms = key_terms(text)
    if korean:
        terms = tuple(t for t in terms if _HANGUL.search(t) or len(t) <= 8)
    if not terms:
        words = sorted({w for w in _WORD.findall(text) if len(w) >= 5 and not w.isdigit()
                        and (not korean or _HANGUL.search(w))}, key=len, reverse=True)
        terms = tuple(words[:3])
    return terms[:8]


def _as_written(term: str, text: str) -> str | None:
    """The term exactly as the passage spells it (skills are canonical names)."""
    match = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE)
    return match.group(0) if match else None


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if len(w) > 2}


def _best_requirement(text: str, requirements: Sequence[Requirement]
                      ) -> tuple[str | None, float]:
    """The requirement this passage speaks to best (shared skills count most)."""
    skills = {s.casefold() for s in find_skills(text)}
    words = _words(text)
    best: tuple[str | None, float] = (None, 0.0)
    for req in requirements:
        shared = skills & {s.casefold() for s in req.skills}
        overlap = len(words & _words(req.text)) / max(4, len(_words(req.text)))
        score = 1.0 * len(shared) + overlap + (0.25 if req.level == "must" else 0.0)
        if (shared or overlap >= 0.34) and score > best[1]:
            best = (req.text, score)
    return best


def _score(candidate: Candidate, requirements: Sequence[Requirement], seniority: str) -> float:
    text = candidate.text
    terms = key_terms(text)
    length = len(text.split())
    score = ASKABLE.get(candidate.section, 0.25)
    score += min(len(terms), 4) * 0.25
    score += 0.3 if 8 <= length <= 60 else -0.3 if length < 5 else 0.0
    separators = sum(text.count(mark) for mark in (",", "·", "|", "•", "/", ";"))
    score -= 1.0 if separators >= max(4, length // 3) else 0.0  # a keyword list, not a deed
    level = seniority.casefold()
    if level in {"senior", "staff", "시니어", "lead"}:
        score += 0.3 * bool(SENIOR_WORDS.search(text))
    elif level in {"junior", "신입", "intern"}:
        score += 0.3 * bool(JUNIOR_WORDS.search(text))
    return score + 1.5 * min(_best_requirement(text, requirements)[1], 2.0)


def make_plan(candidates: Sequence[Candidate], job: JobRequirements | None, count: int,
              seniority: str = "") -> Plan:
    """``count`` anchors, best first within a round-robin over entries (one per entry until
    every entry has one), so the kit covers the CV rather than its longest job."""
    requirements = list(job.requirements) if job else []
    ranked = sorted(candidates, key=lambda c: -_score(c, requirements, seniority))
    chosen: list[Candidate] = []
    for one_per_entry in (True, False):
        for candidate in ranked:
            if len(chosen) >= count:
                break
            if candidate in chosen or (one_per_entry and any(c.entry == candidate.entry
                                                             for c in chosen)):
                continue
            if not any(_similar(candidate.text, other.text) for other in chosen):
                chosen.append(candidate)
    chosen.sort(key=lambda c: candidates.index(c))  # the CV's own order reads naturally
    return Plan([_anchor(c, requirements) for c in chosen], requirements)


def _anchor(candidate: Candidate, requirements: Sequence[Requirement]) -> Anchor:
    return Anchor(candidate.text, candidate.section, candidate.where,
                  _best_requirement(candidate.text, requirements)[0],
                  key_terms(candidate.text), entry=candidate.entry)


def _similar(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.4


def uncovered(plan: Plan) -> list[Requirement]:
    """Requirements no active anchor covers (the coverage table's "add a question" rows)."""
    covered = {anchor.requirement for anchor in plan.active()}
    return [req for req in plan.requirements if req.text not in covered]


def candidates(structure: CVStructure) -> list[Candidate]:
    """Every askable passage of a CV's structure, with the entry it belongs to."""
    entries = structure.entries()
    found: list[Candidate] = []
    for item in structure.passages():
        entry = entries[item.entry][1] if 0 <= item.entry < len(entries) else None
        where = " · ".join(part for part in (entry.title, entry.organisation) if part) if entry \
            else ""
        found.append(Candidate(item.passage.text, item.kind, item.entry, where[:80]))
    return found
