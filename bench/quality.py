"""Kit quality figures, computed on a finished kit (bench/kit_quality.py prints them).

Each figure is a property a recruiter checks by eye, made countable:
format-valid questions, evidence that is really in the CV, questions that name
something from their evidence, distinct questions, and "Listen for" points that
are neither a copy of a CV sentence nor boilerplate.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from interviewkit.kit.model import Question
from interviewkit.kit.plan import key_terms

_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+")
BOILERPLATE = re.compile(
    r"candidate'?s? (?:response|answer) to (?:this|the) question|answer(?:s)? the question|"
    r"<[^>]*>|\.\.\.|…|^n/?a$|^none$|strong answer (?:contains|includes)$", re.I)
STOP = {"the", "and", "for", "with", "you", "your", "did", "how", "what", "why", "this", "that",
        "was", "were", "are", "from", "into", "about", "which", "when", "would", "have", "has",
        "our", "their", "they", "them", "its", "can", "could", "one", "all", "any", "more"}


def tokens(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)} - STOP


def jaccard(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def format_valid(q: Question) -> bool:
    """A question ending in "?", 2-3 "Listen for" points, and one follow-up."""
    return (q.text.rstrip().endswith(("?", "？")) and 2 <= len(q.listen_for) <= 3
            and bool(q.follow_up and q.follow_up.strip()))


def names_evidence(q: Question) -> bool:
    """The question mentions a concrete term (or, failing that, a content word) of its
    evidence: it is about this CV, not any CV."""
    if not q.evidence:
        return False
    text = q.text.casefold()
    terms = key_terms(q.evidence)
    if terms:
        return any(term.casefold() in text for term in terms)
    return bool({w for w in tokens(q.evidence) if len(w) > 3} & tokens(q.text))


def good_point(point: str, cv_sentences: Sequence[str]) -> bool:
    """Not boilerplate, and not an 80 % copy of a sentence of the CV."""
    if BOILERPLATE.search(point.strip()) or len(point.split()) < 3:
        return False
    low = point.casefold()
    return all(difflib.SequenceMatcher(None, low, s.casefold()).ratio() < 0.8
               for s in cv_sentences if abs(len(s) - len(point)) < max(40, len(point)))


@dataclass
class KitQuality:
    """The figures for one kit (counts, so kits can be summed)."""

    questions: int = 0
    valid: int = 0
    evidence: int = 0
    evidence_found: int = 0
    named: int = 0
    pairs: int = 0
    distinct_pairs: int = 0
    points: int = 0
    good_points: int = 0
    entries_covered: int = 0

    def add(self, other: KitQuality) -> KitQuality:
        return KitQuality(*(a + b for a, b in zip(vars(self).values(), vars(other).values(),
                                                    strict=True)))


def measure(questions: Sequence[Question], cv_text: str, entries_covered: int = 0
            ) -> KitQuality:
    sentences = [s.strip() for s in _SENTENCE.split(cv_text) if len(s.strip()) > 15]
    pairs = list(itertools.combinations(questions, 2))
    points = [p for q in questions for p in q.listen_for]
    return KitQuality(
        questions=len(questions), valid=sum(map(format_valid, questions)),
        evidence=sum(1 for q in questions if q.evidence),
        evidence_found=sum(1 for q in questions if q.evidence_found),
        named=sum(map(names_evidence, questions)), pairs=len(pairs),
        distinct_pairs=sum(1 for a, b in pairs if jaccard(a.text, b.text) <= 0.5),
        points=len(points), good_points=sum(good_point(p, sentences) for p in points),
        entries_covered=entries_covered)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "—"
