"""stancekit: stance, hedging, claim type and source for sentences in news reporting."""

__version__ = "0.2.0"

__all__ = ["Analyzer", "load_corpus", "__version__"]


def __getattr__(name):
    # Lazy imports keep ``import stancekit`` light (no scikit-learn import at package import).
    if name == "Analyzer":
        from .analyzer import Analyzer

        return Analyzer
    if name == "load_corpus":
        from .data import load_corpus

        return load_corpus
    raise AttributeError(f"module 'stancekit' has no attribute {name!r}")
