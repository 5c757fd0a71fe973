"""Is a question's evidence really in the CV?  A guard against invented facts.

A model (large or small) may quote a CV passage that is not there.  The check is
deliberately tolerant of what extraction and models do to text - white space and
line breaks, hyphenation at a line end ("micro-\\nservices"), curly quotes and
dashes, case, a trailing ellipsis - and strict about words: every word of the
evidence must appear, in order, in the CV text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import replace

from interviewkit.kit.model import Question

_JOIN_HYPHEN = re.compile(r"(\w)[-\u00ad\u2010\u2011]\s*\n\s*(\w)")
_NOT_WORD = re.compile(r"[^\w]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u2212": "-"})
MIN_WORDS = 3
_PLACEHOLDER = re.compile(r"\[[A-Z_]{2,}\]")


def normalise(text: str) -> str:
    """Lower case, NFKC, hyphenation joined, punctuation and white space as single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _JOIN_HYPHEN.sub(r"\1\2", text)
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def found_in(evidence: str, cv_text: str) -> bool:
    """True when the evidence's words occur, contiguous and in order, in the CV.

    A quote cut short by the model ("…" at either end) is matched on what is left; a
    very short quote (fewer than ``MIN_WORDS`` words) must match whole words exactly.
    """
    pieces = [p for p in _PLACEHOLDER.split(evidence) if normalise(p)]
    if len(pieces) > 1:  # redaction put [EMAIL]-style placeholders into the quote
        return all(found_in(piece, cv_text) for piece in pieces)
    quote = normalise(evidence.strip().strip(".…").strip())
    if not quote:
        return False
    haystack, squeezed = _haystack(cv_text)
    if len(quote.split()) < MIN_WORDS:
        return f" {quote} " in haystack
    return quote in haystack or quote.replace(" ", "") in squeezed


@functools.lru_cache(maxsize=8)
def _haystack(cv_text: str) -> tuple[str, str]:
    """The CV normalised once (with and without spaces): every question of a kit, on every
    rerun of the page, is checked against the same text."""
    haystack = f" {normalise(cv_text)} "
    return haystack, haystack.replace(" ", "")


def check(evidence: str | None, cv_text: str) -> bool | None:
    """``found_in`` for a question that names evidence; None when it names none."""
    if not evidence or not evidence.strip():
        return None
    return found_in(evidence, cv_text)


def checked(questions: list[Question], cv_text: str) -> list[Question]:
    """The questions with ``evidence_found`` filled in from the CV text."""
    return [replace(q, evidence_found=check(q.evidence, cv_text)) for q in questions]
