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
from .features import STYLE_NAMES, NgramTable, flatten, load_sp, style_matrix, table_features
from .normalize import normalize

if TYPE_CHECKING:  # only the annotation needs it; the model never imports training code
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
    shares: Optional[dict] = None  # classifier mass per row group (None: DEFAULT_SHARES)
    clip: Optional[float] = 4.0  # standardised features are clipped to +-clip
    # Native-English rows (UNPAIRED_CORPORA): "calibrate" = page pooling and threshold only;
    # "train" = also in the classifier (measured: it costs 0.05 AUC on the next year, see the card).
    unpaired: str = "calibrate"
    max_native_flagged: Optional[float] = 0.02  # share of native training pages allowed >= 0.5

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


@dataclass
class Prepared:
    """Normalised training rows with their token ids."""
    texts: list[str]
    ids: list[list[int]]
    y: np.ndarray
    docs: list[str]
    weights: np.ndarray
    style: Optional[np.ndarray] = None
    unpaired: Optional[np.ndarray] = None  # rows kept out of the n-gram tables


# Shares of the classifier's training mass, by row group; the shares of groups absent from the
# rows go to the other human groups in proportion. With the default `unpaired="calibrate"` the
# native groups are not in the classifier's rows, so human translation gets 1/3 and WMT's
# original English 1/6 of the mass; with "train" all five groups count.
DEFAULT_SHARES = {"mt": 0.5, "human-translation": 0.2, "original-english": 0.1,
                  "native-en": 0.1, "html-eval": 0.1}
# Corpora with no MT version of their documents: their topics would read as "human" in the
# n-gram tables, so they train the classifier (whose few dense features cannot memorise a topic)
# but not the tables.
UNPAIRED_CORPORA = ("native-en", "html-eval")


def row_group(row: dict) -> str:
    if row["label"] == "mt":
        return "mt"
    if row.get("corpus") in UNPAIRED_CORPORA:
        return row["corpus"]
    return "human-translation" if row["origin"] == "human-translation" else "original-english"


def row_weights(rows: Sequence[dict], shares: Optional[dict] = None) -> np.ndarray:
    """Per-row weights giving each group its share of the mass (MT half, human half split
    between the human groups present; a missing group's share goes to the others)."""
    shares = dict(shares or DEFAULT_SHARES)
    groups = np.array([row_group(r) for r in rows])
    present = [g for g in shares if g != "mt" and (groups == g).any()]
    human_total = sum(shares[g] for g in present) or 1.0
    w = np.ones(len(rows))
    n = len(rows)
    for g in ["mt"] + present:
        m = groups == g
        if not m.any():
            continue
        share = shares["mt"] if g == "mt" else shares[g] / human_total * (1 - shares["mt"])
        w[m] = share * n / m.sum()
    return w / w.mean()


def prepare(rows: Sequence[dict], sp, style: bool = True, shares: Optional[dict] = None,
            texts: Optional[Sequence[str]] = None) -> Prepared:
    """`texts`: the rows' texts already `normalize`d (train() has them from the tokenizer)."""
    texts = list(texts) if texts is not None else [normalize(r["text"]) for r in rows]
    ids = sp.encode(texts)
    y = np.array([1 if r["label"] == "mt" else 0 for r in rows])
    st = style_matrix(texts, [len(x) for x in ids]) if style else None
    p = Prepared(texts, ids, y, [r["doc"] for r in rows], row_weights(rows, shares), st)
    p.unpaired = np.array([r.get("corpus") in UNPAIRED_CORPORA for r in rows], dtype=bool)
    return p


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
    if p.unpaired is not None:
        w[p.unpaired[idx]] = 0.0
    return w * len(idx) / max(w.sum(), 1e-12)


