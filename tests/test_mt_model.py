import hashlib
import time

import pytest

from mtdetect.mt import MIN_WORDS, MTScorer
from mtdetect.mt.train import TrainConfig, train

from mt_tiny import HUMAN, MT, make_rows

TINY = TrainConfig(vocab_size=300, folds=3, max_order=3, seed=1)


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny_model")
    train(make_rows(), TINY).save(d)
    return d


def _digest(d):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}


def test_training_is_deterministic(tiny_model_dir, tmp_path):
    train(make_rows(), TINY).save(tmp_path)
    assert _digest(tmp_path) == _digest(tiny_model_dir)


def test_tiny_model_separates_its_classes(tiny_model_dir):
    scorer = MTScorer.load(tiny_model_dir)
    mt = " ".join(MT[:3]).format(p="the mayor", t="the new bridge")
    human = " ".join(HUMAN[:3]).format(p="the mayor", P="The mayor", t="the new bridge")
    s_mt, s_h = scorer.score([mt, human])
    assert s_mt > 0.5 > s_h


def test_short_text_is_none_and_scores_are_probabilities(tiny_model_dir):
    scorer = MTScorer.load(tiny_model_dir)
    texts = ["Too short.", "", " ".join(["word"] * MIN_WORDS), MT[0].format(p="the coach", t="the harvest")]
    out = scorer.score(texts)
    assert out[0] is None and out[1] is None
    assert all(0.0 <= s <= 1.0 for s in out[2:])
    assert scorer.score(texts) == out  # deterministic


def test_explain_names_features(tiny_model_dir):
    scorer = MTScorer.load(tiny_model_dir)
    ex = scorer.explain(MT[0].format(p="the coach", t="the harvest"), k=4)
    assert 0 < len(ex) <= 4
    assert all(isinstance(n, str) and isinstance(v, float) for n, v in ex)
    assert abs(ex[0][1]) >= abs(ex[-1][1])
    assert any(n.startswith(("ngram:", "style:")) for n, _ in ex)


def test_load_is_cached(tiny_model_dir):
    assert MTScorer.load(tiny_model_dir) is MTScorer.load(tiny_model_dir)


def test_shipped_model_loads_fast_and_scores():
    MTScorer._cache.clear()
    t0 = time.perf_counter()
    scorer = MTScorer.load()
    assert time.perf_counter() - t0 < 1.0
    out = scorer.score(["Hello there.", MT[1].format(p="the minister", t="the tram line") + " " + MT[2].format(p="the council", t="the river port")])
    assert out[0] is None
    assert 0.0 <= out[1] <= 1.0
    assert scorer.min_words == MIN_WORDS


def test_shipped_model_is_not_about_typography():
    scorer = MTScorer.load()
    a = "\u201cWe\u2019re not going anywhere,\u201d she said \u2014 and she meant it\u2026 for now."
    b = '"We\'re not going anywhere," she said - and she meant it... for now.'
    sa, sb = scorer.score([a, b])
    assert sa == pytest.approx(sb)


def test_edge_cases(tiny_model_dir):
    scorer = MTScorer.load(tiny_model_dir)
    assert scorer.score([]) == []
    assert scorer.explain("") == []
    assert scorer.pool([]) is None
    assert scorer.pool(["short"]) is None
    p = scorer.pool([MT[0].format(p="the coach", t="the harvest")] * 3)
    assert 0.0 <= p <= 1.0


def test_page_pooling_follows_the_scorer_that_scored(tiny_model_dir):
    """With several models loaded, a page is pooled with the pooling of the model that scored it
    (e.g. `Scanner(model_dir=...)` after the shipped model was loaded in the same process)."""
    from mtdetect.document import CONTENT, Block
    from mtdetect.mt.pool import pool_logits, pool_page_score, to_logit

    shipped, tiny = MTScorer.load(), MTScorer.load(tiny_model_dir)
    assert shipped.pooling != tiny.pooling
    text = MT[1].format(p="the minister", t="the tram line") + " " + MT[2].format(p="the council", t="the river port")
    for scorer in (tiny, shipped, tiny):
        s = scorer.score([text])[0]
        b = Block(index=0, line_start=0, line_end=0, text=text, kind=CONTENT, lang="en", mt_score=s)
        want = pool_logits([to_logit(s)], [len(text.split())], scorer.pooling)
        assert pool_page_score([b]) == pytest.approx(want)
