"""The fast MT scorer: a logistic regression over hashed word 1-3 and character 2-5 grams.

Trained with English written natively next to WMT's human translations and original English
(`mt/train_ngram.py`), so web English of every kind is on the human side. Thousands of
paragraphs a second on one core: the default of `mtdetect filter`. A model directory holds
`ngram.npz` (the weights, float16) and `ngram.json` (bias, hashing spec, training metadata).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .base import BlockScorer
from .hashing import HashSpec, contributions, linear_scores


def default_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "mt"


class NgramScorer(BlockScorer):
    name = "ngram"

    def __init__(self, weights: np.ndarray, bias: float, spec: HashSpec, meta: Optional[dict] = None):
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = float(bias)
        self.spec = spec
        self.meta = dict(meta or {})

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        return linear_scores(texts, self.spec, self.weights, self.bias)

    def explain(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        from .normalize import normalize

        contrib = contributions(normalize(text or ""), self.spec, self.weights)
        top = sorted(contrib.items(), key=lambda t: (-abs(t[1]), t[0]))[:k]
        return [(name, round(v, 4)) for name, v in top]

    # -- persistence -------------------------------------------------------------------------
    @classmethod
    def load(cls, model_dir: Optional[str | Path] = None) -> "NgramScorer":
        d = Path(model_dir) if model_dir else default_model_dir()
        info = json.loads((d / "ngram.json").read_text(encoding="utf-8"))
        with np.load(d / "ngram.npz", allow_pickle=False) as z:
            weights = z["weights"].astype(np.float32)
        return cls(weights, info["bias"], HashSpec.from_dict(info["spec"]), info.get("meta"))

    def save(self, model_dir: str | Path) -> None:
        from .npz import write_npz

        d = Path(model_dir)
        d.mkdir(parents=True, exist_ok=True)
        write_npz(d / "ngram.npz", {"weights": self.weights.astype(np.float16)})
        info = {"format": 2, "kind": "ngram", "bias": self.bias, "spec": self.spec.to_dict(), "meta": self.meta}
        (d / "ngram.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
