"""Monotonic sentence alignment between two pages, verified with sacrebleu.

Two steps, cheap first:

1. A content-word cosine between every sentence of A and every sentence of B (numpy; words are
   lowercased 6-letter prefixes without function words). A dynamic programme picks the best
   order-keeping chain of 1:1 matches whose cosine is at least `min_cosine`; each match is
   then grown into an n:m unit by absorbing unaligned neighbouring sentences while that raises
   the unit's cosine (a sentence split in two, two sentences merged into one).
2. Units with a doubtful cosine (< `verify_below`) are scored alone with sacrebleu's
   sentence-level chrF and dropped under `min_unit_chrf`. Then the aligned text of A (kept
   units, in order) is scored against B's with sentence-level chrF and BLEU
   (`effective_order=True`). chrF (character n-grams) rewards reworded text that keeps names,
   numbers and word stems, which is what a paraphrase keeps; BLEU (word n-grams) says whether
   the words and their order were kept too.

sacrebleu only sees pairs that survive step 1, so unrelated candidates cost a few numpy ops; its
pure-Python n-gram counting is the main cost of the whole command, hence the per-pair budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
from sacrebleu.metrics import BLEU, CHRF

from .text import PreparedPage, Sentence

# One instance each: constructing the metric objects is not free, scoring is stateless.
_CHRF = CHRF()
_BLEU = BLEU(effective_order=True)


@dataclass
class AlignParams:
    min_cosine: float = 0.25  # a 1:1 match needs at least this content-word cosine
    min_unit_chrf: float = 35.0  # a unit whose chrF is lower is chance overlap, dropped
    grow_margin: float = 0.05  # absorbing a neighbour must raise the unit cosine by this much
    verify_below: float = 0.5  # units under this cosine are checked one by one with chrF
    score_chars: int = 800  # at most about this many characters per side go to sacrebleu


@dataclass
class Unit:
    a: list[int]  # sentence indexes in page A (consecutive)
    b: list[int]
    cosine: float
    chrf: Optional[float] = None  # set when the unit was checked on its own


@dataclass
class Alignment:
    units: list[Unit] = field(default_factory=list)
    chars_a: int = 0  # characters of A's sentences inside kept units
    chars_b: int = 0
    chrf: float = 0.0  # chrF of A's aligned text against B's
    bleu: float = 0.0  # BLEU of A's aligned text against B's aligned text

    def block_pairs(self, a: PreparedPage, b: PreparedPage) -> list[list[int]]:
        pairs = {(a.sentences[i].block, b.sentences[j].block) for u in self.units for i in u.a for j in u.b}
        return [list(p) for p in sorted(pairs)]


def _vectors(sa: Sequence[Sentence], sb: Sequence[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """Count matrices over the pair's joint vocabulary (small, so dense is fine)."""
    ids = [s.words for s in sa] + [s.words for s in sb]
    lens = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
    flat = np.concatenate(ids) if lens.sum() else np.zeros(0, dtype=np.int64)
    vocab, inv = np.unique(flat, return_inverse=True)
    width = max(len(vocab), 1)
    rows = np.repeat(np.arange(len(ids)), lens)
    m = np.bincount(rows * width + inv.ravel(), minlength=len(ids) * width).astype(np.float32)
    m = m.reshape(len(ids), width)
    return m[: len(sa)], m[len(sa) :]


def _cos(u: np.ndarray, v: np.ndarray) -> float:
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    return float(u @ v / (nu * nv)) if nu and nv else 0.0


