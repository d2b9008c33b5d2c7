"""What every paragraph scorer has in common: log-odds in, probabilities and the length rule out.

A scorer turns English paragraphs into log-odds that they are machine translation; the page
score, the stack of two scorers and the cascade (`mt/combine.py`) work on those log-odds.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from .normalize import normalize

MIN_WORDS = 5  # below this many words a paragraph gets no score: too little to judge


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def to_logit(p: float, eps: float = 1e-4) -> float:
    p = min(max(float(p), eps), 1 - eps)
    return math.log(p / (1 - p))


class BlockScorer:
    """Base class: subclasses implement `_logits(normalised_texts)`."""

    name = "base"
    min_words = MIN_WORDS

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def logits(self, texts: Sequence[str], normalized: bool = False) -> np.ndarray:
        """Log-odds for every text (no length rule); `normalized` skips `normalize()`."""
        if len(texts) == 0:
            return np.zeros(0)
        return np.asarray(self._logits(list(texts) if normalized else [normalize(t or "") for t in texts]),
                          dtype=np.float64)

    def score(self, texts: Sequence[str]) -> list[Optional[float]]:
        """MT probability per text (equal class priors), None under `min_words` words."""
        norm = [normalize(t or "") for t in texts]
        ok = [i for i, t in enumerate(norm) if len(t.split()) >= self.min_words]
        out: list[Optional[float]] = [None] * len(norm)
        if ok:
            for i, p in zip(ok, sigmoid(self.logits([norm[i] for i in ok], normalized=True))):
                out[i] = float(p)
        return out

    def explain(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The k pieces of evidence that pushed hardest toward MT (+) or human (-)."""
        return []
