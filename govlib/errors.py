"""The one exception hierarchy of govlib: every error names the file and what to do."""


class GovlibError(Exception):
    """Base class of every error govlib raises on purpose."""


class ParseError(GovlibError):
    """A file could not be read as an annual report (empty, binary, undecodable, or not a report)."""


class UnsupportedFormatError(ParseError):
    """A file whose format govlib does not read."""
