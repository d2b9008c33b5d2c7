"""Writing systems: the script of every letter, letters per script, the script of a block, the
words of a block, and which languages each script writes.

Everything here is pure Python over the text and is computed once per block (see
:func:`analyse`); the decision (``decide.py``) and the page summary read the result.
"""
from __future__ import annotations

import bisect
import re
import unicodedata

# Script of each letter, by Unicode block. Order does not matter (no overlaps).
SCRIPT_RANGES = {
    "Latin": [(0x41, 0x24F), (0x250, 0x2AF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F),
              (0xA720, 0xA7FF), (0xFF21, 0xFF5A)],
    "Cyrillic": [(0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)],
    "Greek": [(0x370, 0x3FF), (0x1F00, 0x1FFF)],
    "Armenian": [(0x530, 0x58F)],
    "Hebrew": [(0x590, 0x5FF)],
    "Arabic": [(0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF),
               (0xFE70, 0xFEFF)],
    "Devanagari": [(0x900, 0x97F), (0xA8E0, 0xA8FF)],
    "Bengali": [(0x980, 0x9FF)],
    "Gurmukhi": [(0xA00, 0xA7F)],
    "Gujarati": [(0xA80, 0xAFF)],
    "Oriya": [(0xB00, 0xB7F)],
    "Tamil": [(0xB80, 0xBFF)],
    "Telugu": [(0xC00, 0xC7F)],
    "Kannada": [(0xC80, 0xCFF)],
    "Malayalam": [(0xD00, 0xD7F)],
    "Sinhala": [(0xD80, 0xDFF)],
    "Thai": [(0xE00, 0xE7F)],
    "Lao": [(0xE80, 0xEFF)],
    "Tibetan": [(0xF00, 0xFFF)],
    "Myanmar": [(0x1000, 0x109F)],
    "Georgian": [(0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)],
    "Hangul": [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF),
               (0xFFA0, 0xFFDC)],
    "Ethiopic": [(0x1200, 0x139F)],
    "Khmer": [(0x1780, 0x17FF)],
    "Kana": [(0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)],
    "Han": [(0x3005, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
            (0x20000, 0x2A6DF)],
}

# Scripts written by (practically) one language: the script decides.
# Bengali script also writes Assamese and Devanagari also Marathi/Nepali; those
# are left to the models (see SHARED_SCRIPT_LANGS) with the main-language prior.
SCRIPT_LANG = {
    "Hangul": "ko", "Kana": "ja", "Greek": "el", "Armenian": "hy", "Georgian": "ka",
    "Thai": "th", "Lao": "lo", "Khmer": "km", "Myanmar": "my", "Tibetan": "bo",
    "Gurmukhi": "pa", "Gujarati": "gu", "Oriya": "or", "Tamil": "ta", "Telugu": "te",
    "Kannada": "kn", "Malayalam": "ml", "Sinhala": "si", "Ethiopic": "am",
    "Hebrew": "he",
}

# Candidate languages of shared scripts (fastText lid.176 / py3langid labels).
SHARED_SCRIPT_LANGS = {
    "Cyrillic": frozenset({"ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tt", "ba", "sah",
                           "mn", "tg", "cv", "ce", "os", "mhr", "mrj", "myv", "udm", "kv",
                           "xal", "lez", "av", "krc", "bxr", "sh"}),
    "Devanagari": frozenset({"hi", "mr", "ne", "sa", "new", "bh", "mai", "gom", "bpy"}),
    "Bengali": frozenset({"bn", "as", "bpy"}),
    "Arabic": frozenset({"ar", "fa", "ur", "ps", "ckb", "ku", "sd", "ug", "arz", "azb", "mzn",
                         "pnb", "ary", "sdh"}),
}

