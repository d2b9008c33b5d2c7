import math

import pytest

from mtdetect.document import BOILERPLATE, CONTENT, Block
from mtdetect.mt.pool import pool_logits, pool_page_score, to_logit

# A pooling with a positive slope: the page is MT-ish when its blocks are.
PARAMS = {"coef": [1.0, 0.5], "intercept": 0.0}


def block(i, text, score, lang="en", kind=CONTENT):
    return Block(index=i, line_start=i, line_end=i, text=text, kind=kind, lang=lang, mt_score=score)


def words(n):
    return " ".join(["word"] * n)


def test_no_english_gives_none():
    blocks = [block(0, words(50), None, lang="de"), block(1, words(30), None, lang="fr")]
    assert pool_page_score(blocks, PARAMS) is None
    assert pool_page_score([], PARAMS) is None


def test_english_too_short_gives_none():
    assert pool_page_score([block(0, "Hi there", None)], PARAMS) is None


def test_length_aware_not_a_vote():
    # One long MT-ish block outweighs two short human-ish ones.
    long_mt = [block(0, words(300), 0.9), block(1, words(10), 0.2), block(2, words(10), 0.2)]
    assert pool_page_score(long_mt, PARAMS) > 0.5
    # The same blocks with the lengths swapped go the other way.
    short_mt = [block(0, words(10), 0.9), block(1, words(300), 0.2), block(2, words(300), 0.2)]
    assert pool_page_score(short_mt, PARAMS) < 0.5


def test_more_evidence_more_confidence():
    one = pool_page_score([block(0, words(100), 0.8)], PARAMS)
    many = pool_page_score([block(i, words(100), 0.8) for i in range(10)], PARAMS)
    assert 0.5 < one < many < 1.0


def test_content_first_boilerplate_fallback():
    content = block(0, words(40), 0.2)
    boiler = block(1, words(40), 0.95, kind=BOILERPLATE)
    with_content = pool_page_score([content, boiler], PARAMS)
    assert with_content == pytest.approx(pool_logits([to_logit(0.2)], [40], PARAMS))
    only_boiler = pool_page_score([boiler, block(2, words(40), None, lang="de")], PARAMS)
    assert only_boiler == pytest.approx(pool_logits([to_logit(0.95)], [40], PARAMS))


def test_regional_english_tags_count():
    assert pool_page_score([block(0, words(40), 0.9, lang="en-GB")], PARAMS) is not None


def test_default_params_come_from_shipped_model():
    p = pool_page_score([block(0, words(80), 0.9)])
    assert p is not None and 0.0 <= p <= 1.0
    assert not math.isnan(p)
