"""The accurate MT scorer: MiniLM L6 fine-tuned to tell MT from human English, run with
onnxruntime (int8 weights) and the `tokenizers` library. No torch at run time.

A model directory (`mtdetect/models/encoder/`) holds `model.onnx`, `tokenizer.json` and
`encoder.json`; `mtdetect train --model encoder` makes it (`mt/train_encoder.py`). Texts are
sorted by length and batched, so a batch pads to its own longest text, not to `max_len`.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .base import BlockScorer

BATCH = 32


def default_encoder_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "encoder"


def encoder_available(model_dir: Optional[str | Path] = None) -> bool:
    d = Path(model_dir) if model_dir else default_encoder_dir()
    return (d / "model.onnx").is_file() and (d / "tokenizer.json").is_file()


class EncoderScorer(BlockScorer):
    name = "encoder"
    _cache: dict[tuple, "EncoderScorer"] = {}
    _lock = threading.Lock()

    def __init__(self, model_dir: Path, threads: Optional[int] = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        info = json.loads((model_dir / "encoder.json").read_text(encoding="utf-8"))
        self.max_len = int(info["max_len"])
        self.meta = info
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_len)
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        # One thread per process by default: the filter pass parallelises over processes.
        opts.intra_op_num_threads = threads or int(os.environ.get("MTDETECT_ENCODER_THREADS", "1"))
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_dir / "model.onnx"), opts, providers=["CPUExecutionProvider"])

    @classmethod
    def load(cls, model_dir: Optional[str | Path] = None, threads: Optional[int] = None) -> "EncoderScorer":
        """Load once per process (later calls return the cached instance); local files only."""
        d = Path(model_dir) if model_dir else default_encoder_dir()
        if not encoder_available(d):
            raise FileNotFoundError(f"no encoder model in {d} (model.onnx and tokenizer.json)")
        key = (str(d.resolve()), threads)
        with cls._lock:
            if key not in cls._cache:
                cls._cache[key] = cls(d, threads)
            return cls._cache[key]

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in enc])
        order = np.argsort(lengths, kind="stable")
        out = np.zeros(len(texts), dtype=np.float64)
        for start in range(0, len(order), BATCH):
            idx = order[start: start + BATCH]
            width = int(lengths[idx].max())
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = lengths[i]
                ids[row, :n] = enc[i].ids
                mask[row, :n] = 1
            out[idx] = self.session.run(["logit"], {"input_ids": ids, "attention_mask": mask})[0]
        return out
