"""Atomic outputs: an interrupted run, save or predict leaves the previous run folder / model file / output
file intact and no half-written result at its path.

Interruptions are real: `stancekit run` / `save_model` / `stancekit predict` run in a child process
(forked, so it starts in milliseconds) that gets SIGKILL at a chosen point, either from itself at an
exact step or from the parent while it is busy; or an exception (including KeyboardInterrupt) is raised
midway in-process.
"""

import json
import os
import signal
import textwrap
import time

import pytest

from stancekit._atomic import atomic_text_writer
from stancekit.cli import main
from stancekit.persistence import load_model, save_model

pytestmark = pytest.mark.skipif(not (hasattr(signal, "SIGKILL") and hasattr(os, "fork")),
                                reason="needs fork and SIGKILL")


def _config(tmp_path, corpus_dir):
    path = tmp_path / "exp.toml"
    path.write_text(textwrap.dedent(f'''\
        name = "exp"
        seed = 1
        [data]
        corpus = "{corpus_dir}"
        layer = "hedging"
        [[features]]
        name = "word_tfidf"
        [classifier]
        name = "logistic_regression"
        [evaluation]
        bootstrap = 50
        '''))
    return path


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _start(fn, log):
    """Run ``fn()`` in a forked child whose output goes to *log*; return its pid. The child never returns."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            code = fn() or 0
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 71
        finally:
            os._exit(code)
    return pid


def _wait(pid, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("child process did not finish")


def _run_child(fn, tmp_path):
    """Run ``fn()`` in a child process and check that it died of SIGKILL."""
    log = tmp_path.parent / f"{tmp_path.name}.child.log"
    status = _wait(_start(fn, str(log)))
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, log.read_text()[-3000:]


def _kill_self():
    os.kill(os.getpid(), signal.SIGKILL)


def _on_call(obj, name, n, action):
    """Patch ``obj.name`` (in the child only) so that its n-th call runs ``action(call)`` instead."""
    real = getattr(obj, name)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == n:
            return action(real, args, kwargs)
        return real(*args, **kwargs)

    setattr(obj, name, wrapper)


def _kill(real, args, kwargs):
    _kill_self()


def _after_then_kill(real, args, kwargs):
    real(*args, **kwargs)
    _kill_self()


@pytest.fixture(scope="module")
def previous_run(module_corpus_dir, tmp_path_factory):
    """A finished run folder, made once; tests copy it."""
    root = tmp_path_factory.mktemp("runs")
    cfg = _config(root, module_corpus_dir)
    assert main(["run", str(cfg), "--output-dir", str(root / "exp")]) == 0
    return cfg, _snapshot(root / "exp")


def _restore(tmp_path, previous_run):
    cfg, files = previous_run
    out = tmp_path / "runs" / "exp"
    out.mkdir(parents=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return cfg, out, files


def _run(cfg, out, overwrite=True):
    return main(["run", str(cfg), "--output-dir", str(out)] + (["--overwrite"] if overwrite else []))


def test_run_killed_while_writing_leaves_the_previous_run_folder_intact(tmp_path, previous_run):
    cfg, out, files = _restore(tmp_path, previous_run)

    def child():
        _on_call(os, "fsync", 2, _after_then_kill)  # after the second file of the new folder is on disk
        return _run(cfg, out)

    _run_child(child, tmp_path)
    assert _snapshot(out) == files
    # nothing half-written is visible: only the run folder (and a hidden temporary folder the kill left)
    assert [p.name for p in out.parent.iterdir() if not p.name.startswith(".")] == ["exp"]
    assert all(p.name.endswith(".tmp") for p in out.parent.iterdir() if p.name.startswith("."))


def test_first_run_killed_while_writing_leaves_no_run_folder(tmp_path, module_corpus_dir):
    cfg = _config(tmp_path, module_corpus_dir)
    out = tmp_path / "runs" / "exp"

    def child():
        _on_call(os, "fsync", 2, _after_then_kill)
        return _run(cfg, out, overwrite=False)

    _run_child(child, tmp_path)
    assert not out.exists()


def test_run_killed_from_outside_while_busy(tmp_path, previous_run):
    # The parent sends SIGKILL while the child is in the middle of the run (evaluation done, nothing written).
    import stancekit.experiments._runner as runner

    cfg, out, files = _restore(tmp_path, previous_run)
    marker = tmp_path / "busy"

    def child():
        def slow(real, args, kwargs):
            result = real(*args, **kwargs)
            marker.write_text("evaluated")
            time.sleep(60)
            return result

        _on_call(runner, "evaluate", 1, slow)
        return _run(cfg, out)

    pid = _start(child, str(tmp_path / "child.log"))
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            assert os.waitpid(pid, os.WNOHANG)[0] == 0, (tmp_path / "child.log").read_text()
            time.sleep(0.02)
        assert marker.exists(), "child too slow"
    finally:
        os.kill(pid, signal.SIGKILL)
    status = _wait(pid)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert _snapshot(out) == files


@pytest.mark.parametrize("when", [_kill, _after_then_kill], ids=["before the swap", "right after the swap"])
def test_run_killed_at_the_swap_keeps_a_run_folder(tmp_path, previous_run, when):
    import stancekit.experiments._runner as runner

    cfg, out, files = _restore(tmp_path, previous_run)

    def child():
        _on_call(runner, "_exchange", 1, when)  # the atomic exchange of the new and the old folder
        return _run(cfg, out)

    _run_child(child, tmp_path)
    assert out.is_dir()
    if when is _kill:
        assert _snapshot(out) == files


@pytest.mark.parametrize("overwrite", [False, True], ids=["without overwrite", "with overwrite"])
def test_swap_killed_between_the_two_renames_is_restored_by_the_next_write(tmp_path, previous_run, overwrite):
    from stancekit.experiments._runner import write_run_folder

    cfg, out, files = _restore(tmp_path, previous_run)

    def child():
        import stancekit.experiments._runner as runner

        runner._exchange = lambda a, b: False  # the fallback path: two renames, where no exchange exists
        _on_call(os, "replace", 2, _kill)
        return _run(cfg, out)

    _run_child(child, tmp_path)
    assert [p.name for p in out.parent.iterdir() if ".old-" in p.name]  # the interrupted swap's leftover
    if overwrite:
        write_run_folder(out, {"metrics.json": "{}\n"}, overwrite=True)
        assert _snapshot(out) == {"metrics.json": b"{}\n"}
    else:
        with pytest.raises(FileExistsError):
            write_run_folder(out, {"metrics.json": "{}\n"})
        assert _snapshot(out) == files
    assert [p.name for p in out.parent.iterdir() if not p.name.endswith(".tmp")] == ["exp"]


@pytest.mark.parametrize("first", [False, True], ids=["over a previous run", "first run"])
def test_run_writer_raising_midway_keeps_the_previous_folder(tmp_path, previous_run, monkeypatch, first):
    import builtins

    import stancekit.experiments._runner as runner

    cfg, out, files = _restore(tmp_path, previous_run)
    if first:
        for p in out.iterdir():
            p.unlink()
        out.rmdir()
    opened = []

    def failing_open(path, *args, **kwargs):
        opened.append(path)
        if len(opened) == 3:
            raise OSError(28, "No space left on device", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(runner, "open", failing_open, raising=False)
    assert main(["run", str(cfg), "--output-dir", str(out), "--overwrite"]) == 2
    assert len(opened) == 3
    if first:
        assert list(out.parent.iterdir()) == []  # no run folder, and the temporary folder was removed
    else:
        assert _snapshot(out) == files
        assert sorted(p.name for p in out.parent.iterdir()) == ["exp"]


def test_interrupted_run_keyboard_interrupt(tmp_path, previous_run, monkeypatch):
    import stancekit.experiments._runner as runner

    cfg, out, files = _restore(tmp_path, previous_run)

    def interrupt(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "config_to_toml", interrupt)  # called while the files are prepared
    with pytest.raises(KeyboardInterrupt):
        main(["run", str(cfg), "--output-dir", str(out), "--overwrite"])
    assert _snapshot(out) == files
    assert sorted(p.name for p in out.parent.iterdir()) == ["exp"]


def test_run_folder_is_not_private(tmp_path, module_corpus_dir):
    cfg = _config(tmp_path, module_corpus_dir)
    old = os.umask(0o022)
    try:
        assert main(["run", str(cfg), "--output-dir", str(tmp_path / "exp")]) == 0
    finally:
        os.umask(old)
    assert oct(os.stat(tmp_path / "exp").st_mode & 0o777) == oct(0o755)


# ----------------------------------------------------------------------------------------------
# save_model


@pytest.fixture
def two_models(trained_model, tmp_path):
    """The model file at its path (the previous state) and a different model to save over it."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    path = tmp_path / "model.skops"
    path.write_bytes(trained_model.read_bytes())
    return path, path.read_bytes(), TfidfVectorizer().fit(["alpha beta", "beta gamma"])


