"""Training the MT scorer: tokenizer, n-gram tables, stacked classifier, calibration, pooling.

Recipe (deterministic: fixed seeds, single thread, stable ordering):

1. normalise every paragraph (`normalize`), train a sentencepiece unigram tokenizer on the
   training paragraphs;
2. n-gram log-ratio tables are cross-fitted: K folds by document, each fold's features come from
   tables fitted on the other folds, so the classifier learns how much to trust the tables on
   *unseen* documents (not memorised ones);
3. a class-balanced logistic regression on [n-gram features, style features];
4. the logistic regression's out-of-fold logits calibrate page pooling at document level.
The shipped tables are then refitted on all training documents.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, asdict
from typing import TYPE_CHECKING, Callable, Optional, Sequence

import numpy as np

from .data import doc_fold
from .features import NgramTable, flatten, style_matrix, STYLE_NAMES
from .normalize import normalize

if TYPE_CHECKING:  # the model imports this module; only the annotation needs it
    from .model import MTScorer


@dataclass
class TrainConfig:
    vocab_size: int = 8000
    max_order: int = 4
    alpha: float = 0.5
    min_count: int = 3
    min_docs: int = 5
    folds: int = 5
    C: float = 0.5
    min_words: int = 5
    seed: int = 13
    style: bool = True
    ngrams: bool = True
    # "class": class-balanced counts; "doc": MT and human mass balanced within every document,
    # so the content words of a document cancel out and only how it was translated is left.
    table_weighting: str = "doc"
    # Original-English documents have no MT version, so their topics would read as "human";
    # their n-grams count less in the tables (they still count fully in the classifier).
    orig_table_weight: float = 0.3

    def to_dict(self) -> dict:
        return asdict(self)


def train_tokenizer(texts: Sequence[str], vocab_size: int, seed: int):
    """Sentencepiece unigram model trained in memory; returns the serialized model bytes."""
    import sentencepiece as spm

    spm.set_random_generator_seed(seed)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=0.9995,
        # Determinism: every sentence, in the given order, one thread.
        input_sentence_size=0,
        shuffle_input_sentence=False,
        num_threads=1,
        max_sentence_length=8192,
        # Tiny corpora (tests, smoke runs) cannot fill the vocabulary; shrink it instead of failing.
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return buf.getvalue()


def load_sp(model_bytes: bytes):
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor()
    sp.LoadFromSerializedProto(model_bytes)
    return sp


@dataclass
class Prepared:
    """Normalised training rows with their token ids."""
    texts: list[str]
    ids: list[list[int]]
    y: np.ndarray
    docs: list[str]
    weights: np.ndarray
    style: Optional[np.ndarray] = None


def row_weights(rows: Sequence[dict]) -> np.ndarray:
    """Balanced classes, and within human, translations and original English weighted equally
    (original English is scarce but is what most of the web is)."""
    origin = np.array([r["origin"] for r in rows])
    w = np.ones(len(rows))
    n = len(rows)
    for o, share in (("mt", 0.5), ("human-translation", 0.25), ("original-english", 0.25)):
        m = origin == o
        if m.any():
            w[m] = share * n / m.sum()
    if not (origin == "original-english").any() or not (origin == "human-translation").any():
        hm = origin != "mt"
        if hm.any():
            w[hm] = 0.5 * n / hm.sum()
    return w / w.mean()


def prepare(rows: Sequence[dict], sp, style: bool = True) -> Prepared:
    texts = [normalize(r["text"]) for r in rows]
    ids = sp.encode(texts)
    y = np.array([1 if r["label"] == "mt" else 0 for r in rows])
    st = style_matrix(texts, [len(x) for x in ids]) if style else None
    return Prepared(texts, ids, y, [r["doc"] for r in rows], row_weights(rows), st)


def table_weights(p: Prepared, idx: np.ndarray, cfg: TrainConfig) -> np.ndarray:
    if cfg.table_weighting == "class":
        return p.weights[idx]
    # Per document: total MT weight = total human weight = 1 (in tokens), if it has both.
    w = np.zeros(len(idx))
    ntok = np.array([len(p.ids[i]) + 1 for i in idx], dtype=np.float64)
    by_doc: dict[str, list[int]] = {}
    for j, i in enumerate(idx):
        by_doc.setdefault(p.docs[i], []).append(j)
    for js in by_doc.values():
        js = np.array(js)
        y = p.y[idx[js]]
        for c in (0, 1):
            m = js[y == c]
            if len(m):
                w[m] = 1.0 / ntok[m].sum()
        if (y == 1).all() or (y == 0).all():
            w[js] *= cfg.orig_table_weight
    return w * len(idx) / max(w.sum(), 1e-12)


def fit_table(p: Prepared, idx: np.ndarray, cfg: TrainConfig, bos: int, eos: int) -> NgramTable:
    flat, row = flatten([p.ids[i] for i in idx], bos, eos)
    doc_index = {d: i for i, d in enumerate(sorted({p.docs[i] for i in idx}))}
    docs = np.array([doc_index[p.docs[i]] for i in idx])
    return NgramTable(cfg.max_order, cfg.alpha, cfg.min_count, cfg.min_docs).fit(
        flat, row, p.y[idx], table_weights(p, idx, cfg), docs)


def table_features(table: NgramTable, ids: Sequence[Sequence[int]], bos: int, eos: int) -> np.ndarray:
    flat, row = flatten(ids, bos, eos)
    return table.transform(flat, row, len(ids))


def crossfit_ngram_features(p: Prepared, cfg: TrainConfig, bos: int, eos: int,
                            log: Callable[[str], None] = lambda s: None) -> np.ndarray:
    folds = np.array([doc_fold(d, cfg.folds, cfg.seed) for d in p.docs])
    out = np.zeros((len(p.ids), 2 * cfg.max_order))
    for k in range(cfg.folds):
        tr, te = np.where(folds != k)[0], np.where(folds == k)[0]
        table = fit_table(p, tr, cfg, bos, eos)
        out[te] = table_features(table, [p.ids[i] for i in te], bos, eos)
        log(f"  fold {k + 1}/{cfg.folds}: {len(tr)} train / {len(te)} held-out paragraphs")
    return out


def stack(ngram: Optional[np.ndarray], style: Optional[np.ndarray]) -> np.ndarray:
    parts = [x for x in (ngram, style) if x is not None]
    return np.hstack(parts)


def fit_classifier(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std[std < 1e-9] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    clf.fit((X - mean) / std, y, sample_weight=w)
    return mean, std, clf.coef_[0].copy(), float(clf.intercept_[0])


def oof_logits(X: np.ndarray, y: np.ndarray, w: np.ndarray, docs: Sequence[str], cfg: TrainConfig) -> np.ndarray:
    folds = np.array([doc_fold(d, cfg.folds, cfg.seed + 1) for d in docs])
    out = np.zeros(len(y))
    for k in range(cfg.folds):
        tr, te = folds != k, folds == k
        mean, std, coef, b = fit_classifier(X[tr], y[tr], w[tr], cfg.C, cfg.seed)
        out[te] = ((X[te] - mean) / std) @ coef + b
    return out


def fit_pooling(logits: np.ndarray, n_words: np.ndarray, rows: Sequence[dict], seed: int) -> dict:
    """Calibrate page pooling on training documents: one (doc, system) version = one page.

    Page logit = a * m + b * m * log(words / 100) + c, where m is the word-weighted mean of the
    paragraph logits: longer pages earn more confident scores, but not the unbounded confidence
    of a plain sum of log-odds (paragraphs of one page are not independent evidence).
    """
    from sklearn.linear_model import LogisticRegression

    from .pool import pool_features

    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["doc"], r["system"]), []).append(i)
    keys = sorted(groups)
    F, y = [], []
    for key in keys:
        idx = groups[key]
        F.append(pool_features(logits[idx], n_words[idx]))
        y.append(1 if rows[idx[0]]["label"] == "mt" else 0)
    F, y = np.array(F), np.array(y)
    clf = LogisticRegression(C=1.0, class_weight="balanced", random_state=seed, max_iter=1000)
    clf.fit(F, y)
    return {"coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0])}


def train(rows: Sequence[dict], cfg: TrainConfig = TrainConfig(),
          log: Callable[[str], None] = lambda s: None) -> "MTScorer":
    from .model import MTScorer

    t0 = time.time()
    rows = [r for r in rows if r.get("text")]
    texts = [normalize(r["text"]) for r in rows]
    log(f"{len(rows)} paragraphs, {len({r['doc'] for r in rows})} documents")
    sp_bytes = train_tokenizer(texts, cfg.vocab_size, cfg.seed)
    sp = load_sp(sp_bytes)
    bos, eos = sp.get_piece_size(), sp.get_piece_size() + 1
    log(f"tokenizer: {sp.get_piece_size()} pieces ({time.time() - t0:.0f}s)")
    p = prepare(rows, sp, style=cfg.style)
    ngram = crossfit_ngram_features(p, cfg, bos, eos, log) if cfg.ngrams else None
    X = stack(ngram, p.style)
    mean, std, coef, b = fit_classifier(X, p.y, p.weights, cfg.C, cfg.seed)
    oof = oof_logits(X, p.y, p.weights, p.docs, cfg)
    n_words = np.array([len(t.split()) for t in p.texts], dtype=np.float64)
    pooling = fit_pooling(oof, n_words, rows, cfg.seed)
    table = fit_table(p, np.arange(len(rows)), cfg, bos, eos) if cfg.ngrams else None
    names = (table.names() if table is not None else []) + (list(STYLE_NAMES) if cfg.style else [])
    log(f"classifier and pooling fitted ({time.time() - t0:.0f}s)")
    return MTScorer(sp_bytes=sp_bytes, table=table, mean=mean, std=std, coef=coef, intercept=b,
                    pooling=pooling, feature_names=names, config=cfg.to_dict(),
                    meta={"n_paragraphs": len(rows), "n_docs": len({r['doc'] for r in rows})})
