"""Native-English calibration of the page threshold, feature clipping, and the module layout."""

import subprocess
import sys

import numpy as np

from mtdetect.mt import MTScorer
from mtdetect.mt.features import STYLE_NAMES, style_matrix
from mtdetect.mt.normalize import normalize
from mtdetect.mt.train import TrainConfig, fit_pooling, row_group, train

from mt_tiny import HUMAN, MT, make_rows

TINY = TrainConfig(vocab_size=300, folds=3, max_order=3, seed=1)

NATIVE = [
    "The council's late-night vote left plenty of residents fuming, and the mayor knows it.",
    "Nobody expected the tram line to open on time, least of all the engineers who built it.",
    "She laughed when asked about the budget, then admitted the numbers still don't add up.",
    "Fans queued round the block for tickets, some of them camping out overnight in the rain.",
]


def _native_rows(n_docs=6):
    rows = []
    for d in range(n_docs):
        for i in range(3):
            text = " ".join(NATIVE[(d + i + k) % len(NATIVE)] for k in range(2))
            rows.append({"id": f"nat.{d}.{i}", "text": text, "label": "human", "origin": "original-english",
                         "system": "bbc", "src_lang": "en", "doc": f"nat-doc{d}", "corpus": "native-en"})
    return rows


def test_native_rows_calibrate_the_pooling_but_not_the_classifier():
    rows = make_rows()
    plain = train(rows, TINY)
    calibrated = train(rows + _native_rows(), TINY)
    # The classifier (and so every paragraph score) is the same: native rows only calibrate pages.
    text = MT[0].format(p="the mayor", t="the new bridge")
    assert plain.score([text]) == calibrated.score([text])
    assert calibrated.meta["n_native_paragraphs"] == len(_native_rows())
    assert "prior_shift" in calibrated.pooling and calibrated.pooling["prior_shift"] <= 0.0


def test_threshold_guard_keeps_native_pages_under_the_target():
    rng = np.random.default_rng(0)
    # WMT-like pages: MT and human overlap; native pages sit on the MT side (the false-alarm case).
    z_mt, z_h, z_nat = rng.normal(1, 1, 300), rng.normal(-1, 1, 300), rng.normal(0.8, 0.5, 200)
    rows = [{"doc": f"d{i}", "system": "s", "label": "mt"} for i in range(300)] + \
           [{"doc": f"h{i}", "system": "r", "label": "human"} for i in range(300)]
    native_rows = [{"doc": f"n{i}", "system": "bbc", "label": "human"} for i in range(200)]
    words = np.full(600, 80.0)
    pooling = fit_pooling(np.r_[z_mt, z_h], words, rows, 0, (z_nat, np.full(200, 80.0), native_rows), 0.02)
    coef, b = np.array(pooling["coef"]), pooling["intercept"]
    m = z_nat
    page_z = coef[0] * m + coef[1] * m * np.log(80 / 100) + b
    assert (page_z >= 0).mean() <= 0.02
    assert pooling["prior_shift"] < 0  # it had to move: without it many native pages were flagged
    unguarded = fit_pooling(np.r_[z_mt, z_h], words, rows, 0, (z_nat, np.full(200, 80.0), native_rows), None)
    assert unguarded["prior_shift"] == 0.0


def test_row_groups():
    assert row_group({"label": "mt", "origin": "mt"}) == "mt"
    assert row_group({"label": "human", "origin": "human-translation"}) == "human-translation"
    assert row_group({"label": "human", "origin": "original-english"}) == "original-english"
    assert row_group({"label": "human", "origin": "original-english", "corpus": "native-en"}) == "native-en"


def test_one_semicolon_cannot_decide_a_byline(tmp_path):
    model = train(make_rows(), TINY)
    byline = "(Writing by Mark Trevelyan; editing by Grant McCool)"
    x = style_matrix([normalize(byline)], [12])[0]
    z = (x - model.mean[-len(STYLE_NAMES):]) / model.std[-len(STYLE_NAMES):]
    assert np.abs(np.clip(z, -model.clip, model.clip)).max() <= model.clip
    # The clipped logit is what scoring uses.
    xs = model._features([normalize(byline)])[0][0]
    expected = np.clip((xs - model.mean) / model.std, -model.clip, model.clip) @ model.coef + model.intercept
    assert np.isclose(model.logits([byline])[0], expected)


def test_style_features_have_no_length_columns():
    assert not {"log_words", "log_sents"} & set(STYLE_NAMES)
    short, long_ = "The cat sat on the mat today.", " ".join(["The cat sat on the mat today."] * 8)
    a, b = style_matrix([short, long_], [8, 64])
    # Rates, not counts: the same sentence repeated gives the same profile (TTR aside).
    same = [j for j, n in enumerate(STYLE_NAMES) if n not in {"ttr_50", "herdan_c", "cap_rate"}]
    assert np.allclose(a[same], b[same])


def test_model_loads_without_training_code():
    code = ("import sys, mtdetect.mt as m; m.MTScorer; from mtdetect.mt import model, pool, features; "
            "print('mtdetect.mt.train' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
