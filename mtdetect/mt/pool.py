"""Page-level MT score from the block scores.

Evidence is combined, not voted: the page logit is an affine function of the word-weighted mean
paragraph logit m and of m * log(words / 100), so a long page with consistently MT-ish blocks
gets a confident score and one short MT-ish caption on a long human page barely moves it. The
coefficients are fitted on training documents (`train.fit_pooling`), which makes the page score
calibrated at document level.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

_EPS = 1e-4


def to_logit(p: float) -> float:
    p = min(max(float(p), _EPS), 1 - _EPS)
    return math.log(p / (1 - p))


def pool_features(logits: Sequence[float], n_words: Sequence[float]) -> list[float]:
    w = np.maximum(np.asarray(n_words, dtype=np.float64), 1.0)
    z = np.asarray(logits, dtype=np.float64)
    m = float((w * z).sum() / w.sum())
    return [m, m * math.log(w.sum() / 100.0)]


def pool_logits(logits: Sequence[float], n_words: Sequence[float], params: dict) -> float:
    f = pool_features(logits, n_words)
    z = sum(c * x for c, x in zip(params["coef"], f)) + params["intercept"]
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@lru_cache(maxsize=8)
def _params_from(model_dir: str) -> dict:
    meta = json.loads((Path(model_dir) / "model.json").read_text(encoding="utf-8"))
    return meta["pooling"]


def _is_english(lang: Optional[str]) -> bool:
    return bool(lang) and (lang == "en" or lang.lower().startswith("en-") or lang.lower().startswith("en_"))


def pool_page_score(blocks, params: Optional[dict] = None) -> Optional[float]:
    """Pooled MT probability of a page from its blocks' `mt_score`.

    Uses English content blocks that have a score; when there are none, English boilerplate
    blocks; None when no English block has a score (no English, or all too short to judge).
    `params` defaults to the pooling of the `MTScorer` that last scored texts in this thread (so
    `Scanner(model_dir=...)` pools with its own model even when other models are loaded), else of
    the loaded scorer when exactly one is loaded, else to the pooling fitted with the shipped model.
    """
    from .model import MTScorer, default_model_dir

    english = [b for b in blocks if _is_english(b.lang) and b.mt_score is not None]
    chosen = [b for b in english if b.kind == "content"] or [b for b in english if b.kind != "content"]
    if not chosen:
        return None
    if params is None:
        last = getattr(MTScorer._last, "scorer", None)
        loaded = list(MTScorer._cache.values())
        if last is not None:
            params = last.pooling
        elif len(loaded) == 1:
            params = loaded[0].pooling
        else:
            params = _params_from(str(default_model_dir()))
    return pool_logits([to_logit(b.mt_score) for b in chosen], [len(b.text.split()) for b in chosen], params)
