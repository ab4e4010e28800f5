"""Writing files so that they are never half-written: a temporary file beside the target, flushed
and renamed into place. A failure (no space, read-only, a folder where the file should be) leaves
the previous file as it was and is raised as `OutputError` with a message fit for the user."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

__all__ = ["OutputError", "check_output_file", "describe_os_error", "display_path", "write_bytes_atomic", "write_text_atomic"]


class OutputError(Exception):
    """An output could not be written; `str()` is the user-facing message (path and reason)."""


_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EISDIR: "a folder is in the way (a file was expected)",
    errno.ENOTDIR: "a file is in the way (a folder was expected)",
    errno.EEXIST: "a file is in the way (a folder was expected)",
    errno.ENOENT: "a parent folder does not exist",
}


def display_path(path: Path) -> str:
    """`path` as a message shows it: relative to the working folder when below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def describe_os_error(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def check_output_file(path: Path, *inputs: Path) -> None:
    """Refuse, before anything is written, an output file that is an input or a folder."""
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name for the output")
    for source in inputs:
        with contextlib.suppress(OSError):
            if path.exists() and os.path.samefile(path, source):
                raise OutputError(f"{path}: is the input file; writing there would destroy it (choose another -o)")
        if path.resolve() == source.resolve():
            raise OutputError(f"{path}: is the input file; writing there would destroy it (choose another -o)")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and an atomic rename: a
    reader, or a run that is interrupted, killed or out of disk space, sees the old file or the new
    one, never a part. Not `fsync`ed, as compilers and formatters write theirs: that would wait on
    the disk at every output (5-10 ms for a 1 MB connector) to guard only against a power failure
    in the next seconds, after which the command is simply run again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        fd, tmp = _open_temporary(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {describe_os_error(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{path}: cannot write: {describe_os_error(exc)}; the previous file is unchanged") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _open_temporary(path: Path) -> tuple[int, str]:
    """A new file beside `path`, created exclusively (mode 0600, as `tempfile.mkstemp` makes it).
    Not `tempfile` itself: importing it pulls shutil, random, bz2 and lzma into every start."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8 text with the line endings as given (`\\n`), written atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
