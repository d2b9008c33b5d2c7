"""The page sets the MT score is chosen and calibrated on, as the scanner sees them.

Each page is scanned once without MT (segmentation, language, content flags), and only its
judgeable blocks (`page.judgeable`) are kept: any scorer then scores those texts and the page
is pooled exactly as `Scanner` pools it. Used by `scripts/eval_mt_dev.py` and by the page
calibration of `mtdetect train`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np

from .page import PageCalibration, judgeable


@dataclass
class DevPage:
    key: str
    label: int  # 1 = machine-translated, 0 = human
    group: str  # realweb-high, realweb-medium, native-web-dev (kind in `kind`), bbc, html-eval ...
    texts: list[str] = field(default_factory=list)  # the judgeable blocks
    kind: str = ""


def scan_judgeable(texts: Sequence[str], html: bool = False) -> list[list[str]]:
    """The judgeable blocks of each page (one Scanner without MT or source guess)."""
    from mtdetect.scan import Scanner

    scanner = Scanner(mt=False, source=False)
    out = []
    for t in texts:
        report = scanner.scan_text(t, html=html)
        out.append([b.text for b in report.blocks if judgeable(b)])
    return out


def paragraphs_as_pages(rows: Sequence[dict], group: str, min_words: int = 8, kind: str = "") -> list[DevPage]:
    """Corpus paragraphs (BBC, html-eval main text) pooled by document, each a content block."""
    docs: dict[str, list[str]] = {}
    for r in rows:
        if len(r["text"].split()) >= min_words:
            docs.setdefault(r["doc"], []).append(r["text"])
    return [DevPage(k, 0, group, v, kind) for k, v in sorted(docs.items())]


def web_pages(corpus=None, native_split: Optional[str] = "dev") -> list[DevPage]:
    """realweb-dev (all 80) and the native-web pages of `native_split`."""
    from .data import load_native_web_pages, load_realweb_pages, site_split

    real = load_realweb_pages(corpus)
    native = load_native_web_pages(corpus, native_split)
    blocks = scan_judgeable([p["text"] for p in real] + [p["text"] for p in native])
    pages = [DevPage(p["url"], int(p["label"] == "mt"), f"realweb-{p['confidence']}", b, p.get("src_lang") or "")
             for p, b in zip(real, blocks[: len(real)])]
    pages += [DevPage(p["url"], 0, f"native-web-{site_split(p['site'])}", b, p["kind"])
              for p, b in zip(native, blocks[len(real):])]
    return pages


def page_logit_means(pages: Sequence[DevPage], logits_fn: Callable[[list[str]], np.ndarray]) -> list[Optional[tuple]]:
    """(block logits, block word counts) per page, scoring every block text once."""
    texts = sorted({t for p in pages for t in p.texts})
    z = dict(zip(texts, logits_fn(texts))) if texts else {}
    return [(np.array([z[t] for t in p.texts]), np.array([len(t.split()) for t in p.texts])) if p.texts else None
            for p in pages]


def page_probabilities(evidence, calibration: PageCalibration) -> np.ndarray:
    """Page probability (nan for a page without judgeable blocks)."""
    return np.array([np.nan if e is None else calibration.probability(e[0], e[1]) for e in evidence])