def fit_table(p: Prepared, idx: np.ndarray, cfg: TrainConfig, bos: int, eos: int) -> NgramTable:
    if p.unpaired is not None:
        idx = idx[~p.unpaired[idx]]
    flat, row = flatten([p.ids[i] for i in idx], bos, eos)
    doc_index = {d: i for i, d in enumerate(sorted({p.docs[i] for i in idx}))}
    docs = np.array([doc_index[p.docs[i]] for i in idx])
    return NgramTable(cfg.max_order, cfg.alpha, cfg.min_count, cfg.min_docs).fit(
        flat, row, p.y[idx], table_weights(p, idx, cfg), docs)


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


def standardize(X: np.ndarray, mean: np.ndarray, std: np.ndarray, clip: Optional[float]) -> np.ndarray:
    """z-scores, clipped to +-clip: a rate feature of a short text (one semicolon in a
    ten-word byline) must not reach -7 log-odds on its own."""
    Z = (X - mean) / std
    return np.clip(Z, -clip, clip) if clip else Z


def fit_classifier(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float, seed: int,
                   clip: Optional[float] = None):
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std[std < 1e-9] = 1.0
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed)
    clf.fit(standardize(X, mean, std, clip), y, sample_weight=w)
    return mean, std, clf.coef_[0].copy(), float(clf.intercept_[0])


def oof_logits(X: np.ndarray, y: np.ndarray, w: np.ndarray, docs: Sequence[str], cfg: TrainConfig) -> np.ndarray:
    folds = np.array([doc_fold(d, cfg.folds, cfg.seed + 1) for d in docs])
    out = np.zeros(len(y))
    for k in range(cfg.folds):
        tr, te = folds != k, folds == k
        mean, std, coef, b = fit_classifier(X[tr], y[tr], w[tr], cfg.C, cfg.seed, cfg.clip)
        out[te] = standardize(X[te], mean, std, cfg.clip) @ coef + b
    return out