# Languages the models know that are written in another script than Latin, by script (Serbian and
# Serbo-Croatian are written in both, Kurdish's Kurmanji in Latin: they count as Latin). A
# language is given to a block only if the block has letters of the script it is written in: a
# block in Latin letters alone never gets one of these (issue 15, row 11: "gramów" was
# Ukrainian), a block without Latin letters never a Latin-script language. "Other" holds
# languages of scripts without an entry in SCRIPT_RANGES (Thaana).
LANG_SCRIPTS = {
    "Cyrillic": "av ba be bg bxr ce cv kk krc kv ky lez mhr mk mn mrj myv os ru rue sah tg tt tyv "
                "uk xal udm",
    "Arabic": "ar arz ary azb ckb fa lrc mzn pnb ps sd sdh ug ur",
    "Hebrew": "he yi",
    "Devanagari": "hi mr ne sa new bh mai gom dty",
    "Bengali": "bn as bpy",
    "Gurmukhi": "pa", "Gujarati": "gu", "Oriya": "or", "Tamil": "ta", "Telugu": "te",
    "Kannada": "kn", "Malayalam": "ml", "Sinhala": "si", "Ethiopic": "am", "Tibetan": "bo dz",
    "Greek": "el", "Armenian": "hy", "Georgian": "ka xmf", "Khmer": "km", "Lao": "lo",
    "Myanmar": "my", "Thai": "th", "Kana": "ja", "Han": "zh ja wuu yue", "Hangul": "ko",
    "Other": "dv",
}
LANG_SCRIPTS = {script: frozenset(langs.split()) for script, langs in LANG_SCRIPTS.items()}
NON_LATIN_LANGS = frozenset().union(*LANG_SCRIPTS.values())

# Code points standing for scripts in the translated string (Unicode
# noncharacters U+FDD0.., which never occur in real text).
SCRIPTS = list(SCRIPT_RANGES) + ["Other"]
CODE = {s: chr(0xFDD0 + i) for i, s in enumerate(SCRIPTS)}
_SCRIPT_OF_CODE = {code: script for script, code in CODE.items()}
_CODESET = frozenset(_SCRIPT_OF_CODE)


_RANGES = sorted((lo, hi, script) for script, ranges in SCRIPT_RANGES.items() for lo, hi in ranges)
_RANGE_STARTS = [lo for lo, _, _ in _RANGES]


def _code_of(cp: int) -> str:
    """The script code point of a letter or combining mark; any other character stands for
    itself (``str.translate`` then leaves it as it is)."""
    ch = chr(cp)
    cat = unicodedata.category(ch)[0]
    if cat not in "LM":
        return ch
    i = bisect.bisect_right(_RANGE_STARTS, cp) - 1
    if i >= 0 and cp <= _RANGES[i][1]:
        return CODE[_RANGES[i][2]]
    if cp >= 0x10000:  # letters of unlisted scripts beyond the BMP are not counted
        return ch
    # A combining mark after e.g. a Latin letter belongs to that letter; they are rare in NFC
    # text, so counting them as "Other" would be noise. Letters of scripts not listed above
    # still count as letters.
    if cat == "M" and 0x300 <= cp <= 0x36F:
        return CODE["Latin"]
    return CODE["Other"]


class _ScriptTable(dict):
    """``str.translate`` table: character -> its script's code point, filled in as characters
    are met (building it for all of Unicode took 25-60 ms of every process's start)."""

    def __missing__(self, cp: int) -> str:
        code = self[cp] = _code_of(cp)
        return code


_TABLE = _ScriptTable()


def table() -> dict[int, str]:
    return _TABLE


def nfc(text: str) -> str:
    # Decomposed input (NFD: "ї" as "і" + U+0308) would hide the letters the
    # orthographic rules look for, and count accents as separate letters.
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# Every byte that is not an ASCII letter: deleting them counts the letters of ASCII text.
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())