def _chain(sim: np.ndarray, wa: np.ndarray, wb: np.ndarray, min_cosine: float) -> list[tuple[int, int]]:
    """Best monotonic 1:1 chain. Gain of a match = (cosine - threshold) * length of the pair, so
    long well-matched sentences dominate and sub-threshold matches are impossible.

    Row-by-row DP: D[i][j] = max(D[i-1][j], D[i][j-1], D[i-1][j-1] + g[i][j]); the D[i][j-1] term
    is a running maximum, so each row is two numpy calls (cost O(nA*nB) in C, nA in Python)."""
    na, nb = sim.shape
    gain = np.where(sim >= min_cosine, (sim - min_cosine) * (wa[:, None] + wb[None, :]), -np.inf)
    d = np.zeros((na + 1, nb + 1))
    for i in range(1, na + 1):
        t = np.maximum(d[i - 1, 1:], d[i - 1, :-1] + gain[i - 1])
        d[i, 1:] = np.maximum.accumulate(t)
    pairs: list[tuple[int, int]] = []
    i, j = na, nb
    while i > 0 and j > 0:
        if d[i, j] == d[i - 1, j]:
            i -= 1
        elif d[i, j] == d[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    pairs.reverse()
    return pairs


def _grow(units: list[Unit], va: np.ndarray, vb: np.ndarray, margin: float) -> None:
    """Absorb unaligned neighbours into units (n:m) while the unit cosine improves."""
    used_a = {i for u in units for i in u.a}
    used_b = {j for u in units for j in u.b}
    for u in units:
        changed = True
        while changed:
            changed = False
            best = None
            for side, idx in (("a", u.a[0] - 1), ("a", u.a[-1] + 1), ("b", u.b[0] - 1), ("b", u.b[-1] + 1)):
                vs, used = (va, used_a) if side == "a" else (vb, used_b)
                if idx < 0 or idx >= len(vs) or idx in used:
                    continue
                a_idx = sorted(u.a + [idx]) if side == "a" else u.a
                b_idx = sorted(u.b + [idx]) if side == "b" else u.b
                c = _cos(va[a_idx].sum(0), vb[b_idx].sum(0))
                if c >= u.cosine + margin and (best is None or c > best[0]):
                    best = (c, side, idx, a_idx, b_idx)
            if best is not None:
                c, side, idx, a_idx, b_idx = best
                (used_a if side == "a" else used_b).add(idx)
                u.a, u.b, u.cosine = a_idx, b_idx, c
                changed = True


def _norm(s: str) -> str:
    return " ".join(s.split())


def _unit_text(a: PreparedPage, b: PreparedPage, u: Unit) -> tuple[str, str]:
    return _norm(" ".join(a.sentences[i].text for i in u.a)), _norm(" ".join(b.sentences[j].text for j in u.b))


def align(a: PreparedPage, b: PreparedPage, params: AlignParams = AlignParams(), gate=None) -> Alignment:
    """Align A's sentences to B's. `gate(units, chars_a, chars_b)` may return False after the
    cheap step to skip sacrebleu for pairs that cannot make a relation anyway."""
    if a.empty or b.empty:
        return Alignment()
    va, vb = _vectors(a.sentences, b.sentences)
    na_, nb_ = np.linalg.norm(va, axis=1), np.linalg.norm(vb, axis=1)
    na_[na_ == 0] = 1.0
    nb_[nb_ == 0] = 1.0
    sim = (va / na_[:, None]) @ (vb / nb_[:, None]).T
    la, lb = a.lengths, b.lengths
    chain = _chain(sim, la, lb, params.min_cosine)
    units = [Unit([i], [j], float(sim[i, j])) for i, j in chain]
    if not units:
        return Alignment()
    _grow(units, va, vb, params.grow_margin)

    def chars(us: list[Unit]) -> tuple[int, int]:
        ia = [i for u in us for i in u.a]
        ib = [j for u in us for j in u.b]
        return int(la[ia].sum()), int(lb[ib].sum())

    if gate is not None and not gate(units, *chars(units)):
        return Alignment()

    kept: list[Unit] = []
    for u in units:
        if u.cosine < params.verify_below:
            # Doubtful unit (few shared content words): keep it only if chrF agrees.
            ta, tb = _unit_text(a, b, u)
            u.chrf = 100.0 if ta == tb else _CHRF.sentence_score(ta, [tb]).score
            if u.chrf < params.min_unit_chrf:
                continue
        kept.append(u)
    if not kept:
        return Alignment()
    # The pair's scores: chrF and BLEU of A's aligned text against B's. sacrebleu's cost grows
    # with the text, so long alignments are scored on evenly spread units up to a budget.
    ca, cb = chars(kept)
    stride = max(1, -(-max(ca, cb) // params.score_chars))
    texts = [_unit_text(a, b, u) for u in kept[::stride]]
    ja, jb = " ".join(t[0] for t in texts), " ".join(t[1] for t in texts)
    if ja == jb:  # identical text scores 100 by definition; skipping the calls matters for copies
        chrf = bleu = 100.0
    else:
        chrf = _CHRF.sentence_score(ja, [jb]).score
        bleu = _BLEU.sentence_score(ja, [jb]).score
    return Alignment(kept, ca, cb, chrf, bleu)
