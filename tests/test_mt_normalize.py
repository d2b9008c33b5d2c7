from mtdetect.mt.normalize import count_words, normalize, words


def test_typography_is_folded():
    a = normalize("\u201cWe\u2019re ready\u201d \u2014 he said\u2026 ( really ) ?")
    b = normalize('"We\'re ready" - he said... (really)?')
    assert a == b


def test_spaces_digits_and_invisible_characters():
    assert normalize("  1\u00a0000\u200b  people ,  2 \n days ") == "0 000 people, 0 days"
    assert normalize("Price 12", digits=False) == "Price 12"


def test_tokenised_contractions_are_joined():
    assert normalize("I don 't know , it 's late") == "I don't know, it's late"


def test_words_and_counts():
    t = normalize("It's 3 o'clock, isn't it?")
    assert words(t) == ["It's", "o'clock", "isn't", "it"]
    assert count_words("one two  three") == 3
