"""The compiled core (setup.py: the parser's modules compiled by Cython as they are) reads every report exactly as
the pure-Python reference does: the same frames, cell for cell, finding for finding, on generated reports in every
layout and template and on the bundled real reports. ``GOVLIB_PURE=1`` forces the reference; a module edited since
the build runs from its source, never as the older compiled code."""

from __future__ import annotations

import importlib.machinery
import json
import os
import random
import shutil
import subprocess
import sys

import polars as pl
import pytest

from govlib.testing import synth

from .conftest import RAW, ROOT

CORE = ["cells", "codebook", "decoding", "fitting", "frames", "identities", "narrative", "pdf", "pdfium_calls",
        "regions", "report", "rows", "sections", "text", "validate"]  # setup.py's CORE and SOURCES

# parse a corpus and write its frames; print the modules that ran compiled (those govlib.compiled_modules names)
_RUN = """
import importlib, importlib.machinery, sys
from pathlib import Path
import govlib
from govlib import parse_corpus
ds = parse_corpus([Path(p) for p in sys.argv[2:]], progress=False)
out = Path(sys.argv[1])
for name, frame in ds.frames().items():
    frame.write_parquet(out / f"{name}.parquet")
built = sorted({p.name.split(".")[0] for s in importlib.machinery.EXTENSION_SUFFIXES
                for p in Path(govlib.__file__).parent.glob(f"*{s}")})  # every module with an extension
def compiled(m):
    try:
        return not importlib.import_module(f"govlib.{m}").__file__.endswith(".py")
    except ModuleNotFoundError:  # C with no Python twin (pdfium_calls) is left out, not run as Python
        return False
ran = [m for m in built if compiled(m)]
assert ran == govlib.compiled_modules(), (ran, govlib.compiled_modules())
print(" ".join(ran))
"""


def _compiled_build() -> bool:
    return any((ROOT / "govlib").glob(f"cells{s}") for s in importlib.machinery.EXTENSION_SUFFIXES)


def _parse(folder, inputs, pure: bool, pythonpath=ROOT) -> tuple[dict[str, pl.DataFrame], list[str], str]:
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "GOVLIB_PURE"} | {"PYTHONPATH": str(pythonpath)}
    if pure:
        env["GOVLIB_PURE"] = "1"
    done = subprocess.run([sys.executable, "-c", _RUN, str(folder), *map(str, inputs)], env=env, cwd=folder,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    frames = {p.stem: pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    return frames, done.stdout.split(), done.stderr


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generated reports: every layout of text, both templates, HTML and Word, with page footers, typos, other
    heading styles and prose that quotes the tables."""
    folder = tmp_path_factory.mktemp("generated")
    rng = random.Random(20261202)
    for i in range(8 * len(synth.LAYOUTS)):
        layout = synth.LAYOUTS[i % len(synth.LAYOUTS)]
        rep = synth.generate(rng, "2019" if i % 3 == 0 else "2021")
        (folder / f"{i:03d}-{layout}.txt").write_text(synth.render_text(rep, layout, rng), encoding="utf-8")
    for i in range(6):
        (folder / f"html-{i}.html").write_bytes(synth.render_html(synth.generate(rng), rng, framed=i % 2 == 0))
        (folder / f"docx-{i}.docx").write_bytes(synth.render_docx(synth.generate(rng), rng))
    return folder


@pytest.mark.skipif(not _compiled_build(), reason="govlib was installed without its compiled core (no C compiler)")
def test_the_compiled_core_reads_every_report_as_the_pure_python_reference(tmp_path, generated):
    inputs = [generated, RAW / "seeds", RAW / "pingtan", RAW / "pingtan-agencies"]
    compiled, ran_compiled, _ = _parse(tmp_path / "compiled", inputs, pure=False)
    pure, ran_pure, _ = _parse(tmp_path / "pure", inputs, pure=True)
    assert ran_compiled == CORE and ran_pure == []  # both really ran as they say
    assert compiled.keys() == pure.keys() == {"reports", "applications", "proactive", "review_litigation", "findings",
                                              "failures"}
    assert compiled["reports"].height > 150 and compiled["applications"].height > 150 * 50
    for name in compiled:
        assert compiled[name].equals(pure[name]), name


def test_without_a_build_govlib_is_pure_python_and_a_module_edited_since_the_build_runs_from_its_source(tmp_path):
    # a copy of the package with cells.py edited after the build: the compiled cells must not run
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "govlib", copy / "govlib", ignore=shutil.ignore_patterns("__pycache__"))
    built = _compiled_build()
    with (copy / "govlib" / "cells.py").open("a", encoding="utf-8") as f:
        f.write("\nEDITED = True\n")
    with (copy / "govlib" / "pdfium_calls.pyx").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    report = RAW / "seeds" / "003_c7348176eda313db.txt"
    frames, ran, stderr = _parse(tmp_path / "out", [report], pure=False, pythonpath=copy)
    assert frames["reports"].height == 1
    if built:
        # the edited module from its source, the edited C (no Python twin) left out, the others compiled
        assert "cells" not in ran and "pdfium_calls" not in ran and "fitting" in ran
        assert ("govlib: cells changed since govlib was built and run as Python; pdfium_calls changed since govlib "
                "was built and is left out (its callers make the same calls from Python) (slower)") in stderr
    else:
        assert ran == []
    # a build with no record of its sources: nothing of it runs
    (copy / "govlib" / "_compiled.json").unlink(missing_ok=True)
    frames, ran, _ = _parse(tmp_path / "out2", [report], pure=False, pythonpath=copy)
    assert ran == [] and frames["reports"].height == 1


@pytest.mark.skipif(not _compiled_build(), reason="govlib was installed without its compiled core (no C compiler)")
def test_the_build_records_the_source_of_every_compiled_module():
    record = json.loads((ROOT / "govlib" / "_compiled.json").read_text(encoding="utf-8"))
    assert sorted(record) == CORE
    import hashlib

    for module, digest in record.items():
        source = ROOT / "govlib" / (f"{module}.py" if module != "pdfium_calls" else f"{module}.pyx")
        assert hashlib.sha256(source.read_bytes()).hexdigest() == digest, (
            f"govlib/{source.name} changed since the build: run `make setup`")


@pytest.mark.skipif(not _compiled_build(), reason="govlib was installed without its compiled core (no C compiler)")
def test_the_time_limit_of_a_report_stops_compiled_parsing_too(monkeypatch):
    # the limit is a signal, handled when the interpreter gets control: compiled code must give it that control
    import govlib
    from govlib import corpus
    from govlib.errors import ParseError

    assert "fitting" in govlib.compiled_modules()
    monkeypatch.setenv("GOVLIB_REPORT_SECONDS", "0.0005")
    glued = RAW / "pingtan" / "pingtan-2025.txt"  # glued text: milliseconds of weighing cuts
    with pytest.raises(ParseError, match="parsing took longer than 0.0005 s, the limit for one report"):
        corpus.read_report(glued)
    monkeypatch.setenv("GOVLIB_REPORT_SECONDS", "30")
    assert corpus.read_report(glued).meta.year == 2025
