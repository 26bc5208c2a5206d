"""Saving and loading models with skops: no pickle, and only trusted types are loaded."""

import io
import os
import tempfile
from pathlib import Path

import skops.io as sio

from . import __version__

FORMAT = "stancekit-model/1"

#: Module prefixes whose types a model file may contain.
TRUSTED_PREFIXES = ("stancekit.", "sklearn.", "numpy.", "scipy.sparse.", "builtins.", "collections.")


class UntrustedModelError(ValueError):
    """A model file contains types outside the trusted list."""


class ModelVersionError(ValueError):
    """A model file was written by an incompatible stancekit or scikit-learn version."""


def _major_minor(version):
    return tuple(version.split(".")[:2])


def save_model(model, path, *, metadata=None):
    """Save *model* to *path* with skops, atomically (temporary file, then rename).

    The file records the stancekit and scikit-learn versions and, for an
    Analyzer, the label set of every layer.
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        sio.dump(payload, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def untrusted_types(path):
    """Types in a model file that are not on the trusted list."""
    found = sio.get_untrusted_types(file=path)
    return sorted(t for t in found if not t.startswith(TRUSTED_PREFIXES))


def load_model(path, *, check_versions=True, return_payload=False):
    """Load a model saved by :func:`save_model`.

    Raises
    ------
    UntrustedModelError
        Naming every type in the file that is not trusted.
    ModelVersionError
        When the file was written by another stancekit or scikit-learn minor version.
    """
    import sklearn

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a model file, found a directory")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such model file")
    data = path.read_bytes()
    try:
        found = sio.get_untrusted_types(data=data)
    except Exception as exc:
        raise ValueError(f"{path}: not a stancekit model file (skops could not read it: {exc})") from None
    bad = sorted(t for t in found if not t.startswith(TRUSTED_PREFIXES))
    if bad:
        raise UntrustedModelError(f"{path}: refusing to load untrusted types: {', '.join(bad)}")
    payload = sio.load(io.BytesIO(data), trusted=found)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"{path}: expected a stancekit model file (format {FORMAT}), found something else")
    if check_versions:
        for name, have in (("stancekit", __version__), ("scikit-learn", sklearn.__version__)):
            key = "stancekit_version" if name == "stancekit" else "sklearn_version"
            if _major_minor(payload[key]) != _major_minor(have):
                raise ModelVersionError(
                    f"{path}: written with {name} {payload[key]}, but {name} {have} is installed; "
                    f"retrain the model (stancekit train) or install {name}=={payload[key]}")
    return payload if return_payload else payload["model"]
