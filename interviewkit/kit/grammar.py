"""The shape of one planned question, forced on the embedded model with a llama.cpp grammar.

A 0.5B model follows a format only partly; a GBNF grammar makes it exact: a
question that starts like a question and ends with "?", 2 or 3 "Listen for"
points that say what a strong answer *demonstrates* (in English each starts
with a verb such as "Explains" or "Quantifies", which keeps the model from
pasting the CV or the expected answer), and one follow-up question.  When the
anchor passage names something concrete (a technology, a figure, a product),
the question must mention one of those terms, so it is about this CV and no
other.  Remote models get the same instructions in words and no grammar.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

ENGLISH_STARTS = (
    "How did you", "What made you", "Walk me through how you", "Why did you",
    "What was the hardest part of", "How would you", "What trade-offs did you", "When you",
    "Which", "What did you learn from", "How do you",
)
ENGLISH_VERBS = (
    "Explains", "Describes", "Quantifies", "Compares", "Justifies", "Names", "Shows",
    "Identifies", "Walks through", "Weighs", "Gives", "Reflects on", "Admits", "Connects",
)
_HANGUL = re.compile("[\uac00-\ud7a3]")
MAX_TERMS = 12


def literal(text: str) -> str:
    """A GBNF string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _alternatives(options: Sequence[str]) -> str:
    return " | ".join(literal(option) for option in options)


def starts_for(number: int, starts: Sequence[str], per_question: int = 3) -> list[str]:
    """A rotating window of openings, so the questions of one kit do not all start alike."""
    if not starts:
        return []
    first = (number - 1) * per_question % len(starts)
    return [starts[(first + i) % len(starts)] for i in range(min(per_question, len(starts)))]


def question_grammar(*, korean: bool, starts: Sequence[str] = (), verbs: Sequence[str] = (),
                     terms: Sequence[str] = ()) -> str:
    """GBNF for: question?  **Listen for:** 2-3 points, **Follow-up:** question?

    Lengths are counted in words (a bounded repetition per word, not per character, which
    keeps llama.cpp's grammar small), so a question cannot run on.  Korean sentences must
    end the way Korean questions and assessment points do ("…나요?", "…하는지").
    """
    terms = [t for t in dict.fromkeys(terms) if t.strip() and "\n" not in t][:MAX_TERMS]
    rules = [
        'root ::= question "\\n**Listen for:**\\n" point point point? "**Follow-up:** " '
        'followup "\\n"',
        ('word ::= [\uac00-\ud7a30-9,.·()%~+/-]{1,10} | term' if korean
         else 'word ::= [^\\n?？ ]{1,18}'),
        f"question ::= {_question_body(korean, bool(starts) and not korean, bool(terms))}",
        _point(korean, bool(verbs) and not korean),
        ("followup ::= [\uac00-\ud7a3] word? (\" \" word){1,30} kend"
         if korean else 'followup ::= [A-Z] word? (" " word){2,30} "?"'),
    ]
    if korean:
        rules.append('kend ::= [\uac00-\ud7a3]{0,8} ("요" | "까") ("?" | "？")')
    if starts and not korean:
        rules.append(f"qstart ::= {_alternatives(starts)}")
    if verbs and not korean:
        rules.append(f"verb ::= {_alternatives(verbs)}")
    if terms or korean:  # Korean words are Hangul: the passage's own terms are the exception
        rules.append(f"term ::= {_alternatives(terms or ['CV'])}")
    return "\n".join(rules) + "\n"


def _question_body(korean: bool, starts: bool, terms: bool) -> str:
    end = " kend" if korean else ' "?"'
    if korean:  # Hangul words; the passage's term somewhere in the question
        head = "[\uac00-\ud7a3] word?"
        if not terms:
            return f'{head} (" " word){{2,24}}{end}'
        return f'{head} (" " word){{0,12}} " " term [\uac00-\ud7a3]{{0,4}} (" " word){{1,14}}{end}'
    head = "qstart" if starts else "[A-Z] word?"
    if not terms:
        return f'{head} (" " word){{2,40}}{end}'
    # a concrete term of the passage somewhere in the question: this CV, not any CV
    return f'{head} (" " word){{0,20}} " " term [^\\n?？ ]{{0,6}} (" " word){{0,20}}{end}'


def _point(korean: bool, verbs: bool) -> str:
    if korean:
        return 'point ::= "- " word (" " word){1,24} "지\\n"'
    if verbs:
        return 'point ::= "- " verb (" " word){2,30} "\\n"'
    return 'point ::= "- " [A-Za-z] word? (" " word){2,30} "\\n"'


def is_korean(text: str) -> bool:
    """A prompt or language value that asks for Korean."""
    return bool(_HANGUL.search(text)) or text.strip().casefold() == "korean"