def _half_dump(then):
    def action(real, args, kwargs):
        real(*args, **kwargs)
        with open(args[1], "r+b") as fh:  # leave a truncated archive behind, as a crash would
            fh.truncate(os.path.getsize(args[1]) // 2)
        then()
    return action


@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk full", "KeyboardInterrupt"])
def test_save_failing_midway_keeps_the_previous_model(two_models, monkeypatch, exc):
    import stancekit.persistence as persistence

    path, before, other = two_models
    real_dump = persistence.sio.dump

    def half_dump(obj, file):
        _half_dump(lambda: (_ for _ in ()).throw(exc))(real_dump, (obj, file), {})

    monkeypatch.setattr(persistence.sio, "dump", half_dump)
    with pytest.raises(type(exc)):
        save_model(other, path)
    assert path.read_bytes() == before
    assert load_model(path).labels_["hedging"] == ["certain", "hedged"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.skops"]


def test_save_killed_midway_keeps_the_previous_model(two_models, tmp_path):
    import stancekit.persistence as persistence

    path, before, other = two_models

    def child():
        _on_call(persistence.sio, "dump", 1, _half_dump(_kill_self))
        save_model(other, path)

    _run_child(child, tmp_path)
    assert path.read_bytes() == before
    load_model(path)
    leftovers = [p.name for p in path.parent.iterdir() if p.name != "model.skops"]
    assert all(n.startswith(".model.skops.") and n.endswith(".tmp") for n in leftovers)


def test_first_save_interrupted_leaves_no_model_file(tmp_path, monkeypatch):
    import stancekit.persistence as persistence

    def boom(obj, file):
        with open(file, "wb") as fh:
            fh.write(b"PK\x03\x04 partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(persistence.sio, "dump", boom)
    with pytest.raises(KeyboardInterrupt):
        save_model(object(), tmp_path / "new.skops")
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------------------------
# predict --output


def _predict_input(path, n):
    texts = ["Troops crossed the border on Monday.", "Officials said the convoy may have left."]
    path.write_text("".join(json.dumps({"id": i, "text": texts[i % 2]}) + "\n" for i in range(n)))
    return path


@pytest.mark.parametrize("exc", [RuntimeError("model failed"), KeyboardInterrupt()],
                         ids=["error", "KeyboardInterrupt"])
def test_predict_interrupted_midway_keeps_the_previous_output(trained_model, tmp_path, monkeypatch, exc):
    from stancekit._labeling import BatchLabeler  # the Analyzer's and the compiled predictor's labeling

    inp = _predict_input(tmp_path / "in.jsonl", 5000)  # 3 chunks of 2048 lines
    out = tmp_path / "out.jsonl"
    out.write_text('{"previous": true}\n')
    real = BatchLabeler._analyze_chunk
    calls = []

    def flaky(self, texts, targets):
        calls.append(len(texts))
        if len(calls) == 2:
            raise exc
        return real(self, texts, targets)

    monkeypatch.setattr(BatchLabeler, "_analyze_chunk", flaky)
    with pytest.raises(type(exc)):
        main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out)])
    assert calls[0] == 2048
    assert out.read_text() == '{"previous": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_predict_killed_midway_keeps_the_previous_output(trained_model, tmp_path):
    from stancekit._labeling import BatchLabeler

    inp = _predict_input(tmp_path / "in.jsonl", 2100)  # two chunks of input; killed on the second
    out = tmp_path / "out.jsonl"
    out.write_text('{"previous": true}\n')

    def child():
        _on_call(BatchLabeler, "_analyze_chunk", 2, _kill)
        return main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out)])

    _run_child(child, tmp_path)
    assert out.read_text() == '{"previous": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["in.jsonl", "out.jsonl"]


