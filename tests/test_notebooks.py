"""Notebooks as committed: parameters as annotated literals with a comment each (Papermill's --help-notebook
shows them)."""

import ast
import json

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_annotated_literals_with_a_comment_each(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    source = "".join(cell["source"])
    for node in ast.parse(source).body:
        assert isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name), ast.unparse(node)
        assert type(ast.literal_eval(node.value)).__name__ == node.annotation.id, ast.unparse(node)
    assert all("  # " in line for line in source.splitlines())
