"""Features of the source-language guess: hashed n-grams of English text with its topic masked.

Within one WMT year, the English translated from one language is a handful of news stories, so
raw words would teach the model topics ("Prague", "Bundestag"). The text is reduced to what a
translation carries over from its source: function words, frequent words, punctuation and the
*shape* of everything else (`Xx` for a capitalised rare word, `x` for a rare word, `0` for a
number), then hashed into word n-grams (1-3) and character n-grams of the masked words, so
"the Xx of the Xx" or ", which x" can be weighed without naming what they are about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from mtdetect.mt.normalize import normalize

N_FEATURES = 2**18
KEEP_WORDS = 3000  # the most frequent English words are kept as they are (wordfreq ranks)
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)*|[^\w\s]", re.UNICODE)


@lru_cache(maxsize=1)
def _keep() -> frozenset:
    import wordfreq

    return frozenset(wordfreq.top_n_list("en", KEEP_WORDS))


def mask(text: str) -> str:
    """Normalised text with rare words replaced by their shape (see the module docstring)."""
    keep = _keep()
    out = []
    for tok in _TOKEN.findall(normalize(text, digits=False)):
        low = tok.lower()
        if low in keep or not tok[0].isalnum():
            out.append(low if tok[0].isupper() and low in keep else tok)
        elif tok[0].isdigit():
            out.append("0")
        elif tok.isupper() and len(tok) > 1:
            out.append("XX")
        elif tok[0].isupper():
            out.append("Xx")
        else:
            out.append("x")
    return " ".join(out)


@lru_cache(maxsize=1)
def _vectorizers():
    from sklearn.feature_extraction.text import HashingVectorizer

    # Word n-grams over the masked tokens, and character n-grams inside them: both stateless,
    # so the model file holds only the classifier weights.
    words = HashingVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 3), lowercase=False,
                              n_features=N_FEATURES, alternate_sign=False, norm="l2")
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 4), lowercase=False,
                              n_features=N_FEATURES, alternate_sign=False, norm="l2")
    return words, chars


def featurize(texts: Sequence[str], masked: bool = True, chars: bool = True):
    """Sparse feature matrix (rows = texts) of the masked texts (`masked=False`: the normalised
    text as it is, the topic-leaking variant the model card compares against)."""
    from scipy.sparse import hstack

    prepared = [mask(t) if masked else normalize(t, digits=True) for t in texts]
    word_vec, char_vec = _vectorizers()
    if not chars:
        return word_vec.transform(prepared).tocsr()
    return hstack([word_vec.transform(prepared), char_vec.transform(prepared)]).tocsr()


def word_ngram_columns(text: str) -> dict[int, str]:
    """Column -> readable word n-gram (masked) for the word features of one text, for
    explanations. Same hash as sklearn's HashingVectorizer (signed murmurhash3, abs mod n)."""
    from sklearn.utils import murmurhash3_32

    words, _ = _vectorizers()
    return {abs(murmurhash3_32(g, seed=0)) % N_FEATURES: g for g in words.build_analyzer()(mask(text))}
