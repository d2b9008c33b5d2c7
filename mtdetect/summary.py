"""The page's languages from its blocks: main language, share of each, and whether the page is
multilingual.

Shares are shares of letters (not of blocks), so a long article outweighs a dozen one-word menu
items. A block identified with low confidence (short, ambiguous) does not vote: one-word lines
like "Update" are where identifiers err, and they must not make a page look multilingual. A block
without a language (`lang` null: no letters, or only codes such as a base64 string or a hash)
never counts, and a page made only of such blocks has no language. The letters are those the
language identifier counted for the block's words (`mtdetect.langid.letters_of`: counted once,
with the language).

The multilingual rule: a second language makes the page multilingual when it holds at least
`MIN_SHARE` of the letters and at least `MIN_LETTERS` letters in all (a sentence or two). A stray
foreign word or name is far below both; seed 003's Russian sidebar (about a quarter of the page) is
well above, and so are a widget of three Russian headlines or a German review on an English shop
page (tests/fixtures/divs.html, shop.txt).
"""

from __future__ import annotations

from typing import Optional, Sequence

from mtdetect.document import Block
from mtdetect.langid import letters_of

MIN_SHARE = 0.10
MIN_LETTERS = 100
MIN_CONFIDENCE = 0.5


def letters_by_language(blocks: Sequence[Block]) -> dict[str, int]:
    confident = [b for b in blocks if b.lang and b.lang_score >= MIN_CONFIDENCE]
    # A page made only of unsure blocks still gets a language from them.
    voters = confident or [b for b in blocks if b.lang]
    letters: dict[str, int] = {}
    for block in voters:
        letters[block.lang] = letters.get(block.lang, 0) + letters_of(block.text)
    return letters


def summarize_languages(blocks: Sequence[Block]) -> tuple[Optional[str], dict[str, float], bool]:
    """Returns (main language, share of letters per language, multilingual)."""
    letters = letters_by_language(blocks)
    total = sum(letters.values())
    if not total:
        return None, {}, False
    shares = {lang: n / total for lang, n in sorted(letters.items(), key=lambda kv: (-kv[1], kv[0]))}
    main = next(iter(shares))
    others = [
        lang for lang, share in shares.items()
        if lang != main and share >= MIN_SHARE and letters[lang] >= MIN_LETTERS
    ]
    return main, shares, bool(others)
