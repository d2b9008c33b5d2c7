"""Precision and recall of `mtdetect relate` per relation, on pages built from the WMT corpus.

    PYTHONPATH=. python scripts/eval_relate.py [--corpus DIR] [--year 22] [--docs 200] [--systems 4]

The corpus is read in place (never copied into the project): --corpus DIR, else env
MTDETECT_CORPORA, else ../shared/corpora relative to the project root.

Pages: one document as translated by one system (MT system, human reference, or the English
original): the document's paragraphs, in order, are the page's content blocks. For each sampled
document we take up to --systems systems, plus a copy page (the second system's text again, between
boilerplate blocks, as on another site) and an excerpt page (the first half of the paragraphs of
the first system).

Truth, decided from the corpus metadata plus one text test that does not use relate's code:
* same document, same system: copy (full vs full) or excerpt (full vs its excerpt).
* same document, different systems: "near-identical" when a word-level difflib ratio over the
  paragraphs both pages hold is >= 0.9 (some systems produce nearly the same output; their pages
  are copies in every practical sense). Near-identical -> copy (both full) or excerpt (one is an
  excerpt); otherwise paraphrase (same meaning, same order, other words).
  Near-identity is a continuum (systems range from 0.8 to 0.99), so pairs with a ratio in
  [0.85, 0.95) are "borderline": counted and shown, but left out of precision/recall, where
  either answer (verbatim or paraphrase) is defensible.
* different documents: unrelated, unless their pages are textually identical (copy). Pairs of
  documents listed in AMBIGUOUS_DOCS (read by hand: two outlets rewriting one interview, sharing
  about 40% of their content) are neither unrelated nor whole paraphrases: shown with the
  borderline pairs, not scored.
* Excerpt pages are only built when the excerpt holds at most 70% of the full page's
  characters (a "half" that is nearly everything is a copy, not an excerpt).
* Systems in EXCLUDED_SYSTEMS are left out: their output is not a translation of the document.
--min-paragraphs selects documents (default 2: multi-paragraph pages; use 1 --max-paragraphs 1
for the one-paragraph documents, where paraphrase is much harder to tell from chance).
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtdetect.document import Block, PageReport  # noqa: E402
from mtdetect.relate import candidate_pairs, prepare, relate_pages  # noqa: E402

RELATIONS = ("copy", "excerpt", "paraphrase")
NEAR_IDENTICAL = 0.95  # word-level difflib ratio at or above: near-identical (copy-like)
PARAPHRASE_BELOW = 0.85  # below: clearly reworded; in between: borderline, not scored
EXCERPT_MAX_SHARE = 0.7
# wmt22 ja-en AIST: corpus chrF 17.1 against refA (next lowest system: 35.6); its output is word
# salad ("The MC, theives also the, ( from uponAP ofEL"), so "paraphrase" would be a wrong label.
EXCLUDED_SYSTEMS = {"AIST"}
# Different documents that partly rewrite one story (checked by reading them).
AMBIGUOUS_DOCS = {frozenset({"rt-russian.47266", "lenta.ru.89654"})}


def corpus_file(corpus: Optional[str], year: int) -> Path:
    base = Path(corpus or os.environ.get("MTDETECT_CORPORA") or ROOT.parent / "shared" / "corpora")
    path = base / "wmt-en-mt" / f"wmt{year % 100}.jsonl.gz"
    if not path.exists():
        raise SystemExit(f"corpus not found: {path} (use --corpus DIR or MTDETECT_CORPORA)")
    return path


def load_docs(path: Path) -> dict[str, dict[str, list[str]]]:
    """doc -> system -> paragraphs in document order (ids end in the segment line number)."""
    rows: dict = defaultdict(lambda: defaultdict(list))
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows[r["doc"]][r["system"]].append((int(r["id"].rsplit(".", 1)[1]), r["text"]))
    return {d: {s: [t for _, t in sorted(ps)] for s, ps in systems.items()} for d, systems in rows.items()}


def make_page(path: str, paragraphs: list[str]) -> PageReport:
    blocks = [Block(i, i + 1, i + 1, t, kind="content", lang="en") for i, t in enumerate(paragraphs)]
    return PageReport(path=path, blocks=blocks, lang="en")


def excerpt_of(paragraphs: list[str]) -> list[str]:
    return paragraphs[: max(1, len(paragraphs) // 2)]


def word_ratio(pa: list[str], pb: list[str]) -> float:
    n = min(len(pa), len(pb))  # an excerpt holds the first paragraphs
    wa, wb = " ".join(pa[:n]).split(), " ".join(pb[:n]).split()
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def build(docs, n_docs, n_systems, min_par, max_par, seed, min_chars=0):
    rng = random.Random(seed)
    eligible = [
        d for d in sorted(docs)
        if len(set(docs[d]) - EXCLUDED_SYSTEMS) >= 2
        and all(min_par <= len(p) <= max_par and sum(map(len, p)) >= min_chars for p in docs[d].values())
    ]
    chosen = rng.sample(eligible, min(n_docs, len(eligible)))
    pages: list[PageReport] = []
    meta: list[tuple[str, str, Optional[str], list[str]]] = []  # doc, system, None|"copy"|"excerpt", paragraphs
    for d in chosen:
        usable = sorted(s for s in docs[d] if s not in EXCLUDED_SYSTEMS)
        systems = rng.sample(usable, min(n_systems, len(usable)))
        for s in systems:
            meta.append((d, s, None, docs[d][s]))
        if len(systems) >= 2:
            # The same system's text on another site: a copy (with boilerplate that must not count).
            meta.append((d, systems[1], "copy", docs[d][systems[1]]))
        full = docs[d][systems[0]]
        part = excerpt_of(full)
        if len(part) < len(full) and sum(map(len, part)) <= EXCERPT_MAX_SHARE * sum(map(len, full)):
            meta.append((d, systems[0], "excerpt", part))
    for d, s, variant, paras in meta:
        page = make_page(f"{d}/{s}{'#' + variant if variant else ''}", paras)
        if variant == "copy":
            page.blocks = [Block(0, 0, 0, "Home | World | Business | Contact us", kind="boilerplate", lang="en")] + [
                Block(b.index + 1, b.line_start, b.line_end, b.text, kind=b.kind, lang=b.lang) for b in page.blocks
            ] + [Block(len(paras) + 1, 0, 0, "Share this article on social media. All rights reserved.",
                       kind="boilerplate", lang="en")]
        pages.append(page)
    return pages, meta


def truth(meta) -> tuple[dict[tuple[int, int], str], set[tuple[int, int]]]:
    """(pair -> relation, borderline pairs)."""
    out: dict[tuple[int, int], str] = {}
    borderline: set[tuple[int, int]] = set()
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(meta):
        by_doc[m[0]].append(i)
    for idx in by_doc.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                i, j = idx[x], idx[y]
                (_, si, ei, pi), (_, sj, ej, pj) = meta[i], meta[j]
                ratio = 1.0 if si == sj else word_ratio(pi, pj)
                if ratio >= NEAR_IDENTICAL:
                    out[(i, j)] = "excerpt" if "excerpt" in (ei, ej) else "copy"
                elif ratio >= PARAPHRASE_BELOW:
                    borderline.add((i, j))
                else:
                    out[(i, j)] = "paraphrase"
    known = [i for i, m in enumerate(meta) if any(m[0] in k for k in AMBIGUOUS_DOCS)]
    for x, i in enumerate(known):
        for j in known[x + 1 :]:
            if frozenset({meta[i][0], meta[j][0]}) in AMBIGUOUS_DOCS:
                borderline.add((i, j))
    # Different documents with the very same text (the corpus has a few) are copies.
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(meta):
        by_text["\n".join(m[3])].append(i)
    for idx in by_text.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                if meta[idx[x]][0] != meta[idx[y]][0]:
                    out[(idx[x], idx[y])] = "copy"
    return out, borderline


def report(pages, meta, gold, pred, seconds, n_cand, cand_hits):
    print(f"pages {len(pages)}  docs {len({m[0] for m in meta})}  true pairs {len(gold)} "
          f"({', '.join(f'{r} {n}' for r, n in sorted(Counter(gold.values()).items()))})  "
          f"candidates {n_cand}  candidate recall {cand_hits / max(1, len(gold)):.3f}  time {seconds:.1f}s")
    print(f"{'relation':<12}{'precision':>10}{'recall':>8}{'pred':>7}{'true':>7}")
    for r in RELATIONS:
        tp = sum(1 for k, v in pred.items() if v == r and gold.get(k) == r)
        np_, nt = sum(v == r for v in pred.values()), sum(v == r for v in gold.values())
        p = tp / np_ if np_ else float("nan")
        rc = tp / nt if nt else float("nan")
        print(f"{r:<12}{p:>10.3f}{rc:>8.3f}{np_:>7}{nt:>7}")
    conf = Counter((gold.get(k, "none"), v) for k, v in pred.items())
    conf.update((v, "none") for k, v in gold.items() if k not in pred)
    labels = RELATIONS + ("none",)
    print("confusion (rows truth, columns predicted):")
    print(" " * 12 + "".join(f"{c:>11}" for c in labels))
    for t in labels:
        print(f"{t:<12}" + "".join(f"{conf.get((t, c), 0):>11}" for c in labels))
    return conf


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="corpora directory (holds wmt-en-mt/)")
    ap.add_argument("--year", type=int, default=22)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--systems", type=int, default=4, help="systems sampled per document")
    ap.add_argument("--min-paragraphs", type=int, default=2)
    ap.add_argument("--max-paragraphs", type=int, default=1000)
    ap.add_argument("--min-chars", type=int, default=0, help="only documents whose every version has this many characters")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--errors", type=int, default=0, help="print this many misclassified pairs")
    args = ap.parse_args(argv)

    docs = load_docs(corpus_file(args.corpus, args.year))
    pages, meta = build(docs, args.docs, args.systems, args.min_paragraphs, args.max_paragraphs, args.seed, args.min_chars)
    gold, borderline = truth(meta)
    t0 = time.perf_counter()
    prepared = [prepare(p) for p in pages]
    cands = set(candidate_pairs(prepared))
    rels = relate_pages(prepared)
    seconds = time.perf_counter() - t0
    index = {p.path: i for i, p in enumerate(pages)}
    pred = {}
    info = {}
    border_pred: Counter = Counter()
    for r in rels:
        i, j = sorted((index[r.a], index[r.b]))
        if (i, j) in borderline:
            border_pred[r.relation] += 1
            continue
        pred[(i, j)] = r.relation
        info[(i, j)] = r
    report(pages, meta, gold, pred, seconds, len(cands), sum(1 for k in gold if k in cands))
    border_pred["none"] = len(borderline) - sum(border_pred.values())
    print(f"borderline/ambiguous pairs (not scored): {len(borderline)}, predicted as "
          + ", ".join(f"{k} {v}" for k, v in sorted(border_pred.items())))
    if args.errors:
        shown = 0
        for k in sorted(set(gold) | set(pred)):
            g, p = gold.get(k, "none"), pred.get(k, "none")
            if g != p and shown < args.errors:
                shown += 1
                r = info.get(k)
                extra = f" chrf {r.chrf:.1f} bleu {r.bleu:.1f} cov {r.coverage_a:.2f}/{r.coverage_b:.2f}" if r else ""
                print(f"  truth {g:<10} pred {p:<10} {pages[k[0]].path}  {pages[k[1]].path}{extra}"
                      f"  {'(cand)' if k in cands else '(not cand)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
