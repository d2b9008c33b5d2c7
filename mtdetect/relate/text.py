"""Turning a page into what relate compares: English content sentences, each tied to its block.

Why sentences and not blocks: two versions of one story rarely keep the same blocks (one site
merges two paragraphs into a line, another splits a paragraph into bullets), but they mostly
keep the sentences. Aligning sentences and reporting the blocks they came from gives the n:m
block alignment for free.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from mtdetect.document import CONTENT, Block

# Sentence ends: . ! ? … optionally followed by closing quotes/brackets, then space, then
# something that can start a sentence. Abbreviations are re-joined afterwards (see _ABBREV).
_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")
# A split after these is wrong ("U.S. Secretary", "Mr. Lavrov", "Jan. 28"): glue the pieces back.
_ABBREV = re.compile(
    r"(?:\b(?:[A-Za-z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Gen|Col|Gov|Sen|Rep|Inc|Ltd|Co|Corp|"
    r"No|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)
_WORD = re.compile(r"\w+", re.UNICODE)

# Function words carry no evidence that two sentences say the same thing; leaving them out of
# the cheap similarity keeps unrelated sentences near 0 instead of ~0.3.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves said says say
    one two new would may might must shall us""".split()
)

# Crude stemming: the first letters of a word ("strengthen"/"strengthened", "negotiate"/
# "negotiations"). Good enough for a pre-filter; sacrebleu's chrF does the real scoring.
_PREFIX = 6


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SPLIT.split(text.strip()) if p.strip()]
    out: list[str] = []
    for p in parts:
        if out and _ABBREV.search(out[-1]):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
    return out


def content_words(text: str) -> list[str]:
    """Lowercased words without function words; numbers kept (they survive paraphrase)."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def _word_ids(words: Sequence[str]) -> np.ndarray:
    # crc32, not hash(): Python's str hash changes per process and results must be reproducible.
    return np.fromiter((zlib.crc32(w[:_PREFIX].encode("utf-8")) for w in words), dtype=np.int64, count=len(words))


def is_english_content(block: Block) -> bool:
    # lang None means "not identified" (e.g. blocks built by hand); anything else must be English.
    return block.kind == CONTENT and (block.lang is None or block.lang == "en") and bool(block.text.strip())


@dataclass
class Sentence:
    text: str
    block: int  # Block.index of the block it came from
    words: np.ndarray  # crc32 ids of its content-word prefixes


@dataclass
class PreparedPage:
    """A page reduced to its English content sentences; computed once per page, reused per pair."""

    path: str
    sentences: list[Sentence] = field(default_factory=list)
    n_chars: int = 0  # characters of English content (the denominator of coverage)
    vocab: frozenset = frozenset()  # content words of the whole page (candidate generation)
    fingerprint: Optional[str] = None  # normalised full text, for exact-duplicate grouping
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0))  # characters per sentence

    @property
    def empty(self) -> bool:
        return not self.sentences


# Alignment builds dense (sentences x shared vocabulary) matrices per pair; past this many
# sentences (~100k characters of English content) the rest of a page is not compared.
MAX_SENTENCES = 1000


def prepare_blocks(path: str, blocks: Sequence[Block]) -> PreparedPage:
    sentences: list[Sentence] = []
    vocab: set[str] = set()
    pieces: list[str] = []
    for block in blocks:
        if not is_english_content(block):
            continue
        for s in split_sentences(block.text):
            if len(sentences) >= MAX_SENTENCES:
                break
            words = content_words(s)
            vocab.update(words)
            sentences.append(Sentence(s, block.index, _word_ids(words)))
            pieces.append(s)
    n_chars = sum(len(s.text) for s in sentences)
    fp = " ".join(" ".join(pieces).lower().split()) if pieces else None
    lengths = np.array([len(s.text) for s in sentences], dtype=np.float64)
    return PreparedPage(path, sentences, n_chars, frozenset(vocab), fp, lengths)


def prepare(page) -> PreparedPage:
    """Accepts a PageReport (or anything with .path and .blocks) or an already prepared page."""
    if isinstance(page, PreparedPage):
        return page
    if getattr(page, "error", None):
        return PreparedPage(page.path)
    return prepare_blocks(page.path, page.blocks)
