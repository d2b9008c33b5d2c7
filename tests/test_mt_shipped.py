"""The shipped MT models: they load offline, score, ignore typography, and the run-time path never
imports training code, scikit-learn or torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from mtdetect.mt.combine import MTStage
from mtdetect.mt.encoder import encoder_available

MT_TEXT = ("Foreign Minister Lavrov urged to resolve security issues on the basis of a balance of interests. "
           "According to him, the Russian side stands for the carrying out of the negotiations in the regime of "
           "the dialogue.")


def test_fast_model_loads_and_scores():
    stage = MTStage.load("fast")
    out = stage.fast.score(["Hello there.", MT_TEXT])
    assert out[0] is None and 0.0 < out[1] < 1.0
    assert stage.explain(MT_TEXT, k=3)


def test_scores_do_not_depend_on_typography():
    fast = MTStage.load("fast").fast
    a = "\u201cWe\u2019re not going anywhere,\u201d she said \u2014 and she meant it\u2026 for now, the coach added."
    b = '"We\'re not going anywhere," she said - and she meant it... for now, the coach added.'
    sa, sb = fast.score([a, b])
    assert sa == pytest.approx(sb)


def test_run_time_path_imports_no_training_code():
    code = ("import sys; from mtdetect.mt.combine import MTStage; s = MTStage.load('fast'); "
            f"s.fast.score([{MT_TEXT!r}]); "
            "bad = [m for m in ('sklearn', 'torch', 'transformers', 'mtdetect.mt.train_ngram', "
            "'mtdetect.mt.calibrate', 'mtdetect.mt.recipe') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


needs_encoder = pytest.mark.skipif(not encoder_available(), reason="no shipped encoder model")


@needs_encoder
def test_encoder_scores_in_batches_as_alone():
    from mtdetect.mt.encoder import EncoderScorer

    enc = EncoderScorer.load()
    texts = [MT_TEXT, "Locals packed the hall on Tuesday night and the mayor spent two hours taking questions.",
             "Short one here, five words."]
    together = enc.logits(texts)
    alone = np.array([enc.logits([t])[0] for t in texts])
    assert np.all(np.isfinite(together))
    assert together == pytest.approx(alone, abs=0.15)  # int8: batch padding moves scores a little


@needs_encoder
def test_accurate_mode_stacks_both_scorers():
    from mtdetect.scan import Scanner

    page = "Minister visits port\n\n" + MT_TEXT + "\n\n" + MT_TEXT.replace("Lavrov", "Shoigu")
    fast = Scanner(source=False, mt_model="fast").scan_text(page, html=False)
    acc = Scanner(source=False, mt_model="accurate").scan_text(page, html=False)
    assert fast.mt_score is not None and acc.mt_score is not None
    assert acc.mt_score != fast.mt_score
