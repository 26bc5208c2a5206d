"""Atomic file writing: a temporary file in the same folder, renamed into place on success."""

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _umask():
    """The process umask, read without changing it where the platform allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def final_mode(path):
    """Permission bits for a file about to replace *path*.

    An existing file keeps its mode; a new one gets what ``open()`` would give
    it (``0o666`` minus the umask) rather than the private ``0o600`` of a
    temporary file.
    """
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def temp_path(path):
    """Create an empty temporary file beside *path*; return ``(fd, name)``."""
    path = Path(path)
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")


@contextlib.contextmanager
def atomic_text_writer(path, *, encoding="utf-8"):
    """Open a temporary file beside *path* for writing; rename it to *path* only on success.

    If the block raises (or the process dies) *path* keeps its previous
    content, or stays absent; the temporary file is removed on an exception.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a file path, found a directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temp_path(path)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), final_mode(path))
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
