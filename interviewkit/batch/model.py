"""A batch's words: where one CV is (:class:`ItemStatus`), what every CV is asked with
(:class:`Request`), and the line the page and the CLI show for it (:class:`Row`)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from interviewkit.config import Limits
from interviewkit.errors import KitError
from interviewkit.kit.model import Kit
from interviewkit.promptfiles.render import resolve_inputs
from interviewkit.promptfiles.schema import PromptSpec


class ItemStatus(enum.StrEnum):
    """Where one CV of a batch is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"
    STOPPED = "stopped"

    @property
    def ended(self) -> bool:
        return self not in {ItemStatus.QUEUED, ItemStatus.RUNNING}


@dataclass(frozen=True)
class Request:
    """What every CV of the batch is asked with: one prompt, its inputs, one role."""

    prompt: PromptSpec
    values: Mapping[str, object] = field(default_factory=dict)
    job_description: str = ""
    role_id: int | None = None
    model: str | None = None
    planned: bool | None = None  # None: planned when the prompt can plan
    limits: Limits = field(default_factory=Limits)
    skip_done: bool = True  # skip CVs History already has a complete kit of
    frozen: Kit | None = None  # the role's frozen kit: its questions, follow-ups per CV

    def __post_init__(self) -> None:
        object.__setattr__(self, "job_description", self.job_description.strip())

    @property
    def prompt_key(self) -> str:
        """What History files the kits under (a frozen kit keeps its own prompt)."""
        return self.frozen.prompt_key if self.frozen is not None else self.prompt.key

    def inputs(self) -> dict[str, object]:
        """The prompt's inputs as History will store them (defaults filled in): a kit in
        another language or of another length is not "done" for this batch."""
        if self.frozen is not None:
            return dict(self.frozen.inputs)
        try:
            return resolve_inputs(self.prompt, self.values)
        except KitError:
            return dict(self.values)  # the run itself will say what is wrong


@dataclass(frozen=True)
class Row:
    """One candidate's line: a snapshot, safe to read while the batch runs."""

    index: int
    file: str
    status: ItemStatus
    message: str = ""
    candidate: str = ""
    kit_id: int | None = None
    questions: int = 0
    elapsed_s: float | None = None


__all__ = ["ItemStatus", "Request", "Row"]
