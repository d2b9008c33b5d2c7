"""Find copies, excerpts and paraphrases of one text across pages.

    from mtdetect import Scanner
    from mtdetect.relate import relate_pages, compare
    pages = [Scanner(mt=False).scan_file(p) for p in paths]
    for rel in relate_pages(pages):
        print(rel.to_dict())  # {"a", "b", "relation", "chrf", "bleu", "aligned", "coverage"}

Pipeline: `text` reduces each page to its English content sentences (boilerplate and other
languages take no part); `candidates` proposes pairs (exact duplicates, rare-word inverted index,
MinHash LSH) so that not every pair is compared; `align` aligns sentences monotonically and scores
the aligned units with sacrebleu chrF/BLEU; `relations` turns that into copy / excerpt /
paraphrase or no pair. The rules are documented in `mtdetect.relate.relations`.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .align import AlignParams, Alignment, align
from .candidates import CandidateParams, candidate_pairs
from .relations import COPY, EXCERPT, PARAPHRASE, RelateConfig, Relation, classify, compare
from .text import PreparedPage, prepare, prepare_blocks

__all__ = [
    "AlignParams",
    "Alignment",
    "COPY",
    "CandidateParams",
    "EXCERPT",
    "PARAPHRASE",
    "PreparedPage",
    "RelateConfig",
    "Relation",
    "align",
    "candidate_pairs",
    "classify",
    "compare",
    "prepare",
    "prepare_blocks",
    "relate_pages",
]


def relate_pages(
    pages: Sequence,
    config: Optional[RelateConfig] = None,
    candidates: Optional[CandidateParams] = None,
    all_pairs: bool = False,
) -> list[Relation]:
    """Related pairs among `pages` (PageReports or PreparedPages), in page order.

    Pages with an error or without English content are skipped. `all_pairs=True` compares every
    pair instead of using candidate generation (the baseline for benchmarks; quadratic).
    """
    cfg = config or RelateConfig()
    prepared = [prepare(p) for p in pages]
    live = [i for i, p in enumerate(prepared) if not p.empty]
    sub = [prepared[i] for i in live]
    if all_pairs:
        pairs = [(x, y) for x in range(len(sub)) for y in range(x + 1, len(sub))]
    else:
        pairs = candidate_pairs(sub, candidates or CandidateParams())
    out: list[Relation] = []
    for x, y in pairs:
        rel = compare(sub[x], sub[y], cfg)
        if rel is not None:
            out.append(rel)
    return out
