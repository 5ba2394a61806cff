"""Notebooks as committed: stripped as the git filter leaves them, parameters as annotated literals, and a fingerprint
of what they run that opening, running and saving them in JupyterLab leaves unchanged."""

import ast
import copy
import json
import os
import shlex
import shutil
import subprocess
import sys

import pytest

from govlib.errors import GovlibError
from govlib.notebooks import cells_fingerprint

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _nbstripout() -> list[str]:
    """The git filter of `make setup`: the Makefile's NBSTRIPOUT, with this interpreter's nbstripout."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("NBSTRIPOUT :="))
    command = shlex.split(line.split(":=", 1)[1])
    command[0] = str(shutil.which("nbstripout", path=os.path.dirname(sys.executable)))
    return command


def _write(path, nb):
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def notebook():
    return json.loads((ROOT / "notebooks" / "regional_brief.ipynb").read_text(encoding="utf-8"))


def test_what_jupyterlab_writes_when_it_runs_a_notebook_leaves_the_fingerprint_alone(notebook, tmp_path):
    ran = copy.deepcopy(notebook)
    ran["metadata"]["kernelspec"]["display_name"] = "Python 3"
    ran["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    ran["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    for n, cell in enumerate(c for c in ran["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = n + 1
        cell["outputs"] = [{"output_type": "display_data", "data": {"text/plain": "<govlib chart>"}, "metadata": {}}]
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
        cell["source"] = "".join(cell["source"])  # one string instead of a list of lines: the same text
    compact = tmp_path / "ran.ipynb"
    compact.write_text(json.dumps(ran), encoding="utf-8")  # and no indentation
    assert cells_fingerprint(compact) == cells_fingerprint(ROOT / "notebooks" / "regional_brief.ipynb")


@pytest.mark.parametrize("edit", [
    pytest.param(lambda nb: nb["cells"][0]["source"].__setitem__(1, 'year: int = 2024  # changed\n'), id="source"),
    pytest.param(lambda nb: nb["cells"][2].__setitem__("cell_type", "raw"), id="cell type"),
    pytest.param(lambda nb: nb["cells"].insert(3, nb["cells"][2]), id="cell added"),
    pytest.param(lambda nb: nb["cells"].pop(2), id="cell removed"),
    pytest.param(lambda nb: nb["cells"].__setitem__(slice(2, 4), nb["cells"][3:1:-1]), id="cells moved"),
    pytest.param(lambda nb: nb["cells"][3].__setitem__("source", nb["cells"][3]["source"] + [" "]), id="a space"),
    pytest.param(lambda nb: nb["cells"][0]["metadata"].__setitem__("tags", []), id="parameters tag removed"),
])
def test_an_edit_to_what_a_notebook_runs_changes_the_fingerprint(notebook, tmp_path, edit):
    before = cells_fingerprint(_write(tmp_path / "before.ipynb", notebook))
    edit(notebook)
    assert cells_fingerprint(_write(tmp_path / "after.ipynb", notebook)) != before


def test_an_unreadable_notebook_is_an_error_naming_it(tmp_path):
    (tmp_path / "x.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(GovlibError, match=r"x\.ipynb: not a readable notebook \(JSONDecodeError"):
        cells_fingerprint(tmp_path / "x.ipynb")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_are_as_the_git_filter_leaves_them(path):
    with open(path, "rb") as notebook:
        stripped = subprocess.run(_nbstripout(), stdin=notebook, capture_output=True, check=True, timeout=60).stdout
    assert stripped == path.read_bytes()
    assert json.loads(stripped)["metadata"] == {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}}


def test_git_strips_notebooks_through_the_filter_in_gitattributes():
    attributes = (ROOT / ".gitattributes").read_text().splitlines()
    assert "*.ipynb filter=nbstripout diff=ipynb" in attributes
    assert ".ipynb_checkpoints/" in (ROOT / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_annotated_literals_with_a_comment_each(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    source = "".join(cell["source"])
    for node in ast.parse(source).body:
        assert isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name), ast.unparse(node)
        assert type(ast.literal_eval(node.value)).__name__ == node.annotation.id, ast.unparse(node)
    assert all("  # " in line for line in source.splitlines())
