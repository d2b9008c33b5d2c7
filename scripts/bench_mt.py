"""Throughput of the MT scorers, against a baseline measured in the same run.

    taskset -c 0 python scripts/bench_mt.py [--n 5000] [--encoder-n 400]

- the fast n-gram scorer (`NgramScorer.logits`, batches of 128 paragraphs, one thread) against
  scikit-learn's HashingVectorizer word 1-3 + char_wb 2-5 + LogisticRegression.decision_function
  (the issue's baseline, fitted on a small slice first) on the same paragraphs;
- the encoder (int8 ONNX, length-bucketed batches) with 1 and 2 onnxruntime threads, when it is
  shipped (run without taskset for the 2-thread figure).
CPU time (process_time) and wall time; paragraphs from WMT 2022 (a fixed sample).
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse
import random
import time


def rate(fn, texts, batch):
    fn(texts[:batch])  # warm-up
    c0, w0 = time.process_time(), time.perf_counter()
    for i in range(0, len(texts), batch):
        fn(texts[i: i + batch])
    return len(texts) / (time.process_time() - c0), len(texts) / (time.perf_counter() - w0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--n", type=int, default=5000, help="paragraphs for the fast scorer and the baseline")
    ap.add_argument("--encoder-n", type=int, default=400, help="paragraphs for the encoder")
    a = ap.parse_args()

    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression

    from mtdetect.mt.data import corpus_files, load_rows
    from mtdetect.mt.encoder import EncoderScorer, encoder_available
    from mtdetect.mt.ngram import NgramScorer
    from mtdetect.mt.normalize import normalize

    rows = load_rows(corpus_files(a.corpus, [2022]))
    random.Random(0).shuffle(rows)
    texts = [r["text"] for r in rows[: a.n]]
    print(f"{len(texts)} paragraphs, mean {np.mean([len(t.split()) for t in texts]):.0f} words")

    t0 = time.perf_counter()
    fast = NgramScorer.load()
    print(f"NgramScorer.load: {(time.perf_counter() - t0) * 1000:.0f} ms")
    cpu, wall = rate(fast.logits, texts, 128)
    print(f"fast n-gram scorer: {cpu:,.0f} paragraphs/s CPU ({wall:,.0f} wall)")

    vecs = [HashingVectorizer(ngram_range=(1, 3), n_features=2**20, alternate_sign=False, lowercase=False),
            HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**20, alternate_sign=False,
                              lowercase=False)]
    fit_rows = rows[a.n: a.n + 2000]
    X = hstack([v.transform([normalize(r["text"]) for r in fit_rows]) for v in vecs]).tocsr()
    clf = LogisticRegression(solver="liblinear").fit(X, [r["label"] == "mt" for r in fit_rows])

    def baseline(batch):
        norm = [normalize(t) for t in batch]
        return clf.decision_function(hstack([v.transform(norm) for v in vecs]).tocsr())

    bcpu, bwall = rate(baseline, texts, 128)
    print(f"baseline (HashingVectorizer + LR): {bcpu:,.0f} paragraphs/s CPU -> fast scorer {cpu / bcpu:.2f}x")

    if encoder_available():
        for threads in (1, 2):
            enc = EncoderScorer.load(threads=threads)
            ecpu, ewall = rate(enc.logits, texts[: a.encoder_n], 64)
            print(f"encoder, {threads} thread(s): {ewall:,.1f} paragraphs/s wall ({ecpu:,.1f} per CPU second)")
    else:
        print("encoder: not shipped (mtdetect/models/encoder)")


if __name__ == "__main__":
    main()
