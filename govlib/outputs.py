"""Output folders that govlib may write: never an input or a folder of the user's, one run at a time, replaced so
that the folder always holds a complete set (the old one or the new one), leftovers of killed runs cleaned up.

``govlib parse`` replaces its whole folder (``replace_folder``); ``govlib briefs`` writes files into its folder one
by one, each atomically (``write_file``). Both first ``claim`` the folder: it must be new, empty, or marked as
written by govlib, and must neither be, hold nor lie inside one of the run's inputs.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

from .errors import OutputError

MARKER_KEY = "written_by"  # in a parse folder's manifest.json: {"written_by": "govlib parse", ...}
CHECKSUMS_KEY = "sha256"  # in a parse folder's manifest.json: {"sha256": {"reports.parquet": "ab12…", ...}}
BRIEFS_MARKER = ".govlib-briefs"  # a file at the top of a folder of briefs
_IGNORABLE = {".gitkeep", ".DS_Store", "Thumbs.db"}  # a folder holding only these counts as empty


def checkpoint(name: str) -> None:
    """A point where a test may kill this process (``GOVLIB_KILL_AT=name``), as a crash or the OOM killer would:
    with SIGKILL, or the signal ``GOVLIB_KILL_SIGNAL`` names (``TERM``); only the first time a process of the run
    reaches it when ``GOVLIB_KILL_ONCE`` names a file to remember that by."""
    if os.environ.get("GOVLIB_KILL_AT") != name:
        return
    once = os.environ.get("GOVLIB_KILL_ONCE")
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    os.kill(os.getpid(), getattr(signal, "SIG" + os.environ.get("GOVLIB_KILL_SIGNAL", "KILL")))


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def target(out: str | Path) -> Path:
    """The folder written: ``out`` itself, or the folder a symbolic link ``out`` points to (the link is kept)."""
    out = Path(out)
    return out.resolve() if out.is_symlink() else Path(os.path.abspath(out))


def _overlap(out: Path, inputs) -> Path | None:
    """The first input that ``out`` is, holds, or lies inside."""
    for given in inputs:
        p = Path(given).resolve()
        if out == p or out in p.parents or p in out.parents:
            return p
    return None


def parse_folder_marked(folder: Path) -> bool:
    """Whether ``folder`` was written by ``govlib parse`` (its manifest says so; older versions wrote a manifest
    with the ``govlib`` code fingerprint beside the tables)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and (manifest.get(MARKER_KEY) == "govlib parse" or
                                           ("govlib" in manifest and (folder / "reports.parquet").exists()))


def briefs_folder_marked(folder: Path) -> bool:
    """Whether ``folder`` holds govlib's briefs (its marker, or an index written by an older version)."""
    if (folder / BRIEFS_MARKER).is_file():
        return True
    try:
        return "<title>govlib briefs</title>" in (folder / "index.html").read_text(encoding="utf-8")[:400]
    except (OSError, UnicodeDecodeError):
        return False


def claim(out: str | Path, inputs, kind: str) -> Path:
    """Check that a run may write ``out`` and return the folder to write (a symlink's target).

    ``kind`` is ``"parse"`` or ``"briefs"``. Refused: an ``out`` that is, holds or lies inside an input; a file; a
    folder with files that govlib did not write there.
    """
    folder = target(out)
    hit = _overlap(folder, inputs)
    if hit is not None:
        how = "is" if folder == hit else ("holds" if folder in hit.parents else "lies inside")
        raise OutputError(f"refusing to write {kind} output to {out}: it {how} the input {hit}, which would be "
                          f"replaced or mixed with govlib's files; choose a folder of its own, e.g. data/processed")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{out} is a file, not a folder; choose a folder for the {kind} output")
    if folder.is_dir():
        marked = parse_folder_marked(folder) if kind == "parse" else briefs_folder_marked(folder)
        if not marked:
            try:
                own = sorted(p.name for p in folder.iterdir() if p.name not in _IGNORABLE)
            except OSError as e:
                raise OutputError(f"{out} cannot be read ({e.strerror}); choose another folder") from None
            if own:
                shown = ", ".join(own[:5]) + (" …" if len(own) > 5 else "")
                raise OutputError(
                    f"refusing to write {kind} output to {out}: it holds files govlib did not write ({shown}); "
                    f"choose an empty or new folder, or one that `govlib {kind}` wrote")
    return folder


