"""Reading pages: paths and directories, stdin, encodings, and the checks that reject bad input.

Every problem becomes a `ReadError` with a one-line message meant for a person; the caller
reports it and goes on with the next file.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from charset_normalizer import from_bytes

# A crawled page is rarely above a few hundred KB; anything far larger is a dump, not a page.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Minified HTML can have long lines, but a single line of megabytes is not a page we can segment.
MAX_LINE_CHARS = 1_000_000

PAGE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}

STDIN = "-"


class ReadError(Exception):
    """A page that cannot be read; `str(err)` is the one-line reason."""


@dataclass
class Page:
    path: str
    text: str
    is_html: bool
    encoding: str


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Bytes to text: BOM first, then strict UTF-8, then charset-normalizer's best guess.

    Returns (text, encoding). Raises ReadError for empty, binary or undecodable input.
    """
    if not data.strip():
        raise ReadError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise ReadError(f"undecodable bytes after a {encoding} byte-order mark: {err.reason}")
    # NUL bytes do not occur in text of an 8-bit or UTF-8 encoding: many of them, without a BOM,
    # make a binary file; a stray one in a real page (a CMS glitch) does not, and is dropped.
    head = data[:65536]
    if head.count(b"\x00") > max(2, NUL_SHARE * len(head)):
        raise ReadError("binary file (NUL bytes), not a text or HTML page")
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_encoding(data)
    if declared is not None:
        # Not UTF-8, and the page says what it is: decode as declared. A page that declares one
        # encoding and is in another fails here and goes on to charset-normalizer's guess.
        for encoding in (declared, "latin-1") if declared == "cp1252" else (declared,):
            try:
                return data.decode(encoding), encoding
            except (UnicodeDecodeError, LookupError):
                pass
    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding is None:
        raise ReadError("undecodable bytes: no text encoding fits this file")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadError(f"undecodable bytes: not valid {best.encoding}")
    if _control_share(text) > 0.05:
        raise ReadError("binary file (control characters), not a text or HTML page")
    return text, best.encoding


# Share of NUL bytes in the first 64 KB above which a file is binary, not a page with a stray NUL.
NUL_SHARE = 0.001
# `<meta charset="...">` or `<meta http-equiv="Content-Type" content="text/html; charset=...">`.
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
# What browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean windows-1252.
_ENCODING_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
                     "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
                     "x-sjis": "shift_jis", "gb2312": "gb18030", "gbk": "gb18030"}


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML page declares in a <meta> tag near its top, if Python knows it."""
    match = _META_CHARSET.search(data[:8192])
    if match is None:
        return None
    label = match.group(1).decode("ascii", "ignore").lower().strip(".:-")
    label = _ENCODING_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _control_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bad / len(sample)


_HTML_SNIFF = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<(?:p|div|li|span|a|h[1-6]|table|br)[\s>/]", re.I
)


def looks_like_html(path: str, head: Union[str, bytes]) -> bool:
    """HTML by extension, else by content: a doctype or several block/inline tags near the top."""
    if Path(path).suffix.lower() in HTML_SUFFIXES:
        return True
    if isinstance(head, str):
        head = head[:8192].encode("utf-8", "ignore")
    else:
        head = head[:8192]
    stripped = head.lstrip().lower()
    if stripped.startswith(b"<!doctype html") or stripped.startswith(b"<html"):
        return True
    return len(_HTML_SNIFF.findall(head)) >= 3


def check_text(text: str) -> None:
    """Reject text that decodes but is not a page we can segment."""
    if not text.strip():
        raise ReadError("empty file")
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise ReadError(
            f"a single line of {longest:,} characters (limit {MAX_LINE_CHARS:,}): not a page"
        )


def _too_big(size: int | None = None) -> ReadError:
    what = f"file of {size:,} bytes" if size is not None else "input"
    return ReadError(f"{what} is over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit "
                     f"({MAX_FILE_BYTES:,} bytes): a dump, not a page")


def read_limited(handle) -> bytes:
    """At most MAX_FILE_BYTES of a binary stream: a pipe or a device (/dev/zero, `yes |`) may
    never end, so no more than the limit and one byte is ever read. Raises ReadError above it."""
    data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big()
    return data


def page_from_bytes(path: str, data: bytes, html: bool | None = None) -> Page:
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(len(data))
    text, encoding = decode_bytes(data)
    check_text(text)
    is_html = looks_like_html(path, data) if html is None else html
    return Page(path=path, text=text, is_html=is_html, encoding=encoding)


def read_page(path: Union[str, Path], html: bool | None = None) -> Page:
    """Read one page from a file path, or from stdin when path is '-'. Pipes, devices and
    stdin are read up to the size limit and no further."""
    path = str(path)
    if path == STDIN:
        return page_from_bytes("<stdin>", read_limited(sys.stdin.buffer), html)
    p = Path(path)
    if not p.exists():
        raise ReadError("no such file")
    if p.is_dir():
        raise ReadError("is a directory")
    try:
        if p.is_file():  # a regular file says its size: refuse a big one without reading it
            size = p.stat().st_size
            if size > MAX_FILE_BYTES:
                raise _too_big(size)
        with open(p, "rb") as handle:
            data = read_limited(handle)
    except OSError as err:
        raise ReadError(f"cannot read: {err.strerror or err}")
    return page_from_bytes(path, data, html)


@dataclass
class InputError:
    """A path given on the command line that yields no page (missing, empty directory)."""

    path: str
    error: str


def iter_input_files(paths: Iterable[Union[str, Path]]) -> Iterator[Union[str, InputError]]:
    """Expand paths into page files: files as given, directories recursively in sorted order.

    Hidden files and files with suffixes that are not pages (.json, .gz, .png...) inside
    directories are skipped; a file named explicitly is always tried.
    """
    for raw in paths:
        path = str(raw)
        if path == STDIN:
            yield STDIN
            continue
        p = Path(path)
        if p.is_dir():
            found = False
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.is_file() and child.suffix.lower() in PAGE_SUFFIXES:
                    found = True
                    yield str(child)
            if not found:
                yield InputError(path, "directory without pages (.txt, .html, .htm, .md)")
        elif p.exists():
            yield path
        else:
            yield InputError(path, "no such file or directory")
