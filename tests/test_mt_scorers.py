"""The MT scorers: hashed n-gram features, the n-gram scorer trained on a tiny corpus, the page
evidence and its calibration, and the modes (fast, accurate, cascade) with a stand-in encoder."""

from __future__ import annotations

import numpy as np
import pytest

import mt_tiny
from mtdetect.document import BOILERPLATE, CONTENT, Block, PageReport
from mtdetect.mt.base import BlockScorer
from mtdetect.mt.calibrate import fit_page_calibration
from mtdetect.mt.combine import MTStage
from mtdetect.mt.hashing import HashSpec, contributions, features, linear_scores, sparse_matrix
from mtdetect.mt.ngram import NgramScorer
from mtdetect.mt.page import PageCalibration, judgeable

SPEC = HashSpec(bits=16)
TEXTS = ["On the basis of the results, the mayor stressed the need of the resolution.",
         "Locals packed the hall on Tuesday night, and nobody wanted another winter of it.",
         "Ünïcode — “quotes” and 数字 too.", "x"]


def test_features_do_not_depend_on_the_batch():
    w = np.random.default_rng(1).normal(size=1 << SPEC.bits)
    together = linear_scores(TEXTS, SPEC, w, 0.5)
    alone = [linear_scores([t], SPEC, w, 0.5)[0] for t in TEXTS]
    assert together == pytest.approx(alone)
    assert together == pytest.approx(sparse_matrix(TEXTS, SPEC) @ w + 0.5)


def test_each_family_is_l2_normalised_and_ngrams_stay_inside_a_text():
    X = sparse_matrix(TEXTS[:2], SPEC)
    assert np.asarray(X.multiply(X).sum(axis=1)).ravel() == pytest.approx([2.0, 2.0])  # words + chars
    d, _, _ = features(["ab", "cd"], SPEC)
    alone = [len(features([t], SPEC)[0]) for t in ("ab", "cd")]
    assert np.bincount(d).tolist() == alone  # no n-gram spans the end of one text and the next


def test_contributions_add_up_to_the_score():
    w = np.random.default_rng(2).normal(size=1 << SPEC.bits)
    for t in TEXTS[:3]:
        assert sum(contributions(t, SPEC, w).values()) == pytest.approx(linear_scores([t], SPEC, w, 0.0)[0])


@pytest.fixture(scope="module")
def tiny_fast_model(tmp_path_factory):
    from mtdetect.mt.recipe import train_fast_model
    from mtdetect.mt.train_ngram import NgramConfig

    d = tmp_path_factory.mktemp("tiny_fast")
    train_fast_model(d, rows=mt_tiny.make_rows(n_docs=40), native=False, cfg=NgramConfig(bits=16))
    return d


def test_tiny_ngram_model_separates_unseen_paragraphs(tiny_fast_model):
    from mtdetect.mt.evaluate import roc_auc

    scorer = NgramScorer.load(tiny_fast_model)
    rows = mt_tiny.make_rows(n_docs=4, seed=11)
    z = scorer.logits([r["text"] for r in rows])
    assert roc_auc(np.array([r["label"] == "mt" for r in rows]), z) > 0.95
    assert scorer.score(["Too short to judge"]) == [None]
    top = scorer.explain(rows[0]["text"], k=3)
    assert len(top) == 3 and all(name.startswith(("words:", "chars:")) for name, _ in top)


def test_training_is_deterministic(tiny_fast_model, tmp_path):
    from mtdetect.mt.recipe import train_fast_model
    from mtdetect.mt.train_ngram import NgramConfig

    train_fast_model(tmp_path, rows=mt_tiny.make_rows(n_docs=40), native=False, cfg=NgramConfig(bits=16))
    for name in ("ngram.npz", "ngram.json", "pages.json"):
        assert (tmp_path / name).read_bytes() == (tiny_fast_model / name).read_bytes()


def block(i, text, lang="en", kind=CONTENT):
    return Block(index=i, line_start=i, line_end=i, text=text, kind=kind, lang=lang)


SENTENCE = "The council said the new bridge would open in the spring of next year."


