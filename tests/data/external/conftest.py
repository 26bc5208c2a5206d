"""Helpers for the external-benchmark loader tests: fixtures are tiny invented files in each format."""

import pytest


def write(path, text, *, bom=False, crlf=False):
    """Write *text* as UTF-8 to *path* (parents created), optionally with a BOM and CRLF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.fixture
def write_file():
    return write


@pytest.fixture(autouse=True)
def _no_data_env(monkeypatch):
    # Fixture tests must never read a real data directory by accident.
    monkeypatch.delenv("STANCEKIT_DATA", raising=False)
