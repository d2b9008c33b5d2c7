"""The source-language guess: which language a translated English text was translated from.

    from mtdetect.source import SourceGuesser
    guesser = SourceGuesser.load()            # shipped model, offline, cached per process
    guesser.predict(["paragraph", ...])       # [{"lang", "score", "scores"} or None, ...]
    guesser.pool(["paragraph", ...])          # one guess for a page

`en` means "reads as written in English". Human and machine translations alike: this is a
different question from the MT score.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .features import N_FEATURES, featurize, word_ngram_columns


def default_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "source"


class SourceGuesser:
    _cache: dict[str, "SourceGuesser"] = {}
    _lock = threading.Lock()

    def __init__(self, classes: Sequence[str], coef, intercept, config: dict):
        self.classes = list(classes)
        self.coef = np.asarray(coef, dtype=np.float32)  # (classes, features)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.config = dict(config)
        self.min_words = int(self.config.get("min_words", 10))
        self.masked = bool(self.config.get("masked", True))
        self.chars = bool(self.config.get("chars", True))
        # (features, classes), float64, made once: sparse rows @ this is the whole scoring cost.
        self._weights = np.ascontiguousarray(self.coef.T, dtype=np.float64)

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
                cls._cache[path] = cls(meta["classes"], coef, meta["intercept"], meta["config"])
            return cls._cache[path]

    def save(self, model_dir: str | Path) -> None:
        from mtdetect.mt.model import write_npz  # deterministic zip writer shared with the MT model

        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        write_npz(d / "model.npz", {"coef": self.coef.astype(np.float16)})
        meta = {"format": 1, "classes": self.classes, "intercept": [float(v) for v in self.intercept],
                "config": self.config}
        (d / "model.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    # -- scoring -----------------------------------------------------------------------------
    def log_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Log-probabilities, rows = texts, columns = `classes` (no length rule)."""
        if len(texts) == 0:
            return np.zeros((0, len(self.classes)))
        X = featurize(list(texts), self.masked, self.chars)
        z = np.asarray(X @ self._weights) + self.intercept
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def guess(self, logp: np.ndarray) -> dict:
        """The guess from one row of `log_proba` (or any log-scores over `classes`)."""
        p = np.exp(logp - logp.max())
        p = p / p.sum()
        best = int(np.argmax(p))
        return {"lang": self.classes[best], "score": round(float(p[best]), 4),
                "scores": {c: round(float(v), 4) for c, v in zip(self.classes, p)}}

    def long_enough(self, text: str) -> bool:
        return len((text or "").split()) >= self.min_words

    def predict(self, texts: Sequence[str]) -> list[Optional[dict]]:
        """A guess per text, None for texts under `min_words` words."""
        ok = [i for i, t in enumerate(texts) if self.long_enough(t)]
        out: list[Optional[dict]] = [None] * len(texts)
        if ok:
            lp = self.log_proba([texts[i] for i in ok])
            for i, row in zip(ok, lp):
                out[i] = self.guess(row)
        return out

    def pool(self, texts: Sequence[str], log_probs: Optional[np.ndarray] = None) -> Optional[dict]:
        """One guess for a page: the word-weighted mean of its paragraphs' log-probabilities
        (a product of experts, tempered by the mean so a long page is not over-confident)."""
        ok = [t for t in texts if self.long_enough(t)]
        if not ok:
            return None
        lp = self.log_proba(ok) if log_probs is None else log_probs
        w = np.array([len(t.split()) for t in ok], dtype=np.float64)
        return self.guess((lp * w[:, None]).sum(axis=0) / w.sum() * min(len(ok), 4))

    def explain(self, text: str, lang: str, k: int = 5) -> list[tuple[str, float]]:
        """The k masked word n-grams that pushed hardest toward `lang` against the mean of the
        other languages (weight in log-odds units, as the text's features scale them)."""
        if lang not in self.classes:
            return []
        X = featurize([text], self.masked, self.chars)
        j = self.classes.index(lang)
        others = [i for i in range(len(self.classes)) if i != j]
        names = word_ngram_columns(text)
        contrib = []
        for col, val in zip(X.indices, X.data):
            if col >= N_FEATURES or col not in names:
                continue
            d = self.coef[j, col] - self.coef[others, col].mean()
            contrib.append((f'"{names[col]}"', float(val * d)))
        contrib.sort(key=lambda t: (-t[1], t[0]))
        return [(n, round(v, 3)) for n, v in contrib[:k]]
