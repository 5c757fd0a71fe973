"""The candidate's name, read from a CV's text: the label every page, export and
comparison shows (the recruiter can rename it).

CVs usually open with the name, but not always on a line of its own ("Sourabh Bajaj
Email: …", "John Doe | Resumé title"), not always first (a page number, "Last updated
…", the form title 履歴書, a job title), sometimes after a label (氏名, 이름, Name:),
and a two-column layout can move it to the very end. So every short line near the top
(and the last few) is a candidate; a line is cut at the first separator or contact
label; headings, job titles, dates, contact details and mixed-script mojibake are not
names; and a name that matches the e-mail address's local part ("john.doe@…") wins.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from interviewkit.ingest.headings import heading_kind

TOP, TAIL = 15, 5  # lines looked at from the start, and from the end

_TITLES = re.compile(
    r"(?i)^(curriculum\s*vitae|resume|résumé|resumé|cv|lebenslauf|bewerbung|currículum|"
    r"curriculum|hoja\s*de\s*vida|profile|profil|contact|summary|your\s+name\s+here|"
    r"이력서|자기소개서|경력기술서|履歴書|職務経歴書|简历|個人簡歷|个人简历|履歴)$")
_LABEL = r"(?:name|full\s*name|nombre|nom|氏\s*名|名\s*前|이\s*름|성\s*명|姓\s*名)"
_LABEL_ALONE = re.compile(rf"(?i)^{_LABEL}\s*[:：]?$")
_LABEL_INLINE = re.compile(rf"(?i)^(?:{_LABEL}\s*[:：]|(?:氏|이|성|姓)\s*(?:名|름|명)\s)\s*(.+)$")
_READING = re.compile(r"^(ふりがな|フリガナ)")  # the kana reading above a Japanese name
_CUT = re.compile(r"\s*(?:[|•·–—\t]|--|\s{3,}|\b(?:e-?mail|mobile|phone|tel|cell|"
                  r"address|web|linkedin|github)\b\s*[:：]?|,\s*(?=(?:ph\.?\s?d|mba|md|"
                  r"msc|bsc|cpa|pmp|p\.?e)\b))\s*", re.IGNORECASE)
_NOT_NAME = re.compile(r"[@/\\:：|,;()\[\]{}!?=+#%&*<>]|\d|https?|www\.")
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "del", "la", "le",
                        "bin", "binti", "al", "el", "dos", "du", "ten", "ter", "y"})
_ROLE_WORDS = frozenset({"engineer", "engineering", "developer", "development", "manager",
    "designer", "analyst", "consultant", "scientist", "architect", "chef", "cook",
    "officer", "director", "intern", "internship", "student", "specialist",
    "administrator", "assistant", "coordinator", "lead", "head", "executive",
    "representative", "accountant", "nurse", "teacher", "programmer", "devops", "sre",
    "technician", "associate", "president", "founder", "ceo", "cto", "cfo", "vp", "senior",
    "junior", "principal", "staff", "sous", "banquet", "banquette", "professional",
    "software", "backend", "frontend", "fullstack", "stack", "data", "product", "project",
    "marketing", "sales", "researcher", "lecturer", "professor", "doctor", "candidate",
    "position", "tagline", "title", "objective", "ingenieur", "entwickler", "ingeniero",
    "desarrollador"})
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "DEVANAGARI", "THAI",
            "HANGUL", "CJK", "HIRAGANA", "KATAKANA")
_EAST = frozenset({"HANGUL", "CJK", "HIRAGANA", "KATAKANA"})
_EMAIL = re.compile(r"([A-Za-z][A-Za-z0-9._%+-]*)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_GENERIC_MAILBOX = frozenset({"info", "contact", "job", "jobs", "mail", "hello", "me",
                              "resume", "cv", "hr", "office", "your", "name", "email"})
_FILE_NOISE = re.compile(r"(?i)\b(cv|resume|résumé|lebenslauf|bewerbung|final|draft|"
                         r"updated|new|copy|v\d+|\d+)\b")


def candidate_name(text: str, filename: str = "") -> str | None:
    """The candidate's name, or None when neither the text nor the file name has one."""
    raw = text.splitlines()
    if len(raw) > 8 * (TOP + TAIL):  # a long CV: only its first and last lines are read
        raw = raw[:8 * TOP] + raw[-8 * TAIL:]
    lines = [line for line in map(_clean, raw) if line]
    mailbox = _mailbox_words("\n".join(lines[:TOP]))  # the header's, not a referee's
    best: tuple[float, str] | None = None
    for place, line, bonus in _candidates(lines):
        name = _name_in(line)
        if name is None:
            continue
        spelt = _matches(name, mailbox)
        if place < 0 and not spelt:
            continue  # the end of a CV has referees' names: only the e-mail's own counts
        score = (TOP - place if place >= 0 else 2) + bonus + 8 * spelt
        if best is None or score > best[0]:
            best = (score, name)
    return best[1] if best else _from_file(filename)


