"""Evaluation of the MT scorer on a labelled corpus (WMT-style JSONL rows).

Positives are MT paragraphs. Reported at paragraph level and at document level, where a
document is one (doc, system) version scored by the mean of its paragraph scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np


def roc_auc(y: np.ndarray, s: np.ndarray) -> Optional[float]:
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y)
    if len(np.unique(y)) < 2:
        return None
    return float(roc_auc_score(y, s))


def precision_at_recall(y: np.ndarray, s: np.ndarray, recall: float = 0.5) -> Optional[float]:
    """Precision of the threshold that first reaches `recall` of the MT items (classes as they
    are in the data, not re-balanced)."""
    y = np.asarray(y)
    if y.sum() == 0 or y.sum() == len(y):
        return None
    order = np.argsort(-np.asarray(s), kind="stable")
    tp = np.cumsum(y[order])
    i = int(np.searchsorted(tp, recall * y.sum()))
    return float(tp[i] / (i + 1))


@dataclass
class Level:
    """Scores and labels of one level (paragraph or document) with their metadata."""
    name: str
    y: np.ndarray
    s: np.ndarray
    origin: np.ndarray
    system: np.ndarray
    src_lang: np.ndarray


def levels(rows: Sequence[dict], scores: Sequence[Optional[float]],
           pooling=None) -> list[Level]:
    """Paragraph and document (mean of paragraph scores) levels; with `pooling` (a
    `page.PageCalibration`) also "document-pooled", the page score of the same paragraphs."""
    keep = [i for i, s in enumerate(scores) if s is not None]
    arr = lambda key: np.array([rows[i][key] for i in keep])
    para = Level("paragraph", np.array([1 if rows[i]["label"] == "mt" else 0 for i in keep]),
                 np.array([scores[i] for i in keep], dtype=float), arr("origin"), arr("system"), arr("src_lang"))
    groups: dict[tuple, list[int]] = {}
    for i in keep:
        groups.setdefault((rows[i]["doc"], rows[i]["system"]), []).append(i)
    keys = sorted(groups)
    first = [groups[k][0] for k in keys]
    doc = Level("document", np.array([1 if rows[i]["label"] == "mt" else 0 for i in first]),
                np.array([np.mean([scores[j] for j in groups[k]]) for k in keys]),
                np.array([rows[i]["origin"] for i in first]), np.array([rows[i]["system"] for i in first]),
                np.array([rows[i]["src_lang"] for i in first]))
    out = [para, doc]
    if pooling is not None:
        from .base import to_logit

        pooled = [pooling.probability([to_logit(scores[j]) for j in groups[k]],
                                      [len(rows[j]["text"].split()) for j in groups[k]]) for k in keys]
        out.append(Level("document-pooled", doc.y, np.array(pooled), doc.origin, doc.system, doc.src_lang))
    return out


@dataclass
class Report:
    summary: list[dict] = field(default_factory=list)   # one row per level
    systems: list[dict] = field(default_factory=list)   # level, system, n, auc
    langs: list[dict] = field(default_factory=list)     # level, src_lang, n_mt, n_human, auc


def _sub(lv: Level, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return lv.y[mask], lv.s[mask]


def evaluate_scores(rows: Sequence[dict], scores: Sequence[Optional[float]], pooling=None) -> Report:
    rep = Report()
    for lv in levels(rows, scores, pooling):
        mt = lv.origin == "mt"
        ht = lv.origin == "human-translation"
        oe = lv.origin == "original-english"
        rep.summary.append({
            "level": lv.name, "n_mt": int(mt.sum()), "n_ht": int(ht.sum()), "n_orig": int(oe.sum()),
            "auc_all": roc_auc(lv.y, lv.s),
            "auc_vs_ht": roc_auc(*_sub(lv, mt | ht)),
            "auc_vs_orig": roc_auc(*_sub(lv, mt | oe)),
            "p_at_r50": precision_at_recall(lv.y, lv.s, 0.5),
            "acc_at_0.5": float(((lv.s > 0.5) == (lv.y == 1)).mean()) if len(lv.y) else None,
            # Calibration under equal priors: mean score of each class.
            "mean_mt": float(lv.s[mt].mean()) if mt.any() else None,
            "mean_human": float(lv.s[~mt].mean()) if (~mt).any() else None,
        })
        if lv.name == "document-pooled":
            continue  # per-system/per-language tables stay at the two spec'd levels
        for sysname in sorted(set(lv.system[mt])):
            m = (lv.system == sysname) | ~mt
            rep.systems.append({"level": lv.name, "system": sysname, "n": int((lv.system[mt] == sysname).sum()),
                                "auc": roc_auc(*_sub(lv, m))})
        for lang in sorted(set(lv.src_lang[mt | ht])):
            m = (lv.src_lang == lang) & (mt | ht)
            rep.langs.append({"level": lv.name, "src_lang": lang, "n_mt": int((m & mt).sum()),
                              "n_human": int((m & ht).sum()), "auc": roc_auc(*_sub(lv, m))})
    return rep


def roc_plot(rows: Sequence[dict], scores: Sequence[Optional[float]], path: str) -> None:
    """ROC curves (paragraph and document level; all human, translations, original English)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for ax, lv in zip(axes, levels(rows, scores)):
        mt = lv.origin == "mt"
        for label, neg in (("vs all human", ~mt), ("vs human translation", lv.origin == "human-translation"),
                           ("vs original English", lv.origin == "original-english")):
            m = mt | neg
            if len(np.unique(lv.y[m])) < 2:
                continue
            fpr, tpr, _ = roc_curve(lv.y[m], lv.s[m])
            ax.plot(fpr, tpr, label=f"{label} (AUC {roc_auc(lv.y[m], lv.s[m]):.3f})")
        ax.plot([0, 1], [0, 1], ls=":", c="grey")
        ax.set_title(f"{lv.name} level")
        ax.set_xlabel("false positive rate")
        ax.set_ylabel("true positive rate")
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
