"""Line input: the lines of JSONL files (plain or gzip) and stdin."""

from __future__ import annotations

import os
from typing import Callable, Iterator, Sequence

from mtdetect.filter.records import Line

GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"


def iter_lines(paths: Sequence[str], on_error: Callable[[str, str], None], stdin=None) -> Iterator[Line]:
    """The lines of JSONL files (plain or gzip, told apart by their first bytes, not their
    name) and of stdin ('-'), in order. A file that cannot be opened or breaks off midway
    (truncated gzip) is reported to `on_error(where, message)` and skipped; the others are
    still read."""
    import gzip
    import sys
    import zlib

    for path in paths:
        source = "<stdin>" if path == STDIN else path
        number = 0
        try:
            if path == STDIN:
                raw = stdin if stdin is not None else sys.stdin.buffer
                handle = _maybe_gunzip(raw)
                close = False
            else:
                if os.path.isdir(path):
                    on_error(path, "is a directory")
                    continue
                handle = _maybe_gunzip(open(path, "rb"))
                close = True
        except OSError as err:
            on_error(source, f"cannot read: {err.strerror or err}")
            continue
        try:
            for number, data in enumerate(handle, start=1):
                yield Line(source, number, data.rstrip(b"\n").rstrip(b"\r"))
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as err:
            on_error(f"{source}:{number + 1}", f"cannot read further: {err}")
        finally:
            if close:
                handle.close()


def _maybe_gunzip(handle):
    import gzip
    import io

    if not hasattr(handle, "peek"):  # e.g. a BytesIO standing in for stdin
        handle = io.BufferedReader(handle)
    # peek() returns what one read brings, which is at least the 2 magic bytes for any file
    # and for any pipe whose writer wrote them in one go (gzip, zcat, cat all do).
    if handle.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=handle, mode="rb")
    return handle
