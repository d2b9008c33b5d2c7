"""Machine-translation scoring of English text.

    from mtdetect.mt import MTScorer, pool_page_score
    scorer = MTScorer.load()                 # shipped model, offline, cached per process
    scorer.score(["paragraph", ...])         # MT probability per text, None under MIN_WORDS words
    scorer.explain("paragraph", k=5)         # [(feature, log-odds contribution), ...]
    pool_page_score(blocks)                  # page score from the blocks' mt_score

Modules: normalize (typography folding), features (n-gram ratio tables, style statistics),
model (MTScorer), pool (page pooling), train (recipe), evaluate (metrics), data (corpus reading).
"""

from .modes import DEFAULT_FILTER_MODE, DEFAULT_SCAN_MODE, MT_MODES

__all__ = ["MTScorer", "pool_page_score", "normalize", "MIN_WORDS", "default_model_dir",
           "MT_MODES", "DEFAULT_FILTER_MODE", "DEFAULT_SCAN_MODE"]

_LAZY = {"MTScorer": ".model", "MIN_WORDS": ".model", "default_model_dir": ".model",
         "normalize": ".normalize", "pool_page_score": ".pool"}


def __getattr__(name: str):
    # Lazy: importing mtdetect.mt (e.g. for MT_MODES) must not load numpy or sentencepiece.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)
