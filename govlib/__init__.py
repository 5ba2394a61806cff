"""govlib: China's government information disclosure annual reports (政府信息公开工作年度报告) as exact, tidy frames."""

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


__all__ = ["Dataset", "Finding", "GovlibError", "ParseError", "Report", "ReportMeta", "UnsupportedFormatError",
           "parse_corpus", "parse_report", "__version__"]
