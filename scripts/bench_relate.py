"""Speed of `relate_pages` on 1k and 10k pages built from the WMT corpus, and an all-pairs baseline.

    PYTHONPATH=. python scripts/bench_relate.py [--corpus DIR] [--sizes 1000 10000] [--baseline 300]

Pages (see eval_relate.py for the corpus layout): stories in a fixed random order; for each,
three systems' full pages (paraphrases or near-copies of each other) and, for multi-paragraph
stories, an excerpt of the first; so up to four pages belong to each story and most page pairs
are unrelated, as in a crawl. Documents longer than 3 paragraphs are cut into stories of
3 paragraphs (this is what gives enough stories for 10k pages: wmt22+wmt21 hold ~3k documents;
original-English "source" pages are left out, see SKIP_SOURCES; ~11.5k pages in all).

Reported: wall and CPU time (one process, one core; CPU time is the figure to compare when the
machine is shared), pages per CPU second, candidate pairs, related pairs, the
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
    """(wall seconds, CPU seconds of this process, candidate count, relations, stage CPU seconds).

    CPU time is reported next to wall time because the machine may be shared: wall time then
    includes waiting for a core, CPU time does not."""
    w0, c0 = time.perf_counter(), time.process_time()
    prepared = [prepare(p) for p in pages]
    c1 = time.process_time()
    n_cand = len(prepared) * (len(prepared) - 1) // 2 if all_pairs else len(candidate_pairs(prepared))
    c2 = time.process_time()
    rels = relate_pages(prepared, all_pairs=all_pairs)  # computes the candidates again, inside
    w3, c3 = time.perf_counter(), time.process_time()
    cand = 0.0 if all_pairs else c2 - c1
    wall = (w3 - w0) - cand * (w3 - w0) / max(c3 - c0, 1e-9)  # drop the duplicate candidate pass
    cpu = (c3 - c0) - cand
    return wall, cpu, n_cand, rels, {"prepare": c1 - c0, "candidates": cand, "compare": c3 - c2 - cand}


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
    run(pages[:60])  # warm-up: first-call costs (imports inside datasketch, regex compilation) are not per page
    times = {}
    for n in args.sizes:
        sub = pages[:n]
        wall, cpu, n_cand, rels, parts = run(sub)
        times[len(sub)] = cpu
        kinds = {k: sum(r.relation == k for r in rels) for k in ("copy", "excerpt", "paraphrase")}
        print(f"{len(sub):>6} pages  wall {wall:6.1f}s  cpu {cpu:6.1f}s  {len(sub) / cpu:5.0f} pages/cpu-s  "
              f"candidates {n_cand:>7}  related {len(rels):>6} {kinds}  (cpu: prepare {parts['prepare']:.1f}s, "
              f"candidates {parts['candidates']:.1f}s, compare {parts['compare']:.1f}s)")
    if len(args.sizes) >= 2:
        a, b = min(times), max(times)
        print(f"cpu time ratio {b}/{a} pages: {times[b] / times[a]:.1f} (linear = {b / a:.1f}, quadratic = {(b / a) ** 2:.0f})")

    sub = pages[: args.baseline]
    _, t_all, n_all, rels_all, _ = run(sub, all_pairs=True)
    _, t_cand, n_cand, rels_cand, _ = run(sub)
    found_all = {(r.a, r.b, r.relation) for r in rels_all}
    found_cand = {(r.a, r.b, r.relation) for r in rels_cand}
    for a_, b_, rel in sorted(found_all - found_cand)[:5]:
        print(f"  missed by candidates: {rel} {a_} {b_}")
    big = max(args.sizes)
    print(f"baseline on {len(sub)} pages (cpu): all pairs {t_all:.1f}s ({n_all} comparisons) vs candidates "
          f"{t_cand:.1f}s ({n_cand}); relations found by all-pairs and missed by candidates: "
          f"{len(found_all - found_cand)} of {len(found_all)}")
    print(f"all pairs extrapolated to {big} pages: {t_all * (big / len(sub)) ** 2 / 60:.0f} min "
          f"(candidates measured: {times.get(big, float('nan')):.1f}s cpu)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
