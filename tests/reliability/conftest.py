"""Shared fixtures of the reliability tests: a tiny corpus, a model trained on it once per module,
and a helper that makes a file unreadable (skipping where that is impossible, e.g. as root)."""

import importlib.util
import os
from pathlib import Path

import pytest

# The root conftest is imported by pytest under the shared name "conftest"; load its corpus writer
# from its file so this does not depend on which conftest module was imported last.
_spec = importlib.util.spec_from_file_location("_stancekit_tests_root_conftest",
                                               Path(__file__).resolve().parents[1] / "conftest.py")
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)
write_corpus = _root.write_corpus


@pytest.fixture(scope="module")
def module_corpus_dir(tmp_path_factory):
    """A tiny valid corpus, written once per module (do not modify it)."""
    return write_corpus(tmp_path_factory.mktemp("corpus") / "tiny")


@pytest.fixture(scope="module")
def trained_model(module_corpus_dir, tmp_path_factory):
    """A model file written by ``stancekit train --corpus <tiny corpus>``, once per module."""
    from stancekit.cli import main

    path = tmp_path_factory.mktemp("model") / "model.skops"
    assert main(["train", "--corpus", str(module_corpus_dir), "--output", str(path)]) == 0
    return path


@pytest.fixture
def make_unreadable():
    """``make_unreadable(path)``: chmod 000, or skip when the file stays readable (running as root)."""
    changed = []

    def _make(path):
        path = Path(path)
        mode = path.stat().st_mode
        os.chmod(path, 0)
        changed.append((path, mode))
        if os.access(path, os.R_OK):
            pytest.skip("chmod 000 does not make a file unreadable here (running as root)")
        return path

    yield _make
    for path, mode in changed:
        os.chmod(path, mode)
