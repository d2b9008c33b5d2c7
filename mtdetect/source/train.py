"""Training the source-language guess (logistic regression on masked n-grams, one vs rest).

Labels: the `src_lang` of WMT English paragraphs (machine and human translations alike) for the
languages of `LANGS`; `other` for WMT sources outside them (`OTHER_LANGS`: is, ha in 2021; uk,
liv in 2022); `en` for English written in English (WMT's original English, the training split
of native-en). Each class gets the same mass and, inside a class, every document the same mass,
so one long story cannot stand for its language.

Then `p_alone` (the guesser's P(translated) above which a page is called translated without an
MT score) is calibrated on native English web pages the model was not trained on: the
calibration half (by site) of native-web. scikit-learn and scipy are imported here only.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from .features import Featurizer, keep_words

# Source languages with WMT data in both 2021 and 2022 (the ones a cross-year test can check).
LANGS = ("cs", "de", "ja", "ru", "zh")
# WMT sources with one year each: one "other" class (translated, from a language not in LANGS).
OTHER_LANGS = ("ha", "is", "liv", "uk")
ENGLISH = "en"
OTHER = "other"


@dataclass
class SourceConfig:
    alpha: float = 1e-4  # L2 strength of the SGD logistic regression
    masked: bool = True
    chars: bool = True  # character 3-4-grams of the masked words next to the word n-grams
    signals: bool = True  # name endings, script remnants, diacritics, source punctuation
    names: bool = False  # letter 3-grams of capitalised rare words (transliterated names)
    min_words: int = 10
    seed: int = 13
    langs: tuple = LANGS
    other_langs: tuple = OTHER_LANGS
    native_share: float = 0.015  # p_alone: at most this share of calibration pages is "translated"
    decision: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["langs"] = list(self.langs)
        d["other_langs"] = list(self.other_langs)
        return d


def label_of(row: dict, langs: Sequence[str], other_langs: Sequence[str] = OTHER_LANGS) -> str | None:
    if row.get("origin") == "original-english" or row.get("src_lang") == ENGLISH:
        return ENGLISH
    src = row.get("src_lang")
    if src in langs:
        return src
    return OTHER if src in other_langs else None


def sample_weights(labels: Sequence[str], docs: Sequence[str]) -> np.ndarray:
    labels, docs = np.asarray(labels), np.asarray(docs)
    w = np.zeros(len(labels))
    classes = sorted(set(labels))
    for c in classes:
        in_c = labels == c
        c_docs = sorted(set(docs[in_c]))
        per_doc = 1.0 / len(c_docs)
        for d in c_docs:
            m = in_c & (docs == d)
            w[m] = per_doc / m.sum()
    return w * len(w) / w.sum()


# --- native English web pages (native-web), split by site ----------------------------------
def site_split(site: str) -> str:
    """'train' for half of the native-web sites, 'dev' for the rest: the same split as the MT
    scorer's training data (mtdetect.mt.data), so the page MT score of a 'dev' page is never
    in-sample either. Figures are reported on 'dev'."""
    return "train" if zlib.crc32(f"site:{site}".encode()) % 2 == 0 else "dev"


def page_paragraphs(text: str, min_words: int = 10) -> list[str]:
    """The lines of a plain-text page with at least `min_words` words (menus mostly fall out)."""
    return [ln.strip() for ln in text.split("\n") if len(ln.split()) >= min_words]


def load_native_web(corpus: Optional[str | Path] = None, split: Optional[str] = "train") -> list[dict]:
    """native-web pages of `split` ('train', 'dev', None for all) as {site, paragraphs}."""
    from mtdetect.mt.data import default_corpus_dir

    base = Path(corpus) if corpus else default_corpus_dir()
    path = base / "native-web" / "native_web_dev.jsonl"
    if not path.exists():
        return []
    pages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"site": p["site"], "paragraphs": page_paragraphs(p["text"])} for p in pages
            if split is None or site_split(p["site"]) == split]


def training_rows(corpus: Optional[str | Path], years: Sequence[int] = (2021, 2022),
                  web: bool = True) -> list[dict]:
    """WMT rows of `years`, the native-en training split and (with `web`) the English main text
    of html-eval's training half: everything but native-web, which `train_source` takes apart."""
    from mtdetect.mt.data import corpus_files, load_native, load_rows, load_web_english

    rows = load_rows(corpus_files(corpus, years)) + load_native(corpus, "train")
    if web:
        rows += load_web_english(corpus, "train", min_words=10)
    return rows


