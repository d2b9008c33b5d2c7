"""Training the source-language guess (logistic regression on masked n-grams, one vs rest).

Labels: the `src_lang` of WMT English paragraphs (machine and human translations alike) for the
languages of `LANGS`, and `en` for English written in English (WMT's original English and the
training split of native-en). Each class gets the same mass and, inside a class, every document
the same mass, so one long story cannot stand for its language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Sequence

import numpy as np

from .features import featurize

# Source languages with WMT data in both 2021 and 2022 (the ones a cross-year test can check).
LANGS = ("cs", "de", "ja", "ru", "zh")
ENGLISH = "en"


@dataclass
class SourceConfig:
    alpha: float = 1e-4  # L2 strength of the SGD logistic regression
    masked: bool = True
    chars: bool = True  # character 3-4-grams of the masked words next to the word n-grams
    min_words: int = 10
    seed: int = 13
    langs: tuple = LANGS

    def to_dict(self) -> dict:
        d = asdict(self)
        d["langs"] = list(self.langs)
        return d


def label_of(row: dict, langs: Sequence[str]) -> str | None:
    if row.get("origin") == "original-english" or row.get("src_lang") == ENGLISH:
        return ENGLISH
    return row.get("src_lang") if row.get("src_lang") in langs else None


def sample_weights(labels: Sequence[str], docs: Sequence[str]) -> np.ndarray:
    labels, docs = np.asarray(labels), np.asarray(docs)
    w = np.zeros(len(labels))
    classes = sorted(set(labels))
    for c in classes:
        in_c = labels == c
        c_docs = sorted(set(docs[in_c]))
        per_doc = 1.0 / len(c_docs)
        for d in c_docs:
            m = in_c & (docs == d)
            w[m] = per_doc / m.sum()
    return w * len(w) / w.sum()


def train_source(rows: Sequence[dict], cfg: SourceConfig = SourceConfig(),
                 log: Callable[[str], None] = lambda s: None):
    from sklearn.linear_model import SGDClassifier

    from .model import SourceGuesser

    kept = [(r, label_of(r, cfg.langs)) for r in rows if r.get("text")]
    kept = [(r, y) for r, y in kept if y is not None and len(r["text"].split()) >= cfg.min_words]
    texts = [r["text"] for r, _ in kept]
    y = [lab for _, lab in kept]
    docs = [f"{lab}:{r['doc']}" for r, lab in kept]
    log(f"source: {len(texts)} paragraphs, classes {sorted(set(y))}")
    X = featurize(texts, cfg.masked, cfg.chars)
    # SGD (one-vs-rest logistic loss): lbfgs on half a million hashed columns took > 5 minutes
    # on one core; SGD takes seconds and is deterministic with a fixed seed.
    clf = SGDClassifier(loss="log_loss", alpha=cfg.alpha, max_iter=30, tol=1e-4, random_state=cfg.seed)
    clf.fit(X, y, sample_weight=sample_weights(y, docs))
    return SourceGuesser(list(clf.classes_), clf.coef_, clf.intercept_, cfg.to_dict())
