"""govlib: China's government information disclosure annual reports (政府信息公开工作年度报告) as exact, tidy frames."""

import os
import sys
from functools import cache

__version__ = "0.1.0"


def _run_sources_where_needed() -> list[str]:
    """Where the build compiled modules (``setup.py``), import each as compiled only while its source is the one it
    was built from; with ``GOVLIB_PURE=1`` import every module from its source. A module edited since the build runs
    as Python (with a warning to rebuild), never as the older compiled code. The modules that run compiled."""
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    here = Path(__file__).parent
    compiled = {p.name.split(".")[0] for suffix in importlib.machinery.EXTENSION_SUFFIXES
                for p in here.glob(f"*{suffix}")}
    if not compiled:
        return []
    if os.environ.get("GOVLIB_PURE") == "1":
        sources = compiled
    else:
        import hashlib
        import json

        try:
            built = json.loads((here / "_compiled.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            built = {}
        def digest(module: str) -> str | None:
            try:
                return hashlib.sha256(_source(here, module).read_bytes()).hexdigest()
            except OSError:  # no source to check it against: not run
                return None

        sources = {m for m in compiled if built.get(m) != digest(m)}
        if sources:
            import warnings

            python = sorted(m for m in sources if _source(here, m).suffix == ".py")
            left_out = sorted(sources.difference(python))
            said = [f"{', '.join(python)} changed since govlib was built and run as Python"] if python else []
            said += [f"{', '.join(left_out)} changed since govlib was built and is left out (its callers make "
                     f"the same calls from Python)"] if left_out else []
            warnings.warn(f"govlib: {'; '.join(said)} (slower); `make setup` or `pip install -e .` compiles them "
                          f"again", stacklevel=3)
    if not sources:
        return sorted(compiled)

    class Sources:
        """Finds the modules to run from their sources before the import system finds their extensions."""

        @staticmethod
        def find_spec(fullname, path=None, target=None):
            package, _, name = fullname.partition(".")
            if package != __name__ or name not in sources:
                return None
            source = _source(here, name)
            if source.suffix != ".py":  # C written for C has no Python twin: its callers do without it
                raise ModuleNotFoundError(f"{fullname} runs only as built from {source.name}", name=fullname)
            return importlib.util.spec_from_file_location(fullname, source)

    sys.meta_path.insert(0, Sources())
    return sorted(compiled - sources)


def _source(here, module: str):
    """A compiled module's source: its Python, or the Cython of a module that has no Python twin."""
    source = here / f"{module}.py"
    return source if source.exists() else here / f"{module}.pyx"


_COMPILED = _run_sources_where_needed()


def compiled_modules() -> list[str]:
    """The modules of govlib that run compiled (none: govlib runs as pure Python)."""
    return list(_COMPILED)


from .errors import GovlibError, ParseError, UnsupportedFormatError  # noqa: E402

# The parser is imported on first use, not with the package: a brief's kernel reads parsed tables and never needs it
# (importing it cost 0.12 s of every brief).
_LAZY = {"Finding": "report", "Report": "report", "ReportMeta": "report", "parse_report": "report",
         "Dataset": "corpus", "parse_corpus": "corpus"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def code_fingerprint() -> str:
    """The version and a digest of this package's own files (code, codebook, export templates).

    Outputs record it, and a re-run takes them as up to date only if it is unchanged: the version string alone stays
    put while the code changes, and would keep tables or briefs made by older code.
    """
    from pathlib import Path

    return f"{__version__}+{files_digest(Path(__file__).parent)}"


def files_digest(folder) -> str:
    """A sha256 of every file under ``folder`` (names and contents), bytecode caches and the compiled core left out
    (they are made from the sources, which are in)."""
    import hashlib
    import importlib.machinery

    derived = (*importlib.machinery.EXTENSION_SUFFIXES, "_compiled.json")
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(derived)):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


__all__ = ["Dataset", "Finding", "GovlibError", "ParseError", "Report", "ReportMeta", "UnsupportedFormatError",
           "code_fingerprint", "compiled_modules", "parse_corpus", "parse_report", "__version__"]
