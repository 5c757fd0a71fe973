"""A kit from request to record: the run, its stream, the parser, the data, the pipeline."""

from interviewkit.kit.model import Kit, Question
from interviewkit.kit.run import STATUS_TEXT, KitRun, Status

__all__ = ["STATUS_TEXT", "Kit", "KitRun", "Question", "Status"]
