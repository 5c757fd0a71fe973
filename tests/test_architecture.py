"""The layout's rules, checked on the source itself (README "Architecture").

Only ``app.py``, ``pages/`` and ``interviewkit/ui/`` import streamlit; the package's
import graph has no cycle; errors are defined only in ``errors.py`` and settings are
read only in ``config.py``; pages stay short and modules stay readable.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "interviewkit"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_PAGE_LINES = 150
# Process plumbing, not configuration: the PDF worker passes PYTHONPATH and a marker to
# the forkserver it starts (interviewkit/ingest/pdf.py explains why); the semantic guard
# undoes the OMP_NUM_THREADS its encoder sets process-wide (compliance/semantic.py).
ENV_ALLOWED = {PACKAGE / "config.py", PACKAGE / "ingest" / "pdf.py",
               PACKAGE / "compliance" / "semantic.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.Module, name: str, is_package: bool,
                     known: set[str] | None = None) -> set[str]:
    """Modules imported when ``name`` is imported (``if TYPE_CHECKING:`` blocks left out).

    ``from pkg import mod`` depends on ``pkg.mod`` when that is a module of ``known``,
    otherwise on ``pkg`` itself.
    """
    found: set[str] = set()
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(child) for child in ast.walk(node) if child is not node.test)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}".rstrip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if known is not None and sub in known else base)
    return found


def _top_level(tree: ast.Module) -> ast.Module:
    """Only the statements that run at import time (not inside functions)."""
    body = [node for node in tree.body
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            body += [n for n in node.body if not isinstance(n, ast.FunctionDef)]
    return ast.Module(body=body, type_ignores=[])


def import_graph() -> dict[str, set[str]]:
    names = {module_name(path) for path in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        name = module_name(path)
        tree = _top_level(ast.parse(path.read_text(encoding="utf-8")))
        imported = _runtime_imports(tree, name, path.name == "__init__.py", names)
        graph[name] = {dep for dep in imported if dep in names and dep != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or None (depth-first search)."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        for dep in sorted(graph[node]):
            if dep in path:
                return [*path[path.index(dep):], dep]
            if dep not in done:
                found = visit(dep, [*path, dep])
                if found:
                    return found
        done.add(node)
        return None

    for name in sorted(graph):
        if name not in done and (cycle := visit(name, [name])):
            return cycle
    return None


def test_the_package_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 40, "the walk found the package's modules"
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_only_the_ui_layer_imports_streamlit() -> None:
    offenders = [module_name(path) for path in MODULES
                 if not module_name(path).startswith("interviewkit.ui")
                 and any(dep == "streamlit" or dep.startswith("streamlit.") for dep in
                         _runtime_imports(ast.parse(path.read_text(encoding="utf-8")),
                                          module_name(path), path.name == "__init__.py"))]
    assert offenders == []


def test_errors_live_in_errors_py() -> None:
    defined = [f"{module_name(path)}.{node.name}" for path in MODULES
               if path != PACKAGE / "errors.py"
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.ClassDef) and any(
                   ast.unparse(base).endswith(("Error", "Exception", "KitNotFound"))
                   for base in node.bases) and not node.name.startswith("_")]
    assert defined == []


def test_settings_are_read_only_in_config_py() -> None:
    readers = [module_name(path) for path in MODULES if path not in ENV_ALLOWED
               and ("os.environ" in (text := path.read_text(encoding="utf-8"))
                    or "getenv" in text)]
    assert readers == []


def test_pages_are_short_and_modules_readable() -> None:
    long_pages = {p.name: n for p in (ROOT / "pages").glob("*.py")
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_PAGE_LINES}
    long_modules = {module_name(p): n for p in MODULES
                    if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long_pages == {} and long_modules == {}


def test_kit_history_and_export_do_not_load_the_sdk_or_streamlit() -> None:
    code = ("import sys, interviewkit.export, interviewkit.history, interviewkit.kit.pipeline, "
            "interviewkit.ingest.pdf; "
            "print(sorted(m for m in ('openai', 'streamlit', 'llama_cpp') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]"
