"""Dev protocol of the source-language guess: cross-year both ways, real web pages, native pages.

    python scripts/eval_source.py                      # 2021->2022 and 2022->2021, pages for each
    python scripts/eval_source.py --pages-only         # the shipped model on the pages only
    python scripts/eval_source.py --no-signals --no-chars --no-other --alpha 1e-5 --json FILE

Cross-year: train on one WMT year (+ the native-en training split, html-eval's English training
half and the `train` half of native-web by site, which also calibrates `p_alone` out of fold),
test on the other year (+ the held-out BBC articles of native-en as more `en`). Figures (a document = one (doc, system) version, paragraphs pooled):
- raw: argmax accuracy of paragraphs and documents per class (no evidence rule);
- given translated: for translations from cs/de/ja/ru/zh, the argmax over the non-`en` classes;
- decided (`SourceGuesser.decide`, no MT score, as `Scanner(mt=False)`): original English
  called `en`, translations from known languages given their language, translations from
  other languages (uk, liv / is, ha) called `other`.

Pages: `realweb-dev` (label mt/human, src_lang) and `native-web` (all `en`; figures on the
`dev` half by site, never trained on, by this model or by the MT scorer), scanned as users get them
(`Scanner(source=False, mt_model=...).scan_text(text, html=False)`, `--mt-model`, default the
scan default "fast"; cached in /tmp by MT model), then
`mtdetect.source.page.guess_page` with the page MT score and without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

KNOWN = ("cs", "de", "ja", "ru", "zh")


def chunked_log_proba(model, texts, size=2000):
    import numpy as np

    parts = [model.log_proba(texts[i:i + size]) for i in range(0, len(texts), size)]
    return np.vstack(parts) if parts else np.zeros((0, len(model.classes)))


# --- pages ----------------------------------------------------------------------------------
def load_pages(corpus: Path, cache_dir: Path, rescan: bool = False, mt_model: str = "fast") -> list[dict]:
    import mtdetect

    digest = hashlib.sha1(mt_model.encode())  # the MT mode and the model files it reads
    for sub in ("mt", "encoder") if mt_model != "fast" else ("mt",):
        for f in sorted((Path(mtdetect.__file__).parent / "models" / sub).glob("*")):
            if f.is_file() and f.suffix != ".md":
                digest.update(f.read_bytes())
    cache = cache_dir / f"mtdetect_source_pages_{digest.hexdigest()[:12]}.json"
    if cache.exists() and not rescan:
        return json.loads(cache.read_text(encoding="utf-8"))
    from mtdetect.scan import Scanner

    scanner = Scanner(source=False, mt_model=mt_model)
    out = []
    for name, path in (("realweb", corpus / "realweb-dev" / "realweb_dev.jsonl"),
                       ("native", corpus / "native-web" / "native_web_dev.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            rep = scanner.scan_text(r["text"], html=False)
            out.append({"set": name, "url": r["url"], "site": r.get("site") or r["url"].split("/")[2],
                        "label": r.get("label", "human"), "src_lang": r.get("src_lang"),
                        "mt_score": rep.mt_score,
                        "blocks": [{"text": b.text, "kind": b.kind, "mt": b.mt_score}
                                   for b in rep.blocks if b.lang == "en"]})
    cache.write_text(json.dumps(out), encoding="utf-8")
    return out


def page_figures(model, pages: list[dict]) -> dict:
    from mtdetect.source.page import guess_page
    from mtdetect.source.train import site_split

    res: dict = {}
    for mode in ("mt", "no_mt"):
        c: Counter = Counter()
        rows = []
        for p in pages:
            blocks = [SimpleNamespace(text=b["text"], kind=b["kind"], lang="en", mt_score=b["mt"],
                                      source_lang=None) for b in p["blocks"]]
            g = guess_page(model, blocks, p["mt_score"] if mode == "mt" else None)
            lang = g["lang"] if g else None
            foreign = lang not in (None, "en")
            if p["set"] == "native":
                part = site_split(p["site"])  # train: trained on (out-of-fold calibration); dev: never
                c[f"native_{part}_n"] += 1
                c[f"native_{part}_foreign"] += foreign
            elif p["label"] == "mt" and p["src_lang"] in KNOWN:
                c["rw_mt_known_n"] += 1
                c["rw_mt_known_right"] += lang == p["src_lang"]
                c["rw_mt_known_foreign"] += foreign
            elif p["label"] == "mt":
                c["rw_mt_other_n"] += 1
                c["rw_mt_other_other"] += lang == "other"
                c["rw_mt_other_known"] += lang in KNOWN
                c["rw_mt_other_en"] += lang in ("en", None)
            elif p["src_lang"] is None:
                c["rw_human_en_n"] += 1
                c["rw_human_en_foreign"] += foreign
            else:
                c["rw_human_tr_n"] += 1
                c["rw_human_tr_right"] += lang == p["src_lang"] or (lang == "other" and p["src_lang"] not in KNOWN)
            rows.append((p["set"], p["label"], p["src_lang"], lang, p["mt_score"]))
        f = dict(c)
        f["native_dev_foreign_pct"] = round(100 * c["native_dev_foreign"] / max(c["native_dev_n"], 1), 1)
        f["rw_mt_known_right_pct"] = round(100 * c["rw_mt_known_right"] / max(c["rw_mt_known_n"], 1), 1)
        res[mode] = f
        res[f"{mode}_realweb_pages"] = [r for r in rows if r[0] == "realweb"]
    return res


# --- cross-year -----------------------------------------------------------------------------
def cross_year(train_year: int, test_year: int, cfg, corpus, web_rows, native_pages, log=print
               ) -> tuple[dict, object]:
    import numpy as np

    from mtdetect.mt.data import corpus_files, load_native, load_rows
    from mtdetect.source.train import label_of, train_source

    train_rows = load_rows(corpus_files(corpus, [train_year])) + load_native(corpus, "train") + web_rows
    model = train_source(train_rows, cfg, log=log, native_pages=native_pages)
    test_rows = load_rows(corpus_files(corpus, [test_year])) + [
        r for r in load_native(corpus, "heldout") if r["system"] == "bbc"]
    test = [(r, label_of(r, cfg.langs, cfg.other_langs if cfg.other_langs else ("ha", "is", "liv", "uk")))
            for r in test_rows]
    test = [(r, y) for r, y in test if y is not None and model.long_enough(r["text"])]
    t1 = time.time()
    lp = chunked_log_proba(model, [r["text"] for r, _ in test])
    speed = len(test) / (time.time() - t1)
    classes = model.classes
    en = classes.index("en")
    labels = sorted(set(y for _, y in test))
    para = defaultdict(list)
    para_given = defaultdict(list)
    for (r, y), row in zip(test, lp):
        para[y].append(classes[int(row.argmax())] == y)
        if y in KNOWN:
            q = row.copy()
            q[en] = -np.inf
            para_given[y].append(classes[int(q.argmax())] == y)
    groups = defaultdict(list)
    for i, (r, y) in enumerate(test):
        groups[(r["doc"], r["system"], y, r.get("src_lang"))].append(i)
    doc_raw, doc_given, doc_dec = defaultdict(list), defaultdict(list), defaultdict(list)
    confusion = defaultdict(Counter)
    by_src = defaultdict(Counter)
    for (d, s, y, src), idx in sorted(groups.items()):
        pooled = model.pooled([test[i][0]["text"] for i in idx], lp[idx])
        doc_raw[y].append(classes[int(pooled.argmax())] == y)
        dec = model.decide(pooled)["lang"]
        doc_dec[y].append(dec == y)
        confusion[y][dec] += 1
        by_src[src][dec] += 1
        if y in KNOWN:
            q = pooled.copy()
            q[en] = -np.inf
            doc_given[y].append(classes[int(q.argmax())] == y)

    def pct(v):
        return round(100 * float(np.mean(v)), 1) if v else None

    known_docs = [x for c in KNOWN for x in doc_dec[c]]
    res = {
        "train": train_year, "test": test_year, "paragraphs_per_second": round(speed),
        "p_alone": model.decision["p_alone"],
        "paragraph_raw": {c: pct(para[c]) for c in labels},
        "paragraph_given_translated": {c: pct(para_given[c]) for c in KNOWN},
        "paragraph_given_translated_all": pct([x for c in KNOWN for x in para_given[c]]),
        "paragraph_given_translated_macro": round(float(np.mean([pct(para_given[c]) for c in KNOWN])), 1),
        "document_raw": {c: pct(doc_raw[c]) for c in labels},
        "document_given_translated": {c: pct(doc_given[c]) for c in KNOWN},
        "document_given_translated_all": pct([x for c in KNOWN for x in doc_given[c]]),
        "document_given_translated_macro": round(float(np.mean([pct(doc_given[c]) for c in KNOWN])), 1),
        "document_decided": {c: pct(doc_dec[c]) for c in labels},
        "document_decided_known_all": pct(known_docs),
        "original_english_docs_called_en": pct(doc_dec["en"]),
        "n_documents": {c: len(doc_dec[c]) for c in labels},
        "confusion_decided": {c: dict(confusion[c]) for c in labels},
        "by_source_decided": {s: dict(v) for s, v in sorted(by_src.items())},
    }
    return res, model


def print_confusion(conf: dict) -> None:
    cols = sorted({k for v in conf.values() for k in v} | set(conf))
    print("        " + " ".join(f"{c:>6}" for c in cols))
    for r in sorted(conf):
        print(f"{r:>7} " + " ".join(f"{conf[r].get(c, 0):>6}" for c in cols))


def main() -> None:
    from mtdetect.mt.data import default_corpus_dir
    from mtdetect.source import SourceGuesser
    from mtdetect.source.train import SourceConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--directions", default="2021:2022,2022:2021")
    ap.add_argument("--pages-only", action="store_true", help="the shipped (or --model) model on the pages")
    ap.add_argument("--model", default=None, help="model directory for --pages-only")
    ap.add_argument("--unmasked", action="store_true")
    ap.add_argument("--no-chars", action="store_true")
    ap.add_argument("--no-signals", action="store_true")
    ap.add_argument("--no-other", action="store_true", help="no `other` class (is/ha/uk/liv left out)")
    ap.add_argument("--alpha", type=float, default=SourceConfig.alpha)
    ap.add_argument("--names", action="store_true", help="letter 3-grams of capitalised rare words")
    ap.add_argument("--no-web", action="store_true",
                    help="no web English for `en` (html-eval, native-web train sites); p_alone left at 0.9")
    ap.add_argument("--native-share", type=float, default=SourceConfig.native_share)
    ap.add_argument("--cache-dir", default="/tmp")
    ap.add_argument("--rescan", action="store_true")
    ap.add_argument("--mt-model", default="fast", help="MT scoring mode of the page scans (fast|accurate|cascade)")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    corpus = Path(a.corpus) if a.corpus else default_corpus_dir()
    t0 = time.time()
    pages = load_pages(corpus, Path(a.cache_dir), a.rescan, a.mt_model)
    out: dict = {}
    if a.pages_only:
        model = SourceGuesser.load(a.model)
        out["pages"] = page_figures(model, pages)
        for mode in ("mt", "no_mt"):
            print(mode, json.dumps(out["pages"][mode]))
    else:
        cfg = SourceConfig(alpha=a.alpha, masked=not a.unmasked, chars=not a.no_chars,
                           signals=not a.no_signals, other_langs=() if a.no_other else SourceConfig.other_langs,
                           native_share=a.native_share, names=a.names)
        out["config"] = cfg.to_dict()
        from mtdetect.mt.data import load_web_english
        from mtdetect.source.train import load_native_web

        web_rows = load_web_english(a.corpus, "train", min_words=10) if not a.no_web else []
        native_pages = load_native_web(a.corpus, "train") if not a.no_web else []
        for d in a.directions.split(","):
            tr, te = (int(x) for x in d.split(":"))
            res, model = cross_year(tr, te, cfg, a.corpus, web_rows, native_pages)
            res["pages"] = page_figures(model, pages)
            out[d] = res
            print(json.dumps({k: v for k, v in res.items()
                              if k not in ("confusion_decided", "pages", "by_source_decided")}))
            print("by source language (decided, documents):", json.dumps(res["by_source_decided"]))
            print(f"decided document confusion {tr}->{te} (row = truth, column = decision):")
            print_confusion(res["confusion_decided"])
            for mode in ("mt", "no_mt"):
                print(f"pages ({mode}):", json.dumps(res["pages"][mode]))
    print(f"done in {time.time() - t0:.0f}s")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