def test_only_english_content_sentences_are_evidence():
    assert judgeable(block(0, SENTENCE))
    assert not judgeable(block(0, SENTENCE, kind=BOILERPLATE))
    assert not judgeable(block(0, SENTENCE, lang="de"))
    assert not judgeable(block(0, "Please enable JavaScript to view this site"))  # 7 words
    assert not judgeable(block(0, "Council Approves New Bridge Over The River After Long Debate"))  # headline
    assert judgeable(block(0, " ".join(["word"] * 15)))  # long enough without punctuation


def test_calibration_lowers_the_threshold_until_native_pages_pass():
    rng = np.random.default_rng(0)
    ev = [(rng.normal(1.0, 1.0, 5), np.full(5, 30)) for _ in range(200)] + \
         [(rng.normal(-1.0, 1.0, 5), np.full(5, 30)) for _ in range(200)]
    labels = [1] * 200 + [0] * 200
    groups = ["mt"] * 200 + ["native"] * 200
    cal, fit = fit_page_calibration(ev, labels, groups, [g == "native" for g in groups], target=0.01)
    assert fit["native_flagged"] <= 0.01 < fit["native_flagged_fitted"]
    p = [cal.probability(*e) for e in ev]
    assert np.mean([x >= 0.5 for x in p[200:]]) <= 0.01
    assert np.mean(p[:200]) > np.mean(p[200:])


class FixedScorer(BlockScorer):
    """A stand-in encoder: +3 log-odds for every text, and a count of what it read."""

    def __init__(self):
        self.seen = []

    def _logits(self, texts):
        self.seen.extend(texts)
        return np.full(len(texts), 3.0)


def pages(n):
    return [PageReport(path=f"p{i}", blocks=[block(0, SENTENCE), block(1, "Menu Home About", kind=BOILERPLATE),
                                             block(2, "Ein deutscher Satz mit genug Wörtern darin.", lang="de")])
            for i in range(n)]


@pytest.mark.parametrize("mode", ["fast", "accurate", "cascade"])
def test_modes_route_pages_to_the_encoder(tiny_fast_model, mode):
    import json

    fast = NgramScorer.load(tiny_fast_model)
    cal = PageCalibration.from_dict(json.loads((tiny_fast_model / "pages.json").read_text())["fast"])
    enc = FixedScorer()
    reports = pages(3)
    fast_only = pages(3)
    MTStage("fast", fast, cal).score_pages(fast_only)
    p = fast_only[0].mt_score
    band = (p - 0.01, p + 0.01) if mode == "cascade" else (0.0, 1.0)
    stage = MTStage(mode, fast, cal, enc, PageCalibration((1.0, 0.0), 0.0), band) if mode != "fast" else \
        MTStage(mode, fast, cal)
    stage.score_pages(reports[:1])
    outside = PageReport(path="x", blocks=[block(0, "Machine output " * 6 + ".")])
    stage.score_pages([outside] + reports[1:])
    routed = {"fast": 0, "accurate": 4, "cascade": 3}[mode]
    assert stage.encoder_pages == routed
    assert len(enc.seen) == routed  # one judgeable block a page: never the boilerplate or German
    for r in reports:
        assert r.blocks[1].mt_score is None and r.blocks[2].mt_score is None
        if mode == "fast":
            assert r.mt_score == pytest.approx(p)
        else:  # the stacked logit (0.5 fast + 0.5 * 3) under the identity calibration
            assert r.mt_score > p


def test_a_page_without_evidence_has_no_score(tiny_fast_model):
    import json

    cal = PageCalibration.from_dict(json.loads((tiny_fast_model / "pages.json").read_text())["fast"])
    stage = MTStage("fast", NgramScorer.load(tiny_fast_model), cal)
    r = PageReport(path="pl", blocks=[block(0, "Strona główna sklepu z długim tekstem po polsku tutaj.", lang="pl"),
                                      block(1, "Please enable JavaScript to use all of this site.", kind=BOILERPLATE)])
    stage.score_pages([r])
    assert r.mt_score is None
    assert r.blocks[1].mt_score is not None  # the block itself still gets a score to show
