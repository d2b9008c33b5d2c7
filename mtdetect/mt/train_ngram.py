"""Training the fast n-gram scorer (scikit-learn is imported here only, never at run time).

The recipe: hashed word 1-3 and character 2-5 grams (`mt/hashing.py`), a logistic regression
whose rows are weighted so MT is half the mass and the human half is split between WMT's human
translations, WMT's original English and natively written English (`data.GROUP_SHARES`).
Numbers are masked by `normalize` (every digit is 0), so figures and dates are not features.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np

from .data import GROUP_SHARES, group_probabilities
from .hashing import HashSpec, sparse_matrix
from .ngram import NgramScorer
from .normalize import normalize


@dataclass
class NgramConfig:
    bits: int = 20
    C: float = 1.0
    shares: dict = field(default_factory=lambda: dict(GROUP_SHARES))

    def spec(self) -> HashSpec:
        return HashSpec(bits=self.bits)


def row_weights(rows: Sequence[dict], shares: Optional[dict] = None) -> np.ndarray:
    p = group_probabilities(rows, shares)
    return p * len(rows)  # mean weight 1


def train_ngram(rows: Sequence[dict], cfg: NgramConfig = NgramConfig(),
                log: Callable[[str], None] = lambda s: None, meta: Optional[dict] = None) -> NgramScorer:
    from sklearn.linear_model import LogisticRegression

    texts = [normalize(r["text"]) for r in rows]
    X = sparse_matrix(texts, cfg.spec())
    y = np.array([r["label"] == "mt" for r in rows], dtype=int)
    log(f"ngram: {X.shape[0]} paragraphs, {X.nnz} non-zeros")
    clf = LogisticRegression(C=cfg.C, solver="liblinear", max_iter=1000, random_state=0)
    clf.fit(X, y, sample_weight=row_weights(rows, cfg.shares))
    info = {"config": asdict(cfg), "training_rows": len(rows), **(meta or {})}
    return NgramScorer(clf.coef_[0].astype(np.float32), float(clf.intercept_[0]), cfg.spec(), info)


class HashingBaseline:
    """The issue's reference: scikit-learn's HashingVectorizer, word 1-3 + char_wb 2-5 grams, a
    logistic regression on the same rows with the same weights. Evaluation only."""

    name = "baseline"

    def __init__(self, vectorizers, clf):
        self.vectorizers, self.clf = vectorizers, clf

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        from scipy.sparse import hstack

        norm = [normalize(t) for t in texts]
        return self.clf.decision_function(hstack([v.transform(norm) for v in self.vectorizers]).tocsr())


def train_baseline(rows: Sequence[dict], shares: Optional[dict] = None, C: float = 1.0) -> HashingBaseline:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression

    vecs = [HashingVectorizer(ngram_range=(1, 3), n_features=2**20, alternate_sign=False, lowercase=False),
            HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**20,
                              alternate_sign=False, lowercase=False)]
    norm = [normalize(r["text"]) for r in rows]
    X = hstack([v.transform(norm) for v in vecs]).tocsr()
    y = np.array([r["label"] == "mt" for r in rows], dtype=int)
    clf = LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=0)
    clf.fit(X, y, sample_weight=row_weights(rows, shares))
    return HashingBaseline(vecs, clf)
