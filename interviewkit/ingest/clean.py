"""Turn raw extracted CV text into clean text, and say when it looks wrong.

Pure functions, no I/O.  Each rule fixes a quirk seen in real CV PDFs:

* double-encoded UTF-8 ("EXÃ‰CUTIVE") from HTML-to-PDF converters,
* Quartz's ``\\t\\r \\xa0`` junk and soft hyphens between words, Chrome's
  double spaces, zero-width characters,
* icon fonts (FontAwesome & co.) whose glyphs land in the Private Use Area,
* "fake bold" made by overprinting, which pypdf reads as '学学学位位位'.

The quality check counts code points that no real text contains (unassigned,
control, replacement, orphan combining marks) plus letters scattered over many
unrelated scripts, the signature of a broken ToUnicode map.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from math import gcd

# ----------------------------------------------------------------------------- mojibake


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, ... are undefined: Windows passes them through
        return chr(byte)


# Continuation bytes as Windows-1252 shows them, plus as Latin-1 (C1 controls) shows them.
_CONT = "".join(re.escape(_cp1252_char(b) + chr(b)) for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
)
# Two-byte sequences decode to U+0080..U+07FF; accept only the blocks real text uses
# (Latin, Greek, Cyrillic, Hebrew, Arabic) so that e.g. German "ß»" is left alone.
_TWO_BYTE_OK = ((0x00A0, 0x024F), (0x0370, 0x052F), (0x0590, 0x06FF))


def _to_bytes(chars: str) -> bytes:
    return bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0] for c in chars)


def _plausible(decoded: str) -> bool:
    if unicodedata.category(decoded)[0] == "C":
        return False
    if ord(decoded) < 0x800:
        return any(lo <= ord(decoded) <= hi for lo, hi in _TWO_BYTE_OK)
    return True


def repair_mojibake(text: str) -> tuple[str, int]:
    """Undo UTF-8 that was decoded as Windows-1252 ('Ã©' → 'é'), sequence by sequence.

    A sequence is only replaced when its bytes form valid UTF-8 for a plausible
    character, so ordinary accented text ('café', 'Größe') is never touched.
    """
    fixed = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal fixed
        try:
            decoded = _to_bytes(match.group()).decode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError):
            return match.group()
        if not _plausible(decoded):
            return match.group()
        fixed += 1
        return decoded

    return _MOJIBAKE.sub(swap, text), fixed


# --------------------------------------------------------------------- characters & space

_TO_SPACE = "\t\r\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
    "\u202f\u205f\u3000"
_TO_NEWLINE = "\f\v\x1c\x1d\x1e\x85\u2028\u2029"
# Invisible format characters; ZWJ/ZWNJ stay (emoji sequences, Persian).
_DROP = "\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069" \
    "\ufeff\u180e"
_TABLE = str.maketrans(
    {**dict.fromkeys(_TO_SPACE, " "), **dict.fromkeys(_TO_NEWLINE, "\n"),
     **dict.fromkeys(_DROP, None), "\u2010": "-", "\u2011": "-"}
)
_SOFT_HYPHEN_PAIR = re.compile("[-\u2010\u2011]\u00ad[-\u2010\u2011]")


def normalise_chars(text: str) -> tuple[str, int, int]:
    """NFC, unify spaces/newlines, drop invisible, private-use and control characters.

    Returns ``(text, icons_dropped, controls_dropped)``: icon glyphs (Private Use
    Area) are harmless; dropped controls and surrogates are a sign of garbage.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    text = _SOFT_HYPHEN_PAIR.sub("-", text)  # Quartz writes "on-\xad‐campus"
    text = text.translate(_TABLE)
    icons = controls = 0
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Co":
            icons += 1
        elif (category == "Cc" and char != "\n") or category == "Cs":
            controls += 1
        else:
            kept.append(char)
    return "".join(kept), icons, controls


_SPACES = re.compile(" {2,}")
_BLANKS = re.compile("\n{3,}")


