"""Deciding how two pages relate, from their alignment (see `align`).

Rules (thresholds in `RelateConfig`; chrF and BLEU are sacrebleu's 0-100 scores):

* Only English content blocks take part (boilerplate and other languages are ignored).
* coverage_a / coverage_b = share of each page's English content characters inside kept
  alignment units.
* No pair unless the alignment is substantial: at least `min_aligned_chars` characters aligned
  on each side, at least `min_units` units (or one unit covering `min_single_coverage`), the
  larger of the two coverages at least `min_coverage` (0.6: one page is mostly found in the
  other; only `min_verbatim_coverage` = 0.3 when the text is verbatim, see below), and chrF of
  the aligned text at least `min_chrf` (45). Pages about the same event share names and a
  sentence or two reworded; on the WMT evaluation such pairs had coverage under 0.56. A shared
  verbatim passage is much stronger evidence, so it needs less coverage (a story quoted under a
  sidebar that the boilerplate detector kept as content).
* verbatim = chrF >= `copy_chrf` and BLEU >= `copy_bleu`: the words and their order are kept.
* copy: verbatim, and both coverages >= `full_coverage` (each page is essentially the other).
* excerpt: verbatim, and at least one page is only partly covered (one page quotes a part of
  the other; `coverage` in the output tells which side is the part).
* paraphrase: not verbatim (same sentences in the same order, other words: chrF stays high while
  BLEU drops). Coverage is not used to tell a rewritten excerpt from a rewritten whole: rewrites
  rarely keep every sentence, so partial coverage is normal for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .align import AlignParams, Alignment, align
from .text import PreparedPage, prepare

COPY = "copy"
EXCERPT = "excerpt"
PARAPHRASE = "paraphrase"


@dataclass
class RelateConfig:
    min_chrf: float = 45.0
    copy_chrf: float = 90.0
    copy_bleu: float = 85.0
    full_coverage: float = 0.8
    min_coverage: float = 0.6
    min_verbatim_coverage: float = 0.3
    min_units: int = 2
    min_single_coverage: float = 0.6
    min_aligned_chars: int = 40
    align: AlignParams = field(default_factory=AlignParams)


@dataclass
class Relation:
    a: str
    b: str
    relation: str
    chrf: float
    bleu: float
    aligned: list[list[int]]  # [block_index_a, block_index_b] pairs, n:m allowed
    coverage_a: float
    coverage_b: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "relation": self.relation,
            "chrf": round(self.chrf, 2),
            "bleu": round(self.bleu, 2),
            "aligned": self.aligned,
            "coverage": [round(self.coverage_a, 3), round(self.coverage_b, 3)],
        }


def _substantial(cfg: RelateConfig, n_units: int, ca: int, cb: int, a: PreparedPage, b: PreparedPage) -> bool:
    cov_a, cov_b = ca / a.n_chars, cb / b.n_chars
    if min(ca, cb) < cfg.min_aligned_chars or max(cov_a, cov_b) < min(cfg.min_coverage, cfg.min_verbatim_coverage):
        return False
    return n_units >= cfg.min_units or max(cov_a, cov_b) >= cfg.min_single_coverage


def classify(al: Alignment, a: PreparedPage, b: PreparedPage, cfg: RelateConfig) -> Optional[Relation]:
    if not al.units or not _substantial(cfg, len(al.units), al.chars_a, al.chars_b, a, b):
        return None
    if al.chrf < cfg.min_chrf:
        return None
    cov_a, cov_b = al.chars_a / a.n_chars, al.chars_b / b.n_chars
    if al.chrf >= cfg.copy_chrf and al.bleu >= cfg.copy_bleu:
        kind = COPY if min(cov_a, cov_b) >= cfg.full_coverage else EXCERPT
    elif max(cov_a, cov_b) >= cfg.min_coverage:
        kind = PARAPHRASE
    else:
        return None
    return Relation(a.path, b.path, kind, al.chrf, al.bleu, al.block_pairs(a, b), cov_a, cov_b)


def compare(page_a, page_b, config: Optional[RelateConfig] = None) -> Optional[Relation]:
    """The relation between two pages (PageReport or PreparedPage), or None if unrelated."""
    cfg = config or RelateConfig()
    a, b = prepare(page_a), prepare(page_b)
    if a.empty or b.empty:
        return None
    # Skip the sacrebleu step when even the cheap alignment is too thin to make a relation.
    gate = lambda units, ca, cb: _substantial(cfg, len(units), ca, cb, a, b)  # noqa: E731
    return classify(align(a, b, cfg.align, gate=gate), a, b, cfg)
