"""The page MT score: which blocks are evidence, and how their evidence is pooled.

Only English content blocks long enough to judge count (`judgeable`): a headline, a byline, a
caption, a menu or a "Please enable JavaScript" cannot swing a page, and a page without such a
block gets no score (`None`). The page logit is an affine function of the word-weighted mean
block logit m and of m * log(words / 100), so a long page of consistently MT-ish paragraphs is
confident and one odd paragraph on a long human page barely moves it. The coefficients are
fitted on documents no scorer was trained on, then the intercept is lowered until a page score
of 0.5 flags at most the target share of native English pages (`mt/calibrate.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from mtdetect.document import CONTENT

POOL_MIN_WORDS = 8  # a block with fewer words is a label, a headline or a caption
SENTENCE_WORDS = 15  # a block without sentence punctuation counts only from this length on
WEIGHT_CAP = 80  # words: one very long block cannot outweigh all the others


def is_english(lang: Optional[str]) -> bool:
    return bool(lang) and (lang == "en" or lang.lower().startswith(("en-", "en_")))


def judgeable(block, n_words: Optional[int] = None) -> bool:
    """English content with at least POOL_MIN_WORDS words, and a sentence (ends in . ! ? or holds
    one) unless it is SENTENCE_WORDS words or longer. `n_words`: the block's word count, when the
    caller has it already."""
    if block.kind != CONTENT or not is_english(block.lang):
        return False
    n = len(block.text.split()) if n_words is None else n_words
    if n < POOL_MIN_WORDS:
        return False
    return n >= SENTENCE_WORDS or any(c in block.text for c in ".!?")


def pool_features(logits: Sequence[float], n_words: Sequence[float]) -> list[float]:
    w = np.minimum(np.maximum(np.asarray(n_words, dtype=np.float64), 1.0), WEIGHT_CAP)
    z = np.asarray(logits, dtype=np.float64)
    m = float((w * z).sum() / w.sum())
    return [m, m * math.log(float(np.sum(n_words)) / 100.0)]


@dataclass
class PageCalibration:
    """page probability = sigmoid(coef . pool_features + intercept)."""

    coef: tuple = (1.0, 0.0)
    intercept: float = 0.0

    def probability(self, logits: Sequence[float], n_words: Sequence[float]) -> Optional[float]:
        if len(logits) == 0:
            return None
        f = pool_features(logits, n_words)
        z = sum(c * x for c, x in zip(self.coef, f)) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def to_dict(self) -> dict:
        return {"coef": [float(c) for c in self.coef], "intercept": float(self.intercept)}

    @classmethod
    def from_dict(cls, d: dict) -> "PageCalibration":
        return cls(tuple(float(c) for c in d["coef"]), float(d["intercept"]))