@contextlib.contextmanager
def locked(folder: Path, what: str):
    """Hold the lock of output ``folder`` for this run; a second run says who writes it and stops.

    The lock is a file beside the folder (the folder itself may be replaced), locked with ``flock``, so that the
    kernel frees it when the process dies, however it dies; it is removed when the run ends.
    """
    import fcntl

    folder.parent.mkdir(parents=True, exist_ok=True)
    path = folder.parent / f".{folder.name}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, _, task = os.pread(fd, 64, 0).decode("ascii", "replace").strip().partition(" ")
            os.close(fd)
            raise OutputError(f"another govlib run is writing {folder} (pid {pid or '?'}, govlib {task or '?'}); "
                              f"wait for it to finish and run again") from None
        try:  # the file locked must still be the one at the path: a run ending removes it
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {what}\n".encode(), 0)
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def damaged_files(folder: Path, manifest: dict, names) -> list[str]:
    """Those of the files ``names`` in a parse folder that are missing, or whose sha256 is not the one its manifest
    recorded when they were written (a manifest without checksums, from an older govlib, checks presence only)."""
    sums = manifest.get(CHECKSUMS_KEY) if isinstance(manifest.get(CHECKSUMS_KEY), dict) else {}
    out = []
    for name in names:
        path = folder / name
        try:
            if not path.is_file() or (name in sums and sha256_of(path) != sums[name]):
                out.append(name)
        except OSError:
            out.append(name)
    return out


def check_tables(folder: Path, names) -> None:
    """Raise an ``OutputError`` naming each table of ``names`` in ``folder`` that is damaged (its checksum differs
    from the manifest's) or missing."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        manifest = {}
    except (OSError, ValueError) as e:
        raise OutputError(f"{folder / 'manifest.json'} is damaged ({e}); run `govlib parse --force` to write the "
                          f"tables again") from None
    bad = damaged_files(folder, manifest if isinstance(manifest, dict) else {}, names)
    missing = [n for n in bad if not (folder / n).exists()]
    if missing:
        raise OutputError(f"{folder}: no {', '.join(n.removesuffix('.parquet') for n in missing)} table; run "
                          f"`govlib parse` first to write it")
    if bad:
        raise OutputError(f"{folder / bad[0]} is damaged: its sha256 is not the one `govlib parse` recorded in "
                          f"manifest.json{' (and ' + ', '.join(bad[1:]) + ')' if bad[1:] else ''}; run "
                          f"`govlib parse --force` to write the tables again")


def _leftovers(folder: Path) -> list[Path]:
    prefix = f".{folder.name}."
    return [p for p in folder.parent.glob(f"{glob_escape(prefix)}*")
            if p.name[len(prefix):].startswith(("tmp-", "old-")) and p.is_dir() and not p.is_symlink()]


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def recover(folder: Path) -> None:
    """After a run was killed between the two renames of a swap without atomic exchange: put the previous complete
    folder back. Holding the lock (or finding the folder missing) is the caller's business."""
    if folder.exists():
        return
    old = sorted((p for p in _leftovers(folder) if ".old-" in p.name), key=lambda p: p.stat().st_mtime)
    complete = [p for p in old if (p / "manifest.json").exists()]
    if complete:
        os.replace(complete[-1], folder)


def recover_if_idle(folder: Path) -> None:
    """For a reader that finds ``folder`` missing: put back the previous set a killed run left, unless a run is
    writing it now."""
    if folder.exists() or not _leftovers(folder):
        return
    with locked(folder, "recovery"):
        recover(folder)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary and old folders of runs that were killed (call it holding the lock)."""
    recover(folder)
    gone = _leftovers(folder)
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone


_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where not supported."""
    global _libc
    if os.environ.get("GOVLIB_NO_EXCHANGE") == "1":  # tests exercise the fallback
        return False
    try:
        if _libc is None:
            _libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = _libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def new_folder(folder: Path) -> Path:
    """A temporary folder beside ``folder`` to build its replacement in, with ``folder``'s mode (or the umask's)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    mode = (folder.stat().st_mode & 0o7777) if folder.is_dir() else _umask_mode()
    os.chmod(tmp, mode)
    return tmp


def replace_folder(tmp: Path, folder: Path) -> None:
    """Put the complete folder ``tmp`` in the place of ``folder``: at every instant ``folder`` is the old set or the
    new one (an atomic exchange; where the file system has none, two renames that the next run undoes if killed
    between them)."""
    if not folder.exists():
        os.replace(tmp, folder)
        return
    if _exchange(tmp, folder):
        checkpoint("after-swap")
        shutil.rmtree(tmp, ignore_errors=True)  # now the old set
        return
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    os.replace(folder, old)
    checkpoint("between-renames")
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)


def write_file(path: Path, text: str) -> None:
    """Write a text file atomically (a temporary file beside it, then a rename), readable by everyone it is shared
    with."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file atomically (a temporary file beside it, then a rename), readable by everyone it is shared
    with."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
