from mtdetect.document import Block
from mtdetect.summary import summarize_languages


def _b(text, lang, score=0.99):
    return Block(index=0, line_start=1, line_end=1, text=text, lang=lang, lang_score=score)


EN = "The minister said the talks would continue next week in Geneva with both delegations. " * 3
RU = "Министр сказал, что переговоры продолжатся на следующей неделе в Женеве. " * 3


def test_shares_are_by_letters_and_sum_to_one():
    lang, shares, multi = summarize_languages([_b(EN, "en"), _b(RU, "ru"), _b("2024", None, 0.0)])
    assert lang == "en"
    assert abs(sum(shares.values()) - 1) < 1e-9
    assert shares["en"] > shares["ru"] > 0.2
    assert multi


def test_stray_foreign_word_is_not_multilingual():
    lang, shares, multi = summarize_languages([_b(EN * 3, "en"), _b("Merci beaucoup", "fr")])
    assert lang == "en" and "fr" in shares and not multi


def test_unsure_short_blocks_do_not_vote():
    lang, shares, multi = summarize_languages([_b(EN, "en"), _b("Update", "ro", 0.3)])
    assert shares == {"en": 1.0} and not multi


def test_page_without_letters_has_no_language():
    assert summarize_languages([_b("01.03 05:11", None, 0.0)]) == (None, {}, False)
    assert summarize_languages([]) == (None, {}, False)


def test_a_foreign_language_needs_a_sentence_or_two_not_just_a_share():
    small_en = _b("The council met on Monday. " * 3, "en")  # 63 letters
    de_line = _b("Die Jacke ist leicht und hält wirklich dicht.", "de")  # 37 letters: 37 % of the page
    de_review = [_b("Die Jacke ist leicht und hält wirklich dicht, auch bei starkem Regen und Wind.", "de"),
                 _b("Die Kapuze könnte etwas größer sein, aber ich bin insgesamt sehr zufrieden.", "de")]
    lang, shares, multi = summarize_languages([small_en, de_line])
    assert lang == "en" and shares["de"] > 0.3 and not multi
    lang, shares, multi = summarize_languages([_b(EN, "en")] + de_review)  # ~120 letters of German
    assert lang == "en" and multi


def test_blocks_without_a_language_do_not_count():
    # A base64 string or a hash gets no language (langid): it never takes a share of the page.
    blob = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwYWJjZGVmZ2hpams" * 100
    lang, shares, multi = summarize_languages([_b(EN, "en"), _b(blob, None, 0.0)])
    assert lang == "en" and shares == {"en": 1.0} and not multi
    assert summarize_languages([_b(blob, None, 0.0)]) == (None, {}, False)
