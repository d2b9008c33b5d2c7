"""Speed of `relate_pages` on 1k and 10k pages built from the WMT corpus, and an all-pairs baseline.

    PYTHONPATH=. python scripts/bench_relate.py [--corpus DIR] [--sizes 1000 10000] [--baseline 300]

Pages (see eval_relate.py for the corpus layout): stories in a fixed random order; for each,
three systems' full pages (paraphrases or near-copies of each other) and, for multi-paragraph
stories, an excerpt of the first; so up to four pages belong to each story and most page pairs
are unrelated, as in a crawl. Documents longer than 3 paragraphs are cut into stories of
3 paragraphs (this is what gives enough stories for 10k pages: wmt22+wmt21 hold ~3k documents;
original-English "source" pages are left out, see SKIP_SOURCES; ~11.5k pages in all).

Reported: wall time (one process, one core), pages/s, candidate pairs, related pairs, the
10k/1k time ratio (10.0 = linear), and the all-pairs baseline (`relate_pages(all_pairs=True)`)
measured on --baseline pages in the same run, with its time extrapolated quadratically.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHUNK = 3  # paragraphs per story: long documents are cut into several stories
VERSIONS = 3  # systems' versions per story (plus an excerpt of the first)

# "source" = the English originals of wmt22's en->xx pairs: the same articles recur under every
# pair's document ids with other paragraph boundaries, so stories would overlap across ids and
# the number of true pairs would grow faster than the pages (measuring the data, not the code).
SKIP_SOURCES = {"source"}

from eval_relate import EXCLUDED_SYSTEMS, corpus_file, excerpt_of, load_docs, make_page  # noqa: E402

SKIP = EXCLUDED_SYSTEMS | SKIP_SOURCES

from mtdetect.relate import candidate_pairs, prepare, relate_pages  # noqa: E402


def build_pages(corpus, n_max: int, seed: int, chunk: int = CHUNK, versions: int = VERSIONS):
    stories = {}
    for year in (22, 21):
        for d, systems in load_docs(corpus_file(corpus, year)).items():
            n = max(len(p) for p in systems.values())
            for k in range(0, n, chunk):
                # Parts of one document share names and topic but no sentences: separate stories.
                part = {s: p[k : k + chunk] for s, p in systems.items() if s not in SKIP and p[k : k + chunk]}
                if part:
                    stories[f"{year}:{d}:{k // chunk}"] = part
    rng = random.Random(seed)
    order = sorted(stories)
    rng.shuffle(order)
    pages = []
    for d in order:
        picked = rng.sample(sorted(stories[d]), min(versions, len(stories[d])))
        for s in picked:
            pages.append(make_page(f"{d}/{s}", stories[d][s]))
        paras = stories[d][picked[0]]
        if len(paras) >= 2:
            pages.append(make_page(f"{d}/{picked[0]}#excerpt", excerpt_of(paras)))
        if len(pages) >= n_max:
            break
    return pages[:n_max]


def run(pages, all_pairs=False):
    t0 = time.perf_counter()
    prepared = [prepare(p) for p in pages]
    t1 = time.perf_counter()
    n_cand = len(prepared) * (len(prepared) - 1) // 2 if all_pairs else len(candidate_pairs(prepared))
    t2 = time.perf_counter()
    rels = relate_pages(prepared, all_pairs=all_pairs)
    t3 = time.perf_counter()
    # relate_pages recomputes the candidates: subtract that second run from the total.
    total = (t1 - t0) + (t3 - t2)
    return total, n_cand, rels, {"prepare": t1 - t0, "candidates": t2 - t1, "compare": t3 - t2 - (0 if all_pairs else t2 - t1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--baseline", type=int, default=300, help="pages for the all-pairs baseline")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    pages = build_pages(args.corpus, max(args.sizes + [args.baseline]), args.seed)
    chars = sum(len(b.text) for p in pages for b in p.blocks) / len(pages)
    print(f"pages available {len(pages)}, mean {chars:.0f} characters per page")
    times = {}
    for n in args.sizes:
        sub = pages[:n]
        total, n_cand, rels, parts = run(sub)
        times[len(sub)] = total
        kinds = {k: sum(r.relation == k for r in rels) for k in ("copy", "excerpt", "paraphrase")}
        print(f"{len(sub):>6} pages  {total:6.1f}s  {len(sub) / total:6.0f} pages/s  candidates {n_cand:>7}  "
              f"related {len(rels):>6} {kinds}  "
              f"(prepare {parts['prepare']:.1f}s, candidates {parts['candidates']:.1f}s, compare {parts['compare']:.1f}s)")
    if len(args.sizes) >= 2:
        a, b = min(times), max(times)
        print(f"time ratio {b}/{a} pages: {times[b] / times[a]:.1f} (linear = {b / a:.1f}, quadratic = {(b / a) ** 2:.0f})")

    sub = pages[: args.baseline]
    t_all, n_all, rels_all, _ = run(sub, all_pairs=True)
    t_cand, n_cand, rels_cand, _ = run(sub)
    found_all = {(r.a, r.b, r.relation) for r in rels_all}
    found_cand = {(r.a, r.b, r.relation) for r in rels_cand}
    big = max(args.sizes)
    print(f"baseline on {len(sub)} pages: all pairs {t_all:.1f}s ({n_all} comparisons) vs candidates "
          f"{t_cand:.1f}s ({n_cand}); relations found by all-pairs and missed by candidates: "
          f"{len(found_all - found_cand)} of {len(found_all)}")
    print(f"all pairs extrapolated to {big} pages: {t_all * (big / len(sub)) ** 2 / 60:.0f} min "
          f"(candidates measured: {times.get(big, float('nan')):.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
