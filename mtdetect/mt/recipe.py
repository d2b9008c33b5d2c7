"""How the shipped MT models are made from `../shared/corpora` (training time only).

    fast model (mtdetect/models/mt):      train_fast_model   -> ngram.npz, ngram.json, pages.json
    encoder (mtdetect/models/encoder):    train_encoder (mt/train_encoder.py), then
                                          calibrate_stack    -> stack.json

The n-gram scorer trains on WMT documents outside fold 0 (of 10) and the training splits of the
native corpora; the page calibration is fitted on what it never saw: WMT's fold-0 documents and
the held-out native pages (BBC, html-eval English, native-web's dev sites).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Optional, Sequence


from .calibrate import fit_page_calibration
from .data import (doc_fold, human_group, load_native, load_rows, corpus_files, load_web_english,
                   training_rows)
from .devsets import DevPage, page_logit_means, paragraphs_as_pages, web_pages
from .train_ngram import NgramConfig, train_ngram

CALIBRATION_FOLD = 0


def wmt_pages(rows: Sequence[dict], min_words: int = 8) -> list[DevPage]:
    """Each (doc, system) version of a WMT document as a page of its paragraphs."""
    docs: dict[tuple, list[dict]] = {}
    for r in rows:
        if len(r["text"].split()) >= min_words:
            docs.setdefault((r["doc"], r["system"]), []).append(r)
    return [DevPage(f"{k[0]}|{k[1]}", int(v[0]["label"] == "mt"), human_group(v[0]), [r["text"] for r in v])
            for k, v in sorted(docs.items())]


def native_pages(corpus=None) -> list[DevPage]:
    """Held-out native English: BBC articles, html-eval English main texts, native-web dev sites."""
    bbc = [r for r in load_native(corpus, "heldout") if r["system"] == "bbc"]
    pages = paragraphs_as_pages(bbc, "native", kind="bbc")
    pages += paragraphs_as_pages(load_web_english(corpus, "heldout"), "native", kind="html-eval")
    for p in web_pages(corpus, "dev"):
        if p.group.startswith("native-web"):
            p.group, p.kind = "native", "native-web"
            pages.append(p)
    return pages


def calibration_pages(corpus=None, years=(2021, 2022), native: bool = True,
                      rows: Optional[Sequence[dict]] = None) -> list[DevPage]:
    rows = rows if rows is not None else load_rows(corpus_files(corpus, years))
    pages = wmt_pages([r for r in rows if doc_fold(r["doc"], 10) == CALIBRATION_FOLD])
    return pages + (native_pages(corpus) if native else [])


def calibrate(pages: Sequence[DevPage], logits_fn: Callable) -> tuple:
    ev = page_logit_means(pages, logits_fn)
    return fit_page_calibration(ev, [p.label for p in pages], [p.group for p in pages],
                                [p.group == "native" for p in pages])


def train_fast_model(out_dir: str | Path, corpus=None, years=(2021, 2022), cfg: NgramConfig = NgramConfig(),
                     native: bool = True, rows: Optional[Sequence[dict]] = None,
                     log: Callable[[str], None] = lambda s: None):
    """Train the n-gram scorer and its page calibration into `out_dir`. `rows` replaces the WMT
    corpus (a subset, or a test's own rows); `native=False` leaves the native corpora out."""
    wmt = list(rows) if rows is not None else load_rows(corpus_files(corpus, years))
    train_rows = [r for r in wmt if doc_fold(r["doc"], 10) != CALIBRATION_FOLD]
    if native:
        train_rows += training_rows(corpus, [], native=True)
    model = train_ngram(train_rows, cfg, log=log, meta={"years": list(years), "native": native})
    log("ngram: calibrating the page score")
    cal, fit = calibrate(calibration_pages(corpus, years, native, rows=wmt), model.logits)
    out = Path(out_dir)
    model.save(out)
    (out / "pages.json").write_text(json.dumps({"fast": cal.to_dict(), "fit": fit}, indent=1, sort_keys=True) + "\n",
                                    encoding="utf-8")
    log(f"ngram: {json.dumps(fit)}")
    return model, cal, fit


def calibrate_stack(encoder_dir: str | Path, ngram_dir: Optional[str | Path] = None, corpus=None,
                    years=(2022,), weight: float = 0.5, band: tuple = (0.2, 0.8),
                    log: Callable[[str], None] = lambda s: None) -> dict:
    """The page calibration of the stacked logits ((1 - weight) n-gram + weight encoder) and the
    cascade's band, into `encoder_dir/stack.json`. `years`: the WMT years the encoder was NOT
    trained on (their fold-0 documents are unseen by both scorers)."""
    from .encoder import EncoderScorer
    from .ngram import NgramScorer

    fast = NgramScorer.load(ngram_dir)
    enc = EncoderScorer.load(encoder_dir, threads=2)
    pages = calibration_pages(corpus, years)
    log(f"stack: calibrating on {len(pages)} pages")

    def stacked(texts):
        return (1 - weight) * fast.logits(texts) + weight * enc.logits(texts)

    cal, fit = calibrate(pages, stacked)
    info = {"stack": cal.to_dict(), "weight": weight, "band": list(band), "fit": fit, "years": list(years)}
    Path(encoder_dir, "stack.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    log(f"stack: {json.dumps(fit)}")
    return info