def test_predict_output_file_is_not_private(trained_model, tmp_path):
    inp = _predict_input(tmp_path / "in.jsonl", 3)
    old = os.umask(0o022)
    try:
        assert main(["predict", "--model", str(trained_model), "--input", str(inp),
                     "--output", str(tmp_path / "out.jsonl")]) == 0
    finally:
        os.umask(old)
    assert oct(os.stat(tmp_path / "out.jsonl").st_mode & 0o777) == oct(0o644)


# ----------------------------------------------------------------------------------------------
# The writer itself


def test_atomic_text_writer(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    with pytest.raises(ValueError):
        with atomic_text_writer(path) as fh:
            fh.write("half")
            raise ValueError("stop")
    assert path.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]
    with atomic_text_writer(path) as fh:
        fh.write("new\n")
    assert path.read_text() == "new\n"
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)  # the existing file's mode is kept
    with pytest.raises(IsADirectoryError):
        with atomic_text_writer(tmp_path):
            pass


def test_output_paths_that_cannot_be_written_are_named_before_any_work(tmp_path, capsys):
    from stancekit.cli import main

    blocker = tmp_path / "afile"
    blocker.write_text("x")
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "Troops crossed."}\n')
    assert main(["predict", "--input", str(inp), "--output", str(blocker / "out.jsonl"), "--quiet"]) == 2
    assert f"{blocker / 'out.jsonl'}: cannot write there: {blocker} is a file, not a folder" in capsys.readouterr().err
    assert main(["train", "--output", str(tmp_path), "--splits", "dev"]) == 2
    assert f"{tmp_path}: expected a file path, found a directory" in capsys.readouterr().err
    assert main(["train", "--output", str(blocker / "m.skops"), "--splits", "dev"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "in.jsonl"]
