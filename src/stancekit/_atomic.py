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


def check_output_path(path):
    """Raise an error naming *path* unless a file can be written there (its folder is created if missing).

    Called before long work (training, labeling) so that a bad output path fails at once, and by the
    writers below so that the error names the path given, not a temporary file beside it.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a file path, found a directory")
    for ancestor in path.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise NotADirectoryError(f"{path}: cannot write there: {ancestor} is a file, not a folder")
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(f"{path}: cannot create its folder {path.parent} ({exc.strerror})") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise PermissionError(f"{path}: cannot write in the folder {path.parent} (permission denied)")
    return path


def temp_path(path):
    """Create an empty temporary file beside *path*; return ``(fd, name)``."""
    path = check_output_path(path)
    try:
        return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OSError(f"{path}: cannot write a file there ({exc.strerror})") from None


@contextlib.contextmanager
def atomic_text_writer(path, *, encoding="utf-8"):
    """Open a temporary file beside *path* for writing; rename it to *path* only on success.

    If the block raises (or the process dies) *path* keeps its previous
    content, or stays absent; the temporary file is removed on an exception.
    """
    path = Path(path)
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
