"""Atomic file writing: a temporary file in the same folder, renamed into place on success."""

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_text_writer(path, *, encoding="utf-8"):
    """Open a temporary file beside *path* for writing; rename it to *path* only on success."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a file path, found a directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
