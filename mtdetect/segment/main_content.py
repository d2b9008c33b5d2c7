"""The main content of an HTML page, decided by trafilatura and mapped onto mtdetect's blocks.

trafilatura (the reference library for main-content extraction) reads the lxml tree mtdetect has
already parsed (it works on its own copy) and returns the main text as paragraphs, headings, list
items and table cells. mtdetect keeps its own blocks (source lines, one block per element,
language and MT score per block); this module only says which of them hold the main text, so
the blocks outside it stay in the report as boilerplate.

Mapping is by text, written here because trafilatura gives no link back to the source elements:
a block is main text when its text is one of trafilatura's segments, or (long enough not to
match by chance) occurs in the extraction, or most of its character shingles do (trafilatura dropped
or rewrote a part of it, e.g. a trailing link).

trafilatura runs in fast mode; a page whose extraction is under FALLBACK_BELOW_CHARS characters is
extracted again with its fallbacks (readability, jusText).
"""

from __future__ import annotations

import logging
import re
from typing import Optional, Sequence

from mtdetect.document import Block

# Options of trafilatura: `fast` skips its fallback extractors (readability, jusText).
TRAFILATURA_OPTIONS = {"fast": True, "include_comments": False, "include_tables": True}
# Rule "fallbacks when short": a page whose fast extraction has fewer characters than this is
# extracted again with trafilatura's fallbacks (fast=False): there fast mode most often cuts the
# article short. Chosen on html-eval's "tune" half (scripts/eval_html.py --fallback-below N):
# F1 0.920 -> 0.925 (tune 0.911 -> 0.915, held 0.929 -> 0.935), de and fr up, 12 % of the pages
# extracted twice (+2.6 ms a page). 2,500 (trafilatura's own bar) or fast=False on every page
# give +0.0005 F1 at about twice the cost. 0 turns the rule off.
FALLBACK_BELOW_CHARS = 1000
# A block at least this long cannot occur in the extraction by chance.
SUBSTRING_MIN_CHARS = 40
# Share of a block's character shingles found in the extraction for it to count as main text.
# Characters, not words: Chinese and Japanese have no spaces between words.
SHINGLE = 10
SHINGLE_SHARE = 0.5

_WS = re.compile(r"\s+")
# Han, kana and Hangul: a character carries about as much as a word (three Latin letters count).
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LIST_MARK = re.compile(r"^(?:- |#+ )")
_log = logging.getLogger("trafilatura")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def extract_segments(root) -> Optional[list[str]]:
    """trafilatura's main text of the parsed page as normalised segments; None when it finds none."""
    segments = _segments(_extract(root, TRAFILATURA_OPTIONS))
    if FALLBACK_BELOW_CHARS and sum(map(len, segments or ())) < FALLBACK_BELOW_CHARS:
        segments = _segments(_extract(root, {**TRAFILATURA_OPTIONS, "fast": False}))
    return segments


def _extract(root, options: dict):
    import trafilatura

    level = _log.level
    _log.setLevel(logging.CRITICAL)  # it logs "discarding data" for pages it returns nothing for
    try:
        return trafilatura.bare_extraction(root, **options)
    except Exception:  # trafilatura on a malformed tree must not stop a scan: the page falls back
        return None
    finally:
        _log.setLevel(level)


def _segments(doc) -> Optional[list[str]]:
    if doc is None or not (doc.text or "").strip():
        return None
    segments: list[str] = []
    for line in doc.text.splitlines():
        line = line.strip()
        if line.startswith("|"):  # a table row: one segment per cell
            segments.extend(_norm(c) for c in line.strip("|").split(" | ") if c.strip())
        elif line:
            segments.append(_norm(_LIST_MARK.sub("", line)))
    return segments or None


def _shingles(text: str, step: int = 1) -> list[str]:
    return [text[i:i + SHINGLE] for i in range(0, len(text) - SHINGLE + 1, step)]


def mark_main_text(blocks: Sequence[Block], segments: Optional[list[str]]) -> None:
    """Set `block.main` to True/False from trafilatura's segments (left None without any)."""
    if not segments:
        return
    exact = set(segments)
    joined = " ".join(segments)
    grams = None  # the extraction's shingles, built for the first block that needs them
    for block in blocks:
        if block.region == "head":  # the <title>: "Headline | Site" shares the headline's text
            block.main = False
            continue
        text = _norm(block.text)
        size = len(text) + 2 * len(_WIDE.findall(text))
        if text in exact or (size >= SUBSTRING_MIN_CHARS and text in joined):
            block.main = True
            continue
        if size < SUBSTRING_MIN_CHARS:
            block.main = False  # a short block must be a segment of its own: too easy to match
            continue
        own = _shingles(text, step=3)
        if not own:
            block.main = False
            continue
        if grams is None:
            grams = set(_shingles(joined))
        block.main = sum(map(grams.__contains__, own)) >= SHINGLE_SHARE * len(own)
