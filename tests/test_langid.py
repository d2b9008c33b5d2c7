"""Tests of the block language identifier (mtdetect.langid).

Fixtures are lines written for these tests. The seed page and the shared WMT
corpus are read where they are, and the tests that need them are skipped when
they are absent. Speed is not tested here (see scripts/bench_lid.py).
"""
from __future__ import annotations

import gzip
import json
import os
import random
from collections import defaultdict
from pathlib import Path

import pytest

from mtdetect import langid
from mtdetect.langid import LanguageIdentifier, count_letters, identify

PROJECT = Path(__file__).resolve().parent.parent
SEED_003 = PROJECT / "corpora" / "seeds" / "003_9194d3a9e73851c2.txt"
CORPORA = Path(os.environ.get("MTDETECT_CORPORA", PROJECT.parent / "shared" / "corpora"))
LID_BLOCKS = CORPORA / "lid" / "wmt21_22_blocks.jsonl.gz"


# --------------------------------------------------------------------------- Russian vs Ukrainian

RUSSIAN = [
    "Войти",
    "Читать далее",
    "Подписка на новости",
    "ПОДПИСКА НА НОВОСТИ",
    "Ежедневная рассылка новостей",
    "Мы всегда рады вашим отзывам",
    "Это объявление уже устарело",
    "Комментарий к статье",
    "Все права защищены",
    "Написать сообщение",
]
UKRAINIAN = [
    "Увійти",
    "Читати далі",
    "Підписка на новини",
    "Щоденна розсилка новин",
    "Ми завжди раді вашим відгукам",
    "Це оголошення вже застаріло",
    "Коментар до статті",
    "Усі права захищені",
    "Написати повідомлення",
    "Їжа та напої",
]


@pytest.mark.parametrize("text", RUSSIAN)
def test_short_russian_lines(text):
    assert identify([text])[0][0] == "ru"


@pytest.mark.parametrize("text", UKRAINIAN)
def test_short_ukrainian_lines(text):
    assert identify([text])[0][0] == "uk"


def test_orthography_overrides_models():
    # Letters that one alphabet lacks settle Russian vs Ukrainian even when the
    # rest of the line is shared vocabulary.
    assert identify(["Її"])[0][0] == "uk"
    assert identify(["Объём"])[0][0] == "ru"
    # A Ukrainian line quoting a brand name in Latin letters stays Ukrainian.
    assert identify(["Відгуки про Samsung Galaxy"])[0][0] == "uk"


def test_decomposed_input_keeps_orthography():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Їжак і йорж")
    assert nfd != "Їжак і йорж"
    assert identify([nfd])[0][0] == "uk"
    assert count_letters(nfd) == count_letters("Їжак і йорж") == 9


# --------------------------------------------------------------------------- no letters

@pytest.mark.parametrize("text", [
    "", "   ", "108", "01.03 05:11", "© 2024", "12 345,67 €", "!!!", "• 0", "+7 (495) 000-00-00",
    "→ ★ ☆ ♥", "1/2 — 3/4",
])
def test_no_letters_is_none(text):
    assert identify([text]) == [(None, 0.0)]
    assert count_letters(text) == 0


# --------------------------------------------------------------------------- scripts

@pytest.mark.parametrize("text,lang", [
    ("ログインしてください", "ja"),
    ("東京都の天気は晴れです", "ja"),
    ("欢迎访问我们的网站", "zh"),
    ("歡迎光臨本站", "zh"),
    ("আমাদের ওয়েবসাইটে স্বাগতম", "bn"),
    ("हमारी वेबसाइट पर आपका स्वागत है", "hi"),
    ("로그인", "ko"),
    ("Καλώς ήρθατε", "el"),
])
def test_script_decides(text, lang):
    assert identify([text])[0][0] == lang


@pytest.mark.parametrize("text,lang", [
    ("Read more about our privacy policy", "en"),
    ("Do you want to leave a comment? Register and log in", "en"),
    ("Weitere Artikel aus dieser Rubrik lesen", "de"),
    ("Laisser un commentaire sur cet article", "fr"),
    ("Přihlásit se k odběru novinek", "cs"),
    ("Ещё больше новостей в нашем канале", "ru"),
])
def test_latin_and_cyrillic_sentences(text, lang):
    assert identify([text])[0][0] == lang


def test_count_letters():
    assert count_letters("abc 123") == 3
    assert count_letters("Привет, мир!") == 9
    # Vowel signs and viramas of Indic scripts are part of the word.
    assert count_letters("हिन्दी") == 6
    assert count_letters("日本語です") == 5


