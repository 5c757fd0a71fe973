"""The shape of one planned question, forced on the embedded model with a llama.cpp grammar.

A 0.5B model follows a format only partly; a GBNF grammar makes it exact: a
question that starts like a question and ends with "?", 2 or 3 "Listen for"
points that say what a strong answer *demonstrates* (in English each starts
with a verb such as "Explains" or "Quantifies", which keeps the model from
pasting the CV or the expected answer), and one follow-up question.  When the
anchor passage names something concrete (a technology, a figure, a product),
the question must mention one of those terms, so it is about this CV and no
other.  Remote models get the same instructions in words and no grammar.

A rating guide (what a 1, a 3 and a 5 answer sound like) is three bounded lines
after the follow-up; :func:`with_rating` adds them to a question's grammar,
:func:`rating_grammar` is the guide alone (added afterwards to an existing kit).
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
LEVELS = (1, 3, 5)  # the anchors of a rating guide, in order
RATING_LABEL = "**Rating:**"
RATING_ASK_WORDS = 12  # how long the prompts ask an anchor to be
RATING_WORDS = 20  # the grammar's bound: well above the ask, or a small model glues words
RATING_STARTS = (  # how a 1, a 3 and a 5 answer are described (English)
    ("Stays vague about", "Cannot explain", "Only repeats", "Gives no", "Talks in general about"),
    ("Describes", "Explains", "Names", "Gives", "Outlines"),
    ("Quantifies", "Explains", "Compares", "Walks through", "Justifies", "Shows"),
)
RATING_STARTS_KO = (("막연하게", "구체적인 설명 없이", "일반적인 이야기로만"),  # the 1 and the 5
                    ("구체적인", "직접", "자신이"))
_ENGLISH_WORD = 'word ::= [^\\n?？ ]{1,18}'
_KOREAN_WORD = 'word ::= [\uac00-\ud7a30-9,.·()%~+/-]{1,10} | term'


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
        _KOREAN_WORD if korean else _ENGLISH_WORD,
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


def rating_tokens(korean: bool) -> int:
    """What a guide adds to a request's budget: Hangul takes about twice the tokens."""
    return 260 if korean else 150


def rating_block(anchors: Sequence[str]) -> list[str]:
    """A guide in the kit's canonical Markdown, which the kit parser reads back."""
    return [RATING_LABEL, *(f"- {n}: {text}" for n, text in zip(LEVELS, anchors, strict=True))]


def _rating_rules(korean: bool, terms: bool) -> list[str]:
    """Three anchors of at most :data:`RATING_WORDS` words, none a question.  Each opens the
    way its level sounds (:data:`RATING_STARTS`: a 0.5B model otherwise copies the format's
    placeholders) and, in English with ``terms``, the 5 names one of the passage's terms."""
    label = literal(RATING_LABEL + "\n")
    rules = [f'rating ::= {label} "- 1: " weak "\\n" "- 3: " fair "\\n" "- 5: " strong "\\n"']
    half = RATING_WORDS // 2 - 2  # opener, "but" or the term, and the words around them
    if korean:  # Hangul words; the 3 turns on "…지만", each ends like an assessment ("…함")
        weak, strong = (_alternatives(starts) for starts in RATING_STARTS_KO)
        return [*rules, 'rend ::= [\uac00-\ud7a3]{0,4} ("함" | "음")',
                f'weak ::= ({weak}) (" " word){{1,{half}}} rend',
                f'fair ::= [\uac00-\ud7a3] word? (" " word){{0,{half}}} [\uac00-\ud7a3]{{0,6}} '
                f'"지만" (" " word){{1,{half}}} rend',
                f'strong ::= ({strong}) (" " word){{1,{RATING_WORDS - 4}}} rend']
    weak, fair, strong = (_alternatives(starts) for starts in RATING_STARTS)
    named = (f'(" " aword){{0,{half}}} " " term (" " aword){{0,{half}}}' if terms
             else f'(" " aword){{2,{RATING_WORDS - 2}}}')
    return [*rules, "aword ::= [A-Za-z0-9,.;'()%$+/&-]{1,18}",
            f'weak ::= ({weak}) (" " aword){{2,{RATING_WORDS - 5}}}',
            f'fair ::= ({fair}) (" " aword){{1,{half}}} ", but" (" " aword){{2,{half}}}',
            f"strong ::= ({strong}) {named}"]


def with_rating(gbnf: str) -> str:
    """A question grammar (:func:`question_grammar`) that ends with a rating guide."""
    root, _, rest = gbnf.partition("\n")
    if not root.startswith("root ::=") or "\nrating ::=" in gbnf:
        return gbnf
    return "\n".join([f"{root} rating", rest.rstrip("\n"),
                      *_rating_rules("\nkend ::=" in gbnf, "\nterm ::=" in gbnf)]) + "\n"


def rating_grammar(*, korean: bool, terms: Sequence[str] = ()) -> str:
    """GBNF for a rating guide alone (a question that has none yet); with ``terms`` the 3 and
    the 5 name one of them."""
    terms = [t for t in dict.fromkeys(terms) if t.strip() and "\n" not in t][:MAX_TERMS]
    rules = ["root ::= rating", _KOREAN_WORD if korean else _ENGLISH_WORD,
             *_rating_rules(korean, bool(terms))]
    if terms or korean:
        rules.append(f"term ::= {_alternatives(terms or ['CV'])}")
    return "\n".join(rules) + "\n"


def is_korean(text: str) -> bool:
    """A prompt or language value that asks for Korean."""
    return bool(_HANGUL.search(text)) or text.strip().casefold() == "korean"
