"""Experiment configs: TOML files validated against a fixed schema and the registries."""

import copy
import difflib
import hashlib
from pathlib import Path

from ..data._vocab import LAYERS, SPLITS
from ._registry import CLASSIFIERS, FEATURIZERS, PAIR_FEATURIZERS, TAGGERS

#: External datasets a config may name (loaded from data_dir or STANCEKIT_DATA at run time).
EXTERNAL_NAMES = ("emergent", "fnc1", "semeval2016", "rumoureval", "perspectrum", "conll2010", "szeged",
                  "checkthat", "claimbuster")

#: Layers a config may name: the four annotation layers plus cue-span tagging.
CONFIG_LAYERS = LAYERS + ("hedge_cues",)
from ._toml import dumps_toml, load_toml


class ConfigError(ValueError):
    """A config is invalid; the message names the key path, what was expected and what was found."""

    def __init__(self, key_path, message, *, source=None):
        self.key_path = key_path
        where = f"{source}: " if source else ""
        super().__init__(f"{where}config key '{key_path}': {message}")


def _did_you_mean(name, options):
    prefixed = sorted(o for o in options if o.startswith(str(name)))
    close = prefixed[:1] or difflib.get_close_matches(str(name), list(options), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{hint} Known: {', '.join(sorted(options))}"


# The schema: key -> (type(s), default). A default of REQUIRED means the key must be given.
REQUIRED = object()
SCHEMA = {
    "name": (str, None),
    "description": (str, ""),
    "seed": (int, 0),
    "data": {
        "corpus": (str, "geonews"),
        "dataset": (str, ""),
        "data_dir": (str, ""),
        "layer": (str, REQUIRED),
        "train_splits": (list, ["train"]),
        "eval_splits": (list, ["dev", "test"]),
        "cross_dataset": (str, ""),
        "cross_splits": (list, []),
        "options": (dict, {}),
        "cross_options": (dict, {}),
    },
    "features": "FEATURE_LIST",
    "classifier": {
        "name": (str, REQUIRED),
        "params": (dict, {}),
    },
    "evaluation": {
        "fixed_split": (bool, True),
        "cv_folds": (int, 0),
        "cv_seeds": (list, []),
        "bootstrap": (int, 1000),
        "bootstrap_by_document": (bool, True),
        "learning_curve": (list, []),
        "n_jobs": (int, 1),
    },
    "pairs": {
        "target_features": (bool, True),
        "interaction": (bool, True),
        "target_specific": (bool, False),
    },
    "reference": {
        "metric": (str, ""),
        "split": (str, "test"),
        "published": (float, 0.0),
        "source": (str, ""),
    },
    "search": {
        "grid": (dict, {}),
        "cv_folds": (int, 3),
        "scoring": (str, "f1_macro"),
    },
}
_FEATURE_SCHEMA = {"name": (str, REQUIRED), "params": (dict, {})}
_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "a list", dict: "a table",
               float: "a number"}


def _check_type(value, typ, path, source):
    if typ is float and isinstance(value, int) and not isinstance(value, bool):
        return
    ok = isinstance(value, typ) and not (typ is int and isinstance(value, bool))
    if not ok:
        raise ConfigError(path, f"expected {_TYPE_NAMES[typ]}, found {type(value).__name__} {value!r}",
                          source=source)


def _resolve_table(given, schema, path, source):
    if not isinstance(given, dict):
        raise ConfigError(path, f"expected a table, found {type(given).__name__}", source=source)
    for key in given:
        if key not in schema:
            raise ConfigError(f"{path}.{key}" if path else key, "unknown key" + _did_you_mean(key, schema),
                              source=source)
    out = {}
    for key, spec in schema.items():
        kp = f"{path}.{key}" if path else key
        if spec == "FEATURE_LIST":
            out[key] = _resolve_features(given.get(key, []), kp, source)
        elif isinstance(spec, dict):
            out[key] = _resolve_table(given.get(key, {}), spec, kp, source)
        else:
            typ, default = spec
            if key in given:
                _check_type(given[key], typ, kp, source)
                out[key] = copy.deepcopy(given[key])
            elif default is REQUIRED:
                raise ConfigError(kp, "required key is missing", source=source)
            else:
                out[key] = copy.deepcopy(default)
    return out


def _resolve_params(name, params, registry, path, source):
    cls, defaults = registry[name]
    allowed = cls().get_params()
    for key in params:
        if key not in allowed:
            raise ConfigError(f"{path}.{key}", f"unknown parameter of '{name}'" + _did_you_mean(key, allowed),
                              source=source)
    merged = dict(defaults)
    merged.update(params)
    return merged


def _resolve_features(items, path, source):
    if not isinstance(items, list):
        raise ConfigError(path, f"expected a list of tables ([[features]]), found {type(items).__name__}",
                          source=source)
    out = []
    for i, item in enumerate(items):
        ip = f"{path}[{i}]"
        entry = _resolve_table(item, _FEATURE_SCHEMA, ip, source)
        if entry["name"] not in FEATURIZERS:
            raise ConfigError(f"{ip}.name", f"unknown featurizer '{entry['name']}'"
                              + _did_you_mean(entry["name"], FEATURIZERS), source=source)
        entry["params"] = _resolve_params(entry["name"], entry["params"], FEATURIZERS, f"{ip}.params", source)
        out.append(entry)
    return out