def script_counts(text: str) -> dict[str, int]:
    """Number of letters (incl. combining marks) per script; non-letters ignored."""
    if text.isascii():
        # Most blocks of English and other Latin-script pages: a byte-level count, several
        # times cheaper than looking every character up in the script table.
        n = len(text.encode("ascii").translate(None, _ASCII_NON_LETTERS))
        return {"Latin": n} if n else {}
    coded = nfc(text).translate(table())
    # Count only the scripts present (usually one or two of the ~30).
    return {_SCRIPT_OF_CODE[c]: coded.count(c) for c in _CODESET.intersection(coded)}


def count_letters(text: str) -> int:
    """Letters in ``text`` (Unicode L* and M* categories: vowel signs of Indic
    scripts are part of the written word, digits and punctuation are not)."""
    return sum(script_counts(text).values())


# Non-Latin scripts weigh more when choosing a block's script: Latin letters turn
# up in any language (brand names, URLs, "r/Military"), whereas Cyrillic or Han
# in a block is deliberate. A Han/kana/Hangul character carries about a word.
_SCRIPT_WEIGHT = {"Latin": 1.0, "Han": 4.0, "Kana": 4.0, "Hangul": 3.0}


def dominant_script(counts: dict[str, int]) -> str | None:
    """The script a block is written in, from :func:`script_counts`."""
    if not counts:
        return None
    if len(counts) == 1:
        return next(iter(counts))
    cjk = counts.get("Han", 0) + counts.get("Kana", 0)
    weighted = {s: n * _SCRIPT_WEIGHT.get(s, 2.0) for s, n in counts.items()}
    # Han and kana are one writing system (Japanese mixes them); judge them together.
    if cjk:
        weighted.pop("Kana", None)
        weighted["Han"] = cjk * _SCRIPT_WEIGHT["Han"]
    return max(weighted, key=lambda s: (weighted[s], s))


# --------------------------------------------------------------------------- words

# A whitespace-separated token longer than this is looked at: is it a word of a language?
WORD_CHECK_CHARS = 24
# A token's letters split into word-like segments: a lower-case run, a capitalised run, an
# all-caps run ("HomeWeatherTraffic" -> Home Weather Traffic; "QUJDREVGR0hJSk" -> QUJDREVGR h
# JSk). Segments of MIN_SEGMENT..MAX_SEGMENT letters look like words.
_SEGMENT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
MIN_SEGMENT, MAX_SEGMENT = 3, 60
# A long token with less than this share of its letters in word-like segments is a code, not
# words. Measured: base64 of random bytes (19-200 bytes) has a median share of 0.46 (99th
# percentile 0.70, a 50,000-character string 0.47), hex digests 0-0.33; glued menu words
# ("HomeWeatherTrafficWatchPhotosApps"), URLs, file names, hashtags and dates glued to a word
# have 0.74-1.0.
MIN_WORDY_SHARE = 0.7


def _is_code(token: str) -> bool:
    """A long ASCII token that no language writes as words: base64, hex, a hash, a session id.
    Only called on tokens longer than WORD_CHECK_CHARS."""
    sizes = list(map(len, _SEGMENT.findall(token)))
    letters = sum(sizes)
    if not letters:
        return False
    wordy = sum(n for n in sizes if MIN_SEGMENT <= n <= MAX_SEGMENT)
    return wordy < MIN_WORDY_SHARE * letters


def drop_codes(text: str) -> str:
    """``text`` without the tokens that are not words of any language (see :func:`_is_code`);
    ``text`` itself when it has none (the usual case, checked at C speed). Codes are ASCII:
    long tokens with other letters (a Chinese or Thai sentence has no spaces) are kept."""
    tokens = text.split()
    if not tokens or max(map(len, tokens)) <= WORD_CHECK_CHARS:
        return text
    kept = [tok for tok in tokens
            if len(tok) <= WORD_CHECK_CHARS or not tok.isascii() or not _is_code(tok)]
    return " ".join(kept) if len(kept) < len(tokens) else text


def word_letters(text: str) -> int:
    """Letters of the words of ``text``: :func:`count_letters` without the codes."""
    return sum(script_counts(drop_codes(nfc(text))).values())
