import codecs

import pytest

from mtdetect.read import (
    MAX_LINE_CHARS,
    InputError,
    ReadError,
    decode_bytes,
    iter_input_files,
    looks_like_html,
    read_page,
)

RUSSIAN = "Министр иностранных дел России Сергей Лавров заявил журналистам, что позиция страны не изменилась."


def test_utf8_and_boms_decode_to_the_same_text():
    text = "Café – “quoted” " + RUSSIAN
    assert decode_bytes(text.encode("utf-8"))[0] == text
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))[0] == text
    assert decode_bytes(text.encode("utf-16"))[0] == text  # Python writes a BOM
    assert decode_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))[0] == text


def test_cp1251_russian_page_is_detected():
    text = (RUSSIAN + "\n") * 5
    decoded, encoding = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert encoding.replace("_", "").lower() in {"cp1251", "windows1251"}


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    ],
)
def test_bad_bytes_raise_read_error(data, message):
    with pytest.raises(ReadError, match=message):
        decode_bytes(data)


def test_undecodable_bytes_after_bom(tmp_path):
    with pytest.raises(ReadError, match="undecodable"):
        decode_bytes(codecs.BOM_UTF8 + b"ok \xff\xfe\xfd broken")


def test_huge_single_line_is_rejected(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("a" * (MAX_LINE_CHARS + 10), encoding="utf-8")
    with pytest.raises(ReadError, match="single line"):
        read_page(path)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_page(tmp_path / "nope.txt")


def test_html_sniffing():
    assert looks_like_html("page.html", "just text")
    assert looks_like_html("page.txt", "<!DOCTYPE html><html><body>x</body></html>")
    assert looks_like_html("x", "<div><p>a</p><p>b</p></div>")
    assert not looks_like_html("page.txt", "Prices rose 3% (a < b) in 2021.\nNothing here is markup.")


def test_directories_are_expanded_sorted_and_recursive(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>one</p>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("three", encoding="utf-8")
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    found = list(iter_input_files([tmp_path]))
    assert [p.rsplit("/", 1)[-1] for p in found] == ["a.html", "2.txt", "c.txt"]


def test_empty_directory_and_missing_path_become_input_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    items = list(iter_input_files([tmp_path / "empty", tmp_path / "missing.txt"]))
    assert all(isinstance(i, InputError) for i in items)
    assert "without pages" in items[0].error
    assert "no such file" in items[1].error


def test_stray_nul_in_a_page_is_not_binary():
    page = ("<html><body><p>" + "Ein ganz normaler Absatz auf einer Seite. " * 50 + "</p>\x00</body></html>").encode()
    text, _ = decode_bytes(page)
    assert "\x00" not in text and "normaler Absatz" in text


def test_many_nul_bytes_are_binary():
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(b"abc\x00\x00\x00def\x00\x00\x00" * 100)


@pytest.mark.parametrize("meta", [
    '<meta charset="iso-8859-1">',
    "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>",
])
def test_declared_latin_encoding_is_used(meta):
    text = f"<html><head>{meta}</head><body><p>Größe, Straße, café — “déjà vu”</p></body></html>"
    decoded, encoding = decode_bytes(text.encode("cp1252"))
    assert decoded == text
    assert encoding == "cp1252"


def test_declared_cyrillic_encoding_is_used():
    text = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251")


def test_page_declaring_latin1_but_in_utf8_still_reads():
    text = f'<html><head><meta charset="iso-8859-1"></head><body><p>Größe {RUSSIAN}</p></body></html>'
    assert decode_bytes(text.encode("utf-8"))[0] == text


def test_page_declaring_an_unknown_encoding_still_reads():
    text = '<html><head><meta charset="x-no-such-thing"></head><body><p>' + (RUSSIAN + " ") * 5 + "</p></body></html>"
    decoded, _ = decode_bytes(text.encode("cp1251"))
    assert RUSSIAN in decoded
