"""Reading the hand-checked expected-value files in tests/expected (format in tests/expected/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Expected:
    file: str
    meta: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    findings: list[tuple[str, str, str]] = field(default_factory=list)


def load(path: Path) -> Expected:
    exp = Expected("")
    section = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# file: "):
            exp.file = line[len("# file: "):]
        elif line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section is None:
            key, _, value = line.partition(":")
            exp.meta[key] = value.strip()
        elif section == "findings":
            rule, severity, cell = (line.split(" ", 2) + [""])[:3]
            exp.findings.append((rule, severity, cell))
        else:
            row, _, cells = line.partition(":")
            exp.tables.setdefault(section, {})[row] = cells.split()
    return exp


def mark(value, state: str) -> str:
    """The expected-file mark of a parsed cell."""
    if state == "blank":
        return "·"
    if state == "dash":
        return "-"
    if state == "unresolved":
        return "?"
    if state == "missing":
        return "∅"
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value)
    return text + ("*" if state == "inferred" else "")
