"""The MT scorer: load a model directory, score paragraphs, explain a score.

A model directory holds `tokenizer.model` (sentencepiece), `model.npz` (n-gram ratio tables,
feature scaling, classifier weights) and `model.json` (config, intercept, pooling, metadata).
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .features import NgramTable, load_sp, style_matrix, table_features
from .normalize import normalize
from .npz import write_npz  # noqa: F401  (re-exported for older imports)

MIN_WORDS = 5  # below this many whitespace words, score() returns None


def default_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "mt"


class MTScorer:
    """Calibrated probability that an English paragraph is machine translation."""

    _cache: dict[str, "MTScorer"] = {}
    _lock = threading.Lock()
    # The scorer whose `score` ran last in this thread: `pool_page_score` pools a page with the
    # pooling of the model that scored its blocks, even when other models are loaded too.
    _last = threading.local()

    def __init__(self, sp_bytes: bytes, table: Optional[NgramTable], mean, std, coef, intercept: float,
                 pooling: dict, feature_names: Sequence[str], config: dict, meta: Optional[dict] = None):
        self.sp_bytes = sp_bytes
        self.sp = load_sp(sp_bytes)
        self.bos, self.eos = self.sp.get_piece_size(), self.sp.get_piece_size() + 1
        self.table = table
        self.mean = np.asarray(mean, dtype=np.float64)
        self.std = np.asarray(std, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)
        self.pooling = pooling
        self.feature_names = list(feature_names)
        self.config = dict(config)
        self.meta = dict(meta or {})
        self.min_words = int(self.config.get("min_words", MIN_WORDS))
        self.use_style = bool(self.config.get("style", True))
        self.clip = self.config.get("clip")
        # Scaled weights: logit = X @ w_eff + b_eff, one matrix product at scoring time.
        self._w = self.coef / self.std
        self._b = self.intercept - float((self.mean / self.std) @ self.coef)

    # -- persistence -------------------------------------------------------------------------
    @classmethod
    def load(cls, model_dir: Optional[str | Path] = None) -> "MTScorer":
        """Load (once per process; later calls return the cached instance) a model directory,
        by default the shipped model. Reads only local files."""
        path = str(Path(model_dir) if model_dir else default_model_dir())
        with cls._lock:
            if path not in cls._cache:
                cls._cache[path] = cls._load(Path(path))
            return cls._cache[path]

    @classmethod
    def _load(cls, d: Path) -> "MTScorer":
        meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
        cfg = meta["config"]
        with np.load(d / "model.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        table = None
        if cfg.get("ngrams", True):
            table = NgramTable.from_state(arrays, cfg["max_order"], cfg["alpha"], cfg["min_count"],
                                          cfg.get("min_docs", 1))
        return cls((d / "tokenizer.model").read_bytes(), table, arrays["mean"], arrays["std"],
                   arrays["coef"], meta["intercept"], meta["pooling"], meta["feature_names"], cfg,
                   meta.get("meta"))

    def save(self, model_dir: str | Path) -> None:
        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        (d / "tokenizer.model").write_bytes(self.sp_bytes)
        arrays = {"mean": self.mean, "std": self.std, "coef": self.coef}
        if self.table is not None:
            arrays.update(self.table.state())
        write_npz(d / "model.npz", arrays)
        meta = {"format": 1, "config": self.config, "intercept": self.intercept,
                "pooling": self.pooling, "feature_names": self.feature_names, "meta": self.meta,
                "min_words": self.min_words}
        (d / "model.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    # -- scoring -----------------------------------------------------------------------------
    def _features(self, texts: Sequence[str]) -> tuple[np.ndarray, list[list[int]]]:
        ids = self.sp.encode(list(texts), num_threads=1)  # a page has few blocks: threads cost more than they save
        parts = []
        if self.table is not None:
            parts.append(table_features(self.table, ids, self.bos, self.eos))
        if self.use_style:
            parts.append(style_matrix(texts, [len(x) for x in ids]))
        return np.hstack(parts), ids

    def logits(self, texts: Sequence[str], normalized: bool = False) -> np.ndarray:
        """Raw log-odds for every text (no length rule); `normalized` skips `normalize()`."""
        if len(texts) == 0:
            return np.zeros(0)
        norm = list(texts) if normalized else [normalize(t) for t in texts]
        X, _ = self._features(norm)
        if self.clip:
            return np.clip((X - self.mean) / self.std, -self.clip, self.clip) @ self.coef + self.intercept
        return X @ self._w + self._b

    def score(self, texts: Sequence[str]) -> list[Optional[float]]:
        """MT probability per text (equal class priors), or None for texts under `min_words`
        whitespace words after normalisation."""
        MTScorer._last.scorer = self
        norm = [normalize(t or "") for t in texts]
        ok = [i for i, t in enumerate(norm) if len(t.split()) >= self.min_words]
        out: list[Optional[float]] = [None] * len(norm)
        if ok:
            z = self.logits([norm[i] for i in ok], normalized=True)
            p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
            for i, v in zip(ok, p):
                out[i] = float(v)
        return out

    def pool(self, texts: Sequence[str]) -> Optional[float]:
        """Pooled document score of a list of paragraphs (the same rule as `pool_page_score`)."""
        from .pool import pool_logits, to_logit

        scores = self.score(texts)
        kept = [(to_logit(s), len(normalize(t).split())) for s, t in zip(scores, texts) if s is not None]
        if not kept:
            return None
        return pool_logits([k[0] for k in kept], [k[1] for k in kept], self.pooling)

    def explain(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The k features that pushed hardest toward MT (+) or human (-), in log-odds units.

        Style features contribute coef * (x - mean) / std. The n-gram features are broken down
        into the n-grams themselves: each n-gram's share of its order's mean/sum feature, so the
        answer names the phrases (e.g. 'ngram:"on the basis of"') rather than 'lr_mean_3'.
        """
        from .features import ngram_keys, flatten

        norm = normalize(text or "")
        if not norm:
            return []
        X, ids = self._features([norm])
        x = X[0]
        contrib: list[tuple[str, float]] = []
        n_ng = 0
        if self.table is not None:
            n_ng = 2 * self.table.max_order
            flat, row = flatten(ids, self.bos, self.eos)
            pieces = [self.sp.id_to_piece(int(i)) if i < self.bos else ("<s>" if i == self.bos else "</s>")
                      for i in flat]
            agg: dict[str, float] = {}
            for o in range(self.table.max_order):
                keys, _ = ngram_keys(flat, row, o + 1)
                if len(keys) == 0:
                    continue
                r = self.table.lookup(o, keys)
                cnt = len(keys)
                per = r * (self._w[2 * o] / cnt + self._w[2 * o + 1] / np.sqrt(cnt))
                # One row only, so the j-th key is the n-gram starting at flat[j].
                for j in np.nonzero(r)[0]:
                    g = "".join(pieces[j:j + o + 1]).replace("\u2581", " ").strip()
                    name = f'ngram:"{g}"'
                    agg[name] = agg.get(name, 0.0) + float(per[j])
            contrib.extend(agg.items())
        for j in range(n_ng, len(x)):
            z = (x[j] - self.mean[j]) / self.std[j]
            if self.clip:
                z = min(max(z, -self.clip), self.clip)
            c = float(z * self.coef[j])
            contrib.append((f"style:{self.feature_names[j]}", c))
        contrib.sort(key=lambda t: (-abs(t[1]), t[0]))
        return [(n, round(v, 4)) for n, v in contrib[:k]]
