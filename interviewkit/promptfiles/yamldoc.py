"""YAML with a line for every field, so a prompt file's errors can cite ``file:line: field``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from interviewkit.errors import PromptError


class Doc:
    """Parsed YAML plus a field-path → (line, node) map, so every error can cite a line."""

    def __init__(self, text: str, path: Path) -> None:
        self.text, self.path = text, path
        self.nodes: dict[str, tuple[int, yaml.Node]] = {}
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data: Any = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise self._yaml_error(exc) from None
        except RecursionError:
            raise PromptError("YAML error: nested too deeply", path=path,
                              code="prompt_syntax") from None
        if root is not None:
            self._index(root, "", 0)

    def _yaml_error(self, exc: yaml.YAMLError) -> PromptError:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        if isinstance(exc, yaml.reader.ReaderError):
            line = self.text.count("\n", 0, exc.position) + 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        if context and not context.startswith("while"):
            problem = f"{context}, {problem}"  # "expected a single document…, but found…"
        tag = re.search(r"'tag:yaml\.org,2002:([^']+)'|'(![^']*)'", problem)
        if isinstance(exc, yaml.constructor.ConstructorError) and tag:
            problem = (f"tag '{tag.group(2) or '!!' + tag.group(1)}' is not allowed: prompt "
                       "files hold only strings, numbers, booleans, lists and mappings")
        return PromptError(f"YAML error: {problem}", path=self.path, line=line,
                           code="prompt_syntax")

    def _index(self, node: yaml.Node, prefix: str, depth: int) -> None:
        """Record keys three levels deep only: aliases make unbounded walks explode."""
        if isinstance(node, yaml.SequenceNode) and depth <= 3:
            for i, item in enumerate(node.value):
                self.nodes[f"{prefix}.{i}"] = (item.start_mark.line + 1, item)
        if not isinstance(node, yaml.MappingNode) or depth > 2:
            return
        for key, value in node.value:
            field = f"{prefix}.{key.value}" if prefix else str(key.value)
            if field in self.nodes:
                raise self.error(field, "duplicate key", key.start_mark.line + 1)
            self.nodes[field] = (key.start_mark.line + 1, value)
            self._index(value, field, depth + 1)

    def line(self, field: str) -> int | None:
        """Line of ``field``, else of its closest recorded parent."""
        while field:
            if field in self.nodes:
                return self.nodes[field][0]
            field = field.rpartition(".")[0]
        return None

    def error(self, field: str, message: str, line: int | None = None) -> PromptError:
        return PromptError(message, path=self.path, field=field, line=line or self.line(field))

    def token_line(self, field: str, template: str, match: re.Match[str]) -> int | None:
        """Source line of a token found in a string field: the n-th same token in its node."""
        if field not in self.nodes:
            return self.line(field)
        token, node = match.group(0), self.nodes[field][1]
        index, end = node.start_mark.index - len(token), node.end_mark.index
        for _ in range(template.count(token, 0, match.start()) + 1):
            index = self.text.find(token, index + len(token), end)
            if index < 0:
                return self.line(field)
        return self.text.count("\n", 0, index) + 1