def _page_features(logits: np.ndarray, n_words: np.ndarray, rows: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Pooling features and labels of every page: one (doc, system) version = one page."""
    from .pool import pool_features

    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["doc"], r["system"]), []).append(i)
    F, y = [], []
    for key in sorted(groups):
        idx = groups[key]
        F.append(pool_features(logits[idx], n_words[idx]))
        y.append(1 if rows[idx[0]]["label"] == "mt" else 0)
    return np.array(F).reshape(-1, 2), np.array(y)


def fit_pooling(logits: np.ndarray, n_words: np.ndarray, rows: Sequence[dict], seed: int,
                native: Optional[tuple[np.ndarray, np.ndarray, Sequence[dict]]] = None,
                max_native_flagged: Optional[float] = None) -> dict:
    """Calibrate page pooling on training pages.

    Page logit = a * m + b * m * log(words / 100) + c, where m is the word-weighted mean of the
    paragraph logits: longer pages earn more confident scores, but not the unbounded confidence
    of a plain sum of log-odds (paragraphs of one page are not independent evidence).

    `native` = (logits, n_words, rows) of native-English pages (no MT version): they join the
    human pages of the fit, and when more than `max_native_flagged` of them would score >= 0.5,
    the intercept is lowered until no more do (`prior_shift`, in log-odds: the page score is then
    a probability under a prior of sigmoid(prior_shift) for MT instead of 1/2).
    """
    from sklearn.linear_model import LogisticRegression

    F, y = _page_features(logits, n_words, rows)
    Fn = np.zeros((0, 2))
    if native is not None and len(native[2]):
        Fn, _ = _page_features(*native)
    # Class-balanced over pages; WMT's human pages and native pages each get half the human mass.
    w = np.where(y == 1, 0.5 / max(1, (y == 1).sum()), 0.0)
    n_h = (y == 0).sum()
    w[y == 0] = (0.5 if not len(Fn) else 0.25) / max(1, n_h)
    if len(Fn):
        F = np.vstack([F, Fn])
        y = np.concatenate([y, np.zeros(len(Fn), dtype=y.dtype)])
        w = np.concatenate([w, np.full(len(Fn), 0.25 / len(Fn))])
    clf = LogisticRegression(C=1.0, random_state=seed, max_iter=1000)
    clf.fit(F, y, sample_weight=w * len(w))
    coef, intercept = clf.coef_[0].tolist(), float(clf.intercept_[0])
    shift = 0.0
    if len(Fn) and max_native_flagged is not None:
        z = Fn @ np.array(coef) + intercept
        # The smallest shift that leaves at most max_native_flagged of native pages at >= 0.5.
        q = float(np.quantile(z, 1.0 - max_native_flagged))
        shift = min(0.0, -q - 1e-6)
    return {"coef": coef, "intercept": intercept + shift, "prior_shift": shift}


def train(rows: Sequence[dict], cfg: TrainConfig = TrainConfig(),
          log: Callable[[str], None] = lambda s: None) -> "MTScorer":
    """Train on WMT-style rows. Rows of `UNPAIRED_CORPORA` (native English, tagged `corpus`)
    calibrate the page pooling and its threshold only, unless `cfg.unpaired == "train"`."""
    from .model import MTScorer

    t0 = time.time()
    rows = [r for r in rows if r.get("text")]
    native = [r for r in rows if r.get("corpus") in UNPAIRED_CORPORA]
    if cfg.unpaired != "train":
        rows = [r for r in rows if r.get("corpus") not in UNPAIRED_CORPORA]
    texts = [normalize(r["text"]) for r in rows]
    log(f"{len(rows)} paragraphs, {len({r['doc'] for r in rows})} documents; "
        f"{len(native)} native-English paragraphs ({cfg.unpaired})")
    sp_bytes = train_tokenizer(texts, cfg.vocab_size, cfg.seed)
    sp = load_sp(sp_bytes)
    bos, eos = sp.get_piece_size(), sp.get_piece_size() + 1
    log(f"tokenizer: {sp.get_piece_size()} pieces ({time.time() - t0:.0f}s)")
    p = prepare(rows, sp, style=cfg.style, shares=cfg.shares, texts=texts)
    ngram = crossfit_ngram_features(p, cfg, bos, eos, log) if cfg.ngrams else None
    X = stack(ngram, p.style)
    mean, std, coef, b = fit_classifier(X, p.y, p.weights, cfg.C, cfg.seed, cfg.clip)
    oof = oof_logits(X, p.y, p.weights, p.docs, cfg)
    n_words = np.array([len(t.split()) for t in p.texts], dtype=np.float64)
    table = fit_table(p, np.arange(len(rows)), cfg, bos, eos) if cfg.ngrams else None
    names = (table.names() if table is not None else []) + (list(STYLE_NAMES) if cfg.style else [])
    model = MTScorer(sp_bytes=sp_bytes, table=table, mean=mean, std=std, coef=coef, intercept=b,
                     pooling={"coef": [1.0, 0.0], "intercept": 0.0}, feature_names=names,
                     config=cfg.to_dict(),
                     meta={"n_paragraphs": len(rows), "n_docs": len({r['doc'] for r in rows}),
                           "n_native_paragraphs": len(native)})
    calib = None
    if native and cfg.unpaired == "calibrate":
        # Native pages never trained the classifier, so its logits on them are out of sample.
        nz = model.logits([r["text"] for r in native])
        nw = np.array([len(normalize(r["text"]).split()) for r in native], dtype=np.float64)
        ok = nw >= model.min_words
        calib = (nz[ok], nw[ok], [r for r, k in zip(native, ok) if k])
    ok = n_words >= model.min_words
    model.pooling = fit_pooling(oof[ok], n_words[ok], [r for r, k in zip(rows, ok) if k], cfg.seed,
                                calib, cfg.max_native_flagged)
    log(f"classifier and pooling fitted ({time.time() - t0:.0f}s); pooling {model.pooling}")
    return model
