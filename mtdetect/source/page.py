"""The source-language guess of a scanned page and its blocks (what `Scanner` reports)."""

from __future__ import annotations

from typing import Optional, Sequence

ENGLISH = "en"


def guess_page(guesser, blocks: Sequence, mt_score: Optional[float]) -> Optional[dict]:
    """Set `source_lang` on each English block of at least `min_words` words and return the
    page's (None when there is none). The page decision pools the English content blocks (all
    English blocks when none is content) with the page MT score as evidence (`mt_score` None:
    the guesser's own confidence alone). A block says a foreign source only on a page that does,
    from its own log-probabilities and MT score; on an `en` page every block is `en`."""
    english = [b for b in blocks if b.lang == ENGLISH and guesser.long_enough(b.text)]
    if not english:
        return None
    logp = guesser.log_proba([b.text for b in english])
    chosen = [i for i, b in enumerate(english) if b.kind == "content"] or list(range(len(english)))
    page = guesser.pool([english[i].text for i in chosen], logp[chosen], mt_score)
    for block, row in zip(english, logp):
        if page["lang"] == ENGLISH:
            block.source_lang = {"lang": ENGLISH, "score": round(1.0 - guesser.p_translated(row), 4)}
        else:
            d = guesser.decide(row, block.mt_score if mt_score is not None else None)
            block.source_lang = {"lang": d["lang"], "score": d["score"]}
    return page
