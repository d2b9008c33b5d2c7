"""Where a block's and a page's MT score are decided, in each mode (`mt/modes.py`).

- fast: every English block of at least MIN_WORDS words gets the n-gram scorer's probability;
  the page is pooled from its judgeable blocks (`page.judgeable`) with the "fast" calibration.
- accurate: as fast, then the judgeable blocks of every page are also read by the encoder, and
  their score is the stack: the mean of the two scorers' log-odds (a 0.5 / 0.5 average measured
  best on the dev pages); the page is pooled from the stacked logits with the "stack"
  calibration. Other English blocks (boilerplate, short lines) keep the fast score.
- cascade: as fast, then only the pages whose fast page score falls in the unsure band
  (`band`, stored with the encoder's calibration) go through the encoder as in accurate.

Pages are scored in batches (`score_pages`): one call of each scorer for a whole chunk of pages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, Sequence


from .base import MIN_WORDS, sigmoid
from .modes import MT_MODES
from .page import PageCalibration, is_english, judgeable


def _load_calibration(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class MTStage:
    """The MT stage of a scan: block and page scores for a batch of page reports."""

    def __init__(self, mode: str, fast, fast_calibration: PageCalibration, encoder=None,
                 stack_calibration: Optional[PageCalibration] = None, band: tuple = (0.0, 1.0),
                 stack_weight: float = 0.5):
        if mode not in MT_MODES:
            raise ValueError(f"mt_model must be one of {', '.join(MT_MODES)}, not {mode!r}")
        if mode != "fast" and (encoder is None or stack_calibration is None):
            raise ValueError(f"mt_model {mode!r} needs the encoder model")
        self.mode = mode
        self.fast = fast
        self.fast_calibration = fast_calibration
        self.encoder = encoder
        self.stack_calibration = stack_calibration
        self.band = tuple(band)
        self.stack_weight = float(stack_weight)
        self.encoder_pages = 0  # pages sent to the encoder so far (the cascade's routing)
        self.pages = 0

    @classmethod
    def load(cls, mode: str = "fast", model_dir: Optional[str | Path] = None,
             encoder_dir: Optional[str | Path] = None) -> "MTStage":
        """The shipped models (or `model_dir` for the n-gram scorer, `encoder_dir` for the
        encoder). Local files only."""
        from .ngram import NgramScorer, default_model_dir

        d = Path(model_dir) if model_dir else default_model_dir()
        fast = NgramScorer.load(d)
        pages = _load_calibration(d / "pages.json")
        if mode == "fast":
            return cls(mode, fast, PageCalibration.from_dict(pages["fast"]))
        from .encoder import EncoderScorer, default_encoder_dir

        e = Path(encoder_dir) if encoder_dir else default_encoder_dir()
        encoder = EncoderScorer.load(e)
        stack = _load_calibration(e / "stack.json")
        return cls(mode, fast, PageCalibration.from_dict(pages["fast"]), encoder,
                   PageCalibration.from_dict(stack["stack"]), tuple(stack["band"]), stack["weight"])

    # -- scoring -----------------------------------------------------------------------------
    def score_pages(self, reports: Sequence) -> None:
        """Set `mt_score` on the English blocks and on each page of `reports`."""
        # Word counts once per English block: the length rule, the evidence rule and the pooling
        # weights all need them, on the path of every scanned page.
        words = {id(b): len(b.text.split()) for r in reports for b in r.blocks if is_english(b.lang)}
        blocks = [b for r in reports for b in r.blocks if words.get(id(b), 0) >= MIN_WORDS]
        fast_logit = {}
        if blocks:
            z = self.fast.logits([b.text for b in blocks])
            for b, v, p in zip(blocks, z, sigmoid(z)):
                b.mt_score = float(p)
                fast_logit[id(b)] = float(v)
        routed = []
        for r in reports:
            self.pages += 1
            ev = [b for b in r.blocks if id(b) in fast_logit and judgeable(b, words[id(b)])]
            r.mt_score = self.fast_calibration.probability([fast_logit[id(b)] for b in ev],
                                                           [words[id(b)] for b in ev])
            if r.mt_score is not None and self._route(r.mt_score):
                routed.append((r, ev, [words[id(b)] for b in ev]))
        if routed:
            self._stack(routed, fast_logit)

    def _route(self, fast_page_score: float) -> bool:
        if self.mode == "accurate":
            return True
        if self.mode == "cascade":
            return self.band[0] <= fast_page_score < self.band[1]
        return False

    def _stack(self, routed: list, fast_logit: dict) -> None:
        self.encoder_pages += len(routed)
        texts = [b.text for _, ev, _ in routed for b in ev]
        ze = self.encoder.logits(texts)
        i = 0
        w = self.stack_weight
        for report, ev, n_words in routed:
            zs = []
            for b in ev:
                z = (1 - w) * fast_logit[id(b)] + w * float(ze[i])
                b.mt_score = float(sigmoid(z))
                zs.append(z)
                i += 1
            report.mt_score = self.stack_calibration.probability(zs, n_words)

    def explain(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The n-grams that pushed the fast score hardest (the encoder explains nothing)."""
        return self.fast.explain(text, k)
