"""govlib: China's government information disclosure annual reports (政府信息公开工作年度报告) as exact, tidy frames."""

from functools import cache

__version__ = "0.1.0"

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
    """A sha256 of every file under ``folder`` (names and contents), bytecode caches left out."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


__all__ = ["Dataset", "Finding", "GovlibError", "ParseError", "Report", "ReportMeta", "UnsupportedFormatError",
           "code_fingerprint", "parse_corpus", "parse_report", "__version__"]
