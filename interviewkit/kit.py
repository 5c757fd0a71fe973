"""A generated interview kit as data: what was asked, what came back, and the questions.

The model streams Markdown; history, search and the DOCX/PDF/JSON exports need
structure.  :func:`parse_kit` turns the text into :class:`Question` objects and is
deliberately forgiving - a stream cut mid-word, ``### Question 1:`` headings, bold
questions, missing follow-ups, Korean - because a kit a recruiter already waited
for must never be lost to a format quirk.  The raw text always stays on the
:class:`Kit`, so nothing the parser could not place is thrown away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interviewkit.cv import CVText
    from interviewkit.generation import KitRun

UNKNOWN_CANDIDATE = "Unknown candidate"


@dataclass
class Question:
    """One interview question with what a strong answer contains and a follow-up."""

    number: int
    text: str
    listen_for: list[str] = field(default_factory=list)
    follow_up: str | None = None


@dataclass
class Kit:
    """Everything about one generation that is worth keeping (never an API key)."""

    candidate: str
    cv_name: str
    cv_sha256: str
    cv_text: str
    job_description: str
    prompt_name: str
    prompt_key: str
    prompt_text: str
    inputs: dict[str, object]
    provider: str
    model: str
    status: str  # "done" | "stopped" | "failed" (see generation.STATUS_TEXT)
    partial: bool
    markdown: str
    questions: list[Question] = field(default_factory=list)
    error: str | None = None
    elapsed_s: float | None = None
    ttft_s: float | None = None
    tokens: int = 0
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    cv_file: bytes | None = None  # the uploaded file, only when the user opted in
    id: int | None = None

    @property
    def role(self) -> str:
        """The role interviewed for: the job description's first line, if any."""
        for line in self.job_description.splitlines():
            line = line.strip().strip("#*").strip()
            if line:
                return line[:120]
        return ""


_GENERIC_HEADINGS = re.compile(
    r"^(curriculum\s+vitae|resume|résumé|cv|profile|contact|summary|이력서|자기소개서|경력기술서)$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"[@/\\:|]|https?|www\.|\d{3,}")


def guess_candidate(cv_text: str, cv_name: str = "") -> str:
    """A label for the candidate from the CV's first lines (the user can edit it).

    CVs usually open with the name; we take the first short line that is not a
    heading like "Curriculum Vitae" and has no e-mail, URL or phone number, then
    fall back to the file name.
    """
    for raw in cv_text.splitlines()[:8]:
        line = raw.strip().strip("#*_ ").strip()
        if not line or _GENERIC_HEADINGS.match(line) or _NOT_A_NAME.search(line):
            continue
        words = line.split()
        if 1 <= len(words) <= 5 and len(line) <= 60:
            return line
    stem = PurePath(cv_name).stem if cv_name else ""
    stem = re.sub(r"[_\-.]+", " ", stem).strip()
    if stem and stem.casefold() not in {"pasted text", "cv", "resume"}:
        return stem[:60]
    return UNKNOWN_CANDIDATE


# --- parsing -----------------------------------------------------------------

_NUM = r"(?:question|q|질문|문항)?\s*#?\s*(\d{1,3})(?!\d)\s*번?\s*[.):：\-–—]?"
_HEADING_RE = re.compile(rf"^#{{1,6}}\s*(?:\*\*|__)?\s*(?:{_NUM})?\s*(.*)$", re.IGNORECASE)
_BOLD_NUM_RE = re.compile(rf"^(?:\*\*|__)\s*{_NUM}\s*(.*)$", re.IGNORECASE)
_PLAIN_NUM_RE = re.compile(r"^(\d{1,3})\s*[.)]\s+(.+)$")
_LABEL_RE = re.compile(
    r"^[-*•]?\s*(?:\*\*|__)?\s*(?P<label>what\s+to\s+listen\s+for|listen(?:ing)?\s+for|"
    r"look\s+for|assessment(?:\s+points)?|evaluation(?:\s+points)?|평가\s*포인트|"
    r"평가\s*기준|확인할\s*점|follow[\s-]*up(?:\s+question)?|후속\s*질문|추가\s*질문)"
    r"\s*(?:\*\*|__)?\s*(?:[:：]\s*(?:\*\*|__)?\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
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


def _is_follow_label(label: str) -> bool:
    return label.casefold().startswith(("follow", "후속", "추가"))


@dataclass
class _Parser:
    """Line-by-line state machine: which question, and which part of it, we are in."""

    questions: list[Question] = field(default_factory=list)
    section: str = "text"  # "text" | "listen" | "follow"
    numbered_bullets: bool = False

    @property
    def current(self) -> Question | None:
        return self.questions[-1] if self.questions else None

    def start(self, number: int | None, text: str) -> None:
        if number is None:
            number = (self.current.number + 1) if self.current else 1
        self.questions.append(Question(number=number, text=_clean(text)))
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
        if _is_follow_label(label):
            self.section = "follow"
            cur.follow_up = _clean(rest) or cur.follow_up or None
        else:
            self.section = "listen"
            if rest.strip():
                cur.listen_for.append(_clean(rest))

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
        elif self.section == "follow":
            cur.follow_up = f"{cur.follow_up or ''} {_clean(line)}".strip()
        else:
            cur.text = f"{cur.text} {_clean(line)}".strip()

    def feed(self, raw: str) -> None:
        line = raw.strip()
        if not line or _RULE_RE.match(line):
            return
        labelled = _LABEL_RE.match(line)
        if labelled:
            self.label(labelled.group("label"), labelled.group("rest") or "")
            return
        start = self.question_start(line)
        if start is not None:
            self.start(*start)
        elif not line.startswith("#"):  # a section title, not a question: skip it
            self.add_text(line)


def parse_kit(markdown: str) -> list[Question]:
    """The questions found in a (possibly partial or oddly formatted) streamed kit."""
    parser = _Parser()
    for line in markdown.replace("\r\n", "\n").split("\n"):
        parser.feed(line)
    return [q for q in parser.questions if q.text or q.listen_for or q.follow_up]


# --- from a finished generation ---------------------------------------------

def prompt_text_of(run: KitRun) -> str:
    """The exact text sent to the model, message by message."""
    return "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in run.messages)


def kit_from_run(run: KitRun, cv: CVText, job_description: str = "", *,
                 prompt_text: str | None = None, partial: bool | None = None,
                 candidate: str | None = None, cv_file: bytes | None = None) -> Kit:
    """Freeze a :class:`KitRun` into a :class:`Kit` ready to store or export."""
    rec = run.recorder
    status = "stopped" if run.status in {"running", "pending"} else run.status
    return Kit(
        candidate=candidate or guess_candidate(cv.text, cv.filename),
        cv_name=cv.filename, cv_sha256=cv.digest, cv_text=cv.text,
        job_description=job_description, prompt_name=run.prompt_name,
        prompt_key=run.prompt_key,
        prompt_text=prompt_text if prompt_text is not None else prompt_text_of(run),
        inputs=dict(run.values), provider=run.provider_label, model=run.model,
        status=status, partial=(status != "done") if partial is None else partial,
        markdown=run.text, questions=parse_kit(run.text), error=run.error,
        elapsed_s=rec.elapsed_s, ttft_s=rec.ttft_s, tokens=rec.approx_tokens,
        created=run.created, cv_file=cv_file,
    )
