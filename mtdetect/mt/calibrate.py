"""Fitting the page calibration (training time only; imports scikit-learn).

1. A logistic regression on the pooled features of pages that the block scorer never saw
   (WMT documents of a held-out fold, native pages of held-out splits), weighted like training
   (MT half the mass; human translation, original English and native English the other half).
2. The threshold: the intercept is lowered until a page score of 0.5 flags at most `target` of
   the native English pages (never raised: where the fit is already stricter, it stays).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .data import share_probabilities
from .page import PageCalibration, pool_features

NATIVE_TARGET = 0.02  # the goal is <= 3 % of native pages at 0.5; 2 % leaves room for new sites


def page_weights(groups: Sequence[str], shares: Optional[dict] = None) -> np.ndarray:
    """Weights of mean 1 giving each page group its share, as the rows had in training."""
    return share_probabilities(groups, shares) * len(groups)


def fit_page_calibration(evidence: Sequence, labels: Sequence[int], groups: Sequence[str],
                         native: Sequence[bool], target: float = NATIVE_TARGET) -> tuple[PageCalibration, dict]:
    """`evidence`: (block logits, block words) per page, None for a page without judgeable
    blocks (left out). Returns the calibration and what the fit measured."""
    from sklearn.linear_model import LogisticRegression

    keep = [i for i, e in enumerate(evidence) if e is not None]
    X = np.array([pool_features(*evidence[i]) for i in keep])
    y = np.asarray(labels)[keep]
    g = np.asarray(groups)[keep]
    nat = np.asarray(native, dtype=bool)[keep]
    clf = LogisticRegression(C=1.0)
    clf.fit(X, y, sample_weight=page_weights(g))
    coef, b = clf.coef_[0], float(clf.intercept_[0])
    raw = X[nat] @ coef
    fitted_share = float(np.mean(raw + b >= 0)) if nat.any() else None
    if nat.any() and fitted_share > target:
        b = -float(np.quantile(raw, 1 - target)) - 1e-6
    cal = PageCalibration(tuple(float(c) for c in coef), b)
    native_share = float(np.mean(raw + b >= 0)) if nat.any() else None
    mt_recall = float(np.mean(X[y == 1] @ coef + b >= 0)) if (y == 1).any() else None
    return cal, {"pages": len(keep), "native_pages": int(nat.sum()), "native_flagged_fitted": fitted_share,
                 "native_flagged": native_share, "mt_page_recall": mt_recall,
                 "fitted_intercept": float(clf.intercept_[0]), "intercept": b}
