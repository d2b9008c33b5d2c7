"""Cross-year evaluation of the source-language guess (train on WMT 2021, test on WMT 2022).

    python scripts/eval_source.py [--corpus DIR] [--unmasked] [--alpha 1e-5] [--json FILE]

Classes: cs, de, ja, ru, zh (the languages both years have) and en (original English: WMT's, plus
the native-en training split for training; WMT 2022's original English and the held-out native-en
BBC articles for the test). Paragraph accuracy and document accuracy (a document = one
(doc, system) version, its paragraphs pooled with `SourceGuesser.pool`), per language, their
macro average over the six classes, and the document confusion matrix.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict


def main() -> None:
    import numpy as np

    from mtdetect.mt.data import corpus_files, load_native, load_rows
    from mtdetect.source.train import LANGS, SourceConfig, label_of, train_source

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--unmasked", action="store_true", help="raw words (the topic-leaking variant)")
    ap.add_argument("--no-chars", action="store_true", help="word n-grams only")
    ap.add_argument("--alpha", type=float, default=SourceConfig.alpha)
    ap.add_argument("--dev", action="store_true",
                    help="choose settings: train on 3/4 of the 2021 documents, test on the rest")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()

    t0 = time.time()
    cfg = SourceConfig(alpha=a.alpha, masked=not a.unmasked, chars=not a.no_chars)
    train_rows = load_rows(corpus_files(a.corpus, [2021])) + load_native(a.corpus, "train")
    test_rows = load_rows(corpus_files(a.corpus, [2022])) + [
        r for r in load_native(a.corpus, "heldout") if r["system"] == "bbc"]
    if a.dev:
        from mtdetect.mt.data import doc_fold

        test_rows = [r for r in train_rows if doc_fold(r["doc"], 4, 7) == 0]
        train_rows = [r for r in train_rows if doc_fold(r["doc"], 4, 7) != 0]
    model = train_source(train_rows, cfg, log=print)
    test = [(r, label_of(r, LANGS)) for r in test_rows]
    test = [(r, y) for r, y in test if y is not None and model.long_enough(r["text"])]
    labels = sorted(set(LANGS) | {"en"})
    t1 = time.time()
    lp = model.log_proba([r["text"] for r, _ in test])
    speed = len(test) / (time.time() - t1)
    pred = [model.classes[i] for i in lp.argmax(axis=1)]
    para = {c: [] for c in labels}
    for (r, y), p in zip(test, pred):
        para[y].append(p == y)
    groups = defaultdict(list)
    for i, (r, y) in enumerate(test):
        groups[(r["doc"], r["system"], y)].append(i)
    doc = {c: [] for c in labels}
    confusion = {c: {d: 0 for d in labels} for c in labels}
    for (d, s, y), idx in sorted(groups.items()):
        g = model.pool([test[i][0]["text"] for i in idx], lp[idx])
        doc[y].append(g["lang"] == y)
        confusion[y][g["lang"]] += 1
    res = {"config": cfg.to_dict(), "paragraphs_per_second": round(speed),
           "paragraph": {c: round(float(np.mean(v)), 4) for c, v in para.items() if v},
           "document": {c: round(float(np.mean(v)), 4) for c, v in doc.items() if v},
           "n_paragraphs": {c: len(v) for c, v in para.items()}, "n_documents": {c: len(v) for c, v in doc.items()},
           "confusion_documents": confusion}
    res["paragraph_macro"] = round(float(np.mean(list(res["paragraph"].values()))), 4)
    res["document_macro"] = round(float(np.mean(list(res["document"].values()))), 4)
    # The strongest masked n-grams per language (what the model keys on).
    print(json.dumps({k: v for k, v in res.items() if k != "confusion_documents"}))
    print("document confusion (row = truth, column = guess):")
    print("      " + " ".join(f"{c:>6}" for c in labels))
    for c in labels:
        print(f"{c:>5} " + " ".join(f"{confusion[c][d]:>6}" for d in labels))
    print(f"done in {time.time() - t0:.0f}s")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
