"""Finding report files: what is under the paths given, in a stable order, with every path skipped and why (a
pipe, a dangling link, a folder that cannot be read), and file names written losslessly as text."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .decoding import SUFFIXES, kind_of


def readable(text: str) -> str:
    """A path (or a message naming one) as text that can be written anywhere, losing nothing: a file name's bytes
    that are not UTF-8, which Python keeps as lone surrogates, are written as ``\\xe9``."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class Found:
    """What ``scan`` found: the report files to parse, and every path it skipped with the reason (as rows of
    ``failures``: a FIFO, a dangling link, a folder that cannot be read …)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def scan(paths) -> Found:
    """Report files under the given files and folders, in a stable order, and the paths skipped with their reasons.

    In a folder, files whose names end in a report suffix are taken (hidden files and folders, and SOURCES.csv, are
    not reports); anything there that is not a regular file, a link to nothing, a link to a folder (not followed)
    and a sub-folder that cannot be read are skipped and listed. A path given directly is taken as a report unless
    it is not a regular file. Nothing is opened here, and nothing ever waits on a pipe.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found = Found()
    for p in map(Path, paths):
        try:
            st = os.stat(p)
        except OSError as e:
            found.skipped.append(_skip(p, _missing(p, e)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(p, found)
        elif stat.S_ISREG(st.st_mode):
            found.files.append(p)
        else:
            found.skipped.append(_skip(p, f"not a regular file but {kind_of(st.st_mode)}; skipped, never read"))
    return found


def find_reports(paths) -> list[Path]:
    """Report files under the given files and folders, in a stable order (see ``scan``)."""
    return scan(paths).files


def _skip(path, reason: str) -> tuple[str, str]:
    shown = readable(str(path))
    return shown, f"{shown}: {reason}"


def _missing(p: Path, e: OSError) -> str:
    if os.path.islink(p):
        return f"a symbolic link to {readable(os.readlink(p))}, which does not exist; skipped"
    return f"cannot be read ({e.strerror}); skipped"


def _walk(top: Path, found: Found) -> None:
    files, skipped = [], []

    def unreadable(e: OSError) -> None:
        skipped.append(_skip(e.filename, f"a folder that cannot be read ({e.strerror}); the reports in it, if any, "
                                         f"are not parsed"))

    for folder, dirs, names in os.walk(top, onerror=unreadable):
        here = Path(folder)
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if os.path.islink(here / d):
                skipped.append(_skip(here / d, "a symbolic link to a folder, not followed; give that folder "
                                               "itself to parse it"))
            else:
                keep.append(d)
        dirs[:] = keep
        for name in names:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = here / name
            try:
                st = os.stat(path)
            except OSError as e:
                skipped.append(_skip(path, _missing(path, e)))
                continue
            if stat.S_ISREG(st.st_mode):
                files.append(path)
            else:
                skipped.append(_skip(path, f"not a regular file but {kind_of(st.st_mode)}; skipped, never read"))
    found.files += sorted(files)
    found.skipped += sorted(skipped)
