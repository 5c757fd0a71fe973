"""A generated interview kit as data: what was asked, what came back, and the questions.

The model streams Markdown; history, search and the DOCX/PDF/JSON exports need
structure.  The parser (:func:`interviewkit.kit.sections.parse_kit`) fills
:class:`Question` objects; the raw text always stays on the :class:`Kit`, so
nothing the parser could not place is thrown away.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime

from interviewkit.ingest.name import candidate_name


class Status(enum.StrEnum):
    """How far a run got; stored as its string value in History."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    STOPPED = "stopped"
    FAILED = "failed"

    @property
    def text(self) -> str:
        return STATUS_TEXT[self]

    @property
    def ended(self) -> bool:
        return self in {Status.DONE, Status.STOPPED, Status.FAILED}


class Visibility(enum.StrEnum):
    """Who besides its owner sees a kit: the whole team, or only those it is shared with."""

    TEAM = "team"
    PRIVATE = "private"


STATUS_TEXT: dict[str, str] = {
    Status.PENDING: "Not started",
    Status.RUNNING: "Generating…",
    Status.DONE: "Complete",
    Status.STOPPED: "Stopped — partial kit kept",
    Status.FAILED: "Failed",
}


UNKNOWN_CANDIDATE = "Unknown candidate"


@dataclass
class Question:
    """One interview question with what a strong answer shows, a follow-up, and its grounds.

    ``evidence`` is the CV passage the question stands on ("Based on:"), ``covers`` the job
    requirement it probes; ``evidence_found`` is the check against the CV text (None when
    there is no evidence to check), a guard against invented facts whatever model wrote it.
    """

    number: int
    text: str
    listen_for: list[str] = field(default_factory=list)
    follow_up: str | None = None
    evidence: str | None = None
    covers: str | None = None
    evidence_found: bool | None = None
    rating: list[str] = field(default_factory=list)  # anchors for a 1, a 3 and a 5 answer


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
    status: Status  # how the generation ended: done, stopped or failed
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
    requirements: list[str] = field(default_factory=list)  # the job's, for coverage
    owner: str = ""  # the signed-in user who made it ("" in open mode and for old kits)
    visibility: Visibility = field(default_factory=lambda: Visibility.TEAM)
    role_id: int | None = None  # the role (job) it was made for, if any

    @property
    def role(self) -> str:
        """The role interviewed for: the job description's first line, if any."""
        for line in self.job_description.splitlines():
            line = line.strip().strip("#*").strip()
            if line:
                return line[:120]
        return ""


def guess_candidate(cv_text: str, cv_name: str = "") -> str:
    """A label for the candidate (the user can edit it): the name the CV gives
    (:func:`interviewkit.ingest.name.candidate_name`), else the file's, else unknown."""
    return candidate_name(cv_text, cv_name) or UNKNOWN_CANDIDATE
