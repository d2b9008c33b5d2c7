"""The worker pool: streams lines through `process_line`, in input order, on `jobs` processes,
with a bounded window of chunks in flight."""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Iterable, Iterator, Optional

from mtdetect.filter.records import FilterOptions, Line, Outcome, process_chunk

# Lines per task sent to a worker: big enough that pickling and queueing cost little next to
# scanning (a page takes milliseconds), small enough that the in-flight window stays small.
DEFAULT_CHUNK_SIZE = 128
# Chunks in flight per worker: one being scanned and one queued, so a worker never waits for
# the reader or the writer; more would only hold more lines in memory.
CHUNKS_PER_JOB = 2


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
