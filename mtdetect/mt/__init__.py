"""Machine-translation scoring of English text.

    from mtdetect.mt import MTStage, NgramScorer
    stage = MTStage.load("fast")                  # or "accurate", "cascade": shipped models, offline
    stage.score_pages(reports)                    # block and page mt_score of a batch of PageReports
    NgramScorer.load().score(["paragraph", ...])  # MT probability per paragraph, None under 5 words
    NgramScorer.load().explain("paragraph", k=5)  # the n-grams that pushed it toward MT (+) or human (-)

Run time: `hashing` + `ngram` (the fast scorer), `encoder` (the accurate one), `base` (what
they share), `page` (which blocks are evidence, pooling), `combine` (the modes: where a block's
and a page's score are decided), `modes`, `normalize`. Training, never imported by those:
`train_ngram`, `train_encoder`, `calibrate`, `recipe`, `data`, `devsets`, `evaluate`.
"""

from .modes import DEFAULT_FILTER_MODE, DEFAULT_SCAN_MODE, MT_MODES

__all__ = ["MTStage", "NgramScorer", "EncoderScorer", "PageCalibration", "normalize", "MIN_WORDS",
           "MT_MODES", "DEFAULT_FILTER_MODE", "DEFAULT_SCAN_MODE"]

_LAZY = {"MTStage": ".combine", "NgramScorer": ".ngram", "EncoderScorer": ".encoder", "MIN_WORDS": ".base",
         "PageCalibration": ".page", "normalize": ".normalize"}


def __getattr__(name: str):
    # Lazy: importing mtdetect.mt (e.g. for MT_MODES) must not load numpy or onnxruntime.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)