def _clean(raw: str) -> str:
    line = unicodedata.normalize("NFKC", raw).strip().strip("#*_ ").strip()
    return re.sub(r"\s+", " ", line)


def _candidates(lines: list[str]) -> list[tuple[int, str, float]]:
    """(position, text, bonus): the top lines, the text after a name label, the last lines."""
    found: list[tuple[int, str, float]] = []
    for i, line in enumerate(lines[:TOP]):
        inline = _LABEL_INLINE.match(line)
        if inline:
            found.append((i, inline.group(1), 10))
        elif _LABEL_ALONE.match(line) and i + 1 < len(lines):
            found.append((i, lines[i + 1], 10))
        elif not _READING.match(line):
            found.append((i, line, 0))
    tail = lines[max(TOP, len(lines) - TAIL):]
    found.extend((-1, line, 0) for line in tail)
    return found


def _name_in(line: str) -> str | None:
    """The name a line opens with, when it opens with one."""
    parts = [p.strip(" .-") for p in _CUT.split(line, maxsplit=2)]
    if len(parts) > 1 and _title(parts[0]):
        parts = parts[1:]  # "Curriculum Vitae – Jane Doe"
    head = parts[0]
    if not head or len(head) > 50 or _NOT_NAME.search(head) or _title(head):
        return None
    scripts = {_script(ch) for ch in head if not ch.isspace() and ch not in ".'’-"}
    if len(scripts - {"HIRAGANA", "KATAKANA", "CJK"}) > 1 or None in scripts:
        return None  # mixed scripts or symbols: mojibake, icons, not a name
    if scripts & _EAST:
        size = len(head.replace(" ", ""))
        return head if 2 <= size <= 8 and head.count(" ") <= 2 else None
    return head if _western(head) else None


def _title(text: str) -> bool:
    """A document title or a section heading, not a person."""
    return bool(_TITLES.match(text) or _TITLES.match(text.replace(" ", ""))
                or heading_kind(text))


def _script(ch: str) -> str | None:
    try:
        first = unicodedata.name(ch).split()[0]
    except ValueError:
        return None
    return first if first in _SCRIPTS and unicodedata.category(ch).startswith("L") else None


def _western(head: str) -> bool:
    words = head.split()
    core = [w for w in words if w.casefold() not in _PARTICLES]
    if not 2 <= len(words) <= 5 or not core:
        return False  # one word alone is a heading, a skill or a handle far more often
    if any(w.strip(".").casefold() in _ROLE_WORDS for w in words):
        return False
    return all(w[0].isupper() for w in core) and any(len(w.strip(".")) > 1 for w in core)


def _mailbox_words(text: str) -> set[str]:
    words: set[str] = set()
    for local in _EMAIL.findall(text)[:2]:
        parts = {p for p in re.split(r"[._+\-\d]+", local.casefold()) if len(p) > 1}
        words |= parts - _GENERIC_MAILBOX
    return words


def _fold(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in plain if ch.isalnum() and not unicodedata.combining(ch))


def _matches(name: str, mailbox: set[str]) -> bool:
    """Whether the e-mail's local part spells this name (john.doe, jdoe, sourabh)."""
    if not mailbox:
        return False
    words = [_fold(w) for w in name.split() if _fold(w)]
    joined = "".join(mailbox)
    return any(w in mailbox or (len(w) > 2 and w in joined) for w in words)


def _from_file(filename: str) -> str | None:
    """``jane_doe-cv-2024.pdf`` → "Jane Doe", if what is left looks like a name."""
    stem = re.sub(r"[_\-.]+", " ", PurePath(filename).stem if filename else "")
    stem = re.sub(r"\s+", " ", _FILE_NOISE.sub(" ", stem)).strip()
    if not stem:
        return None
    named = stem.title() if stem.islower() or stem.isupper() else stem
    if not 2 <= len(named.split()) <= 3:
        return None  # "altacv sample two column" is a file's name, not a person's
    return named if _name_in(named) == named else None