def _safe_name(name):
    """Whether *name* can be the run folder ``runs/<name>`` without pointing anywhere else."""
    return (bool(name) and not name.startswith(".") and ".." not in name
            and not any(c in name for c in ("/", "\\", "\x00")))


def resolve_config(raw, *, source=None, name=None):
    """Validate a config dict and fill in every default; return the resolved dict."""
    cfg = _resolve_table(raw, SCHEMA, "", source)
    if cfg["name"] is None:
        cfg["name"] = name if name and _safe_name(name) else "experiment"
    elif not _safe_name(cfg["name"]):
        raise ConfigError("name", f"expected a plain folder name (runs/<name>): not empty, not starting with "
                          f"'.', without '/', '\\' or '..'; found {cfg['name']!r}", source=source)
    layer = cfg["data"]["layer"]
    data = cfg["data"]
    for key in ("dataset", "cross_dataset"):
        known = EXTERNAL_NAMES + (("geonews",) if key == "cross_dataset" else ())
        if data[key] and data[key] not in known:
            raise ConfigError(f"data.{key}", f"unknown dataset '{data[key]}'" + _did_you_mean(data[key], known),
                              source=source)
    if data["options"]:
        if not data["dataset"]:
            raise ConfigError("data.options", "loader options need an external 'data.dataset'", source=source)
        import inspect

        from ..data.external import EXTERNAL_LOADERS

        allowed = [p for p in inspect.signature(EXTERNAL_LOADERS[data["dataset"]]).parameters if p != "data_dir"]
        for key in data["options"]:
            if key not in allowed:
                raise ConfigError(f"data.options.{key}", f"unknown option of dataset '{data['dataset']}'"
                                  + _did_you_mean(key, allowed), source=source)
    if data["cross_dataset"] and not data["cross_splits"]:
        raise ConfigError("data.cross_splits", "name the split(s) of the cross dataset to evaluate on", source=source)
    external_layers = ("checkworthy",)
    if layer not in CONFIG_LAYERS and not (data["dataset"] and layer in external_layers):
        raise ConfigError("data.layer", f"unknown layer '{layer}'" + _did_you_mean(layer, CONFIG_LAYERS),
                          source=source)
    for key in ("train_splits", "eval_splits"):
        for i, s in enumerate(cfg["data"][key]):
            if not data["dataset"] and s not in SPLITS:
                raise ConfigError(f"data.{key}[{i}]", f"unknown split {s!r}" + _did_you_mean(s, SPLITS),
                                  source=source)
    clf = cfg["classifier"]
    registry = TAGGERS if layer == "hedge_cues" else CLASSIFIERS
    kind = "cue tagger" if layer == "hedge_cues" else "classifier"
    if clf["name"] not in registry:
        raise ConfigError("classifier.name", f"unknown {kind} '{clf['name']}' for layer '{layer}'"
                          + _did_you_mean(clf["name"], registry), source=source)
    clf["params"] = _resolve_params(clf["name"], clf["params"], registry, "classifier.params", source)
    if layer == "hedge_cues" and cfg["features"]:
        raise ConfigError("features", "a cue tagger builds its own token features; remove [[features]]",
                          source=source)
    if layer != "stance":
        for i, f in enumerate(cfg["features"]):
            if f["name"] in PAIR_FEATURIZERS:
                raise ConfigError(f"features[{i}].name", f"'{f['name']}' featurizes (sentence, target) pairs "
                                  "and only fits the stance layer", source=source)
    if not cfg["features"] and clf["name"] != "majority" and layer != "hedge_cues":
        raise ConfigError("features", "at least one [[features]] entry is needed for this classifier",
                          source=source)
    ev = cfg["evaluation"]
    if ev["cv_folds"] == 1 or ev["cv_folds"] < 0:
        raise ConfigError("evaluation.cv_folds", f"expected 0 (off) or >= 2, found {ev['cv_folds']}", source=source)
    for i, seed in enumerate(ev["cv_seeds"]):
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ConfigError(f"evaluation.cv_seeds[{i}]", f"expected a non-negative integer, found {seed!r}",
                              source=source)
    if ev["cv_seeds"] and (not ev["cv_folds"] or layer == "hedge_cues"):
        raise ConfigError("evaluation.cv_seeds", "repeats the grouped cross-validation of a sentence or stance "
                          "layer: set cv_folds >= 2 (not for layer hedge_cues)", source=source)
    if not ev["fixed_split"] and not ev["cv_folds"] and not ev["learning_curve"]:
        raise ConfigError("evaluation", "enable fixed_split, set cv_folds >= 2 or give a learning_curve",
                          source=source)
    for i, f in enumerate(ev["learning_curve"]):
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 < f <= 1:
            raise ConfigError(f"evaluation.learning_curve[{i}]", f"expected a fraction in (0, 1], found {f!r}",
                              source=source)
    if ev["n_jobs"] == 0:
        raise ConfigError("evaluation.n_jobs", "expected a positive number or -1 (all cores), found 0", source=source)
    search = cfg["search"]
    for key, values in search["grid"].items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"search.grid.{key}", f"expected a non-empty list of values, found {values!r}",
                              source=source)
    if search["grid"]:
        from ._runner import build_estimator

        known = build_estimator(cfg).get_params()
        for key in search["grid"]:
            if key not in known or key.endswith(("vectorizer", "features", "clf")):
                raise ConfigError(f"search.grid.{key}", "unknown pipeline parameter"
                                  + _did_you_mean(key, [k for k in known if "__" in k]), source=source)
        if search["cv_folds"] < 2:
            raise ConfigError("search.cv_folds", f"expected >= 2, found {search['cv_folds']}", source=source)
        from sklearn.metrics import get_scorer_names

        if search["scoring"] not in get_scorer_names():
            raise ConfigError("search.scoring", f"unknown scorer {search['scoring']!r}"
                              + _did_you_mean(search["scoring"], get_scorer_names()), source=source)
    if ev["bootstrap"] < 0:
        raise ConfigError("evaluation.bootstrap", f"expected >= 0, found {ev['bootstrap']}", source=source)
    if not 0 <= cfg["seed"] < 2 ** 32:
        raise ConfigError("seed", f"expected an integer from 0 to 2**32 - 1, found {cfg['seed']}", source=source)
    if ev["fixed_split"] and not cfg["data"]["eval_splits"] and not cfg["data"]["cross_dataset"]:
        raise ConfigError("data.eval_splits", "name at least one split to evaluate on (evaluation.fixed_split is "
                          "true), found []", source=source)
    _check_param_values(cfg, source)
    return cfg


