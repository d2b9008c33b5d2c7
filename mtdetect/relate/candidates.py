"""Which page pairs are worth aligning, without comparing every pair.

Three signals, unioned; each costs about linear time in the number of pages:

* exact duplicates: pages whose normalised English content is identical are grouped by hash.
* rare-word inverted index: content words (lowercased, function words removed) whose document
  frequency is between 2 and `max_df` index the pages that contain them. Two pages are
  candidates when they share at least `min_shared` such words and those make up at least
  `min_overlap` of the rare words of the page that has fewer. Paraphrases share few exact word
  n-grams but keep names, numbers and rare content words; measuring overlap against the smaller
  page makes excerpts (a subset of the other page's words) pass too. Capping the posting-list
  length bounds the work per word (at most max_df^2/2 pairs), which is what keeps the cost
  linear; common words are not evidence anyway.
* MinHash LSH (datasketch, fixed seed) over each page's set of content words at a low Jaccard
  threshold: catches stories repeated so often that all their rare words exceed `max_df`
  (syndicated copies and their rewrites), which the index above cannot see.

Candidates are only a pre-filter: `compare` decides. Missing a true pair here loses it; a false
candidate costs one cheap numpy alignment.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from .text import PreparedPage


@dataclass
class CandidateParams:
    max_df: int = 64
    min_shared: int = 2
    min_overlap: float = 0.3
    lsh_threshold: float = 0.4
    num_perm: int = 64
    seed: int = 1  # fixed so that runs are reproducible


_TRIU: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _triu(n: int) -> tuple[np.ndarray, np.ndarray]:
    if n not in _TRIU:
        _TRIU[n] = np.triu_indices(n, 1)
    return _TRIU[n]


def _rare_word_pairs(pages: Sequence[PreparedPage], p: CandidateParams) -> set[tuple[int, int]]:
    df = Counter(w for page in pages for w in page.vocab)
    postings: dict[str, list[int]] = defaultdict(list)
    n_rare = np.zeros(len(pages), dtype=np.int64)
    for i, page in enumerate(pages):
        for w in page.vocab:
            if 2 <= df[w] <= p.max_df:
                postings[w].append(i)
                n_rare[i] += 1
    if not postings:
        return set()
    n = np.int64(len(pages))
    # Pairs are encoded as a*n+b so that counting shared words is one np.unique.
    codes = []
    for docs in postings.values():
        arr = np.asarray(docs, dtype=np.int64)  # ascending: pages were visited in order
        i, j = _triu(len(arr))
        codes.append(arr[i] * n + arr[j])
    pair_codes, shared = np.unique(np.concatenate(codes), return_counts=True)
    a, b = pair_codes // n, pair_codes % n
    smaller = np.minimum(n_rare[a], n_rare[b])
    keep = (shared >= p.min_shared) & (shared >= p.min_overlap * smaller)
    return set(zip(a[keep].tolist(), b[keep].tolist()))


def _lsh_pairs(pages: Sequence[PreparedPage], p: CandidateParams) -> set[tuple[int, int]]:
    idx = [i for i, page in enumerate(pages) if page.vocab]
    if len(idx) < 2:
        return set()
    # sorted(): frozenset order varies between processes; MinHash does not care, but keep inputs stable.
    sets = [[w.encode("utf-8") for w in sorted(pages[i].vocab)] for i in idx]
    hashes = MinHash.bulk(sets, num_perm=p.num_perm, seed=p.seed)
    lsh = MinHashLSH(threshold=p.lsh_threshold, num_perm=p.num_perm)
    for i, m in zip(idx, hashes):
        lsh.insert(i, m)
    out: set[tuple[int, int]] = set()
    for i, m in zip(idx, hashes):
        for j in lsh.query(m):
            if j != i:
                out.add((min(i, j), max(i, j)))
    return out


def _duplicate_pairs(pages: Sequence[PreparedPage]) -> set[tuple[int, int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        if page.fingerprint:
            groups[page.fingerprint].append(i)
    return {(g[x], g[y]) for g in groups.values() for x in range(len(g)) for y in range(x + 1, len(g))}


def candidate_pairs(pages: Sequence[PreparedPage], params: CandidateParams = CandidateParams()) -> list[tuple[int, int]]:
    """Index pairs (i < j) into `pages` worth comparing, sorted."""
    pairs = _duplicate_pairs(pages) | _rare_word_pairs(pages, params) | _lsh_pairs(pages, params)
    return sorted(pairs)
