"""Throughput of MTScorer.score on one core, against baselines measured in the same run.

    python scripts/bench_mt.py [--corpus FILE.jsonl.gz] [--n 5000] [--model DIR]

Baselines on the same paragraphs: (a) a plain hashed word+char n-gram logistic regression
(HashingVectorizer + LogisticRegression.decision_function, fitted on a small slice first) and
(b) langdetect. Threads are pinned to 1 so the figure is per core.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse
import random
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None, help="JSONL(.gz); default: wmt22 under the corpora dir")
    ap.add_argument("--n", type=int, default=5000, help="paragraphs to score")
    ap.add_argument("--model", default=None)
    ap.add_argument("--no-langdetect", action="store_true")
    a = ap.parse_args()

    from mtdetect.mt import MTScorer
    from mtdetect.mt.data import corpus_files, read_jsonl

    path = a.corpus or corpus_files(None, [2022])[0]
    rows = read_jsonl(path)
    rnd = random.Random(0)
    texts = [r["text"] for r in rnd.sample(rows, min(a.n, len(rows)))]
    labels = [1 if r["label"] == "mt" else 0 for r in rows[:2000]]
    n_words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} paragraphs, {n_words / len(texts):.0f} words on average")

    t0 = time.perf_counter()
    scorer = MTScorer.load(a.model)
    t_load = time.perf_counter() - t0
    scorer.score(texts[:50])  # warm-up (wordfreq rank table)
    t0 = time.perf_counter()
    scorer.score(texts)
    t_mt = time.perf_counter() - t0
    mt_rate = len(texts) / t_mt
    print(f"MTScorer.load: {t_load * 1000:.0f} ms")
    print(f"MTScorer.score: {mt_rate:,.0f} paragraphs/s")

    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression

    vecs = [HashingVectorizer(ngram_range=(1, 2), n_features=2**20, alternate_sign=False),
            HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=2**20, alternate_sign=False)]
    fit_texts = [r["text"] for r in rows[:2000]]
    clf = LogisticRegression(max_iter=200).fit(hstack([v.transform(fit_texts) for v in vecs]).tocsr(), labels)
    t0 = time.perf_counter()
    clf.decision_function(hstack([v.transform(texts) for v in vecs]).tocsr())
    base_rate = len(texts) / (time.perf_counter() - t0)
    print(f"baseline hashed word+char n-gram LR: {base_rate:,.0f} paragraphs/s "
          f"-> MTScorer is {mt_rate / base_rate:.2f}x")
    if not a.no_langdetect:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0
        sub = texts[:1000]
        t0 = time.perf_counter()
        for t in sub:
            try:
                detect(t)
            except Exception:
                pass
        ld_rate = len(sub) / (time.perf_counter() - t0)
        print(f"langdetect: {ld_rate:,.0f} paragraphs/s -> MTScorer is {mt_rate / ld_rate:.2f}x")


if __name__ == "__main__":
    main()
