"""Notebooks as the code they run. Opening, running or saving a notebook in JupyterLab rewrites its outputs,
execution counts and metadata (the kernel's name and Python version, widget state); what the notebook says is its
cells' types and sources, in order."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import GovlibError


def cells_fingerprint(notebook: str | Path) -> str:
    """A sha256 of the notebook's cells, their types, tags and sources in order: unchanged when JupyterLab opens,
    runs or saves it, changed by any edit to a cell's text, a cell added, removed or moved, a cell turned from code
    into Markdown, or a tag changed (Papermill finds the parameters by theirs). Other metadata and outputs are left
    out."""
    path = Path(notebook)
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise GovlibError(f"{path}: not a readable notebook ({e.__class__.__name__}: {e})") from None
    h = hashlib.sha256()
    for cell in cells:
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        tags = (cell.get("metadata") or {}).get("tags", [])
        h.update(json.dumps([cell.get("cell_type"), tags, text], ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()
