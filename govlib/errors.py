"""The one exception hierarchy of govlib: every error is a sentence that names the file or thing at fault and what to
do. The command line prints such an error as one line and exits 1.

    GovlibError
    ├── ParseError               a file that cannot be read as an annual report
    │   └── UnsupportedFormatError
    ├── RegionError              the division table or a region mapping is wrong
    ├── BriefError               a brief asked for something the data does not have
    ├── OutputError              an output folder govlib must not or cannot write now
    └── UnknownCodeError         a code, metric, template, level or language govlib does not know
"""


class GovlibError(Exception):
    """Base class of every error govlib raises on purpose."""


class ParseError(GovlibError):
    """A file could not be read as an annual report (empty, binary, undecodable, or not a report)."""


class UnsupportedFormatError(ParseError):
    """A file whose format govlib does not read."""


class RegionError(GovlibError):
    """The division table cannot be trusted, or a region mapping file is wrong."""


class BriefError(GovlibError):
    """A brief cannot be made as asked (unknown region, year or parameter, or no parsed data)."""


class OutputError(GovlibError):
    """An output folder govlib must not write into (an input, a folder of the user's) or cannot write now."""


class UnknownCodeError(GovlibError, KeyError):
    """A codebook code, metric, template, region level or language that govlib does not know (a ``KeyError`` too)."""

    def __str__(self) -> str:  # KeyError would quote the sentence
        return str(self.args[0]) if self.args else ""