def _estimator_problem(est):
    """The error scikit-learn's (or stancekit's) parameter checks raise for *est* and its parts, or None."""
    parts = [est] + [v for v in est.get_params(deep=True).values() if hasattr(v, "get_params")]
    for part in parts:
        for check in ("_validate_params", "_check_params"):
            method = getattr(part, check, None)
            if check == "_validate_params" and not hasattr(part, "_parameter_constraints"):
                continue
            if callable(method):
                try:
                    method()
                except (ValueError, TypeError) as exc:
                    return str(exc)
    return None


def _check_ngram_range(value, path, source):
    if not isinstance(value, (list, tuple)) or len(value) != 2 or \
            not all(isinstance(v, int) and not isinstance(v, bool) for v in value) or not 1 <= value[0] <= value[1]:
        shown = list(value) if isinstance(value, tuple) else value
        raise ConfigError(path, f"expected [min, max] with 1 <= min <= max, found {shown!r}", source=source)


def _check_param_values(cfg, source):
    """Check every featurizer and classifier parameter value before anything is fitted, naming its config key."""
    from ._registry import grid_values, make_classifier, make_featurizer
    from ._runner import build_estimator

    for i, f in enumerate(cfg["features"]):
        if f["params"].get("ngram_range") is not None:
            _check_ngram_range(f["params"]["ngram_range"], f"features[{i}].params.ngram_range", source)
        problem = _estimator_problem(make_featurizer(f["name"], f["params"]))
        if problem:
            raise ConfigError(f"features[{i}].params", problem, source=source)
    try:
        clf = make_classifier(cfg["classifier"]["name"], cfg["classifier"]["params"], cfg["seed"])
    except (ValueError, TypeError) as exc:
        raise ConfigError("classifier.params", str(exc), source=source) from None
    problem = _estimator_problem(clf)
    if problem:
        raise ConfigError("classifier.params", problem, source=source)
    for key, values in grid_values(cfg["search"]["grid"]).items():
        for j, value in enumerate(values):
            if key.endswith("__ngram_range"):
                _check_ngram_range(value, f"search.grid.{key}[{j}]", source)
            est = build_estimator(cfg)
            try:
                est.set_params(**{key: value})
                problem = _estimator_problem(est)
            except (ValueError, TypeError) as exc:
                problem = str(exc)
            if problem:
                raise ConfigError(f"search.grid.{key}[{j}]", problem, source=source)


def load_config(path):
    """Read and resolve a TOML config file."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a TOML config file, found a directory")
    try:
        raw = load_toml(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such config file") from None
    except OSError as exc:  # unreadable (PermissionError and the like): not a TOML problem
        if exc.filename is None:
            exc.filename = str(path)
        raise
    except UnicodeDecodeError as exc:
        where = ""
        if isinstance(exc.object, bytes) and "(line " not in str(exc):  # load_toml names the line already
            line = exc.object.count(b"\n", 0, exc.start) + 1
            where = f" (line {line})"
        raise ConfigError("(file)", f"not valid TOML: {exc}{where}", source=str(path)) from None
    except Exception as exc:  # tomllib.TOMLDecodeError
        raise ConfigError("(file)", f"not valid TOML: {exc}", source=str(path)) from None
    return resolve_config(raw, source=str(path), name=path.stem)


def config_to_toml(cfg):
    return dumps_toml(cfg)


def config_hash(cfg):
    return hashlib.sha256(config_to_toml(cfg).encode()).hexdigest()
