"""Saving and loading models with skops: no pickle, and only trusted types are loaded.

A model file from someone else is input, not code. Before anything in a file
is built, every type skops does not trust by default must be

* a class defined in stancekit or scikit-learn (looked up by name, so a
  function, a module, or a class re-exported from elsewhere under one of
  those names is refused), or
* one of the few plain container types in :data:`TRUSTED_TYPES`.

Anything else is refused with an :class:`UntrustedModelError` that names it.
"""

import importlib
import io
import os
import zipfile
from pathlib import Path

import skops.io as sio

from . import __version__
from ._atomic import final_mode, temp_path

FORMAT = "stancekit-model/1"

#: Packages whose classes a model file may contain.
TRUSTED_PREFIXES = ("stancekit.", "sklearn.")

#: Further types, by exact name, that a model file may contain.
TRUSTED_TYPES = frozenset({
    "builtins.frozenset",
    "builtins.slice",
    "collections.Counter",
    "collections.OrderedDict",
    "collections.deque",
})


_NOT_MODEL_PARTS = frozenset({"conftest", "tests", "testing", "_testing"})


class UntrustedModelError(ValueError):
    """A model file contains types outside the trusted list."""


class ModelVersionError(ValueError):
    """A model file was written by an incompatible stancekit or scikit-learn version."""


def _major_minor(version):
    return tuple(str(version).split(".")[:2])


def _is_trusted(name):
    """Whether the type *name* (``module.Class``) reported by skops may be loaded."""
    if name in TRUSTED_TYPES:
        return True
    if not name.startswith(TRUSTED_PREFIXES):
        return False
    parts = name.split(".")
    # Nothing is imported for names that cannot be a model's type: dunder parts (``stancekit.__main__``
    # runs the command line when imported), empty parts, and test modules.
    if len(parts) < 2 or any(not p or p.startswith(("__", "test_")) or p in _NOT_MODEL_PARTS for p in parts):
        return False
    module, attr = ".".join(parts[:-1]), parts[-1]
    try:
        obj = getattr(importlib.import_module(module), attr, None)
    except Exception:
        return False
    return isinstance(obj, type) and f"{obj.__module__}.".startswith(TRUSTED_PREFIXES)


def untrusted_types(path):
    """Types in a model file that are not on the trusted list.

    Raises ValueError, naming the file, when it is not a skops archive.
    """
    try:
        found = sio.get_untrusted_types(file=path)
    except zipfile.BadZipFile:
        raise ValueError(f"{path}: not a stancekit model file (not a skops zip archive; truncated or "
                         f"another format?)") from None
    return sorted(t for t in found if not _is_trusted(t))


def save_model(model, path, *, metadata=None):
    """Save *model* to *path* with skops, atomically (temporary file, then rename).

    The file records the stancekit and scikit-learn versions and, for an
    Analyzer, the label set of every layer. If saving fails or is
    interrupted, a file already at *path* is left as it was.
    """
    import sklearn

    payload = {
        "format": FORMAT,
        "stancekit_version": __version__,
        "sklearn_version": sklearn.__version__,
        "labels": dict(getattr(model, "labels_", {})),
        "metadata": dict(metadata or {}),
        "model": model,
    }
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a model file path, found a directory")
    fd, tmp = temp_path(path)
    os.close(fd)
    try:
        sio.dump(payload, tmp)
        with open(tmp, "rb") as fh:
            os.fchmod(fh.fileno(), final_mode(path))
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load_model(path, *, check_versions=True, return_payload=False):
    """Load a model saved by :func:`save_model`.

    Raises
    ------
    UntrustedModelError
        Naming every type in the file that is not trusted.
    ModelVersionError
        When the file was written by another stancekit or scikit-learn minor version.
    ValueError
        When the file is empty, truncated, corrupt or not a stancekit model file.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a model file, found a directory")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such model file")
    return load_model_bytes(path.read_bytes(), path, check_versions=check_versions, return_payload=return_payload)


def load_model_bytes(data, path, *, check_versions=True, return_payload=False):
    """:func:`load_model` on the bytes *data* already read from the file *path* (named in errors).

    For a caller that needs the bytes anyway (``stancekit predict`` hashes
    them to find the model's compiled form), so the file is read once and
    the model loaded is the one hashed.
    """
    import sklearn

    path = Path(path)
    if not data:
        raise ValueError(f"{path}: not a stancekit model file (the file is empty)")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError(f"{path}: not a stancekit model file (not a skops zip archive; truncated or "
                         f"another format?)")
    try:
        found = sio.get_untrusted_types(data=data)
    except Exception as exc:
        raise ValueError(f"{path}: not a stancekit model file (skops could not read it: {exc})") from None
    bad = sorted(t for t in found if not _is_trusted(t))
    if bad:
        raise UntrustedModelError(f"{path}: refusing to load untrusted types: {', '.join(bad)}")
    try:
        payload = sio.load(io.BytesIO(data), trusted=found)
    except Exception as exc:
        raise ValueError(f"{path}: corrupt model file (skops could not load it: {type(exc).__name__}: "
                         f"{exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT or "model" not in payload:
        raise ValueError(f"{path}: expected a stancekit model file (format {FORMAT}), found something else")
    if check_versions:
        for name, key, have in (("stancekit", "stancekit_version", __version__),
                                ("scikit-learn", "sklearn_version", sklearn.__version__)):
            written = payload.get(key)
            if not isinstance(written, str):
                raise ModelVersionError(f"{path}: the file does not record the {name} version it was "
                                        f"written with ('{key}' is {written!r}); retrain the model "
                                        f"(stancekit train)")
            if _major_minor(written) != _major_minor(have):
                raise ModelVersionError(
                    f"{path}: written with {name} {written}, but {name} {have} is installed; "
                    f"retrain the model (stancekit train) or install {name}=={written}")
    return payload if return_payload else payload["model"]
