"""Text normalisation applied before any MT feature is computed.

Reference translations and MT outputs in the WMT releases differ in typography (curly vs straight
quotes, en/em dashes, non-breaking spaces, ellipsis characters, spacing before punctuation). On
the web those choices belong to the site's CMS, not to the writer, so a model that learns them
learns the corpus, not translation. Everything here maps typographic variants to one form so
that only wording is left for the features.
"""

from __future__ import annotations

import re
import unicodedata

# Characters mapped to one canonical form. NFKC already folds full-width forms, the ellipsis
# character and most compatibility spaces; these are the variants it leaves alone.
_CHAR_MAP = {
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u2036\u301d\u301e\u301f\uff02", '"'),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u02bc\u02bb\u2039\u203a", "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u3000\t\r\n\f\v", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": "*",
}
_TRANS = str.maketrans(_CHAR_MAP)

_SPACES = re.compile(r"\s+")
# "word ," / "word ?" (French or tokenised spacing) -> "word," ; "( word" -> "(word".
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)\]}])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{])\s+")
# Tokenised contractions some MT outputs keep ("don 't", "it 's").
_SPLIT_CONTRACTION = re.compile(r"(\w) '(s|t|re|ve|ll|d|m)\b", re.IGNORECASE)
_DASH_RUN = re.compile(r"-{2,}")
_DOT_RUN = re.compile(r"\.{3,}")
_QUOTE_SPACE = re.compile(r'"\s*"')
_DIGITS = re.compile(r"\d")


def normalize(text: str, digits: bool = True) -> str:
    """Return `text` with typographic variation removed.

    NFKC, then one form for quotes, apostrophes, dashes, ellipses and spaces, no space before
    closing punctuation, and (with `digits`) every digit replaced by 0 so number formatting
    and specific figures do not become features.
    """
    if text.isascii():
        # NFKC and the character map change nothing in ASCII but the backtick (whitespace is
        # collapsed below anyway); skipping them halves the cost of the common case.
        text = text.replace("`", "'")
    else:
        text = unicodedata.normalize("NFKC", text).translate(_TRANS)
    # Each rule runs only when its trigger is present: most paragraphs need none of them, and
    # this is on the path of every block a scan scores.
    if "--" in text:
        text = _DASH_RUN.sub("-", text)
    if "..." in text:
        text = _DOT_RUN.sub("...", text)
    text = " ".join(text.split())  # the same whitespace as \s+, collapsed, ends stripped
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if "( " in text or "[ " in text or "{ " in text:
        text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    if " '" in text:
        text = _SPLIT_CONTRACTION.sub(r"\1'\2", text)
    if '"' in text:
        text = _QUOTE_SPACE.sub('"', text)
    if digits:
        text = _DIGITS.sub("0", text)
    return text.strip()


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Alphabetic words (with inner apostrophes) of already-normalised text."""
    return _WORD.findall(text)


def count_words(text: str) -> int:
    """Whitespace word count: what the minimum-length rule and pooling weights use."""
    return len(text.split())

