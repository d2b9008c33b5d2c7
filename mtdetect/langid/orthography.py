"""Orthographic evidence for Cyrillic blocks: letters one alphabet lacks, and closed-class words
that exist in only one of Russian and Ukrainian.

Some letters exist in one member of a script family and not in its neighbours (Ukrainian і ї є ґ,
Russian ы э ъ ё, Serbian ђ ћ, Kazakh әғқ...). Each letter that a candidate's alphabet lacks
multiplies that candidate by FOREIGN_LETTER: "Більшість" cannot be Russian, "Войны" cannot be
Ukrainian, whatever a statistical model says about a short line.
"""
from __future__ import annotations

import re
from collections import Counter

# A letter outside a candidate's alphabet multiplies it by this (per letter,
# up to MAX_FOREIGN letters: one quoted foreign name should not be fatal,
# several such letters are).
FOREIGN_LETTER = 0.05
MAX_FOREIGN = 4
# Each exclusive word of the other language multiplies a candidate by this
# (up to MAX_FOREIGN words, as for letters).
FOREIGN_WORD = 0.2

_CYR_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# Full lower-case alphabets. A letter of the same script that is missing from
# a candidate's alphabet is evidence against it. Languages not listed get no
# orthographic evidence either way.
ALPHABETS = {
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
ALPHABET_SETS = {lang: frozenset(a) for lang, a in ALPHABETS.items()}
_CYRILLIC_LETTERS = frozenset().union(*ALPHABET_SETS.values())

# Closed-class words (pronouns, conjunctions, particles, common adverbs) that
# are words in one of Russian/Ukrainian and not in the other. Their letters are
# all shared, so the alphabet rule cannot see them, but a short Ukrainian line
# without і/ї/є ("Чи можемо ми бути разом?") is betrayed by its function words.
# Words that exist in both (так, там, вас, до, у, тому, моя, весь, ось,
# зараз...) are left out; hyphenated words ("де-факто") are one token.
EXCLUSIVE_WORDS = {
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
_OTHER = {"ru": "uk", "uk": "ru"}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def cyrillic_letters(text: str) -> dict[str, int]:
    """Counts of the (lower-case) Cyrillic letters of a block."""
    return {ch: n for ch, n in Counter(text.lower()).items() if ch in _CYRILLIC_LETTERS}


def exclusive_word_counts(text: str) -> dict[str, int]:
    """How many ru-only and uk-only words a (Cyrillic) block has."""
    counts = {"ru": 0, "uk": 0}
    for word in _WORD.findall(text.lower()):
        for lang, words in EXCLUSIVE_WORDS.items():
            if word in words:
                counts[lang] += 1
    return counts


def letter_penalties(text: str) -> dict[str, float]:
    """Factor per language with an alphabet, from the letters it lacks."""
    lower = text.lower()
    present = _CYRILLIC_LETTERS.intersection(lower)
    out = {}
    for lang, alphabet in ALPHABET_SETS.items():
        foreign = present.difference(alphabet)
        n = sum(map(lower.count, foreign)) if foreign else 0
        out[lang] = FOREIGN_LETTER ** min(n, MAX_FOREIGN)
    return out


def word_penalties(text: str) -> dict[str, float]:
    """Factor for ru and uk from the other language's exclusive words."""
    words = exclusive_word_counts(text)
    return {lang: FOREIGN_WORD ** min(words[other], MAX_FOREIGN) for lang, other in _OTHER.items()}
