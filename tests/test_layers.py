"""The layers, read from the code: imports point down only (cli, web → index → archive),
the engines import only what sits below them, nothing imports in a circle, and
`archive --help` loads no engine and no web code. Function-local imports count."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("archive", "index", "cli", "web")
# What each engine may import inside index/: the protocol, the shared file handling, the
# indexed document, the tuned numbers, the analysis; never search, home, another engine.
ENGINE_MAY_IMPORT = ("index.engines.base", "index.engines.files", "index.schema",
                     "index.ranking", "index.analysis")
FORBIDDEN = {
    "archive": ("index", "cli", "web", "whoosh", "click", "tantivy", "opensearchpy"),
    "index": ("cli", "web", "click", "bs4"),
    "cli": ("web",),
    "web": ("archive", "cli", "whoosh", "tantivy", "opensearchpy", "click", "bs4"),
}
# The one way down from cli to web: the `serve` command starts the server (inside the
# command, so `archive --help` never loads it).
ALLOWED = {("cli.main", "web.server"), ("cli.main", "web.server.serve")}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")) if (ROOT / package).exists() else []:
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(path: Path, name: str) -> set[str]:
    """Every module this file imports, at the top or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def project_graph() -> dict[str, set[str]]:
    names = modules()
    graph = {}
    for name, path in names.items():
        graph[name] = {target for target in imports_of(path, name) if target in names}
    return graph


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_no_layer_imports_one_above_it_or_a_library_it_must_not_know():
    wrong = []
    for name, path in modules().items():
        layer = name.split(".")[0]
        for target in imports_of(path, name):
            for banned in FORBIDDEN.get(layer, ()):
                if within(target, banned) and (name, target) not in ALLOWED:
                    wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_engines_import_only_what_sits_below_them():
    wrong = []
    for name, targets in project_graph().items():
        if not within(name, "index.engines") or name in ENGINE_MAY_IMPORT or name == "index.engines":
            continue
        own = ".".join(name.split(".")[:3])  # index.engines.<engine>
        for target in targets:
            if within(target, "index") and not within(target, own) and target not in ENGINE_MAY_IMPORT:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_the_engine_protocol_uses_the_standard_library_only():
    path = ROOT / "index" / "engines" / "base.py"
    allowed = set(sys.stdlib_module_names) | {"__future__", "archive.store", "whoosh"}
    # archive.store and whoosh appear under TYPE_CHECKING only, for the annotations
    outside = {t.split(".")[0] for t in imports_of(path, "index.engines.base")} - allowed
    assert outside - {"archive"} == set()


def test_nothing_imports_in_a_circle():
    graph = project_graph()
    # A package's __init__ re-exporting its own modules is not a circle between modules.
    edges = {name: {t for t in targets if not (within(t, name) or within(name, t))}
             for name, targets in graph.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_cli_calls_one_library_object():
    wrong = []
    for name, path in modules().items():
        if not within(name, "cli"):
            continue
        for target in imports_of(path, name):
            if within(target, "archive") and target not in ("archive", "archive.__version__"):
                wrong.append(f"{name} imports {target}")
            if within(target, "index") and not within(target, "index.home") \
                    and target not in ("index.engines", "index.engines.ENGINES",
                                       "index.engines.REGISTRY"):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_the_web_pages_call_one_library_object():
    wrong = []
    for name, path in modules().items():
        if not within(name, "web"):
            continue
        for target in imports_of(path, name):
            if within(target, "index") and not within(target, "index.home"):
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_help_loads_no_engine_and_no_web_code():
    probe = ("import sys\nfrom click.testing import CliRunner\nfrom cli.main import cli\n"
             "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
             "loaded = [m for m in ('whoosh', 'tantivy', 'opensearchpy', 'starlette', 'uvicorn',"
             " 'jinja2', 'index.home', 'bs4') if m in sys.modules]\nprint(loaded)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
