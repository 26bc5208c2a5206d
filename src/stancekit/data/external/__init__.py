"""Loaders for public benchmark datasets, into one common in-memory form.

Each loader reads a dataset from its folder under a data directory given at
run time (the ``data_dir`` argument, else the environment variable
``STANCEKIT_DATA``); no data ship with stancekit. Every loader returns an
:class:`ExternalDataset` whose ``items`` are dicts with the keys ``id``,
``text``, ``target``, ``label``, ``split``, ``group`` and ``cues``.

=============  ===============================  ===========  ============================================
name           folder                           layer        splits
=============  ===============================  ===========  ============================================
emergent       ``emergent``                     stance       train, test
fnc1           ``fnc1``                         stance       test (train only with train_stances.csv)
semeval2016    ``semeval2016t6_tweeteval``      stance       train, val, test
rumoureval     ``rumoureval2017_sdqc``          stance       train, dev
perspectrum    ``perspectrum``                  stance       train, dev, test
conll2010      ``conll2010_wiki_pattern``       hedging      all
szeged         ``szeged_uncertainty``           hedging      fold0 ... fold9 (by document)
checkthat      ``clef2024_task1_en``            checkworthy  train, dev, dev-test, test
claimbuster    ``claimbuster_ncs``              checkworthy  train, test
=============  ===============================  ===========  ============================================

Examples
--------
>>> from stancekit.data.external import load_external
>>> ds = load_external("emergent", "/path/to/benchmarks")  # doctest: +SKIP
>>> X, y, groups = ds.view("train")                          # doctest: +SKIP
"""

from ._checkthat import load_checkthat
from ._claimbuster import load_claimbuster
from ._common import DATA_ENV, EXTERNAL_LAYERS, ExternalDataset, resolve_data_dir
from ._conll2010 import load_conll2010
from ._emergent import load_emergent
from ._fnc1 import load_fnc1
from ._perspectrum import load_perspectrum
from ._rumoureval import load_rumoureval
from ._semeval2016 import load_semeval2016
from ._szeged import load_szeged
from . import (_checkthat, _claimbuster, _conll2010, _emergent, _fnc1, _perspectrum, _rumoureval,
               _semeval2016, _szeged)

#: Dataset name -> loader.
EXTERNAL_LOADERS = {
    "emergent": load_emergent,
    "fnc1": load_fnc1,
    "semeval2016": load_semeval2016,
    "rumoureval": load_rumoureval,
    "perspectrum": load_perspectrum,
    "conll2010": load_conll2010,
    "szeged": load_szeged,
    "checkthat": load_checkthat,
    "claimbuster": load_claimbuster,
}

#: Dataset name -> folder name under the data directory.
EXTERNAL_FOLDERS = {
    module.NAME: module.FOLDER
    for module in (_emergent, _fnc1, _semeval2016, _rumoureval, _perspectrum, _conll2010, _szeged, _checkthat,
                   _claimbuster)
}


def load_external(name, data_dir=None, **kwargs):
    """Load a public benchmark dataset by name.

    Parameters
    ----------
    name : str
        A key of :data:`EXTERNAL_LOADERS` (e.g. ``"emergent"``) or the
        dataset's folder name (e.g. ``"semeval2016t6_tweeteval"``).
    data_dir : str or path-like, default=None
        Directory holding the dataset folders; None reads the environment
        variable ``STANCEKIT_DATA``.
    **kwargs
        Passed to the loader (e.g. ``drop_duplicates=True``; ``parts=`` and
        ``cue_types=`` for ``szeged``; ``targets=`` for ``semeval2016``).

    Returns
    -------
    ExternalDataset

    Raises
    ------
    KeyError
        For an unknown dataset name.
    ValueError
        When no data directory is given and ``STANCEKIT_DATA`` is unset.
    FileNotFoundError
        When the directory or an expected file is missing.
    DataFormatError
        A malformed row (names the file, line and field).
    """
    key = name
    if key not in EXTERNAL_LOADERS:
        by_folder = {folder: n for n, folder in EXTERNAL_FOLDERS.items()}
        if key not in by_folder:
            raise KeyError(f"unknown external dataset {name!r}; known: {sorted(EXTERNAL_LOADERS)}")
        key = by_folder[key]
    return EXTERNAL_LOADERS[key](resolve_data_dir(data_dir), **kwargs)


__all__ = [
    "DATA_ENV",
    "EXTERNAL_FOLDERS",
    "EXTERNAL_LAYERS",
    "EXTERNAL_LOADERS",
    "ExternalDataset",
    "load_checkthat",
    "load_claimbuster",
    "load_conll2010",
    "load_emergent",
    "load_external",
    "load_fnc1",
    "load_perspectrum",
    "load_rumoureval",
    "load_semeval2016",
    "load_szeged",
]
