"""The one parser of kit Markdown: streamed sections, the question cap, and Questions.

Every question is a ``### N.`` section.  :func:`split_sections` cuts a stream at
each ``### `` heading so every question streams into its own element
(``st.write_stream`` re-sends its element's whole text on every update, and a
settled question then never travels again); :func:`at_most_questions` stops a
model that writes more questions than asked; :func:`parse_kit` turns finished
(or cut) text into :class:`~interviewkit.kit.model.Question` objects (rating
guide included: a ``**Rating:**`` line, then ``- 1: …``, ``- 3: …``, ``- 5: …``),
with the line each part came from, for history, exports and the fair-hiring guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from interviewkit.kit.grammar import LEVELS
from interviewkit.kit.model import Question
from interviewkit.kit.stream import close_quietly

HEADING = "### "
_NUMBERED = re.compile(r"### \D{0,12}\d")


def paragraphs(chunks: Iterable[str]) -> Iterator[str]:
    """Start a new paragraph at each line that opens with bold (``**Follow-up:**``).

    Models write the follow-up on the line right after a bullet, which Markdown
    folds into that bullet.  A line break and a ``*`` at the end of a chunk wait
    for the next chunk; nothing else is held back.
    """
    pending = ""
    for chunk in chunks:
        text = pending + chunk
        cut = len(text) - (2 if text.endswith("\n*") else 1 if text.endswith("\n") else 0)
        text, pending = text[:cut], text[cut:]
        if text:
            yield text.replace("\n**", "\n\n**")
    if pending:
        yield pending


class _Events:
    """Turns chunks into text pieces and section breaks (``None``).

    A heading is recognised only at a line start; the few characters that
    could still become ``### `` wait for the next chunk, nothing else does.
    """

    def __init__(self) -> None:
        self.pending: str | None = ""  # text at a line start that may become a heading
        self.has_text = False  # the current section holds more than white space

    def feed(self, chunk: str) -> Iterator[str | None]:
        out: list[str] = []
        for ch in chunk:
            if self.pending is None:
                out.append(ch)
                self.has_text = self.has_text or not ch.isspace()
                if ch == "\n":
                    self.pending = ""
                continue
            self.pending += ch
            if HEADING.startswith(self.pending):
                if self.pending == HEADING:
                    if self.has_text:
                        yield "".join(out)
                        yield None
                        out = []
                    out.append(HEADING)
                    self.pending, self.has_text = None, True
                continue
            out.append(self.pending)
            self.has_text = self.has_text or not self.pending.isspace()
            self.pending = "" if ch == "\n" else None
        if out:
            yield "".join(out)

    def flush(self) -> Iterator[str | None]:
        if self.pending:
            yield self.pending
        self.pending = None


def _events(chunks: Iterable[str]) -> Iterator[str | None]:
    state = _Events()
    for chunk in chunks:
        yield from (e for e in state.feed(chunk) if e != "")
    yield from state.flush()


def _section(first: str, events: Iterator[str | None]) -> Iterator[str]:
    yield first
    for event in events:
        if event is None:
            return
        yield event


def split_sections(chunks: Iterable[str]) -> Iterator[Iterator[str]]:
    """Yield one chunk stream per ``### `` section (text before the first heading
    is its own section).  Each section is drained before the next one starts."""
    events = _events(chunks)
    for event in events:
        if event is None:
            continue
        section = _section(event, events)
        yield section
        for _ in section:  # whatever the consumer left of this section
            pass


def at_most_questions(chunks: Iterable[str], limit: int) -> Iterator[str]:
    """Pass text through until a numbered heading beyond ``limit`` starts, then stop.

    Small models often write more questions than asked; stopping early saves
    their time and the recruiter's.  Closing this closes ``chunks``.
    """
    source = iter(chunks)
    seen = 0
    try:
        for section in split_sections(source):
            read: list[str] = []
            try:
                _read_head(section, read)
            except BaseException:
                if read:
                    yield "".join(read)  # what arrived before a failure is kept
                raise
            head = "".join(read)
            if _NUMBERED.match(head):
                seen += 1
                if seen > limit:
                    return
            yield head
            yield from section
    finally:
        close_quietly(source)


def _read_head(section: Iterator[str], read: list[str]) -> None:
    """Read the start of a section until it is clear whether it is a numbered heading."""
    head = ""
    for chunk in section:
        read.append(chunk)
        head += chunk
        if (not head.startswith(HEADING[:len(head)]) or _NUMBERED.match(head)
                or "\n" in head or len(head) >= len(HEADING) + 16):
            return  # decided: not a heading at all, a numbered one, or an unnumbered one


def sections(text: str) -> list[str]:
    """The same split for finished text (a rerun shows a kept kit the same way)."""
    return ["".join(part) for part in split_sections([text])]


# --- parsing -----------------------------------------------------------------

_NUM = r"(?:question|q|질문|문항)?\s*#?\s*(\d{1,3})(?!\d)\s*번?\s*[.):：\-–—]?"
_HEADING_RE = re.compile(rf"^#{{1,6}}\s*(?:\*\*|__)?\s*(?:{_NUM})?\s*(.*)$", re.IGNORECASE)
_BOLD_NUM_RE = re.compile(rf"^(?:\*\*|__)\s*{_NUM}\s*(.*)$", re.IGNORECASE)
_PLAIN_NUM_RE = re.compile(r"^(\d{1,3})\s*[.)]\s+(.+)$")
_LABEL_RE = re.compile(
    r"^[-*•]?\s*(?:\*\*|__)?\s*(?P<label>what\s+to\s+listen\s+for|listen(?:ing)?\s+for|"
    r"look\s+for|assessment(?:\s+points)?|evaluation(?:\s+points)?|평가\s*포인트|"
    r"평가\s*기준|확인할\s*점|follow[\s-]*ups?(?:\s+questions?)?|후속\s*질문|추가\s*질문|꼬리\s*질문|"
    r"based\s+on|evidence|근거|covers|requirement|요건|rating(?:\s+(?:guide|scale|anchors?))?|"
    r"scoring(?:\s+guide)?|score\s+guide|평가\s*척도|채점\s*기준|점수\s*기준|평점)"
    r"\s*(?:[(（][^)）\n]{0,30}[)）])?"  # "Rating (1-5):"
    r"\s*(?:\*\*|__)?\s*(?:[:：]\s*(?:\*\*|__)?\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
# One anchor of a rating guide: "- 1: …", "**5** — …", "- 3점: …", "1 (weak) = …", "Weak: …"
_LEVEL_OF = dict.fromkeys(("weak", "poor", "low", "미흡", "부족", "약함"), 1) | dict.fromkeys(
    ("average", "adequate", "fair", "mixed", "medium", "보통", "중간"), 3) | dict.fromkeys(
    ("strong", "excellent", "great", "high", "outstanding", "우수", "탁월", "강함"), 5)
_ANCHOR_RE = re.compile(
    r"^(?:[-*•+]\s*)?(?:\*\*|__)?\s*(?:(?:score|rating|점수)\s*)?(?:(?P<n>[1-5])\s*"
    r"(?:점|/\s*5|out\s+of\s+5)?(?:\s*[(（][^)）]{1,20}[)）])?"
    rf"|(?P<word>{'|'.join(_LEVEL_OF)})(?!\w)(?:\s*[(（]\s*(?P<wn>[1-5])\s*점?\s*[)）])?)"
    r"\s*(?:\*\*|__)?\s*(?:[:：=.)\]\-–—]|(?<=점)\s)\s*(?:\*\*|__)?\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
_INLINE_ANCHOR_RE = re.compile(r"(?:^|(?<=[\s;|,/]))([1-5])\s*[:：=]\s*(.+?)(?=\s*[;|,/]?\s+[1-5]"
                               r"\s*[:：=]|$)")  # "**Rating:** 1: …; 3: …; 5: …" on one line
_BULLET_RE = re.compile(r"^(?:[-*•+]|(\d{1,2})[.)])(?:\s+(.*))?$")
_RULE_RE = re.compile(r"^(?:[-*_]\s*){3,}$")


def _clean(text: str) -> str:
    """Drop emphasis markers around a fragment; keep everything else."""
    text = text.strip()
    text = re.sub(r"^(?:\*\*|__)+|(?:\*\*|__)+$", "", text).strip()
    return text.replace("**", "").strip()


def _looks_like_question(title: str) -> bool:
    """An unnumbered heading is a question only if it reads like one (not "## Kit for X")."""
    text = _clean(title)
    return text.endswith(("?", "？")) or bool(re.match(r"(question|질문)\b", text, re.I))


def _label_kind(label: str) -> str:
    """Which part of a question a label starts: listen, follow, evidence, covers or rating."""
    folded = label.casefold()
    if folded.startswith(("follow", "후속", "추가", "꼬리")):
        return "follow"
    if folded.startswith(("based", "evidence", "근거")):
        return "evidence"
    if folded.startswith(("covers", "requirement", "요건")):
        return "covers"
    if folded.startswith(("rating", "scor", "채점", "점수", "평점")) or "척도" in folded:
        return "rating"
    return "listen"


@dataclass
class _Parser:
    """Line-by-line state machine: which question, and which part of it, we are in."""

    questions: list[Question] = field(default_factory=list)
    lines: list[list[int | None]] = field(default_factory=list)  # [question line, follow-up line]
    guides: list[dict[int, str]] = field(default_factory=list)  # each question's anchors
    rating_lines: list[list[int]] = field(default_factory=list)  # and the lines they came from
    section: str = "text"  # "text" | "listen" | "follow" | "evidence" | "covers" | "rating"
    numbered_bullets: bool = False
    line_no: int = 0

    @property
    def current(self) -> Question | None:
        return self.questions[-1] if self.questions else None

    def start(self, number: int | None, text: str) -> None:
        if number is None:
            number = (self.current.number + 1) if self.current else 1
        self.questions.append(Question(number=number, text=_clean(text)))
        self.lines.append([self.line_no if text.strip() else None, None])
        self.guides.append({})
        self.rating_lines.append([])
        self.section, self.numbered_bullets = "text", False

    def question_start(self, line: str) -> tuple[int | None, str] | None:
        heading = _HEADING_RE.match(line)
        if heading:
            if heading.group(1):
                return int(heading.group(1)), heading.group(2)
            title = heading.group(2)
            return (None, title) if _looks_like_question(title) else None
        bold = _BOLD_NUM_RE.match(line)
        if bold:
            return int(bold.group(1)), bold.group(2)
        plain = _PLAIN_NUM_RE.match(line)
        if plain and self._plain_starts_question(int(plain.group(1))):
            return int(plain.group(1)), plain.group(2)
        return None

    def _plain_starts_question(self, number: int) -> bool:
        """A bare "2. …" is a new question unless it reads as a numbered assessment point."""
        cur = self.current
        if cur is None or self.section != "listen":
            return True
        return number == cur.number + 1 and not self.numbered_bullets

    def label(self, label: str, rest: str) -> None:
        cur = self.current
        if cur is None:
            self.start(None, "")
            cur = self.current
            assert cur is not None
        kind = _label_kind(label)
        if kind == "follow":
            self.section = "follow"
            cur.follow_up = _clean(rest) or cur.follow_up or None
            if self.lines[-1][1] is None:
                self.lines[-1][1] = self.line_no
        elif kind in ("evidence", "covers"):
            self.section = kind
            setattr(cur, kind, _clean(rest) or None)
        elif kind == "rating":
            self.section = "rating"
            self.rating_lines[-1].append(self.line_no)
            for level, text in _INLINE_ANCHOR_RE.findall(_clean(rest)):
                self.anchor(int(level), text)
        else:
            self.section = "listen"
            if rest.strip():
                cur.listen_for.append(_clean(rest))

    def anchor(self, level: int, text: str) -> bool:
        """One anchor, unless it breaks the order (1, 3, 5 or 5, 3, 1): a "**2. …**" after a
        whole guide is the next question, not a level 2."""
        guide, seen = self.guides[-1], list(self.guides[-1])
        if level in guide or (len(seen) > 1 and (level > seen[-1]) != (seen[1] > seen[0])):
            return False
        guide[level] = _clean(text)
        self.rating_lines[-1].append(self.line_no)
        return True

    def rating_text(self, line: str) -> bool:
        """A line of the guide: an anchor, or the continuation of the last one."""
        match, guide = _ANCHOR_RE.match(line), self.guides[-1]
        if line.rstrip("*_ ").endswith(("?", "？")):
            return False  # the next question, unnumbered
        if match:
            level = match["n"] or match["wn"] or _LEVEL_OF[match["word"].casefold()]
            return self.anchor(int(level), match["rest"])
        if not guide or self.question_start(line):
            return False
        last = list(guide)[-1]
        guide[last] = f"{guide[last]} {_clean(line)}"
        self.rating_lines[-1].append(self.line_no)
        return True

    def add_text(self, line: str) -> None:
        cur = self.current
        if cur is None:
            return  # preamble before the first question: kept in the raw text only
        if self.section == "listen":
            bullet = _BULLET_RE.match(line)
            if bullet:
                self.numbered_bullets = self.numbered_bullets or bullet.group(1) is not None
                if bullet.group(2):  # an empty "- " is where a cut stream stopped
                    cur.listen_for.append(_clean(bullet.group(2)))
            elif cur.listen_for:
                cur.listen_for[-1] = f"{cur.listen_for[-1]} {_clean(line)}".strip()
            else:
                cur.listen_for.append(_clean(line))
        elif self.section == "rating":
            return  # text before the guide's first anchor: kept in the raw text only
        elif self.section in ("follow", "evidence", "covers"):
            field = "follow_up" if self.section == "follow" else self.section
            setattr(cur, field, f"{getattr(cur, field) or ''} {_clean(line)}".strip())
        else:
            cur.text = f"{cur.text} {_clean(line)}".strip()
            if self.lines[-1][0] is None:
                self.lines[-1][0] = self.line_no

    def feed(self, raw: str) -> None:
        line = raw.strip()
        if not line or _RULE_RE.match(line):
            return
        labelled = _LABEL_RE.match(line)
        if labelled:
            self.label(labelled.group("label"), labelled.group("rest") or "")
            return
        if self.section == "rating" and not line.startswith("#") and self.rating_text(line):
            return
        start = self.question_start(line)
        if start is not None:
            self.start(*start)
        elif not line.startswith("#"):  # a section title, not a question: skip it
            self.add_text(line)


@dataclass(frozen=True)
class Located:
    """A parsed question and the 1-based lines its question and follow-up came from."""

    question: Question
    line: int | None
    follow_up_line: int | None
    rating_lines: tuple[int, ...] = ()


def parse_questions(markdown: str) -> list[Located]:
    """:func:`parse_kit` with line numbers (the fair-hiring lint cites them)."""
    parser = _Parser()
    for number, line in enumerate(markdown.replace("\r\n", "\n").split("\n"), 1):
        parser.line_no = number
        parser.feed(line)
    for q, guide in zip(parser.questions, parser.guides, strict=True):  # none, or all three
        q.rating = [guide[n] for n in LEVELS] if set(LEVELS) <= set(guide) else []
    found = zip(parser.questions, parser.lines, parser.rating_lines, strict=True)
    return [Located(q, where[0], where[1], tuple(rated)) for q, where, rated in found
            if q.text or q.listen_for or q.follow_up]


def parse_kit(markdown: str) -> list[Question]:
    """The questions found in a (possibly partial or oddly formatted) streamed kit.

    Deliberately forgiving - a stream cut mid-word, ``### Question 1:`` headings,
    bold questions, missing follow-ups, Korean - because a kit a recruiter
    already waited for must never be lost to a format quirk.
    """
    return [item.question for item in parse_questions(markdown)]


def looks_like_kit(text: str) -> bool:
    """True when text has kit structure (a ``###`` heading or a follow-up label line)."""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("###"):
            return True
        labelled = _LABEL_RE.match(line)
        if labelled and _label_kind(labelled.group("label")) == "follow":
            return True
    return False
