"""The package's layers run one way: no module imports one above it, no import loop, and each library that does a
job enters in its own layer only. Read from the code itself (every import, also those inside functions)."""

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "govlib"

# bottom to top: a module may import modules of the layers below its own, never of its own layer or above
LAYERS = [
    ["errors", "paths", "text", "limits", "charsets"],
    ["codebook", "cells", "sections", "outputs", "regions", "notebooks", "pdf", "workers", "cluster"],
    ["decoding", "identities", "narrative", "rows", "frames"],
    ["fitting", "validate", "files"],
    ["report", "across"],
    ["corpus", "metrics"],
    ["charts", "display", "testing.synth"],
    ["briefs.kernel"],
    ["briefs.page", "explore"],
    ["briefs.runner"],
    ["cli", "briefs", "testing"],
    ["__main__"],
]
# the libraries that do one job each, and the modules they may enter
CONFINED = {
    "polars": {"frames", "across", "corpus", "metrics", "charts", "briefs.page", "briefs.runner", "explore"},
    "altair": {"charts"},
    "vl_convert": {"charts"},
    "papermill": {"briefs.runner"},
    "nbconvert": {"briefs.runner"},
    "nbformat": {"briefs.runner"},
    "ipywidgets": {"explore"},
    "click": {"cli"},
    "distributed": {"cluster"},
    "pdfplumber": {"decoding"},
    "pypdfium2": {"pdf"},
    "docx": {"decoding", "testing.synth"},  # synth writes Word files to test the reader with
    "lxml": {"decoding"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "__init__"


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path) -> tuple[set[str], set[str]]:
    """The govlib modules and the outside packages that a module imports, anywhere in it."""
    package = name.split(".")[:-1] if not path.name == "__init__.py" else name.split(".")
    inside, outside = set(), set()
    known = set(modules())
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top, _, rest = alias.name.partition(".")
                (inside.add(rest) if top == "govlib" else outside.add(top))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:  # "from . import codebook" names a module; "from .cells import X" does not
                    candidate = f"{target}.{alias.name}" if target else alias.name
                    inside.add(candidate if candidate in known else target)
            elif node.module and node.module.split(".")[0] == "govlib":
                inside.add(node.module.partition(".")[2] or "__init__")
            elif node.module:
                outside.add(node.module.split(".")[0])
    return {m for m in inside if m and m != name}, outside


def layer_of(name: str) -> int:
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    raise AssertionError(f"govlib.{name} is in no layer of tests/test_layers.py: place it there")


GRAPH = {name: imports(name, path) for name, path in modules().items() if name != "__init__"}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_a_module_imports_only_modules_below_it(name):
    upward = sorted(m for m in GRAPH[name][0] if m != "__init__" and layer_of(m) >= layer_of(name))
    assert not upward, f"govlib.{name} imports {upward}, which are not below it"


def test_there_is_no_import_loop():
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for m in GRAPH.get(name, ((), ()))[0]:
            if state.get(m) == 1:
                raise AssertionError("import loop: " + " -> ".join(path + [name, m]))
            if m in GRAPH and not state.get(m):
                visit(m, path + [name])
        state[name] = 2

    for name in GRAPH:
        if not state.get(name):
            visit(name, [])


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_each_library_enters_in_its_own_layer_only(library):
    users = {name for name, (_, outside) in GRAPH.items() if library in outside}
    assert users, f"no module imports {library}: drop it from CONFINED"
    assert users <= CONFINED[library], f"{library} is imported by {sorted(users - CONFINED[library])}"


def test_only_the_brief_kernel_settings_touch_sys_modules():
    touching = sorted(name for name, path in modules().items() if "sys.modules" in path.read_text(encoding="utf-8")
                      and name != "briefs.kernel")
    assert touching == []


def test_no_private_name_crosses_a_module():
    crossing = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("govlib")):
                crossing += [f"{name}: {a.name}" for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
    assert crossing == []