# --------------------------------------------------------------------------- seed page 003

def _seed_lines():
    if not SEED_003.is_file():
        pytest.skip(f"{SEED_003} not present")
    return [line.strip(" \t\u2022") for line in SEED_003.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_seed_003_russian_sidebar():
    lines = _seed_lines()
    results = identify(lines)
    cyrillic = [(l, r) for l, r in zip(lines, results)
                if langid.dominant_script(langid.script_counts(l)) == "Cyrillic"]
    assert len(cyrillic) >= 10
    wrong = [(l, r) for l, r in cyrillic if r[0] != "ru"]
    assert not wrong, wrong
    for line in ("ПОДПИСКА НА НОВОСТИ", "Войти",
                 "Ежедневная рассылка новостей ВПК на электронный почтовый ящик"):
        assert identify([line])[0][0] == "ru", line


def test_seed_003_english_and_numbers():
    lines = _seed_lines()
    results = identify(lines)
    for line, (lang, conf) in zip(lines, results):
        counts = langid.script_counts(line)
        if not counts:
            assert (lang, conf) == (None, 0.0), line
        elif set(counts) == {"Latin"} and len(line.split()) >= 4:
            assert lang == "en", (line, lang, conf)


# --------------------------------------------------------------------------- API contract

MIXED = RUSSIAN + UKRAINIAN + [
    "Update", "Read more »", "108", "", "Menu", "Startseite", "Accueil", "登录", "ログイン",
    "The quick brown fox jumps over the lazy dog.", "Kontakt", "Ça va ?", "Hledat",
]


def test_confidence_in_unit_interval_and_types():
    for text, (lang, conf) in zip(MIXED, identify(MIXED)):
        assert isinstance(conf, float)
        assert 0.0 <= conf <= 1.0, (text, conf)
        if lang is None:
            assert conf == 0.0
        else:
            assert isinstance(lang, str) and 2 <= len(lang) <= 3


def test_deterministic_across_calls_instances_and_order():
    first = identify(MIXED)
    langid.clear_cache()  # recompute, do not just replay the memo
    assert identify(MIXED) == first
    assert LanguageIdentifier().identify(MIXED) == first
    # A block's result does not depend on its neighbours in the batch (a page is decided as
    # one array of blocks × languages).
    langid.clear_cache()
    assert LanguageIdentifier().identify(MIXED[::-1]) == first[::-1]
    assert [langid.decide_one(t) for t in MIXED] == first
    langid.clear_cache()
    assert identify(MIXED[:7]) + identify(MIXED[7:]) == first


def test_langdetect_expert_is_deterministic():
    texts = ["Update", "Komentář", "Ciao", "Новини", "Menu"]
    first = [langid.decide_one(t, use_langdetect=True) for t in texts]
    assert [langid.decide_one(t, use_langdetect=True) for t in reversed(texts)] == first[::-1]
    assert LanguageIdentifier(use_langdetect=True).identify(texts) == first


def test_empty_batch():
    assert identify([]) == []


def test_letters_are_counted_once_with_the_language():
    texts = ["Войти на сайт", "Read more »", "108", "東京都の天気は晴れです"]
    rows = LanguageIdentifier().identify_with_letters(texts)
    assert [n for _, _, n in rows] == [count_letters(t) for t in texts]
    assert [langid.letters_of(t) for t in texts] == [count_letters(t) for t in texts]


# --------------------------------------------------------------------------- issue 15, row 7: codes

def _base64(n_bytes: int, seed: int) -> str:
    import base64

    return base64.b64encode(random.Random(seed).randbytes(n_bytes)).decode()


def test_base64_without_spaces_has_no_language():
    # 50,000-character strings without spaces (base64 of random bytes): no words of any
    # language, so no language (null in the JSON), whatever the models would say.
    blobs = [_base64(37_500, seed) for seed in range(30)]
    assert all(len(b) == 50_000 for b in blobs)
    assert identify(blobs) == [(None, 0.0)] * 30
    assert all(langid.letters_of(b) == 0 for b in blobs)
    # Hex digests and ids are codes too (longer than 24 characters).
    assert identify(["d41d8cd98f00b204e9800998ecf8427e", "95CB0BFD2977C761298D9624E4B4D4C72A39974A"]) \
        == [(None, 0.0)] * 2


def test_codes_do_not_count_but_the_words_around_them_do():
    text = "The minister said the talks would continue next week. " + _base64(3000, 1)
    (lang, conf), = identify([text])
    assert lang == "en" and conf > 0.9
    assert langid.letters_of(text) == count_letters("The minister said the talks would continue next week.")


@pytest.mark.parametrize("text", [
    "HomeWeatherTrafficWatchPhotosApps",           # glued menu words
    "Donaudampfschifffahrtsgesellschaftskapitän",  # a long German compound
    "Pressemitteilung16.02.2022",
    "https://www.youtube.com/watch?v=DXk05ySH5x0",
    "东京都的天气今天晴朗而且非常温暖适合出门散步和旅行",  # Chinese: no spaces, not a code
])
def test_long_tokens_that_are_words_keep_a_language(text):
    assert identify([text])[0][0] is not None


def test_page_of_codes_has_no_language_and_no_shares():
    from mtdetect.scan import Scanner

    report = Scanner(mt=False, source=False).scan_text(_base64(37_500, 3), path="blob.txt")
    assert report.lang is None and report.langs == {} and not report.multilingual
    assert [b.lang for b in report.blocks] == [None]


# --------------------------------------------------------------------------- issue 15, row 11: scripts

@pytest.mark.parametrize("text", ["gramów", "400 gramów", "50 gramów", "łatwe", "1 łyżka", "PandaCheck",
                                  "Show URL", "Lörrach", "mmorpg", "treyarch", "KIA", "S.H.E", ":o)"])
def test_latin_block_never_gets_a_language_of_another_script(text):
    lang, _ = identify([text])[0]
    assert lang is not None and lang not in langid.NON_LATIN_LANGS, (text, lang)


def test_short_polish_lines():
    assert identify(["gramów"])[0][0] == "pl"


@pytest.mark.parametrize("text", ["Войти", "ПОДПИСКА", "Новини", "Меню", "Ок", "Сайт"])
def test_cyrillic_block_never_gets_a_latin_language(text):
    lang, _ = identify([text])[0]
    assert lang in langid.NON_LATIN_LANGS, (text, lang)


def test_non_latin_languages():
    assert {"ru", "uk", "bg", "zh", "ja", "hi", "ar", "he"} <= langid.NON_LATIN_LANGS
    assert not {"en", "pl", "cs", "de", "hr", "sr", "tr", "vi"} & langid.NON_LATIN_LANGS


# --------------------------------------------------------------------------- shared corpus sample

def test_accuracy_on_shared_corpus_sample():
    if not LID_BLOCKS.is_file():
        pytest.skip(f"{LID_BLOCKS} not present")
    with gzip.open(LID_BLOCKS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = [r for r in rows if r["lang"] in langid.MAIN_LANGS]
    rows = random.Random(7).sample(rows, 1500)
    preds = identify([r["text"] for r in rows])
    hits = defaultdict(lambda: [0, 0])
    for row, (lang, _) in zip(rows, preds):
        key = (row["lang"], row["bucket"])
        hits[key][0] += lang == row["lang"]
        hits[key][1] += 1
    for bucket, floor in (("short", 0.96), ("sentence", 0.98), ("three", 0.99)):
        accs = [hits[(l, bucket)][0] / hits[(l, bucket)][1]
                for l in langid.MAIN_LANGS if hits[(l, bucket)][1]]
        macro = sum(accs) / len(accs)
        assert macro >= floor, (bucket, macro)


# --------------------------------------------------------------------------- start-up

def test_imports_load_no_model_or_heavy_library():
    # `mtdetect --help`, and a process before its first block, pay for none of these.
    import subprocess
    import sys

    code = ("import sys, mtdetect.langid, mtdetect.summary, mtdetect.cli; "
            "print(sorted(m for m in ('numpy', 'sklearn', 'scipy', 'fasttext', 'py3langid', "
            "'langdetect') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_py3langid_without_a_writable_cache(tmp_path):
    # The mapped model lives in the user's cache; without one (read-only home), the compressed
    # model is loaded as before and the answers are the same.
    import os
    import subprocess
    import sys

    code = ("from mtdetect.langid import identify; "
            "print(identify(['Kommentar', 'Войти', 'gramów', 'Update']))")
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    runs = []
    for cache in (str(blocked / "cache"), str(tmp_path / "cache")):
        env = dict(os.environ, MTDETECT_CACHE=cache)
        runs.append(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   check=True, env=env).stdout)
    assert runs[0] == runs[1] != ""
    assert (tmp_path / "cache").is_dir()
