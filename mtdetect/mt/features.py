"""Features of one English paragraph for the MT scorer.

Two families, both computed on `normalize()`d text:

* `NgramTable`: class-conditional n-gram statistics over sentencepiece tokens. For every
  n-gram seen often enough in training we store the smoothed log-ratio
  log P(g | MT) - log P(g | human), with class-balanced counts. A paragraph's feature for order n
  is the mean ratio over its n-grams (the per-token log-likelihood difference of two bag-of-n-gram
  language models), plus the same sum scaled by 1/sqrt(count), which grows with the evidence.
* `style_features`: translationese statistics that do not depend on the training vocabulary:
  sentence length, lexical diversity, word rarity (wordfreq ranks), function-word and pronoun
  rates, punctuation rates, token fragmentation.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Iterable, Optional, Sequence

import numpy as np

from .normalize import words

# Multipliers for the polynomial n-gram hash (odd 64-bit constants; arithmetic wraps mod 2^64).
_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD], dtype=np.uint64)


def flatten(ids: Sequence[Sequence[int]], bos: int, eos: int) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate token-id lists with BOS/EOS around each; return (tokens, row index)."""
    lens = np.fromiter((len(x) + 2 for x in ids), dtype=np.int64, count=len(ids))
    flat = np.empty(int(lens.sum()), dtype=np.uint64)
    pos = 0
    for x, n in zip(ids, lens):
        flat[pos] = bos
        flat[pos + 1:pos + n - 1] = x
        flat[pos + n - 1] = eos
        pos += n
    row = np.repeat(np.arange(len(ids), dtype=np.int64), lens)
    return flat, row


