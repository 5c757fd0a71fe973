"""A kit as Markdown: the canonical text the kit parser reads best."""

from __future__ import annotations

from interviewkit.export.common import coverage_rows, meta, question_lines, title
from interviewkit.kit.model import Kit


def to_markdown(kit: Kit) -> str:
    """Title, facts, then the questions (the raw text when none could be parsed)."""
    lines = [f"# {title(kit)}", ""]
    lines += [f"- {label}: {value}" for label, value in meta(kit)[1:]]
    lines.append("")
    if kit.questions:
        for q in kit.questions:
            lines += [*question_lines(q), ""]
    else:
        lines += [kit.markdown.strip(), ""]
    if rows := coverage_rows(kit):
        lines += ["## Coverage of the job's requirements", "", "| requirement | questions |",
                  "|---|---|", *(f"| {req} | {qs} |" for req, qs in rows), ""]
    return "\n".join(lines)
