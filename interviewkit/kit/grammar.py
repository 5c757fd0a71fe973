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
    """GBNF for: question?  **Listen for:** 2-3 points, **Follow-up:** question?"""
    terms = [t for t in dict.fromkeys(terms) if t.strip() and "\n" not in t][:MAX_TERMS]
    body = "[^\\n?]* term [^\\n?]*" if terms else "[^\\n?]+"
    if korean:
        head = "[\uac00-\ud7a3] "
    elif starts:
        head = "qstart \" \" "
    else:
        head = "[^\\n?#*\\- ] "
    rules = [
        'root ::= question "\\n**Listen for:**\\n" point point point? "**Follow-up:** " '
        'followup "\\n"',
        f"question ::= {head}{body} \"?\"",
        ('point ::= "- " verb " " [^\\n]+ "\\n"' if verbs and not korean
         else 'point ::= "- " [^\\n#*] [^\\n]+ "\\n"'),
        'followup ::= [^\\n?#*\\- ] [^\\n?]+ "?"',
    ]
    if starts and not korean:
        rules.append(f"qstart ::= {_alternatives(starts)}")
    if verbs and not korean:
        rules.append(f"verb ::= {_alternatives(verbs)}")
    if terms:
        rules.append(f"term ::= {_alternatives(terms)}")
    return "\n".join(rules) + "\n"


def is_korean(text: str) -> bool:
    """A prompt or language value that asks for Korean."""
    return bool(_HANGUL.search(text)) or text.strip().casefold() == "korean"