def ngram_keys(flat: np.ndarray, row: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit keys of all n-grams that do not cross a paragraph boundary, and their rows."""
    m = len(flat) - n + 1
    if m <= 0:
        return np.empty(0, np.uint32), np.empty(0, np.int64)
    with np.errstate(over="ignore"):
        h = np.full(m, n, dtype=np.uint64) * _MULT[4]
        for k in range(n):
            h = (h ^ flat[k:k + m]) * _MULT[k]
        h ^= h >> np.uint64(29)
    ok = row[:m] == row[n - 1:n - 1 + m]
    return (h[ok] >> np.uint64(32)).astype(np.uint32), row[:m][ok]


class NgramTable:
    """Sparse table of smoothed per-n-gram log-ratios MT vs human, orders 1..max_order."""

    def __init__(self, max_order: int = 4, alpha: float = 0.5, min_count: int = 3, min_docs: int = 1):
        self.max_order = max_order
        self.alpha = alpha
        self.min_count = min_count
        self.min_docs = min_docs
        self.keys: list[np.ndarray] = []
        self.ratios: list[np.ndarray] = []

    def fit(self, flat: np.ndarray, row: np.ndarray, y: np.ndarray, w: np.ndarray,
            doc: Optional[np.ndarray] = None) -> "NgramTable":
        """`y` is 1 for MT rows; `w` per-row weights (class balance is applied on top); `doc`
        per-row document index: n-grams seen in fewer than `min_docs` documents are dropped (a
        phrase that only one document's translations share is its topic, not MT style)."""
        y = np.asarray(y)
        w = np.asarray(w, dtype=np.float64)
        self.keys, self.ratios = [], []
        for n in range(1, self.max_order + 1):
            keys, rows = ngram_keys(flat, row, n)
            uniq, inv = np.unique(keys, return_inverse=True)
            raw = np.bincount(inv, minlength=len(uniq))
            is_mt = y[rows] == 1
            c1 = np.bincount(inv[is_mt], weights=w[rows][is_mt], minlength=len(uniq))
            c0 = np.bincount(inv[~is_mt], weights=w[rows][~is_mt], minlength=len(uniq))
            # Class balance: MT counts are scaled to the human mass (MT is ~10x more text), so
            # an n-gram seen once in each class gets a ratio near 0 and alpha means the same
            # thing for both classes.
            c1 *= c0.sum() / max(c1.sum(), 1e-9)
            keep = raw >= self.min_count
            if doc is not None and self.min_docs > 1:
                pairs = np.unique((inv.astype(np.int64) << 32) | np.asarray(doc)[rows].astype(np.int64))
                n_docs = np.bincount((pairs >> 32).astype(np.int64), minlength=len(uniq))
                keep &= n_docs >= self.min_docs
            r = np.log(c1[keep] + self.alpha) - np.log(c0[keep] + self.alpha)
            self.keys.append(uniq[keep])
            self.ratios.append(r.astype(np.float16))
        return self

    def transform(self, flat: np.ndarray, row: np.ndarray, n_rows: int) -> np.ndarray:
        """Per row and order: mean ratio, and sum / sqrt(#n-grams)."""
        out = np.zeros((n_rows, 2 * self.max_order))
        for i in range(self.max_order):
            keys, rows = ngram_keys(flat, row, i + 1)
            r = self.lookup(i, keys)
            cnt = np.bincount(rows, minlength=n_rows).astype(np.float64)
            s = np.bincount(rows, weights=r, minlength=n_rows)
            out[:, 2 * i] = s / np.maximum(cnt, 1)
            out[:, 2 * i + 1] = s / np.sqrt(np.maximum(cnt, 1))
        return out

    def lookup(self, order_index: int, keys: np.ndarray) -> np.ndarray:
        tk, tr = self.keys[order_index], self.ratios[order_index]
        if len(tk) == 0:
            return np.zeros(len(keys))
        pos = np.searchsorted(tk, keys)
        pos[pos >= len(tk)] = 0
        hit = tk[pos] == keys
        return np.where(hit, tr[pos].astype(np.float64), 0.0)

    def names(self) -> list[str]:
        return [f"{kind}{n}" for n in range(1, self.max_order + 1) for kind in ("lr_mean_", "lr_sum_")]

    def state(self) -> dict[str, np.ndarray]:
        st = {}
        for i, (k, r) in enumerate(zip(self.keys, self.ratios)):
            st[f"ngram_keys_{i + 1}"] = k
            st[f"ngram_ratio_{i + 1}"] = r
        return st

    @classmethod
    def from_state(cls, st, max_order: int, alpha: float, min_count: int, min_docs: int = 1) -> "NgramTable":
        t = cls(max_order, alpha, min_count, min_docs)
        t.keys = [np.asarray(st[f"ngram_keys_{n}"]) for n in range(1, max_order + 1)]
        t.ratios = [np.asarray(st[f"ngram_ratio_{n}"]) for n in range(1, max_order + 1)]
        return t


# Function words and pronouns: their profile is the classic translationese signal, and they are
# topic-free. Fixed list, so the feature space does not depend on training data.
FUNCTION_WORDS = (
    "the a an of to in on at by for with from as into about over after "
    "that which who whom whose this these those there here "
    "it its he she they them their his her him we our us i my me you your "
    "and but or so because if while although however also "
    "not no is are was were be been being has have had will would can could "
    "should may might must do does did very such more most said"
).split()
_FW_INDEX = {w: i for i, w in enumerate(FUNCTION_WORDS)}

_PUNCT = {",": "comma", ".": "period", '"': "quote", "'": "apos", "(": "paren", ":": "colon",
          ";": "semicolon", "?": "question", "!": "exclam", "-": "hyphen"}
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")

STYLE_NAMES = (
    ["log_words", "word_len", "herdan_c", "ttr_50", "sent_len_mean", "sent_len_std", "log_sents",
     "cap_rate", "allcaps_rate", "digit_rate", "rank_mean", "rare10k", "rare50k", "oov",
     "pieces_per_word", "long_word_rate"]
    + [f"p_{v}" for v in _PUNCT.values()]
    + [f"fw_{w}" for w in FUNCTION_WORDS]
)


@lru_cache(maxsize=1)
def _ranks() -> dict[str, int]:
    """wordfreq rank of the 100k most frequent English words (offline, loaded once)."""
    import wordfreq

    return {w: i + 1 for i, w in enumerate(wordfreq.top_n_list("en", 100_000))}


def style_features(text: str, n_pieces: int) -> list[float]:
    """Dense translationese statistics of a normalised paragraph (see STYLE_NAMES)."""
    ranks = _ranks()
    ws = words(text)
    n = max(len(ws), 1)
    lw = [w.lower() for w in ws]
    types = len(set(lw))
    sents = [s for s in _SENT_SPLIT.split(text) if s]
    slen = [len(s.split()) for s in sents] or [0]
    rk = [ranks.get(w, 200_000) for w in lw]
    lrk = [math.log(r) for r in rk]
    caps = sum(1 for w in ws[1:] if w[0].isupper())
    allcaps = sum(1 for w in ws if len(w) > 1 and w.isupper())
    feats = [
        math.log(n),
        sum(len(w) for w in ws) / n,
        math.log(types) / math.log(n) if n > 1 and types > 1 else 1.0,
        len(set(lw[:50])) / max(1, min(50, len(lw))),
        float(np.mean(slen)),
        float(np.std(slen)),
        math.log(len(sents) or 1),
        caps / n,
        allcaps / n,
        text.count("0") / n,
        sum(lrk) / n,
        sum(1 for r in rk if r > 10_000) / n,
        sum(1 for r in rk if r > 50_000) / n,
        sum(1 for r in rk if r >= 200_000) / n,
        n_pieces / n,
        sum(1 for w in ws if len(w) >= 10) / n,
    ]
    feats += [text.count(p) / n for p in _PUNCT]
    fw = [0] * len(FUNCTION_WORDS)
    for w in lw:
        i = _FW_INDEX.get(w)
        if i is not None:
            fw[i] += 1
    feats += [c / n for c in fw]
    return feats


def style_matrix(texts: Iterable[str], n_pieces: Sequence[int]) -> np.ndarray:
    return np.array([style_features(t, p) for t, p in zip(texts, n_pieces)], dtype=np.float64)
