"""Line input and record output: the lines of JSONL files (plain or gzip) and stdin, each read
with a bounded length, and the output files (plain or gzip, new or appended to on resume)."""

from __future__ import annotations

import os
import sys
from typing import BinaryIO, Callable, Iterator, Optional, Sequence

from mtdetect.filter.records import MAX_LINE_BYTES, Line

GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"
# What a reject record keeps of a line over MAX_LINE_BYTES.
OVERFLOW_KEPT_BYTES = 1024
_SKIP_STEP = 1 << 20


def iter_lines(paths: Sequence[str], on_error: Callable[[str, str], None], stdin=None,
               start_line: int = 0, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Line]:
    """The lines of JSONL files (plain or gzip, told apart by their first bytes, not their
    name) and of stdin ('-'), in order. A file that cannot be opened or breaks off midway
    (truncated gzip) is reported to `on_error(where, message)` and skipped; the others are
    still read.

    `start_line`: the first that many lines of the whole input (all paths in order, blank
    lines included) are read and skipped: `--start-line` of a resumed run.

    No line is held longer than `max_line_bytes`: a longer one comes as a `Line` with
    `overflow` set and its first bytes only. In a regular file the rest of it is skipped and
    reading goes on at the next line; in a pipe or device (stdin, /dev/zero) the rest of that
    input is not read (it may never end), which is reported to `on_error`.
    """
    import gzip
    import zlib

    skip = max(0, start_line)
    for path in paths:
        source = "<stdin>" if path == STDIN else path
        number = 0
        try:
            if path == STDIN:
                raw = stdin if stdin is not None else sys.stdin.buffer
                handle = _maybe_gunzip(raw)
                close, regular = False, False
            else:
                if os.path.isdir(path):
                    on_error(path, "is a directory")
                    continue
                regular = os.path.isfile(path)
                handle = _maybe_gunzip(open(path, "rb"))
                close = True
        except OSError as err:
            on_error(source, f"cannot read: {err.strerror or err}")
            continue
        try:
            while True:
                data = handle.readline(max_line_bytes + 1)
                if not data:
                    break
                number += 1
                overflow = len(data) > max_line_bytes and not data.endswith(b"\n")
                if overflow:
                    data = data[:OVERFLOW_KEPT_BYTES]
                    ended = regular and _skip_rest_of_line(handle)
                else:
                    data = data.rstrip(b"\n").rstrip(b"\r")
                if skip:
                    skip -= 1
                else:
                    yield Line(source, number, data, overflow)
                if overflow and not ended:
                    on_error(f"{source}:{number}", f"a line over the {max_line_bytes:,}-byte limit in a pipe "
                                                   "or device: the rest of this input is not read")
                    break
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as err:
            on_error(f"{source}:{number + 1}", f"cannot read further: {err}")
        finally:
            if close:
                handle.close()


def _skip_rest_of_line(handle) -> bool:
    """Read past the end of the current line in bounded steps. True when the file went on to
    the end of the line (or of the file)."""
    while True:
        more = handle.readline(_SKIP_STEP)
        if not more or more.endswith(b"\n"):
            return True


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


def open_output(path: Optional[str], append: bool = False) -> tuple[BinaryIO, bool]:
    """(binary handle, whether to close it) for a path; '-' or None is stdout. A name ending in
    .gz is written gzip-compressed with a fixed mtime (the same input gives the same bytes).
    `append` (a resumed run) adds to an existing file; for gzip that is a new gzip member,
    which every gzip reader reads as the continuation of the same stream. Raises OSError."""
    if path is None or path == STDIN:
        return sys.stdout.buffer, False
    import gzip

    raw = open(path, "ab" if append else "wb")
    if path.endswith(".gz"):
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0), True
    return raw, True


def close_output(handle: BinaryIO, close: bool) -> None:
    """Flush, and close a file we opened (for gzip: write its trailer, then close the file)."""
    if close:
        raw = getattr(handle, "fileobj", None)  # GzipFile does not close a fileobj it was given
        handle.close()
        if raw is not None:
            raw.close()
    else:
        handle.flush()
