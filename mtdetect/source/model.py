"""The source-language guess: which language a translated English text was translated from.

    from mtdetect.source import SourceGuesser
    guesser = SourceGuesser.load()                 # shipped model, offline, cached per process
    guesser.log_proba(["paragraph", ...])          # (texts, classes) log-probabilities, one batch
    guesser.pool(["paragraph", ...], mt_score=0.7) # one decision for a page

Classes: the known source languages (cs, de, ja, ru, zh), `other` (translated from a language
outside them) and `en` (written in English). A decision (`decide`, `pool`) says `en` unless there
is evidence that the text is a translation:

- the page MT score (`mt_score`, calibrated so >= 0.5 is rare on native English) is at least
  `mt_gate` and the guesser's own probability of "translated" (1 - P(en)) at least `p_with_mt`;
- or, with or without an MT score, the guesser's probability of "translated" is at least
  `p_alone` (calibrated on native English web pages it was not trained on).

Then the language is the most likely non-`en` class, unless it is a known language holding less
than `min_known` (0.5) of the probability given translated: then `other`. `score` is the value's
probability given that the text is translated (for `other` by that rule: 1 - the best known
language's). For `en`, `score` is the guesser's P(en). Human and machine translations
alike are "translated"; the MT score is evidence, not the question.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .features import Featurizer

ENGLISH = "en"
OTHER = "other"
DEFAULT_DECISION = {"mt_gate": 0.5, "p_with_mt": 0.5, "p_alone": 0.9, "max_paragraphs": 4, "min_known": 0.5}


def default_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "source"


class SourceGuesser:
    _cache: dict[str, "SourceGuesser"] = {}
    _lock = threading.Lock()

    def __init__(self, classes: Sequence[str], coef, intercept, config: dict, keep: Sequence[str]):
        self.classes = list(classes)
        self.coef = np.asarray(coef, dtype=np.float32)  # (classes, features)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.config = dict(config)
        self.keep = list(keep)
        self.min_words = int(self.config.get("min_words", 10))
        self.decision = {**DEFAULT_DECISION, **self.config.get("decision", {})}
        self.featurizer = Featurizer(self.keep, chars=bool(self.config.get("chars", True)),
                                     signals=bool(self.config.get("signals", True)),
                                     masked=bool(self.config.get("masked", True)),
                                     names=bool(self.config.get("names", False)))
        # (features, classes) made once: gathering rows of this is the whole scoring cost.
        self._weights = np.ascontiguousarray(self.coef.T, dtype=np.float32)
        self._en = self.classes.index(ENGLISH) if ENGLISH in self.classes else None

    # -- persistence -------------------------------------------------------------------------
    @classmethod
    def load(cls, model_dir: Optional[str | Path] = None) -> "SourceGuesser":
        path = str(Path(model_dir) if model_dir else default_model_dir())
        with cls._lock:
            if path not in cls._cache:
                d = Path(path)
                meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
                with np.load(d / "model.npz", allow_pickle=False) as z:
                    coef = z["coef"].astype(np.float32)
                keep = (d / "keep.txt").read_text(encoding="utf-8").split("\n")
                cls._cache[path] = cls(meta["classes"], coef, meta["intercept"], meta["config"],
                                       [w for w in keep if w])
            return cls._cache[path]

    def save(self, model_dir: str | Path) -> None:
        from mtdetect.mt.npz import write_npz  # deterministic zip writer shared with the MT model

        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        write_npz(d / "model.npz", {"coef": self.coef.astype(np.float16)})
        meta = {"format": 2, "classes": self.classes, "intercept": [float(v) for v in self.intercept],
                "config": {**self.config, "decision": self.decision}}
        (d / "model.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        (d / "keep.txt").write_text("\n".join(self.keep) + "\n", encoding="utf-8")

    # -- scoring -----------------------------------------------------------------------------
    def log_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Log-probabilities, rows = texts, columns = `classes` (no length rule). One call for a
        whole batch is much cheaper than one per text."""
        n = len(texts)
        if n == 0:
            return np.zeros((0, len(self.classes)))
        indptr, cols, vals = self.featurizer.rows(list(texts))
        contrib = self._weights[cols] * vals[:, None]  # (nnz, classes)
        z = np.zeros((n, len(self.classes)))
        nonempty = np.diff(indptr) > 0
        if nonempty.any():
            z[nonempty] = np.add.reduceat(contrib, indptr[:-1][nonempty], axis=0)
        z += self.intercept
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def probs(self, logp: np.ndarray) -> np.ndarray:
        p = np.exp(logp - logp.max())
        return p / p.sum()

    def guess(self, logp: np.ndarray) -> dict:
        """The plain argmax of one row of `log_proba` (no evidence rule; see `decide`)."""
        p = self.probs(logp)
        best = int(np.argmax(p))
        return {"lang": self.classes[best], "score": round(float(p[best]), 4),
                "scores": {c: round(float(v), 4) for c, v in zip(self.classes, p)}}

    def p_translated(self, logp: np.ndarray) -> float:
        """The guesser's probability that the text is a translation (1 - P(en))."""
        return 1.0 - float(self.probs(logp)[self._en])

    def decide(self, logp: np.ndarray, mt_score: Optional[float] = None) -> dict:
        """`en` unless the evidence says translated (module docstring); then the language."""
        p = self.probs(logp)
        d = self.decision
        p_tr = 1.0 - float(p[self._en])
        translated = p_tr >= d["p_alone"] or (
            mt_score is not None and mt_score >= d["mt_gate"] and p_tr >= d["p_with_mt"])
        scores = {c: round(float(v), 4) for c, v in zip(self.classes, p)}
        if not translated:
            return {"lang": ENGLISH, "score": round(float(p[self._en]), 4), "scores": scores}
        q = p.copy()
        q[self._en] = 0.0
        q = q / max(p_tr, 1e-12)  # P(class | translated)
        best = int(np.argmax(q))
        lang = self.classes[best]
        if lang != OTHER and OTHER in self.classes and q[best] < d.get("min_known", 0.0):
            # No known language holds the majority of the translated mass: not one the model knows.
            best = self.classes.index(OTHER)
            lang = OTHER
            q[best] = 1.0 - max(float(q[i]) for i, c in enumerate(self.classes) if c not in (OTHER, ENGLISH))
        return {"lang": lang, "score": round(float(q[best]), 4), "scores": scores}

    def long_enough(self, text: str) -> bool:
        return len((text or "").split()) >= self.min_words

    def predict(self, texts: Sequence[str], mt_scores: Optional[Sequence[Optional[float]]] = None
                ) -> list[Optional[dict]]:
        """A decision per text (`decide`, with its MT score when given), None for texts under
        `min_words` words."""
        ok = [i for i, t in enumerate(texts) if self.long_enough(t)]
        out: list[Optional[dict]] = [None] * len(texts)
        if ok:
            lp = self.log_proba([texts[i] for i in ok])
            for i, row in zip(ok, lp):
                out[i] = self.decide(row, None if mt_scores is None else mt_scores[i])
        return out

    def pooled(self, texts: Sequence[str], log_probs: np.ndarray) -> np.ndarray:
        """A page's log-scores: the word-weighted mean of its paragraphs' log-probabilities,
        scaled by min(paragraphs, max_paragraphs) (more paragraphs, more confidence, bounded)."""
        w = np.array([len(t.split()) for t in texts], dtype=np.float64)
        k = min(len(texts), int(self.decision["max_paragraphs"]))
        return (log_probs * w[:, None]).sum(axis=0) / w.sum() * k

    def pool(self, texts: Sequence[str], log_probs: Optional[np.ndarray] = None,
             mt_score: Optional[float] = None) -> Optional[dict]:
        """One decision for a page from its paragraphs (those of at least `min_words` words;
        `log_probs` are their rows of `log_proba` when already computed)."""
        if log_probs is None:
            texts = [t for t in texts if self.long_enough(t)]
            if not texts:
                return None
            log_probs = self.log_proba(texts)
        if len(texts) == 0:
            return None
        return self.decide(self.pooled(texts, log_probs), mt_score)

    def explain(self, text: str, lang: str, k: int = 5) -> list[tuple[str, float]]:
        """The k masked word n-grams and signals that pushed hardest toward `lang` against the
        mean of the other classes (weight in log-odds units, as the text's features scale them)."""
        if lang not in self.classes:
            return []
        indptr, cols, vals = self.featurizer.rows([text])
        j = self.classes.index(lang)
        others = [i for i in range(len(self.classes)) if i != j]
        names = {**self.featurizer.word_ngram_names(text), **self.featurizer.signal_names(text)}
        contrib = []
        for col, val in zip(cols.tolist(), vals.tolist()):
            if col not in names:
                continue
            d = self.coef[j, col] - self.coef[others, col].mean()
            contrib.append((f'"{names[col]}"', float(val * d)))
        contrib.sort(key=lambda t: (-t[1], t[0]))
        return [(n, round(v, 3)) for n, v in contrib[:k]]