def calibrate_p_alone(model, pages: Sequence[Sequence[str]], share: float) -> float:
    """The smallest P(translated) threshold that calls at most `share` of `pages` (each a list
    of paragraphs) translated, from the guesser's own pooled page probabilities."""
    return _threshold([_page_p_tr(model, paras) for paras in pages], share)


def _page_p_tr(model, paras: Sequence[str]) -> Optional[float]:
    paras = [t for t in paras if model.long_enough(t)]
    if not paras:
        return None
    return model.p_translated(model.pooled(paras, model.log_proba(paras)))


def _threshold(p_tr: Sequence[Optional[float]], share: float) -> float:
    p = np.sort(np.asarray([v for v in p_tr if v is not None]))[::-1]
    if len(p) == 0:
        return 0.9
    allowed = int(np.floor(share * len(p)))  # pages allowed at or above the threshold
    thr = p[allowed] + 1e-4 if allowed < len(p) else 0.0
    return round(float(max(thr, 0.5)), 4)  # above 1: the guess alone never claims a translation


def train_source(rows: Sequence[dict], cfg: SourceConfig = SourceConfig(),
                 log: Callable[[str], None] = lambda s: None,
                 calibration_pages: Optional[Sequence[Sequence[str]]] = None,
                 native_pages: Optional[Sequence[dict]] = None):
    """Train on `rows`. `native_pages` ({site, paragraphs}, native English web pages) are `en`
    training data and calibrate `p_alone` by cross-fitting: the sites fall in two folds, a model
    trained without one fold scores its pages, and the threshold is set on those out-of-fold
    page probabilities; the shipped weights are then fitted on everything. Without them,
    `calibration_pages` (lists of paragraphs, not trained on) calibrate it directly."""
    from sklearn.linear_model import SGDClassifier

    from .model import DEFAULT_DECISION, SourceGuesser

    keep = keep_words() if cfg.masked else []
    rows = list(rows)
    fold_of_row: list[int] = [-1] * len(rows)
    for p in native_pages or ():
        fold = zlib.crc32(f"fold:{p['site']}".encode()) % 2
        for t in p["paragraphs"]:
            rows.append({"text": t, "src_lang": ENGLISH, "origin": "original-english",
                         "doc": f"native-web:{p['site']}"})
            fold_of_row.append(fold)
    kept = [(r, label_of(r, cfg.langs, cfg.other_langs), f) for r, f in zip(rows, fold_of_row) if r.get("text")]
    kept = [(r, y, f) for r, y, f in kept if y is not None and len(r["text"].split()) >= cfg.min_words]
    texts = [r["text"] for r, _, _ in kept]
    y = np.array([lab for _, lab, _ in kept])
    docs = np.array([f"{lab}:{r['doc']}" for r, lab, _ in kept])
    folds = np.array([f for _, _, f in kept])
    log(f"source: {len(texts)} paragraphs ({int((folds >= 0).sum())} from native web pages), "
        f"classes {sorted(set(y.tolist()))}")
    X = Featurizer(keep, chars=cfg.chars, signals=cfg.signals, masked=cfg.masked, names=cfg.names).matrix(texts)
    config = cfg.to_dict()
    config["decision"] = {**DEFAULT_DECISION, **cfg.decision}

    def fit(mask) -> SourceGuesser:
        # SGD (one-vs-rest logistic loss): lbfgs on half a million hashed columns took > 5
        # minutes on one core; SGD takes seconds and is deterministic with a fixed seed.
        clf = SGDClassifier(loss="log_loss", alpha=cfg.alpha, max_iter=30, tol=1e-4, random_state=cfg.seed)
        clf.fit(X[mask], y[mask], sample_weight=sample_weights(y[mask], docs[mask]))
        return SourceGuesser(list(clf.classes_), clf.coef_.astype(np.float16).astype(np.float32),
                             clf.intercept_, json.loads(json.dumps(config)), keep)

    oof: list[Optional[float]] = []
    if native_pages and "p_alone" not in cfg.decision:
        for k in (0, 1):
            part = fit(folds != k)
            oof += [_page_p_tr(part, p["paragraphs"]) for p in native_pages
                    if zlib.crc32(f"fold:{p['site']}".encode()) % 2 == k]
    model = fit(np.ones(len(y), dtype=bool))
    if oof:
        model.decision["p_alone"] = _threshold(oof, cfg.native_share)
        log(f"source: p_alone {model.decision['p_alone']} (out-of-fold on {len(oof)} native web pages)")
    elif calibration_pages and "p_alone" not in cfg.decision:
        model.decision["p_alone"] = calibrate_p_alone(model, calibration_pages, cfg.native_share)
        log(f"source: p_alone {model.decision['p_alone']} on {len(calibration_pages)} native pages")
    model.config["decision"] = model.decision
    return model
