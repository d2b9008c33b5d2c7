"""The MT score's dev protocol: real web pages, native web pages, WMT cross-year both ways, every
mode next to the hashed n-gram LR baseline trained the same way in the same run.

    python scripts/eval_mt_dev.py web        # realweb-dev, native-web dev, BBC, html-eval (shipped models)
    python scripts/eval_mt_dev.py crossyear  # train 2021 -> test 2022 and 2022 -> 2021, averaged
    python scripts/eval_mt_dev.py all --json figures.json

`web`: the shipped fast model, the encoder, the stack and the cascade (when the encoder is
shipped), and the baseline (scikit-learn's HashingVectorizer word 1-3 + char_wb 2-5 LR, trained
here on the same rows with the same weights and calibrated on the same pages). Pages are scanned
as a user's scan would (plain text, menus and all) and pooled from their judgeable blocks.
`crossyear`: paragraph AUC vs original English and vs human translation, document AUC vs human
translation, worst system; the encoder only 2021 -> 2022 (it is trained on 2021). Options:
--corpus DIR, --cache DIR (trained baselines and scanned pages are kept there; default
/tmp/mtdetect-dev), --sample K (cross-year: every K-th document by hash, default 4).
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from pathlib import Path

import numpy as np


def auc(y, s):
    from mtdetect.mt.evaluate import roc_auc

    y, s = np.asarray(y), np.asarray(s, dtype=float)
    ok = ~np.isnan(s)
    return roc_auc(y[ok], s[ok])


def cached(path: Path, make):
    if path.exists():
        return pickle.loads(path.read_bytes())
    obj = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(obj))
    return obj


# --------------------------------------------------------------------------- real web pages
def web_systems(a, cache: Path) -> dict:
    """name -> (logits function, calibration, routing) of every system compared on pages."""
    from mtdetect.mt.combine import MTStage
    from mtdetect.mt.encoder import encoder_available
    from mtdetect.mt.recipe import CALIBRATION_FOLD, calibrate, calibration_pages
    from mtdetect.mt.data import doc_fold, training_rows
    from mtdetect.mt.train_ngram import train_baseline

    fast = MTStage.load("fast")
    systems = {"fast": (fast.fast.logits, fast.fast_calibration)}

    def make_baseline():
        rows = [r for r in training_rows(a.corpus, [2021, 2022]) if r.get("corpus") or
                doc_fold(r["doc"], 10) != CALIBRATION_FOLD]
        model = train_baseline(rows)
        cal, _ = calibrate(cached(cache / "calibration_pages.pkl", lambda: calibration_pages(a.corpus)), model.logits)
        return model, cal

    base, base_cal = cached(cache / "baseline_2122.pkl", make_baseline)
    systems["baseline"] = (base.logits, base_cal)
    if encoder_available():
        acc = MTStage.load("accurate")
        systems["encoder"] = (acc.encoder.logits, None)
        w = acc.stack_weight
        systems["stack"] = (lambda t: (1 - w) * acc.fast.logits(t) + w * acc.encoder.logits(t), acc.stack_calibration)
        systems["cascade"] = ("cascade", acc)
    return systems


def web_report(a, cache: Path) -> dict:
    from mtdetect.mt.devsets import page_logit_means, page_probabilities, web_pages
    from mtdetect.mt.recipe import native_pages

    pages = cached(cache / "web_pages.pkl", lambda: web_pages(a.corpus, native_split=None))
    natives = cached(cache / "native_pages.pkl", lambda: native_pages(a.corpus))
    other = [p for p in natives if p.kind in ("bbc", "html-eval")]  # native-web pages are in `pages`
    for p in other:
        p.group = p.kind
    allp = pages + other
    y = np.array([p.label for p in allp])
    g = np.array([p.group for p in allp])
    kinds = np.array([p.kind for p in allp])
    out = {}
    for name, (fn, cal) in web_systems(a, cache).items():
        t0 = time.time()
        if fn == "cascade":
            stage = cal
            fast_ev = page_logit_means(allp, stage.fast.logits)
            p_fast = page_probabilities(fast_ev, stage.fast_calibration)
            lo, hi = stage.band
            routed = (p_fast >= lo) & (p_fast < hi)
            w = stage.stack_weight
            stack_ev = page_logit_means([p if r else type(p)(p.key, p.label, p.group, []) for p, r in zip(allp, routed)],
                                        lambda t: (1 - w) * stage.fast.logits(t) + w * stage.encoder.logits(t))
            p_stack = page_probabilities(stack_ev, stage.stack_calibration)
            prob = np.where(routed, p_stack, p_fast)
            extra = {"routed_share": float(np.mean(routed[~np.isnan(p_fast)]))}
        else:
            ev = page_logit_means(allp, fn)
            if cal is None:  # the encoder alone: the mean block logit, uncalibrated (AUC only)
                prob = np.array([np.nan if e is None else 1 / (1 + np.exp(-np.average(e[0], weights=np.minimum(e[1], 80))))
                                 for e in ev])
            else:
                prob = page_probabilities(ev, cal)
            extra = {}
        rw = np.char.startswith(g.astype(str), "realweb")
        hi_ = g == "realweb-high"
        flag = prob >= 0.5
        mtp = rw & (y == 1)
        res = {"realweb_auc": auc(y[rw], prob[rw]), "realweb_high_auc": auc(y[hi_], prob[hi_]),
               "realweb_precision": float((flag & mtp).sum() / max(1, (flag & rw).sum())),
               "realweb_recall": float((flag & mtp).sum() / mtp.sum()),
               "realweb_human_flagged": float(flag[rw & (y == 0)].mean()),
               "realweb_no_score": int(np.isnan(prob[rw]).sum()),
               "seconds": round(time.time() - t0, 1), **extra}
        for grp in ("native-web-dev", "native-web-train", "bbc", "html-eval"):
            m = (g == grp) & ~np.isnan(prob)
            res[f"{grp}_flagged"] = float(flag[m].mean()) if m.any() else None
        m = (g == "native-web-dev") & ~np.isnan(prob)
        res["native_web_dev_by_kind"] = {k: round(float(flag[m & (kinds == k)].mean()), 3)
                                         for k in sorted(set(kinds[m]))}
        # Recall on the real MT pages where 1 %, 3 % and 5 % of native-web dev pages are flagged.
        nat = prob[m]
        for q in (0.01, 0.03, 0.05):
            t = np.quantile(nat, 1 - q)
            res[f"realweb_recall_at_{int(q * 100)}pct_native"] = float(np.mean(prob[mtp] >= t))
        out[name] = res
        print(name, json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in res.items()}), flush=True)
    return out


# --------------------------------------------------------------------------- WMT cross-year
def crossyear_report(a, cache: Path) -> dict:
    from mtdetect.mt.data import corpus_files, doc_fold, load_rows, training_rows
    from mtdetect.mt.evaluate import evaluate_scores
    from mtdetect.mt.train_ngram import train_baseline, train_ngram

    out: dict = {}
    for tr_year, te_year in ((2021, 2022), (2022, 2021)):
        test = [r for r in load_rows(corpus_files(a.corpus, [te_year])) if doc_fold(r["doc"], a.sample, 7) == 0]
        models = {
            "fast": cached(cache / f"ngram_{tr_year}.pkl", lambda: train_ngram(training_rows(a.corpus, [tr_year]))),
            "baseline": cached(cache / f"baseline_{tr_year}.pkl",
                               lambda: train_baseline(training_rows(a.corpus, [tr_year]))),
        }
        logits = {k: m.logits([r["text"] for r in test]) for k, m in models.items()}
        if tr_year == 2021:
            from mtdetect.mt.encoder import EncoderScorer, encoder_available

            if encoder_available():
                enc = EncoderScorer.load(threads=2)
                logits["encoder"] = enc.logits([r["text"] for r in test])
                logits["stack"] = 0.5 * logits["fast"] + 0.5 * logits["encoder"]
        for name, z in logits.items():
            rep = evaluate_scores(test, list(1 / (1 + np.exp(-z))))
            para, doc = rep.summary[0], rep.summary[1]
            worst = min((r["auc"], r["system"]) for r in rep.systems if r["level"] == "paragraph" and r["auc"])
            res = {"paragraph_vs_orig": para["auc_vs_orig"], "paragraph_vs_ht": para["auc_vs_ht"],
                   "document_vs_ht": doc["auc_vs_ht"], "worst_system": worst[0], "worst_system_name": worst[1],
                   "test_paragraphs": len(test)}
            out.setdefault(name, {})[f"{tr_year}->{te_year}"] = res
            print(name, f"{tr_year}->{te_year}", json.dumps({k: (round(v, 3) if isinstance(v, float) else v)
                                                            for k, v in res.items()}), flush=True)
    for name, by in out.items():
        if len(by) == 2:
            keys = ("paragraph_vs_orig", "paragraph_vs_ht", "document_vs_ht", "worst_system")
            by["mean"] = {k: float(np.mean([v[k] for v in by.values()])) for k in keys}
            print(name, "mean", json.dumps({k: round(v, 3) for k, v in by["mean"].items()}), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("part", choices=["web", "crossyear", "all"])
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--cache", default="/tmp/mtdetect-dev")
    ap.add_argument("--sample", type=int, default=4)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    cache = Path(a.cache)
    report = {}
    if a.part in ("web", "all"):
        report["web"] = web_report(a, cache)
    if a.part in ("crossyear", "all"):
        report["crossyear"] = crossyear_report(a, cache)
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
