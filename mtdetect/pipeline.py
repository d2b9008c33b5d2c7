"""The filtering pass for data pipelines: annotate JSONL records with their page summary and
drop them by language mix and MT score.

One implementation, three front ends: `mtdetect filter` (the CLI), the datatrove step
(`mtdetect.integrations.datatrove`) and the Spark function (`mtdetect.integrations.spark`)
all call `evaluate_text` and `decide` from here, so a document gets the same annotation and
the same verdict whichever engine runs it.

The rules (`FilterRules`), checked in this order; the first that fails is the drop reason:

- ``keep_langs``: the page's main language must be one of them. A page with no letters has
  no main language (``lang`` null) and is dropped by this rule: ``"lang null not in [en]"``.
- ``max_foreign``: the *foreign share* must not exceed it. The foreign share is the share of
  the page's letters that are in none of the kept languages, i.e. ``1 - sum(langs[l] for l in
  keep_langs)``; without ``keep_langs`` the main language is the one kept, so it is
  ``1 - langs[lang]``. Computed from the rounded shares of `PageReport.summary_dict()` and
  rounded to 4 decimals; a page without letters has a foreign share of 0.
- ``max_mt``: the page's ``mt_score`` must not exceed it. Pages without a score (no English
  block long enough to judge, or MT scoring off) pass.
- ``drop_source_langs``: the page's guessed source language (``source_lang.lang``) must not be
  one of them (``"source_lang ru in [ru]"``). Pages without a guess pass.

Comparisons are strict (``>``): a page exactly at a threshold is kept. A record whose text is
empty or only whitespace is dropped with reason ``"empty text"`` before any rule (in
label-only mode it is kept, annotated with the empty summary).

Malformed input (not dropped by a rule, but unusable): a line that is not UTF-8, not JSON, not
a JSON object, or whose text field is missing or not a string. Blank lines (empty or only
whitespace) carry no record: they are skipped and only counted.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional, Sequence

from mtdetect.document import PageReport

ANNOTATION_KEY = "mtdetect"  # the key that holds the page summary in a written record
REASON_KEY = "reason"  # the key that holds the drop reason in a reject record
# ... unless the record has a "reason" of its own, which must survive: then ours goes here.
REASON_FALLBACK_KEY = "mtdetect_reason"


def _set_reason(record: dict, reason: str) -> None:
    record[REASON_FALLBACK_KEY if REASON_KEY in record else REASON_KEY] = reason

KEPT, DROPPED, MALFORMED, BLANK = "kept", "dropped", "malformed", "blank"

# Lines per task sent to a worker: big enough that pickling and queueing cost little next to
# scanning (a page takes milliseconds), small enough that the in-flight window stays small.
DEFAULT_CHUNK_SIZE = 128
# Chunks in flight per worker: one being scanned and one queued, so a worker never waits for
# the reader or the writer; more would only hold more lines in memory.
CHUNKS_PER_JOB = 2


# --------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class FilterRules:
    keep_langs: tuple[str, ...] = ()
    max_mt: Optional[float] = None
    max_foreign: Optional[float] = None
    drop_source_langs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("keep_langs", "drop_source_langs"):
            langs = getattr(self, name)
            if isinstance(langs, str):
                langs = (langs,)
            # Deduplicated, order kept: the order shows up in the reason text.
            object.__setattr__(self, name, tuple(dict.fromkeys(l.strip() for l in langs if l.strip())))
        for name in ("max_mt", "max_foreign"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")

    @property
    def active(self) -> bool:
        """True when at least one rule is set (otherwise nothing can be dropped)."""
        return (bool(self.keep_langs) or self.max_mt is not None or self.max_foreign is not None
                or bool(self.drop_source_langs))


def empty_summary() -> dict[str, Any]:
    """The summary of a page without text (the same fields as any other page)."""
    return PageReport(path="<empty>").summary_dict()


def foreign_share(summary: dict[str, Any], keep_langs: Sequence[str] = ()) -> float:
    """Share of the page's letters in none of `keep_langs` (or, without them, not in the main
    language). 0.0 for a page without letters."""
    langs = summary.get("langs") or {}
    if not langs:
        return 0.0
    home = set(keep_langs) if keep_langs else {summary.get("lang")}
    return round(max(0.0, 1.0 - sum(share for lang, share in langs.items() if lang in home)), 4)


def decide(summary: dict[str, Any], rules: FilterRules) -> Optional[str]:
    """The reason to drop a page with this summary, or None to keep it.

    Reasons start with the rule's name (`lang`, `foreign`, `mt_score`), see `reason_rule`.
    """
    if rules.keep_langs:
        lang = summary.get("lang")
        if lang not in rules.keep_langs:
            return f"lang {lang or 'null'} not in [{', '.join(rules.keep_langs)}]"
    if rules.max_foreign is not None:
        share = foreign_share(summary, rules.keep_langs)
        if share > rules.max_foreign:
            return f"foreign {share} > {rules.max_foreign}"
    if rules.max_mt is not None:
        score = summary.get("mt_score")
        if score is not None and score > rules.max_mt:
            return f"mt_score {score} > {rules.max_mt}"
    if rules.drop_source_langs:
        guess = (summary.get("source_lang") or {}).get("lang")
        if guess is not None and guess in rules.drop_source_langs:
            return f"source_lang {guess} in [{', '.join(rules.drop_source_langs)}]"
    return None


EMPTY_TEXT = "empty text"


def reason_rule(reason: str) -> str:
    """The rule a reason comes from: 'lang', 'foreign', 'mt_score', 'source_lang' or 'empty'. A short, bounded
    key for statistics (the full reason holds numbers and would make one key per value)."""
    return reason.split(" ", 1)[0]


def evaluate_text(
    scanner,
    text: str,
    rules: FilterRules,
    *,
    html: bool = False,
    blocks: bool = False,
    label_only: bool = False,
) -> tuple[dict[str, Any], Optional[str]]:
    """Scan one document's text: (summary for the `mtdetect` key, drop reason or None).

    `scanner` is a `mtdetect.scan.Scanner`. With `blocks` the summary also holds the blocks.
    With `label_only` nothing is dropped (the reason is always None).
    """
    if not text.strip():
        return empty_summary(), None if label_only else EMPTY_TEXT
    report = scanner.scan_text(text, html=html)
    summary = report.summary_dict()
    if blocks:
        summary["blocks"] = [b.to_dict() for b in report.blocks]
    return summary, None if label_only else decide(summary, rules)


def text_problem(record: Any, text_field: str) -> Optional[str]:
    """Why a parsed JSON value cannot be scanned (malformed), or None."""
    if not isinstance(record, dict):
        return f"not a JSON object (a JSON {_json_type(record)})"
    if text_field not in record:
        return f"text field {text_field!r} missing"
    if not isinstance(record[text_field], str):
        return f"text field {text_field!r} is not a string (a JSON {_json_type(record[text_field])})"
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


# --------------------------------------------------------------------------- one line


@dataclass(frozen=True)
class FilterOptions:
    """Everything a worker needs to turn a line into an output line (picklable)."""

    rules: FilterRules = field(default_factory=FilterRules)
    text_field: str = "text"
    html: bool = False
    blocks: bool = False
    label_only: bool = False
    mt: bool = True
    model_dir: Optional[str] = None
    source: bool = True  # the source-language guess (about 2/3 of a scan's time with MT on)

    def make_scanner(self):
        from mtdetect.scan import Scanner

        return Scanner(mt=self.mt, model_dir=self.model_dir, source=self.source)


class Line(NamedTuple):
    """One input line: where it comes from (for messages and reject records) and its bytes
    without the line terminator."""

    source: str
    number: int  # 1-based
    raw: bytes


class Outcome(NamedTuple):
    status: str  # KEPT, DROPPED, MALFORMED or BLANK
    data: bytes  # the JSON line to write (kept: to the output; otherwise: to the rejects); b"" for BLANK
    message: Optional[str]  # MALFORMED: "source:line: reason"; DROPPED: the reason


def dumps_line(obj: Any) -> bytes:
    """One JSON line, UTF-8. Text with lone surrogates (legal in JSON escapes, not encodable as
    UTF-8) is written with ASCII escapes instead, so it survives the round trip unchanged."""
    try:
        return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(obj) + "\n").encode("ascii")


def _malformed(line: Line, text: str, reason: str, keep_bytes: bool = False) -> Outcome:
    record = {"line": line.number, "source": line.source, "raw": text, REASON_KEY: reason}
    if keep_bytes:  # "raw" had to replace the bad bytes; the exact line survives in base64
        record["raw_base64"] = base64.b64encode(line.raw).decode("ascii")
    return Outcome(MALFORMED, dumps_line(record), f"{line.source}:{line.number}: {reason}")


def process_line(scanner, line: Line, options: FilterOptions) -> Outcome:
    """Parse, check, scan and judge one input line. Never raises for bad data: every line
    becomes exactly one Outcome."""
    try:
        text = line.raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return _malformed(line, line.raw.decode("utf-8", "replace"), f"invalid UTF-8 at byte {err.start}",
                          keep_bytes=True)
    if line.number == 1:
        text = text.lstrip("\ufeff")  # a UTF-8 byte-order mark written by some Windows tools
    if not text.strip():
        return Outcome(BLANK, b"", None)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        return _malformed(line, text, f"invalid JSON: {err.msg} at column {err.colno}")
    except (ValueError, RecursionError) as err:  # e.g. nesting deeper than the parser allows
        return _malformed(line, text, f"invalid JSON: {type(err).__name__}")
    problem = text_problem(record, options.text_field)
    if problem:
        return _malformed(line, text, problem)
    try:
        summary, reason = evaluate_text(
            scanner, record[options.text_field], options.rules,
            html=options.html, blocks=options.blocks, label_only=options.label_only,
        )
    except Exception as err:  # a scanner bug must cost one record, not the run, and not lose it
        reason = f"scan failed: {type(err).__name__}: {err}"
        _set_reason(record, reason)
        return Outcome(MALFORMED, dumps_line(record), f"{line.source}:{line.number}: {reason}")
    record[ANNOTATION_KEY] = summary
    if reason is None:
        return Outcome(KEPT, dumps_line(record), None)
    _set_reason(record, reason)
    return Outcome(DROPPED, dumps_line(record), reason)


def process_chunk(scanner, lines: Sequence[Line], options: FilterOptions) -> list[Outcome]:
    return [process_line(scanner, line, options) for line in lines]


# --------------------------------------------------------------------------- counters


@dataclass
class Counters:
    read: int = 0  # records (non-blank lines)
    kept: int = 0
    dropped: int = 0
    malformed: int = 0
    blank: int = 0
    by_rule: Counter = field(default_factory=Counter)  # dropped per rule: lang, foreign, mt_score, empty

    def add(self, outcome: Outcome) -> None:
        if outcome.status == BLANK:
            self.blank += 1
            return
        self.read += 1
        if outcome.status == KEPT:
            self.kept += 1
        elif outcome.status == DROPPED:
            self.dropped += 1
            self.by_rule[reason_rule(outcome.message or "")] += 1
        else:
            self.malformed += 1


# --------------------------------------------------------------------------- the runner

# Per worker process: the Scanner built once by the pool initializer, or the error that
# stopped it from loading (raised on the first task, so the parent sees it; an exception in the
# initializer itself would only break the pool without a message).
_WORKER_SCANNER = None
_WORKER_ERROR: Optional[str] = None
_WORKER_OPTIONS: Optional[FilterOptions] = None

# The language models load on first use; scanning this loads them before the first chunk (the
# one-word lines bring in the second-opinion model that short blocks consult).
WARM_UP_TEXT = "The models are loaded on first use; this page loads them before the first chunk.\nGift\nSale"


class ScannerLoadError(RuntimeError):
    """The Scanner (language identifier or MT model) could not be loaded."""


def _init_worker(options: FilterOptions) -> None:
    global _WORKER_SCANNER, _WORKER_ERROR, _WORKER_OPTIONS
    _WORKER_OPTIONS = options
    try:
        _WORKER_SCANNER = options.make_scanner()
        _WORKER_SCANNER.scan_text(WARM_UP_TEXT, html=False)
    except Exception as err:
        _WORKER_ERROR = f"{type(err).__name__}: {err}"


def _ready() -> None:
    if _WORKER_ERROR is not None:
        raise ScannerLoadError(_WORKER_ERROR)


def _work(lines: list[Line]) -> list[Outcome]:
    if _WORKER_ERROR is not None:
        raise ScannerLoadError(_WORKER_ERROR)
    return process_chunk(_WORKER_SCANNER, lines, _WORKER_OPTIONS)


def chunked(lines: Iterable[Line], size: int) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class FilterRunner:
    """Streams lines through the filter, in input order, on `jobs` processes.

    Memory is bounded: at most `jobs * CHUNKS_PER_JOB` chunks are in flight, whatever the
    input size (`ProcessPoolExecutor.map` and `Pool.imap` both read their whole input ahead;
    this submits a chunk only when an earlier one has been collected). With jobs=1 the lines
    are processed in this process by the same functions, so the output bytes are the same.

        with FilterRunner(options, jobs=2) as runner:
            for outcome in runner.run(lines):
                ...

    Enter the runner before starting threads (a progress bar): workers are forked on Linux.
    """

    def __init__(self, options: FilterOptions, jobs: int = 1, chunk_size: int = DEFAULT_CHUNK_SIZE,
                 scanner=None):
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.options = options
        self.jobs = jobs
        self.chunk_size = max(1, chunk_size)
        self._scanner = scanner  # a ready Scanner (tests, notebooks); used in-process with jobs=1
        self._pool: Optional[ProcessPoolExecutor] = None

    def __enter__(self) -> "FilterRunner":
        context = multiprocessing.get_context()
        if self.jobs == 1 or context.get_start_method() == "fork":
            # jobs=1: the Scanner that does the work. Forked workers: loading here first means a
            # broken model fails before any input is read, and the workers inherit the loaded
            # models (shared copy-on-write) instead of each reading and building its own.
            if self._scanner is None:
                try:
                    self._scanner = self.options.make_scanner()
                    self._scanner.scan_text(WARM_UP_TEXT, html=False)
                except Exception as err:
                    raise ScannerLoadError(f"{type(err).__name__}: {err}") from err
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=context,
                initializer=_init_worker, initargs=(self.options,),
            )
            # The first task starts the workers (all of them at once when forking) now, before
            # the caller starts threads, and reports a worker that could not load its Scanner.
            try:
                self._pool.submit(_ready).result()
            except BaseException:
                self._pool.shutdown(wait=False, cancel_futures=True)
                raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is not None:
            # On an error (or Ctrl-C) do not wait for queued chunks whose output nobody reads.
            self._pool.shutdown(wait=exc_type is None, cancel_futures=exc_type is not None)
            self._pool = None

    def run(self, lines: Iterable[Line]) -> Iterator[Outcome]:
        chunks = chunked(lines, self.chunk_size)
        if self._pool is None:
            if self._scanner is None:
                raise RuntimeError("use FilterRunner as a context manager")
            for chunk in chunks:
                yield from process_chunk(self._scanner, chunk, self.options)
            return
        window = self.jobs * CHUNKS_PER_JOB
        pending: deque[Future] = deque()
        for chunk in chunks:
            pending.append(self._pool.submit(_work, chunk))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def run_filter(lines: Iterable[Line], options: FilterOptions, jobs: int = 1,
               chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Outcome]:
    """Convenience generator over `FilterRunner`: the outcomes of `lines`, in order."""
    with FilterRunner(options, jobs=jobs, chunk_size=chunk_size) as runner:
        yield from runner.run(lines)


# --------------------------------------------------------------------------- reading JSONL

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
