"""A kit from request to record: the run, its stream, the parser, the data, the pipeline."""

from interviewkit.kit.model import STATUS_TEXT, Kit, Question, Status
from interviewkit.kit.run import KitRun

__all__ = ["STATUS_TEXT", "Kit", "KitRun", "Question", "Status"]
