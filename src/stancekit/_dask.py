"""Labeling and experiment grids on a Dask cluster (the optional extra ``dask``).

``stancekit predict --scheduler ADDRESS`` sends the model to every worker once
(``Client.scatter(..., broadcast=True)``), then submits one task per chunk of
input lines, keeping a bounded number in flight, and writes the results in
input order as they arrive. Every worker needs the same stancekit version
installed (``pip install 'stancekit[dask]'``).
"""

import contextlib
from collections import deque

INSTALL_COMMAND = "pip install 'stancekit[dask]'"


def require_distributed():
    """Return the ``distributed`` module, or raise ImportError naming the install command."""
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(f"running on a Dask cluster needs dask[distributed], which is not installed; "
                          f"install it with: {INSTALL_COMMAND}") from exc
    return distributed


def dask_label_chunks(scheduler, model, chunks, options, *, max_in_flight=None):
    """Label ``(first_line, lines)`` chunks on a Dask cluster; yield ``label_chunk`` results in input order.

    Parameters
    ----------
    scheduler : str or distributed.Client
        Scheduler address (``tcp://host:8786``) or a connected client.
    model : Analyzer
        Sent to every worker once.
    chunks : iterable of (int, list of bytes)
        Consumed lazily: at most *max_in_flight* chunks (default: twice the
        cluster's worker threads) are submitted and not yet written.
    options : dict
        Keyword arguments of :func:`stancekit._predict.label_lines`.
    """
    from ._predict import label_chunk

    distributed = require_distributed()
    own = not isinstance(scheduler, distributed.Client)
    client = distributed.Client(scheduler) if own else scheduler
    pending = deque()
    model_future = None
    try:
        model_future = client.scatter(model, broadcast=True, hash=False)
        limit = max_in_flight or 2 * max(1, sum(client.nthreads().values()))
        for first, lines in chunks:
            pending.append(client.submit(label_chunk, model_future, lines, first, options, pure=False))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        if model_future is not None:
            model_future.release()
        if own:
            client.close()


@contextlib.contextmanager
def dask_backend(scheduler):
    """Run every joblib ``Parallel`` inside the block on the Dask cluster at *scheduler*.

    ``stancekit run|benchmark|ablation|replicate --scheduler ADDRESS`` wraps
    the experiments in it: configs of a suite, cross-validation folds,
    learning-curve points and ``GridSearchCV`` candidates (whatever runs
    through joblib with the default backend) become Dask tasks. Each task
    carries its own seed, so the results are those of a local run.
    *scheduler* is an address or a connected ``distributed.Client``.
    """
    import joblib

    distributed = require_distributed()
    own = not isinstance(scheduler, distributed.Client)
    client = distributed.Client(scheduler) if own else scheduler
    try:
        with joblib.parallel_config(backend="dask"):
            yield client
    finally:
        if own:
            client.close()
