"""Hashed word and character n-gram features, computed for a whole batch of texts at once.

The design is the classic hashed n-gram bag (scikit-learn's `HashingVectorizer`: word 1-3
grams and character 2-5 grams, each family's counts L2-normalised), but written with numpy
instead of per-n-gram Python calls: every text's code points (or word hashes) are laid end to
end, the n-gram hashes of all texts come from a few vectorised multiply-adds, and n-grams that
would cross from one text into the next are dropped. That is the project's own code because it
is on the hot path of every filtered document (about 10x faster than the vectorizer per call,
and no scikit-learn import at run time). Training uses the same functions, so train and run
time cannot disagree.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

_TOKEN = re.compile(r"\w+|[^\w\s]")
_P_CHAR = np.uint64(0x100000001B3)  # FNV prime: the polynomial base for character windows
_P_WORD = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64 multiplier: spreads a hash over the high bits
_BOS = np.uint64(0x2545F4914F6CDD1D)


@dataclass(frozen=True)
class HashSpec:
    bits: int = 20
    word_orders: tuple = (1, 2, 3)
    char_orders: tuple = (2, 3, 4, 5)

    def to_dict(self) -> dict:
        return {"bits": self.bits, "word_orders": list(self.word_orders), "char_orders": list(self.char_orders)}

    @classmethod
    def from_dict(cls, d: dict) -> "HashSpec":
        return cls(int(d["bits"]), tuple(d["word_orders"]), tuple(d["char_orders"]))


_token_cache: dict[str, int] = {}


def _token_hash(tok: str) -> int:
    h = _token_cache.get(tok)
    if h is None:
        h = zlib.crc32(tok.encode("utf-8", "surrogatepass")) + 1
        if len(_token_cache) < 500_000:  # bounded: a crawl's vocabulary must not grow memory without end
            _token_cache[tok] = h
    return h


def _buckets(h: np.ndarray, salt: int, bits: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = (h + np.uint64(salt)) * _MIX
        x ^= x >> np.uint64(31)
        x *= _MIX
    return (x >> np.uint64(64 - bits)).astype(np.int64)


def _windows(seq: np.ndarray, doc: np.ndarray, orders: Sequence[int], prime: np.uint64, salt0: int,
             bits: int) -> tuple[np.ndarray, np.ndarray, list]:
    """(doc ids, buckets, [(order, start positions)]) of every n-gram inside one text."""
    docs, buckets, where = [], [], []
    h = seq.copy()
    top = max(orders) if orders else 0
    for n in range(1, top + 1):
        if n > 1:
            if len(h) <= 1:
                break
            with np.errstate(over="ignore"):
                h = h[:-1] * prime + seq[n - 1:]
        if n not in orders or len(h) == 0:
            continue
        ok = np.flatnonzero(doc[: len(h)] == doc[n - 1: n - 1 + len(h)])
        docs.append(doc[ok])
        buckets.append(_buckets(h[ok], salt0 + n, bits))
        where.append((n, ok))
    if not docs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), where
    return np.concatenate(docs), np.concatenate(buckets), where


def char_ngrams(texts: Sequence[str], spec: HashSpec):
    """Character n-grams of ' text ' (spaces mark the word edges at both ends)."""
    padded = [" " + t + " " for t in texts]
    joined = "".join(padded)
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), [len(p) for p in padded])
    d, b, where = _windows(cp, doc, spec.char_orders, _P_CHAR, 100, spec.bits)
    return d, b, (joined, where)


def word_ngrams(texts: Sequence[str], spec: HashSpec):
    """Word (and punctuation) n-grams, with a start-of-text token so openings count."""
    toks = [["<s>"] + _TOKEN.findall(t) for t in texts]
    flat = [tok for ts in toks for tok in ts]
    seq = np.fromiter((_token_hash(t) for t in flat), dtype=np.uint64, count=len(flat))
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), [len(ts) for ts in toks])
    d, b, where = _windows(seq, doc, spec.word_orders, _P_WORD, 200, spec.bits)
    return d, b, (flat, where)


def _normalised_family(d: np.ndarray, b: np.ndarray, n_docs: int, bits: int):
    """Unique (doc, bucket) pairs with count / ||counts of the doc||."""
    if len(d) == 0:
        return d, b, np.zeros(0)
    keys, counts = np.unique((d << bits) | b, return_counts=True)
    dd = keys >> bits
    norm = np.sqrt(np.bincount(dd, weights=counts.astype(np.float64) ** 2, minlength=n_docs))
    return dd, keys & ((1 << bits) - 1), counts / norm[dd]


def features(texts: Sequence[str], spec: HashSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse rows of all `texts` as (doc ids, columns, values); each family L2-normalised."""
    parts = []
    for fam in (word_ngrams, char_ngrams):
        d, b, _ = fam(texts, spec)
        parts.append(_normalised_family(d, b, len(texts), spec.bits))
    return tuple(np.concatenate(x) for x in zip(*parts))


def sparse_matrix(texts: Sequence[str], spec: HashSpec):
    """The same features as a scipy CSR matrix (training)."""
    from scipy.sparse import csr_matrix

    d, c, v = features(texts, spec)
    return csr_matrix((v, (d, c)), shape=(len(texts), 1 << spec.bits))


def linear_scores(texts: Sequence[str], spec: HashSpec, weights: np.ndarray, bias: float) -> np.ndarray:
    """weights . x + bias for every text, without building a matrix."""
    d, c, v = features(texts, spec)
    return np.bincount(d, weights=v * weights[c], minlength=len(texts)) + bias


def contributions(text: str, spec: HashSpec, weights: np.ndarray) -> dict[str, float]:
    """Each n-gram's share of one text's score, by the n-gram's own text (for `explain`)."""
    out: dict[str, float] = {}
    for fam, label in ((word_ngrams, "words"), (char_ngrams, "chars")):
        d, b, (seq, where) = fam([text], spec)
        if len(d) == 0:
            continue
        _, counts = np.unique(b, return_counts=True)
        inv_norm = 1.0 / float(np.sqrt((counts.astype(np.float64) ** 2).sum()))
        i = 0
        for n, starts in where:
            for s in starts:
                piece = seq[s: s + n] if label == "chars" else " ".join(seq[s: s + n])
                name = f'{label}:"{piece}"'
                out[name] = out.get(name, 0.0) + inv_norm * float(weights[b[i]])
                i += 1
    return out