def tidy_whitespace(text: str) -> str:
    """Collapse space runs, trim every line, keep at most one blank line in a row."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------- fake bold

_WORD = re.compile(r"\w{2,}")


def _bold_runs(word: str) -> list[tuple[int, int, int]]:
    """``(first_group, end_group, factor)`` for stretches where every glyph repeats.

    A stretch is >= 2 consecutive glyph groups whose counts share a factor
    n >= 3, or n == 2 over >= 4 groups (so 'committee', 'bookkeeper', '1100'
    and Chinese AABB reduplication like '高高兴兴' survive).
    """
    counts = [len(list(group)) for _, group in groupby(word)]
    runs: list[tuple[int, int, int]] = []
    start = 0
    while start < len(counts):
        end = start
        factor = 0
        while end < len(counts) and counts[end] >= 2:
            factor = gcd(factor, counts[end])
            end += 1
        size = end - start
        if (factor >= 3 and size >= 2) or (factor == 2 and size >= 4):
            runs.append((start, end, factor))
        start = max(end, start + 1)
    return runs


def _merge_word(word: str, allow_digits: bool) -> tuple[str, int]:
    groups = [(char, len(list(group))) for char, group in groupby(word)]
    runs = [
        run for run in _bold_runs(word)
        if allow_digits or any(char.isalpha() for char, _ in groups[run[0]:run[1]])
    ]
    if not runs:
        return word, 0
    out: list[str] = []
    index = 0
    for start, end, factor in runs:
        out.extend(char * count for char, count in groups[index:start])
        out.extend(char * (count // factor) for char, count in groups[start:end])
        index = end
    out.extend(char * count for char, count in groups[index:])
    return "".join(out), len(runs)


def merge_fake_bold(text: str) -> tuple[str, int]:
    """Collapse glyphs duplicated by overprinted bold: '学学学位位位' → '学位'.

    Stretches must contain a letter; pure digit stretches ('222000111888')
    are merged only when the document already shows >= 2 lettered ones, so
    a lone number like '111000' is never touched.
    """
    letter_runs = sum(_merge_word(m.group(), False)[1] for m in _WORD.finditer(text))
    allow_digits = letter_runs >= 2
    merged = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal merged
        word, count = _merge_word(match.group(), allow_digits)
        merged += count
        return word

    return _WORD.sub(swap, text), merged


# ------------------------------------------------------------------------------ quality

# Name prefixes that are not scripts (modifiers, styled forms) are not counted.
_NOT_SCRIPTS = frozenset({
    "", "COMBINING", "MODIFIER", "FULLWIDTH", "HALFWIDTH", "SMALL", "MATHEMATICAL",
    "CIRCLED", "PARENTHESIZED", "SQUARED", "NEGATIVE", "SUPERSCRIPT", "SUBSCRIPT",
})
_SCRIPT_ALIASES = {"KATAKANA-HIRAGANA": "KATAKANA", "IDEOGRAPHIC": "CJK"}


def _script(char: str) -> str:
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return "" if word in _NOT_SCRIPTS else _SCRIPT_ALIASES.get(word, word)


def garble_ratio(text: str, dropped_controls: int = 0) -> float:
    """Share of non-space characters that real text would not contain.

    Counts unassigned code points, U+FFFD, combining marks with no base letter,
    dropped controls, and, when letters come from >= 5 scripts, every letter
    outside the 4 most used (a CV mixes Latin with one or two scripts; a broken
    CJK font map sprays Thai, Tibetan, Georgian...).
    """
    bad = dropped_controls
    scripts: Counter[str] = Counter()
    orphan_ok = True  # a combining mark here would have no base letter
    for char in text:
        category = unicodedata.category(char)
        orphan = category == "Mn" and orphan_ok
        if category == "Cn" or char == "\ufffd" or orphan:
            bad += 1
        elif category[0] == "L" or category == "Mn":
            scripts[_script(char)] += 1
        orphan_ok = orphan or char.isspace()
    scripts.pop("", None)
    if len(scripts) >= 5:
        bad += sum(count for _, count in scripts.most_common()[4:])
    visible = sum(1 for char in text if not char.isspace()) + dropped_controls
    return bad / visible if visible else 0.0


@dataclass(frozen=True)
class Cleaned:
    """Clean text plus what the cleanup had to do (for warnings)."""

    text: str
    mojibake_fixed: int = 0
    bold_merged: int = 0
    icons_dropped: int = 0
    controls_dropped: int = 0


def clean_text(raw: str) -> Cleaned:
    """Apply every rule in the order that keeps them independent."""
    text, mojibake = repair_mojibake(raw.replace("\r\n", "\n"))
    text, icons, controls = normalise_chars(text)
    text, bold = merge_fake_bold(text)
    return Cleaned(tidy_whitespace(text), mojibake, bold, icons, controls)


GARBLED_AT = 0.05
MIN_CHARS_PER_PAGE = 200


def quality_warnings(cleaned: Cleaned, pages: int) -> list[str]:
    """Plain sentences about anything the reader should double-check.

    ``pages`` is the number of PDF pages the text came from; 0 for text files
    and pasted text, where "little text" cannot mean scanned pages.
    """
    notes: list[str] = []
    chars = len(cleaned.text)
    ratio = garble_ratio(cleaned.text, cleaned.controls_dropped)
    if ratio >= GARBLED_AT and chars:
        notes.append(
            f"The text looks garbled ({ratio:.0%} of characters are unlikely symbols): the PDF's "
            "font mapping is probably broken. Check the text, or paste it from another source."
        )
    if cleaned.mojibake_fixed:
        notes.append(
            f"Repaired {cleaned.mojibake_fixed} wrongly encoded character(s) (e.g. 'Ã©' → 'é'); "
            "check names and accents."
        )
    if cleaned.bold_merged:
        notes.append(
            f"Merged {cleaned.bold_merged} word(s) whose letters were printed several times "
            "(fake bold, e.g. '学学学位位位' → '学位')."
        )
    if chars < MIN_CHARS_PER_PAGE * max(pages, 1):
        notes.append(_little_text(chars, pages))
    return notes


def _little_text(chars: int, pages: int) -> str:
    if pages <= 0:  # typed or pasted text: no scans to blame
        return f"Very little text: {chars} characters is short for a CV; check that it is complete."
    return (
        f"Very little text: {chars} characters from {pages} page(s). Parts of the CV may be "
        "images or scans; check the text below or paste it instead."
    )
