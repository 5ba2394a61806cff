"""govlib's compiled core: the modules that read report text, compiled by Cython as they are (the Python source is
the only source; nothing is written twice), and one module written for C (``SOURCES``: PDFium's calls made by the
hundred, in C loops, which ``govlib/pdf.py`` makes through ctypes where it is not built). Built by ``pip install``
(and ``make setup``) where a C compiler is found; where none is, or with ``GOVLIB_PURE=1`` in the build's
environment, govlib installs as pure Python and runs the same.

The build records the sha256 of each compiled module's source beside the extensions (``govlib/_compiled.json``):
govlib runs an extension only while its source is unchanged, so an edited module runs as Python until the next
build (see ``govlib/__init__.py``).
"""

import hashlib
import json
import os
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# the hot loops of parsing text (tokenizing, classifying, plain rows, glued cuts, identities) and what calls them
CORE = ["cells", "fitting", "identities", "rows", "validate", "report", "sections", "narrative", "text", "frames",
        "codebook", "decoding", "regions", "pdf"]
# written for C, with no Python twin: PDFium's calls in C loops (govlib/pdf.py makes the same calls through ctypes
# where this is not built, 1.26x slower)
SOURCES = {"pdfium_calls": "govlib/pdfium_calls.pyx"}
DIRECTIVES = {
    "language_level": 3,
    "annotation_typing": False,  # annotations are for readers and type checkers; Cython must not enforce them
    "binding": True,  # functions keep their signatures and docstrings (inspect, help())
}


class BuildCore(build_ext):
    """build_ext that leaves out a module that fails to compile (govlib runs its source), and records the sources
    of those it built."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1  # one compiler a core

    def run(self) -> None:
        super().run()
        built = {}
        for ext in self.extensions:
            target = Path(self.get_ext_fullpath(ext.name))
            if target.exists():
                module = ext.name.split(".", 1)[1]
                built[module] = hashlib.sha256(Path(source(module)).read_bytes()).hexdigest()
        if built:
            record = target.parent / "_compiled.json"
            tmp = record.with_suffix(".tmp")
            tmp.write_text(json.dumps(built, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, record)


def source(module: str) -> str:
    """The file a compiled module is built from."""
    return SOURCES.get(module, f"govlib/{module}.py")


def extensions() -> list:
    if os.environ.get("GOVLIB_PURE") == "1":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:  # a build without the build requirements (pyproject.toml): pure Python
        return []
    from Cython.Compiler.Errors import CompileError

    built = []
    for m in [*CORE, *SOURCES]:  # a module Cython cannot compile is left out (a .py runs as Python); the build goes on
        try:
            built += cythonize([Extension(f"govlib.{m}", [source(m)], optional=True)], build_dir="build/cython",
                               compiler_directives=DIRECTIVES, quiet=True)
        except CompileError as e:
            instead = "runs as Python" if source(m).endswith(".py") else "is left out (its callers use ctypes)"
            print(f"govlib: {source(m)} {instead}: Cython could not compile it ({e})")
    return built


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildCore})
