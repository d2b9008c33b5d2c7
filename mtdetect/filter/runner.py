"""The worker pool: streams lines through `process_chunk`, in input order, on `jobs` processes,
with a bounded window of chunks in flight; and `SignalStop`, which turns SIGINT and SIGTERM
into a clean stop at a line boundary.

Workers never outlive the run: they ignore SIGINT (Ctrl-C reaches the whole process group; the
parent decides), die on SIGTERM, watch their parent (a thread checks `os.getppid()` twice a
second and ends the worker when the parent is gone, even after a SIGKILL), and the parent ends
them when it leaves the pool on an error or a stop.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
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
# How often a worker checks that its parent is alive (seconds).
PARENT_CHECK_S = 0.5
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

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


class Stopped(BaseException):
    """Raised by `SignalStop` to abandon the work in hand (a BaseException, like
    KeyboardInterrupt, so no `except Exception` of a scanner swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _watch_parent(parent: int) -> None:
    import time

    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:  # re-parented: the parent is gone
            os._exit(1)


def _init_worker(options: FilterOptions, parent: int) -> None:
    global _WORKER_SCANNER, _WORKER_ERROR, _WORKER_OPTIONS
    # The parent forked this worker with SIGINT and SIGTERM blocked (see FilterRunner), so no
    # handler of the parent's runs here: set the worker's own, then let signals in.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="mtdetect-parent-watch").start()
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


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: queued chunks cancelled, running workers killed (SIGTERM)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:  # its feeder thread may block on a full pipe nobody reads now
        call_queue.cancel_join_thread()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    for process in processes:
        try:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass


class FilterRunner:
    """Streams lines through the filter, in input order, on `jobs` processes.

    Memory is bounded: at most `jobs * CHUNKS_PER_JOB` chunks are in flight, whatever the
    input size (`ProcessPoolExecutor.map` and `Pool.imap` both read their whole input ahead;
    this submits a chunk only when an earlier one has been collected). With jobs=1 the lines
    are processed in this process by the same functions, so the output bytes are the same.

        with FilterRunner(options, jobs=2) as runner:
            for outcome in runner.run(lines):
                ...

    Leaving the `with` block on an exception (an error, a `Stopped`) kills the workers at once;
    leaving it normally waits for them to exit. Enter the runner before starting threads (a
    progress bar): workers are forked on Linux.
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
        # True once a pool was abandoned (its workers killed). Its helper threads can then stay
        # blocked on a pipe (a worker killed while writing a result leaves half a message), and
        # Python joins them at exit: a command should then leave with os._exit (see the CLI).
        self.abandoned = False

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
                initializer=_init_worker, initargs=(self.options, os.getpid()),
            )
            try:
                # The first task starts the workers (all of them at once when forking) now, before
                # the caller starts threads, and reports a worker that could not load its Scanner.
                # They are forked with SIGINT and SIGTERM blocked, so none runs the parent's
                # handlers before setting its own; the parent's signals wait until after the fork.
                masking = hasattr(signal, "pthread_sigmask")
                old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS) if masking else None
                try:
                    ready = self._pool.submit(_ready)
                finally:
                    if masking:
                        signal.pthread_sigmask(signal.SIG_SETMASK, old)
                ready.result()
            except BaseException:
                _end_workers(self._pool)
                self._pool = None
                raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(abandon=exc_type is not None)

    def close(self, abandon: bool = False) -> None:
        """End the workers: at once with `abandon` (queued chunks whose output nobody reads),
        else after they finish."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if abandon:
            self.abandoned = True
            _end_workers(pool)
        else:
            pool.shutdown(wait=True)

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


class SignalStop:
    """SIGINT and SIGTERM as a clean stop, for a loop that reads outcomes and writes them.

        with SignalStop() as stop:
            for ...:
                with stop.interruptible():   # reading input, waiting for workers, scanning
                    outcome = next(outcomes)
                write(outcome)               # never cut: a signal here only sets `signum`

    A signal while `interruptible()` is active raises `Stopped` at once (the record or chunk
    in hand is dropped, unwritten); a signal at any other time is remembered and raised when
    the next `interruptible()` starts, so a line is either written whole or not at all. The
    previous handlers come back on exit. Outside the main thread (where Python cannot set
    handlers) it does nothing.
    """

    def __init__(self):
        self.signum: Optional[int] = None
        self._armed = False
        self._old: dict = {}

    def __enter__(self) -> "SignalStop":
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        self._old.clear()

    def _handle(self, signum, frame) -> None:
        if self.signum is None:
            self.signum = signum
        if self._armed:
            self._armed = False
            raise Stopped(self.signum)

    def check(self) -> None:
        if self.signum is not None:
            raise Stopped(self.signum)

    def interruptible(self) -> "_Armed":
        return _Armed(self)


class _Armed:
    __slots__ = ("stop",)

    def __init__(self, stop: SignalStop):
        self.stop = stop

    def __enter__(self) -> None:
        self.stop.check()
        self.stop._armed = True

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop._armed = False
