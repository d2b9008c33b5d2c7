"""Language identification of page blocks.

Every block of a page (paragraph, heading, list item, sidebar line, often only a word or two) gets
an ISO 639-1 code and a confidence in 0..1, or ``(None, 0.0)`` when it has no words of a language:
no letters ("01.03 05:11"), or only codes (a base64 string, a hash, a session id).

One module per job:

- ``scripts.py``: the script of every letter, letters per script, the block's script, which
  languages each script writes, the tokens that are codes rather than words;
- ``orthography.py``: letters and words that tell Cyrillic languages apart;
- ``models.py``: fastText lid.176, py3langid and langdetect, each loaded once per process;
- ``decide.py``: the decision, a page of blocks at a time, as arrays of blocks × languages.

Public API: :func:`identify`, :class:`LanguageIdentifier`, :func:`count_letters`,
:func:`letters_of` (the letters the page shares count, counted once with the language).
Nothing heavy is imported until the first block is identified.
"""
from __future__ import annotations

import threading
from typing import Sequence

from mtdetect.langid.decide import (
    BCMS, CONFIDENT, EVIDENCE_LETTERS, MAIN_LANGS, OTHER_WEIGHT, STILL_UNSURE, analyse, decide_batch,
)
from mtdetect.langid.scripts import (
    NON_LATIN_LANGS, count_letters, dominant_script, script_counts, word_letters,
)

__all__ = [
    "LanguageIdentifier",
    "identify",
    "count_letters",
    "letters_of",
    "dominant_script",
    "script_counts",
    "MAIN_LANGS",
    "NON_LATIN_LANGS",
]

# Sites repeat their boilerplate ("Войти", "Read more »", "0", "Комментарий к") on every page;
# the decision of a block depends on its text alone, so short blocks are memoised.
CACHE_MAX_CHARS = 200
CACHE_MAX_ITEMS = 1 << 16
_MEMO: dict[tuple[bool, bool], dict[str, tuple]] = {}
_LAST = threading.local()


def clear_cache() -> None:
    """Forget memoised decisions (benchmarks time the work, not the memo)."""
    _MEMO.clear()


def letters_of(text: str) -> int:
    """Letters of ``text``'s words (what a page's language shares count). Taken from the last
    batch this thread identified when the text was in it, so a page's letters are counted once."""
    last = getattr(_LAST, "letters", None)
    if last is not None:
        n = last.get(text)
        if n is not None:
            return n
    return word_letters(text)


class LanguageIdentifier:
    """Batch language identifier for page blocks.

    Models are loaded on first use and shared by all instances (they are read-only), so creating
    several identifiers costs nothing. ``use_py3langid`` switches the second opinion off,
    ``use_langdetect`` adds langdetect as a third one; the defaults are the evaluated
    configuration (``scripts/eval_lid.py``).
    """

    def __init__(self, *, use_py3langid: bool = True, use_langdetect: bool = False,
                 preload: bool = False):
        self.use_py3langid = use_py3langid
        self.use_langdetect = use_langdetect
        if preload:
            self.preload()

    def preload(self) -> None:
        from mtdetect.langid import decide, models, scripts

        scripts.table()
        models.fasttext()
        decide._space()
        if self.use_py3langid and models.py3_available():
            models.py3langid()
        if self.use_langdetect:
            models.langdetect_factory()

    def identify_with_letters(self, texts: Sequence[str]) -> list[tuple]:
        """(lang, confidence, letters) per text; letters are what the page shares count."""
        memo = _MEMO.setdefault((self.use_py3langid, self.use_langdetect), {})
        out: list = [None] * len(texts)
        todo: dict[str, list[int]] = {}  # a text repeated on the page is decided once
        for i, text in enumerate(texts):
            hit = memo.get(text) if len(text) <= CACHE_MAX_CHARS else None
            if hit is None:
                todo.setdefault(text, []).append(i)
            else:
                out[i] = hit
        if todo:
            done = decide_batch(list(todo), use_py3langid=self.use_py3langid,
                                use_langdetect=self.use_langdetect)
            if len(memo) > CACHE_MAX_ITEMS:
                memo.clear()
            for (text, where), res in zip(todo.items(), done):
                for i in where:
                    out[i] = res
                if len(text) <= CACHE_MAX_CHARS:
                    memo[text] = res
        _LAST.letters = {text: res[2] for text, res in zip(texts, out)}
        return out

    def identify(self, texts: Sequence[str]) -> list[tuple[str | None, float]]:
        """(ISO 639-1 code, confidence 0..1) per text; (None, 0.0) without words of a language."""
        return [(lang, conf) for lang, conf, _ in self.identify_with_letters(texts)]

    def identify_one(self, text: str) -> tuple[str | None, float]:
        return self.identify([text])[0]


_DEFAULT: LanguageIdentifier | None = None


def identify(texts: Sequence[str]) -> list[tuple[str | None, float]]:
    """Module-level :meth:`LanguageIdentifier.identify` with a shared instance."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LanguageIdentifier()
    return _DEFAULT.identify(texts)


def decide_one(text: str, *, use_py3langid: bool = True, use_langdetect: bool = False):
    """One block, without the memo: (lang, confidence)."""
    lang, conf, _ = decide_batch([text], use_py3langid=use_py3langid,
                                 use_langdetect=use_langdetect)[0]
    return lang, conf
