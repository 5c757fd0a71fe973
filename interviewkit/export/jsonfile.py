"""A kit as JSON (``interviewkit.kit/2``), and back (``/1`` too), for scripts."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from interviewkit.errors import ExportError
from interviewkit.kit.model import Kit, Question, Status

JSON_SCHEMA = "interviewkit.kit/2"  # /2: questions carry evidence, covers, evidence_found
# and, optionally, "rating": [a 1, a 3, a 5 answer] (files written before it still read back)
READABLE = ("interviewkit.kit/1", JSON_SCHEMA)
_QUESTION_FIELDS = set(Question.__dataclass_fields__)


def kit_to_dict(kit: Kit) -> dict[str, Any]:
    """The typed structure as JSON-ready data (the CV file's bytes are left out)."""
    data = asdict(kit)
    data.pop("cv_file")
    data["created"] = kit.created.isoformat()
    data["role"] = kit.role
    data["has_cv_file"] = kit.cv_file is not None
    return {"schema": JSON_SCHEMA, **data}


def kit_from_dict(data: dict[str, Any]) -> Kit:
    """Read :func:`kit_to_dict` output back (for scripts that consume the JSON export)."""
    if data.get("schema") not in READABLE:
        raise ExportError(f"Not an Interview Kit JSON export ({', '.join(READABLE)}).",
                          code="bad_json")
    fields = {k: v for k, v in data.items()
              if k not in {"schema", "role", "has_cv_file", "questions", "created", "status"}}
    return Kit(**fields, status=Status(data["status"]),
               created=datetime.fromisoformat(data["created"]),
               questions=[_question(q) for q in data["questions"]])


def _question(data: dict[str, Any]) -> Question:
    """One question; a guide that is not three anchors (a hand-edited file) is dropped."""
    question = Question(**{k: v for k, v in data.items() if k in _QUESTION_FIELDS})
    rating = question.rating
    ok = isinstance(rating, list) and len(rating) == 3 and all(isinstance(a, str) for a in rating)
    question.rating = list(rating) if ok else []
    return question


def to_json(kit: Kit) -> str:
    return json.dumps(kit_to_dict(kit), ensure_ascii=False, indent=2) + "\n"
