"""Machine-translation scoring of English text.

    from mtdetect.mt import MTScorer, pool_page_score
    scorer = MTScorer.load()                 # shipped model, offline, cached per process
    scorer.score(["paragraph", ...])         # MT probability per text, None under MIN_WORDS words
    scorer.explain("paragraph", k=5)         # [(feature, log-odds contribution), ...]
    pool_page_score(blocks)                  # page score from the blocks' mt_score

Modules: normalize (typography folding), features (n-gram ratio tables, style statistics),
model (MTScorer), pool (page pooling), train (recipe), evaluate (metrics), data (corpus reading).
"""

from .model import MIN_WORDS, MTScorer, default_model_dir
from .normalize import normalize
from .pool import pool_page_score

__all__ = ["MTScorer", "pool_page_score", "normalize", "MIN_WORDS", "default_model_dir"]
