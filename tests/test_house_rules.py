"""House rules (issue 20), checked by walking the code with ast:

* no function in pipelines/ (outside pipelines/demo/) longer than 80 lines;
* no import cycle among the modules of pipelines/ and dashboard/ (module-level and
  in-function imports both count: a lazy import hides a cycle, it does not remove it);
* no module in pipelines/ imported only by tests (test helpers live under tests/).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipelines", "dashboard")
MAX_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(p.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = p
    return out


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports (``from a.b import c`` names a.b.c when that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                base = ".".join([*pkg, base] if base else pkg)
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(p, m, modules) for m, p in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    graph = import_graph()
    # a package's __init__ that re-exports its modules is not a cycle with them
    pruned = {m: {t for t in ts if not (t != m and m.startswith(t + ".") and _modules()[t].name == "__init__.py")}
              for m, ts in graph.items()}
    assert _cycles(pruned) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _long_functions() -> list[str]:
    out = []
    for p in sorted((ROOT / "pipelines").rglob("*.py")):
        rel = p.relative_to(ROOT).as_posix()
        if rel.startswith("pipelines/demo/"):
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_LINES:
                    out.append(f"{rel}:{node.lineno} {node.name} ({n} lines)")
    return out


def test_no_function_longer_than_80_lines():
    assert _long_functions() == []


def _notebook_imports(modules: dict[str, Path]) -> set[str]:
    out: set[str] = set()
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
        tmp = ast.parse(code)
        for node in ast.walk(tmp):
            if isinstance(node, ast.ImportFrom) and node.module:
                out |= {m for m in (node.module, *(f"{node.module}.{a.name}" for a in node.names)) if m in modules}
            elif isinstance(node, ast.Import):
                out |= {a.name for a in node.names if a.name in modules}
    return out


def test_no_pipelines_module_is_imported_only_by_tests():
    graph = import_graph()
    modules = _modules()
    imported = {t for ts in graph.values() for t in ts} | _notebook_imports(modules)
    # a package counts as imported when one of its modules is
    imported |= {m.rsplit(".", i)[0] for m in imported for i in range(1, m.count(".") + 1)}
    # entry points: run as `python -m ...` or found by name, not imported
    entry = {"pipelines.cli"}
    entry |= {m for m, p in _modules().items() if "if __name__ ==" in p.read_text(encoding="utf-8")}
    test_imports: set[str] = set()
    for p in sorted((ROOT / "tests").glob("*.py")):
        test_imports |= _imports(p, "tests." + p.stem, modules)
    only_tests = sorted(
        m for m in modules
        if m.startswith("pipelines.") and m not in imported and m not in entry and m in test_imports
    )
    assert only_tests == []


def test_every_dashboard_page_is_in_the_one_registry():
    from dashboard.pages import PAGES

    files = {p.stem for p in (ROOT / "dashboard" / "app_pages").glob("*.py") if p.stem != "__init__"}
    assert files == {p.name for p in PAGES}
