"""govlib: China's government information disclosure annual reports (政府信息公开工作年度报告) as exact, tidy frames."""

__version__ = "0.1.0"

from .errors import GovlibError, ParseError, UnsupportedFormatError  # noqa: E402
from .report import Finding, Report, ReportMeta, parse_report  # noqa: E402
from .corpus import Dataset, parse_corpus  # noqa: E402

__all__ = ["Dataset", "Finding", "GovlibError", "ParseError", "Report", "ReportMeta", "UnsupportedFormatError",
           "parse_corpus", "parse_report", "__version__"]
