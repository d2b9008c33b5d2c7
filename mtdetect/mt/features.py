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

# Length (words, sentences in the paragraph) is left out on purpose: it is a property of how a
# corpus or a page is cut into paragraphs, not of translation, and it decided too much.
STYLE_NAMES = (
    ["word_len", "herdan_c", "ttr_50", "sent_len_mean", "sent_len_std",
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


_OOV_RANK = 200_000


@lru_cache(maxsize=1)
def _word_table() -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """One lookup for every per-word statistic: word -> id, and per id its log rank and its
    function-word column (-1 for none). Id 0 is the unknown word."""
    ranks = _ranks()
    index = {w: i + 1 for i, w in enumerate(ranks)}
    log_rank = np.empty(len(index) + 1)
    log_rank[0] = math.log(_OOV_RANK)
    fw_col = np.full(len(index) + 1, -1, dtype=np.int64)
    for w, i in index.items():
        log_rank[i] = math.log(ranks[w])
    for w, j in _FW_INDEX.items():
        if w not in index:
            index[w] = len(log_rank)
            log_rank = np.append(log_rank, math.log(_OOV_RANK))
            fw_col = np.append(fw_col, -1)
        fw_col[index[w]] = j
    return index, log_rank, fw_col


def style_features(text: str, n_pieces: int) -> list[float]:
    """Dense translationese statistics of one normalised paragraph (see STYLE_NAMES)."""
    return style_matrix([text], [n_pieces])[0].tolist()


def style_matrix(texts: Sequence[str], n_pieces: Sequence[int]) -> np.ndarray:
    """Style statistics of many normalised paragraphs at once.

    Vectorised: every word of every text is looked up once in one table and the per-text
    statistics are numpy reductions over the flat word array (the MT stage of a page scan is
    dominated by this, so it must not loop in Python per word and feature).
    """
    texts = list(texts)
    n_rows = len(texts)
    out = np.zeros((n_rows, len(STYLE_NAMES)))
    if n_rows == 0:
        return out
    index, log_rank, fw_col = _word_table()
    ws_per = [words(t) for t in texts]
    n_w = np.array([len(w) for w in ws_per], dtype=np.float64)
    n = np.maximum(n_w, 1.0)
    row = np.repeat(np.arange(n_rows), n_w.astype(np.int64))
    flat = [w for ws in ws_per for w in ws]
    low = [w.lower() for w in flat]
    info = np.array([_word_info(w, index) for w in flat], dtype=np.int64).reshape(-1, 4)
    ids, wlen = info[:, 0], info[:, 1].astype(np.float64)
    upper_first, all_caps = info[:, 2].astype(bool), info[:, 3].astype(bool)
    first = np.zeros(len(flat), dtype=bool)
    starts = np.cumsum(n_w).astype(np.int64) - n_w.astype(np.int64)
    first[starts[n_w > 0]] = True
    lr = log_rank[ids]
    rank_gt = lambda r: np.bincount(row, weights=(lr > math.log(r)), minlength=n_rows)
    types = np.array([len(set(x)) for x in _split_rows(low, n_w)], dtype=np.float64)
    ttr50 = np.array([len(set(x[:50])) / max(1, min(50, len(x))) for x in _split_rows(low, n_w)])
    sent_stats = np.array([_sentence_stats(t) for t in texts])
    col = {name: j for j, name in enumerate(STYLE_NAMES)}
    out[:, col["word_len"]] = np.bincount(row, weights=wlen, minlength=n_rows) / n
    herdan = np.ones(n_rows)
    ok = (n_w > 1) & (types > 1)
    herdan[ok] = np.log(types[ok]) / np.log(n_w[ok])
    out[:, col["herdan_c"]] = herdan
    out[:, col["ttr_50"]] = ttr50
    out[:, col["sent_len_mean"]] = sent_stats[:, 0]
    out[:, col["sent_len_std"]] = sent_stats[:, 1]
    out[:, col["cap_rate"]] = np.bincount(row, weights=upper_first & ~first, minlength=n_rows) / n
    out[:, col["allcaps_rate"]] = np.bincount(row, weights=all_caps, minlength=n_rows) / n
    out[:, col["digit_rate"]] = np.array([t.count("0") for t in texts]) / n
    out[:, col["rank_mean"]] = np.bincount(row, weights=lr, minlength=n_rows) / n
    out[:, col["rare10k"]] = rank_gt(10_000) / n
    out[:, col["rare50k"]] = rank_gt(50_000) / n
    out[:, col["oov"]] = np.bincount(row, weights=(ids == 0), minlength=n_rows) / n
    out[:, col["pieces_per_word"]] = np.asarray(n_pieces, dtype=np.float64) / n
    out[:, col["long_word_rate"]] = np.bincount(row, weights=(wlen >= 10), minlength=n_rows) / n
    for ch, name in _PUNCT.items():
        out[:, col[f"p_{name}"]] = np.array([t.count(ch) for t in texts]) / n
    fw = fw_col[ids]
    hit = fw >= 0
    counts = np.zeros((n_rows, len(FUNCTION_WORDS)))
    np.add.at(counts, (row[hit], fw[hit]), 1.0)
    first_fw = col[f"fw_{FUNCTION_WORDS[0]}"]
    out[:, first_fw:first_fw + len(FUNCTION_WORDS)] = counts / n[:, None]
    return out


_INFO_CACHE: dict[str, tuple[int, int, int, int]] = {}
_INFO_CACHE_MAX = 200_000


def _word_info(word: str, index: dict[str, int]) -> tuple[int, int, int, int]:
    """(table id, length, capitalised, all caps) of a word; memoised, words repeat."""
    got = _INFO_CACHE.get(word)
    if got is None:
        if len(_INFO_CACHE) >= _INFO_CACHE_MAX:
            _INFO_CACHE.clear()
        got = (index.get(word.lower(), 0), len(word), int(word[0].isupper()),
               int(len(word) > 1 and word.isupper()))
        _INFO_CACHE[word] = got
    return got


def _split_rows(flat: list, n_w: np.ndarray) -> list[list]:
    out, pos = [], 0
    for k in n_w.astype(np.int64):
        out.append(flat[pos:pos + k])
        pos += k
    return out


def _sentence_stats(text: str) -> tuple[float, float]:
    lens = [len(s.split()) for s in _SENT_SPLIT.split(text) if s] or [0]
    m = sum(lens) / len(lens)
    return m, math.sqrt(sum((x - m) ** 2 for x in lens) / len(lens))


def load_sp(model_bytes: bytes):
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor()
    sp.LoadFromSerializedProto(model_bytes)
    return sp


def table_features(table: NgramTable, ids: Sequence[Sequence[int]], bos: int, eos: int) -> np.ndarray:
    flat, row = flatten(ids, bos, eos)
    return table.transform(flat, row, len(ids))
